"""Final sanctions in the public form of the PDN's system S3 (Servidores Sancionados).

Pure. The Plataforma Digital Nacional publishes sanctioned public servants through an API
whose OpenAPI description (v1.1.0) fixes each record's shape and its catalogues: the kind of
sanction (`tipoSancion`: I, M, S, D, IRSC, SE, O) and the kind of offence (`tipoFalta`: NAD,
AUT, CEX, ...). `s3_record` turns one final sanction into that record and `s3_page` wraps
records in the API's page; the tests validate both against the published schema.

Only a final sanction is exported (issue 17, item 7): one under appeal, or not yet firm, is
refused, as is a kind the S3 catalogue cannot say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from confianza.core.errors import FieldError, ValidationFailed


class SanctionKind(StrEnum):
    """The sanctions a police disciplinary body imposes, as the integrity cases record them."""

    REPRIMAND = "reprimand"  # amonestación
    SUSPENSION = "suspension"  # suspensión del empleo, cargo o comisión
    REMOVAL = "removal"  # remoción / destitución
    DISQUALIFICATION = "disqualification"  # inhabilitación
    FINE = "fine"  # multa
    ECONOMIC = "economic"  # sanción económica
    COMPENSATION = "compensation"  # indemnización resarcitoria
    ARREST = "arrest"  # arresto administrativo
    DEMOTION = "demotion"  # degradación


#: Our kinds onto the S3 `tipoSancion` catalogue, code and value exactly as the specification
#: lists them ("EMPLO" included: the catalogue's own spelling, which consumers match on).
#: A reprimand has no code of its own: it is `O` (OTRO) with its name as the value, as the
#: specification's own example does ("AMONESTACIÓN").
SANCTION_CODES: dict[SanctionKind, tuple[str, str]] = {
    SanctionKind.DISQUALIFICATION: ("I", "INHABILITADO"),
    SanctionKind.FINE: ("M", "MULTADO"),
    SanctionKind.SUSPENSION: ("S", "SUSPENSIÓN DEL EMPLEO, CARGO O COMISIÓN"),
    SanctionKind.REMOVAL: ("D", "DESTITUCIÓN DEL EMPLO, CARGO O COMISIÓN"),
    SanctionKind.COMPENSATION: ("IRSC", "INDEMNIZACIÓN RESARCITORIA"),
    SanctionKind.ECONOMIC: ("SE", "SANCIÓN ECONÓMICA"),
    SanctionKind.REPRIMAND: ("O", "AMONESTACIÓN"),
    # Police sanctions S3 has no code for: OTRO with their name, as for the reprimand.
    SanctionKind.ARREST: ("O", "ARRESTO ADMINISTRATIVO"),
    SanctionKind.DEMOTION: ("O", "DEGRADACIÓN"),
}

#: The sanctions an integrity case decides (`catalogue.SanctionKind`), by value, onto the kinds
#: published here: a dismissal is S3's destitución.
CASE_KINDS: dict[str, SanctionKind] = {
    "reprimand": SanctionKind.REPRIMAND,
    "arrest": SanctionKind.ARREST,
    "suspension": SanctionKind.SUSPENSION,
    "demotion": SanctionKind.DEMOTION,
    "dismissal": SanctionKind.REMOVAL,
}

#: The allegation catalogue's keys onto the S3 `tipoFalta` catalogue.
FAULT_CODES: dict[str, tuple[str, str]] = {
    "bribery": ("CEX", "COHECHO O EXTORSION"),
    "extortion": ("CEX", "COHECHO O EXTORSION"),
    "abuse_of_authority": ("AUT", "ABUSO DE AUTORIDAD"),
    "use_of_force": ("VDH", "VIOLACIÓN A LOS DERECHOS HUMANOS"),
    "leaking_information": ("UII", "UTILIZACIÓN INDEBIDA DE INFORMACIÓN"),
    "organised_crime": ("DCSP", "DELITO COMETIDO POR SERVIDORES PUBLICOS"),
    "theft": ("DCSP", "DELITO COMETIDO POR SERVIDORES PUBLICOS"),
    # Drug use is not an offence of public office in S3's list: the general class it falls in.
    "drug_use": ("ANG", "ADMINISTRATIVA NO GRAVE"),
    "unlawful_detention": ("VDH", "VIOLACIÓN A LOS DERECHOS HUMANOS"),
    "neglect_of_duty": ("NAD", "NEGLIGENCIA ADMINISTRATIVA"),
    "other": ("OTRO", "OTRO"),
}
_SEXES = {"H": ("M", "MASCULINO"), "M": ("F", "FEMENINO"), "X": ("O", "OTRO")}


@dataclass(frozen=True)
class ResolutionDocument:
    id: str
    title: str
    description: str
    url: str
    issued: date
    kind: str = "RESOLUCION"  # RESOLUCION, CONSTANCIA_SANCION, CONSTANCIA_INHABILITACION ...


@dataclass(frozen=True)
class FinalSanction:
    """A sanction that is firm: what S3 publishes of it and of whom."""

    id: str
    given_names: str
    first_surname: str
    position: str  # puesto: the rank held
    institution: str
    kinds: tuple[SanctionKind, ...]
    allegation: str  # a key of the allegation catalogue
    grounds: str  # causa, motivo o hechos
    resolved: date  # the resolution's date
    recorded: datetime  # when the record was captured or last changed (aware)
    final: bool = True  # firm: no appeal pending, no time left to lodge one
    second_surname: str | None = None
    curp: str | None = None
    rfc: str | None = None
    sex: str | None = None  # H, M, X
    institution_acronym: str | None = None
    institution_code: str | None = None
    file_number: str | None = None  # expediente
    authority: str | None = None
    fine: Decimal | None = None
    currency: str = "MXN"
    disqualified_from: date | None = None
    disqualified_until: date | None = None
    resolution_url: str | None = None
    documents: tuple[ResolutionDocument, ...] = field(default_factory=tuple)
    notes: str | None = None


def final_on(decided_on: date, today: date, *, appeal_filed: bool, upheld_on: date | None,
             appeal_days: int) -> date | None:
    """The day a sanction decided on `decided_on` became firm, or None while it is not (on
    `today`): an appeal was filed and is pending or overturned it, or the period to lodge one
    (`appeal_days` civil days from the decision, ADR 0019) is not over yet."""
    if appeal_filed:
        return upheld_on
    firm = decided_on + timedelta(days=appeal_days + 1)
    return firm if firm <= today else None


def _problems(s: FinalSanction) -> list[FieldError]:
    problems = []
    if not s.final:
        problems.append(FieldError("final", "only a final sanction is published; this one "
                                   "may still be appealed"))
    for name in ("id", "given_names", "first_surname", "position", "institution", "grounds"):
        if not str(getattr(s, name) or "").strip():
            problems.append(FieldError(name, "is required by S3"))
    if not s.kinds:
        problems.append(FieldError("kinds", "a sanction needs at least one kind"))
    if s.allegation not in FAULT_CODES:
        problems.append(FieldError("allegation", f"{s.allegation!r} is not in the allegation "
                                   f"catalogue ({', '.join(FAULT_CODES)})"))
    if (SanctionKind.FINE in s.kinds or SanctionKind.ECONOMIC in s.kinds) and (
            s.fine is None or s.fine <= 0):
        problems.append(FieldError("fine", "a fine or economic sanction needs its amount"))
    if s.fine is not None and SanctionKind.FINE not in s.kinds and (
            SanctionKind.ECONOMIC not in s.kinds):
        problems.append(FieldError("fine", "an amount is given but no fine was imposed"))
    if SanctionKind.DISQUALIFICATION in s.kinds and s.disqualified_from is None:
        problems.append(FieldError("disqualified_from", "a disqualification needs its start"))
    if (s.disqualified_from and s.disqualified_until
            and s.disqualified_until < s.disqualified_from):
        problems.append(FieldError("disqualified_until", "ends before it starts"))
    if s.recorded.tzinfo is None or s.recorded.utcoffset() is None:
        problems.append(FieldError("recorded", "must be an instant with its offset"))
    if s.sex is not None and s.sex not in _SEXES:
        problems.append(FieldError("sex", f"{s.sex!r} is not H, M or X"))
    return problems


def _iso_instant(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    return (moment - offset).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _term(start: date, end: date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month
    if months >= 12 and months % 12 == 0:
        return f"{months // 12} años" if months > 12 else "1 año"
    if months >= 1:
        return f"{months} meses" if months > 1 else "1 mes"
    return f"{(end - start).days} días"


def s3_record(s: FinalSanction) -> dict[str, object]:
    """One `results` item of the S3 API for a final sanction (ValidationFailed naming each
    field at fault otherwise)."""
    problems = _problems(s)
    if problems:
        raise ValidationFailed(problems)
    person: dict[str, object] = {"nombres": s.given_names.strip(),
                                 "primerApellido": s.first_surname.strip(),
                                 "puesto": s.position.strip()}
    if s.second_surname:
        person["segundoApellido"] = s.second_surname.strip()
    if s.curp:
        person["curp"] = s.curp
    if s.rfc:
        person["rfc"] = s.rfc
    if s.sex:
        code, value = _SEXES[s.sex]
        person["genero"] = {"clave": code, "valor": value}
    institution: dict[str, object] = {"nombre": s.institution.strip()}
    if s.institution_acronym:
        institution["siglas"] = s.institution_acronym
    if s.institution_code:
        institution["clave"] = s.institution_code
    fault_code, fault_value = FAULT_CODES[s.allegation]
    record: dict[str, object] = {
        "id": s.id,
        "fechaCaptura": _iso_instant(s.recorded),
        "institucionDependencia": institution,
        "servidorPublicoSancionado": person,
        "tipoFalta": {"clave": fault_code, "valor": fault_value},
        "tipoSancion": [{"clave": SANCTION_CODES[k][0], "valor": SANCTION_CODES[k][1]}
                        for k in dict.fromkeys(s.kinds)],
        "causaMotivoHechos": s.grounds.strip(),
        "resolucion": {"fechaResolucion": s.resolved.isoformat(),
                       **({"url": s.resolution_url} if s.resolution_url else {})},
    }
    if s.file_number:
        record["expediente"] = s.file_number
    if s.authority:
        record["autoridadSancionadora"] = s.authority
    if s.fine is not None:
        record["multa"] = {"monto": float(s.fine),
                           "moneda": {"clave": s.currency, "valor": s.currency}}
    if s.disqualified_from is not None:
        term: dict[str, object] = {"fechaInicial": s.disqualified_from.isoformat()}
        if s.disqualified_until is not None:
            term["fechaFinal"] = s.disqualified_until.isoformat()
            term["plazo"] = _term(s.disqualified_from, s.disqualified_until)
        record["inhabilitacion"] = term
    if s.notes:
        record["observaciones"] = s.notes
    if s.documents:
        record["documentos"] = [
            {"id": d.id, "tipo": d.kind, "titulo": d.title, "descripcion": d.description,
             "url": d.url, "fecha": d.issued.isoformat()} for d in s.documents]
    return record


def s3_page(sanctions: Sequence[FinalSanction], *, page: int = 1, page_size: int = 10,
            total: int | None = None) -> dict[str, object]:
    """A page of the S3 API (`pagination` and `results`) holding these sanctions."""
    if not 1 <= page_size <= 200:
        raise ValidationFailed(FieldError("page_size", "must be between 1 and 200 (S3's limit)"))
    if page < 1:
        raise ValidationFailed(FieldError("page", "must be at least 1"))
    rows = total if total is not None else len(sanctions)
    if rows < 1 or not sanctions:
        # S3 counts at least one row on a page (`totalRows` minimum 1): no empty pages.
        raise ValidationFailed(FieldError("sanctions", "a page holds at least one sanction"))
    return {
        "pagination": {"pageSize": page_size, "page": page, "totalRows": rows,
                       "hasNextPage": page * page_size < rows},
        "results": [s3_record(s) for s in sanctions],
    }
