"""S1 declarations imported, exported and checked, on SQLite and PostgreSQL (ADR 0038): a good
file is kept whole with one audit entry; a file with any bad document keeps nothing and names
every fault (schema path, currency, person, before taking office, a second of the same year);
the export is a valid S1 answer of what was filed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.db.models import AuditEntryRow, DeclarationItemRow, DeclarationRow
from confianza.core.errors import Forbidden, ValidationFailed
from confianza.declarations.cli import app as declarations_app
from confianza.declarations.rules.checks import CheckSettings, Rule
from confianza.declarations.rules.money import parse_rates
from confianza.declarations.rules.records import DeclarationKind, Item, Section
from confianza.declarations.service.checks import run_checks
from confianza.declarations.service.imports import import_documents
from confianza.declarations.service.reads import export_officer
from confianza.registry.service import officers as officer_service
from conftest import actor
from declarations_support import CAR, HOUSE, MORTGAGE, declaration, doc, errors

RATES = parse_rates("USD=18.5")
CURP = "PERM880314MJCXXX02"


@pytest.fixture
def officer(container: Container, operator: Actor, agencies: dict[str, int]) -> int:
    return officer_service.register_officer(container.uow(), operator, officer_service.NewOfficer(
        given_names="María", first_surname="Peña", second_surname="Ruiz", curp=CURP,
        assignment=officer_service.FirstAssignment(agencies["JAL-GDL-PM"], "Policía Segundo",
                                                   date(2015, 2, 1)),
    )).officer.id


def _import(container: Container, operator: Actor, docs: list[dict[str, Any]]) -> Any:
    return import_documents(container.uow(), operator,
                            [(f"f.jsonl:{n}", d) for n, d in enumerate(docs, start=1)],
                            rates=RATES, source="f.jsonl", sha256="0" * 64)


def _count(container: Container, table: Any) -> int:
    with container.session_factory() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def _actions(container: Container) -> list[str]:
    with container.session_factory() as s:
        return list(s.scalars(select(AuditEntryRow.action).order_by(AuditEntryRow.id)))


def test_a_good_file_is_kept_and_exported_as_s1(container: Container, operator: Actor,
                                                officer: int) -> None:
    first = declaration("A-2025", filed=datetime(2025, 5, 20, 17, tzinfo=UTC),
                        items=(HOUSE, CAR, MORTGAGE))
    second = declaration("A-2026", items=(HOUSE, CAR, replace(MORTGAGE, value=MORTGAGE.value)))
    done = _import(container, operator, [doc(first), doc(second)])
    assert (done.declarations, done.officers, done.by_kind) == (2, 1, {"modification": 2})
    assert _count(container, DeclarationRow) == 2
    assert _count(container, DeclarationItemRow) == 6
    assert _actions(container)[-1] == "declaration:record:import"

    answer = export_officer(container.uow(), operator, officer, everything=True)
    assert errors(DeclarationKind.MODIFICATION, answer,
                  "#/components/schemas/resDeclaraciones") == []
    assert [r["id"] for r in answer["results"]] == ["A-2025", "A-2026"]
    assert answer["results"][0] == doc(first)
    assert _actions(container)[-1] == "declaration:record:read"


def test_a_file_with_bad_documents_keeps_nothing_and_names_every_fault(
        container: Container, operator: Actor, officer: int) -> None:
    _import(container, operator, [doc(declaration("HELD"))])
    good = doc(declaration("NEW", filed=datetime(2025, 5, 20, 17, tzinfo=UTC)))
    schema = doc(declaration("SCHEMA", filed=datetime(2024, 5, 20, tzinfo=UTC)))
    schema["declaracion"]["situacionPatrimonial"]["ingresos"][
        "remuneracionAnualCargoPublico"]["valor"] = "doscientos mil"
    peso = Item(Section.VEHICLE, kind="AUMOT", value=replace(CAR.value, currency="XYZ"),  # type: ignore[arg-type]
                acquired_on=date(2024, 1, 1), acquisition="CPV", payment="CONTADO")
    currency = doc(declaration("CURRENCY", filed=datetime(2023, 5, 20, tzinfo=UTC),
                               items=(peso,)))
    stranger = doc(declaration("STRANGER", curp="XEXX010101HNEXXXA4"))
    early = doc(declaration("EARLY", filed=datetime(2014, 5, 20, tzinfo=UTC)))
    twice = doc(declaration("TWICE"))  # the same year as HELD
    with pytest.raises(ValidationFailed) as refused:
        _import(container, operator, [good, schema, currency, stranger, early, twice])
    faults = {(e.location, e.reason) for e in refused.value.errors}
    places = {loc for loc, _ in faults}
    assert ("f.jsonl:2: declaracion.situacionPatrimonial.ingresos."
            "remuneracionAnualCargoPublico.valor") in places
    assert any(loc.startswith("f.jsonl:3: ") and loc.endswith("valorAdquisicion.moneda")
               and "XYZ is unknown" in why for loc, why in faults)
    assert any(loc.startswith("f.jsonl:4: ") and "no officer has CURP" in why
               for loc, why in faults)
    assert any(loc == "f.jsonl:5: metadata.actualizacion" and "before the person took office"
               in why for loc, why in faults)
    assert any(loc == "f.jsonl:6: metadata.tipo" and "already has a modification" in why
               for loc, why in faults)
    assert not any(loc.startswith("f.jsonl:1:") for loc in places)
    assert "5 of 6 declarations refused, nothing was imported" in refused.value.detail
    assert _count(container, DeclarationRow) == 1  # only the one held before
    assert _actions(container)[-1] == "workflow:request:refused"


def test_the_same_document_twice_in_a_file_is_refused(container: Container,
                                                      operator: Actor, officer: int) -> None:
    one = doc(declaration("SAME"))
    with pytest.raises(ValidationFailed, match="earlier in this file"):
        _import(container, operator, [one, one])
    assert _count(container, DeclarationRow) == 0


def test_export_is_held_to_the_officers_holder(container: Container, operator: Actor,
                                               officer: int) -> None:
    _import(container, operator, [doc(declaration("A"))])
    nuevo_leon = actor(Role.CERTIFICATION_OFFICER, Scope(ScopeKind.STATE, "19"))
    with pytest.raises(Forbidden):
        export_officer(container.uow(), nuevo_leon, officer)
    jalisco = actor(Role.CERTIFICATION_OFFICER, Scope(ScopeKind.STATE, "14"))
    assert len(export_officer(container.uow(), jalisco, officer)["results"]) == 1
    with pytest.raises(Forbidden):
        export_officer(container.uow(), actor(Role.EXAMINER), officer)


def test_checks_find_a_house_bought_in_cash(container: Container, operator: Actor,
                                            officer: int) -> None:
    cash = Item(Section.REAL_ESTATE, kind="CASA", operation="AGREGAR", holders="DEC",
                acquired_on=date(2025, 12, 1), value=replace(HOUSE.value, value=2_500_000),  # type: ignore[arg-type]
                acquisition="CPV", payment="CONTADO", identifier="ESCRITURA 999")
    _import(container, operator, [
        doc(declaration("B-2025", filed=datetime(2025, 5, 20, 17, tzinfo=UTC),
                        items=(HOUSE, CAR, MORTGAGE))),
        doc(declaration("B-2026", items=(HOUSE, CAR, MORTGAGE, cash)))])
    run = run_checks(container.uow(), operator, CheckSettings(since=date(2025, 1, 1)))
    found = run.by_rule()
    assert {f.officer_id for f in found[Rule.UNEXPLAINED_GROWTH]} == {officer}
    assert {f.officer_id for f in found[Rule.CASH_PURCHASES]} == {officer}
    assert found[Rule.VANISHED_ASSETS] == []
    assert _actions(container)[-1] == "declaration:check:run"


def test_the_commands(container: Container, officer: int, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", str(container.engine.url.render_as_string(
        hide_password=False)))
    file = tmp_path / "declaraciones.json"
    file.write_text(json.dumps({"pagination": {"pageSize": 1, "page": 1, "totalRows": 1,
                                               "hasNextPage": False},
                                "results": [doc(declaration("C-1"))]}), "utf-8")
    runner = CliRunner()
    done = runner.invoke(declarations_app, ["import", str(file)])
    assert done.exit_code == 0, done.output
    assert "1 declarations of 1 officers imported" in done.output
    exported = runner.invoke(declarations_app, ["export", "--officer", str(officer)])
    assert exported.exit_code == 0, exported.output
    checked = runner.invoke(declarations_app, ["check", "--english"])
    assert checked.exit_code == 0, checked.output
    assert "missing_or_late: 1 officers flagged" in checked.output
