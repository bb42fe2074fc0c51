"""Another authority's sanctions over HTTP and on pages, on SQLite and PostgreSQL: the review
queue and a record beside its candidates, a link and a refused second decision as problem
documents, the pages' forms, and the linked sanction on the officer's record only for the
roles that weigh it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_outside_sanctions_import import MAPPING, SUPERVISOR, _file, people  # noqa: E402, F401
from ui_support import PASSWORD, sign_in  # noqa: E402

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope  # noqa: E402
from confianza.accounts.service import users as user_service  # noqa: E402
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.app.web import create_app  # noqa: E402
from confianza.core.db.models import OutsideSanctionRow  # noqa: E402
from confianza.integrity.cli.sanctions import load_sanction_mapping  # noqa: E402
from confianza.integrity.service.outside_sanctions import import_outside_sanctions  # noqa: E402

V1 = "/api/v1/integrity/outside-sanctions"


def _user(container: Container, operator: Actor, name: str, role: Role) -> dict[str, str]:
    user = user_service.create_user(container.uow(), operator, user_service.NewUser(
        name, name.title(), PASSWORD, role, Scope()))
    holder = Actor(user.id, name, role, Scope(), ActorKind.USER)
    _, secret = user_service.issue_token(container.uow(), holder, user.id, "tests")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), follow_redirects=False) as found:
        yield found


@pytest.fixture
def lines(container: Container, people: dict[str, int]) -> dict[int, int]:  # noqa: F811
    import_outside_sanctions(container.uow(), SUPERVISOR, _file(), load_sanction_mapping(MAPPING))
    with container.engine.connect() as connection:
        return {r.line: r.id for r in connection.execute(select(OutsideSanctionRow))}


def test_the_queue_and_decisions_over_the_api(client: TestClient, container: Container,
                                              operator: Actor, people: dict[str, int],  # noqa: F811
                                              lines: dict[int, int]) -> None:
    boss = _user(container, operator, "ai-jefe", Role.INTERNAL_AFFAIRS_SUPERVISOR)
    hr = _user(container, operator, "rh", Role.AGENCY_HR)
    queue = client.get(V1, headers=boss)
    assert queue.status_code == 200, queue.text
    assert [i["id"] for i in queue.json()["items"]] == [lines[4], lines[5]]
    assert client.get(V1, headers=hr).status_code == 403
    one = client.get(f"{V1}/{lines[4]}", headers=boss).json()
    assert {o["id"] for o in one["officers"]} >= {people["juan1"], people["juan2"]}
    linked = client.post(f"{V1}/{lines[4]}/link", headers=boss,
                         json={"officer_id": people["juan2"]})
    assert linked.status_code == 200, linked.text
    assert linked.json()["linked_by"] == "reviewer"
    again = client.post(f"{V1}/{lines[4]}/reject", headers=boss,
                        json={"reason": "no es la misma persona"})
    assert again.status_code == 409 and "already linked" in again.json()["detail"]
    short = client.post(f"{V1}/{lines[5]}/reject", headers=boss, json={"reason": "no"})
    assert short.status_code == 422


def test_the_pages_decide_and_the_record_shows_it(client: TestClient, container: Container,
                                                  operator: Actor, people: dict[str, int],  # noqa: F811
                                                  lines: dict[int, int]) -> None:
    for name, role in (("ai-jefa", Role.INTERNAL_AFFAIRS_SUPERVISOR), ("rh-web", Role.AGENCY_HR)):
        user_service.create_user(container.uow(), operator, user_service.NewUser(
            name, name.title(), PASSWORD, role, Scope()))
    csrf = sign_in(client, "ai-jefa")
    page = client.get("/integrity/outside-sanctions")
    assert page.status_code == 200 and "JUAN PÉREZ LÓPEZ" in page.text
    item = client.get(f"/integrity/outside-sanctions/{lines[5]}")
    assert item.status_code == 200 and "MARTA" in item.text
    refused = client.post(f"/integrity/outside-sanctions/{lines[5]}/reject",
                          data={"reason": "corta", "csrf_token": csrf})
    assert refused.status_code == 422 and "10" in refused.text
    done = client.post(f"/integrity/outside-sanctions/{lines[5]}/link",
                       data={"officer_id": str(people["marta"]), "csrf_token": csrf})
    assert done.status_code == 303
    record = client.get(f"/officers/{people['marta']}")
    assert record.status_code == 200
    assert "Sanciones de otras autoridades" in record.text and "Amonestación" in record.text
    client.post("/logout", data={"csrf_token": csrf})
    sign_in(client, "rh-web")
    assert "Sanciones de otras autoridades" not in client.get(
        f"/officers/{people['marta']}").text
