"""Agencies and units."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from confianza.core.db.models import AgencyRow, AssignmentRow, UnitRow
from confianza.registry.rules.agencies import Agency, AgencyLevel, Unit


def _agency(row: AgencyRow) -> Agency:
    return Agency(
        id=row.id,
        code=row.code,
        name=row.name,
        level=AgencyLevel(row.level),
        state_code=row.state_code,
        municipality_key=row.municipality_key,
        parent_id=row.parent_id,
        merged_into_id=row.merged_into_id,
        dissolved_on=row.dissolved_on,
    )


def _unit(row: UnitRow) -> Unit:
    return Unit(row.id, row.agency_id, row.code, row.name, row.parent_unit_id)


class AgencyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, agency_id: int) -> Agency | None:
        row = self._session.get(AgencyRow, agency_id)
        return None if row is None else _agency(row)

    def by_code(self, code: str) -> Agency | None:
        row = self._session.scalar(select(AgencyRow).where(AgencyRow.code == code))
        return None if row is None else _agency(row)

    def by_codes(self, codes: set[str]) -> dict[str, Agency]:
        rows = self._session.scalars(select(AgencyRow).where(AgencyRow.code.in_(codes)))
        return {r.code: _agency(r) for r in rows}

    def many(self, ids: set[int]) -> dict[int, Agency]:
        if not ids:
            return {}
        rows = self._session.scalars(select(AgencyRow).where(AgencyRow.id.in_(ids)))
        return {r.id: _agency(r) for r in rows}

    def add(
        self,
        *,
        code: str,
        name: str,
        level: AgencyLevel,
        state_code: str | None,
        municipality_key: str | None,
        parent_id: int | None,
        now: datetime,
    ) -> Agency:
        row = AgencyRow(
            code=code,
            name=name,
            level=level.value,
            state_code=state_code,
            municipality_key=municipality_key,
            parent_id=parent_id,
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _agency(row)

    def update(self, agency_id: int, *, name: str | None = None,
               parent_id: int | None = None) -> Agency:
        """Change an agency's name or parent; a value left out (None) is kept."""
        values = {"name": name, "parent_id": parent_id}
        changes = {column: value for column, value in values.items() if value is not None}
        if changes:
            self._session.execute(
                update(AgencyRow).where(AgencyRow.id == agency_id).values(changes))
        row = self._session.get(AgencyRow, agency_id, populate_existing=True)
        assert row is not None
        return _agency(row)

    def search(
        self,
        *,
        text: str | None = None,
        level: AgencyLevel | None = None,
        state_code: str | None = None,
        parent_id: int | None = None,
        include_dissolved: bool = False,
        only_id: int | None = None,
        after_id: int | None = None,
        limit: int = 50,
    ) -> list[Agency]:
        query = select(AgencyRow).order_by(AgencyRow.id).limit(limit)
        if text:
            pattern = f"%{text.upper()}%"
            query = query.where(
                func.upper(AgencyRow.name).like(pattern) | AgencyRow.code.like(pattern)
            )
        if level is not None:
            query = query.where(AgencyRow.level == level.value)
        if state_code is not None:
            query = query.where(AgencyRow.state_code == state_code)
        if parent_id is not None:
            query = query.where(AgencyRow.parent_id == parent_id)
        if not include_dissolved:
            query = query.where(AgencyRow.dissolved_on.is_(None))
        if only_id is not None:
            query = query.where(AgencyRow.id == only_id)
        if after_id is not None:
            query = query.where(AgencyRow.id > after_id)
        return [_agency(r) for r in self._session.scalars(query)]

    def count_active(self) -> tuple[int, int]:
        """How many agencies exist, and how many of them are still active (not dissolved)."""
        total, active = self._session.execute(
            select(func.count(), func.sum(case((AgencyRow.dissolved_on.is_(None), 1), else_=0)))
            .select_from(AgencyRow)
        ).one()
        return int(total or 0), int(active or 0)

    def count_open_assignments(self, agency_id: int) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(AssignmentRow)
                .where(AssignmentRow.agency_id == agency_id, AssignmentRow.end_date.is_(None))
            )
            or 0
        )

    # Units -------------------------------------------------------------------------------

    def unit(self, unit_id: int) -> Unit | None:
        row = self._session.get(UnitRow, unit_id)
        return None if row is None else _unit(row)

    def units(self, ids: set[int]) -> dict[int, Unit]:
        """Several units by id, in one query (a profile names the unit of every posting)."""
        if not ids:
            return {}
        rows = self._session.scalars(select(UnitRow).where(UnitRow.id.in_(ids)))
        return {r.id: _unit(r) for r in rows}

    def units_of(self, agency_id: int) -> list[Unit]:
        rows = self._session.scalars(
            select(UnitRow).where(UnitRow.agency_id == agency_id).order_by(UnitRow.code)
        )
        return [_unit(r) for r in rows]

    def unit_by_code(self, agency_id: int, code: str) -> Unit | None:
        row = self._session.scalar(
            select(UnitRow).where(UnitRow.agency_id == agency_id, UnitRow.code == code)
        )
        return None if row is None else _unit(row)

    def add_unit(
        self, agency_id: int, code: str, name: str, parent_unit_id: int | None
    ) -> Unit:
        row = UnitRow(agency_id=agency_id, code=code, name=name, parent_unit_id=parent_unit_id)
        self._session.add(row)
        self._session.flush()
        return _unit(row)

    def dissolve(self, agency_id: int, merged_into_id: int, on: date) -> None:
        self._session.execute(
            update(AgencyRow)
            .where(AgencyRow.id == agency_id)
            .values(merged_into_id=merged_into_id, dissolved_on=on)
        )
