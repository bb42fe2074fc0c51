"""Synthetic trust-control centres, their staff, and exam results that pass `check_result`.

One state centre (centro estatal de evaluación y control de confianza) per state of the plan and
one federal centre for the federal agencies. Each centre gets a few examiners per exam and at least
three certification officers, so that a not-approved decision can be confirmed by a second
officer and an appeal decided by a third. Their accounts carry `UNUSABLE_PASSWORD`, which no
password verifies: synthetic staff exist for the records they sign, not to sign in.

Results are assembled as compact, key-sorted JSON text from precomputed pieces (a national build
writes millions of them); tests/unit/synthetic checks that they equal what `check_result` keeps.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from faker.providers.person.es_MX import Provider as _People

from confianza.demo.rules.force import ForcePlan, state_tag
from confianza.registry.rules.geography import STATES
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.rules.exam_results import (
    OPTIONAL_SUBSTANCES,
    POLYGRAPH_TOPICS,
    PSYCHOLOGICAL_INSTRUMENTS,
    REQUIRED_SUBSTANCES,
)

#: Not an argon2 hash: the verifier refuses it (InvalidHashError) for every password.
UNUSABLE_PASSWORD = "!synthetic-staff-account:no-password"
EXAMS: tuple[ExamType, ...] = tuple(sorted(ExamType))
WORKING_DAYS_A_YEAR = 250
SLACK = 1.3  # capacity above what re-evaluating everyone every three years needs


@dataclass(frozen=True)
class TrustIds:
    """The first id of each trust-control table's block, reserved by the writer."""

    centre: int = 1
    user: int = 1
    evaluation: int = 1
    exam: int = 1
    appeal: int = 1
    separation: int = 1
    notification: int = 1
    component: int = 1
    certificate: int = 1


@dataclass(frozen=True)
class DemoStaff:
    """Demo accounts (made before the build) the generated records must give work to."""

    examiner: int | None = None  # user id of demo-examiner: queued exams at the Jalisco centre
    certifiers: tuple[int, ...] = ()  # demo certification officers: decisions to confirm


@dataclass
class Centre:
    id: int
    code: str
    tag: str  # lower-case, for usernames and custody ids
    state_code: str | None
    served: int
    daily: dict[ExamType, int]
    examiners: dict[ExamType, list[int]] = field(default_factory=dict)
    certifiers: list[int] = field(default_factory=list)
    usernames: dict[int, str] = field(default_factory=dict)


#: The table of each list of rows of `Staff`, in its order, and the column of each value.
STAFF_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("evaluation_centres", ("id", "code", "name", "state_code", "active", "created_at")),
    ("centre_capacity", ("centre_id", "exam_type", "daily")),
    ("users", ("id", "username", "display_name", "password_hash", "role", "scope_kind",
               "scope_state_code", "scope_agency_id", "active", "created_at")),
    ("examiners", ("user_id", "centre_id")),
    ("examiner_qualifications", ("user_id", "exam_type")),
)


class Staff(NamedTuple):
    centres: list[Centre]
    centre_of_agency: list[int]  # plan agency index -> index into centres
    centre_rows: list[tuple[Any, ...]]
    capacity_rows: list[tuple[Any, ...]]
    user_rows: list[tuple[Any, ...]]
    examiner_rows: list[tuple[Any, ...]]
    qualification_rows: list[tuple[Any, ...]]


def build_staff(
    plan: ForcePlan, ids: TrustIds, now: datetime, rng: random.Random, demo: DemoStaff
) -> Staff:
    """The centres of the plan, their daily capacity, and their examiners and officers."""
    names = {s.code: s.name for s in STATES}
    centre_of_agency = []
    served: dict[str | None, int] = {}
    for agency in plan.agencies:
        served[agency.state_code] = served.get(agency.state_code, 0) + agency.officers
    order: list[str | None] = [*plan.states, None]
    index = {code: i for i, code in enumerate(order)}
    centre_of_agency = [index[a.state_code] for a in plan.agencies]
    centres: list[Centre] = []
    staff = Staff(centres, centre_of_agency, [], [], [], [], [])
    given = sorted(set(_People.first_names_male) | set(_People.first_names_female))
    surnames = sorted(set(_People.last_names))
    user_id = ids.user
    for i, code in enumerate(order):
        tag = "FED" if code is None else state_tag(code)
        name = ("Centro Federal de Evaluación y Control de Confianza" if code is None else
                f"Centro Estatal de Evaluación y Control de Confianza de {names[code]}")
        count = served.get(code, 0)
        # Everyone re-evaluated every three years at ~250 working days a year, with slack.
        per_day = math.ceil(count / (3 * WORKING_DAYS_A_YEAR) * SLACK) + 2
        centre = Centre(ids.centre + i, f"C3-{tag}", tag.lower(), code, count,
                        dict.fromkeys(EXAMS, per_day))
        centres.append(centre)
        staff.centre_rows.append((centre.id, centre.code, name, code, True, now))
        staff.capacity_rows.extend((centre.id, e.value, per_day) for e in EXAMS)
        scope_kind = "national" if code is None else "state"
        per_exam = min(2, 1 + count // 2000)
        serial = 0
        for exam in EXAMS:
            for _ in range(per_exam):
                serial += 1
                username = f"examinador.{centre.tag}.{serial:02d}"
                staff.user_rows.append(_user(user_id, username, given, surnames, rng, "examiner",
                                             scope_kind, code, now))
                staff.examiner_rows.append((user_id, centre.id))
                # Medical staff also take the toxicology sample: a second qualification.
                qualified = [exam, ExamType.TOXICOLOGY] if exam is ExamType.MEDICAL else [exam]
                for q in qualified:
                    staff.qualification_rows.append((user_id, q.value))
                    centre.examiners.setdefault(q, []).append(user_id)
                centre.usernames[user_id] = username
                user_id += 1
        for k in range(1, (3 if count < 8000 else 4) + 1):
            username = f"certificador.{centre.tag}.{k:02d}"
            staff.user_rows.append(_user(user_id, username, given, surnames, rng,
                                         "certification_officer", scope_kind, code, now))
            centre.certifiers.append(user_id)
            centre.usernames[user_id] = username
            user_id += 1
    if demo.examiner is not None and "14" in index:
        jalisco = centres[index["14"]]
        staff.examiner_rows.append((demo.examiner, jalisco.id))
        staff.qualification_rows.extend((demo.examiner, e.value) for e in EXAMS)
    return staff


def _user(
    user_id: int, username: str, given: list[str], surnames: list[str], rng: random.Random,
    role: str, scope_kind: str, state_code: str | None, now: datetime,
) -> tuple[Any, ...]:
    name = f"{rng.choice(given)} {rng.choice(surnames)} {rng.choice(surnames)}"
    return (user_id, username, name, UNUSABLE_PASSWORD, role, scope_kind, state_code, None,
            True, now)


def _dump(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _panels(positive: bool) -> list[str]:
    """Toxicology panels as JSON: the required substances, sometimes more; one positive."""
    extras: list[tuple[str, ...]] = [(), ("opiates",), ("fentanyl",), OPTIONAL_SUBSTANCES]
    panels = []
    for extra in extras:
        for hit in (("cannabinoids", "cocaine", "methamphetamines") if positive else ("",)):
            panel = {s: ("positive" if s == hit else "negative")
                     for s in (*REQUIRED_SUBSTANCES, *extra)}
            panels.append(_dump(dict(sorted(panel.items()))))
    return panels


def _lists(options: tuple[str, ...], rng: random.Random, low: int, high: int) -> list[str]:
    return [_dump(rng.sample(options, rng.randint(low, high))) for _ in range(24)]


_RESTRICTIONS = (
    "No operational duty at night for six months",
    "Corrective lenses required while driving",
    "No tactical training until knee therapy ends",
    "Hypertension control: quarterly medical check",
)


class ResultMaker:
    """Exam results as stored JSON text, drawn from precomputed pieces."""

    def __init__(self, rng: random.Random) -> None:
        self._rand = rng.random
        self._negative = _panels(False)
        self._positive = _panels(True)
        # Whole results where they come from a few dozen shapes: made once, shared by all rows.
        self._topics = [f'{{"topics":{t}}}' for t in _lists(POLYGRAPH_TOPICS, rng, 3, 7)]
        self._instruments = [f'{{"instruments":{i}}}'
                             for i in _lists(PSYCHOLOGICAL_INSTRUMENTS, rng, 2, 4)]
        self._restrictions = [_dump({"restrictions": r}) for r in _RESTRICTIONS]
        self._custody: dict[str, str] = {}  # centre tag -> start of its custody ids

    def result(self, exam: ExamType, outcome: str, tag: str, exam_id: int) -> str:
        """The stored result of one exam; `tag` names the centre (custody ids)."""
        return self.makers()[exam](outcome, tag, exam_id)

    def makers(self) -> dict[ExamType, Callable[[str, str, int], str]]:
        """`result` for each exam type, to call without dispatching on the type every time."""
        return {ExamType.TOXICOLOGY: self._toxicology, ExamType.POLYGRAPH: self._polygraph,
                ExamType.PSYCHOLOGICAL: self._psychological, ExamType.MEDICAL: self._medical,
                ExamType.SOCIOECONOMIC: self._socioeconomic}

    def _toxicology(self, outcome: str, tag: str, exam_id: int) -> str:
        panels = self._positive if outcome == "positive" else self._negative
        panel = panels[int(self._rand() * len(panels))]
        prefix = self._custody.get(tag)
        if prefix is None:
            prefix = self._custody[tag] = f'{{"chain_of_custody_id":"{tag.upper()}-'
        return f'{prefix}{exam_id:09d}","panel":{panel}}}'

    def _polygraph(self, _outcome: str, _tag: str, _exam_id: int) -> str:
        return self._topics[int(self._rand() * len(self._topics))]

    def _psychological(self, _outcome: str, _tag: str, _exam_id: int) -> str:
        return self._instruments[int(self._rand() * len(self._instruments))]

    def _medical(self, outcome: str, _tag: str, _exam_id: int) -> str:
        if outcome == "fit_with_restrictions":
            return self._restrictions[int(self._rand() * len(self._restrictions))]
        return "{}"

    def _socioeconomic(self, outcome: str, _tag: str, _exam_id: int) -> str:
        rand = self._rand
        income = 9_000 + int(rand() * 36_000)
        household = 1 + int(rand() * 6)
        if outcome == "inconsistent":  # spending and assets far beyond a police salary
            spending = income * (14 + int(rand() * 16)) // 10
            assets = 3_000_000 + int(rand() * 12_000_000)
        else:
            spending = income * (6 + int(rand() * 4)) // 10
            assets = int(rand() * rand() * 2_500_000)
        debts = int(rand() * rand() * 400_000)
        return (f'{{"assets":{assets},"debts":{debts},"declared_income":{income},'
                f'"household_size":{household},"monthly_spending":{spending}}}')


def fields_of(exam: ExamType, outcome: str, stored: str) -> dict[str, Any]:
    """The fields an examiner would submit for a stored result (for tests and checks)."""
    fields: dict[str, Any] = dict(json.loads(stored))
    if exam is not ExamType.TOXICOLOGY:
        fields["outcome"] = outcome
    return fields
