"""The trust-control workflow end to end through HTTP, each step with its own person's token."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import bearer, client
from fastapi.testclient import TestClient
from trust_api_support import (
    APPEAL,
    GROUNDS,
    PASS,
    RESOLUTION,
    TODAY,
    V1,
    World,
    build_world,
    failing,
    tokens,
)

from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container
from confianza.vetting.rules.evaluations import ExamType


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


class Staff:
    """Everyone in the world, as the headers their API calls carry."""

    def __init__(self, world: World) -> None:
        (self.hr, self.coordinator, self.examiner, self.second_examiner, self.decider,
         self.confirmer, self.appeals_officer) = tokens(
            world.container, world.hr, world.coordinator, world.examiner,
            world.second_examiner, world.decider, world.confirmer, world.appeals_officer)

    def examiner_for(self, exam_type: str) -> dict[str, str]:
        return self.second_examiner if exam_type == "polygraph" else self.examiner


def request(http: TestClient, world: World, staff: Staff, officer_id: int | None = None,
            **extra: Any) -> dict[str, Any]:
    body = {"officer_id": officer_id or world.officer_id,
            "agency_id": world.agencies["JAL-SSP"], "kind": "permanence", **extra}
    response = http.post(f"{V1}/evaluations", headers=staff.hr, json=body)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{V1}/evaluations/{response.json()['id']}"
    found: dict[str, Any] = response.json()
    return found


def schedule(http: TestClient, world: World, staff: Staff, evaluation: dict[str, Any]
             ) -> dict[str, Any]:
    bookings = {
        e["exam_type"]: {
            "examiner_id": (world.second_examiner if e["exam_type"] == "polygraph"
                            else world.examiner).user_id,
            "day": TODAY.isoformat(),
        }
        for e in evaluation["exams"]
    }
    response = http.post(f"{V1}/evaluations/{evaluation['id']}/schedule",
                         headers=staff.coordinator,
                         json={"centre_id": world.centre_id, "exams": bookings})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def record_all(http: TestClient, staff: Staff, evaluation: dict[str, Any],
               results: dict[ExamType, dict[str, Any]] | None = None) -> None:
    for exam in evaluation["exams"]:
        kind = ExamType(exam["exam_type"])
        fields = (results or {}).get(kind, PASS[kind])
        response = http.post(f"{V1}/evaluations/{evaluation['id']}/exams/{kind}/result",
                             headers=staff.examiner_for(kind), json={"result": fields})
        assert response.status_code == 200, response.text


def test_an_evaluation_goes_from_request_to_approval_and_a_certificate(world: World) -> None:
    http = client(world.container)
    staff = Staff(world)
    requested = request(http, world, staff)
    assert requested["status"] == "requested"
    assert {e["exam_type"] for e in requested["exams"]} == set(ExamType)
    queue = http.get(f"{V1}/evaluations", headers=staff.coordinator,
                     params={"status": "requested"}).json()
    assert [x["id"] for x in queue["items"]] == [requested["id"]]
    assert queue["items"][0]["officer_name"] == "Ortega Vela, Ana Luisa"

    scheduled = schedule(http, world, staff, requested)
    assert scheduled["status"] == "scheduled"
    assert scheduled["centre"]["id"] == world.centre_id

    # The examiner's queue holds their exams, each task carrying that one exam only.
    tasks = http.get(f"{V1}/exams/queue", headers=staff.second_examiner).json()["items"]
    assert [(t["evaluation_id"], t["exam"]["exam_type"]) for t in tasks] == [
        (requested["id"], "polygraph")]
    assert set(tasks[0]) == {"evaluation_id", "kind", "evaluation_status", "exam", "officer",
                             "agency_name", "rank", "centre_name", "attachments"}
    upload = http.post(
        f"{V1}/evaluations/{requested['id']}/exams/toxicology/attachments",
        headers=staff.examiner,
        files={"file": ("lab-report.pdf", b"%PDF-1.7 lab report", "application/pdf")},
    )
    assert upload.status_code == 201, upload.text
    digest = upload.json()["sha256"]
    assert upload.headers["location"].endswith(f"/attachments/{digest}")
    record_all(http, staff, requested)
    mine = http.get(f"{V1}/evaluations/{requested['id']}/exams/toxicology",
                    headers=staff.examiner).json()
    assert mine["exam"]["outcome"] == "negative"
    assert [a["sha256"] for a in mine["attachments"]] == [digest]
    download = http.get(upload.headers["location"], headers=staff.examiner)
    assert download.content == b"%PDF-1.7 lab report"
    assert download.headers["content-type"] == "application/pdf"

    # HR follows the evaluation without seeing a single result.
    seen_by_hr = http.get(f"{V1}/evaluations/{requested['id']}", headers=staff.hr).json()
    assert seen_by_hr["status"] == "awaiting_decision"
    assert seen_by_hr["results_visible"] is False
    assert seen_by_hr["recommendation"] is None and seen_by_hr["integration"] is None
    assert all(e["recorded"] and e["outcome"] is None and e["result"] is None
               for e in seen_by_hr["exams"])
    seen_by_decider = http.get(f"{V1}/evaluations/{requested['id']}",
                               headers=staff.decider).json()
    assert seen_by_decider["results_visible"] is True
    assert seen_by_decider["recommendation"] == "approve"
    assert {e["exam_type"]: e["outcome"] for e in seen_by_decider["exams"]}["medical"] == "fit"
    # The certification officer reads the files too.
    assert http.get(upload.headers["location"], headers=staff.decider).status_code == 200

    decided = http.post(f"{V1}/evaluations/{requested['id']}/decision", headers=staff.decider,
                        json={"verdict": "approved"})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    assert decided.json()["valid_until"] == "2029-11-20"
    assert decided.json()["decided_by"]["name"] == "Certificador-Uno"

    officer = f"{V1}/officers/{world.officer_id}"
    history = http.get(f"{officer}/evaluations", headers=staff.hr).json()["items"]
    assert [(e["id"], e["verdict"]) for e in history] == [(requested["id"], "approved")]
    standing = http.get(f"{officer}/certification", headers=staff.hr).json()
    assert standing["standing"]["approved_until"] == "2029-11-20"
    assert standing["current_certificate"] is None
    alerts = http.get(f"{V1}/certification/alerts", headers=staff.hr).json()["items"]
    assert [a["reasons"] for a in alerts] == [["no_certificate"]]
    for component in ({"component": "skills", "completed_on": "2026-06-01", "score": 88},
                      {"component": "performance", "completed_on": "2026-03-01", "score": 91},
                      {"component": "initial_training", "completed_on": "2015-01-01",
                       "hours": 972}):
        recorded = http.post(f"{officer}/certification/components", headers=staff.hr,
                             json=component)
        assert recorded.status_code == 201, recorded.text
    certified = recorded.json()
    assert certified["current_certificate"]["valid_until"] == "2029-03-01"
    assert certified["current_certificate"]["number"].startswith("CUP-2026-")
    assert http.get(f"{V1}/certification/alerts", headers=staff.hr).json()["items"] == []
    coverage = http.get(f"{V1}/certification/coverage", headers=staff.decider,
                        params={"by": "state"}).json()
    jalisco = next(r for r in coverage["items"] if r["key"] == "14")
    assert (jalisco["officers"], jalisco["approved"], jalisco["certified"]) == (1, 1, 1)
    assert http.get(f"{V1}/certification/reevaluations",
                    headers=staff.hr).json()["items"] == []


def test_a_not_approved_decision_runs_through_confirmation_appeal_and_separation(
    world: World,
) -> None:
    http = client(world.container)
    staff = Staff(world)
    evaluation = schedule(http, world, staff, request(http, world, staff))
    record_all(http, staff, evaluation, {ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    url = f"{V1}/evaluations/{evaluation['id']}"
    proposed = http.post(f"{url}/decision", headers=staff.decider,
                         json={"verdict": "not_approved", "grounds": GROUNDS})
    assert proposed.json()["status"] == "awaiting_confirmation"
    queue = http.get(f"{V1}/evaluations", headers=staff.confirmer,
                     params={"status": "awaiting_confirmation"}).json()["items"]
    assert [x["id"] for x in queue] == [evaluation["id"]]
    confirmed = http.post(f"{url}/confirmation", headers=staff.confirmer, json={"agree": True})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "not_approved"
    assert confirmed.json()["separation"]["status"] == "open"
    officer = http.get(f"{V1}/officers/{world.officer_id}", headers=staff.hr).json()
    assert officer["status"] == "removed_from_duty"
    # HR sees the verdict, never why: the grounds speak of results.
    seen_by_hr = http.get(url, headers=staff.hr).json()
    assert seen_by_hr["verdict"] == "not_approved" and seen_by_hr["grounds"] is None

    notices = http.get(f"{V1}/notifications", headers=staff.hr).json()["items"]
    assert [n["kind"] for n in notices] == ["not_approved"]
    read = http.post(f"{V1}/notifications/{notices[0]['id']}/read", headers=staff.hr)
    assert read.status_code == 200, read.text
    assert http.get(f"{V1}/notifications", headers=staff.hr,
                    params={"unread_only": True}).json()["items"] == []

    appeal = http.post(f"{url}/appeal", headers=staff.hr, json={"grounds": APPEAL})
    assert appeal.status_code == 201, appeal.text
    listed = http.get(f"{V1}/appeals", headers=staff.appeals_officer,
                      params={"status": "open"}).json()["items"]
    assert [a["id"] for a in listed] == [appeal.json()["id"]]
    separations = http.get(f"{V1}/separations", headers=staff.hr).json()["items"]
    assert [s["evaluation_id"] for s in separations] == [evaluation["id"]]
    decided = http.post(f"{V1}/appeals/{appeal.json()['id']}/decision",
                        headers=staff.appeals_officer,
                        json={"outcome": "upheld", "resolution": RESOLUTION})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "upheld"
    closed = http.post(f"{V1}/separations/{separations[0]['id']}/close", headers=staff.hr,
                       json={"note": "Separated as the decision ordered."})
    assert closed.status_code == 200, closed.text
    officer = http.get(f"{V1}/officers/{world.officer_id}", headers=staff.hr).json()
    assert officer["status"] == "separated"
    assert http.get(f"{V1}/separations", headers=staff.hr).json()["items"] == []


def test_the_confirmer_can_send_a_decision_back(world: World) -> None:
    http = client(world.container)
    staff = Staff(world)
    evaluation = schedule(http, world, staff, request(http, world, staff))
    record_all(http, staff, evaluation, {ExamType.MEDICAL: failing(ExamType.MEDICAL)})
    url = f"{V1}/evaluations/{evaluation['id']}"
    http.post(f"{url}/decision", headers=staff.decider,
              json={"verdict": "not_approved", "grounds": GROUNDS})
    back = http.post(f"{url}/confirmation", headers=staff.confirmer,
                     json={"agree": False, "note": "The medical exam needs a second opinion."})
    assert back.status_code == 200, back.text
    assert back.json()["status"] == "awaiting_decision"
    assert back.json()["decided_by"] is None


def test_a_request_can_be_withdrawn_and_evaluations_listed_by_page(world: World) -> None:
    http = client(world.container)
    staff = Staff(world)
    first = request(http, world, staff)
    second = request(http, world, staff, officer_id=world.new_officer("Rosa", "Lima", "Paz"))
    page = http.get(f"{V1}/evaluations", headers=staff.hr, params={"limit": 1}).json()
    assert [x["id"] for x in page["items"]] == [first["id"]]
    rest = http.get(f"{V1}/evaluations", headers=staff.hr,
                    params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert [x["id"] for x in rest["items"]] == [second["id"]] and rest["next_cursor"] is None
    withdrawn = http.post(f"{V1}/evaluations/{first['id']}/cancel", headers=staff.hr,
                          json={"reason": "The officer resigned on Friday."})
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json() == {"id": first["id"], "status": "cancelled"}
    open_ones = http.get(f"{V1}/evaluations", headers=staff.hr,
                         params=[("status", "requested"), ("status", "scheduled")]).json()
    assert [x["id"] for x in open_ones["items"]] == [second["id"]]


def test_centres_are_opened_staffed_and_read(container: Container) -> None:
    http = client(container)
    admin = bearer(container, Role.ADMINISTRATOR)
    created = http.post(f"{V1}/centres", headers=admin, json={
        "code": "c3-nl", "name": "Centro de Control de Confianza de Nuevo León",
        "state_code": "19", "capacity": {"toxicology": 20, "polygraph": 6}})
    assert created.status_code == 201, created.text
    centre = created.json()
    assert centre["code"] == "C3-NL" and centre["capacity"] == {"polygraph": 6,
                                                                 "toxicology": 20}
    url = f"{V1}/centres/{centre['id']}"
    assert created.headers["location"] == url
    more = http.put(f"{url}/capacity", headers=admin, json={"capacity": {"medical": 10}})
    assert more.json()["capacity"] == {"medical": 10, "polygraph": 6, "toxicology": 20}
    examiner_headers = bearer(container, Role.EXAMINER, username="examinador-nl")
    me = http.get(f"{V1}/me", headers=examiner_headers).json()
    placed = http.put(f"{url}/examiners/{me['user_id']}", headers=admin,
                      json={"qualifications": ["polygraph", "psychological"]})
    assert placed.status_code == 200, placed.text
    assert placed.json()["qualifications"] == ["polygraph", "psychological"]
    coordinator = bearer(container, Role.CENTRE_COORDINATOR)
    detail = http.get(url, headers=coordinator).json()
    assert [e["username"] for e in detail["examiners"]] == ["examinador-nl"]
    listed = http.get(f"{V1}/centres", headers=coordinator).json()["items"]
    assert [c["code"] for c in listed] == ["C3-NL"]


def test_an_applicant_is_registered_and_asked_for_in_one_request(
    container: Container, agencies: dict[str, int]
) -> None:
    world = build_world(container, agencies)
    http = client(container)
    (hr,) = tokens(container, world.hr)
    answer = http.post(f"{V1}/evaluations/applicants", headers=hr, json={
        "applicant": {"given_names": "Diego", "first_surname": "Ramos", "sex": "H",
                      "birth_date": "2001-02-03"},
        "agency_id": agencies["JAL-SSP"], "rank": "Policía"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["kind"] == "new_entry"
    assert http.get(answer.headers["Location"], headers=hr).status_code == 200
    posted = http.post(f"{V1}/evaluations/applicants", headers=hr, json={
        "applicant": {"given_names": "Eva", "first_surname": "Sol",
                      "assignment": {"agency_id": agencies["JAL-SSP"], "rank": "Policía",
                                     "start_date": "2026-01-01"}},
        "agency_id": agencies["JAL-SSP"], "rank": "Policía"})
    assert posted.status_code == 422 and "applicant.assignment" in posted.text
