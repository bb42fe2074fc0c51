"""Every piece of text the pages show, in one place, so a later change can translate it (Babel).

Templates reach these as `t.<key>` and the label tables as `labels.<table>[value]`; Python code
uses `TEXT[...]`. Nothing user-facing is written inline in a template or a route.
"""

from __future__ import annotations

from typing import Final

TEXT: Final[dict[str, str]] = {
    "app_name": "Confianza",
    "app_tagline": "Registro Nacional de Personal de Seguridad Pública",
    "skip_to_content": "Saltar al contenido",
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
    "search_name_help": "Apellidos primero, p. ej. «Peña Ruiz María».",
    "search_curp": "CURP",
    "search_badge": "Número de placa",
    "search_agency": "Corporación",
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
    "profile_current": "Adscripción actual",
    "profile_no_current": "Sin adscripción vigente.",
    "profile_history": "Adscripciones anteriores",
    "profile_no_history": "Sin adscripciones anteriores.",
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
    "roster_intro": "Todo el personal con adscripción vigente en la corporación.",
    "roster_total": "Total",
    "roster_counts": "Personal por situación",
    "roster_empty": "La corporación no tiene personal adscrito.",
    "roster_sort_asc": "Ordenar por nombre, de la A a la Z",
    "roster_sort_desc": "Ordenar por nombre, de la Z a la A",
    "roster_dissolved": "Corporación extinta el",
    # Errors
    "error_request_id": "Folio de la solicitud",
    "error_request_id_help": "Si necesita ayuda, comunique este folio al área de soporte.",
    "error_detail": "Detalle técnico",
    "error_back_home": "Ir al inicio",
    "error_htmx": "No se pudo completar la operación. Recargue la página e intente de nuevo.",
}

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
    500: ("Error interno", "Ocurrió un error inesperado. El incidente quedó registrado."),
}

# Statuses whose technical detail is safe and useful to show (never a 500's).
ERRORS_WITH_DETAIL: Final[frozenset[int]] = frozenset({400, 403, 404, 409, 422, 428})

OFFICER_STATUS: Final[dict[str, str]] = {
    "active": "Activo",
    "removed_from_duty": "Retirado de funciones operativas",
    "suspended": "Suspendido",
    "separated": "Baja",
    "deceased": "Fallecido",
}

SEX: Final[dict[str, str]] = {"H": "Hombre", "M": "Mujer", "X": "No binario"}

ROLE: Final[dict[str, str]] = {
    "registry_clerk": "Capturista del registro",
    "agency_hr": "Recursos humanos de corporación",
    "examiner": "Evaluador(a)",
    "certification_officer": "Certificador(a)",
    "internal_affairs": "Asuntos internos",
    "auditor": "Auditor(a)",
    "administrator": "Administrador(a)",
}

CHANGE_REASON: Final[dict[str, str]] = {
    "appointment": "Ingreso",
    "transfer": "Cambio de adscripción",
    "promotion": "Ascenso",
    "demotion": "Degradación",
    "reassignment": "Cambio de unidad",
    "merger": "Fusión de corporaciones",
    "separation": "Baja",
    "retirement": "Retiro",
    "resignation": "Renuncia",
    "death": "Fallecimiento",
    "correction": "Corrección",
    "import": "Importación",
}

AGENCY_LEVEL: Final[dict[str, str]] = {
    "federal": "Federal",
    "state": "Estatal",
    "municipal": "Municipal",
}

CONTACT_KIND: Final[dict[str, str]] = {
    "phone": "Teléfono",
    "address": "Domicilio",
    "email": "Correo electrónico",
}


class Labels:
    """The label tables, gathered for templates (`labels.status[officer.status]`)."""

    status = OFFICER_STATUS
    sex = SEX
    role = ROLE
    reason = CHANGE_REASON
    level = AGENCY_LEVEL
    contact = CONTACT_KIND


def text(key: str, **values: object) -> str:
    """One message, with its `{placeholders}` filled in."""
    message = TEXT[key]
    return message.format(**values) if values else message
