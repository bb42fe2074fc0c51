"""A simulated quarter of ordinary work, done through the roles' real use cases (issue 19 §3,
ADR 0037), so that the trail it leaves is the one the product writes.

Staff accounts are made for it (`sim-*`): agency HR for the agencies with most officers on the
alert list, a coordinator and examiners at each of their states' centres, certification
officers, registry clerks, an auditor. Each working day, at times of the working day, they do
what their roles do: HR works through its alert list and notifications, asks for evaluations,
browses its roster and opens officers from it, reveals contact data for a declared purpose and
acts on it; coordinators book the requested evaluations; examiners open and record their exams;
certification officers decide and confirm; clerks search and open; the auditor reviews the
records whose contact data was revealed. A small share of reads is made outside any workflow
the registry knows of (`OUTSIDE_RATE`: a phone call, a paper file): ordinary work has those too,
and they are what explanation cannot explain.

The clock is the caller's: `set_time` moves it before every act, never backwards.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, TypeVar

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, ScopeKind
from confianza.accounts.service.users import NewUser, create_user
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import appeals, coverage, decisions
from confianza.core.errors import DomainError
from confianza.credentials.rules.issuer import Issuer
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import RecordSection
from confianza.trail.service import access_history
from confianza.vetting.rules.evaluations import EvaluationKind, EvaluationStatus, ExamType
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.vetting.service import centres, evaluations, exams
from confianza.work import UnitOfWork

#: Reads made from outside any workflow the registry holds, per HR account and working day.
OUTSIDE_RATE = 0.25
#: Minutes between one person's acts. The staff's sessions run one after another on the day's
#: one clock (the trail is written in time order), where real people work side by side: at
#: half a minute to six the day's three hundred acts ran on to 21:00, even past midnight, and
#: ordinary work was scored as reads outside working hours. At this pace each session takes
#: minutes and the day's sessions start at their own hours, within the working day.
PACE = (0.25, 1.5)
PASSWORD = "simulated work, never signed in"
T = TypeVar("T")

PASS: dict[ExamType, dict[str, object]] = {
    ExamType.TOXICOLOGY: {"chain_of_custody_id": "CC-SIM-0001", "panel": {
        "cannabinoids": "negative", "cocaine": "negative", "amphetamines": "negative",
        "methamphetamines": "negative", "benzodiazepines": "negative"}},
    ExamType.POLYGRAPH: {"topics": ["drug_use", "bribery"], "outcome": "no_significant_reaction"},
    ExamType.PSYCHOLOGICAL: {"instruments": ["mmpi-2", "structured_interview"],
                             "outcome": "suitable"},
    ExamType.MEDICAL: {"outcome": "fit"},
    ExamType.SOCIOECONOMIC: {"declared_income": 18000, "assets": 250000, "debts": 40000,
                             "monthly_spending": 15000, "household_size": 4,
                             "outcome": "consistent"},
}
UNFIT: dict[str, object] = {"outcome": "unfit"}
GROUNDS = "Examen médico no apto, confirmado por el servicio médico del centro evaluador."
PURPOSE = "Actualizar el domicilio del elemento para su notificación de evaluación."


@dataclass
class Staff:
    hr: list[tuple[Actor, int]] = field(default_factory=list)  # (account, its agency)
    states: dict[int, str] = field(default_factory=dict)  # agency -> its state's code
    coordinators: list[tuple[Actor, int]] = field(default_factory=list)  # (account, centre)
    examiners: dict[int, list[Actor]] = field(default_factory=dict)  # centre -> examiners
    certifiers: list[Actor] = field(default_factory=list)
    clerks: list[Actor] = field(default_factory=list)
    auditors: list[Actor] = field(default_factory=list)


@dataclass
class SimulationReport:
    first: date
    last: date
    days: int
    accounts: int
    acts: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)


class _Day:
    """The acts of one working day, on the caller's clock (minutes apart, never backwards)."""

    def __init__(self, day: date, zone: tzinfo, set_time: Callable[[datetime], None],
                 rng: random.Random) -> None:
        self.now = datetime.combine(day, time(8, 0), zone)
        self.end = datetime.combine(day, time(18, 30), zone)
        self.set_time = set_time
        self.rng = rng
        set_time(self.now)

    def at(self, hour: float) -> None:
        """Start a session of work at this hour of the day (or now, if later)."""
        wanted = datetime.combine(self.now.date(), time(0), self.now.tzinfo) + timedelta(
            hours=hour)
        if wanted > self.now:
            self.now = wanted
            self.set_time(self.now)

    def tick(self) -> None:
        self.now += timedelta(minutes=self.rng.uniform(*PACE))
        self.set_time(self.now)


def _person(uow: UnitOfWork, operator: Actor, username: str, role: Role,
            scope: Scope = Scope()) -> Actor:
    user = create_user(uow, operator, NewUser(username, username.replace("-", " ").title(),
                                              PASSWORD, role, scope))
    return Actor(user.id, username, role, scope, ActorKind.USER)


def hire_staff(uow: UnitOfWork, operator: Actor, *, agencies: int, rng: random.Random) -> Staff:
    """The simulation's accounts: HR for the `agencies` agencies with most officers on the
    national alert list (whose states have a centre), and the staff around them."""
    centre_by_state = {c.state_code: c for c in centres.list_centres(uow, operator)
                       if c.active and c.state_code}
    alerts = coverage.alert_list(uow, operator, limit=5000).items
    counts = Counter(line.agency_id for line in alerts if line.state_code in centre_by_state)
    chosen = [agency for agency, _ in counts.most_common(agencies)]
    staff = Staff()
    for n, agency_id in enumerate(chosen, 1):
        staff.hr.append((_person(uow, operator, f"sim-hr-{n:02}", Role.AGENCY_HR,
                                 Scope(ScopeKind.AGENCY, agency_id=agency_id)), agency_id))
    staff.states = {line.agency_id: line.state_code for line in alerts
                    if line.agency_id in chosen and line.state_code}
    states = sorted(set(staff.states.values()))
    for state in states:
        centre = centre_by_state[state]
        coordinator = _person(uow, operator, f"sim-coordinator-{state}",
                              Role.CENTRE_COORDINATOR, Scope(ScopeKind.STATE, state))
        staff.coordinators.append((coordinator, centre.id))
        staff.examiners[centre.id] = []
        for n in range(1, 4):
            examiner = _person(uow, operator, f"sim-examiner-{state}-{n}", Role.EXAMINER,
                               Scope(ScopeKind.STATE, state))
            centres.set_examiner(uow, operator, centre.id, examiner.user_id or 0,
                                 frozenset(ExamType))
            staff.examiners[centre.id].append(examiner)
    staff.certifiers = [_person(uow, operator, f"sim-certifier-{n}",
                                Role.CERTIFICATION_OFFICER) for n in range(1, 4)]
    staff.clerks = [_person(uow, operator, f"sim-clerk-{n}", Role.REGISTRY_CLERK)
                    for n in range(1, 3)]
    staff.auditors = [_person(uow, operator, "sim-auditor-1", Role.AUDITOR)]
    return staff


def working_days(first: date, days: int) -> list[date]:
    return [d for d in (first + timedelta(days=n) for n in range(days)) if d.weekday() < 5]


def simulate(uow: UnitOfWork, operator: Actor, *, first: date, days: int, seed: int,
             zone: tzinfo, set_time: Callable[[datetime], None], policy: WorkflowPolicy,
             issuer: Issuer | None, agencies: int = 8,
             progress: Callable[[date], None] | None = None,
             extra: Extra | None = None) -> SimulationReport:
    """`days` calendar days of ordinary work from `first`, working days only. `extra` adds
    sessions of its own to each working day, among the staff's (planted insiders)."""
    rng = random.Random(seed)
    set_time(datetime.combine(first, time(7, 0), zone))
    staff = hire_staff(uow, operator, agencies=agencies, rng=rng)
    accounts = (len(staff.hr) + len(staff.coordinators) + len(staff.certifiers)
                + len(staff.clerks) + len(staff.auditors)
                + sum(len(e) for e in staff.examiners.values()))
    report = SimulationReport(first, first + timedelta(days=days - 1), days, accounts)
    work = _Work(uow, staff, rng, policy, issuer, report)
    for n, day in enumerate(working_days(first, days)):
        clock = _Day(day, zone, set_time, rng)
        work.day(clock, extra(work, n) if extra is not None else [])
        if progress is not None:
            progress(day)
    return report


#: A session of work at an hour of the day: called with the day's clock.
Session = tuple[float, Callable[["_Day"], None]]
#: Extra sessions for the n-th working day, given the day's work (its staff and acts).
Extra = Callable[["_Work", int], Sequence[Session]]


class _Work:
    def __init__(self, uow: UnitOfWork, staff: Staff, rng: random.Random,
                 policy: WorkflowPolicy, issuer: Issuer | None,
                 report: SimulationReport) -> None:
        self.uow, self.staff, self.rng = uow, staff, rng
        self.policy, self.issuer, self.report = policy, issuer, report
        #: agency -> (officer, CURP) seen on its roster once: the requests and calls of later
        #: days are about them.
        self.known: dict[int, list[tuple[int, str | None]]] = {}
        self.revealed: list[int] = []  # officers whose contact data was revealed

    def act(self, what: str, call: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """One use case; a refusal (a full centre, an evaluation already under way) is part of
        ordinary work, counted and let go."""
        try:
            found = call(self.uow, *args, **kwargs)
        except DomainError:
            self.report.refused[what] += 1
            return None
        self.report.acts[what] += 1
        return found

    def day(self, clock: _Day, extra: Sequence[Session] = ()) -> None:
        sessions: list[tuple[float, Callable[..., None], tuple[Any, ...]]] = [
            (hour, session, ()) for hour, session in extra]
        rng = self.rng
        for actor, agency in self.staff.hr:
            sessions.append((rng.uniform(8, 10), self.hr_morning, (actor, agency)))
            sessions.append((rng.uniform(12, 16), self.hr_afternoon, (actor, agency)))
        for actor, centre in self.staff.coordinators:
            sessions.append((rng.uniform(9, 12), self.coordinate, (actor, centre)))
        for examiners in self.staff.examiners.values():
            for actor in examiners:
                sessions.append((rng.uniform(8, 11), self.examine, (actor,)))
        for n, actor in enumerate(self.staff.certifiers):
            sessions.append((rng.uniform(10, 17), self.certify, (actor, n)))
        for actor in self.staff.clerks:
            sessions.append((rng.uniform(9, 17), self.clerk, (actor,)))
        for actor in self.staff.auditors:
            sessions.append((rng.uniform(15, 17.5), self.audit, (actor,)))
        for hour, session, args in sorted(sessions, key=lambda s: s[0]):
            clock.at(hour)
            session(clock, *args)

    def read(self, clock: _Day, actor: Actor, officer_id: int,
             sections: tuple[RecordSection, ...] = (RecordSection.CERTIFICATE,
                                                    RecordSection.EVALUATIONS)) -> None:
        clock.tick()
        self.act("read record", officer_service.read_record, actor, officer_id, sections)

    # Agency HR ---------------------------------------------------------------------------

    def hr_morning(self, clock: _Day, actor: Actor, agency: int) -> None:
        if self.known.get(agency) and self.rng.random() < OUTSIDE_RATE:
            # A phone call about an officer seen on the roster days ago: no list, no task.
            self.read(clock, actor, self.rng.choice(self.known[agency])[0])
        page = self.act("alert list", coverage.alert_list, actor,
                        coverage.ListFilter(agency_id=agency), limit=25)
        lines = page.items if page is not None else []
        for line in self.rng.sample(lines, min(len(lines), self.rng.randint(1, 4))):
            self.read(clock, actor, line.officer_id)
            if self.rng.random() < 0.5:
                clock.tick()
                self.act("request evaluation", evaluations.request_evaluation, actor,
                         evaluations.EvaluationRequest(line.officer_id, agency,
                                                       EvaluationKind.PERMANENCE),
                         policy=self.policy)
        clock.tick()
        notices = self.act("notifications", appeals.list_notifications, actor,
                           agency_id=agency, unread_only=True, limit=20)
        for notice in (notices or [])[:5]:
            self.read(clock, actor, notice.officer_id)
            clock.tick()
            self.act("notification read", appeals.mark_notification_read, actor, notice.id)

    def hr_afternoon(self, clock: _Day, actor: Actor, agency: int) -> None:
        clock.tick()
        roster = self.act("roster page", agency_service.roster_page, actor, agency, limit=50)
        lines = roster.lines if roster is not None else []
        if lines and agency not in self.known:
            self.known[agency] = [(line.officer_id, line.curp) for line in lines]
        for line in self.rng.sample(lines, min(len(lines), self.rng.randint(0, 2))):
            self.read(clock, actor, line.officer_id)
        if lines and self.rng.random() < 0.3:
            chosen = self.rng.choice(lines)
            clock.tick()
            contacts = self.act("contacts revealed", officer_service.reveal_contacts, actor,
                                chosen.officer_id, PURPOSE)
            if contacts is not None:
                self.revealed.append(chosen.officer_id)
                clock.tick()
                self.act("contacts updated", officer_service.set_contacts, actor,
                         chosen.officer_id, contacts)

    # Trust control -----------------------------------------------------------------------

    def coordinate(self, clock: _Day, actor: Actor, centre: int) -> None:
        page = self.act("requests to book", evaluations.list_evaluations, actor,
                        statuses=(EvaluationStatus.REQUESTED,), limit=20)
        examiners = self.staff.examiners[centre]
        for line in page.items if page is not None else []:
            clock.tick()
            view = self.act("evaluation read", evaluations.get_evaluation, actor,
                            line.evaluation.id)
            if view is None:
                continue
            for ahead in range(1, 10):
                day = clock.now.date() + timedelta(days=ahead)
                if day.weekday() >= 5:
                    continue
                bookings = {e.exam_type: evaluations.ExamBooking(
                    self.rng.choice(examiners).user_id or 0, day) for e in view.exams}
                clock.tick()
                if self.act("evaluation booked", evaluations.schedule_evaluation, actor,
                            view.evaluation.id, centre, bookings) is not None:
                    break

    def examine(self, clock: _Day, actor: Actor) -> None:
        tasks = self.act("exam queue", exams.examiner_queue, actor) or []
        for task in tasks:
            if task.exam.scheduled_on is None or task.exam.scheduled_on > clock.now.date():
                continue
            clock.tick()
            self.act("exam opened", exams.get_exam, actor, task.evaluation_id,
                     task.exam.exam_type)
            fields = (UNFIT if task.exam.exam_type is ExamType.MEDICAL
                      and self.rng.random() < 0.05 else PASS[task.exam.exam_type])
            clock.tick()
            self.act("exam recorded", exams.record_exam, actor, task.evaluation_id,
                     task.exam.exam_type, fields)

    def certify(self, clock: _Day, actor: Actor, n: int) -> None:
        status = (EvaluationStatus.AWAITING_CONFIRMATION if n == 0
                  else EvaluationStatus.AWAITING_DECISION)
        page = self.act("decisions to take", evaluations.list_evaluations, actor,
                        statuses=(status,), limit=10)
        for line in (page.items if page is not None else [])[:6]:
            clock.tick()
            view = self.act("evaluation results read", evaluations.get_evaluation, actor,
                            line.evaluation.id)
            if view is None:
                continue
            clock.tick()
            if status is EvaluationStatus.AWAITING_CONFIRMATION:
                self.act("decision confirmed", decisions.confirm, actor, view.evaluation.id,
                         agree=True, policy=self.policy, issuer=self.issuer)
                continue
            adverse = any(e.outcome == "unfit" for e in view.exams)
            verdict = Verdict.NOT_APPROVED if adverse else Verdict.APPROVED
            self.act("decided", decisions.decide, actor, view.evaluation.id, verdict,
                     GROUNDS if verdict is Verdict.NOT_APPROVED else "",
                     policy=self.policy, issuer=self.issuer)

    # The registry and its oversight ------------------------------------------------------

    def clerk(self, clock: _Day, actor: Actor) -> None:
        known = [o for officers in self.known.values() for o in officers if o[1]]
        for _ in range(self.rng.randint(2, 5) if known else 0):
            _, curp = self.rng.choice(known)
            clock.tick()
            # A request about one officer names them by CURP: the clerk searches, then opens.
            page = self.act("search", officer_service.search_officers, actor,
                            officer_service.OfficerQuery(curp=curp))
            for found in (page.items if page is not None else [])[:1]:
                self.read(clock, actor, found.id, (RecordSection.CERTIFICATE,))

    def audit(self, clock: _Day, actor: Actor) -> None:
        for officer in self.revealed[-3:]:
            clock.tick()
            self.act("access history", access_history.officer_access, actor, officer)
        self.revealed.clear()
