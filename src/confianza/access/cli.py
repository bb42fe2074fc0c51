"""`confianza access`: explanation-based auditing of the reads of officers' records (issue 19,
ADR 0037).

`explain` prints, for a period, the share of reads each rule explains and the share explained
by any, for each role and overall. `simulate` writes a period of ordinary work through the
roles' real use cases into a (copy of a) demo registry, so that explanation has a trail to
work on.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import typer
from rich.table import Table

from confianza.access.rules.explanations import NO_ROLE, RULES, Report, Tally
from confianza.access.service.explanations import explain
from confianza.access.service.simulation import simulate
from confianza.app.bootstrap import build
from confianza.app.cli import UsageProblem, container, err, operator, out
from confianza.app.settings import Environment, Settings
from confianza.core.civil_time import civil_date, system_now, zone_named
from confianza.core.errors import FieldError, ValidationFailed

app = typer.Typer(help="Every read of an officer's record explained, or not, by the work that "
                  "justified it (ADR 0037).", no_args_is_help=True)

_OPTION = {"from": "--from", "to": "--to", "rule": "--rule"}


def _day(text: str, option: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ValidationFailed(FieldError(option, f"{text!r} is not a day written "
                                          "YYYY-MM-DD")) from None


def _share(part: int, whole: int) -> str:
    return "—" if not whole else f"{100 * part / whole:.1f}%"


def report_table(report: Report, since: date, until: date) -> Table:
    """Rules down, roles across: each cell the share of that role's reads the rule explains;
    the last row the share explained by any rule."""
    roles: list[tuple[str, Tally]] = [*report.by_role.items(), ("all", report.overall)]
    table = Table(title=f"Reads of officers' records explained, {since} to {until}")
    table.add_column("rule")
    for role, _ in roles:
        table.add_column("(no account)" if role == NO_ROLE else role, justify="right")
    table.add_row("reads", *(f"{t.reads:,}" for _, t in roles), end_section=True)
    for name in report.rules:
        table.add_row(name, *(_share(t.by_rule[name], t.reads) for _, t in roles))
    table.add_row("explained (any rule)", *(_share(t.explained, t.reads) for _, t in roles),
                  style="bold", end_section=True)
    table.add_row("unexplained", *(f"{t.reads - t.explained:,}" for _, t in roles))
    words = {rule.name: rule.words for rule in RULES}
    table.caption = "; ".join(f"{name}: {words[name]}" for name in report.rules)
    return table


@app.command("explain")
def explain_command(
    since: str = typer.Option(..., "--from", help="The period's first day (YYYY-MM-DD)."),
    until: str = typer.Option(..., "--to", help="The period's last day, included."),
    rule: list[str] = typer.Option([], "--rule", help="Only this rule (repeat for several); "
                                   "default: every rule."),
) -> None:
    """The share of the period's reads of officers' records explained by each rule and by
    any, by role."""
    first, last = _day(since, "--from"), _day(until, "--to")
    built = container()
    try:
        try:
            found = explain(built.uow(), operator(), first, last, rule)
        except ValidationFailed as exc:
            raise ValidationFailed([FieldError(_OPTION.get(e.location, e.location), e.reason)
                                    for e in exc.errors]) from None
    finally:
        built.dispose()
    out.print(report_table(found.report, first, last))
    overall = found.report.overall
    err.print(f"{overall.explained:,} of {overall.reads:,} reads explained "
              f"({_share(overall.explained, overall.reads)})", markup=False)


class _Clock:
    """The simulation's clock: it reads what the simulation last set."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = max(self.now, moment.astimezone(UTC))


def _copy(source: str, into: Path) -> str:
    """A copy of the SQLite database at `source` in `into` (SQLite's online backup, so a
    server may keep running on the original); its URL."""
    prefix = next((p for p in ("sqlite:///", "sqlite+pysqlite:///") if source.startswith(p)),
                  None)
    database = source[len(prefix):].split("?", 1)[0] if prefix else ""
    if not database or database == ":memory:":
        raise UsageProblem("access simulate works on a copy of a SQLite demo registry "
                           "(CONFIANZA_DATABASE_URL=sqlite:///var/demo.db, built by "
                           "`confianza demo`)")
    original = Path(database)
    if not original.is_file():
        raise ValidationFailed(FieldError(str(original), "no such database: build one with "
                                          "`confianza demo` first"))
    if into.resolve() == original.resolve():
        raise ValidationFailed(FieldError("--into", "is the demo registry itself; name a copy"))
    into.parent.mkdir(parents=True, exist_ok=True)
    into.unlink(missing_ok=True)
    with sqlite3.connect(original) as source_db, sqlite3.connect(into) as target:
        source_db.backup(target)
    return f"sqlite:///{into}"


@app.command("simulate")
def simulate_command(
    into: Path = typer.Option(Path("var/demo-simulated.db"), "--into",
                              help="Where the copy of the demo registry is written (replaced)."),
    days: int = typer.Option(91, "--days", min=1, max=366,
                             help="Calendar days of work (a quarter by default)."),
    first: str | None = typer.Option(None, "--from", help="The first day (YYYY-MM-DD; "
                                     "default: tomorrow)."),
    agencies: int = typer.Option(8, "--agencies", min=1, max=100,
                                 help="How many agencies have an HR account at work."),
    seed: int = typer.Option(2018, "--seed", help="The same seed does the same work."),
) -> None:
    """Copy the demo registry, do a period of ordinary work in it through the roles' real use
    cases, then explain the period's reads."""
    settings = Settings()
    if settings.environment not in (Environment.DEVELOPMENT, Environment.TEST):
        raise UsageProblem("access simulate makes up staff and their work: it runs only with "
                           "CONFIANZA_ENVIRONMENT=development or test")
    zone = zone_named(settings.time_zone)
    start = (_day(first, "--from") if first is not None
             else civil_date(system_now(), zone) + timedelta(days=1))
    url = _copy(settings.database_url, into)
    clock = _Clock(datetime.combine(start, datetime.min.time(), zone).astimezone(UTC))
    built = build(settings.model_copy(update={"database_url": url}), clock=clock)
    try:
        done = simulate(built.uow(), operator(), first=start, days=days, seed=seed, zone=zone,
                        set_time=clock.set, policy=built.policy, issuer=built.issuer,
                        agencies=agencies,
                        progress=lambda d: err.print(f"{d} worked", markup=False)
                        if d.weekday() == 4 else None)
        found = explain(built.uow(), operator(), done.first, done.last)
    finally:
        built.dispose()
    err.print(f"{done.accounts} staff accounts worked {done.first} to {done.last} in {into}; "
              + ", ".join(f"{what} {n:,}" for what, n in sorted(done.acts.items())), markup=False)
    if done.refused:
        err.print("refused as ordinary work is: " + ", ".join(
            f"{what} {n:,}" for what, n in sorted(done.refused.items())), markup=False)
    out.print(report_table(found.report, done.first, done.last))
    overall = found.report.overall
    err.print(f"{overall.explained:,} of {overall.reads:,} reads explained "
              f"({_share(overall.explained, overall.reads)})", markup=False)
