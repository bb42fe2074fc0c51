"""`confianza integrity sanctions export-s3`: the final sanctions as PDN S3 records.

The file is JSON Lines: one S3 record (an item of `ssancionados.results`) a line, oldest
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
from confianza.integrity.service.sanctions import export_s3

app = typer.Typer(help="Final sanctions in the public form of the PDN's system S3.",
                  no_args_is_help=True)


@app.callback()
def sanctions() -> None:
    """Final sanctions in the public form of the PDN's system S3."""
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
