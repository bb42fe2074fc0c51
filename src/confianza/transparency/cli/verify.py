"""`confianza audit verify`: hold the stored trail to the log's signed checkpoints.

Prints one line, `ok: ...` (exit 0) or `tampered: <the first disagreement>` (exit 1), or with
--json a document for machines. Keys come from the settings (the log's own signing key's
verifier and CONFIANZA_LOG_VERIFIER_KEYS) and from --key, so an auditor can bring the key they
were given rather than trust the server's configuration.

With --tiles DIR it checks an exported copy of the log (`confianza audit export`) instead, as an
outsider would: from the files and the verifier keys alone, without the database or the log's
pseudonym key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import typer

from confianza.app.bootstrap import log_keys
from confianza.app.cli import UsageProblem
from confianza.app.settings import Settings
from confianza.core.errors import FieldError, ValidationFailed
from confianza.kit.signed_note import NoteError, Verifier
from confianza.transparency.service.export import TilesReport, verify_export
from confianza.transparency.service.log import LogKeys
from confianza.transparency.service.verify import VerifyReport, verify_log
from confianza.vetting.cli.support import opened

#: Hashing entries is what takes the time; beyond a few processes this process's own share
#: (folding the tree, comparing the stored one) dominates.
MAX_DEFAULT_WORKERS = 4


def register(app: typer.Typer) -> None:
    """Adds `verify` to the `confianza audit` app."""
    app.command("verify", help="Re-derive the Merkle log from the database and report the first "
                "entry that disagrees with a signed checkpoint (changed, deleted, "
                "inserted, reordered) or a forged checkpoint; with --tiles, check an "
                "exported copy's tiles and bundles against its signed checkpoint.")(verify)


def verify(
    keys: list[str] = typer.Option(
        [], "--key", metavar="VERIFIER_KEY",
        help="A verifier key (<name>+<key ID>+<base64 key>) whose checkpoints count; "
        "repeatable. Added to the configured ones."),
    origin: str | None = typer.Option(
        None, "--origin", help="The log's name checkpoints must carry (default: "
        "CONFIANZA_LOG_ORIGIN)."),
    workers: int | None = typer.Option(
        None, "--workers", min=0, help="Processes that hash entries on a large log (default: one "
        f"per CPU, at most {MAX_DEFAULT_WORKERS}; 0: all in this process)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON document."),
    tiles: Path | None = typer.Option(
        None, "--tiles", metavar="DIR", help="Verify an exported copy of the log (`confianza "
        "audit export`) from its files alone, without the database."),
) -> None:
    extra = [_parse_key(text) for text in keys]
    if tiles is not None:
        if workers is not None:
            raise UsageProblem("--workers is for the database check; --tiles reads files only")
        _verify_tiles(tiles, extra, origin, as_json)
        return
    with opened() as built:
        configured = built.log_keys()
        count = _default_workers() if workers is None else workers
        report = verify_log(
            built.uow(), _verifiers(configured, extra), configured.public_log(),
            origin=origin or configured.origin, workers=count,
            open_reader=built.log_reader_opener())
    _print(report, as_json)


def _verify_tiles(directory: Path, extra: Sequence[Verifier], origin: str | None,
                  as_json: bool) -> None:
    # The keys from the settings alone: an outsider's check opens no database.
    configured = log_keys(Settings())
    report = verify_export(directory, _verifiers(configured, extra),
                           origin=origin or configured.origin)
    _print(report, as_json)


def _verifiers(configured: LogKeys, extra: Sequence[Verifier]) -> list[Verifier]:
    verifiers = list(dict.fromkeys([*configured.verifiers, *extra]))
    if not verifiers:
        raise UsageProblem("no verifier key: pass --key or set CONFIANZA_LOG_SIGNING_KEY or "
                           "CONFIANZA_LOG_VERIFIER_KEYS")
    return verifiers


def _print(report: VerifyReport | TilesReport, as_json: bool) -> None:
    """One line, or the JSON document; a disagreement exits 1."""
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        typer.echo(report.line())
    if not report.ok:
        raise typer.Exit(1)


def _default_workers() -> int:
    return min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS)


def _parse_key(text: str) -> Verifier:
    try:
        return Verifier.parse(text.strip())
    except NoteError as exc:
        raise ValidationFailed(FieldError("--key", f"{text!r}: {exc}")) from None
