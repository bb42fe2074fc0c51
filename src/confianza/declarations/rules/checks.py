"""The checks of declared wealth (issue 20, item 2): each a named rule, its threshold a
setting, its reason in words (Spanish and English).

Amounts are pesos a year at the import's rates. Net worth is what a declaration holds: the
acquisition value of the properties, vehicles and movable goods not given up (`BAJA`), plus
the balances of investments and accounts, minus the balances of debts. Two consecutive
declarations of an officer are compared; the missing and late declarations are found against
the officer's service as the registry knows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from confianza.declarations.rules.pay import PayScale
from confianza.declarations.rules.records import (
    ASSETS,
    DeclarationKind,
    PayrollYear,
    Section,
    Service,
    StoredDeclaration,
    StoredItem,
)


class Rule(StrEnum):
    UNEXPLAINED_GROWTH = "unexplained_growth"
    SALARY_MISMATCH = "salary_mismatch"
    CASH_PURCHASES = "cash_purchases"
    VANISHED_ASSETS = "vanished_assets"
    FAST_REPAYMENT = "fast_repayment"
    MISSING_OR_LATE = "missing_or_late"


@dataclass(frozen=True)
class CheckSettings:
    """The thresholds (`CONFIANZA_DECLARATIONS_*`)."""

    living_share: float = 0.6       # share of income a household spends on living
    growth_ratio: float = 0.5       # unexplained growth flagged above this times a year's income
    salary_tolerance: float = 0.3   # declared public pay this far off the scale is flagged
    cash_share: float = 2.0         # cash purchases above this times a year's income
    repayment_share: float = 1.0    # debt paid off above this times the income left to save
    min_amount: float = 50_000.0    # pesos: smaller amounts are never flagged
    since: date = date(2020, 1, 1)  # declarations are owed from this day on
    grace_days: int = 60            # after taking office or leaving
    pay: PayScale = PayScale()


@dataclass(frozen=True)
class Finding:
    rule: Rule
    officer_id: int
    declaration_id: int | None
    amount: float | None
    ratio: float | None
    es: str
    en: str


def _pesos(amount: float) -> str:
    return f"${amount:,.0f}"


_MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _day_es(day: date) -> str:
    """A day as a reader says it ("20 de mayo de 2025"): the reason is read by people."""
    return f"{day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"


def _day_en(day: date) -> str:
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


#: The asset sections in words: (Spanish one, many, English one, many).
_ASSET_WORDS = {
    Section.REAL_ESTATE: ("inmueble", "inmuebles", "property", "properties"),
    Section.VEHICLE: ("vehículo", "vehículos", "vehicle", "vehicles"),
    Section.MOVABLE: ("bien mueble", "bienes muebles", "movable good", "movable goods"),
}


def _assets_words(items: Sequence[StoredItem]) -> tuple[str, str]:
    """How many assets of each kind, in Spanish and English: "1 inmueble y 2 vehículos"."""
    counts = Counter(i.section for i in items)
    es, en = [], []
    for section in ASSETS:
        n = counts.get(section, 0)
        if n:
            one_es, many_es, one_en, many_en = _ASSET_WORDS[section]
            es.append(f"{n} {one_es if n == 1 else many_es}")
            en.append(f"{n} {one_en if n == 1 else many_en}")
    return _joined(es, "y"), _joined(en, "and")


def _joined(parts: list[str], conjunction: str) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


def _live(item: StoredItem) -> bool:
    return item.operation != "BAJA"


def net_worth(declaration: StoredDeclaration) -> float:
    total = 0.0
    for item in declaration.items:
        if not _live(item) or item.value is None:
            continue
        if item.section in ASSETS or item.section is Section.INVESTMENT:
            total += item.value
        elif item.section is Section.DEBT:
            total -= item.value
    return total


def _years(earlier: date, later: date) -> float:
    return max((later - earlier).days / 365.25, 0.25)


def _income_between(prev: StoredDeclaration, cur: StoredDeclaration) -> float:
    """Declared income over the span between two declarations (the later one's yearly total,
    which covers the year before it)."""
    return cur.total_income_year * _years(prev.filed_on, cur.filed_on)


#: S1's `formaAdquisicion` keys that are not a purchase: an inheritance, a donation, a raffle,
#: a court ruling, an assignment. Such an asset's value came from its form, not from income.
NOT_BOUGHT = frozenset({"HRN", "DNC", "RST", "STC", "CSN"})


def _received(prev: StoredDeclaration, cur: StoredDeclaration) -> float:
    return sum(i.value or 0.0 for i in cur.items if i.section in ASSETS and _live(i)
               and i.acquisition in NOT_BOUGHT and _new(i, prev, cur))


def unexplained_growth(prev: StoredDeclaration, cur: StoredDeclaration,
                       s: CheckSettings) -> Finding | None:
    """Growth of net worth beyond what income less living costs could save, leaving out the
    assets received since the earlier declaration without buying them (inherited, donated,
    won), which the later declaration explains by their form."""
    growth = net_worth(cur) - net_worth(prev)
    income = _income_between(prev, cur)
    savable = income * (1 - s.living_share)
    received = _received(prev, cur)
    unexplained = growth - savable - received
    yearly = max(cur.total_income_year, 1.0)
    if unexplained < max(s.min_amount, s.growth_ratio * yearly):
        return None
    ratio = unexplained / yearly
    return Finding(
        Rule.UNEXPLAINED_GROWTH, cur.officer_id, cur.id, unexplained, ratio,
        es=(f"El patrimonio creció {_pesos(growth)} entre el {_day_es(prev.filed_on)} y el "
            f"{_day_es(cur.filed_on)}; "
            f"los ingresos declarados ({_pesos(income)}) menos el gasto de vida "
            f"({s.living_share:.0%}) explican {_pesos(savable)}"
            + (f" y lo heredado o donado {_pesos(received)}" if received else "")
            + f": quedan {_pesos(unexplained)} sin explicar, {ratio:.1f} veces el ingreso "
            "anual."),
        en=(f"Net worth grew by {_pesos(growth)} between {_day_en(prev.filed_on)} and "
            f"{_day_en(cur.filed_on)}; "
            f"declared income ({_pesos(income)}) less living costs ({s.living_share:.0%}) "
            f"explains {_pesos(savable)}"
            + (f" and what was inherited or given {_pesos(received)}" if received else "")
            + f": {_pesos(unexplained)} is unexplained, {ratio:.1f} times a year's income."))


@dataclass(frozen=True)
class ExpectedPay:
    """The pay the registry knows for an officer's year, and where it comes from: an imported
    payroll when one gives that year (ADR 0038, addendum 4), else the pay scale for the rank
    held on 31 December."""

    year: int
    pesos: float  # a whole year's gross pay
    es: str  # "nómina importada 2022 (salaries.csv.gz): USD 90,024"
    en: str
    payroll: bool  # from an imported payroll (else the scale)


def expected_pay(service: Service | None, year: int, s: CheckSettings,
                 payroll: Mapping[int, PayrollYear] | None = None) -> ExpectedPay | None:
    imported = (payroll or {}).get(year)
    if imported is not None:
        figure = f"{imported.currency} {float(imported.gross):,.0f}"
        if imported.currency != "MXN":
            figure += f" ({_pesos(imported.gross_mxn)})"
        return ExpectedPay(year, imported.gross_mxn,
                           es=f"nómina importada {year} ({imported.file_name}): {figure}",
                           en=f"imported payroll {year} ({imported.file_name}): {figure}",
                           payroll=True)
    if service is None:
        return None
    rank = service.rank_on(date(year, 12, 31))
    expected = s.pay.yearly(service.level, rank, year)
    if expected is None:
        return None
    return ExpectedPay(year, expected, es=f"tabulador {year} de {rank}: {_pesos(expected)}",
                       en=f"pay scale {year} for {rank}: {_pesos(expected)}", payroll=False)


def pay_year(declaration: StoredDeclaration) -> int | None:
    """The year whose whole pay a declaration states: a modification's is the year before it
    was filed, an initial one's (a month's, times twelve) the year it was filed; a
    conclusion's runs to the day of leaving, no whole year."""
    if declaration.kind is DeclarationKind.MODIFICATION:
        return declaration.year - 1
    if declaration.kind is DeclarationKind.INITIAL:
        return declaration.year
    return None


def salary_mismatch(cur: StoredDeclaration, service: Service | None, s: CheckSettings,
                    payroll: Mapping[int, PayrollYear] | None = None) -> Finding | None:
    if cur.kind is not DeclarationKind.MODIFICATION:
        return None  # only a modification declares a whole year's pay
    year = cur.year - 1
    known = expected_pay(service, year, s, payroll)
    if known is None:
        return None
    expected = known.pesos
    declared = cur.public_income_year
    off = (declared - expected) / expected
    if abs(off) <= s.salary_tolerance:
        return None
    more_es = "más" if off > 0 else "menos"
    more_en = "more" if off > 0 else "less"
    return Finding(
        Rule.SALARY_MISMATCH, cur.officer_id, cur.id, declared - expected, off,
        es=(f"Declaró {_pesos(declared)} de remuneración pública en {year}; el registro "
            f"conoce {known.es}: {abs(off):.0%} {more_es}."),
        en=(f"Declared {_pesos(declared)} of public pay for {year}; the registry knows "
            f"{known.en}: {abs(off):.0%} {more_en}."))


def _new(item: StoredItem, prev: StoredDeclaration | None, cur: StoredDeclaration) -> bool:
    day = item.acquired_on
    if day is None:
        return item.operation == "AGREGAR"
    start = prev.filed_on if prev is not None else cur.filed_on - timedelta(days=366)
    return start < day <= cur.filed_on


def cash_purchases(prev: StoredDeclaration | None, cur: StoredDeclaration,
                   s: CheckSettings) -> Finding | None:
    bought = [i for i in cur.items if i.section in ASSETS and i.payment == "CONTADO"
              and i.acquisition in (None, "CPV") and i.value and _new(i, prev, cur)]
    spent = sum(i.value or 0.0 for i in bought)
    yearly = max(cur.total_income_year, 1.0)
    if spent < max(s.min_amount, s.cash_share * yearly):
        return None
    ratio = spent / yearly
    what_es, what_en = _assets_words(bought)
    return Finding(
        Rule.CASH_PURCHASES, cur.officer_id, cur.id, spent, ratio,
        es=(f"Compró de contado {what_es} por {_pesos(spent)}, "
            f"{ratio:.1f} veces su ingreso anual declarado."),
        en=(f"Bought {what_en} outright for {_pesos(spent)}, "
            f"{ratio:.1f} times the declared yearly income."))


def _asset_key(item: StoredItem) -> tuple[object, ...]:
    if item.identifier:
        return (item.section, item.identifier)
    return (item.section, item.kind, item.acquired_on, round(item.value or 0.0))


def vanished_assets(prev: StoredDeclaration, cur: StoredDeclaration,
                    s: CheckSettings) -> Finding | None:
    """Assets held in the earlier declaration that the later one neither keeps nor gives up
    with a reason (`BAJA` and `motivoBaja`), when no sale of that kind is declared."""
    later = {_asset_key(i) for i in cur.items if i.section in ASSETS
             and (_live(i) or i.disposal)}
    sold = {i.description for i in cur.items if i.section is Section.INCOME
            and i.kind == "enajenacionBienes"}
    sale_word = {Section.REAL_ESTATE: "INMUEBLE", Section.VEHICLE: "VEHICULO",
                 Section.MOVABLE: "MUEBLE"}
    gone = [i for i in prev.items if i.section in ASSETS and _live(i)
            and _asset_key(i) not in later and sale_word[i.section] not in sold]
    value = sum(i.value or 0.0 for i in gone)
    if not gone or value < s.min_amount:
        return None
    what_es, what_en = _assets_words(gone)
    one = len(gone) == 1
    return Finding(
        Rule.VANISHED_ASSETS, cur.officer_id, cur.id, value, None,
        es=(f"{what_es[0].upper()}{what_es[1:]} declarado{'' if one else 's'} el "
            f"{_day_es(prev.filed_on)} ({_pesos(value)}) ya no aparece{'' if one else 'n'} el "
            f"{_day_es(cur.filed_on)}, sin baja ni venta declarada."),
        en=(f"{what_en[0].upper()}{what_en[1:]} declared on {_day_en(prev.filed_on)} "
            f"({_pesos(value)}) {'is' if one else 'are'} gone on {_day_en(cur.filed_on)}, "
            "with no disposal or sale declared."))


def fast_repayment(prev: StoredDeclaration, cur: StoredDeclaration,
                   s: CheckSettings) -> Finding | None:
    now = {i.identifier or i.kind: (i.value or 0.0 if _live(i) else 0.0)
           for i in cur.items if i.section is Section.DEBT}
    paid = 0.0
    for debt in prev.items:
        if debt.section is Section.DEBT and _live(debt) and debt.value:
            paid += max(debt.value - now.get(debt.identifier or debt.kind, 0.0), 0.0)
    savable = _income_between(prev, cur) * (1 - s.living_share)
    if paid < max(s.min_amount, s.repayment_share * savable):
        return None
    ratio = paid / max(savable, 1.0)
    return Finding(
        Rule.FAST_REPAYMENT, cur.officer_id, cur.id, paid, ratio,
        es=(f"Pagó {_pesos(paid)} de deudas entre el {_day_es(prev.filed_on)} y el "
            f"{_day_es(cur.filed_on)}; sus "
            f"ingresos menos el gasto de vida dejan {_pesos(savable)} ({ratio:.1f} veces)."),
        en=(f"Paid off {_pesos(paid)} of debt between {_day_en(prev.filed_on)} and "
            f"{_day_en(cur.filed_on)}; "
            f"income less living costs leaves {_pesos(savable)} ({ratio:.1f} times)."))


#: A career ended by death owes no conclusion: nobody is left to file it.
DEATH = "death"


@dataclass(frozen=True)
class Due:
    kind: DeclarationKind
    year: int
    by: date


def owed(service: Service, today: date, s: CheckSettings) -> list[Due]:
    """The declarations an officer owed by `today`: initial within `grace_days` of taking
    office, a modification by 31 May of every year in office after the first, a conclusion
    within `grace_days` of leaving (not when the career ended by death); none before
    `since`."""
    dues = []
    start, end = service.took_office, service.left_on
    if start >= s.since:
        by = start + timedelta(days=s.grace_days)
        dues.append(Due(DeclarationKind.INITIAL, start.year, by))
    first = max(start.year + 1, s.since.year)
    for year in range(first, today.year + 1):
        may = date(year, 5, 1)
        if end is not None and end < may:
            break
        dues.append(Due(DeclarationKind.MODIFICATION, year, date(year, 5, 31)))
    if end is not None and end >= s.since and service.ended_by != DEATH:
        by = end + timedelta(days=s.grace_days)
        dues.append(Due(DeclarationKind.CONCLUSION, end.year, by))
    return [d for d in dues if d.by < today]


def overdue(service: Service, declarations: Sequence[StoredDeclaration], today: date,
            s: CheckSettings) -> tuple[list[Due], list[tuple[Due, date]]]:
    """What the officer owes and has not filed, and what they filed late (with the day)."""
    missing: list[Due] = []
    late: list[tuple[Due, date]] = []
    for due in owed(service, today, s):
        if due.kind is DeclarationKind.MODIFICATION:
            filed = [d for d in declarations if d.kind is due.kind and d.year == due.year]
        else:
            filed = [d for d in declarations if d.kind is due.kind]
        if not filed:
            missing.append(due)
        elif (first := min(d.filed_on for d in filed)) > due.by:
            late.append((due, first))
    return missing, late


def missing_or_late(service: Service, declarations: Sequence[StoredDeclaration],
                    today: date, s: CheckSettings) -> Finding | None:
    missing, late_filed = overdue(service, declarations, today, s)
    late = [due for due, _ in late_filed]
    if not missing and not late:
        return None

    def names(dues: list[Due], lang: int) -> str:
        words = {DeclarationKind.INITIAL: ("inicial", "initial"),
                 DeclarationKind.MODIFICATION: ("de modificación", "annual"),
                 DeclarationKind.CONCLUSION: ("de conclusión", "conclusion")}
        due = ("vencía el", "due")[lang]
        say = _day_en if lang else _day_es
        return ", ".join(f"{words[d.kind][lang]} {d.year} ({due} {say(d.by)})" for d in dues)

    es = "; ".join(p for p in (f"faltan: {names(missing, 0)}" if missing else "",
                               f"tardías: {names(late, 0)}" if late else "") if p)
    en = "; ".join(p for p in (f"missing: {names(missing, 1)}" if missing else "",
                               f"late: {names(late, 1)}" if late else "") if p)
    return Finding(Rule.MISSING_OR_LATE, service.officer_id, None, None,
                   float(len(missing) + len(late)), es=f"Declaraciones {es}.",
                   en=f"Declarations {en}.")


def check_officer(service: Service | None, declarations: Sequence[StoredDeclaration],
                  today: date, s: CheckSettings,
                  payroll: Mapping[int, PayrollYear] | None = None) -> list[Finding]:
    """Every rule on one officer's declarations (oldest first): the latest two are compared,
    and the latest alone checked; `payroll` is the officer's imported pay by year."""
    found: list[Finding | None] = []
    ordered = sorted(declarations, key=lambda d: (d.filed_at, d.id))
    if ordered:
        cur = ordered[-1]
        prev = ordered[-2] if len(ordered) > 1 else None
        if prev is not None:
            found += [unexplained_growth(prev, cur, s), vanished_assets(prev, cur, s),
                      fast_repayment(prev, cur, s)]
        found.append(cash_purchases(prev, cur, s))
        if service is not None or payroll:
            found.append(salary_mismatch(cur, service, s, payroll))
    if service is not None:
        found.append(missing_or_late(service, ordered, today, s))
    return [f for f in found if f is not None]
