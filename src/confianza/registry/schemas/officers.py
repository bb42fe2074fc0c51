"""Request and response bodies of the officer and assignment routes (never contact data,
except in the contact routes themselves)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from confianza.core.web.schemas import Input, Output, fields_of
from confianza.registry.rules.assignments import (
    Assignment,
    ChangeReason,
    EmploymentKind,
    PostingKind,
    PostingStatus,
)
from confianza.registry.rules.officers import (
    Badge,
    Contact,
    ContactKind,
    ExternalId,
    OfficerStatus,
    Sex,
)
from confianza.registry.service import officers as officer_service
from confianza.registry.service.assignments import NewAssignment
from confianza.registry.service.officers import OfficerProfile

NAME = Field(min_length=1, max_length=120)
CURP = Field(None, min_length=18, max_length=18, examples=["PERM880314MJCXZR09"])


class ExternalIdIn(Input):
    scheme: str = Field(min_length=2, max_length=64, examples=["chicago.star"])
    value: str = Field(min_length=1, max_length=128)


class FirstAssignmentIn(Input):
    agency_id: int = Field(ge=1)
    rank: str = Field(min_length=1, max_length=80)
    start_date: date
    unit_id: int | None = Field(None, ge=1)
    reason: ChangeReason = ChangeReason.APPOINTMENT
    kind: PostingKind = PostingKind.FULL_TIME
    employment: EmploymentKind = EmploymentKind.SWORN


class OfficerIn(Input):
    given_names: str = NAME
    first_surname: str = NAME
    second_surname: str | None = Field(None, max_length=120)
    curp: str | None = CURP
    birth_date: date | None = None
    birth_year: int | None = Field(None, ge=1900, le=2100)
    sex: Sex | None = Field(None, description="H (hombre), M (mujer) or X, as in the CURP")
    external_ids: list[ExternalIdIn] = Field(default_factory=list, max_length=20)
    assignment: FirstAssignmentIn | None = None
    badge: str | None = Field(None, min_length=1, max_length=20)

    def to_domain(self) -> officer_service.NewOfficer:
        a = self.assignment
        first = (
            officer_service.FirstAssignment(a.agency_id, a.rank, a.start_date, a.unit_id,
                                            a.reason, a.kind, a.employment)
            if a is not None else None
        )
        return officer_service.NewOfficer(
            given_names=self.given_names, first_surname=self.first_surname,
            second_surname=self.second_surname, curp=self.curp, birth_date=self.birth_date,
            birth_year=self.birth_year, sex=self.sex,
            external_ids=tuple(ExternalId(k.scheme, k.value) for k in self.external_ids),
            assignment=first, badge=self.badge,
        )


class OfficerPatch(Input):
    """Fields to change; an omitted (or null) field keeps its value."""

    given_names: str | None = Field(None, min_length=1, max_length=120)
    first_surname: str | None = Field(None, min_length=1, max_length=120)
    second_surname: str | None = Field(None, min_length=1, max_length=120)
    curp: str | None = CURP
    birth_date: date | None = None
    sex: Sex | None = None

    def to_domain(self) -> officer_service.OfficerChanges:
        return officer_service.OfficerChanges(
            given_names=self.given_names, first_surname=self.first_surname,
            second_surname=self.second_surname, curp=self.curp, birth_date=self.birth_date,
            sex=self.sex,
        )


class StatusIn(Input):
    status: OfficerStatus
    reason: str = Field(min_length=5, max_length=500, description="Why the status changes.")
    on: date | None = Field(None, description="Effective date; today when omitted.")
    separation_reason: ChangeReason | None = Field(
        None, description="With status separated: why (dismissal, in_lieu_of_dismissal, "
        "resignation, retirement, separation); it ends the open postings.")


class ContactIn(Input):
    kind: ContactKind
    value: str = Field(min_length=1, max_length=300)
    label: str | None = Field(None, max_length=80)


class ContactsIn(Input):
    contacts: list[ContactIn] = Field(max_length=20)

    def to_domain(self) -> list[Contact]:
        return [Contact(c.kind, c.value, c.label) for c in self.contacts]


class ContactOut(Output):
    # The contact as recorded: the fields of registry.rules.officers.Contact, declared there.
    __annotations__ = fields_of(Contact)


class ContactsOut(Output):
    officer_id: int
    contacts: list[ContactOut]


class AssignmentIn(Input):
    agency_id: int = Field(ge=1)
    rank: str = Field(min_length=1, max_length=80)
    start_date: date
    reason: ChangeReason
    unit_id: int | None = Field(None, ge=1)
    end_date: date | None = Field(None, description="Only to record a past, closed posting.")
    kind: PostingKind = Field(PostingKind.FULL_TIME, description=(
        "Only full-time postings exclude one another; a task force secondment, reserve or "
        "part-time posting runs beside one."))
    employment: EmploymentKind = EmploymentKind.SWORN

    def to_domain(self) -> NewAssignment:
        return NewAssignment(self.agency_id, self.rank, self.start_date, self.reason,
                             self.unit_id, self.end_date, self.kind, self.employment)


class LeaveIn(Input):
    """A posting goes on leave (licencia), or comes back from one."""

    on_leave: bool
    on: date = Field(description="The day the leave begins, or ends.")
    reason: str = Field(min_length=5, max_length=300)


class AssignmentEndIn(Input):
    end_date: date
    reason: ChangeReason


class BadgeIn(Input):
    agency_id: int = Field(ge=1)
    number: str = Field(min_length=1, max_length=20)
    start_date: date | None = None
    end_date: date | None = None


class OfficerSummary(Output):
    id: int
    curp: str | None
    full_name: str
    given_names: str
    first_surname: str
    second_surname: str | None
    status: OfficerStatus


class OfficerPage(Output):
    items: list[OfficerSummary]
    next_cursor: str | None


class AssignmentOut(Output):
    id: int
    officer_id: int
    agency_id: int
    unit_id: int | None
    rank: str
    start_date: date
    end_date: date | None
    start_reason: ChangeReason
    end_reason: ChangeReason | None
    status: PostingStatus = Field(description="active or on_leave while open; separated "
                                  "once ended (separation_reason says why)")
    separation_reason: ChangeReason | None
    kind: PostingKind
    employment: EmploymentKind
    status_since: date | None = Field(description="The day a leave began or ended")
    agency_code: str | None = None
    agency_name: str | None = None
    unit_name: str | None = None

    @classmethod
    def in_profile(cls, a: Assignment, profile: OfficerProfile) -> AssignmentOut:
        """A posting with the names of its agency and unit, which the profile read."""
        agency = profile.agencies.get(a.agency_id)
        return cls.of_record(
            a, agency_code=agency.code if agency else None,
            agency_name=agency.name if agency else None,
            unit_name=profile.unit_names.get(a.unit_id) if a.unit_id else None,
        )


class BadgeOut(Output):
    id: int
    officer_id: int
    agency_id: int
    number: str
    start_date: date | None
    end_date: date | None
    agency_code: str | None = None

    @classmethod
    def in_profile(cls, b: Badge, profile: OfficerProfile) -> BadgeOut:
        """A badge with the code of the agency that issued it, which the profile read."""
        agency = profile.agencies.get(b.agency_id)
        return cls.of_record(b, agency_code=agency.code if agency else None)


class ExternalIdOut(Output):
    # The key as recorded: the fields of registry.rules.officers.ExternalId, declared there.
    __annotations__ = fields_of(ExternalId)


class StatusChangeOut(Output):
    """One line of the officer's status history."""

    status: OfficerStatus
    effective_on: date
    reason: str
    actor: str
    recorded_at: datetime


class OfficerProfileOut(OfficerSummary):
    """An officer's identity and career; contact data is only ever served by /contacts."""

    birth_date: date | None
    birth_year: int | None
    sex: Sex | None
    assignments: list[AssignmentOut]
    badges: list[BadgeOut]
    external_ids: list[ExternalIdOut]
    status_history: list[StatusChangeOut] | None = Field(
        None, description="Oldest first; null in the answer to a change, which does not "
        "read it (GET the officer for it)")

    @classmethod
    def of_profile(cls, p: OfficerProfile) -> OfficerProfileOut:
        """The officer's own fields, with the career (named from the profile) nested."""
        return cls.of_record(
            p.officer, assignments=[AssignmentOut.in_profile(a, p) for a in p.assignments],
            badges=[BadgeOut.in_profile(b, p) for b in p.badges], external_ids=p.identifiers,
            status_history=p.status_history,
        )
