"""Finding people through the API (issue 16 item 7), on both databases: a name in any order,
any identity key, "ever served there", and an agency's former staff."""

from __future__ import annotations

from api_support import bearer, client, officer_body

from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container


def test_search_by_name_in_any_order_by_key_and_by_agency_ever_served(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    created = http.post("/api/v1/officers", headers=clerk, json=officer_body(
        agencies["JAL-SSP"], external_ids=[{"scheme": "nomina.jal", "value": "N-1207"}]))
    assert created.status_code == 201, created.text
    oid = created.json()["id"]
    for name in ("María Fernanda Peña", "ruiz maria", "PEÑA RUIZ MARÍA FERNANDA", "fernanda pe"):
        found = http.get("/api/v1/officers", params={"name": name}, headers=clerk)
        assert [o["id"] for o in found.json()["items"]] == [oid], name
    for key in ("N-1207", "4411", created.json()["curp"].lower()):
        found = http.get("/api/v1/officers", params={"key": key}, headers=clerk)
        assert [o["id"] for o in found.json()["items"]] == [oid], key
    moved = http.post(f"/api/v1/officers/{oid}/assignments", headers=clerk, json={
        "agency_id": agencies["NL-FC"], "rank": "Policía", "start_date": "2020-01-01",
        "reason": "transfer"})
    assert moved.status_code in (200, 201), moved.text
    jal = {"agency_id": agencies["JAL-SSP"], "name": "pena"}
    assert http.get("/api/v1/officers", params=jal, headers=clerk).json()["items"] == []
    ever = http.get("/api/v1/officers", params={**jal, "ever_served": "true"}, headers=clerk)
    assert [o["id"] for o in ever.json()["items"]] == [oid]

    roster = http.get(f"/api/v1/agencies/{agencies['JAL-SSP']}/roster",
                      params={"staff": "former"}, headers=clerk)
    assert roster.status_code == 200, roster.text
    body = roster.json()
    assert body["former"] == 1 and body["total"] == 0
    [line] = body["items"]
    assert (line["officer_id"], line["until"], line["end_reason"]) == (
        oid, "2020-01-01", "transfer")


def test_bad_search_input_is_named(container: Container, agencies: dict[str, int]) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    alone = http.get("/api/v1/officers", params={"ever_served": "true", "name": "x"},
                     headers=clerk)
    assert alone.status_code == 422 and "ever_served" in alone.text
    blank = http.get("/api/v1/officers", params={"name": "-- ."}, headers=clerk)
    assert blank.status_code == 422 and "letter or digit" in blank.text
    staff = http.get(f"/api/v1/agencies/{agencies['GN']}/roster", params={"staff": "retired"},
                     headers=clerk)
    assert staff.status_code == 422 and "staff" in staff.text
