"""`confianza access`: explanation-based auditing of the reads of officers' records (issue 19,
ADR 0037).

`explain` prints, for a period, the share of reads each rule explains and the share explained
by any, for each role and overall. `simulate` writes a period of ordinary work through the
roles' real use cases into a (copy of a) demo registry, so that explanation has a trail to
work on.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from confianza.access.rules.explanations import NO_ROLE, RULES, Report, Tally
from confianza.access.service import alerts as alert_service
from confianza.access.service import planting
from confianza.access.service import state as lookback_state
from confianza.access.service.explanations import explain
from confianza.access.service.simulation import simulate, working_days
from confianza.app.bootstrap import Container, build
from confianza.app.cli import UsageProblem, container, err, operator, out
from confianza.app.settings import Environment, Settings
from confianza.core.civil_time import civil_date, system_now, zone_named
from confianza.core.errors import FieldError, ValidationFailed
from confianza.transparency.service import log as transparency
from confianza.transparency.service.verify import VerifyReport, verify_log
from confianza.vetting.cli.support import PIPE_WIDTH, acting, as_option

app = typer.Typer(help="Every read of an officer's record explained, or not, by the work that "
                  "justified it (ADR 0037).", no_args_is_help=True)

_OPTION = {"from": "--from", "to": "--to", "rule": "--rule", "threshold": "--threshold"}


def _day(text: str, option: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ValidationFailed(FieldError(option, f"{text!r} is not a day written "
                                          "YYYY-MM-DD")) from None


def _share(part: int, whole: int) -> str:
    return "—" if not whole else f"{100 * part / whole:.1f}%"


def show(table: Table) -> None:
    """Print a table whose columns fold rather than cut a name short; piped, at the width the
    other commands' lists use (Console.print cannot widen past the console's own: 80)."""
    console = out if out.is_terminal else Console(width=PIPE_WIDTH, highlight=False)
    console.print(table)


def report_table(report: Report, since: date, until: date) -> Table:
    """Rules down, roles across: each cell the share of that role's reads the rule explains;
    the last row the share explained by any rule."""
    roles: list[tuple[str, Tally]] = [*report.by_role.items(), ("all", report.overall)]
    table = Table(title=f"Reads of officers' records explained, {since} to {until}")
    table.add_column("rule", overflow="fold")
    for role, _ in roles:
        table.add_column("(no account)" if role == NO_ROLE else role, justify="right",
                         overflow="fold")
    table.add_row("reads", *(f"{t.reads:,}" for _, t in roles), end_section=True)
    for name in report.rules:
        table.add_row(name, *(_share(t.by_rule[name], t.reads) for _, t in roles))
    table.add_row("explained (any rule)", *(_share(t.explained, t.reads) for _, t in roles),
                  style="bold", end_section=True)
    table.add_row("unexplained", *(f"{t.reads - t.explained:,}" for _, t in roles))
    words = {rule.name: rule.words for rule in RULES}
    table.caption = "; ".join(f"{name}: {words[name]}" for name in report.rules)
    return table


@app.command("explain", help="The share of the period's reads of officers' records explained by "
                             "each rule and by any, by role.")
def explain_command(
    since: str = typer.Option(..., "--from", help="The period's first day (YYYY-MM-DD)."),
    until: str = typer.Option(..., "--to", help="The period's last day, included."),
    rule: list[str] = typer.Option([], "--rule", help="Only this rule (repeat for several); "
                                   "default: every rule."),
) -> None:
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
    show(report_table(found.report, first, last))
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


def _after_the_trail(into: Path, start: datetime) -> None:
    """Refuse a simulated period that would begin before the copy's last audit entry: the
    trail is written in time order (explanation and detection find a period's entries by it),
    so work dated before entries already written would be found nowhere."""
    with sqlite3.connect(into) as db:
        last = db.execute("SELECT max(at) FROM audit_entries").fetchone()[0]
    if last is None:
        return
    written = datetime.fromisoformat(str(last)).replace(tzinfo=UTC)
    if start.astimezone(UTC) <= written:
        raise ValidationFailed(FieldError("--from", (
            f"{start.date()} is not after the registry's last audit entry "
            f"({written:%Y-%m-%d %H:%M} UTC): simulated work must come after what the trail "
            "already holds, which is written in time order")))


@app.command("simulate", help="Copy the demo registry, do a period of ordinary work in it through "
                              "the roles' real use cases, then explain the period's reads.")
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
    settings = Settings()
    if settings.environment not in (Environment.DEVELOPMENT, Environment.TEST):
        raise UsageProblem("access simulate makes up staff and their work: it runs only with "
                           "CONFIANZA_ENVIRONMENT=development or test")
    zone = zone_named(settings.time_zone)
    start = (_day(first, "--from") if first is not None
             else civil_date(system_now(), zone) + timedelta(days=1))
    url = _copy(settings.database_url, into)
    clock = _Clock(datetime.combine(start, datetime.min.time(), zone).astimezone(UTC))
    _after_the_trail(into, clock.now)
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
    show(report_table(found.report, done.first, done.last))
    overall = found.report.overall
    err.print(f"{overall.explained:,} of {overall.reads:,} reads explained "
              f"({_share(overall.explained, overall.reads)})", markup=False)


# Insider detection: scoring what explanation leaves, and the auditors' queue ---------------

def trail_check(built: Container) -> Callable[[], VerifyReport]:
    """The check detection runs first: the whole log held to its signed checkpoints."""
    keys = built.log_keys()

    def check() -> VerifyReport:
        return verify_log(built.uow(), keys.verifiers, keys.public_log(), origin=keys.origin)
    return check


@app.command("detect", help="Check the trail verifies, explain the period's reads, score the "
                            "unexplained ones day by day and put the alerts above the threshold in "
                            "the auditors' queue.\n\n"
                            "The four weeks before are taken from the state the last run kept "
                            "when it can be trusted (else explained from the trail: the run says "
                            "which), and the state this run leaves is kept with its alerts.")
def detect_command(
    since: str = typer.Option(..., "--from", help="The period's first day (YYYY-MM-DD)."),
    until: str = typer.Option(..., "--to", help="The period's last day, included."),
    threshold: float | None = typer.Option(None, "--threshold", help="Points that make an "
                                           "alert (default: CONFIANZA_ACCESS_ALERT_THRESHOLD)."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Explain the lookback from the "
                                 "trail even when the last run kept it."),
) -> None:
    first, last = _day(since, "--from"), _day(until, "--to")
    built = container()
    try:
        limit = threshold if threshold is not None else built.settings.access_alert_threshold
        try:
            found, origin = lookback_state.detect_kept(
                built.uow(), operator(), first, last, threshold=limit,
                verify=trail_check(built), rebuild=rebuild)
        except ValidationFailed as exc:
            raise ValidationFailed([FieldError(_OPTION.get(e.location, e.location), e.reason)
                                    for e in exc.errors]) from None
    finally:
        built.dispose()
    table = Table(title=f"Alerts raised, {first} to {last}")
    for column in ("alert", "reader", "day", "points", "signals", "reads"):
        table.add_column(column, overflow="fold")
    for alert in found.alerts:
        table.add_row(str(alert.id), alert.reader, alert.day.isoformat(), f"{alert.points:g}",
                      ", ".join(alert.signals), str(alert.reads))
    show(table)
    err.print(f"lookback: {origin.line()}", markup=False)
    err.print(f"{found.reads:,} reads, {found.suspects:,} unexplained or reached only by "
              f"search; {len(found.alerts)} alerts at {limit:g} points", markup=False)


@app.command("alerts")
def alerts_command(
    outcome: str | None = typer.Option(None, "--outcome", help="Only alerts marked so "
                                       "(open, justified, misuse, interview)."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="How many, newest first."),
    as_user: str | None = as_option(required=False),
) -> None:
    """The auditors' queue: alerts newest first, and the share of decided ones confirmed."""
    chosen = alert_service.parse_outcome(outcome, "--outcome")
    built = container()
    try:
        page = alert_service.list_alerts(built.uow(), acting(built, as_user), outcome=chosen,
                                         limit=limit)
    finally:
        built.dispose()
    table = Table(title="Alerts on unexplained reads")
    for column in ("alert", "reader", "role", "days", "points", "reads", "outcome", "why"):
        table.add_column(column, overflow="fold")
    for a in page.items:
        table.add_row(str(a.id), a.reader, a.reader_role or "—", f"{a.first_day} – {a.day}",
                      f"{a.points:g}", str(a.reads), a.outcome.value, a.why("en"))
    show(table)
    report = page.report
    share = report.confirmed_share
    err.print(f"{report.total} alerts: " + ", ".join(
        f"{o.value} {n}" for o, n in sorted(report.counts.items())) +
        f"; confirmed misuse {'—' if share is None else f'{100 * share:.0f}%'} of "
        f"{report.decided} decided", markup=False)


@app.command("alert")
def alert_command(
    alert_id: int = typer.Argument(..., help="The alert's number."),
    outcome: str | None = typer.Option(None, "--outcome", help="Mark it: justified, misuse "
                                       "or interview."),
    note: str | None = typer.Option(None, "--note", help="What was found (needed to mark)."),
    as_user: str | None = as_option(required=False),
) -> None:
    """One alert: why, and the reads behind it; with --outcome and --note, mark it."""
    built = container()
    try:
        actor = acting(built, as_user)
        if outcome is not None or note is not None:
            try:
                found = alert_service.mark_alert(built.uow(), actor, alert_id, outcome or "",
                                                 note or "")
            except ValidationFailed as exc:
                raise ValidationFailed([FieldError(f"--{e.location}", e.reason)
                                        for e in exc.errors]) from None
        else:
            found = alert_service.get_alert(built.uow(), actor, alert_id)
    finally:
        built.dispose()
    out.print(f"alert {found.id}: {found.reader} ({found.reader_role or '—'}), "
              f"{found.first_day} to {found.day}, {found.points:g} points "
              f"(threshold {found.threshold:g}), {found.outcome.value}", markup=False)
    for signal in found.signals:
        out.print(f"  {signal.get('name')}: {signal.get('en')} / {signal.get('es')}",
                  markup=False)
    table = Table(title="Reads behind the alert")
    for column in ("entry", "when", "officer", "action", "signals"):
        table.add_column(column, overflow="fold")
    for r in found.read_list:
        table.add_row(str(r.entry_id), r.at.isoformat(timespec="minutes"), str(r.officer_id),
                      r.action, ", ".join(r.signals))
    show(table)
    for mark in found.marks:
        out.print(f"  {mark.at.isoformat(timespec='minutes')} {mark.by}: {mark.outcome.value} "
                  f"— {mark.note}", markup=False)


@app.command("plant", help="Copy the demo registry, do a period of ordinary work with four planted "
                           "insiders among it, then detect day by day: whether and when each "
                           "insider is caught, and the false alerts per 100 users per week "
                           "(development only).")
def plant_command(
    into: Path = typer.Option(Path("var/demo-planted.db"), "--into",
                              help="Where the copy of the demo registry is written (replaced)."),
    days: int = typer.Option(91, "--days", min=60, max=366,
                             help="Calendar days of work (a quarter by default)."),
    first: str | None = typer.Option(None, "--from", help="The first day (YYYY-MM-DD; "
                                     "default: tomorrow)."),
    seed: int = typer.Option(2018, "--seed", help="The same seed does the same work."),
    threshold: float | None = typer.Option(None, "--threshold", help="Points that make an "
                                           "alert (default: CONFIANZA_ACCESS_ALERT_THRESHOLD)."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Each day's run explains its "
                                 "lookback from the trail, rather than taking the state the "
                                 "run before kept."),
) -> None:
    settings = Settings()
    if settings.environment not in (Environment.DEVELOPMENT, Environment.TEST):
        raise UsageProblem("access plant makes up staff and their misuse: it runs only with "
                           "CONFIANZA_ENVIRONMENT=development or test")
    zone = zone_named(settings.time_zone)
    start = (_day(first, "--from") if first is not None
             else civil_date(system_now(), zone) + timedelta(days=1))
    limit = threshold if threshold is not None else settings.access_alert_threshold
    url = _copy(settings.database_url, into)
    clock = _Clock(datetime.combine(start, datetime.min.time(), zone).astimezone(UTC))
    _after_the_trail(into, clock.now)
    built = build(settings.model_copy(update={"database_url": url}), clock=clock)
    me = operator()
    try:
        with built.uow().transaction(read_only=True) as tx:
            pool = tx.access.officer_ids()
        plan = planting.Plan(pool, random.Random(seed + 1))
        done = simulate(built.uow(), me, first=start, days=days, seed=seed, zone=zone,
                        set_time=clock.set, policy=built.policy, issuer=built.issuer,
                        progress=lambda d: err.print(f"{d} worked", markup=False)
                        if d.weekday() == 4 else None, extra=plan.sessions)
        transparency.integrate(built.uow(), built.log_keys().public_log())
        checked = trail_check(built)()  # once: detection adds only its own entries after it
        measure = planting.measure(built.uow(), me, plan, working_days(start, days), zone,
                                   threshold=limit, verify=lambda: checked,
                                   users=done.accounts, set_time=clock.set,
                                   integrate=lambda: transparency.integrate(
                                       built.uow(), built.log_keys().public_log()),
                                   progress=lambda d: err.print(f"{d} detected", markup=False)
                                   if d.weekday() == 4 else None, rebuild=rebuild)
    finally:
        built.dispose()
    table = Table(title=f"Planted insiders, {done.first} to {done.last}, threshold {limit:g}")
    for column in ("scenario", "reader", "first act", "caught (detection of)",
                   "working days"):
        table.add_column(column, overflow="fold")
    for c in measure.caught:
        table.add_row(c.scenario, c.reader or "—", str(c.start or "—"),
                      str(c.caught or "not caught"),
                      "—" if c.working_days is None else str(c.working_days))
    show(table)
    err.print(f"false alerts: {measure.false_alerts} over {measure.weeks:.1f} weeks after a "
              f"{planting.WARM_UP}-working-day warm-up, {measure.users} users: "
              f"{measure.false_per_100_users_week:.2f} per 100 users per week", markup=False)
    err.print(f"lookback: {measure.kept} runs took the state the run before kept, "
              f"{len(measure.rebuilt)} explained it from the trail", markup=False)
    for why in measure.rebuilt:
        err.print(f"  {why}", markup=False)
