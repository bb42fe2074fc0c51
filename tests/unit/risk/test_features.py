"""Features as of a day: windows, findings known only once closed, the network before the day,
postings and pay, and no leakage from anything later."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

from confianza.integrity.rules.network import Involvement
from confianza.risk.rules.features import FEATURES, FeatureBuilder, rank_level
from confianza.risk.rules.history import (
    ComplaintEvent,
    OfficerHistory,
    PayYear,
    Population,
    Posting,
)

AS_OF = date(2015, 12, 31)


def complaint(key: str, known: date, *, categories: frozenset[str] = frozenset({"use_of_force"}),
              finding: str = "no_finding", closed: date | None = None,
              civilian: bool = True) -> ComplaintEvent:
    sustained = categories if finding == "sustained" else frozenset()
    return ComplaintEvent(key, known, known, civilian, categories, sustained, finding, closed)


def officer(key: str = "o:1", complaints: tuple[ComplaintEvent, ...] = (), **kw: object
            ) -> OfficerHistory:
    return OfficerHistory(key, appointed=date(2005, 3, 1), birth_year=1980,
                          complaints=complaints, **kw)  # type: ignore[arg-type]


def features(who: OfficerHistory, *others: OfficerHistory, as_of: date = AS_OF,
             extra: tuple[tuple[Involvement, date | None], ...] = ()) -> dict[str, float]:
    population = Population.of([who, *others], starts=date(2000, 1, 1), ends=date(2023, 1, 1),
                               others=extra)
    rows = FeatureBuilder(population).rows(as_of, [who])
    return dict(zip(FEATURES, rows.values[0].tolist(), strict=True))


def test_each_window_counts_what_was_known_in_it() -> None:
    history = officer(complaints=(
        complaint("a", AS_OF - timedelta(days=10)),  # 90d and longer
        complaint("b", AS_OF - timedelta(days=200), civilian=False),  # 1y and longer
        complaint("c", AS_OF - timedelta(days=500), categories=frozenset({"abuse_of_authority"})),
        complaint("d", AS_OF - timedelta(days=1500)),  # 5y only
        complaint("e", AS_OF - timedelta(days=3000)),  # career only
        complaint("f", AS_OF),  # the day itself counts
    ))
    got = features(history)
    assert [got[f"complaints_{w}"] for w in ("90d", "1y", "2y", "5y")] == [2, 3, 4, 5]
    assert got["departmental_1y"] == 1 and got["civilian_1y"] == 2
    assert got["force_2y"] == 3 and got["authority_2y"] == 1
    assert got["complaints_career"] == 6


def test_a_finding_counts_only_once_the_case_closed() -> None:
    closes = date(2016, 3, 1)
    history = officer(complaints=(complaint("a", date(2015, 6, 1), finding="sustained",
                                            closed=closes),))
    before, after = features(history), features(history, as_of=closes)
    assert before["pending_1y"] == 1 and before["sustained_1y"] == 0
    assert before["sustained_career"] == 0
    assert after["sustained_1y"] == 1 and after["sustained_career"] == 1


def test_nothing_after_the_day_changes_the_features() -> None:
    """The leakage test: later complaints, findings, co-accusals, postings and pay are added
    to an officer and their partner; the features as of the day do not move."""
    early = complaint("a", date(2014, 5, 1), finding="not_sustained", closed=date(2015, 1, 1))
    partner_early = complaint("a", date(2014, 5, 1), finding="not_sustained")
    me = officer(complaints=(early,), postings=(Posting("7", date(2005, 3, 1)),),
                 pay=(PayYear(2014, 80_000, "POLICE OFFICER"),))
    partner = officer("o:2", (partner_early,))
    base = features(me, partner)

    later = complaint("z", date(2016, 2, 1), finding="sustained", closed=date(2016, 6, 1))
    me_later = officer(complaints=(early, later),
                       postings=(Posting("7", date(2005, 3, 1)), Posting("9", date(2016, 1, 5))),
                       pay=(PayYear(2014, 80_000, "POLICE OFFICER"),
                            PayYear(2015, 90_000, "SERGEANT")))
    # The partner is sustained later, in a complaint made later, with a new co-accused too.
    partner_later = officer("o:2", (partner_early, complaint("z", date(2016, 2, 1),
                                                             finding="sustained",
                                                             closed=date(2016, 6, 1))))
    stranger = (Involvement("z", date(2016, 2, 1), True, "u:X", "sustained"), date(2016, 6, 1))
    after = features(me_later, partner_later, extra=(stranger,))
    np.testing.assert_array_equal(list(after.values()), list(base.values()))
    assert base["partners"] == 1 and base["partners_sustained"] == 0


def test_network_measures_before_the_day() -> None:
    shared = [complaint(k, date(2013, 1, 1) + timedelta(days=30 * i)) for i, k in
              enumerate("abc")]
    me = officer(complaints=tuple(shared))
    partner = officer("o:2", (
        complaint("a", date(2013, 1, 1)), complaint("b", date(2013, 1, 31)),
        complaint("q", date(2012, 1, 1), finding="sustained", closed=date(2012, 9, 1))))
    once = officer("o:3", (complaint("c", date(2013, 3, 2)),))
    got = features(me, partner, once)
    assert got["partners"] == 2  # o:2 (two shared) and o:3 (one)
    assert got["repeat_partners"] == 1
    assert got["partners_sustained"] == 1  # o:2's finding closed in 2012


def test_postings_pay_tenure_and_age() -> None:
    me = officer(postings=(Posting("1", date(2005, 3, 1)), Posting("2", date(2013, 1, 1)),
                           Posting("3", date(2015, 6, 1))),
                 pay=(PayYear(2013, 70_000, "POLICE OFFICER"),
                      PayYear(2014, 75_000, "SERGEANT"), PayYear(2015, 99_000, "LIEUTENANT")))
    got = features(me)
    assert got["transfers_1y"] == 1 and got["transfers_5y"] == 2
    assert got["units_5y"] == 2
    assert got["days_in_unit"] == (AS_OF - date(2015, 6, 1)).days
    # A year's pay is known once the year is over: on 31 December 2015, 2014 is the last.
    assert got["salary"] == 75_000 and got["salary_change"] == 5_000
    assert got["rank_level"] == 2
    assert got["age"] == 35 and round(got["tenure_years"], 1) == 10.8


def test_only_officers_serving_on_the_day_get_rows() -> None:
    gone = OfficerHistory("o:9", appointed=date(2001, 1, 1), left=date(2010, 1, 1))
    later = OfficerHistory("o:8", appointed=date(2016, 1, 1))
    serving = officer()
    population = Population.of([gone, later, serving], starts=date(2000, 1, 1),
                               ends=date(2020, 1, 1))
    rows = FeatureBuilder(population).rows(AS_OF)
    assert rows.officers == ("o:1",)
    assert np.isnan(rows.column("days_in_unit")[0])


def test_rank_words() -> None:
    assert rank_level("POLICE OFFICER") == 0 and rank_level("SERGEANT OF POLICE") == 2
    assert math.isnan(rank_level(None)) and math.isnan(rank_level("CLERK"))


def test_factor_words_agree_with_their_number() -> None:
    """One of a thing is said in the singular, any other number in the plural."""
    from confianza.risk.rules.words import words

    assert words("transfers_1y", 1.0) == ("1 cambio de adscripción en 12 meses",
                                         "1 transfer in 12 months")
    assert words("transfers_1y", 3.0) == ("3 cambios de adscripción en 12 meses",
                                         "3 transfers in 12 months")
    assert words("force_1y", 1.0) == ("1 queja por uso excesivo de la fuerza en 12 meses",
                                     "1 complaint of excessive force in 12 months")
    assert words("partners", 1.0)[1] == "co-accused with 1 officer"
    assert words("partners", 2.0)[1] == "co-accused with 2 officers"
