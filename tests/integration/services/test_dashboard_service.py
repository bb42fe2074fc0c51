"""The coverage dashboard's use cases on both databases: the figures of a small known force
at every level, who may see which part, the audit entry, the kept summary, the public view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dashboard_support import FELIX_UNTIL, Force, build_force

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.certification.service import coverage
from confianza.core.errors import Forbidden, NotFound, ValidationFailed
from confianza.dashboard.rules.suppression import THRESHOLD
from confianza.dashboard.rules.tallies import Stage
from confianza.dashboard.rules.views import Level
from confianza.dashboard.service import figures as dashboard
from confianza.dashboard.service.cache import SummaryCache
from confianza.dashboard.service.figures import DashboardFilter
from confianza.trail.rules import AuditAction
from confianza.vetting.rules.evaluations import ExamType
from conftest import FakeClock

NATIONAL = Actor(None, "tablero-nacional", Role.AUDITOR, Scope(), ActorKind.USER)
TOXICOLOGY = list(ExamType).index(ExamType.TOXICOLOGY)


@pytest.fixture
def force(container: Container, agencies: dict[str, int]) -> Force:
    return build_force(container, agencies)


def _figures(view: dashboard.DashboardView) -> tuple[int, ...]:
    h = view.headline
    return (h.officers, h.approved, h.expired, h.not_approved, h.never_evaluated, h.certified,
            h.on_duty_uncertified)


def test_the_national_figures_of_a_known_force(force: Force, container: Container) -> None:
    view = dashboard.dashboard(container.uow(), NATIONAL)
    assert view.level is Level.NATIONAL
    assert _figures(view) == (6, 2, 0, 1, 3, 1, 4)
    assert view.headline.evaluated == 3
    by_state = {g.key: g.counts for g in view.groups}
    assert by_state["14"].officers == 5 and by_state["19"].officers == 1
    # Nuevo León's only officer is uncertified: 100 % heads the ranking.
    assert view.groups[0].key == "19"
    months = [m.count for m in view.months]
    assert months[3] == 1 and sum(months) == 1
    assert view.months[3].month == FELIX_UNTIL.replace(day=1)
    rates = {r.exam_type: r for r in view.exams}
    assert (rates[ExamType.TOXICOLOGY].recorded, rates[ExamType.TOXICOLOGY].adverse) == (2, 1)
    assert rates[ExamType.POLYGRAPH].approval_rate == 1.0
    [centre] = view.backlog
    assert centre.centre is not None and centre.centre.code == "C3-JAL"
    assert centre.stages[Stage.AWAITING_SCHEDULE] == 1 and centre.requests == 1
    assert centre.pending == dict.fromkeys(ExamType, 1)
    assert (centre.days, centre.slowest) == (1, ExamType.TOXICOLOGY)


def test_a_state_and_an_agency_are_the_rolled_up_part(
    force: Force, container: Container, agencies: dict[str, int]
) -> None:
    jalisco = dashboard.dashboard(container.uow(), NATIONAL, DashboardFilter("14"))
    assert jalisco.level is Level.STATE
    assert _figures(jalisco) == (5, 2, 0, 1, 2, 1, 3)
    assert {g.name for g in jalisco.groups} == {"Secretaría de Seguridad de Jalisco",
                                                "Policía de Guadalajara"}
    agency = dashboard.dashboard(container.uow(), NATIONAL,
                                 DashboardFilter(agency_id=agencies["JAL-SSP"]))
    assert agency.level is Level.AGENCY and agency.agency is not None
    assert agency.state_code == "14" and agency.groups == ()
    assert _figures(agency) == (4, 1, 0, 1, 2, 1, 2)
    assert sum(m.count for m in agency.months) == 0
    nuevo_leon = dashboard.dashboard(container.uow(), NATIONAL, DashboardFilter("19"))
    assert nuevo_leon.backlog == () and nuevo_leon.exams[TOXICOLOGY].recorded == 0


def test_the_kept_summary_gives_the_same_figures(force: Force, container: Container,
                                                 agencies: dict[str, int]) -> None:
    cache = SummaryCache(lambda: dashboard.load_summary(container.uow()), container.clock)
    for where in (DashboardFilter(), DashboardFilter("14"),
                  DashboardFilter(agency_id=agencies["JAL-SSP"])):
        direct = dashboard.dashboard(container.uow(), NATIONAL, where)
        kept = dashboard.dashboard(container.uow(), NATIONAL, where, cache=cache)
        assert kept == direct


def test_scoped_accounts_see_their_part_only(
    force: Force, container: Container, agencies: dict[str, int]
) -> None:
    hr = force.world.hr  # JAL-SSP only
    own = dashboard.dashboard(container.uow(), hr)
    assert own.level is Level.AGENCY and own.agency is not None
    assert own.agency.id == agencies["JAL-SSP"] and own.headline.officers == 4
    for where in (DashboardFilter("14"), DashboardFilter(agency_id=agencies["JAL-GDL-PM"]),
                  DashboardFilter(agency_id=agencies["NL-FC"])):
        with pytest.raises(Forbidden, match="outside your scope"):
            dashboard.dashboard(container.uow(), hr, where)
    nuevo_leon = Actor(None, "clerk-nl", Role.REGISTRY_CLERK, Scope(ScopeKind.STATE, "19"))
    assert dashboard.dashboard(container.uow(), nuevo_leon).headline.officers == 1
    with pytest.raises(Forbidden):
        dashboard.dashboard(container.uow(), nuevo_leon, DashboardFilter("14"))
    examiner = force.world.examiner
    with pytest.raises(Forbidden, match="does not allow"):
        dashboard.dashboard(container.uow(), examiner)
    with container.uow().transaction() as tx:
        refused = [e for e in tx.audit.entries(limit=1000)
                   if e.action == AuditAction.ACCESS_DENIED]
    assert len(refused) == 5


def test_exam_counts_are_withheld_from_a_role_that_does_not_read_results(
    force: Force, container: Container
) -> None:
    hr_view = dashboard.dashboard(container.uow(), force.world.hr)
    assert hr_view.exams_withheld.cells[TOXICOLOGY][2]  # Bruno's positive toxicology
    assert hr_view.rate_withheld(TOXICOLOGY)
    decider_view = dashboard.dashboard(container.uow(), force.world.decider)  # Jalisco
    assert not decider_view.rate_withheld(TOXICOLOGY)
    assert decider_view.exams[TOXICOLOGY].adverse == 1


def test_a_read_is_audited_by_the_part_shown_never_by_officer(
    force: Force, container: Container, agencies: dict[str, int]
) -> None:
    dashboard.dashboard(container.uow(), NATIONAL, DashboardFilter("14"))
    dashboard.dashboard(container.uow(), force.world.hr)
    with container.uow().transaction() as tx:
        entries = [e for e in tx.audit.entries(limit=1000)
                   if e.action == AuditAction.DASHBOARD_READ]
    assert [(e.actor, e.detail) for e in entries] == [
        ("tablero-nacional", {"level": "state", "state": "14", "agency_id": None}),
        ("rh-jalisco", {"level": "agency", "state": "14", "agency_id": agencies["JAL-SSP"]}),
    ]
    assert all(e.resource_id is None for e in entries)


@pytest.mark.parametrize(("where", "error"), [
    (DashboardFilter("99"), ValidationFailed), (DashboardFilter("1"), ValidationFailed),
    (DashboardFilter(agency_id=999_999), NotFound),
])
def test_bad_filters_are_refused_with_a_reason(
    force: Force, container: Container, where: DashboardFilter, error: type[Exception]
) -> None:
    with pytest.raises(error):
        dashboard.dashboard(container.uow(), NATIONAL, where)


def test_an_agency_outside_the_state_named_is_refused(
    force: Force, container: Container, agencies: dict[str, int]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        dashboard.dashboard(container.uow(), NATIONAL,
                            DashboardFilter("14", agencies["NL-FC"]))
    assert refused.value.errors[0].location == "agency_id"


def test_a_kept_summary_is_served_until_it_is_too_old_then_replaced(
    force: Force, container: Container, clock: FakeClock
) -> None:
    loads: list[int] = []

    def load() -> dashboard.Summary:
        loads.append(1)
        return dashboard.load_summary(container.uow())

    cache = SummaryCache(load, container.clock, spawn=lambda task: task())
    first = dashboard.dashboard(container.uow(), NATIONAL, cache=cache)
    force.world.new_officer("Gabriela", "Haro", "Ibarra")
    clock.advance(seconds=30)
    assert dashboard.dashboard(container.uow(), NATIONAL, cache=cache) == first
    assert len(loads) == 1
    clock.advance(seconds=40)  # older than a minute: served once more while it reloads
    assert dashboard.dashboard(container.uow(), NATIONAL, cache=cache).headline.officers == 6
    assert len(loads) == 2
    assert dashboard.dashboard(container.uow(), NATIONAL, cache=cache).headline.officers == 7
    clock.advance(hours=2)  # too old to serve at all: the reader waits for a fresh one
    assert dashboard.dashboard(container.uow(), NATIONAL, cache=cache).as_of == clock.now
    assert len(loads) == 3


def test_the_public_view_withholds_every_small_count(force: Force, container: Container
                                                     ) -> None:
    national = dashboard.public_coverage(container.uow())
    headline = national.headline
    shown = [headline.officers, headline.approved, headline.not_approved,
             headline.never_evaluated, headline.on_duty_uncertified]
    assert all(v is None or v == 0 or v >= THRESHOLD for v in shown)
    assert headline.officers is None  # six officers in all
    jalisco = dashboard.public_coverage(container.uow(), "14")
    assert jalisco.headline.officers is None and jalisco.centres[0].requests is None
    with pytest.raises(ValidationFailed):
        dashboard.public_coverage(container.uow(), "XX")


def test_the_public_tables_are_built_once_per_summary(force: Force, container: Container,
                                                      clock: FakeClock) -> None:
    cache = SummaryCache(lambda: dashboard.load_summary(container.uow()), container.clock,
                         spawn=lambda task: task())
    first = dashboard.public_coverage(container.uow(), cache=cache)
    clock.advance(minutes=4)
    assert dashboard.public_coverage(container.uow(), "14", cache=cache).as_of == first.as_of
    clock.advance(minutes=2)
    dashboard.public_coverage(container.uow(), cache=cache)  # stale: reloaded behind it
    assert dashboard.public_coverage(container.uow(), cache=cache).as_of == clock.now
    assert clock.now - first.as_of == timedelta(minutes=6)


def test_coverage_cut_from_the_kept_summary_matches_the_query(
    force: Force, container: Container, agencies: dict[str, int]
) -> None:
    """The coverage lists take their figures from the dashboard's summary; they must be the
    very figures the coverage query reads, for every grouping, filter and scope."""
    cache = SummaryCache(lambda: dashboard.load_summary(container.uow()), container.clock)
    kept = lambda: cache.get(timedelta(minutes=1))  # noqa: E731
    state_hr = Actor(None, "rh-jalisco", Role.AGENCY_HR, Scope(ScopeKind.STATE, "14"))
    cases = [
        (NATIONAL, coverage.ListFilter()),
        (NATIONAL, coverage.ListFilter(state_code="14")),
        (NATIONAL, coverage.ListFilter(state_code="19")),
        (NATIONAL, coverage.ListFilter(agency_id=agencies["JAL-GDL-PM"])),
        (state_hr, coverage.ListFilter()),
        (force.world.hr, coverage.ListFilter()),
    ]
    for actor, where in cases:
        for by in ("state", "agency"):
            read = coverage.coverage(container.uow(), actor, by=by, where=where)
            cut = coverage.coverage(container.uow(), actor, by=by, where=where, summary=kept)
            assert cut == read, (actor.username, where, by)
            assert read, "each case covers somebody"
    whole = coverage.coverage(container.uow(), NATIONAL, by="agency", summary=kept)
    assert sum(r.officers for r in whole) == 6
    assert [r.key for r in whole] == sorted((r.key for r in whole), key=int)
    with pytest.raises(Forbidden):
        coverage.coverage(container.uow(), force.world.hr, where=coverage.ListFilter(
            agency_id=agencies["NL-FC"]), summary=kept)
