"""Payroll mappings and rows, pure (ADR 0038, addendum 4): every mapping mistake named
`file:line:key`; amounts, years, currencies and two-digit years read as a payroll writes them;
a repeated officer-year and a year outside the service are faults of every row concerned."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from confianza.core.errors import ValidationFailed
from confianza.declarations.rules.money import parse_rates
from confianza.declarations.rules.payroll import (
    against_service,
    amount,
    read_payroll,
    read_profiles,
)
from confianza.declarations.rules.payroll_mapping import OfficerBy, parse_payroll_mapping
from confianza.declarations.rules.records import Service
from confianza.registry.rules.roster_file import decode_roster

TODAY = date(2026, 11, 20)
RATES = parse_rates("USD=18.5")
BY_KEY = """[payroll]
source = "chicago-salaries"
[officer]
by = "profile"
[fields]
key = "UID"
year = "year"
gross = "salary"
currency = { constant = "USD" }
[profile]
[profile.fields]
key = "UID"
given_names = "first_name"
first_surname = "last_name"
appointed_date = { column = "appointed_date", format = "%m/%d/%y" }
"""


def _faults(text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as refused:
        parse_payroll_mapping(text, "m.toml")
    return [f"{e.location}: {e.reason}" for e in refused.value.errors]


def test_every_mapping_mistake_is_named_with_its_line() -> None:
    faults = _faults('[payroll]\nsource = ""\n[officer]\nby = "curp"\n[fields]\nyear = "y"\n'
                     'salario = "s"\n[profile]\nkey = "k"\n')
    assert any(f.startswith("m.toml:2:payroll.source:") for f in faults)
    assert any(f.startswith("m.toml:7:fields.salario: unknown field") for f in faults)
    assert "m.toml:5:fields: must map curp, currency, gross" in faults
    assert any(f.startswith("m.toml:8:profile: is only read when") for f in faults)
    assert _faults('[payroll]\nsource = "x"\n[officer]\nby = "uid"\n') == [
        "m.toml:4:officer.by: 'uid' is not one of curp, identity, profile"]
    needs = _faults(BY_KEY.split("[profile]")[0])
    assert any("profile: is needed when" in f for f in needs)


def test_the_shipped_shape_parses() -> None:
    mapping = parse_payroll_mapping(BY_KEY, "m.toml")
    assert mapping.by is OfficerBy.PROFILE and mapping.name == "chicago-salaries"
    assert mapping.profile is not None and "appointed_date" in mapping.profile.fields


@pytest.mark.parametrize(("text", "value"), [
    ("54672", Decimal("54672")), ("54672.0", Decimal("54672.0")),
    ("54,672.00", Decimal("54672.00")), ("$54,672", Decimal("54672")),
    ("0", None), ("-5", None), ("54.672,00", None), ("veinte", None), ("1,2345", None)])
def test_amounts(text: str, value: Decimal | None) -> None:
    assert amount(text) == value


def test_rows_and_profiles_read_as_written() -> None:
    mapping = parse_payroll_mapping(BY_KEY, "m.toml")
    profiles = decode_roster("p.csv", b"UID,first_name,last_name,appointed_date\n"
                             b"7.0,ANA,RUIZ,6/3/50\n8,LUIS,SOL,4/4/07\n8,LUIS,SOL,4/4/07\n",
                             "utf-8")
    found, faults = read_profiles(profiles, mapping, TODAY)
    assert found["7"].appointed_date == date(1950, 6, 3)  # not 2050
    assert "8" not in found and [f.location for f in faults] == ["p.csv:4:UID"]
    payroll = decode_roster("s.csv", b"UID,year,salary\n7.0,2022.0,90024.0\n7,2030,1\n"
                            b"7,2021,\n", "utf-8")
    read = read_payroll(payroll, mapping, RATES, TODAY)
    assert [(r.key, r.year, r.gross, r.currency) for r in read.rows] == [
        ("7", 2022, Decimal("90024.0"), "USD")]
    assert [(f.location, f.reason) for f in read.faults] == [
        ("s.csv:3:year", "2030 is after this year (2026)"),
        ("s.csv:4:salary", "gross is blank")]


def test_a_repeated_year_and_a_year_outside_the_service() -> None:
    mapping = parse_payroll_mapping(BY_KEY, "m.toml")
    payroll = decode_roster("s.csv", b"UID,year,salary\n7,2022,1\n7,2022,2\n7,2009,3\n"
                            b"7,2023,4\n", "utf-8")
    rows = read_payroll(payroll, mapping, RATES, TODAY).rows
    service = Service(5, date(2010, 3, 1), date(2023, 6, 30), "foreign")
    faults = against_service([(r, 5) for r in rows], {5: service}, "s.csv", mapping)
    assert [(f.location, f.reason) for f in faults] == [
        ("s.csv:2:year", "officer 5's 2022 is also on line 3"),
        ("s.csv:3:year", "officer 5's 2022 is also on line 2"),
        ("s.csv:4:year", "2009 is outside officer 5's service (2010-2023)")]
