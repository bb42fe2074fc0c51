"""`confianza declarations`: S1 declarations imported, exported and checked (ADR 0038).

`import FILE` reads a JSON file (an S1 answer, `{"pagination", "results"}`; a list of S1
results; or one result) or JSON Lines (one result a line), optionally gzipped, and imports all
of it or nothing. `export --officer N` writes the officer's declarations as S1 would answer
them. `check` runs every rule over every officer's declarations and prints what each found.
Each acts as the operator at the console and is audited.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import typer

from confianza.app.cli import container, err, operator, out
from confianza.app.settings import Settings
from confianza.core.errors import FieldError, ValidationFailed
from confianza.core.memory import collector_held_off
from confianza.declarations.cli.payroll import app as payroll_app
from confianza.declarations.service.checks import run_checks
from confianza.declarations.service.imports import import_documents
from confianza.declarations.service.reads import export_officer
from confianza.declarations.service.settings import check_settings, rates

app = typer.Typer(help="Asset declarations (PDN system S1): import, export and checks.",
                  no_args_is_help=True)
app.add_typer(payroll_app, name="payroll")


def read_documents(path: Path) -> tuple[list[tuple[str, Any]], str]:
    """(location, document) of every S1 result in the file, and the file's SHA-256."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(FieldError(str(path), f"cannot be read: {exc.strerror}")) from None
    digest = hashlib.sha256(data).hexdigest()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ValidationFailed(FieldError(str(path), f"is not a whole gzip file: {exc}")
                                   ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(FieldError(str(path), f"is not UTF-8 (byte {exc.start})")
                               ) from None
    name = path.name
    stripped = text.lstrip()
    if stripped.startswith("[") or (stripped.startswith("{") and _one_value(text)):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(FieldError(f"{name}:{exc.lineno}:{exc.colno}",
                                              f"is not JSON: {exc.msg}")) from None
        if isinstance(value, dict) and "results" in value and "metadata" not in value:
            results = value["results"]
            if not isinstance(results, list):
                raise ValidationFailed(FieldError(f"{name}: results", "is not a list"))
            return [(f"{name}: results[{i}]", doc) for i, doc in enumerate(results)], digest
        if isinstance(value, list):
            return [(f"{name}[{i}]", doc) for i, doc in enumerate(value)], digest
        return [(name, value)], digest
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append((f"{name}:{number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ValidationFailed(FieldError(f"{name}:{number}:{exc.colno}",
                                              f"is not JSON: {exc.msg}")) from None
    return documents, digest


def _one_value(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="S1 declarations: JSON (an S1 answer, a list, or "
                                "one) or JSON Lines, optionally gzipped."),
) -> None:
    """Import S1 declarations: all of the file, or nothing and every fault named."""
    with collector_held_off():  # the parsed file is millions of objects (core.memory)
        _import_file(file)


def _import_file(file: Path) -> None:
    documents, digest = read_documents(file)
    if not documents:
        raise ValidationFailed(FieldError(str(file), "holds no declaration"))
    settings = Settings()
    known = rates(settings)
    built = container()
    try:
        done = import_documents(built.uow(), operator(), documents, rates=known,
                                source=file.name, sha256=digest)
    finally:
        built.dispose()
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(done.by_kind.items()))
    out.print(f"{done.declarations} declarations of {done.officers} officers imported "
              f"({kinds})", markup=False)


@app.command("export")
def export_command(
    officer: int = typer.Option(..., "--officer", help="The officer's number."),
    out_file: Path | None = typer.Option(None, "--out", help="Write here instead of the "
                                         "standard output."),
) -> None:
    """An officer's declarations as the PDN's S1 API answers them (all in one page)."""
    built = container()
    try:
        answer = export_officer(built.uow(), operator(), officer, everything=True)
    finally:
        built.dispose()
    text = json.dumps(answer, ensure_ascii=False, indent=1) + "\n"
    if out_file is None:
        typer.echo(text, nl=False)
        err.print(f"{len(answer['results'])} declarations", markup=False)
        return
    try:
        out_file.write_text(text, "utf-8")
    except OSError as exc:
        raise ValidationFailed(FieldError("--out", f"cannot be written: {exc}")) from exc
    out.print(f"{len(answer['results'])} declarations written to {out_file}", markup=False)


@app.command("check")
def check_command(
    show: int = typer.Option(5, "--show", min=0, help="Findings printed per rule."),
    english: bool = typer.Option(False, "--english", help="Reasons in English."),
) -> None:
    """Every rule over every officer's declarations: how many each flags, and why."""
    settings = check_settings(Settings())
    built = container()
    try:
        run = run_checks(built.uow(), operator(), settings, in_parts=built.in_parts())
    finally:
        built.dispose()
    out.print(f"{run.officers} officers, {run.declarations} declarations checked",
              markup=False)
    for rule, findings in run.by_rule().items():
        officers = len({f.officer_id for f in findings})
        out.print(f"{rule.value}: {officers} officers flagged", markup=False)
        for finding in findings[:show]:
            out.print(f"  officer {finding.officer_id}: "
                      f"{finding.en if english else finding.es}", markup=False)
    scores = run.against_planted()
    if scores:
        out.print("Against the cases the demo planted:", markup=False)
    for score in scores:
        share = score.others_flagged / score.others if score.others else 0.0
        found = (f"planted ({', '.join(score.shapes)}): {score.found} of {score.planted} found"
                 if score.shapes else "no shape planted for it")
        out.print(f"  {score.rule.value}: {found}; other officers: {score.others_flagged} of "
                  f"{score.others} flagged ({share:.2%})", markup=False)



