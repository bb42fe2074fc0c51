"""Complaints of another authority stored as closed cases: what the import, the review of the
accused and the stored network speak of (ADR 0033). Pure values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from confianza.integrity.rules.catalogue import (
    Credibility,
    Reliability,
    SourceChannel,
)
from confianza.integrity.rules.complaints_links import LinkOutcome


class Placement(StrEnum):
    """Where an imported accused stands: as the linking placed them, or as a reviewer did."""

    LINKED = "linked"
    AMBIGUOUS = "ambiguous"  # waiting in the review list
    UNMATCHED = "unmatched"
    ATTACHED = "attached"  # a reviewer attached them to one of the candidates
    REJECTED = "rejected"  # a reviewer found none of the candidates to be them

    @classmethod
    def of(cls, outcome: LinkOutcome) -> Placement:
        return cls(outcome.value)


#: The file's channel (complaints_mapping.CHANNELS) as the case's source channel.
CHANNEL_SOURCES: dict[str, SourceChannel] = {
    "civilian": SourceChannel.CITIZEN_COMPLAINT,
    "departmental": SourceChannel.FELLOW_OFFICER,
    "anonymous": SourceChannel.ANONYMOUS_LINE,
    "other": SourceChannel.OTHER_AUTHORITY,
}
#: An imported complaint's source is graded "cannot be judged" on both scales: this system
#: did not take it in and has nothing to grade it by (ADR 0030: F and 6 are no weakness).
IMPORTED_RELIABILITY = Reliability.F
IMPORTED_CREDIBILITY = Credibility.CANNOT_BE_JUDGED


@dataclass(frozen=True, slots=True)
class StoredInvolvement:
    """One accused of one stored case, as the network takes it."""

    complaint: str  # "<source>:<key>" for an imported complaint, "case:<id>" for one of ours
    case_id: int
    day: date | None
    civilian: bool
    accused: str  # o:<officer id>, u:... (an unmatched accused), a:<allegation id>
    finding: str


@dataclass(frozen=True)
class AccusedReview:
    """An imported accused the linking could not place, with the officers in question."""

    id: int
    given_names: str
    surname: str
    star: str | None
    birth_year: int | None
    appointed_on: date | None
    agency_id: int
    candidates: tuple[int, ...]
    complaints: tuple[str, ...]
    network_key: str = ""
    placement: Placement = Placement.AMBIGUOUS


def accused_label(key: str, officers: dict[int, str]) -> str:
    """How a node of the network is named: the officer's name, or the accused as the file
    named them (an unmatched key holds surname, given name, initial, birth year, appointment
    and star), or the allegation of a case of ours whose accused no officer is."""
    kind, _, rest = key.partition(":")
    if kind == "o" and rest.isdigit():
        return officers.get(int(rest), f"officer {rest}")
    if kind == "u":
        if rest.startswith("row:"):
            return f"unnamed ({rest[4:]})"
        surname, given, initial, born, _appointed, star = (rest.split("|") + [""] * 6)[:6]
        name = " ".join(p for p in (given, initial, surname) if p) or "unnamed"
        extra = ", ".join(p for p in (f"b. {born}" if born else "",
                                      f"star {star}" if star else "") if p)
        return f"{name} ({extra})" if extra else name
    if kind == "a":
        return f"accused of allegation {rest}"
    return key
