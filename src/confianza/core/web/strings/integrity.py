"""The integrity cases' text (Spanish source; merged into `strings.TEXT`, translated per
request): the catalogues' labels and the reasons of an allegation's standing (ADR 0030).

Keys are unique across the whole catalogue: prefix them with "in_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "in_case_folio": "Expediente de asuntos internos {id}",
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
