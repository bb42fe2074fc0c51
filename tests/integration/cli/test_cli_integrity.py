"""`confianza integrity`: intake from a file, the queue, the case file, assignment, findings and
closing, acting as named accounts, on both databases. A bad intake file is refused naming
file and field, with nothing written; an unsafe finding is refused naming the safeguard."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import World, build_world, person  # noqa: E402

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind, system_actor
from confianza.app.bootstrap import build  # noqa: E402
from confianza.app.console import main  # noqa: E402
from confianza.app.settings import Environment, Settings  # noqa: E402
from confianza.integrity.service import cases, process  # noqa: E402
from confianza.trail.rules import AuditAction  # noqa: E402

OPERATOR = system_actor("cli-test")
JALISCO = Scope(ScopeKind.STATE, "14")


@pytest.fixture
def world(agencies: dict[str, int], database_url: str,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    real = build(Settings(environment=Environment.TEST, database_url=database_url))
    try:
        built = build_world(real, agencies)
        for role, name in ((Role.INTERNAL_AFFAIRS, "ai-recibe"),
                           (Role.INTERNAL_AFFAIRS, "ai-investiga"),
                           (Role.INTERNAL_AFFAIRS_SUPERVISOR, "ai-supervisa"),
                           (Role.HONOUR_COMMISSION, "chj-decide")):
            person(real, role, name, JALISCO)
        yield built
    finally:
        real.dispose()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out


def intake_toml(world: World, channel: str = "anonymous_line", officer: str = "") -> str:
    return f"""
agency_id = {world.agencies["JAL-SSP"]}
summary = "Cobro de cuotas en el retén de la carretera 15."

[[sources]]
channel = "{channel}"
reliability = "F"
credibility = "6"
account = "Una llamada relata cobros en el retén cada noche."
received_on = 2026-01-02

[[allegations]]
kind = "bribery"
summary = "Cobra 500 pesos por dejar pasar camiones."
sources = [0]
{officer or f"officer_id = {world.officer_id}"}
"""


def count(world: World) -> int:
    with world.container.uow().transaction() as tx:
        return len(tx.integrity.queue(Scope(), limit=1000, open_only=False))


def test_open_queue_show_assign_and_an_unsafe_finding(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "queja.toml"
    file.write_text(intake_toml(world), encoding="utf-8")
    out = ok(capsys, "integrity", "open", str(file), "--as", "ai-recibe", "--json")
    case_id = json.loads(out)["case"]["id"]
    ok(capsys, "integrity", "assign", str(case_id), "ai-investiga", "--duty", "investigator",
       "--as", "ai-supervisa")
    ok(capsys, "integrity", "assign", str(case_id), "chj-decide", "--duty", "decider",
       "--as", "ai-supervisa")
    # Who took it in may not investigate it: the safeguard's words, one line, status 1.
    code, _, err = run(capsys, "integrity", "assign", str(case_id), "ai-recibe", "--duty",
                       "investigator", "--as", "ai-supervisa")
    assert code == 1 and "filed or relayed" in err
    queue = json.loads(ok(capsys, "integrity", "queue", "--as", "ai-investiga", "--json"))
    assert [line["case"]["id"] for line in queue] == [case_id]
    shown = ok(capsys, "integrity", "show", str(case_id), "--as", "ai-supervisa")
    assert "uncorroborated" in shown and "anonymous_line" in shown

    uow = world.container.uow
    process.issue_notice(uow(), OPERATOR, case_id)
    notice = cases.read_case(uow(), OPERATOR, case_id).notice
    assert notice is not None
    process.serve_notice(uow(), OPERATOR, case_id, notice.issued_on)
    process.record_answer(uow(), OPERATOR, case_id, "Niego los hechos que se me imputan.")
    process.submit_for_decision(uow(), OPERATOR, case_id)
    found = cases.read_case(uow(), OPERATOR, case_id)
    allegation, source = found.allegations[0].allegation.id, found.sources[0].id
    code, _, err = run(capsys, "integrity", "finding", str(case_id), "--allegation",
                       str(allegation), "--finding", "sustained", "--grounds",
                       "La llamada anónima describe el cobro con detalle.",
                       "--rests-on", f"source:{source}", "--as", "chj-decide")
    assert code == 1 and "cannot stand alone" in err
    with world.container.uow().transaction() as tx:
        refused = [e for e in tx.audit.entries(limit=5000)
                   if e.action == AuditAction.REQUEST_REFUSED.value]
    assert sorted(e.detail["attempted"] for e in refused) == [
        "integrity:case:assign", "integrity:finding:create"]
    ok(capsys, "integrity", "finding", str(case_id), "--allegation", str(allegation),
       "--finding", "not_sustained", "--grounds", "Nada corrobora la llamada anónima.",
       "--as", "chj-decide")
    out = ok(capsys, "integrity", "close", str(case_id), "--note",
             "Nada se acreditó en contra del oficial.", "--as", "chj-decide")
    assert "closed" in out


@pytest.mark.parametrize(("content", "where"), [
    ("officer_id = 999999", "allegations[0].officer_id"),
    ('accused_nme = "El Güero"', "allegations[0].accused_nme"),
])
def test_a_bad_intake_file_is_refused_whole(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str,
    where: str
) -> None:
    file = tmp_path / "queja.toml"
    file.write_text(intake_toml(world, officer=content), encoding="utf-8")
    code, _, err = run(capsys, "integrity", "open", str(file), "--as", "ai-recibe")
    assert code == 1 and where in err
    file.write_text(intake_toml(world, channel="carta").replace("officer_id", "# "),
                    encoding="utf-8")
    code, _, err = run(capsys, "integrity", "open", str(file), "--as", "ai-recibe")
    assert code == 1 and f"{file}:sources[0].channel: 'carta' is not one of" in err
    assert count(world) == 0


def test_the_complaints_commands_are_mounted(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "integrity", "complaints", "--help")
    assert code == 0 and "link" in out


