"""The words of a name and of a typed name (ADR 0028): what the store indexes and looks for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from confianza.registry.rules.name_search import (
    NameQuery,
    name_words,
    parse_name,
    token_rows,
    words_key,
)
from confianza.registry.rules.officers import search_key


def test_words_are_folded_split_and_distinct() -> None:
    assert name_words("Pérez-García García, María José") == ["PEREZ", "GARCIA", "MARIA", "JOSE"]
    assert name_words("O'Brien Ñúñez") == ["OBRIEN", "NUNEZ"]
    assert words_key("PEREZ-GARCIA GARCIA JOSE") == " PEREZ GARCIA GARCIA JOSE "


def test_an_officer_has_one_row_per_distinct_word_beside_the_sort_key() -> None:
    key = search_key("García", "García", "Juan")
    assert token_rows(7, key) == [
        (7, "GARCIA", "GARCIA GARCIA JUAN", " GARCIA GARCIA JUAN "),
        (7, "JUAN", "GARCIA GARCIA JUAN", " GARCIA GARCIA JUAN "),
    ]


def test_every_typed_word_but_the_last_is_whole_and_the_longest_leads() -> None:
    query = parse_name("  juan   García lóp")
    assert query == NameQuery(("JUAN", "GARCIA"), "LOP")
    assert query.lead == "GARCIA"
    assert query.filters() == ["% JUAN %", "% LOP%"]
    alone = parse_name("fu")
    assert alone == NameQuery((), "FU") and alone.lead is None and alone.filters() == []
    assert parse_name("-- . ,") is None
    assert parse_name("Juan juan") == NameQuery(("JUAN",), "JUAN")


NAMES = st.lists(st.sampled_from(["Ana", "Peña", "Ruiz", "María", "José", "Núñez", "Cruz"]),
                 min_size=2, max_size=4, unique=True)


@given(NAMES, st.randoms())
def test_a_name_typed_in_any_order_matches_its_own_words(parts: list[str], rng: object) -> None:
    """Every typed word is found in the officer's row: the lead as the row's word, the others
    in its word list, whatever the order and case they are typed in."""
    key = search_key(parts[0], parts[1], " ".join(parts[2:]) or "X")
    rows = {row[1]: row for row in token_rows(1, key)}
    typed = list(parts)
    rng.shuffle(typed)  # type: ignore[attr-defined]
    query = parse_name(" ".join(w.lower() for w in typed))
    assert query is not None and query.lead in rows
    words = rows[query.lead][3]
    for pattern in query.filters():
        needle = pattern.strip("%")
        assert needle in words, (pattern, words)
