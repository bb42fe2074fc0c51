"""The dashboard pages' text (Spanish source; merged into `strings.TEXT`, translated per request).

Keys are unique across the whole catalogue: prefix them with "dashboard_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "dashboard_nav": "Tablero",
    "dashboard_title": "Tablero de cobertura",
    "dashboard_intro": (
        "Situación de control de confianza del personal con adscripción vigente: cuántos están "
        "evaluados y aprobados, qué aprobaciones vencen, cómo resultan los exámenes y cuánto "
        "trabajo espera en los centros de evaluación. Cada consulta queda registrada."
    ),
    "dashboard_as_of": "Cifras al {moment}",
    "dashboard_as_of_note": "Se recalculan cada minuto.",
    "dashboard_filter_legend": "Ámbito",
    "dashboard_filter_state": "Estado",
    "dashboard_filter_agency": "Corporación",
    "dashboard_filter_all_states": "Todo el país",
    "dashboard_filter_all_agencies": "Todas las del estado",
    "dashboard_filter_stateless_agency": "Corporación federal o extranjera",
    "dashboard_filter_all_stateless": "Ninguna en particular",
    "dashboard_filter_submit": "Ver",
    "dashboard_loading": "Actualizando…",
    "dashboard_level_nav": "Nivel del tablero",
    "dashboard_national": "Nacional",
    "dashboard_no_state": "Fuerzas federales y extranjeras (sin estado)",
    "dashboard_none": "No hay personal con adscripción vigente en este ámbito.",
    "dashboard_table_toggle": "Ver los datos como tabla",
    "dashboard_share_of": "{share} del total",
    # Headline
    "dashboard_headline": "Cifras principales",
    # Ranking
    "dashboard_rank_states": "En servicio sin certificación vigente, por estado",
    "dashboard_rank_agencies": "En servicio sin certificación vigente, por corporación",
    "dashboard_rank_caption": (
        "Porcentaje del personal con adscripción vigente que está en servicio activo sin "
        "evaluación aprobada vigente o sin Certificado Único Policial vigente, de mayor a menor. "
        "En la tabla, cada nombre lleva a su detalle."
    ),
    "dashboard_rank_single": (
        "Esta vista es de una sola corporación: no hay otras con qué compararla."
    ),
    "dashboard_col_state": "Estado",
    "dashboard_col_agency": "Corporación",
    "dashboard_col_officers": "Elementos",
    "dashboard_col_uncertified": "Sin certificación vigente",
    "dashboard_col_share": "Porcentaje",
    # Expiries
    "dashboard_months_title": "Aprobaciones que vencen en los próximos 12 meses",
    "dashboard_months_caption": (
        "Evaluaciones aprobadas del personal con adscripción vigente cuya vigencia termina en "
        "cada mes; el mes en curso cuenta desde hoy. Son las reevaluaciones que habrá que "
        "programar."
    ),
    "dashboard_col_month": "Mes",
    "dashboard_col_expiring": "Aprobaciones que vencen",
    "dashboard_months_total": "Total en 12 meses",
    # Exams
    "dashboard_exams_title": "Resultados de los exámenes en los últimos 12 meses",
    "dashboard_exams_caption": (
        "Exámenes registrados desde el {since}, por tipo, en evaluaciones solicitadas en este "
        "ámbito. Un examen aprueba salvo que su resultado sea desfavorable; el porcentaje a la "
        "derecha de cada barra es su tasa de aprobación."
    ),
    "dashboard_exams_withheld": (
        "Su rol no consulta resultados de exámenes: las cifras menores de 10, y las que "
        "permitirían deducirlas, se reservan."
    ),
    "dashboard_col_exam": "Examen",
    "dashboard_col_recorded": "Registrados",
    "dashboard_col_rate": "Aprobación",
    "dashboard_legend": "Leyenda",
    # Backlog
    "dashboard_backlog_title": "Solicitudes pendientes frente a la capacidad de los centros",
    "dashboard_backlog_caption": (
        "Solicitudes de evaluación aún sin resolver, por centro, y los días hábiles que el "
        "centro necesita para aplicar los exámenes pendientes a su capacidad diaria (el tipo de "
        "examen más lento fija la cifra). Una solicitud sin agendar se cuenta en el centro de su "
        "estado."
    ),
    "dashboard_backlog_none": "No hay solicitudes de evaluación pendientes.",
    "dashboard_col_centre": "Centro",
    "dashboard_col_requests": "Solicitudes",
    "dashboard_col_pending": "Exámenes pendientes",
    "dashboard_col_slowest": "Examen que limita",
    "dashboard_col_days": "Días hábiles",
    "dashboard_day": "{days} día",
    "dashboard_days": "{days} días",
    "dashboard_days_never": "Sin capacidad",
    "dashboard_no_centre": "Sin centro que las atienda",
    "dashboard_public_link": "Versión pública",
    # Public page
    "dashboard_public_title": "Cobertura del control de confianza",
    "dashboard_public_intro": (
        "Cifras agregadas del registro nacional: personal de seguridad pública con adscripción "
        "vigente y su situación de control de confianza, por estado. No contiene datos de "
        "ninguna persona."
    ),
    "dashboard_public_as_of": "Cifras al {moment}; se actualizan cada pocos minutos.",
    "dashboard_public_filter": "Consultar",
    "dashboard_public_state": "Estado",
    "dashboard_public_all": "Todo el país",
    "dashboard_public_submit": "Ver",
    "dashboard_public_requests": "Solicitudes pendientes en todo el país: {count}",
    "dashboard_public_footer": (
        "Esta página no requiere cuenta y no registra quién la consulta: solo muestra cifras "
        "agregadas."
    ),
    "dashboard_withheld": "reservado",
    "dashboard_withheld_mark": "*",
    "dashboard_withheld_mark_note": "En la gráfica, * marca un mes reservado.",
    "dashboard_withheld_note": (
        "«Reservado»: una cifra menor de 10, o una que permitiría deducirla a partir de los "
        "totales publicados. Así ninguna persona puede ser identificada."
    ),
}

#: The headline figures, in order, with their labels.
DASHBOARD_FIGURES: Final[tuple[str, ...]] = (
    "officers", "evaluated", "approved", "expired", "not_approved", "never_evaluated",
    "certified", "on_duty_uncertified",
)
DASHBOARD_FIGURE: Final[Messages[str]] = Messages({
    "officers": "Elementos con adscripción vigente",
    "evaluated": "Evaluados",
    "approved": "Aprobación vigente",
    "expired": "Aprobación vencida",
    "not_approved": "No aprobados",
    "never_evaluated": "Nunca evaluados",
    "certified": "Certificados (CUP vigente)",
    "on_duty_uncertified": "En servicio activo sin certificación vigente",
})

DASHBOARD_OUTCOME: Final[Messages[str]] = Messages({
    "approving": "Aprobatorio",
    "favourable": "Favorable",
    "reservations": "Con reservas",
    "adverse": "Desfavorable",
})

DASHBOARD_STAGE: Final[Messages[str]] = Messages({
    "awaiting_schedule": "Por agendar",
    "in_exams": "En exámenes",
    "awaiting_decision": "Por resolver",
})
