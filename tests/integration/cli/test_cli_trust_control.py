"""`confianza centres|evaluations|certification`: the trust-control workflow from the console.

The commands run in-process against a migrated database (SQLite and PostgreSQL). The CLI runs on
the real clock, so the world is built on it too and exams are booked for the civil today. The
wall clock is pinned (time-machine) half an hour after UTC midnight, in Tijuana: the evening
before there, when "today" read from UTC would be a day ahead.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import OPERATOR, PASS, World, build_world, failing  # noqa: E402

from confianza.accounts.service import users
from confianza.app.bootstrap import Container, build  # noqa: E402
from confianza.app.console import main  # noqa: E402
from confianza.app.settings import Environment, Settings  # noqa: E402
from confianza.core.civil_time import civil_date  # noqa: E402
from confianza.trail.rules import AuditAction  # noqa: E402
from confianza.vetting.rules.evaluations import EvaluationStatus, ExamType  # noqa: E402
from confianza.vetting.service import evaluations
from conftest import Pinned, pinned_wall_clock  # noqa: E402

GROUNDS = "Positive toxicology for cocaine, confirmed by the second sample at the lab."
APPEAL = "The second sample was taken outside the chain of custody the rules require."
RESOLUTION = "The chain of custody of the second sample was broken: the result cannot stand."


PINNED = ("0030-utc", "America/Tijuana")


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pinned]:
    with pinned_wall_clock(*PINNED, monkeypatch) as moment:
        yield moment


@pytest.fixture
def world(pinned: Pinned, agencies: dict[str, int], database_url: str,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    # The world is built on the real clock, as the commands run: bookings made here for today
    # are today for the CLI too.
    real = build(Settings(environment=Environment.TEST, database_url=database_url))
    try:
        yield build_world(real, agencies)
    finally:
        real.dispose()


def today() -> str:
    """The civil day the CLI calls today: where the deployment is, at the pinned instant."""
    return civil_date(datetime.now(UTC), ZoneInfo(PINNED[1])).isoformat()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out


def ok_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    return json.loads(ok(capsys, *args, "--json"))


def entries(container: Container, action: str) -> list[Any]:
    with container.uow().transaction() as tx:
        return [e for e in tx.audit.entries(limit=5000) if e.action == action]


def examiner_of(exam: str) -> str:
    return "examinador-dos" if exam == ExamType.POLYGRAPH else "examinador-uno"


def test_the_whole_workflow_from_centre_to_appeal(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ok(capsys, "centres", "create", "C3-GDL", "Centro de Evaluación de Guadalajara", "--state",
       "14", *(f"--capacity={t.value}=5" for t in ExamType))
    ok(capsys, "centres", "examiner", "C3-GDL", "examinador-uno", "--exam", "toxicology",
       "--exam", "psychological", "--exam", "medical", "--exam", "socioeconomic")
    assert "examinador-dos examines at C3-GDL: polygraph" in ok(
        capsys, "centres", "examiner", "C3-GDL", "examinador-dos", "--exam", "polygraph")
    listed = {c["code"]: c for c in ok_json(capsys, "centres", "list")}
    assert listed["C3-GDL"]["capacity"]["polygraph"] == 5
    ok(capsys, "centres", "capacity", "C3-GDL", "polygraph=7")
    listed = {c["code"]: c for c in ok_json(capsys, "centres", "list")}
    assert listed["C3-GDL"]["capacity"] == {t.value: 7 if t is ExamType.POLYGRAPH else 5
                                            for t in ExamType}

    requested = ok_json(capsys, "evaluations", "request", "--officer", str(world.officer_id),
                        "--agency", "jal-ssp", "--kind", "permanence", "--as", "rh-jalisco")
    evaluation_id, battery = requested["id"], [x["exam"] for x in requested["exams"]]
    assert requested["status"] == "requested" and requested["agency"] == "JAL-SSP"
    assert set(battery) == set(ExamType)  # the default battery: all five

    booked = ok_json(capsys, "evaluations", "schedule", str(evaluation_id), "--centre", "C3-GDL",
                     *(f"--exam={x}={examiner_of(x)}@{today()}" for x in battery))
    assert booked["status"] == "scheduled" and booked["centre"] == "C3-GDL"

    for exam in battery:
        result = failing(ExamType(exam)) if exam == "toxicology" else PASS[ExamType(exam)]
        if exam == "medical":  # one from a file, the others inline
            path = tmp_path / "medical.json"
            path.write_text(json.dumps(result), encoding="utf-8")
            source = ["--result-file", str(path)]
        else:
            source = ["--result", json.dumps(result)]
        printed = ok(capsys, "evaluations", "record", str(evaluation_id), exam, *source,
                     "--as", examiner_of(exam))
        assert f"recorded the {exam} exam of evaluation {evaluation_id}" in printed
    assert f"evaluation {evaluation_id} awaits a decision" in printed

    decided = ok_json(capsys, "evaluations", "decide", str(evaluation_id), "not_approved",
                      "--grounds", GROUNDS, "--as", "certificador-uno")
    assert decided["status"] == "awaiting_confirmation"
    assert decided["decided_by"] == "Certificador-Uno"
    # The same person cannot confirm their own decision: refused, nothing changes.
    code, _, err = run(capsys, "evaluations", "confirm", str(evaluation_id), "--agree",
                       "--as", "certificador-uno")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    confirmed = ok_json(capsys, "evaluations", "confirm", str(evaluation_id), "--agree",
                        "--as", "certificador-dos")
    assert confirmed["status"] == "not_approved"
    assert confirmed["confirmed_by"] == "Certificador-Dos"
    assert confirmed["separation"]["status"] == "open"

    shown = ok(capsys, "evaluations", "show", str(evaluation_id))
    assert "not_approved by Certificador-Uno" in shown and "positive" in shown
    listed_ids = [e["id"] for e in ok_json(capsys, "evaluations", "list", "--status",
                                           "not_approved", "--agency", "JAL-SSP")]
    assert listed_ids == [evaluation_id]

    filed = ok_json(capsys, "evaluations", "appeal", str(evaluation_id), "--grounds", APPEAL)
    overturned = ok_json(capsys, "evaluations", "appeal-decide", str(filed["id"]), "overturned",
                         "--resolution", RESOLUTION, "--as", "certificador-tres")
    assert overturned["status"] == "overturned"
    assert ok_json(capsys, "evaluations", "show", str(evaluation_id))["status"] == "approved"

    # Every act taken --as a person is in the trail under that person, and each use of --as is
    # recorded as the console operator acting as the account.
    by_console = [e for e in entries(world.container, AuditAction.USER_LOGIN)
                  if e.detail.get("via") == "console"]
    assert {e.detail["acting_as"] for e in by_console} >= {
        "rh-jalisco", "examinador-uno", "examinador-dos", "certificador-uno",
        "certificador-dos", "certificador-tres"}
    assert all(e.actor_kind == "system" for e in by_console)
    decisions = entries(world.container, AuditAction.EVALUATION_DECIDE)
    assert [(e.actor, e.actor_kind) for e in decisions] == [("certificador-uno", "user")]


def test_certification_lists_components_and_the_sweep(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    second = world.new_officer("Rosa María", "Quintero", "Ibarra")
    target = tmp_path / "alerts.csv"
    out = ok(capsys, "certification", "alerts", "--agency", "JAL-SSP", "--csv", str(target))
    assert out.startswith("2 officers on duty without valid certification")
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(int(r["officer_id"]) for r in rows) == sorted([world.officer_id, second])
    assert {r["reasons"] for r in rows} == {"never_evaluated no_certificate"}
    assert {r["agency"] for r in rows} == {"JAL-SSP"}
    assert [line["officer_id"] for line in ok_json(capsys, "certification", "alerts", "--state",
                                                   "19")] == []

    printed = ok(capsys, "certification", "component", str(second), "initial_training", "--on",
                 "2015-06-30", "--hours", "1000")
    assert "no certificate: not every component is current" in printed
    coverage = ok_json(capsys, "certification", "coverage", "--by", "agency", "--state", "14")
    jalisco = {row["key"]: row for row in coverage}
    assert sum(row["on_duty_uncertified"] for row in jalisco.values()) == 2
    assert ok_json(capsys, "certification", "reevaluations") == []
    assert "0 certificates expired" in ok(capsys, "certification", "sweep")


def _ready(world: World) -> int:
    """An evaluation booked for the real today at the world's centre (the CLI's clock)."""
    evaluation_id = world.request()
    view = evaluations.get_evaluation(world.uow, world.coordinator, evaluation_id)
    day = date.fromisoformat(today())
    bookings = {e.exam_type: evaluations.ExamBooking(world.examiner_for(e.exam_type).user_id
                                                     or 0, day) for e in view.exams}
    evaluations.schedule_evaluation(world.uow, world.coordinator, evaluation_id,
                                    world.centre_id, bookings)
    return evaluation_id


# (arguments, exit status, start of the one line on stderr); none of them changes anything.
BAD_INPUT: list[tuple[list[str], int, str]] = [
        (["evaluations", "record", "{id}", "toxicologia", "--result", "{{}}", "--as",
          "examinador-uno"], 1,
         "error: EXAM: 'toxicologia' is not an exam type (one of: toxicology, polygraph, "
         "psychological, medical, socioeconomic)"),
        (["evaluations", "record", "{id}", "medical", "--result-file", "{bad}", "--as",
          "examinador-uno"], 1,
         "error: {bad}:2:11: not valid JSON: Expecting value"),
        (["evaluations", "record", "{id}", "medical", "--result", "[1, 2]", "--as",
          "examinador-uno"], 1, "error: --result: must be a JSON object"),
        (["evaluations", "record", "{id}", "medical", "--result", '{{"outcome": "fine"}}',
          "--as", "examinador-uno"], 1,
         "error: result.outcome: 'fine' is not an outcome of the medical exam"),
        (["evaluations", "record", "{id}", "medical", "--as", "examinador-uno"], 2,
         "error: give the result with --result-file FILE or --result JSON"),
        (["evaluations", "record", "{id}", "medical", "--result", '{{"outcome": "fit"}}',
          "--as", "nadie"], 1, "error: --as: user nadie does not exist"),
        (["evaluations", "record", "{id}", "polygraph", "--result", '{{"outcome": "x"}}',
          "--as", "examinador-uno"], 1, "error: this exam is not assigned to you"),
        (["evaluations", "decide", "{id}", "approved", "--grounds", "fine"], 2,
         "error: Missing option '--as'"),
        (["evaluations", "decide", "{id}", "approved", "--grounds", "fine", "--as",
          "certificador-uno"], 1,
         "error: evaluation {id} cannot be decided before every exam is in (missing: "),
        (["evaluations", "decide", "{id}", "approved", "--grounds", "fine", "--as",
          "examinador-uno"], 1,
         "error: your role (examiner) does not allow evaluation:decision:write"),
        (["evaluations", "schedule", "{id}", "--centre", "NOPE", "--exam",
          "medical=examinador-uno@2030-01-01"], 1, "error: --centre: no centre has code NOPE"),
        (["evaluations", "schedule", "{id}", "--centre", "C3-JAL", "--exam",
          "medical=nadie@2030-01-01"], 1,
         "error: --exam medical=nadie@2030-01-01: user nadie does not exist"),
        (["evaluations", "request", "--officer", "1", "--agency", "NOPE", "--kind",
          "permanence"], 1, "error: --agency: no agency has code NOPE"),
        (["evaluations", "request", "--officer", "1", "--agency", "JAL-SSP", "--kind",
          "forever"], 2, "error: Invalid value for '--kind'"),
        (["centres", "examiner", "C3-JAL", "nadie", "--exam", "medical"], 1,
         "error: USERNAME: user nadie does not exist"),
        (["centres", "examiner", "C3-JAL", "certificador-uno", "--exam", "medical"], 1,
         "error: certificador-uno is a certification_officer, not an examiner"),
        (["centres", "capacity", "NOPE", "medical=3"], 1, "error: CODE: no centre has code NOPE"),
        (["centres", "create", "C3-X", "Centro X", "--capacity", "medicine=3"], 1,
         "error: --capacity medicine=3: 'medicine' is not an exam type"),
        (["certification", "alerts", "--agency", "NOPE"], 1,
         "error: --agency: no agency has code NOPE"),
        (["certification", "component", "{officer}", "trust_control", "--on", "2026-01-01"], 2,
         "error: Invalid value for 'COMPONENT'"),
        (["certification", "alerts", "--csv", "{tmp}/no/such/dir/a.csv"], 1,
         "error: {tmp}/no/such/dir/a.csv: cannot be written"),
]


def test_bad_input_is_one_line_and_changes_nothing(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # One world for every case (building one hashes seven passwords): each case must leave
    # the evaluation as it was, which the end of the test checks.
    evaluation_id = _ready(world)
    bad = tmp_path / "result.json"
    bad.write_text('{"outcome": "fit",\n "notes": }\n', encoding="utf-8")
    values = {"id": evaluation_id, "bad": bad, "tmp": tmp_path, "officer": world.officer_id}
    before = evaluations.get_evaluation(world.uow, world.decider, evaluation_id)
    for args, code, expected in BAD_INPUT:
        exit_code, _, err = run(capsys, *(a.format(**values) for a in args))
        assert (exit_code, err.startswith(expected.format(**values))) == (code, True), (args,
                                                                                       err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (args, err)
    after = evaluations.get_evaluation(world.uow, world.decider, evaluation_id)
    assert after.evaluation.status is EvaluationStatus.SCHEDULED
    assert [e.recorded for e in after.exams] == [e.recorded for e in before.exams]


def test_refused_steps_leave_only_the_audit_entry_of_the_attempt(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    evaluation_id = _ready(world)
    refused_before = len(entries(world.container, AuditAction.REQUEST_REFUSED))
    code, _, err = run(capsys, "evaluations", "decide", str(evaluation_id), "approved",
                       "--grounds", "all fine", "--as", "certificador-uno")
    assert code == 1 and "cannot be decided before every exam is in" in err
    refused = entries(world.container, AuditAction.REQUEST_REFUSED)[refused_before:]
    assert [(e.actor, e.resource_id, e.detail["attempted"]) for e in refused] == [
        ("certificador-uno", str(evaluation_id), AuditAction.EVALUATION_DECIDE.value)]
    assert entries(world.container, AuditAction.EVALUATION_DECIDE) == []
    # An unknown account under --as is refused too, and the attempt is in the trail.
    assert run(capsys, "evaluations", "decide", str(evaluation_id), "approved", "--grounds",
               "x", "--as", "nadie")[0] == 1
    last = entries(world.container, AuditAction.REQUEST_REFUSED)[-1]
    assert last.detail["attempted"] == AuditAction.USER_LOGIN.value
    assert last.actor_kind == "system"
    # A deactivated account cannot be acted as.
    users.set_user_active(world.uow, OPERATOR, world.decider.user_id or 0, False)
    code, _, err = run(capsys, "evaluations", "decide", str(evaluation_id), "approved",
                       "--grounds", "x", "--as", "certificador-uno")
    assert (code, err) == (1, "error: user certificador-uno is deactivated and cannot act\n")
