"""`confianza access`: explanation-based auditing of the reads of officers' records (issue 19,
ADR 0037).

`explain` prints, for a period, the share of reads each rule explains and the share explained
by any, for each role and overall. `simulate` writes a period of ordinary work through the
roles' real use cases into a (copy of a) demo registry, so that explanation has a trail to
work on.
"""

from __future__ import annotations

from datetime import date, datetime

import typer
from rich.table import Table

from confianza.access.rules.explanations import NO_ROLE, RULES, Report, Tally
from confianza.access.service.explanations import explain
from confianza.app.cli import container, err, operator, out
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
    words = {rule.name: rule.words for rule in RULES}
    for name in report.rules:
        table.add_row(f"{name}\n[dim]{words[name]}[/dim]",
                      *(_share(t.by_rule[name], t.reads) for _, t in roles))
    table.add_row("explained (any rule)", *(_share(t.explained, t.reads) for _, t in roles),
                  style="bold", end_section=True)
    table.add_row("unexplained", *(f"{t.reads - t.explained:,}" for _, t in roles))
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
