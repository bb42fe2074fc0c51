"""`confianza declarations payroll import`: another authority's payroll beside the pay scale
(ADR 0038, addendum 4). The command reads the files and prints; linking, storing and auditing
happen in the use case (`service.payroll`)."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import typer

from confianza.app.cli import container, err, operator, out
from confianza.app.settings import Settings
from confianza.core.errors import FieldError, ValidationFailed
from confianza.declarations.rules.payroll_mapping import (
    OfficerBy,
    PayrollMapping,
    parse_payroll_mapping,
)
from confianza.declarations.service.payroll import PayrollFiles, PayrollReport, import_payroll
from confianza.declarations.service.settings import rates
from confianza.integrity.rules.complaints_links import LinkOutcome
from confianza.registry.cli.files import read_roster
from confianza.registry.rules.roster_file import reason_counts

app = typer.Typer(help="Imported payrolls: another authority's pay by officer and year.",
                  no_args_is_help=True)
_PACKAGE = "confianza.declarations.mappings"
#: Faults and unlinked rows printed on the terminal before the counts.
SHOWN = 20


def load_payroll_mapping(reference: str) -> PayrollMapping:
    """A mapping from a file, or by the name of a shipped one (chicago-salaries)."""
    path = Path(reference)
    if path.is_file():
        try:
            return parse_payroll_mapping(path.read_text("utf-8"), path.name)
        except (OSError, UnicodeError) as exc:
            raise ValidationFailed(FieldError(path.name, f"cannot be read: {exc}")) from exc
    name = reference.removesuffix(".toml")
    folder = resources.files(_PACKAGE)
    names = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))
    if name not in names:
        raise ValidationFailed(FieldError(reference, f"no such mapping file (shipped payroll "
                                          f"mappings: {', '.join(names)})"))
    return parse_payroll_mapping(folder.joinpath(f"{name}.toml").read_text("utf-8"),
                                 f"{name}.toml")


def payroll_files(file: Path, mapping: PayrollMapping, profiles: Path | None,
                  skip_invalid: bool) -> PayrollFiles:
    if mapping.by is OfficerBy.PROFILE and profiles is None:
        raise ValidationFailed(FieldError("--profiles", f"the mapping {mapping.source} names "
                                          "officers by the profiles' key: give the profiles "
                                          "file"))
    if mapping.by is not OfficerBy.PROFILE and profiles is not None:
        raise ValidationFailed(FieldError("--profiles", f"the mapping {mapping.source} names "
                                          f"officers by {mapping.by.value}: it reads no "
                                          "profiles file"))
    profile_file = None
    if profiles is not None:
        assert mapping.profile is not None
        profile_file = read_roster(profiles, mapping.profile.encoding)
    return PayrollFiles(read_roster(file, mapping.payroll.encoding), mapping, profile_file,
                        skip_invalid)


@app.command("import", help="Import a payroll: each person linked to a registry officer (never by "
                            "name alone), the pay stored by officer and year; a second edition "
                            "replaces the years it holds.")
def import_command(
    file: Path = typer.Argument(..., help="The payroll, CSV (or CSV compressed with gzip)."),
    mapping: str = typer.Option(..., help="Mapping file (TOML), or the name of a shipped one "
                                "such as chicago-salaries."),
    profiles: Path | None = typer.Option(None, help="The file that names the payroll's people "
                                         "(when the mapping links them by the other "
                                         "authority's id: Chicago's final-profiles.csv.gz)."),
    skip_invalid: bool = typer.Option(False, help="Import the rows without faults and leave "
                                      "the others out (default: all or nothing)."),
) -> None:
    parsed = load_payroll_mapping(mapping)
    files = payroll_files(file, parsed, profiles, skip_invalid)
    known = rates(Settings())
    built = container()
    try:
        report = import_payroll(built.uow(), operator(), files, known)
    finally:
        built.dispose()
    print_report(report)


def _faults(faults: Sequence[FieldError], verb: str) -> None:
    for fault in faults[:SHOWN]:
        err.print(f"{verb} {fault.location}: {fault.reason}", markup=False)
    if len(faults) > SHOWN:
        err.print(f"... and {len(faults) - SHOWN} more", markup=False)
    if len(faults) > 1:
        for reason, count in reason_counts(list(faults)):
            err.print(f"  {count:>7,}  {reason}", markup=False)


def print_report(report: PayrollReport) -> None:
    _faults(report.left_out, "left out")
    _faults(report.profile_faults, "profile left out")
    for row in report.unlinked[:SHOWN]:
        who = f" (officers {', '.join(map(str, row.candidates))})" if row.candidates else ""
        err.print(f"not linked {row.location}: {row.outcome.value}, {row.reason}{who}",
                  markup=False)
    outcomes = report.outcomes
    years = (f"{report.years[0]}-{report.years[-1]}" if report.years else "no year")
    out.print(
        f"payroll {report.source} from {report.file}: {report.stored:,} rows stored for "
        f"{report.officers:,} officers ({years}), {report.replaced:,} rows of an earlier "
        f"edition replaced; of {report.rows:,} rows, {outcomes.get(LinkOutcome.LINKED, 0):,} "
        f"linked to an officer, {outcomes.get(LinkOutcome.AMBIGUOUS, 0):,} ambiguous (more "
        f"than one officer), {outcomes.get(LinkOutcome.UNMATCHED, 0):,} unmatched, "
        f"{len({f.location.rsplit(':', 1)[0] for f in report.left_out}):,} left out with "
        f"faults; sha256 {report.sha256}", markup=False)
