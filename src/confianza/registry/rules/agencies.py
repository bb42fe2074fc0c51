"""Agencies (corporaciones) and their units: the three levels of Mexican policing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from confianza.core.errors import ErrorCollector


class AgencyLevel(StrEnum):
    FEDERAL = "federal"
    STATE = "state"
    MUNICIPAL = "municipal"
    # A force outside the Mexican system whose roster is held for comparison or training (the
    # Chicago roster used to prove the import): no INEGI codes, never a parent of a Mexican one.
    FOREIGN = "foreign"


AGENCY_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{1,39}$")
STATE_CODE = re.compile(r"^(0[1-9]|[12][0-9]|3[0-2])$")
MUNICIPALITY_KEY = re.compile(r"^(0[1-9]|[12][0-9]|3[0-2])[0-9]{3}$")


@dataclass(frozen=True)
class Agency:
    id: int
    code: str
    name: str
    level: AgencyLevel
    state_code: str | None
    municipality_key: str | None
    parent_id: int | None
    merged_into_id: int | None = None
    dissolved_on: date | None = None

    @property
    def active(self) -> bool:
        return self.dissolved_on is None


@dataclass(frozen=True)
class NewAgency:
    """An agency to create: typed in a form, sent to the API, or listed in a set-up file."""

    code: str
    name: str
    level: AgencyLevel
    state_code: str | None = None
    municipality_key: str | None = None
    parent_code: str | None = None


@dataclass(frozen=True)
class Unit:
    id: int
    agency_id: int
    code: str
    name: str
    parent_unit_id: int | None = None


def check_agency(
    code: str,
    name: str,
    level: AgencyLevel,
    state_code: str | None,
    municipality_key: str | None,
    errors: ErrorCollector,
) -> None:
    """Add to `errors` what is wrong with an agency's defining fields."""
    if not AGENCY_CODE.match(code):
        errors.add("code", "must be 2-40 upper-case letters, digits, '.', '_' or '-'")
    if not name.strip():
        errors.add("name", "is required")
    elif len(name) > 200:
        errors.add("name", "is longer than 200 characters")
    if level in (AgencyLevel.FEDERAL, AgencyLevel.FOREIGN):
        if state_code or municipality_key:
            errors.add("state_code", f"a {level} agency has no state or municipality")
    elif state_code is None or not STATE_CODE.match(state_code):
        errors.add("state_code", "must be an INEGI state code from 01 to 32")
    if level is AgencyLevel.MUNICIPAL:
        if municipality_key is None or not MUNICIPALITY_KEY.match(municipality_key):
            errors.add("municipality_key", "must be a 5-digit INEGI municipality key")
        elif state_code and not municipality_key.startswith(state_code):
            errors.add("municipality_key", f"does not belong to state {state_code}")
    elif municipality_key:
        errors.add("municipality_key", "only a municipal agency has a municipality")


def check_parent(level: AgencyLevel, parent: Agency | None, errors: ErrorCollector) -> None:
    """A parent is at the same or a higher level; a dissolved agency takes no children."""
    if parent is None:
        return
    if (parent.level is AgencyLevel.FOREIGN) != (level is AgencyLevel.FOREIGN):
        errors.add("parent_id", "a foreign agency and a Mexican one cannot be parent and child")
        return
    order = [AgencyLevel.FEDERAL, AgencyLevel.STATE, AgencyLevel.MUNICIPAL, AgencyLevel.FOREIGN]
    if order.index(parent.level) > order.index(level):
        errors.add("parent_id", f"a {level} agency cannot sit under a {parent.level} one")
    if not parent.active:
        errors.add("parent_id", f"agency {parent.code} was dissolved on {parent.dissolved_on}")
