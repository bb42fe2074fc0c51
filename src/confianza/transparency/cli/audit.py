"""`confianza audit`: the audit trail's transparency log from the server's console.

`integrate` folds committed entries into the Merkle tree, `checkpoint` also signs its head,
`prove` and `consistency` print RFC 9162 proofs (hashes in base64, as the API gives them), `key`
prints the verifier key outsiders check checkpoints with, `keygen` makes a signing key,
`export` publishes the log as C2SP tlog-tiles, and `verify` (transparency/cli/verify.py) holds
the trail, or an exported copy, to the signed checkpoints.
Proofs and the key are public, so these commands act as no one and write no audit entry.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import typer

from confianza.app.cli import UsageProblem, err
from confianza.app.settings import Settings
from confianza.kit.signed_note import Signer
from confianza.transparency.cli import verify as audit_verify
from confianza.transparency.rules import generate_key
from confianza.transparency.service import export as log_export
from confianza.transparency.service import log as transparency
from confianza.vetting.cli.support import opened

app = typer.Typer(help="The tamper-evident audit log: integrate, checkpoints, proofs, keys.",
                  no_args_is_help=True)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _print_json(document: dict[str, Any]) -> None:
    typer.echo(json.dumps(document, indent=2))


@app.command("integrate", help="Give every committed entry without one its place in the log, then "
                               "fold every placed entry not yet in the Merkle tree into it (ADR "
                               "0023).")
def integrate() -> None:
    with opened() as built:
        head = transparency.integrate(built.uow(), built.log_keys().public_log())
    typer.echo(f"tree size {head.size}, root {_b64(head.root)}")


@app.command("checkpoint", help="Integrate, then sign the tree head; prints the signed checkpoint "
                                "(the kept one if the tree has not grown). Needs "
                                "CONFIANZA_LOG_SIGNING_KEY outside development.")
def checkpoint() -> None:
    with opened() as built:
        note = transparency.checkpoint_now(built.uow(), built.log_keys())
    typer.echo(note.decode("utf-8"), nl=False)


@app.command("prove")
def prove(
    seq: int = typer.Argument(..., min=1, help="The entry's sequence number."),
    size: int | None = typer.Option(None, "--size", min=1,
                                    help="Prove against the tree of this many entries "
                                    "(default: the current tree)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON, as the API does."),
) -> None:
    """Print the inclusion proof of entry SEQ."""
    with opened() as built:
        proof = transparency.prove_inclusion(built.uow(), seq, size)
    document: dict[str, Any] = {
        "seq": proof.seq, "leaf_index": proof.leaf_index, "tree_size": proof.tree_size,
        "leaf_hash": _b64(proof.leaf_hash), "hashes": [_b64(h) for h in proof.hashes],
        "root": _b64(proof.root)}
    if as_json:
        _print_json(document)
        return
    typer.echo(f"entry {proof.seq} (leaf {proof.leaf_index}) is in the tree of "
               f"{proof.tree_size} entries")
    typer.echo(f"leaf hash {document['leaf_hash']}")
    typer.echo(f"root      {document['root']}")
    _print_path(document["hashes"])


def _print_path(hashes: list[str]) -> None:
    for number, value in enumerate(hashes, 1):
        typer.echo(f"path {number:<4} {value}")


@app.command("consistency")
def consistency(
    size1: int = typer.Argument(..., min=1, help="The earlier tree size."),
    size2: int | None = typer.Argument(None, min=1,
                                       help="The later tree size (default: the current one)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON, as the API does."),
) -> None:
    """Print the proof that the tree of SIZE2 entries extends the tree of SIZE1."""
    with opened() as built:
        proof = transparency.prove_consistency(built.uow(), size1, size2)
    document: dict[str, Any] = {
        "size1": proof.size1, "size2": proof.size2, "hashes": [_b64(h) for h in proof.hashes],
        "root1": _b64(proof.root1), "root2": _b64(proof.root2)}
    if as_json:
        _print_json(document)
        return
    typer.echo(f"the tree of {proof.size2} entries extends the tree of {proof.size1}")
    typer.echo(f"root1     {document['root1']}")
    typer.echo(f"root2     {document['root2']}")
    _print_path(document["hashes"])


@app.command("key")
def key() -> None:
    """Print the verifier key of the log's checkpoints, to publish to outside verifiers."""
    with opened() as built:
        typer.echo(transparency.published_key(built.log_keys()))


@app.command("keygen", help="Print a new signing key for CONFIANZA_LOG_ORIGIN (secret: store it as "
                            "CONFIANZA_LOG_SIGNING_KEY); its verifier key goes to stderr.")
def keygen(
    pseudonym: bool = typer.Option(
        False, "--pseudonym", help="Make the pseudonym key instead (secret: store it as "
        "CONFIANZA_LOG_PSEUDONYM_KEY, once, before the log's first entry is integrated)."),
) -> None:
    if pseudonym:
        typer.echo(generate_key())
        return
    signer = Signer.generate(Settings().log_origin)
    err.print(f"verifier key: {signer.verifier.key_string()}", markup=False)
    typer.echo(signer.key_string())


@app.command("export", help="Write the tree of the latest signed checkpoint into DIR as C2SP "
                            "tlog-tiles: only the tiles and entry bundles the previous export "
                            "there lacks, then the checkpoint.\n\n"
                            "Bundles hold the entries' public forms; `confianza audit verify "
                            "--tiles DIR` checks the result.")
def export(
    directory: Path | None = typer.Argument(
        None, metavar="DIR", help="The directory to publish (default: "
        "CONFIANZA_LOG_EXPORT_DIR); made if absent."),
) -> None:
    target = directory or Settings().log_export_dir
    if target is None:
        raise UsageProblem("name the directory to export into (DIR), or set "
                           "CONFIANZA_LOG_EXPORT_DIR")
    with opened() as built:
        report = log_export.export_tiles(built.uow(), built.log_keys().public_log(), target)
    typer.echo(report.line())


# `audit verify` lives in its own module (it is the larger command); it adds itself here.
audit_verify.register(app)
