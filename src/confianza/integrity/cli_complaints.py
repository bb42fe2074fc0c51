"""`confianza integrity complaints`: complaint files of another authority, linked to officers.

A Typer app the console mounts. `link` reads a complaints file and its accused file through
their mappings (the Chicago ones ship with the package), links each accused to the registry's
officers (`rules.complaints_links`: never by a guess) and prints how many were linked,
ambiguous (for review) and unmatched; `--groups N` also prints the N largest co-accusal groups.
Nothing is written but the audit entry of the registry read.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.app.bootstrap import Container
from confianza.app.cli import container, err, operator, out
from confianza.core.errors import FieldError, ValidationFailed
from confianza.identities.rules.people import Person
from confianza.integrity.repository_links import AccusedLinkRepository
from confianza.integrity.rules.complaints import (
    Accusation,
    Complaint,
    read_accused,
    read_complaints,
)
from confianza.integrity.rules.complaints_links import (
    LinkOutcome,
    count,
    link_accused,
    network_key,
)
from confianza.integrity.rules.complaints_mapping import (
    ComplaintMapping,
    parse_complaint_mapping,
)
from confianza.integrity.rules.network import CoAccusals, Involvement, Window
from confianza.registry.cli.files import read_roster
from confianza.trail.rules import AuditAction

app = typer.Typer(help="Complaint files of another authority: their accused linked to "
                  "officers, and the co-accusal network.", no_args_is_help=True)



@app.callback()
def complaints() -> None:
    """Complaint files of another authority: their accused linked to officers, and the
    co-accusal network."""
    # A callback keeps `link` a sub-command while it is the only one (Typer otherwise makes a
    # lone command the app itself).


_PACKAGE = "confianza.integrity.mappings"
#: Faults printed on the terminal before the count (as the roster import does, ADR 0026).
SHOWN = 20


def load_complaint_mapping(reference: str) -> ComplaintMapping:
    """A mapping from a file, or by the name of a shipped one (chicago-complaints, ...)."""
    path = Path(reference)
    if path.is_file():
        try:
            return parse_complaint_mapping(path.read_text("utf-8"), path.name)
        except (OSError, UnicodeError) as exc:
            raise ValidationFailed(FieldError(path.name, f"cannot be read: {exc}")) from exc
    name = reference.removesuffix(".toml")
    folder = resources.files(_PACKAGE)
    shipped = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))
    if name not in shipped:
        raise ValidationFailed(FieldError(reference, "no such mapping file (shipped "
                                          f"mappings: {', '.join(shipped)})"))
    return parse_complaint_mapping(folder.joinpath(f"{name}.toml").read_text("utf-8"),
                                   f"{name}.toml")


def _registry(built: Container, actor: Actor) -> tuple[list[Person], dict[str, frozenset[str]]]:
    """The registry's people and their stars, read under the matcher's permission and audited
    as a matching run, in one transaction."""
    with built.uow().transaction() as tx:
        require(actor, Permission.IDENTITY_MATCH, resource_type="officer")
        people = tx.identities.people()
        badges = AccusedLinkRepository(tx.session).badges()
        tx.audit.record(actor, AuditAction.IDENTITY_MATCH_RUN, "officer", None, detail={
            "source": "complaints", "compared": len(people), **actor.attribution()})
    return people, badges


def _orphans(complaints: tuple[Complaint, ...], accused: tuple[Accusation, ...],
             source: str) -> list[FieldError]:
    known = {c.key for c in complaints}
    return [FieldError(f"{source}:{a.line}:complaint", f"complaint {a.complaint!r} is not in "
                       "the complaints file") for a in accused if a.complaint not in known]


@app.command("link")
def link(
    complaints: Path = typer.Argument(..., help="The complaints file (CSV, or CSV .gz)."),
    accused: Path = typer.Argument(..., help="The accused file (CSV, or CSV .gz)."),
    complaints_mapping: str = typer.Option("chicago-complaints", help="The complaints file's "
                                           "mapping (TOML), or the name of a shipped one."),
    accused_mapping: str = typer.Option("chicago-accused", help="The accused file's mapping "
                                        "(TOML), or the name of a shipped one."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Leave out the rows with "
                                      "faults (named) instead of refusing the files."),
    groups: int = typer.Option(0, help="Also print this many of the largest co-accusal "
                               "groups (civilian complaints, two shared complaints)."),
) -> None:
    """Link the accused of a complaint file to the registry's officers and count the
    outcomes: linked, ambiguous (for review), unmatched."""
    c_mapping = load_complaint_mapping(complaints_mapping)
    a_mapping = load_complaint_mapping(accused_mapping)
    c_read = read_complaints(read_roster(complaints, c_mapping.encoding), c_mapping,
                             skip_invalid=skip_invalid)
    a_read = read_accused(read_roster(accused, a_mapping.encoding), a_mapping,
                          skip_invalid=skip_invalid)
    orphans = _orphans(c_read.records, a_read.records, accused.name)
    if orphans and not skip_invalid:
        raise ValidationFailed(orphans, f"{accused.name}: {len(orphans)} rows name complaints "
                               "the complaints file does not hold")
    faults = [*c_read.left_out, *a_read.left_out, *orphans]
    for fault in faults[:SHOWN]:
        err.print(f"left out {fault.location}: {fault.reason}", markup=False)
    if len(faults) > SHOWN:
        err.print(f"... and {len(faults) - SHOWN} more faults", markup=False)
    built = container()
    try:
        people, badges = _registry(built, operator())
    finally:
        built.dispose()
    rows = [a for a in a_read.records if a.complaint in {c.key for c in c_read.records}]
    links = link_accused((a.identity for a in rows), people, badges)
    counts = count(links, (a.identity for a in rows))
    ids, by_row = counts.identities, counts.rows
    out.print(
        f"{len(c_read.records)} complaints, {len(rows)} accused rows, {len(links)} accused "
        f"people against {len(people)} registry records: "
        f"{ids[LinkOutcome.LINKED]} linked, {ids[LinkOutcome.AMBIGUOUS]} ambiguous (for "
        f"review), {ids[LinkOutcome.UNMATCHED]} unmatched; by row "
        f"{by_row[LinkOutcome.LINKED]} / {by_row[LinkOutcome.AMBIGUOUS]} / "
        f"{by_row[LinkOutcome.UNMATCHED]}", markup=False)
    if groups > 0:
        by_key = {c.key: c for c in c_read.records}
        network = CoAccusals(
            Involvement(a.complaint, by_key[a.complaint].date, by_key[a.complaint].civilian,
                        network_key(links[a.identity], a.identity, a.key), a.finding)
            for a in rows)
        for group in network.groups(Window())[:groups]:
            shown = ", ".join(group.members[:8]) + (" ..." if group.size > 8 else "")
            out.print(f"group of {group.size}: {group.complaints} complaints together, "
                      f"{group.sustained} sustained findings: {shown}", markup=False)
