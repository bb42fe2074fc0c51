"""The coverage dashboard: the nation, a state or an agency at a glance, and its public version.

The signed-in dashboard is for holders of the coverage permission, inside their scope: a
national account sees the country and drills to a state or an agency; a state or agency account
sees its own part only. It shows aggregates, so its audit entry names the part of the force
shown and never an officer. The public version needs no account, shows the nation and each
state with small counts withheld (ADR 0016), and is not audited: it publishes what any visitor
may read, and an entry per anonymous visit would let anyone fill the trail.

Both read a `Summary` (domain.dashboard): from the process's `SummaryCache` when the caller
keeps one (the web app does, ADR 0017), otherwise straight from the database, narrowed in the
query to the part shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from confianza.accounts.rules.permissions import Actor, Holder, Permission, ScopeKind
from confianza.accounts.service.authorization import require
from confianza.core.civil_time import start_of_day
from confianza.core.errors import FieldError, NotFound, ValidationFailed
from confianza.dashboard.rules.public import PublicView, public_tables, public_view
from confianza.dashboard.rules.tallies import AgencyInfo, Summary, expiry_bounds, window_start
from confianza.dashboard.rules.views import DashboardView, Level, compose
from confianza.dashboard.service.cache import SummaryCache
from confianza.registry.rules.agencies import STATE_CODE, Agency
from confianza.registry.service.agencies import holder_of
from confianza.trail.rules import AuditAction
from confianza.work import Transaction, UnitOfWork

#: How old a kept summary the signed-in dashboard and the public page accept.
INTERNAL_MAX_AGE = timedelta(minutes=1)
PUBLIC_MAX_AGE = timedelta(minutes=5)


@dataclass(frozen=True)
class DashboardFilter:
    """The part asked for: a state (INEGI code), an agency, or neither (the caller's scope)."""

    state_code: str | None = None
    agency_id: int | None = None


@dataclass(frozen=True)
class Target:
    level: Level
    state_code: str | None
    agency: Agency | None


def check_state(code: str, field: str = "state") -> str:
    if not STATE_CODE.match(code):
        raise ValidationFailed(FieldError(field, "must be a two-digit INEGI state code, 01 to 32"))
    return code


def _target(tx: Transaction, actor: Actor, where: DashboardFilter) -> Target:
    """The part of the force to show, checked against the actor's scope."""
    require(actor, Permission.COVERAGE_READ, resource_type="dashboard")
    state = None if where.state_code is None else check_state(where.state_code)
    if where.agency_id is not None:
        agency = tx.agencies.get(where.agency_id)
        if agency is None:
            raise NotFound(f"agency {where.agency_id} does not exist")
        require(actor, Permission.COVERAGE_READ, holder_of(agency), resource_type="agency",
                resource_id=agency.id)
        if state is not None and agency.state_code != state:
            raise ValidationFailed(FieldError(
                "agency_id", f"agency {agency.code} is not in state {state}"))
        return Target(Level.AGENCY, agency.state_code, agency)
    if state is not None:
        require(actor, Permission.COVERAGE_READ, Holder(state_codes=frozenset({state})),
                resource_type="state", resource_id=state)
        return Target(Level.STATE, state, None)
    scope = actor.scope
    if scope.kind is ScopeKind.AGENCY and scope.agency_id is not None:
        agency = tx.agencies.get(scope.agency_id)
        if agency is None:
            raise NotFound(f"agency {scope.agency_id} does not exist")
        return Target(Level.AGENCY, agency.state_code, agency)
    if scope.kind is ScopeKind.STATE:
        return Target(Level.STATE, scope.state_code, None)
    return Target(Level.NATIONAL, None, None)


def load_summary(uow: UnitOfWork, *, state_code: str | None = None,
                 agency_id: int | None = None) -> Summary:
    """Read the summary of the whole force, of one state or of one agency (read-only: on
    SQLite it runs beside a writer instead of holding the write lock for its seconds)."""
    with uow.transaction(read_only=True) as tx:
        today, r = tx.today, tx.dashboard
        state, agency = state_code, agency_id
        return Summary(
            tx.now,
            today,
            tuple(r.agencies(state_code=state, agency_id=agency)),
            tuple(r.tallies(today=today, bounds=expiry_bounds(today), state_code=state,
                            agency_id=agency)),
            tuple(r.exam_tallies(since=start_of_day(window_start(today), tx.zone),
                                state_code=state, agency_id=agency)),
            tuple(r.open_requests(state_code=state, agency_id=agency)),
            tuple(r.pending_exams(state_code=state, agency_id=agency)),
            tuple(r.centres()),
        )


def dashboard(uow: UnitOfWork, actor: Actor, where: DashboardFilter = DashboardFilter(), *,
              cache: SummaryCache | None = None) -> DashboardView:
    """The dashboard of the part of the force `where` names, or of the actor's whole scope."""
    # The entry is committed before the figures are read: a failed read leaves an entry too
    # many, never a read without one. The read itself then takes no write lock.
    with uow.transaction() as tx:
        target = _target(tx, actor, where)
        tx.audit.record(actor, AuditAction.DASHBOARD_READ, "dashboard", None, detail={
            "level": target.level.value, "state": target.state_code,
            "agency_id": target.agency.id if target.agency else None,
        })
    agency = target.agency
    if cache is not None:
        summary = cache.get(INTERNAL_MAX_AGE)
    elif target.level is Level.NATIONAL:
        summary = load_summary(uow)
    else:
        summary = load_summary(uow, state_code=None if agency else target.state_code,
                               agency_id=agency.id if agency else None)
    if agency is not None:
        summary = summary.within(frozenset({agency.id}))
    elif target.level is Level.STATE:
        summary = summary.within(summary.agency_ids(target.state_code))
    info = AgencyInfo(agency.id, agency.code, agency.name, agency.state_code) if agency else None
    return compose(summary, target.level, target.state_code, info,
                   exams_in_full=actor.has(Permission.EVALUATION_RESULTS_READ))


def public_coverage(uow: UnitOfWork, state_code: str | None = None, *,
                    cache: SummaryCache | None = None) -> PublicView:
    """The public figures of the nation, or of one state; no account needed, nothing audited.
    The counts to withhold are decided over the national tables whichever part is shown."""
    if state_code is not None:
        check_state(state_code, "estado")
    if cache is None:
        return public_view(public_tables(load_summary(uow)), state_code)
    summary = cache.get(PUBLIC_MAX_AGE)
    return public_view(cache.derived(summary, public_tables), state_code)
