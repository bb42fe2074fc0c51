"""The department's threshold rule as a way to flag officers while no model is promoted.

Most departments flag by a threshold: "three or more complaints in twelve months". The
temporal evaluation already measures that rule beside every model (ADR 0032, the threshold
baseline); here it flags officers in the product, stored and shown as what it is — a rule a
person wrote, not a model anything learned (ADR 0034, second addendum).

A rule flags **every** officer who meets it, however many that is: it has no score to cut at
a share. Its "score" is the number of complaints in the window, which ranks the flagged
officers (most first) so that a reviewer starts with them; ties keep the order given. Each
flag keeps, in words, the complaints behind it (by category and finding) and, when the
officer was co-accused, with how many officers and how many of them had a sustained
complaint, as known on the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from confianza.core.errors import FieldError, ValidationFailed
from confianza.risk.rules import baselines
from confianza.risk.rules.features import FEATURES, FeatureBuilder
from confianza.risk.rules.history import PENDING, OfficerHistory
from confianza.risk.rules.scoring import Scored
from confianza.risk.rules.words import Worded

#: The rule's parameters are settings; these are the defaults and the bounds they are held to.
DEFAULT_COUNT, DEFAULT_MONTHS = baselines.THRESHOLD, baselines.THRESHOLD_MONTHS
MAX_COUNT, MAX_MONTHS = 100, 60
_FORCE, _AUTHORITY = "use_of_force", "abuse_of_authority"
_PARTNERS, _PARTNERS_SUSTAINED = FEATURES.index("partners"), FEATURES.index("partners_sustained")


@dataclass(frozen=True)
class ThresholdRule:
    """`count` or more complaints made in the last `months` months (a month is a twelfth of
    365 days, as the features count a year: 12 months is exactly the features' `1y`)."""

    count: int = DEFAULT_COUNT
    months: int = DEFAULT_MONTHS

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.count <= MAX_COUNT:
            problems.append(FieldError("risk_rule_count", f"{self.count} is not a number of "
                                       f"complaints from 1 to {MAX_COUNT}"))
        if not 1 <= self.months <= MAX_MONTHS:
            problems.append(FieldError("risk_rule_months", f"{self.months} is not a number "
                                       f"of months from 1 to {MAX_MONTHS}"))
        if problems:
            raise ValidationFailed(problems)

    @property
    def days(self) -> int:
        return round(self.months * 365 / 12)

    @property
    def es(self) -> str:
        return f"regla de umbral: {self.count} o más quejas en {self.months} meses"

    @property
    def en(self) -> str:
        return f"threshold rule: {self.count} or more complaints in {self.months} months"

    def complaints(self, officer: OfficerHistory, day: date) -> int:
        """How many complaints against the officer were made in (day − window, day]."""
        return officer.known_until(day) - officer.known_until(day - timedelta(days=self.days))

    def meets(self, officer: OfficerHistory, day: date) -> bool:
        return self.complaints(officer, day) >= self.count


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def reasons(rule: ThresholdRule, officer: OfficerHistory, day: date,
            partners: tuple[int, int] | None = None) -> tuple[Worded, ...]:
    """Why the rule flags the officer, in Spanish and English: the complaints in the window
    by category, their findings as known on the day, and the co-accusal (partners, and how
    many of them had a sustained complaint known by then) when there is any."""
    since = day - timedelta(days=rule.days)
    inside = [c for c in officer.complaints if since < c.known <= day]
    n = len(inside)
    force = sum(1 for c in inside if _FORCE in c.categories)
    authority = sum(1 for c in inside if _AUTHORITY in c.categories)
    other = sum(1 for c in inside if c.categories - {_FORCE, _AUTHORITY})
    es_parts, en_parts = [], []
    if force:
        es_parts.append(f"{force} por uso excesivo de la fuerza")
        en_parts.append(f"{force} of excessive force")
    if authority:
        es_parts.append(f"{authority} por abuso de autoridad")
        en_parts.append(f"{authority} of abuse of authority")
    if other:
        es_parts.append(f"{other} de {'otra categoría' if other == 1 else 'otras categorías'}")
        en_parts.append(f"{other} of {'another category' if other == 1 else 'other categories'}")
    head_es = f"{_plural(n, 'queja', 'quejas')} en {rule.months} meses"
    head_en = f"{_plural(n, 'complaint', 'complaints')} in {rule.months} months"
    out = [Worded("rule_complaints", float(n), 0.0,
                  head_es + (": " + ", ".join(es_parts) if es_parts else ""),
                  head_en + (": " + ", ".join(en_parts) if en_parts else ""))]
    findings = [c.finding_on(day) for c in inside]
    sustained = findings.count("sustained")
    pending = findings.count(PENDING)
    if sustained or pending:
        es, en = [], []
        if sustained:
            es.append(f"{sustained} {'resuelta' if sustained == 1 else 'resueltas'} como "
                      f"{'fundada' if sustained == 1 else 'fundadas'}")
            en.append(f"{sustained} sustained")
        if pending:
            es.append(f"{pending} en trámite")
            en.append(f"{pending} pending")
        out.append(Worded("rule_findings", float(sustained), 0.0,
                          "de ellas, " + " y ".join(es), "of them, " + " and ".join(en)))
    if partners is not None and partners[0]:
        with_sustained = partners[1]
        out.append(Worded(
            "partners", float(partners[0]), 0.0,
            f"coacusado con {_plural(partners[0], 'elemento', 'elementos')}"
            + (f", {with_sustained} con una queja fundada" if with_sustained else ""),
            f"co-accused with {_plural(partners[0], 'officer', 'officers')}"
            + (f", {with_sustained} with a sustained complaint" if with_sustained else "")))
    return tuple(out)


def score_by_rule(rule: ThresholdRule, builder: FeatureBuilder,
                  officers: list[OfficerHistory], day: date) -> list[Scored]:
    """Every officer's complaints in the window as their score, ranked most first (ties in
    the order given), flagged when they meet the rule; the flagged with their reasons in
    words (co-accusal included), the others with their count only."""
    counts = [rule.complaints(o, day) for o in officers]
    order = sorted(range(len(officers)), key=lambda i: -counts[i])
    ranks = [0] * len(officers)
    for position, i in enumerate(order, start=1):
        ranks[i] = position
    out = []
    for i, officer in enumerate(officers):
        flagged = counts[i] >= rule.count
        if flagged:
            row = builder.row(officer, day)
            factors = reasons(rule, officer, day,
                              (int(row[_PARTNERS]), int(row[_PARTNERS_SUSTAINED])))
        else:
            factors = reasons(rule, officer, day)[:1]
        out.append(Scored(officer.officer, float(counts[i]), ranks[i], flagged, factors))
    return out
