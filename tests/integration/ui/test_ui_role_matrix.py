"""Every page as every role: what the role table allows opens, anything else is a 403 page.

The table below must name every page route of the app, so a new page without an entry here
fails the suite instead of slipping through untested.
"""

from __future__ import annotations

from datetime import date

import pytest
from agency_trust_ui_support import APPEAL, build_world, not_approved
from evaluation_ui_support import MATRIX_FORMS, matrix_urls
from evaluation_ui_support import PASSWORD as WORLD_PASSWORD
from fastapi import FastAPI
from risk_ui_support import add_run
from sqlalchemy import func, select
from ui_support import PASSWORD, csrf_of, open_client, seed, sign_in

from confianza.access.rules.alerts import AlertRead, NewAlert
from confianza.accounts.rules.permissions import (
    ROLE_PERMISSIONS,
    Actor,
    ActorKind,
    Permission,
    Role,
    Scope,
)
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.app.web import create_app, served_routes
from confianza.certification.service import appeals as appeal_service
from confianza.core.db.models import OutsideSanctionRow
from confianza.identities.contracts import NewCandidate
from confianza.integrity.cli.sanctions import load_sanction_mapping
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service import cases
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.integrity.service.outside_sanctions import import_outside_sanctions
from confianza.registry.rules.roster_file import decode_roster

P = Permission
ANYONE = None  # any signed-in account
PAGES: dict[tuple[str, str], Permission | None] = {
    ("GET", "/"): ANYONE,
    # The home's panels, refreshed by htmx: each role its own (services.home decides)
    ("GET", "/home/panels"): ANYONE,
    ("GET", "/officers"): P.OFFICER_SEARCH,
    ("GET", "/officers/{officer_id}"): P.OFFICER_READ,
    ("POST", "/officers/{officer_id}/contacts"): P.OFFICER_SENSITIVE_READ,
    ("GET", "/agencies"): P.AGENCY_READ,
    ("GET", "/agencies/{agency_id}/roster"): P.OFFICER_SEARCH,
    ("GET", "/agencies/{agency_id}/roster.csv"): P.OFFICER_SEARCH,
    # The printable credential: the officer's certification, read like the CUP
    ("GET", "/officers/{officer_id}/credential"): P.CUP_READ,
    ("GET", "/officers/{officer_id}/credential.pdf"): P.CUP_READ,
    ("POST", "/logout"): ANYONE,
    # Trust control: agencies and coverage
    ("GET", "/certification/alerts"): P.COVERAGE_READ,
    ("GET", "/certification/alerts.csv"): P.COVERAGE_READ,
    ("GET", "/certification/reevaluations"): P.COVERAGE_READ,
    ("GET", "/certification/coverage"): P.COVERAGE_READ,
    # Coverage dashboard (its public version is in PUBLIC)
    ("GET", "/dashboard"): P.COVERAGE_READ,
    # The form page opens with the officer's record; a role that may not ask is told so on it.
    ("GET", "/certification/officers/{officer_id}/evaluation"): P.OFFICER_READ,
    ("POST", "/certification/officers/{officer_id}/evaluation"): P.EVALUATION_REQUEST,
    ("GET", "/certification/notifications"): P.EVALUATION_READ,
    ("POST", "/certification/notifications/{notification_id}/read"): P.SEPARATION_MANAGE,
    ("GET", "/certification/separations"): P.SEPARATION_MANAGE,
    ("GET", "/certification/evaluations/{evaluation_id}/appeal"): P.EVALUATION_READ,
    ("POST", "/certification/evaluations/{evaluation_id}/appeal"): P.APPEAL_FILE,
    ("POST", "/certification/separations/{process_id}/close"): P.SEPARATION_MANAGE,
    # Trust control: examiner, coordinator, certification (walked by
    # test_evaluation_pages_as_every_role; exam pages also need the exam to be assigned)
    ("GET", "/exams"): P.EXAM_RECORD,
    ("GET", "/exams/{evaluation_id}/{exam_type}"): P.EXAM_RECORD,
    ("POST", "/exams/{evaluation_id}/{exam_type}"): P.EXAM_RECORD,
    ("POST", "/exams/{evaluation_id}/{exam_type}/files"): P.EXAM_RECORD,
    ("GET", "/exams/{evaluation_id}/{exam_type}/files/{sha256}"): P.EXAM_RECORD,
    ("GET", "/scheduling"): P.EVALUATION_READ,
    # The booking form opens with the evaluation; a role that may not book is told so on it.
    ("GET", "/scheduling/{evaluation_id}"): P.EVALUATION_READ,
    ("POST", "/scheduling/{evaluation_id}"): P.EVALUATION_SCHEDULE,
    ("GET", "/decisions"): P.EVALUATION_READ,
    ("GET", "/decisions/appeals"): P.APPEAL_DECIDE,
    ("GET", "/decisions/{evaluation_id}"): P.EVALUATION_READ,
    ("POST", "/decisions/{evaluation_id}/decision"): P.EVALUATION_DECIDE,
    ("POST", "/decisions/{evaluation_id}/confirmation"): P.EVALUATION_DECIDE,
    ("POST", "/decisions/{evaluation_id}/appeals/{appeal_id}"): P.APPEAL_DECIDE,
    # Audit: access history (the officer's due-process report also for their agency's HR)
    ("GET", "/access"): P.AUDIT_READ,
    ("GET", "/access/officers/{officer_id}"): P.AUDIT_READ,
    ("GET", "/access/officers/{officer_id}/report"): P.ACCESS_REPORT,
    ("GET", "/access/users"): P.AUDIT_READ,
    # Officer timeline: each section inside it by its own permission (tested on its own)
    ("GET", "/officers/{officer_id}/timeline"): P.OFFICER_READ,
    # People matched across sources: the registry clerk's candidate pairs
    ("GET", "/identities"): P.IDENTITY_MATCH,
    ("GET", "/identities/{candidate_id}"): P.IDENTITY_MATCH,
    ("POST", "/identities/{candidate_id}"): P.IDENTITY_MATCH,
    # The roster refresh (ADR 0029): HR's pending separations, the clerk's review queue
    ("GET", "/pending-separations"): P.SEPARATION_MANAGE,
    ("GET", "/pending-separations/{separation_id}"): P.SEPARATION_MANAGE,
    ("POST", "/pending-separations/{separation_id}"): P.SEPARATION_MANAGE,
    ("GET", "/roster-conflicts"): P.IDENTITY_MATCH,
    ("GET", "/roster-conflicts/{conflict_id}"): P.IDENTITY_MATCH,
    ("POST", "/roster-conflicts/{conflict_id}"): P.IDENTITY_MATCH,
    # Integrity cases (ADR 0030): the queue, and a case file the probe is one of the people of
    ("GET", "/integrity"): P.CASE_READ,
    ("GET", "/integrity/cases/{case_id}"): P.CASE_READ,
    ("GET", "/integrity/cases/new"): P.CASE_OPEN,
    ("POST", "/integrity/cases/new"): P.CASE_OPEN,
    ("POST", "/integrity/cases/{case_id}/allegations/{allegation_id}/finding"): P.CASE_DECIDE,
    ("POST", "/integrity/cases/{case_id}/findings/{finding_id}/confirm"): P.CASE_DECIDE,
    ("POST", "/integrity/cases/{case_id}/sanction"): P.CASE_DECIDE,
    ("POST", "/integrity/cases/{case_id}/allegations/{allegation_id}/special-evaluation"):
        P.CASE_DECIDE,
    ("POST", "/integrity/cases/{case_id}/appeal/decision"): P.CASE_DECIDE,
    ("GET", "/integrity/cases/{case_id}/appeal"): P.CASE_APPEAL_FILE,
    ("POST", "/integrity/cases/{case_id}/appeal"): P.CASE_APPEAL_FILE,
    # The co-accusal network: an officer's co-accused and the groups of the scope
    ("GET", "/officers/{officer_id}/network"): P.NETWORK_READ,
    ("GET", "/integrity/network"): P.NETWORK_READ,
    # Early intervention (ADR 0034): agency HR's queue, a flag and its review; the report
    ("GET", "/risk"): P.RISK_REVIEW,
    ("GET", "/risk/flags/{score_id}"): P.RISK_REVIEW,
    ("POST", "/risk/flags/{score_id}"): P.RISK_REVIEW,
    ("GET", "/risk/report"): P.RISK_REPORT,
    # Asset declarations (ADR 0038): an officer's findings, a case opened from one (which needs
    # the case permission too: only its holders also read findings), HR's missing and late list
    ("GET", "/declarations/officers/{officer_id}"): P.DECLARATION_CHECK_READ,
    ("POST", "/declarations/officers/{officer_id}/checks/{rule}/case"): P.CASE_OPEN,
    ("GET", "/declarations/due"): P.DECLARATION_DUE_READ,
    # Another authority's sanctions: the review queue, a record and its decisions (ADR 0036)
    ("GET", "/integrity/outside-sanctions"): P.OUTSIDE_SANCTIONS_REVIEW,
    ("GET", "/integrity/outside-sanctions/{sanction_id}"): P.OUTSIDE_SANCTIONS_REVIEW,
    ("POST", "/integrity/outside-sanctions/{sanction_id}/link"): P.OUTSIDE_SANCTIONS_REVIEW,
    ("POST", "/integrity/outside-sanctions/{sanction_id}/reject"): P.OUTSIDE_SANCTIONS_REVIEW,
    # Alerts on unexplained reads (ADR 0037): the auditors' queue, an alert and its mark
    ("GET", "/access/alerts"): P.ACCESS_ALERT_REVIEW,
    ("GET", "/access/alerts/{alert_id}"): P.ACCESS_ALERT_REVIEW,
    ("POST", "/access/alerts/{alert_id}"): P.ACCESS_ALERT_REVIEW,
}
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/healthz"),
          # Anyone verifies a credential, with the issuer's published keys and status lists.
          ("GET", "/verify"), ("GET", "/.well-known/jwks.json"), ("GET", "/.well-known/did.json"),
          # The card's QR code: the compact credential's link opens the verification page.
          ("GET", "/v/{compact}"),
          ("GET", "/credentials/status/{purpose}/{number}"),
          # The coverage dashboard's public version: aggregates, small counts withheld.
          ("GET", "/public/coverage")}
# Trust control: agencies and coverage — what each action posts, and how an allowed post
# ends (a redirect after success; 409 where the service must refuse: the appeal period is open).
TC_FORMS: dict[str, dict[str, str]] = {
    "/certification/officers/{officer_id}/evaluation": {"kind": "permanence"},
    "/certification/evaluations/{evaluation_id}/appeal": {"grounds": APPEAL},
    "/certification/separations/{process_id}/close": {"note": "Baja por resultado no aprobatorio"},
}
TC_ALLOWED: dict[tuple[str, str], int] = {
    ("POST", "/certification/officers/{officer_id}/evaluation"): 303,
    ("POST", "/certification/notifications/{notification_id}/read"): 303,
    ("POST", "/certification/evaluations/{evaluation_id}/appeal"): 303,
    ("POST", "/certification/separations/{process_id}/close"): 409,
    # The matrix posts no decision: the pair's page asks for one (nothing is decided).
    ("POST", "/identities/{candidate_id}"): 422,
    # The matrix posts no note nor decision: the pages ask for one (nothing is decided).
    ("POST", "/pending-separations/{separation_id}"): 422,
    ("POST", "/roster-conflicts/{conflict_id}"): 422,
    # The matrix posts no outcome: the flag's page asks for one (nothing is reviewed).
    ("POST", "/risk/flags/{score_id}"): 422,
    # The world's officer holds no credential: the page says so, the PDF is not found.
    ("GET", "/officers/{officer_id}/credential.pdf"): 404,
    # The matrix posts no complaint nor finding: the forms ask for them (nothing is written);
    # the case has no finding to confirm.
    ("POST", "/integrity/cases/new"): 422,
    ("POST", "/integrity/cases/{case_id}/allegations/{allegation_id}/finding"): 422,
    ("POST", "/integrity/cases/{case_id}/findings/{finding_id}/confirm"): 404,
    # The matrix's case is still at intake: no sanction, special evaluation or appeal yet
    # (refused beside the form, 409); the probe decides findings but is not the appeal's
    # decider (need to know, 403, shown on the case file it may read).
    ("POST", "/integrity/cases/{case_id}/sanction"): 409,
    ("POST", "/integrity/cases/{case_id}/allegations/{allegation_id}/special-evaluation"): 409,
    ("POST", "/integrity/cases/{case_id}/appeal/decision"): 403,
    ("POST", "/integrity/cases/{case_id}/appeal"): 409,
    # The world's officer has filed no declaration: no finding to open a case from.
    ("POST", "/declarations/officers/{officer_id}/checks/{rule}/case"): 409,
    # The matrix posts no officer nor reason: the record's page asks for them (nothing decided).
    ("POST", "/integrity/outside-sanctions/{sanction_id}/link"): 422,
    ("POST", "/integrity/outside-sanctions/{sanction_id}/reject"): 422,
    # The matrix posts no outcome nor note: the alert's page asks for them (nothing marked).
    ("POST", "/access/alerts/{alert_id}"): 422,
}
# Trust control: examiner, coordinator, certification — these pages are walked on a world of
# their own; a few also open to a second permission (results readers read an exam's files,
# agency HR lists the appeals it files).
EV_PREFIXES = ("/exams", "/scheduling", "/decisions")
EV_ALSO: dict[tuple[str, str], Permission] = {
    ("GET", "/exams/{evaluation_id}/{exam_type}/files/{sha256}"): P.EVALUATION_RESULTS_READ,
    ("GET", "/decisions/appeals"): P.APPEAL_FILE,
}


def trust_ids(container: Container, operator: Actor, agencies: dict[str, int]) -> dict[str, int]:
    """A confirmed not-approved evaluation, with its notification and separation process."""
    trust = build_world(container, agencies)
    evaluation_id = not_approved(trust)
    [notification] = appeal_service.list_notifications(container.uow(), operator)
    [process] = appeal_service.list_separations(container.uow(), operator)
    return {"evaluation_id": evaluation_id, "notification_id": notification.id,
            "process_id": process.id}


def candidate_of(container: Container, officer_id: int) -> int:
    """A proposed pair naming the world's officer (the other side need not exist to be shown)."""
    with container.uow().transaction() as tx:
        tx.identities.add_candidates([NewCandidate(officer_id, officer_id + 10_000, None, 0.95,
                                                   8.0, {"comparisons": {}})],
                                     at=tx.now, by="matrix")
        return max(c.id for c in tx.identities.candidates(None, 500, None))


def queued_for(container: Container, officer_id: int) -> dict[str, int]:
    """A pending separation of the officer's open posting, and a conflict on their name."""
    with container.uow().transaction() as tx:
        posting = next(a for a in tx.officers.assignments(officer_id) if a.end_date is None)
        tx.rosters.add_separations([{
            "officer_id": officer_id, "assignment_id": posting.id,
            "agency_id": posting.agency_id, "file_name": "matrix.csv", "file_sha256": "0" * 64,
            "status": "pending", "proposed_at": tx.now, "proposed_by": "matrix"}])
        tx.rosters.add_conflicts([{
            "officer_id": officer_id, "identity_key": "K", "scheme": None,
            "facts": '[{"field": "sex", "registry": "M", "file": "H"}]', "facts_key": "0" * 64,
            "file_rows": "[]", "file_name": "matrix.csv", "file_sha256": "0" * 64,
            "file_line": 2, "status": "open", "proposed_at": tx.now, "proposed_by": "matrix"}])
        return {"separation_id": tx.rosters.separations(Scope(), None, after=None,
                                                        limit=1)[0].id,
                "conflict_id": tx.rosters.conflicts(None, after=None, limit=1)[0].id}


OUTSIDE_LIST = (
    "EXPEDIENTE,NOMBRE(S),PRIMER APELLIDO,SEGUNDO APELLIDO,CURP,FECHA DE NACIMIENTO,DEPENDENCIA,"
    "PUESTO,TIPO DE SANCION,INICIO,FIN,CAUSA,AUTORIDAD SANCIONADORA\n"
    "CHJ-2022-031,JOSE LUIS,HERNANDEZ,ORTIZ,,02/05/1984,SSP JALISCO,POLICIA TERCERO,"
    "INHABILITACION,01/02/2022,01/02/2032,Colusion con la delincuencia,Contraloria del Estado\n")


def outside_sanction(container: Container) -> int:
    """Another authority's sanction naming nobody the registry holds: kept for review."""
    supervisor = Actor(None, "matrix", Role.INTERNAL_AFFAIRS_SUPERVISOR, Scope(),
                       ActorKind.SYSTEM)
    import_outside_sanctions(container.uow(), supervisor,
                             decode_roster("lista.csv", OUTSIDE_LIST.encode(), "utf-8"),
                             load_sanction_mapping("estatal-sancionados"))
    with container.engine.connect() as connection:
        return int(connection.execute(select(func.max(OutsideSanctionRow.id))).scalar_one())


def case_of(container: Container, operator: Actor, agency_id: int, officer_id: int,
            probe: int) -> int:
    """An integrity case accusing the officer, the probe among its people when its role can
    be (internal affairs investigate, the honour commission decides)."""
    opened = cases.open_case(container.uow(), operator, NewCase(
        agency_id, "Cobro de cuotas en el retén de la carretera.", (NewSource(
            SourceChannel.CITIZEN_COMPLAINT, Reliability.B, Credibility.PROBABLY_TRUE,
            "Relata el cobro de una cuota en el retén.", date(2026, 1, 2),
            reporter_name="Rosa Pérez"),),
        (NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos en el retén.", (0,),
                       officer_id=officer_id),)))
    with container.uow().transaction() as tx:
        user = tx.users.get(probe)
    duty = {Role.INTERNAL_AFFAIRS: Duty.INVESTIGATOR,
            Role.HONOUR_COMMISSION: Duty.DECIDER}.get(user.role) if user else None
    if duty is not None:
        cases.assign(container.uow(), operator, opened.case.id, probe, duty)
    return opened.case.id


def access_alert(container: Container, officer_id: int) -> int:
    """An open alert on someone's unexplained read of the officer, as detection stores one."""
    with container.uow().transaction() as tx:
        return tx.access.add_alert(NewAlert(
            "lector", "registry_clerk", date(2026, 11, 14), date(2026, 11, 20), 12.0, 10.0,
            ({"name": "burst", "points": 12.0, "reads": 1, "es": "Ráfaga", "en": "Burst"},),
            (AlertRead(1, officer_id, tx.now, "officer:identity:read", ("burst",)),)),
            "matrix", tx.now)


def page_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {(m, p) for m, p in served_routes(app) if not p.startswith(("/api", "/static"))}


def test_every_page_is_in_the_table(container: Container) -> None:
    assert page_routes(create_app(container)) == set(PAGES) | PUBLIC


@pytest.mark.parametrize("role", list(Role))
def test_every_page_as_every_role(
    container: Container, operator: Actor, agencies: dict[str, int], role: Role
) -> None:
    world = seed(container, operator, agencies)
    trust = trust_ids(container, operator, agencies)
    trust["candidate_id"] = candidate_of(container, world.maria)
    trust |= queued_for(container, world.maria)
    probe = user_service.create_user(container.uow(), operator, user_service.NewUser(
        "probe", "Probe", PASSWORD, role, Scope()))
    trust["case_id"] = case_of(container, operator, agencies["JAL-SSP"], world.maria, probe.id)
    trust["allegation_id"] = cases.read_case(container.uow(), operator,
                                             trust["case_id"]).allegations[0].allegation.id
    trust["finding_id"] = 999_999
    [trust["score_id"]] = add_run(container, [world.maria], 1)
    trust["sanction_id"] = outside_sanction(container)
    trust["alert_id"] = access_alert(container, world.maria)
    held = ROLE_PERMISSIONS[role]
    for client in open_client(container):
        csrf = sign_in(client, "probe")
        for (method, path), needed in PAGES.items():
            if path == "/logout":
                continue  # would end the session the loop needs; covered by the session tests
            if path.startswith(EV_PREFIXES):
                continue  # walked by test_evaluation_pages_as_every_role
            url = path.format(officer_id=world.maria, agency_id=agencies["JAL-SSP"],
                              rule="cash_purchases", **trust)
            if path == "/officers":
                url += "?nombre=PENA"
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={
                    "purpose": "Revisión de matriz de permisos", "csrf_token": csrf,
                    "agency_id": str(agencies["JAL-SSP"]), **TC_FORMS.get(path, {})})
            allowed = needed is None or needed in held
            expected = TC_ALLOWED.get((method, path), 200) if allowed else 403
            assert response.status_code == expected, (role, method, path, response.text[:300])
            if not allowed:
                assert "403" in response.text or "permiso" in response.text.lower()
        # A refusal does not end the session: the account is still signed in.
        home = client.get("/")
        assert home.status_code == 200 and csrf_of(home.text) == csrf


# Trust control: examiner, coordinator, certification
@pytest.mark.parametrize("role", list(Role))
def test_evaluation_pages_as_every_role(
    container: Container, agencies: dict[str, int], role: Role
) -> None:
    """Pages answer 200 (posts 422: each form is refused as input, so nothing changes) to the
    roles the table allows and 403 to the rest."""
    urls, centre = matrix_urls(container, agencies, role)
    mine = {key for key in PAGES if key[1].startswith(EV_PREFIXES)}
    assert set(urls) == mine
    held = ROLE_PERMISSIONS[role]
    for client in open_client(container):
        csrf = sign_in(client, "probe", WORLD_PASSWORD)
        for (method, path), url in urls.items():
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={
                    "csrf_token": csrf, **centre, **MATRIX_FORMS.get(path, {})})
            allowed = PAGES[(method, path)] in held or EV_ALSO.get((method, path)) in held
            expected = (200 if method == "GET" else 422) if allowed else 403
            assert response.status_code == expected, (role, method, path, response.text[:300])
            if not allowed:
                assert "403" in response.text or "permiso" in response.text.lower()
        home = client.get("/")
        assert home.status_code == 200 and csrf_of(home.text) == csrf
