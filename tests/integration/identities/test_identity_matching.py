"""Matching through the registry on both databases: a planted duplicate is proposed, a rejected
pair never again, a file's person linked by its key; and the command's bad input."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from confianza.accounts.rules.permissions import Actor, Role
from confianza.app.bootstrap import Container
from confianza.app.console import main
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate
from confianza.identities.rules.candidates import CandidateStatus, Decision
from confianza.identities.service import decisions
from confianza.identities.service.matching import match_registry
from confianza.registry.rules.officers import ExternalId, Officer
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction
from conftest import actor

CLERK = actor(Role.REGISTRY_CLERK)
MAPPING = Path(__file__).parents[2] / "data" / "identities" / "state-roster.toml"


@pytest.fixture
def registry(container: Container, operator: Actor) -> tuple[Officer, int]:
    """The tiny demo force (about 300 officers), and one of them registered a second time
    without a CURP, with a typo in the given names, at another agency."""
    generate(container.uow(), operator, scale=Scale.TINY, seed=5)
    with container.uow().transaction() as tx:
        original = next(o for o in (tx.officers.get(i) for i in range(1, 50))
                        if o is not None and o.birth_date is not None and o.second_surname)
        agency = tx.agencies.by_code("GN")
    assert agency is not None
    given = original.given_names
    typo = given[:2] + given[3:] if len(given) > 4 else given + "A"
    copy = officer_service.register_officer(container.uow(), operator, officer_service.NewOfficer(
        given_names=typo, first_surname=original.first_surname,
        second_surname=original.second_surname, birth_date=original.birth_date,
        sex=original.sex,
        assignment=officer_service.FirstAssignment(agency.id, "Agente", date(2025, 3, 1)),
    ))
    return original, copy.officer.id


def _pairs(container: Container) -> list[tuple[int, int | None, CandidateStatus]]:
    with container.uow().transaction() as tx:
        return [(c.left_officer_id, c.right_officer_id, c.status)
                for c in tx.identities.candidates(None, 500, None)]


def test_planted_duplicate_is_proposed_and_once_rejected_never_again(
    container: Container, registry: tuple[Officer, int],
) -> None:
    original, copy = registry
    report = match_registry(container.uow(), CLERK)
    assert (original.id, copy, CandidateStatus.PROPOSED) in _pairs(container)
    assert report.proposed >= 1 and report.compared > 250

    found = decisions.list_candidates(container.uow(), CLERK)
    candidate = next(c for c in found if (c.left_officer_id, c.right_officer_id)
                     == (original.id, copy))
    assert candidate.evidence["right"]["given_names"] != candidate.evidence["left"]["given_names"]
    assert set(candidate.evidence["comparisons"]) >= {"given_names", "birth", "curp"}
    decisions.decide(container.uow(), CLERK, candidate.id, Decision.REJECT)

    again = match_registry(container.uow(), CLERK)
    assert again.already_known >= 1
    assert [s for a, b, s in _pairs(container) if (a, b) == (original.id, copy)] == [
        CandidateStatus.REJECTED]
    with container.uow().transaction() as tx:
        runs = [e for e in tx.audit.entries(limit=5000)
                if e.action == AuditAction.IDENTITY_MATCH_RUN]
    assert len(runs) == 2


def _roster(path: Path, original: Officer) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["payroll", "curp", "nombre", "primer_apellido", "segundo_apellido",
                         "fecha_nacimiento", "sexo", "puesto", "alta", "corporacion"])
        born = original.birth_date.isoformat() if original.birth_date else ""
        # The CURP typed with its check digit wrong: the import would refuse the row, the
        # matcher reads it without the CURP and compares the CURP as typed.
        curp = original.curp or ""
        if curp:
            curp = curp[:17] + str((int(curp[17]) + 1) % 10)
        writer.writerow(["P-1", curp, original.given_names, original.first_surname,
                         original.second_surname or "", born,
                         original.sex.value if original.sex else "", "Policía", "2019-01-07",
                         "GN"])
        writer.writerow(["P-2", "", "Zacarías", "Quintanilla", "Urquidi", "1961-12-30", "H",
                         "Policía", "2019-01-07", "GN"])
    return path


def test_command_matches_a_file_and_a_confirmation_links_its_key(
    container: Container, registry: tuple[Officer, int], tmp_path: Path,
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    original, copy = registry
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    roster = _roster(tmp_path / "jalisco.csv", original)
    assert main(["identities", "match", "--against", str(roster), "--mapping",
                 str(MAPPING)]) == 0
    assert "against 2 people of jalisco.csv" in capsys.readouterr().out
    with container.uow().transaction() as tx:
        found = [c for c in tx.identities.candidates(None, 500, None) if c.file is not None]
    # The file's person is the original and the planted copy alike; the namesake-free
    # stranger on line 3 matches nobody.
    assert {(c.left_officer_id, c.file.line, c.file.key) for c in found  # type: ignore[union-attr]
            } == {(original.id, 2, "P-1"), (copy, 2, "P-1")}
    mine = next(c for c in found if c.left_officer_id == original.id)
    if original.curp:
        assert mine.evidence["right"]["curp"][:17] == original.curp[:17]
        assert mine.evidence["right"]["curp"] != original.curp
    done = decisions.decide(container.uow(), CLERK, mine.id, Decision.CONFIRM)
    assert done.linked_key == "jal.payroll:P-1"
    with container.uow().transaction() as tx:
        assert ExternalId("jal.payroll", "P-1") in tx.officers.identifiers(original.id)


@pytest.mark.parametrize(("args", "code", "named"), [
    (["--against", "nowhere.csv", "--mapping", str(MAPPING)], 1, "nowhere.csv"),
    (["--against", "{roster}", "--mapping", "no-such-mapping"], 1, "no-such-mapping"),
    (["--against", "{roster}", "--mapping", "{bad}"], 1, "bad.toml"),
    (["--against", "{roster}"], 2, "--mapping"),
    (["--threshold", "1.5"], 1, "threshold"),
])
def test_command_names_bad_input(
    args: list[str], code: int, named: str, tmp_path: Path, database_url: str,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    roster = tmp_path / "r.csv"
    roster.write_text("payroll,nombre\nP-1,Ana\n", encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(MAPPING.read_text(encoding="utf-8").replace("[fields]", "[feilds]"),
                   encoding="utf-8")
    argv = [a.format(roster=roster, bad=bad) for a in args]
    assert main(["identities", "match", *argv]) == code
    printed = capsys.readouterr()
    assert named in printed.err
    assert "Traceback" not in printed.err + printed.out


@pytest.mark.parametrize(("args", "code", "named"), [
    (["5"], 2, "--confirm or --reject"),
    (["5", "--confirm", "--reject"], 2, "--confirm or --reject"),
    (["999999", "--reject"], 1, "candidate 999999 does not exist"),
])
def test_decide_command_names_what_is_wrong(
    args: list[str], code: int, named: str, database_url: str,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    assert main(["identities", "decide", *args]) == code
    assert named in capsys.readouterr().err
