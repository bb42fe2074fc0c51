"""Trust-control evaluations: the five exams, their outcomes, and which exams a case requires.

Pure rules, the first part of the evaluation workflow (issue 3). Which exams an evaluation needs is
policy, not code: `BatteryPolicy` says it per kind of evaluation, with exams added for command
ranks and for access to sensitive information, and can be built from configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class ExamType(StrEnum):
    TOXICOLOGY = "toxicology"  # toxicológico
    POLYGRAPH = "polygraph"  # poligrafía
    PSYCHOLOGICAL = "psychological"  # psicológico
    MEDICAL = "medical"  # médico
    SOCIOECONOMIC = "socioeconomic"  # entorno socioeconómico


class EvaluationKind(StrEnum):
    NEW_ENTRY = "new_entry"  # nuevo ingreso
    PERMANENCE = "permanence"  # permanencia (periodic)
    PROMOTION = "promotion"  # promoción
    SPECIAL = "special"  # e.g. after an allegation


class EvaluationStatus(StrEnum):
    """Where an evaluation stands. Requested by an agency, scheduled at a centre with an
    examiner per exam, integrated when the last exam is in, then decided; a not-approved
    decision waits for a second officer's confirmation before it takes effect."""

    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    AWAITING_DECISION = "awaiting_decision"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    APPROVED = "approved"
    NOT_APPROVED = "not_approved"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self not in _CLOSED


_CLOSED = frozenset(
    {EvaluationStatus.APPROVED, EvaluationStatus.NOT_APPROVED, EvaluationStatus.CANCELLED}
)


class RankLevel(StrEnum):
    """The career scales, which set both the battery and how long an approval lasts."""

    BASIC = "basic"  # escala básica: Policía to Policía Primero
    MIDDLE_COMMAND = "middle_command"  # mandos medios: oficiales and inspectores
    SENIOR_COMMAND = "senior_command"  # mandos superiores: comisarios


# Each exam's possible outcomes, from the most favourable to the least. The last one of each is
# adverse; those in between are reservations an integration reports but that do not fail.
OUTCOMES: dict[ExamType, tuple[str, ...]] = {
    ExamType.TOXICOLOGY: ("negative", "positive"),
    ExamType.POLYGRAPH: ("no_significant_reaction", "inconclusive", "significant_reaction"),
    ExamType.PSYCHOLOGICAL: ("suitable", "suitable_with_reservations", "not_suitable"),
    ExamType.MEDICAL: ("fit", "fit_with_restrictions", "unfit"),
    ExamType.SOCIOECONOMIC: ("consistent", "inconsistent"),
}


def check_outcome(exam: ExamType, outcome: str) -> str:
    """The outcome if `exam` can have it; ValueError naming the allowed ones otherwise."""
    if outcome not in OUTCOMES[exam]:
        allowed = ", ".join(OUTCOMES[exam])
        raise ValueError(f"{outcome!r} is not an outcome of the {exam} exam (one of: {allowed})")
    return outcome


def is_adverse(exam: ExamType, outcome: str) -> bool:
    return check_outcome(exam, outcome) == OUTCOMES[exam][-1]


def has_reservation(exam: ExamType, outcome: str) -> bool:
    values = OUTCOMES[exam]
    position = values.index(check_outcome(exam, outcome))
    return 0 < position < len(values) - 1


_ALL = frozenset(ExamType)


@dataclass(frozen=True)
class BatteryPolicy:
    """Which exams an evaluation requires.

    `base` gives each kind's battery; `for_command` adds exams for middle and senior command
    ranks, and `for_sensitive_access` for people with access to sensitive information. The
    default asks all five exams of everyone but a special evaluation, which starts from the
    exams that answer an allegation (polygraph, toxicology, socio-economic).
    """

    base: Mapping[EvaluationKind, frozenset[ExamType]] = field(
        default_factory=lambda: {
            EvaluationKind.NEW_ENTRY: _ALL,
            EvaluationKind.PERMANENCE: _ALL,
            EvaluationKind.PROMOTION: _ALL,
            EvaluationKind.SPECIAL: frozenset(
                {ExamType.POLYGRAPH, ExamType.TOXICOLOGY, ExamType.SOCIOECONOMIC}
            ),
        }
    )
    for_command: frozenset[ExamType] = frozenset({ExamType.PSYCHOLOGICAL})
    for_sensitive_access: frozenset[ExamType] = frozenset(
        {ExamType.POLYGRAPH, ExamType.SOCIOECONOMIC}
    )

    def required(
        self, kind: EvaluationKind, level: RankLevel, sensitive_access: bool
    ) -> frozenset[ExamType]:
        exams = set(self.base[kind])
        if level is not RankLevel.BASIC:
            exams |= self.for_command
        if sensitive_access:
            exams |= self.for_sensitive_access
        return frozenset(exams)

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> BatteryPolicy:
        """A policy from configuration such as `{"base": {"special": ["polygraph"]},
        "for_command": [...], "for_sensitive_access": [...]}`; what is not given keeps its
        default. Unknown kinds or exams raise ValueError naming them."""
        default = cls()
        base = dict(default.base)
        raw_base = config.get("base", {})
        if not isinstance(raw_base, Mapping):
            raise ValueError("'base' must map evaluation kinds to lists of exams")
        for kind_name, exams in raw_base.items():
            try:
                kind = EvaluationKind(kind_name)
            except ValueError:
                raise ValueError(f"unknown evaluation kind {kind_name!r}") from None
            base[kind] = _exams(exams, f"base.{kind_name}")
        return cls(
            base=base,
            for_command=_exams(config["for_command"], "for_command")
            if "for_command" in config else default.for_command,
            for_sensitive_access=_exams(config["for_sensitive_access"], "for_sensitive_access")
            if "for_sensitive_access" in config else default.for_sensitive_access,
        )


def _exams(raw: object, where: str) -> frozenset[ExamType]:
    if not isinstance(raw, list | tuple):
        raise ValueError(f"{where} must be a list of exams")
    found: set[ExamType] = set()
    for name in raw:
        try:
            found.add(ExamType(str(name)))
        except ValueError:
            raise ValueError(f"{where}: unknown exam {name!r}") from None
    return frozenset(found)


# The Mexican police career scale, lowest first, and the level each rank belongs to.
RANK_LEVELS: dict[str, RankLevel] = {
    **dict.fromkeys(
        ("policía", "policía tercero", "policía segundo", "policía primero"), RankLevel.BASIC
    ),
    **dict.fromkeys(
        ("suboficial", "oficial", "subinspector", "inspector", "inspector jefe",
         "inspector general"),
        RankLevel.MIDDLE_COMMAND,
    ),
    **dict.fromkeys(
        ("comisario", "comisario jefe", "comisario general"), RankLevel.SENIOR_COMMAND
    ),
}


def rank_level(rank: str) -> RankLevel:
    """The level of a rank by its name; ranks outside the scale (an imported roster's) are
    treated as basic, the level with the longest validity and no command exams."""
    return RANK_LEVELS.get(" ".join(rank.lower().split()), RankLevel.BASIC)
