"""`confianza db`: the schema, created and upgraded by the migrations."""

from __future__ import annotations

import typer

from confianza.app.cli import container, err, out
from confianza.core.db import migrate

app = typer.Typer(help="Create and upgrade the database schema.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Apply every pending migration (creates the schema on an empty database)."""
    built = container(check_schema=False)
    try:
        migrate.upgrade(built.engine)
        out.print(f"database at revision {migrate.current_revision(built.engine)}")
    finally:
        built.dispose()


@app.command()
def current() -> None:
    """Show the database's revision and the newest one this version knows."""
    built = container(check_schema=False)
    try:
        revision = migrate.current_revision(built.engine)
        out.print(f"current: {revision or 'none (empty database)'}")
        out.print(f"head: {migrate.head_revision()}")
    finally:
        built.dispose()


@app.command()
def check() -> None:
    """Fail (exit 1) when the database is behind or differs from the models."""
    built = container(check_schema=False)
    try:
        revision, head = migrate.current_revision(built.engine), migrate.head_revision()
        if revision != head:
            err.print(f"error: the database is at {revision or 'no revision'}, not {head}: "
                      "run `confianza db upgrade`")
            raise typer.Exit(1)
        differences = migrate.drift(built.engine)
        for difference in differences:
            err.print(f"drift: {difference}")
        if differences:
            err.print(f"error: {len(differences)} differences between models and schema")
            raise typer.Exit(1)
        out.print(f"ok: revision {revision}, no drift")
    finally:
        built.dispose()
