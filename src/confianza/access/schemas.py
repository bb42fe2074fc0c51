"""API bodies for the auditors' queue of alerts on unexplained reads (issue 19 §3)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from confianza.access.rules.alerts import NOTE_MAX, Alert, Outcome, OutcomeReport


class AlertReadOut(BaseModel):
    entry_id: int
    officer_id: int
    at: datetime
    action: str
    signals: list[str]


class MarkOut(BaseModel):
    outcome: Outcome
    note: str
    by: str
    at: datetime


class AlertOut(BaseModel):
    """An alert: whose reads, over which days, its points against the threshold, each
    signal's points and words (Spanish and English), its outcome; with the reads behind it
    and every mark when one alert is asked for."""

    id: int
    reader: str
    reader_role: str | None
    first_day: date
    day: date
    points: float
    threshold: float
    signals: list[dict[str, Any]]
    outcome: Outcome
    reads: int
    created_at: datetime
    read_list: list[AlertReadOut] = []
    marks: list[MarkOut] = []

    @classmethod
    def of(cls, a: Alert) -> AlertOut:
        return cls(id=a.id, reader=a.reader, reader_role=a.reader_role, first_day=a.first_day,
                   day=a.day, points=a.points, threshold=a.threshold,
                   signals=[dict(s) for s in a.signals], outcome=a.outcome, reads=a.reads,
                   created_at=a.created_at,
                   read_list=[AlertReadOut(entry_id=r.entry_id, officer_id=r.officer_id,
                                           at=r.at, action=r.action, signals=list(r.signals))
                              for r in a.read_list],
                   marks=[MarkOut(outcome=m.outcome, note=m.note, by=m.by, at=m.at)
                          for m in a.marks])


class OutcomesOut(BaseModel):
    counts: dict[str, int]
    decided: int
    confirmed_share: float | None

    @classmethod
    def of(cls, r: OutcomeReport) -> OutcomesOut:
        return cls(counts={o.value: n for o, n in r.counts.items()}, decided=r.decided,
                   confirmed_share=r.confirmed_share)


class AlertPageOut(BaseModel):
    items: list[AlertOut]
    outcomes: OutcomesOut
    next_after: int | None


class MarkIn(BaseModel):
    outcome: str = Field(description="justified, misuse or interview")
    note: str = Field(max_length=NOTE_MAX + 100, description="What was found.")
