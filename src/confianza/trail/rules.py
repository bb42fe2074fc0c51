"""Audit entries and their canonical byte encoding.

An entry records who did what to which record, when, why and in which request. The encoding
fixes what a stored row says, byte for byte: the tamper-evident log's leaf binds these bytes by
a keyed digest inside the entry's public form (transparency/rules.py, ADR 0012). An entry has
two numbers: its `id`, given by the database when it is inserted, which orders the trail for
reading; and its `seq`, its place in the log, given afterwards by the integrator (ADR 0023),
which is what the encodings carry.

Canonical form (version 1): a JSON object with exactly the keys below, keys sorted, no
insignificant whitespace, UTF-8, integers as JSON numbers, absent values as null, `at` as
RFC 3339 UTC with microseconds and a trailing "Z". No sensitive value (a phone, an address) is ever
put into an entry: entries name records by id, never by content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NamedTuple

ENCODING_VERSION = 1


class AuditAction(StrEnum):
    """Every action tag the system writes, in `resource:subject:action` form."""

    AGENCY_CREATE = "agency:record:create"
    AGENCY_UPDATE = "agency:record:update"
    AGENCY_MERGE = "agency:record:merge"
    AGENCY_ROSTER_READ = "agency:roster:read"
    UNIT_CREATE = "unit:record:create"
    UNIT_UPDATE = "unit:record:update"
    OFFICER_CREATE = "officer:identity:create"
    OFFICER_UPDATE = "officer:identity:update"
    OFFICER_READ = "officer:identity:read"
    OFFICER_SEARCH = "officer:identity:search"
    OFFICER_CONTACT_READ = "officer:contact:read"
    OFFICER_CONTACT_UPDATE = "officer:contact:update"
    OFFICER_IMPORT = "officer:roster:import"
    ASSIGNMENT_CREATE = "officer:assignment:create"
    ASSIGNMENT_UPDATE = "officer:assignment:update"
    BADGE_CREATE = "officer:badge:create"
    USER_CREATE = "user:account:create"
    USER_UPDATE = "user:account:update"
    USER_LOGIN = "user:session:login"
    USER_LOGIN_FAILED = "user:session:login_failed"
    USER_LOGOUT = "user:session:logout"
    CSRF_REFUSED = "user:session:csrf_refused"
    TOKEN_CREATE = "user:token:create"
    TOKEN_REVOKE = "user:token:revoke"
    ACCESS_DENIED = "authz:permission:denied"
    AUDIT_READ = "audit:entry:read"
    REQUEST_REFUSED = "workflow:request:refused"
    CENTRE_CREATE = "centre:record:create"
    CENTRE_UPDATE = "centre:record:update"
    EXAMINER_UPDATE = "centre:examiner:update"
    EVALUATION_REQUEST = "evaluation:request:create"
    EVALUATION_SCHEDULE = "evaluation:schedule:update"
    EVALUATION_CANCEL = "evaluation:request:cancel"
    EVALUATION_READ = "evaluation:status:read"
    EVALUATION_RESULTS_READ = "evaluation:result:read"
    EVALUATION_QUEUE_READ = "evaluation:queue:read"
    EXAM_READ = "evaluation:exam:read"
    EXAM_RECORD = "evaluation:exam:record"
    EXAM_ATTACH = "evaluation:exam:attach"
    EVALUATION_INTEGRATE = "evaluation:integration:create"
    EVALUATION_DECIDE = "evaluation:decision:create"
    EVALUATION_CONFIRM = "evaluation:decision:confirm"
    EVALUATION_RETURN = "evaluation:decision:return"
    OFFICER_REMOVED_FROM_DUTY = "officer:status:removed_from_duty"
    SEPARATION_OPEN = "officer:separation:open"
    SEPARATION_CLOSE = "officer:separation:close"
    AGENCY_NOTIFY = "agency:notification:create"
    NOTIFICATION_READ = "agency:notification:read"
    APPEAL_FILE = "evaluation:appeal:file"
    APPEAL_DECIDE = "evaluation:appeal:decide"
    CUP_COMPONENT_RECORD = "certificate:component:create"
    CUP_ISSUE = "certificate:record:issue"
    CUP_END = "certificate:record:end"
    CUP_READ = "certificate:record:read"
    CREDENTIAL_ISSUE = "credential:record:issue"
    CREDENTIAL_STATUS = "credential:status:change"
    CREDENTIAL_READ = "credential:record:read"
    COVERAGE_READ = "certification:coverage:read"
    ALERTS_READ = "certification:alerts:read"
    REEVALUATION_LIST_READ = "certification:reevaluation:read"
    # Coverage dashboard: aggregates only, so the entry names the view, never an officer.
    DASHBOARD_READ = "certification:dashboard:read"
    DEMO_BUILD = "registry:demo:build"
    # Audit: access history
    OFFICER_ACCESS_REPORT = "audit:officer_report:create"
    # Officer timeline (detail: the sections shown)
    TIMELINE_READ = "officer:timeline:read"
    # People matched across sources (a run's entry counts its pairs; a merge names both ids)
    IDENTITY_MATCH_RUN = "officer:identity_match:run"
    IDENTITY_CANDIDATES_READ = "officer:identity_match:read"
    IDENTITY_CANDIDATE_CONFIRM = "officer:identity_match:confirm"
    IDENTITY_CANDIDATE_REJECT = "officer:identity_match:reject"
    OFFICER_MERGE = "officer:identity:merge"
    # Roster refresh (ADR 0029): pending separations for HR, the review queue for the clerk
    SEPARATION_PROPOSE = "officer:pending_separation:propose"
    SEPARATIONS_READ = "officer:pending_separation:read"
    SEPARATION_CONFIRM = "officer:pending_separation:confirm"
    SEPARATION_DISMISS = "officer:pending_separation:dismiss"
    CONFLICT_QUEUE = "officer:roster_conflict:queue"
    CONFLICTS_READ = "officer:roster_conflict:read"
    CONFLICT_DECIDE = "officer:roster_conflict:decide"
    # Integrity cases (ADR 0030): entries name records by id, never a source's identity.
    CASE_OPEN = "integrity:case:open"
    CASE_READ = "integrity:case:read"
    CASE_STAGE_READ = "integrity:case:stage_read"
    CASE_QUEUE_READ = "integrity:queue:read"
    CASE_ASSIGN = "integrity:case:assign"
    CASE_MOVE = "integrity:case:move"
    CASE_NOTICE = "integrity:notice:create"
    CASE_NOTICE_SERVE = "integrity:notice:serve"
    CASE_ANSWER = "integrity:answer:create"
    CASE_EVIDENCE = "integrity:evidence:create"
    CASE_LINK = "integrity:link:create"
    CASE_FINDING = "integrity:finding:create"
    CASE_FINDING_CONFIRM = "integrity:finding:confirm"
    CASE_SANCTION = "integrity:sanction:create"
    CASE_APPEAL_FILE = "integrity:appeal:file"
    CASE_APPEAL_DECIDE = "integrity:appeal:decide"
    # Complaint files (ADR 0033): one entry per import, with its counts
    COMPLAINTS_IMPORT = "integrity:complaints:import"
    ACCUSED_REVIEW_READ = "integrity:accused_review:read"
    ACCUSED_ATTACH = "integrity:accused:attach"
    ACCUSED_REJECT = "integrity:accused:reject"
    NETWORK_READ = "integrity:network:read"
    # Final sanctions exported in the S3 form (ADR 0035): one entry per export, with its count
    SANCTIONS_EXPORT = "integrity:sanctions:export"
    # Another authority's sanctions (ADR 0036): one entry per import, with its counts
    OUTSIDE_SANCTIONS_IMPORT = "integrity:outside_sanctions:import"
    OUTSIDE_SANCTIONS_REVIEW_READ = "integrity:outside_sanction_review:read"
    OUTSIDE_SANCTION_LINK = "integrity:outside_sanction:link"
    OUTSIDE_SANCTION_REJECT = "integrity:outside_sanction:reject"
    OUTSIDE_SANCTIONS_READ = "integrity:outside_sanction:read"
    # Early intervention (ADR 0034): entries name models by version and officers by id.
    RISK_HISTORY_READ = "risk:history:read"
    RISK_MODEL_TRAIN = "risk:model:train"
    RISK_SCORE = "risk:score:create"
    RISK_QUEUE_READ = "risk:queue:read"
    RISK_FLAG_READ = "risk:flag:read"
    RISK_REVIEW = "risk:review:create"
    RISK_REPORT_READ = "risk:review:report"
    # Asset declarations (ADR 0038): one entry per import, export and run of the checks.
    DECLARATION_IMPORT = "declaration:record:import"
    DECLARATION_READ = "declaration:record:read"
    DECLARATION_CHECK = "declaration:check:run"
    # Explanation-based auditing (ADR 0037): the shares of a period's reads explained
    ACCESS_EXPLAIN = "audit:explanation:read"
    # Insider detection (issue 19 §2-3): a run of the scoring, the auditor's queue and marks
    ACCESS_DETECT = "audit:access_detection:run"
    ACCESS_ALERTS_READ = "audit:access_alert:list"
    ACCESS_ALERT_READ = "audit:access_alert:read"
    ACCESS_ALERT_MARK = "audit:access_alert:mark"
    # The demo's filing (its planted cases in the detail), one officer's checks, HR's list of
    # missing and late declarations, an allegation opened from a finding.
    DECLARATION_DEMO = "declaration:demo:file"
    DECLARATION_CHECK_READ = "declaration:check:read"
    DECLARATION_DUE_READ = "declaration:due:read"
    DECLARATION_ALLEGE = "declaration:finding:allege"
    # An imported payroll beside the pay scale (ADR 0038, addendum 4): one entry per import.
    PAYROLL_IMPORT = "declaration:payroll:import"


class RecordSection(StrEnum):
    """A part of one officer's record that a page or an answer shows, each read under its own
    permission. One act that shows several of them writes one entry, whose detail names them
    all (`sections_detail`); before, each section wrote an entry of its own (ADR 0024)."""

    IDENTITY = "identity"
    CONTACTS = "contacts"
    CERTIFICATE = "certificate"
    EVALUATIONS = "evaluations"
    # Part of reading the record itself (same permission, same act), named so an auditor
    # sees that the history was shown (ADR 0025).
    STATUS_HISTORY = "status_history"
    # The integrity cases in which the officer is accused, each with its stage (ADR 0030):
    # read on the record by the roles holding a case permission (ADR 0024, addendum).
    INTEGRITY = "integrity"
    # Other authorities' sanctions linked to the officer (ADR 0036), for the roles that weigh
    # them.
    OUTSIDE_SANCTIONS = "outside_sanctions"


#: The action an entry of its own would have carried for each section: what `acts_of` reads a
#: combined entry as, so that the access history says what it said of the separate entries.
SECTION_ACTION: dict[RecordSection, AuditAction] = {
    RecordSection.IDENTITY: AuditAction.OFFICER_READ,
    RecordSection.CONTACTS: AuditAction.OFFICER_CONTACT_READ,
    RecordSection.CERTIFICATE: AuditAction.CUP_READ,
    RecordSection.EVALUATIONS: AuditAction.EVALUATION_READ,
    RecordSection.STATUS_HISTORY: AuditAction.OFFICER_READ,
    RecordSection.INTEGRITY: AuditAction.CASE_STAGE_READ,
    RecordSection.OUTSIDE_SANCTIONS: AuditAction.OUTSIDE_SANCTIONS_READ,
}
#: The actions a combined read is written under: the reveal of contact data when the act
#: includes it (it carries the declared purpose, and an auditor looks for it by that name),
#: the reading of the record otherwise.
COMBINED_ACTIONS = frozenset({AuditAction.OFFICER_READ, AuditAction.OFFICER_CONTACT_READ})


def sections_detail(sections: Iterable[RecordSection]) -> dict[str, list[str]]:
    """The detail that names the sections one act read, in `RecordSection` order; nothing when
    it read the identity alone, whose entry needs no list (it reads as it always did)."""
    chosen = set(sections)
    if chosen <= {RecordSection.IDENTITY}:
        return {}
    return {"sections": [s.value for s in RecordSection if s in chosen]}


def acts_of(action: str, detail: Mapping[str, Any]) -> tuple[str, ...]:
    """What an entry records as done, as actions: its own action first, then, for a combined
    read, the action each further section would have had as an entry of its own. Any other
    entry, and every entry written before sections were combined, is its own action alone."""
    sections = detail.get("sections") if action in COMBINED_ACTIONS else None
    if not isinstance(sections, list):
        return (action,)
    acts = [action]
    for name in sections:
        act = SECTION_ACTION.get(RecordSection(name)) if name in _SECTION_NAMES else None
        if act is not None and act not in acts:
            acts.append(act)
    return tuple(acts)


_SECTION_NAMES = frozenset(s.value for s in RecordSection)


def combined_under(prefix: str | None) -> tuple[frozenset[str], tuple[str, ...]]:
    """For a filter by action prefix: the acts of sections it names, and the combined actions it
    does not match itself, whose entries may hold those acts (`certificate:record:read` asks for
    the profile reads that included the certificate, written as `officer:identity:read`)."""
    if not prefix:
        return frozenset(), ()
    wanted = frozenset(a for a in SECTION_ACTION.values() if a.startswith(prefix))
    if not wanted:
        return wanted, ()
    return wanted, tuple(a for a in sorted(COMBINED_ACTIONS) if not a.startswith(prefix))


@dataclass(frozen=True)
class PendingEntry:
    """An entry decided on but not yet appended: the unit of work stamps it with the time and
    the request id (and writes it even after a rollback, for a refusal)."""

    actor: str
    actor_kind: str
    action: str
    resource_type: str
    resource_id: str | None
    purpose: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the trail. `id` is None until the entry is inserted; `seq`, its place in
    the log, until the integrator gives it one."""

    at: datetime
    actor: str
    actor_kind: str
    action: str
    resource_type: str
    resource_id: str | None
    purpose: str | None = None
    request_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    seq: int | None = None
    id: int | None = None

    def canonical_bytes(self) -> bytes:
        return canonical_bytes(self)


def format_timestamp(at: datetime) -> str:
    """RFC 3339, UTC, microseconds, 'Z': one spelling per instant, so one hash per entry."""
    if at.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    if at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    # isoformat, not strftime: the same digits in half the time. It ends "+00:00" here, and
    # leaves out a zero fraction, which the fixed spelling keeps.
    text = at.isoformat()[:-6]
    return f"{text}Z" if at.microsecond else f"{text}.000000Z"


class StoredEntry(NamedTuple):
    """An entry as its encodings see it: `at` already in its canonical spelling and `detail`
    as canonical JSON text. The database stores `detail` in exactly that text, so the log reads
    entries in this form and encodes them without parsing the detail and writing it again."""

    seq: int
    at: str
    actor: str
    actor_kind: str
    action: str
    resource_type: str
    resource_id: str | None
    purpose: str | None
    request_id: str | None
    detail: str


def stored_form(entry: AuditEntry) -> StoredEntry:
    if entry.seq is None:
        raise ValueError("an entry is encoded only once the log has given it its place")
    return StoredEntry(
        entry.seq, format_timestamp(entry.at), entry.actor, entry.actor_kind, entry.action,
        entry.resource_type, entry.resource_id, entry.purpose, entry.request_id,
        encode_detail(entry.detail) if entry.detail else "{}")


def canonical_bytes(entry: AuditEntry) -> bytes:
    """The version 1 bytes: what `json.dumps(document, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)` writes for the entry's document (see `stored_bytes`)."""
    return stored_bytes(stored_form(entry))


def stored_bytes(e: StoredEntry) -> bytes:
    """The version 1 bytes of an entry in its stored form. Written out with the keys already in
    order, so only the values go through the JSON encoder: verification encodes every entry of
    the log again, and this halves its cost (a test holds it to the plain encoder's bytes)."""
    return (
        f'{{"action":{json_word(e.action)},"actor":{_text(e.actor)},'
        f'"actor_kind":{json_word(e.actor_kind)},"at":"{e.at}",'
        f'"detail":{e.detail},"purpose":{_text(e.purpose)},'
        f'"request_id":{_text(e.request_id)},"resource_id":{_text(e.resource_id)},'
        f'"resource_type":{json_word(e.resource_type)},"seq":{int(e.seq)},'
        f'"v":{ENCODING_VERSION}}}'
    ).encode()


def _text(value: str | None) -> str:
    return "null" if value is None else _STRING(value)


def json_word(value: str) -> str:
    """A JSON string of one of the few values a field takes again and again (an action, a kind
    of record), encoded once and remembered."""
    found = _WORDS.get(value)
    if found is None:
        if len(_WORDS) > 4096:  # a bound, in case a caller passes free text
            _WORDS.clear()
        found = _WORDS[value] = _STRING(value)
    return found


_STRING = json.JSONEncoder(ensure_ascii=False).encode
_WORDS: dict[str, str] = {}


def encode_detail(detail: dict[str, Any]) -> str:
    """The stored text of an entry's detail, in the same canonical JSON as the leaf."""
    return _CANONICAL(detail)


# One encoder made once: json.dumps with options builds a new one at every call.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode

