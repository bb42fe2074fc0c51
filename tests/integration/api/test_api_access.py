"""The access-history API over HTTP, on both databases: an officer's entries, an account's
history, the officer's own report, and refusals (403, audited)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from api_support import assert_problem, audit, client, token_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from access_support import CLERK_PURPOSE, IA_PURPOSE, Accesses, seed_accesses  # noqa: E402

from confianza.app.bootstrap import Container  # noqa: E402
from confianza.registry.service import officers as officer_service  # noqa: E402
from confianza.trail.rules import AuditAction, RecordSection  # noqa: E402

V1 = "/api/v1/access"


@pytest.fixture
def seeded(container: Container, agencies: dict[str, int]) -> Accesses:
    return seed_accesses(container, agencies)


def test_officer_access_over_http(container: Container, seeded: Accesses) -> None:
    http = client(container)
    auditor = token_for(container, seeded.auditor.user_id or 0)
    response = http.get(f"{V1}/officers/{seeded.maria}", headers=auditor,
                        params={"limit": 200})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["officer_id"], body["curp"], body["next_cursor"], body["examined_down_to"]) == (
        seeded.maria, seeded.maria_curp, None, 1)
    items = body["items"]
    reveals = [(i["actor"], i["purpose"], i["description"]) for i in items
               if i["action"] == AuditAction.OFFICER_CONTACT_READ]
    assert reveals == [("ia.agent", IA_PURPOSE, "revealed the officer's contact data"),
                       ("clerk", CLERK_PURPOSE, "revealed the officer's contact data")]
    assert {(i["action"], i["reach"]) for i in items} >= {
        (AuditAction.OFFICER_SEARCH, "listed"), (AuditAction.EVALUATION_READ, "named")}
    search = next(i for i in items if i["action"] == AuditAction.OFFICER_SEARCH)
    assert seeded.maria in search["detail"]["results"]
    last = audit(container)[-1]
    assert (last.action, last.resource_id) == (AuditAction.AUDIT_READ, str(seeded.maria))
    page = http.get(f"{V1}/officers/{seeded.maria}", headers=auditor, params={"limit": 2})
    assert len(page.json()["items"]) == 2 and page.json()["next_cursor"]
    more = http.get(f"{V1}/officers/{seeded.maria}", headers=auditor,
                    params={"limit": 2, "cursor": page.json()["next_cursor"]})
    assert more.json()["items"][0]["id"] < page.json()["items"][-1]["id"]


def test_user_history_over_http(container: Container, seeded: Accesses) -> None:
    http = client(container)
    auditor = token_for(container, seeded.auditor.user_id or 0)
    response = http.get(f"{V1}/users/clerk", headers=auditor,
                        params={"action": "officer:contact", "since": "2026-11-20",
                                "until": "2026-11-20"})
    assert response.status_code == 200, response.text
    assert [(i["action"], i["purpose"]) for i in response.json()["items"]] == [
        (AuditAction.OFFICER_CONTACT_READ, CLERK_PURPOSE)]
    bad = http.get(f"{V1}/users/clerk", headers=auditor,
                   params={"action": "officer%", "since": "2026-12-01",
                           "until": "2026-11-01"})
    assert_problem(bad, 422)
    assert {e["location"] for e in bad.json()["errors"]} == {"action", "since"}
    assert_problem(http.get(f"{V1}/officers/{seeded.maria}", headers=auditor,
                            params={"cursor": "garbage"}), 422)


def test_due_process_report_over_http(container: Container, seeded: Accesses) -> None:
    http = client(container)
    hr = token_for(container, seeded.hr.user_id or 0)
    response = http.get(f"{V1}/officers/{seeded.maria}/report", headers=hr)
    assert response.status_code == 200, response.text
    text = response.text
    assert '"clerk"' not in text and "ia.agent" not in text and "jal.hr" not in text
    reveals = [(i["role"], i["purpose"], i["purpose_withheld"]) for i in
               response.json()["items"] if i["action"] == AuditAction.OFFICER_CONTACT_READ]
    assert reveals == [("internal_affairs", None, True),
                       ("registry_clerk", CLERK_PURPOSE, False)]
    last = audit(container)[-1]
    assert (last.actor, last.action) == ("jal.hr", AuditAction.OFFICER_ACCESS_REPORT)


def test_non_auditors_are_refused_and_the_refusal_is_audited(
    container: Container, seeded: Accesses
) -> None:
    http = client(container)
    for who in (seeded.clerk, seeded.internal_affairs, seeded.hr):
        headers = token_for(container, who.user_id or 0)
        for path in (f"{V1}/officers/{seeded.maria}", f"{V1}/users/clerk"):
            before = len(audit(container, AuditAction.ACCESS_DENIED))
            assert_problem(http.get(path, headers=headers), 403, "audit:entry:read")
            denied = audit(container, AuditAction.ACCESS_DENIED)
            assert len(denied) == before + 1 and denied[-1].actor == who.username
    assert_problem(http.get(f"{V1}/officers/{seeded.maria}/report",
                            headers=token_for(container, seeded.clerk.user_id or 0)),
                   403, "audit:officer_report:create")
    assert_problem(http.get(f"{V1}/officers/{seeded.maria}"), 401)


def test_a_combined_read_answers_each_act_it_records(
    container: Container, seeded: Accesses
) -> None:
    """A page that showed several sections wrote one entry (ADR 0024): its `acts` name what the
    separate entries named, and `description` says each; an entry of one act has that act."""
    officer_service.read_record(container.uow(), seeded.clerk, seeded.maria,
                                (RecordSection.CERTIFICATE, RecordSection.EVALUATIONS))
    http = client(container)
    auditor = token_for(container, seeded.auditor.user_id or 0)
    newest = http.get(f"{V1}/officers/{seeded.maria}", headers=auditor).json()["items"][0]
    assert (newest["action"], newest["acts"]) == (
        AuditAction.OFFICER_READ,
        [AuditAction.OFFICER_READ, AuditAction.CUP_READ, AuditAction.EVALUATION_READ])
    assert newest["description"] == ("read the officer's record; read the officer's "
                                     "certification; read an evaluation's status")
    history = http.get(f"{V1}/users/clerk", headers=auditor,
                       params={"action": "certificate:record:read"}).json()["items"]
    assert [i["id"] for i in history] == [newest["id"]]
    report = http.get(f"{V1}/officers/{seeded.maria}/report", headers=auditor).json()
    assert AuditAction.CUP_READ in report["items"][1]["acts"]  # [0]: the history just read
    reveal = next(i for i in http.get(f"{V1}/officers/{seeded.maria}", headers=auditor,
                                      params={"limit": 200}).json()["items"]
                  if i["action"] == AuditAction.OFFICER_CONTACT_READ)
    assert reveal["acts"] == [AuditAction.OFFICER_CONTACT_READ]
