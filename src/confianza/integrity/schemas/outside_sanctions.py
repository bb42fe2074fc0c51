"""API bodies of another authority's sanctions (ADR 0036): a record with its candidates, the
review queue's page, and the reviewer's decisions."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from confianza.core.web.schemas import Input, Instant, Output
from confianza.integrity.rules.outside_sanctions import LinkedBy, OutsideStatus
from confianza.integrity.rules.outside_sanctions_match import (
    BirthLevel,
    Candidate,
    EmployerLevel,
    NameLevel,
    StoredOutsideSanction,
)
from confianza.integrity.service.outside_sanctions import REASON_MAX, ReviewItem


class CandidateOut(Output):
    """An officer who may be the record's person, and each fact's level."""

    officer_id: int
    name: NameLevel
    birth: BirthLevel
    employer: EmployerLevel
    curp: bool = Field(description="holds the record's CURP")
    curp_differs: bool = Field(description="holds another CURP")

    @classmethod
    def of(cls, c: Candidate) -> CandidateOut:
        return cls(officer_id=c.officer_id, name=c.name, birth=c.birth, employer=c.employer,
                   curp=c.curp, curp_differs=c.curp_differs)


class OutsideSanctionOut(Output):
    """A sanction as the other authority's list gave it, and where it stands."""

    id: int
    authority: str
    file_number: str | None
    kind: str
    name: str
    curp: str | None
    birth_date: date | None
    birth_year: int | None
    employer: str | None
    agency_code: str | None
    position: str | None
    start_date: date
    end_date: date | None
    finding: str | None
    status: OutsideStatus
    officer_id: int | None
    linked_by: LinkedBy | None
    reason: str = Field(description="why the matching placed it there")
    candidates: list[CandidateOut]
    reviewed_by: str | None
    reviewed_at: Instant | None

    @classmethod
    def of(cls, s: StoredOutsideSanction) -> OutsideSanctionOut:
        return cls(
            id=s.id, authority=s.authority, file_number=s.file_number, kind=s.kind, name=s.name,
            curp=s.curp, birth_date=s.birth_date, birth_year=s.birth_year, employer=s.employer,
            agency_code=s.agency_code, position=s.position, start_date=s.start_date,
            end_date=s.end_date, finding=s.finding, status=s.status, officer_id=s.officer_id,
            linked_by=s.linked_by, reason=s.reason,
            candidates=[CandidateOut.of(c) for c in s.candidates], reviewed_by=s.reviewed_by,
            reviewed_at=s.reviewed_at)


class OutsideQueueOut(Output):
    items: list[OutsideSanctionOut]
    next_after: int | None = Field(description="`after` for the next page, if there is one")


class CandidateOfficerOut(Output):
    """A candidate's registry record beside the list's facts (no contact data)."""

    id: int
    name: str
    curp: str | None
    birth_date: date | None
    birth_year: int | None
    agencies: list[str]


class ReviewItemOut(Output):
    record: OutsideSanctionOut
    officers: list[CandidateOfficerOut]

    @classmethod
    def of(cls, item: ReviewItem) -> ReviewItemOut:
        return cls(record=OutsideSanctionOut.of(item.record), officers=[
            CandidateOfficerOut(id=o.id, name=o.full_name, curp=o.curp,
                                birth_date=o.birth_date, birth_year=o.birth_year,
                                agencies=list(item.agencies.get(o.id, ())))
            for o in item.officers.values()])


class OutsideLinkIn(Input):
    officer_id: int
    note: str | None = Field(default=None, max_length=REASON_MAX)


class OutsideRejectIn(Input):
    reason: str = Field(max_length=REASON_MAX)
