"""The intake form over HTTP on both databases, as a clerk taking a complaint by phone uses it:
a search of the registry offers officers to choose from (never attaches one by guess), an
accused nobody can name for certain is kept as given, a refusal shows each fault beside its
field with everything typed still there and writes nothing but its audit entry, and a complete
form opens the case through the intake service (Spanish and English)."""

from __future__ import annotations

import re
from typing import Any

from ui_support import PASSWORD, csrf_of, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.integrity.service import cases

SECRET = "Juan Testigo Secreto"


def user(container: Container, operator: Actor, name: str, role: Role) -> int:
    return user_service.create_user(container.uow(), operator, user_service.NewUser(
        name, name.title(), PASSWORD, role, Scope(ScopeKind.STATE, "14"))).id


def complaint(agency: int, csrf: str, **more: str) -> dict[str, str]:
    return {
        "csrf_token": csrf, "agency": str(agency), "allegations": "2",
        "summary": "Cobro de cuotas en el retén de la carretera 15.",
        "channel": "witness_statement", "reliability": "C", "credibility": "3",
        "account": "Dice haber visto el cobro desde la caseta.", "received_on": "2026-11-02",
        "protected": "1", "benefit": "1", "protected_identity": SECRET,
        "a0_kind": "bribery", "a0_name": "Peña", "a0_badge": "4411", "a0_officer": "",
        "a0_summary": "Cobró 500 pesos por dejar pasar un camión.", "a0_when": "2026-10-30",
        "a0_where": "Carretera 15, km 20",
        "a1_kind": "abuse_of_authority", "a1_name": "El Güero", "a1_badge": "4471",
        "a1_summary": "Amenazó al chofer con detenerlo.", "action": "submit", **more}


def test_intake_search_refusal_and_case(container: Container, operator: Actor,
                                        agencies: dict[str, int], clock: Any) -> None:
    world = seed(container, operator, agencies)
    user(container, operator, "ai-recibe", Role.INTERNAL_AFFAIRS)
    for client in open_client(container):
        sign_in(client, "ai-recibe")
        assert 'href="/integrity/cases/new"' in client.get("/integrity").text
        blank = client.get("/integrity/cases/new")
        assert blank.status_code == 200 and "Confiabilidad de la fuente" in blank.text
        assert "B — Usualmente confiable" in blank.text
        csrf = csrf_of(blank.text)
        # The search offers María (name and badge), chosen by nobody yet; all typed stays.
        found = client.post("/integrity/cases/new", data=complaint(
            agencies["JAL-SSP"], csrf, action="search-0"))
        assert found.status_code == 200
        assert f'name="a0_officer" value="{world.maria}"' in found.text
        assert f'name="a0_officer" value="{world.maria}" checked' not in found.text
        assert 'name="a0_officer" value="" checked' in found.text
        assert "Amenazó al chofer con detenerlo." in found.text and SECRET in found.text
        # A refusal: an anonymous source that names someone, a missing allegation text, a
        # date in the future. Each fault beside its field; nothing typed lost; no case.
        refused = client.post("/integrity/cases/new", data=complaint(
            agencies["JAL-SSP"], csrf, channel="anonymous_line", protected="", benefit="",
            protected_identity="", reporter_name="Pedro Pérez", a1_summary="",
            a0_when="2027-12-31", a0_officer=str(world.maria)))
        assert refused.status_code == 422
        text = refused.text
        assert "Una fuente anónima o de medios no lleva nombre." in text
        assert "Falta este dato." in text and "La fecha es posterior a hoy." in text
        assert 'id="f-a1-summary" name="a1_summary" rows="3" maxlength="4000" ' \
               'aria-invalid="true"' in text
        assert "Pedro Pérez" in text and "Cobró 500 pesos por dejar pasar un camión." in text
        assert f'name="a0_officer" value="{world.maria}" checked' in text
        assert cases.officer_cases(container.uow(), operator, world.maria) == []
        english = client.post("/integrity/cases/new?lang=en", data=complaint(
            agencies["JAL-SSP"], csrf, a1_summary="", a0_officer=str(world.maria)))
        assert english.status_code == 422 and "This is missing." in english.text
        # Complete: María chosen from the search, El Güero kept as given.
        opened = client.post("/integrity/cases/new", data=complaint(
            agencies["JAL-SSP"], csrf, a0_officer=str(world.maria)))
        assert opened.status_code == 303
        location = opened.headers["location"]
        assert re.fullmatch(r"/integrity\?recibido=\d+", location)
        case_id = int(location.rsplit("=", 1)[1])
        assert f"Se abrió el expediente {case_id}" in client.get(location + "&lang=es").text
    [stage] = cases.officer_cases(container.uow(), operator, world.maria)
    assert stage.id == case_id
    found_case = cases.read_case(container.uow(), operator, case_id)
    accused = [(v.allegation.officer_id, v.allegation.accused_name, v.allegation.accused_badge)
               for v in found_case.allegations]
    assert accused == [(world.maria, "Peña", "4411"), (None, "El Güero", "4471")]
    [source] = found_case.sources
    assert source.protected and source.benefit and source.reporter_name is None
    assert found_case.case.opened_by == "ai-recibe"


def test_intake_grows_and_shrinks_without_losing_text(
        container: Container, operator: Actor, agencies: dict[str, int]) -> None:
    user(container, operator, "ai-recibe", Role.INTERNAL_AFFAIRS)
    for client in open_client(container):
        sign_in(client, "ai-recibe")
        csrf = csrf_of(client.get("/integrity/cases/new").text)
        more = client.post("/integrity/cases/new",
                           data=complaint(agencies["JAL-SSP"], csrf, action="add"))
        assert 'name="a2_kind"' in more.text and "Amenazó al chofer" in more.text
        fewer = client.post("/integrity/cases/new",
                            data=complaint(agencies["JAL-SSP"], csrf, action="remove-0"))
        assert 'name="a1_kind"' not in fewer.text
        assert "Amenazó al chofer" in fewer.text and "Cobró 500 pesos" not in fewer.text


def test_intake_is_for_internal_affairs(container: Container, operator: Actor,
                                        agencies: dict[str, int]) -> None:
    seed(container, operator, agencies)
    user(container, operator, "chj-comision", Role.HONOUR_COMMISSION)
    for client in open_client(container):
        sign_in(client, "chj-comision")
        assert client.get("/integrity/cases/new").status_code == 403
        csrf = csrf_of(client.get("/integrity").text)
        refused = client.post("/integrity/cases/new", data=complaint(agencies["JAL-SSP"], csrf))
        assert refused.status_code == 403
