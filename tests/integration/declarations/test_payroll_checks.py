"""An imported payroll keyed by CURP or by identity, on SQLite and PostgreSQL: the salary
check and an officer's record use the payroll's pay for a year it gives, else the scale, and
say which; people the identity matches to several officers, or to none, are counted and
never linked (ADR 0038, addendum 4)."""

from __future__ import annotations

from datetime import date

import pytest

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import ValidationFailed
from confianza.declarations.api import _checks
from confianza.declarations.rules.checks import CheckSettings, Rule
from confianza.declarations.rules.money import parse_rates
from confianza.declarations.rules.payroll_mapping import parse_payroll_mapping
from confianza.declarations.service.findings import officer_checks
from confianza.declarations.service.imports import import_documents
from confianza.declarations.service.payroll import PayrollFiles, import_payroll
from confianza.integrity.rules.complaints_links import LinkOutcome
from confianza.registry.rules.roster_file import decode_roster
from confianza.registry.service import officers as officer_service
from conftest import actor
from declarations_support import declaration, doc

CURP = "PERM880314MJCXXX02"
RATES = parse_rates("USD=18.5")
S = CheckSettings()
JALISCO = Scope(ScopeKind.STATE, "14")
BY_CURP = """[payroll]
source = "nomina-gdl"
[officer]
by = "curp"
[fields]
curp = "CURP"
year = "ANIO"
gross = "SUELDO"
currency = "MONEDA"
"""
BY_IDENTITY = """[payroll]
source = "nomina-nombres"
[officer]
by = "identity"
[fields]
given_names = "nombre"
first_surname = "apellido"
birth_year = "nacimiento"
appointed_date = { column = "alta", format = "%d/%m/%Y" }
year = "anio"
gross = "sueldo"
currency = { constant = "MXN" }
"""


def _officer(container: Container, operator: Actor, agency: int, given: str, curp: str | None,
             birth: date) -> int:
    return officer_service.register_officer(container.uow(), operator, officer_service.NewOfficer(
        given_names=given, first_surname="Peña", second_surname="Ruiz", curp=curp,
        birth_date=birth, assignment=officer_service.FirstAssignment(
            agency, "Policía Segundo", date(2015, 2, 1)),
    )).officer.id


@pytest.fixture
def officer(container: Container, operator: Actor, agencies: dict[str, int]) -> int:
    officer_id = _officer(container, operator, agencies["JAL-GDL-PM"], "María", CURP,
                          date(1988, 3, 14))
    # A modification filed in May 2026: 200,000 pesos of public pay in 2025, which the pay
    # scale for a Policía Segundo of a municipal police (about 205,000) explains.
    import_documents(container.uow(), operator, [("f.jsonl:1", doc(declaration()))],
                     rates=RATES, source="f.jsonl", sha256="0" * 64)
    return officer_id


def _import(container: Container, operator: Actor, mapping: str, text: str,
            name: str = "nomina.csv", *, skip_invalid: bool = False) -> object:
    files = PayrollFiles(decode_roster(name, text.encode(), "utf-8"),
                         parse_payroll_mapping(mapping, "m.toml"), None, skip_invalid)
    return import_payroll(container.uow(), operator, files, RATES)


def _salary(container: Container, officer: int) -> tuple[str | None, str]:
    checks = officer_checks(container.uow(), actor(Role.CERTIFICATION_OFFICER, JALISCO),
                            officer, S)
    found = [f.es for f in checks.findings if f.rule is Rule.SALARY_MISMATCH]
    return (found[0] if found else None), checks.expected[checks.declarations[-1].id].es


def test_the_scale_until_a_payroll_gives_the_year(container: Container, operator: Actor,
                                                 officer: int) -> None:
    finding, known = _salary(container, officer)
    assert finding is None
    assert known.startswith("tabulador 2025 de Policía Segundo: $")
    # The payroll says 2025 paid USD 20,000 (370,000 pesos at 18.5): the declared 200,000
    # is 46% less, which the scale hid.
    _import(container, operator, BY_CURP, f"CURP,ANIO,SUELDO,MONEDA\n{CURP},2025,\"20,000\",USD\n"
            f"{CURP},2024,19000.00,USD\n")
    finding, known = _salary(container, officer)
    assert known == "nómina importada 2025 (nomina.csv): USD 20,000 ($370,000)"
    assert finding == ("Declaró $200,000 de remuneración pública en 2025; el registro conoce "
                       "nómina importada 2025 (nomina.csv): USD 20,000 ($370,000): 46% menos.")


def test_every_bad_row_is_named_and_nothing_is_kept(container: Container, operator: Actor,
                                                    officer: int) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _import(container, operator, BY_CURP, "CURP,ANIO,SUELDO,MONEDA\n"
                f"{CURP},2025,veinte mil,USD\n{CURP},2024,19000,XYZ\n{CURP},2014,100,MXN\n"
                f"{CURP},20x4,100,MXN\n")
    faults = {(f.location, f.reason) for f in refused.value.errors}
    assert ("nomina.csv:2:SUELDO", "'veinte mil' is not a yearly amount above zero") in faults
    assert any(loc == "nomina.csv:3:MONEDA" and "currency XYZ is unknown" in why
               for loc, why in faults)
    assert ("nomina.csv:4:ANIO", f"2014 is outside officer {officer}'s service (2015-now)"
            ) in faults
    assert ("nomina.csv:5:ANIO", "'20x4' is not a year") in faults
    assert _salary(container, officer)[1].startswith("tabulador")


def test_an_unknown_curp_is_counted_not_a_fault(container: Container, operator: Actor,
                                               officer: int) -> None:
    report = _import(container, operator, BY_CURP, "CURP,ANIO,SUELDO,MONEDA\n"
                     f"{CURP},2025,210000,MXN\nXAXX010101HDFXXX09,2025,300000,MXN\n")
    assert report.stored == 1  # type: ignore[attr-defined]
    assert report.outcomes == {LinkOutcome.LINKED: 1,  # type: ignore[attr-defined]
                               LinkOutcome.UNMATCHED: 1}


def test_identity_links_one_officer_never_a_name_alone(
        container: Container, operator: Actor, agencies: dict[str, int]) -> None:
    gdl = agencies["JAL-GDL-PM"]
    one = _officer(container, operator, gdl, "Lucía", None, date(1990, 1, 2))
    # Two officers of one name, birth year and appointment: who is who is not ours to guess.
    twins = [_officer(container, operator, gdl, "Ana", None, date(1985, 6, 1))
             for _ in range(2)]
    report = _import(container, operator, BY_IDENTITY, "nombre,apellido,nacimiento,alta,"
                     "anio,sueldo\n"
                     "Lucía,Peña,1990,01/02/2015,2025,210000\n"
                     "ANA,PEÑA,1985,01/02/2015,2025,210000\n"
                     "Lucía,Peña,,,2024,200000\n"  # the name alone
                     "Pedro,Peña,1990,01/02/2015,2025,210000\n")
    links = [(u.location, u.outcome, u.candidates)
             for u in report.unlinked]  # type: ignore[attr-defined]
    assert report.stored == 1  # type: ignore[attr-defined]
    assert links == [("nomina.csv:3", LinkOutcome.AMBIGUOUS, tuple(sorted(twins))),
                     ("nomina.csv:4", LinkOutcome.AMBIGUOUS, (one,)),
                     ("nomina.csv:5", LinkOutcome.UNMATCHED, ())]



def test_the_api_says_which_pay_it_knows(container: Container, operator: Actor,
                                         officer: int) -> None:
    _import(container, operator, BY_CURP, f"CURP,ANIO,SUELDO,MONEDA\n{CURP},2025,20000,USD\n")
    checks = officer_checks(container.uow(), actor(Role.CERTIFICATION_OFFICER, JALISCO),
                            officer, S)
    answer = _checks(checks)
    assert answer["declarations"][-1]["registry_pay"] == {
        "year": 2025, "mxn": 370000.0, "from": "payroll",
        "es": "nómina importada 2025 (nomina.csv): USD 20,000 ($370,000)",
        "en": "imported payroll 2025 (nomina.csv): USD 20,000 ($370,000)"}
    assert answer["payroll"] == [{"year": 2025, "gross": "20000", "currency": "USD",
                                  "gross_mxn": 370000.0, "source": "nomina-gdl",
                                  "file": "nomina.csv"}]
