"""`confianza integrity complaints`: complaint files of another authority, linked to officers,
stored as closed cases, their accused reviewed; and `confianza integrity network`.

A Typer app the console mounts (`complaints`), and `network_command`, which the console mounts
as `integrity network`. Every command calls a use case (`service.imports`, `service.network`):
reading the files, linking, storing and auditing happen there. `link` stores nothing; `import`
stores the complaints as closed, imported cases (ADR 0033) and prints how the accused were
linked: linked, ambiguous (for review), unmatched.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.app.cli import container, err, operator, out
from confianza.core.errors import FieldError, ValidationFailed
from confianza.integrity.cli.files import load_mapping
from confianza.integrity.rules.complaints_links import LinkOutcome
from confianza.integrity.rules.complaints_mapping import (
    ComplaintMapping,
    parse_complaint_mapping,
)
from confianza.integrity.rules.network import Method, Ranking
from confianza.integrity.service.imports import (
    ComplaintFiles,
    import_complaints,
    link_complaints,
    resolve_accused,
    review_list,
)
from confianza.integrity.service.network import (
    NetworkWindow,
    network_groups,
    officer_network,
)
from confianza.registry.cli.files import read_roster

app = typer.Typer(help="Complaint files of another authority: their accused linked to "
                  "officers, stored as closed cases, and reviewed.", no_args_is_help=True)


@app.callback()
def complaints() -> None:
    """Complaint files of another authority: their accused linked to officers, stored as
    closed cases, and reviewed."""
    # A callback keeps the commands sub-commands (Typer otherwise makes a lone command the app).


#: Faults printed on the terminal before the count (as the roster import does, ADR 0026).
SHOWN = 20


def load_complaint_mapping(reference: str) -> ComplaintMapping:
    """A mapping from a file, or by the name of a shipped one (chicago-complaints, ...)."""
    return load_mapping(reference, parse_complaint_mapping, kind="mappings",
                        shipped=lambda name: True)


def _source_of(reference: str) -> str:
    """The source a shipped mapping speaks for: "chicago-complaints" -> "chicago"."""
    return Path(reference).name.removesuffix(".toml").removesuffix("-complaints")


def _files(complaints: Path, accused: Path, complaints_mapping: str, accused_mapping: str,
           *, source: str, agency: str, skip_invalid: bool) -> ComplaintFiles:
    c_mapping = load_complaint_mapping(complaints_mapping)
    a_mapping = load_complaint_mapping(accused_mapping)
    return ComplaintFiles(read_roster(complaints, c_mapping.encoding),
                          read_roster(accused, a_mapping.encoding), c_mapping, a_mapping,
                          source or _source_of(complaints_mapping), agency, skip_invalid)


def _faults(faults: tuple[FieldError, ...]) -> None:
    for fault in faults[:SHOWN]:
        err.print(f"left out {fault.location}: {fault.reason}", markup=False)
    if len(faults) > SHOWN:
        err.print(f"... and {len(faults) - SHOWN} more faults", markup=False)


def _outcomes(ids: dict[LinkOutcome, int], rows: dict[LinkOutcome, int]) -> str:
    return (f"{ids.get(LinkOutcome.LINKED, 0)} linked, {ids.get(LinkOutcome.AMBIGUOUS, 0)} "
            f"ambiguous (for review), {ids.get(LinkOutcome.UNMATCHED, 0)} unmatched; by row "
            f"{rows.get(LinkOutcome.LINKED, 0)} / {rows.get(LinkOutcome.AMBIGUOUS, 0)} / "
            f"{rows.get(LinkOutcome.UNMATCHED, 0)}")


def _run() -> tuple[Container, Actor]:
    return container(), operator()


_COMPLAINTS = typer.Argument(..., help="The complaints file (CSV, or CSV .gz).")
_ACCUSED = typer.Argument(..., help="The accused file (CSV, or CSV .gz).")
_C_MAPPING = typer.Option("chicago-complaints", help="The complaints file's mapping (TOML), "
                          "or the name of a shipped one.")
_A_MAPPING = typer.Option("chicago-accused", help="The accused file's mapping (TOML), or the "
                          "name of a shipped one.")
_SKIP = typer.Option(False, "--skip-invalid", help="Leave out the rows with faults (named) "
                     "instead of refusing the files.")


@app.command("link", help="Link the accused of a complaint file to the registry's officers and "
                          "count the outcomes: linked, ambiguous (for review), unmatched. Nothing "
                          "is stored.")
def link(
    complaints: Path = _COMPLAINTS, accused: Path = _ACCUSED,
    complaints_mapping: str = _C_MAPPING, accused_mapping: str = _A_MAPPING,
    skip_invalid: bool = _SKIP,
    groups: int = typer.Option(0, help="Also print this many of the largest co-accusal "
                               "groups (civilian complaints, two shared complaints)."),
) -> None:
    files = _files(complaints, accused, complaints_mapping, accused_mapping, source="",
                   agency="", skip_invalid=skip_invalid)
    built, actor = _run()
    try:
        report = link_complaints(built.uow(), actor, files, groups=groups)
    finally:
        built.dispose()
    _faults(report.left_out)
    links = sum(report.identities.values())
    out.print(f"{report.complaints} complaints, {report.accused_rows} accused rows, {links} "
              f"accused people against {report.compared} registry records: "
              f"{_outcomes(report.identities, report.rows)}", markup=False)
    for group in report.groups:
        shown = ", ".join(group.members[:8]) + (" ..." if group.size > 8 else "")
        out.print(f"group of {group.size}: {group.complaints} complaints together, "
                  f"{group.sustained} sustained findings: {shown}", markup=False)


@app.command("import", help="Store the complaints as closed, imported cases, each accused linked "
                            "to an officer, sent to review, or kept unmatched. Running it again "
                            "adds only complaints not yet held.")
def import_command(
    complaints: Path = _COMPLAINTS, accused: Path = _ACCUSED,
    agency: str = typer.Option(..., help="The code of the agency whose closed cases they "
                               "become (the Chicago roster's is US-IL-CPD)."),
    complaints_mapping: str = _C_MAPPING, accused_mapping: str = _A_MAPPING,
    source: str = typer.Option("", help="A short name of the authority the complaint keys "
                               "belong to (default: the mapping's name, e.g. chicago)."),
    skip_invalid: bool = _SKIP,
) -> None:
    files = _files(complaints, accused, complaints_mapping, accused_mapping, source=source,
                   agency=agency, skip_invalid=skip_invalid)
    built, actor = _run()
    try:
        report = import_complaints(built.uow(), actor, files)
    finally:
        built.dispose()
    _faults(report.left_out)
    out.print(f"{report.cases_added} complaints stored as cases of {report.source} "
              f"({report.already_held} already held), {report.accused_added} accused: "
              f"{_outcomes(report.identities, report.rows)}", markup=False)


@app.command("review")
def review_command(
    limit: int = typer.Option(50, help="How many accused to list."),
) -> None:
    """The imported accused waiting for review, with the officers in question."""
    built, actor = _run()
    try:
        items = review_list(built.uow(), actor, limit=limit)
    finally:
        built.dispose()
    for item in items:
        born = f", born {item.birth_year}" if item.birth_year else ""
        star = f", star {item.star}" if item.star else ""
        out.print(f"{item.id}: {item.given_names} {item.surname}{born}{star}; officers in "
                  f"question: {', '.join(map(str, item.candidates))}; complaints: "
                  f"{', '.join(item.complaints[:5])}", markup=False)
    if not items:
        out.print("no accused waiting for review", markup=False)


@app.command("attach")
def attach_command(
    accused_id: int = typer.Argument(..., help="The accused's number in the review list."),
    officer_id: int = typer.Argument(..., help="The officer they are (one of those in "
                                     "question)."),
) -> None:
    """Attach an accused waiting for review (all their complaints) to one officer."""
    built, actor = _run()
    try:
        changed = resolve_accused(built.uow(), actor, accused_id, officer_id)
    finally:
        built.dispose()
    out.print(f"{changed} allegations now name officer {officer_id}", markup=False)


@app.command("reject")
def reject_command(
    accused_id: int = typer.Argument(..., help="The accused's number in the review list."),
) -> None:
    """None of the officers in question is this accused: they stay unmatched."""
    built, actor = _run()
    try:
        changed = resolve_accused(built.uow(), actor, accused_id, None)
    finally:
        built.dispose()
    out.print(f"{changed} allegations stay with the accused as the file named them",
              markup=False)


def network_command(
    officer: int | None = typer.Option(None, help="One officer's co-accused instead of the "
                                       "groups."),
    since: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--to", help="Last day (YYYY-MM-DD)."),
    min_shared: int | None = typer.Option(None, help="Fewest complaints shared (default 2 "
                                          "for groups, 1 for an officer)."),
    all_sources: bool = typer.Option(False, "--all-sources", help="Count complaints of "
                                     "every channel, not only civilian ones."),
    method: Method = typer.Option(Method.COMMUNITIES, help="Groups as Louvain communities "
                                  "or connected components."),
    ranking: Ranking = typer.Option(Ranking.SIZE, help="Rank groups by size or by sustained "
                                    "findings."),
    limit: int = typer.Option(20, help="How many groups or partners to print."),
) -> None:
    """The co-accusal network of the stored cases: the groups, or one officer's co-accused."""
    window = NetworkWindow(_day("--from", since), _day("--to", until),
                           min_shared or (1 if officer is not None else 2), all_sources)
    built, actor = _run()
    try:
        if officer is not None:
            found = officer_network(built.uow(), actor, officer, window)
            out.print(f"{found.label}: {found.complaints} complaints, "
                      f"{len(found.partners)} co-accused", markup=False)
            for p in found.partners[:limit]:
                keys = ", ".join(k for k, _ in p.complaints[:6])
                out.print(f"  {p.label} [{p.key}]: {p.shared} together, "
                          f"{p.sustained_together} both sustained; {keys}", markup=False)
            return
        groups = network_groups(built.uow(), actor, window, method=method, ranking=ranking,
                                limit=limit)
    finally:
        built.dispose()
    out.print(f"{groups.total} groups among {groups.accused} accused", markup=False)
    for view in groups.groups:
        g = view.group
        names = ", ".join(label for _, label in view.members[:8])
        out.print(f"group of {g.size}: {g.complaints} complaints together, {g.sustained} "
                  f"sustained findings: {names}{' ...' if g.size > 8 else ''}", markup=False)


def _day(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(FieldError(option, f"{text!r} is not a date (YYYY-MM-DD)")) \
            from None

