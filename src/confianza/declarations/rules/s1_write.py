"""A declaration written as an S1 document (one item of `resDeclaraciones.results`).

The other way round from `s1.read`: what the demo files for its officers and what the tests
build their documents with. Only the sections the form requires and the wealth sections are
written; the rest of the form (education, experience, interests) is left as the form allows:
empty, or "none".
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from confianza.declarations.rules.records import (
    Amount,
    Declaration,
    DeclarationKind,
    Item,
    Section,
)

_TIPO = {DeclarationKind.INITIAL: "INICIAL", DeclarationKind.MODIFICATION: "MODIFICACIÓN",
         DeclarationKind.CONCLUSION: "CONCLUSIÓN"}
_WORD = {DeclarationKind.INITIAL: "Mensual", DeclarationKind.MODIFICATION: "Anual",
         DeclarationKind.CONCLUSION: "Conclusion"}
_PLURAL = {DeclarationKind.INITIAL: "Mensuales", DeclarationKind.MODIFICATION: "Anuales",
           DeclarationKind.CONCLUSION: "Conclusion"}
_BALANCE = {DeclarationKind.INITIAL: "SituacionActual",
            DeclarationKind.MODIFICATION: "DiciembreAnterior",
            DeclarationKind.CONCLUSION: "FechaConclusion"}
_HOLDER = {"DEC": "DECLARANTE", "CYG": "CÓNYUGE", "CBN": "CONCUBINA O CONCUBINARIO",
           "CVV": "CONVIVIENTE", "DEN": "DEPENDIENTE ECONÓMICO", "CTER": "COPROPIEDAD CON TERCEROS"}
_FORM = {"CPV": "COMPRAVENTA", "CSN": "CESIÓN", "DNC": "DONACIÓN", "HRN": "HERENCIA",
         "PRM": "PERMUTA", "RST": "RIFA O SORTEO", "STC": "SENTENCIA"}
_DISPOSAL = {"VNT": "VENTA", "DNC": "DONACIÓN", "SNT": "SINIESTRO", "OTRO": "OTRO"}
_PROPERTY = {"CASA": "CASA", "DPTO": "DEPARTAMENTO", "EDIF": "EDIFICIO", "LOCC": "LOCAL COMERCIAL",
             "BODG": "BODEGA", "PALC": "PALCO", "RACH": "RANCHO", "TERR": "TERRENO", "OTRO": "OTRO"}
_VEHICLE = {"AUMOT": "AUTOMÓVIL / MOTOCICLETA", "AERN": "AERONAVE", "BARYA": "BARCO / YATE",
            "OTRO": "OTRO"}
_MOVABLE = {"MECA": "MENAJE DE CASA (MUEBLES Y ACCESORIOS DE CASA)",
            "APAE": "APARATOS ELECTRÓNICOS Y ELECTRODOMÉSTICOS", "JOYA": "JOYAS",
            "COLEC": "COLECCIONES", "OBRA": "OBRAS DE ARTE", "OTRO": "OTRO"}
_INVESTMENT = {"BANC": "BANCARIA", "FINV": "FONDOS DE INVERSIÓN",
               "ORPM": "ORGANIZACIONES PRIVADAS Y/O MERCANTILES",
               "POMM": "POSESIÓN DE MONEDAS Y/O METALES", "SEGR": "SEGUROS",
               "VBUR": "VALORES BURSÁTILES", "AFOT": "AFORES Y OTROS"}
_DEBT = {"CHIP": "CRÉDITO HIPOTECARIO", "CAUT": "CRÉDITO AUTOMOTRIZ", "CPER": "CRÉDITO PERSONAL",
         "TCRN": "TARJETA DE CRÉDITO BANCARIA", "TCRD": "TARJETA DE CRÉDITO DEPARTAMENTAL",
         "PRPE": "PRÉSTAMO PERSONAL", "OTRO": "OTRO"}


def _money(amount: Amount) -> dict[str, Any]:
    value = float(amount.value)
    return {"valor": int(value) if value.is_integer() else value, "moneda": amount.currency}


def _keyed(key: str | None, words: dict[str, str]) -> dict[str, str] | None:
    return None if key is None else {"clave": key, "valor": words.get(key, key)}


def _holders(item: Item) -> list[dict[str, str]]:
    keys = (item.holders or "DEC").split(",")
    return [{"clave": k, "valor": _HOLDER.get(k, k)} for k in keys]


def _asset(item: Item) -> dict[str, Any]:
    entry: dict[str, Any] = {"tipoOperacion": item.operation or "AGREGAR",
                             "titular": _holders(item)}
    if item.acquisition:
        entry["formaAdquisicion"] = _keyed(item.acquisition, _FORM)
    if item.payment:
        entry["formaPago"] = item.payment
    if item.value is not None:
        entry["valorAdquisicion"] = _money(item.value)
    if item.acquired_on is not None:
        entry["fechaAdquisicion"] = item.acquired_on.isoformat()
    if item.disposal:
        entry["motivoBaja"] = _keyed(item.disposal, _DISPOSAL)
    return entry


def _section(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return {"ninguno": not items, key: items} if items else {"ninguno": True}


def document(d: Declaration) -> dict[str, Any]:
    k = d.kind
    word, plural, balance = _WORD[k], _PLURAL[k], _BALANCE[k]
    first, _, rest = d.names.partition(" ")
    surname, _, second = rest.partition(" ")
    general: dict[str, Any] = {"nombre": first or d.names, "primerApellido": surname or "-",
                               "segundoApellido": second}
    if d.curp:
        general["curp"] = d.curp
    income: dict[str, Any] = {
        f"remuneracion{word}CargoPublico": _money(d.income.public),
        f"ingreso{word}NetoDeclarante": _money(d.income.declarant),
        f"totalIngresos{plural}Netos": _money(d.income.total)}
    if d.income.other is not None:
        income[f"otrosIngresos{plural}Total"] = _money(d.income.other)
    if d.income.household is not None:
        income[f"ingreso{word}NetoParejaDependiente"] = _money(d.income.household)
    groups = {"actividadIndustrialComercialEmpresarial": ("actividades", "tipoNegocio"),
              "actividadFinanciera": ("actividades", None),
              "serviciosProfesionales": ("servicios", "tipoServicio"),
              "enajenacionBienes": ("bienes", "tipoBienEnajenado"),
              "otrosIngresos": ("ingresos", "tipoIngreso")}
    properties, vehicles, movables, investments, debts = [], [], [], [], []
    for item in d.items:
        if item.section is Section.INCOME and item.kind in groups and item.value is not None:
            lines, label = groups[item.kind]
            group = income.setdefault(item.kind, {"remuneracionTotal": _money(item.value),
                                                  lines: []})
            line: dict[str, Any] = {"remuneracion": _money(item.value)}
            if label and item.description:
                line[label] = item.description
            group[lines].append(line)
        elif item.section is Section.REAL_ESTATE:
            entry = _asset(item)
            entry["tipoInmueble"] = _keyed(item.kind or "CASA", _PROPERTY)
            if item.share is not None:
                entry["porcentajePropiedad"] = item.share
            if item.identifier:
                entry["datoIdentificacion"] = item.identifier
            properties.append(entry)
        elif item.section is Section.VEHICLE:
            entry = _asset(item)
            entry["tipoVehiculo"] = _keyed(item.kind or "AUMOT", _VEHICLE)
            if item.identifier:
                entry["numeroSerieRegistro"] = item.identifier
            if item.description:
                entry["marca"] = item.description
            vehicles.append(entry)
        elif item.section is Section.MOVABLE:
            entry = _asset(item)
            entry["tipoBien"] = _keyed(item.kind or "OTRO", _MOVABLE)
            if item.description:
                entry["descripcionGeneralBien"] = item.description
            movables.append(entry)
        elif item.section is Section.INVESTMENT:
            entry = {"tipoOperacion": item.operation or "AGREGAR",
                     "tipoInversion": _keyed(item.kind or "BANC", _INVESTMENT),
                     "titular": _holders(item)}
            if item.identifier:
                entry["numeroCuentaContrato"] = item.identifier
            if item.value is not None:
                entry[f"saldo{balance}"] = _money(item.value)
            investments.append(entry)
        elif item.section is Section.DEBT:
            entry = {"tipoOperacion": item.operation or "AGREGAR",
                     "tipoAdeudo": _keyed(item.kind or "OTRO", _DEBT),
                     "titular": _holders(item)}
            if item.identifier:
                entry["numeroCuentaContrato"] = item.identifier
            if item.acquired_on is not None:
                entry["fechaAdquisicion"] = item.acquired_on.isoformat()
            if item.original is not None:
                entry["montoOriginal"] = _money(item.original)
            if item.value is not None:
                entry[f"saldoInsoluto{balance}"] = _money(item.value)
            if item.description:
                entry["otorganteCredito"] = {"tipoPersona": "MORAL",
                                             "nombreInstitucion": item.description}
            debts.append(entry)
    post: dict[str, Any] = {"nombreEntePublico": d.institution,
                            "empleoCargoComision": d.position}
    if d.took_office is not None:
        post["fechaTomaPosesion"] = d.took_office.isoformat()
    state: dict[str, Any] = {
        "datosGenerales": general,
        "datosCurricularesDeclarante": {"escolaridad": []},
        "datosEmpleoCargoComision": post,
        "experienciaLaboral": {"ninguno": True},
        "ingresos": income,
        "bienesInmuebles": _section(properties, "bienInmueble"),
        "vehiculos": _section(vehicles, "vehiculo"),
        "bienesMuebles": _section(movables, "bienMueble"),
        "inversiones": _section(investments, "inversion"),
        "adeudos": _section(debts, "adeudo"),
    }
    if k is not DeclarationKind.MODIFICATION:
        state["actividadAnualAnterior"] = {"servidorPublicoAnioAnterior": False}
    return {"id": d.source_id,
            "metadata": {"actualizacion": d.filed_at.astimezone(UTC).strftime(
                             "%Y-%m-%dT%H:%M:%SZ"),
                         "institucion": d.institution, "tipo": _TIPO[k],
                         "declaracionCompleta": d.complete,
                         "actualizacionConflictoInteres": False},
            "declaracion": {"situacionPatrimonial": state}}
