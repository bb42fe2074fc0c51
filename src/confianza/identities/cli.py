"""`confianza identities`: propose pairs of records that may be one person, and decide them."""

from __future__ import annotations

from pathlib import Path

import typer

from confianza.app.cli import UsageProblem, container, err, operator, out
from confianza.identities.rules.candidates import Decision
from confianza.identities.rules.linkage import DEFAULT_THRESHOLD
from confianza.identities.service.decisions import decide as decide_candidate
from confianza.identities.service.matching import match_file, match_registry
from confianza.registry.cli.files import load_mapping, read_roster

app = typer.Typer(help="People matched across sources: candidate pairs and merges.",
                  no_args_is_help=True)


@app.command("match", help="Propose candidate pairs within the registry, or between it and a file; "
                           "nothing is merged until a clerk confirms a pair.")
def match(
    against: Path | None = typer.Option(None, help="A roster file (CSV, or CSV compressed "
                                        "with gzip) to match against the registry."),
    mapping: str | None = typer.Option(None, help="The file's mapping (TOML), or the name of "
                                       "a shipped one: needed with --against."),
    threshold: float = typer.Option(DEFAULT_THRESHOLD, help="Propose pairs whose match "
                                    "probability is at least this (0 to 1)."),
    limit: int | None = typer.Option(None, help="Propose at most this many new pairs, the "
                                     "likeliest first."),
) -> None:
    if (against is None) != (mapping is None):
        raise UsageProblem("--against and --mapping go together: the file and how to read it")
    parsed = roster = None
    if against is not None and mapping is not None:
        parsed = load_mapping(mapping)
        roster = read_roster(against, parsed.encoding)
    built = container()
    try:
        if parsed is not None and roster is not None:
            report = match_file(built.uow(), operator(), roster, parsed, threshold=threshold,
                                limit=limit)
        else:
            report = match_registry(built.uow(), operator(), threshold=threshold, limit=limit)
    finally:
        built.dispose()
    for problem in report.errors[:20]:
        err.print(f"left out {problem.location}: {problem.reason}", markup=False)
    if len(report.errors) > 20:
        err.print(f"... and {len(report.errors) - 20} more faults", markup=False)
    against_text = (f" against {report.against} people of {roster.name}"
                    if roster is not None else "")
    out.print(
        f"compared {report.compared} registry records{against_text}: {report.scored} pairs "
        f"at or above {threshold}; {report.proposed} proposed, {report.already_known} already "
        f"proposed or decided" + (f"; {report.rejected_rows} rows left out"
                                  if report.rejected_rows else ""),
        markup=False,
    )


@app.command("decide")
def decide(
    candidate: int = typer.Argument(..., help="The candidate's number."),
    confirm: bool = typer.Option(False, "--confirm", help="The two are one person: merge "
                                 "them (or link the file's key to the officer)."),
    reject: bool = typer.Option(False, "--reject", help="The two are different people; the "
                                "pair is never proposed again."),
) -> None:
    """Confirm or reject one proposed pair."""
    if confirm == reject:
        raise UsageProblem("say --confirm or --reject")
    built = container()
    try:
        done = decide_candidate(built.uow(), operator(), candidate,
                                Decision.CONFIRM if confirm else Decision.REJECT)
    finally:
        built.dispose()
    out.print(f"candidate {candidate} {done.candidate.status}", markup=False)
    if done.merged is not None:
        moved = ", ".join(f"{n} {t}" for t, n in sorted(done.merged.moved.items())) or "nothing"
        out.print(f"officer {done.merged.merged_id} merged into {done.merged.survivor_id} "
                  f"(moved: {moved})", markup=False)
    if done.linked_key is not None:
        out.print(f"officer {done.candidate.left_officer_id} now holds {done.linked_key}",
                  markup=False)
