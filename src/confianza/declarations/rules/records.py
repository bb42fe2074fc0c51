"""Declarations and their lines as values: what the S1 form says that matters for wealth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple


class DeclarationKind(StrEnum):
    """The three declarations the law asks for: on taking office, every May, on leaving."""

    INITIAL = "initial"
    MODIFICATION = "modification"
    CONCLUSION = "conclusion"


#: S1's `metadata.tipo` for each kind, and back.
S1_KINDS: dict[str, DeclarationKind] = {
    "INICIAL": DeclarationKind.INITIAL,
    "MODIFICACIÓN": DeclarationKind.MODIFICATION,
    "CONCLUSIÓN": DeclarationKind.CONCLUSION,
}


class Section(StrEnum):
    """The wealth sections of S1's `situacionPatrimonial` a line comes from."""

    INCOME = "income"            # ingresos: one line per kind of income other than the post
    REAL_ESTATE = "real_estate"  # bienesInmuebles
    VEHICLE = "vehicle"          # vehiculos
    MOVABLE = "movable"          # bienesMuebles
    INVESTMENT = "investment"    # inversiones (accounts, funds, securities)
    DEBT = "debt"                # adeudos
    LOAN = "loan"                # prestamoOComodato: something of another's, used for free


#: Sections whose lines are assets with an acquisition: kept, sold, or gone.
ASSETS = (Section.REAL_ESTATE, Section.VEHICLE, Section.MOVABLE)


@dataclass(frozen=True)
class Amount:
    """An amount as filed: S1's `{valor, moneda}` (ISO 4217)."""

    value: Decimal
    currency: str


@dataclass(frozen=True)
class Item:
    """One line of a wealth section, with what the checks read of it.

    `value` is the acquisition value of an asset, the balance of an investment or a debt, the
    amount of an income line; `original` a debt's original amount. `payment` is S1's
    `formaPago` (CONTADO, CRÉDITO, NO APLICA), `acquisition` its `formaAdquisicion` key
    (CPV purchase, CSN assignment, DNC donation, HRN inheritance, PRM swap, RST raffle,
    STC court ruling), `disposal` its `motivoBaja` key (VNT sale, DNC donation, SNT
    loss, OTRO)."""

    section: Section
    kind: str | None = None
    operation: str | None = None
    holders: str | None = None
    share: int | None = None
    acquired_on: date | None = None
    value: Amount | None = None
    original: Amount | None = None
    acquisition: str | None = None
    payment: str | None = None
    identifier: str | None = None
    disposal: str | None = None
    description: str | None = None


class IncomePeriod(StrEnum):
    """What span the declared income covers: an initial declaration gives a month's, a
    modification the calendar year before, a conclusion 1 January to the day of leaving."""

    MONTH = "month"
    YEAR = "year"
    TO_LEAVING = "to_leaving"


@dataclass(frozen=True)
class Income:
    public: Amount              # the public post's pay (remuneración del cargo público)
    declarant: Amount           # the declarant's net income
    total: Amount               # with the partner's and dependants' where declared
    other: Amount | None = None
    household: Amount | None = None
    period: IncomePeriod = IncomePeriod.YEAR


@dataclass(frozen=True)
class Declaration:
    """One S1 declaration read from its document: who filed it and what it says."""

    source_id: str
    kind: DeclarationKind
    complete: bool
    filed_at: datetime
    institution: str
    position: str
    took_office: date | None
    curp: str | None
    names: str
    income: Income
    items: tuple[Item, ...]


class StoredDeclaration(NamedTuple):
    """A declaration the registry holds, as the checks and the export read it (a named tuple:
    the checks build hundreds of thousands of them, and lines by the million)."""

    id: int
    source_id: str
    officer_id: int
    kind: DeclarationKind
    complete: bool
    year: int
    filed_at: datetime
    filed_on: date
    public_income_year: float  # pesos a year
    total_income_year: float
    items: tuple[StoredItem, ...] = ()


class StoredItem(NamedTuple):
    section: Section
    kind: str | None
    operation: str | None
    acquired_on: date | None
    value: float | None  # pesos
    original: float | None
    acquisition: str | None
    payment: str | None
    identifier: str | None
    disposal: str | None
    description: str | None


@dataclass(frozen=True)
class Service:
    """What the registry knows of an officer's service, for the checks: when they took office,
    when they left (None while serving), and their rank by year (the latest posting's)."""

    officer_id: int
    took_office: date
    left_on: date | None
    level: str  # the agency level: federal, state, municipal, foreign
    ranks: tuple[tuple[date, str], ...] = ()  # (start of posting, rank), oldest first
    ended_by: str | None = None  # why the last posting ended (a death owes no conclusion)
    agency_id: int | None = None  # of the latest posting: who holds the record
    state_code: str | None = None

    def rank_on(self, day: date) -> str | None:
        held = [rank for start, rank in self.ranks if start <= day]
        return held[-1] if held else (self.ranks[0][1] if self.ranks else None)


@dataclass(frozen=True)
class Filer:
    """Who files, as the S1 form names them: CURP, names, and the institution they serve."""

    officer_id: int
    curp: str
    names: str
    institution: str


class PayrollYear(NamedTuple):
    """An officer's gross pay for one year as an imported payroll gives it (ADR 0038,
    addendum 4): as filed and in pesos at the import's rate, with where it came from."""

    year: int
    gross: str  # the figure as filed (a decimal's text)
    currency: str
    gross_mxn: float
    source: str  # the payroll's name
    file_name: str
