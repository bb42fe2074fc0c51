"""`confianza demo`: build a synthetic registry to try the system with (development only)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings, get_settings
from confianza.core.db import migrate
from confianza.core.errors import USER_ERRORS, FieldError, ValidationFailed
from confianza.declarations.cli.payroll import load_payroll_mapping, payroll_files
from confianza.declarations.service.demo import file_payroll_sample
from confianza.declarations.service.payroll import import_payroll
from confianza.declarations.service.settings import rates
from confianza.demo.rules.force import Scale
from confianza.demo.service import (
    DemoRisk,
    GenerationReport,
    apply_second_edition,
    generate,
    open_integrity_cases,
    plant_duplicates,
    registry_is_empty,
    train_and_score,
)
from confianza.integrity.cli.complaints import load_complaint_mapping
from confianza.integrity.rules.complaints_links import LinkOutcome
from confianza.integrity.service.imports import ComplaintFiles, import_complaints
from confianza.registry.cli.files import load_mapping, read_roster
from confianza.registry.service.officer_import import import_officers
from confianza.risk.rules.records import rule_evaluation
from confianza.risk.rules.threshold import ThresholdRule

_ALLOWED = (Environment.DEVELOPMENT, Environment.TEST)


def demo_command(
    scale: Scale = typer.Option(Scale.DEMO, "--scale", help="demo (~12,000 officers, seconds) "
                                "or national (~400,000 officers); tiny is for tests."),
    seed: int = typer.Option(2018, "--seed", help="The same seed builds the same registry."),
    replace: bool = typer.Option(False, "--replace", help="Delete a non-empty SQLite registry "
                                 "and build the demo in its place."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask before --replace deletes data."),
    chicago: Path | None = typer.Option(
        None, "--chicago", help="A folder with the Chicago roster, complaints and accused files "
        "(roster*.csv[.gz], complaints*.csv[.gz], *accused*.csv[.gz]): imported after the "
        "synthetic registry, so that /integrity/network shows their co-accusal network."),
) -> None:
    """Build a synthetic national force, with demo accounts, in an empty registry."""
    console = Console(stderr=True)
    settings = get_settings()
    if settings.environment not in _ALLOWED:
        _fail(console, f"confianza demo writes made-up officers and prints passwords: it runs only "
              f"with CONFIANZA_ENVIRONMENT=development or test (this is {settings.environment}).")
    try:
        # The folder is checked before anything is built: a wrong path costs nothing.
        chicago_files = _chicago_files(chicago) if chicago is not None else None
    except USER_ERRORS as exc:
        _fail(console, str(exc))
    container = build(settings)
    try:
        migrate.upgrade(container.engine)
        if not registry_is_empty(container.uow()):
            container = _replace(container, settings, console, replace=replace, yes=yes)
        started = time.perf_counter()
        report = _generate(container, scale, seed, console)
        elapsed = time.perf_counter() - started
        duplicates = None
        if scale is not Scale.NATIONAL:
            # A handful of people written down twice, and the matcher run over the registry:
            # /identities has pairs for the registry clerk (seconds; at national scale the
            # within-registry run takes minutes, so it is left to `identities match`).
            started = time.perf_counter()
            duplicates = plant_duplicates(container.uow(), system_actor("demo"), seed=seed)
            matching = time.perf_counter() - started
        # A second edition of a state police's roster: the refresh's queues have content.
        second = apply_second_edition(container.uow(), system_actor("demo"))
        # Open integrity cases at every stage: each integrity account's home has work.
        integrity = open_integrity_cases(container.uow(), system_actor("demo"), seed=seed)
        # Real records last, after the matcher's run over the synthetic registry.
        imported = _import_chicago(container, chicago_files) if chicago_files else None
        payroll = (_import_chicago_payroll(container, chicago, seed)
                   if chicago_files and chicago is not None else None)
        # Early intervention: a model trained on the complaints held (Chicago's), and the
        # active officers scored with it when it is promoted.
        started = time.perf_counter()
        risk = train_and_score(container.uow(), system_actor("demo"),
                               key=container.model_key(), share=settings.risk_flag_share,
                               rule=ThresholdRule(settings.risk_rule_count,
                                                  settings.risk_rule_months))
        risk_time = time.perf_counter() - started
    except USER_ERRORS as exc:
        _fail(console, str(exc))
    finally:
        container.dispose()
    _summary(report, elapsed)
    if second is not None:
        pending = sum(1 for r in second.diff if r.field == "pending_separation")
        Console().print(
            f"Second edition of a roster applied ({second.file}): "
            f"{second.kinds.get('changed', 0)} changed, {second.kinds.get('separated', 0)} "
            f"separated of which {pending} wait for HR (/pending-separations), "
            f"{second.kinds.get('conflict', 0)} in the review queue (/roster-conflicts)",
            markup=False, highlight=False, soft_wrap=True)
    if integrity:
        Console().print(
            f"Integrity: {len(integrity)} open cases (numbers {', '.join(map(str, integrity))}) "
            "waiting for demo-internal-affairs-supervisor, demo-internal-affairs and "
            "demo-honour-commission (-2, -3) at /integrity.", highlight=False, soft_wrap=True)
    if duplicates is not None:
        Console().print(
            f"Identities: {len(duplicates.planted)} people written down twice (officers "
            f"{', '.join(map(str, duplicates.planted))}); the matcher proposed "
            f"{duplicates.proposed} pairs for the registry clerk at /identities "
            f"({matching:.1f} s).", highlight=False, soft_wrap=True)
    if imported is not None:
        Console().print(imported, markup=False, highlight=False, soft_wrap=True)
    if payroll is not None:
        Console().print(payroll, markup=False, highlight=False, soft_wrap=True)
    Console().print(_risk_summary(risk, risk_time), markup=False, highlight=False,
                    soft_wrap=True)


def _risk_summary(risk: DemoRisk, seconds: float) -> str:
    if risk.model is None and risk.skipped is not None:
        return (f"Early intervention: no model trained ({risk.skipped}); /risk says so.")
    if risk.model is None:
        return ("Early intervention: no model trained (the registry holds too few years of "
                "complaints); /risk says so. With complaints, `confianza risk train --as-of "
                "DAY` and `confianza risk score` make a queue.")
    m = risk.model
    said = (f"Early intervention: model {m.version} trained on the registry's complaints as "
            f"of {m.as_of} ({m.rows:,} officer-years, {m.outcomes} with the outcome; "
            f"{seconds:.1f} s)")
    run = risk.run
    if run is None:
        return f"{said}, not promoted: {'; '.join(m.reasons)}; nobody scored."
    if not run.by_rule:
        return (f"{said}, promoted; {run.flagged} of {run.officers:,} active officers "
                "flagged for agency HR's review at /risk (sign in as demo-agency-hr).")
    assert run.rule_count is not None and run.rule_months is not None  # a rule run's
    rule = ThresholdRule(run.rule_count, run.rule_months)
    e = rule_evaluation(m)
    measured = ""
    if e is not None and e.measures(rule.count, rule.months):
        measured = (f" On the test years {e.test_years[0]}–{e.test_years[-1]} the rule flagged "
                    f"{e.flagged:,} of {e.officer_years:,} officer-years, precision "
                    f"{_figure(e.precision)}, recall {_figure(e.recall)} "
                    f"(the model's evaluation; /risk/report shows it with its fairness).")
    return (f"{said}, not promoted: {'; '.join(m.reasons)}. A model outside the limits "
            f"scores nobody, so the {rule.en} flagged instead: {run.flagged} of "
            f"{run.officers:,} active officers, in agency HR's queue at /risk (sign in as "
            f"demo-agency-hr), each flag saying the rule raised it.{measured}")


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _replace(
    container: Container, settings: Settings, console: Console, *, replace: bool, yes: bool
) -> Container:
    """Delete a SQLite registry so the demo can be built in its place; refuse anything else."""
    if not replace:
        _fail(console, "the registry is not empty; run with --replace to delete it (SQLite only) "
              "or point CONFIANZA_DATABASE_URL at an empty database.")
    path = _sqlite_path(settings.database_url)
    if container.uow().dialect != "sqlite" or path is None:
        _fail(console, "--replace only deletes SQLite files; for PostgreSQL, drop and recreate "
              "the database yourself, then run confianza demo again.")
    if not yes:
        if not sys.stdin.isatty():
            _fail(console, f"--replace would delete {path}; add --yes to confirm (no terminal "
                  "to ask on).")
        if not typer.confirm(f"Delete {path} and everything in it?", default=False):
            _fail(console, "nothing was changed.")
    container.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    fresh = build(settings)
    migrate.upgrade(fresh.engine)
    return fresh


#: The Chicago files, by name pattern: the published names (roster_1985-2023.csv.gz,
#: complaints_2000-2023.csv.gz, complaints-accused_2000-2023.csv.gz) and the test samples'.
CHICAGO_AGENCY = "US-IL-CPD"  # the agency the shipped chicago-roster mapping sets up
_CHICAGO = {"roster": "roster*.csv*", "complaints": "complaints*.csv*",
            "accused": "*accused*.csv*"}


def _chicago_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        raise ValidationFailed(FieldError("--chicago", f"{folder} is not a folder"))
    found, missing = {}, []
    for what, pattern in _CHICAGO.items():
        matches = sorted(p for p in folder.glob(pattern)
                         if what != "complaints" or "accused" not in p.name)
        if matches:
            found[what] = matches[0]
        else:
            missing.append(f"{what} ({pattern})")
    if missing:
        raise ValidationFailed(FieldError("--chicago", f"{folder} has no {', '.join(missing)} "
                                          "file"))
    return found


def _import_chicago(container: Container, files: dict[str, Path]) -> str:
    """The Chicago roster (rows with faults left out, as `officers import --skip-invalid`
    does) and then its complaints and accused as closed, imported cases, through the same use
    cases as the commands; returns what was imported, in a sentence."""
    actor = system_actor("demo")
    mapping = load_mapping("chicago-roster")
    roster = import_officers(container.uow(), actor, read_roster(files["roster"],
                                                                 mapping.encoding),
                             mapping, skip_invalid=True)
    complaints = load_complaint_mapping("chicago-complaints")
    accused = load_complaint_mapping("chicago-accused")
    report = import_complaints(container.uow(), actor, ComplaintFiles(
        read_roster(files["complaints"], complaints.encoding),
        read_roster(files["accused"], accused.encoding), complaints, accused, "chicago",
        CHICAGO_AGENCY, True))
    linked = report.identities.get(LinkOutcome.LINKED, 0)
    ambiguous = report.identities.get(LinkOutcome.AMBIGUOUS, 0)
    unmatched = report.identities.get(LinkOutcome.UNMATCHED, 0)
    return (f"Chicago ({files['roster'].parent}): {roster.officers:,} officers of the roster "
            f"imported ({roster.rejected_rows:,} rows left out); {report.cases_added:,} complaints "
            f"stored as closed cases with {report.accused_added:,} accused: {linked:,} people "
            f"linked to officers, {ambiguous:,} for review, {unmatched:,} unmatched. Their "
            "co-accusal network: /integrity/network, as demo-internal-affairs.")


def _import_chicago_payroll(container: Container, folder: Path, seed: int) -> str | None:
    """The Chicago salaries as an imported payroll (their people linked through the profiles,
    rows with faults left out), and a few of its officers' declarations in dollars beside it
    (ADR 0038, addendum 4); None when the folder has no salaries or profiles file."""
    salaries = sorted(folder.glob("salaries*.csv*"))
    profiles = sorted(folder.glob("*profiles*.csv*"))
    if not salaries or not profiles:
        return None
    actor = system_actor("demo")
    mapping = load_payroll_mapping("chicago-salaries")
    report = import_payroll(container.uow(), actor,
                            payroll_files(salaries[0], mapping, profiles[0], True),
                            rates(get_settings()))
    sample = file_payroll_sample(container.uow(), actor, seed=seed)
    linked = report.outcomes.get(LinkOutcome.LINKED, 0)
    said = (f"Chicago payroll ({salaries[0].name}): {linked:,} of {report.rows:,} salary rows "
            f"linked to registry officers through {profiles[0].name} "
            f"({report.outcomes.get(LinkOutcome.AMBIGUOUS, 0):,} ambiguous, "
            f"{report.outcomes.get(LinkOutcome.UNMATCHED, 0):,} unmatched, "
            f"{len(report.left_out):,} left out with faults); {report.stored:,} stored for "
            f"{report.officers:,} officers.")
    if not sample.filed:
        return said
    return (f"{said} {len(sample.filed)} of them file a declaration in dollars beside it, "
            f"{len(sample.under)} declaring well under the payroll (officers "
            f"{', '.join(map(str, sample.under))}): /declarations/officers/{sample.under[0]} "
            "shows the payroll and the salary check's finding.")


def _sqlite_path(url: str) -> Path | None:
    # sqlite:///relative.db or sqlite:////absolute.db; an in-memory database has no file.
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url[len(prefix):] in ("", ":memory:"):
        return None
    return Path(url[len(prefix):].split("?", 1)[0])


def _generate(container: Container, scale: Scale, seed: int, console: Console) -> GenerationReport:
    uow, actor = container.uow(), system_actor("demo")
    if not console.is_terminal:
        return generate(uow, actor, scale=scale, seed=seed, issuer=container.issuer,
                        with_demo_users=True)
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("officers", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        return generate(uow, actor, scale=scale, seed=seed, issuer=container.issuer,
                        progress=progress, with_demo_users=True)


def _summary(report: GenerationReport, elapsed: float) -> None:
    console = Console()
    if not console.is_terminal:
        # Piped output is read by people and scripts alike: never cut a password short.
        console = Console(width=160)
    table = Table(title=f"Synthetic registry ({report.scale.value}, seed {report.seed})")
    table.add_column("rows")
    table.add_column("count", justify="right")
    for name, count in report.counts.items():
        table.add_row(name.replace("officer_", ""), f"{count:,}")
    table.add_row("elapsed", f"{elapsed:.1f} s")
    console.print(table)
    accounts = Table(title="Demo accounts (development only: passwords are shown once)")
    for column in ("username", "role", "scope", "password"):
        accounts.add_column(column, no_wrap=True, overflow="fold")
    for account in report.accounts:
        accounts.add_row(account.username, account.role.value, account.scope, account.password)
    console.print(accounts)


def _fail(console: Console, message: str) -> NoReturn:
    console.print(f"confianza demo: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)
