"""The bulk writer's deferred indexes: built again exactly as migrated, and still enforced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.core.db import migrate
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate

_TABLES = ("evaluations", "evaluation_exams", "cup_components", "cup_certificates")


def _indexes(container: Container) -> list[tuple[str, str, str]]:
    """Every index of the trust-control tables with the statement that defines it."""
    if container.engine.dialect.name == "postgresql":
        query = ("SELECT tablename, indexname, indexdef FROM pg_indexes "
                 "WHERE schemaname = current_schema() ORDER BY 1, 2")
    else:
        query = ("SELECT tbl_name, name, COALESCE(sql, '') FROM sqlite_master "
                 "WHERE type = 'index' ORDER BY 1, 2")
    with container.engine.connect() as connection:
        return [(str(t), str(n), str(s)) for t, n, s in connection.execute(text(query))]


def test_a_build_leaves_the_indexes_the_migrations_made(
    container: Container, operator: Actor
) -> None:
    before = _indexes(container)
    assert {"ix_evaluation_exams_examiner", "uq_evaluations_one_open"} <= {i[1] for i in before}
    generate(container.uow(), operator, issuer=container.issuer, scale=Scale.TINY, seed=3)
    assert _indexes(container) == before
    assert migrate.drift(container.engine) == []


def test_a_deferred_unique_index_still_refuses_duplicates(container: Container) -> None:
    uow = container.uow()
    with pytest.raises(IntegrityError, match="(?i)unique"), uow.transaction() as tx:
        writer = tx.bulk_writer()
        writer.defer_indexes(list(_TABLES))
        now = datetime(2026, 11, 20, 15, tzinfo=UTC)
        writer.insert("agencies", ("id", "code", "name", "level", "state_code",
                                   "municipality_key", "parent_id", "merged_into_id",
                                   "dissolved_on", "created_at"),
                      [(1, "GN", "Guardia Nacional", "federal", None, None, None, None, None,
                        now)])
        writer.insert("officers", ("id", "curp", "given_names", "first_surname",
                                   "second_surname", "search_name", "birth_date", "birth_year",
                                   "sex", "status", "created_at", "updated_at"),
                      [(1, None, "Ana", "Pérez", None, "PEREZ ANA", None, None, None, "active",
                        now, now)])
        # Two evaluations open for one officer: uq_evaluations_one_open, built at finish.
        writer.insert("evaluations", (
            "id", "officer_id", "agency_id", "kind", "rank", "rank_level", "sensitive_access",
            "reason", "status", "centre_id", "requested_by", "requested_at", "recommendation",
            "integration", "verdict", "decided_by", "decided_on", "grounds", "confirmed_by",
            "confirmed_on", "valid_until", "closed_at"), [
            (i, 1, 1, "permanence", "Policía", "basic", False, None, "requested", None, "rh",
             now, None, None, None, None, None, None, None, None, None, None) for i in (1, 2)])
        writer.finish(["agencies", "officers", "evaluations"])
    # The failed transaction took its DROP INDEX with it.
    assert "uq_evaluations_one_open" in {i[1] for i in _indexes(container)}
