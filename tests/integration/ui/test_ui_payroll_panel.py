"""The imported payroll on the pages, on SQLite and PostgreSQL (ADR 0038, addendum 4): the
socio-economic examiner's panel and the officer's declarations page say, beside each
declaration, whether the pay the registry knows comes from the scale or from an imported
payroll (and which file), in Spanish and English, and list the payroll by year."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from evaluation_ui_support import OPERATOR, World, build_world, signed
from fastapi.testclient import TestClient
from ui_support import open_client

from confianza.app.bootstrap import Container
from confianza.declarations.rules.money import parse_rates
from confianza.declarations.rules.payroll_mapping import parse_payroll_mapping
from confianza.declarations.service.payroll import PayrollFiles, import_payroll
from confianza.registry.rules.roster_file import decode_roster
from declarations_results_support import officer_with_cash_house

CURP = "PERM880314MJCXXX02"
MAPPING = """[payroll]
source = "nomina-jalisco"
[officer]
by = "curp"
[fields]
curp = "curp"
year = "anio"
gross = "bruto"
currency = { constant = "MXN" }
"""


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def test_the_panel_says_where_the_pay_it_compares_comes_from(
        client: TestClient, world: World, container: Container) -> None:
    officer = officer_with_cash_house(container, world.agencies["JAL-SSP"], CURP)
    evaluation_id = world.request(officer)
    world.schedule(evaluation_id)
    signed(client, world.examiner.username)
    before = client.get(f"/exams/{evaluation_id}/socioeconomic")
    assert before.status_code == 200, before.text
    assert "tabulador 2025 de" in before.text and "Nómina importada" not in before.text
    import_payroll(container.uow(), OPERATOR, PayrollFiles(
        decode_roster("nomina-2025.csv", f"curp,anio,bruto\n{CURP},2025,\"251,300.50\"\n"
                      f"{CURP},2024,238000\n".encode(), "utf-8"),
        parse_payroll_mapping(MAPPING, "m.toml")), parse_rates(""))
    after = client.get(f"/exams/{evaluation_id}/socioeconomic")
    assert "nómina importada 2025 (nomina-2025.csv): MXN 251,300" in after.text
    assert "tabulador 2025" not in after.text
    assert "Nómina importada" in after.text and "nomina-jalisco (nomina-2025.csv)" in after.text
    english = client.get(f"/exams/{evaluation_id}/socioeconomic?lang=en")
    assert "imported payroll 2025 (nomina-2025.csv): MXN 251,300" in english.text
    assert "Imported payroll" in english.text and "Gross yearly pay" in english.text
