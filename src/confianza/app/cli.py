"""What every command shares: the container, the acting operator, errors, progress bars."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from confianza.accounts.rules.permissions import Actor, system_actor
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Settings
from confianza.core.civil_time import local, zone_named
from confianza.core.db import migrate
from confianza.core.errors import Conflict

#: Results go to stdout (so they can be piped); messages and progress go to stderr.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class UsageProblem(Exception):
    """The command was called wrongly (exit status 2), as opposed to bad input (status 1)."""


def container(*, check_schema: bool = True) -> Container:
    """A fresh container from the CONFIANZA_* environment (read now, never cached), over a
    database whose schema is the one this code expects (unless `check_schema` is False: the
    `db` commands are how a schema gets there)."""
    settings = Settings()
    if check_schema:
        require_database_file(settings.database_url)
    built = build(settings)
    if not check_schema:
        return built
    try:
        require_current_schema(built)
    except BaseException:
        built.dispose()
        raise
    return built


def on_local_clock(moment: datetime) -> datetime:
    """An instant as the deployment's clocks show it (CONFIANZA_TIME_ZONE): what the console
    prints, like the pages."""
    return local(moment, zone_named(Settings().time_zone))


def require_database_file(url: str) -> None:
    """Refuse a SQLite file that is not there, before anything opens it: opening would leave
    an empty database at a mistyped path, and the user would be told to give it a schema."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # not a URL at all: building the container says so
    database = parsed.database
    if (parsed.get_backend_name() != "sqlite" or not database or database == ":memory:"
            or database.startswith("file:")):
        return
    if not Path(database).exists():
        raise Conflict(f"there is no database at {database} (CONFIANZA_DATABASE_URL): check "
                       "the path, or create one there with `confianza db upgrade`")


def require_current_schema(built: Container) -> None:
    """Refuse, with the command that fixes it, a database the migrations have not brought to
    this code's revision: 'no such table' is no message for a user."""
    current, head = migrate.current_revision(built.engine), migrate.head_revision()
    if current == head:
        return
    where = built.engine.url.render_as_string(hide_password=True)
    if current is None:
        raise Conflict(f"the database {where} has no schema yet: run `confianza db upgrade`")
    raise Conflict(
        f"the database {where} is at schema revision {current}, this version needs {head}: "
        "run `confianza db upgrade`"
    )


def operator() -> Actor:
    """The CLI acts as the operator at the server's console, under their OS account name."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "operator"
    return system_actor(name[:64] or "operator")


@contextmanager
def progress_bars(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback drawing Rich bars on stderr, or None when stderr is no terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    columns = (TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bars:
        tasks: dict[str, object] = {}

        def update(stage: str, done: int, total: int) -> None:
            task = tasks.get(stage)
            if task is None:
                task = tasks[stage] = bars.add_task(stage, total=total or None)
            bars.update(task, completed=done, total=total or None)  # type: ignore[arg-type]

        yield update
