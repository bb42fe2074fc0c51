"""The auditors' pages of alerts on unexplained reads (issue 19 §3, ADR 0037 addendum): the
queue, one alert with the reads behind it and the form that marks it, and the home's panel.
Spanish source; merged into `strings.TEXT`, translated per request.

Keys are unique across the whole catalogue: prefix them with "aa_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "aa_nav": "Alertas de consultas",
    "aa_queue_title": "Alertas de consultas sin explicación",
    "aa_queue_intro": (
        "Cuentas que consultaron expedientes sin un trabajo que lo explique, con la suma de "
        "señales por encima del umbral. Una alerta es una pregunta, no una conclusión: "
        "revise las consultas y califíquela. Nadie más recibe aviso de una alerta, ni la "
        "persona ni su mando. Esta consulta queda registrada."
    ),
    "aa_filter": "Mostrar",
    "aa_filter_submit": "Filtrar",
    "aa_filter_all": "Todas",
    "aa_bad_filter": "Ese filtro no existe: elija abiertas, justificadas, uso indebido, "
                     "requieren entrevista o todas.",
    "aa_report_title": "Cómo se han calificado",
    "aa_report_share": "Confirmadas como uso indebido",
    "aa_report_share_of": "{share} de {decided} alertas decididas (justificadas o uso indebido)",
    "aa_report_none": "Todavía no hay alertas decididas.",
    "aa_col_alert": "Alerta",
    "aa_col_reader": "Quién consultó",
    "aa_col_role": "Rol",
    "aa_col_period": "Periodo",
    "aa_col_points": "Puntos",
    "aa_col_why": "Por qué",
    "aa_col_reads": "Consultas",
    "aa_col_outcome": "Calificación",
    "aa_points_of": "{points} (umbral {threshold})",
    "aa_period": "{first} a {last}",
    "aa_none": "No hay alertas con ese filtro.",
    "aa_more": "Alertas anteriores",
    "aa_no_role": "Sin rol (cuenta eliminada o consola)",
    # One alert
    "aa_alert_title": "Alerta {id}: consultas de {reader}",
    "aa_alert_lead": "{role} · del {first} al {last} · {points} puntos contra un umbral de "
                     "{threshold} · {reads} consultas. Esta consulta queda registrada.",
    "aa_alert_caution": (
        "La alerta dice qué consultas no explica el trabajo registrado, no por qué se hicieron: "
        "puede haber trabajo real que el registro no conoce. Nadie más recibe aviso de esta "
        "alerta, ni la persona ni su mando."
    ),
    "aa_back": "Volver a las alertas de consultas",
    "aa_reader_history": "Historial de la cuenta",
    "aa_why": "Por qué se generó",
    "aa_signal_points": "{points} puntos",
    "aa_reads": "Las consultas detrás de la alerta",
    "aa_reads_intro": "Horas en el horario de la oficina de quien consultó ({zone}).",
    "aa_reads_intro_gone": (
        "La cuenta ya no existe: horas en el horario del sistema ({zone})."
    ),
    "aa_col_when": "Fecha y hora",
    "aa_col_officer": "Elemento",
    "aa_col_what": "Qué consultó",
    "aa_col_signals": "Señales",
    "aa_col_entry": "Entrada",
    "aa_officer_unknown": "Elemento {id}",
    "aa_earlier": "Otras alertas de esta cuenta",
    "aa_earlier_none": "Es la primera alerta sobre esta cuenta.",
    "aa_earlier_summary": (
        "{n} alertas más: {misuse} confirmadas como uso indebido, {justified} justificadas, "
        "{interview} en espera de entrevista y {open} abiertas."
    ),
    "aa_marks": "Calificaciones",
    "aa_marks_none": "Todavía nadie ha calificado esta alerta.",
    "aa_mark_line": "{when}, {who}: {outcome}.",
    "aa_mark_title": "Calificar la alerta",
    "aa_mark_again": "Calificar de nuevo",
    "aa_mark_intro": (
        "Justificada: había un trabajo real que el registro no conocía. Uso indebido: no lo "
        "había. Requiere entrevista: falta hablar con la persona antes de decidir (la alerta "
        "se puede calificar de nuevo). Cada calificación se conserva."
    ),
    "aa_outcome": "Calificación",
    "aa_note": "Nota",
    "aa_note_help": "Qué se revisó y qué se encontró; obligatoria, hasta 4000 caracteres.",
    "aa_submit": "Registrar la calificación",
    "aa_refused": "No se registró la calificación:",
    "aa_bad_outcome": "Elija justificada, uso indebido o requiere entrevista.",
    "aa_note_missing": "Escriba una nota que diga qué se revisó y qué se encontró.",
    "aa_note_too_long": "La nota tiene {n} caracteres; el máximo es 4000.",
    "aa_done": "Calificación registrada.",
    # The home's panel (auditors)
    "aa_home_title": "Alertas de consultas abiertas",
    "aa_home_count": "Abiertas",
    "aa_home_item": "{reads} consultas · {points} puntos · {last}",
    "aa_home_all": "Ir a las alertas de consultas",
}

#: An alert's outcome: where it stands (the list and the marks), and a mark as chosen.
AA_OUTCOME: Final[Messages[str]] = Messages({
    "open": "Abierta",
    "justified": "Justificada",
    "misuse": "Uso indebido",
    "interview": "Requiere entrevista",
})

#: The filter of the list, in the plural.
AA_FILTER: Final[Messages[str]] = Messages({
    "open": "Abiertas",
    "justified": "Justificadas",
    "misuse": "Uso indebido",
    "interview": "Requieren entrevista",
})

#: Each signal in a few words, beside the reads it stands on (the alert itself says why in
#: full, in the words the scoring wrote).
AA_SIGNAL: Final[Messages[str]] = Messages({
    "unfamiliar": "Ajeno a su grupo",
    "own_history": "Más de lo usual",
    "burst": "Ráfaga",
    "off_hours": "Fuera de horario",
    "one_unit": "Una misma unidad",
    "one_case": "Una misma investigación",
    "confidential_case": "Investigación reservada",
    "leaving": "Por dejar el puesto",
})


class AccessAlertLabels:
    """The label tables of the alerts' pages (`aal.outcome[...]`, ...)."""

    outcome = AA_OUTCOME
    filter = AA_FILTER
    signal = AA_SIGNAL
