"""The roster refresh's pages: pending separations and the review queue (Spanish source;
merged into `strings.TEXT`). Keys are unique across the catalogue: prefix them "refresh_"."""

from __future__ import annotations

from typing import Final

TEXT: Final[dict[str, str]] = {
    "refresh_sep_title": "Bajas pendientes",
    "refresh_sep_link_help": "Personas que un padrón completo ya no incluye: confirmar la baja "
                            "o descartarla.",
    "refresh_sep_intro": (
        "Un padrón completo de la corporación dejó fuera a estas personas. Ningún padrón da "
        "de baja a nadie por sí solo: confirme la baja (con su motivo y fecha) o descártela "
        "si la persona sigue en servicio. Quien importó el padrón no puede confirmarla. Esta "
        "consulta queda registrada."
    ),
    "refresh_sep_none": "No hay bajas pendientes.",
    "refresh_sep_one": "Baja pendiente {id}",
    "refresh_sep_back": "Volver a las bajas pendientes",
    "refresh_col_person": "Persona",
    "refresh_col_agency": "Corporación",
    "refresh_col_posting": "Adscripción",
    "refresh_col_file": "Padrón",
    "refresh_col_status": "Situación",
    "refresh_posting": "{rank}, desde {start}",
    "refresh_file_line": "{file}, línea {line}",
    "refresh_proposed": "Propuesta por {who} el {when} a partir de {file}.",
    "refresh_decided": "Decidida por {who} el {when}.",
    "refresh_confirm_title": "Confirmar la baja",
    "refresh_end_date": "Fecha de baja",
    "refresh_reason": "Motivo",
    "refresh_confirm": "Confirmar la baja",
    "refresh_dismiss_title": "Descartar: la persona sigue en servicio",
    "refresh_note": "Por qué",
    "refresh_dismiss": "Descartar",
    "refresh_done_confirmed": "Baja confirmada: la adscripción terminó.",
    "refresh_done_dismissed": "Baja descartada: la adscripción sigue vigente.",
    "refresh_refused": "No fue posible registrar la decisión",
    "refresh_next": "Siguientes",
    "refresh_conf_title": "Datos en conflicto",
    "refresh_conf_link_help": "Datos de un padrón que contradicen el registro (nombre, "
                             "nacimiento, sexo): decidir cuál vale.",
    "refresh_conf_intro": (
        "Un padrón dio, para una clave ya registrada, datos que contradicen los del registro. "
        "Nada de esa persona se aplicó: decida. Esta consulta queda registrada."
    ),
    "refresh_conf_none": "No hay datos en conflicto pendientes.",
    "refresh_conf_one": "Conflicto {id}",
    "refresh_conf_back": "Volver a los datos en conflicto",
    "refresh_col_field": "Dato",
    "refresh_col_registry": "Registro",
    "refresh_col_file_value": "Padrón",
    "refresh_col_key": "Clave",
    "refresh_rows_title": "Filas del padrón (retenidas hasta decidir)",
    "refresh_decide": "Decisión",
    "refresh_accept": "Vale el padrón: actualizar el registro",
    "refresh_keep": "Vale el registro: conservarlo",
    "refresh_split": "Son dos personas: registrar la del padrón con una clave nueva",
    "refresh_reused": "Son dos personas y la fuente reutilizó la clave: la clave pasa a la nueva",
    "refresh_new_key": "Clave nueva (CURP, o la clave de la fuente)",
    "refresh_done": "Decisión registrada: {status}.",
    "refresh_new_officer": "Nueva persona registrada: elemento {id}.",
}
