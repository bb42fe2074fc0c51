"""Bodies of the access-history routes: an officer's entries, an account's history, and the
officer's own report (which names roles and agencies, never usernames)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from confianza.accounts.rules.permissions import Role, ScopeKind
from confianza.core.pagination import Page
from confianza.core.web.schemas import Instant, Output
from confianza.trail.rules import AuditEntry, acts_of
from confianza.trail.service.access_history import (
    AccessLine,
    AccessPage,
    OfficerReport,
    Reach,
    ReportLine,
    describe_acts,
)

_ACTS = ("What the entry records as done: its action, and for a read that showed several "
         "sections of the record in one act, the action each section's own entry would have "
         "had (`certificate:record:read`, `evaluation:status:read`...), as entries written "
         "before such reads were combined.")

_EXAMINED = ("Every entry from this entry number (id) up to where the page started has been "
             "examined; 1 means the start of the trail.")


class EntryOut(Output):
    id: int = Field(description="The entry's number in the trail, given when it was written.")
    seq: int | None = Field(description="The entry's place in the tamper-evident log (its leaf "
                                        "is seq - 1), given by the log's integrator shortly "
                                        "after the entry is written; null until then.")
    at: Instant
    actor: str
    actor_kind: str
    action: str
    acts: list[str] = Field(description=_ACTS)
    description: str = Field(description="The action in words (each act, for a combined read).")
    resource_type: str
    resource_id: str | None
    purpose: str | None = Field(description="The purpose declared for the access, if any.")
    request_id: str | None
    detail: dict[str, Any]

    @classmethod
    def of(cls, e: AuditEntry) -> EntryOut:
        """The entry as stored, with what it records and its action in words."""
        acts = acts_of(e.action, e.detail)
        return cls.of_record(e, id=e.id or 0, acts=list(acts), description=describe_acts(acts))


class AccessEntryOut(EntryOut):
    reach: Reach = Field(description="record: the entry is on the officer's record; named: it "
                                     "names the officer (an evaluation, a certificate); listed: "
                                     "a search or list whose results included the officer.")

    @classmethod
    def of_line(cls, line: AccessLine) -> AccessEntryOut:
        """The entry as `EntryOut` shows it, with how it reaches the officer."""
        return cls.of_record(EntryOut.of(line.entry), reach=line.reach)


class OfficerAccessOut(Output):
    officer_id: int
    name: str
    curp: str | None
    items: list[AccessEntryOut]
    next_cursor: str | None = Field(description="Absent when the whole trail has been examined.")
    examined_down_to: int = Field(description=_EXAMINED)

    @classmethod
    def of(cls, page: AccessPage) -> OfficerAccessOut:
        """The page, with the officer it is about named in three fields of its own."""
        o = page.officer
        return cls.of_record(page, officer_id=o.id, name=o.full_name, curp=o.curp,
                             items=[AccessEntryOut.of_line(x) for x in page.items])


class UserHistoryOut(Output):
    username: str
    items: list[EntryOut]
    next_cursor: str | None

    @classmethod
    def of(cls, username: str, page: Page[AuditEntry]) -> UserHistoryOut:
        """The page of entries, with the account it is the history of."""
        return cls.of_record(page, username=username, items=[EntryOut.of(e) for e in page.items])


class ReportLineOut(Output):
    at: Instant
    action: str
    acts: list[str] = Field(description=_ACTS)
    description: str
    reach: Reach
    role: Role | None = Field(description="The role of who acted; none for the console operator.")
    scope: ScopeKind | None
    place: str | None = Field(description="The state or agency of a scoped account.")
    purpose: str | None
    purpose_withheld: bool = Field(description="The purpose declared by internal affairs is "
                                               "withheld; the access itself is shown.")

    @classmethod
    def of(cls, line: ReportLine) -> ReportLineOut:
        """The line as the report gives it, with its action in words."""
        acts = line.acts or (line.action,)
        return cls.of_record(line, acts=list(acts), description=describe_acts(acts))


class OfficerReportOut(Output):
    officer_id: int
    name: str
    curp: str | None
    produced_at: Instant
    items: list[ReportLineOut]
    next_cursor: str | None
    examined_down_to: int = Field(description=_EXAMINED)

    @classmethod
    def of(cls, report: OfficerReport) -> OfficerReportOut:
        """The report, with its officer named in three fields and its lines as `items`."""
        o = report.officer
        return cls.of_record(report, officer_id=o.id, name=o.full_name, curp=o.curp,
                             items=[ReportLineOut.of(x) for x in report.lines])
