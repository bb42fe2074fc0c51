"""The auditors' queue over HTTP, on both databases: the list with the outcomes' report, one
alert with its reads, a mark; a non-auditor is refused (403, audited) and a bad mark named."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from api_support import assert_problem, client, token_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import TODAY, World, build_world, person  # noqa: E402
from log_verify_support import ORIGIN  # noqa: E402

from confianza.access.service.detection import detect  # noqa: E402
from confianza.accounts.rules.permissions import Role  # noqa: E402
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.kit.signed_note import Signer  # noqa: E402
from confianza.registry.service import officers as officer_service  # noqa: E402
from confianza.transparency.service import log as transparency  # noqa: E402
from confianza.transparency.service.verify import verify_log  # noqa: E402
from conftest import PUBLIC, FakeClock  # noqa: E402

V1 = "/api/v1/access/alerts"
SIGNER = Signer.generate(ORIGIN)


@pytest.fixture
def world(container: Container, agencies: dict[str, int], clock: FakeClock) -> World:
    """The second examiner's burst of eleven unrelated records, scored into one alert; the
    auditor who ran the detection is `auditora`."""
    world = build_world(container, agencies)
    for surname in ("Ibarra", "Luna", "Soto", "Campos", "Mejía", "Rivas", "Paredes",
                    "Galindo", "Quiroz", "Salas", "Toledo"):
        officer = world.new_officer("Berta", surname, "Luna")
        clock.advance(minutes=2)
        officer_service.read_record(container.uow(), world.second_examiner, officer)
    auditor = person(container, Role.AUDITOR, "auditora")
    transparency.integrate(container.uow(), PUBLIC)
    detect(container.uow(), auditor, TODAY, TODAY,
           threshold=10, verify=lambda: verify_log(container.uow(), [SIGNER.verifier], PUBLIC,
                                                   origin=ORIGIN))
    return world


def test_the_queue_an_alert_and_a_mark_over_http(container: Container, world: World) -> None:
    http = client(container)
    auditor = token_for(container, _auditor_id(container))
    listed = http.get(V1, headers=auditor)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    [alert] = body["items"]
    assert alert["reader"] == "examinador-dos" and alert["reads"] == 11
    assert body["outcomes"] == {"counts": {"open": 1}, "decided": 0, "confirmed_share": None}
    one = http.get(f"{V1}/{alert['id']}", headers=auditor).json()
    assert len(one["read_list"]) == 11 and any(s["name"] == "burst" for s in one["signals"])
    marked = http.post(f"{V1}/{alert['id']}/outcome", headers=auditor,
                       json={"outcome": "justified", "note": "Auditoría interna encargada."})
    assert marked.status_code == 200, marked.text
    assert marked.json()["outcome"] == "justified"
    after = http.get(V1, headers=auditor).json()["outcomes"]
    assert after == {"counts": {"justified": 1}, "decided": 1, "confirmed_share": 0.0}


def test_non_auditors_are_refused_and_bad_marks_named(container: Container,
                                                      world: World) -> None:
    http = client(container)
    hr = token_for(container, world.hr.user_id or 0)
    assert_problem(http.get(V1, headers=hr), 403)
    auditor = token_for(container, _auditor_id(container))
    alert_id = http.get(V1, headers=auditor).json()["items"][0]["id"]
    refused = http.post(f"{V1}/{alert_id}/outcome", headers=auditor,
                        json={"outcome": "ok", "note": ""})
    assert refused.status_code == 422, refused.text
    assert "'ok' is not a mark" in refused.text and "needs a note" in refused.text
    assert_problem(http.get(f"{V1}/999", headers=auditor), 404)


def _auditor_id(container: Container) -> int:
    with container.uow().transaction(read_only=True) as tx:
        found = tx.users.by_username("auditora")
    assert found is not None
    return found[0].id
