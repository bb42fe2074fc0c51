"""Use cases for evaluation requests: asking for one, scheduling it at a centre, reading it.

Who asks (agency HR), who schedules (the centre's coordinator), who examines and who decides are
different people; each step checks its own permission and the state the evaluation is in, and a
refused step leaves only the audit entry of the attempt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from confianza.accounts.rules.permissions import Actor, Holder, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from confianza.core.pagination import Page, decode_cursor, encode_cursor
from confianza.registry.rules.agencies import Agency
from confianza.registry.rules.officers import Officer, OfficerStatus
from confianza.registry.service.agencies import holder_of
from confianza.registry.service.officers import NewOfficer, add_officer
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.vetting.rules.evaluations import (
    EvaluationKind,
    EvaluationStatus,
    ExamType,
    rank_level,
)
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.vetting.rules.records import (
    Appeal,
    Centre,
    Evaluation,
    Exam,
    SeparationProcess,
)
from confianza.work import Transaction, UnitOfWork

REASON_MIN = 10
BOOKING_HORIZON_DAYS = 365
# An officer who has left the force cannot be evaluated, decided on, or appealed for.
GONE = frozenset({OfficerStatus.SEPARATED, OfficerStatus.DECEASED})


@dataclass(frozen=True)
class EvaluationRequest:
    officer_id: int
    agency_id: int
    kind: EvaluationKind
    sensitive_access: bool = False
    rank: str | None = None  # the rank sought (promotion) or to be held (new entry)
    reason: str | None = None  # why a special evaluation is asked for


@dataclass(frozen=True)
class ExamBooking:
    examiner_id: int
    day: date


@dataclass(frozen=True)
class EvaluationView:
    """An evaluation as one reader may see it: results only for those entitled to them."""

    evaluation: Evaluation
    officer: Officer
    agency: Agency
    centre: Centre | None
    exams: list[Exam]
    results_visible: bool
    people: dict[int, str] = field(default_factory=dict)  # user id -> display name
    appeal: Appeal | None = None
    separation: SeparationProcess | None = None


@dataclass(frozen=True)
class EvaluationLine:
    evaluation: Evaluation
    officer_name: str
    agency_code: str


def evaluation_holder(tx: Transaction, evaluation: Evaluation) -> Holder:
    """Who holds an evaluation: whoever holds its officer now (`OfficerRepository.holder`;
    for an applicant, the agency that last asked to evaluate them). Not the agency that asked
    for this one: an evaluation shows the officer's name, CURP and standing, so an agency that
    lost the officer (a transfer, a move to a federal force) stops seeing it, as it stops
    seeing the officer; the new holder sees it. What stays with the agency that asked is its
    own trail (its `evaluation:request:create` entry names only ids)."""
    return tx.officers.holder(evaluation.officer_id)


def load(tx: Transaction, evaluation_id: int, *, lock: bool = False) -> Evaluation:
    found = tx.evaluations.lock(evaluation_id) if lock else tx.evaluations.get(evaluation_id)
    if found is None:
        raise NotFound(f"evaluation {evaluation_id} does not exist")
    return found


def officer_of(tx: Transaction, evaluation: Evaluation) -> Officer:
    officer = tx.officers.get(evaluation.officer_id)
    if officer is None:  # the foreign key makes this impossible; say so if it happens
        raise NotFound(f"officer {evaluation.officer_id} does not exist")
    return officer


def view(tx: Transaction, evaluation: Evaluation, *, results: bool) -> EvaluationView:
    exams = tx.evaluations.exams(evaluation.id)
    if not results:
        exams = [replace(e, outcome=None, result=None, notes=None) for e in exams]
    agency = tx.agencies.get(evaluation.agency_id)
    if agency is None:
        raise NotFound(f"agency {evaluation.agency_id} does not exist")
    centre = tx.evaluations.centre(evaluation.centre_id) if evaluation.centre_id else None
    user_ids = {e.examiner_id for e in exams if e.examiner_id is not None}
    user_ids |= {u for u in (evaluation.decided_by, evaluation.confirmed_by) if u is not None}
    appeal = tx.evaluations.appeal_of(evaluation.id)
    if appeal is not None and appeal.decided_by is not None:
        user_ids.add(appeal.decided_by)
    people = {u: user.display_name for u in user_ids if (user := tx.users.get(u)) is not None}
    return EvaluationView(
        evaluation, officer_of(tx, evaluation), agency, centre, exams, results, people, appeal,
        tx.certification.separation_of(evaluation.id),
    )


def request_evaluation(uow: UnitOfWork, actor: Actor, request: EvaluationRequest, *,
                       policy: WorkflowPolicy) -> EvaluationView:
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EVALUATION_REQUEST, "officer", request.officer_id
    ):
        agency = _requesting_agency(tx, actor, request.agency_id)
        officer = tx.officers.get(request.officer_id)
        if officer is None:
            raise NotFound(f"officer {request.officer_id} does not exist")
        # The answer shows the officer: only one the actor may see may be named (a new-entry
        # request names no posting of the agency, so the agency's check alone is not enough).
        require(actor, Permission.EVALUATION_REQUEST, tx.officers.holder(officer.id),
                resource_type="officer", resource_id=officer.id)
        return view(tx, load(tx, _open(tx, actor, request, officer, agency, policy)),
                    results=False)


def request_applicant_evaluation(
    uow: UnitOfWork, actor: Actor, applicant: NewOfficer, agency_id: int, rank: str,
    *, sensitive_access: bool = False, policy: WorkflowPolicy,
) -> EvaluationView:
    """A new-entry evaluation of someone not yet in the force: the person is registered
    without a post (they are appointed only once approved) and the request opened, together."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EVALUATION_REQUEST, "agency", agency_id
    ):
        agency = _requesting_agency(tx, actor, agency_id)
        require(actor, Permission.OFFICER_WRITE, holder_of(agency), resource_type="agency",
                resource_id=agency_id)
        if applicant.assignment is not None or applicant.badge is not None:
            raise ValidationFailed(FieldError("applicant.assignment", "an applicant gets a post "
                                              "only once approved"))
        officer_id = add_officer(tx, actor, applicant, applicant_to=agency)
        officer = tx.officers.get(officer_id)
        assert officer is not None
        request = EvaluationRequest(officer_id, agency_id, EvaluationKind.NEW_ENTRY,
                                    sensitive_access, rank)
        return view(tx, load(tx, _open(tx, actor, request, officer, agency, policy)),
                    results=False)


def open_special_evaluation(tx: Transaction, actor: Actor, officer_id: int, agency_id: int,
                            reason: str, *, policy: WorkflowPolicy) -> int:
    """A special evaluation asked for by another feature's use case, inside its transaction
    (a sustained finding in an integrity case, ADR 0030): the caller has authorised the act;
    the request is checked and audited as any other."""
    officer = tx.officers.get(officer_id)
    if officer is None:
        raise NotFound(f"officer {officer_id} does not exist")
    agency = tx.agencies.get(agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id} does not exist")
    request = EvaluationRequest(officer_id, agency_id, EvaluationKind.SPECIAL, reason=reason)
    return _open(tx, actor, request, officer, agency, policy)


def _requesting_agency(tx: Transaction, actor: Actor, agency_id: int) -> Agency:
    require(actor, Permission.EVALUATION_REQUEST, resource_type="evaluation")
    agency = tx.agencies.get(agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id} does not exist")
    require(actor, Permission.EVALUATION_REQUEST, holder_of(agency), resource_type="agency",
            resource_id=agency.id)
    return agency


def _open(tx: Transaction, actor: Actor, request: EvaluationRequest, officer: Officer,
          agency: Agency, policy: WorkflowPolicy) -> int:
    tx.officers.lock(officer.id)
    rank = _check_request(tx, request, officer, agency)
    if (current := tx.evaluations.open_for(officer.id)) is not None:
        raise Conflict(f"officer {officer.id} already has evaluation {current.id} under way "
                       f"({current.status})")
    level = rank_level(rank)
    battery = policy.battery.required(request.kind, level, request.sensitive_access)
    evaluation_id = tx.evaluations.add(
        officer_id=officer.id, agency_id=agency.id, kind=request.kind,
        rank=rank, rank_level=level, sensitive_access=request.sensitive_access,
        reason=request.reason.strip() if request.reason else None,
        status=EvaluationStatus.REQUESTED, requested_by=actor.username,
        requested_at=tx.now,
    )
    tx.evaluations.add_exams(evaluation_id, sorted(battery))
    tx.audit.record(actor, AuditAction.EVALUATION_REQUEST, "evaluation", evaluation_id,
                    detail={"officer_id": officer.id, "agency_id": agency.id,
                            "kind": request.kind.value, "exams": sorted(battery)})
    return evaluation_id


def _check_request(
    tx: Transaction, request: EvaluationRequest, officer: Officer, agency: Agency
) -> str:
    """The rank the evaluation is for, or every reason the request is refused."""
    errors = ErrorCollector()
    if officer.status in GONE:
        raise Conflict(f"officer {officer.id} is {officer.status}: there is no one to evaluate")
    if not agency.active:
        errors.add("agency_id", f"agency {agency.code} was dissolved on {agency.dissolved_on}")
    here = [a for a in tx.officers.assignments(officer.id)
            if a.end_date is None and a.agency_id == agency.id]
    rank = (request.rank or "").strip()
    if request.kind in (EvaluationKind.PERMANENCE, EvaluationKind.SPECIAL):
        if not here:
            errors.add("officer_id", f"officer {officer.id} holds no assignment at "
                       f"{agency.code}; ask for a new-entry evaluation instead")
        elif not rank:
            rank = here[0].rank
    elif request.kind is EvaluationKind.PROMOTION:
        if not here:
            errors.add("officer_id", f"officer {officer.id} holds no assignment at {agency.code}")
        if not rank:
            errors.add("rank", "say which rank the promotion is to")
    elif not rank:
        errors.add("rank", "say at which rank the applicant would enter")
    if len(rank) > 80:
        errors.add("rank", "is longer than 80 characters")
    reason = (request.reason or "").strip()
    if request.kind is EvaluationKind.SPECIAL and len(reason) < REASON_MIN:
        errors.add("reason", f"a special evaluation needs the reason it is asked for (at least "
                   f"{REASON_MIN} characters)")
    if len(reason) > 2000:
        errors.add("reason", "is longer than 2,000 characters")
    errors.raise_if_any()
    return rank


def schedule_evaluation(
    uow: UnitOfWork, actor: Actor, evaluation_id: int, centre_id: int,
    bookings: Mapping[ExamType, ExamBooking],
) -> EvaluationView:
    """Book the evaluation at a centre: every exam not yet given, with a qualified examiner of
    that centre, on a day the centre still has room for that exam."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EVALUATION_SCHEDULE, "evaluation", evaluation_id
    ):
        evaluation = load(tx, evaluation_id, lock=True)
        require(actor, Permission.EVALUATION_SCHEDULE, evaluation_holder(tx, evaluation),
                resource_type="evaluation", resource_id=evaluation_id)
        if evaluation.status not in (EvaluationStatus.REQUESTED, EvaluationStatus.SCHEDULED):
            raise InvalidTransition(f"evaluation {evaluation_id} is {evaluation.status}; only a "
                                    "requested or scheduled one can be booked")
        centre = tx.evaluations.centre(centre_id)
        if centre is None:
            raise NotFound(f"centre {centre_id} does not exist")
        if centre.state_code is not None:
            require(actor, Permission.EVALUATION_SCHEDULE,
                    Holder(state_codes=frozenset({centre.state_code})),
                    resource_type="centre", resource_id=centre_id)
        tx.evaluations.lock_centre(centre_id)
        exams = {e.exam_type: e for e in tx.evaluations.exams(evaluation_id)}
        open_exams = {t for t, e in exams.items() if not e.recorded}
        if any(e.recorded for e in exams.values()) and centre_id != evaluation.centre_id:
            raise Conflict("exams have already been given at another centre; book the rest there")
        errors = ErrorCollector()
        if not centre.active:
            errors.add("centre_id", f"centre {centre.code} is closed")
        _check_bookings(tx, evaluation, centre, exams, open_exams, bookings, errors)
        errors.raise_if_any()
        if (evaluation.status is EvaluationStatus.SCHEDULED and centre_id == evaluation.centre_id
                and all((exams[t].examiner_id, exams[t].scheduled_on) == (b.examiner_id, b.day)
                        for t, b in bookings.items())):
            # The same booking sent twice (a double click, a reload): refused, so that the
            # trail does not say it was booked twice.
            raise Conflict(f"evaluation {evaluation_id} is already booked at {centre.code} "
                           "with these examiners and days; nothing was changed",
                           code="already_booked")
        for exam_type, booking in bookings.items():
            tx.evaluations.assign_exam(exams[exam_type].id, booking.examiner_id, booking.day)
        tx.evaluations.update(evaluation_id, EvaluationStatus.SCHEDULED, centre_id=centre_id)
        tx.audit.record(
            actor, AuditAction.EVALUATION_SCHEDULE, "evaluation", evaluation_id,
            detail={"centre_id": centre_id,
                    "exams": {t.value: {"examiner_id": b.examiner_id, "day": b.day.isoformat()}
                              for t, b in sorted(bookings.items())}},
        )
        return view(tx, load(tx, evaluation_id), results=False)


def _check_bookings(
    tx: Transaction, evaluation: Evaluation, centre: Centre, exams: Mapping[ExamType, Exam],
    open_exams: set[ExamType], bookings: Mapping[ExamType, ExamBooking], errors: ErrorCollector,
) -> None:
    for exam_type in sorted(open_exams - set(bookings)):
        errors.add(f"exams.{exam_type}", "is in the battery and needs an examiner and a day")
    for exam_type, booking in sorted(bookings.items()):
        where = f"exams.{exam_type}"
        if exam_type not in exams:
            errors.add(where, "is not in this evaluation's battery")
            continue
        if exam_type not in open_exams:
            errors.add(where, "has already been given and cannot be booked again")
            continue
        examiner = tx.evaluations.examiner(booking.examiner_id)
        user = tx.users.get(booking.examiner_id)
        if examiner is None or user is None or not user.active:
            errors.add(f"{where}.examiner_id", f"user {booking.examiner_id} is not an active "
                       "examiner")
        elif examiner.centre_id != centre.id:
            errors.add(f"{where}.examiner_id", f"{examiner.username} works at another centre")
        elif exam_type not in examiner.qualifications:
            errors.add(f"{where}.examiner_id", f"{examiner.username} is not qualified for the "
                       f"{exam_type} exam")
        if booking.day < tx.today:
            errors.add(f"{where}.day", f"{booking.day.isoformat()} is in the past")
        elif booking.day > tx.today + timedelta(days=BOOKING_HORIZON_DAYS):
            errors.add(f"{where}.day", "is more than a year ahead")
        else:
            taken = tx.evaluations.booked(centre.id, exam_type, booking.day, evaluation.id)
            room = centre.capacity.get(exam_type, 0)
            if taken >= room:
                errors.add(f"{where}.day", f"{centre.code} has no room left for {exam_type} "
                           f"exams on {booking.day.isoformat()} ({taken} of {room} booked)")


def cancel_evaluation(uow: UnitOfWork, actor: Actor, evaluation_id: int, reason: str) -> None:
    """Withdraw a request before it is decided (the officer resigned, the request was wrong)."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EVALUATION_CANCEL, "evaluation", evaluation_id
    ):
        evaluation = load(tx, evaluation_id, lock=True)
        require(actor, Permission.EVALUATION_REQUEST, evaluation_holder(tx, evaluation),
                resource_type="evaluation", resource_id=evaluation_id)
        if evaluation.status not in (EvaluationStatus.REQUESTED, EvaluationStatus.SCHEDULED):
            raise InvalidTransition(f"evaluation {evaluation_id} is {evaluation.status}; once "
                                    "every exam is in it must be decided, not withdrawn")
        if len(reason.strip()) < REASON_MIN:
            raise InvalidTransition(f"say why the evaluation is withdrawn (at least {REASON_MIN} "
                                    "characters)")
        tx.evaluations.update(evaluation_id, EvaluationStatus.CANCELLED, closed_at=tx.now)
        tx.audit.record(actor, AuditAction.EVALUATION_CANCEL, "evaluation", evaluation_id,
                        detail={"reason": reason.strip()[:500]})


def get_evaluation(uow: UnitOfWork, actor: Actor, evaluation_id: int) -> EvaluationView:
    """An evaluation; its exam results only for those who decide (certification officers)."""
    with uow.transaction() as tx:
        evaluation = load(tx, evaluation_id)
        holder = evaluation_holder(tx, evaluation)
        require(actor, Permission.EVALUATION_READ, holder, resource_type="evaluation",
                resource_id=evaluation_id)
        results = actor.has(Permission.EVALUATION_RESULTS_READ)
        if results:
            require(actor, Permission.EVALUATION_RESULTS_READ, holder,
                    resource_type="evaluation", resource_id=evaluation_id)
        action = AuditAction.EVALUATION_RESULTS_READ if results else AuditAction.EVALUATION_READ
        tx.audit.record(actor, action, "evaluation", evaluation_id,
                        detail={"officer_id": evaluation.officer_id})
        return view(tx, evaluation, results=results)


def officer_evaluations(uow: UnitOfWork, actor: Actor, officer_id: int) -> list[Evaluation]:
    """An officer's evaluations, newest first: kinds, dates, verdicts and validity."""
    with uow.transaction() as tx:
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        evaluations = tx.evaluations.of_officer(officer_id)
        # As the officer is read: by whoever holds them now (an applicant, by the agency that
        # last asked to evaluate them), not by every agency that ever asked.
        require(actor, Permission.EVALUATION_READ, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        tx.audit.record(actor, AuditAction.EVALUATION_READ, "officer", officer_id,
                        detail={"evaluations": [e.id for e in evaluations]})
        return evaluations


def list_evaluations(
    uow: UnitOfWork, actor: Actor, *, statuses: tuple[EvaluationStatus, ...] = (),
    agency_id: int | None = None, centre_id: int | None = None, cursor: str | None = None,
    limit: int = 50,
) -> Page[EvaluationLine]:
    """Evaluations in the caller's scope, oldest first: the coordinator's requests to book,
    the certification officers' decisions and confirmations to take."""
    after = decode_cursor(cursor)
    with uow.transaction() as tx:
        require(actor, Permission.EVALUATION_READ, resource_type="evaluation")
        if agency_id is not None:
            agency = tx.agencies.get(agency_id)
            if agency is None:
                raise NotFound(f"agency {agency_id} does not exist")
            require(actor, Permission.EVALUATION_READ, holder_of(agency),
                    resource_type="agency", resource_id=agency_id)
        rows = tx.evaluations.listing(
            statuses=statuses, agency_id=agency_id, centre_id=centre_id, scope=actor.scope,
            after=after[1] if after else None, limit=limit + 1,
        )
        more = len(rows) > limit
        rows = rows[:limit]
        officers = {o.id: o for o in tx.officers.many([e.officer_id for e in rows])}
        agencies = tx.agencies.many({e.agency_id for e in rows})
        lines = [
            EvaluationLine(e, o.listed_name if (o := officers.get(e.officer_id)) else "",
                           agencies[e.agency_id].code if e.agency_id in agencies else "")
            for e in rows
        ]
        tx.audit.record(actor, AuditAction.EVALUATION_QUEUE_READ, "evaluation", None,
                        detail={"statuses": sorted(s.value for s in statuses),
                                "results": [e.id for e in rows]})
        return Page(lines, encode_cursor(("", rows[-1].id)) if more and rows else None)

