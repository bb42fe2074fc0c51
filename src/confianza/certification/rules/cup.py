"""The single police certificate (Certificado Único Policial, CUP) and its four components.

The CUP certifies that an officer passed trust control, holds the basic skills, was evaluated
on performance and completed initial training. It is valid only while every component is: its
end date is the earliest of theirs. Initial training does not expire but must reach the hours
of the national training programme (972 hours for the initial training of preventive police).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from confianza.certification.rules.decisions import add_months
from confianza.core.errors import ErrorCollector


class CupComponent(StrEnum):
    TRUST_CONTROL = "trust_control"  # evaluación de control de confianza
    SKILLS = "skills"  # evaluación de competencias básicas de la función
    PERFORMANCE = "performance"  # evaluación del desempeño
    INITIAL_TRAINING = "initial_training"  # formación inicial


INITIAL_TRAINING_HOURS = 972


@dataclass(frozen=True)
class ComponentRecord:
    component: CupComponent
    completed_on: date
    valid_until: date | None  # None: does not expire


@dataclass(frozen=True)
class CupPolicy:
    """How long the components recorded by agencies last (trust control's validity comes from
    its decision) and how many hours initial training needs."""

    skills_years: int = 3
    performance_years: int = 3
    training_hours: int = INITIAL_TRAINING_HOURS

    def valid_until(self, component: CupComponent, completed_on: date) -> date | None:
        if component is CupComponent.SKILLS:
            return add_months(completed_on, 12 * self.skills_years)
        if component is CupComponent.PERFORMANCE:
            return add_months(completed_on, 12 * self.performance_years)
        if component is CupComponent.INITIAL_TRAINING:
            return None
        raise ValueError("trust control's validity is set by its certification decision")

    def check_component(
        self, component: CupComponent, completed_on: date, today: date, hours: int | None,
        score: int | None,
    ) -> None:
        errors = ErrorCollector()
        if component is CupComponent.TRUST_CONTROL:
            errors.add("component", "trust control is recorded by its certification decision, "
                       "not by hand")
        if completed_on > today:
            errors.add("completed_on", f"{completed_on.isoformat()} is in the future")
        if component is CupComponent.INITIAL_TRAINING:
            if hours is None or hours < self.training_hours:
                errors.add("hours", f"initial training needs at least {self.training_hours} "
                           "hours")
        elif hours is not None:
            errors.add("hours", "only initial training records hours")
        if score is not None and not 0 <= score <= 100:
            errors.add("score", "must be between 0 and 100")
        errors.raise_if_any()


def certificate_until(current: Mapping[CupComponent, ComponentRecord], today: date) -> date | None:
    """The end date of a certificate made of these components, or None when one is missing or
    no longer valid today. A certificate needs an end date: if every component were open-ended
    (impossible: trust control always ends) this would be a bug, so it raises."""
    ends: list[date] = []
    for component in CupComponent:
        record = current.get(component)
        if record is None:
            return None
        if record.valid_until is not None:
            if record.valid_until < today:
                return None
            ends.append(record.valid_until)
    if not ends:
        raise ValueError("a certificate needs at least one component that expires")
    return min(ends)


def certificate_number(officer_id: int, issued_on: date, serial: int) -> str:
    """A number people can read out: CUP-<year>-<officer>-<serial>."""
    return f"CUP-{issued_on.year}-{officer_id:07d}-{serial:02d}"
