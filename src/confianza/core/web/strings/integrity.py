"""The integrity cases' text (Spanish source; merged into `strings.TEXT`, translated per
request): the catalogues' labels and the reasons of an allegation's standing (ADR 0030).

Keys are unique across the whole catalogue: prefix them with "in_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "in_case_folio": "Expediente de asuntos internos {id}",
    "in_nav": "Asuntos internos",
    "in_queue_title": "Expedientes de asuntos internos",
    "in_queue_intro": "Lo que espera su atención, la etapa más antigua primero, con su plazo y "
                      "lo que va tarde. Esta consulta queda registrada.",
    "in_queue_none": "No hay expedientes pendientes.",
    "in_queue_late": "{n} expedientes fuera de plazo",
    "in_col_case": "Expediente",
    "in_col_stage": "Etapa",
    "in_col_since": "Desde",
    "in_col_due": "Plazo",
    "in_col_allegations": "Imputaciones",
    "in_late_days": "{days} días de retraso",
    "in_on_time": "En plazo",
    "in_no_deadline": "Sin plazo",
    "in_back": "Volver a los expedientes",
    "in_case_lead": "Etapa: {stage}, desde {since}",
    "in_summary": "Resumen",
    "in_your_duties": "Su papel en este expediente: {duties}",
    "in_allegations": "Imputaciones",
    "in_accused_officer": "Elemento {id}",
    "in_accused_unmatched": "Sin vincular al padrón: {name}",
    "in_standing": "Situación",
    "in_finding": "Resolución",
    "in_finding_waits": "en espera de una segunda persona",
    "in_sources": "Fuentes",
    "in_source_n": "Fuente {id}",
    "in_col_channel": "Vía",
    "in_col_reliability": "Confiabilidad de la fuente",
    "in_col_credibility": "Credibilidad de la información",
    "in_col_reporter": "Quien denuncia",
    "in_protected_witness": "Testigo protegido",
    "in_benefit": "recibió un beneficio",
    "in_coercion": "el elemento afirma que fue coaccionada",
    "in_nobody_named": "Nadie (no se identifica)",
    "in_evidence": "Pruebas",
    "in_evidence_none": "Sin pruebas todavía.",
    "in_col_file": "Archivo",
    "in_col_sha256": "SHA-256",
    "in_col_description": "Descripción",
    "in_links": "Vínculos",
    "in_link_supports": "La prueba {evidence} sustenta la imputación {allegation}",
    "in_link_contradicts": "La prueba {evidence} contradice la imputación {allegation}",
    "in_link_other_supports": "La imputación {other} respalda la imputación {allegation}",
    "in_link_other_contradicts": "La imputación {other} contradice la imputación {allegation}",
    "in_people": "Personas del expediente",
    "in_notice": "Notificación al elemento",
    "in_notice_none": "Sin notificación todavía.",
    "in_notice_issued": "Emitida el {issued}",
    "in_notice_served": "entregada el {served}",
    "in_answers": "Contestación del elemento",
    "in_sanctions": "Sanciones",
    "in_appeal": "Recurso",
    "in_opened_by": "Recibido por {who} el {when}",
    # The integrity section of the officer's record.
    "in_record_title": "Asuntos internos",
    "in_record_help": "Expedientes en que se le señala. Que exista un expediente no es una "
                      "resolución.",
    "in_record_none": "No se le señala en ningún expediente.",
    "in_record_case": "Expediente {id}",
    "in_record_since": "desde el {since}",
    "in_record_no_file": "Solo la etapa: el expediente es para quienes lo llevan.",
    "in_record_network": "Con quién se le ha señalado (red de coacusaciones)",
    # The intake form (a complaint taken by phone).
    "in_new_case": "Recibir una queja o denuncia",
    "in_received": "Se abrió el expediente {id}. Quien recibe la queja no participa en él; la "
                   "supervisión lo asigna.",
    "in_intake_title": "Recibir una queja o denuncia",
    "in_intake_lead": "Anote lo que dice quien llama: una o varias imputaciones, cada una contra "
                      "un elemento. Si algo falta, se le indica junto al dato y nada de lo "
                      "escrito se pierde.",
    "in_intake_case": "El expediente",
    "in_intake_agency": "Corporación del expediente",
    "in_intake_choose": "Elija una opción",
    "in_intake_summary": "Resumen de la queja",
    "in_intake_source": "La fuente",
    "in_intake_source_help": "Quién informa y cuánto se puede confiar, calificado en dos partes "
                             "por separado: la fuente y la información.",
    "in_intake_reliability_help": "¿Cuánto se ha podido confiar antes en esta fuente? Si no hay "
                                  "antecedentes, elija F.",
    "in_intake_credibility_help": "¿Qué tan creíble es lo que relata, por sí mismo y frente a lo "
                                  "que ya se sabe? Si no puede juzgarse, elija 6.",
    "in_intake_reporter": "Nombre de quien denuncia (si lo da)",
    "in_intake_reporter_help": "Vacío si es anónima o si es un testigo protegido.",
    "in_intake_account": "Lo que relata la fuente",
    "in_intake_received": "Fecha en que se recibió",
    "in_intake_flags": "Declaración de testigo",
    "in_intake_protected": "Testigo protegido (su identidad se guarda aparte, nunca con el "
                           "expediente)",
    "in_intake_benefit": "Recibió un beneficio a cambio de declarar",
    "in_intake_coercion": "Se afirma que la declaración fue coaccionada",
    "in_intake_identity": "Identidad del testigo protegido",
    "in_intake_identity_help": "Solo para un testigo protegido: se guarda en resguardo y nadie "
                               "la ve con el expediente.",
    "in_intake_allegation_n": "Imputación {n}",
    "in_intake_kind": "Qué se imputa",
    "in_intake_accused": "Elemento señalado",
    "in_intake_accused_help": "Escriba el nombre o la placa como los dio quien llama y busque en "
                              "el padrón. Si no está seguro de quién es, déjelo como lo dieron: "
                              "nunca se vincula a nadie por suposición.",
    "in_intake_accused_name": "Nombre como lo dieron",
    "in_intake_accused_badge": "Placa como la dieron",
    "in_intake_search": "Buscar en el padrón",
    "in_intake_keep_as_given": "Dejarlo como lo dieron, sin vincular al padrón",
    "in_intake_no_match": "Nadie en el padrón coincide; quedará como lo dieron.",
    "in_intake_what": "Lo que se imputa",
    "in_intake_when": "Cuándo ocurrió (si se sabe)",
    "in_intake_where": "Dónde ocurrió (si se sabe)",
    "in_intake_add": "Agregar otra imputación",
    "in_intake_remove": "Quitar la imputación {n}",
    "in_intake_submit": "Abrir el expediente",
    "in_intake_refused": "No se abrió el expediente.",
    "in_fix_fields": "Revise los datos señalados; lo escrito se conserva.",
    "in_err_choose": "Elija una opción de la lista.",
    "in_err_date": "Escriba una fecha válida (día, mes y año).",
    "in_err_required": "Falta este dato.",
    "in_err_short": "Escriba un poco más (al menos {min} caracteres).",
    "in_err_long": "Es demasiado largo.",
    "in_err_future": "La fecha es posterior a hoy.",
    "in_err_accused": "Señale al elemento: elíjalo del padrón o escriba el nombre o la placa "
                      "como los dieron.",
    "in_err_no_officer": "Ese elemento no está en el padrón; déjelo como lo dieron.",
    "in_err_anonymous_named": "Una fuente anónima o de medios no lleva nombre.",
    "in_err_protected_named": "El nombre de un testigo protegido va en su identidad resguardada, "
                              "no con el expediente.",
    "in_err_protected_identity": "Anote la identidad del testigo protegido; se guarda aparte.",
    "in_err_identity_unprotected": "Solo un testigo protegido tiene identidad resguardada.",
    # The commission's decision forms and their refusals.
    "in_done_finding": "Resolución registrada.",
    "in_done_confirmed": "Resolución confirmada por una segunda persona; ya surte efecto.",
    "in_decide_finding": "Resolución de la imputación {id}",
    "in_decide_relied": "En qué se apoya",
    "in_decide_relied_help": "Marque las fuentes y pruebas de esta imputación en que descansa la "
                             "resolución. Una resolución procedente no puede apoyarse solo en "
                             "lo que no basta por sí mismo.",
    "in_decide_grounds": "Fundamentos",
    "in_decide_grounds_help": "Explique por qué, en al menos {min} caracteres.",
    "in_decide_submit": "Registrar la resolución de la imputación {id}",
    "in_cannot_stand_alone": "no basta por sí sola ({weakness})",
    "in_confirm_help": "Esta resolución descansa en una declaración que el elemento afirma que "
                       "fue coaccionada: surte efecto cuando otra persona de la Comisión la "
                       "confirma.",
    "in_confirm_submit": "Confirmar como segunda persona",
    "in_err_grounds": "Escriba los fundamentos (al menos {min} caracteres).",
    "in_err_relied_on": "Marque solo fuentes y pruebas de esta imputación.",
    "in_ref_rests_on_nothing": "No se registró: una resolución procedente debe decir en qué se "
                               "apoya.",
    "in_ref_only_weak_support": "No se registró: lo único que la sostiene no basta por sí "
                                "mismo (anónima, medios, testigo protegido con beneficio, un "
                                "examen solo, o una fuente no confiable). Hace falta una prueba "
                                "o una fuente que pueda ser interrogada.",
    "in_ref_contradicting": "No se registró: una resolución procedente no puede apoyarse en una "
                            "prueba que contradice la imputación.",
    "in_ref_source": "No se registró: quien presentó o recibió una imputación de este "
                     "expediente no puede resolverlo.",
    "in_ref_subject": "No se registró: un elemento señalado no resuelve su propio expediente.",
    "in_ref_investigator": "No se registró: quien investiga el expediente no puede resolverlo.",
    "in_ref_chain_of_command": "No se registró: quien está en la cadena de mando del elemento "
                               "señalado no puede resolver.",
    "in_ref_first_decider": "No se registró: el recurso lo resuelve una tercera persona, no "
                            "quien resolvió o sancionó.",
    "in_ref_same_person": "No se registró: la segunda persona debe ser otra que quien resolvió.",
    "in_ref_stage": "No se registró: el expediente no está en la etapa de resolución.",
    "in_ref_already_decided": "No se registró: esta imputación ya tiene su resolución.",
    "in_ref_confirmed": "Esta resolución no necesita confirmación.",
    "in_ref_not_yours": "No se registró: usted no es una de las personas de este expediente "
                        "que pueden resolverlo.",
    "in_ref_state": "No se registró en el estado actual del expediente.",
    "in_err_protection_channel": "La protección y los beneficios son de una declaración de "
                                 "testigo: elija esa vía.",
}

IN_ALLEGATION_KIND: Final[Messages[str]] = Messages({
    "bribery": "Cohecho",
    "organised_crime": "Vínculos con la delincuencia organizada",
    "leaking_information": "Filtración de información",
    "use_of_force": "Uso de la fuerza",
    "theft": "Robo",
    "drug_use": "Consumo de drogas",
    "abuse_of_authority": "Abuso de autoridad",
    "extortion": "Extorsión",
    "unlawful_detention": "Detención arbitraria",
    "neglect_of_duty": "Incumplimiento del deber",
    "other": "Otra",
})

IN_SOURCE_CHANNEL: Final[Messages[str]] = Messages({
    "citizen_complaint": "Queja o denuncia ciudadana",
    "anonymous_line": "Denuncia anónima",
    "fellow_officer": "Compañero(a) de corporación",
    "supervisor": "Superior jerárquico",
    "other_authority": "Otra autoridad",
    "witness_statement": "Declaración de testigo",
    "media_or_banner": "Medios o narcomanta",
    "trust_control_exams": "Evaluaciones de control de confianza",
})

IN_RELIABILITY: Final[Messages[str]] = Messages({
    "A": "A — Completamente confiable",
    "B": "B — Usualmente confiable",
    "C": "C — Medianamente confiable",
    "D": "D — Usualmente no confiable",
    "E": "E — No confiable",
    "F": "F — No puede valorarse",
})

IN_CREDIBILITY: Final[Messages[str]] = Messages({
    "1": "1 — Confirmada",
    "2": "2 — Probablemente cierta",
    "3": "3 — Posiblemente cierta",
    "4": "4 — Dudosa",
    "5": "5 — Improbable",
    "6": "6 — No puede valorarse",
})

IN_STAGE: Final[Messages[str]] = Messages({
    "intake": "Recepción",
    "assigned": "Asignado",
    "notified": "Notificación emitida",
    "answer_period": "Plazo de contestación",
    "evidence": "Investigación",
    "finding": "Resolución",
    "sanction": "Sanción",
    "appeal": "Recurso",
    "closed": "Concluido",
})

IN_STANDING: Final[Messages[str]] = Messages({
    "uncorroborated": "Sin corroborar",
    "corroborated": "Corroborada",
    "contradicted": "Desvirtuada",
})

IN_FINDING: Final[Messages[str]] = Messages({
    "sustained": "Procedente",
    "not_sustained": "No acreditada",
    "unfounded": "Infundada",
    "exonerated": "Exonerado(a)",
})

IN_SANCTION: Final[Messages[str]] = Messages({
    "reprimand": "Amonestación",
    "arrest": "Arresto",
    "suspension": "Suspensión",
    "demotion": "Degradación",
    "dismissal": "Remoción",
})

IN_DUTY: Final[Messages[str]] = Messages({
    "investigator": "Investigador(a)",
    "decider": "Integrante de la Comisión que resuelve",
    "appeal_decider": "Quien resuelve el recurso",
})

#: The reasons of an allegation's standing (`integrity.rules.standing.Reason.code`).
IN_STANDING_REASON: Final[Messages[str]] = Messages({
    "evidence_supports": "Pruebas que la sustentan: {ids}",
    "evidence_contradicts": "Pruebas que la contradicen: {ids}",
    "sources_that_stand": "Fuentes que pueden sostenerla por sí mismas: {ids}",
    "source_cannot_stand_alone": "La fuente {ids} no basta por sí sola ({weakness})",
    "allegations_support": "Otras imputaciones de origen independiente la respaldan: {ids}",
    "allegations_contradict": "Otras imputaciones la contradicen: {ids}",
    "no_source_that_stands": "Ninguna fuente puede sostenerla por sí misma",
    "one_source_only": "Solo una fuente la sostiene ({ids}); falta corroboración independiente",
})

IN_WEAKNESS: Final[Messages[str]] = Messages({
    "anonymous": "anónima",
    "media": "medios o narcomanta",
    "paid_protected_witness": "testigo protegido que recibió un beneficio",
    "exam_alone": "un examen por sí solo no prueba una conducta",
    "unreliable": "fuente calificada como no confiable",
    "improbable": "información calificada como improbable",
})


class IntegrityLabels:
    """The label tables of the integrity pages (`il.stage[...]`, `il.kind[...]`, ...)."""

    kind = IN_ALLEGATION_KIND
    channel = IN_SOURCE_CHANNEL
    reliability = IN_RELIABILITY
    credibility = IN_CREDIBILITY
    stage = IN_STAGE
    standing = IN_STANDING
    finding = IN_FINDING
    sanction = IN_SANCTION
    duty = IN_DUTY
    reason = IN_STANDING_REASON
    weakness = IN_WEAKNESS
