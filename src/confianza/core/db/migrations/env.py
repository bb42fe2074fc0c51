"""Alembic environment: runs migrations on the connection that `persistence.migrate` gives."""

from __future__ import annotations

from alembic import context

from confianza.core.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through `confianza db upgrade`
    raise RuntimeError("run migrations through `confianza db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
