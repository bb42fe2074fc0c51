"""An officer whose declarations hold a house bought in cash, for the tests of where the
checks' results go (service, API, pages, the permission matrix)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from confianza.accounts.rules.permissions import Actor, system_actor
from confianza.app.bootstrap import Container
from confianza.declarations.rules.money import parse_rates
from confianza.declarations.rules.records import Item, Section
from confianza.declarations.service.imports import import_documents
from confianza.registry.service import officers as officer_service
from declarations_support import CAR, HOUSE, MORTGAGE, declaration, doc

RATES = parse_rates("USD=18.5")
CASH_HOUSE = Item(Section.REAL_ESTATE, kind="CASA", operation="AGREGAR", holders="DEC",
                  acquired_on=date(2025, 12, 1), value=replace(HOUSE.value, value=2_500_000),  # type: ignore[arg-type]
                  acquisition="CPV", payment="CONTADO", identifier="ESCRITURA 999")


def officer_with_cash_house(container: Container, agency_id: int, curp: str,
                            operator: Actor | None = None) -> int:
    """An officer serving since 2015 who filed in May 2025 and May 2026, the later one with a
    house bought outright for 2.5 million pesos (and nothing filed late)."""
    by = operator or system_actor("declarations-support")
    officer = officer_service.register_officer(container.uow(), by, officer_service.NewOfficer(
        given_names="María", first_surname="Peña", second_surname="Ruiz", curp=curp,
        assignment=officer_service.FirstAssignment(agency_id, "Policía Segundo",
                                                   date(2015, 2, 1)),
    )).officer.id
    first = declaration(f"{curp}-2025", curp=curp,
                        filed=datetime(2025, 5, 20, 17, tzinfo=UTC), items=(HOUSE, CAR, MORTGAGE))
    second = declaration(f"{curp}-2026", curp=curp, items=(HOUSE, CAR, MORTGAGE, CASH_HOUSE))
    import_documents(container.uow(), by, [("a", doc(first)), ("b", doc(second))],
                     rates=RATES, source="support", sha256="0" * 64)
    return officer
