"""Early intervention over HTTP, on both databases: the queue says which method flagged (a
model, or the department's threshold rule while no model is promoted) and, when nobody is
scored, why; the report counts usefulness per method beside the rule's own evaluation; and
the refusals of issue 18's bad inputs reach an API client as problem documents with a code
or the field named, not only as the console's lines (ADR 0034, second addendum)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from api_support import assert_problem, client
from fastapi.testclient import TestClient
from risk_api_support import build_history, person, tokens

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind, system_actor
from confianza.app.bootstrap import Container
from confianza.app.web import create_app
from confianza.risk.rules import storage
from confianza.risk.rules.model import Learner
from confianza.risk.rules.records import ModelSource
from confianza.risk.rules.threshold import ThresholdRule
from confianza.risk.service import models, scoring

V1 = "/api/v1"
RULE_ES = "regla de umbral: 3 o más quejas en 12 meses"


def _model(container: Container, version: str, *, promoted: bool, artefact: bytes = b"x",
           sha256: str | None = None, code_version: str | None = None,
           seal: str | None = None) -> None:
    digest = sha256 or hashlib.sha256(artefact).hexdigest()
    writer = code_version or storage.code_version()
    with container.uow().transaction() as tx:
        tx.risk.add_model(
            version=version, learner="logistic", source=ModelSource.REGISTRY,
            as_of=date(2026, 6, 30), trained_from=date(2014, 12, 31),
            trained_until=date(2024, 12, 31), rows=100, outcomes=10, code_version=writer,
            sha256=digest, artefact=artefact, evaluation={}, promoted=promoted,
            seal=seal or storage.seal(container.model_key(), version=version, sha256=digest,
                                      code_version=writer, promoted=promoted),
            reasons=() if promoted else ("recall ratio by sex 0.41 is below 0.80",),
            trained_by="test", trained_at=tx.now)


def test_the_queue_says_which_method_flagged_and_why_nobody_was(
        container: Container, agencies: dict[str, int]) -> None:
    build_history(container, agencies["JAL-SSP"], officers=300)
    hr = person(container, Role.AGENCY_HR, "rh-jal",
                Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-SSP"]))
    auditor = person(container, Role.AUDITOR, "auditoria", Scope())
    h_hr, h_auditor = tokens(container, hr, auditor)
    http = client(container)
    empty = http.get(f"{V1}/risk/flags", headers=h_hr).json()
    assert empty["run"] is None and empty["latest_model"] is None
    assert "no model has been trained" in empty["note"]
    assert "--rule threshold" in empty["note"]
    _model(container, "notpromoted1", promoted=False)
    waiting = http.get(f"{V1}/risk/flags", headers=h_hr).json()
    assert waiting["latest_model"] == {"version": "notpromoted1", "as_of": "2026-06-30",
                                       "promoted": False,
                                       "reasons": ["recall ratio by sex 0.41 is below 0.80"]}
    assert "was not promoted: recall ratio by sex 0.41" in waiting["note"]
    run = scoring.score(container.uow(), system_actor("test"), key=container.model_key(),
                        share=0.02, rule=ThresholdRule())
    body = http.get(f"{V1}/risk/flags", headers=h_hr).json()
    assert body["run"]["method"] == "threshold" and body["run"]["model_version"] is None
    assert body["run"]["rule"] == {"count": 3, "months": 12, "es": RULE_ES,
                                   "en": "threshold rule: 3 or more complaints in 12 months"}
    assert "threshold rule, not by a model" in body["note"]
    assert len(body["items"]) == run.flagged > 0
    first = body["items"][0]
    assert first["factors"][0]["es"].startswith(f"{int(first['score'])} quejas en 12 meses")
    one = http.get(f"{V1}/risk/flags/{first['score_id']}", headers=h_hr).json()
    assert one["run"]["method"] == "threshold"
    made = http.post(f"{V1}/risk/flags/{first['score_id']}/review", headers=h_hr, json={
        "outcome": "no_action", "useful": False, "note": "Las quejas ya se habían atendido."})
    assert made.status_code == 201, made.text
    report = http.get(f"{V1}/risk/report", headers=h_auditor).json()
    assert report["by_method"]["threshold"]["flagged"] == run.flagged
    assert report["by_method"]["threshold"]["reviewed"] == 1
    assert report["by_method"]["model"]["flagged"] == 0
    assert report["rule_evaluation"] is None  # the model kept never measured the rule


@pytest.fixture
def console_door(container: Container) -> TestClient:
    """The app with one more door under /api/ calling the console's use cases (training
    and scoring belong to the console, ADR 0034): what an API client would be answered."""
    app = create_app(container)
    operator = system_actor("test-operator")

    def door(path: str, act: Callable[[dict[str, Any]], object]) -> None:
        def route(body: dict[str, Any]) -> dict[str, str]:
            act(body)
            return {"done": "yes"}
        app.add_api_route(path, route, methods=["POST"])

    door("/api/v1/test/risk/train", lambda b: models.train(
        container.uow(), operator, key=container.model_key(), as_of=date.fromisoformat(
            b["as_of"]), source=ModelSource.REGISTRY, learners=(Learner.LOGISTIC,), reps=5))
    door("/api/v1/test/risk/score", lambda b: scoring.score(
        container.uow(), operator, key=container.model_key(), share=0.02,
        version=b.get("model")))
    return TestClient(app, raise_server_exceptions=True)


def test_bad_inputs_are_answered_with_a_code_or_the_field_named(
        container: Container, agencies: dict[str, int], console_door: TestClient) -> None:
    build_history(container, agencies["JAL-SSP"], officers=60)
    train, score = "/api/v1/test/risk/train", "/api/v1/test/risk/score"
    for day, words in (("2027-01-01", "is in the future"),
                       ("2005-01-01", "is before the history starts"),
                       ("2026-06-30", "too few outcomes to train")):
        body = assert_problem(console_door.post(train, json={"as_of": day}), 422, words)
        assert body["errors"][0]["reason"].find(words) >= 0, body
        assert body["errors"][0]["location"] in ("--as-of", "training years"), body
    # Scoring without a trained model, with one not promoted, and with a model whose bytes
    # were altered, whose seal is broken, or written by another version of the code.
    body = assert_problem(console_door.post(score, json={}), 409, "no promoted model")
    assert body["code"] == "no_promoted_model" and "--rule threshold" in body["detail"]
    body = assert_problem(console_door.post(score, json={"model": "nothere"}), 404, "nothere")
    assert body["code"] == "model_not_found"
    _model(container, "failed000001", promoted=False)
    body = assert_problem(console_door.post(score, json={"model": "failed000001"}), 409,
                          "was not promoted")
    assert body["code"] == "model_not_promoted"
    cases = {
        "altered00001": (dict(sha256="1" * 64), "model_altered", "has been altered"),
        "sealbroken01": (dict(seal="0" * 64), "model_seal_broken", "seal does not match"),
        "otherwriter1": (dict(code_version="confianza 0.0; scikit-learn 0.1"),
                         "model_other_version", "another version of the code"),
    }
    for version, (changes, code, words) in cases.items():
        _model(container, version, promoted=True, **changes)  # type: ignore[arg-type]
        body = assert_problem(console_door.post(score, json={"model": version}), 409, words,
                              version)
        assert body["code"] == code, body
    with container.uow().transaction() as tx:
        assert tx.risk.latest_run() is None  # nothing stored half-way
