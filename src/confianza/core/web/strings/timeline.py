"""The timeline pages' text (Spanish source; merged into `strings.TEXT`, translated per request).

Keys are unique across the whole catalogue: prefix them with "timeline_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "timeline_title": "Cronología del expediente",
    "timeline_link": "Cronología del expediente",
    "timeline_link_help": "Adscripciones, evaluaciones, dictámenes, certificación, apelaciones "
                          "y accesos, en orden de fecha.",
    "timeline_back": "Volver al expediente",
    "timeline_of": "Elemento {id}: {name}",
    "timeline_intro": (
        "Los hechos del expediente, del más reciente al más antiguo. Solo aparecen las "
        "secciones que su rol permite consultar. Esta consulta queda registrada."
    ),
    "timeline_shown": "Secciones incluidas",
    "timeline_filter": "Filtrar la cronología",
    "timeline_filter_kind": "Tipo de hecho",
    "timeline_filter_all": "Todos los tipos",
    "timeline_filter_submit": "Mostrar",
    "timeline_bad_kind": "Elija un tipo de hecho de la lista; se muestran todos.",
    "timeline_loading": "Cargando…",
    "timeline_events": "Hechos",
    "timeline_none": "No hay hechos registrados de este tipo.",
    "timeline_year_count": "{year}: {count} hechos",
    "timeline_year_one": "{year}: 1 hecho",
    "timeline_section_label": "Sección",
    "timeline_detail": "Ver detalle",
    "timeline_evaluation": "Evaluación {id}",
    "timeline_undated": (
        "Hay {count} placa(s) registrada(s) sin fecha: no tienen lugar en la cronología y "
        "se consultan en el expediente."
    ),
    "timeline_accesses_recent": (
        "Los accesos mostrados son los {limit} más recientes, como máximo, de la parte más "
        "reciente de la bitácora (revisada hasta el asiento {seq})."
    ),
    "timeline_accesses_all": "Los accesos mostrados cubren toda la bitácora.",
    "timeline_accesses_link": "Historial completo de accesos",
    "timeline_yes": "Sí",
    # Field labels of the events
    "timeline_f_agency": "Corporación",
    "timeline_f_unit": "Unidad",
    "timeline_f_rank": "Grado",
    "timeline_f_reason": "Motivo",
    "timeline_f_number": "Número",
    "timeline_f_until": "Hasta",
    "timeline_f_evaluation_kind": "Tipo de evaluación",
    "timeline_f_status": "Estado actual",
    "timeline_f_exam": "Examen",
    "timeline_f_outcome": "Resultado",
    "timeline_f_notes": "Observaciones",
    "timeline_f_verdict": "Resultado",
    "timeline_f_awaiting": "Pendiente de confirmación por un segundo certificador",
    "timeline_f_valid_until": "Vigente hasta",
    "timeline_f_grounds": "Fundamentos",
    "timeline_f_note": "Nota",
    "timeline_f_separation": "Conclusión",
    "timeline_f_component": "Componente",
    "timeline_f_hours": "Horas",
    "timeline_f_current": "Vigente",
    "timeline_f_end": "Causa",
    "timeline_f_credential": "Estado de la credencial",
    "timeline_f_appeal_grounds": "Agravios",
    "timeline_f_appeal_outcome": "Resolución",
    "timeline_f_resolution": "Fundamentos de la resolución",
    "timeline_f_who": "Quién",
    "timeline_f_posting_kind": "Tipo de adscripción",
    "timeline_f_officer_status": "Estatus",
    "timeline_f_how": "Medio",
    "timeline_f_action": "Acción",
    "timeline_f_purpose": "Motivo declarado",
    "timeline_f_reach": "Relación con el expediente",
}

TIMELINE_SECTION: Final[Messages[str]] = Messages({
    "assignments": "Adscripciones y placas",
    "evaluations": "Evaluaciones",
    "results": "Resultados de exámenes",
    "decisions": "Dictámenes",
    "certificates": "Certificación (CUP)",
    "appeals": "Apelaciones",
    "accesses": "Accesos al expediente",
})

TIMELINE_KIND: Final[Messages[str]] = Messages({
    "assignment_started": "Inicio de adscripción",
    "assignment_ended": "Fin de adscripción",
    "leave_started": "Inicio de licencia",
    "leave_ended": "Regreso de licencia",
    "status_changed": "Cambio de estatus",
    "badge_issued": "Asignación de placa",
    "evaluation_requested": "Solicitud de evaluación",
    "evaluation_cancelled": "Cancelación de la solicitud de evaluación",
    "exam_recorded": "Examen registrado",
    "decided": "Dictamen emitido",
    "confirmed": "Dictamen no aprobatorio confirmado",
    "separation_opened": "Apertura del proceso de separación",
    "separation_closed": "Conclusión del proceso de separación",
    "component_recorded": "Componente del CUP registrado",
    "certificate_issued": "CUP emitido",
    "certificate_ended": "CUP concluido",
    "credential_issued": "Credencial verificable emitida",
    "appeal_filed": "Apelación interpuesta",
    "appeal_decided": "Apelación resuelta",
    "accessed": "Acceso al expediente",
})

TIMELINE_SEPARATION: Final[Messages[str]] = Messages({
    "open": "En trámite",
    "separated": "Baja del elemento",
    "withdrawn": "Retirado: la apelación revocó el dictamen",
})

TIMELINE_CREDENTIAL_STATUS: Final[Messages[str]] = Messages({
    "valid": "Vigente",
    "suspended": "Suspendida",
    "revoked": "Revocada",
    "expired": "Vencida",
})

TIMELINE_CREDENTIAL_REASON: Final[Messages[str]] = Messages({
    "not_approved": "resultado no aprobatorio",
    "replaced": "sustituida por otra",
    "separated": "baja del elemento",
    "deceased": "fallecimiento",
    "suspended": "suspensión",
    "removed_from_duty": "retiro de funciones operativas",
})
