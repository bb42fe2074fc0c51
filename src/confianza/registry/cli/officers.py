"""`confianza officers`: bulk work on the registry of officers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import typer

from confianza.app.cli import container, err, operator, out, progress_bars
from confianza.core.errors import FieldError
from confianza.registry.cli.files import load_mapping, read_roster, write_diff, write_rejects
from confianza.registry.rules.import_mapping import ImportMapping
from confianza.registry.rules.roster_file import RosterFile, reason_counts
from confianza.registry.service.officer_import import (
    ImportReport,
    PerPerson,
    RowsRejected,
    import_officers,
)

app = typer.Typer(help="Officers: import rosters.", no_args_is_help=True)
#: stderr names this many faults; the rest are counted (and all are in the rejects file).
SHOWN_ERRORS = 20


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="The roster, CSV (or CSV compressed with gzip)."),
    mapping: str = typer.Option(..., help="Mapping file (TOML), or the name of a shipped one "
                                "such as chicago-roster."),
    skip_invalid: bool = typer.Option(False, help="Import the good rows and reject the bad "
                                      "ones (default: all or nothing)."),
    per_person: PerPerson = typer.Option(PerPerson.ROW, help="With --skip-invalid, what a bad "
                                         "row takes with it: that row only, or every row of "
                                         "the same person (all-or-none)."),
    create_agencies: bool = typer.Option(False, help="Create the agencies a roster names that "
                                         "the registry does not know (mappings whose agency "
                                         "column holds names)."),
    rejects: Path | None = typer.Option(None, help="Write the rejected rows here as they were "
                                        "written, with a reason column."),
    dry_run: bool = typer.Option(False, help="Check and count everything, then roll back."),
    diff: Path | None = typer.Option(None, help="Write the difference with the registry here "
                                     "as CSV, one row per change with the file's line "
                                     "(with or without --dry-run)."),
) -> None:
    """Import officers and their careers from a roster, under a mapping file."""
    parsed = load_mapping(mapping)
    roster = read_roster(file, parsed.encoding)
    built = container()
    try:
        with progress_bars(True) as progress:
            report = import_officers(
                built.uow(), operator(), roster, parsed, skip_invalid=skip_invalid,
                per_person=per_person, create_agencies=create_agencies, dry_run=dry_run,
                progress=progress,
            )
    except RowsRejected as refused:
        _show_faults(refused.errors)
        _write_rejects(roster, parsed, refused.rejected_reasons, rejects)
        err.print(f"error: {len(refused.rejected_reasons)} of {refused.rows} rows rejected; "
                  "nothing was changed (--skip-invalid imports the good rows)", markup=False)
        raise typer.Exit(1) from None
    finally:
        built.dispose()
    _show_faults(report.errors)
    _write_rejects(roster, parsed, report.rejected_reasons, rejects)
    _summary(report, dry_run)
    if diff is not None:
        write_diff(report.diff, diff)
        err.print(f"{len(report.diff)} changes written to {diff}", markup=False)
    if report.officers == 0 and not sum(report.kinds.values()):
        # A run that took nothing from a file that had rows did not do what was asked.
        err.print(f"error: nothing {'would be ' if dry_run else ''}imported from the "
                  f"{report.rows} rows of {report.file}", markup=False)
        raise typer.Exit(1)


def _show_faults(errors: Sequence[FieldError]) -> None:
    for problem in errors[:SHOWN_ERRORS]:
        err.print(f"rejected {problem.location}: {problem.reason}", markup=False)
    if len(errors) > SHOWN_ERRORS:
        err.print(f"... and {len(errors) - SHOWN_ERRORS} more problems (all {len(errors)} "
                  "are in the --rejects file)", markup=False)
    counts = reason_counts(errors)
    if len(errors) > 1:
        err.print("problems by reason:", markup=False)
        for reason, count in counts:
            err.print(f"  {count:>7,}  {reason}", markup=False)


def _write_rejects(roster: RosterFile, mapping: ImportMapping, reasons: Mapping[int, str],
                   target: Path | None) -> None:
    if target is not None and reasons:
        write_rejects(roster, mapping.delimiter, reasons, target)
        err.print(f"rejected rows written to {target}", markup=False)


def _summary(report: ImportReport, dry_run: bool) -> None:
    verb = "would import" if dry_run else "imported"
    skipped = sum(report.skipped.values())
    out.print(
        f"{verb} {report.officers} officers ({report.assignments} assignments, "
        f"{report.badges} badges, {report.units_created} new units) from {report.rows} rows "
        f"of {report.file}; {report.rejected_rows} rows rejected; {skipped} rows skipped; "
        f"sha256 {report.sha256}",
        markup=False,
    )
    for reason, count in report.skipped.items():
        out.print(f"  skipped {count:>7,}  {reason}", markup=False)
    kinds = report.kinds
    out.print(f"people: {kinds.get('new', 0)} new, {kinds.get('changed', 0)} changed, "
              f"{kinds.get('separated', 0)} separated, {kinds.get('conflict', 0)} conflicts, "
              f"{kinds.get('unchanged', 0)} unchanged; {report.changes} "
              f"{'would change' if dry_run else 'changed'}", markup=False)
    by_change = Counter((r.kind.value, r.field) for r in report.diff if r.kind != "new")
    for (kind, name), count in sorted(by_change.items()):
        out.print(f"  {kind:<9} {count:>7,}  {name}", markup=False)
    if report.partial_people:
        shown = ", ".join(report.partial_people[:10])
        more = f" and {len(report.partial_people) - 10} more" if len(report.partial_people) > 10 \
            else ""
        out.print(f"{len(report.partial_people)} people {'would be ' if dry_run else ''}"
                  f"imported without their rejected rows: {shown}{more}", markup=False)
    if report.agencies_created:
        label = "agencies that would be created" if dry_run else "agencies created"
        out.print(f"{label}: {', '.join(report.agencies_created)}", markup=False)
    for code, name in report.agencies_from_names.items():
        out.print(f"  {code}: {name}", markup=False)
