"""The officer timeline over HTTP, on both databases: sections by role, the section filter,
dates and fields in JSON, and refusals as problem documents."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from api_support import assert_problem, audit, client, token_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from timeline_support import APPEAL_GROUNDS, Career, build_career  # noqa: E402

from confianza.app.bootstrap import Container  # noqa: E402
from confianza.trail.rules import AuditAction  # noqa: E402
from conftest import FakeClock  # noqa: E402


@pytest.fixture
def career(container: Container, agencies: dict[str, int], clock: FakeClock) -> Career:
    return build_career(container, agencies, clock)


def test_timeline_as_json_by_role(container: Container, career: Career) -> None:
    http = client(container)
    path = f"/api/v1/officers/{career.officer_id}/timeline"
    hr = http.get(path, headers=token_for(container, career.world.hr.user_id or 0))
    assert hr.status_code == 200, hr.text
    body = hr.json()
    assert body["sections"] == ["assignments", "evaluations", "decisions", "certificates",
                                "appeals"]
    assert (body["officer_id"], body["name"]) == (career.officer_id, "Ana Luisa Ortega Vela")
    first = body["events"][0]
    assert (first["on"], first["kind"], first["section"], first["ref"]) == (
        "2026-11-21", "appeal_filed", "appeals", career.appeal_id)
    assert first["fields"] == {"evaluation_id": career.not_approved, "grounds": APPEAL_GROUNDS}
    assert {e["section"] for e in body["events"]} == set(body["sections"])
    assert body["accesses_examined_down_to"] is None and body["accesses_more"] is False
    auditor = http.get(path, params={"section": ["accesses", "results"]},
                       headers=token_for(container, career.auditor.user_id or 0)).json()
    assert auditor["sections"] == ["accesses"]
    assert auditor["events"] and {e["kind"] for e in auditor["events"]} == {"accessed"}
    assert auditor["events"][0]["at"].startswith("2026-11-21T10:00:00")
    assert auditor["accesses_examined_down_to"] == 1
    [entry] = [e for e in audit(container, AuditAction.TIMELINE_READ)
               if e.actor == career.auditor.username]
    assert entry.detail["sections"] == ["accesses"]


def test_refusals_are_problems(container: Container, career: Career) -> None:
    http = client(container)
    path = f"/api/v1/officers/{career.officer_id}/timeline"
    other = http.get(path, headers=token_for(container, career.other_hr.user_id or 0))
    assert_problem(other, 403, "outside your scope")
    hr = token_for(container, career.world.hr.user_id or 0)
    bad = http.get(path, params={"section": "everything"}, headers=hr)
    assert_problem(bad, 422)
    assert "section" in bad.text
    missing = http.get("/api/v1/officers/999999/timeline", headers=hr)
    assert_problem(missing, 404)
