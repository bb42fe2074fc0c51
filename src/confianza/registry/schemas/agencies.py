"""Request and response bodies of the agency routes; answers are read from the records
(`Agency`, `Unit`, `RosterLine`, `MergeResult`) by field name."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from confianza.core.web.schemas import Input, Output, fields_of
from confianza.registry.rules.agencies import AgencyLevel, Unit
from confianza.registry.rules.officers import RosterLine

STATE_CODE = r"^(0[1-9]|[12][0-9]|3[0-2])$"


class AgencyIn(Input):
    code: str = Field(min_length=2, max_length=40, examples=["JAL-SSP"])
    name: str = Field(min_length=1, max_length=200)
    level: AgencyLevel
    state_code: str | None = Field(None, pattern=STATE_CODE, description="INEGI state, 01-32")
    municipality_key: str | None = Field(None, pattern=r"^[0-9]{5}$")
    parent_code: str | None = Field(None, min_length=2, max_length=40)


class AgencyPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    parent_code: str | None = Field(None, min_length=2, max_length=40)


class MergeIn(Input):
    target_id: int = Field(ge=1, description="The agency that absorbs this one.")
    on: date = Field(description="The day the merger takes effect (not in the future).")


class UnitIn(Input):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    parent_unit_id: int | None = Field(None, ge=1)


class UnitOut(Output):
    # The unit as recorded: the fields of registry.rules.agencies.Unit, declared there.
    __annotations__ = fields_of(Unit)


class AgencyOut(Output):
    id: int
    code: str
    name: str
    level: AgencyLevel
    state_code: str | None
    municipality_key: str | None
    parent_id: int | None
    merged_into_id: int | None
    dissolved_on: date | None
    active: bool


class AgencyDetail(AgencyOut):
    units: list[UnitOut]


class AgencyPage(Output):
    items: list[AgencyOut]
    next_cursor: str | None


class MergeOut(Output):
    source: AgencyOut
    target: AgencyOut
    moved_assignments: int
    units_created: int


class RosterLineOut(Output):
    # One line as the roster gives it: the fields of registry.rules.officers.RosterLine.
    __annotations__ = fields_of(RosterLine)


class RosterOut(Output):
    """A page of a roster: the page's officers, the whole agency's counts by status (current
    staff), how many people are its former staff, and the cursors of the pages either side
    (read from `registry.service.agencies.RosterPage`)."""

    agency: AgencyOut
    counts: dict[str, int]
    total: int
    former: int | None  # counted when former staff are asked for (staff=former or all)
    items: list[RosterLineOut]
    next_cursor: str | None
    previous_cursor: str | None
