"""The auditor's queue (issue 19 §3): an alert, the reads behind it, and its outcomes.

An alert is open until an auditor marks it: justified (the work was real, the registry did not
know of it), misuse, or needing an interview (not yet decided). Every mark is kept with its
note; the reader's manager is never told by the system: what follows is the auditor's to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    OPEN = "open"
    JUSTIFIED = "justified"
    MISUSE = "misuse"
    INTERVIEW = "interview"


#: What an auditor may mark (open is where every alert starts).
MARKS: tuple[Outcome, ...] = (Outcome.JUSTIFIED, Outcome.MISUSE, Outcome.INTERVIEW)
NOTE_MAX = 4000


@dataclass(frozen=True, slots=True)
class AlertRead:
    entry_id: int
    officer_id: int
    at: datetime
    action: str
    signals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    outcome: Outcome
    note: str
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class NewAlert:
    reader: str
    reader_role: str | None
    first_day: date
    day: date
    points: float
    threshold: float
    signals: tuple[Mapping[str, Any], ...]  # name, points, reads, es, en
    reads: tuple[AlertRead, ...]


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    reader: str
    reader_role: str | None
    first_day: date
    day: date
    points: float
    threshold: float
    signals: tuple[Mapping[str, Any], ...]
    created_at: datetime
    outcome: Outcome
    reads: int
    marks: tuple[Mark, ...] = ()
    read_list: tuple[AlertRead, ...] = ()

    def why(self, language: str) -> str:
        key = "es" if language == "es" else "en"
        return "; ".join(str(s.get(key, s.get("name", ""))) for s in self.signals)


@dataclass(frozen=True)
class OutcomeReport:
    """How the auditors' marks stand: the share of decided alerts confirmed as misuse."""

    counts: Mapping[Outcome, int]

    @property
    def decided(self) -> int:
        return self.counts.get(Outcome.JUSTIFIED, 0) + self.counts.get(Outcome.MISUSE, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def confirmed_share(self) -> float | None:
        return self.counts.get(Outcome.MISUSE, 0) / self.decided if self.decided else None
