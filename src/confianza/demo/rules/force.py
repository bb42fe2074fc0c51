"""A synthetic national force for demonstrations and benchmarks: agencies, units and ranks.

Nothing here describes a real person. The shape follows public figures: the 2018 count of
401,607 police (336,247 in state and municipal forces, 65,360 federal; INEGI / SESNSP), the rank
scale of the Ley General del Sistema Nacional de Seguridad Pública (art. 80) and of the Ley de la
Guardia Nacional, and the 2019 transfer of the Policía Federal into the Guardia Nacional. State
populations are INEGI's Censo de Población y Vivienda 2020; municipalities are sized by their
census figure when the catalogue carries one, and by a seeded heavy-tailed draw when it does not
(the packaged catalogue has no figures yet, see registry/rules/data/SOURCES.md).

The plan is pure: a seeded `random.Random` in, the same agencies out. Officers and careers are
built from the plan in `confianza.demo.rules.careers`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.rules.geography import STATES, Municipality, municipalities_of


class Scale(StrEnum):
    """How big a force to build."""

    TINY = "tiny"  # ~300 officers in one state: for tests
    DEMO = "demo"  # four states, ~12,000 officers: builds in seconds
    NATIONAL = "national"  # ~400,000 officers: the whole country


@dataclass(frozen=True)
class ScaleSpec:
    states: tuple[str, ...] | None  # INEGI codes; None for all 32
    local_officers: int  # state and municipal forces together
    federal_officers: int
    municipal_share: float  # of the local officers, those in municipal police
    min_municipal_police: int  # a municipality whose share is smaller has no police of its own


SCALES: dict[Scale, ScaleSpec] = {
    Scale.TINY: ScaleSpec(("14",), 250, 50, 0.45, 12),
    Scale.DEMO: ScaleSpec(("01", "06", "14", "19"), 10_500, 1_500, 0.45, 5),
    Scale.NATIONAL: ScaleSpec(None, 336_247, 65_360, 0.45, 5),
}

#: INEGI, Censo de Población y Vivienda 2020: total population by state.
STATE_POPULATION_2020: dict[str, int] = {
    "01": 1_425_607, "02": 3_769_020, "03": 798_447, "04": 928_363, "05": 3_146_771,
    "06": 731_391, "07": 5_543_828, "08": 3_741_869, "09": 9_209_944, "10": 1_832_650,
    "11": 6_166_934, "12": 3_540_685, "13": 3_082_841, "14": 8_348_151, "15": 16_992_418,
    "16": 4_748_846, "17": 1_971_520, "18": 1_235_456, "19": 5_784_442, "20": 4_132_148,
    "21": 6_583_278, "22": 2_368_467, "23": 1_857_985, "24": 2_822_255, "25": 3_026_943,
    "26": 2_944_840, "27": 2_402_598, "28": 3_527_735, "29": 1_342_977, "30": 8_062_579,
    "31": 2_320_898, "32": 1_622_138,
}

#: Ley General del Sistema Nacional de Seguridad Pública, art. 80: the police scale, lowest first.
POLICE_RANKS: tuple[str, ...] = (
    "Policía", "Policía Tercero", "Policía Segundo", "Policía Primero",
    "Suboficial", "Oficial", "Subinspector",
    "Inspector", "Inspector Jefe", "Inspector General",
    "Comisario", "Comisario Jefe", "Comisario General",
)
#: Ley de la Guardia Nacional: the same scale with a military-style basic grade, lowest first.
GUARDIA_NACIONAL_RANKS: tuple[str, ...] = (
    "Guardia", "Cabo", "Sargento Segundo", "Sargento Primero",
    "Suboficial", "Oficial", "Subinspector",
    "Inspector", "Inspector Jefe", "Inspector General",
    "Comisario", "Comisario Jefe", "Comisario General",
)
#: Share of a large force at each rank (per 10,000), lowest first: a pyramid.
RANK_PYRAMID: tuple[int, ...] = (4200, 1700, 1250, 950, 700, 450, 300, 180, 100, 70, 50, 30, 20)

#: The day the Guardia Nacional took over the Policía Federal's personnel in this model.
FEDERAL_MERGER = date(2019, 6, 30)

# Divisions of the Policía Federal; on the merger the Guardia Nacional receives units with the
# same codes, as services.agencies.merge_agency does.
_PF_DIVISIONS = (
    ("DIV-SEG-REGIONAL", "División de Seguridad Regional"),
    ("DIV-CIENTIFICA", "División Científica"),
    ("DIV-INTELIGENCIA", "División de Inteligencia"),
    ("DIV-INVESTIGACION", "División de Investigación"),
    ("DIV-FUERZAS-FED", "División de Fuerzas Federales"),
    ("DIV-ANTIDROGAS", "División Antidrogas"),
    ("DIV-GENDARMERIA", "División de Gendarmería"),
)
_STATE_UNITS = (
    ("DIR-OPERATIVA", "Dirección Operativa"),
    ("CAMINOS", "Policía Estatal de Caminos"),
    ("REACCION", "Agrupamiento de Reacción Inmediata"),
    ("INVESTIGACION", "Unidad de Investigación"),
    ("ANALISIS", "Unidad de Análisis e Inteligencia"),
    ("PROXIMIDAD", "Policía de Proximidad"),
    ("CUSTODIA", "Custodia Penitenciaria"),
    ("C5", "Centro de Mando y Comunicaciones"),
)
_MUNICIPAL_UNITS = (
    ("OPERATIVA", "Dirección Operativa"),
    ("TRANSITO", "Tránsito y Vialidad"),
    ("PROXIMIDAD", "Unidad de Proximidad Social"),
    ("SECTOR-NORTE", "Sector Norte"),
    ("SECTOR-SUR", "Sector Sur"),
    ("SECTOR-ORIENTE", "Sector Oriente"),
    ("SECTOR-PONIENTE", "Sector Poniente"),
    ("SECTOR-CENTRO", "Sector Centro"),
    ("GRUPO-TACTICO", "Grupo Táctico"),
    ("ATENCION-VICTIMAS", "Unidad de Atención a Víctimas"),
)
# Forces whose common name is not "Secretaría de Seguridad Pública del Estado".
_STATE_FORCE_NAMES = {
    "09": ("SSC", "Secretaría de Seguridad Ciudadana de la Ciudad de México"),
    "15": ("SS", "Secretaría de Seguridad del Estado de México"),
    "19": ("FC", "Institución Policial Estatal Fuerza Civil"),
}


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str


@dataclass(frozen=True)
class AgencySpec:
    """One agency of the plan; `officers` is how many people end their career in it."""

    code: str
    name: str
    level: AgencyLevel
    state_code: str | None
    municipality_key: str | None
    officers: int
    units: tuple[UnitSpec, ...]
    ranks: tuple[str, ...]
    max_rank: int  # index into ranks: a small police has no Comisario General
    badge_prefix: str
    merged_into: str | None = None  # code of the agency that absorbed it
    dissolved_on: date | None = None


@dataclass(frozen=True)
class ForcePlan:
    agencies: tuple[AgencySpec, ...]
    states: tuple[str, ...]

    def index(self, code: str) -> int:
        for i, agency in enumerate(self.agencies):
            if agency.code == code:
                return i
        raise KeyError(code)


def state_tag(state_code: str) -> str:
    """The short upper-case tag agency codes start with: 'JAL', 'NL', 'CDMX'."""
    abbreviation = next(s.abbreviation for s in STATES if s.code == state_code)
    return "".join(c for c in abbreviation.upper() if c.isalnum())


def max_rank_for(size: int) -> int:
    """The highest rank a force of `size` people has: a five-person police has no Comisario."""
    return min(len(RANK_PYRAMID) - 1, 2 + int(1.1 * math.log2(max(size, 1))))


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` by `weights` into integers that add up to `total` (largest remainder)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _units(template: tuple[tuple[str, str], ...], size: int, per: int) -> tuple[UnitSpec, ...]:
    count = max(1, min(len(template), 1 + size // per))
    return tuple(UnitSpec(code, name) for code, name in template[:count])


def _municipal_weights(places: tuple[Municipality, ...], rng: random.Random) -> list[float]:
    if places and all(m.population > 0 for m in places):
        return [float(m.population) for m in places]
    # No census figure: a Pareto draw gives the few large and many small places real states have.
    return [rng.paretovariate(1.1) for _ in places]


def plan_force(scale: Scale, rng: random.Random) -> ForcePlan:
    """The agencies of a synthetic force and how many officers each one ends up with."""
    spec = SCALES[scale]
    states = spec.states or tuple(s.code for s in STATES)
    agencies: list[AgencySpec] = []

    # Federal: the Guardia Nacional absorbs the historical Policía Federal (its officers are
    # counted in the Guardia's share: their careers start in the PF and cross the merger).
    federal = apportion(spec.federal_officers, [0.76, 0.10, 0.14])
    gn_units = [UnitSpec(f"COORD-{state_tag(code)}", f"Coordinación Estatal {name}")
                for code, name in ((s.code, s.name) for s in STATES if s.code in states)]
    gn_units += [UnitSpec(code, name) for code, name in _PF_DIVISIONS]
    agencies.append(AgencySpec(
        "GN", "Guardia Nacional", AgencyLevel.FEDERAL, None, None, federal[0], tuple(gn_units),
        GUARDIA_NACIONAL_RANKS, max_rank_for(federal[0]), "GN"))
    agencies.append(AgencySpec(
        "PF", "Policía Federal", AgencyLevel.FEDERAL, None, None, 0,
        tuple(UnitSpec(c, n) for c, n in _PF_DIVISIONS), POLICE_RANKS, len(POLICE_RANKS) - 1,
        "PF", merged_into="GN", dissolved_on=FEDERAL_MERGER))
    agencies.append(AgencySpec(
        "SPF", "Servicio de Protección Federal", AgencyLevel.FEDERAL, None, None, federal[1],
        _units(tuple((f"ZONA-{i:02d}", f"Zona {i}") for i in range(1, 9)), federal[1], 400),
        POLICE_RANKS, max_rank_for(federal[1]), "SPF"))
    agencies.append(AgencySpec(
        "FGR-PFM", "Policía Federal Ministerial (FGR)", AgencyLevel.FEDERAL, None, None,
        federal[2],
        _units(tuple((f"DELEG-{state_tag(c)}", f"Delegación {state_tag(c)}") for c in states),
        federal[2], 100),
        POLICE_RANKS, max_rank_for(federal[2]), "PFM"))

    local = apportion(spec.local_officers, [float(STATE_POPULATION_2020[c]) for c in states])
    for code, officers in zip(states, local, strict=True):
        agencies.extend(_state_agencies(code, officers, spec, rng))
    return ForcePlan(tuple(agencies), states)


def _state_agencies(
    code: str, officers: int, spec: ScaleSpec, rng: random.Random
) -> list[AgencySpec]:
    tag = state_tag(code)
    state_name = next(s.name for s in STATES if s.code == code)
    suffix, name = _STATE_FORCE_NAMES.get(
        code, ("SSP", f"Secretaría de Seguridad Pública de {state_name}"))
    # Mexico City has no municipal police: its Secretaría covers every alcaldía.
    places = () if code == "09" else municipalities_of(code)
    municipal_total = round(officers * spec.municipal_share) if places else 0
    sizes = apportion(municipal_total, _municipal_weights(places, rng))
    kept = [(m, n) for m, n in zip(places, sizes, strict=True) if n >= spec.min_municipal_police]
    # Officers of municipalities too small for a police of their own serve in the state force.
    state_size = officers - sum(n for _, n in kept)
    result = [AgencySpec(
        f"{tag}-{suffix}", name, AgencyLevel.STATE, code, None, state_size,
        _units(_STATE_UNITS, state_size, 250), POLICE_RANKS, max_rank_for(state_size),
        f"{tag}E")]
    for place, size in kept:
        result.append(AgencySpec(
            f"{tag}-{place.code}-PM", f"Policía Municipal de {place.name}", AgencyLevel.MUNICIPAL,
            code, place.key, size, _units(_MUNICIPAL_UNITS, size, 60), POLICE_RANKS,
            max_rank_for(size), f"M{place.code}"))
    return result
