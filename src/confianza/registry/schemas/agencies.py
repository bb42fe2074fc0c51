"""Request and response bodies of the agency routes."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from confianza.core.web.schemas import Input, Output
from confianza.registry.rules.agencies import Agency, AgencyLevel, Unit
from confianza.registry.rules.officers import RosterLine
from confianza.registry.service.agencies import MergeResult

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
    id: int
    agency_id: int
    code: str
    name: str
    parent_unit_id: int | None

    @classmethod
    def of(cls, unit: Unit) -> UnitOut:
        return cls(id=unit.id, agency_id=unit.agency_id, code=unit.code, name=unit.name,
                   parent_unit_id=unit.parent_unit_id)


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

    @classmethod
    def of(cls, agency: Agency) -> AgencyOut:
        return cls(
            id=agency.id, code=agency.code, name=agency.name, level=agency.level,
            state_code=agency.state_code, municipality_key=agency.municipality_key,
            parent_id=agency.parent_id, merged_into_id=agency.merged_into_id,
            dissolved_on=agency.dissolved_on, active=agency.active,
        )


class AgencyDetail(AgencyOut):
    units: list[UnitOut]

    @classmethod
    def with_units(cls, agency: Agency, units: list[Unit]) -> AgencyDetail:
        base = AgencyOut.of(agency).model_dump()
        return cls(**base, units=[UnitOut.of(u) for u in units])


class AgencyPage(Output):
    items: list[AgencyOut]
    next_cursor: str | None


class MergeOut(Output):
    source: AgencyOut
    target: AgencyOut
    moved_assignments: int
    units_created: int

    @classmethod
    def of(cls, result: MergeResult) -> MergeOut:
        return cls(source=AgencyOut.of(result.source), target=AgencyOut.of(result.target),
                   moved_assignments=result.moved_assignments,
                   units_created=result.units_created)


class RosterLineOut(Output):
    officer_id: int
    curp: str | None
    name: str
    status: str
    rank: str
    unit_code: str | None
    unit_name: str | None
    since: date

    @classmethod
    def of(cls, line: RosterLine) -> RosterLineOut:
        return cls(officer_id=line.officer_id, curp=line.curp, name=line.name,
                   status=line.status, rank=line.rank, unit_code=line.unit_code,
                   unit_name=line.unit_name, since=line.since)


class RosterOut(Output):
    agency: AgencyOut
    items: list[RosterLineOut]
