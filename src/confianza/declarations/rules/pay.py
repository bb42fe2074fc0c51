"""The pay the registry expects for a rank: a scale by agency level and rank (ADR 0038).

The registry holds ranks and postings but no payroll. Declared public income is compared with
a scale: the monthly gross pay of the lowest rank at each level of government, in pesos of a
base year, each rank above it a fixed step higher, and every year a fixed raise. The figures
are settings (`CONFIANZA_DECLARATIONS_PAY_SCALE`, `..._PAY_STEP`, `..._PAY_RAISE`), so a
deployment puts its own tabulator in; an imported payroll replaces the scale per person and
year where it gives one (`checks.expected_pay`, ADR 0038 addendum 4).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

#: Ley General del Sistema Nacional de Seguridad Pública, art. 80, lowest first; the Guardia
#: Nacional's basic grades beside the first four.
RANKS: tuple[tuple[str, ...], ...] = (
    ("policia", "guardia", "police officer"),
    ("policia tercero", "cabo"),
    ("policia segundo", "sargento segundo"),
    ("policia primero", "sargento primero"),
    ("suboficial",), ("oficial",), ("subinspector",), ("inspector",), ("inspector jefe",),
    ("inspector general",), ("comisario",), ("comisario jefe",), ("comisario general",),
)
_STEP_OF = {name: step for step, names in enumerate(RANKS) for name in names}


@cache  # a force has a few dozen rank names, and the checks ask for one per officer
def fold(rank: str) -> str:
    text = unicodedata.normalize("NFKD", rank.strip().lower())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def parse_levels(text: str) -> dict[str, float]:
    """`federal=19000, state=16000, municipal=12500`: monthly pesos of the lowest rank."""
    levels = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        level, sep, figure = part.partition("=")
        try:
            amount = float(figure)
        except ValueError:
            raise ValueError(f"{part!r} is not LEVEL=MONTHLY_PAY") from None
        if not sep or amount <= 0:
            raise ValueError(f"{part!r} is not LEVEL=MONTHLY_PAY with a pay above zero")
        levels[level.strip().lower()] = amount
    return levels


@dataclass(frozen=True)
class PayScale:
    base: dict[str, float] = field(default_factory=lambda: {
        "federal": 19_000.0, "state": 16_000.0, "municipal": 12_500.0})
    step: float = 0.14   # each rank above the lowest
    raise_: float = 0.05  # each year after `year`
    year: int = 2024

    def yearly(self, level: str, rank: str | None, year: int) -> float | None:
        """The expected gross pay of a whole year at `rank`, or None when the scale does not
        know the rank or the level (a foreign force, a rank outside the law's scale)."""
        if rank is None or level not in self.base:
            return None
        step = _STEP_OF.get(fold(rank))
        if step is None:
            return None
        monthly = self.base[level] * (1 + self.step) ** step
        return 12 * monthly * (1 + self.raise_) ** (year - self.year)
