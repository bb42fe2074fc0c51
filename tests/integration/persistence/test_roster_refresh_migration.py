"""Migration 0013 goes down and up again on both databases, leaving no drift."""

from __future__ import annotations

from migration_support import move
from sqlalchemy import inspect

from confianza.app.bootstrap import Container
from confianza.core.db import migrate

TABLES = {"roster_separations", "roster_conflicts"}


def test_downgrade_removes_the_tables_and_upgrade_restores_them(container: Container) -> None:
    assert set(inspect(container.engine).get_table_names()) >= TABLES
    move(container.engine, "0012", down=True)
    assert not TABLES & set(inspect(container.engine).get_table_names())
    migrate.upgrade(container.engine)
    assert set(inspect(container.engine).get_table_names()) >= TABLES
    assert migrate.drift(container.engine) == []
