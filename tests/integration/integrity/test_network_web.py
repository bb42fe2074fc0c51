"""The co-accusal network over HTTP, on SQLite and PostgreSQL: one officer's co-accused and the
ranked groups as API answers and as pages (Spanish and English, the graph drawn on the server),
paging, bad filters named beside their field or as a problem document, and need-to-know: a role
without it is refused and the refusal is in the trail."""

from __future__ import annotations

import html
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from ui_support import PASSWORD, sign_in  # noqa: E402

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, ScopeKind  # noqa: E402
from confianza.accounts.service import users as user_service  # noqa: E402
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.app.console import main  # noqa: E402
from confianza.app.web import create_app  # noqa: E402
from confianza.core.db.models import AuditEntryRow  # noqa: E402
from confianza.core.web import strings  # noqa: E402
from confianza.integrity.cli.complaints import load_complaint_mapping  # noqa: E402
from confianza.integrity.service.imports import ComplaintFiles, import_complaints  # noqa: E402
from confianza.registry.rules.roster_file import decode_roster  # noqa: E402

DATA = Path(__file__).parents[2] / "data" / "chicago"
AGENCY = "US-IL-CPD"
V1 = "/api/v1"
T = strings.TEXT


@dataclass(frozen=True)
class Scene:
    alequin: int
    investigator: dict[str, str]  # bearer headers
    clerk: dict[str, str]
    elsewhere: dict[str, str]  # internal affairs of another agency


def _user(container: Container, operator: Actor, name: str, role: Role,
          scope: Scope = Scope()) -> dict[str, str]:
    user = user_service.create_user(container.uow(), operator, user_service.NewUser(
        name, name.title(), PASSWORD, role, scope))
    holder = Actor(user.id, name, role, scope, ActorKind.USER)
    _, secret = user_service.issue_token(container.uow(), holder, user.id, "tests")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def scene(database_url: str, monkeypatch: pytest.MonkeyPatch, container: Container,
          operator: Actor, agencies: dict[str, int]) -> Scene:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    assert main(["officers", "import", str(DATA / "roster-sample.csv"), "--mapping",
                 "chicago-roster", "--skip-invalid"]) == 0
    import_complaints(container.uow(), operator, ComplaintFiles(
        decode_roster("complaints-sample.csv", (DATA / "complaints-sample.csv").read_bytes(),
                      "utf-8"),
        decode_roster("accused-sample.csv", (DATA / "accused-sample.csv").read_bytes(),
                      "utf-8"),
        load_complaint_mapping("chicago-complaints"), load_complaint_mapping("chicago-accused"),
        "chicago", AGENCY, False))
    with container.engine.connect() as connection:
        alequin = int(connection.execute(text(
            "SELECT id FROM officers WHERE first_surname = 'ALEQUIN' ORDER BY id")).scalar_one())
    return Scene(
        alequin, _user(container, operator, "ai-red", Role.INTERNAL_AFFAIRS),
        _user(container, operator, "capturista", Role.REGISTRY_CLERK),
        _user(container, operator, "ai-gn", Role.INTERNAL_AFFAIRS,
              Scope(ScopeKind.AGENCY, agency_id=agencies["GN"])))


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), follow_redirects=False) as found:
        yield found


def _actions(container: Container, action: str) -> int:
    with container.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(AuditEntryRow).where(
            AuditEntryRow.action == action)).scalar_one())


def test_one_officers_co_accused_over_the_api(scene: Scene, client: TestClient,
                                              container: Container) -> None:
    found = client.get(f"{V1}/officers/{scene.alequin}/co-accused", headers=scene.investigator)
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["officer_id"] == scene.alequin and body["complaints"] >= 10
    top = body["partners"][0]
    # ZEMAN is not in the roster sample: an unmatched accused, still his partner.
    assert top["key"].startswith("u:ZEMAN|EDWARD") and top["officer_id"] is None
    assert top["shared"] == 10 == len(top["complaints"])
    days = [c["day"] for c in top["complaints"]]
    assert days == sorted(days) and all(c["key"].startswith("chicago:")
                                        for c in top["complaints"])
    assert body["graph"]["nodes"][0]["id"] == f"o:{scene.alequin}"
    assert {e["source"] for e in body["graph"]["edges"]} <= {
        n["id"] for n in body["graph"]["nodes"]}
    assert body["window"] == {"since": None, "until": None, "min_shared": 1,
                              "all_sources": False}
    narrower = client.get(f"{V1}/officers/{scene.alequin}/co-accused", headers=scene.investigator,
                          params={"min_shared": 10}).json()
    assert [p["shared"] for p in narrower["partners"]] == [10]
    assert _actions(container, "integrity:network:read") == 2


def test_the_groups_over_the_api_are_ranked_and_paged(scene: Scene, client: TestClient) -> None:
    whole = client.get(f"{V1}/integrity/network", headers=scene.investigator,
                       params={"method": "components", "min_shared": 1})
    assert whole.status_code == 200, whole.text
    body = whole.json()
    assert body["total"] >= 4 and body["offset"] == 0 and body["method"] == "components"
    sizes = [g["size"] for g in body["groups"]]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] >= 2
    assert all(len(g["members"]) == g["size"] for g in body["groups"])
    officers = [m for g in body["groups"] for m in g["members"] if m["key"].startswith("o:")]
    assert officers and all(m["officer_id"] == int(m["key"][2:]) for m in officers)
    second = client.get(f"{V1}/integrity/network", headers=scene.investigator,
                        params={"method": "components", "min_shared": 1, "limit": 1,
                                "offset": 1}).json()
    assert second["total"] == body["total"] and second["groups"] == body["groups"][1:2]
    by_findings = client.get(f"{V1}/integrity/network", headers=scene.investigator,
                             params={"ranking": "sustained", "min_shared": 1}).json()
    sustained = [g["sustained"] for g in by_findings["groups"]]
    assert sustained == sorted(sustained, reverse=True)


def test_bad_filters_are_problem_documents_naming_the_field(scene: Scene,
                                                            client: TestClient) -> None:
    backwards = client.get(f"{V1}/integrity/network", headers=scene.investigator,
                           params={"since": "2020-01-01", "until": "2019-01-01"})
    assert backwards.status_code == 422
    assert backwards.headers["content-type"].startswith("application/problem+json")
    assert {e["location"] for e in backwards.json()["errors"]} == {"since"}
    for params in ({"min_shared": 0}, {"since": "2021-13-01"}, {"method": "guess"},
                   {"limit": 100_000}):
        refused = client.get(f"{V1}/integrity/network", headers=scene.investigator,
                             params=params)
        assert refused.status_code == 422, params
        assert refused.headers["content-type"].startswith("application/problem+json")
    missing = client.get(f"{V1}/officers/999999/co-accused", headers=scene.investigator)
    assert missing.status_code == 404


def test_roles_without_need_to_know_are_refused_and_audited(scene: Scene, client: TestClient,
                                                            container: Container) -> None:
    clerk = client.get(f"{V1}/officers/{scene.alequin}/co-accused", headers=scene.clerk)
    assert clerk.status_code == 403
    assert client.get(f"{V1}/integrity/network", headers=scene.clerk).status_code == 403
    # Internal affairs of another agency: the officer is outside its scope, and its groups
    # hold nothing of Chicago's.
    other = client.get(f"{V1}/officers/{scene.alequin}/co-accused", headers=scene.elsewhere)
    assert other.status_code == 403
    assert client.get(f"{V1}/integrity/network", headers=scene.elsewhere).json()["total"] == 0
    assert _actions(container, "authz:permission:denied") >= 3
    assert _actions(container, "integrity:network:read") == 1


def test_the_officer_page_lists_and_draws_the_co_accused(scene: Scene,
                                                         client: TestClient) -> None:
    sign_in(client, "ai-red")
    page = client.get(f"/officers/{scene.alequin}/network")
    assert page.status_code == 200, page.text
    shown = html.unescape(page.text)
    assert T["nw_officer_title"] in shown and "ZEMAN" in shown
    drawing = page.text[page.text.index("<svg"):page.text.index("</svg>")]
    assert drawing.count("<circle") >= 2 and "<line" in drawing and "<script" not in drawing
    assert "chicago:" in shown and T["nw_unmatched"] in shown
    # The filter keeps what was typed and names a bad date beside its field.
    bad = client.get(f"/officers/{scene.alequin}/network", params={"desde": "2021-13-01"})
    assert bad.status_code == 422
    assert T["nw_bad_date"] in html.unescape(bad.text) and 'value="2021-13-01"' in bad.text
    later = client.get(f"/officers/{scene.alequin}/network",
                       params={"desde": "2030-01-01", "minimo": "1"})
    assert later.status_code == 200 and T["nw_none"] in html.unescape(later.text)
    english = client.get(f"/officers/{scene.alequin}/network", params={"lang": "en"})
    assert "Co-accusal network" in english.text and "Complaints together" in english.text


def test_the_groups_page_filters_ranks_and_pages(scene: Scene, client: TestClient) -> None:
    sign_in(client, "ai-red")
    page = client.get("/integrity/network", params={"minimo": "1", "metodo": "components"})
    assert page.status_code == 200, page.text
    shown = html.unescape(page.text)
    assert T["nw_groups_title"] in shown and f'href="/officers/{scene.alequin}/network"' in shown
    assert 'value="components" selected' in page.text
    backwards = client.get("/integrity/network", params={"desde": "2020-01-01",
                                                         "hasta": "2019-01-01"})
    assert backwards.status_code == 422 and T["nw_bad_range"] in html.unescape(backwards.text)
    zero = client.get("/integrity/network", params={"minimo": "0"})
    assert zero.status_code == 422 and T["nw_bad_min"] in html.unescape(zero.text)


def test_the_pages_refuse_a_role_without_need_to_know(scene: Scene, client: TestClient,
                                                      container: Container) -> None:
    sign_in(client, "capturista")
    assert client.get(f"/officers/{scene.alequin}/network").status_code == 403
    assert client.get("/integrity/network").status_code == 403
    assert _actions(container, "integrity:network:read") == 0
