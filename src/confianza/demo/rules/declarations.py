"""The asset declarations the synthetic registry files for its officers (issue 20, item 4),
and the cases of unexplained wealth it plants among them.

Every officer with a CURP files what the law asks of them and the checks expect
(`checks.owed`): an initial declaration within 60 days of taking office, a modification each
May, a conclusion within 60 days of leaving (none after a death), none before the day
declarations are owed from. The public pay declared is the pay scale's for the rank held, with
each officer's own allowances (-5% to +12%); a partner's income in about half the households;
a house on a mortgage in about half, bought three to five years' income ahead; a car (on credit
when dear); household goods and a bank account. Between declarations the account takes a share
of income, the debts fall by their instalments, and now and then a car is changed (the old one
sold and declared so), a new one bought on credit, a jewel or a television bought outright, a
house inherited. That ordinary population is what the thresholds are tuned on (ADR 0038).

A few hundred officers (2.5% of those who file) are planted with one shape of unexplained
wealth each, in their latest declaration: a house bought in cash, a fleet of vehicles, a
mortgage paid off at once, a house and car gone without a sale, a public pay far from the
scale's, a declaration late or missing. `plan` draws them from `random.Random(seed)` by officer
id, so the same registry and seed plant the same officers; the demo keeps the list in the audit
entry of its filing, where `confianza declarations check` finds it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from confianza.declarations.rules.checks import CheckSettings, Due, Rule, owed
from confianza.declarations.rules.records import (
    Amount,
    Declaration,
    DeclarationKind,
    Filer,
    Income,
    IncomePeriod,
    Item,
    Section,
    Service,
)

#: Each planted shape and the rule that exists to find it.
SHAPES: dict[str, Rule] = {
    "house_in_cash": Rule.CASH_PURCHASES,
    "vehicle_fleet": Rule.UNEXPLAINED_GROWTH,
    "debt_repayment": Rule.FAST_REPAYMENT,
    "vanished_assets": Rule.VANISHED_ASSETS,
    "salary_mismatch": Rule.SALARY_MISMATCH,
    "late_or_missing": Rule.MISSING_OR_LATE,
}
#: Share of the filing officers planted, all shapes together.
PLANTED_SHARE = 0.025
_PERIOD = {DeclarationKind.INITIAL: IncomePeriod.MONTH,
           DeclarationKind.MODIFICATION: IncomePeriod.YEAR,
           DeclarationKind.CONCLUSION: IncomePeriod.TO_LEAVING}
_FILED_AT = time(17, 0)  # 11:00 in Mexico City: the same civil day everywhere in Mexico
_CARS = ("Nissan Versa", "Chevrolet Aveo", "Volkswagen Jetta", "Toyota Corolla", "Kia Rio",
         "Mazda 3", "Honda CR-V", "Nissan Frontier", "Ford Lobo", "Chevrolet Tahoe")
_LUXURY = ("Chevrolet Suburban", "BMW X5", "Mercedes-Benz GLE", "Ford Raptor",
           "Cadillac Escalade", "Porsche Cayenne")
_BANKS = ("BBVA México", "Banorte", "Santander", "Banamex", "HSBC", "Banco Azteca")


@dataclass
class _Asset:
    section: Section
    kind: str
    acquired_on: date
    value: float
    acquisition: str
    payment: str
    identifier: str
    description: str | None = None
    operation: str = "AGREGAR"
    disposal: str | None = None


@dataclass
class _Debt:
    kind: str
    identifier: str
    acquired_on: date
    original: float
    balance: float
    yearly: float  # principal paid a year
    lender: str
    operation: str = "AGREGAR"


@dataclass
class _Household:
    """One officer's household wealth as it moves from declaration to declaration."""

    assets: list[_Asset] = field(default_factory=list)
    debts: list[_Debt] = field(default_factory=list)
    account: float = 0.0
    account_id: str = ""
    bank: str = ""
    sales: list[tuple[str, float]] = field(default_factory=list)  # since the last declaration
    serial: int = 0

    def next_id(self, officer_id: int, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{officer_id:07d}-{self.serial:02d}"


@dataclass(frozen=True)
class DemoDeclarations:
    """What the demo files: each officer's declarations, and who was planted with what."""

    declarations: list[tuple[int, Declaration]]
    planted: dict[str, list[int]]


def _money(value: float) -> Amount:
    return Amount(Decimal(max(int(round(value)), 0)), "MXN")


def _filed(day: date) -> datetime:
    return datetime.combine(day, _FILED_AT, tzinfo=UTC)


def _yearly_pay(service: Service, day: date, settings: CheckSettings) -> float:
    rank = service.rank_on(day)
    level = service.level if service.level in settings.pay.base else "municipal"
    pay = settings.pay.yearly(level, rank, day.year)
    return pay if pay is not None else settings.pay.yearly("municipal", "policia",
                                                            day.year) or 150_000.0


def plan(services: Mapping[int, Service], filers: Mapping[int, Filer], *, seed: int,
         today: date, settings: CheckSettings) -> DemoDeclarations:
    """Every filer's declarations and the planted cases (deterministic for the same registry,
    seed and day)."""
    rng = random.Random(f"declarations:{seed}")
    schedules: dict[int, list[Due]] = {}
    for officer_id in sorted(filers):
        service = services.get(officer_id)
        if service is not None:
            dues = owed(service, today, settings)
            if dues:
                schedules[officer_id] = sorted(dues, key=lambda d: d.by)
    planted = _choose(schedules, services, settings, rng)
    shape_of = {o: shape for shape, officers in planted.items() for o in officers}
    out: list[tuple[int, Declaration]] = []
    for officer_id, dues in schedules.items():
        own = random.Random(f"declarations:{seed}:{officer_id}")
        out += [(officer_id, d) for d in _officer(
            services[officer_id], filers[officer_id], dues, shape_of.get(officer_id), own,
            settings, today)]
    return DemoDeclarations(out, planted)


def _choose(schedules: Mapping[int, list[Due]], services: Mapping[int, Service],
            settings: CheckSettings, rng: random.Random) -> dict[str, list[int]]:
    """Distinct officers for each shape, among those the shape can be planted on."""
    per_shape = max(3, round(len(schedules) * PLANTED_SHARE / len(SHAPES)))
    officers = sorted(schedules)
    rng.shuffle(officers)
    taken: set[int] = set()
    planted: dict[str, list[int]] = {shape: [] for shape in SHAPES}
    for shape in SHAPES:
        for officer_id in officers:
            if len(planted[shape]) >= per_shape:
                break
            if officer_id in taken or not _fits(shape, schedules[officer_id],
                                                services[officer_id], settings):
                continue
            planted[shape].append(officer_id)
            taken.add(officer_id)
    return planted


def _fits(shape: str, dues: list[Due], service: Service, settings: CheckSettings) -> bool:
    if shape == "late_or_missing":
        return True
    if len(dues) < 2:
        return False  # the wealth shapes compare the latest two declarations
    last = dues[-1]
    if shape == "salary_mismatch":
        rank = service.rank_on(date(last.year - 1, 12, 31))
        return (last.kind is DeclarationKind.MODIFICATION
                and settings.pay.yearly(service.level, rank, last.year - 1) is not None)
    return True


def _filing_day(due: Due, service: Service, rng: random.Random) -> date:
    if due.kind is DeclarationKind.MODIFICATION:
        day = date(due.year, 5, rng.randint(2, 31))
    else:
        day = due.by - timedelta(days=rng.randint(2, 57))
    return max(day, service.took_office)


def _officer(service: Service, filer: Filer, dues: list[Due], shape: str | None,
             rng: random.Random, settings: CheckSettings, today: date
             ) -> Iterator[Declaration]:
    days = [_filing_day(due, service, rng) for due in dues]
    if shape == "late_or_missing":
        dues, days = _late_or_missing(dues, days, service, rng, today)
    factor = rng.uniform(0.95, 1.12)  # allowances and seniority over the scale
    partner = rng.uniform(0.3, 1.0) if rng.random() < 0.55 else 0.0
    other = rng.uniform(0.03, 0.2) if rng.random() < 0.15 else 0.0
    home = _Household(account_id=f"{filer.officer_id:010d}", bank=rng.choice(_BANKS))
    previous: date | None = None
    for index, (due, day) in enumerate(zip(dues, days, strict=True)):
        pay_day = day if due.kind is not DeclarationKind.MODIFICATION else date(
            due.year - 1, 12, 31)
        public = _yearly_pay(service, pay_day, settings) * factor
        total = public * (1 + partner + other)
        if previous is None:
            _start(home, filer.officer_id, day, total, rng,
                   shape in ("debt_repayment", "vanished_assets"))
        else:
            _year(home, filer.officer_id, previous, day, total, rng)
        if index == len(dues) - 1 and shape is not None:
            public = _plant(shape, home, filer.officer_id, previous, day, public, total, rng)
        previous = day
        yield _declaration(filer, service, due, day, public, partner, other, home)
        home.sales = []
        _settle(home)


def _late_or_missing(dues: list[Due], days: list[date], service: Service,
                     rng: random.Random, today: date) -> tuple[list[Due], list[date]]:
    """The last declaration filed late (unfiled still when that day has not come), or one
    left unfiled."""
    dues, days = list(dues), list(days)
    last = len(dues) - 1
    if rng.random() < 0.5:
        days[last] = dues[last].by + timedelta(days=rng.randint(20, 120))
        if days[last] >= today:
            del dues[last], days[last]
    else:
        gone = rng.randrange(len(dues))
        del dues[gone], days[gone]
    return dues, days


def _start(home: _Household, officer_id: int, day: date, income: float,
           rng: random.Random, needs_house: bool) -> None:
    """What a household holds on its first declaration."""
    before = day - timedelta(days=rng.randint(400, 3000))
    roll = rng.random()
    if roll < 0.5 or needs_house:
        # A planted household's house is a dear one, its mortgage young.
        value = income * (rng.uniform(3.5, 5.0) if needs_house else rng.uniform(2.0, 4.0))
        home.assets.append(_Asset(Section.REAL_ESTATE, "CASA", before, value, "CPV", "CRÉDITO",
                                  home.next_id(officer_id, "ESCRITURA")))
        original = value * 0.85
        owing = rng.uniform(0.85, 0.95) if needs_house else rng.uniform(0.55, 0.95)
        home.debts.append(_Debt("CHIP", home.next_id(officer_id, "HIP"), before, original,
                                original * owing, original / 25, "INFONAVIT"))
    elif roll < 0.6:
        home.assets.append(_Asset(Section.REAL_ESTATE, "CASA", before,
                                  rng.uniform(350_000, 1_200_000), "HRN", "NO APLICA",
                                  home.next_id(officer_id, "ESCRITURA")))
    if rng.random() < 0.7:
        _buy_car(home, officer_id, day - timedelta(days=rng.randint(60, 1500)), income, rng)
    home.assets.append(_Asset(Section.MOVABLE, "MECA", before, rng.uniform(30_000, 90_000),
                              "CPV", "CONTADO", home.next_id(officer_id, "MUEBLE"),
                              "Muebles y enseres de la casa"))
    home.account = income * rng.uniform(0.05, 0.5)


def _buy_car(home: _Household, officer_id: int, day: date, income: float,
             rng: random.Random) -> None:
    value = income * rng.uniform(0.4, 1.2)
    vin = home.next_id(officer_id, "VIN")
    model = f"{rng.choice(_CARS)} {day.year - rng.randint(0, 6)}"
    if value < income * 0.6:
        home.assets.append(_Asset(Section.VEHICLE, "AUMOT", day, value, "CPV", "CONTADO",
                                  vin, model))
        home.account = max(home.account - value * 0.5, 5_000.0)
        return
    home.assets.append(_Asset(Section.VEHICLE, "AUMOT", day, value, "CPV", "CRÉDITO", vin,
                              model))
    original = value * 0.8
    home.debts.append(_Debt("CAUT", home.next_id(officer_id, "AUTO"), day, original,
                            original, original / 5, "Crédito automotriz"))


def _year(home: _Household, officer_id: int, since: date, day: date, income: float,
          rng: random.Random) -> None:
    """The household between two declarations: savings, instalments, now and then a change."""
    years = max((day - since).days / 365.25, 0.1)
    home.account = max(home.account + income * years * rng.uniform(-0.05, 0.15), 5_000.0)
    for debt in home.debts:
        debt.balance = max(debt.balance - debt.yearly * years, 0.0)
    between = since + timedelta(days=max((day - since).days // 2, 1))
    if rng.random() < 0.06 * years:
        _buy_car(home, officer_id, between, income, rng)
    cars = [a for a in home.assets if a.section is Section.VEHICLE and a.disposal is None]
    if cars and rng.random() < 0.04 * years:
        sold = cars[0]
        sold.operation, sold.disposal = "BAJA", "VNT"
        home.sales.append(("VEHICULO", sold.value * rng.uniform(0.4, 0.7)))
        _buy_car(home, officer_id, between, income * 0.5, rng)
    if rng.random() < 0.03 * years:
        kind, what = rng.choice((("JOYA", "Reloj y joyería"),
                                 ("APAE", "Televisión y aparatos electrónicos")))
        home.assets.append(_Asset(Section.MOVABLE, kind, between, rng.uniform(15_000, 60_000),
                                  "CPV", "CONTADO", home.next_id(officer_id, "MUEBLE"), what))
    if rng.random() < 0.015 * years:
        home.assets.append(_Asset(Section.REAL_ESTATE, rng.choice(("CASA", "TERR")), between,
                                  rng.uniform(300_000, 1_500_000), "HRN", "NO APLICA",
                                  home.next_id(officer_id, "ESCRITURA")))


def _plant(shape: str, home: _Household, officer_id: int, since: date | None, day: date,
           public: float, income: float, rng: random.Random) -> float:
    """The latest declaration's planted wealth; returns the public pay it declares."""
    between = (since or day - timedelta(days=365)) + timedelta(days=20)
    if shape == "house_in_cash":
        home.assets.append(_Asset(Section.REAL_ESTATE, "CASA", between,
                                  income * rng.uniform(3.0, 8.0), "CPV", "CONTADO",
                                  home.next_id(officer_id, "ESCRITURA")))
    elif shape == "vehicle_fleet":
        for _ in range(rng.randint(3, 6)):
            home.assets.append(_Asset(
                Section.VEHICLE, "AUMOT", between, income * rng.uniform(0.8, 2.5), "CPV",
                rng.choice(("CONTADO", "CRÉDITO")), home.next_id(officer_id, "VIN"),
                f"{rng.choice(_LUXURY)} {day.year}"))
    elif shape == "debt_repayment":
        for debt in home.debts:
            debt.balance = 0.0
    elif shape == "vanished_assets":
        gone = [a for a in home.assets if a.section is Section.REAL_ESTATE]
        gone += [a for a in home.assets if a.section is Section.VEHICLE][:1]
        home.assets = [a for a in home.assets if a not in gone]
    elif shape == "salary_mismatch":
        return public * (rng.uniform(1.45, 2.0) if rng.random() < 0.5
                         else rng.uniform(0.35, 0.6))
    return public


def _settle(home: _Household) -> None:
    """After a declaration: what it gave up leaves the household, what it added is kept."""
    home.assets = [a for a in home.assets if a.operation != "BAJA"]
    for asset in home.assets:
        asset.operation = "SIN_CAMBIOS"
    for debt in home.debts:
        debt.operation = "SIN_CAMBIOS"
    home.debts = [d for d in home.debts if d.balance > 0]


def _declaration(filer: Filer, service: Service, due: Due, day: date, public: float,
                 partner: float, other: float, home: _Household) -> Declaration:
    kind = due.kind
    if kind is DeclarationKind.INITIAL:
        scale = 1 / 12
    elif kind is DeclarationKind.CONCLUSION:
        left = service.left_on or day
        scale = max((left - date(left.year, 1, 1)).days + 1, 30) / 365
    else:
        scale = 1.0
    own = public * (1 + other) * scale
    household = public * partner * scale
    items: list[Item] = [Item(Section.INCOME, kind="enajenacionBienes", value=_money(value),
                              description=what) for what, value in home.sales]
    if other:
        items.append(Item(Section.INCOME, kind="serviciosProfesionales",
                          value=_money(public * other * scale),
                          description="Asesoría en seguridad privada"))
    for a in home.assets:
        items.append(Item(a.section, kind=a.kind, operation=a.operation, holders="DEC",
                          share=100 if a.section is Section.REAL_ESTATE else None,
                          acquired_on=a.acquired_on, value=_money(a.value),
                          acquisition=a.acquisition, payment=a.payment, identifier=a.identifier,
                          disposal=a.disposal, description=a.description))
    items.append(Item(Section.INVESTMENT, kind="BANC", operation="SIN_CAMBIOS", holders="DEC",
                      value=_money(home.account), identifier=home.account_id,
                      description=home.bank))
    for d in home.debts:
        items.append(Item(Section.DEBT, kind=d.kind, operation=d.operation, holders="DEC",
                          acquired_on=d.acquired_on, value=_money(d.balance),
                          original=_money(d.original), identifier=d.identifier,
                          description=d.lender))
    rank = service.rank_on(day) or "Policía"
    return Declaration(
        source_id=f"MX-DEMO-{filer.officer_id:07d}-{kind.value[:3].upper()}-{due.year}",
        kind=kind, complete=True, filed_at=_filed(day), institution=filer.institution,
        position=rank, took_office=service.took_office if kind is not
        DeclarationKind.CONCLUSION else service.left_on, curp=filer.curp, names=filer.names,
        income=Income(public=_money(public * scale), declarant=_money(own),
                      total=_money(own + household), other=_money(public * other * scale)
                      if other else None, household=_money(household) if partner else None,
                      period=_PERIOD[kind]),
        items=tuple(items))
