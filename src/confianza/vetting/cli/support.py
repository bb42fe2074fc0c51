"""What the trust-control commands share: acting as a named account, finding records by their
codes and usernames, reading `exam=value` pairs and JSON results, printing tables, JSON and CSV.

Bad input becomes a `ValidationFailed` naming where it is (the option and the value as typed,
or the file with its line and column), which `cli.main` prints as one line with exit status 1.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Generic, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from confianza.accounts.rules.permissions import Actor
from confianza.accounts.rules.users import User
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.app.cli import container, operator, out
from confianza.core.errors import FieldError, NotFound, ValidationFailed
from confianza.core.formula_cells import as_text
from confianza.registry.service import agencies as agency_service
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.rules.records import Centre
from confianza.vetting.service import centres as centre_service

T = TypeVar("T")
EXAM_NAMES = ", ".join(t.value for t in ExamType)
#: Rows of a list printed above the file when it is written to CSV.
PREVIEW_ROWS = 20
# Piped output is read by scripts and people alike: a table is not cut to 80 columns there.
PIPE_WIDTH = 200
_AGENCY_PAGE = 500


def as_option(*, required: bool) -> Any:
    """The `--as USERNAME` option: act as that account (its role and scope) instead of the
    console operator; required where the step must be taken by a named person."""
    help_text = ("Act as this account, with its role and scope (this step must be taken by a "
                 "named person)." if required else
                 "Act as this account, with its role and scope, instead of the console operator.")
    return typer.Option(... if required else None, "--as", metavar="USERNAME", help=help_text)


def json_option() -> Any:
    return typer.Option(False, "--json", help="Print JSON instead of a table.")


def csv_option() -> Any:
    return typer.Option(None, "--csv", metavar="FILE", dir_okay=False,
                        help="Write every row to this CSV file (UTF-8, with a header).")


@contextmanager
def opened() -> Iterator[Container]:
    """A container over the configured, migrated database, disposed at the end."""
    built = container()
    try:
        yield built
    finally:
        built.dispose()


def acting(built: Container, username: str | None) -> Actor:
    """The console operator, or the named account they act as (ADR 0008: the services decide
    what the account may do; the trail records that the console did it)."""
    if username is None:
        return operator()
    try:
        return user_service.console_actor(built.uow(), operator(), username)
    except NotFound as exc:  # its refusal is already in the trail; say where the name came from
        raise ValidationFailed(FieldError("--as", exc.detail)) from None


def agency_id(built: Container, code: str, where: str = "--agency") -> int:
    """The id of the agency with this code (dissolved ones too: the service says why it
    refuses them)."""
    wanted = code.strip().upper()
    after: int | None = None
    while True:
        page = agency_service.search_agencies(built.uow(), operator(), text=wanted,
                                              include_dissolved=True, after_id=after,
                                              limit=_AGENCY_PAGE)
        for agency in page:
            if agency.code == wanted:
                return agency.id
        if len(page) < _AGENCY_PAGE:
            raise ValidationFailed(FieldError(where, f"no agency has code {wanted}"))
        after = page[-1].id


def centre_by_code(built: Container, code: str, where: str = "CODE") -> Centre:
    wanted = code.strip().upper()
    for centre in centre_service.list_centres(built.uow(), operator()):
        if centre.code == wanted:
            return centre
    raise ValidationFailed(FieldError(where, f"no centre has code {wanted}"))


def users_by_name(built: Container) -> dict[str, User]:
    return {u.username: u for u in user_service.list_users(built.uow(), operator())}


def user_by_name(built: Container, username: str, where: str = "USERNAME") -> User:
    found = users_by_name(built).get(username.strip().lower())
    if found is None:
        raise ValidationFailed(FieldError(where, f"user {username} does not exist"))
    return found


def exam_type(text: str, where: str, errors: list[FieldError]) -> ExamType | None:
    try:
        return ExamType(text.strip().lower())
    except ValueError:
        errors.append(FieldError(where, f"{text!r} is not an exam type (one of: {EXAM_NAMES})"))
        return None


def exam_types(values: Sequence[str], option: str) -> frozenset[ExamType]:
    errors: list[FieldError] = []
    found = {exam_type(v, f"{option} {v}", errors) for v in values}
    if errors:
        raise ValidationFailed(errors)
    return frozenset(t for t in found if t is not None)


def exam_pairs(values: Sequence[str], where: str, errors: list[FieldError]
               ) -> list[tuple[ExamType, str, str]]:
    """`exam=value` items as (exam, value, where); faults are added to `errors`."""
    pairs: list[tuple[ExamType, str, str]] = []
    seen: set[ExamType] = set()
    for raw in values:
        here = f"{where} {raw}".strip()
        name, sep, value = raw.partition("=")
        if not sep or not value.strip():
            errors.append(FieldError(here, "write it as EXAM=VALUE, e.g. toxicology=20"))
            continue
        found = exam_type(name, here, errors)
        if found is None:
            continue
        if found in seen:
            errors.append(FieldError(here, f"the {found} exam is given twice"))
            continue
        seen.add(found)
        pairs.append((found, value.strip(), here))
    return pairs


def capacities(values: Sequence[str], where: str) -> dict[ExamType, int]:
    """`toxicology=20` items as daily capacities per exam; every fault at once."""
    errors: list[FieldError] = []
    result: dict[ExamType, int] = {}
    for found, value, here in exam_pairs(values, where, errors):
        try:
            result[found] = int(value)
        except ValueError:
            errors.append(FieldError(here, f"{value!r} is not a whole number of exams a day"))
    if errors:
        raise ValidationFailed(errors)
    return result


def json_object(text: str, source: str) -> dict[str, Any]:
    """A JSON object from text; a syntax error names the source, line and column."""
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(FieldError(f"{source}:{exc.lineno}:{exc.colno}",
                                          f"not valid JSON: {exc.msg}")) from None
    if not isinstance(parsed, dict):
        raise ValidationFailed(FieldError(source, "must be a JSON object ({...}) of the "
                                          "result's fields"))
    return parsed


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "is not UTF-8 text"
        raise ValidationFailed(FieldError(str(path), f"cannot be read: {reason}")) from None


def plain(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO text, sets as sorted lists, enums by value."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def print_json(value: Any) -> None:
    typer.echo(json.dumps(plain(value), indent=2, ensure_ascii=False))


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime, Enum)):
        return str(plain(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(cell(v) for v in value)
    return str(value)


def print_table(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
                show_header: bool = True) -> None:
    table = Table(show_header=show_header)
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        # Text, not str: a name or a note with [brackets] is shown, not read as markup.
        table.add_row(*(Text(cell(v)) for v in row))
    # Console.print cannot widen past the console's own width (80 when piped): a wider one.
    console = out if out.is_terminal else Console(width=PIPE_WIDTH, highlight=False)
    console.print(title, markup=False)
    console.print(table)


def print_pairs(title: str, pairs: Iterable[tuple[str, Any]]) -> None:
    print_table(title, ("", ""), ((name, value) for name, value in pairs), show_header=False)


class Listing(Generic[T]):
    """The columns of a list a command prints and writes to CSV, declared once: each column's
    header beside how its value is read from one record, so that a header cannot drift from
    the values under it."""

    def __init__(self, *columns: tuple[str, Callable[[T], Any]]) -> None:
        self.columns = columns

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def row(self, record: T) -> list[Any]:
        return [value(record) for _, value in self.columns]

    def as_dict(self, record: T) -> dict[str, Any]:
        """The record's values by header, in column order (for JSON)."""
        return {name: value(record) for name, value in self.columns}


def write_csv(path: Path, listing: Listing[T], records: Iterable[T]) -> int:
    """Write the listing's header and a row per record; returns how many rows were written."""
    count = 0
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(listing.header)
            for record in records:
                writer.writerow([_csv_cell(v) for v in listing.row(record)])
                count += 1
    except OSError as exc:
        raise ValidationFailed(FieldError(str(path), f"cannot be written: {exc.strerror}")
                               ) from None
    return count


def _csv_cell(value: Any) -> str:
    """A CSV cell: text that a spreadsheet would run as a formula (a name or a note typed as
    `=HYPERLINK(...)`) is written as text, as the pages' exports write it
    (core.web.spreadsheet). Numbers, dates and flags are written as they are: a negative
    number is a number for whatever reads the file."""
    if isinstance(value, int | float | Decimal | date | datetime | Enum):
        return cell(value)
    return as_text(cell(value))


def print_listing(title: str, listing: Listing[T], records: Iterable[T]) -> None:
    """The records as a table under the listing's header."""
    print_table(title, listing.header, [listing.row(record) for record in records])


def show_rows(title: str, listing: Listing[T], records: Sequence[T],
              csv_path: Path | None) -> None:
    """A list as a table; with a CSV file, every row goes to the file and the first ones to
    the screen."""
    if csv_path is None:
        print_listing(f"{title} ({len(records)})", listing, records)
        return
    written = write_csv(csv_path, listing, records)
    shown = records[:PREVIEW_ROWS]
    if shown:
        print_listing(f"{title}: the first {len(shown)} of {written}", listing, shown)
    out.print(f"{written} rows written to {csv_path}", markup=False)
