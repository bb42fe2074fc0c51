"""The pages of another authority's sanctions (Spanish source; merged into `strings.TEXT`,
translated per request): the review queue, one record with its candidates, and the section on
the officer's record (issue 17, item 6; ADR 0036).

Keys are unique across the whole catalogue: prefix them with "os_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "os_queue_title": "Sanciones de otras autoridades por revisar",
    "os_queue_intro": "Registros de listas de otras autoridades que el sistema no vinculó a un "
                      "elemento: nunca se vinculan solo por el nombre. Compare y decida. Esta "
                      "consulta queda registrada.",
    "os_queue_none": "No hay registros por revisar.",
    "os_show_unmatched": "Incluir los registros sin candidatos",
    "os_col_record": "Registro",
    "os_col_person": "Persona (según la lista)",
    "os_col_sanction": "Sanción",
    "os_col_why": "Por qué espera",
    "os_col_candidates": "Candidatos",
    "os_more": "Siguientes",
    "os_item_title": "Sanción de otra autoridad n.º {id}",
    "os_back": "Volver a la lista",
    "os_list_facts": "Lo que dice la lista",
    "os_field_name": "Nombre",
    "os_field_curp": "CURP",
    "os_field_birth": "Nacimiento",
    "os_field_employer": "Dependencia",
    "os_field_position": "Puesto",
    "os_field_kind": "Sanción",
    "os_field_period": "Vigencia",
    "os_field_finding": "Causa",
    "os_field_authority": "Autoridad",
    "os_field_file": "Expediente",
    "os_field_status": "Situación",
    "os_open_ended": "sin fecha de término",
    "os_candidates": "Candidatos del registro",
    "os_no_candidates": "Ningún elemento del registro coincide. Si sabe quién es, escriba su "
                        "número de elemento.",
    "os_col_officer": "Elemento",
    "os_col_registry": "En el registro",
    "os_col_levels": "Coincidencias",
    "os_link_this": "Es este elemento",
    "os_link_other": "Vincular a otro elemento",
    "os_officer_number": "Número de elemento",
    "os_note": "Nota (opcional)",
    "os_reject": "No es ninguno de ellos",
    "os_reject_reason": "Motivo (al menos 10 caracteres)",
    "os_decide": "Decidir",
    "os_decided": "Decidido por {who} el {when}.",
    "os_done_linked": "El registro quedó vinculado al elemento {officer}.",
    "os_done_rejected": "El registro quedó descartado.",
    "os_refused": "No se pudo registrar la decisión.",
    "os_bad_officer": "Escriba el número de un elemento.",
    "os_record_title": "Sanciones de otras autoridades",
    "os_record_none": "Ninguna sanción de otra autoridad vinculada a este elemento.",
    "os_record_line": "{kind} desde el {start}, impuesta por {authority}",
    "os_record_until": "hasta el {end}",
    "os_record_by": "vinculada por {how}",
}

OS_KIND: Final[Messages[str]] = Messages({
    "suspension": "Suspensión",
    "dismissal": "Destitución",
    "decertification": "Cancelación de la certificación",
    "disqualification": "Inhabilitación",
    "reprimand": "Amonestación",
    "fine": "Sanción económica",
    "other": "Otra sanción",
})

OS_STATUS: Final[Messages[str]] = Messages({
    "linked": "Vinculado",
    "review": "Por revisar",
    "unmatched": "Sin candidatos",
    "rejected": "Descartado",
})

OS_LINKED_BY: Final[Messages[str]] = Messages({
    "curp": "la CURP y el nombre",
    "facts": "nombre, fecha de nacimiento y dependencia",
    "reviewer": "una revisión",
})

OS_LEVEL: Final[Messages[str]] = Messages({
    "same": "mismo nombre",
    "partial": "nombre en parte",
    "similar": "nombre parecido",
    "same_date": "misma fecha de nacimiento",
    "same_year": "mismo año de nacimiento",
    "unknown": "sin dato",
    "served": "sirvió en esa dependencia",
    "not_served": "no sirvió en esa dependencia",
})


class OutsideLabels:
    """The label tables of these pages (`ol.kind[...]`, `ol.status[...]`, ...)."""

    kind = OS_KIND
    status = OS_STATUS
    linked_by = OS_LINKED_BY
    level = OS_LEVEL
