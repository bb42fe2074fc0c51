"""`confianza integrity sanctions`: final sanctions exported as PDN S3 records (`export-s3`),
and another authority's sanctions imported, reviewed and linked (`import`, `review`, `link`,
`reject`; ADR 0036).

The S3 file is JSON Lines: one S3 record (an item of `ssancionados.results`) a line, oldest
sanction first, UTF-8. Lines rather than one S3 page because a page holds at most 200 records
and the export holds them all; whoever loads them into an S3 API pages them itself. Acts as the
operator at the console (national scope); the export is audited like the API's (ADR 0035).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from confianza.app.cli import container, err, operator, out
from confianza.core.errors import FieldError, ValidationFailed
from confianza.integrity.cli.files import load_mapping
from confianza.integrity.rules.outside_sanctions_mapping import (
    SanctionMapping,
    parse_sanction_mapping,
)
from confianza.integrity.service.outside_sanctions import (
    import_outside_sanctions,
    link_outside_sanction,
    reject_outside_sanction,
    review_queue,
)
from confianza.integrity.service.sanctions import export_s3
from confianza.registry.cli.files import read_roster

app = typer.Typer(help="Final sanctions in the public form of the PDN's system S3, and "
                  "another authority's sanctions imported and reviewed.", no_args_is_help=True)


@app.callback()
def sanctions() -> None:
    """Final sanctions in the public form of the PDN's system S3, and another authority's
    sanctions imported and reviewed."""
    # A callback keeps the command a sub-command (Typer otherwise makes it the app).


@app.command("export-s3")
def export_s3_command(
    out_file: Path | None = typer.Option(None, "--out", help="Write here (JSON Lines) instead "
                                         "of the standard output."),
) -> None:
    """Every final sanction (appeal decided or its period over) as S3 records, JSON Lines."""
    built = container()
    try:
        found = export_s3(built.uow(), operator(), everything=True)
    finally:
        built.dispose()
    lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n"
                    for r in found.records)
    if out_file is None:
        typer.echo(lines, nl=False)
        # The count on the error stream, so that the records alone can be piped.
        err.print(f"{len(found.records)} final sanctions", markup=False)
        return
    try:
        out_file.write_text(lines, "utf-8")
    except OSError as exc:
        raise ValidationFailed(FieldError("--out", f"cannot be written: {exc}")) from exc
    out.print(f"{len(found.records)} final sanctions written to {out_file}", markup=False)


# Another authority's sanctions and decertifications (ADR 0036) ---------------------------------
def load_sanction_mapping(reference: str) -> SanctionMapping:
    """A mapping from a file, or by the name of a shipped one (estatal-sancionados, ...)."""
    return load_mapping(reference, parse_sanction_mapping, kind="sanctions mappings",
                        shipped=lambda name: not name.startswith("chicago-"))


@app.command("import", help="Import another authority's sanctions or decertifications: each new "
                            "row linked to an officer (CURP; or name, birth date and employer on "
                            "one officer only), sent to review, or kept unmatched.\n\n"
                            "Whole or nothing; rows already held are left as they are.")
def import_command(
    file: Path = typer.Argument(..., help="The list (CSV, or CSV .gz)."),
    mapping: str = typer.Option(..., "--mapping", help="The list's mapping (TOML), or the "
                                "name of a shipped one (estatal-sancionados)."),
    authority: str | None = typer.Option(None, "--authority", help="The authority that "
                                         "imposed the sanctions, when the list has no column "
                                         "for it (it stands in for the mapping's)."),
) -> None:
    checked = load_sanction_mapping(mapping)
    roster = read_roster(file, checked.encoding)
    built = container()
    try:
        report = import_outside_sanctions(built.uow(), operator(), roster, checked,
                                          authority=authority)
    finally:
        built.dispose()
    out.print(f"{report.rows} sanctions in {report.file}: {report.added} added, "
              f"{report.already_held} already held; {report.linked} linked "
              f"({report.linked_by_curp} by CURP, {report.linked_by_facts} by name, birth date "
              f"and employer), {report.review} for review, {report.unmatched} unmatched",
              markup=False)
    if report.review:
        out.print("review them: confianza integrity sanctions review", markup=False)


@app.command("review")
def review_command(
    unmatched: bool = typer.Option(False, "--unmatched", help="Also list the records "
                                   "matched to nobody."),
    limit: int = typer.Option(50, help="At most this many records."),
) -> None:
    """The records waiting for review, oldest first, each with its candidates."""
    built = container()
    try:
        items = review_queue(built.uow(), operator(), unmatched=unmatched, limit=limit)
    finally:
        built.dispose()
    if not items:
        out.print("nothing waits for review", markup=False)
        return
    for item in items:
        born = item.birth_date.isoformat() if item.birth_date else (
            str(item.birth_year) if item.birth_year else "birth unknown")
        out.print(f"#{item.id} [{item.status.value}] {item.name} ({born}; "
                  f"{item.curp or 'no CURP'}; {item.employer or 'no employer'}): {item.kind} "
                  f"from {item.start_date.isoformat()} by {item.authority}"
                  f"{f', file {item.file_number}' if item.file_number else ''}", markup=False)
        out.print(f"    why: {item.reason}", markup=False)
        for c in item.candidates:
            out.print(f"    officer {c.officer_id}: name {c.name.value}, birth {c.birth.value}, "
                      f"employer {c.employer.value}{', same CURP' if c.curp else ''}"
                      f"{', another CURP' if c.curp_differs else ''}", markup=False)


@app.command("link")
def link_command(
    sanction_id: int = typer.Argument(..., metavar="ID", help="The record's number."),
    officer: int = typer.Option(..., "--officer", help="The officer it is."),
    note: str | None = typer.Option(None, "--note", help="Why (kept with the decision)."),
) -> None:
    """Link a record waiting for review (or matched to nobody) to an officer."""
    built = container()
    try:
        found = link_outside_sanction(built.uow(), operator(), sanction_id, officer, note=note)
    finally:
        built.dispose()
    out.print(f"outside sanction {found.id} linked to officer {found.officer_id}",
              markup=False)


@app.command("reject")
def reject_command(
    sanction_id: int = typer.Argument(..., metavar="ID", help="The record's number."),
    reason: str = typer.Option(..., "--reason", help="Why it is none of the officers."),
) -> None:
    """Find a record to be none of the registry's officers, saying why."""
    built = container()
    try:
        found = reject_outside_sanction(built.uow(), operator(), sanction_id, reason)
    finally:
        built.dispose()
    out.print(f"outside sanction {found.id} rejected", markup=False)
