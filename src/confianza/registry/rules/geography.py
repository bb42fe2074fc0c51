"""Mexico's political geography: the 32 federal entities and their municipalities.

States carry both of the codes the registry meets: INEGI's two-digit key (the order of the
Marco Geoestadístico, "01" Aguascalientes to "32" Zacatecas) and the two-letter code RENAPO
writes inside a CURP, whose order is not INEGI's (Coahuila is "CL", Chiapas "CS", Ciudad de
México keeps its old "DF").

Municipalities (and Mexico City's alcaldías) come from ``data/municipalities.csv``, packaged
with the code and read once; ``data/SOURCES.md`` says where that catalogue comes from.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

import confianza.kit.curp as curp_codes

__all__ = [
    "FOREIGN_BORN_CURP_CODE",
    "STATES",
    "Municipality",
    "State",
    "find_municipality",
    "find_state",
    "find_state_by_curp_code",
    "municipalities",
    "municipalities_of",
]

# The code a CURP carries in place of a state for people born outside Mexico (the CURP's own).
FOREIGN_BORN_CURP_CODE = curp_codes.FOREIGN_BORN_CURP_CODE


@dataclass(frozen=True, slots=True)
class State:
    """One of the 32 federal entities."""

    code: str  # INEGI key, "01".."32"
    name: str  # INEGI's official name, e.g. "Coahuila de Zaragoza"
    curp_code: str  # RENAPO's two letters inside a CURP, e.g. "CL"
    abbreviation: str  # INEGI's abbreviation, e.g. "Coah."


@dataclass(frozen=True, slots=True)
class Municipality:
    """A municipio, or one of Mexico City's alcaldías (INEGI counts them alike)."""

    state_code: str  # "14"
    code: str  # three digits within the state, "039"
    name: str
    population: int = 0  # 0 when the catalogue carries no census figure

    @property
    def key(self) -> str:
        """INEGI's five-digit key (CVEGEO), e.g. "14039"."""
        return self.state_code + self.code


STATES: tuple[State, ...] = (
    State("01", "Aguascalientes", "AS", "Ags."),
    State("02", "Baja California", "BC", "BC"),
    State("03", "Baja California Sur", "BS", "BCS"),
    State("04", "Campeche", "CC", "Camp."),
    State("05", "Coahuila de Zaragoza", "CL", "Coah."),
    State("06", "Colima", "CM", "Col."),
    State("07", "Chiapas", "CS", "Chis."),
    State("08", "Chihuahua", "CH", "Chih."),
    State("09", "Ciudad de México", "DF", "CDMX"),
    State("10", "Durango", "DG", "Dgo."),
    State("11", "Guanajuato", "GT", "Gto."),
    State("12", "Guerrero", "GR", "Gro."),
    State("13", "Hidalgo", "HG", "Hgo."),
    State("14", "Jalisco", "JC", "Jal."),
    State("15", "México", "MC", "Mex."),
    State("16", "Michoacán de Ocampo", "MN", "Mich."),
    State("17", "Morelos", "MS", "Mor."),
    State("18", "Nayarit", "NT", "Nay."),
    State("19", "Nuevo León", "NL", "NL"),
    State("20", "Oaxaca", "OC", "Oax."),
    State("21", "Puebla", "PL", "Pue."),
    State("22", "Querétaro", "QT", "Qro."),
    State("23", "Quintana Roo", "QR", "Q. Roo"),
    State("24", "San Luis Potosí", "SP", "SLP"),
    State("25", "Sinaloa", "SL", "Sin."),
    State("26", "Sonora", "SR", "Son."),
    State("27", "Tabasco", "TC", "Tab."),
    State("28", "Tamaulipas", "TS", "Tamps."),
    State("29", "Tlaxcala", "TL", "Tlax."),
    State("30", "Veracruz de Ignacio de la Llave", "VZ", "Ver."),
    State("31", "Yucatán", "YN", "Yuc."),
    State("32", "Zacatecas", "ZS", "Zac."),
)

_BY_CODE: dict[str, State] = {s.code: s for s in STATES}
_BY_CURP_CODE: dict[str, State] = {s.curp_code: s for s in STATES}


def find_state(code: str) -> State | None:
    """The state with INEGI key ``code`` ("14"; "1" and " 14 " are accepted), or None."""
    code = code.strip()
    if len(code) == 1 and code.isdigit():
        code = "0" + code
    return _BY_CODE.get(code)


def find_state_by_curp_code(curp_code: str) -> State | None:
    """The state a CURP's two letters name ("JC" → Jalisco); None for "NE" or unknown codes."""
    return _BY_CURP_CODE.get(curp_code.strip().upper())


# The CSV sits in its data/ folder, shipped as package data.
_DATA_PACKAGE = "confianza.registry.rules"


@cache
def municipalities() -> tuple[Municipality, ...]:
    """Every municipality in the packaged catalogue, ordered by key; read once per process."""
    text = (
        resources.files(_DATA_PACKAGE)
        .joinpath("data", "municipalities.csv")
        .read_text(encoding="utf-8")
    )
    reader = csv.DictReader(io.StringIO(text))
    rows = [
        Municipality(
            state_code=row["state_code"],
            code=row["municipality_code"],
            name=row["name"],
            population=int(row["population"] or 0),
        )
        for row in reader
    ]
    rows.sort(key=lambda m: m.key)
    return tuple(rows)


@cache
def _by_state() -> dict[str, tuple[Municipality, ...]]:
    grouped: dict[str, list[Municipality]] = {s.code: [] for s in STATES}
    for m in municipalities():
        grouped.setdefault(m.state_code, []).append(m)
    return {code: tuple(ms) for code, ms in grouped.items()}


@cache
def _by_key() -> dict[str, Municipality]:
    return {m.key: m for m in municipalities()}


def municipalities_of(state_code: str) -> tuple[Municipality, ...]:
    """The municipalities of one state, by INEGI state key; empty for an unknown state."""
    state = find_state(state_code)
    if state is None:
        return ()
    return _by_state().get(state.code, ())


def find_municipality(key: str) -> Municipality | None:
    """The municipality with five-digit INEGI key ``key`` ("14039"), or None."""
    return _by_key().get(key.strip())
