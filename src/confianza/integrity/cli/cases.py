"""`confianza integrity`: integrity cases from the console, acting as a named account (ADR 0008).

`open` takes a case in from a JSON or TOML file shaped like the API's intake body; `queue`,
`show`, `assign`, `finding` and `close` are the steps a supervisor and a decider take most.
The complaint files of another authority are the `complaints` commands (cli_complaints).
Every refusal is the service's, printed as one line naming what is wrong.
"""

from __future__ import annotations

import tomllib
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import typer

from confianza.core.errors import ErrorCollector, FieldError, ValidationFailed
from confianza.integrity.cli import complaints as cli_complaints
from confianza.integrity.cli import sanctions as cli_sanctions
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    FindingKind,
    Reliability,
    SourceChannel,
)
from confianza.integrity.rules.safeguards import SupportKind
from confianza.integrity.service import cases, decisions
from confianza.integrity.service.cases import CaseFile, NewAllegation, NewCase, NewSource
from confianza.integrity.service.decisions import Relied
from confianza.vetting.cli.support import (
    acting,
    as_option,
    json_object,
    json_option,
    opened,
    plain,
    print_json,
    print_pairs,
    print_table,
    read_text,
    user_by_name,
)

app = typer.Typer(help="Integrity cases: intake, the queue, the case file, findings.",
                  no_args_is_help=True)
app.add_typer(cli_complaints.app, name="complaints")
app.command("network")(cli_complaints.network_command)
app.add_typer(cli_sanctions.app, name="sanctions")

E = TypeVar("E", bound=Enum)


class _Reader:
    """Reads the intake file's values, naming each fault `file:path` and collecting them all."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors = ErrorCollector()

    def fault(self, path: str, reason: str) -> None:
        self.errors.add(f"{self.source}:{path}", reason)

    def text(self, data: dict[str, Any], path: str, key: str, *,
             required: bool = True) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fault(f"{path}{key}", "is required")
            return None
        if not isinstance(value, str):
            self.fault(f"{path}{key}", "must be text")
            return None
        return value

    def enum(self, kind: type[E], data: dict[str, Any], path: str, key: str) -> E | None:
        value = data.get(key)
        try:
            return kind(str(value))
        except ValueError:
            known = ", ".join(str(k.value) for k in kind)
            self.fault(f"{path}{key}", f"{value!r} is not one of: {known}")
            return None

    def day(self, data: dict[str, Any], path: str, key: str, *,
            required: bool = True) -> date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fault(f"{path}{key}", "is required (YYYY-MM-DD)")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fault(f"{path}{key}", f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def number(self, data: dict[str, Any], path: str, key: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fault(f"{path}{key}", f"{value!r} is not a whole number")
            return None
        return value

    def flag(self, data: dict[str, Any], path: str, key: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fault(f"{path}{key}", "must be true or false")
            return False
        return value

    def items(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fault(key, "must be a list of tables/objects")
            return []
        return value


SOURCE_KEYS = {"channel", "reliability", "credibility", "account", "received_on",
               "reporter_name", "reporter_user_id", "reporter_officer_id", "protected",
               "benefit", "coercion_claimed", "protected_identity"}
ALLEGATION_KEYS = {"kind", "summary", "sources", "officer_id", "accused_name", "accused_badge",
                   "occurred_on", "place"}


def _unknown(reader: _Reader, data: dict[str, Any], path: str, known: set[str]) -> None:
    for key in sorted(set(data) - known):
        reader.fault(f"{path}{key}", "is not a field of the intake (known: "
                     + ", ".join(sorted(known)) + ")")


def read_intake(path: Path) -> NewCase:
    """A case to open, from a JSON or TOML file shaped like the API's intake body."""
    text = read_text(path)
    if path.suffix.lower() == ".toml":
        try:
            data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValidationFailed(FieldError(str(path), f"not valid TOML: {exc}")) from None
    else:
        data = json_object(text, str(path))
    r = _Reader(str(path))
    _unknown(r, data, "", {"agency_id", "summary", "sources", "allegations"})
    agency = r.number(data, "", "agency_id")
    if agency is None:
        r.fault("agency_id", "is required (the agency whose internal affairs hold the case)")
    sources = []
    for i, s in enumerate(r.items(data, "sources")):
        at = f"sources[{i}]."
        _unknown(r, s, at, SOURCE_KEYS)
        channel = r.enum(SourceChannel, s, at, "channel")
        reliability = r.enum(Reliability, s, at, "reliability")
        credibility = r.enum(Credibility, s, at, "credibility")
        account = r.text(s, at, "account")
        received = r.day(s, at, "received_on")
        if channel and reliability and credibility and account is not None and received:
            sources.append(NewSource(
                channel, reliability, credibility, account, received,
                reporter_name=r.text(s, at, "reporter_name", required=False),
                reporter_user_id=r.number(s, at, "reporter_user_id"),
                reporter_officer_id=r.number(s, at, "reporter_officer_id"),
                protected=r.flag(s, at, "protected"), benefit=r.flag(s, at, "benefit"),
                coercion_claimed=r.flag(s, at, "coercion_claimed"),
                protected_identity=r.text(s, at, "protected_identity", required=False)))
    allegations = []
    for i, a in enumerate(r.items(data, "allegations")):
        at = f"allegations[{i}]."
        _unknown(r, a, at, ALLEGATION_KEYS)
        kind = r.enum(AllegationKind, a, at, "kind")
        summary = r.text(a, at, "summary")
        positions = a.get("sources", [])
        if not isinstance(positions, list) or not all(
                isinstance(p, int) and not isinstance(p, bool) for p in positions):
            r.fault(f"{at}sources", "must be a list of source positions (0, 1, ...)")
            positions = []
        if kind and summary is not None:
            allegations.append(NewAllegation(
                kind, summary, tuple(positions), officer_id=r.number(a, at, "officer_id"),
                accused_name=r.text(a, at, "accused_name", required=False),
                accused_badge=r.text(a, at, "accused_badge", required=False),
                occurred_on=r.day(a, at, "occurred_on", required=False),
                place=r.text(a, at, "place", required=False)))
    summary = r.text(data, "", "summary")
    r.errors.raise_if_any()
    return NewCase(agency or 0, summary or "", tuple(sources), tuple(allegations))


def _print_case(found: CaseFile) -> None:
    case = found.case
    late = f", {found.due.days_late} days late" if found.due.overdue else ""
    print_pairs(f"case {case.id}", [
        ("stage", f"{case.stage} since {case.stage_since}"),
        ("due", f"{found.due.due_on or '-'}{late}"),
        ("agency", case.agency_id), ("summary", case.summary),
        ("people", ", ".join(f"{a.user_id} ({a.duty})" for a in found.assignments) or "-"),
    ])
    print_table("allegations", ("id", "kind", "accused", "standing", "finding"), [
        (v.allegation.id, v.allegation.kind,
         (f"officer {v.allegation.officer_id}" if v.allegation.officer_id is not None
          else f"unmatched: {v.allegation.accused_name or ''} {v.allegation.accused_badge or ''}"
          .strip()),
         v.assessment.standing,
         "" if v.finding is None else (f"{v.finding.finding}"
                                       + ("" if v.finding.in_effect else " (waits)")))
        for v in found.allegations])
    print_table("sources", ("id", "channel", "grades", "protected", "coercion claimed"), [
        (s.id, s.channel, f"{s.reliability}{s.credibility}", s.protected, s.coercion_claimed)
        for s in found.sources])


@app.command("open", help="Take a case in: its sources and allegations. An accused the registry "
                          "cannot name for certain is kept as given (name, badge), never attached "
                          "by guess.")
def open_case(
    file: Path = typer.Argument(..., help="The intake, JSON or TOML, shaped like the API's "
                                "body: agency_id, summary, sources, allegations."),
    as_user: str = as_option(required=True),
    as_json: bool = json_option(),
) -> None:
    new = read_intake(file)
    with opened() as built:
        found = cases.open_case(built.uow(), acting(built, as_user), new)
    if as_json:
        print_json(found)
    else:
        _print_case(found)


@app.command("queue")
def queue(as_user: str = as_option(required=True), as_json: bool = json_option()) -> None:
    """What waits for the account, oldest step first, and what is late."""
    with opened() as built:
        lines = cases.queue(built.uow(), acting(built, as_user))
    if as_json:
        print_json(lines)
        return
    print_table(f"{len(lines)} cases, {sum(1 for x in lines if x.due.overdue)} late",
                ("case", "stage", "since", "due", "days late", "allegations"),
                [(x.case.id, x.case.stage, x.case.stage_since, x.due.due_on,
                  x.due.days_late or "", x.allegations) for x in lines])


@app.command("show")
def show(case: int = typer.Argument(..., help="The case's number."),
         as_user: str = as_option(required=True), as_json: bool = json_option()) -> None:
    """The case file, for its people and the supervisors of its scope (audited)."""
    with opened() as built:
        found = cases.read_case(built.uow(), acting(built, as_user), case)
    if as_json:
        print_json(plain(found))
    else:
        _print_case(found)


@app.command("assign")
def assign(
    case: int = typer.Argument(..., help="The case's number."),
    username: str = typer.Argument(..., help="The account to give the duty to."),
    duty: Duty = typer.Option(..., help="investigator, decider or appeal_decider."),
    officer: int | None = typer.Option(None, help="The person's own registry record, so that "
                                       "the chain of command can be checked."),
    as_user: str = as_option(required=True),
) -> None:
    """Give a case one of its people; the safeguards may refuse them, naming the rule."""
    with opened() as built:
        user = user_by_name(built, username)
        cases.assign(built.uow(), acting(built, as_user), case, user.id, duty,
                     officer_id=officer)
    typer.echo(f"case {case}: {username} is its {duty}")


def _relied(values: list[str]) -> list[Relied]:
    found, errors = [], ErrorCollector()
    for i, value in enumerate(values):
        kind, _, number = value.partition(":")
        try:
            found.append(Relied(SupportKind(kind), int(number)))
        except ValueError:
            errors.add(f"--rests-on[{i}]", f"{value!r}: write source:ID or evidence:ID")
    errors.raise_if_any()
    return found


@app.command("finding", help="Record a finding on one allegation as a decider of the case; an "
                             "unsafe one is refused naming the safeguard.")
def finding(
    case: int = typer.Argument(..., help="The case's number."),
    allegation: int = typer.Option(..., help="The allegation's number."),
    outcome: FindingKind = typer.Option(..., "--finding", help="sustained, not_sustained, "
                                        "unfounded or exonerated."),
    grounds: str = typer.Option(..., help="Why, in words."),
    rests_on: list[str] = typer.Option([], "--rests-on", help="source:ID or evidence:ID, "
                                       "once per item the finding rests on."),
    as_user: str = as_option(required=True),
) -> None:
    relied = _relied(rests_on)
    with opened() as built:
        found = decisions.record_finding(built.uow(), acting(built, as_user), case, allegation,
                                         outcome, grounds, relied)
    held = next(v.finding for v in found.allegations if v.allegation.id == allegation)
    waits = held is not None and not held.in_effect
    typer.echo(f"case {case}, allegation {allegation}: {outcome}"
               + (" (waits for a second decider)" if waits else ""))


@app.command("close", help="Close a case: filed away at intake by a supervisor, or by a decider "
                           "once nothing is sustained or the appeal period is over.")
def close(
    case: int = typer.Argument(..., help="The case's number."),
    note: str = typer.Option(..., help="Why the case closes, in words."),
    at_intake: bool = typer.Option(False, "--at-intake", help="File a case away before any "
                                   "notice (a supervisor)."),
    as_user: str = as_option(required=True),
) -> None:
    with opened() as built:
        actor = acting(built, as_user)
        if at_intake:
            found = cases.close_at_intake(built.uow(), actor, case, note)
        else:
            found = decisions.close_case(built.uow(), actor, case, note)
    typer.echo(f"case {case}: {found.case.stage}")
