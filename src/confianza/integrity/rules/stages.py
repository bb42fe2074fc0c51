"""The stages of a case, the moves between them, and the deadline of each step.

Every deadline is a civil day counted from the day the stage began (ADR 0019): the day comes
from the injected clock through the transaction, never from the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from confianza.core.errors import InvalidTransition


class Stage(StrEnum):
    INTAKE = "intake"  # taken in, nobody assigned yet
    ASSIGNED = "assigned"  # an investigator has it
    NOTIFIED = "notified"  # the notice to the officer is issued, not yet served
    ANSWER_PERIOD = "answer_period"  # served: the officer's answer period runs
    EVIDENCE = "evidence"  # the answer is in or its period lapsed; evidence is gathered
    FINDING = "finding"  # submitted to the deciders: a finding per allegation
    SANCTION = "sanction"  # some allegation is sustained: the sanction is decided
    APPEAL = "appeal"  # an appeal against the sanction is pending
    CLOSED = "closed"


MOVES: dict[Stage, frozenset[Stage]] = {
    Stage.INTAKE: frozenset({Stage.ASSIGNED, Stage.CLOSED}),
    Stage.ASSIGNED: frozenset({Stage.NOTIFIED, Stage.CLOSED}),
    Stage.NOTIFIED: frozenset({Stage.ANSWER_PERIOD}),
    Stage.ANSWER_PERIOD: frozenset({Stage.EVIDENCE}),
    Stage.EVIDENCE: frozenset({Stage.FINDING}),
    # No allegation sustained: nothing to sanction, the case closes.
    Stage.FINDING: frozenset({Stage.SANCTION, Stage.CLOSED}),
    Stage.SANCTION: frozenset({Stage.APPEAL, Stage.CLOSED}),
    Stage.APPEAL: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
}

#: Where evidence may still be added: from assignment until the case goes to the deciders.
GATHERING = frozenset({Stage.ASSIGNED, Stage.NOTIFIED, Stage.ANSWER_PERIOD, Stage.EVIDENCE})


def move(current: Stage, to: Stage) -> Stage:
    """`to`, or `InvalidTransition` naming both stages when the process does not allow it."""
    if to not in MOVES[current]:
        allowed = ", ".join(sorted(MOVES[current])) or "none: the case is closed"
        raise InvalidTransition(f"a case in stage {current} cannot move to {to} (allowed: "
                                f"{allowed})", code="stage")
    return to


@dataclass(frozen=True)
class Deadlines:
    """Days each step may take, counted from the day its stage began. The defaults follow the
    common shape of Mexican police disciplinary rules (a short answer period, longer
    investigation); a deployment changes them here, in one place."""

    assign_days: int = 5
    notice_days: int = 15
    serve_days: int = 10
    answer_days: int = 15
    investigation_days: int = 90
    finding_days: int = 30
    sanction_days: int = 15
    appeal_days: int = 10
    appeal_decision_days: int = 30

    def days_for(self, stage: Stage) -> int | None:
        return {
            Stage.INTAKE: self.assign_days,
            Stage.ASSIGNED: self.notice_days,
            Stage.NOTIFIED: self.serve_days,
            Stage.ANSWER_PERIOD: self.answer_days,
            Stage.EVIDENCE: self.investigation_days,
            Stage.FINDING: self.finding_days,
            Stage.SANCTION: self.sanction_days,
            Stage.APPEAL: self.appeal_decision_days,
        }.get(stage)


DEADLINES = Deadlines()


@dataclass(frozen=True)
class Due:
    """When the current step of a case is due, and whether it is late on `today`."""

    stage: Stage
    due_on: date | None
    overdue: bool
    days_late: int


def due(stage: Stage, since: date, today: date, deadlines: Deadlines = DEADLINES) -> Due:
    days = deadlines.days_for(stage)
    if days is None:
        return Due(stage, None, False, 0)
    due_on = since + timedelta(days=days)
    late = (today - due_on).days
    return Due(stage, due_on, late > 0, max(late, 0))


def answer_closed(served_on: date, today: date, deadlines: Deadlines = DEADLINES) -> bool:
    """Whether the officer's answer period, begun the day the notice was served, is over."""
    return today > served_on + timedelta(days=deadlines.answer_days)


def appeal_open(sanctioned_on: date, today: date, deadlines: Deadlines = DEADLINES) -> bool:
    """Whether an appeal against a sanction decided on `sanctioned_on` may still be filed."""
    return today <= sanctioned_on + timedelta(days=deadlines.appeal_days)
