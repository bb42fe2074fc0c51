"""Bad input over HTTP: every refusal is a problem document naming the fault, and a refused
request leaves nothing half-written behind."""

from __future__ import annotations

import pytest
from api_support import (
    PROBLEM,
    assert_problem,
    bearer,
    client,
    count,
    error_locations,
    officer_body,
)

from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container

TABLES = ("officers", "assignments", "badges", "officer_identifiers")


def counts(container: Container) -> dict[str, int]:
    return {t: count(container, t) for t in TABLES}


@pytest.mark.parametrize(
    ("overrides", "location", "words"),
    [
        ({"curp": "PERM880314MJCXXX09"}, "curp", "curp"),
        ({"birth_date": "2031-01-01", "curp": None}, "birth_date", "in the future"),
        ({"assignment": {"agency_id": 9999, "rank": "Policía", "start_date": "2012-01-16"}},
         "assignment.agency_id", "agency 9999 does not exist"),
        ({"assignment": {"agency_id": 1, "rank": "Policía", "start_date": "2027-01-16"}},
         "assignment.start_date", "in the future"),
        ({"nickname": "El Güero"}, "body.nickname", "Extra inputs are not permitted"),
        ({"given_names": "x" * 121}, "body.given_names", "at most 120 characters"),
        ({"sex": "F"}, "body.sex", "body.sex"),
        ({"external_ids": [{"scheme": "Bad Scheme!", "value": "1"}]},
         "external_ids[0].scheme", "lower-case"),
    ],
)
def test_bad_registration_is_a_422_naming_the_field_and_writes_nothing(
    container: Container, agencies: dict[str, int], overrides: dict[str, object], location: str,
    words: str,
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    before = counts(container)
    response = http.post("/api/v1/officers", headers=clerk,
                         json=officer_body(agencies["JAL-SSP"], **overrides))
    body = assert_problem(response, 422, words)
    assert location in error_locations(body)
    assert counts(container) == before


def test_duplicate_curp_is_a_409_and_writes_nothing(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    first = http.post("/api/v1/officers", headers=clerk, json=officer_body(agencies["JAL-SSP"]))
    assert first.status_code == 201
    before = counts(container)
    again = http.post("/api/v1/officers", headers=clerk,
                      json=officer_body(agencies["NL-FC"], badge="1"))
    assert_problem(again, 409, "already registered", f"officer {first.json()['id']}")
    assert counts(container) == before


def test_overlapping_assignment_is_a_409_and_closes_nothing(
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
    before = http.get(f"/api/v1/officers/{officer_id}", headers=clerk).json()["assignments"]
    # 2015-2016 falls inside the closed Jalisco posting (2012-2020).
    clash = http.post(
        f"/api/v1/officers/{officer_id}/assignments", headers=clerk,
        json={"agency_id": agencies["NL-FC"], "rank": "Policía", "start_date": "2015-01-01",
              "end_date": "2016-01-01", "reason": "transfer"},
    )
    assert_problem(clash, 409, "overlaps full-time assignment")
    after = http.get(f"/api/v1/officers/{officer_id}", headers=clerk).json()["assignments"]
    assert after == before


def test_malformed_json_unknown_route_and_wrong_method_are_problems(
    container: Container,
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    broken = http.post("/api/v1/officers", headers={**clerk, "Content-Type": "application/json"},
                       content=b'{"given_names": "Ana",')
    body = assert_problem(broken, 422, "JSON")
    assert body["errors"][0]["location"].startswith("body")
    assert count(container, "officers") == 0
    assert_problem(http.get("/api/v1/nothing-here", headers=clerk), 404)
    assert_problem(http.delete("/api/v1/officers", headers=clerk), 405)
    assert_problem(http.get("/api/v1/officers/999999", headers=clerk), 404, "officer 999999")
    assert_problem(http.get("/api/v1/officers/abc", headers=clerk), 422, "path.officer_id")


def test_missing_purpose_is_428(container: Container, agencies: dict[str, int]) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    officer_id = http.post("/api/v1/officers", headers=clerk,
                           json=officer_body(agencies["JAL-SSP"])).json()["id"]
    assert_problem(http.get(f"/api/v1/officers/{officer_id}/contacts", headers=clerk), 428,
                   "declare why")
    assert_problem(
        http.get(f"/api/v1/officers/{officer_id}/contacts",
                 headers={**clerk, "X-Purpose": "why?"}),
        428, "at least 10 characters",
    )


@pytest.mark.parametrize(
    ("path", "params", "location"),
    [
        ("/api/v1/officers", {"cursor": "not-a-cursor"}, "cursor"),
        ("/api/v1/agencies", {"cursor": "not-a-cursor"}, "cursor"),
        ("/api/v1/officers", {"limit": 100_000}, "query.limit"),
        ("/api/v1/officers", {"limit": 0}, "query.limit"),
        ("/api/v1/officers", {"id_scheme": "chicago.star"}, "query.id_scheme"),
        ("/api/v1/officers", {"status": "retired"}, "query.status"),
    ],
)
def test_bad_search_parameters_are_422(
    container: Container, path: str, params: dict[str, object], location: str
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    body = assert_problem(http.get(path, headers=clerk, params=params), 422)
    assert location in error_locations(body)


def test_a_cursor_from_another_list_is_refused(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    for surname in ("Uno", "Dos"):
        http.post("/api/v1/officers", headers=clerk,
                  json={"given_names": "Ana", "first_surname": surname})
    cursor = http.get("/api/v1/officers", headers=clerk, params={"limit": 1}).json()["next_cursor"]
    assert cursor
    body = assert_problem(http.get("/api/v1/agencies", headers=clerk, params={"cursor": cursor}),
                          422, "cursor")
    assert error_locations(body) == {"cursor"}


def test_future_merger_and_unknown_parent_are_422(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    admin = bearer(container, Role.ADMINISTRATOR)
    merge = http.post(f"/api/v1/agencies/{agencies['NL-FC']}/merge", headers=admin,
                      json={"target_id": agencies["GN"], "on": "2030-01-01"})
    assert_problem(merge, 422, "in the future")
    agency = http.post("/api/v1/agencies", headers=admin,
                       json={"code": "COL-SSP", "name": "SSP Colima", "level": "state",
                             "state_code": "06", "parent_code": "NOPE"})
    assert "parent_code" in error_locations(assert_problem(agency, 422, "NOPE"))
    assert count(container, "agencies") == 4


@pytest.mark.parametrize("path", [
    "/api/v1/officers/9223372036854775808",
    "/api/v1/agencies/2147483648",
    "/api/v1/agencies/9223372036854775808",
    "/api/v1/officers/9223372036854775808/timeline",
])
def test_ids_past_what_the_database_stores_are_a_422_not_a_crash(
    container: Container, path: str
) -> None:
    """An id larger than the key column (2**63 anywhere; 2**31 for PostgreSQL's integer keys)
    is bad input: a problem naming it, never a 500 (the client raises server errors)."""
    api = client(container)
    headers = bearer(container, Role.REGISTRY_CLERK)
    answer = api.get(path, headers=headers)
    assert answer.status_code in (404, 422), answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    if answer.status_code == 422:
        assert "larger than the registry stores" in answer.text
