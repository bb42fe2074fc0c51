"""The pages of people matched across sources (Spanish source; merged into `strings.TEXT`).

Keys are unique across the whole catalogue: prefix them with "ident_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "ident_title": "Posibles duplicados",
    "ident_link": "Posibles duplicados",
    "ident_link_help": "Pares de registros que pueden ser la misma persona: confirmar o "
                       "descartar.",
    "ident_intro": (
        "Pares propuestos por el modelo de vinculación de registros. Nada se une sin su "
        "decisión. Esta consulta queda registrada."
    ),
    "ident_none": "No hay pares pendientes de decisión.",
    "ident_col_pair": "Par",
    "ident_col_probability": "Probabilidad",
    "ident_col_left": "Registro",
    "ident_col_right": "Otro registro",
    "ident_col_status": "Situación",
    "ident_open": "Revisar el par {id}",
    "ident_next": "Siguientes",
    "ident_back": "Volver a los posibles duplicados",
    "ident_pair_title": "Par {id}",
    "ident_pair_lead": "Probabilidad de ser la misma persona: {probability}",
    "ident_officer": "Elemento {id}",
    "ident_file_row": "{file}, línea {line} (clave {key})",
    "ident_evidence": "Evidencia, lado a lado",
    "ident_col_field": "Dato",
    "ident_col_comparison": "Comparación",
    "ident_col_weight": "Peso",
    "ident_weight_help": (
        "El peso dice cuánto acerca (positivo) o aleja (negativo) cada dato a la conclusión "
        "de que son la misma persona."
    ),
    "ident_decide": "Decisión",
    "ident_confirm": "Son la misma persona: unir",
    "ident_confirm_file": "Son la misma persona: vincular la clave",
    "ident_reject": "Son personas distintas",
    "ident_merge_help": (
        "Al unir, el historial completo (adscripciones, placas, identificadores, evaluaciones, "
        "certificación y contactos) pasa al registro que se conserva, y el otro número queda "
        "anotado como unido a él."
    ),
    "ident_decided": "Decidido por {who} el {when}.",
    "ident_done_confirmed": "Par confirmado.",
    "ident_done_merged": "Registro {merged} unido al registro {survivor}.",
    "ident_done_linked": "El elemento conserva ahora la clave {key}.",
    "ident_done_rejected": "Par descartado: no se volverá a proponer.",
    "ident_refused": "No fue posible unir los registros",
    "ident_bad_decision": "Elija confirmar o descartar.",
}

IDENT_FIELD: Final[Messages[str]] = Messages({
    "given_names": "Nombre(s)",
    "first_surname": "Primer apellido",
    "surnames": "Segundo apellido",
    "birth": "Nacimiento",
    "sex": "Sexo",
    "curp": "CURP",
    "agencies": "Corporaciones",
    "service": "Inicio del servicio",
})

IDENT_LEVEL: Final[Messages[str]] = Messages({
    "missing": "sin dato",
    "same": "igual",
    "very similar": "muy parecido",
    "similar": "parecido",
    "different": "distinto",
    "same second surname": "igual",
    "swapped": "apellidos invertidos",
    "second surname missing on one side": "falta en un registro",
    "second surname similar": "parecido",
    "same date": "misma fecha",
    "one character apart": "difiere en un carácter",
    "a digit, a day or a month off": "un dígito, un día o un mes de diferencia",
    "same year, one date unknown": "mismo año; una fecha se desconoce",
    "same year": "mismo año",
    "one year apart": "un año de diferencia",
    "served in a common agency": "sirvieron en una misma corporación",
    "no agency in common": "ninguna corporación en común",
    "began service the same day": "iniciaron el mismo día",
    "began service within a year": "iniciaron con menos de un año de diferencia",
    "began service years apart": "iniciaron con años de diferencia",
})

IDENT_STATUS: Final[Messages[str]] = Messages({
    "proposed": "Pendiente",
    "confirmed": "Confirmado",
    "rejected": "Descartado",
    "withdrawn": "Retirado (uno de los registros se unió a otro)",
})


class IdentityLabels:
    """The label tables of the matching pages (`il.field[...]`, `il.level[...]`)."""

    field = IDENT_FIELD
    level = IDENT_LEVEL
    status = IDENT_STATUS
