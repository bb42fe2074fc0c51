"""The schema comes from the migrations, and the migrations agree with the models."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from confianza.app.bootstrap import Container
from confianza.core.db import migrate


def test_migrated_schema_matches_the_models(container: Container) -> None:
    assert migrate.current_revision(container.engine) == migrate.head_revision()
    assert migrate.drift(container.engine) == []


def test_database_refuses_two_open_assignments(
    container: Container, agencies: dict[str, int]
) -> None:
    """The last line of defence holds even against SQL that bypasses the services."""
    with container.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO officers (id, given_names, first_surname, search_name, status, "
            "created_at, updated_at) VALUES (1, 'A', 'B', 'B A', 'active', :t, :t)"
        ), {"t": "2026-01-01 00:00:00"})
    insert = text(
        "INSERT INTO assignments (officer_id, agency_id, rank, start_date, start_reason) "
        "VALUES (1, :agency, 'Policía', :start, 'appointment')"
    )
    with container.engine.begin() as connection:
        connection.execute(insert, {"agency": agencies["GN"], "start": date(2020, 1, 1)})
    with pytest.raises(IntegrityError), container.engine.begin() as connection:
        connection.execute(insert, {"agency": agencies["NL-FC"], "start": date(2021, 1, 1)})


def test_database_refuses_an_unknown_status(container: Container) -> None:
    with pytest.raises(IntegrityError), container.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO officers (given_names, first_surname, search_name, status, "
            "created_at, updated_at) VALUES ('A', 'B', 'B A', 'bribed', :t, :t)"
        ), {"t": "2026-01-01 00:00:00"})
