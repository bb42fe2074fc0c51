"""An officer's history as the risk features read it: plain, dated, storage-free records.

The feature builder takes these and nothing else, so the registry can feed it later as the
Chicago adapter (`rules.chicago`) feeds it now. Every record carries the day the record
*knew* of it — a complaint when it was made, a finding when the case closed — because a
feature as of a date may only use what was known on that date (ADR 0032, "no leakage").
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from confianza.integrity.rules.network import Involvement

#: Findings, most serious first: an officer's finding in a complaint is the first of these
#: any of their allegations there has (the integrity catalogue's vocabulary).
FINDING_ORDER = ("sustained", "not_sustained", "exonerated", "unfounded", "no_finding")
PENDING = "pending"  # the case was not closed on the day asked about


@dataclass(frozen=True, slots=True)
class ComplaintEvent:
    """One complaint against the officer: when it was known and when it happened, its channel,
    the allegation catalogue keys against the officer, and the finding once the case closed."""

    complaint: str
    known: date  # the day the complaint was made (else the incident's day)
    happened: date  # the incident's day (else the day it was made): what the outcome dates
    civilian: bool
    categories: frozenset[str]
    sustained_categories: frozenset[str] = frozenset()
    finding: str = "no_finding"  # FINDING_ORDER: the officer's most serious
    closed: date | None = None  # the day the finding was known; None: never, as far as we know

    def finding_on(self, day: date) -> str:
        """The finding as the record stood on `day`: pending until the case closed."""
        return self.finding if self.closed is not None and self.closed <= day else PENDING


@dataclass(frozen=True, slots=True)
class Posting:
    """A posting to a unit from `start` (a transfer is a posting that is not the first)."""

    unit: str
    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True)
class PayYear:
    """The salary and rank of one whole calendar year (known once the year is over)."""

    year: int
    salary: float | None = None
    rank: str | None = None


@dataclass(frozen=True, slots=True)
class TrustControl:
    """A trust-control verdict (control de confianza), known on the day it was decided."""

    decided: date
    approved: bool


@dataclass(frozen=True)
class OfficerHistory:
    """One officer's dated records, each tuple sorted by its date."""

    officer: str  # the network's key of the officer, "o:<id>"
    appointed: date | None = None
    left: date | None = None
    birth_year: int | None = None
    race: str | None = None  # for the fairness report only, never a feature
    sex: str | None = None  # likewise
    complaints: tuple[ComplaintEvent, ...] = ()
    postings: tuple[Posting, ...] = ()
    pay: tuple[PayYear, ...] = ()
    trust_controls: tuple[TrustControl, ...] = ()  # the registry's; Chicago has none
    _known: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "complaints",
                           tuple(sorted(self.complaints, key=lambda c: (c.known, c.complaint))))
        object.__setattr__(self, "postings", tuple(sorted(self.postings, key=lambda p: p.start)))
        object.__setattr__(self, "pay", tuple(sorted(self.pay, key=lambda p: p.year)))
        object.__setattr__(self, "trust_controls",
                           tuple(sorted(self.trust_controls, key=lambda t: t.decided)))
        object.__setattr__(self, "_known", tuple(c.known.toordinal() for c in self.complaints))

    def active(self, day: date) -> bool:
        """Serving on `day`: appointed on or before it and not yet gone."""
        return (self.appointed is not None and self.appointed <= day
                and (self.left is None or self.left > day))

    def known_until(self, day: date) -> int:
        """How many complaints were known on `day` (they come first: sorted by `known`)."""
        return bisect_right(self._known, day.toordinal())


@dataclass(frozen=True)
class Population:
    """Every officer's history, the co-accusal network's input (officers and the accused no
    officer could be linked to), when each accused's sustained findings became known, and the
    span the records cover."""

    officers: tuple[OfficerHistory, ...]
    involvements: tuple[Involvement, ...]
    sustained_known: Mapping[str, tuple[date, ...]]
    starts: date
    ends: date

    @classmethod
    def of(cls, officers: Sequence[OfficerHistory], *, starts: date, ends: date,
           others: Iterable[tuple[Involvement, date | None]] = ()) -> Population:
        """A population whose network comes from the officers' own complaints plus `others`
        (an involvement of someone who is not an officer here, with the day their sustained
        finding became known, if any). An involvement is dated by the day the complaint was
        known, so that a network measure as of a day counts only what was known then."""
        involvements: list[Involvement] = []
        sustained: dict[str, list[date]] = defaultdict(list)
        for officer in officers:
            for c in officer.complaints:
                involvements.append(Involvement(c.complaint, c.known, c.civilian,
                                                officer.officer, c.finding))
                if c.finding == "sustained" and c.closed is not None:
                    sustained[officer.officer].append(c.closed)
        for involvement, closed in others:
            involvements.append(involvement)
            if involvement.finding == "sustained" and closed is not None:
                sustained[involvement.accused].append(closed)
        return cls(tuple(officers), tuple(involvements),
                   {k: tuple(sorted(v)) for k, v in sustained.items()}, starts, ends)


def most_serious(findings: Iterable[str]) -> str:
    """The first of FINDING_ORDER among `findings` (no_finding when none is known)."""
    found = set(findings)
    return next((f for f in FINDING_ORDER if f in found), "no_finding")
