"""The PDN's system S1 form: validating a declaration document, reading it, answering as S1.

A document is one item of S1's answer (`resDeclaraciones.results[]`): `id`, `metadata` and
`declaracion`. It is checked against the published description of its kind (`pdn/`, copied
unchanged, SOURCE.md there), then read into a `Declaration`. Field names differ by kind (an
initial declaration's income is monthly, `remuneracionMensualCargoPublico`; a modification's is
the year before, `remuneracionAnualCargoPublico`; a conclusion's runs to the day of leaving,
`remuneracionConclusionCargoPublico`), and so do the balances of investments and debts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
from jsonschema import Draft4Validator, FormatChecker

from confianza.declarations.rules.records import (
    S1_KINDS,
    Amount,
    Declaration,
    DeclarationKind,
    Income,
    IncomePeriod,
    Item,
    Section,
)

_FILES = {DeclarationKind.INITIAL: "OAS_API_Declaraciones_Inicial.json",
          DeclarationKind.MODIFICATION: "OAS_API_Declaraciones_Modificacion.json",
          DeclarationKind.CONCLUSION: "OAS_API_Declaraciones_Conclusion.json"}
RESULT = "#/components/schemas/resDeclaraciones/properties/results/items"
PAGE = "#/components/schemas/resDeclaraciones"

#: The words each kind's income and balances are filed under.
_WORD = {DeclarationKind.INITIAL: "Mensual", DeclarationKind.MODIFICATION: "Anual",
         DeclarationKind.CONCLUSION: "Conclusion"}
_PLURAL = {DeclarationKind.INITIAL: "Mensuales", DeclarationKind.MODIFICATION: "Anuales",
           DeclarationKind.CONCLUSION: "Conclusion"}
_BALANCE = {DeclarationKind.INITIAL: "SituacionActual",
            DeclarationKind.MODIFICATION: "DiciembreAnterior",
            DeclarationKind.CONCLUSION: "FechaConclusion"}
_PERIOD = {DeclarationKind.INITIAL: IncomePeriod.MONTH,
           DeclarationKind.MODIFICATION: IncomePeriod.YEAR,
           DeclarationKind.CONCLUSION: IncomePeriod.TO_LEAVING}


@cache
def specification(kind: DeclarationKind) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("pdn", _FILES[kind]).read_text("utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


@cache
def validator(kind: DeclarationKind, pointer: str = RESULT) -> Draft4Validator:
    """A validator of `pointer` in the kind's description (OpenAPI 3.0 schemas are JSON
    Schema draft 4 with extensions; the components are the root so that references resolve)."""
    spec = specification(kind)
    return Draft4Validator({"$ref": pointer, "components": spec["components"]},
                           format_checker=FormatChecker())


@cache
def fast_validator(kind: DeclarationKind) -> Any:
    """The same description compiled once by jsonschema-rs (about 0.02 ms a document against
    jsonschema's 2 ms): it answers whether a document is valid; the faults of one that is not
    are named by `validator`, whose messages and paths the refusals keep."""
    spec = specification(kind)
    return jsonschema_rs.Draft4Validator({"$ref": RESULT, "components": spec["components"]},
                                         validate_formats=True)


def json_path(parts: Any) -> str:
    """`declaracion.situacionPatrimonial.vehiculos.vehiculo[2].valorAdquisicion.moneda`."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the document)"


def kind_of(document: object) -> DeclarationKind | None:
    if not isinstance(document, dict):
        return None
    metadata = document.get("metadata")
    tipo = metadata.get("tipo") if isinstance(metadata, dict) else None
    return S1_KINDS.get(tipo) if isinstance(tipo, str) else None


def schema_faults(document: object) -> list[tuple[str, str]]:
    """(JSON path, reason) of every way the document breaks S1's description of its kind (a
    document of no known kind is checked as a modification, which names `metadata.tipo`)."""
    kind = kind_of(document) or DeclarationKind.MODIFICATION
    if fast_validator(kind).is_valid(document):
        return []
    faults = []
    for error in sorted(validator(kind).iter_errors(document),
                        key=lambda e: [str(p) for p in e.absolute_path]):
        faults.append((json_path(error.absolute_path), _reason(error.message)))
    return faults


def _reason(message: str) -> str:
    # jsonschema's messages quote the whole offending value; a long one (a section) is cut.
    return message if len(message) <= 200 else message[:197] + "..."


def _amount(node: Any) -> Amount | None:
    if not isinstance(node, dict) or "valor" not in node:
        return None
    return Amount(Decimal(str(node["valor"])), str(node["moneda"]))


def _key(node: Any) -> str | None:
    return node.get("clave") if isinstance(node, dict) else None


def _day(text: Any) -> date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _holders(node: Any) -> str | None:
    keys = [str(h["clave"]) for h in node or [] if isinstance(h, dict) and h.get("clave")]
    return ",".join(keys)[:40] or None


def _text(*parts: Any) -> str | None:
    words = " ".join(str(p) for p in parts if p not in (None, ""))
    return words[:300] or None


def filed_at(document: Mapping[str, Any]) -> datetime:
    """`metadata.actualizacion`, the instant it was filed (UTC when it names no offset)."""
    text = str(document["metadata"]["actualizacion"]).replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def read(document: Mapping[str, Any]) -> Declaration:
    """A declaration from a document that passed `schema_faults` (ValueError for what the
    schema leaves open and a reading needs: the instant it was filed)."""
    kind = S1_KINDS[document["metadata"]["tipo"]]
    state = document["declaracion"]["situacionPatrimonial"]
    general = state["datosGenerales"]
    post = state["datosEmpleoCargoComision"]
    word, plural = _WORD[kind], _PLURAL[kind]
    income = state["ingresos"]
    public = _amount(income[f"remuneracion{word}CargoPublico"])
    declarant = _amount(income[f"ingreso{word}NetoDeclarante"])
    total = _amount(income[f"totalIngresos{plural}Netos"])
    assert public is not None and declarant is not None and total is not None  # required
    return Declaration(
        source_id=str(document["id"]), kind=kind,
        complete=bool(document["metadata"]["declaracionCompleta"]),
        filed_at=filed_at(document), institution=str(document["metadata"]["institucion"]),
        position=str(post.get("empleoCargoComision", "")),
        took_office=_day(post.get("fechaTomaPosesion")),
        curp=(general.get("curp") or "").strip().upper() or None,
        names=" ".join(str(general.get(k) or "") for k in
                       ("nombre", "primerApellido", "segundoApellido")).strip(),
        income=Income(public=public, declarant=declarant, total=total,
                      other=_amount(income.get(f"otrosIngresos{plural}Total")),
                      household=_amount(income.get(f"ingreso{word}NetoParejaDependiente")),
                      period=_PERIOD[kind]),
        items=tuple(_items(kind, state)),
    )


def _items(kind: DeclarationKind, state: Mapping[str, Any]) -> Iterator[Item]:
    income = state["ingresos"]
    for group, lines, what in (("actividadIndustrialComercialEmpresarial", "actividades",
                                "tipoNegocio"),
                               ("actividadFinanciera", "actividades", "tipoInstrumento"),
                               ("serviciosProfesionales", "servicios", "tipoServicio"),
                               ("enajenacionBienes", "bienes", "tipoBienEnajenado"),
                               ("otrosIngresos", "ingresos", "tipoIngreso")):
        for line in (income.get(group) or {}).get(lines) or []:
            label = line.get(what)
            yield Item(Section.INCOME, kind=group, value=_amount(line.get("remuneracion")),
                       description=_text(_key(label) if isinstance(label, dict) else label))
    for entry in (state.get("bienesInmuebles") or {}).get("bienInmueble") or []:
        yield Item(Section.REAL_ESTATE, kind=_key(entry.get("tipoInmueble")),
                   operation=entry.get("tipoOperacion"), holders=_holders(entry.get("titular")),
                   share=entry.get("porcentajePropiedad"),
                   acquired_on=_day(entry.get("fechaAdquisicion")),
                   value=_amount(entry.get("valorAdquisicion")),
                   acquisition=_key(entry.get("formaAdquisicion")),
                   payment=entry.get("formaPago"),
                   identifier=_text(entry.get("datoIdentificacion")),
                   disposal=_key(entry.get("motivoBaja")))
    for entry in (state.get("vehiculos") or {}).get("vehiculo") or []:
        yield Item(Section.VEHICLE, kind=_key(entry.get("tipoVehiculo")),
                   operation=entry.get("tipoOperacion"), holders=_holders(entry.get("titular")),
                   acquired_on=_day(entry.get("fechaAdquisicion")),
                   value=_amount(entry.get("valorAdquisicion")),
                   acquisition=_key(entry.get("formaAdquisicion")),
                   payment=entry.get("formaPago"),
                   identifier=_text(entry.get("numeroSerieRegistro")),
                   disposal=_key(entry.get("motivoBaja")),
                   description=_text(entry.get("marca"), entry.get("modelo"),
                                     entry.get("anio")))
    for entry in (state.get("bienesMuebles") or {}).get("bienMueble") or []:
        yield Item(Section.MOVABLE, kind=_key(entry.get("tipoBien")),
                   operation=entry.get("tipoOperacion"), holders=_holders(entry.get("titular")),
                   acquired_on=_day(entry.get("fechaAdquisicion")),
                   value=_amount(entry.get("valorAdquisicion")),
                   acquisition=_key(entry.get("formaAdquisicion")),
                   payment=entry.get("formaPago"),
                   disposal=_key(entry.get("motivoBaja")),
                   description=_text(entry.get("descripcionGeneralBien")))
    balance = _BALANCE[kind]
    for entry in (state.get("inversiones") or {}).get("inversion") or []:
        place = entry.get("localizacionInversion") or {}
        yield Item(Section.INVESTMENT, kind=_key(entry.get("tipoInversion")),
                   operation=entry.get("tipoOperacion"), holders=_holders(entry.get("titular")),
                   value=_amount(entry.get(f"saldo{balance}")),
                   identifier=_text(entry.get("numeroCuentaContrato")),
                   description=_text(_key(entry.get("subTipoInversion")),
                                     place.get("institucionRazonSocial")))
    for entry in (state.get("adeudos") or {}).get("adeudo") or []:
        lender = entry.get("otorganteCredito") or {}
        yield Item(Section.DEBT, kind=_key(entry.get("tipoAdeudo")),
                   operation=entry.get("tipoOperacion"), holders=_holders(entry.get("titular")),
                   acquired_on=_day(entry.get("fechaAdquisicion")),
                   value=_amount(entry.get(f"saldoInsoluto{balance}")),
                   original=_amount(entry.get("montoOriginal")),
                   identifier=_text(entry.get("numeroCuentaContrato")),
                   description=_text(lender.get("nombreInstitucion")))
    for entry in (state.get("prestamoOComodato") or {}).get("prestamo") or []:
        thing = entry.get("tipoBien") or {}
        lent = ("inmueble" if "inmueble" in thing else "vehiculo" if "vehiculo" in thing
                else None)
        yield Item(Section.LOAN, kind=lent, operation=entry.get("tipoOperacion"),
                   description=_text((entry.get("duenoTitular") or {}).get("nombreTitular")))


_MONEDA = re.compile(r'"moneda":"([^"\\]*)"')


def canonical(document: Any) -> str:
    """The document as kept: JSON with sorted keys, no spaces, non-ASCII as is."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def currencies(text: str) -> set[str]:
    """Every currency named in a document's canonical text (a regular expression over the
    text, where walking the document took ten times longer; `amounts` names the places when
    one is refused, and a `moneda` that is no amount's costs only that walk)."""
    return set(_MONEDA.findall(text))


def amounts(document: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str, str]]:
    """(JSON path, currency) of every amount in the document: S1's `{valor, moneda}`."""
    if isinstance(document, dict):
        if "valor" in document and isinstance(document.get("moneda"), str):
            yield json_path(path + ("moneda",)), document["moneda"]
        for key, value in document.items():
            yield from amounts(value, path + (key,))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from amounts(value, path + (index,))


def answer(documents: list[dict[str, Any]], *, page: int, page_size: int,
           total: int) -> dict[str, Any]:
    """S1's answer (`resDeclaraciones`): the page's documents and its pagination."""
    return {"pagination": {"pageSize": page_size, "page": page, "totalRows": total,
                           "hasNextPage": page * page_size < total},
            "results": documents}
