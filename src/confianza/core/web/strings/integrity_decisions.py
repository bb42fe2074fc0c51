"""The text of what follows an integrity case's findings (Spanish source; merged into
`strings.TEXT`, translated per request): the sanction, the special evaluation a sustained
finding asks for, the appeal HR files and its decision by a third person (ADR 0030).

Keys are unique across the whole catalogue: prefix them with "in_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "in_after_title": "Sanción y recurso",
    "in_after_none": "Sin sanción todavía: se decide cuando cada imputación tiene su "
                     "resolución en efecto y alguna es procedente.",
    "in_sanction_line": "{officer}: {kind}",
    "in_sanction_days": "{days} días",
    "in_sanction_by": "decidida por {who} el {on}",
    "in_appeal_until": "Se puede interponer un recurso hasta el {until}.",
    "in_appeal_until_over": "El plazo para interponer un recurso venció el {until}.",
    "in_appeal_filed": "Recurso interpuesto por {who} el {on}.",
    "in_appeal_decided": "Resolución del recurso, el {on}: {outcome}.",
    "in_appeal_pending": "Recurso pendiente de resolver.",
    "in_separation_opened": "La remoción quedó firme: se abrió el proceso de separación del "
                            "elemento, que su corporación atiende en «Separaciones».",
    "in_special_asked": "Evaluación especial de control de confianza solicitada: {id}",
    "in_special_help": "La imputación procedente es de las que la ley de control de confianza "
                       "señala: puede solicitar una evaluación especial del elemento.",
    "in_special_submit": "Solicitar evaluación especial por la imputación {id}",
    "in_sanction_form": "Imponer una sanción",
    "in_sanction_officer": "Elemento sancionado",
    "in_sanction_kind": "Sanción",
    "in_sanction_days_label": "Días (arresto o suspensión)",
    "in_sanction_days_help": "Solo para arresto o suspensión: de 1 a {max} días.",
    "in_sanction_grounds": "Fundamentos de la sanción",
    "in_sanction_submit": "Imponer la sanción",
    "in_appeal_decide_form": "Resolver el recurso",
    "in_appeal_decide_help": "Lo resuelve una tercera persona: ni quien investigó, ni quien "
                             "resolvió las imputaciones, ni quien impuso la sanción.",
    "in_appeal_outcome": "Sentido de la resolución",
    "in_appeal_resolution": "Fundamentos de la resolución del recurso",
    "in_appeal_decide_submit": "Resolver el recurso",
    "in_appeal_page_title": "Recurso contra la sanción del expediente {id}",
    "in_appeal_page_lead": "Usted puede interponer el recurso del elemento de su corporación. "
                           "Del expediente solo se muestra su etapa: su contenido es para "
                           "quienes lo llevan. Esta consulta queda registrada.",
    "in_appeal_grounds": "Agravios: por qué la sanción debe revocarse",
    "in_appeal_submit": "Interponer el recurso",
    "in_appeal_not_now": "En esta etapa no hay una sanción que recurrir.",
    "in_appeal_link": "Interponer recurso contra la sanción",
    "in_done_sanction": "Sanción impuesta.",
    "in_done_special": "Evaluación especial solicitada al flujo de control de confianza.",
    "in_done_appeal_decided": "Recurso resuelto; el expediente concluyó.",
    "in_done_appeal_filed": "Recurso interpuesto; lo resolverá una tercera persona de la "
                            "Comisión.",
    "in_err_days": "Escriba los días: de 1 a {max} para arresto o suspensión; ninguno para "
                   "las demás sanciones.",
    "in_ref_stage_sanction": "No se registró: la sanción se decide después de las resoluciones, "
                             "antes de cualquier recurso.",
    "in_ref_stage_appeal": "No se registró: no hay un recurso pendiente en este expediente.",
    "in_ref_stage_appeal_file": "No se registró: solo se recurre una sanción, mientras el "
                                "expediente está en la etapa de sanción.",
    "in_ref_nothing_sustained": "No se registró: ese elemento no tiene una imputación "
                                "procedente en efecto; no hay nada que sancionar.",
    "in_ref_already_sanctioned": "No se registró: ese elemento ya tiene su sanción en este "
                                 "expediente.",
    "in_ref_findings_missing": "No se registró: falta la resolución de alguna imputación.",
    "in_ref_second_person": "No se registró: alguna resolución espera a su segunda persona.",
    "in_ref_appeal_period": "No se registró: el plazo para interponer el recurso terminó.",
    "in_ref_not_sustained": "No se registró: solo una imputación procedente en efecto pide "
                            "una evaluación especial.",
    "in_ref_kind": "No se registró: esa conducta no es de las que señala la ley de control de "
                   "confianza.",
    "in_ref_unmatched": "No se registró: el elemento señalado no está vinculado al padrón.",
    "in_ref_already_requested": "No se registró: esa evaluación especial ya se solicitó.",
    "in_ref_not_serving": "No se registró: el elemento no tiene adscripción vigente.",
}

IN_APPEAL_OUTCOME: Final[Messages[str]] = Messages({
    "upheld": "Confirma la sanción",
    "overturned": "Revoca la sanción",
})
