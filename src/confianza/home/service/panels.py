"""What needs each person's attention now: the panels of the home page, one set per role.

A home is read in one transaction: counts and the first few items of each panel, never a whole
list (the pages behind the panels page through those). Its cost is bounded whatever the size of
the force: long lists are counted up to `COUNT_CAP` ("1,000 or more"), and the panels read from
the trail look at a bounded stretch of it (home/service/trail.py).

Which panels a person sees follows their role (`PANELS`); each panel is authorised by `require`
for the permission its list page needs, and a panel whose permission the role does not hold is
left out (the home never fails for it). A panel that names officers or people is audited as its
list page is (the same action, `"view": "home"` in the detail); a panel that names nobody writes
nothing, so an idle home refreshing itself does not fill the trail with empty reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from confianza.access.rules.alerts import Outcome
from confianza.accounts.rules.permissions import Actor, Holder, Permission, Role, ScopeKind
from confianza.accounts.rules.users import User
from confianza.accounts.service.authorization import require
from confianza.certification.rules.decisions import add_months
from confianza.certification.service.coverage import alert_line, reevaluation_line
from confianza.home.service import trail as home_trail
from confianza.integrity.rules.catalogue import Duty
from confianza.integrity.rules.records import Case
from confianza.integrity.rules.stages import Due, Stage, due
from confianza.registry.rules.agencies import Agency
from confianza.registry.service.agencies import holder_of
from confianza.risk.rules.records import Flag
from confianza.trail.rules import AuditAction
from confianza.vetting.rules.evaluations import EvaluationKind, EvaluationStatus
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.vetting.rules.records import Appeal, Evaluation, Exam
from confianza.vetting.service.evaluations import EvaluationLine
from confianza.work import Transaction, UnitOfWork

COUNT_CAP = 1_000  # long lists are counted up to here
ITEMS = 5  # items shown per panel
CLOSED_WINDOW = 2_000  # newest not-approved evaluations examined for the recent ones
RECENT_DAYS = 30


class PanelName(StrEnum):
    EXAMS_PENDING = "exams_pending"
    TO_SCHEDULE = "to_schedule"
    AGENDA_TODAY = "agenda_today"
    TO_DECIDE = "to_decide"
    TO_CONFIRM = "to_confirm"
    APPEALS = "appeals"
    ALERTS = "alerts"
    EXPIRING = "expiring"
    NOTIFICATIONS = "notifications"
    SEPARATIONS = "separations"
    NOT_APPROVED = "not_approved"
    MY_CHANGES = "my_changes"
    MY_RESERVED_READS = "my_reserved_reads"
    ACCESS_REPORTS = "access_reports"
    SENSITIVE_READS = "sensitive_reads"
    REFUSALS = "refusals"
    FAILED_SIGN_INS = "failed_sign_ins"
    ACCOUNTS = "accounts"
    AGENCIES = "agencies"
    # Integrity cases (ADR 0030) and early intervention (ADR 0034).
    MY_CASES = "my_cases"
    TO_ASSIGN = "cases_to_assign"
    CASES_LATE = "cases_late"
    FINDINGS_DUE = "findings_due"
    FINDINGS_TO_CONFIRM = "findings_to_confirm"
    CASE_APPEALS = "case_appeals"
    FLAGS = "flags"
    # Alerts on unexplained reads, for auditors (ADR 0037).
    ACCESS_ALERTS = "access_alerts"


_N = PanelName
PANELS: dict[Role, tuple[PanelName, ...]] = {
    Role.REGISTRY_CLERK: (_N.MY_CHANGES,),
    Role.AGENCY_HR: (_N.ALERTS, _N.EXPIRING, _N.NOTIFICATIONS, _N.SEPARATIONS, _N.FLAGS),
    Role.CENTRE_COORDINATOR: (_N.TO_SCHEDULE, _N.AGENDA_TODAY),
    Role.EXAMINER: (_N.EXAMS_PENDING,),
    Role.CERTIFICATION_OFFICER: (_N.TO_DECIDE, _N.TO_CONFIRM, _N.APPEALS),
    Role.INTERNAL_AFFAIRS: (_N.MY_CASES, _N.NOT_APPROVED, _N.MY_RESERVED_READS),
    Role.INTERNAL_AFFAIRS_SUPERVISOR: (_N.TO_ASSIGN, _N.CASES_LATE),
    Role.HONOUR_COMMISSION: (_N.FINDINGS_DUE, _N.FINDINGS_TO_CONFIRM, _N.CASE_APPEALS),
    Role.AUDITOR: (_N.ACCESS_ALERTS, _N.ACCESS_REPORTS, _N.SENSITIVE_READS, _N.REFUSALS),
    Role.ADMINISTRATOR: (_N.ACCOUNTS, _N.AGENCIES, _N.FAILED_SIGN_INS),
}

# The permission of the page each panel summarises.
NEEDS: dict[PanelName, Permission] = {
    _N.EXAMS_PENDING: Permission.EXAM_RECORD,
    _N.TO_SCHEDULE: Permission.EVALUATION_SCHEDULE,
    _N.AGENDA_TODAY: Permission.EVALUATION_SCHEDULE,
    _N.TO_DECIDE: Permission.EVALUATION_DECIDE,
    _N.TO_CONFIRM: Permission.EVALUATION_DECIDE,
    _N.APPEALS: Permission.APPEAL_DECIDE,
    _N.ALERTS: Permission.COVERAGE_READ,
    _N.EXPIRING: Permission.COVERAGE_READ,
    _N.NOTIFICATIONS: Permission.SEPARATION_MANAGE,
    _N.SEPARATIONS: Permission.SEPARATION_MANAGE,
    _N.NOT_APPROVED: Permission.EVALUATION_READ,
    _N.MY_CHANGES: Permission.OFFICER_WRITE,
    _N.MY_RESERVED_READS: Permission.OFFICER_SENSITIVE_READ,
    _N.ACCESS_REPORTS: Permission.AUDIT_READ,
    _N.SENSITIVE_READS: Permission.AUDIT_READ,
    _N.REFUSALS: Permission.AUDIT_READ,
    _N.FAILED_SIGN_INS: Permission.AUDIT_READ,
    _N.ACCOUNTS: Permission.USER_MANAGE,
    _N.AGENCIES: Permission.AGENCY_READ,
    _N.MY_CASES: Permission.CASE_INVESTIGATE,
    _N.TO_ASSIGN: Permission.CASE_ASSIGN,
    _N.CASES_LATE: Permission.CASE_ASSIGN,
    _N.FINDINGS_DUE: Permission.CASE_DECIDE,
    _N.FINDINGS_TO_CONFIRM: Permission.CASE_DECIDE,
    _N.CASE_APPEALS: Permission.CASE_DECIDE,
    _N.FLAGS: Permission.RISK_REVIEW,
    _N.ACCESS_ALERTS: Permission.ACCESS_ALERT_REVIEW,
}

# The trail panels and the actions each lists.
TRAIL: dict[PanelName, frozenset[str]] = {
    _N.ACCESS_REPORTS: frozenset({AuditAction.OFFICER_ACCESS_REPORT}),
    _N.SENSITIVE_READS: frozenset({AuditAction.OFFICER_CONTACT_READ,
                                   AuditAction.EVALUATION_RESULTS_READ}),
    _N.REFUSALS: frozenset({AuditAction.ACCESS_DENIED}),
    _N.FAILED_SIGN_INS: frozenset({AuditAction.USER_LOGIN_FAILED}),
}
# Panels about accounts, not officers: only an auditor of the whole country reads those of
# every account.
ABOUT_ACCOUNTS = frozenset({_N.REFUSALS, _N.FAILED_SIGN_INS})

# One's own recent work: what a clerk changed, what internal affairs revealed.
OWN: dict[PanelName, frozenset[str]] = {
    _N.MY_CHANGES: frozenset({
        AuditAction.OFFICER_CREATE, AuditAction.OFFICER_UPDATE,
        AuditAction.OFFICER_CONTACT_UPDATE, AuditAction.OFFICER_IMPORT,
        AuditAction.ASSIGNMENT_CREATE, AuditAction.ASSIGNMENT_UPDATE, AuditAction.BADGE_CREATE,
        AuditAction.UNIT_CREATE, AuditAction.UNIT_UPDATE, AuditAction.CUP_COMPONENT_RECORD,
    }),
    _N.MY_RESERVED_READS: frozenset({AuditAction.OFFICER_CONTACT_READ}),
}


@dataclass(frozen=True)
class Panel:
    """One panel: how many, the first few, and (for some) a second figure.

    `count` is what the panel is about; for one's own activity, what was done today.
    `capped`: the count stopped at a bound and means "at least". `extra`: due today or
    overdue (exams), already given (today's agenda), inactive (accounts), dissolved
    (agencies)."""

    name: PanelName
    count: int
    items: list[Any] = field(default_factory=list)
    capped: bool = False
    extra: int | None = None
    until: date | None = None  # the end of the period a panel of expiries looks at


@dataclass(frozen=True)
class ExamItem:
    """An exam to give, as the examiner's queue and the coordinator's agenda show it."""

    exam: Exam
    officer_name: str
    agency_code: str
    kind: EvaluationKind
    centre_name: str | None


@dataclass(frozen=True)
class AppealItem:
    appeal: Appeal
    officer_name: str


@dataclass(frozen=True)
class CaseItem:
    """An integrity case as a panel lists it: its number, stage and deadline, nothing of its
    content (the file is read, and recorded, on its own page). `finding_id`: the finding that
    waits for the reader as second person."""

    case: Case
    due: Due
    finding_id: int | None = None


@dataclass(frozen=True)
class Home:
    role: Role
    agency: Agency | None  # the agency of an agency-scoped account, when the role reads it
    panels: list[Panel]
    read_at: datetime
    trail_from: datetime | None = None  # the oldest entry the trail panels examined


def home(uow: UnitOfWork, actor: Actor, *, policy: WorkflowPolicy) -> Home:
    """The caller's home: the panels of their role, read in one transaction. The policy sets
    how far ahead the expiring panel looks."""
    names = [n for n in PANELS.get(actor.role, ()) if actor.has(NEEDS[n])]
    # A home made only of one's own activity and of counts writes nothing: SQLite serves it
    # beside a writer.
    quiet = all(n in OWN or n in (_N.ACCOUNTS, _N.AGENCIES) for n in names)
    with uow.transaction(read_only=quiet) as tx:
        for name in names:
            require(actor, NEEDS[name], resource_type="home")
        panels: dict[PanelName, Panel] = {}
        for name in names:
            if name in OWN:
                panels[name] = _own(tx, actor, name)
            elif name is _N.EXPIRING:
                panels[name] = _expiring(tx, actor, policy.validity.reevaluation_months)
            elif name not in TRAIL:
                panels[name] = _READERS[name](tx, actor)
        trail_panels, trail_from = _trail(tx, actor, [n for n in names if n in TRAIL])
        panels.update(trail_panels)
        shown = [panels[n] for n in names if n in panels]
        return Home(actor.role, _scope_agency(tx, actor), shown, tx.now, trail_from)


def _scope_agency(tx: Transaction, actor: Actor) -> Agency | None:
    """The agency that names an agency-scoped account's scope; asked only of roles that read
    agencies (asking anyway would be refused, and write a refusal at every visit)."""
    if actor.scope.kind is not ScopeKind.AGENCY or not actor.has(Permission.AGENCY_READ):
        return None
    agency = tx.agencies.get(actor.scope.agency_id or 0)
    if agency is None or not actor.scope.covers(holder_of(agency)):
        return None
    return agency


def _audit(tx: Transaction, actor: Actor, action: str, resource_type: str,
           results: list[int], **detail: Any) -> None:
    """Record a panel's read as its list page does, when it named somebody."""
    if results:
        tx.audit.record(actor, action, resource_type, None,
                        detail={"view": "home", **detail, "results": results})


# Evaluations: the examiner, the coordinator, the certification officer, internal affairs ------

def _evaluation_lines(tx: Transaction, evaluations: list[Evaluation]) -> list[EvaluationLine]:
    officers = {o.id: o for o in tx.officers.many([e.officer_id for e in evaluations])}
    agencies = tx.agencies.many({e.agency_id for e in evaluations})
    return [
        EvaluationLine(e, o.listed_name if (o := officers.get(e.officer_id)) else "",
                       agencies[e.agency_id].code if e.agency_id in agencies else "")
        for e in evaluations
    ]


def _exam_items(tx: Transaction, exams: list[Exam]) -> list[ExamItem]:
    evaluations = {e.evaluation_id: tx.evaluations.get(e.evaluation_id) for e in exams}
    lines = {line.evaluation.id: line for line in _evaluation_lines(
        tx, [v for v in evaluations.values() if v is not None])}
    items = []
    for exam in exams:
        line = lines.get(exam.evaluation_id)
        if line is None:
            continue
        centre = line.evaluation.centre_id
        items.append(ExamItem(exam, line.officer_name, line.agency_code, line.evaluation.kind,
                              tx.evaluations.centre_name(centre) if centre else None))
    return items


def _exams_pending(tx: Transaction, actor: Actor) -> Panel:
    if actor.user_id is None:
        return Panel(_N.EXAMS_PENDING, 0, extra=0)
    total, due, exams = tx.evaluations.examiner_pending(actor.user_id, tx.today, limit=ITEMS)
    items = _exam_items(tx, exams)
    _audit(tx, actor, AuditAction.EVALUATION_QUEUE_READ, "evaluation_exam",
           [i.exam.id for i in items], pending=True)
    return Panel(_N.EXAMS_PENDING, total, items, extra=due)


def _waiting(name: PanelName, status: EvaluationStatus, *, others_only: bool = False
             ) -> Callable[[Transaction, Actor], Panel]:
    def read(tx: Transaction, actor: Actor) -> Panel:
        count, rows = tx.evaluations.waiting(
            status, actor.scope, limit=ITEMS,
            not_decided_by=actor.user_id if others_only else None)
        lines = _evaluation_lines(tx, rows)
        _audit(tx, actor, AuditAction.EVALUATION_QUEUE_READ, "evaluation",
               [line.evaluation.id for line in lines], statuses=[status.value])
        return Panel(name, count, lines)
    return read


def _agenda_today(tx: Transaction, actor: Actor) -> Panel:
    total, given, exams = tx.evaluations.agenda(tx.today, actor.scope, limit=ITEMS)
    items = _exam_items(tx, exams)
    _audit(tx, actor, AuditAction.EVALUATION_QUEUE_READ, "evaluation_exam",
           [i.exam.id for i in items], day=tx.today.isoformat())
    return Panel(_N.AGENDA_TODAY, total, items, extra=given)


def _appeals(tx: Transaction, actor: Actor) -> Panel:
    count, appeals = tx.evaluations.open_appeals(actor.scope, not_involving=actor.user_id,
                                                 limit=ITEMS)
    evaluations = [e for a in appeals if (e := tx.evaluations.get(a.evaluation_id))]
    names = {line.evaluation.id: line.officer_name
             for line in _evaluation_lines(tx, evaluations)}
    items = [AppealItem(a, names.get(a.evaluation_id, "")) for a in appeals]
    _audit(tx, actor, AuditAction.EVALUATION_QUEUE_READ, "appeal", [a.id for a in appeals])
    return Panel(_N.APPEALS, count, items)


def _not_approved(tx: Transaction, actor: Actor) -> Panel:
    since = tx.now - timedelta(days=RECENT_DAYS)
    count, capped, rows = tx.evaluations.closed_since(
        EvaluationStatus.NOT_APPROVED, actor.scope, since=since, window=CLOSED_WINDOW,
        limit=ITEMS)
    lines = _evaluation_lines(tx, rows)
    _audit(tx, actor, AuditAction.EVALUATION_QUEUE_READ, "evaluation",
           [line.evaluation.id for line in lines],
           statuses=[EvaluationStatus.NOT_APPROVED.value])
    return Panel(_N.NOT_APPROVED, count, lines, capped=capped)


# Agency HR: alerts, expiries, notifications, separations -------------------------------------

def _alerts(tx: Transaction, actor: Actor) -> Panel:
    count, rows = tx.certification.alerts_sample(today=tx.today, scope=actor.scope,
                                                 cap=COUNT_CAP, limit=ITEMS)
    lines = [alert_line(r, tx.today) for r in rows]
    _audit(tx, actor, AuditAction.ALERTS_READ, "certification",
           [line.officer_id for line in lines])
    return Panel(_N.ALERTS, count, lines, capped=count >= COUNT_CAP)


def _expiring(tx: Transaction, actor: Actor, months: int) -> Panel:
    until = add_months(tx.today, months)
    count, rows = tx.certification.reevaluation_sample(
        today=tx.today, until=until, scope=actor.scope, cap=COUNT_CAP, limit=ITEMS)
    lines = [reevaluation_line(r) for r in rows]
    _audit(tx, actor, AuditAction.REEVALUATION_LIST_READ, "certification",
           [line.officer_id for line in lines])
    return Panel(_N.EXPIRING, count, lines, capped=count >= COUNT_CAP, until=until)


def _notifications(tx: Transaction, actor: Actor) -> Panel:
    count, rows = tx.certification.notifications_unread(scope=actor.scope, limit=ITEMS)
    _audit(tx, actor, AuditAction.NOTIFICATION_READ, "notification", [n.id for n in rows])
    return Panel(_N.NOTIFICATIONS, count, rows)


def _separations(tx: Transaction, actor: Actor) -> Panel:
    count, rows = tx.certification.separations_open(scope=actor.scope, limit=ITEMS)
    _audit(tx, actor, AuditAction.EVALUATION_QUEUE_READ, "separation", [p.id for p in rows])
    return Panel(_N.SEPARATIONS, count, rows)


# The administrator: accounts and agencies ----------------------------------------------------

def _accounts(tx: Transaction, actor: Actor) -> Panel:
    users: list[User] = tx.users.all()
    active = [u for u in users if u.active]
    newest = sorted(users, key=lambda u: u.id, reverse=True)[:ITEMS]
    return Panel(_N.ACCOUNTS, len(active), newest, extra=len(users) - len(active))


def _agencies(tx: Transaction, actor: Actor) -> Panel:
    total, active = tx.agencies.count_active()
    return Panel(_N.AGENCIES, active, extra=total - active)


# Internal affairs and the honour commission: integrity cases --------------------------------

CASES_WINDOW = 500  # open cases of a person or a scope examined (cases are few beside officers)


def _case_panel(tx: Transaction, actor: Actor, name: PanelName, items: list[CaseItem],
                **detail: Any) -> Panel:
    """The cases most overdue first, then the oldest step; `extra`: how many are late. Read
    as the queue is: one `integrity:queue:read` entry naming the cases shown."""
    items.sort(key=lambda i: (-i.due.days_late, i.case.stage_since, i.case.id))
    shown = items[:ITEMS]
    _audit(tx, actor, AuditAction.CASE_QUEUE_READ, "integrity_case",
           [i.case.id for i in shown], overdue=sum(1 for i in items if i.due.overdue),
           **detail)
    return Panel(name, len(items), shown, capped=len(items) >= CASES_WINDOW,
                 extra=sum(1 for i in items if i.due.overdue))


def _cases(tx: Transaction, actor: Actor, *, duty: Duty | None = None,
           stages: frozenset[Stage] | None = None) -> list[CaseItem]:
    """The open cases of the caller's scope (assigned to the caller for `duty`, if given)."""
    if duty is not None and actor.user_id is None:
        return []
    found = tx.integrity.queue(actor.scope, user_id=actor.user_id if duty else None,
                               duty=duty, limit=CASES_WINDOW)
    return [CaseItem(c, due(c.stage, c.stage_since, tx.today)) for c in found
            if stages is None or c.stage in stages]


def _my_cases(tx: Transaction, actor: Actor) -> Panel:
    return _case_panel(tx, actor, _N.MY_CASES, _cases(tx, actor, duty=Duty.INVESTIGATOR),
                       duty=Duty.INVESTIGATOR.value)


def _to_assign(tx: Transaction, actor: Actor) -> Panel:
    return _case_panel(tx, actor, _N.TO_ASSIGN,
                       _cases(tx, actor, stages=frozenset({Stage.INTAKE})),
                       stages=[Stage.INTAKE.value])


def _cases_late(tx: Transaction, actor: Actor) -> Panel:
    late = [i for i in _cases(tx, actor) if i.due.overdue]
    return _case_panel(tx, actor, _N.CASES_LATE, late, overdue_only=True)


def _findings_due(tx: Transaction, actor: Actor) -> Panel:
    """Cases at the finding stage for which the caller decides: findings or the sanction."""
    return _case_panel(tx, actor, _N.FINDINGS_DUE,
                       _cases(tx, actor, duty=Duty.DECIDER,
                              stages=frozenset({Stage.FINDING})),
                       duty=Duty.DECIDER.value)


def _findings_to_confirm(tx: Transaction, actor: Actor) -> Panel:
    """Findings of the caller's cases that wait for a second person other than who made them."""
    items: list[CaseItem] = []
    for item in _cases(tx, actor, duty=Duty.DECIDER, stages=frozenset({Stage.FINDING})):
        waiting = [f for f in tx.integrity.findings(item.case.id)
                   if not f.in_effect and f.decided_by_id != actor.user_id]
        items.extend(CaseItem(item.case, item.due, f.id) for f in waiting)
    return _case_panel(tx, actor, _N.FINDINGS_TO_CONFIRM, items, duty=Duty.DECIDER.value,
                       second_person=True)


def _case_appeals(tx: Transaction, actor: Actor) -> Panel:
    return _case_panel(tx, actor, _N.CASE_APPEALS,
                       _cases(tx, actor, duty=Duty.APPEAL_DECIDER,
                              stages=frozenset({Stage.APPEAL})),
                       duty=Duty.APPEAL_DECIDER.value)


# Agency HR: early-intervention flags to review -----------------------------------------------

def _flags(tx: Transaction, actor: Actor) -> Panel:
    """The latest run's flags in the caller's scope that nobody has reviewed, highest first;
    recorded as the review queue's read is (the officers shown)."""
    run = tx.risk.latest_run()
    flags: list[Flag] = [] if run is None else [
        f for f in tx.risk.flags(run.id)
        if f.review is None and actor.scope.covers(Holder(f.agency_ids, f.state_codes))]
    flags.sort(key=lambda f: f.rank)
    shown = flags[:ITEMS]
    if shown:
        tx.audit.record(actor, AuditAction.RISK_QUEUE_READ, "risk_run", run.id if run else None,
                        detail={"view": "home", "shown": [f.officer_id for f in shown],
                                **actor.attribution()})
    return Panel(_N.FLAGS, len(flags), shown)


# Auditors: alerts on unexplained reads nobody has marked yet -------------------------------

def _access_alerts(tx: Transaction, actor: Actor) -> Panel:
    """The open alerts, newest first: how many, and the first few; recorded as the queue's
    list is (the alerts shown), and only when it shows one."""
    count = tx.access.outcome_counts(actor.scope).get(Outcome.OPEN, 0)
    shown = tx.access.alerts(Outcome.OPEN, None, ITEMS, actor.scope) if count else []
    _audit(tx, actor, AuditAction.ACCESS_ALERTS_READ, "access_alert", [a.id for a in shown],
           outcome=Outcome.OPEN.value)
    return Panel(_N.ACCESS_ALERTS, count, shown)


_READERS: dict[PanelName, Callable[[Transaction, Actor], Panel]] = {
    _N.EXAMS_PENDING: _exams_pending,
    _N.TO_SCHEDULE: _waiting(_N.TO_SCHEDULE, EvaluationStatus.REQUESTED),
    _N.AGENDA_TODAY: _agenda_today,
    _N.TO_DECIDE: _waiting(_N.TO_DECIDE, EvaluationStatus.AWAITING_DECISION),
    _N.TO_CONFIRM: _waiting(_N.TO_CONFIRM, EvaluationStatus.AWAITING_CONFIRMATION,
                            others_only=True),
    _N.APPEALS: _appeals,
    _N.NOT_APPROVED: _not_approved,
    _N.ALERTS: _alerts,
    _N.NOTIFICATIONS: _notifications,
    _N.SEPARATIONS: _separations,
    _N.ACCOUNTS: _accounts,
    _N.AGENCIES: _agencies,
    _N.MY_CASES: _my_cases,
    _N.TO_ASSIGN: _to_assign,
    _N.CASES_LATE: _cases_late,
    _N.FINDINGS_DUE: _findings_due,
    _N.FINDINGS_TO_CONFIRM: _findings_to_confirm,
    _N.CASE_APPEALS: _case_appeals,
    _N.FLAGS: _flags,
    _N.ACCESS_ALERTS: _access_alerts,
}


# The trail: auditors and administrators; one's own activity ----------------------------------

def _trail(tx: Transaction, actor: Actor, names: list[PanelName]
           ) -> tuple[dict[PanelName, Panel], datetime | None]:
    """The trail panels, from one look down the newest entries; a scoped auditor gets none of
    the panels about accounts (an entry does not carry the account's scope)."""
    if actor.scope.kind is not ScopeKind.NATIONAL:
        names = [n for n in names if n not in ABOUT_ACCOUNTS]
    if not names:
        return {}, None
    stretch = home_trail.newest(tx, actor, frozenset().union(*(TRAIL[n] for n in names)))
    panels = {}
    for name in names:
        mine = [i for i in stretch.items if i.entry.action in TRAIL[name]]
        panels[name] = Panel(name, len(mine), mine[:ITEMS], capped=stretch.capped)
    shown = sorted({i.entry.id or 0 for p in panels.values() for i in p.items})
    if shown:
        tx.audit.record(actor, AuditAction.AUDIT_READ, "audit", None,
                        detail={"view": "home", "entries": shown})
    return panels, stretch.since


def _own(tx: Transaction, actor: Actor, name: PanelName) -> Panel:
    """One's own latest entries of a kind: what one did is shown back to oneself, and no one
    else's work is. Counted: what was done today."""
    items, today = home_trail.own(tx, actor, OWN[name])
    return Panel(name, today, items[:ITEMS], capped=today >= home_trail.OWN_ROWS)
