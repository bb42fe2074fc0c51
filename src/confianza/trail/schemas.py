"""Bodies of the access-history routes: an officer's entries, an account's history, and the
officer's own report (which names roles and agencies, never usernames)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from confianza.accounts.rules.permissions import Role, ScopeKind
from confianza.core.pagination import Page
from confianza.core.web.schemas import Instant, Output
from confianza.trail.rules import AuditEntry
from confianza.trail.service.access_history import (
    AccessLine,
    AccessPage,
    OfficerReport,
    Reach,
    ReportLine,
    describe,
)

_EXAMINED = ("Every entry from this sequence number up to where the page started has been "
             "examined; 1 means the start of the trail.")


class EntryOut(Output):
    seq: int
    at: Instant
    actor: str
    actor_kind: str
    action: str
    description: str = Field(description="The action in words.")
    resource_type: str
    resource_id: str | None
    purpose: str | None = Field(description="The purpose declared for the access, if any.")
    request_id: str | None
    detail: dict[str, Any]

    @classmethod
    def of(cls, e: AuditEntry) -> EntryOut:
        return cls(seq=e.seq or 0, at=e.at, actor=e.actor, actor_kind=e.actor_kind,
                   action=e.action, description=describe(e.action),
                   resource_type=e.resource_type, resource_id=e.resource_id,
                   purpose=e.purpose, request_id=e.request_id, detail=e.detail)


class AccessEntryOut(EntryOut):
    reach: Reach = Field(description="record: the entry is on the officer's record; named: it "
                                     "names the officer (an evaluation, a certificate); listed: "
                                     "a search or list whose results included the officer.")

    @classmethod
    def of_line(cls, line: AccessLine) -> AccessEntryOut:
        return cls(**EntryOut.of(line.entry).model_dump(), reach=line.reach)


class OfficerAccessOut(Output):
    officer_id: int
    name: str
    curp: str | None
    items: list[AccessEntryOut]
    next_cursor: str | None = Field(description="Absent when the whole trail has been examined.")
    examined_down_to: int = Field(description=_EXAMINED)

    @classmethod
    def of(cls, page: AccessPage) -> OfficerAccessOut:
        o = page.officer
        return cls(officer_id=o.id, name=o.full_name, curp=o.curp,
                   items=[AccessEntryOut.of_line(x) for x in page.items],
                   next_cursor=page.next_cursor, examined_down_to=page.examined_down_to)


class UserHistoryOut(Output):
    username: str
    items: list[EntryOut]
    next_cursor: str | None

    @classmethod
    def of(cls, username: str, page: Page[AuditEntry]) -> UserHistoryOut:
        return cls(username=username, items=[EntryOut.of(e) for e in page.items],
                   next_cursor=page.next_cursor)


class ReportLineOut(Output):
    at: Instant
    action: str
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
        return cls(at=line.at, action=line.action, description=describe(line.action),
                   reach=line.reach, role=line.role, scope=line.scope, place=line.place,
                   purpose=line.purpose, purpose_withheld=line.purpose_withheld)


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
        o = report.officer
        return cls(officer_id=o.id, name=o.full_name, curp=o.curp,
                   produced_at=report.produced_at,
                   items=[ReportLineOut.of(x) for x in report.lines],
                   next_cursor=report.next_cursor, examined_down_to=report.examined_down_to)
