"""Amounts in pesos: the currencies a deployment knows and their rates.

S1 names every amount's currency by its ISO 4217 code and fixes no list. The checks compare
amounts in pesos, so a currency is known when the deployment has a rate for it
(`CONFIANZA_DECLARATIONS_RATES`, pesos per unit); any other is refused at import, naming the
known ones, rather than guessed. The rates used are kept with each declaration.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

HOME = "MXN"
#: Pesos per unit when the deployment names no rates: rounded yearly averages, enough for a
#: check whose thresholds are shares of a year's income. A deployment sets its own.
DEFAULT_RATES: Mapping[str, Decimal] = {
    "MXN": Decimal(1), "USD": Decimal("18.5"), "EUR": Decimal("20"), "CAD": Decimal("13.5"),
    "GBP": Decimal("23.5"), "GTQ": Decimal("2.4"), "COP": Decimal("0.0045"),
}
_CODE = re.compile(r"^[A-Z]{3}$")


def parse_rates(text: str) -> dict[str, Decimal]:
    """`USD=18.5, EUR=20`: pesos per unit of each currency (MXN is always 1). ValueError
    naming the part at fault."""
    rates = {HOME: Decimal(1)}
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        code, sep, figure = part.partition("=")
        code = code.strip().upper()
        if not sep or not _CODE.match(code):
            raise ValueError(f"{part!r} is not CODE=RATE with an ISO 4217 code")
        try:
            rate = Decimal(figure.strip())
        except InvalidOperation:
            raise ValueError(f"{part!r}: {figure.strip()!r} is not a number") from None
        if not rate.is_finite() or rate <= 0:
            raise ValueError(f"{part!r}: the rate must be above zero")
        if code != HOME:
            rates[code] = rate
    return rates


def unknown_currency(code: str, rates: Mapping[str, Decimal]) -> str | None:
    """Why `code` is refused, or None when the deployment can convert it."""
    if code in rates:
        return None
    if not _CODE.match(code):
        return f"{code!r} is not an ISO 4217 currency code (three capital letters)"
    return (f"currency {code} is unknown here: amounts may be in "
            f"{', '.join(sorted(rates))} (CONFIANZA_DECLARATIONS_RATES)")


def in_pesos(value: Decimal, currency: str, rates: Mapping[str, Decimal]) -> float:
    return float(value * rates[currency])


def rates_used(currencies: set[str], rates: Mapping[str, Decimal]) -> str:
    """The rates a declaration's amounts were converted at, as kept beside it (JSON)."""
    return json.dumps({code: str(rates[code]) for code in sorted(currencies)})
