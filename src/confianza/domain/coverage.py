"""What "certified" means for the alert list, the re-evaluation list and coverage figures.

An officer is on active duty when their status is active and they hold an open assignment. They
are covered when their latest decided evaluation approved them and is still valid, and they
hold a current single police certificate (CUP). Everyone on active duty who is not covered is on
the alert list, with every reason that applies. (In 2018 the national system could not say how
many such officers there were; 30,043 who had failed were found still on duty.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from confianza.domain.certification import Verdict


class AlertReason(StrEnum):
    NEVER_EVALUATED = "never_evaluated"
    NOT_APPROVED = "not_approved"
    EVALUATION_EXPIRED = "evaluation_expired"
    NO_CERTIFICATE = "no_certificate"


def alert_reasons(
    last_verdict: Verdict | None, approved_until: date | None, cup_until: date | None,
    today: date,
) -> tuple[AlertReason, ...]:
    reasons: list[AlertReason] = []
    if last_verdict is None:
        reasons.append(AlertReason.NEVER_EVALUATED)
    elif last_verdict is Verdict.NOT_APPROVED and approved_until is None:
        reasons.append(AlertReason.NOT_APPROVED)
    elif approved_until is None or approved_until < today:
        reasons.append(AlertReason.EVALUATION_EXPIRED)
    if cup_until is None or cup_until < today:
        reasons.append(AlertReason.NO_CERTIFICATE)
    return tuple(reasons)


@dataclass(frozen=True)
class AlertLine:
    officer_id: int
    name: str
    curp: str | None
    agency_id: int
    agency_code: str
    state_code: str | None
    rank: str
    approved_until: date | None
    cup_until: date | None
    reasons: tuple[AlertReason, ...]


@dataclass(frozen=True)
class ReevaluationLine:
    officer_id: int
    name: str
    agency_id: int
    agency_code: str
    rank: str
    approved_until: date
    open_evaluation_id: int | None  # already requested


@dataclass(frozen=True)
class CoverageRow:
    """One state's or agency's figures. Officers are those holding an open assignment;
    `on_duty_uncertified` counts those on active duty on the alert list."""

    key: str
    name: str
    officers: int
    evaluated: int
    approved: int
    expired: int
    not_approved: int
    never_evaluated: int
    certified: int
    on_duty_uncertified: int

    @property
    def approved_share(self) -> float:
        return self.approved / self.officers if self.officers else 0.0
