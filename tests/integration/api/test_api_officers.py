"""Officer routes over HTTP on both databases: register, profile, every search, pages, careers."""

from __future__ import annotations

from datetime import date

from api_support import audit, bearer, client, count, officer_body

from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container
from confianza.kit.curp import build_curp
from confianza.trail.rules import AuditAction


def test_register_read_update_and_profile_has_no_contact_data(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    created = http.post(
        "/api/v1/officers", headers=clerk,
        json=officer_body(agencies["JAL-SSP"], external_ids=[{"scheme": "sesnsp.cup",
                                                              "value": "C-77"}]),
    )
    assert created.status_code == 201, created.text
    officer_id = created.json()["id"]
    assert created.headers["location"] == f"/api/v1/officers/{officer_id}"

    profile = http.get(f"/api/v1/officers/{officer_id}", headers=clerk).json()
    assert profile["full_name"] == "María Fernanda Peña Ruiz"
    assert profile["status"] == "active"
    [posting] = profile["assignments"]
    assert (posting["agency_code"], posting["agency_name"], posting["end_date"]) == (
        "JAL-SSP", "Secretaría de Seguridad de Jalisco", None)
    assert [(b["number"], b["agency_code"]) for b in profile["badges"]] == [("4411", "JAL-SSP")]
    assert profile["external_ids"] == [{"scheme": "sesnsp.cup", "value": "C-77"}]
    assert "contacts" not in profile and "phone" not in created.text
    assert len(audit(container, AuditAction.OFFICER_READ)) == 1

    patched = http.patch(f"/api/v1/officers/{officer_id}", headers=clerk,
                         json={"given_names": "María Fernanda"})
    assert patched.status_code == 200, patched.text
    status = http.post(f"/api/v1/officers/{officer_id}/status", headers=clerk,
                       json={"status": "separated", "reason": "Baja por renuncia",
                             "on": "2026-10-01"})
    assert status.status_code == 200, status.text
    assert status.json()["status"] == "separated"
    assert status.json()["assignments"][0]["end_date"] == "2026-10-01"
    assert status.json()["assignments"][0]["end_reason"] == "separation"


def test_search_by_curp_badge_agency_status_and_external_id(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    first = http.post("/api/v1/officers", headers=clerk,
                      json=officer_body(agencies["JAL-SSP"])).json()
    birth = date(1979, 5, 2)
    second = http.post(
        "/api/v1/officers", headers=clerk,
        json=officer_body(
            agencies["NL-FC"], given_names="Juan", first_surname="García", second_surname="Ruiz",
            birth_date=birth.isoformat(), sex="H", badge="900",
            curp=build_curp("García", "Ruiz", "Juan", birth, "H", "NL"),
            external_ids=[{"scheme": "chicago.star", "value": "13001"}],
        ),
    ).json()
    http.post(f"/api/v1/officers/{second['id']}/status", headers=clerk,
              json={"status": "suspended", "reason": "Suspensión cautelar"})

    def ids(**params: object) -> list[int]:
        response = http.get("/api/v1/officers", headers=clerk, params=params)
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()["items"]]

    assert ids(curp=first["curp"].lower()) == [first["id"]]
    assert ids(badge="900") == [second["id"]]
    assert ids(badge="4411") == [first["id"]]
    assert ids(agency_id=agencies["NL-FC"]) == [second["id"]]
    assert ids(status="suspended") == [second["id"]]
    assert ids(status="active", agency_id=agencies["NL-FC"]) == []
    assert ids(id_scheme="chicago.star", id_value="13001") == [second["id"]]
    assert ids(name="garcia r") == [second["id"]]
    assert ids(name="PEÑA") == [first["id"]]
    assert ids() == [second["id"], first["id"]]  # surname order: GARCIA before PENA


def test_keyset_pages_neither_repeat_nor_skip_while_rows_are_inserted(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)

    def register(surname: str) -> int:
        body = {"given_names": "Ana", "first_surname": surname,
                "assignment": {"agency_id": agencies["GN"], "rank": "Agente",
                               "start_date": "2020-01-01"}}
        response = http.post("/api/v1/officers", headers=clerk, json=body)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    originals = {register(f"Mora{chr(ord('A') + i)}") for i in range(10)}
    seen: list[int] = []
    cursor = None
    inserted = 0
    while True:
        params: dict[str, object] = {"name": "mora", "limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = http.get("/api/v1/officers", headers=clerk, params=params).json()
        seen.extend(o["id"] for o in page["items"])
        # New officers sorting before the cursor must not shift later pages.
        register(f"MoraA{inserted}")
        inserted += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "a row came twice"
    assert originals <= set(seen), "a row was skipped"
    assert count(container, "officers") == 10 + inserted


def test_contacts_need_a_purpose_in_header_or_query(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    officer_id = http.post("/api/v1/officers", headers=clerk,
                           json=officer_body(agencies["JAL-SSP"])).json()["id"]
    put = http.put(f"/api/v1/officers/{officer_id}/contacts", headers=clerk,
                   json={"contacts": [{"kind": "phone", "value": "+52 33 1234 5678",
                                       "label": "móvil"}]})
    assert put.status_code == 200, put.text

    ia = bearer(container, Role.INTERNAL_AFFAIRS)
    by_header = http.get(f"/api/v1/officers/{officer_id}/contacts",
                         headers={**ia, "X-Purpose": "Citatorio expediente 12-2026"})
    assert by_header.status_code == 200, by_header.text
    assert by_header.json()["contacts"][0]["value"] == "+52 33 1234 5678"
    by_query = http.get(f"/api/v1/officers/{officer_id}/contacts", headers=ia,
                        params={"purpose": "Notificación de resolución"})
    assert by_query.status_code == 200
    purposes = [e.purpose for e in audit(container, AuditAction.OFFICER_CONTACT_READ)]
    assert purposes == ["Citatorio expediente 12-2026", "Notificación de resolución"]


def test_transfer_badge_and_end_of_posting(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    officer_id = http.post("/api/v1/officers", headers=clerk,
                           json=officer_body(agencies["JAL-SSP"])).json()["id"]
    moved = http.post(f"/api/v1/officers/{officer_id}/assignments", headers=clerk,
                      json={"agency_id": agencies["GN"], "rank": "Agente",
                            "start_date": "2020-07-01", "reason": "transfer"})
    assert moved.status_code == 201, moved.text
    assert moved.headers["location"] == f"/api/v1/officers/{officer_id}"
    badge = http.post(f"/api/v1/officers/{officer_id}/badges", headers=clerk,
                      json={"agency_id": agencies["GN"], "number": " GN-77 ",
                            "start_date": "2020-07-01"})
    assert badge.status_code == 201, badge.text
    assert badge.json()["number"] == "GN-77"
    ended = http.post(f"/api/v1/assignments/{moved.json()['id']}/end", headers=clerk,
                      json={"end_date": "2026-01-31", "reason": "retirement"})
    assert ended.status_code == 200, ended.text
    history = http.get(f"/api/v1/officers/{officer_id}", headers=clerk).json()["assignments"]
    assert [(a["agency_code"], a["end_date"], a["end_reason"]) for a in history] == [
        ("JAL-SSP", "2020-07-01", "transfer"), ("GN", "2026-01-31", "retirement")]
