"""Finding people as users do (issue 16 item 7), on both databases: a name typed in any order,
accents and case ignored, a word's start, stable pages, any identity key, former staff."""

from __future__ import annotations

from datetime import date

import pytest
from statement_support import counted

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import ValidationFailed
from confianza.registry.repository import officers as officer_repository
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.officers import ExternalId, OfficerStatus, Sex
from confianza.registry.service import assignments as assignment_service
from confianza.registry.service import officers as officer_service
from conftest import actor

Q = officer_service.OfficerQuery


def register(container: Container, operator: Actor, agency_id: int, given: str, first: str,
             second: str | None = None, **extra: object) -> int:
    new = officer_service.NewOfficer(
        given_names=given, first_surname=first, second_surname=second, birth_year=1985,
        sex=Sex.FEMALE,
        assignment=officer_service.FirstAssignment(agency_id, "Policía", date(2015, 2, 1)),
        **extra)  # type: ignore[arg-type]
    return officer_service.register_officer(container.uow(), operator, new).officer.id


def found(container: Container, who: Actor, query: officer_service.OfficerQuery,
          limit: int = 50) -> list[int]:
    return [o.id for o in officer_service.search_officers(container.uow(), who, query,
                                                          limit=limit).items]


def test_a_name_is_found_in_any_order_with_accents_and_case_ignored(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    audra = register(container, operator, agencies["GN"], "Audra", "Fuller")
    juan = register(container, operator, agencies["GN"], "Juan", "García", "López")
    other = register(container, operator, agencies["GN"], "Juana", "López", "García")
    for typed in ("Audra Fuller", "Fuller Audra", "fuller AUDRA", "  audra   fuller "):
        assert found(container, operator, Q(name=typed)) == [audra], typed
    for typed in ("Juan Garcia Lopez", "JUAN GARCÍA", "juan lópez garcía"):
        assert found(container, operator, Q(name=typed)) == [juan], typed
    # The last word may be cut short: "Juan" typed last also begins "Juana".
    for typed in ("García López Juan", "lopez JUAN", "López García Juan"):
        assert found(container, operator, Q(name=typed)) == [juan, other], typed
    # Both have both surnames; the order of the page is the sort key's (surnames first).
    assert found(container, operator, Q(name="lópez garcía")) == [juan, other]
    assert found(container, operator, Q(name="Fuller Juan")) == []


def test_every_word_but_the_last_is_whole_and_the_last_may_be_a_start(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    ana = register(container, operator, agencies["GN"], "Ana", "Cruz")
    anabel = register(container, operator, agencies["GN"], "Anabel", "Cruzado")
    ana_maria = register(container, operator, agencies["GN"], "Ana María", "Ruiz", "Anaya")
    # One word: the start of any word of the name; an officer with two such words, once.
    assert found(container, operator, Q(name="ana")) == [ana, anabel, ana_maria]
    # "Ana" typed whole before another word is the name Ana, not Anabel nor Anaya.
    assert found(container, operator, Q(name="Ana Cruz")) == [ana]
    assert found(container, operator, Q(name="Ana Cru")) == [ana]
    assert found(container, operator, Q(name="Cruz Ana")) == [ana]
    assert found(container, operator, Q(name="Cruz An")) == [ana]
    assert found(container, operator, Q(name="Maria An")) == [ana_maria]


def test_a_renamed_officer_is_found_by_the_new_name_only(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    oid = register(container, operator, agencies["GN"], "Berta", "Salas", "Nuño")
    officer_service.update_officer(container.uow(), operator, oid,
                                   officer_service.OfficerChanges(given_names="Roberta"))
    assert found(container, operator, Q(name="Berta Salas")) == []
    assert found(container, operator, Q(name="Roberta Nuno Salas")) == [oid]


def test_name_pages_are_stable_while_people_are_registered(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    given = ("Carla", "Diana", "Elena", "Fabiola", "Gloria")
    ids = {g: register(container, operator, agencies["GN"], g, "Mora") for g in given}
    uow = container.uow()
    first = officer_service.search_officers(uow, operator, Q(name="mora"), limit=2)
    assert [o.id for o in first.items] == [ids["Carla"], ids["Diana"]]
    # Someone sorted before the cursor arrives between two pages: nothing repeats or is lost.
    register(container, operator, agencies["GN"], "Ada", "Mora")
    seen = [o.id for o in first.items]
    cursor = first.next_cursor
    while cursor:
        page = officer_service.search_officers(uow, operator, Q(name="mora"), cursor=cursor,
                                               limit=2)
        seen += [o.id for o in page.items]
        cursor = page.next_cursor
    assert seen == [ids[g] for g in given]
    # The same with two words, the walk led by a whole word.
    page = officer_service.search_officers(uow, operator, Q(name="mora elena"), limit=1)
    assert [o.id for o in page.items] == [ids["Elena"]] and page.next_cursor is None


def test_a_name_search_is_one_statement_in_any_order(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    for name in ("Ana", "Berta", "Carla"):
        register(container, operator, agencies["JAL-SSP"], name, "Peña", "Ruiz")
    page, statements = counted(container.engine, lambda: officer_service.search_officers(
        container.uow(), operator, Q(name="Ruiz Peña"), limit=2))
    assert len(page.items) == 2 and page.next_cursor and len(statements) == 1, statements


def test_a_name_without_letters_is_refused_by_name(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        found(container, operator, Q(name="-- ."))
    assert refused.value.errors[0].location == "name"


def test_any_identity_key_finds_its_officer(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    keyed = register(container, operator, agencies["GN"], "Diana", "Vega",
                     external_ids=(ExternalId("nomina-jal", "N-5521"),))
    badged = register(container, operator, agencies["JAL-SSP"], "Elisa", "Vega", badge="7731")
    assert found(container, operator, Q(key="N-5521")) == [keyed]
    assert found(container, operator, Q(key="7731")) == [badged]
    assert found(container, operator, Q(key="9999")) == []
    # With a name too, every criterion must hold.
    assert found(container, operator, Q(key="7731", name="Vega Diana")) == []


def test_an_agency_can_mean_ever_served_there(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    jal = agencies["JAL-SSP"]
    moved = register(container, operator, jal, "Fabiola", "Ríos")
    stayed = register(container, operator, jal, "Gloria", "Ríos")
    separated = register(container, operator, jal, "Helena", "Ríos")
    assignment_service.add_assignment(container.uow(), operator, moved,
                                      assignment_service.NewAssignment(
                                          agencies["NL-FC"], "Policía", date(2020, 1, 1),
                                          ChangeReason.TRANSFER))
    officer_service.change_status(container.uow(), operator, separated,
                                  OfficerStatus.SEPARATED, "Renuncia voluntaria",
                                  date(2021, 6, 1))
    assert found(container, operator, Q(name="rios", agency_id=jal)) == [stayed]
    assert found(container, operator, Q(name="rios", agency_id=jal, ever_served=True)) == [
        moved, stayed, separated]
    # A clerk of Jalisco sees whom Jalisco holds: the separated one, not the one now in Nuevo
    # León.
    clerk = actor(Role.REGISTRY_CLERK, Scope(ScopeKind.STATE, "14"))
    assert found(container, clerk, Q(name="rios", agency_id=jal, ever_served=True)) == [
        stayed, separated]
    assert found(container, clerk, Q(name="rios", agency_id=jal)) == [stayed]


def test_a_dense_start_walks_the_officers_and_finds_the_same_pages(
    container: Container, operator: Actor, agencies: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A start shared by many words is read by walking the officers in page order (ADR 0028):
    the same officers, once each, in the same order and pages as the sorted words' rows."""
    names = [("Juana", "Juárez"), ("Julio", "Ortiz"), ("Ana", "Jurado"), ("Beto", "Lara"),
             ("Jaime", "Jara"), ("Juan José", "Ruiz")]
    for given, first in names:
        register(container, operator, agencies["GN"], given, first)
    sorted_rows = found(container, operator, Q(name="ju"))
    paged: list[list[int]] = []
    monkeypatch.setattr(officer_repository, "DENSE_START", 2)
    walked = found(container, operator, Q(name="ju"))
    assert walked == sorted_rows and len(walked) == 4  # Juárez Juana once; not Lara, not Jara
    uow, cursor = container.uow(), None
    while True:
        page = officer_service.search_officers(uow, operator, Q(name="ju"), cursor=cursor,
                                               limit=3)
        paged.append([o.id for o in page.items])
        if not (cursor := page.next_cursor):
            break
    assert [i for p in paged for i in p] == walked and len(paged) == 2
    assert found(container, operator, Q(name="ju", status=OfficerStatus.SUSPENDED)) == []
