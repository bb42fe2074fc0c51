"""Early intervention's text (Spanish source; merged into `strings.TEXT`, translated per
request): the review queue, one flag's page and the report (ADR 0034).

Keys are unique across the whole catalogue: prefix them with "rk_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "rk_nav": "Intervención temprana",
    "rk_queue_title": "Alertas tempranas por revisar",
    "rk_queue_intro": "Elementos de su ámbito a quienes un modelo señaló para que un mando los "
                      "revise. Una alerta es una pregunta para una persona, nunca una sanción: "
                      "no cambia la situación del elemento. Esta consulta queda registrada.",
    "rk_queue_none": "No hay alertas en su ámbito.",
    "rk_queue_no_run": "Todavía no se ha calificado a nadie con un modelo de alerta temprana.",
    "rk_no_model": "No hay ningún modelo entrenado. Quien administra el sistema lo entrena en "
                   "la consola con «confianza risk train --as-of AAAA-MM-DD» (sobre las quejas "
                   "e integridad que el registro tiene hasta ese día) y califica con "
                   "«confianza risk score»; entonces las alertas aparecen aquí.",
    "rk_model_not_promoted": "El último modelo entrenado ({model}, al {day}) no se promovió: "
                             "no superó al conteo de quejas de los dos últimos años o quedó "
                             "fuera de los límites de equidad, y un modelo así no califica a "
                             "nadie. «confianza risk models {model}» dice por qué.",
    "rk_run": "Calificación del {day} con el modelo {model}: {flagged} de {officers} elementos "
              "en activo señalados.",
    "rk_waiting": "{n} alertas sin revisar",
    "rk_col_rank": "Lugar",
    "rk_col_officer": "Elemento",
    "rk_col_factors": "Por qué",
    "rk_col_flagged": "Señalado",
    "rk_col_review": "Revisión",
    "rk_not_reviewed": "Sin revisar",
    "rk_flag_title": "Alerta temprana de {name}",
    "rk_flag_lead": "Lugar {rank} de {officers} en la calificación del {day} (modelo {model}). "
                    "Esta consulta queda registrada.",
    "rk_flag_caution": "La alerta dice a quién mirar primero, no qué hizo: revise la historia "
                       "y hable con el elemento y su mando antes de decidir.",
    "rk_why": "Por qué se señaló",
    "rk_history": "La historia detrás de la alerta (al {day})",
    "rk_complaints": "Quejas",
    "rk_complaints_none": "Sin quejas registradas.",
    "rk_col_known": "Conocida",
    "rk_col_happened": "Hechos",
    "rk_col_case": "Expediente",
    "rk_col_categories": "Imputaciones",
    "rk_col_channel": "Vía",
    "rk_col_finding": "Resolución",
    "rk_civilian": "Ciudadana",
    "rk_internal": "Interna",
    "rk_postings": "Adscripciones",
    "rk_col_place": "Unidad o corporación",
    "rk_col_from": "Desde",
    "rk_col_until": "Hasta",
    "rk_trust": "Controles de confianza",
    "rk_trust_none": "Sin resultados de control de confianza registrados.",
    "rk_approved": "Aprobado",
    "rk_not_approved": "No aprobado",
    "rk_review": "Revisión",
    "rk_review_intro": "Registre qué se hizo y si la alerta sirvió. Se revisa una sola vez; "
                       "pedir una evaluación especial la solicita en el mismo acto.",
    "rk_outcome": "Qué se hizo",
    "rk_useful": "¿La alerta fue útil?",
    "rk_yes": "Sí",
    "rk_no": "No",
    "rk_note": "Nota",
    "rk_note_help": "Qué se hizo y por qué, de 10 a 4000 caracteres.",
    "rk_submit": "Registrar la revisión",
    "rk_refused": "No se registró la revisión:",
    "rk_bad_outcome": "Elija qué se hizo.",
    "rk_bad_useful": "Diga si la alerta fue útil.",
    "rk_already_reviewed": "Esta alerta ya se revisó: se revisa una sola vez.",
    "rk_no_single_posting": "No se puede pedir una evaluación especial: el elemento no tiene "
                            "una sola adscripción vigente desde la cual pedirla. Elija otra "
                            "acción o pídala desde la corporación.",
    "rk_done": "Revisión registrada.",
    "rk_reviewed": "Revisada por {who} el {when}: {outcome}; {useful}.",
    "rk_was_useful": "la alerta fue útil",
    "rk_was_not_useful": "la alerta no fue útil",
    "rk_evaluation": "Se solicitó la evaluación especial {id}.",
    "rk_back": "Volver a las alertas",
    "rk_report_title": "Utilidad de las alertas tempranas",
    "rk_report_intro": "Cuántas alertas se revisaron y cuántas resultaron útiles, en todas las "
                       "calificaciones. Sin nombres. Esta consulta queda registrada.",
    "rk_report_flagged": "Alertas emitidas",
    "rk_report_reviewed": "Revisadas",
    "rk_report_useful": "Útiles",
    "rk_report_share": "Proporción útil",
    "rk_report_link": "Utilidad de las alertas",
    "rk_rule": "regla de umbral: {count} o más quejas en {months} meses",
    "rk_run_rule": "Señalados el {day} por la {rule}, no por un modelo: {flagged} de "
                   "{officers} elementos en activo la cumplen.",
    "rk_rule_instead": "Mientras ningún modelo esté promovido, las alertas vienen de la regla "
                       "de umbral con la que los departamentos señalan hoy. Es una regla, no "
                       "un modelo: su evaluación y sus cifras de equidad están en «Utilidad "
                       "de las alertas».",
    "rk_col_method": "Señalado por",
    "rk_by_model": "modelo {model}",
    "rk_flag_lead_rule": "Señalado el {day} por la {rule}, no por un modelo ({n} quejas en "
                         "ese plazo; lugar {rank} de {officers}). Esta consulta queda "
                         "registrada.",
    "rk_report_by_method": "Por método",
    "rk_report_method": "Método",
    "rk_method_model": "Modelo promovido",
    "rk_method_threshold": "Regla de umbral",
    "rk_rule_eval_title": "La regla de umbral, medida",
    "rk_rule_eval_intro": "La {rule} no es un modelo y no se promueve: estas son sus cifras "
                          "en los años de prueba de la evaluación del modelo {model} ({years}; "
                          "{officer_years} años-elemento, {outcomes} con el desenlace), "
                          "señalando a todos los que la cumplen.",
    "rk_rule_eval_other": "La regla que señaló tiene otros parámetros que la evaluada: estas "
                          "cifras no son las suyas.",
    "rk_rule_eval_none": "Ningún modelo guardado midió todavía la regla de umbral: entrene uno "
                         "(«confianza risk train») para ver sus cifras aquí.",
    "rk_rule_flagged": "Señalados por la regla",
    "rk_rule_precision": "De ellos, con el desenlace (precisión)",
    "rk_rule_recall": "Desenlaces que encontró (exhaustividad)",
    "rk_rule_at_cut": "Exhaustividad al señalar al {cut} superior: regla {rule}, modelo {model}",
    "rk_fairness": "Equidad de la regla, por grupo",
    "rk_col_attribute": "Atributo",
    "rk_col_group": "Grupo",
    "rk_col_officer_years": "Años-elemento",
    "rk_col_outcomes": "Desenlaces",
    "rk_col_flag_rate": "Tasa de señalamiento",
    "rk_col_fpr": "Tasa de falsos positivos",
    "rk_col_recall": "Exhaustividad",
    "rk_col_compared": "Comparado",
    "rk_too_small": "no (grupo pequeño)",
    "rk_ratios": "Razones entre grupos (el menor sobre el mayor; 1 es paridad)",
}

RK_OUTCOME: Final[Messages[str]] = Messages({
    "no_action": "Ninguna acción",
    "conversation": "Conversación con el elemento",
    "training": "Capacitación",
    "internal_affairs": "Canalización a asuntos internos",
    "special_evaluation": "Evaluación especial de control de confianza",
})

RK_FINDING: Final[Messages[str]] = Messages({
    "sustained": "Fundada",
    "not_sustained": "No acreditada",
    "exonerated": "Exonerado",
    "unfounded": "Infundada",
    "no_finding": "Sin resolución",
    "pending": "En trámite",
})


class RiskLabels:
    """The label tables of the early-intervention pages (`rl.outcome[...]`, ...)."""

    outcome = RK_OUTCOME
    finding = RK_FINDING
