"""`confianza demo`: build a synthetic registry to try the system with (development only)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings, get_settings
from confianza.core.db import migrate
from confianza.core.errors import USER_ERRORS
from confianza.demo.rules.force import Scale
from confianza.demo.service import (
    GenerationReport,
    apply_second_edition,
    generate,
    plant_duplicates,
    registry_is_empty,
)

_ALLOWED = (Environment.DEVELOPMENT, Environment.TEST)


def demo_command(
    scale: Scale = typer.Option(Scale.DEMO, "--scale", help="demo (~12,000 officers, seconds) "
                                "or national (~400,000 officers); tiny is for tests."),
    seed: int = typer.Option(2018, "--seed", help="The same seed builds the same registry."),
    replace: bool = typer.Option(False, "--replace", help="Delete a non-empty SQLite registry "
                                 "and build the demo in its place."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask before --replace deletes data."),
) -> None:
    """Build a synthetic national force, with demo accounts, in an empty registry."""
    console = Console(stderr=True)
    settings = get_settings()
    if settings.environment not in _ALLOWED:
        _fail(console, f"confianza demo writes made-up officers and prints passwords: it runs only "
              f"with CONFIANZA_ENVIRONMENT=development or test (this is {settings.environment}).")
    container = build(settings)
    try:
        migrate.upgrade(container.engine)
        if not registry_is_empty(container.uow()):
            container = _replace(container, settings, console, replace=replace, yes=yes)
        started = time.perf_counter()
        report = _generate(container, scale, seed, console)
        elapsed = time.perf_counter() - started
        duplicates = None
        if scale is not Scale.NATIONAL:
            # A handful of people written down twice, and the matcher run over the registry:
            # /identities has pairs for the registry clerk (seconds; at national scale the
            # within-registry run takes minutes, so it is left to `identities match`).
            started = time.perf_counter()
            duplicates = plant_duplicates(container.uow(), system_actor("demo"), seed=seed)
            matching = time.perf_counter() - started
        # A second edition of a state police's roster: the refresh's queues have content.
        second = apply_second_edition(container.uow(), system_actor("demo"))
    except USER_ERRORS as exc:
        _fail(console, str(exc))
    finally:
        container.dispose()
    _summary(report, elapsed)
    if second is not None:
        pending = sum(1 for r in second.diff if r.field == "pending_separation")
        Console().print(
            f"Second edition of a roster applied ({second.file}): "
            f"{second.kinds.get('changed', 0)} changed, {second.kinds.get('separated', 0)} "
            f"separated of which {pending} wait for HR (/pending-separations), "
            f"{second.kinds.get('conflict', 0)} in the review queue (/roster-conflicts)",
            markup=False, highlight=False, soft_wrap=True)
    if duplicates is not None:
        Console().print(
            f"Identities: {len(duplicates.planted)} people written down twice (officers "
            f"{', '.join(map(str, duplicates.planted))}); the matcher proposed "
            f"{duplicates.proposed} pairs for the registry clerk at /identities "
            f"({matching:.1f} s).", highlight=False, soft_wrap=True)


def _replace(
    container: Container, settings: Settings, console: Console, *, replace: bool, yes: bool
) -> Container:
    """Delete a SQLite registry so the demo can be built in its place; refuse anything else."""
    if not replace:
        _fail(console, "the registry is not empty; run with --replace to delete it (SQLite only) "
              "or point CONFIANZA_DATABASE_URL at an empty database.")
    path = _sqlite_path(settings.database_url)
    if container.uow().dialect != "sqlite" or path is None:
        _fail(console, "--replace only deletes SQLite files; for PostgreSQL, drop and recreate "
              "the database yourself, then run confianza demo again.")
    if not yes:
        if not sys.stdin.isatty():
            _fail(console, f"--replace would delete {path}; add --yes to confirm (no terminal "
                  "to ask on).")
        if not typer.confirm(f"Delete {path} and everything in it?", default=False):
            _fail(console, "nothing was changed.")
    container.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    fresh = build(settings)
    migrate.upgrade(fresh.engine)
    return fresh


def _sqlite_path(url: str) -> Path | None:
    # sqlite:///relative.db or sqlite:////absolute.db; an in-memory database has no file.
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url[len(prefix):] in ("", ":memory:"):
        return None
    return Path(url[len(prefix):].split("?", 1)[0])


def _generate(container: Container, scale: Scale, seed: int, console: Console) -> GenerationReport:
    uow, actor = container.uow(), system_actor("demo")
    if not console.is_terminal:
        return generate(uow, actor, scale=scale, seed=seed, issuer=container.issuer,
                        with_demo_users=True)
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("officers", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        return generate(uow, actor, scale=scale, seed=seed, issuer=container.issuer,
                        progress=progress, with_demo_users=True)


def _summary(report: GenerationReport, elapsed: float) -> None:
    console = Console()
    if not console.is_terminal:
        # Piped output is read by people and scripts alike: never cut a password short.
        console = Console(width=160)
    table = Table(title=f"Synthetic registry ({report.scale.value}, seed {report.seed})")
    table.add_column("rows")
    table.add_column("count", justify="right")
    for name, count in report.counts.items():
        table.add_row(name.replace("officer_", ""), f"{count:,}")
    table.add_row("elapsed", f"{elapsed:.1f} s")
    console.print(table)
    accounts = Table(title="Demo accounts (development only: passwords are shown once)")
    for column in ("username", "role", "scope", "password"):
        accounts.add_column(column, no_wrap=True, overflow="fold")
    for account in report.accounts:
        accounts.add_row(account.username, account.role.value, account.scope, account.password)
    console.print(accounts)


def _fail(console: Console, message: str) -> NoReturn:
    console.print(f"confianza demo: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)
