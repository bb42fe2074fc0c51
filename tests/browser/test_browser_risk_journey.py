"""Agency HR works the early-intervention queue in a real Chromium: opens Intervención
temprana, sees that the department's threshold rule (not a model) flagged, opens María's
flag, reads why, records what was done and whether it was useful, and finds it counted under
the rule on the report, beside the rule's own evaluation; an examiner is refused the queue.

The run is written as `confianza risk score --rule threshold` would have kept it (the service
tests score for real on both databases); the model kept beside it was not promoted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from browser_support import (
    Registry,
    add_account,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    registry_fixture,
    sign_in,
    window_fixture,  # noqa: F401 - the fixture `window`
)

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.risk.rules.records import ModelSource, ScoringMethod
from confianza.risk.rules.scoring import Scored
from confianza.risk.rules.words import Worded

pytestmark = pytest.mark.browser
HR = "rh-jalisco"
EXAMINER = "evaluador"
MARIA = "María Fernanda Peña Ruiz"
WHY = "4 quejas en 12 meses: 3 por uso excesivo de la fuerza, 1 de otra categoría"
RULE = "regla de umbral: 3 o más quejas en 12 meses"
NOTE = "Conversé con ella y con su mando sobre las quejas del último año."


def _evaluation() -> dict[str, object]:
    """What a kept model's evaluation says of the rule (training.summary's shape)."""
    group = {"officers": 900, "outcomes": 25, "flag_rate": 0.02, "false_positive_rate": 0.018,
             "recall": 0.08, "compared": True}
    return {"test_years": [2025], "cut": 0.05,
            "pooled": {"model": {"recall_0.05": [0.2, 0.1, 0.3]}},
            "rule": {"count": 3, "months": 12, "officer_years": 1800, "outcomes": 50,
                     "flagged": 36, "hits": 4, "recall_at_cut": [0.09, 0.02, 0.15],
                     "fairness": [{"attribute": "sex",
                                   "ratios": {"flag_rate": 0.6, "false_positive_rate": 0.62,
                                              "recall": 0.7},
                                   "groups": [{"group": "H", **group},
                                              {"group": "M", **group, "recall": 0.056}]}]}}


def add_people_and_flag(container: Container, maria: int, jalisco: int) -> None:
    add_account(container, HR, "Recursos Humanos Jalisco", Role.AGENCY_HR,
                Scope(ScopeKind.AGENCY, agency_id=jalisco))
    add_account(container, EXAMINER, "Evaluador Uno", Role.EXAMINER)
    with container.uow().transaction() as tx:
        tx.risk.add_model(
            version="0a1b2c3d4e5f", learner="logistic", source=ModelSource.REGISTRY,
            as_of=date(2026, 6, 30), trained_from=date(2014, 12, 31),
            trained_until=date(2024, 12, 31), rows=9000, outcomes=60, code_version="test",
            sha256="0" * 64, seal="0" * 64, artefact=b"never loaded", evaluation=_evaluation(),
            promoted=False, reasons=("recall ratio by sex 0.41 is below 0.80",),
            trained_by="test", trained_at=tx.now)
        run_id = tx.risk.add_run(model_id=None, as_of=tx.today, officers=1, flagged=1,
                                 share=1.0, scored_by="test", scored_at=tx.now,
                                 method=ScoringMethod.THRESHOLD, rule_count=3, rule_months=12)
        tx.risk.add_scores(run_id, [Scored(f"o:{maria}", 4.0, 1, True, (
            Worded("rule_complaints", 4.0, 0.0, WHY, "4 complaints in 12 months: 3 of "
                   "excessive force, 1 of another category"),
            Worded("partners", 2.0, 0.0, "coacusado con 2 elementos",
                   "co-accused with 2 officers")))])


registry = registry_fixture(add_people_and_flag)


def test_hr_reviews_a_flag_raised_by_the_threshold_rule(
    window: Callable[..., Any], registry: Registry
) -> None:
    from playwright.sync_api import expect

    base = registry.base_url
    page = window()
    sign_in(page, base, HR)
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Intervención temprana").click()
    page.wait_for_url(base + "/risk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alertas tempranas por revisar")
    # Which method flagged, said before anything else: the rule, not a model.
    expect(page.locator("#run-method")).to_contain_text(RULE)
    expect(page.locator("#run-method")).to_contain_text("no por un modelo")
    expect(page.locator("main")).to_contain_text("0a1b2c3d4e5f")  # the model not promoted
    row = page.locator("table.data tbody tr").filter(has_text=MARIA)
    expect(row).to_contain_text(WHY)
    expect(row).to_contain_text(RULE)
    expect(row).to_contain_text("Sin revisar")
    check_accessibility(page, "risk queue")

    row.get_by_role("link", name=MARIA).click()
    page.wait_for_url(base + "/risk/flags/*")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Alerta temprana de {MARIA}")
    expect(page.locator("#flag-method")).to_contain_text(RULE)
    expect(page.locator("#flag-method")).to_contain_text("4 quejas en ese plazo")
    why = page.get_by_role("heading", name="Por qué se señaló").locator(
        "xpath=following-sibling::ul[1]")
    expect(why).to_contain_text(WHY)
    expect(why).to_contain_text("coacusado con 2 elementos")
    expect(page.get_by_role("heading", name="Adscripciones")).to_be_visible()
    check_accessibility(page, "risk flag")

    # A note too short is refused beside the form, with what was chosen kept.
    page.get_by_label("Conversación con el elemento").check()
    page.get_by_role("group", name="¿La alerta fue útil?").get_by_label("Sí").check()
    page.get_by_label("Nota").fill("corta")
    page.get_by_role("button", name="Registrar la revisión").click()
    expect(page.locator("#review-refusals")).to_contain_text("de 10 a 4000 caracteres")
    expect(page.get_by_label("Conversación con el elemento")).to_be_checked()
    check_accessibility(page, "risk review refused")
    page.get_by_label("Nota").fill(NOTE)
    page.get_by_role("button", name="Registrar la revisión").click()
    page.wait_for_url(base + "/risk/flags/*?hecho=1")
    expect(page.get_by_role("status")).to_contain_text("Revisión registrada")
    expect(page.locator("main")).to_contain_text("Conversación con el elemento")
    expect(page.locator("main")).to_contain_text("la alerta fue útil")
    expect(page.get_by_role("button", name="Registrar la revisión")).to_have_count(0)
    check_accessibility(page, "risk flag reviewed")

    page.get_by_role("link", name="Volver a las alertas").click()
    page.wait_for_url(base + "/risk")
    page.get_by_role("main").get_by_role("link", name="Utilidad de las alertas").click()
    page.wait_for_url(base + "/risk/report")
    by_method = page.locator("#report-by-method")
    expect(by_method.locator("tr").filter(has_text="Regla de umbral")).to_contain_text("100 %")
    rule = page.locator("#rule-evaluation")
    expect(rule).to_contain_text("no es un modelo y no se promueve")
    expect(rule).to_contain_text("0a1b2c3d4e5f")
    expect(page.locator("#rule-fairness")).to_contain_text("0.056")
    expect(page.locator("#rule-ratios")).to_contain_text("0.620")
    check_accessibility(page, "risk report")


def test_an_examiner_is_refused_the_queue_and_a_flag(
    window: Callable[..., Any], registry: Registry
) -> None:
    from playwright.sync_api import expect

    base = registry.base_url
    page = window()
    sign_in(page, base, EXAMINER)
    expect(page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Intervención temprana")).to_have_count(0)
    for address in ("/risk", "/risk/flags/1", "/risk/report"):
        response = page.goto(base + address)
        assert response is not None and response.status == 403, address
        expect(page.locator("main")).not_to_contain_text(MARIA)
        expect(page.locator("main")).not_to_contain_text(WHY)
    check_accessibility(page, "risk refused")
