"""What "certified" means for the alert list, the re-evaluation list and coverage figures.

An officer is on active duty when their status is active and they hold an open assignment. They
are covered when their latest decided evaluation approved them and is still valid, and they
hold a current single police certificate (CUP). Everyone on active duty who is not covered is on
the alert list, with every reason that applies. (In 2018 the national system could not say how
many such officers there were; 30,043 who had failed were found still on duty.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from confianza.accounts.rules.permissions import Scope, ScopeKind
from confianza.certification.rules.decisions import Verdict
from confianza.dashboard.rules.tallies import Figures, Summary, by_agency, by_state


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


@dataclass(frozen=True, kw_only=True)
class CoverageRow(Figures):
    """One state's or agency's figures. Officers are those holding an open assignment;
    `on_duty_uncertified` counts those on active duty on the alert list. The counts come first,
    positionally, as `Figures` orders them; the key and name by name."""

    key: str
    name: str

    @property
    def approved_share(self) -> float:
        return self.approved / self.officers if self.officers else 0.0


def total_row(rows: Sequence[CoverageRow], name: str) -> CoverageRow:
    """The rows added up, as one row named `name` (the foot of a coverage table)."""
    sums = (sum(counts) for counts in zip(*(row.values() for row in rows), strict=True))
    return CoverageRow(*sums, key="total", name=name)


def coverage_rows(summary: Summary, scope: Scope, *, by: str, state_code: str | None = None,
                  agency_id: int | None = None) -> list[CoverageRow]:
    """The coverage figures cut from the dashboard's summary of the force (ADR 0017) instead of
    read afresh: the part `scope` covers, narrowed to a state or an agency, per state or per
    agency, in the order the database query gives (state code; agency id)."""
    wanted = summary.agency_ids()
    if scope.kind is ScopeKind.STATE:
        wanted &= summary.agency_ids(scope.state_code)
    elif scope.kind is ScopeKind.AGENCY:
        wanted &= frozenset({scope.agency_id}) if scope.agency_id is not None else frozenset()
    if state_code is not None:
        wanted &= summary.agency_ids(state_code)
    if agency_id is not None:
        wanted &= frozenset({agency_id})
    part = summary.within(wanted)
    if by == "state":
        groups = sorted(by_state(part).items())
        named = [(key, key, counts) for key, counts in groups]
    else:
        named = [(line.key, line.name, line.counts)
                 for line in sorted(by_agency(part), key=lambda line: int(line.key))]
    return [CoverageRow(*c.values(), key=key, name=name) for key, name, c in named
            if c.officers]
