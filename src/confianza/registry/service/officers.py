"""Use cases for officers: registration, identity, status, contact data, search.

Every read of an officer writes an audit entry in the same transaction as the read; a read of
contact data also demands and records a declared purpose.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import NoReturn, TypeVar

from confianza.accounts.rules.permissions import Actor, Holder, Permission, ScopeKind
from confianza.accounts.service.authorization import require
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service.certificates import CertificationView, certification_view
from confianza.core.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    InvalidTransition,
    NotFound,
    PurposeRequired,
    ValidationFailed,
)
from confianza.core.pagination import Page, decode_cursor, encode_cursor
from confianza.core.work import ReadAhead
from confianza.credentials import service as credentials
from confianza.identities.contracts import MergeRecord
from confianza.integrity.rules.outside_sanctions_match import StoredOutsideSanction
from confianza.integrity.service.officer_record import (
    OfficerCase,
    cases_on_record,
    section_detail,
)
from confianza.registry.contracts import Career, SearchCriteria
from confianza.registry.rules.agencies import Agency
from confianza.registry.rules.assignments import (
    SEPARATION_REASONS,
    Assignment,
    ChangeReason,
    EmploymentKind,
    PostingKind,
    check_period,
    holding_postings,
)
from confianza.registry.rules.name_search import NameQuery, parse_name
from confianza.registry.rules.officers import (
    SCHEME,
    STATUS_TRANSITIONS,
    Badge,
    Contact,
    ContactKind,
    ExternalId,
    Officer,
    OfficerStatus,
    Sex,
    StatusChange,
    check_identity,
    clean_name,
    status_from_postings,
)
from confianza.registry.service.agencies import holder_of
from confianza.trail.rules import AuditAction, RecordSection, sections_detail
from confianza.trail.service.refusals import refusal_entry
from confianza.vetting.rules.records import Evaluation
from confianza.work import Transaction, UnitOfWork

PURPOSE_MIN = 10
T = TypeVar("T")


@dataclass(frozen=True)
class FirstAssignment:
    agency_id: int
    rank: str
    start_date: date
    unit_id: int | None = None
    reason: ChangeReason = ChangeReason.APPOINTMENT
    kind: PostingKind = PostingKind.FULL_TIME
    employment: EmploymentKind = EmploymentKind.SWORN


@dataclass(frozen=True)
class NewOfficer:
    given_names: str
    first_surname: str
    second_surname: str | None = None
    curp: str | None = None
    birth_date: date | None = None
    birth_year: int | None = None
    sex: Sex | None = None
    external_ids: tuple[ExternalId, ...] = ()
    assignment: FirstAssignment | None = None
    badge: str | None = None


@dataclass(frozen=True)
class OfficerChanges:
    given_names: str | None = None
    first_surname: str | None = None
    second_surname: str | None = None
    curp: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None


@dataclass(frozen=True)
class OfficerProfile:
    officer: Officer
    assignments: list[Assignment]
    badges: list[Badge]
    identifiers: list[ExternalId]
    agencies: dict[int, Agency] = field(default_factory=dict)
    unit_names: dict[int, str] = field(default_factory=dict)
    status_history: list[StatusChange] | None = None  # None where it was not read

    @property
    def current(self) -> list[Assignment]:
        return [a for a in self.assignments if a.end_date is None]


@dataclass(frozen=True)
class OfficerRecord:
    """An officer's page, read in one transaction under one audit entry: the profile, and each
    further section that was asked for (None where it was not)."""

    profile: OfficerProfile
    contacts: list[Contact] | None = None
    certification: CertificationView | None = None
    evaluations: list[Evaluation] | None = None
    integrity: list[OfficerCase] | None = None  # the cases in which the officer is accused
    # Other authorities' sanctions linked to the officer (ADR 0036)
    outside_sanctions: list[StoredOutsideSanction] | None = None


@dataclass(frozen=True)
class OfficerQuery:
    name: str | None = None
    curp: str | None = None
    badge: str | None = None
    agency_id: int | None = None
    status: OfficerStatus | None = None
    identifier: ExternalId | None = None
    #: Any identity key, as typed: a CURP, a badge number or an external id's value.
    key: str | None = None
    #: `agency_id` means "ever served there" (former staff too), not "serving there now".
    ever_served: bool = False

    def is_empty(self) -> bool:
        return not any(
            (self.name, self.curp, self.badge, self.agency_id, self.status, self.identifier,
             self.key)
        )

    def used(self) -> list[str]:
        """The criteria given, by name (what the audit entry records, never their values)."""
        return sorted(k for k, v in vars(self).items() if v is not None and v is not False)


def officer_holder(tx: Transaction, officer_id: int) -> Holder:
    return tx.officers.holder(officer_id)


def _get(tx: Transaction, officer_id: int) -> Officer:
    officer = tx.officers.get(officer_id)
    if officer is None:
        raise NotFound(f"officer {officer_id} does not exist")
    return officer


def _agency(tx: Transaction, agency_id: int, errors: ErrorCollector, loc: str) -> Agency | None:
    agency = tx.agencies.get(agency_id)
    if agency is None:
        errors.add(loc, f"agency {agency_id} does not exist")
    elif not agency.active:
        errors.add(loc, f"agency {agency.code} was dissolved on {agency.dissolved_on}")
    return agency


def register_officer(uow: UnitOfWork, actor: Actor, new: NewOfficer) -> OfficerProfile:
    with uow.transaction() as tx:
        require(actor, Permission.OFFICER_WRITE, resource_type="officer")
        return _profile(tx, add_officer(tx, actor, new))


def add_officer(
    tx: Transaction, actor: Actor, new: NewOfficer, *, applicant_to: Agency | None = None
) -> int:
    """Register a person inside the caller's transaction; returns the new id. An applicant
    (`applicant_to`: the agency that will evaluate them) is registered without a post."""
    errors = ErrorCollector()
    curp = check_identity(
        curp=new.curp, given_names=new.given_names, first_surname=new.first_surname,
        second_surname=new.second_surname, birth_date=new.birth_date,
        birth_year=new.birth_year, sex=new.sex, today=tx.today, errors=errors,
    )
    for i, key in enumerate(new.external_ids):
        if not SCHEME.match(key.scheme):
            errors.add(f"external_ids[{i}].scheme", "must be 2-64 lower-case letters, "
                       "digits, '.', '_' or '-'")
        if not key.value.strip() or len(key.value) > 128:
            errors.add(f"external_ids[{i}].value", "must be 1 to 128 characters")
    agency = None
    if new.assignment is not None:
        a = new.assignment
        agency = _agency(tx, a.agency_id, errors, "assignment.agency_id")
        check_period(a.start_date, None, tx.today, errors, "assignment.")
        if not a.rank.strip():
            errors.add("assignment.rank", "is required")
        if a.unit_id is not None:
            unit = tx.agencies.unit(a.unit_id)
            if unit is None or unit.agency_id != a.agency_id:
                errors.add("assignment.unit_id", "is not a unit of that agency")
    elif applicant_to is None and actor.scope.kind is not ScopeKind.NATIONAL:
        errors.add("assignment", "is required: you may only register officers into "
                   "agencies of your scope")
    if new.badge is not None and new.assignment is None:
        errors.add("badge", "needs an assignment to say which agency issued it")
    errors.raise_if_any()
    for holding in (agency, applicant_to):
        if holding is not None:
            require(actor, Permission.OFFICER_WRITE, holder_of(holding),
                    resource_type="agency", resource_id=holding.id)
    if curp is not None and (other := tx.officers.id_by_curp(curp)) is not None:
        _already_registered(tx, actor, AuditAction.OFFICER_CREATE, "this CURP", other)
    for key in new.external_ids:
        if (other := tx.officers.id_by_identifier(key)) is not None:
            _already_registered(tx, actor, AuditAction.OFFICER_CREATE,
                                f"this {key.scheme} id", other)
    given = clean_name(new.given_names)
    first = clean_name(new.first_surname)
    second = clean_name(new.second_surname) if new.second_surname else None
    officer_id = tx.officers.add(
        curp=curp, given_names=given, first_surname=first, second_surname=second,
        birth_date=new.birth_date,
        birth_year=new.birth_year or (new.birth_date.year if new.birth_date else None),
        sex=new.sex, status=OfficerStatus.ACTIVE, now=tx.now,
    )
    for key in new.external_ids:
        tx.officers.add_identifier(officer_id, ExternalId(key.scheme, key.value.strip()))
    if new.assignment is not None:
        a = new.assignment
        tx.officers.add_assignment(
            officer_id=officer_id, agency_id=a.agency_id, unit_id=a.unit_id,
            rank=a.rank.strip(), start_date=a.start_date, end_date=None,
            start_reason=a.reason, end_reason=None, kind=a.kind, employment=a.employment,
        )
        if new.badge:
            _add_badge(tx, officer_id, a.agency_id, new.badge, a.start_date, None)
    tx.officers.add_status_change(
        officer_id, OfficerStatus.ACTIVE,
        new.assignment.start_date if new.assignment else tx.today,
        "registered" if new.assignment else "registered as an applicant", actor.username,
        tx.now)
    tx.audit.record(actor, AuditAction.OFFICER_CREATE, "officer", officer_id,
                    detail={"agency_id": new.assignment.agency_id if new.assignment
                            else None, "applicant_to": applicant_to.id if applicant_to
                            else None})
    return officer_id


def may_read(tx: Transaction, actor: Actor, officer_id: int) -> bool:
    """Whether `get_officer` would show this officer to the actor (decided as `require` does,
    without refusing)."""
    return actor.has(Permission.OFFICER_READ) and actor.scope.covers(
        officer_holder(tx, officer_id))


def _already_registered(
    tx: Transaction, actor: Actor, attempted: AuditAction, what: str, other: int,
    resource_id: int | None = None,
) -> NoReturn:
    """Refuse a key held by another officer. The answer names that officer only to whom may
    read them: otherwise a typed CURP would tell which people are in the registry and where to
    find them. The value typed is never echoed (the caller has it, the trail must not), and
    the attempt is audited either way, naming the officer, whose access report then shows it."""
    if may_read(tx, actor, other):
        error = Conflict(f"{what} is already registered (officer {other})",
                         code="already_registered")
    else:
        error = Conflict(f"{what} is already registered in the national registry",
                         code="already_registered")
    error.audit_entry = refusal_entry(actor, attempted, "officer", resource_id, error,
                                      officer_id=other)
    raise error


def _add_badge(
    tx: Transaction, officer_id: int, agency_id: int, number: str, start: date | None,
    end: date | None,
) -> int:
    number = number.strip()
    holder = tx.officers.badge_holder(agency_id, number, start or tx.today)
    if holder is not None and holder != officer_id:
        raise Conflict(f"badge {number} is held by officer {holder} in that agency")
    return tx.officers.add_badge(
        officer_id=officer_id, agency_id=agency_id, number=number, start_date=start,
        end_date=end,
    )


def career_of(tx: Transaction, officer_id: int) -> Career:
    """The officer with their postings and badges (two statements), or NotFound."""
    career = tx.officers.career(officer_id)
    if career is None:
        raise NotFound(f"officer {officer_id} does not exist")
    return career


def career_or_missing(tx: Transaction, actor: Actor, officer_id: int) -> Career:
    """The officer with their postings and badges; for an id merged into another record,
    OfficerMerged (so that a page can lead to the survivor), else NotFound."""
    career = tx.officers.career(officer_id)
    if career is None:
        raise _missing(tx, actor, officer_id)
    return career


class OfficerMerged(NotFound):
    """The officer's record was folded into another by a confirmed match (ADR 0027): the id
    leads to the survivor. A NotFound still, for every caller that only asks whether the
    record is there; the profile's page and API answer it with a redirect."""

    def __init__(self, merge: MergeRecord) -> None:
        super().__init__(
            f"officer {merge.merged_id} was merged into officer {merge.survivor_id} on "
            f"{merge.merged_at.date().isoformat()} by {merge.merged_by}", code="officer_merged")
        self.merge = merge


def _missing(tx: Transaction, actor: Actor, officer_id: int) -> NotFound:
    """Why an officer id names no record: merged into a survivor whom the actor may read
    (OfficerMerged), or absent. A reader outside the survivor's holder is refused as if they
    had asked for the survivor (and the refusal is recorded): the redirect would name a record
    they may not see."""
    merge = tx.identities.merge_of(officer_id)
    if merge is None:
        return NotFound(f"officer {officer_id} does not exist")
    survivor = tx.officers.career(merge.survivor_id)
    if survivor is None:  # a merge table that outlived its survivor: nothing to lead to
        return NotFound(f"officer {officer_id} does not exist")
    require(actor, Permission.OFFICER_READ, career_holder(tx, survivor),
            resource_type="officer", resource_id=merge.survivor_id)
    return OfficerMerged(merge)


def merge_into(uow: UnitOfWork, actor: Actor, merged_id: int,
               survivor_id: int) -> MergeRecord | None:
    """The merge that folded `merged_id` into `survivor_id` (for the notice on the survivor's
    page), or None if it did not. Reads ids, a date and a username, no one's personal data:
    not recorded, beyond the survivor's own read."""
    with uow.transaction() as tx:
        require(actor, Permission.OFFICER_READ, resource_type="officer",
                resource_id=survivor_id)
        merge = tx.identities.merge_of(merged_id)
    return merge if merge is not None and merge.survivor_id == survivor_id else None


def career_holder(tx: Transaction, career: Career) -> Holder:
    """Who holds the record, from the postings already read (`holder` would read them again);
    an applicant, never posted, is asked about (the agency that last asked to evaluate them)."""
    postings = holding_postings(career.assignments)
    if not postings:
        return tx.officers.applicant_holder(career.officer.id)
    states = (career.agencies[a.agency_id].state_code for a in postings)
    return Holder(agency_ids=frozenset(a.agency_id for a in postings),
                  state_codes=frozenset(s for s in states if s))


def _profile(tx: Transaction, officer_id: int, career: Career | None = None,
             history: list[StatusChange] | None = None) -> OfficerProfile:
    """The profile of an officer; `career` when the caller has just read it."""
    career = career or career_of(tx, officer_id)
    return OfficerProfile(career.officer, career.assignments, career.badges,
                          tx.officers.identifiers(officer_id), career.agencies,
                          career.unit_names, history)


#: The permission each section of the record needs, within the officer's holder.
SECTION_PERMISSION: dict[RecordSection, Permission] = {
    RecordSection.IDENTITY: Permission.OFFICER_READ,
    RecordSection.CONTACTS: Permission.OFFICER_SENSITIVE_READ,
    RecordSection.CERTIFICATE: Permission.CUP_READ,
    RecordSection.EVALUATIONS: Permission.EVALUATION_READ,
    RecordSection.STATUS_HISTORY: Permission.OFFICER_READ,
    RecordSection.INTEGRITY: Permission.CASE_STAGE_READ,
    RecordSection.OUTSIDE_SANCTIONS: Permission.OUTSIDE_SANCTIONS_READ,
}


def read_record(
    uow: UnitOfWork, actor: Actor, officer_id: int, sections: Collection[RecordSection] = (),
    *, purpose: str | None = None,
) -> OfficerRecord:
    """An officer's record as their page shows it: the profile (identity, postings, badges,
    external ids) and each further section of `sections`, read in one transaction and recorded
    in ONE audit entry that names every section read (ADR 0024).

    Each section needs its own permission within the officer's holder, as when it was read on
    its own; contact data also needs a declared purpose, which the entry keeps. The entry's
    action is `officer:contact:read` when contact data is revealed (the act an auditor looks
    for by that name), `officer:identity:read` otherwise; its detail lists the sections (when
    there are more than the identity), the number of contact items, the evaluations shown and
    the integrity cases shown and offered, as the separate entries did."""
    wanted = {RecordSection.IDENTITY, *sections}
    with uow.transaction() as tx:
        # The sections are read together (on PostgreSQL, one message where there were six
        # round trips): those the actor may read whoever holds the record (a national scope)
        # at once; the others only once the holder is known and the section allowed.
        anywhere = {s for s in wanted if actor.scope.covers_every_holder()
                    and actor.has(SECTION_PERMISSION[s])}
        tx.read_ahead(tx.officers.record_reads(
            officer_id, history=RecordSection.STATUS_HISTORY in wanted),
            *_section_reads(tx, officer_id, anywhere))
        career = career_or_missing(tx, actor, officer_id)  # OfficerMerged for a merged id
        holder = career_holder(tx, career)
        for section in RecordSection:
            if section in wanted:
                require(actor, SECTION_PERMISSION[section], holder, resource_type="officer",
                        resource_id=officer_id)
        tx.read_ahead(*_section_reads(tx, officer_id, wanted - anywhere))
        detail: dict[str, object] = {**sections_detail(wanted)}
        declared = contacts = certification = evaluations = None
        if RecordSection.CONTACTS in wanted:
            declared = _check_purpose(purpose)
            contacts = tx.officers.contacts(officer_id)
            detail["items"] = len(contacts)
        if RecordSection.CERTIFICATE in wanted:
            certification = certification_view(tx, officer_id)
        if RecordSection.EVALUATIONS in wanted:
            evaluations = tx.evaluations.of_officer(officer_id)
            detail["evaluations"] = [e.id for e in evaluations]
        history = (tx.officers.status_history(officer_id)
                   if RecordSection.STATUS_HISTORY in wanted else None)
        integrity = None
        if RecordSection.INTEGRITY in wanted:
            integrity = cases_on_record(tx, actor, officer_id)
            detail.update(section_detail(integrity))
        outside = None
        if RecordSection.OUTSIDE_SANCTIONS in wanted:
            outside = tx.outside_sanctions.of_officer(officer_id)
            detail["outside_sanctions"] = [s.id for s in outside]
        action = (AuditAction.OFFICER_CONTACT_READ if contacts is not None
                  else AuditAction.OFFICER_READ)
        tx.audit.record(actor, action, "officer", officer_id, purpose=declared, detail=detail)
        return OfficerRecord(_profile(tx, officer_id, career, history), contacts,
                             certification, evaluations, integrity, outside)


def _section_reads(tx: Transaction, officer_id: int, sections: Collection[RecordSection]
                   ) -> list[ReadAhead]:
    """The reads of the record's further sections among `sections`, to send ahead."""
    reads: list[ReadAhead] = []
    if RecordSection.CERTIFICATE in sections:
        reads.append(tx.certification.certification_reads(officer_id))
    if RecordSection.EVALUATIONS in sections:
        reads.append(tx.evaluations.of_officer_reads(officer_id))
    return reads


def get_officer(uow: UnitOfWork, actor: Actor, officer_id: int) -> OfficerProfile:
    """The officer's profile with their status history (the API's answer): `read_record` of
    those two sections."""
    return read_record(uow, actor, officer_id, (RecordSection.STATUS_HISTORY,)).profile


def search_officers(
    uow: UnitOfWork, actor: Actor, query: OfficerQuery, *, cursor: str | None = None,
    limit: int = 50,
) -> Page[Officer]:
    """Search by name (its words in any order, the last one possibly cut short: ADR 0028),
    CURP, badge, agency (now, or ever), status, external id or any identity key, a page at a
    time.

    The entry records which criteria were used and which officers were returned, never the typed
    values: the trail must say whom a user looked at without itself holding personal data.
    """
    after = decode_cursor(cursor)
    with uow.transaction() as tx:
        require(actor, Permission.OFFICER_SEARCH, resource_type="officer")
        if query.agency_id is not None:
            agency = tx.agencies.get(query.agency_id)
            if agency is None:
                raise NotFound(f"agency {query.agency_id} does not exist")
            require(actor, Permission.OFFICER_SEARCH, holder_of(agency), resource_type="agency",
                    resource_id=agency.id)
        criteria = SearchCriteria(
            name=_name(query.name),
            curp=query.curp.strip().upper() if query.curp else None,
            badge=query.badge.strip() if query.badge else None,
            agency_id=query.agency_id,
            ever_served=query.ever_served and query.agency_id is not None,
            status=query.status,
            identifier=query.identifier,
            key=query.key.strip() or None if query.key else None,
        )
        rows = tx.officers.search(criteria, actor.scope, after=after, limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        officers = [o for _, o in rows]
        tx.audit.record(
            actor, AuditAction.OFFICER_SEARCH, "officer", None,
            detail={"criteria": query.used(), "results": [o.id for o in officers]},
        )
        next_cursor = encode_cursor((rows[-1][0], rows[-1][1].id)) if more and rows else None
        return Page(officers, next_cursor)


def _name(typed: str | None) -> NameQuery | None:
    """The typed name as the store looks for it; a name with no letter or digit is refused
    (it would match nobody, or everybody)."""
    if not typed or not typed.strip():
        return None
    name = parse_name(typed)
    if name is None:
        raise ValidationFailed(FieldError("name", "holds no letter or digit"))
    return name


def update_officer(
    uow: UnitOfWork, actor: Actor, officer_id: int, changes: OfficerChanges
) -> OfficerProfile:
    with uow.transaction() as tx:
        officer = _get(tx, officer_id)
        require(actor, Permission.OFFICER_WRITE, officer_holder(tx, officer_id),
                resource_type="officer", resource_id=officer_id)
        tx.officers.lock(officer_id)
        # The changed fields over the current ones, checked together: a new birth date must
        # still agree with the CURP, and so on.
        given = clean_name(_pick(changes.given_names, officer.given_names))
        first = clean_name(_pick(changes.first_surname, officer.first_surname))
        second_raw = _pick(changes.second_surname, officer.second_surname)
        second = clean_name(second_raw) if second_raw else None
        birth = _pick(changes.birth_date, officer.birth_date)
        sex = _pick(changes.sex, officer.sex)
        errors = ErrorCollector()
        curp = check_identity(
            curp=_pick(changes.curp, officer.curp), given_names=given, first_surname=first,
            second_surname=second, birth_date=birth, birth_year=None, sex=sex,
            today=tx.today, errors=errors,
        )
        errors.raise_if_any()
        if curp is not None and curp != officer.curp:
            other = tx.officers.id_by_curp(curp)
            if other is not None and other != officer_id:
                _already_registered(tx, actor, AuditAction.OFFICER_UPDATE, "this CURP", other,
                                    resource_id=officer_id)
        changed = sorted(k for k, v in vars(changes).items() if v is not None)
        tx.officers.update(officer_id, curp=curp, given_names=given, first_surname=first,
                           second_surname=second, birth_date=birth, sex=sex, now=tx.now)
        tx.audit.record(actor, AuditAction.OFFICER_UPDATE, "officer", officer_id,
                        detail={"fields": changed})
        return _profile(tx, officer_id)


def _pick(new: T | None, current: T) -> T:
    return current if new is None else new


def change_status(
    uow: UnitOfWork, actor: Actor, officer_id: int, status: OfficerStatus, reason: str,
    on: date | None = None, separation_reason: ChangeReason | None = None,
) -> OfficerProfile:
    """Change an officer's status; a separation or death also closes the open assignments
    (a separation with `separation_reason`: a dismissal, a resignation in lieu of one ...)."""
    with uow.transaction() as tx:
        officer = _get(tx, officer_id)
        require(actor, Permission.OFFICER_WRITE, officer_holder(tx, officer_id),
                resource_type="officer", resource_id=officer_id)
        errors = ErrorCollector()
        if len(reason.strip()) < 5:
            errors.add("reason", "say why the status changes (at least 5 characters)")
        effective = on or tx.today
        if effective > tx.today:
            errors.add("on", f"{effective.isoformat()} is in the future")
        if separation_reason is not None and (
                status is not OfficerStatus.SEPARATED
                or separation_reason not in SEPARATION_REASONS
                or separation_reason is ChangeReason.DEATH):
            allowed = ", ".join(sorted(r.value for r in SEPARATION_REASONS
                                       if r is not ChangeReason.DEATH))
            errors.add("separation_reason", f"goes with status separated, and is one of "
                       f"{allowed}")
        errors.raise_if_any()
        standing = tx.certification.standing(officer_id)
        if (status is OfficerStatus.ACTIVE and standing is not None
                and standing.last_verdict is Verdict.NOT_APPROVED
                and standing.approved_until is None):
            # The gap the real system left open: officers who failed went back on duty.
            raise Conflict(f"officer {officer_id} was not approved in evaluation "
                           f"{standing.last_evaluation_id}; only an appeal or a new approved "
                           "evaluation returns them to duty")
        apply_status(tx, actor, officer, status, reason.strip(), effective,
                     separation_reason=separation_reason)
        return _profile(tx, officer_id)


def apply_status(
    tx: Transaction, actor: Actor, officer: Officer, status: OfficerStatus, reason: str,
    effective: date, detail: dict[str, object] | None = None,
    separation_reason: ChangeReason | None = None,
) -> None:
    """Change a status inside the caller's transaction (authorization already decided): a
    separation or a death also closes the open assignments; the status history gets its
    line. Shared with the trust-control consequences, which change statuses as part of a
    decision."""
    if status not in STATUS_TRANSITIONS[officer.status]:
        raise InvalidTransition(f"an officer who is {officer.status} cannot become {status}")
    tx.officers.lock(officer.id)
    if status in (OfficerStatus.SEPARATED, OfficerStatus.DECEASED):
        end_reason = (separation_reason or ChangeReason.SEPARATION
                      if status is OfficerStatus.SEPARATED else ChangeReason.DEATH)
        for a in tx.officers.assignments(officer.id):
            if a.end_date is None:
                if effective <= a.start_date:
                    raise Conflict(f"assignment {a.id} starts on {a.start_date}, not before "
                                   f"{effective}")
                tx.officers.close_assignment(a.id, effective, end_reason)
    tx.officers.set_status(officer.id, status, tx.now)
    tx.officers.add_status_change(officer.id, status, effective, reason, actor.username, tx.now)
    credentials.officer_status_changed(tx, actor, officer.id, status)
    extra = {"separation_reason": separation_reason.value} if separation_reason else {}
    tx.audit.record(
        actor, AuditAction.OFFICER_UPDATE, "officer", officer.id,
        detail={"status": {"from": officer.status.value, "to": status.value},
                "on": effective.isoformat(), "reason": reason, **extra, **(detail or {})},
    )


def follow_postings(
    tx: Transaction, actor: Actor, officer: Officer, effective: date, reason: str
) -> dict[str, object]:
    """Bring the person's status in line with their postings after a posting opened or
    closed, inside the caller's transaction (ADR 0025): the last posting ended by a
    separation separates the person, a new posting of a separated person makes them active
    again; a status set apart stays. Returns what the caller's one audit entry says of it
    (nothing when the status stays)."""
    postings = tx.officers.assignments(officer.id)
    status = status_from_postings(
        officer.status, posted=bool(postings),
        open_posting=any(a.end_date is None for a in postings))
    if status is officer.status:
        return {}
    tx.officers.set_status(officer.id, status, tx.now)
    tx.officers.add_status_change(officer.id, status, effective, reason, actor.username, tx.now)
    credentials.officer_status_changed(tx, actor, officer.id, status)
    return {"status": {"from": officer.status.value, "to": status.value}}


def _check_purpose(purpose: str | None) -> str:
    if purpose is None or len(purpose.strip()) < PURPOSE_MIN:
        raise PurposeRequired(
            f"declare why you need this officer's contact data (at least {PURPOSE_MIN} characters)"
        )
    if len(purpose) > 500:
        raise PurposeRequired("the declared purpose is longer than 500 characters")
    return purpose.strip()


def reveal_contacts(
    uow: UnitOfWork, actor: Actor, officer_id: int, purpose: str | None
) -> list[Contact]:
    """Show an officer's phones and address; only with a declared purpose, always recorded."""
    with uow.transaction() as tx:
        _get(tx, officer_id)
        require(actor, Permission.OFFICER_SENSITIVE_READ, officer_holder(tx, officer_id),
                resource_type="officer", resource_id=officer_id)
        declared = _check_purpose(purpose)
        contacts = tx.officers.contacts(officer_id)
        tx.audit.record(actor, AuditAction.OFFICER_CONTACT_READ, "officer", officer_id,
                        purpose=declared, detail={"items": len(contacts)})
        return contacts


def set_contacts(
    uow: UnitOfWork, actor: Actor, officer_id: int, contacts: list[Contact]
) -> None:
    with uow.transaction() as tx:
        _get(tx, officer_id)
        require(actor, Permission.OFFICER_SENSITIVE_WRITE, officer_holder(tx, officer_id),
                resource_type="officer", resource_id=officer_id)
        errors = ErrorCollector()
        for i, c in enumerate(contacts):
            if not c.value.strip() or len(c.value) > 300:
                errors.add(f"contacts[{i}].value", "must be 1 to 300 characters")
            if c.kind is ContactKind.PHONE and not _looks_like_phone(c.value):
                errors.add(f"contacts[{i}].value", "is not a phone number (digits, +, spaces)")
        errors.raise_if_any()
        tx.officers.replace_contacts(officer_id, contacts)
        tx.audit.record(actor, AuditAction.OFFICER_CONTACT_UPDATE, "officer", officer_id,
                        detail={"items": len(contacts)})


def _looks_like_phone(value: str) -> bool:
    digits = [c for c in value if c.isdigit()]
    return 7 <= len(digits) <= 15 and all(c.isdigit() or c in "+-() ." for c in value)
