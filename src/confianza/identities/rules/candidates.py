"""Candidate pairs and merges: their states, which record survives, and what forbids a merge.

Pure. A pair is only ever a proposal: a clerk confirms or rejects it, and a confirmation of two
registry officers merges them, unless the merge would leave the survivor in a state the
registry forbids (two open postings at once, two evaluations in progress, two current
certificates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from confianza.registry.rules.assignments import first_overlap


class CandidateStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    # A proposal one of whose records was merged into a third by another decision.
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Posting:
    agency_code: str
    start_date: date
    end_date: date | None


@dataclass(frozen=True, slots=True)
class MergeFacts:
    """What a merge checks of one officer's record."""

    officer_id: int
    curp: str | None
    created_at: datetime
    postings: tuple[Posting, ...]
    open_evaluations: int
    current_certificates: int


def survivor(a: MergeFacts, b: MergeFacts) -> tuple[MergeFacts, MergeFacts]:
    """(survivor, merged). The record with a CURP survives, since the national key is what other
    systems cite; between two with (or two without), the one registered first, whose id has
    been in use longest."""
    if (a.curp is None) != (b.curp is None):
        return (a, b) if a.curp is not None else (b, a)
    return (a, b) if (a.created_at, a.officer_id) <= (b.created_at, b.officer_id) else (b, a)


def merge_refusals(a: MergeFacts, b: MergeFacts) -> list[str]:
    """Why these two records cannot become one as they stand (empty: they can)."""
    reasons: list[str] = []
    open_a = [p for p in a.postings if p.end_date is None]
    open_b = [p for p in b.postings if p.end_date is None]
    if open_a and open_b:
        reasons.append(
            f"officer {a.officer_id} is posted at {open_a[0].agency_code} since "
            f"{open_a[0].start_date} and officer {b.officer_id} at {open_b[0].agency_code} since "
            f"{open_b[0].start_date}: one person cannot hold two open full-time postings at "
            "once; end the posting that is over first")
    else:
        postings = [*a.postings, *b.postings]
        overlap = first_overlap([(p.start_date, p.end_date) for p in postings])
        if overlap is not None:
            first, second = (postings[i] for i in overlap)
            reasons.append(
                f"the posting at {first.agency_code} from {first.start_date} and the one at "
                f"{second.agency_code} from {second.start_date} overlap: one person cannot "
                "serve in both at once; correct the dates first")
    if a.open_evaluations and b.open_evaluations:
        reasons.append("both records have a trust-control evaluation in progress; close or "
                       "cancel one first")
    if a.current_certificates and b.current_certificates:
        reasons.append("both records hold a current CUP certificate; end one first")
    return reasons


def later_standing(a_decided: date | None, b_decided: date | None) -> bool:
    """Whether the first record's certification standing is the one to keep (its last decision
    is the later one, or the other has none)."""
    if b_decided is None:
        return True
    if a_decided is None:
        return False
    return a_decided >= b_decided
