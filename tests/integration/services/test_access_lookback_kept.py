"""The detection's lookback kept in the database between runs (issue 19, ADR 0037 addendum), on
both databases: day-by-day runs on the kept state raise exactly the alerts that runs explaining
the lookback from the trail raise, and that one run over the whole period raises; a kept state
that cannot be trusted (another version of the rules, a day missing, the log's root changed,
an account moved to another peer group, a state that already holds the period) is not used,
and the run says why."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from evaluation_support import World, build_world, person
from log_verify_support import ORIGIN
from sqlalchemy import text

from confianza.access.service import state as kept_state
from confianza.access.service.detection import detect
from confianza.accounts.rules.permissions import Actor, Role
from confianza.app.bootstrap import Container
from confianza.core.civil_time import start_of_day
from confianza.kit.signed_note import Signer
from confianza.registry.service import officers as officer_service
from confianza.transparency.service import log as transparency
from confianza.transparency.service.verify import VerifyReport, verify_log
from conftest import PUBLIC, FakeClock

SIGNER = Signer.generate(ORIGIN)
MONDAY = date(2026, 11, 23)
DAYS = [MONDAY + timedelta(days=n) for n in range(4)]
NAMES = ("Ibarra", "Luna", "Soto", "Campos", "Mejía", "Rivas", "Paredes", "Galindo", "Quiroz",
         "Salas", "Toledo", "Urrutia", "Zamora", "Ochoa", "Pineda", "Reyes")

Alerted = tuple[str, date, float, tuple[str, ...], tuple[tuple[int, int], ...]]


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


def _verify(container: Container) -> VerifyReport:
    return verify_log(container.uow(), [SIGNER.verifier], PUBLIC, origin=ORIGIN)


def _local(container: Container, day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), container.zone).astimezone(UTC)


def _week(world: World, clock: FakeClock) -> None:
    """Four days of reads no work explains: the second examiner four records on Monday and
    four on Tuesday (neither day alone is enough: Tuesday's alert needs Monday's reads, which
    a run on Tuesday finds in the kept state); the first examiner twelve within an hour on
    Wednesday; a certification officer five at night on Thursday."""
    container = world.container
    officers = {who: [world.new_officer("Berta", name, who) for name in NAMES]
                for who in ("Luna", "Vera", "Noche")}
    plan = [(world.second_examiner, DAYS[0], 9, officers["Luna"][:4], 20),
            (world.second_examiner, DAYS[1], 10, officers["Luna"][4:8], 20),
            (world.examiner, DAYS[2], 11, officers["Vera"][:12], 3),
            (world.decider, DAYS[3], 21, officers["Noche"][:5], 5)]
    for reader, day, hour, chosen, apart in plan:
        clock.now = _local(container, day, hour)
        for officer in chosen:
            clock.advance(minutes=apart)
            officer_service.read_record(container.uow(), reader, officer)
    clock.now = _local(container, DAYS[-1] + timedelta(days=2), 9)  # the runs write here
    transparency.integrate(container.uow(), PUBLIC)


def _cut(container: Container, day: date) -> datetime:
    """The run the morning after: the trail up to 07:00 of the next day."""
    return start_of_day(day + timedelta(days=1), container.zone) + timedelta(hours=7)


def _queue(container: Container) -> list[Alerted]:
    with container.engine.connect() as c:
        alerts = c.execute(text("SELECT id, reader, day, points, signals FROM access_alerts "
                                "ORDER BY day, reader")).all()
        reads = c.execute(text("SELECT alert_id, entry_id, officer_id FROM access_alert_reads "
                               "ORDER BY entry_id, officer_id")).all()
    found = []
    for number, reader, day, points, signals in alerts:
        mine = tuple((entry, officer) for alert, entry, officer in reads if alert == number)
        found.append((reader, date.fromisoformat(str(day)[:10]), round(points, 2),
                      tuple(sorted(s.split('"name": "')[1].split('"')[0]
                                   for s in signals.split("}")[:-1])), mine))
    return found


def _forget(container: Container, *, state: bool = True) -> None:
    with container.engine.begin() as c:
        c.execute(text("DELETE FROM access_alert_reads"))
        c.execute(text("DELETE FROM access_alerts"))
        if state:
            c.execute(text("DELETE FROM access_lookback_days"))
            c.execute(text("DELETE FROM access_lookback"))


def _day_by_day(world: World, auditor: Actor, *, rebuild: bool) -> list[str]:
    container = world.container
    said = []
    for day in DAYS:
        transparency.integrate(container.uow(), PUBLIC)
        _, origin = kept_state.detect_kept(container.uow(), auditor, day, day, threshold=10,
                                           verify=lambda: _verify(container),
                                           as_of=_cut(container, day), rebuild=rebuild)
        said.append(origin.why)
    return said


def test_the_kept_state_gives_the_alerts_the_trail_gives(
        world: World, clock: FakeClock) -> None:
    container = world.container
    _week(world, clock)
    auditor = person(container, Role.AUDITOR, "auditora")

    said = _day_by_day(world, auditor, rebuild=False)
    assert said[0] == "rebuilt from the trail: no state was kept yet"
    assert all(why.startswith("kept state used: ") for why in said[1:])
    kept = _queue(container)
    assert [(reader, day) for reader, day, *_ in kept] == [
        (world.second_examiner.username, DAYS[1]), (world.examiner.username, DAYS[2]),
        (world.decider.username, DAYS[3])]
    tuesday = kept[0]
    assert len(tuesday[4]) == 8  # Monday's four reads came from the kept state
    assert "burst" in kept[1][3] and "off_hours" in kept[2][3]

    _forget(container)
    said = _day_by_day(world, auditor, rebuild=True)
    assert all(why == "rebuilt from the trail, as asked (--rebuild)" for why in said[1:])
    assert _queue(container) == kept

    _forget(container)
    transparency.integrate(container.uow(), PUBLIC)
    detect(container.uow(), auditor, DAYS[0], DAYS[-1], threshold=10,
           verify=lambda: _verify(container), as_of=_cut(container, DAYS[-1]))
    assert _queue(container) == kept


def _reason(container: Container, since: date) -> str:
    loaded = kept_state.load_kept(container.uow(), since, _cut(container, since), False)
    return loaded.why


def test_a_kept_state_that_cannot_be_trusted_is_rebuilt_and_says_why(
        world: World, clock: FakeClock) -> None:
    container = world.container
    _week(world, clock)
    auditor = person(container, Role.AUDITOR, "auditora")
    _day_by_day(world, auditor, rebuild=False)
    friday = DAYS[-1] + timedelta(days=1)
    assert _reason(container, friday).startswith("kept state used: 2026-10-24 to 2026-11-26")
    assert "already holds 2026-11-26, on or after the period's first day 2026-11-26" in \
        _reason(container, DAYS[-1])
    with container.engine.connect() as c:
        version, root, first = c.execute(text(
            "SELECT version, log_root, first_day FROM access_lookback")).one()

    def changed(change: str, undo: str, expected: str, **values: object) -> None:
        with container.engine.begin() as c:
            c.execute(text(change), values)
        assert expected in _reason(container, friday)
        with container.engine.begin() as c:
            c.execute(text(undo), {"version": version, "root": bytes(root), "first": first,
                                   "who": world.decider.username})
        assert _reason(container, friday).startswith("kept state used: ")

    changed("UPDATE access_lookback SET version = 'older'",
            "UPDATE access_lookback SET version = :version",
            "rebuilt from the trail: the state was kept by another version of the detection's "
            "rules")
    changed("UPDATE access_lookback SET first_day = :day",
            "UPDATE access_lookback SET first_day = :first",
            "the state begins on 2026-11-01; the period's lookback begins on 2026-10-24",
            day=date(2026, 11, 1))
    changed("UPDATE access_lookback SET log_root = :zeros",
            "UPDATE access_lookback SET log_root = :root",
            "the tamper-evident log's first", zeros=bytes(32))
    changed("UPDATE users SET role = 'registry_clerk' WHERE username = :who",
            "UPDATE users SET role = 'certification_officer' WHERE username = :who",
            "1 accounts changed role or scope since it was kept (e.g. certificador-uno)",
            who=world.decider.username)
    with container.engine.begin() as c:
        suspects = c.execute(text("SELECT suspects FROM access_lookback_days WHERE day = :d"),
                             {"d": DAYS[1]}).scalar()
        c.execute(text("UPDATE access_lookback_days SET suspects = :s WHERE day = :d"),
                  {"s": b"CLB1 altered", "d": DAYS[1]})
    assert "the kept state cannot be read: it cannot be unpacked" in _reason(container, friday)
    with container.engine.begin() as c:
        c.execute(text("UPDATE access_lookback_days SET suspects = :s WHERE day = :d"),
                  {"s": suspects, "d": DAYS[1]})
        c.execute(text("UPDATE access_lookback_days SET day = :later WHERE day = :d"),
                  {"later": date(2026, 11, 29), "d": DAYS[1]})
    assert "lacks 1 of its days (the first 2026-11-24)" in _reason(container, friday)


def test_only_an_auditor_runs_the_detection_that_keeps_the_state(
        world: World, clock: FakeClock) -> None:
    from confianza.core.errors import Forbidden
    container = world.container
    _week(world, clock)
    with pytest.raises(Forbidden):
        kept_state.detect_kept(container.uow(), world.hr, DAYS[0], DAYS[0], threshold=10,
                               verify=lambda: _verify(container), as_of=_cut(container, DAYS[0]))
    with container.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM access_lookback")).scalar() == 0
