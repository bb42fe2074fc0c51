"""`confianza centres`: evaluation centres, their daily capacity per exam, their examiners."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from confianza.app.cli import operator, out
from confianza.vetting.cli.support import (
    Listing,
    capacities,
    centre_by_code,
    csv_option,
    exam_types,
    json_option,
    opened,
    print_json,
    print_listing,
    show_rows,
    user_by_name,
)
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.rules.records import Centre
from confianza.vetting.service import centres as centre_service

app = typer.Typer(help="Evaluation centres: capacity and examiners.", no_args_is_help=True)


def _daily(exam: ExamType) -> Callable[[Centre], int]:
    return lambda centre: centre.capacity.get(exam, 0)


#: A centre as a row: its identity, then its daily capacity per exam type.
CENTRES: Listing[Centre] = Listing(
    ("code", lambda c: c.code),
    ("name", lambda c: c.name),
    ("state", lambda c: c.state_code or "national"),
    ("active", lambda c: c.active),
    *((t.value, _daily(t)) for t in ExamType),
)


def _print(centre: Centre, title: str) -> None:
    print_listing(f"{title} (id {centre.id})", CENTRES, [centre])


@app.command("create")
def create(
    code: str = typer.Argument(..., help="Short code, e.g. C3-JAL (capitals, digits, '-')."),
    name: str = typer.Argument(..., help="The centre's name."),
    state: str | None = typer.Option(None, "--state", help="INEGI state code, e.g. 14; "
                                     "none for a federal centre."),
    capacity: list[str] = typer.Option([], "--capacity", metavar="EXAM=N",
                                       help="Exams a day, e.g. toxicology=20 (repeatable)."),
    as_json: bool = json_option(),
) -> None:
    """Create an evaluation centre with its daily capacity per exam."""
    daily = capacities(capacity, "--capacity")
    with opened() as built:
        detail = centre_service.create_centre(
            built.uow(), operator(), code, name,
            state.strip().zfill(2) if state else None, daily)
    if as_json:
        print_json(detail.centre)
        return
    _print(detail.centre, f"created centre {detail.centre.code}")


@app.command("list")
def list_centres(
    as_json: bool = json_option(),
    csv_path: Path | None = csv_option(),
) -> None:
    """Every centre with its daily capacity per exam."""
    with opened() as built:
        centres = centre_service.list_centres(built.uow(), operator())
    if as_json:
        print_json(centres)
        return
    show_rows("Evaluation centres", CENTRES, centres, csv_path)


@app.command("capacity")
def capacity(
    code: str = typer.Argument(..., help="The centre's code."),
    values: list[str] = typer.Argument(..., metavar="EXAM=N...",
                                       help="New daily capacity, e.g. toxicology=30; exams "
                                       "not named keep theirs."),
    as_json: bool = json_option(),
) -> None:
    """Change how many exams of each type a centre can give a day."""
    daily = capacities(values, "")
    with opened() as built:
        centre = centre_by_code(built, code)
        detail = centre_service.set_capacity(built.uow(), operator(), centre.id, daily)
    if as_json:
        print_json(detail.centre)
        return
    _print(detail.centre, f"capacity of {detail.centre.code}")


@app.command("examiner")
def examiner(
    code: str = typer.Argument(..., help="The centre's code."),
    username: str = typer.Argument(..., help="An account with the examiner role."),
    exam: list[str] = typer.Option(..., "--exam", metavar="EXAM",
                                   help="An exam the examiner is qualified for (repeatable)."),
) -> None:
    """Place an examiner at a centre with the exams they are qualified to give.

    It replaces the examiner's previous centre and qualifications.
    """
    qualified = exam_types(exam, "--exam")
    with opened() as built:
        centre = centre_by_code(built, code)
        user = user_by_name(built, username)
        placed = centre_service.set_examiner(built.uow(), operator(), centre.id, user.id,
                                             qualified)
    out.print(f"{placed.username} examines at {centre.code}: "
              f"{', '.join(sorted(q.value for q in placed.qualifications))}", markup=False)
