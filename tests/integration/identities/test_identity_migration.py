"""Migration 0011 goes down and up again on both databases, leaving no drift."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from confianza.app.bootstrap import Container
from confianza.core.db import migrate

TABLES = {"identity_candidates", "officer_merges"}


def _downgrade(container: Container, revision: str) -> None:
    """As `alembic downgrade` runs it (the product offers no downgrade command)."""
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    with container.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_downgrade_removes_the_tables_and_upgrade_restores_them(container: Container) -> None:
    assert set(inspect(container.engine).get_table_names()) >= TABLES
    _downgrade(container, "0009")
    assert not TABLES & set(inspect(container.engine).get_table_names())
    migrate.upgrade(container.engine)
    assert set(inspect(container.engine).get_table_names()) >= TABLES
    assert migrate.drift(container.engine) == []
