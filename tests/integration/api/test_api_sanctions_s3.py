"""Final sanctions exported in the PDN's S3 form over HTTP, on both databases (ADR 0035): a
sanction appears once no appeal can change it, never before; the page is valid against S3's
published schema (tests/data/pdn, SOURCE.md); refusals and bad paging are problem documents
whose refusal is audited; each export is one entry naming how many records it handed out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from api_support import assert_problem, client, error_locations
from fastapi.testclient import TestClient
from jsonschema import Draft4Validator, FormatChecker

# trust_api_support puts the services' helpers, which integrity_api_support needs, on the path.
# isort: off
from trust_api_support import V1, audit_mark, entries_since
from integrity_api_support import CASES, GROUNDS, Cast, intake, make_cast, ok, to_finding
# isort: on
from typer.testing import CliRunner

from confianza.app.bootstrap import Container
from confianza.integrity.cli.cases import app as integrity_app
from confianza.trail.rules import AuditAction
from conftest import FakeClock

S3 = f"{V1}/integrity/sanctions/s3"
SPEC = json.loads((Path(__file__).parents[2] / "data" / "pdn" /
                   "OAS_API_Servidores_Sancionados.json").read_text("utf-8"))
# OpenAPI 3.0 schemas are JSON Schema draft 4; the document is the root of its references.
PAGE = Draft4Validator({"$ref": "#/components/schemas/ssancionados",
                        "components": SPEC["components"]}, format_checker=FormatChecker())
EXPORT = AuditAction.SANCTIONS_EXPORT.value


@pytest.fixture
def cast(container: Container, agencies: dict[str, int]) -> Cast:
    return make_cast(container, agencies)


def sanctioned(http: TestClient, cast: Cast, kind: str = "dismissal") -> int:
    """A case taken in, investigated, sustained and sanctioned today; returns its id."""
    h = cast.headers
    case_id = ok(http.post(CASES, headers=h["intake"], json=intake(cast)), 201)["case"]["id"]
    allegation_id, evidence_id = to_finding(http, cast, case_id)
    ok(http.post(f"{CASES}/{case_id}/findings", headers=h["decider"], json={
        "allegation_id": allegation_id, "finding": "sustained", "grounds": GROUNDS,
        "relied_on": [{"kind": "evidence", "id": evidence_id}]}))
    body: dict[str, Any] = {"officer_id": cast.world.officer_id, "kind": kind,
                            "grounds": GROUNDS}
    if kind in ("suspension", "arrest"):
        body["days"] = 15
    ok(http.post(f"{CASES}/{case_id}/sanctions", headers=h["decider"], json=body))
    return case_id


def exported(http: TestClient, cast: Cast, **params: Any) -> dict[str, Any]:
    page = ok(http.get(S3, headers=cast.headers["supervisor"], params=params))
    return page


def test_a_sanction_is_exported_once_its_appeal_period_is_over(
        cast: Cast, clock: FakeClock) -> None:
    http = client(cast.container)
    sanctioned(http, cast, "dismissal")
    # Decided today: an appeal may still be filed, so nothing is final yet.
    assert exported(http, cast) == {"pagination": {"pageSize": 10, "page": 1, "totalRows": 0,
                                                   "hasNextPage": False}, "results": []}
    clock.advance(days=10)  # the last day an appeal may be filed
    assert exported(http, cast)["results"] == []
    clock.advance(days=1)
    mark = audit_mark(cast.container)
    page = exported(http, cast)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in PAGE.iter_errors(page)] == []
    assert page["pagination"] == {"pageSize": 10, "page": 1, "totalRows": 1,
                                  "hasNextPage": False}
    record = page["results"][0]
    assert record["tipoSancion"] == [{"clave": "D",
                                      "valor": "DESTITUCIÓN DEL EMPLO, CARGO O COMISIÓN"}]
    assert record["tipoFalta"] == {"clave": "CEX", "valor": "COHECHO O EXTORSION"}
    assert record["resolucion"] == {"fechaResolucion": "2026-11-20"}
    assert record["autoridadSancionadora"] == "Comisión de Honor y Justicia"
    assert record["causaMotivoHechos"] == GROUNDS
    added = entries_since(cast.container, mark)
    assert [(e.action, e.detail["records"], e.detail["total"]) for e in added] == [
        (EXPORT, 1, 1)]


def test_an_appealed_sanction_waits_for_the_appeal_and_falls_if_overturned(
        cast: Cast, clock: FakeClock) -> None:
    http, h = client(cast.container), cast.headers
    upheld = sanctioned(http, cast, "suspension")
    overturned = sanctioned(http, cast, "reprimand")
    for case_id in (upheld, overturned):
        ok(http.post(f"{CASES}/{case_id}/appeal", headers=h["hr"],
                     json={"grounds": "El oficial estaba comisionado en otro servicio."}))
    clock.advance(days=20)  # the period is over, but the appeals are pending
    assert exported(http, cast)["results"] == []
    for case_id, outcome in ((upheld, "upheld"), (overturned, "overturned")):
        ok(http.post(f"{CASES}/{case_id}/appeal/decision", headers=h["appeal"], json={
            "outcome": outcome, "resolution": "Resuelto conforme a las constancias del caso."}))
    page = exported(http, cast)
    assert PAGE.is_valid(page)
    [record] = page["results"]
    assert record["expediente"].endswith(f"/IA/{upheld}")
    assert record["tipoSancion"][0]["clave"] == "S"
    assert record["observaciones"] == "Duración: 15 días."
    assert record["fechaCaptura"].startswith("2026-12-10")  # the day the appeal was decided


def test_paging_follows_s3_and_bad_paging_is_refused_and_audited(
        cast: Cast, clock: FakeClock) -> None:
    http = client(cast.container)
    first, second, third = (sanctioned(http, cast, k)
                            for k in ("dismissal", "reprimand", "suspension"))
    clock.advance(days=11)
    page = exported(http, cast, page=1, pageSize=2)
    assert PAGE.is_valid(page)
    assert page["pagination"] == {"pageSize": 2, "page": 1, "totalRows": 3,
                                  "hasNextPage": True}
    assert [r["expediente"].rsplit("/", 1)[1] for r in page["results"]] == [
        str(first), str(second)]
    last = exported(http, cast, page=2, pageSize=2)
    assert [r["expediente"].rsplit("/", 1)[1] for r in last["results"]] == [str(third)]
    assert last["pagination"]["hasNextPage"] is False
    for params, where, says in (({"pageSize": 0}, "pageSize", "between 1 and 200"),
                                ({"pageSize": 201}, "pageSize", "between 1 and 200"),
                                ({"page": 0}, "page", "at least 1"),
                                ({"page": 3, "pageSize": 2}, "page", "2 pages")):
        mark = audit_mark(cast.container)
        body = assert_problem(http.get(S3, headers=cast.headers["supervisor"],
                                       params=params), 422, says)
        assert error_locations(body) == {where}
        assert [e.action for e in entries_since(cast.container, mark)] == [
            AuditAction.REQUEST_REFUSED.value]
    body = assert_problem(http.get(S3, headers=cast.headers["supervisor"],
                                   params={"page": "two"}), 422)
    assert "page" in str(error_locations(body))


def test_only_the_internal_affairs_supervisor_exports_and_refusals_are_audited(
        cast: Cast) -> None:
    http = client(cast.container)
    for who in ("decider", "investigator", "hr"):
        mark = audit_mark(cast.container)
        assert_problem(http.get(S3, headers=cast.headers[who]), 403, "does not allow")
        assert [e.action for e in entries_since(cast.container, mark)] == [
            AuditAction.ACCESS_DENIED.value]
    assert_problem(http.get(S3), 401)


def test_the_command_writes_every_final_sanction_as_json_lines(
        cast: Cast, clock: FakeClock, database_url: str, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    http = client(cast.container)
    first, second = sanctioned(http, cast, "dismissal"), sanctioned(http, cast, "arrest")
    clock.advance(days=11)
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    out = tmp_path / "sancionados.jsonl"
    mark = audit_mark(cast.container)
    # The command reads the wall clock: pinned at the test clock's instant.
    with time_machine.travel(clock.now, tick=False):
        result = CliRunner().invoke(integrity_app, ["sanctions", "export-s3", "--out",
                                                    str(out)])
    assert result.exit_code == 0, result.output
    assert "2 final sanctions written" in result.stdout
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["expediente"].rsplit("/", 1)[1] for r in records] == [str(first), str(second)]
    assert records[1]["tipoSancion"] == [{"clave": "O", "valor": "ARRESTO ADMINISTRATIVO"}]
    assert PAGE.is_valid({"pagination": {"pageSize": 2, "page": 1, "totalRows": 2,
                                         "hasNextPage": False}, "results": records})
    assert [(e.action, e.detail["records"]) for e in entries_since(cast.container, mark)] == [
        (EXPORT, 2)]
