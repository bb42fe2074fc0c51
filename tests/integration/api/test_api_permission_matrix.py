"""Every route under /api/v1, called as every role: allowed exactly when ROLE_PERMISSIONS says.

The table below names the permission each route needs. A route added to the app without a row
here fails the test, so no route can ship without someone deciding who may call it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from api_support import PASSWORD, assert_problem, audit, client, make_user, token_for
from fastapi import FastAPI
from integrity_matrix_support import IntegrityRecords
from pydantic import SecretStr
from risk_api_support import NOTE, RiskRecords
from sqlalchemy import func, select
from trust_matrix_support import MEDICAL_PASS, TEXT, TrustRecords

from confianza.access.rules.alerts import AlertRead, NewAlert
from confianza.accounts.rules.permissions import (
    ROLE_PERMISSIONS,
    Actor,
    ActorKind,
    Permission,
    Role,
    Scope,
    ScopeKind,
    system_actor,
)
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.app.web import create_app, served_routes
from confianza.core.db.models import OutsideSanctionRow
from confianza.identities.contracts import NewCandidate
from confianza.integrity.cli.sanctions import load_sanction_mapping
from confianza.integrity.rules.catalogue import FindingKind
from confianza.integrity.rules.stages import Stage
from confianza.integrity.service.outside_sanctions import import_outside_sanctions
from confianza.kit.curp import build_curp
from confianza.kit.signed_note import Signer
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.roster_file import decode_roster
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction
from confianza.transparency.service import log as transparency
from confianza.vetting.rules.evaluations import ExamType
from declarations_results_support import officer_with_cash_house

PUBLIC = "public"  # no credentials needed
SIGNED_IN = "signed in"  # any account, whatever its role
P = Permission
V1 = "/api/v1"


@dataclass(frozen=True)
class AnyOf:
    """A route open to holders of any of several permissions; a refusal names the first."""

    first: Permission
    others: frozenset[Permission]

    def __str__(self) -> str:
        return self.first.value

    def allows(self, role: Role) -> bool:
        return bool(({self.first} | self.others) & ROLE_PERMISSIONS[role])


@dataclass(frozen=True)
class HolderOnly:
    """An act only for one's own account: the matrix calls it for someone else's, which every
    role is refused, even one holding the permission (ADR 0021)."""

    permission: Permission

    def __str__(self) -> str:
        return self.permission.value


HOLDER_ONLY = HolderOnly(P.TOKEN_MANAGE)

EXAM = f"{V1}/evaluations/{{evaluation_id}}/exams/{{exam_type}}"
CASE = f"{V1}/integrity/cases/{{case_id}}"

ROUTE_PERMISSIONS: dict[tuple[str, str], Permission | str | AnyOf | HolderOnly] = {
    ("POST", f"{V1}/session"): PUBLIC,
    ("DELETE", f"{V1}/session"): SIGNED_IN,
    ("GET", f"{V1}/me"): SIGNED_IN,
    ("POST", f"{V1}/users"): P.USER_MANAGE,
    ("GET", f"{V1}/users"): P.USER_MANAGE,
    ("POST", f"{V1}/users/{{user_id}}/deactivate"): P.USER_MANAGE,
    ("POST", f"{V1}/users/{{user_id}}/reactivate"): P.USER_MANAGE,
    # For one's own account no permission is needed; the matrix calls it for someone else's,
    # which no role may do (ADR 0021): administrators are refused too.
    ("POST", f"{V1}/users/{{user_id}}/tokens"): HOLDER_ONLY,
    ("DELETE", f"{V1}/tokens/{{token_id}}"): P.TOKEN_MANAGE,
    ("POST", f"{V1}/agencies"): P.AGENCY_WRITE,
    ("GET", f"{V1}/agencies"): P.AGENCY_READ,
    ("GET", f"{V1}/agencies/{{agency_id}}"): P.AGENCY_READ,
    ("PATCH", f"{V1}/agencies/{{agency_id}}"): P.AGENCY_WRITE,
    ("POST", f"{V1}/agencies/{{agency_id}}/merge"): P.AGENCY_MERGE,
    ("GET", f"{V1}/agencies/{{agency_id}}/roster"): P.OFFICER_SEARCH,
    ("POST", f"{V1}/agencies/{{agency_id}}/units"): P.UNIT_WRITE,
    ("POST", f"{V1}/officers"): P.OFFICER_WRITE,
    ("GET", f"{V1}/officers"): P.OFFICER_SEARCH,
    ("GET", f"{V1}/officers/{{officer_id}}"): P.OFFICER_READ,
    ("PATCH", f"{V1}/officers/{{officer_id}}"): P.OFFICER_WRITE,
    ("POST", f"{V1}/officers/{{officer_id}}/status"): P.OFFICER_WRITE,
    ("GET", f"{V1}/officers/{{officer_id}}/contacts"): P.OFFICER_SENSITIVE_READ,
    ("PUT", f"{V1}/officers/{{officer_id}}/contacts"): P.OFFICER_SENSITIVE_WRITE,
    ("POST", f"{V1}/officers/{{officer_id}}/assignments"): P.ASSIGNMENT_WRITE,
    ("POST", f"{V1}/assignments/{{assignment_id}}/end"): P.ASSIGNMENT_WRITE,
    ("POST", f"{V1}/assignments/{{assignment_id}}/leave"): P.ASSIGNMENT_WRITE,
    ("POST", f"{V1}/officers/{{officer_id}}/badges"): P.BADGE_WRITE,
    # Trust control (issue 3).
    ("GET", f"{V1}/centres"): P.CENTRE_READ,
    ("POST", f"{V1}/centres"): P.CENTRE_MANAGE,
    ("GET", f"{V1}/centres/{{centre_id}}"): P.CENTRE_READ,
    ("PUT", f"{V1}/centres/{{centre_id}}/capacity"): P.CENTRE_MANAGE,
    ("PUT", f"{V1}/centres/{{centre_id}}/examiners/{{user_id}}"): P.CENTRE_MANAGE,
    ("POST", f"{V1}/evaluations"): P.EVALUATION_REQUEST,
    ("POST", f"{V1}/evaluations/applicants"): P.EVALUATION_REQUEST,
    ("GET", f"{V1}/evaluations"): P.EVALUATION_READ,
    ("GET", f"{V1}/evaluations/{{evaluation_id}}"): P.EVALUATION_READ,
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/schedule"): P.EVALUATION_SCHEDULE,
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/cancel"): P.EVALUATION_REQUEST,
    ("GET", f"{V1}/officers/{{officer_id}}/evaluations"): P.EVALUATION_READ,
    ("GET", f"{V1}/exams/queue"): P.EXAM_RECORD,
    ("GET", EXAM): P.EXAM_RECORD,
    ("POST", f"{EXAM}/result"): P.EXAM_RECORD,
    ("POST", f"{EXAM}/attachments"): P.EXAM_RECORD,
    # The examiner reads the files of their exam; whoever reads results reads them all.
    ("GET", f"{EXAM}/attachments/{{sha256}}"): AnyOf(
        P.EXAM_RECORD, frozenset({P.EVALUATION_RESULTS_READ})),
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/decision"): P.EVALUATION_DECIDE,
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/confirmation"): P.EVALUATION_DECIDE,
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/appeal"): P.APPEAL_FILE,
    # Those who decide appeals and those who file them both follow them.
    ("GET", f"{V1}/appeals"): AnyOf(P.APPEAL_DECIDE, frozenset({P.APPEAL_FILE})),
    ("POST", f"{V1}/appeals/{{appeal_id}}/decision"): P.APPEAL_DECIDE,
    ("GET", f"{V1}/separations"): P.SEPARATION_MANAGE,
    ("POST", f"{V1}/separations/{{process_id}}/close"): P.SEPARATION_MANAGE,
    ("GET", f"{V1}/notifications"): P.EVALUATION_READ,
    ("POST", f"{V1}/notifications/{{notification_id}}/read"): P.SEPARATION_MANAGE,
    ("GET", f"{V1}/officers/{{officer_id}}/certification"): P.CUP_READ,
    ("POST", f"{V1}/officers/{{officer_id}}/certification/components"): P.CUP_WRITE,
    ("GET", f"{V1}/officers/{{officer_id}}/credentials"): P.CUP_READ,
    ("POST", f"{V1}/credentials/verify"): PUBLIC,
    ("GET", f"{V1}/certification/alerts"): P.COVERAGE_READ,
    ("GET", f"{V1}/certification/reevaluations"): P.COVERAGE_READ,
    ("GET", f"{V1}/certification/coverage"): P.COVERAGE_READ,
    ("GET", f"{V1}/dashboard"): P.COVERAGE_READ,
    # Audit: access history (issue 4); the officer's own report also by their agency's HR.
    ("GET", f"{V1}/access/officers/{{officer_id}}"): P.AUDIT_READ,
    ("GET", f"{V1}/access/officers/{{officer_id}}/report"): P.ACCESS_REPORT,
    ("GET", f"{V1}/access/users/{{username}}"): P.AUDIT_READ,
    # Officer timeline: each section inside it by its own permission (tested on its own).
    ("GET", f"{V1}/officers/{{officer_id}}/timeline"): P.OFFICER_READ,
    # The transparency log (issue 4): proofs and checkpoints are public, entries are not.
    ("GET", f"{V1}/log/checkpoint"): PUBLIC,
    ("GET", f"{V1}/log/key"): PUBLIC,
    ("GET", f"{V1}/log/proof/inclusion"): PUBLIC,
    ("GET", f"{V1}/log/proof/consistency"): PUBLIC,
    ("GET", f"{V1}/log/entries/{{entry_id}}"): P.AUDIT_READ,
    # People matched across sources (issue 16): the registry clerk's.
    ("GET", f"{V1}/identity-candidates"): P.IDENTITY_MATCH,
    ("GET", f"{V1}/identity-candidates/{{candidate_id}}"): P.IDENTITY_MATCH,
    ("POST", f"{V1}/identity-candidates/{{candidate_id}}/decision"): P.IDENTITY_MATCH,
    # The roster refresh's queues (ADR 0029): HR's pending separations, the clerk's conflicts.
    ("GET", f"{V1}/pending-separations"): P.SEPARATION_MANAGE,
    ("GET", f"{V1}/pending-separations/{{separation_id}}"): P.SEPARATION_MANAGE,
    ("POST", f"{V1}/pending-separations/{{separation_id}}/confirm"): P.SEPARATION_MANAGE,
    ("POST", f"{V1}/pending-separations/{{separation_id}}/dismiss"): P.SEPARATION_MANAGE,
    ("GET", f"{V1}/roster-conflicts"): P.IDENTITY_MATCH,
    ("GET", f"{V1}/roster-conflicts/{{conflict_id}}"): P.IDENTITY_MATCH,
    ("POST", f"{V1}/roster-conflicts/{{conflict_id}}/decision"): P.IDENTITY_MATCH,
    # Integrity cases (issue 17, ADR 0030): need-to-know inside the case is tested on its own.
    ("POST", f"{V1}/integrity/cases"): P.CASE_OPEN,
    ("GET", f"{V1}/integrity/queue"): P.CASE_READ,
    ("GET", CASE): P.CASE_READ,
    ("GET", f"{CASE}/stage"): P.CASE_STAGE_READ,
    ("GET", f"{V1}/officers/{{officer_id}}/integrity-cases"): P.CASE_STAGE_READ,
    ("POST", f"{CASE}/assignments"): P.CASE_ASSIGN,
    ("POST", f"{CASE}/close-at-intake"): P.CASE_ASSIGN,
    ("POST", f"{CASE}/notice"): P.CASE_INVESTIGATE,
    ("POST", f"{CASE}/notice/service"): P.CASE_INVESTIGATE,
    ("POST", f"{CASE}/answers"): P.CASE_INVESTIGATE,
    ("POST", f"{CASE}/evidence"): P.CASE_INVESTIGATE,
    ("POST", f"{CASE}/links"): P.CASE_INVESTIGATE,
    ("POST", f"{CASE}/submission"): P.CASE_INVESTIGATE,
    ("POST", f"{CASE}/findings"): P.CASE_DECIDE,
    ("POST", f"{CASE}/findings/{{finding_id}}/confirmation"): P.CASE_DECIDE,
    ("POST", f"{CASE}/special-evaluation"): P.CASE_DECIDE,
    ("POST", f"{CASE}/sanctions"): P.CASE_DECIDE,
    ("POST", f"{CASE}/appeal"): P.CASE_APPEAL_FILE,
    ("POST", f"{CASE}/appeal/decision"): P.CASE_DECIDE,
    ("POST", f"{CASE}/closing"): P.CASE_DECIDE,
    ("GET", f"{V1}/officers/{{officer_id}}/co-accused"): P.NETWORK_READ,
    ("GET", f"{V1}/integrity/network"): P.NETWORK_READ,
    # Early intervention (issue 18, ADR 0034): the flag's scope is tested on its own.
    ("GET", f"{V1}/risk/flags"): P.RISK_REVIEW,
    ("GET", f"{V1}/risk/flags/{{score_id}}"): P.RISK_REVIEW,
    ("POST", f"{V1}/risk/flags/{{score_id}}/review"): P.RISK_REVIEW,
    ("GET", f"{V1}/risk/report"): P.RISK_REPORT,
    ("GET", f"{V1}/integrity/sanctions/s3"): P.SANCTIONS_EXPORT,
    # Asset declarations (issue 20, ADR 0038): the holder's scope is tested on its own.
    ("POST", f"{V1}/declarations"): P.DECLARATION_IMPORT,
    ("GET", f"{V1}/declarations/officers/{{officer_id}}"): P.DECLARATION_READ,
    ("GET", f"{V1}/declarations/officers/{{officer_id}}/checks"): P.DECLARATION_CHECK_READ,
    ("POST", f"{V1}/declarations/officers/{{officer_id}}/checks/{{rule}}/case"): P.CASE_OPEN,
    ("GET", f"{V1}/declarations/exams/{{evaluation_id}}/checks"): P.EXAM_RECORD,
    ("GET", f"{V1}/declarations/due"): P.DECLARATION_DUE_READ,
    # Another authority's sanctions (ADR 0036): the review queue, a record, its decisions.
    ("GET", f"{V1}/integrity/outside-sanctions"): P.OUTSIDE_SANCTIONS_REVIEW,
    ("GET", f"{V1}/integrity/outside-sanctions/{{sanction_id}}"): P.OUTSIDE_SANCTIONS_REVIEW,
    ("POST", f"{V1}/integrity/outside-sanctions/{{sanction_id}}/link"):
        P.OUTSIDE_SANCTIONS_REVIEW,
    ("POST", f"{V1}/integrity/outside-sanctions/{{sanction_id}}/reject"):
        P.OUTSIDE_SANCTIONS_REVIEW,
    # Alerts on unexplained reads (ADR 0037): the auditors' alone.
    ("GET", f"{V1}/access/alerts"): P.ACCESS_ALERT_REVIEW,
    ("GET", f"{V1}/access/alerts/{{alert_id}}"): P.ACCESS_ALERT_REVIEW,
    ("POST", f"{V1}/access/alerts/{{alert_id}}/outcome"): P.ACCESS_ALERT_REVIEW,
}


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route under /api/v1, walking included routers too."""
    found = {(m, p) for m, p in served_routes(app) if p.startswith(V1)}
    # The published schema must agree with the walk, so a change in how routes are stored
    # cannot make routes invisible to this test.
    schema = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops
              if p.startswith(V1)}
    assert schema <= found, f"routes the walk missed: {schema - found}"
    return found


@dataclass
class World:
    """Fresh records for each call, so an allowed call always has something valid to act on."""

    container: Container
    agencies: dict[str, int]
    target_user: int
    usernames: dict[Role, str]
    counter: Iterator[int] = field(default_factory=itertools.count)
    operator: Any = field(default_factory=lambda: system_actor("matrix-operator"))
    trust_records: TrustRecords | None = None
    integrity_records: IntegrityRecords | None = None
    integrity_officer: int = 0
    risk_records: RiskRecords | None = None

    def n(self) -> int:
        return next(self.counter)

    def officer(self) -> int:
        new = officer_service.NewOfficer(
            "Ana", f"Prueba{self.n()}",
            assignment=officer_service.FirstAssignment(
                self.agencies["JAL-SSP"], "Policía", date(2012, 1, 16)),
        )
        return officer_service.register_officer(self.container.uow(), self.operator,
                                                new).officer.id

    def assignment(self) -> int:
        profile = officer_service.get_officer(self.container.uow(), self.operator,
                                              self.officer())
        return profile.assignments[0].id

    def candidate(self) -> int:
        """A proposed pair of two fresh officers."""
        left, right = sorted((self.officer(), self.officer()))
        with self.container.uow().transaction() as tx:
            tx.identities.add_candidates(
                [NewCandidate(left, right, None, 0.95, 8.0, {"comparisons": {}})],
                at=tx.now, by="matrix")
            return max(c.id for c in tx.identities.candidates(None, 500, None))

    def separation(self) -> int:
        """A pending separation of a fresh officer's posting at JAL-SSP."""
        officer_id = self.officer()
        with self.container.uow().transaction() as tx:
            [posting] = tx.officers.assignments(officer_id)
            tx.rosters.add_separations([{
                "officer_id": officer_id, "assignment_id": posting.id,
                "agency_id": posting.agency_id, "file_name": "roster.csv",
                "file_sha256": "0" * 64, "status": "pending", "proposed_at": tx.now,
                "proposed_by": "matrix"}])
            return max(s.id for s in tx.rosters.separations(Scope(), None, after=None,
                                                            limit=500))

    def conflict(self) -> int:
        """An open conflict on a fresh officer's name."""
        officer_id = self.officer()
        with self.container.uow().transaction() as tx:
            tx.rosters.add_conflicts([{
                "officer_id": officer_id, "identity_key": f"K{officer_id}", "scheme": "matrix",
                "facts": '[{"field": "name", "registry": "A", "file": "B"}]',
                "facts_key": f"{officer_id:064d}", "file_rows": "[]",
                "file_name": "roster.csv", "file_sha256": "0" * 64, "file_line": 2,
                "status": "open", "proposed_at": tx.now, "proposed_by": "matrix"}])
            return max(c.id for c in tx.rosters.conflicts(None, after=None, limit=500))

    def token(self) -> int:
        info, _ = user_service.issue_token(self.container.uow(), self.operator,
                                           self.target_user, "victim")
        return info.id

    def active_user(self) -> int:
        return make_user(self.container, Role.EXAMINER, username=f"closing{self.n()}")

    def deactivated_user(self) -> int:
        user_id = self.active_user()
        user_service.set_user_active(self.container.uow(), self.operator, user_id, False)
        return user_id

    def agency(self) -> int:
        new = agency_service.NewAgency(f"TMP-{self.n()}", "Temporal", AgencyLevel.STATE, "06")
        return agency_service.create_agency(self.container.uow(), self.operator, new).id

    @property
    def integrity(self) -> IntegrityRecords:
        """Integrity cases, built on first use; each case accuses a fresh officer, the last
        one remembered for the sanction's body."""
        if self.integrity_records is None:
            def accused() -> int:
                self.integrity_officer = self.officer()
                return self.integrity_officer

            self.integrity_records = IntegrityRecords(self.container, self.agencies["JAL-SSP"],
                                                      self.usernames, accused)
        return self.integrity_records

    @property
    def risk(self) -> RiskRecords:
        """Early-intervention flags, one fresh flag (and officer) per call."""
        if self.risk_records is None:
            self.risk_records = RiskRecords(self.container, self.officer)
        return self.risk_records

    @property
    def trust(self) -> TrustRecords:
        """The trust-control records, built on first use (a centre and its helper staff)."""
        if self.trust_records is None:
            self.trust_records = TrustRecords(self.container, self.agencies["JAL-SSP"],
                                              self.usernames, self.officer)
        return self.trust_records


Call = tuple[str, dict[str, Any]]  # path, keyword arguments for the client
Prepare = Callable[[World, Role], Call]


def signed_log(w: World, path: str, params: dict[str, Any] | None = None) -> Call:
    """A call to a public log route, with a signing key configured and the log signed."""
    if w.container.settings.log_signing_key is None:
        key = Signer.generate(w.container.settings.log_origin).key_string()
        w.container.settings = w.container.settings.model_copy(
            update={"log_signing_key": SecretStr(key)})
    keys = w.container.log_keys()
    transparency.checkpoint_now(w.container.uow(), keys)
    return path, {"params": params or {}}


CALLS: dict[tuple[str, str], Prepare] = {
    ("POST", f"{V1}/session"): lambda w, r: (
        f"{V1}/session", {"json": {"username": w.usernames[r], "password": PASSWORD}}),
    ("DELETE", f"{V1}/session"): lambda w, r: (f"{V1}/session", {}),
    ("GET", f"{V1}/me"): lambda w, r: (f"{V1}/me", {}),
    ("POST", f"{V1}/users"): lambda w, r: (f"{V1}/users", {"json": {
        "username": f"new{w.n()}", "display_name": "Nueva", "password": PASSWORD,
        "role": "examiner"}}),
    ("GET", f"{V1}/users"): lambda w, r: (f"{V1}/users", {}),
    ("POST", f"{V1}/users/{{user_id}}/deactivate"): lambda w, r: (
        f"{V1}/users/{w.active_user()}/deactivate", {}),
    ("POST", f"{V1}/users/{{user_id}}/reactivate"): lambda w, r: (
        f"{V1}/users/{w.deactivated_user()}/reactivate", {}),
    ("POST", f"{V1}/users/{{user_id}}/tokens"): lambda w, r: (
        f"{V1}/users/{w.target_user}/tokens", {"json": {"name": "for someone else"}}),
    ("DELETE", f"{V1}/tokens/{{token_id}}"): lambda w, r: (f"{V1}/tokens/{w.token()}", {}),
    ("POST", f"{V1}/agencies"): lambda w, r: (f"{V1}/agencies", {"json": {
        "code": f"NEW-{w.n()}", "name": "Nueva", "level": "state", "state_code": "06"}}),
    ("GET", f"{V1}/agencies"): lambda w, r: (f"{V1}/agencies", {}),
    ("GET", f"{V1}/agencies/{{agency_id}}"): lambda w, r: (
        f"{V1}/agencies/{w.agencies['JAL-SSP']}", {}),
    ("PATCH", f"{V1}/agencies/{{agency_id}}"): lambda w, r: (
        f"{V1}/agencies/{w.agencies['JAL-SSP']}", {"json": {"name": f"SSP Jalisco {w.n()}"}}),
    ("POST", f"{V1}/agencies/{{agency_id}}/merge"): lambda w, r: (
        f"{V1}/agencies/{w.agency()}/merge",
        {"json": {"target_id": w.agencies["NL-FC"], "on": "2026-01-01"}}),
    ("GET", f"{V1}/agencies/{{agency_id}}/roster"): lambda w, r: (
        f"{V1}/agencies/{w.agencies['JAL-SSP']}/roster", {}),
    ("POST", f"{V1}/agencies/{{agency_id}}/units"): lambda w, r: (
        f"{V1}/agencies/{w.agencies['JAL-SSP']}/units",
        {"json": {"code": f"U{w.n()}", "name": "Unidad"}}),
    ("POST", f"{V1}/officers"): lambda w, r: (f"{V1}/officers", {"json": {
        "given_names": "Luis", "first_surname": f"Nuevo{w.n()}",
        "assignment": {"agency_id": w.agencies["JAL-SSP"], "rank": "Policía",
                       "start_date": "2020-01-01"}}}),
    ("GET", f"{V1}/officers"): lambda w, r: (f"{V1}/officers", {"params": {"name": "prueba"}}),
    ("GET", f"{V1}/officers/{{officer_id}}"): lambda w, r: (f"{V1}/officers/{w.officer()}", {}),
    ("PATCH", f"{V1}/officers/{{officer_id}}"): lambda w, r: (
        f"{V1}/officers/{w.officer()}", {"json": {"given_names": "Ana María"}}),
    ("POST", f"{V1}/officers/{{officer_id}}/status"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/status",
        {"json": {"status": "suspended", "reason": "Suspensión cautelar"}}),
    ("GET", f"{V1}/officers/{{officer_id}}/contacts"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/contacts",
        {"headers": {"X-Purpose": "Citatorio de asuntos internos"}}),
    ("PUT", f"{V1}/officers/{{officer_id}}/contacts"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/contacts",
        {"json": {"contacts": [{"kind": "phone", "value": "33 1234 5678"}]}}),
    ("POST", f"{V1}/officers/{{officer_id}}/assignments"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/assignments",
        {"json": {"agency_id": w.agencies["GN"], "rank": "Agente", "start_date": "2020-07-01",
                  "reason": ChangeReason.TRANSFER.value}}),
    ("POST", f"{V1}/assignments/{{assignment_id}}/end"): lambda w, r: (
        f"{V1}/assignments/{w.assignment()}/end",
        {"json": {"end_date": "2026-01-31", "reason": "retirement"}}),
    ("POST", f"{V1}/assignments/{{assignment_id}}/leave"): lambda w, r: (
        f"{V1}/assignments/{w.assignment()}/leave",
        {"json": {"on_leave": True, "on": "2026-01-31", "reason": "licencia médica"}}),
    ("POST", f"{V1}/officers/{{officer_id}}/badges"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/badges",
        {"json": {"agency_id": w.agencies["JAL-SSP"], "number": f"B{w.n()}"}}),
    ("GET", f"{V1}/centres"): lambda w, r: (f"{V1}/centres", {}),
    ("POST", f"{V1}/centres"): lambda w, r: (f"{V1}/centres", {"json": {
        "code": f"C3-{w.n()}", "name": "Centro nuevo", "state_code": "14",
        "capacity": {"medical": 4}}}),
    ("GET", f"{V1}/centres/{{centre_id}}"): lambda w, r: (
        f"{V1}/centres/{w.trust.centre_id}", {}),
    ("PUT", f"{V1}/centres/{{centre_id}}/capacity"): lambda w, r: (
        f"{V1}/centres/{w.trust.centre_id}/capacity", {"json": {"capacity": {"medical": 9}}}),
    ("PUT", f"{V1}/centres/{{centre_id}}/examiners/{{user_id}}"): lambda w, r: (
        f"{V1}/centres/{w.trust.centre_id}/examiners/{w.trust.placed.user_id}",
        {"json": {"qualifications": ["medical"]}}),
    ("POST", f"{V1}/evaluations"): lambda w, r: (f"{V1}/evaluations", {"json": {
        "officer_id": w.officer(), "agency_id": w.agencies["JAL-SSP"],
        "kind": "permanence"}}),
    ("POST", f"{V1}/evaluations/applicants"): lambda w, r: (
        f"{V1}/evaluations/applicants", {"json": {
            "applicant": {"given_names": "Aspirante", "first_surname": f"Prueba{w.n()}"},
            "agency_id": w.agencies["JAL-SSP"], "rank": "Policía"}}),
    ("GET", f"{V1}/evaluations"): lambda w, r: (f"{V1}/evaluations", {}),
    ("GET", f"{V1}/evaluations/{{evaluation_id}}"): lambda w, r: (
        f"{V1}/evaluations/{w.trust.requested()}", {}),
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/schedule"): lambda w, r: (
        f"{V1}/evaluations/{w.trust.requested()}/schedule", {"json": {
            "centre_id": w.trust.centre_id,
            "exams": {t: {"examiner_id": w.trust.examiner.user_id,
                          "day": w.trust.today.isoformat()} for t in ExamType}}}),
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/cancel"): lambda w, r: (
        f"{V1}/evaluations/{w.trust.requested()}/cancel",
        {"json": {"reason": "Requested by mistake."}}),
    ("GET", f"{V1}/officers/{{officer_id}}/evaluations"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/evaluations", {}),
    ("GET", f"{V1}/exams/queue"): lambda w, r: (f"{V1}/exams/queue", {}),
    ("GET", EXAM): lambda w, r: (
        f"{V1}/evaluations/{w.trust.scheduled(r)}/exams/medical", {}),
    ("POST", f"{EXAM}/result"): lambda w, r: (
        f"{V1}/evaluations/{w.trust.scheduled(r)}/exams/medical/result",
        {"json": {"result": MEDICAL_PASS}}),
    ("POST", f"{EXAM}/attachments"): lambda w, r: (
        f"{V1}/evaluations/{w.trust.scheduled(r)}/exams/medical/attachments",
        {"files": {"file": ("note.txt", f"note {w.n()}".encode(), "text/plain")}}),
    ("GET", f"{EXAM}/attachments/{{sha256}}"): lambda w, r: (
        "{}/evaluations/{}/exams/medical/attachments/{}".format(V1, *w.trust.attachment(r)),
        {}),
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/decision"): lambda w, r: (
        f"{V1}/evaluations/{w.trust.awaiting_decision()}/decision",
        {"json": {"verdict": "approved"}}),
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/confirmation"): lambda w, r: (
        f"{V1}/evaluations/{w.trust.awaiting_confirmation()}/confirmation",
        {"json": {"agree": True}}),
    ("POST", f"{V1}/evaluations/{{evaluation_id}}/appeal"): lambda w, r: (
        f"{V1}/evaluations/{w.trust.not_approved()}/appeal", {"json": {"grounds": TEXT}}),
    ("GET", f"{V1}/appeals"): lambda w, r: (f"{V1}/appeals", {}),
    ("POST", f"{V1}/appeals/{{appeal_id}}/decision"): lambda w, r: (
        f"{V1}/appeals/{w.trust.appeal()}/decision",
        {"json": {"outcome": "upheld", "resolution": TEXT}}),
    ("GET", f"{V1}/separations"): lambda w, r: (f"{V1}/separations", {}),
    ("POST", f"{V1}/separations/{{process_id}}/close"): lambda w, r: (
        f"{V1}/separations/{w.trust.separation()}/close",
        {"json": {"note": "Separated as decided."}}),
    ("GET", f"{V1}/notifications"): lambda w, r: (f"{V1}/notifications", {}),
    ("POST", f"{V1}/notifications/{{notification_id}}/read"): lambda w, r: (
        f"{V1}/notifications/{w.trust.notification()}/read", {}),
    ("GET", f"{V1}/officers/{{officer_id}}/certification"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/certification", {}),
    ("POST", f"{V1}/officers/{{officer_id}}/certification/components"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/certification/components",
        {"json": {"component": "skills", "completed_on": "2026-06-01", "score": 80}}),
    ("GET", f"{V1}/officers/{{officer_id}}/credentials"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/credentials", {}),
    ("POST", f"{V1}/credentials/verify"): lambda w, r: (
        f"{V1}/credentials/verify", {"json": {"credential": "https://example.org/not-ours"}}),
    ("GET", f"{V1}/certification/alerts"): lambda w, r: (f"{V1}/certification/alerts", {}),
    ("GET", f"{V1}/certification/reevaluations"): lambda w, r: (
        f"{V1}/certification/reevaluations", {}),
    ("GET", f"{V1}/certification/coverage"): lambda w, r: (
        f"{V1}/certification/coverage", {}),
    ("GET", f"{V1}/dashboard"): lambda w, r: (f"{V1}/dashboard", {}),
    ("GET", f"{V1}/access/officers/{{officer_id}}"): lambda w, r: (
        f"{V1}/access/officers/{w.officer()}", {}),
    ("GET", f"{V1}/access/officers/{{officer_id}}/report"): lambda w, r: (
        f"{V1}/access/officers/{w.officer()}/report", {}),
    ("GET", f"{V1}/access/users/{{username}}"): lambda w, r: (f"{V1}/access/users/target", {}),
    ("GET", f"{V1}/officers/{{officer_id}}/timeline"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/timeline", {}),
    ("GET", f"{V1}/log/checkpoint"): lambda w, r: signed_log(w, f"{V1}/log/checkpoint"),
    ("GET", f"{V1}/log/key"): lambda w, r: signed_log(w, f"{V1}/log/key"),
    ("GET", f"{V1}/log/proof/inclusion"): lambda w, r: signed_log(
        w, f"{V1}/log/proof/inclusion", {"seq": 1}),
    ("GET", f"{V1}/log/proof/consistency"): lambda w, r: signed_log(
        w, f"{V1}/log/proof/consistency", {"size1": 1}),
    ("GET", f"{V1}/log/entries/{{entry_id}}"): lambda w, r: (f"{V1}/log/entries/1", {}),
    ("GET", f"{V1}/identity-candidates"): lambda w, r: (f"{V1}/identity-candidates", {}),
    ("GET", f"{V1}/identity-candidates/{{candidate_id}}"): lambda w, r: (
        f"{V1}/identity-candidates/{w.candidate()}", {}),
    ("POST", f"{V1}/identity-candidates/{{candidate_id}}/decision"): lambda w, r: (
        f"{V1}/identity-candidates/{w.candidate()}/decision", {"json": {"decision": "reject"}}),
    ("GET", f"{V1}/pending-separations"): lambda w, r: (f"{V1}/pending-separations", {}),
    ("GET", f"{V1}/pending-separations/{{separation_id}}"): lambda w, r: (
        f"{V1}/pending-separations/{w.separation()}", {}),
    ("POST", f"{V1}/pending-separations/{{separation_id}}/confirm"): lambda w, r: (
        f"{V1}/pending-separations/{w.separation()}/confirm",
        {"json": {"end_date": "2020-01-01", "reason": "resignation"}}),
    ("POST", f"{V1}/pending-separations/{{separation_id}}/dismiss"): lambda w, r: (
        f"{V1}/pending-separations/{w.separation()}/dismiss",
        {"json": {"note": "still serves"}}),
    ("GET", f"{V1}/roster-conflicts"): lambda w, r: (f"{V1}/roster-conflicts", {}),
    ("GET", f"{V1}/roster-conflicts/{{conflict_id}}"): lambda w, r: (
        f"{V1}/roster-conflicts/{w.conflict()}", {}),
    ("POST", f"{V1}/roster-conflicts/{{conflict_id}}/decision"): lambda w, r: (
        f"{V1}/roster-conflicts/{w.conflict()}/decision", {"json": {"decision": "keep"}}),
    ("POST", f"{V1}/integrity/cases"): lambda w, r: (f"{V1}/integrity/cases", {"json": {
        "agency_id": w.agencies["JAL-SSP"], "summary": "Cobro de cuotas en el retén.",
        "sources": [{"channel": "anonymous_line", "reliability": "F", "credibility": "6",
                     "account": "Llamada que relata cobros.", "received_on": "2026-01-02"}],
        "allegations": [{"kind": "bribery", "summary": "Cobra cuotas en el retén.",
                         "sources": [0], "accused_name": "El Güero"}]}}),
    ("GET", f"{V1}/integrity/queue"): lambda w, r: (f"{V1}/integrity/queue", {}),
    ("GET", CASE): lambda w, r: (
        f"{V1}/integrity/cases/{w.integrity.case(r, Stage.ASSIGNED)}", {}),
    ("GET", f"{CASE}/stage"): lambda w, r: (
        f"{V1}/integrity/cases/{w.integrity.opened()}/stage", {}),
    ("GET", f"{V1}/officers/{{officer_id}}/integrity-cases"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/integrity-cases", {}),
    ("POST", f"{CASE}/assignments"): lambda w, r: (
        f"{V1}/integrity/cases/{w.integrity.opened()}/assignments",
        {"json": {"user_id": w.integrity.helpers["investigator"].user_id,
                  "duty": "investigator"}}),
    ("POST", f"{CASE}/close-at-intake"): lambda w, r: (
        f"{V1}/integrity/cases/{w.integrity.opened()}/close-at-intake",
        {"json": {"note": "No es asunto de asuntos internos."}}),
    ("POST", f"{CASE}/notice"): lambda w, r: (
        f"{V1}/integrity/cases/{w.integrity.case(r, Stage.ASSIGNED)}/notice", {}),
    ("POST", f"{CASE}/notice/service"): lambda w, r: (
        f"{V1}/integrity/cases/{w.integrity.case(r, Stage.NOTIFIED)}/notice/service",
        {"json": {"served_on": "2026-11-20"}}),
    ("POST", f"{CASE}/answers"): lambda w, r: (
        f"{V1}/integrity/cases/{w.integrity.case(r, Stage.ANSWER_PERIOD)}/answers",
        {"json": {"text": "Niego los hechos que se me imputan."}}),
    ("POST", f"{CASE}/evidence"): lambda w, r: (
        f"{V1}/integrity/cases/{w.integrity.case(r, Stage.ASSIGNED)}/evidence",
        {"files": {"file": ("nota.txt", f"nota {w.n()}".encode(), "text/plain")},
         "data": {"description": "Nota del investigador."}}),
    ("POST", f"{CASE}/links"): lambda w, r: integrity_link(w, r),
    ("POST", f"{CASE}/submission"): lambda w, r: (
        f"{V1}/integrity/cases/{w.integrity.case(r, Stage.EVIDENCE)}/submission", {}),
    ("POST", f"{CASE}/findings"): lambda w, r: integrity_finding(w, r),
    ("POST", f"{CASE}/findings/{{finding_id}}/confirmation"): lambda w, r: (
        "{}/integrity/cases/{}/findings/{}/confirmation".format(
            V1, *w.integrity.waiting_finding(r)), {}),
    ("POST", f"{CASE}/special-evaluation"): lambda w, r: integrity_special(w, r),
    ("GET", f"{V1}/officers/{{officer_id}}/co-accused"): lambda w, r: (
        f"{V1}/officers/{w.officer()}/co-accused", {}),
    ("GET", f"{V1}/integrity/network"): lambda w, r: (f"{V1}/integrity/network", {}),
    ("GET", f"{V1}/integrity/sanctions/s3"): lambda w, r: (f"{V1}/integrity/sanctions/s3", {}),
    ("POST", f"{CASE}/sanctions"): lambda w, r: (
        f"{V1}/integrity/cases/"
        f"{w.integrity.case(r, Stage.FINDING, finding=FindingKind.SUSTAINED)}/sanctions",
        {"json": {"officer_id": w.integrity_officer, "kind": "reprimand", "grounds": TEXT}}),
    ("POST", f"{CASE}/appeal"): lambda w, r: (
        f"{V1}/integrity/cases/"
        f"{w.integrity.case(r, Stage.SANCTION, finding=FindingKind.SUSTAINED, sanctioned=True)}"
        "/appeal", {"json": {"grounds": TEXT}}),
    ("POST", f"{CASE}/appeal/decision"): lambda w, r: (
        f"{V1}/integrity/cases/{integrity_appealed(w, r)}/appeal/decision",
        {"json": {"outcome": "upheld", "resolution": TEXT}}),
    ("POST", f"{CASE}/closing"): lambda w, r: (
        f"{V1}/integrity/cases/"
        f"{w.integrity.case(r, Stage.FINDING, finding=FindingKind.NOT_SUSTAINED)}/closing",
        {"json": {"note": "Nada se acreditó en contra del oficial."}}),
    ("GET", f"{V1}/risk/flags"): lambda w, r: (f"{V1}/risk/flags", {}),
    ("GET", f"{V1}/risk/flags/{{score_id}}"): lambda w, r: (
        f"{V1}/risk/flags/{w.risk.flag()}", {}),
    ("POST", f"{V1}/risk/flags/{{score_id}}/review"): lambda w, r: (
        f"{V1}/risk/flags/{w.risk.flag()}/review",
        {"json": {"outcome": "conversation", "useful": True, "note": NOTE}}),
    ("GET", f"{V1}/risk/report"): lambda w, r: (f"{V1}/risk/report", {}),
    ("POST", f"{V1}/declarations"): lambda w, r: (f"{V1}/declarations", {"json": []}),
    ("GET", f"{V1}/declarations/officers/{{officer_id}}"): lambda w, r: (
        f"{V1}/declarations/officers/{w.officer()}", {}),
    ("GET", f"{V1}/declarations/officers/{{officer_id}}/checks"): lambda w, r: (
        f"{V1}/declarations/officers/{w.officer()}/checks", {}),
    ("POST", f"{V1}/declarations/officers/{{officer_id}}/checks/{{rule}}/case"): lambda w, r: (
        f"{V1}/declarations/officers/{declarations_officer(w)}/checks/cash_purchases/case", {}),
    ("GET", f"{V1}/declarations/exams/{{evaluation_id}}/checks"): lambda w, r: (
        f"{V1}/declarations/exams/{w.trust.scheduled(r)}/checks", {}),
    ("GET", f"{V1}/declarations/due"): lambda w, r: (f"{V1}/declarations/due", {}),
    ("GET", f"{V1}/integrity/outside-sanctions"): lambda w, r: (
        f"{V1}/integrity/outside-sanctions", {}),
    ("GET", f"{V1}/integrity/outside-sanctions/{{sanction_id}}"): lambda w, r: (
        f"{V1}/integrity/outside-sanctions/{outside_sanction(w)}", {}),
    ("POST", f"{V1}/integrity/outside-sanctions/{{sanction_id}}/link"): lambda w, r: (
        f"{V1}/integrity/outside-sanctions/{outside_sanction(w)}/link",
        {"json": {"officer_id": w.officer()}}),
    ("POST", f"{V1}/integrity/outside-sanctions/{{sanction_id}}/reject"): lambda w, r: (
        f"{V1}/integrity/outside-sanctions/{outside_sanction(w)}/reject",
        {"json": {"reason": "No es la misma persona: otra fecha de nacimiento."}}),
    ("GET", f"{V1}/access/alerts"): lambda w, r: (f"{V1}/access/alerts", {}),
    ("GET", f"{V1}/access/alerts/{{alert_id}}"): lambda w, r: (
        f"{V1}/access/alerts/{access_alert(w)}", {}),
    ("POST", f"{V1}/access/alerts/{{alert_id}}/outcome"): lambda w, r: (
        f"{V1}/access/alerts/{access_alert(w)}/outcome",
        {"json": {"outcome": "justified", "note": "Tarea asignada por la coordinación."}}),
}

OUTSIDE_HEADER = ("EXPEDIENTE,NOMBRE(S),PRIMER APELLIDO,SEGUNDO APELLIDO,CURP,FECHA DE NACIMIENTO,"
                  "DEPENDENCIA,PUESTO,TIPO DE SANCION,INICIO,FIN,CAUSA,AUTORIDAD SANCIONADORA\n")


def outside_sanction(w: World) -> int:
    """A fresh record of another authority's list naming nobody the registry holds (kept for
    review), imported as the supervisor imports one."""
    n = w.n()
    row = (f"CHJ-{n:05d},JOSE,HERNANDEZ{n},ORTIZ,,02/05/1984,SSP JALISCO,POLICIA,"
           "INHABILITACION,01/02/2022,01/02/2032,Colusion,Contraloria del Estado\n")
    supervisor = Actor(None, "matrix", Role.INTERNAL_AFFAIRS_SUPERVISOR, Scope(),
                       ActorKind.SYSTEM)
    import_outside_sanctions(w.container.uow(), supervisor,
                             decode_roster(f"lista-{n}.csv", (OUTSIDE_HEADER + row).encode(),
                                           "utf-8"),
                             load_sanction_mapping("estatal-sancionados"))
    with w.container.engine.connect() as connection:
        return int(connection.execute(select(func.max(OutsideSanctionRow.id))).scalar_one())


def access_alert(w: World) -> int:
    """A fresh open alert on someone's unexplained read of a fresh officer, as detection
    stores one."""
    officer_id = w.officer()
    with w.container.uow().transaction() as tx:
        return tx.access.add_alert(NewAlert(
            "lector", "registry_clerk", date(2026, 11, 14), date(2026, 11, 20), 12.0, 10.0,
            ({"name": "burst", "points": 12.0, "reads": 1, "es": "Ráfaga", "en": "Burst"},),
            (AlertRead(1, officer_id, tx.now, "officer:identity:read", ("burst",)),)),
            "matrix", tx.now)


def declarations_officer(w: World) -> int:
    """A fresh officer whose latest declaration holds a house bought in cash."""
    n = w.n()
    curp = build_curp(f"Prueba{n}", "Declara", "Ana", date(1985, 1, 1 + n % 28), "M", "JC")
    return officer_with_cash_house(w.container, w.agencies["JAL-SSP"], curp)


def integrity_link(w: World, r: Role) -> Call:
    case_id = w.integrity.case(r, Stage.EVIDENCE, linked=False)
    return (f"{V1}/integrity/cases/{case_id}/links", {"json": {
        "allegation_id": w.integrity.allegation(case_id), "kind": "supports",
        "evidence_id": w.integrity.evidence(case_id)}})


def integrity_finding(w: World, r: Role) -> Call:
    case_id = w.integrity.case(r, Stage.FINDING)
    return (f"{V1}/integrity/cases/{case_id}/findings", {"json": {
        "allegation_id": w.integrity.allegation(case_id), "finding": "sustained",
        "grounds": TEXT, "relied_on": [{"kind": "evidence", "id": w.integrity.evidence(case_id)}]}})


def integrity_appealed(w: World, r: Role) -> int:
    return w.integrity.case(r, Stage.APPEAL, finding=FindingKind.SUSTAINED, sanctioned=True,
                            appeal_role=True)


def integrity_special(w: World, r: Role) -> Call:
    case_id = w.integrity.case(r, Stage.FINDING, finding=FindingKind.SUSTAINED)
    return (f"{V1}/integrity/cases/{case_id}/special-evaluation",
            {"json": {"allegation_id": w.integrity.allegation(case_id)}})


def test_every_api_route_is_in_the_table(tmp_path: Path) -> None:
    # Building the app touches no database, so an empty file is enough to list routes.
    url = f"sqlite:///{tmp_path / 'routes.db'}"
    container = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        routes = api_routes(create_app(container))
    finally:
        container.dispose()
    assert routes - set(ROUTE_PERMISSIONS) == set(), "routes with no permission decided"
    assert set(ROUTE_PERMISSIONS) - routes == set(), "table rows for routes that are gone"
    assert set(CALLS) == set(ROUTE_PERMISSIONS)


def test_every_route_as_every_role(container: Container, agencies: dict[str, int]) -> None:
    http = client(container)
    usernames = {role: f"matrix-{role.value}".replace("_", "-") for role in Role}
    headers = {role: token_for(container, make_user(container, role, username=usernames[role]))
               for role in Role}
    world = World(container, agencies, make_user(container, Role.EXAMINER, username="target"),
                  usernames)
    mismatches: list[str] = []
    forbidden = 0
    for (method, route), needed in sorted(ROUTE_PERMISSIONS.items()):
        for role in Role:
            path, kwargs = CALLS[(method, route)](world, role)
            kwargs["headers"] = {**kwargs.get("headers", {}), **headers[role]}
            response = http.request(method, path, **kwargs)
            allowed = not isinstance(needed, HolderOnly) and (
                needed in (PUBLIC, SIGNED_IN) or needed in ROLE_PERMISSIONS[role]
                or (isinstance(needed, AnyOf) and needed.allows(role)))
            if allowed and not 200 <= response.status_code < 300:
                mismatches.append(f"{role} {method} {route}: expected 2xx, got "
                                  f"{response.status_code} {response.text[:200]}")
            elif not allowed:
                forbidden += 1
                if response.status_code != 403 or str(needed) not in response.json()["detail"]:
                    mismatches.append(f"{role} {method} {route}: expected 403 naming {needed}, "
                                      f"got {response.status_code} {response.text[:200]}")
                elif (isinstance(needed, HolderOnly)
                      and needed.permission in ROLE_PERMISSIONS[role]):
                    assert_problem(response, 403, "only the holder of account")
                else:
                    assert_problem(response, 403, "does not allow")
            http.cookies.clear()  # a sign-in must not turn later calls into cookie calls
    assert mismatches == []
    # Every refusal left its trace in the trail.
    assert len(audit(container, AuditAction.ACCESS_DENIED)) == forbidden


def test_every_route_but_sign_in_wants_credentials(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    world = World(container, agencies, make_user(container, Role.EXAMINER, username="target"),
                  {role: "nobody" for role in Role})
    for (method, route), needed in sorted(ROUTE_PERMISSIONS.items()):
        if needed == PUBLIC:
            continue
        path, kwargs = CALLS[(method, route)](world, Role.ADMINISTRATOR)
        assert_problem(http.request(method, path, **kwargs), 401)


def test_state_scope_keeps_agency_hr_inside_its_state(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    operator = system_actor("scope-operator")
    uow = container.uow()

    def register(agency: str) -> int:
        new = officer_service.NewOfficer(
            "Ana", agency.replace("-", ""),
            assignment=officer_service.FirstAssignment(agencies[agency], "Policía",
                                                       date(2015, 1, 1)),
        )
        return officer_service.register_officer(uow, operator, new).officer.id

    jalisco, nuevo_leon = register("JAL-GDL-PM"), register("NL-FC")
    hr = token_for(container, make_user(
        container, Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="19"), username="hr-nl"))
    assert http.get(f"{V1}/officers/{nuevo_leon}", headers=hr).status_code == 200
    outside: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", f"{V1}/officers/{jalisco}", {}),
        ("PATCH", f"{V1}/officers/{jalisco}", {"json": {"given_names": "Otra"}}),
        ("GET", f"{V1}/officers/{jalisco}/contacts",
         {"headers": {"X-Purpose": "Revision de expediente"}}),
        ("GET", f"{V1}/agencies/{agencies['JAL-SSP']}", {}),
        ("GET", f"{V1}/agencies/{agencies['JAL-GDL-PM']}/roster", {}),
        ("GET", f"{V1}/officers", {"params": {"agency_id": agencies["JAL-GDL-PM"]}}),
        # Moving one's own officer into another state's agency needs rights over that agency.
        ("POST", f"{V1}/officers/{nuevo_leon}/assignments",
         {"json": {"agency_id": agencies["JAL-SSP"], "rank": "Policía",
                   "start_date": "2020-01-01", "reason": "transfer"}}),
    ]
    for method, path, kwargs in outside:
        kwargs["headers"] = {**kwargs.get("headers", {}), **hr}
        assert_problem(http.request(method, path, **kwargs), 403, "outside your scope")
    found = http.get(f"{V1}/officers", headers=hr).json()["items"]
    assert [o["id"] for o in found] == [nuevo_leon]
    history = http.get(f"{V1}/officers/{nuevo_leon}", headers=hr).json()["assignments"]
    assert [a["agency_code"] for a in history] == ["NL-FC"]
