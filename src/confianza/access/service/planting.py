"""Planted insiders (issue 19 §4): four kinds of misuse done through the same use cases as the
simulated ordinary work, among it, then the detection run day by day to see whether and when
each is caught, and how many alerts fall on ordinary work.

- `slow_leaker`: a registry clerk opens a few unrelated records a day (typed-in addresses: no
  list or search put them there), from one day to the end;
- `burst_collector`: an agency's HR opens its roster page and then forty of its officers in one
  sitting;
- `raid_clerk`: the other clerk opens the roster of an agency and reads the officers of one
  unit, the day before a raid;
- `colleague_browser`: an examiner opens, a few a day, records of officers who are none of
  their exams (the people they work among: the officers of their state's agencies, which their
  scope lets them open).

Each starts after `LOOKBACK` of ordinary work, so that the readers and their peers have a
history to be weighed against.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from confianza.access.rules.scoring import working_days
from confianza.access.service.simulation import Session, _Day, _Work
from confianza.access.service.state import detect_kept
from confianza.accounts.rules.permissions import Actor
from confianza.core.civil_time import start_of_day
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import RecordSection
from confianza.transparency.service.verify import VerifyReport
from confianza.work import UnitOfWork

#: Working day (from 0) each scenario starts on.
STARTS = {"slow_leaker": 22, "burst_collector": 26, "raid_clerk": 30, "colleague_browser": 34}
LEAKS_PER_DAY = 3
BURST = 40
RAID = 8
BROWSES_PER_DAY = 3


@dataclass
class Scenario:
    name: str
    reader: str = ""
    start: date | None = None  # the first day it acted
    reads: int = 0


@dataclass
class Plan:
    """The insiders, their pool of unrelated officers, and what each did."""

    pool: Sequence[int]
    rng: random.Random
    scenarios: dict[str, Scenario] = field(default_factory=lambda: {
        name: Scenario(name) for name in STARTS})
    days: list[date] = field(default_factory=list)

    def sessions(self, work: _Work, n: int) -> Sequence[Session]:
        staff, rng = work.staff, self.rng
        found: list[Session] = []
        leaker, raider = staff.clerks[-1], staff.clerks[0]
        collector, agency = staff.hr[min(2, len(staff.hr) - 1)]
        browser = next(iter(staff.examiners.values()))[0]
        if n >= STARTS["slow_leaker"]:
            for _ in range(LEAKS_PER_DAY):
                found.append((rng.uniform(9, 17.5), self._leak(work, leaker)))
        if n == STARTS["burst_collector"]:
            found.append((rng.uniform(11, 13), self._collect(work, collector, agency)))
        if n == STARTS["raid_clerk"]:
            target = rng.choice([a for _, a in staff.hr])
            found.append((rng.uniform(15, 17), self._raid(work, raider, target)))
        if n >= STARTS["colleague_browser"]:
            for _ in range(BROWSES_PER_DAY):
                found.append((rng.uniform(9, 17.5), self._browse(work, browser)))
        return found

    def _read(self, work: _Work, clock: _Day, name: str, actor: Actor, officer: int) -> None:
        clock.tick()
        if work.act(f"planted {name}", officer_service.read_record, actor, officer,
                    (RecordSection.IDENTITY,)) is None:
            return
        scenario = self.scenarios[name]
        scenario.reader = actor.username
        scenario.start = scenario.start or clock.now.date()
        scenario.reads += 1

    def _leak(self, work: _Work, actor: Actor) -> Callable[[_Day], None]:
        def run(clock: _Day) -> None:
            self._read(work, clock, "slow_leaker", actor, self.rng.choice(self.pool))
        return run

    def _collect(self, work: _Work, actor: Actor, agency: int) -> Callable[[_Day], None]:
        def run(clock: _Day) -> None:
            clock.tick()
            page = work.act("planted roster", agency_service.roster_page, actor, agency,
                            limit=200)
            lines = page.lines if page is not None else []
            for line in self.rng.sample(lines, min(BURST, len(lines))):
                self._read(work, clock, "burst_collector", actor, line.officer_id)
        return run

    def _raid(self, work: _Work, actor: Actor, agency: int) -> Callable[[_Day], None]:
        def run(clock: _Day) -> None:
            clock.tick()
            page = work.act("planted roster", agency_service.roster_page, actor, agency,
                            limit=500)
            lines = page.lines if page is not None else []
            units = Counter(line.unit_code for line in lines if line.unit_code)
            if not units:
                return
            unit, _ = units.most_common(1)[0]
            chosen = [line for line in lines if line.unit_code == unit][:RAID]
            for line in chosen:
                self._read(work, clock, "raid_clerk", actor, line.officer_id)
        return run

    def _browse(self, work: _Work, actor: Actor) -> Callable[[_Day], None]:
        def run(clock: _Day) -> None:
            state = actor.scope.state_code
            colleagues = [o for agency, officers in work.known.items()
                          if work.staff.states.get(agency) == state for o, _ in officers]
            if colleagues:
                self._read(work, clock, "colleague_browser", actor,
                           self.rng.choice(colleagues))
        return run




#: Working days of ordinary work before false alerts are counted: the peers' and the readers'
#: history has to exist first (`LOOKBACK`).
WARM_UP = 20


@dataclass
class Caught:
    scenario: str
    reader: str
    start: date | None
    caught: date | None
    working_days: int | None  # from its first act to the detection run that caught it, both in


@dataclass
class Measure:
    caught: list[Caught]
    false_alerts: int
    users: int
    weeks: float
    #: Runs that took their lookback from the state the run before kept, and the reasons of
    #: those that explained it from the trail.
    kept: int = 0
    rebuilt: list[str] = field(default_factory=list)

    @property
    def false_per_100_users_week(self) -> float:
        return 100 * self.false_alerts / max(self.users, 1) / max(self.weeks, 1e-9)


def measure(uow: UnitOfWork, actor: Actor, plan: Plan, days: Sequence[date], zone: tzinfo, *,
            threshold: float, verify: Callable[[], VerifyReport], users: int,
            set_time: Callable[[datetime], None], integrate: Callable[[], object],
            progress: Callable[[date], None] | None = None, rebuild: bool = False) -> Measure:
    """Detect each working day as the morning after would (the trail cut at the end of the
    next working day, so that the day's own acts can explain its reads), each run taking its
    lookback from the state the run before kept in the database, and compare the alerts with
    what was planted (`rebuild`: each run explains its lookback from the trail instead)."""
    caught: dict[str, date] = {}
    false_alerts, kept = 0, 0
    rebuilt: list[str] = []
    insiders = {s.reader: s for s in plan.scenarios.values() if s.reader}
    for n, day in enumerate(days):
        following = days[n + 1] if n + 1 < len(days) else day + timedelta(days=1)
        as_of = start_of_day(following + timedelta(days=1), zone)
        set_time(as_of)
        integrate()  # the earlier runs' own entries, written at their mornings
        found, origin = detect_kept(uow, actor, day, day, threshold=threshold, verify=verify,
                                    as_of=as_of, rebuild=rebuild)
        if origin.used:
            kept += 1
        else:
            rebuilt.append(f"{day}: {origin.why}")
        for alert in found.alerts:
            scenario = insiders.get(alert.reader)
            planted = [s for s in plan.scenarios.values() if s.reader == alert.reader
                       and s.start is not None and s.start <= day]
            if scenario is not None and planted:
                for s in planted:
                    caught.setdefault(s.name, day)
            elif n >= WARM_UP:
                false_alerts += 1
        if progress is not None:
            progress(day)
    result = []
    for s in plan.scenarios.values():
        when = caught.get(s.name)
        spent = (None if when is None or s.start is None
                 else working_days(s.start, when) + 1)  # + the morning-after run
        result.append(Caught(s.name, s.reader, s.start, when, spent))
    weeks = max(len(days) - WARM_UP, 0) / 5
    return Measure(result, false_alerts, users, weeks, kept, rebuilt)
