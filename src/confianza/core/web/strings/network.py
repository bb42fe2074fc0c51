"""The co-accusal network pages' text (Spanish source; merged into `strings.TEXT`, translated
per request): one officer's co-accused and the groups of internal affairs (issue 17, item 5).

Keys are unique across the whole catalogue: prefix them with "nw_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "nw_officer_title": "Red de coacusados",
    "nw_officer_lead": "{label}: {complaints} quejas en el periodo, {partners} coacusados",
    "nw_intro": "Elementos señalados en las mismas quejas. Ser coacusado no prueba nada por sí "
                "mismo: es un patrón para investigar. Esta consulta queda registrada.",
    "nw_back_profile": "Volver al expediente del elemento",
    "nw_groups_link": "Grupos de toda la red",
    "nw_graph": "Gráfica de los coacusados más frecuentes",
    "nw_graph_help": "El elemento al centro; los más cercanos, quienes comparten más quejas. "
                     "El grosor de una línea crece con las quejas compartidas; un círculo con "
                     "borde rojo tiene alguna resolución de responsabilidad.",
    "nw_graph_label": "Red de coacusados de {label}",
    "nw_partners": "Coacusados",
    "nw_none": "No hay coacusados en este periodo.",
    "nw_col_accused": "Coacusado(a)",
    "nw_col_shared": "Quejas juntos",
    "nw_col_sustained": "Ambos con responsabilidad",
    "nw_col_period": "Primera y última",
    "nw_col_complaints": "Quejas",
    "nw_unmatched": "sin vincular al padrón",
    "nw_more_complaints": "y {n} más",
    "nw_undated": "sin fecha",
    "nw_filter": "Filtrar",
    "nw_filter_since": "Desde",
    "nw_filter_until": "Hasta",
    "nw_filter_min": "Quejas compartidas, al menos",
    "nw_filter_all": "Todas las vías (no solo quejas ciudadanas)",
    "nw_filter_method": "Método",
    "nw_filter_ranking": "Orden",
    "nw_bad_date": "Escriba una fecha válida (AAAA-MM-DD).",
    "nw_bad_range": "El periodo empieza después de terminar.",
    "nw_bad_min": "Escriba un número entero de 1 en adelante.",
    "nw_groups_title": "Red de coacusados: grupos",
    "nw_groups_intro": "Grupos de elementos señalados juntos una y otra vez en las quejas de "
                       "su ámbito. Un grupo es un patrón para investigar, no una conclusión. "
                       "Esta consulta queda registrada.",
    "nw_groups_lead": "{total} grupos entre {accused} personas señaladas",
    "nw_groups_none": "No hay grupos con estos criterios.",
    "nw_col_group": "Grupo",
    "nw_col_size": "Integrantes",
    "nw_col_together": "Quejas juntos",
    "nw_col_group_sustained": "Resoluciones de responsabilidad",
    "nw_col_members": "Quiénes",
    "nw_others": "y {n} más",
    "nw_previous": "Anteriores",
    "nw_next": "Siguientes",
    "nw_page": "Grupos {first} a {last} de {total}",
}

NW_METHOD: Final[Messages[str]] = Messages({
    "communities": "Comunidades (Louvain)",
    "components": "Componentes conexos",
})

NW_RANKING: Final[Messages[str]] = Messages({
    "size": "Por tamaño",
    "sustained": "Por resoluciones de responsabilidad",
})


class NetworkLabels:
    """The label tables of the network pages (`nl.method[...]`, `nl.ranking[...]`)."""

    method = NW_METHOD
    ranking = NW_RANKING
