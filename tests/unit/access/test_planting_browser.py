"""The planted examiner browsing colleagues (issue 19 §4) reads officers their scope lets them
open: those of their own state's agencies. Officers of other states' agencies would be refused
(`authz:permission:denied`), leave no read in the trail, and the scenario would go uncaught
because it hardly happened (`confianza access plant` printed it "not caught" on the demo)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from confianza.access.service.planting import STARTS, Plan
from confianza.access.service.simulation import Staff
from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, ScopeKind


def _actor(name: str, role: Role, scope: Scope = Scope()) -> Actor:
    return Actor(1, name, role, scope, ActorKind.USER)


class _Clock:
    now = datetime(2027, 1, 22, 10, 0)

    def tick(self) -> None:
        pass


class _Work:
    """What the planted sessions use of the simulation's work: its staff, the officers seen on
    the agencies' rosters, and `act`, which here only notes who read whom."""

    def __init__(self, staff: Staff, known: dict[int, list[tuple[int, str | None]]]) -> None:
        self.staff, self.known = staff, known
        self.reads: list[tuple[str, int]] = []

    def act(self, what: str, call: Any, actor: Actor, officer: int, *rest: Any) -> object:
        self.reads.append((actor.username, officer))
        return object()


def test_the_colleague_browser_reads_officers_of_its_own_states_agencies() -> None:
    browser = _actor("sim-examiner-01-1", Role.EXAMINER, Scope(ScopeKind.STATE, "01"))
    staff = Staff(
        hr=[(_actor("sim-hr-01", Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=10)), 10),
            (_actor("sim-hr-02", Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=20)), 20)],
        examiners={1: [browser], 2: [_actor("sim-examiner-14-1", Role.EXAMINER,
                                            Scope(ScopeKind.STATE, "14"))]},
        clerks=[_actor("sim-clerk-1", Role.REGISTRY_CLERK),
                _actor("sim-clerk-2", Role.REGISTRY_CLERK)])
    staff.states = {10: "01", 20: "14"}  # the agencies' states
    own = [(100 + n, None) for n in range(5)]
    elsewhere = [(200 + n, None) for n in range(50)]
    work = _Work(staff, {10: own, 20: elsewhere})
    plan = Plan(pool=[900, 901], rng=random.Random(3))
    for day in range(STARTS["colleague_browser"], STARTS["colleague_browser"] + 5):
        for _, session in plan.sessions(work, day):  # type: ignore[arg-type]
            session(_Clock())  # type: ignore[arg-type]
    browsed = [officer for reader, officer in work.reads if reader == browser.username]
    assert len(browsed) == 5 * 3
    assert set(browsed) <= {officer for officer, _ in own}
    assert plan.scenarios["colleague_browser"].reads == 15
