"""The bulk writer and the schema agree by name: rows name their columns, the tables say which.

The writer keeps no column list of its own; it checks the names each batch gives against the
tables in core/db/models.py. These tests fail if a loader's columns and a table drift apart (a
column renamed, added or dropped on one side only), and show that a row that does not fit is
refused before anything is written, naming the table and the column.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from confianza.app.bootstrap import Container
from confianza.core.db.bulk import RowShapeError, row_shape
from confianza.core.db.models import Base
from confianza.demo.rules.careers import AGENCY_COLUMNS, CAREER_COLUMNS, STATUS_COLUMNS
from confianza.demo.rules.evaluations import TRUST_COLUMNS
from confianza.demo.rules.trust import STAFF_COLUMNS

LOADS = (*AGENCY_COLUMNS, *CAREER_COLUMNS, STATUS_COLUMNS, *STAFF_COLUMNS, *TRUST_COLUMNS)
UNIT = ("id", "agency_id", "code", "name", "parent_unit_id")
NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)


@pytest.mark.parametrize(("table", "columns"), LOADS, ids=[t for t, _ in LOADS])
def test_every_column_the_demo_generator_writes_is_a_column_of_its_table(
    table: str, columns: tuple[str, ...]
) -> None:
    shape = row_shape(table, columns)
    schema = Base.metadata.tables[table]
    generated = schema.autoincrement_column
    # Every column is written, but a key the database could number and the trail's place in the
    # log, which the integrator gives: nothing is left to chance.
    left_out = {c.name for c in schema.columns} - set(columns)
    later = {"seq"} if table == "audit_entries" else set()
    assert left_out <= ({generated.name} if generated is not None else set()) | later
    assert shape.columns == columns


def test_the_generator_loads_each_table_once() -> None:
    tables = [table for table, _ in LOADS]
    assert len(tables) == len(set(tables))


def test_dates_and_instants_are_found_from_the_column_types() -> None:
    columns = CAREER_COLUMNS[0][1]
    shape = row_shape("officers", columns)
    assert {columns[i] for i in shape.temporal} == {"birth_date", "created_at", "updated_at"}


@pytest.mark.parametrize(("table", "columns", "message"), [
    ("officer", UNIT, "the schema has no table 'officer'"),
    ("units", (*UNIT, "blood_type"), "table units has no column 'blood_type'"),
    ("units", UNIT[:-1], "rows for table units leave out column 'parent_unit_id'"),
    ("units", UNIT[2:], "rows for table units leave out column 'agency_id'$"),
    ("units", (*UNIT, "code"), "rows for table units name column 'code' twice"),
    ("audit_entries", ("seq", "at", "actor", "actor_kind", "action", "resource_type",
                       "resource_id", "purpose", "request_id", "detail"),
     "rows for table audit_entries must leave out column 'seq': the log's integrator gives it"),
])
def test_a_batch_that_does_not_fit_its_table_is_refused_by_name(
    table: str, columns: tuple[str, ...], message: str
) -> None:
    with pytest.raises(RowShapeError, match=message):
        row_shape(table, columns)


def test_every_missing_column_is_named() -> None:
    with pytest.raises(RowShapeError, match="leave out columns 'code', 'name'$"):
        row_shape("units", ("id", "agency_id", "parent_unit_id"))


def test_the_database_numbered_key_may_be_left_to_the_database() -> None:
    assert row_shape("units", UNIT[1:]).columns == UNIT[1:]


def _units(container: Container) -> int:
    with container.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM units")).scalar_one())


def _agency(container: Container) -> int:
    with container.uow().transaction() as tx:
        writer = tx.bulk_writer()
        writer.insert("agencies", AGENCY_COLUMNS[0][1], [
            (1, "JAL-SSP", "Seguridad de Jalisco", "state", "14", None, None, None, None, NOW)])
    return 1


def test_rows_are_written_under_the_columns_they_name_in_any_order(
    container: Container
) -> None:
    agency = _agency(container)
    with container.uow().transaction() as tx:
        tx.bulk_writer().insert("units", ("name", "parent_unit_id", "code", "agency_id", "id"),
                                [("Centro", None, "U1", agency, 7)])
    with container.uow().transaction() as tx:
        unit = tx.agencies.unit(7)
    assert unit is not None
    assert (unit.agency_id, unit.code, unit.name) == (agency, "U1", "Centro")


def test_a_row_of_the_wrong_width_is_refused_and_nothing_is_written(
    container: Container
) -> None:
    agency = _agency(container)
    rows = [(1, agency, "U1", "Centro", None), (2, agency, "U2", "Norte")]
    with pytest.raises(RowShapeError, match=r"row 1 for table units has 4 values for 5 columns"
                       ), container.uow().transaction() as tx:
        tx.bulk_writer().insert("units", UNIT, rows)
    assert _units(container) == 0


def test_dates_given_as_values_are_stored_as_the_column_type_reads_them(
    container: Container
) -> None:
    with container.uow().transaction() as tx:
        tx.bulk_writer().insert("agencies", AGENCY_COLUMNS[0][1], [
            (3, "PF", "Policía Federal", "federal", None, None, None, None, date(2019, 6, 30),
             NOW)])
    with container.uow().transaction() as tx:
        agency = tx.agencies.get(3)
    assert agency is not None and agency.dissolved_on == date(2019, 6, 30)
