"""The S3 export validated against the PDN's published schema (tests/data/pdn, SOURCE.md)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker

from confianza.core.errors import ValidationFailed
from confianza.integrity.rules.sanctions_s3 import (
    CASE_KINDS,
    FAULT_CODES,
    SANCTION_CODES,
    FinalSanction,
    ResolutionDocument,
    SanctionKind,
    final_on,
    s3_page,
    s3_record,
)

SPEC = json.loads((Path(__file__).parents[2] / "data" / "pdn" /
                   "OAS_API_Servidores_Sancionados.json").read_text("utf-8"))
SCHEMAS = SPEC["components"]["schemas"]


def _validator(pointer: str) -> Draft4Validator:
    # OpenAPI 3.0 schemas are JSON Schema draft 4 with extensions; the whole document is the
    # root so that its "#/components/..." references resolve.
    return Draft4Validator({"$ref": pointer, "components": SPEC["components"]},
                           format_checker=FormatChecker())


RECORD = _validator("#/components/schemas/ssancionados/properties/results/items")
PAGE = _validator("#/components/schemas/ssancionados")

SANCTION = FinalSanction(
    id="IA-2026-0012", given_names="Rosa María", first_surname="Pérez",
    second_surname="Muñoz", position="Policía Segundo", institution="Secretaría de Seguridad "
    "del Estado de Jalisco", institution_acronym="SSE", kinds=(SanctionKind.REMOVAL,
                                                               SanctionKind.DISQUALIFICATION),
    allegation="bribery", grounds="Recibió dinero a cambio de no levantar una infracción",
    resolved=date(2026, 9, 30), recorded=datetime(2026, 11, 20, 9, 0,
                                                  tzinfo=timezone(timedelta(hours=-6))),
    curp="PEMR800102MJCRXS09", sex="M", file_number="AI/123/2026",
    authority="Consejo de Honor y Justicia", disqualified_from=date(2026, 10, 1),
    disqualified_until=date(2028, 10, 1), resolution_url="https://example.mx/r/123.pdf",
    documents=(ResolutionDocument("doc-1", "Resolución", "Resolución del consejo",
                                  "https://example.mx/r/123.pdf", date(2026, 9, 30)),),
)


def _errors(validator: Draft4Validator, instance: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def test_a_full_record_is_valid_s3() -> None:
    record = s3_record(SANCTION)
    assert _errors(RECORD, record) == []
    assert record["fechaCaptura"] == "2026-11-20T15:00:00Z"
    assert record["tipoSancion"] == [
        {"clave": "D", "valor": "DESTITUCIÓN DEL EMPLO, CARGO O COMISIÓN"},
        {"clave": "I", "valor": "INHABILITADO"}]
    assert record["tipoFalta"] == {"clave": "CEX", "valor": "COHECHO O EXTORSION"}
    assert record["inhabilitacion"] == {"fechaInicial": "2026-10-01",
                                        "fechaFinal": "2028-10-01", "plazo": "2 años"}
    assert record["servidorPublicoSancionado"]["genero"] == {  # type: ignore[index]
        "clave": "F", "valor": "FEMENINO"}


def test_a_minimal_record_and_a_fine_are_valid() -> None:
    minimal = FinalSanction(
        id="1", given_names="Luis", first_surname="Gómez", position="Policía",
        institution="Policía de Guadalajara", kinds=(SanctionKind.REPRIMAND,),
        allegation="other", grounds="Faltas injustificadas", resolved=date(2026, 1, 5),
        recorded=datetime(2026, 1, 6, tzinfo=UTC))
    assert _errors(RECORD, s3_record(minimal)) == []
    fined = replace(minimal, kinds=(SanctionKind.FINE,), fine=Decimal("12500.50"))
    record = s3_record(fined)
    assert _errors(RECORD, record) == []
    assert record["multa"] == {"monto": 12500.5, "moneda": {"clave": "MXN", "valor": "MXN"}}
    page = s3_page([minimal, fined], page=1, page_size=2, total=3)
    assert _errors(PAGE, page) == []
    assert page["pagination"] == {"pageSize": 2, "page": 1, "totalRows": 3,
                                  "hasNextPage": True}


def test_every_kind_and_fault_uses_a_code_of_the_spec() -> None:
    sanction_codes = SCHEMAS["tipoSancion"]["items"]["properties"]["clave"]["enum"]
    fault_codes = SCHEMAS["tipoFalta"]["properties"]["clave"]["enum"]
    assert set(SANCTION_CODES) == set(SanctionKind)
    assert {code for code, _ in SANCTION_CODES.values()} <= set(sanction_codes)
    assert {code for code, _ in FAULT_CODES.values()} <= set(fault_codes)
    described = SCHEMAS["tipoSancion"]["items"]["properties"]["clave"]["description"]
    for code, value in SANCTION_CODES.values():
        if code != "O":  # OTRO carries the sanction's own name, as the spec's example does
            assert f"`{code}` - {value}" in described


def test_what_s3_cannot_publish_is_refused_naming_each_field() -> None:
    bad = replace(SANCTION, final=False, given_names=" ", allegation="gossip",
                  kinds=(SanctionKind.FINE,), fine=None, sex="Q",
                  recorded=datetime(2026, 1, 1))  # noqa: DTZ001 - naive on purpose
    with pytest.raises(ValidationFailed) as caught:
        s3_record(bad)
    assert {e.location for e in caught.value.errors} == {
        "final", "given_names", "allegation", "fine", "recorded", "sex"}
    with pytest.raises(ValidationFailed):
        s3_page([], page=1)
    with pytest.raises(ValidationFailed):
        s3_page([SANCTION], page_size=201)


def test_a_sanction_is_final_when_no_appeal_can_change_it() -> None:
    decided = date(2026, 11, 20)

    def firm(today: date, filed: bool = False, upheld: date | None = None) -> date | None:
        return final_on(decided, today, appeal_filed=filed, upheld_on=upheld, appeal_days=10)

    assert firm(date(2026, 11, 30)) is None  # the last day an appeal may be filed
    assert firm(date(2026, 12, 1)) == date(2026, 12, 1)
    assert firm(date(2027, 3, 1)) == date(2026, 12, 1)  # the day it became firm, not today
    assert firm(date(2027, 3, 1), filed=True) is None  # pending, or overturned
    assert firm(date(2027, 3, 1), filed=True, upheld=date(2027, 1, 15)) == date(2027, 1, 15)


def test_every_sanction_a_case_decides_has_an_s3_kind() -> None:
    from confianza.integrity.rules.catalogue import AllegationKind
    from confianza.integrity.rules.catalogue import SanctionKind as CaseSanction

    assert set(CASE_KINDS) == {k.value for k in CaseSanction}
    assert set(FAULT_CODES) >= {k.value for k in AllegationKind}
