"""Every piece of text the pages show, in one place, so a later change can translate it (Babel).

Templates reach these as `t.<key>` and the label tables as `labels.<table>[value]`; Python code
uses `TEXT[...]`. Nothing user-facing is written inline in a template or a route.
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages, translate

TEXT: Final[Messages[str]] = Messages({
    "app_name": "Confianza",
    "app_tagline": "Registro Nacional de Personal de Seguridad Pública",
    "skip_to_content": "Saltar al contenido",
    "nav_label": "Principal",
    "nav_home": "Inicio",
    "nav_officers": "Elementos",
    "nav_agencies": "Corporaciones",
    "nav_signed_in_as": "Sesión de",
    "sign_out": "Cerrar sesión",
    "footer": "Cada consulta queda registrada en la bitácora de auditoría.",
    # Sign in
    "login_title": "Iniciar sesión",
    "login_intro": "Acceso exclusivo para personal autorizado.",
    "login_username": "Usuario",
    "login_password": "Contraseña",
    "login_submit": "Entrar",
    "login_failed": (
        "No fue posible iniciar sesión: el usuario o la contraseña no son correctos, "
        "o la cuenta está bloqueada temporalmente por intentos fallidos."
    ),
    "login_form_expired": "El formulario caducó. Intente de nuevo.",
    "login_session_ended": "Su sesión terminó. Inicie sesión de nuevo para continuar.",
    "login_signed_out": "Cerró su sesión correctamente.",
    "login_notice": "El uso de este sistema se registra. El acceso no autorizado es un delito.",
    # Home
    "home_title": "Inicio",
    "home_welcome": "Bienvenido(a)",
    "home_user": "Usuario",
    "home_role": "Rol",
    "home_scope": "Ámbito",
    "home_links": "¿Qué desea hacer?",
    "home_link_officers": "Buscar elementos",
    "home_link_officers_help": "Por nombre, CURP, placa, corporación o situación.",
    "home_link_agencies": "Consultar corporaciones y estados de fuerza",
    "home_link_agencies_help": "El personal adscrito a cada corporación.",
    "home_link_api": "Documentación de la API",
    "home_link_api_help": "Para sistemas que se conectan a Confianza.",
    "scope_national": "Nacional",
    "scope_state": "Estado",
    "scope_agency": "Corporación",
    # Officer search
    "search_title": "Búsqueda de elementos",
    "search_intro": (
        "Los resultados se actualizan mientras escribe. Cada búsqueda queda registrada."
    ),
    "search_name": "Nombre",
    "search_name_help": (
        "En cualquier orden, con o sin acentos: «María Peña Ruiz» o «Peña Ruiz María». "
        "La última palabra puede ir incompleta."
    ),
    "search_curp": "CURP",
    "search_badge": "Número de placa",
    "search_key": "Clave de identidad",
    "search_key_help": (
        "Una CURP, un número de placa o la clave de otro sistema (nómina, número de empleado)."
    ),
    "search_agency": "Corporación",
    "search_ever_served": "También quienes estuvieron adscritos antes",
    "search_status": "Situación",
    "search_any": "Todas",
    "search_submit": "Buscar",
    "search_clear": "Limpiar",
    "search_empty_query": "Escriba al menos un criterio para buscar.",
    "search_no_results": "Ningún elemento coincide con la búsqueda.",
    "search_next": "Página siguiente",
    "search_loading": "Buscando…",
    "search_results": "Resultados",
    "col_name": "Nombre",
    "col_curp": "CURP",
    "col_status": "Situación",
    "col_birth": "Nacimiento",
    "col_agency": "Corporación",
    "col_unit": "Unidad",
    "col_rank": "Grado",
    "col_from": "Desde",
    "col_to": "Hasta",
    "col_start_reason": "Motivo de alta",
    "col_end_reason": "Motivo de baja",
    "col_badge": "Placa",
    "col_scheme": "Sistema",
    "col_value": "Identificador",
    "col_since": "Adscrito desde",
    "col_code": "Clave",
    "col_level": "Nivel",
    "col_state": "Estado",
    "col_actions": "Consultar",
    "none": "—",
    "unknown": "Sin dato",
    # Officer profile
    "profile_title": "Expediente del elemento",
    "profile_identity": "Identidad",
    "profile_full_name": "Nombre completo",
    "profile_sex": "Sexo",
    "profile_birth_date": "Fecha de nacimiento",
    "profile_birth_year": "Año de nacimiento",
    "profile_record": "Folio",
    "profile_merged": (
        "El folio {merged} ya no existe por sí mismo: se fusionó con este registro el {when} "
        "({who}), al confirmarse que eran la misma persona. Su historia está aquí."
    ),
    "profile_current": "Adscripción actual",
    "profile_no_current": "Sin adscripción vigente.",
    "profile_history": "Adscripciones anteriores",
    "profile_no_history": "Sin adscripciones anteriores.",
    "profile_status_history": "Historial de estatus",
    "profile_status_history_help": (
        "Cada estatus que tuvo el elemento, desde cuándo, por qué y quién lo registró."),
    "profile_no_status_history": "Sin cambios de estatus registrados.",
    "col_posting_status": "Estado",
    "col_posting_kind": "Tipo de adscripción",
    "col_effective_on": "Desde",
    "col_reason": "Motivo",
    "col_recorded_by": "Registró",
    "profile_leave_since": "Licencia desde el {day}",
    "profile_badges": "Placas",
    "profile_no_badges": "Sin placas registradas.",
    "profile_identifiers": "Identificadores externos",
    "profile_no_identifiers": "Sin identificadores externos.",
    "profile_open": "vigente",
    "contacts_title": "Datos de contacto",
    "contacts_hidden": (
        "Los teléfonos y el domicilio son datos reservados. Para verlos declare el motivo de la "
        "consulta; el motivo queda registrado en la bitácora junto con su nombre."
    ),
    "contacts_purpose": "Motivo de la consulta",
    "contacts_purpose_help": "Mínimo {min} caracteres, p. ej. «Citatorio del expediente 12/2026».",
    "contacts_purpose_short": "Declare el motivo de la consulta con al menos {min} caracteres.",
    "contacts_purpose_long": "El motivo no puede pasar de 500 caracteres.",
    "contacts_submit": "Ver datos de contacto",
    "contacts_not_allowed": "Su rol no permite consultar datos de contacto.",
    "contacts_none": "El elemento no tiene datos de contacto registrados.",
    "contacts_recorded": "Consulta registrada con el motivo:",
    "contact_label": "Etiqueta",
    "back_to_search": "Volver a la búsqueda",
    # Agencies
    "agencies_title": "Corporaciones",
    "agencies_intro": "Corporaciones vigentes dentro de su ámbito.",
    "agencies_filter": "Nombre o clave",
    "agencies_filter_submit": "Filtrar",
    "agencies_none": "Ninguna corporación coincide.",
    "agencies_next": "Página siguiente",
    "agencies_roster_link": "Estado de fuerza",
    "roster_title": "Estado de fuerza",
    "roster_intro": "Personal con adscripción vigente en la corporación, una página a la vez.",
    "roster_total": "Total",
    "roster_counts": "Personal por situación",
    "roster_empty": "La corporación no tiene personal adscrito.",
    "roster_sort_asc": "Ordenar por nombre, de la A a la Z",
    "roster_sort_desc": "Ordenar por nombre, de la Z a la A",
    "roster_dissolved": "Corporación extinta el",
    "roster_order": "Ordenado por apellidos, nombres y folio.",
    "roster_show_status": "Mostrar solo esta situación",
    "roster_former": "Personal anterior",
    "roster_no_former": "La corporación no tiene personal anterior registrado.",
    "roster_show_former": "Mostrar a quienes estuvieron adscritos y ya no lo están",
    "roster_staff": "Personal",
    "roster_until": "Hasta",
    "roster_still_here": "Vigente",
    "roster_bad_staff": "No existe el personal «{value}»: se muestra el vigente.",
    "roster_filter_text": "Nombre, CURP, placa o clave",
    "roster_filter_help": (
        "Un nombre en cualquier orden (p. ej. «María Peña» o «Peña Ruiz M»), una CURP, un "
        "número de placa de la corporación o una clave de otro sistema."
    ),
    "roster_none_match": "Nadie en el estado de fuerza coincide con el filtro.",
    "roster_csv": "Descargar el estado de fuerza (CSV)",
    "roster_csv_help": (
        "Todas las páginas de lo que se muestra, con los mismos filtros (personal, situación, "
        "texto, orden); la descarga queda registrada en la bitácora."
    ),
    "roster_csv_bad_status": "no existe la situación «{value}»",
    "roster_csv_bad_staff": "no existe el personal «{value}» (vacío, «anterior» o «todos»)",
    "roster_pages": "Páginas del estado de fuerza",
    "roster_first": "Primera página",
    "roster_previous": "Página anterior",
    "roster_next": "Página siguiente",
    "roster_bad_status": "No existe la situación «{value}»: se muestran todas.",
    "roster_bad_text": (
        "El texto de búsqueda admite hasta {max} caracteres y ningún carácter de control: "
        "no se aplicó."
    ),
    "roster_bad_cursor": (
        "El enlace de página no lo emitió este sistema (o lo emitió una versión anterior): se "
        "muestra la primera página."
    ),
    "roster_stale": (
        "Ya no hay personal después de este punto: el estado de fuerza cambió desde que se "
        "abrió el enlace. Vuelva a la primera página."
    ),
    # Errors
    "error_request_id": "Folio de la solicitud",
    "error_request_id_help": "Si necesita ayuda, comunique este folio al área de soporte.",
    "error_detail": "Detalle técnico",
    "error_back_home": "Ir al inicio",
    "error_htmx": "No se pudo completar la operación. Recargue la página e intente de nuevo.",
})

# Title and explanation of each error page, by HTTP status.
ERRORS: Final[dict[int, tuple[str, str]]] = {
    400: ("Solicitud no válida", "La solicitud no se pudo procesar."),
    401: ("Sesión no iniciada", "Inicie sesión para continuar."),
    403: ("Acceso denegado", "Su cuenta no tiene permiso para consultar este recurso."),
    404: ("No encontrado", "El recurso solicitado no existe."),
    405: ("Operación no permitida", "Esta dirección no admite la operación solicitada."),
    409: ("Conflicto", "La operación choca con información ya registrada."),
    422: ("Datos no válidos", "Revise los datos enviados."),
    428: ("Motivo requerido", "Esta consulta requiere declarar un motivo."),
    429: ("Demasiadas solicitudes", "Espere un momento antes de volver a intentarlo."),
    500: ("Error interno", "Ocurrió un error inesperado. El incidente quedó registrado."),
}



def error_text(status: int) -> tuple[str, str]:
    """The title and explanation of the error page for `status`, in the request's language."""
    title, explanation = ERRORS.get(status, ERRORS[400])
    return translate(title), translate(explanation)


# Statuses whose technical detail is safe and useful to show (never a 500's).
ERRORS_WITH_DETAIL: Final[frozenset[int]] = frozenset({400, 403, 404, 409, 422, 428,
                                                       429})

OFFICER_STATUS: Final[Messages[str]] = Messages({
    "active": "Activo",
    "removed_from_duty": "Retirado de funciones operativas",
    "suspended": "Suspendido",
    "separated": "Baja",
    "deceased": "Fallecido",
})

SEX: Final[Messages[str]] = Messages({"H": "Hombre", "M": "Mujer", "X": "No binario"})

ROLE: Final[Messages[str]] = Messages({
    "registry_clerk": "Capturista del registro",
    "agency_hr": "Recursos humanos de corporación",
    "examiner": "Evaluador(a)",
    "certification_officer": "Certificador(a)",
    "internal_affairs": "Asuntos internos",
    "internal_affairs_supervisor": "Supervisión de asuntos internos",
    "honour_commission": "Comisión de Honor y Justicia",
    "auditor": "Auditor(a)",
    "administrator": "Administrador(a)",
})

CHANGE_REASON: Final[Messages[str]] = Messages({
    "appointment": "Ingreso",
    "transfer": "Cambio de adscripción",
    "promotion": "Ascenso",
    "demotion": "Degradación",
    "reassignment": "Cambio de unidad",
    "merger": "Fusión de corporaciones",
    "separation": "Baja",
    "retirement": "Retiro",
    "resignation": "Renuncia",
    "dismissal": "Baja por destitución",
    "in_lieu_of_dismissal": "Renuncia en lugar de destitución",
    "death": "Fallecimiento",
    "correction": "Corrección",
    "import": "Importación",
})

POSTING_STATUS: Final[Messages[str]] = Messages({
    "active": "En activo",
    "on_leave": "Con licencia",
    "separated": "Concluida",
})

POSTING_KIND: Final[Messages[str]] = Messages({
    "full_time": "Tiempo completo",
    "task_force": "Comisión a fuerza de tarea",
    "reserve": "Reserva",
    "part_time": "Tiempo parcial",
})

EMPLOYMENT_KIND: Final[Messages[str]] = Messages({
    "sworn": "Policía",
    "custody": "Custodia penitenciaria",
    "civilian": "Personal administrativo",
    "private_security": "Seguridad privada",
})

AGENCY_LEVEL: Final[Messages[str]] = Messages({
    "federal": "Federal",
    "state": "Estatal",
    "municipal": "Municipal",
    # A force outside Mexico (a foreign roster held for comparison): its own country's levels
    # are not ours, so it is named as foreign rather than forced into one of the three.
    "foreign": "Extranjera",
})

ROSTER_STAFF: Final[Messages[str]] = Messages({
    "current": "Vigente",
    "former": "Anterior (bajas y cambios de adscripción)",
    "all": "Vigente y anterior",
})

CONTACT_KIND: Final[Messages[str]] = Messages({
    "phone": "Teléfono",
    "address": "Domicilio",
    "email": "Correo electrónico",
})


class Labels:
    """The label tables, gathered for templates (`labels.status[officer.status]`)."""

    status = OFFICER_STATUS
    sex = SEX
    role = ROLE
    reason = CHANGE_REASON
    posting_status = POSTING_STATUS
    posting_kind = POSTING_KIND
    employment = EMPLOYMENT_KIND
    level = AGENCY_LEVEL
    contact = CONTACT_KIND
    staff = ROSTER_STAFF


def text(key: str, **values: object) -> str:
    """One message in the request's language, with its `{placeholders}` filled in."""
    message = TEXT[key]
    return message.format(**values) if values else message


# Trust control: agencies and coverage ----------------------------------------------------------
# The pages of agency HR and supervisors (alerts, re-evaluations, coverage, evaluation requests,
# notifications, separations, appeals, the profile's certification section). Keys start "tc_".
TEXT.update({
    "nav_tc_alerts": "Alertas",
    "nav_tc_reevaluations": "Reevaluaciones",
    "nav_tc_coverage": "Cobertura",
    "nav_tc_notifications": "Avisos",
    "nav_tc_separations": "Separaciones",
    "tc_no_state": "Sin estado (federal)",
    "tc_filter_agency": "Corporación",
    "tc_filter_state": "Estado",
    "tc_filter_all": "Todas",
    "tc_filter_all_states": "Todos",
    "tc_filter_submit": "Filtrar",
    "tc_filter_clear": "Quitar filtros",
    "tc_loading": "Cargando…",
    "tc_next": "Página siguiente",
    "tc_continued": "Continuación de la lista.",
    "tc_folio": "Folio",
    "tc_officer": "Elemento",
    "tc_officer_folio": "Expediente {id}",
    "tc_evaluation_folio": "Evaluación {id}",
    "tc_refused": "La operación no se pudo completar.",
    "tc_technical": "Detalle técnico",
    # Alerts
    "tc_alerts_title": "Alertas",
    "tc_alerts_intro": (
        "Elementos en servicio activo sin certificación vigente: sin evaluación, no aprobados, "
        "con la evaluación vencida o sin Certificado Único Policial. Cada consulta queda "
        "registrada."
    ),
    "tc_alerts_none": "Ningún elemento en servicio activo está sin certificación vigente.",
    "tc_alerts_csv": "Descargar la lista completa (CSV)",
    "tc_alerts_reasons": "Motivos",
    "tc_alerts_approved_until": "Evaluación vigente hasta",
    "tc_alerts_cup_until": "CUP vigente hasta",
    # Re-evaluations
    "tc_reeval_title": "Reevaluaciones",
    "tc_reeval_intro": (
        "Elementos cuya aprobación vence en los próximos seis meses, del vencimiento más "
        "próximo al más lejano."
    ),
    "tc_reeval_none": "Ninguna aprobación vence en los próximos seis meses.",
    "tc_reeval_ends": "Aprobación vigente hasta",
    "tc_reeval_status": "Evaluación",
    "tc_reeval_under_way": "En curso (folio {id})",
    "tc_reeval_request": "Solicitar evaluación de permanencia",
    "tc_reeval_other": "Otro tipo",
    "tc_reeval_not_requested": "Sin solicitar",
    # Coverage
    "tc_cov_title": "Cobertura de la certificación",
    "tc_cov_intro": (
        "Personal con adscripción vigente y su situación de control de confianza. Los "
        "porcentajes se calculan sobre el total de elementos de cada fila."
    ),
    "tc_cov_by": "Agrupar por",
    "tc_cov_by_state": "Estado",
    "tc_cov_by_agency": "Corporación",
    "tc_cov_group_state": "Estado",
    "tc_cov_group_agency": "Corporación",
    "tc_cov_total": "Total",
    "tc_cov_none": "No hay personal adscrito en su ámbito.",
    "tc_cov_caption": "Cifras de certificación",
    # Evaluation request
    "tc_req_title": "Solicitar evaluación de control de confianza",
    "tc_req_intro": (
        "La solicitud se envía al centro de evaluación, que programa los exámenes. Los "
        "resultados de los exámenes no se comunican a la corporación; solo el resultado final."
    ),
    "tc_req_agency": "Corporación que solicita",
    "tc_req_kind": "Tipo de evaluación",
    "tc_req_sensitive": "Tiene acceso a información sensible o reservada",
    "tc_req_sensitive_help": "Se agregan los exámenes que la norma exige para ese acceso.",
    "tc_req_rank": "Grado",
    "tc_req_rank_help": (
        "Obligatorio para promoción (grado al que asciende) y nuevo ingreso (grado con que "
        "ingresaría). En permanencia se toma el grado actual."
    ),
    "tc_req_reason": "Motivo",
    "tc_req_reason_help": "Obligatorio para una evaluación especial: al menos {min} caracteres.",
    "tc_req_submit": "Solicitar evaluación",
    "tc_req_cancel": "Volver",
    "tc_req_not_allowed": "Su rol no permite solicitar evaluaciones.",
    "tc_req_no_agency": (
        "El elemento no tiene adscripción vigente en una corporación de su ámbito."
    ),
    "tc_req_gone": "El elemento causó baja o falleció: no hay a quién evaluar.",
    "tc_req_under_way": (
        "Ya hay una evaluación en curso para este elemento. No se puede solicitar otra hasta "
        "que concluya; consulte su estado en el expediente."
    ),
    "tc_req_err_kind": "Elija el tipo de evaluación.",
    "tc_req_err_agency_missing": "Elija la corporación que solicita la evaluación.",
    "tc_req_err_agency": "La corporación está extinta; elija otra.",
    "tc_req_err_not_here": (
        "El elemento no tiene adscripción vigente en esa corporación; para ingresar a ella "
        "solicite una evaluación de nuevo ingreso."
    ),
    "tc_req_err_rank_promotion": "Indique el grado al que asciende.",
    "tc_req_err_rank_entry": "Indique el grado con que ingresaría.",
    "tc_req_err_rank_long": "El grado no puede pasar de 80 caracteres.",
    "tc_req_err_reason": (
        "Indique el motivo de la evaluación especial, con al menos {min} caracteres."
    ),
    "tc_req_err_reason_long": "El motivo no puede pasar de 2,000 caracteres.",
    # Notifications
    "tc_notices_title": "Avisos",
    "tc_notices_intro": (
        "Avisos a la corporación sobre resultados y apelaciones; primero los no leídos."
    ),
    "tc_notices_none": "No hay avisos.",
    "tc_notices_unread": "No leídos",
    "tc_notices_unread_mark": "Sin leer",
    "tc_notices_read_on": "Leído el",
    "tc_notices_mark": "Marcar como leído",
    "tc_notices_not_approved": (
        "El elemento no aprobó la evaluación {id}. Fue retirado de funciones operativas si "
        "estaba en servicio. Puede apelarse hasta el {date}."
    ),
    "tc_notices_appeal": "Se resolvió la apelación contra la evaluación {id}.",
    "tc_notices_system": "Texto del sistema",
    "tc_notices_appeal_link": "Apelación",
    # Separations and appeals filed
    "tc_sep_title": "Procesos de separación",
    "tc_sep_intro": (
        "Un resultado no aprobatorio confirmado abre un proceso de separación. No puede "
        "concluirse mientras pueda presentarse una apelación o haya una pendiente."
    ),
    "tc_sep_none": "No hay procesos de separación abiertos.",
    "tc_sep_opened": "Abierto el",
    "tc_sep_note": "Nota de conclusión",
    "tc_sep_note_help": "Cómo concluyó el proceso; al menos 10 caracteres.",
    "tc_sep_close": "Concluir separación",
    "tc_sep_note_short": "Describa cómo concluyó el proceso, con al menos 10 caracteres.",
    "tc_sep_not_open": "El proceso ya no está abierto.",
    "tc_sep_appeal_pending": (
        "Hay una apelación pendiente de resolver: la separación espera su resolución."
    ),
    "tc_sep_appeal_may_be_filed": (
        "Aún puede presentarse una apelación, hasta el {date}: la separación espera."
    ),
    "tc_appeals_title": "Apelaciones presentadas",
    "tc_appeals_none": "No hay apelaciones presentadas.",
    "tc_appeals_filed_on": "Presentada el",
    # Appeal
    "tc_appeal_title": "Apelación",
    "tc_appeal_intro": (
        "Contra un resultado no aprobatorio confirmado puede presentarse una apelación dentro "
        "de {days} días naturales. La resuelve un certificador que no intervino en la evaluación."
    ),
    "tc_appeal_evaluation": "Evaluación",
    "tc_appeal_decided": "Resultado efectivo desde",
    "tc_appeal_deadline": "Plazo para apelar",
    "tc_appeal_deadline_open": "hasta el {date}",
    "tc_appeal_deadline_closed": "terminó el {date}",
    "tc_appeal_grounds": "Motivos de la apelación",
    "tc_appeal_grounds_help": "Al menos {min} caracteres.",
    "tc_appeal_submit": "Presentar apelación",
    "tc_appeal_filed": "Apelación presentada",
    "tc_appeal_status": "Situación",
    "tc_appeal_resolution": "Resolución",
    "tc_appeal_not_allowed": "Su rol no permite presentar apelaciones.",
    "tc_appeal_grounds_short": (
        "Exponga los motivos de la apelación con al menos {min} caracteres."
    ),
    "tc_appeal_grounds_long": "Los motivos no pueden pasar de 4,000 caracteres.",
    "tc_appeal_already": "Ya se presentó una apelación contra esta evaluación el {date}.",
    "tc_appeal_not_appealable": (
        "Solo puede apelarse un resultado no aprobatorio confirmado."
    ),
    "tc_appeal_deceased": "El elemento falleció.",
    "tc_appeal_closed": (
        "El plazo para apelar terminó el {date} ({days} días después de que el resultado "
        "surtió efecto). Ya no se puede presentar la apelación."
    ),
    # The officer profile's section
    "tc_cert_title": "Certificación",
    "tc_cert_standing": "Control de confianza",
    "tc_cert_last_verdict": "Último resultado",
    "tc_cert_decided_on": "Fecha del resultado",
    "tc_cert_approved_until": "Aprobación vigente hasta",
    "tc_cert_never": "Sin evaluación",
    "tc_cert_valid": "vigente",
    "tc_cert_expired": "vencida",
    "tc_cert_cup": "Certificado Único Policial (CUP)",
    "tc_cert_cup_none": "Sin CUP vigente.",
    "tc_cert_card": "Credencial verificable e impresión",
    "tc_cert_cup_number": "Número",
    "tc_cert_issued": "Emitido el",
    "tc_cert_valid_until": "Vigente hasta",
    "tc_cert_past": "Certificados anteriores",
    "tc_cert_ended": "Terminó el",
    "tc_cert_components": "Componentes del CUP",
    "tc_cert_components_none": "Sin componentes registrados.",
    "tc_cert_component": "Componente",
    "tc_cert_completed": "Acreditado el",
    "tc_cert_no_expiry": "No vence",
    "tc_cert_hours": "Horas",
    "tc_cert_evaluations": "Evaluaciones",
    "tc_cert_evaluations_none": "Sin evaluaciones registradas.",
    "tc_cert_kind": "Tipo",
    "tc_cert_requested": "Solicitada el",
    "tc_cert_status": "Situación",
    "tc_cert_verdict": "Resultado",
    "tc_cert_request": "Solicitar evaluación",
    "tc_cert_under_way": "Hay una evaluación en curso (folio {id}).",
    "tc_cert_appeal_link": "Apelación",
})

# Confirmations shown after a post redirects back (`?aviso=<key>`); any other value shows none.
TC_NOTICES: Final[Messages[str]] = Messages({
    "evaluacion_solicitada": "Evaluación solicitada. El centro de evaluación la programará.",
    "aviso_leido": "Aviso marcado como leído.",
    "separacion_concluida": "Separación concluida. El elemento causó baja.",
    "apelacion_presentada": "Apelación presentada. Se le avisará cuando se resuelva.",
})

TC_ALERT_REASON: Final[Messages[str]] = Messages({
    "never_evaluated": "Nunca evaluado",
    "not_approved": "No aprobado",
    "evaluation_expired": "Evaluación vencida",
    "no_certificate": "Sin CUP vigente",
})

TC_EVALUATION_KIND: Final[Messages[str]] = Messages({
    "new_entry": "Nuevo ingreso",
    "permanence": "Permanencia",
    "promotion": "Promoción",
    "special": "Especial",
})

TC_EVALUATION_STATUS: Final[Messages[str]] = Messages({
    "requested": "Solicitada",
    "scheduled": "Programada",
    "awaiting_decision": "En espera de resolución",
    "awaiting_confirmation": "En espera de confirmación",
    "approved": "Aprobada",
    "not_approved": "No aprobada",
    "cancelled": "Cancelada",
})

TC_VERDICT: Final[Messages[str]] = Messages({"approved": "Aprobado", "not_approved": "No aprobado"})

TC_CUP_COMPONENT: Final[Messages[str]] = Messages({
    "trust_control": "Evaluación de control de confianza",
    "skills": "Evaluación de competencias básicas",
    "performance": "Evaluación del desempeño",
    "initial_training": "Formación inicial",
})

TC_CERTIFICATE_END: Final[Messages[str]] = Messages({
    "expired": "Vencido",
    "revoked": "Revocado",
    "replaced": "Sustituido",
})

TC_APPEAL_STATUS: Final[Messages[str]] = Messages({
    "open": "En trámite",
    "upheld": "Improcedente: el resultado se confirma",
    "overturned": "Procedente: el resultado se revoca",
})

TC_NOTIFICATION_KIND: Final[Messages[str]] = Messages({
    "not_approved": "Resultado no aprobatorio",
    "appeal": "Resolución de apelación",
})

# The coverage columns, in order, with their headings.
TC_COVERAGE_FIELDS: Final[tuple[str, ...]] = (
    "officers", "evaluated", "approved", "expired", "not_approved", "never_evaluated",
    "certified", "on_duty_uncertified",
)
TC_COVERAGE_LABEL: Final[Messages[str]] = Messages({
    "officers": "Elementos",
    "evaluated": "Evaluados",
    "approved": "Aprobados vigentes",
    "expired": "Aprobación vencida",
    "not_approved": "No aprobados",
    "never_evaluated": "Nunca evaluados",
    "certified": "Certificados (CUP)",
    "on_duty_uncertified": "En servicio sin certificación vigente",
})


class TrustLabels:
    """The trust-control label tables, for templates (`tl.kind[evaluation.kind]`)."""

    reason = TC_ALERT_REASON
    kind = TC_EVALUATION_KIND
    evaluation_status = TC_EVALUATION_STATUS
    verdict = TC_VERDICT
    component = TC_CUP_COMPONENT
    certificate_end = TC_CERTIFICATE_END
    appeal_status = TC_APPEAL_STATUS
    notification = TC_NOTIFICATION_KIND
    coverage = TC_COVERAGE_LABEL


# Trust control: examiner, coordinator, certification ------------------------------------------
# The pages of the examiner ("ex_"), the centre coordinator ("sch_") and the certification
# officer ("dec_"); "ev_" for what they share. Label tables in `EvaluationLabels` (`el.`).
ROLE["centre_coordinator"] = "Coordinación de centro de evaluación"
TEXT.update({
    "nav_ev_exams": "Mis exámenes",
    "nav_ev_agenda": "Agenda",
    "nav_ev_decisions": "Dictámenes",
    "ev_folio": "Evaluación",
    "ev_col_day": "Fecha",
    "ev_col_exam": "Examen",
    "ev_col_kind": "Tipo de evaluación",
    "ev_centre": "Centro de evaluación",
    "ev_outcome": "Resultado",
    "ev_fix_fields": "Revise los campos señalados; lo que escribió se conservó.",
    "ev_field_invalid": "Dato no válido",
    # Examiner
    "ex_queue_title": "Mis exámenes",
    "ex_queue_intro": (
        "Los exámenes que le fueron asignados. Solo verá lo que cada examen necesita; cada "
        "consulta queda registrada."
    ),
    "ex_pending": "Por aplicar",
    "ex_no_pending": "No tiene exámenes pendientes.",
    "ex_recent": "Registrados recientemente",
    "ex_no_recent": "Aún no ha registrado resultados.",
    "ex_col_recorded": "Registrado",
    "ex_open": "Abrir",
    "ex_view": "Ver",
    "ex_back": "Volver a mis exámenes",
    "ex_exam_title": "Examen",
    "ex_examinee": "Persona evaluada",
    "ex_age": "Edad",
    "ex_files": "Archivos del examen",
    "ex_no_files": "Sin archivos adjuntos.",
    "ex_file_label": "Adjuntar archivo",
    "ex_file_help": (
        "PDF, JPG, PNG o texto, hasta 10 MiB. Adjunte los archivos antes de registrar el último "
        "resultado de la evaluación: después ya no se aceptan."
    ),
    "ex_file_submit": "Adjuntar",
    "ex_file_attached": "Archivo adjuntado al examen.",
    "ex_file_duplicate": "Ese archivo ya estaba adjunto a este examen.",
    "ex_result_form": "Registrar resultado",
    "ex_result_recorded": "Resultado registrado",
    "ex_result_final": "Un resultado registrado no se puede modificar.",
    "ex_recorded": "Resultado registrado.",
    "ex_submit": "Registrar resultado",
    "ex_custody": "Folio de cadena de custodia",
    "ex_custody_help": "De 4 a 40 letras, dígitos o guiones, p. ej. «CC-2026-0001».",
    "ex_panel": "Panel de sustancias",
    "ex_panel_help": "Las sustancias marcadas con * son obligatorias en todo panel.",
    "ex_panel_overall": (
        "El resultado general se deduce del panel: positivo si alguna sustancia lo es."
    ),
    "ex_substance": "Sustancia",
    "ex_not_tested": "No aplicada",
    "ex_topics": "Temas de la entrevista poligráfica",
    "ex_instruments": "Instrumentos aplicados",
    "ex_restrictions": "Restricciones",
    "ex_restrictions_help": "Obligatorias si el resultado es «Apto con restricciones».",
    "ex_declaration": "Declaración patrimonial",
    "ex_household": "Integrantes del hogar",
    "ex_money_help": "Cantidades en pesos, enteras, sin centavos.",
    "ex_notes": "Observaciones",
    "ex_already_recorded": (
        "Este examen ya tiene un resultado registrado (¿se envió el formulario dos veces?). Un "
        "resultado nunca se sobrescribe."
    ),
    "ex_too_early": "El examen está programado para otro día: no puede registrarse antes.",
    "ex_not_open": (
        "La evaluación ya no está en aplicación de exámenes: no se aceptan resultados ni "
        "archivos."
    ),
    "ex_err_custody": (
        "Escriba el folio de cadena de custodia: de 4 a 40 letras, dígitos o guiones."
    ),
    "ex_err_panel": "Indique el resultado de cada sustancia del panel.",
    "ex_err_substance": "Indique si el resultado es negativo o positivo.",
    "ex_err_topics": "Marque al menos un tema de la entrevista.",
    "ex_err_instruments": "Marque al menos un instrumento aplicado.",
    "ex_err_outcome": "Elija el resultado del examen.",
    "ex_err_restrictions": "Describa las restricciones (de 5 a 500 caracteres).",
    "ex_err_money": "Escriba una cantidad entera en pesos, sin centavos.",
    "ex_err_household": "Escriba un número entero de 1 a 30.",
    "ex_err_notes": "Las observaciones no pueden pasar de 4,000 caracteres.",
    "ex_err_file": "Elija un archivo no vacío de hasta 10 MiB.",
    "ex_err_filename": "El nombre del archivo debe tener de 1 a 200 caracteres.",
    "ex_err_media_type": "Solo se aceptan archivos PDF, JPG, PNG o de texto.",
    # Coordinator
    "sch_title": "Agenda",
    "sch_intro": "Evaluaciones solicitadas dentro de su ámbito, por programar en un centro.",
    "sch_tab_requested": "Por programar",
    "sch_tab_scheduled": "Programadas",
    "sch_col_requested": "Solicitada el",
    "sch_book": "Programar",
    "sch_rebook": "Reprogramar",
    "sch_empty": "No hay evaluaciones en esta lista.",
    "sch_done": "Evaluación {folio} programada.",
    "sch_back": "Volver a la agenda",
    "sch_form_title": "Programar evaluación",
    "sch_who": "Persona evaluada",
    "sch_step_centre": "1. Centro de evaluación",
    "sch_step_exams": "2. Evaluador y fecha de cada examen",
    "sch_centre_submit": "Elegir centro",
    "sch_centre_chosen": "Centro",
    "sch_pick_centre": "Elija un centro para ver a sus evaluadores.",
    "sch_choose": "— Elija —",
    "sch_examiner": "Evaluador(a)",
    "sch_day": "Fecha",
    "sch_capacity": "Cupo diario del centro para este examen: {n}.",
    "sch_no_examiner": "El centro no tiene evaluadores habilitados para este examen.",
    "sch_given": "Este examen ya se aplicó.",
    "sch_submit": "Programar",
    "sch_not_bookable": "Esta evaluación ya no puede programarse.",
    "sch_not_allowed": "Su rol no permite programar evaluaciones.",
    "sch_conflict": "La evaluación no se pudo programar en este centro.",
    "sch_err_centre": "Elija un centro de evaluación abierto.",
    "sch_err_examiner": (
        "Elija un evaluador activo de este centro, habilitado para este examen."
    ),
    "sch_err_day": "Escriba una fecha válida.",
    "sch_err_day_past": "La fecha ya pasó.",
    "sch_err_day_far": "La fecha está a más de un año.",
    "sch_err_capacity": (
        "El centro no tiene cupo para este examen ese día ({taken} de {room} lugares ocupados). "
        "Elija otro día."
    ),
    "sch_err_missing": "Este examen forma parte de la batería: asigne evaluador y fecha.",
    "sch_err_given": "Este examen ya se aplicó y no puede programarse de nuevo.",
    # Certification officer
    "dec_title": "Dictámenes",
    "dec_intro": "Evaluaciones integradas por dictaminar, decisiones por confirmar y apelaciones.",
    "dec_tab_decision": "Por dictaminar",
    "dec_tab_confirmation": "Por confirmar",
    "dec_tab_appeals": "Apelaciones",
    "dec_col_recommendation": "Resultado integral",
    "dec_col_decided_on": "Dictaminada el",
    "dec_open": "Abrir",
    "dec_empty_decision": "No hay evaluaciones por dictaminar.",
    "dec_to_confirm": "Decisiones de no aprobación por confirmar",
    "dec_to_confirm_help": (
        "Una no aprobación surte efecto solo cuando otro certificador la confirma."
    ),
    "dec_empty_confirmation": "No hay decisiones de otros certificadores por confirmar.",
    "dec_mine": "Sus decisiones, en espera de un segundo certificador",
    "dec_mine_empty": "No tiene decisiones en espera de confirmación.",
    "dec_appeals_title": "Apelaciones por resolver",
    "dec_appeals_help": "Solo puede resolverlas quien no participó en la evaluación.",
    "dec_appeals_empty": "No hay apelaciones por resolver.",
    "dec_col_appeal": "Apelación",
    "dec_col_filed_on": "Presentada el",
    "dec_col_filed_by": "Presentada por",
    "dec_col_grounds": "Agravios",
    "dec_open_appeal": "Resolver",
    "dec_back": "Volver a dictámenes",
    "dec_evaluation_title": "Evaluación",
    "dec_sensitive": "Acceso a información sensible",
    "dec_yes": "Sí",
    "dec_no": "No",
    "dec_reason": "Motivo de la solicitud",
    "dec_integration": "Resultado integral",
    "dec_needs_grounds": (
        "Solo la poligrafía resultó desfavorable. Por sí sola no basta para no aprobar (criterio "
        "judicial de 2013): cualquiera que sea la decisión, registre fundamentos de al menos "
        "{min} caracteres."
    ),
    "dec_adverse": "Desfavorable",
    "dec_reservation": "Con reservas",
    "dec_all_favourable": "Todos los exámenes resultaron favorables.",
    "dec_exams": "Resultados de los exámenes",
    "dec_exam_pending": "Pendiente de aplicar.",
    "dec_result_reserved": "Resultado reservado a quien dictamina.",
    "dec_verdict_title": "Dictamen",
    "dec_verdict": "Decisión",
    "dec_decided_by": "Dictaminó",
    "dec_confirmed_by": "Confirmó",
    "dec_valid_until": "Vigente hasta",
    "dec_grounds": "Fundamentos",
    "dec_grounds_help": (
        "Obligatorios (al menos {min} caracteres) para aprobar pese a un resultado desfavorable "
        "y para no aprobar sin uno."
    ),
    "dec_not_approved_help": (
        "Una no aprobación queda en espera hasta que otro certificador la confirme."
    ),
    "dec_decide_title": "Dictaminar",
    "dec_decide_submit": "Registrar decisión",
    "dec_waiting_second": (
        "Usted tomó esta decisión: espera la confirmación de un segundo certificador."
    ),
    "dec_confirm_title": "Confirmar o devolver la decisión",
    "dec_confirm_help": (
        "Al confirmar, el elemento queda retirado de funciones operativas, se revoca su "
        "certificado, se abre su proceso de separación y se avisa a su corporación."
    ),
    "dec_note": "Nota",
    "dec_note_help": "Obligatoria para devolver la decisión (al menos {min} caracteres).",
    "dec_confirm_submit": "Confirmar no aprobación",
    "dec_return_submit": "Devolver para nuevo dictamen",
    "dec_appeal_title": "Apelación",
    "dec_appeal_outcome": "Resolución",
    "dec_resolution": "Fundamentos de la resolución",
    "dec_appeal_submit": "Resolver apelación",
    "dec_done_decision": "Decisión registrada: espera la confirmación de un segundo certificador.",
    "dec_done_approved": "Evaluación aprobada.",
    "dec_done_confirmed": "No aprobación confirmada: ya surtió efecto.",
    "dec_done_returned": "Decisión devuelta para un nuevo dictamen.",
    "dec_done_appeal": "Apelación resuelta.",
    "dec_err_verdict": "Elija aprobar o no aprobar.",
    "dec_err_examiner_decides": "Quien examinó en esta evaluación no puede dictaminarla.",
    "dec_err_grounds_long": "Los fundamentos no pueden pasar de 4,000 caracteres.",
    "dec_err_grounds_polygraph": (
        "Solo la poligrafía es desfavorable y por sí sola no justifica no aprobar: registre "
        "fundamentos de al menos {min} caracteres."
    ),
    "dec_err_grounds_adverse": (
        "Aprobar pese a resultados desfavorables requiere fundamentos de al menos {min} "
        "caracteres."
    ),
    "dec_err_grounds_no_failure": (
        "Ningún examen fue desfavorable: no aprobar requiere fundamentos de al menos {min} "
        "caracteres."
    ),
    "dec_err_exams_missing": (
        "La evaluación aún no puede dictaminarse: faltan resultados de exámenes."
    ),
    "dec_err_already_decided": "La evaluación ya fue dictaminada.",
    "dec_err_state": "La evaluación ya no admite esta operación.",
    "dec_err_same_person": (
        "Usted tomó esta decisión: debe confirmarla o devolverla un segundo certificador."
    ),
    "dec_err_examiner_confirms": "Quien examinó en esta evaluación no puede confirmar su decisión.",
    "dec_err_action": "Elija confirmar o devolver.",
    "dec_err_note": "Explique por qué se devuelve la decisión (al menos {min} caracteres).",
    "dec_err_no_pending": "Esta evaluación no tiene una decisión en espera de confirmación.",
    "dec_err_took_part": (
        "Usted participó en esta evaluación (examinó, dictaminó o confirmó): la apelación debe "
        "resolverla alguien que no participó."
    ),
    "dec_err_appeal_outcome": "Elija si la apelación procede o no.",
    "dec_err_resolution": "Fundamente la resolución con al menos {min} caracteres.",
    "dec_err_appeal_closed": "La apelación ya fue resuelta.",
})

EV_EXAM_TYPE: Final[Messages[str]] = Messages({
    "toxicology": "Toxicológico",
    "polygraph": "Poligrafía",
    "psychological": "Psicológico",
    "medical": "Médico",
    "socioeconomic": "Entorno socioeconómico",
})

EV_OUTCOME: Final[Messages[str]] = Messages({
    "negative": "Negativo",
    "positive": "Positivo",
    "no_significant_reaction": "Sin reacción significativa",
    "inconclusive": "No concluyente",
    "significant_reaction": "Reacción significativa",
    "suitable": "Apto",
    "suitable_with_reservations": "Apto con reservas",
    "not_suitable": "No apto",
    "fit": "Apto",
    "fit_with_restrictions": "Apto con restricciones",
    "unfit": "No apto",
    "consistent": "Congruente",
    "inconsistent": "Incongruente",
})

EV_SUBSTANCE: Final[Messages[str]] = Messages({
    "cannabinoids": "Cannabinoides",
    "cocaine": "Cocaína",
    "amphetamines": "Anfetaminas",
    "methamphetamines": "Metanfetaminas",
    "benzodiazepines": "Benzodiacepinas",
    "barbiturates": "Barbitúricos",
    "opiates": "Opiáceos",
    "phencyclidine": "Fenciclidina",
    "fentanyl": "Fentanilo",
})

EV_POLYGRAPH_TOPIC: Final[Messages[str]] = Messages({
    "drug_use": "Consumo de drogas",
    "drug_trafficking": "Narcotráfico",
    "organized_crime_links": "Vínculos con la delincuencia organizada",
    "bribery": "Cohecho",
    "theft": "Robo",
    "information_leaks": "Filtración de información",
    "falsified_documents": "Documentos falsificados",
    "abuse_of_authority": "Abuso de autoridad",
    "undeclared_income": "Ingresos no declarados",
})

EV_INSTRUMENT: Final[Messages[str]] = Messages({
    "mmpi-2": "MMPI-2",
    "16pf": "16PF",
    "pai": "PAI",
    "bender": "Bender",
    "machover": "Machover",
    "structured_interview": "Entrevista estructurada",
    "cleaver": "Cleaver",
})

EV_MONEY: Final[Messages[str]] = Messages({
    "declared_income": "Ingreso mensual declarado",
    "assets": "Patrimonio",
    "debts": "Deudas",
    "monthly_spending": "Gasto mensual",
})

EV_RECOMMENDATION: Final[Messages[str]] = Messages({
    "approve": "Aprobar",
    "not_approve": "No aprobar",
    "needs_grounds": "Requiere fundamentos",
})


class EvaluationLabels:
    """The label tables of the examiner, coordinator and certification pages (`el.exam[...]`);
    kinds, statuses, verdicts and appeal outcomes are the agency pages' own, so both read alike."""

    exam = EV_EXAM_TYPE
    outcome = EV_OUTCOME
    substance = EV_SUBSTANCE
    topic = EV_POLYGRAPH_TOPIC
    instrument = EV_INSTRUMENT
    money = EV_MONEY
    recommendation = EV_RECOMMENDATION
    kind = TC_EVALUATION_KIND
    status = TC_EVALUATION_STATUS
    verdict = TC_VERDICT
    appeal = TC_APPEAL_STATUS


# Audit: access history ------------------------------------------------------------------------
# The "Accesos" section of auditors (who touched an officer's record, what one account did) and
# the officer's printable due-process report. Keys start "acc_"; label tables in `AccessLabels`.
TEXT.update({
    "nav_acc": "Accesos",
    "acc_title": "Accesos",
    "acc_intro": (
        "Quién consultó el expediente de un elemento, cuándo y por qué, y lo que hizo cada "
        "cuenta. Cada consulta de esta sección también queda registrada."
    ),
    "acc_officer_heading": "Accesos al expediente de un elemento",
    "acc_officer_key": "Número de elemento o CURP",
    "acc_officer_submit": "Ver accesos",
    "acc_officer_not_found": "Ningún elemento tiene ese número o esa CURP.",
    "acc_user_heading": "Historial de una cuenta",
    "acc_user_name": "Usuario",
    "acc_user_submit": "Ver historial",
    "acc_back": "Volver a Accesos",
    # Officer report (auditors)
    "acc_officer_title": "Accesos al expediente",
    "acc_officer_of": "Elemento {id}: {name}",
    "acc_officer_intro": (
        "Lecturas, revelaciones de datos de contacto con su motivo, cambios, evaluaciones y "
        "certificados que nombran al elemento, y búsquedas o listas en cuyos resultados "
        "apareció. De la más reciente a la más antigua."
    ),
    "acc_officer_report_link": "Informe para el elemento (debido proceso)",
    "acc_col_when": "Fecha y hora (UTC)",
    "acc_col_who": "Quién",
    "acc_col_action": "Qué",
    "acc_col_reach": "Cómo",
    "acc_col_purpose": "Motivo declarado",
    "acc_col_seq": "Entrada",
    "acc_col_record": "Registro",
    "acc_none": "No se encontraron accesos en el tramo revisado.",
    "acc_examined": "Revisado hasta la entrada {seq} de la bitácora.",
    "acc_examined_all": "Se revisó la bitácora completa.",
    "acc_more": "Continuar con entradas anteriores",
    "acc_console": "Consola del servidor",
    # User history
    "acc_user_title": "Historial de la cuenta",
    "acc_user_of": "Cuenta: {username}",
    "acc_user_intro": "Todo lo que hizo la cuenta, de lo más reciente a lo más antiguo.",
    "acc_filter_action": "Acción (o su inicio)",
    "acc_filter_action_help": "Por ejemplo «officer:contact» u «officer:identity:read».",
    "acc_filter_since": "Desde",
    "acc_filter_until": "Hasta",
    "acc_filter_submit": "Filtrar",
    "acc_bad_date": "Escriba una fecha válida (aaaa-mm-dd).",
    "acc_bad_action": "Escriba una acción o su inicio, p. ej. «officer:contact».",
    "acc_bad_range": "La fecha «Desde» es posterior a la fecha «Hasta».",
    "acc_bad_user": "Escriba un nombre de usuario de 1 a 64 caracteres.",
    "acc_bad_cursor": "El enlace de la página siguiente no es válido; vuelva a la primera.",
    "acc_user_none": "La cuenta no tiene entradas con esos filtros.",
    # Due-process report (printable)
    "acc_report_title": "Informe de accesos al expediente",
    "acc_report_intro": (
        "Informe para el elemento sobre quién consultó o modificó su expediente: cuándo, qué "
        "y por qué, con el rol y la corporación de quien actuó. No se incluyen nombres de "
        "usuario del personal."
    ),
    "acc_report_officer": "Elemento",
    "acc_report_curp": "CURP",
    "acc_report_produced": "Emitido el",
    "acc_report_by_role": "Rol",
    "acc_report_place": "Ámbito",
    "acc_report_withheld": "Reservado: motivo declarado por asuntos internos",
    "acc_report_print": "Use la función de imprimir del navegador para obtener el documento.",
    "acc_report_none": "No hay accesos registrados en el tramo revisado.",
    "acc_report_national": "Nacional",
    "acc_no_purpose": "—",
})

# Each action in words, as the pages show it; an action not listed shows its tag.
ACC_ACTION: Final[Messages[str]] = Messages({
    "officer:identity:create": "Registró al elemento",
    "officer:identity:update": "Modificó la identidad o la situación",
    "officer:identity:read": "Consultó el expediente",
    "officer:identity:search": "Buscó elementos",
    "officer:contact:read": "Reveló los datos de contacto",
    "officer:contact:update": "Reemplazó los datos de contacto",
    "officer:assignment:create": "Registró una adscripción",
    "officer:assignment:update": "Concluyó una adscripción",
    "officer:badge:create": "Asignó una placa",
    "officer:status:removed_from_duty": "Retiró al elemento de funciones operativas",
    "officer:separation:open": "Abrió un proceso de separación",
    "officer:separation:close": "Cerró un proceso de separación",
    "authz:permission:denied": "Intento de acceso rechazado",
    "audit:entry:read": "Revisó la bitácora de accesos",
    "audit:officer_report:create": "Emitió el informe de accesos del elemento",
    "evaluation:request:create": "Solicitó una evaluación",
    "evaluation:request:cancel": "Canceló una solicitud de evaluación",
    "evaluation:schedule:update": "Programó una evaluación",
    "evaluation:status:read": "Consultó el estado de una evaluación",
    "evaluation:result:read": "Consultó una evaluación con sus resultados",
    "evaluation:exam:read": "Abrió un examen",
    "evaluation:exam:record": "Registró el resultado de un examen",
    "evaluation:integration:create": "Integró la evaluación",
    "evaluation:decision:create": "Emitió un dictamen",
    "evaluation:decision:confirm": "Confirmó un dictamen no aprobatorio",
    "evaluation:decision:return": "Devolvió un dictamen",
    "evaluation:appeal:file": "Interpuso un recurso",
    "evaluation:appeal:decide": "Resolvió un recurso",
    "agency:notification:create": "Notificó a la corporación",
    "certificate:component:create": "Registró un componente del CUP",
    "certificate:record:issue": "Emitió el CUP",
    "certificate:record:end": "Concluyó el CUP",
    "certificate:record:read": "Consultó la certificación",
    "certification:alerts:read": "Consultó la lista de alertas",
    "certification:reevaluation:read": "Consultó la lista de reevaluaciones",
    "user:session:login": "Inició sesión",
    "user:session:logout": "Cerró sesión",
    "user:session:login_failed": "Inicio de sesión rechazado",
    "user:session:csrf_refused": "Solicitud rechazada por falta de token CSRF válido",
    # What an account does outside an officer's record, for its own history (/access/users).
    "agency:record:create": "Registró una corporación",
    "agency:record:update": "Modificó una corporación",
    "agency:record:merge": "Fusionó corporaciones",
    "agency:roster:read": "Consultó el estado de fuerza de una corporación",
    "unit:record:create": "Creó una unidad",
    "unit:record:update": "Modificó una unidad",
    "officer:roster:import": "Importó un estado de fuerza",
    "user:account:create": "Creó una cuenta de usuario",
    "user:account:update": "Modificó una cuenta de usuario",
    "user:token:create": "Emitió un token de API",
    "user:token:revoke": "Revocó un token de API",
    "workflow:request:refused": "Intento rechazado",
    "centre:record:create": "Registró un centro de evaluación",
    "centre:record:update": "Modificó un centro de evaluación",
    "centre:examiner:update": "Modificó la plantilla de evaluadores de un centro",
    "evaluation:queue:read": "Consultó su lista de exámenes",
    "evaluation:exam:attach": "Adjuntó un archivo a un examen",
    "agency:notification:read": "Marcó como leído un aviso",
    "credential:record:issue": "Emitió la credencial verificable",
    "credential:status:change": "Cambió el estado de la credencial verificable",
    "credential:record:read": "Consultó la credencial verificable",
    "certification:coverage:read": "Consultó la cobertura de certificación",
    "certification:dashboard:read": "Consultó el tablero de cobertura",
    "registry:demo:build": "Construyó el registro de demostración",
    "officer:timeline:read": "Consultó la cronología del expediente",
    "officer:identity_match:run": "Buscó posibles duplicados",
    "officer:identity_match:read": "Consultó posibles duplicados",
    "officer:identity_match:confirm": "Confirmó que dos registros son la misma persona",
    "officer:identity_match:reject": "Descartó que dos registros sean la misma persona",
    "officer:identity:merge": "Unió dos registros de la misma persona",
    "officer:pending_separation:propose": "Propuso una baja pendiente desde un padrón completo",
    "officer:pending_separation:read": "Consultó bajas pendientes",
    "officer:pending_separation:confirm": "Confirmó una baja pendiente",
    "officer:pending_separation:dismiss": "Descartó una baja pendiente",
    "officer:roster_conflict:queue": "Envió datos en conflicto de un padrón a revisión",
    "officer:roster_conflict:read": "Consultó datos en conflicto de un padrón",
    "officer:roster_conflict:decide": "Decidió datos en conflicto de un padrón",
    "integrity:case:open": "Recibió una denuncia y abrió un expediente de asuntos internos",
    "integrity:case:read": "Consultó un expediente de asuntos internos",
    "integrity:case:stage_read": "Consultó la etapa de un expediente de asuntos internos",
    "integrity:queue:read": "Consultó su lista de expedientes de asuntos internos",
    "integrity:case:assign": "Asignó a una persona a un expediente de asuntos internos",
    "integrity:case:move": "Turnó o concluyó un expediente de asuntos internos",
    "integrity:notice:create": "Emitió la notificación al elemento",
    "integrity:notice:serve": "Registró la notificación entregada al elemento",
    "integrity:answer:create": "Registró la contestación del elemento",
    "integrity:evidence:create": "Agregó una prueba a un expediente",
    "integrity:link:create": "Vinculó una prueba o imputación a una imputación",
    "integrity:finding:create": "Resolvió una imputación",
    "integrity:finding:confirm": "Confirmó, como segunda persona, una resolución",
    "integrity:sanction:create": "Impuso una sanción",
    "integrity:appeal:file": "Interpuso un recurso contra una sanción",
    "integrity:appeal:decide": "Resolvió un recurso contra una sanción",
    "integrity:complaints:import": "Importó quejas de otra autoridad como expedientes",
    "integrity:accused_review:read": "Consultó los imputados por identificar",
    "integrity:accused:attach": "Vinculó a un imputado con un elemento del registro",
    "integrity:accused:reject": "Dejó a un imputado sin vincular con el registro",
    "integrity:network:read": "Consultó la red de coimputaciones",
    "integrity:sanctions:export": ("Exportó sanciones firmes en el formato de la Plataforma "
                                   "Digital Nacional"),
    "integrity:outside_sanctions:import": "Importó una lista de sanciones de otra autoridad",
    "integrity:outside_sanction_review:read": ("Consultó sanciones de otra autoridad por "
                                               "revisar"),
    "integrity:outside_sanction:link": "Vinculó una sanción de otra autoridad con un elemento",
    "integrity:outside_sanction:reject": "Descartó una sanción de otra autoridad",
    "integrity:outside_sanction:read": ("Consultó las sanciones de otras autoridades de un "
                                        "elemento"),
    "risk:history:read": "Leyó la historia del registro para entrenar un modelo de alerta temprana",
    "risk:model:train": "Entrenó y guardó un modelo de alerta temprana",
    "risk:score:create": "Calificó a los elementos en activo con un modelo de alerta temprana",
    "risk:queue:read": "Consultó su lista de alertas tempranas",
    "risk:flag:read": "Consultó una alerta temprana y la historia que la explica",
    "risk:review:create": "Registró la revisión de una alerta temprana",
    "risk:review:report": "Consultó cuántas alertas tempranas resultaron útiles",
    "declaration:record:import": "Importó declaraciones patrimoniales (formato S1)",
    "declaration:record:read": "Consultó las declaraciones patrimoniales de un elemento",
    "declaration:check:run": "Revisó las declaraciones patrimoniales de todos los elementos",
    "audit:explanation:read":
        "Consultó qué parte de las consultas de un periodo explica el trabajo",
    "audit:access_detection:run":
        "Puntuó las consultas sin explicación de un periodo y generó alertas",
    "audit:access_alert:list": "Consultó la lista de alertas de consultas indebidas",
    "audit:access_alert:read": "Consultó una alerta de consultas indebidas",
    "audit:access_alert:mark": "Calificó una alerta de consultas indebidas",
    "declaration:demo:file": ("Presentó las declaraciones patrimoniales del registro de "
                              "demostración"),
    "declaration:check:read": "Consultó la revisión de las declaraciones de un elemento",
    "declaration:due:read": "Consultó las declaraciones faltantes y tardías",
    "declaration:finding:allege": ("Abrió un expediente de investigación por un hallazgo en "
                                   "las declaraciones"),
    "declaration:payroll:import": "Importó una nómina de otra autoridad (sueldo por año)",
})

ACC_REACH: Final[Messages[str]] = Messages({
    "record": "Sobre su expediente",
    "named": "Lo nombra (evaluación, examen o certificado)",
    "listed": "En resultados de una búsqueda o lista",
})

ACC_ACTOR_KIND: Final[Messages[str]] = Messages({
    "user": "sesión",
    "token": "token de API",
    "system": "consola",
})


class AccessLabels:
    """The label tables of the access pages (`al.action[...]`); an unlisted action shows its
    tag, so a new action is never hidden from an auditor."""

    action = ACC_ACTION
    reach = ACC_REACH
    actor_kind = ACC_ACTOR_KIND
    role = ROLE


# Feature modules keep their own text beside this file; their keys join the one catalogue here.
def _merge_features() -> None:
    from confianza.core.web.strings import access_alerts as strings_access_alerts
    from confianza.core.web.strings import common as strings_common
    from confianza.core.web.strings import dashboard as strings_dashboard
    from confianza.core.web.strings import declarations as strings_declarations
    from confianza.core.web.strings import forms as strings_forms
    from confianza.core.web.strings import home as strings_home
    from confianza.core.web.strings import identities as strings_identities
    from confianza.core.web.strings import integrity as strings_integrity
    from confianza.core.web.strings import integrity_decisions as strings_integrity_decisions
    from confianza.core.web.strings import network as strings_network
    from confianza.core.web.strings import outside_sanctions as strings_outside
    from confianza.core.web.strings import risk as strings_risk
    from confianza.core.web.strings import rosters as strings_rosters
    from confianza.core.web.strings import timeline as strings_timeline

    for module in (strings_home, strings_dashboard, strings_timeline, strings_common,
                   strings_forms, strings_identities, strings_rosters, strings_integrity,
                   strings_network, strings_risk, strings_outside,
                   strings_integrity_decisions, strings_declarations,
                   strings_access_alerts):
        clash = TEXT.keys() & module.TEXT.keys()
        if clash:
            raise RuntimeError(f"message keys defined twice: {sorted(clash)}")
        TEXT.update(module.TEXT)


_merge_features()
