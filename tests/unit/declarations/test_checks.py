"""The checks, each on the shape it exists for and on an ordinary household it must leave
alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from confianza.declarations.rules.checks import (
    CheckSettings,
    Rule,
    check_officer,
    missing_or_late,
    net_worth,
    owed,
)
from confianza.declarations.rules.pay import PayScale
from confianza.declarations.rules.records import (
    DeclarationKind,
    Section,
    Service,
    StoredDeclaration,
    StoredItem,
)

S = CheckSettings()
TODAY = date(2026, 11, 20)


def item(section: Section, value: float, *, key: str, acquired: date | None = None,
         payment: str | None = "CRÉDITO", operation: str = "SIN_CAMBIOS",
         disposal: str | None = None, kind: str | None = None) -> StoredItem:
    return StoredItem(section, kind, operation, acquired, value, None, "CPV", payment, key,
                      disposal, kind)


def stored(id_: int, year: int, items: tuple[StoredItem, ...], *, income: float = 260_000,
           public: float = 200_000, kind: DeclarationKind = DeclarationKind.MODIFICATION
           ) -> StoredDeclaration:
    filed = datetime(year, 5, 20, 17, tzinfo=UTC)
    return StoredDeclaration(id_, f"D-{id_}", 7, kind, True, year, filed, filed.date(), public,
                             income, items)


HOUSE = item(Section.REAL_ESTATE, 900_000, key="deed", acquired=date(2018, 3, 1))
CAR = item(Section.VEHICLE, 280_000, key="vin", acquired=date(2021, 6, 1))
MORTGAGE = item(Section.DEBT, 600_000, key="hip")
BASE = (HOUSE, CAR, item(Section.INVESTMENT, 40_000, key="acct"), MORTGAGE)
SERVICE = Service(7, date(2015, 2, 1), None, "municipal", ((date(2015, 2, 1), "Policía"),))
SCALE = PayScale()


def rules(found: list) -> set[Rule]:  # type: ignore[type-arg]
    return {f.rule for f in found}


def ordinary() -> list[StoredDeclaration]:
    # A year of saving and paying the mortgage: the account grows, the debt falls.
    later = (HOUSE, CAR, item(Section.INVESTMENT, 70_000, key="acct"),
             MORTGAGE._replace(value=560_000))
    pay = SCALE.yearly("municipal", "Policía", 2025) or 0
    return [stored(1, 2025, BASE, public=pay * 0.95, income=pay * 1.3),
            stored(2, 2026, later, public=pay, income=pay * 1.3)]


def test_net_worth_counts_assets_and_balances_less_debts() -> None:
    assert net_worth(stored(1, 2025, BASE)) == 900_000 + 280_000 + 40_000 - 600_000


def test_an_ordinary_household_is_not_flagged() -> None:
    assert check_officer(SERVICE, ordinary(), TODAY, replace(S, since=date(2025, 1, 1))) == []


def test_a_house_bought_in_cash_is_unexplained_growth_and_a_cash_purchase() -> None:
    before, after = ordinary()
    house = item(Section.REAL_ESTATE, 1_800_000, key="deed-2", acquired=date(2025, 11, 2),
                 payment="CONTADO", operation="AGREGAR")
    found = check_officer(SERVICE, [before, after._replace(items=after.items + (house,))],
                          TODAY, replace(S, since=date(2025, 1, 1)))
    assert rules(found) == {Rule.UNEXPLAINED_GROWTH, Rule.CASH_PURCHASES}
    growth = next(f for f in found if f.rule is Rule.UNEXPLAINED_GROWTH)
    assert growth.amount is not None and growth.amount > 1_500_000
    assert "sin explicar" in growth.es and "unexplained" in growth.en
    # Said as people say it: the days in words, the assets by kind and number.
    assert "entre el 20 de mayo de 2025 y el 20 de mayo de 2026" in growth.es
    assert "between 20 May 2025 and 20 May 2026" in growth.en
    cash = next(f for f in found if f.rule is Rule.CASH_PURCHASES)
    assert cash.es.startswith("Compró de contado 1 inmueble por $1,800,000")
    assert cash.en.startswith("Bought 1 property outright for $1,800,000")


def test_a_sudden_repayment_is_flagged() -> None:
    before, after = ordinary()
    paid = tuple(i for i in after.items if i.section is not Section.DEBT)
    found = check_officer(SERVICE, [before, after._replace(items=paid)], TODAY,
                          replace(S, since=date(2025, 1, 1)))
    assert Rule.FAST_REPAYMENT in rules(found)


def test_an_asset_gone_without_disposal_is_flagged_but_not_a_declared_sale() -> None:
    before, after = ordinary()
    no_car = tuple(i for i in after.items if i.section is not Section.VEHICLE)
    [gone] = [f for f in check_officer(SERVICE, [before, after._replace(items=no_car)],
                                       TODAY, S) if f.rule is Rule.VANISHED_ASSETS]
    assert gone.es.startswith("1 vehículo declarado el 20 de mayo de 2025 ($280,000)")
    assert gone.en.startswith("1 vehicle declared on 20 May 2025 ($280,000) is gone")
    no_car_nor_house = tuple(i for i in no_car if i.section is not Section.REAL_ESTATE)
    [both] = [f for f in check_officer(
        SERVICE, [before, after._replace(items=no_car_nor_house)], TODAY, S)
        if f.rule is Rule.VANISHED_ASSETS]
    assert both.es.startswith("1 inmueble y 1 vehículo declarados el")
    assert both.en.startswith("1 property and 1 vehicle declared on") and "are gone" in both.en
    sold = CAR._replace(operation="BAJA", disposal="VNT")
    assert Rule.VANISHED_ASSETS not in rules(check_officer(
        SERVICE, [before, after._replace(items=no_car + (sold,))], TODAY, S))


def test_public_pay_far_from_the_scale_is_flagged() -> None:
    before, after = ordinary()
    found = check_officer(SERVICE, [before, after._replace(public_income_year=1_000_000)],
                          TODAY, S)
    mismatch = next(f for f in found if f.rule is Rule.SALARY_MISMATCH)
    assert mismatch.ratio is not None and mismatch.ratio > 2


def test_missing_and_late_declarations() -> None:
    service = Service(7, date(2024, 3, 1), None, "municipal", ((date(2024, 3, 1), "Policía"),))
    dues = owed(service, TODAY, S)
    assert [(d.kind, d.year) for d in dues] == [
        (DeclarationKind.INITIAL, 2024), (DeclarationKind.MODIFICATION, 2025),
        (DeclarationKind.MODIFICATION, 2026)]
    initial = stored(1, 2024, ())._replace(kind=DeclarationKind.INITIAL,
                                                  filed_on=date(2024, 7, 15))
    late_may = stored(2, 2025, ())._replace(filed_on=date(2025, 6, 20))
    finding = missing_or_late(service, [initial, late_may], TODAY, S)
    assert finding is not None
    assert "missing: annual 2026 (due 31 May 2026)" in finding.en
    assert "late: initial 2024 (due 30 April 2024)" in finding.en
    assert "annual 2025 (due 31 May 2025)" in finding.en
    assert "faltan: de modificación 2026 (vencía el 31 de mayo de 2026)" in finding.es


def test_nothing_is_owed_before_the_obligations_began() -> None:
    old = Service(7, date(1999, 1, 1), date(2010, 1, 1), "state", ())
    assert owed(old, TODAY, S) == []
