"""`confianza officers`: bulk work on the registry of officers."""

from __future__ import annotations

from pathlib import Path

import typer

from confianza.app.cli import container, err, operator, out, progress_bars
from confianza.registry.cli.files import load_mapping, read_roster, write_rejects
from confianza.registry.service.officer_import import import_officers

app = typer.Typer(help="Officers: import rosters.", no_args_is_help=True)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="The roster, CSV (or CSV compressed with gzip)."),
    mapping: str = typer.Option(..., help="Mapping file (TOML), or the name of a shipped one "
                                "such as chicago-roster."),
    skip_invalid: bool = typer.Option(False, help="Import the valid officers and leave the "
                                      "rest out (default: all or nothing)."),
    rejects: Path | None = typer.Option(None, help="Write rejected rows here, with a reason "
                                        "column (with --skip-invalid)."),
    dry_run: bool = typer.Option(False, help="Check and count everything, then roll back."),
) -> None:
    """Import officers and their careers from a roster, under a mapping file."""
    parsed = load_mapping(mapping)
    roster = read_roster(file, parsed.encoding)
    built = container()
    try:
        with progress_bars(True) as progress:
            report = import_officers(
                built.uow(), operator(), roster, parsed, skip_invalid=skip_invalid,
                dry_run=dry_run, progress=progress,
            )
    finally:
        built.dispose()
    if rejects is not None and report.rejected_reasons:
        write_rejects(roster, parsed.delimiter, report.rejected_reasons, rejects)
    for problem in report.errors:
        err.print(f"rejected {problem.location}: {problem.reason}", markup=False)
    verb = "would import" if dry_run else "imported"
    out.print(
        f"{verb} {report.officers} officers ({report.assignments} assignments, "
        f"{report.badges} badges, {report.units_created} new units) from {report.rows} rows "
        f"of {report.file}; {report.rejected_rows} rows rejected; sha256 {report.sha256}",
        markup=False,
    )
    if report.agencies_created:
        out.print(f"agencies created: {', '.join(report.agencies_created)}")
    if rejects is not None and report.rejected_reasons:
        out.print(f"rejected rows written to {rejects}", markup=False)
