"""`confianza agencies`: setting up agencies from a file, in one command."""

from __future__ import annotations

from pathlib import Path

import typer

from confianza.app.cli import container, operator, out
from confianza.registry.cli.files import read_agency_file
from confianza.registry.service.officer_import_setup import load_agencies

app = typer.Typer(help="Agencies (corporaciones).", no_args_is_help=True)


@app.command("load")
def load(
    file: Path = typer.Argument(..., help="TOML ([[agencies]] tables) or CSV with a header: "
                                "code,name,level,state_code,municipality_key,parent_code."),
) -> None:
    """Create every agency of a file that does not exist yet (all or none); re-runnable."""
    specs, places = read_agency_file(file)
    built = container()
    try:
        report = load_agencies(built.uow(), operator(), specs, places)
    finally:
        built.dispose()
    out.print(f"{len(report.created)} agencies created, {len(report.existing)} already there")
    for code in report.created:
        out.print(f"created {code}")
