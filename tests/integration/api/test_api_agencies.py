"""Agency routes over HTTP on both databases: create, search and pages, units, roster, merger."""

from __future__ import annotations

from api_support import assert_problem, audit, bearer, client, count, officer_body

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.trail.rules import AuditAction


def test_create_read_rename_and_add_units(container: Container, agencies: dict[str, int]) -> None:
    http = client(container)
    admin = bearer(container, Role.ADMINISTRATOR)
    created = http.post(
        "/api/v1/agencies", headers=admin,
        json={"code": "jal-zap-pm", "name": "Policía de Zapopan", "level": "municipal",
              "state_code": "14", "municipality_key": "14120", "parent_code": "JAL-SSP"},
    )
    assert created.status_code == 201, created.text
    agency = created.json()
    assert agency["code"] == "JAL-ZAP-PM" and agency["parent_id"] == agencies["JAL-SSP"]
    assert created.headers["location"] == f"/api/v1/agencies/{agency['id']}"
    duplicate = http.post("/api/v1/agencies", headers=admin,
                          json={"code": "JAL-ZAP-PM", "name": "Otra", "level": "municipal",
                                "state_code": "14", "municipality_key": "14120"})
    assert_problem(duplicate, 409, "already exists")

    unit = http.post(f"/api/v1/agencies/{agency['id']}/units", headers=admin,
                     json={"code": "c5", "name": "Centro de Mando"})
    assert unit.status_code == 201, unit.text
    again = http.post(f"/api/v1/agencies/{agency['id']}/units", headers=admin,
                      json={"code": "C5", "name": "Otro"})
    assert_problem(again, 409, "already has a unit C5")
    renamed = http.patch(f"/api/v1/agencies/{agency['id']}", headers=admin,
                         json={"name": "Comisaría de Zapopan"})
    assert renamed.json()["name"] == "Comisaría de Zapopan"
    detail = http.get(f"/api/v1/agencies/{agency['id']}", headers=admin).json()
    assert detail["name"] == "Comisaría de Zapopan"
    assert [(u["code"], u["name"]) for u in detail["units"]] == [("C5", "Centro de Mando")]


def test_search_filters_and_pages_by_id(container: Container, agencies: dict[str, int]) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)

    def codes(**params: object) -> list[str]:
        response = http.get("/api/v1/agencies", headers=clerk, params=params)
        assert response.status_code == 200, response.text
        return [a["code"] for a in response.json()["items"]]

    assert codes(level="state") == ["JAL-SSP", "NL-FC"]
    assert codes(state_code="14") == ["JAL-SSP", "JAL-GDL-PM"]
    assert codes(q="guadalajara") == ["JAL-GDL-PM"]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = http.get("/api/v1/agencies", headers=clerk, params=params).json()
        seen += [a["code"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["GN", "JAL-SSP", "NL-FC", "JAL-GDL-PM"]
    # A state-scoped account sees its own state whatever it asks for.
    hr = bearer(container, Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="19"))
    scoped = http.get("/api/v1/agencies", headers=hr, params={"state_code": "14"}).json()
    assert [a["code"] for a in scoped["items"]] == ["NL-FC"]


def test_merger_moves_the_roster_and_hides_the_dissolved_agency(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    admin = bearer(container, Role.ADMINISTRATOR)
    officer_id = http.post("/api/v1/officers", headers=clerk,
                           json=officer_body(agencies["JAL-GDL-PM"])).json()["id"]
    roster = http.get(f"/api/v1/agencies/{agencies['JAL-GDL-PM']}/roster", headers=clerk)
    assert [line["officer_id"] for line in roster.json()["items"]] == [officer_id]
    assert len(audit(container, AuditAction.AGENCY_ROSTER_READ)) == 1

    merged = http.post(f"/api/v1/agencies/{agencies['JAL-GDL-PM']}/merge", headers=admin,
                       json={"target_id": agencies["JAL-SSP"], "on": "2026-01-01"})
    assert merged.status_code == 200, merged.text
    result = merged.json()
    assert result["moved_assignments"] == 1
    assert result["source"]["dissolved_on"] == "2026-01-01"
    assert result["source"]["merged_into_id"] == agencies["JAL-SSP"]
    target = http.get(f"/api/v1/agencies/{agencies['JAL-SSP']}/roster", headers=clerk).json()
    assert [line["officer_id"] for line in target["items"]] == [officer_id]
    listed = http.get("/api/v1/agencies", headers=clerk).json()["items"]
    assert agencies["JAL-GDL-PM"] not in [a["id"] for a in listed]
    everything = http.get("/api/v1/agencies", headers=clerk,
                          params={"include_dissolved": True}).json()["items"]
    assert agencies["JAL-GDL-PM"] in [a["id"] for a in everything]
    twice = http.post(f"/api/v1/agencies/{agencies['JAL-GDL-PM']}/merge", headers=admin,
                      json={"target_id": agencies["JAL-SSP"], "on": "2026-02-01"})
    assert_problem(twice, 422, "already dissolved")
    assert count(container, "assignments") == 2


def test_roster_pages_with_counts_and_a_filter_as_the_page_does(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    agency = agencies["JAL-GDL-PM"]
    made = []
    for n, (given, surname) in enumerate([("Ana", "Vega"), ("Luis", "Arce"), ("Eva", "Mora")]):
        body = officer_body(agency)
        body.update(given_names=given, first_surname=surname, second_surname=None, curp=None,
                    birth_date=None, badge=f"77{n}")
        answer = http.post("/api/v1/officers", headers=clerk, json=body)
        assert answer.status_code == 201, answer.text
        made.append(answer.json()["id"])
    url = f"/api/v1/agencies/{agency}/roster"
    first = http.get(url, headers=clerk, params={"limit": 2}).json()
    assert [line["officer_id"] for line in first["items"]] == [made[1], made[2]]  # Arce, Mora
    assert first["counts"] == {"active": 3} and first["total"] == 3
    assert first["previous_cursor"] is None and first["agency"]["id"] == agency
    second = http.get(url, headers=clerk,
                      params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [line["officer_id"] for line in second["items"]] == [made[0]]
    assert second["next_cursor"] is None and second["previous_cursor"] is not None
    back = http.get(url, headers=clerk,
                    params={"limit": 2, "cursor": second["previous_cursor"]}).json()
    assert back["items"] == first["items"]
    by_badge = http.get(url, headers=clerk, params={"q": "771"}).json()
    assert [line["officer_id"] for line in by_badge["items"]] == [made[1]]
    assert http.get(url, headers=clerk, params={"status": "suspended"}).json()["items"] == []
    assert_problem(http.get(url, headers=clerk, params={"cursor": "forged"}), 422, "cursor")
    assert_problem(http.get(url, headers=clerk, params={"status": "retired"}), 422, "status")
    assert_problem(http.get(url, headers=clerk, params={"q": "x" * 101}), 422, "q")
    assert_problem(http.get(url, headers=clerk, params={"limit": 10_000}), 422, "limit")
