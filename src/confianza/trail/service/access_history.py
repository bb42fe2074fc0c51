"""Access history: who touched an officer's record, what one account did, and the report an
officer receives about the accesses to their own record (due process).

Who may ask:
- the officer access report and an account's history need `audit:entry:read` (auditors,
  administrators). A scoped auditor reads the officers its scope covers, and the history of the
  accounts whose scope lies inside its own (an account without a row, such as the console
  operator, counts as national);
- the officer's own report needs `audit:officer_report:create`, held by auditors and by agency
  HR: the officer asks the oversight office or the HR of their own agency, and HR's scope keeps
  it to its own officers. Producing it is audited as its own action, on the officer.

What the officer's report shows: when, what (in words), why (the declared purpose) and the role
and agency of whoever looked, as the account stands now (the trail records a username, not the
role held at the time). It never names staff: usernames in the officer's hands would expose the
people who vet and investigate them. The purpose declared by internal affairs is withheld, since
an open investigation may be its subject; the access itself is still listed, so the officer knows
it happened and can take it to the oversight office.

How an officer's entries are found: entries whose resource is the officer come from the index on
(resource_type, resource_id, id); entries that name the officer only inside their detail (an
evaluation's `officer_id`, a search's `results`) have no index, so the trail is walked backwards
by entry id in bounded windows (at most `SCAN_ROWS` entries per request, never the whole
trail at once). A page can come back short, with a cursor to continue and the entry id
down to which the trail has been examined. A migration adding an index-backed table of the
officers each entry names would remove the walk; this feature adds none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from confianza.accounts.rules.permissions import (
    Actor,
    ActorKind,
    Holder,
    Permission,
    Role,
    ScopeKind,
)
from confianza.accounts.rules.users import User
from confianza.accounts.service.authorization import require
from confianza.core.civil_time import start_of_day
from confianza.core.errors import ErrorCollector, FieldError, NotFound, ValidationFailed
from confianza.core.pagination import Page, decode_cursor, encode_cursor
from confianza.registry.rules.geography import find_state
from confianza.registry.rules.officers import Officer
from confianza.registry.service.agencies import holder_of
from confianza.registry.service.officers import officer_holder
from confianza.trail.rules import AuditAction, AuditEntry, acts_of, combined_under
from confianza.work import Transaction, UnitOfWork

SCAN_WINDOW = 20_000  # entries examined per query of the walk
SCAN_ROWS = 200_000  # entries examined per request, at most
CURSOR_TAG = "seq"
ACTION_PREFIX = re.compile(r"[a-z_]{1,32}(:[a-z_]{0,32}){0,2}")

# Lists whose detail `results` are officer ids; other lists record other ids there.
OFFICER_LISTS = frozenset({AuditAction.OFFICER_SEARCH, AuditAction.ALERTS_READ,
                           AuditAction.REEVALUATION_LIST_READ, AuditAction.AGENCY_ROSTER_READ})

# The actions an officer's report is mostly made of, in words; the rest fall back to the tag.
ACTION_WORDS: dict[str, str] = {
    AuditAction.OFFICER_CREATE: "registered the officer",
    AuditAction.OFFICER_UPDATE: "changed the officer's identity or status",
    AuditAction.OFFICER_READ: "read the officer's record",
    AuditAction.OFFICER_SEARCH: "searched officers",
    AuditAction.OFFICER_CONTACT_READ: "revealed the officer's contact data",
    AuditAction.OFFICER_CONTACT_UPDATE: "replaced the officer's contact data",
    AuditAction.ASSIGNMENT_CREATE: "recorded a posting",
    AuditAction.ASSIGNMENT_UPDATE: "ended a posting",
    AuditAction.BADGE_CREATE: "issued a badge",
    AuditAction.ACCESS_DENIED: "was refused access",
    AuditAction.AUDIT_READ: "read the access history",
    AuditAction.OFFICER_ACCESS_REPORT: "produced the officer's access report",
    AuditAction.EVALUATION_REQUEST: "requested an evaluation",
    AuditAction.EVALUATION_CANCEL: "cancelled an evaluation request",
    AuditAction.EVALUATION_READ: "read an evaluation's status",
    AuditAction.EVALUATION_RESULTS_READ: "read an evaluation with its results",
    AuditAction.EXAM_READ: "opened an exam",
    AuditAction.EVALUATION_DECIDE: "decided an evaluation",
    AuditAction.EVALUATION_CONFIRM: "confirmed a not-approved decision",
    AuditAction.EVALUATION_RETURN: "returned a decision",
    AuditAction.OFFICER_REMOVED_FROM_DUTY: "removed the officer from duty",
    AuditAction.SEPARATION_OPEN: "opened a separation process",
    AuditAction.SEPARATION_CLOSE: "closed a separation process",
    AuditAction.AGENCY_NOTIFY: "notified the agency",
    AuditAction.APPEAL_FILE: "filed an appeal",
    AuditAction.APPEAL_DECIDE: "decided an appeal",
    AuditAction.CUP_COMPONENT_RECORD: "recorded a certificate component",
    AuditAction.CUP_ISSUE: "issued a certificate",
    AuditAction.CUP_END: "ended a certificate",
    AuditAction.CUP_READ: "read the officer's certification",
    AuditAction.ALERTS_READ: "read the alert list",
    AuditAction.REEVALUATION_LIST_READ: "read the re-evaluation list",
}


def describe(action: str) -> str:
    """An action in words (English, for the API); an unlisted tag reads as its parts."""
    return ACTION_WORDS.get(action, action.replace(":", " ").replace("_", " "))


def describe_acts(acts: tuple[str, ...]) -> str:
    """What an entry records, in words: one action, or each act of a combined read."""
    return "; ".join(describe(act) for act in acts)


#: Whose declared purposes an officer's report withholds: internal affairs' and the
#: integrity cases' people, whose reason for looking may be a case against the officer.
INTEGRITY_ROLES = frozenset({Role.INTERNAL_AFFAIRS, Role.INTERNAL_AFFAIRS_SUPERVISOR,
                             Role.HONOUR_COMMISSION})


class Reach(StrEnum):
    """How an entry concerns the officer."""

    RECORD = "record"  # its resource is the officer's record
    NAMED = "named"  # it names the officer in its detail (an evaluation, exam, certificate)
    LISTED = "listed"  # a search or list whose results included the officer


@dataclass(frozen=True)
class AccessLine:
    entry: AuditEntry
    reach: Reach

    @property
    def acts(self) -> tuple[str, ...]:
        """What the entry records as done: its action, and each section of a combined read
        as the action its own entry would have had (trail.rules.acts_of)."""
        return acts_of(self.entry.action, self.entry.detail)


@dataclass(frozen=True)
class AccessPage:
    """A page of an officer's entries, newest first. `examined_down_to`: every entry from that
    entry id up to the cursor's has been examined (1: the start of the trail)."""

    officer: Officer
    items: list[AccessLine]
    next_cursor: str | None
    examined_down_to: int


@dataclass(frozen=True)
class ReportLine:
    """One access as the officer receives it: no username, no request id, no search criteria."""

    at: datetime
    action: str
    reach: Reach
    role: Role | None  # None: the console operator, or an account that no longer exists
    scope: ScopeKind | None
    place: str | None  # the state or agency of a scoped account
    purpose: str | None
    purpose_withheld: bool
    acts: tuple[str, ...] = ()  # what was done: `action`, or each act of a combined read


@dataclass(frozen=True)
class OfficerReport:
    officer: Officer
    produced_at: datetime
    lines: list[ReportLine]
    next_cursor: str | None
    examined_down_to: int


@dataclass(frozen=True)
class HistoryFilter:
    action: str | None = None  # an action tag or its prefix, e.g. "officer:contact"
    since: date | None = None
    until: date | None = None  # inclusive


def open_access(uow: UnitOfWork, actor: Actor) -> None:
    """Check that the caller may read the trail (for the section's start page); writes nothing
    but a refusal, since nothing is read."""
    with uow.transaction():
        require(actor, Permission.AUDIT_READ, resource_type="audit")


def find_officer(uow: UnitOfWork, actor: Actor, key: str) -> int:
    """The officer named by an id or a CURP, for an auditor about to read their report."""
    text = key.strip().upper()
    with uow.transaction() as tx:
        require(actor, Permission.AUDIT_READ, resource_type="officer")
        # Plain ASCII digits within a 64-bit key: "²" is a digit int() refuses, and a longer
        # number would fail the query instead of finding no one.
        number = text.isascii() and text.isdecimal() and int(text) < 2**63
        officer_id = int(text) if number else tx.officers.id_by_curp(text)
        if officer_id is None or tx.officers.get(officer_id) is None:
            raise NotFound(f"no officer has the id or CURP {text!r}")
        return officer_id


def officer_access(
    uow: UnitOfWork, actor: Actor, officer_id: int, *, cursor: str | None = None,
    limit: int = 50, scan_rows: int = SCAN_ROWS,
) -> AccessPage:
    """Every entry about one officer, newest first, a page at a time (for auditors)."""
    with uow.transaction() as tx:
        officer = _officer(tx, actor, Permission.AUDIT_READ, officer_id)
        lines, next_before, examined = walk_accesses(tx, officer_id, _before(cursor), limit,
                                                     scan_rows)
        tx.audit.record(actor, AuditAction.AUDIT_READ, "officer", officer_id,
                        detail={"view": "officer_access", "entries": len(lines),
                                "examined_down_to": examined})
        return AccessPage(officer, lines, _cursor(next_before), examined)


def officer_report(
    uow: UnitOfWork, actor: Actor, officer_id: int, *, cursor: str | None = None,
    limit: int = 100, scan_rows: int = SCAN_ROWS,
) -> OfficerReport:
    """The officer's own access report (due process), produced on their request."""
    with uow.transaction() as tx:
        officer = _officer(tx, actor, Permission.ACCESS_REPORT, officer_id)
        lines, next_before, examined = walk_accesses(tx, officer_id, _before(cursor), limit,
                                                     scan_rows)
        who = _Accounts(tx)
        shown = [who.line(line) for line in lines]
        tx.audit.record(actor, AuditAction.OFFICER_ACCESS_REPORT, "officer", officer_id,
                        detail={"entries": len(shown), "examined_down_to": examined})
        return OfficerReport(officer, tx.now, shown, _cursor(next_before), examined)


def user_history(
    uow: UnitOfWork, actor: Actor, username: str, where: HistoryFilter = HistoryFilter(), *,
    cursor: str | None = None, limit: int = 50,
) -> Page[AuditEntry]:
    """Everything one account did, newest first, optionally by action prefix and dates."""
    name = username.strip()
    with uow.transaction() as tx:
        found = tx.users.by_username(name) if name else None
        account = found[0] if found else None
        holder = _account_holder(tx, account)
        require(actor, Permission.AUDIT_READ, holder, resource_type="user",
                resource_id=account.id if account else None)
        errors = ErrorCollector()
        if not 1 <= len(name) <= 64:
            errors.add("username", "must be 1 to 64 characters")
        if where.action and not ACTION_PREFIX.fullmatch(where.action):
            errors.add("action", "must be an action tag or its start, e.g. officer:contact")
        if where.since and where.until and where.since > where.until:
            errors.add("since", f"{where.since.isoformat()} is after until "
                                f"({where.until.isoformat()})")
        errors.raise_if_any()
        rows, next_before = _history(
            tx, name, where.action or None, before=_before(cursor),
            since=_midnight(where.since, tx.zone),
            until=_midnight(where.until + timedelta(days=1), tx.zone) if where.until else None,
            limit=limit,
        )
        used = sorted(k for k, v in vars(where).items() if v)
        tx.audit.record(actor, AuditAction.AUDIT_READ, "user",
                        account.id if account else None,
                        detail={"view": "user_history", "username": name, "filters": used,
                                "entries": len(rows)})
        return Page(rows, _cursor(next_before))


def _history(
    tx: Transaction, username: str, prefix: str | None, *, before: int | None,
    since: datetime | None, until: datetime | None, limit: int,
) -> tuple[list[AuditEntry], int | None]:
    """One account's entries newest first, at most `limit`, and where the next page starts.

    A filter that names a section of the record (`certificate:record:read`) also lists the
    combined reads that included it, written under another action (ADR 0024): each such action
    is read too and kept where the entry holds the act. Each list is read `limit + 1` deep, so
    the page is whole only down to the deepest entry of a list that came back full; it stops
    there (short, with a cursor, as the officer's history can)."""
    wanted, combined = combined_under(prefix)
    lists = [tx.audit.by_actor(username, before=before, action_prefix=action, since=since,
                               until=until, limit=limit + 1) for action in (prefix, *combined)]
    found: dict[int, AuditEntry] = {}
    floor = 0
    for n, rows in enumerate(lists):
        if len(rows) > limit:
            floor = max(floor, rows[-1].id or 0)
        for entry in rows:
            if n == 0 or wanted & set(acts_of(entry.action, entry.detail)):
                found[entry.id or 0] = entry
    merged = [found[key] for key in sorted(found, reverse=True) if key >= floor]
    if len(merged) > limit:
        return merged[:limit], merged[limit - 1].id
    return merged, floor or None


# The walk ------------------------------------------------------------------------------------


def walk_accesses(
    tx: Transaction, officer_id: int, before: int | None, limit: int, scan_rows: int
) -> tuple[list[AccessLine], int | None, int]:
    """Entries about the officer below `before`, newest first: (page, next `before`, examined
    down to). Windows are examined whole, by both the index and the detail scan, so a page never
    shows an entry while an older-numbered window still hides a newer one."""
    high = before if before is not None else tx.audit.last_id() + 1
    found: list[AccessLine] = []
    examined = 0
    while high > 1 and examined < scan_rows and len(found) <= limit:
        low = max(1, high - min(SCAN_WINDOW, scan_rows - examined))
        direct = tx.audit.about_resource_between("officer", str(officer_id), low=low,
                                                 before=high)
        named = tx.audit.detail_mentions_between(officer_id, key="officer_id",
                                                 list_key="results", low=low, before=high)
        window = {e.id or 0: e for e in (*direct, *named)}
        for entry_id in sorted(window, reverse=True):
            reach = reach_of(window[entry_id], officer_id)
            if reach is not None:
                found.append(AccessLine(window[entry_id], reach))
        examined += high - low
        high = low
    if len(found) > limit:
        page = found[:limit]
        last = page[-1].entry.id or 1
        return page, last, last
    return found, (high if high > 1 else None), max(high, 1)


def reach_of(entry: AuditEntry, officer_id: int) -> Reach | None:
    """How an entry concerns the officer, if it does: checked on the parsed entry, since the
    text patterns that found it may over-match."""
    if entry.resource_type == "officer" and entry.resource_id == str(officer_id):
        return Reach.RECORD
    if _same_id(entry.detail.get("officer_id"), officer_id):
        return Reach.NAMED
    results = entry.detail.get("results")
    if entry.action in OFFICER_LISTS and isinstance(results, list) and any(
            _same_id(r, officer_id) for r in results):
        return Reach.LISTED
    return None


def _same_id(value: Any, officer_id: int) -> bool:
    return type(value) is int and value == officer_id  # not a bool, which is an int too


# Helpers -------------------------------------------------------------------------------------


def _officer(tx: Transaction, actor: Actor, permission: Permission, officer_id: int) -> Officer:
    # The role first, so a caller without it learns nothing, not even whether the id exists.
    require(actor, permission, resource_type="officer", resource_id=officer_id)
    officer = tx.officers.get(officer_id)
    if officer is None:
        raise NotFound(f"officer {officer_id} does not exist")
    require(actor, permission, officer_holder(tx, officer_id), resource_type="officer",
            resource_id=officer_id)
    return officer


def _account_holder(tx: Transaction, account: User | None) -> Holder:
    """What an account's history is held by: its scope (national ones only by national auditors)."""
    if account is None or account.scope.kind is ScopeKind.NATIONAL:
        return Holder()
    if account.scope.kind is ScopeKind.STATE:
        return Holder(state_codes=frozenset({account.scope.state_code or ""}))
    agency = tx.agencies.get(account.scope.agency_id or 0)
    return holder_of(agency) if agency else Holder(agency_ids=frozenset(
        {account.scope.agency_id or 0}))


class _Accounts:
    """The role and place of each username, looked up once per report."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx
        self._seen: dict[str, User | None] = {}

    def account(self, username: str) -> User | None:
        if username not in self._seen:
            found = self._tx.users.by_username(username)
            self._seen[username] = found[0] if found else None
        return self._seen[username]

    def line(self, line: AccessLine) -> ReportLine:
        entry = line.entry
        user = None if entry.actor_kind == ActorKind.SYSTEM else self.account(entry.actor)
        withheld = (user is not None and user.role in INTEGRITY_ROLES
                    and entry.purpose is not None)
        return ReportLine(
            at=entry.at, action=entry.action, reach=line.reach,
            role=user.role if user else None, scope=user.scope.kind if user else None,
            place=self._place(user), purpose=None if withheld else entry.purpose,
            purpose_withheld=withheld, acts=line.acts,
        )

    def _place(self, user: User | None) -> str | None:
        if user is None or user.scope.kind is ScopeKind.NATIONAL:
            return None
        if user.scope.kind is ScopeKind.STATE:
            state = find_state(user.scope.state_code or "")
            return state.name if state else user.scope.state_code
        agency = self._tx.agencies.get(user.scope.agency_id or 0)
        return agency.name if agency else None


def _before(cursor: str | None) -> int | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    if key[0] != CURSOR_TAG or key[1] < 1:
        raise ValidationFailed(FieldError("cursor", "is not a cursor this server issued"))
    return key[1]


def _cursor(before: int | None) -> str | None:
    return encode_cursor((CURSOR_TAG, before)) if before is not None else None


def _midnight(day: date | None, zone: tzinfo) -> datetime | None:
    """The first instant of a civil day: a report "from 1 December" starts at midnight where
    the system is deployed, not at midnight UTC."""
    return start_of_day(day, zone) if day else None
