"""The early-intervention review queue over HTTP (ADR 0034), on both databases: agency HR
sees the flags of its scope with the factors in words, reads one flag with the history behind
it, records a review once; everyone else is refused with a problem document, and every read,
review and refusal is in the trail."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import assert_problem, audit, client
from risk_api_support import NOTE, add_run, build_history, person, tokens

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container

V1 = "/api/v1"


@pytest.fixture
def http_world(container: Container, agencies: dict[str, int]) -> dict[str, Any]:
    officers = build_history(container, agencies["JAL-SSP"], officers=40)
    flags = add_run(container, officers, 4)
    people = {
        "hr": person(container, Role.AGENCY_HR, "rh-jal",
                     Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-SSP"])),
        "hr_nl": person(container, Role.AGENCY_HR, "rh-nl",
                        Scope(ScopeKind.AGENCY, agency_id=agencies["NL-FC"])),
        "ia": person(container, Role.INTERNAL_AFFAIRS, "ai-jal", Scope()),
        "auditor": person(container, Role.AUDITOR, "auditoria", Scope()),
    }
    headers = dict(zip(people, tokens(container, *people.values()), strict=True))
    return {"officers": officers, "flags": flags, "h": headers}


def test_queue_lists_the_scope_s_flags_with_factors_in_words(
        container: Container, http_world: dict[str, Any]) -> None:
    http, h = client(container), http_world["h"]
    body = http.get(f"{V1}/risk/flags", headers=h["hr"]).json()
    assert [f["score_id"] for f in body["items"]] == http_world["flags"]
    assert [f["rank"] for f in body["items"]] == [1, 2, 3, 4]
    assert body["waiting"] == 4 and body["run"]["model_version"] == "test-model"
    first = body["items"][0]
    assert first["officer_id"] == http_world["officers"][0]
    assert first["factors"][0]["en"] == "4 complaints of excessive force in 12 months"
    assert first["factors"][0]["es"].startswith("4 quejas")
    assert first["review"] is None
    # Another agency's HR sees none; internal affairs has no door to the queue.
    assert http.get(f"{V1}/risk/flags", headers=h["hr_nl"]).json()["items"] == []
    assert_problem(http.get(f"{V1}/risk/flags", headers=h["ia"]), 403, "risk:flag:review")
    [mine, theirs] = audit(container, "risk:queue:read")[-2:]
    assert mine.actor == "rh-jal" and mine.detail["shown"] == http_world["officers"][:4]
    assert theirs.detail["shown"] == []
    assert len(audit(container, "authz:permission:denied")) == 1


def test_one_flag_shows_the_history_behind_it(container: Container,
                                               http_world: dict[str, Any]) -> None:
    http, h = client(container), http_world["h"]
    score_id = http_world["flags"][0]
    body = http.get(f"{V1}/risk/flags/{score_id}", headers=h["hr"]).json()
    assert body["officer_id"] == http_world["officers"][0]
    assert body["run"]["id"] == body["run_id"]
    history = body["history"]
    assert history["complaints"], "the synthetic officer has complaints"
    known = [c["known"] for c in history["complaints"]]
    assert known == sorted(known, reverse=True)  # the latest first
    assert {c["finding"] for c in history["complaints"]} <= {
        "sustained", "not_sustained", "pending"}
    assert history["postings"][0]["place"] == "Secretaría de Seguridad de Jalisco"
    [read] = audit(container, "risk:flag:read")
    assert (read.resource_type, read.resource_id) == ("officer", str(body["officer_id"]))
    # Outside the scope: refused, and the refusal is audited; a flag that is not one: 404.
    assert_problem(http.get(f"{V1}/risk/flags/{score_id}", headers=h["hr_nl"]), 403)
    assert_problem(http.get(f"{V1}/risk/flags/999999", headers=h["hr"]), 404, "999999")
    assert len(audit(container, "authz:permission:denied")) == 1


def test_a_review_is_kept_once_and_reported(container: Container,
                                            http_world: dict[str, Any]) -> None:
    http, h = client(container), http_world["h"]
    first, second = http_world["flags"][:2]
    url = f"{V1}/risk/flags/{first}/review"
    # Outside the scope, a short note is refused for the scope, not for the note.
    assert_problem(http.post(url, headers=h["hr_nl"], json={
        "outcome": "training", "useful": True, "note": "corta"}), 403)
    bad = assert_problem(http.post(url, headers=h["hr"], json={
        "outcome": "training", "useful": True, "note": "corta"}), 422)
    assert bad["errors"][0]["location"] == "note"
    bad = assert_problem(http.post(url, headers=h["hr"], json={
        "outcome": "sanction", "useful": True, "note": NOTE}), 422)
    assert bad["errors"][0]["location"] == "body.outcome"
    made = http.post(url, headers=h["hr"], json={"outcome": "conversation", "useful": True,
                                                 "note": NOTE})
    assert made.status_code == 201, made.text
    assert made.headers["Location"] == f"/api/v1/risk/flags/{first}"
    assert made.json()["reviewed_by"] == "rh-jal" and made.json()["evaluation_id"] is None
    assert_problem(http.post(url, headers=h["hr"], json={
        "outcome": "training", "useful": False, "note": NOTE}), 409, "already reviewed")
    special = http.post(f"{V1}/risk/flags/{second}/review", headers=h["hr"], json={
        "outcome": "special_evaluation", "useful": False, "note": NOTE})
    assert special.status_code == 201 and special.json()["evaluation_id"] is not None
    queue = http.get(f"{V1}/risk/flags", headers=h["hr"]).json()
    assert queue["waiting"] == 2 and queue["items"][0]["review"]["outcome"] == "conversation"
    report = http.get(f"{V1}/risk/report", headers=h["auditor"]).json()
    counts = {"flagged": 4, "reviewed": 2, "useful": 1, "share_useful": 0.5,
              "by_outcome": {"conversation": 1, "special_evaluation": 1}}
    assert report == {**counts, "by_method": {
        "model": counts, "threshold": {"flagged": 0, "reviewed": 0, "useful": 0,
                                       "share_useful": None, "by_outcome": {}}},
        "rule_evaluation": None}
    assert_problem(http.get(f"{V1}/risk/report", headers=h["ia"]), 403, "risk:review:report")
    assert len(audit(container, "risk:review:create")) == 2
    assert len(audit(container, "risk:review:report")) == 1
