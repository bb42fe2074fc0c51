"""A model's factors in words, in Spanish and English ("4 complaints of excessive force in
12 months").

A score is kept with its words in both languages, written when the score is made: the page
shows the one its reader asked for, and a score read years later still says what the model
said that day even if these tables have changed since (ADR 0034). A feature missing here
falls back to its name, so a new feature is never unexplained, only plainly named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from confianza.risk.rules.model import Factor

#: The windows in words, (Spanish, English).
_WINDOWS = {"90d": ("90 días", "90 days"), "1y": ("12 meses", "12 months"),
            "2y": ("2 años", "2 years"), "5y": ("5 años", "5 years")}

#: What each windowed count counts: (Spanish singular, plural, English singular, plural);
#: the window is added after it.
_COUNTED = {
    "complaints": ("queja", "quejas", "complaint", "complaints"),
    "civilian": ("queja ciudadana", "quejas ciudadanas", "civilian complaint",
                 "civilian complaints"),
    "departmental": ("queja interna", "quejas internas", "departmental complaint",
                     "departmental complaints"),
    "force": ("queja por uso excesivo de la fuerza", "quejas por uso excesivo de la fuerza",
              "complaint of excessive force", "complaints of excessive force"),
    "authority": ("queja por abuso de autoridad", "quejas por abuso de autoridad",
                  "complaint of abuse of authority", "complaints of abuse of authority"),
    "other_category": ("queja de otra categoría", "quejas de otras categorías",
                       "complaint of another category", "complaints of other categories"),
    "sustained": ("queja resuelta como fundada", "quejas resueltas como fundadas",
                  "sustained complaint", "sustained complaints"),
    "not_sustained": ("queja no acreditada", "quejas no acreditadas",
                      "complaint not sustained", "complaints not sustained"),
    "cleared": ("queja desestimada", "quejas desestimadas", "cleared complaint",
                "cleared complaints"),
    "pending": ("queja en trámite", "quejas en trámite", "pending complaint",
                "pending complaints"),
}

#: The rest: (Spanish, English) with {n} for the value.
_SINGLE = {
    "complaints_career": ("{n} quejas en su carrera", "{n} complaints in their career"),
    "sustained_career": ("{n} quejas fundadas en su carrera",
                         "{n} sustained complaints in their career"),
    "partners": ("coacusado con {n} elementos", "co-accused with {n} officers"),
    "repeat_partners": ("coacusado más de una vez con {n} elementos",
                        "co-accused more than once with {n} officers"),
    "partners_sustained": ("coacusado con {n} elementos con una queja fundada",
                           "co-accused with {n} officers with a sustained complaint"),
    "transfers_1y": ("{n} cambios de adscripción en 12 meses", "{n} transfers in 12 months"),
    "transfers_5y": ("{n} cambios de adscripción en 5 años", "{n} transfers in 5 years"),
    "units_5y": ("{n} unidades en 5 años", "{n} units in 5 years"),
    "days_in_unit": ("{n} días en su unidad actual", "{n} days in the current unit"),
    "tenure_years": ("{n} años de servicio", "{n} years of service"),
    "age": ("{n} años de edad", "{n} years of age"),
    "rank_level": ("nivel de grado {n}", "rank level {n}"),
    "salary": ("salario anual de {n}", "yearly salary of {n}"),
    "salary_change": ("cambio de salario de {n}", "salary change of {n}"),
    "trust_control_days": ("último resultado de control de confianza hace {n} días",
                           "last trust-control result {n} days ago"),
    "trust_control_not_approved": ("{n} evaluaciones de control de confianza no aprobadas",
                                   "{n} trust-control evaluations not approved"),
}


#: The same with a value of one, where the words change ("1 cambio", "1 transfer").
_SINGLE_ONE = {
    "complaints_career": ("1 queja en su carrera", "1 complaint in their career"),
    "sustained_career": ("1 queja fundada en su carrera", "1 sustained complaint in their career"),
    "partners": ("coacusado con 1 elemento", "co-accused with 1 officer"),
    "repeat_partners": ("coacusado más de una vez con 1 elemento",
                        "co-accused more than once with 1 officer"),
    "partners_sustained": ("coacusado con 1 elemento con una queja fundada",
                           "co-accused with 1 officer with a sustained complaint"),
    "transfers_1y": ("1 cambio de adscripción en 12 meses", "1 transfer in 12 months"),
    "transfers_5y": ("1 cambio de adscripción en 5 años", "1 transfer in 5 years"),
    "units_5y": ("1 unidad en 5 años", "1 unit in 5 years"),
    "days_in_unit": ("1 día en su unidad actual", "1 day in the current unit"),
    "tenure_years": ("1 año de servicio", "1 year of service"),
    "age": ("1 año de edad", "1 year of age"),
    "trust_control_days": ("último resultado de control de confianza hace 1 día",
                           "last trust-control result 1 day ago"),
    "trust_control_not_approved": ("1 evaluación de control de confianza no aprobada",
                                   "1 trust-control evaluation not approved"),
}


@dataclass(frozen=True)
class Worded:
    feature: str
    value: float
    effect: float
    es: str
    en: str


def _number(value: float) -> str:
    if math.isnan(value):
        return "?"
    return str(int(round(value))) if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def words(feature: str, value: float) -> tuple[str, str]:
    """The feature and its value in Spanish and in English."""
    what, _, window = feature.rpartition("_")
    n = _number(value)
    if window in _WINDOWS and what in _COUNTED:
        es_one, es_many, en_one, en_many = _COUNTED[what]
        one = n == "1"
        es_window, en_window = _WINDOWS[window]
        return (f"{n} {es_one if one else es_many} en {es_window}",
                f"{n} {en_one if one else en_many} in {en_window}")
    if n == "1" and feature in _SINGLE_ONE:
        return _SINGLE_ONE[feature]
    if feature in _SINGLE:
        es, en = _SINGLE[feature]
        return es.format(n=n), en.format(n=n)
    return f"{feature} = {n}", f"{feature} = {n}"


def worded(factors: list[Factor]) -> list[Worded]:
    return [Worded(f.feature, f.value, f.effect, *words(f.feature, f.value)) for f in factors]
