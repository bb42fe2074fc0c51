"""Each scoring signal fires on the pattern it names and not on ordinary work, says why in
both languages and lists the reads behind it (issue 19 §2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from confianza.access.rules.facts import CaseFact, Facts, Posting, Reader, Span
from confianza.access.rules.reads import Read
from confianza.access.rules.scoring import (
    SIGNAL_NAMES,
    History,
    Suspect,
    Window,
    assess,
    burst,
    confidential_case,
    history,
    leaving,
    off_hours,
    one_case,
    one_unit,
    own_history,
    peer_key,
    reader_zone,
    suspect,
    unfamiliar,
)
from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.trail.rules import AuditAction

MEXICO = ZoneInfo("America/Mexico_City")
# Friday 20 November 2026, 10:00 in Mexico City.
MORNING = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
CLERK = Reader("rosa", 5, Role.REGISTRY_CLERK)
PEER = Reader("luis", 6, Role.REGISTRY_CLERK)


def reads(n: int, *, start: datetime = MORNING, every: timedelta = timedelta(minutes=20),
          first_officer: int = 100, reader: str = "rosa") -> list[Read]:
    return [Read(n + 1, start + every * n, reader, first_officer + n, AuditAction.OFFICER_READ)
            for n in range(n)]


def window(found: list[Read], *, navigation: bool = False, facts: Facts | None = None,
           known: History | None = None, reader: Reader = CLERK, days: int = 5) -> Window:
    return Window(reader, [Suspect(r, navigation) for r in found], facts or Facts(),
                  known or History(), MEXICO, days)


def test_only_reads_no_work_explains_are_suspect_and_search_weighs_less() -> None:
    read = reads(1)[0]
    assert suspect(read, ["assigned_exam", "search_result"]) is None
    assert suspect(read, []) == Suspect(read, navigation=False)
    found = suspect(read, ["search_result"])
    assert found is not None and found.navigation and found.weight < 1


def test_records_nobody_in_the_peer_group_read_are_unfamiliar() -> None:
    found = reads(4)
    signal = unfamiliar(window(found))
    assert signal is not None and signal.points == 4
    assert [r.officer_id for r in signal.reads] == [100, 101, 102, 103]
    assert "4 expedientes" in signal.es and "4 records" in signal.en
    # What a peer (same role, same scope) read before is familiar.
    known = History(peer_read={peer_key(PEER): {100, 101}})
    assert unfamiliar(window(found, known=known)) is None


def test_a_searched_record_counts_fully_only_when_no_one_elses_work_touched_it() -> None:
    found = reads(4)
    assert unfamiliar(window(found, navigation=True)) is not None
    touched = History(touched={r.officer_id: {"hr-jal", "rosa"} for r in found})
    assert unfamiliar(window(found, navigation=True, known=touched)) is None
    assert unfamiliar(window(found, known=touched)) is not None


def test_more_unexplained_reads_than_the_readers_own_usual() -> None:
    found = reads(6)
    signal = own_history(window(found, known=History(own_rate={"rosa": 0.0})))
    assert signal is not None and signal.points == 4
    # A reader whose usual is two a day reads six in five days: nothing unusual.
    assert own_history(window(found, known=History(own_rate={"rosa": 2.0}))) is None


def test_a_burst_is_many_records_within_an_hour() -> None:
    assert burst(window(reads(9, every=timedelta(minutes=5)))) is None
    signal = burst(window(reads(12, every=timedelta(minutes=5))))
    assert signal is not None and len(signal.reads) == 12
    assert burst(window(reads(12, every=timedelta(minutes=20)))) is None


def test_reads_outside_the_working_day_of_the_readers_zone() -> None:
    night = datetime(2026, 11, 21, 4, 30, tzinfo=UTC)  # 22:30 on Friday in Mexico City
    assert off_hours(window(reads(2))) is None
    signal = off_hours(window(reads(2, start=night)))
    assert signal is not None and signal.points == 4
    # 19:30 in Mexico City is 17:30 in Tijuana: a Baja California account is still at work.
    evening = datetime(2026, 11, 21, 1, 30, tzinfo=UTC)
    tijuana = Reader("bc", 7, Role.AGENCY_HR, Scope(ScopeKind.STATE, "02"))
    assert str(reader_zone(tijuana, MEXICO)) == "America/Tijuana"
    assert off_hours(window(reads(1, start=evening + timedelta(minutes=45)))) is not None
    assert off_hours(window(reads(1, start=evening + timedelta(minutes=45), reader="bc"),
                            reader=tijuana)) is None


def test_many_officers_of_one_unit_in_a_day() -> None:
    found = reads(5)
    postings = {r.officer_id: [Posting(7, date(2020, 1, 1), None, unit_id=30)] for r in found}
    signal = one_unit(window(found, facts=Facts(postings=postings)))
    assert signal is not None and "una misma unidad" in signal.es
    postings[104] = [Posting(7, date(2020, 1, 1), None, unit_id=31)]
    assert one_unit(window(found, facts=Facts(postings=postings))) is None


def test_several_officers_of_one_case_and_any_officer_under_a_confidential_case() -> None:
    found = reads(3)
    case = CaseFact(9, 7, Span(MORNING - timedelta(days=10), None), "taker")
    cases = {r.officer_id: [case] for r in found}
    assert one_case(window(found, facts=Facts(cases=cases))) is not None
    assert one_case(window(found[:2], facts=Facts(cases=cases))) is None
    signal = confidential_case(window(found[:1], facts=Facts(cases=cases)))
    assert signal is not None and signal.points == 4
    closed = CaseFact(9, 7, Span(MORNING - timedelta(days=30), MORNING - timedelta(days=1)),
                      "taker")
    assert confidential_case(window(found[:1], facts=Facts(cases={100: [closed]}))) is None


def test_reads_by_someone_about_to_leave() -> None:
    facts = Facts(leaving={"rosa": "separación abierta desde 2026-11-02"})
    signal = leaving(window(reads(1), facts=facts))
    assert signal is not None and "2026-11-02" in signal.es
    assert leaving(window([], facts=facts)) is None
    assert leaving(window(reads(1))) is None


def test_an_assessment_adds_the_signals_and_lists_each_read_once() -> None:
    found = reads(12, every=timedelta(minutes=4))
    result = assess(window(found))
    names = [s.name for s in result.signals]
    assert names == ["unfamiliar", "own_history", "burst"]
    assert set(names) <= set(SIGNAL_NAMES)
    assert result.points == 12 + 10 + 12
    assert len(result.reads) == 12
    assert result.why("en").startswith("12 records nobody")
    assert result.why("es").startswith("12 expedientes")


def test_history_gathers_peers_and_the_readers_usual_rate() -> None:
    earlier = reads(4, start=MORNING - timedelta(days=10))
    judged = [(r, suspect(r, [])) for r in earlier[:2]] + [(r, None) for r in earlier[2:]]
    found = history(judged, [("hr", 100)], {"rosa": CLERK}, days=4)
    assert found.peer_read[peer_key(CLERK)] == {100, 101, 102, 103}
    assert found.own_rate == {"rosa": 0.5}
    assert found.touched == {100: {"hr"}}
