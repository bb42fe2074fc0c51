"""The demo's declarations, on SQLite and PostgreSQL (ADR 0038, addendum 1): every filing
officer files what is owed, in S1's form as the tests' copy of the PDN schemas defines it; the
planted cases are kept with the filing's audit entry, the checks find them all and flag almost
none of the ordinary officers; the command says so."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import Container
from confianza.core.db.models import DeclarationRow
from confianza.declarations.cli import app as declarations_app
from confianza.declarations.rules.checks import CheckSettings
from confianza.declarations.rules.records import S1_KINDS
from confianza.declarations.service.checks import CheckRun, run_checks
from confianza.demo.rules.declarations import SHAPES
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate
from declarations_support import errors

DEMO = system_actor("demo")


@pytest.fixture
def demo(container: Container) -> Container:
    generate(container.uow(), DEMO, scale=Scale.TINY, seed=5)
    return container


def test_the_checks_find_the_planted_cases_and_few_others(demo: Container) -> None:
    run = run_checks(demo.uow(), DEMO, CheckSettings())
    assert set(run.planted) == set(SHAPES)
    assert all(len(officers) >= 3 for officers in run.planted.values())
    everyone = [o for officers in run.planted.values() for o in officers]
    assert len(everyone) == len(set(everyone))  # one shape an officer
    scores = run.against_planted()
    assert {s.rule for s in scores if s.shapes} == set(SHAPES.values())
    for score in scores:
        assert score.found >= 0.95 * score.planted, score
        assert score.others_flagged < 0.01 * score.others, score
    assert run.declarations > 5 * len(everyone)


def test_checked_in_parts_the_findings_are_those_of_one_process(demo: Container) -> None:
    """A national registry is checked in processes of their own, each over its share of the
    officers (ADR 0038, addendum 6): the parts together find exactly what one process does,
    and the run is still one audit entry with the whole run's counts."""
    whole = run_checks(demo.uow(), DEMO, CheckSettings(), parts=1)
    split = run_checks(demo.uow(), DEMO, CheckSettings(), in_parts=demo.in_parts(), parts=3)

    def said(run: CheckRun) -> list[tuple[str, int, int | None, str]]:
        return sorted((f.rule.value, f.officer_id, f.declaration_id, f.en)
                      for f in run.findings)

    assert len({f.rule for f in whole.findings}) >= 4  # something worth comparing
    assert said(split) == said(whole)
    assert (split.officers, split.declarations) == (whole.officers, whole.declarations)
    assert split.planted == whole.planted
    with demo.engine.connect() as connection:
        details = connection.execute(text(
            "SELECT detail FROM audit_entries WHERE action = 'declaration:check:run' "
            "ORDER BY id")).scalars().all()
    assert len(details) == 2
    assert json.loads(details[0])["findings"] == json.loads(details[1])["findings"]
    assert json.loads(details[1])["declarations"] == whole.declarations


def test_the_documents_are_s1_and_the_filing_is_one_audit_entry(demo: Container) -> None:
    with demo.session_factory() as s:
        documents = list(s.scalars(select(DeclarationRow.document)
                                   .order_by(DeclarationRow.id).limit(40)))
        count = s.scalar(select(func.count()).select_from(DeclarationRow))
    for document in documents:
        parsed = json.loads(document)
        assert errors(S1_KINDS[parsed["metadata"]["tipo"]], parsed) == []
    with demo.engine.connect() as connection:
        entries = connection.execute(text(
            "SELECT actor, detail FROM audit_entries WHERE action = 'declaration:demo:file'")
        ).all()
    assert len(entries) == 1 and entries[0][0] == "demo"
    assert json.loads(entries[0][1])["declarations"] == count


def test_the_check_command_prints_what_each_rule_found_of_the_planted(
        demo: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", demo.engine.url.render_as_string(
        hide_password=False))
    done = CliRunner().invoke(declarations_app, ["check", "--show", "0"])
    assert done.exit_code == 0, done.output
    assert "Against the cases the demo planted:" in done.output
    assert "cash_purchases: planted (house_in_cash): " in done.output
    assert "other officers: 0 of " in done.output
