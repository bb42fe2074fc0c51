"""Accused linked to registry officers: two proofs beside the name, or review, never a guess."""

from __future__ import annotations

from datetime import date

from confianza.identities.rules.people import person
from confianza.integrity.rules.complaints import AccusedIdentity
from confianza.integrity.rules.complaints_links import (
    LinkOutcome,
    accused_key,
    count,
    link_accused,
    network_key,
)

PEOPLE = [
    person("o:1", "CURTIS E", "ALEQUIN", None, None, 1994, "H", None, (), date(2017, 5, 16)),
    person("o:2", "ABDUL", "ALI", None, None, 1990, "H", None, (), date(2017, 2, 16)),
    person("o:3", "ABDUL", "ALI", None, None, 1990, "H", None, (), date(2017, 2, 16)),
    person("o:4", "JAVED", "ALI", None, None, 1983, "H", None, (), date(2006, 11, 27)),
    person("o:5", "MARÍA", "PEÑA", None, None, 1970, "M", None, (), date(1995, 1, 2)),
    person("f:9", "CURTIS E", "ALEQUIN", None, None, 1994, "H", None, (), date(2017, 5, 16)),
]
BADGES = {"o:1": ["10028"], "o:4": ["8411", "2340"], "o:5": ["777"]}


def _who(given: str, surname: str, year: int | None = None, appointed: date | None = None,
         star: str | None = None) -> AccusedIdentity:
    return AccusedIdentity(given, surname, star, year, appointed)


def _link(who: AccusedIdentity) -> tuple[LinkOutcome, int | None, tuple[int, ...]]:
    found = link_accused([who], PEOPLE, BADGES)[who]
    return found.outcome, found.officer_id, found.candidates


def test_name_and_two_proofs_link_one_officer() -> None:
    assert _link(_who("CURTIS E", "ALEQUIN", 1994, date(2017, 5, 16))) == (
        LinkOutcome.LINKED, 1, ())
    # Birth year and star, no appointment date; accents and case folded as the matcher does.
    assert _link(_who("maria", "Pena", 1970, None, "777")) == (LinkOutcome.LINKED, 5, ())
    # The middle initial may be missing on one side.
    assert _link(_who("CURTIS", "ALEQUIN", 1994, None, "10028"))[0] is LinkOutcome.LINKED


def test_two_officers_equally_good_go_to_review() -> None:
    assert _link(_who("ABDUL", "ALI", 1990, date(2017, 2, 16))) == (
        LinkOutcome.AMBIGUOUS, None, (2, 3))


def test_a_name_with_one_proof_or_none_goes_to_review_not_to_an_officer() -> None:
    assert _link(_who("JAVED", "ALI", 1983)) == (LinkOutcome.AMBIGUOUS, None, (4,))
    assert _link(_who("JAVED", "ALI")) == (LinkOutcome.AMBIGUOUS, None, (4,))


def test_a_disagreeing_fact_or_initial_rules_an_officer_out() -> None:
    assert _link(_who("JAVED", "ALI", 1984, date(2006, 11, 27)))[0] is LinkOutcome.UNMATCHED
    assert _link(_who("CURTIS X", "ALEQUIN", 1994, date(2017, 5, 16)))[0] is (
        LinkOutcome.UNMATCHED)


def test_a_misspelt_name_with_star_birth_and_appointment_goes_to_review() -> None:
    assert _link(_who("JAVED", "ALLI", 1983, date(2006, 11, 27), "2340")) == (
        LinkOutcome.AMBIGUOUS, None, (4,))


def test_unknown_and_absent_officers_are_unmatched_and_file_people_never_linked() -> None:
    assert _link(_who("UNKNOWN", "UNKNOWN"))[0] is LinkOutcome.UNMATCHED
    assert _link(_who("EDWARD", "ZEMAN", 1980, date(2005, 1, 1)))[0] is LinkOutcome.UNMATCHED


def test_network_keys_and_counts() -> None:
    linked = _who("CURTIS E", "ALEQUIN", 1994, date(2017, 5, 16))
    zeman = _who("EDWARD", "ZEMAN", 1980, date(2005, 1, 1))
    unknown = _who("UNKNOWN", "UNKNOWN")
    links = link_accused([linked, zeman, zeman, unknown], PEOPLE, BADGES)
    assert network_key(links[linked], linked, "1") == "o:1"
    assert network_key(links[zeman], zeman, "2") == network_key(links[zeman], zeman, "3") == (
        accused_key(zeman, "9"))
    assert network_key(links[unknown], unknown, "4") != network_key(links[unknown], unknown, "5")
    counts = count(links, [linked, zeman, zeman, unknown])
    assert counts.identities[LinkOutcome.UNMATCHED] == 2
    assert counts.rows == {LinkOutcome.LINKED: 1, LinkOutcome.UNMATCHED: 3}
