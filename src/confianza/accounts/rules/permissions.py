"""Roles, permissions and scopes: who may do what, and over which part of the force.

Every permission is a named member of `Permission`, in the `resource:subject:action` form that the
audit tags use too, so a reader can match an entry in the log to the permission that allowed it.
The decision itself is taken in one place: `confianza.accounts.service.authorization.require`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    REGISTRY_CLERK = "registry_clerk"
    AGENCY_HR = "agency_hr"
    CENTRE_COORDINATOR = "centre_coordinator"
    EXAMINER = "examiner"
    CERTIFICATION_OFFICER = "certification_officer"
    INTERNAL_AFFAIRS = "internal_affairs"
    # Integrity cases (ADR 0030): who assigns and oversees the cases of a scope, and the
    # collegiate body that decides them (Comisión de Honor y Justicia).
    INTERNAL_AFFAIRS_SUPERVISOR = "internal_affairs_supervisor"
    HONOUR_COMMISSION = "honour_commission"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


class Permission(StrEnum):
    AGENCY_READ = "agency:record:read"
    AGENCY_WRITE = "agency:record:write"
    AGENCY_MERGE = "agency:record:merge"
    UNIT_WRITE = "unit:record:write"
    OFFICER_READ = "officer:identity:read"
    OFFICER_SEARCH = "officer:identity:search"
    OFFICER_WRITE = "officer:identity:write"
    OFFICER_SENSITIVE_READ = "officer:contact:read"
    OFFICER_SENSITIVE_WRITE = "officer:contact:write"
    OFFICER_IMPORT = "officer:roster:import"
    ASSIGNMENT_WRITE = "officer:assignment:write"
    BADGE_WRITE = "officer:badge:write"
    USER_MANAGE = "user:account:manage"
    TOKEN_MANAGE = "user:token:manage"
    AUDIT_READ = "audit:entry:read"
    CENTRE_READ = "centre:record:read"
    CENTRE_MANAGE = "centre:record:manage"
    EVALUATION_REQUEST = "evaluation:request:write"
    EVALUATION_SCHEDULE = "evaluation:schedule:write"
    EVALUATION_READ = "evaluation:status:read"
    EVALUATION_RESULTS_READ = "evaluation:result:read"
    EXAM_RECORD = "evaluation:exam:record"
    EVALUATION_DECIDE = "evaluation:decision:write"
    APPEAL_FILE = "evaluation:appeal:file"
    APPEAL_DECIDE = "evaluation:appeal:decide"
    SEPARATION_MANAGE = "officer:separation:manage"
    CUP_READ = "certificate:record:read"
    CUP_WRITE = "certificate:component:write"
    COVERAGE_READ = "certification:coverage:read"
    # Audit: access history — the officer's own report, produced on the officer's request.
    ACCESS_REPORT = "audit:officer_report:create"
    # People matched across sources: propose pairs, decide them, merge confirmed ones.
    IDENTITY_MATCH = "officer:identity:match"
    # Integrity cases (ADR 0030). Holding one of these is not enough to read a case: the
    # service also asks whether the caller is one of the case's people (need-to-know).
    CASE_OPEN = "integrity:case:open"
    CASE_STAGE_READ = "integrity:case:stage_read"
    CASE_READ = "integrity:case:read"
    CASE_ASSIGN = "integrity:case:assign"
    CASE_INVESTIGATE = "integrity:case:investigate"
    CASE_DECIDE = "integrity:finding:decide"
    CASE_APPEAL_FILE = "integrity:appeal:file"
    # Complaint files of another authority (ADR 0033): importing them as closed cases, the
    # review of accused the linking could not place, and the co-accusal network.
    COMPLAINTS_IMPORT = "integrity:complaints:import"
    ACCUSED_REVIEW = "integrity:accused:review"
    NETWORK_READ = "integrity:network:read"
    # Final sanctions in the PDN's public form (system S3, ADR 0035).
    SANCTIONS_EXPORT = "integrity:sanctions:export"
    # Another authority's sanctions and decertifications (ADR 0036): importing a list, the
    # review that links a record to an officer or rejects it, and reading the linked ones.
    OUTSIDE_SANCTIONS_IMPORT = "integrity:outside_sanctions:import"
    OUTSIDE_SANCTIONS_REVIEW = "integrity:outside_sanction:review"
    OUTSIDE_SANCTIONS_READ = "integrity:outside_sanction:read"
    # Early intervention (ADR 0034): the flags of a scope, reviewed by agency HR; the share of
    # flags found useful, in aggregate; training and scoring are the console's alone.
    RISK_REVIEW = "risk:flag:review"
    RISK_REPORT = "risk:review:report"
    RISK_MODEL_MANAGE = "risk:model:manage"
    # Asset declarations (ADR 0038): imported and checked at the console; read (exported in
    # the S1 form) by the socio-economic side of trust control and internal affairs.
    DECLARATION_IMPORT = "declaration:record:import"
    DECLARATION_READ = "declaration:record:read"
    DECLARATION_CHECK = "declaration:check:run"
    # Insider detection (issue 19): the alerts on unexplained reads and their marks are the
    # auditors' alone (the reader's manager is never told by the system).
    ACCESS_ALERT_REVIEW = "audit:access_alert:review"
    DECLARATION_CHECK_READ = "declaration:check:read"
    DECLARATION_DUE_READ = "declaration:due:read"


_P = Permission

# Why each role holds what it holds:
# - clerks keep the national registry; they write identities and careers but see no contact data
#   unless they declare a purpose (they hold the permission; the purpose is still demanded);
#   keeping one record per person is theirs too: they decide the pairs the matcher proposes,
#   and a confirmed pair merges two records (agency HR, scoped to its agencies, cannot see the
#   other agency's record it would merge with);
# - agency HR manages its own roster (scope limits it to its agencies);
# - examiners and certification officers need identities to know whom they evaluate, no more;
# - internal affairs reads contact data (to summon an officer) but changes nothing;
# - auditors read the trail and identities, never contact data, and change nothing;
# - administrators manage accounts, agencies and centres, not officers: who runs the system does
#   not also edit the people in it;
# Trust control (issue 3) separates who asks, who schedules, who examines and who decides:
# - agency HR requests evaluations of its officers, files their appeals, runs the separation a
#   not-approved decision opens, records the other certificate components, and sees verdicts
#   and expiries, never exam results;
# - the centre coordinator schedules evaluations and assigns qualified examiners, and sees no
#   result: choosing the examiner must not be a way to choose the outcome;
# - examiners record the exams assigned to them (the service checks the assignment) and see
#   nothing else of the evaluation;
# - certification officers read the results, decide, confirm another's not-approved decision,
#   and decide appeals in which they took no part.
# Audit: access history — an officer may ask who looked at their record (due process); the
# report is produced by an auditor or by the HR of the officer's own agency (scope limits it),
# the two offices an officer can turn to. It names roles and agencies, never usernames.
# Integrity cases (ADR 0030) separate who takes an allegation in, who investigates, who decides
# and who decides the appeal; the role opens the door, the case's own people are checked in
# the service (need-to-know):
# - internal affairs takes allegations in and investigates the cases assigned to it;
# - the internal-affairs supervisor assigns investigators and deciders and oversees the cases
#   of its scope; it neither investigates nor decides;
# - the honour commission (Comisión de Honor y Justicia) decides the findings, the sanction
#   and the appeals of the cases it is assigned to, and investigates nothing;
# - agency HR files an appeal for its officer and learns a case's stage; certification
#   officers and auditors learn at most that a case exists and its stage.
# Complaint files (ADR 0033): the internal-affairs supervisor imports another authority's
# complaints and resolves the accused the linking could not place; internal affairs and its
# supervisor read the co-accusal network of their scope. Certification officers and HR see
# nothing of it: a network of accusations is not a verdict.
# Final sanctions (ADR 0035) are exported in the PDN's S3 form by the internal-affairs
# supervisor of the scope, who oversees the cases without deciding them: publishing is kept
# apart from deciding, and nobody else reads sanctions across cases.
# Another authority's sanctions (ADR 0036): the internal-affairs supervisor imports a list
# and decides which officer a record is (or that it is none); the sanctions linked to an
# officer are read on the record by those who weigh them: internal affairs, its supervisor,
# the honour commission, and certification officers (a decertification elsewhere bears on
# trust control). HR and auditors see none of them.
#
# Early intervention (ADR 0034): a flag is a question for the officer's own management, not a
# disciplinary lead, so agency HR (scoped to its agencies) reviews the flags of its officers
# and records what it did, a referral to internal affairs or a special evaluation among the
# choices; internal affairs sees a flag only if HR refers it. HR and auditors see the share of
# flags found useful (counts, no names). No role trains or scores: the console does.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.REGISTRY_CLERK: frozenset(
        {
            _P.AGENCY_READ,
            _P.UNIT_WRITE,
            _P.OFFICER_READ,
            _P.OFFICER_SEARCH,
            _P.OFFICER_WRITE,
            _P.OFFICER_SENSITIVE_READ,
            _P.OFFICER_SENSITIVE_WRITE,
            _P.OFFICER_IMPORT,
            _P.IDENTITY_MATCH,
            _P.ASSIGNMENT_WRITE,
            _P.BADGE_WRITE,
            _P.EVALUATION_READ,
            _P.CUP_READ,
            _P.CUP_WRITE,
            _P.COVERAGE_READ,
        }
    ),
    Role.AGENCY_HR: frozenset(
        {
            _P.AGENCY_READ,
            _P.UNIT_WRITE,
            _P.OFFICER_READ,
            _P.OFFICER_SEARCH,
            _P.OFFICER_WRITE,
            _P.OFFICER_SENSITIVE_READ,
            _P.OFFICER_SENSITIVE_WRITE,
            _P.ASSIGNMENT_WRITE,
            _P.BADGE_WRITE,
            _P.EVALUATION_REQUEST,
            _P.EVALUATION_READ,
            _P.APPEAL_FILE,
            _P.SEPARATION_MANAGE,
            _P.CUP_READ,
            _P.CUP_WRITE,
            _P.COVERAGE_READ,
            _P.ACCESS_REPORT,
            _P.CASE_STAGE_READ,
            _P.CASE_APPEAL_FILE,
            _P.RISK_REVIEW,
            _P.RISK_REPORT,
            _P.DECLARATION_DUE_READ,
        }
    ),
    Role.CENTRE_COORDINATOR: frozenset(
        {_P.AGENCY_READ, _P.OFFICER_READ, _P.OFFICER_SEARCH, _P.CENTRE_READ,
         _P.EVALUATION_SCHEDULE, _P.EVALUATION_READ}
    ),
    Role.EXAMINER: frozenset({_P.OFFICER_READ, _P.EXAM_RECORD}),
    Role.CERTIFICATION_OFFICER: frozenset(
        {_P.AGENCY_READ, _P.OFFICER_READ, _P.OFFICER_SEARCH, _P.CENTRE_READ,
         _P.EVALUATION_READ, _P.EVALUATION_RESULTS_READ, _P.EVALUATION_DECIDE,
         _P.APPEAL_DECIDE, _P.CUP_READ, _P.COVERAGE_READ, _P.CASE_STAGE_READ,
         _P.DECLARATION_READ, _P.OUTSIDE_SANCTIONS_READ, _P.DECLARATION_CHECK_READ}
    ),
    Role.INTERNAL_AFFAIRS: frozenset(
        {_P.AGENCY_READ, _P.OFFICER_READ, _P.OFFICER_SEARCH, _P.OFFICER_SENSITIVE_READ,
         _P.EVALUATION_READ, _P.CUP_READ, _P.COVERAGE_READ, _P.CASE_OPEN, _P.CASE_STAGE_READ,
         _P.CASE_READ, _P.CASE_INVESTIGATE, _P.NETWORK_READ, _P.OUTSIDE_SANCTIONS_READ,
         _P.DECLARATION_CHECK_READ}
    ),
    Role.INTERNAL_AFFAIRS_SUPERVISOR: frozenset(
        {_P.AGENCY_READ, _P.OFFICER_READ, _P.OFFICER_SEARCH, _P.EVALUATION_READ, _P.CUP_READ,
         _P.COVERAGE_READ, _P.CASE_OPEN, _P.CASE_STAGE_READ, _P.CASE_READ, _P.CASE_ASSIGN,
         _P.COMPLAINTS_IMPORT, _P.ACCUSED_REVIEW, _P.NETWORK_READ,
         _P.SANCTIONS_EXPORT, _P.DECLARATION_READ, _P.OUTSIDE_SANCTIONS_IMPORT,
         _P.OUTSIDE_SANCTIONS_REVIEW, _P.OUTSIDE_SANCTIONS_READ, _P.DECLARATION_CHECK_READ}
    ),
    Role.HONOUR_COMMISSION: frozenset(
        {_P.AGENCY_READ, _P.OFFICER_READ, _P.OFFICER_SEARCH, _P.CASE_STAGE_READ, _P.CASE_READ,
         _P.CASE_DECIDE, _P.OUTSIDE_SANCTIONS_READ}
    ),
    Role.AUDITOR: frozenset(
        {_P.AGENCY_READ, _P.OFFICER_READ, _P.OFFICER_SEARCH, _P.AUDIT_READ, _P.CENTRE_READ,
         _P.EVALUATION_READ, _P.CUP_READ, _P.COVERAGE_READ, _P.ACCESS_REPORT,
         _P.CASE_STAGE_READ, _P.RISK_REPORT, _P.ACCESS_ALERT_REVIEW}
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            _P.AGENCY_READ,
            _P.AGENCY_WRITE,
            _P.AGENCY_MERGE,
            _P.UNIT_WRITE,
            _P.USER_MANAGE,
            _P.TOKEN_MANAGE,
            _P.AUDIT_READ,
            _P.CENTRE_READ,
            _P.CENTRE_MANAGE,
        }
    ),
}


@dataclass(frozen=True)
class Holder:
    """The agencies (and their states) that hold a record; what a scope is checked against."""

    agency_ids: frozenset[int] = frozenset()
    state_codes: frozenset[str] = frozenset()


class ScopeKind(StrEnum):
    NATIONAL = "national"
    STATE = "state"
    AGENCY = "agency"


@dataclass(frozen=True)
class Scope:
    """The part of the force an account works on: all of it, one state, or one agency."""

    kind: ScopeKind = ScopeKind.NATIONAL
    state_code: str | None = None
    agency_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind is ScopeKind.STATE and not self.state_code:
            raise ValueError("a state scope needs a state code")
        if self.kind is ScopeKind.AGENCY and self.agency_id is None:
            raise ValueError("an agency scope needs an agency id")

    def covers(self, holder: Holder) -> bool:
        """Whether a record held by these agencies (in these states) is inside the scope."""
        if self.kind is ScopeKind.NATIONAL:
            return True
        if self.kind is ScopeKind.STATE:
            return self.state_code in holder.state_codes
        return self.agency_id in holder.agency_ids

    def covers_every_holder(self) -> bool:
        """Whether every record is inside the scope, whoever holds it (a national scope): a
        use case may then know what `covers` will answer before it reads who holds a record."""
        return self.kind is ScopeKind.NATIONAL

    def describe(self) -> str:
        if self.kind is ScopeKind.NATIONAL:
            return "national"
        if self.kind is ScopeKind.STATE:
            return f"state {self.state_code}"
        return f"agency {self.agency_id}"


class ActorKind(StrEnum):
    USER = "user"  # a person signed in with a session
    TOKEN = "token"  # a machine using an API token issued to a user
    SYSTEM = "system"  # the command line run by an operator on the server itself


@dataclass(frozen=True)
class Actor:
    """Who is acting: passed to every use case, written into every audit entry."""

    user_id: int | None
    username: str
    role: Role
    scope: Scope
    kind: ActorKind = ActorKind.USER
    # For a token issued by someone other than its holder (the console operator, ADR 0021):
    # who issued it. Every entry of an act made with it names them too (`attribution`).
    token_issuer: str | None = None

    def attribution(self) -> dict[str, str]:
        """What an audit entry's detail adds so that an act is attributable to everyone who
        could have made it: nothing, or the issuer of the token used."""
        return {} if self.token_issuer is None else {"token_issued_by": self.token_issuer}

    def has(self, permission: Permission) -> bool:
        # The console operator already holds the database; refusing them here would protect
        # nothing, while their every act is still written to the audit trail under their name.
        if self.kind is ActorKind.SYSTEM:
            return True
        return permission in ROLE_PERMISSIONS[self.role]


def system_actor(username: str = "system") -> Actor:
    """The operator at the server's console (CLI): national scope, every permission."""
    return Actor(None, username, Role.ADMINISTRATOR, Scope(), ActorKind.SYSTEM)
