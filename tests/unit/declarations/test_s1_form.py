"""S1 documents: what the writer makes is valid against the PDN's published descriptions (the
tests' own copy), reads back as it was written, and a broken one is refused with its path."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import pytest

from confianza.declarations.rules import s1
from confianza.declarations.rules.records import DeclarationKind, IncomePeriod, Item, Section
from declarations_support import ACCOUNT, CAR, HOUSE, MORTGAGE, declaration, doc, errors


@pytest.mark.parametrize("kind", list(DeclarationKind))
def test_every_kind_written_is_valid_s1_and_reads_back(kind: DeclarationKind) -> None:
    d = declaration(kind=kind, items=(HOUSE, CAR, ACCOUNT, MORTGAGE))
    written = doc(d)
    assert errors(kind, written) == []
    assert s1.schema_faults(written) == []
    back = s1.read(written)
    assert back.kind is kind and back.curp == d.curp and back.filed_at == d.filed_at
    assert back.income == d.income
    assert sorted(back.items, key=repr) == sorted(d.items, key=repr)


def test_an_initial_declaration_files_monthly_income_under_its_own_names() -> None:
    written = doc(declaration(kind=DeclarationKind.INITIAL, public=15_000, total=15_000))
    income = written["declaracion"]["situacionPatrimonial"]["ingresos"]
    assert income["remuneracionMensualCargoPublico"] == {"valor": 15000, "moneda": "MXN"}
    assert s1.read(written).income.period is IncomePeriod.MONTH


def test_a_fault_is_named_by_its_json_path() -> None:
    written = doc(declaration(items=(CAR,)))
    broken = copy.deepcopy(written)
    broken["declaracion"]["situacionPatrimonial"]["vehiculos"]["vehiculo"][0][
        "valorAdquisicion"]["valor"] = "mucho"
    del broken["declaracion"]["situacionPatrimonial"]["ingresos"]["totalIngresosAnualesNetos"]
    faults = dict(s1.schema_faults(broken))
    assert "declaracion.situacionPatrimonial.vehiculos.vehiculo[0].valorAdquisicion.valor" \
        in faults
    assert any("totalIngresosAnualesNetos" in reason for reason in faults.values())


def test_an_unknown_kind_is_named() -> None:
    written = doc(declaration())
    written["metadata"]["tipo"] = "ANUAL"
    assert [p for p, _ in s1.schema_faults(written)] == ["metadata.tipo"]


def test_every_amount_is_found_with_its_currency() -> None:
    usd = Item(Section.VEHICLE, kind="AUMOT", value=s1.Amount(HOUSE.value.value, "USD"),  # type: ignore[union-attr]
               acquired_on=date(2024, 1, 1), acquisition="CPV", payment="CONTADO")
    found = dict(s1.amounts(doc(declaration(items=(usd,)))))
    assert found["declaracion.situacionPatrimonial.vehiculos.vehiculo[0].valorAdquisicion"
                 ".moneda"] == "USD"


def test_the_answer_is_a_valid_s1_page() -> None:
    page = s1.answer([doc(declaration()), doc(declaration("D-2", filed=datetime(
        2025, 5, 2, tzinfo=UTC)))], page=1, page_size=2, total=3)
    assert errors(DeclarationKind.MODIFICATION, page, "#/components/schemas/resDeclaraciones") \
        == []
    assert page["pagination"]["hasNextPage"] is True
