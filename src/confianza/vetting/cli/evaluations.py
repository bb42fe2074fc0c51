"""`confianza evaluations`: the trust-control workflow, step by step, from the console.

Request, schedule, record each exam, decide, confirm, appeal: each step calls its service, which
checks the permission, the scope and the state of the evaluation. Recording, deciding, confirming
and deciding an appeal are taken by a named person, so those commands take `--as USERNAME`
(docs/adr/0008-cli-acts-as-named-user.md).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from confianza.accounts.rules.users import User
from confianza.app.cli import UsageProblem, on_local_clock, out
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import appeals as appeal_service
from confianza.certification.service import decisions as decision_service
from confianza.core.errors import FieldError, ValidationFailed
from confianza.vetting.cli.support import (
    Listing,
    acting,
    agency_id,
    as_option,
    centre_by_code,
    csv_option,
    exam_pairs,
    exam_type,
    json_object,
    json_option,
    opened,
    print_json,
    print_pairs,
    print_table,
    read_text,
    show_rows,
    users_by_name,
)
from confianza.vetting.rules.evaluations import EvaluationKind, EvaluationStatus, ExamType
from confianza.vetting.rules.records import AppealStatus
from confianza.vetting.service import evaluations as evaluation_service
from confianza.vetting.service import exams as exam_service
from confianza.vetting.service.evaluations import EvaluationLine, EvaluationView

app = typer.Typer(help="Trust-control evaluations: request, schedule, record, decide, appeal.",
                  no_args_is_help=True)

#: An evaluation as a line of the list.
LIST: Listing[EvaluationLine] = Listing(
    ("id", lambda line: line.evaluation.id),
    ("officer", lambda line: line.evaluation.officer_id),
    ("name", lambda line: line.officer_name),
    ("agency", lambda line: line.agency_code),
    ("kind", lambda line: line.evaluation.kind),
    ("status", lambda line: line.evaluation.status),
    ("requested", lambda line: on_local_clock(line.evaluation.requested_at).date()),
    ("verdict", lambda line: line.evaluation.verdict),
    ("valid until", lambda line: line.evaluation.valid_until),
)
_PAGE = 200


class AppealOutcome(StrEnum):
    UPHELD = "upheld"
    OVERTURNED = "overturned"


# Rendering -------------------------------------------------------------------------------


def _who(view: EvaluationView, user_id: int | None) -> str:
    if user_id is None:
        return ""
    return view.people.get(user_id, f"user {user_id}")


def _as_dict(view: EvaluationView) -> dict[str, Any]:
    e, visible = view.evaluation, view.results_visible
    return {
        "id": e.id, "status": e.status, "kind": e.kind,
        "officer": {"id": view.officer.id, "name": view.officer.full_name},
        "agency": view.agency.code, "rank": e.rank, "rank_level": e.rank_level,
        "sensitive_access": e.sensitive_access, "reason": e.reason,
        "centre": view.centre.code if view.centre else None,
        "requested_by": e.requested_by, "requested_at": e.requested_at,
        "results_visible": visible,
        # The integration is made of the results: only for those who may read them.
        "recommendation": e.recommendation if visible else None,
        "integration": e.integration if visible else None,
        "verdict": e.verdict, "decided_by": _who(view, e.decided_by) or None,
        "decided_on": e.decided_on, "grounds": e.grounds,
        "confirmed_by": _who(view, e.confirmed_by) or None, "confirmed_on": e.confirmed_on,
        "valid_until": e.valid_until,
        "exams": [
            {"exam": x.exam_type, "examiner": _who(view, x.examiner_id) or None,
             "scheduled_on": x.scheduled_on, "recorded_at": x.recorded_at,
             **({"outcome": x.outcome, "result": x.result, "notes": x.notes} if visible else {})}
            for x in view.exams
        ],
        "appeal": view.appeal, "separation": view.separation,
    }


def _print_view(view: EvaluationView, title: str) -> None:
    e = view.evaluation
    pairs: list[tuple[str, Any]] = [
        ("officer", f"{view.officer.id} {view.officer.full_name}"),
        ("agency", view.agency.code), ("kind", e.kind),
        ("rank", f"{e.rank} ({e.rank_level})"), ("sensitive access", e.sensitive_access),
        ("status", e.status), ("centre", view.centre.code if view.centre else "not booked"),
        ("requested", f"{on_local_clock(e.requested_at):%Y-%m-%d} by {e.requested_by}"),
    ]
    if e.reason:
        pairs.append(("reason", e.reason))
    if view.results_visible and e.recommendation:
        pairs.append(("recommendation", e.recommendation))
    if e.verdict:
        pairs.append(("verdict", f"{e.verdict} by {_who(view, e.decided_by)} on {e.decided_on}"))
        pairs.append(("grounds", e.grounds))
    if e.confirmed_by is not None:
        pairs.append(("confirmed", f"by {_who(view, e.confirmed_by)} on {e.confirmed_on}"))
    if e.valid_until:
        pairs.append(("valid until", e.valid_until))
    if view.appeal:
        pairs.append(("appeal", f"{view.appeal.id}: {view.appeal.status}, filed "
                      f"{view.appeal.filed_on}"))
    if view.separation:
        pairs.append(("separation", f"{view.separation.id}: {view.separation.status}"))
    print_pairs(title, pairs)
    header = ["exam", "examiner", "day", "recorded"]
    if view.results_visible:
        header.append("outcome")
    rows = []
    for x in view.exams:
        recorded = on_local_clock(x.recorded_at) if x.recorded_at else None
        row: list[Any] = [x.exam_type, _who(view, x.examiner_id), x.scheduled_on,
                          f"{recorded:%Y-%m-%d %H:%M}" if recorded else ""]
        if view.results_visible:
            row.append(x.outcome)
        rows.append(row)
    print_table("Exams", header, rows)


def _show(view: EvaluationView, as_json: bool, title: str) -> None:
    if as_json:
        print_json(_as_dict(view))
    else:
        _print_view(view, title)


# Commands --------------------------------------------------------------------------------


@app.command("request")
def request(
    officer: int = typer.Option(..., "--officer", help="The officer's id in the registry."),
    agency: str = typer.Option(..., "--agency", help="Code of the agency that asks."),
    kind: EvaluationKind = typer.Option(..., "--kind", help="Why the evaluation is asked for."),
    sensitive: bool = typer.Option(False, "--sensitive",
                                   help="The post gives access to sensitive information."),
    rank: str | None = typer.Option(None, "--rank", help="The rank sought (promotion) or to "
                                    "be held (new entry); default: the current one."),
    reason: str | None = typer.Option(None, "--reason", help="Why (needed for a special "
                                      "evaluation)."),
    as_user: str | None = as_option(required=False),
    as_json: bool = json_option(),
) -> None:
    """Ask for an officer's evaluation; the exams follow from the kind, rank and access."""
    with opened() as built:
        asking = agency_id(built, agency)
        actor = acting(built, as_user)
        view = evaluation_service.request_evaluation(
            built.uow(), actor,
            evaluation_service.EvaluationRequest(officer, asking, kind, sensitive, rank, reason),
         policy=built.policy)
    _show(view, as_json, f"Evaluation {view.evaluation.id} requested")


@app.command("show")
def show(
    evaluation_id: int = typer.Argument(..., metavar="ID", help="The evaluation's id."),
    as_user: str | None = as_option(required=False),
    as_json: bool = json_option(),
) -> None:
    """An evaluation, its exams and, for whoever may read them, the results (audited)."""
    with opened() as built:
        view = evaluation_service.get_evaluation(built.uow(), acting(built, as_user),
                                                 evaluation_id)
    _show(view, as_json, f"Evaluation {evaluation_id}")


@app.command("list")
def list_evaluations(
    status: list[EvaluationStatus] = typer.Option([], "--status",
                                                  help="Only in this status (repeatable)."),
    agency: str | None = typer.Option(None, "--agency", help="Only asked for by this agency."),
    centre: str | None = typer.Option(None, "--centre", help="Only booked at this centre."),
    limit: int = typer.Option(100, "--limit", min=0, help="At most this many (0: all)."),
    as_user: str | None = as_option(required=False),
    as_json: bool = json_option(),
    csv_path: Path | None = csv_option(),
) -> None:
    """Evaluations in the caller's scope, oldest first (audited like a search)."""
    with opened() as built:
        asking = agency_id(built, agency) if agency else None
        booked = centre_by_code(built, centre, "--centre").id if centre else None
        actor = acting(built, as_user)
        lines: list[EvaluationLine] = []
        cursor: str | None = None
        while True:
            size = _PAGE if limit == 0 else min(_PAGE, limit - len(lines))
            page = evaluation_service.list_evaluations(
                built.uow(), actor, statuses=tuple(status), agency_id=asking,
                centre_id=booked, cursor=cursor, limit=size)
            lines.extend(page.items)
            cursor = page.next_cursor
            if cursor is None or (limit and len(lines) >= limit):
                break
    if as_json:
        print_json([{"id": line.evaluation.id, "officer_id": line.evaluation.officer_id,
                     "officer_name": line.officer_name, "agency": line.agency_code,
                     "kind": line.evaluation.kind, "status": line.evaluation.status,
                     "requested_at": line.evaluation.requested_at,
                     "verdict": line.evaluation.verdict,
                     "valid_until": line.evaluation.valid_until} for line in lines])
        return
    show_rows("Evaluations", LIST, lines, csv_path)


def _bookings(values: list[str], users: dict[str, User]
              ) -> dict[ExamType, evaluation_service.ExamBooking]:
    """`toxicology=USERNAME@2026-12-01` items as bookings; every fault at once."""
    errors: list[FieldError] = []
    bookings: dict[ExamType, evaluation_service.ExamBooking] = {}
    for found, value, here in exam_pairs(values, "--exam", errors):
        username, at, day_text = value.rpartition("@")
        if not at or not username:
            errors.append(FieldError(here, "write it as EXAM=USERNAME@YYYY-MM-DD"))
            continue
        user = users.get(username.strip().lower())
        if user is None:
            errors.append(FieldError(here, f"user {username} does not exist"))
        try:
            day = date.fromisoformat(day_text.strip())
        except ValueError:
            errors.append(FieldError(here, f"{day_text!r} is not a date (YYYY-MM-DD)"))
            continue
        if user is not None:
            bookings[found] = evaluation_service.ExamBooking(user.id, day)
    if errors:
        raise ValidationFailed(errors)
    return bookings


@app.command("schedule")
def schedule(
    evaluation_id: int = typer.Argument(..., metavar="ID", help="The evaluation's id."),
    centre: str = typer.Option(..., "--centre", help="Code of the centre that gives the exams."),
    exam: list[str] = typer.Option(..., "--exam", metavar="EXAM=USERNAME@DAY",
                                   help="An exam, its examiner and its day, e.g. "
                                   "toxicology=ana@2026-12-01 (one per exam still to give)."),
    as_user: str | None = as_option(required=False),
    as_json: bool = json_option(),
) -> None:
    """Book an evaluation at a centre: each exam with a qualified examiner on a day with room."""
    with opened() as built:
        at = centre_by_code(built, centre, "--centre")
        bookings = _bookings(exam, users_by_name(built))
        actor = acting(built, as_user)
        view = evaluation_service.schedule_evaluation(built.uow(), actor, evaluation_id, at.id,
                                                      bookings)
    _show(view, as_json, f"Evaluation {evaluation_id} booked at {at.code}")


def _result(result_file: Path | None, result: str | None) -> dict[str, Any]:
    if (result_file is None) == (result is None):
        raise UsageProblem("give the result with --result-file FILE or --result JSON (one of "
                           "them)")
    if result_file is not None:
        return json_object(read_text(result_file), str(result_file))
    assert result is not None
    return json_object(result, "--result")


@app.command("record")
def record(
    evaluation_id: int = typer.Argument(..., metavar="ID", help="The evaluation's id."),
    exam: str = typer.Argument(..., metavar="EXAM", help="toxicology, polygraph, "
                               "psychological, medical or socioeconomic."),
    result_file: Path | None = typer.Option(None, "--result-file", dir_okay=False,
                                            help="The result's fields, as a JSON object."),
    result: str | None = typer.Option(None, "--result", metavar="JSON",
                                      help="The result's fields, as a JSON object."),
    notes: str | None = typer.Option(None, "--notes", help="The examiner's notes."),
    as_user: str = as_option(required=True),
) -> None:
    """Record the result of an exam, as the examiner it is assigned to; once, never changed."""
    errors: list[FieldError] = []
    exam_kind = exam_type(exam, "EXAM", errors)
    if errors or exam_kind is None:
        raise ValidationFailed(errors)
    fields = _result(result_file, result)
    with opened() as built:
        task = exam_service.record_exam(built.uow(), acting(built, as_user), evaluation_id,
                                        exam_kind, fields, notes)
    out.print(f"recorded the {exam_kind} exam of evaluation {evaluation_id}: "
              f"{task.exam.outcome}", markup=False)
    if task.evaluation_status is EvaluationStatus.AWAITING_DECISION:
        out.print(f"every exam is in: evaluation {evaluation_id} awaits a decision")


@app.command("decide")
def decide(
    evaluation_id: int = typer.Argument(..., metavar="ID", help="The evaluation's id."),
    verdict: Verdict = typer.Argument(..., help="approved or not_approved."),
    grounds: str = typer.Option(..., "--grounds", help="Why (needed to fail an officer or "
                                "to set aside an adverse exam)."),
    as_user: str = as_option(required=True),
    as_json: bool = json_option(),
) -> None:
    """Decide an evaluation whose exams are all in; not approved waits for a second officer."""
    with opened() as built:
        view = decision_service.decide(built.uow(), acting(built, as_user), evaluation_id,
                                       verdict, grounds, policy=built.policy, issuer=built.issuer)
    _show(view, as_json, f"Evaluation {evaluation_id}: {view.evaluation.status}")


@app.command("confirm", help="Confirm a not-approved decision as a second certification officer, "
                             "or return it.\n\n"
                             "A confirmed decision takes effect at once. The officer is removed "
                             "from duty, a separation process opens, the certificate is revoked.")
def confirm(
    evaluation_id: int = typer.Argument(..., metavar="ID", help="The evaluation's id."),
    agree: bool = typer.Option(..., "--agree/--return",
                               help="Confirm the not-approved decision, or return it to be "
                               "decided again."),
    note: str = typer.Option("", "--note", help="Why (needed to return a decision)."),
    as_user: str = as_option(required=True),
    as_json: bool = json_option(),
) -> None:
    with opened() as built:
        view = decision_service.confirm(built.uow(), acting(built, as_user), evaluation_id,
                                        agree=agree, note=note, policy=built.policy,
                                        issuer=built.issuer)
    _show(view, as_json, f"Evaluation {evaluation_id}: {view.evaluation.status}")


@app.command("appeal")
def appeal(
    evaluation_id: int = typer.Argument(..., metavar="ID", help="The evaluation's id."),
    grounds: str = typer.Option(..., "--grounds", help="Why the decision is contested."),
    as_user: str | None = as_option(required=False),
    as_json: bool = json_option(),
) -> None:
    """File the officer's appeal against a confirmed not-approved decision."""
    with opened() as built:
        filed = appeal_service.file_appeal(built.uow(), acting(built, as_user), evaluation_id,
                                           grounds, policy=built.policy)
    if as_json:
        print_json(filed)
        return
    out.print(f"appeal {filed.id} filed against evaluation {evaluation_id} on "
              f"{filed.filed_on.isoformat()}")


@app.command("appeal-decide")
def appeal_decide(
    appeal_id: int = typer.Argument(..., metavar="APPEAL_ID", help="The appeal's id."),
    outcome: AppealOutcome = typer.Argument(..., help="upheld (the decision stands) or "
                                            "overturned (the officer counts as approved)."),
    resolution: str = typer.Option(..., "--resolution", help="The reasons for the outcome."),
    as_user: str = as_option(required=True),
    as_json: bool = json_option(),
) -> None:
    """Decide an appeal, as a certification officer who took no part in the evaluation."""
    with opened() as built:
        decided = appeal_service.decide_appeal(built.uow(), acting(built, as_user), appeal_id,
                                               AppealStatus(outcome.value), resolution,
                                               policy=built.policy, issuer=built.issuer)
    if as_json:
        print_json(decided)
        return
    out.print(f"appeal {decided.id} on evaluation {decided.evaluation_id}: {decided.status}")
