"""The structured result of each exam, checked before it is stored.

An examiner's result is more than an outcome: it says what was examined (the substances of the
toxicology panel and the sample's chain-of-custody id, the polygraph's topics, the psychological
instruments, the socio-economic declaration), so that a later review can see on what the outcome
rests. `check_result` takes the submitted fields, refuses what is missing or out of range with the
location of each fault, and returns the outcome with the normalised data to keep.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from confianza.core.errors import ErrorCollector
from confianza.vetting.rules.evaluations import OUTCOMES, ExamType

#: The substances every toxicology panel must cover, and the others a centre may add.
REQUIRED_SUBSTANCES: tuple[str, ...] = (
    "cannabinoids", "cocaine", "amphetamines", "methamphetamines", "benzodiazepines",
)
OPTIONAL_SUBSTANCES: tuple[str, ...] = ("barbiturates", "opiates", "phencyclidine", "fentanyl")
SUBSTANCES = REQUIRED_SUBSTANCES + OPTIONAL_SUBSTANCES

#: What a polygraph examination may cover (temas de la entrevista poligráfica).
POLYGRAPH_TOPICS: tuple[str, ...] = (
    "drug_use", "drug_trafficking", "organized_crime_links", "bribery", "theft",
    "information_leaks", "falsified_documents", "abuse_of_authority", "undeclared_income",
)

#: Psychological instruments a centre applies.
PSYCHOLOGICAL_INSTRUMENTS: tuple[str, ...] = (
    "mmpi-2", "16pf", "pai", "bender", "machover", "structured_interview", "cleaver",
)

CUSTODY_ID = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,39}$")
MONEY_MAX = 10**11  # pesos: refuses a slip of the keyboard, not a fortune
NOTES_MAX = 4000


@dataclass(frozen=True)
class CheckedResult:
    outcome: str
    data: dict[str, Any]


def check_result(exam: ExamType, fields: Mapping[str, Any]) -> CheckedResult:
    """The outcome and the data to store for `exam`, or ValidationFailed naming each fault
    (locations are `result.<field>`)."""
    errors = ErrorCollector()
    checker = _CHECKERS[exam]
    data = checker(fields, errors)
    outcome = _outcome(exam, fields, data, errors)
    errors.raise_if_any()
    return CheckedResult(outcome, data)


def _outcome(
    exam: ExamType, fields: Mapping[str, Any], data: dict[str, Any], errors: ErrorCollector
) -> str:
    if exam is ExamType.TOXICOLOGY:
        # The overall result follows from the panel; a submitted one must agree with it.
        panel = data.get("panel", {})
        derived = "positive" if "positive" in panel.values() else "negative"
        given = fields.get("outcome")
        if given is not None and given != derived:
            errors.add("result.outcome", f"the panel says {derived}, not {given}")
        return derived
    given = fields.get("outcome")
    if given is None or given == "":
        errors.add("result.outcome", "is required (one of: " + ", ".join(OUTCOMES[exam]) + ")")
        return ""
    if given not in OUTCOMES[exam]:
        errors.add("result.outcome", f"{given!r} is not an outcome of the {exam} exam (one of: "
                   + ", ".join(OUTCOMES[exam]) + ")")
        return ""
    return str(given)


def _toxicology(fields: Mapping[str, Any], errors: ErrorCollector) -> dict[str, Any]:
    custody = str(fields.get("chain_of_custody_id") or "").strip().upper()
    if not CUSTODY_ID.match(custody):
        errors.add("result.chain_of_custody_id", "is required: the sample's chain-of-custody "
                   "id, 4 to 40 letters, digits or '-'")
    raw = fields.get("panel")
    panel: dict[str, str] = {}
    if not isinstance(raw, Mapping):
        errors.add("result.panel", "must give each substance's result")
        return {"chain_of_custody_id": custody, "panel": panel}
    for substance, value in raw.items():
        where = f"result.panel.{substance}"
        if substance not in SUBSTANCES:
            errors.add(where, "is not a substance of the panel (one of: "
                       + ", ".join(SUBSTANCES) + ")")
        elif value not in ("negative", "positive"):
            errors.add(where, "must be negative or positive")
        else:
            panel[substance] = value
    for substance in REQUIRED_SUBSTANCES:
        if substance not in raw:
            errors.add(f"result.panel.{substance}", "is required in every panel")
    return {"chain_of_custody_id": custody, "panel": dict(sorted(panel.items()))}


def _choices(
    fields: Mapping[str, Any], name: str, allowed: tuple[str, ...], errors: ErrorCollector
) -> list[str]:
    raw = fields.get(name)
    if not isinstance(raw, list | tuple) or not raw:
        errors.add(f"result.{name}", "list at least one (of: " + ", ".join(allowed) + ")")
        return []
    chosen: list[str] = []
    for i, value in enumerate(raw):
        if value not in allowed:
            errors.add(f"result.{name}[{i}]", f"{value!r} is not one of: " + ", ".join(allowed))
        elif value not in chosen:
            chosen.append(str(value))
    return chosen


def _polygraph(fields: Mapping[str, Any], errors: ErrorCollector) -> dict[str, Any]:
    return {"topics": _choices(fields, "topics", POLYGRAPH_TOPICS, errors)}


def _psychological(fields: Mapping[str, Any], errors: ErrorCollector) -> dict[str, Any]:
    return {"instruments": _choices(fields, "instruments", PSYCHOLOGICAL_INSTRUMENTS, errors)}


def _medical(fields: Mapping[str, Any], errors: ErrorCollector) -> dict[str, Any]:
    restrictions = str(fields.get("restrictions") or "").strip()
    if fields.get("outcome") == "fit_with_restrictions" and len(restrictions) < 5:
        errors.add("result.restrictions", "say which restrictions apply (at least 5 characters)")
    if len(restrictions) > 500:
        errors.add("result.restrictions", "is longer than 500 characters")
    return {"restrictions": restrictions} if restrictions else {}


_MONEY_FIELDS = ("declared_income", "assets", "debts", "monthly_spending")


def _socioeconomic(fields: Mapping[str, Any], errors: ErrorCollector) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in _MONEY_FIELDS:
        value = _whole(fields.get(name), f"result.{name}", 0, MONEY_MAX, errors)
        if value is not None:
            data[name] = value
    household = _whole(fields.get("household_size"), "result.household_size", 1, 30, errors)
    if household is not None:
        data["household_size"] = household
    return data


def _whole(raw: object, where: str, low: int, high: int, errors: ErrorCollector) -> int | None:
    if raw is None or raw == "":
        errors.add(where, "is required")
        return None
    if isinstance(raw, bool):
        errors.add(where, "must be a whole number")
        return None
    try:
        value = int(str(raw).replace(",", "").strip()) if not isinstance(raw, int) else raw
    except ValueError:
        errors.add(where, f"{raw!r} is not a whole number")
        return None
    if not low <= value <= high:
        errors.add(where, f"must be between {low:,} and {high:,}")
        return None
    return value


_CHECKERS = {
    ExamType.TOXICOLOGY: _toxicology,
    ExamType.POLYGRAPH: _polygraph,
    ExamType.PSYCHOLOGICAL: _psychological,
    ExamType.MEDICAL: _medical,
    ExamType.SOCIOECONOMIC: _socioeconomic,
}


def check_notes(notes: str | None) -> str | None:
    if notes is None or not notes.strip():
        return None
    if len(notes) > NOTES_MAX:
        raise ValueError(f"notes are longer than {NOTES_MAX} characters")
    return notes.strip()
