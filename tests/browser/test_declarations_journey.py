"""Asset declarations in a real Chromium (issue 20, item 3; ADR 0038, addendum 2).

The registry is built through the product's services: a Jalisco officer under a permanence
evaluation whose May 2026 declaration adds a house bought outright for 2.5 million pesos
(`declarations_results_support`), and an officer of Nuevo León who never filed.

- The examiner assigned to the socio-economic exam sees, beside the exam's form, what the
  rules find, in words and with the amounts; the examiner opens no case.
- Internal affairs' supervisor follows the officer's record to their declarations, opens an
  integrity case from the finding, and lands on the case, which holds the declaration as filed
  as its evidence (checked on the case page and in the database); the page also reads in
  English.
- Jalisco's HR lists the missing and late declarations of its agency, not Nuevo León's, and
  Nuevo León's HR the reverse; in both languages.
- Roles without need-to-know (another agency's HR, a records clerk, an examiner) get the
  refusal page for the officer's declarations, with nothing of the officer on it, and the
  refusal is on the trail.

Every page visited passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from browser_support import (
    SUITE_NOW,
    add_agencies,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    follow,
    fresh_registry,
    served,
    sign_in,
    tab_to,
    unexpected_console,
    window_fixture,  # noqa: F401 - the fixture `window`
)
from evaluation_support import PASSWORD, World, build_world, person
from sqlalchemy import text

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.trail.rules import AuditAction
from conftest import FakeClock
from declarations_results_support import officer_with_cash_house

pytestmark = pytest.mark.browser
CURP = "PERM880314MJCXXX02"
SUPERVISOR = "supervision-ai-jal"
NL_HR = "rh-nuevo-leon"
CLERK = "capturista-nacional"
#: What the cash purchase finding says, in each language (the amount and its ratio to the
#: yearly income declared: 2,500,000 / 260,000).
CASH_ES = "Compró de contado 1 inmueble por"
CASH_EN = "Bought 1 property outright"
AMOUNT = "$2,500,000"
RATIO_ES = "9.6 veces su ingreso anual declarado"
REFUSAL_TITLE = "Acceso denegado"


@dataclass(frozen=True)
class Running:
    base_url: str
    container: Container
    world: World
    maria: int  # the Jalisco officer with the house bought in cash
    nl_officer: int  # Nuevo León's, who filed nothing
    evaluation_id: int


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A fresh SQLite registry at the suite's fixed instant (the checks and the dues are
    dated from it), built through the services, and the real app on a port."""
    with fresh_registry(tmp_path_factory.mktemp("declarations-browser"),
                        FakeClock(SUITE_NOW)) as container:
        agencies = add_agencies(container, "GN", "JAL-SSP", "NL-FC")
        world = build_world(container, agencies)
        maria = officer_with_cash_house(container, agencies["JAL-SSP"], CURP)
        evaluation_id = world.request(maria)
        world.schedule(evaluation_id)  # the socio-economic exam is examinador-uno's
        nl_officer = world.new_officer("Rubén", "Garza", "Treviño", agency="NL-FC")
        person(container, Role.INTERNAL_AFFAIRS_SUPERVISOR, SUPERVISOR,
               Scope(ScopeKind.STATE, "14"))
        person(container, Role.AGENCY_HR, NL_HR,
               Scope(ScopeKind.AGENCY, agency_id=agencies["NL-FC"]))
        person(container, Role.REGISTRY_CLERK, CLERK)
        with served(container) as base_url:
            yield Running(base_url, container, world, maria, nl_officer, evaluation_id)


@pytest.fixture
def signed_in(window: Callable[..., Any], running: Running) -> Callable[..., Any]:
    """Signs a person in at `start`, in a browser context of their own, and checks that page
    with axe-core."""
    def open_as(username: str, start: str = "/") -> Any:
        page = window(username)
        sign_in(page, running.base_url, username, start, password=PASSWORD)
        check_accessibility(page, f"{start} for {username}")
        return page

    return open_as


def nav(page: Any, name: str) -> None:
    follow(page, page.get_by_role("navigation", name="Principal").get_by_role("link", name=name))


def to_other_language(page: Any, name: str) -> None:
    """Follow the page's language switch (the link named in the other language)."""
    switch = page.locator("a.language-switch")
    assert switch.inner_text() == name
    switch.click()
    page.wait_for_load_state("load")


def rows(container: Container, sql: str, **params: Any) -> list[Any]:
    with container.engine.connect() as connection:
        return list(connection.execute(text(sql), params))


def test_the_examiner_sees_the_findings_and_internal_affairs_opens_a_case(
    signed_in: Callable[..., Any], running: Running
) -> None:
    from playwright.sync_api import expect

    # The examiner's queue leads to the socio-economic exam, whose page shows the findings
    # beside the form, in words and with the amounts; there is no way to open a case there.
    page = signed_in(running.world.examiner.username)
    nav(page, "Mis exámenes")
    follow(page, page.locator("#pending").get_by_role("link",
                                                      name=re.compile("Entorno socioeconómico")))
    panel = page.get_by_role("region", name="Declaraciones patrimoniales del evaluado")
    expect(panel).to_contain_text("Compras de contado")
    expect(panel).to_contain_text(CASH_ES)
    expect(panel).to_contain_text(AMOUNT)
    expect(panel).to_contain_text(RATIO_ES)
    # The declarations the checks compared, with their yearly incomes.
    expect(panel.get_by_role("table")).to_contain_text("260,000")
    expect(panel.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("button", name="Registrar resultado")).to_be_visible()
    check_accessibility(page, "socio-economic exam with the declarations' findings")
    assert unexpected_console(page) == []

    # Internal affairs' supervisor: from the officer's record to the declarations.
    page = signed_in(SUPERVISOR, f"/officers/{running.maria}")
    follow(page, page.get_by_role(
        "link", name="Declaraciones patrimoniales y lo que encuentra su revisión"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Declaraciones patrimoniales de María Peña Ruiz")
    check_accessibility(page, "officer's declarations")
    findings = page.locator("main")
    expect(findings).to_contain_text(CASH_ES)
    expect(findings).to_contain_text(AMOUNT)
    opens = page.get_by_role("button", name=re.compile("Abrir expediente"))
    # One button for each finding of a wealth rule, told apart by the rule in its name.
    expect(opens).to_have_count(2)

    # The same page in English, and back.
    to_other_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(findings).to_contain_text(CASH_EN)
    expect(findings).to_contain_text("Cash purchases")
    check_accessibility(page, "officer's declarations, in English")
    to_other_language(page, "Español")
    expect(page.locator("html")).to_have_attribute("lang", "es-MX")

    # A case from the finding: the intake's page of the new case, with the declaration.
    page.get_by_role("button", name=re.compile("Abrir expediente.*Compras de contado")).click()
    page.wait_for_url(re.compile(r"/integrity/cases/\d+$"))
    case_id = int(page.url.rsplit("/", 1)[1])
    check_accessibility(page, "the case opened from a finding")
    evidence_table = page.get_by_role("table", name="Pruebas")
    expect(evidence_table).to_contain_text(f"declaracion-{CURP}-2026.json")
    expect(page.locator("main")).to_contain_text(CASH_ES)
    assert unexpected_console(page) == []

    # What the database holds: the case's allegation against the officer, and the evidence
    # is the declaration as kept, named by the SHA-256 of its text.
    alleged = rows(running.container,
                   "SELECT officer_id FROM integrity_allegations WHERE case_id = :c",
                   c=case_id)
    assert [r.officer_id for r in alleged] == [running.maria]
    (evidence,) = rows(running.container,
                       "SELECT sha256 FROM integrity_evidence WHERE case_id = :c", c=case_id)
    (kept,) = rows(running.container,
                   "SELECT document FROM declarations WHERE source_id = :s",
                   s=f"{CURP}-2026")
    assert evidence.sha256 == hashlib.sha256(kept.document.encode("utf-8")).hexdigest()


def test_hr_lists_the_missing_and_late_declarations_of_its_own_agency(
    signed_in: Callable[..., Any], running: Running
) -> None:
    from playwright.sync_api import expect

    page = signed_in(running.world.hr.username)
    nav(page, "Declaraciones")
    check_accessibility(page, "Jalisco's missing and late declarations")
    table = page.get_by_role("table", name="Declaraciones faltantes y tardías")
    maria = table.get_by_role("row").filter(has_text="María Peña Ruiz")
    expect(maria).to_contain_text("Modificación 2024 (vence 31/05/2024)")
    expect(table).not_to_contain_text("Garza")  # Nuevo León's officer is not Jalisco's
    to_other_language(page, "English")
    expect(page.get_by_role("heading", level=1)).to_have_text("Missing and late declarations")
    expect(page.locator("main")).to_contain_text("Modification 2024")
    check_accessibility(page, "Jalisco's missing and late declarations, in English")
    assert unexpected_console(page) == []

    page = signed_in(NL_HR)
    nav(page, "Declaraciones")
    table = page.get_by_role("table", name="Declaraciones faltantes y tardías")
    expect(table.get_by_role("row").filter(has_text="Rubén Garza Treviño")).to_have_count(1)
    expect(table).not_to_contain_text("María")
    check_accessibility(page, "Nuevo León's missing and late declarations")


@pytest.mark.parametrize("username", [NL_HR, CLERK, "examinador-uno"])
def test_roles_without_need_to_know_are_refused_the_officers_declarations(
    signed_in: Callable[..., Any], running: Running, username: str
) -> None:
    from playwright.sync_api import expect

    page = signed_in(username)
    response = page.goto(f"{running.base_url}/declarations/officers/{running.maria}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(REFUSAL_TITLE)
    expect(page.locator("main").get_by_role("link", name="Ir al inicio")).to_have_attribute(
        "href", "/")
    html = page.content()
    leaked = [v for v in (CURP, "María", "Peña", "2,500,000", "contado") if v in html]
    assert leaked == [], f"the refusal page shows {leaked}"
    assert "Traceback" not in html
    check_accessibility(page, f"the refusal of {username}")
    assert unexpected_console(page, 403) == []
    refused = rows(running.container,
                   "SELECT action FROM audit_entries WHERE actor = :u "
                   "AND resource_type = 'officer' AND resource_id = :o",
                   u=username, o=str(running.maria))
    assert AuditAction.ACCESS_DENIED.value in {r.action for r in refused}, refused


def test_the_declarations_table_scrolls_by_keyboard_on_a_narrow_screen(
    window: Callable[..., Any], running: Running
) -> None:
    """On a phone's width the declarations' table overflows its box: the box is a named
    region in the tab order, so a keyboard can reach and scroll it (axe's
    scrollable-region-focusable), and the page passes axe there too."""
    page = window(SUPERVISOR, viewport={"width": 360, "height": 800})
    start = f"/declarations/officers/{running.maria}"
    sign_in(page, running.base_url, SUPERVISOR, start, password=PASSWORD)
    region = page.get_by_role("region", name="Declaraciones presentadas")
    assert region.evaluate("box => box.scrollWidth > box.clientWidth"), "nothing overflows"
    check_accessibility(page, "officer's declarations on a narrow screen")
    tab_to(page, region)
    assert unexpected_console(page) == []
