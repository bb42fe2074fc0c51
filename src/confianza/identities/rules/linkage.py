"""The record-linkage model: which pairs are compared, how, and how it learns without labels.

A Fellegi-Sunter model run by Splink on an in-memory DuckDB (ADR 0027). Nothing here touches
the registry's database: people come in as `Person` values and scored pairs go out, so the
same model serves the registry, an imported file and the labelled benchmarks.

- Comparisons: given names and first surname (exact with term frequency, so a match on a rare
  name counts for more than one on GARCIA; then Jaro-Winkler bands), both surnames together
  (exact, swapped, one second surname missing), birth (same date, a one-character slip in it,
  the same year when one side has only the year, one year apart), sex, CURP (the same, or one
  character apart: a mistyped digit), the agencies served (any in common) and the year service
  began.
- Blocking: only pairs that share a surname and birth year, a given name and birth date, the
  CURP's first ten characters, or a surname swapped into the other place are compared at all;
  at national scale (401,607 officers) that keeps the pairs to a few million instead of 10^11.
- Training: u from pairs sampled at random (nearly all non-matches), then m by expectation
  maximisation in two passes, each blocked on what the other pass learns; no labels anywhere.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from confianza.identities.rules.people import Person

#: Below this, a pair is not worth a clerk's time. Chosen on the benchmarks (ADR 0027).
DEFAULT_THRESHOLD = 0.9
#: Pairs sampled to learn how often fields agree by chance; a fixed seed makes runs repeatable.
U_SAMPLE_PAIRS = 2_000_000
SEED = 2018


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two records the model thinks may be one person, with why: each comparison's level and
    its weight (log2 of how much it moved the odds)."""

    left: str
    right: str
    probability: float
    weight: float
    explanation: dict[str, dict[str, object]]


_NAME_BANDS = ((0.92, "very similar"), (0.80, "similar"))


def _name_levels(column: str) -> list[dict[str, Any]]:
    levels: list[dict[str, Any]] = [
        {"sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
         "label_for_charts": "missing", "is_null_level": True},
        {"sql_condition": f'"{column}_l" = "{column}_r"', "label_for_charts": "same",
         "tf_adjustment_column": column, "tf_adjustment_weight": 1.0, "m_probability": 0.85},
    ]
    for (threshold, label), m in zip(_NAME_BANDS, (0.08, 0.04), strict=True):
        levels.append({
            "sql_condition": f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {threshold}',
            "label_for_charts": label, "m_probability": m,
        })
    levels.append({"sql_condition": "ELSE", "label_for_charts": "different",
                   "m_probability": 0.03})
    return levels


def _comparison(name: str, levels: list[dict[str, Any]]) -> dict[str, Any]:
    return {"output_column_name": name, "comparison_levels": levels}


def comparisons() -> list[dict[str, Any]]:
    """The model's comparisons, most telling level first in each."""
    null = {"is_null_level": True, "label_for_charts": "missing"}
    return [
        _comparison("given_names", _name_levels("given_names")),
        _comparison("first_surname", _name_levels("first_surname")),
        # The second surname on its own (the first has its comparison), and the two
        # surnames swapped, which a form that asks for "apellidos" in one box often does.
        _comparison("surnames", [
            {**null, "sql_condition": "second_surname_l IS NULL AND second_surname_r IS NULL"},
            {"sql_condition": "second_surname_l = second_surname_r",
             "label_for_charts": "same second surname", "m_probability": 0.8,
             "tf_adjustment_column": "second_surname", "tf_adjustment_weight": 1.0},
            {"sql_condition": "first_surname_l = second_surname_r AND "
                              "second_surname_l = first_surname_r",
             "label_for_charts": "swapped", "m_probability": 0.03},
            {"sql_condition": "second_surname_l IS NULL OR second_surname_r IS NULL",
             "label_for_charts": "second surname missing on one side", "m_probability": 0.07},
            {"sql_condition": "jaro_winkler_similarity(second_surname_l, second_surname_r) "
                              ">= 0.88",
             "label_for_charts": "second surname similar", "m_probability": 0.05},
            {"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": 0.05},
        ]),
        _comparison("birth", [
            {**null, "sql_condition": "birth_year_l IS NULL OR birth_year_r IS NULL"},
            {"sql_condition": "birth_date_l = birth_date_r", "label_for_charts": "same date",
             "m_probability": 0.9},
            # A digit typed wrong, or the day or the month typed one off (09 for 10 is two
            # characters but one slip: the demo's second records showed EM scoring such pairs
            # as strangers, at the "same year" level, on a registry with few duplicates).
            {"sql_condition": "levenshtein(birth_date_l, birth_date_r) <= 1 OR ("
                              "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) AND ("
                              "(substr(birth_date_l, 6, 2) = substr(birth_date_r, 6, 2) AND "
                              "abs(CAST(substr(birth_date_l, 9, 2) AS INTEGER) - "
                              "CAST(substr(birth_date_r, 9, 2) AS INTEGER)) = 1) OR "
                              "(substr(birth_date_l, 9, 2) = substr(birth_date_r, 9, 2) AND "
                              "abs(CAST(substr(birth_date_l, 6, 2) AS INTEGER) - "
                              "CAST(substr(birth_date_r, 6, 2) AS INTEGER)) = 1)))",
             "label_for_charts": "a digit, a day or a month off",
             "m_probability": 0.04},
            {"sql_condition": "birth_year_l = birth_year_r AND "
                              "(birth_date_l IS NULL OR birth_date_r IS NULL)",
             "label_for_charts": "same year, one date unknown", "m_probability": 0.02},
            {"sql_condition": "birth_year_l = birth_year_r", "label_for_charts": "same year",
             "m_probability": 0.02},
            {"sql_condition": "abs(birth_year_l - birth_year_r) <= 1",
             "label_for_charts": "one year apart", "m_probability": 0.015},
            # Fixed, not learnt: a slip of one digit has its own level above, so two dates
            # further apart are nearly never one person's; with few true pairs EM let a
            # common full name outweigh it and proposed namesakes.
            {"sql_condition": "ELSE", "label_for_charts": "different",
             "m_probability": 0.001, "fix_m_probability": True},
        ]),
        _comparison("sex", [
            {**null, "sql_condition": "sex_l IS NULL OR sex_r IS NULL"},
            {"sql_condition": "sex_l = sex_r", "label_for_charts": "same", "m_probability": 0.98},
            {"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": 0.02},
        ]),
        _comparison("curp", [
            {**null, "sql_condition": "curp_l IS NULL OR curp_r IS NULL"},
            {"sql_condition": "curp_l = curp_r", "label_for_charts": "same",
             "m_probability": 0.95},
            {"sql_condition": "levenshtein(curp_l, curp_r) <= 1",
             "label_for_charts": "one character apart", "m_probability": 0.04},
            {"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": 0.01},
        ]),
        _comparison("agencies", [
            {**null, "sql_condition": "len(agencies_l) = 0 OR len(agencies_r) = 0"},
            {"sql_condition": "len(list_intersect(agencies_l, agencies_r)) > 0",
             "label_for_charts": "served in a common agency", "m_probability": 0.6},
            {"sql_condition": "ELSE", "label_for_charts": "no agency in common",
             "m_probability": 0.4},
        ]),
        # Fixed, not learnt: a second record is often an earlier or a later job, so when
        # service began says little, and on a registry with few duplicates EM made it say far
        # too much (the demo's second records: "within a year" weighed -52, sinking a pair
        # whose names and birth agreed).
        _comparison("service", [
            {**null, "sql_condition": "first_start_l IS NULL OR first_start_r IS NULL"},
            {"sql_condition": "first_start_l = first_start_r",
             "label_for_charts": "began service the same day", "m_probability": 0.5,
             "fix_m_probability": True},
            {"sql_condition": "abs(year(first_start_l) - year(first_start_r)) <= 1",
             "label_for_charts": "began service within a year", "m_probability": 0.2,
             "fix_m_probability": True},
            {"sql_condition": "ELSE", "label_for_charts": "began service years apart",
             "m_probability": 0.3, "fix_m_probability": True},
        ]),
    ]


#: Pairs compared at all (any rule lets a pair through). Each keeps blocks small at national
#: scale; together they let through every kind of planted error the benchmark makes.
BLOCKING_RULES = (
    "l.first_surname = r.first_surname AND l.birth_year = r.birth_year",
    "l.given_names = r.given_names AND l.birth_date = r.birth_date",
    "substr(l.curp, 1, 10) = substr(r.curp, 1, 10)",
    "l.first_surname = r.second_surname AND l.second_surname = r.first_surname",
    "l.given_names = r.given_names AND l.first_surname = r.first_surname",
)
#: Pairs that are surely one person, whose share tells the model how rare matches are.
_DETERMINISTIC = (
    "l.curp = r.curp",
    "l.given_names = r.given_names AND l.first_surname = r.first_surname AND "
    "l.birth_date = r.birth_date",
)
#: Each EM pass learns every comparison but those its blocking fixes. Where a small registry
#: gives a pass too few pairs to learn from, the next, broader rule of the pass is tried, and
#: failing all, the pass is left out (the levels keep their starting m values).
_EM_PASSES: tuple[tuple[tuple[str, Callable[[Person], object]], ...], ...] = (
    (("l.birth_date = r.birth_date", lambda p: p.birth_date),
     ("l.birth_year = r.birth_year", lambda p: p.birth_year)),
    (("l.given_names = r.given_names AND l.first_surname = r.first_surname",
      lambda p: (p.given_names, p.first_surname) if p.given_names else None),
     ("l.first_surname = r.first_surname", lambda p: p.first_surname or None)),
)
#: Fewer pairs than this under a training rule teach EM nothing it can trust.
_EM_MINIMUM_PAIRS = 200


def _pairs_under(key: Callable[[Person], object], left: Sequence[Person],
                 right: Sequence[Person] | None) -> int:
    """How many pairs a training rule would compare (records whose key is missing, none)."""
    counts = Counter(k for k in map(key, left) if k is not None)
    if right is None:
        return sum(n * (n - 1) // 2 for n in counts.values())
    return sum(counts.get(k, 0) for k in map(key, right) if k is not None)


def _table(people: Sequence[Person]) -> Any:
    """The people as an Arrow table with every column's type declared, so that a column that
    happens to be all missing (a file without birth dates) still compares as what it is."""
    import pyarrow as pa

    columns = {
        "unique_id": [p.key for p in people],
        "given_names": [p.given_names or None for p in people],
        "first_surname": [p.first_surname or None for p in people],
        "second_surname": [p.second_surname for p in people],
        "birth_date": [None if p.birth_date is None else p.birth_date.isoformat()
                       for p in people],
        "birth_year": [p.birth_year for p in people],
        "sex": [p.sex for p in people],
        "curp": [p.curp for p in people],
        "agencies": [list(p.agencies) for p in people],
        "first_start": [p.first_start for p in people],
    }
    types = _types()
    return pa.table({name: pa.array(values, type=types[name]) for name, values in columns.items()})


@cache
def _types() -> dict[str, Any]:
    import pyarrow as pa

    text = pa.string()
    return {"unique_id": text, "given_names": text, "first_surname": text,
            "second_surname": text, "birth_date": text, "birth_year": pa.int32(), "sex": text,
            "curp": text, "agencies": pa.list_(text), "first_start": pa.date32()}


def score(
    left: Sequence[Person], right: Sequence[Person] | None = None, *,
    threshold: float = DEFAULT_THRESHOLD, recall: float = 0.8,
) -> list[ScoredPair]:
    """Pairs at or above `threshold`: within `left` when `right` is None, else between the two
    (never two records of one side). Trained on the records themselves."""
    # Imported here: Splink and DuckDB take a second to load, which every other command of
    # the console would otherwise pay.
    from splink import DuckDBAPI, Linker, SettingsCreator

    if len(left) < 2 and right is None or not left or right is not None and not right:
        return []
    db = DuckDBAPI()
    tables = [db.register(_table(left), table_name="people_left")]
    if right is not None:
        tables.append(db.register(_table(right), table_name="people_right"))
    dedupe = right is None
    pairs = len(left) * (len(left) - 1) / 2 if dedupe else len(left) * len(right or ())

    def settings(prior: float | None = None) -> SettingsCreator:
        return SettingsCreator(
            link_type="dedupe_only" if dedupe else "link_only",
            comparisons=list[Any](comparisons()),
            blocking_rules_to_generate_predictions=[{"blocking_rule": rule}
                                                    for rule in BLOCKING_RULES],
            retain_intermediate_calculation_columns=True,
            # Splink's own starting value, until the estimate below replaces it.
            probability_two_random_records_match=prior or 0.0001,
        )

    inputs = tables if not dedupe else tables[0]
    # Splink warns through `logging` about levels it cannot train on small data; the
    # explanation stored with each pair says the same thing more usefully.
    logging.getLogger("splink").setLevel(logging.ERROR)
    # How rare a match is, from the pairs that are surely one person. A registry whose CURPs
    # are unique may have none at all: then at least one match is assumed among all pairs,
    # since a prior of zero would make every score zero.
    probe = Linker(inputs, settings(), log_level=None)
    probe.training.estimate_probability_two_random_records_match(
        list(_DETERMINISTIC), recall=recall)
    estimated = float(probe.misc.save_model_to_json()["probability_two_random_records_match"])
    linker = Linker(inputs, settings(max(estimated, 1.0 / max(pairs, 1.0))), log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=SEED)
    for rules in _EM_PASSES:
        usable = [rule for rule, key in rules
                  if _pairs_under(key, left, right) >= _EM_MINIMUM_PAIRS]
        if usable:
            trained = linker.misc.save_model_to_json()
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    usable[0], fix_probability_two_random_records_match=True)
            except ValueError:
                # On a small registry a level that no pair of the pass reaches can come out
                # of EM with m = 0, which Splink refuses (it would underflow), leaving the
                # linker half-way through the pass: the pass is left out, as one with too few
                # pairs is, and the model is taken back to what it was before it (the demo's
                # tiny force with a dozen planted duplicates did this).
                linker = Linker(inputs, trained, log_level=None)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    return [_pair(row) for row in predictions.as_record_list()]


_COMPARED = ("given_names", "first_surname", "surnames", "birth", "sex", "curp", "agencies",
             "service")


def _pair(row: dict[str, Any]) -> ScoredPair:
    explanation: dict[str, dict[str, object]] = {}
    for name in _COMPARED:
        # The comparison's weight (log2 of its Bayes factor), with the name's frequency
        # adjustment folded in: what the clerk needs is how far this field moved the score.
        weight = float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
        explanation[name] = {"level": int(row[f"gamma_{name}"]), "weight": round(weight, 2)}
    return ScoredPair(
        left=str(row["unique_id_l"]), right=str(row["unique_id_r"]),
        probability=float(row["match_probability"]), weight=float(row["match_weight"]),
        explanation=explanation,
    )


def level_labels() -> dict[str, dict[int, str]]:
    """Each comparison's levels by the number Splink gives them (-1 for missing, then counting
    down to 0 for the least alike), with the label a clerk reads."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in comparisons():
        levels = comparison["comparison_levels"]
        numbered = [lv for lv in levels if not lv.get("is_null_level")]
        by_level = {len(numbered) - 1 - i: str(lv["label_for_charts"])
                    for i, lv in enumerate(numbered)}
        by_level[-1] = "missing"
        labels[str(comparison["output_column_name"])] = by_level
    return labels
