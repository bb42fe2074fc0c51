"""Declarations built for the tests, and the S1 schemas of tests/data/pdn (SOURCE.md there)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker

from confianza.declarations.rules.records import (
    Amount,
    Declaration,
    DeclarationKind,
    Income,
    IncomePeriod,
    Item,
    Section,
)
from confianza.declarations.rules.s1_write import document

PDN = Path(__file__).parent / "data" / "pdn"
FILES = {DeclarationKind.INITIAL: "OAS_API_Declaraciones_Inicial.json",
         DeclarationKind.MODIFICATION: "OAS_API_Declaraciones_Modificacion.json",
         DeclarationKind.CONCLUSION: "OAS_API_Declaraciones_Conclusion.json"}


def validator(kind: DeclarationKind, pointer: str) -> Draft4Validator:
    spec = json.loads((PDN / FILES[kind]).read_text("utf-8"))
    return Draft4Validator({"$ref": pointer, "components": spec["components"]},
                           format_checker=FormatChecker())


def errors(kind: DeclarationKind, instance: Any,
           pointer: str = "#/components/schemas/resDeclaraciones/properties/results/items"
           ) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}"
            for e in validator(kind, pointer).iter_errors(instance)]


def mxn(value: float | int | str) -> Amount:
    return Amount(Decimal(str(value)), "MXN")


CURP = "PERM880314MJCXXX02"


def declaration(source_id: str = "D-1", *, kind: DeclarationKind = DeclarationKind.MODIFICATION,
                filed: datetime = datetime(2026, 5, 20, 17, 0, tzinfo=UTC),
                curp: str | None = CURP, public: float = 200_000, total: float = 260_000,
                items: tuple[Item, ...] = (), took_office: date | None = date(2015, 2, 1)
                ) -> Declaration:
    period = {DeclarationKind.INITIAL: IncomePeriod.MONTH,
              DeclarationKind.MODIFICATION: IncomePeriod.YEAR,
              DeclarationKind.CONCLUSION: IncomePeriod.TO_LEAVING}[kind]
    return Declaration(
        source_id=source_id, kind=kind, complete=True, filed_at=filed,
        institution="Policía de Guadalajara", position="Policía Segundo",
        took_office=took_office, curp=curp, names="María Peña Ruiz",
        income=Income(public=mxn(public), declarant=mxn(public), total=mxn(total),
                      household=mxn(total - public), period=period),
        items=items)


HOUSE = Item(Section.REAL_ESTATE, kind="CASA", operation="SIN_CAMBIOS", holders="DEC",
             share=100, acquired_on=date(2018, 3, 1), value=mxn(900_000), acquisition="CPV",
             payment="CRÉDITO", identifier="ESCRITURA 1234")
CAR = Item(Section.VEHICLE, kind="AUMOT", operation="SIN_CAMBIOS", holders="DEC",
           acquired_on=date(2021, 6, 1), value=mxn(280_000), acquisition="CPV",
           payment="CRÉDITO", identifier="3N1AB7AP5KY000001", description="Nissan")
ACCOUNT = Item(Section.INVESTMENT, kind="BANC", operation="SIN_CAMBIOS", holders="DEC",
               value=mxn(40_000), identifier="0123")
MORTGAGE = Item(Section.DEBT, kind="CHIP", operation="SIN_CAMBIOS", holders="DEC",
                acquired_on=date(2018, 3, 1), value=mxn(600_000), original=mxn(800_000),
                identifier="HIP-1", description="INFONAVIT")


def doc(d: Declaration) -> dict[str, Any]:
    return document(d)
