"""The home pages' text (Spanish source; merged into `strings.TEXT`, translated per request).

Keys are unique across the whole catalogue: prefix them with "home_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages  # noqa: F401  (label tables are Messages)

TEXT: Final[dict[str, str]] = {
    # The page and its refresh
    "home_attention": "Lo que requiere su atención",
    "home_updated": "Cifras al",
    "home_refresh": "Actualizar",
    "home_refresh_help": "Las cifras se actualizan solas cada minuto durante unos minutos.",
    "home_refresh_stopped": (
        "La actualización automática se detuvo para que la sesión pueda expirar si nadie usa "
        "el equipo. Use «Actualizar» para ver las cifras del momento."
    ),
    "home_no_panels": "Su rol no tiene pendientes que mostrar en esta página.",
    "home_none_pending": "Nada pendiente.",
    "home_at_least": "{n} o más",
    "home_some_shown": (
        "Son muchos: se muestran algunos. La lista completa está en la página de la sección."
    ),
    "home_trail_window": (
        "Revisadas las últimas {n} entradas de la bitácora, desde el {since}."
    ),
    "home_search_title": "Buscar un elemento",
    "home_search_name": "Nombre, en cualquier orden",
    "home_by": "por",
    # The examiner
    "home_exams_title": "Mis exámenes por aplicar",
    "home_exams_pending": "Por aplicar",
    "home_exams_due": "Para hoy o atrasados",
    "home_exams_all": "Ver todos mis exámenes",
    # The centre coordinator
    "home_to_schedule_title": "Solicitudes por programar",
    "home_to_schedule_count": "Por programar",
    "home_to_schedule_all": "Ir a la agenda",
    "home_agenda_title": "Agenda de hoy",
    "home_agenda_count": "Exámenes programados para hoy",
    "home_agenda_given": "Ya aplicados",
    "home_agenda_all": "Ver las evaluaciones programadas",
    # The certification officer
    "home_to_decide_title": "Evaluaciones por dictaminar",
    "home_to_decide_count": "Por dictaminar",
    "home_to_decide_all": "Ir a dictámenes",
    "home_to_confirm_title": "Dictámenes no aprobatorios por confirmar",
    "home_to_confirm_count": "Esperan su confirmación",
    "home_to_confirm_help": "Dictámenes de otras personas: los suyos los confirma alguien más.",
    "home_to_confirm_all": "Ver los dictámenes por confirmar",
    "home_appeals_title": "Recursos por resolver",
    "home_appeals_count": "Por resolver",
    "home_appeals_help": "No incluye los de evaluaciones en las que usted participó.",
    "home_appeals_filed": "interpuesto el",
    "home_appeals_all": "Ver los recursos",
    # Agency HR
    "home_alerts_title": "En servicio sin certificación vigente",
    "home_alerts_count": "Elementos en alerta",
    "home_alerts_all": "Ver la lista de alertas",
    "home_expiring_title": "Aprobaciones por vencer",
    "home_expiring_count": "Vencen a más tardar el {date}",
    "home_expiring_ends": "vence el",
    "home_expiring_requested": "reevaluación ya solicitada",
    "home_expiring_all": "Ver las reevaluaciones",
    "home_notices_title": "Avisos sin leer",
    "home_notices_count": "Sin leer",
    "home_notices_all": "Ver los avisos",
    "home_separations_title": "Separaciones en trámite",
    "home_separations_count": "Abiertas",
    "home_separations_opened": "abierta el",
    "home_separations_all": "Ver las separaciones",
    # Internal affairs
    "home_not_approved_title": "Resultados no aprobatorios recientes",
    "home_not_approved_count": "En los últimos {days} días",
    "home_not_approved_on": "en vigor desde el",
    "home_not_approved_all": "Ver la lista de alertas",
    "home_my_reads_title": "Mis consultas recientes de datos de contacto",
    # The registry clerk
    "home_my_changes_title": "Mis cambios recientes en el registro",
    "home_own_today": "Hoy",
    "home_own_none": "No hay registros suyos recientes de este tipo.",
    # The auditor and the administrator: the trail
    "home_reports_title": "Informes de acceso emitidos",
    "home_reports_count": "Emitidos",
    "home_sensitive_title": "Consultas de datos reservados",
    "home_sensitive_count": "Consultas",
    "home_refusals_title": "Intentos de acceso rechazados",
    "home_refusals_count": "Rechazos",
    "home_failed_title": "Inicios de sesión rechazados",
    "home_failed_count": "Rechazados",
    "home_trail_all": "Ir a Accesos",
    "home_trail_account": "Historial de la cuenta",
    # The administrator: accounts and agencies
    "home_accounts_title": "Cuentas de usuario",
    "home_accounts_active": "Activas",
    "home_accounts_inactive": "Desactivadas",
    "home_accounts_all": "Administrar cuentas (API)",
    "home_agencies_title": "Corporaciones",
    "home_agencies_active": "Vigentes",
    "home_agencies_dissolved": "Extintas",
    "home_agencies_all": "Consultar corporaciones",
    # Integrity cases: internal affairs, its supervisors, the honour commission
    "home_cases_late": "Fuera de plazo",
    "home_cases_due": "plazo",
    "home_cases_late_days": "{days} días de retraso",
    "home_cases_all": "Ir a los expedientes",
    "home_my_cases_title": "Mis expedientes en investigación",
    "home_my_cases_count": "Asignados a usted",
    "home_to_assign_title": "Expedientes por asignar",
    "home_to_assign_count": "En recepción, sin investigador",
    "home_cases_late_title": "Expedientes fuera de plazo",
    "home_cases_late_count": "Con la etapa vencida",
    "home_findings_due_title": "Expedientes por resolver",
    "home_findings_due_count": "Esperan sus resoluciones o la sanción",
    "home_findings_confirm_title": "Resoluciones por confirmar",
    "home_findings_confirm_count": "Esperan una segunda persona",
    "home_findings_confirm_help": "Resoluciones de otra persona de la Comisión que descansan en "
                                  "una declaración que el elemento afirma coaccionada.",
    "home_findings_confirm_item": "resolución {id}",
    "home_case_appeals_title": "Recursos por resolver",
    "home_case_appeals_count": "Le corresponden como tercera persona",
    # Agency HR: early intervention
    "home_flags_title": "Alertas de intervención temprana por revisar",
    "home_flags_count": "Sin revisar",
    "home_flags_rank": "lugar {rank}",
    "home_flags_all": "Ir a intervención temprana",
}
