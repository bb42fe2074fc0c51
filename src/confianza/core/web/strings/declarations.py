"""Asset declarations' text (Spanish source; merged into `strings.TEXT`, translated per
request): one officer's declarations and findings, HR's missing and late list, the panel beside
the socio-economic exam (ADR 0038).

Keys are unique across the whole catalogue: prefix them with "dc_".
"""

from __future__ import annotations

from typing import Final

from confianza.core.web.i18n import Messages

TEXT: Final[dict[str, str]] = {
    "dc_officer_title": "Declaraciones patrimoniales de {name}",
    "dc_officer_intro": "Lo que el elemento declaró y lo que encuentran las reglas de revisión. "
                        "Un hallazgo no cambia nada por sí solo: es una pregunta para quien "
                        "evalúa o investiga. Esta consulta queda registrada.",
    "dc_declarations": "Declaraciones presentadas",
    "dc_none": "No hay declaraciones registradas.",
    "dc_col_kind": "Tipo",
    "dc_col_year": "Año",
    "dc_col_filed": "Presentada",
    "dc_col_public": "Remuneración pública anual",
    "dc_col_registry_pay": "Sueldo que conoce el registro (nómina importada o tabulador)",
    "dc_col_total": "Ingreso total anual",
    "dc_col_sha": "SHA-256 del documento",
    "dc_payroll": "Nómina importada",
    "dc_payroll_intro": "El sueldo bruto anual que da la nómina de otra autoridad, por año; "
                        "donde la hay, la revisión compara con ella la remuneración declarada "
                        "en lugar del tabulador.",
    "dc_col_gross": "Sueldo bruto anual",
    "dc_col_gross_mxn": "En pesos",
    "dc_col_payroll_source": "Nómina (archivo)",
    "dc_findings": "Hallazgos de la revisión",
    "dc_findings_none": "Ninguna regla encuentra algo en sus declaraciones.",
    "dc_open_case": "Abrir expediente de investigación con esta declaración como evidencia",
    "dc_case_opened": "Se abrió el expediente {case}.",
    "dc_refused": "No se pudo abrir el expediente",
    "dc_due_title": "Declaraciones faltantes y tardías",
    "dc_due_intro": "Elementos de su ámbito que deben una declaración (inicial, de modificación "
                    "cada mayo, de conclusión) o la presentaron fuera de plazo. Esta consulta "
                    "queda registrada.",
    "dc_due_count": "{total} de {officers} elementos de su ámbito.",
    "dc_due_none": "Ningún elemento de su ámbito debe declaraciones.",
    "dc_col_officer": "Elemento",
    "dc_col_missing": "Faltan",
    "dc_col_late": "Tardías",
    "dc_due_item": "{kind} {year} (vence {due})",
    "dc_late_item": "{kind} {year} (venció {due}, presentada {filed})",
    "dc_next": "Siguientes",
    "dc_previous": "Anteriores",
    "dc_panel_title": "Declaraciones patrimoniales del evaluado",
    "dc_panel_intro": "Lo que encuentran las reglas en las dos últimas declaraciones, para "
                      "contrastar con la entrevista. Esta consulta queda registrada.",
    "dc_nav": "Declaraciones",
    "dc_record_link": "Declaraciones patrimoniales y lo que encuentra su revisión",
}

DC_KIND: Final[Messages[str]] = Messages({
    "initial": "Inicial",
    "modification": "Modificación",
    "conclusion": "Conclusión",
})

DC_RULE: Final[Messages[str]] = Messages({
    "unexplained_growth": "Crecimiento patrimonial sin explicar",
    "salary_mismatch": "Remuneración distinta de la del registro",
    "cash_purchases": "Compras de contado",
    "vanished_assets": "Bienes desaparecidos",
    "fast_repayment": "Deudas pagadas demasiado rápido",
    "missing_or_late": "Declaraciones faltantes o tardías",
})


class DeclarationLabels:
    """The label tables of the declarations' pages (`dl.kind[...]`, `dl.rule[...]`)."""

    kind = DC_KIND
    rule = DC_RULE
