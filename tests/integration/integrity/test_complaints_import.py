"""Chicago complaints stored as closed, imported cases, on SQLite and PostgreSQL: the counts,
idempotence, whole-or-nothing, the review of ambiguous accused, the network read from the
stored cases, and need-to-know refusals left in the trail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from tests.conftest import actor
from typer.testing import CliRunner

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.app.console import main
from confianza.core.db.models import (
    AuditEntryRow,
    IntegrityAllegationRow,
    IntegrityCaseRow,
    IntegrityFindingRow,
    IntegrityImportedAccusedRow,
)
from confianza.core.errors import Conflict, Forbidden, ValidationFailed
from confianza.integrity.cli.cases import app as integrity_app
from confianza.integrity.cli.complaints import app, load_complaint_mapping
from confianza.integrity.rules.complaints_links import LinkOutcome
from confianza.integrity.service.imports import (
    ComplaintFiles,
    import_complaints,
    resolve_accused,
    review_list,
)
from confianza.integrity.service.network import (
    NetworkWindow,
    network_groups,
    officer_network,
)
from confianza.registry.rules.roster_file import decode_roster

DATA = Path(__file__).parents[2] / "data" / "chicago"
AGENCY = "US-IL-CPD"
runner = CliRunner()


def _roster(tmp_path: Path, twin: bool) -> Path:
    """The roster sample; with `twin`, a second CURTIS E ALEQUIN (another row id and star, the
    same birth year and appointment), so that his accused rows are ambiguous."""
    lines = (DATA / "roster-sample.csv").read_text("utf-8").splitlines(keepends=True)
    if twin:
        row = next(line for line in lines if ",ALEQUIN,ALEQUIN," in line)
        lines.append(row.replace("163,", "9163,", 1).replace("10028.0", "99999.0")
                     .replace(",163\n", ",9163\n"))
    path = tmp_path / "roster.csv"
    path.write_text("".join(lines), "utf-8")
    return path


def _load(database_url: str, monkeypatch: pytest.MonkeyPatch, roster: Path) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    assert main(["officers", "import", str(roster), "--mapping", "chicago-roster",
                 "--skip-invalid"]) == 0


@pytest.fixture
def chicago(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _load(database_url, monkeypatch, _roster(tmp_path, twin=False))


@pytest.fixture
def twins(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _load(database_url, monkeypatch, _roster(tmp_path, twin=True))


def _files(accused: Path = DATA / "accused-sample.csv", *, skip: bool = False
           ) -> ComplaintFiles:
    return ComplaintFiles(
        decode_roster("complaints-sample.csv", (DATA / "complaints-sample.csv").read_bytes(),
                      "utf-8"),
        decode_roster(accused.name, accused.read_bytes(), "utf-8"),
        load_complaint_mapping("chicago-complaints"), load_complaint_mapping("chicago-accused"),
        "chicago", AGENCY, skip)


def _count(container: Container, statement: object) -> int:
    with container.engine.connect() as connection:
        return int(connection.execute(statement).scalar_one())  # type: ignore[call-overload]


def _actions(container: Container, action: str) -> list[AuditEntryRow]:
    with container.engine.connect() as connection:
        rows = connection.execute(select(AuditEntryRow).where(AuditEntryRow.action == action))
        return list(rows)  # type: ignore[arg-type]


def _officer(container: Container, surname: str) -> int:
    with container.engine.connect() as connection:
        return int(connection.execute(text(
            "SELECT id FROM officers WHERE first_surname = :s ORDER BY id"), {"s": surname}
        ).scalars().first())


def test_the_command_stores_the_complaints_and_counts_the_links(chicago: None,
                                                                container: Container) -> None:
    result = runner.invoke(app, ["import", str(DATA / "complaints-sample.csv"),
                                 str(DATA / "accused-sample.csv"), "--agency", AGENCY])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("36 complaints stored as cases of chicago (0 already "
                                    "held), 280 accused: 4 linked, 0 ambiguous (for review)")
    assert _count(container, select(func.count()).select_from(IntegrityCaseRow)) == 36
    assert _count(container, select(func.count()).select_from(IntegrityAllegationRow)) == 280
    # The findings are the source's, kept beside the accused: none is a finding decided here.
    assert _count(container, select(func.count()).select_from(IntegrityFindingRow)) == 0
    assert _count(container, select(func.count()).select_from(IntegrityImportedAccusedRow)
                  .where(IntegrityImportedAccusedRow.finding == "sustained")) == 14
    linked = _count(container, select(func.count()).select_from(IntegrityAllegationRow)
                    .where(IntegrityAllegationRow.officer_id.is_not(None)))
    assert linked == _count(container, select(func.count()).select_from(
        IntegrityImportedAccusedRow).where(IntegrityImportedAccusedRow.link == "linked")) > 0
    with container.engine.connect() as connection:
        stages = set(connection.execute(select(IntegrityCaseRow.stage)).scalars())
    assert stages == {"closed"}
    # One entry for the whole import, naming its counts.
    entries = _actions(container, "integrity:complaints:import")
    assert len(entries) == 1
    detail = json.loads(entries[0].detail) if isinstance(entries[0].detail, str) else (
        entries[0].detail)
    assert detail["cases_added"] == 36 and detail["accused_added"] == 280


def test_running_the_same_files_again_adds_nothing(chicago: None, container: Container,
                                                   operator: Actor) -> None:
    first = import_complaints(container.uow(), operator, _files())
    again = import_complaints(container.uow(), operator, _files())
    assert (first.cases_added, first.accused_added) == (36, 280)
    assert (again.cases_added, again.accused_added, again.already_held) == (0, 0, 36)
    assert _count(container, select(func.count()).select_from(IntegrityCaseRow)) == 36
    assert _count(container, select(func.count()).select_from(IntegrityAllegationRow)) == 280


def test_an_unknown_finding_refuses_the_whole_import_naming_the_place(
        chicago: None, container: Container, operator: Actor, tmp_path: Path) -> None:
    lines = (DATA / "accused-sample.csv").read_text("utf-8").splitlines(keepends=True)
    lines[5] = lines[5].replace(",SUSTAINED,", ",HALF SUSTAINED,", 1)
    broken = tmp_path / "accused.csv"
    broken.write_text("".join(lines), "utf-8")
    with pytest.raises(ValidationFailed) as refused:
        import_complaints(container.uow(), operator, _files(broken))
    assert refused.value.errors[0].location == "accused.csv:6:final_finding"
    assert "HALF SUSTAINED" in refused.value.errors[0].reason
    assert _count(container, select(func.count()).select_from(IntegrityCaseRow)) == 0
    assert len(_actions(container, "workflow:request:refused")) == 1
    # Asked to, the good rows go in and the bad one is named, not lost in silence.
    report = import_complaints(container.uow(), operator, _files(broken, skip=True))
    assert report.accused_added == 279
    assert [f.location for f in report.left_out] == ["accused.csv:6:final_finding"]


def test_an_accused_row_of_a_complaint_not_in_the_file_is_refused(
        chicago: None, container: Container, operator: Actor, tmp_path: Path) -> None:
    lines = (DATA / "accused-sample.csv").read_text("utf-8").splitlines(keepends=True)
    cells = lines[3].split(",")
    cells[1] = "123"
    lines[3] = ",".join(cells)
    broken = tmp_path / "accused.csv"
    broken.write_text("".join(lines), "utf-8")
    with pytest.raises(ValidationFailed) as refused:
        import_complaints(container.uow(), operator, _files(broken))
    assert refused.value.errors[0].location == "accused.csv:4:complaint"
    assert _count(container, select(func.count()).select_from(IntegrityCaseRow)) == 0


def test_an_unknown_agency_is_refused(chicago: None, container: Container,
                                     operator: Actor) -> None:
    files = _files()
    with pytest.raises(ValidationFailed) as refused:
        import_complaints(container.uow(), operator, ComplaintFiles(
            files.complaints, files.accused, files.complaints_mapping, files.accused_mapping,
            "chicago", "NOPE"))
    assert refused.value.errors[0].location == "agency"


def test_an_ambiguous_accused_waits_for_a_supervisor_who_attaches_them(
        twins: None, container: Container, operator: Actor) -> None:
    report = import_complaints(container.uow(), operator, _files())
    assert report.identities[LinkOutcome.AMBIGUOUS] == 1
    assert report.rows[LinkOutcome.AMBIGUOUS] == 26
    supervisor = actor(Role.INTERNAL_AFFAIRS_SUPERVISOR)
    [item] = review_list(container.uow(), supervisor)
    assert item.surname == "ALEQUIN" and len(item.candidates) == 2
    assert len(item.complaints) == 11 and all(k.startswith("chicago:") for k in item.complaints)
    # Only one of the officers in question, and only by someone who may review.
    with pytest.raises(ValidationFailed) as wrong:
        resolve_accused(container.uow(), supervisor, item.id, 1)
    assert wrong.value.errors[0].location == "officer_id"
    with pytest.raises(Forbidden):
        resolve_accused(container.uow(), actor(Role.CERTIFICATION_OFFICER), item.id,
                        item.candidates[0])
    chosen = item.candidates[0]
    assert resolve_accused(container.uow(), supervisor, item.id, chosen) == 26
    assert review_list(container.uow(), supervisor) == []
    assert _count(container, select(func.count()).select_from(IntegrityAllegationRow)
                  .where(IntegrityAllegationRow.officer_id == chosen)) == 26
    with pytest.raises(Conflict):
        resolve_accused(container.uow(), supervisor, item.id, chosen)
    assert len(_actions(container, "integrity:accused:attach")) == 1
    # Now he is in the network as the officer, with his partner of eleven complaints.
    found = officer_network(container.uow(), actor(Role.INTERNAL_AFFAIRS), chosen)
    # Ten of their eleven complaints: the eleventh names ZEMAN without birth year or
    # appointment, another unmatched node (never merged by guess).
    assert found.partners[0].shared == 10 and "ZEMAN" in found.partners[0].label


def test_a_rejected_accused_stays_unmatched(twins: None, container: Container,
                                            operator: Actor) -> None:
    import_complaints(container.uow(), operator, _files())
    supervisor = actor(Role.INTERNAL_AFFAIRS_SUPERVISOR)
    [item] = review_list(container.uow(), supervisor)
    assert resolve_accused(container.uow(), supervisor, item.id, None) == 26
    assert review_list(container.uow(), supervisor) == []
    assert _count(container, select(func.count()).select_from(IntegrityAllegationRow)
                  .where(IntegrityAllegationRow.officer_id.is_not(None))) > 0
    assert len(_actions(container, "integrity:accused:reject")) == 1


def test_the_network_is_read_from_the_stored_cases(chicago: None, container: Container,
                                                   operator: Actor) -> None:
    import_complaints(container.uow(), operator, _files())
    investigator = actor(Role.INTERNAL_AFFAIRS)
    alequin = _officer(container, "ALEQUIN")
    found = officer_network(container.uow(), investigator, alequin)
    top = found.partners[0]
    # ZEMAN is not in the roster sample: an unmatched accused, still his partner.
    assert top.key.startswith("u:ZEMAN|EDWARD") and top.officer_id is None
    assert top.shared == 10 and len(top.complaints) == 10
    assert all(key.startswith("chicago:") for key, _ in top.complaints)
    every = officer_network(container.uow(), investigator, alequin,
                            NetworkWindow(all_sources=True))
    assert every.partners[0].shared == 10
    assert sum(p.shared for p in every.partners) >= sum(p.shared for p in found.partners)
    assert found.graph.nodes[0]["id"] == f"o:{alequin}"
    later = officer_network(container.uow(), investigator, alequin,
                            NetworkWindow(min_shared=1, since=found.partners[0].complaints[-1][1]))
    assert later.partners[0].shared == 1
    groups = network_groups(container.uow(), investigator)
    assert groups.total >= 4
    assert any(f"o:{alequin}" in {k for k, _ in g.members} for g in groups.groups)
    assert len(_actions(container, "integrity:network:read")) == 4


def test_roles_without_need_to_know_are_refused_and_the_refusal_is_audited(
        chicago: None, container: Container, operator: Actor, agencies: dict[str, int]) -> None:
    import_complaints(container.uow(), operator, _files())
    alequin = _officer(container, "ALEQUIN")
    for role in (Role.CERTIFICATION_OFFICER, Role.AGENCY_HR):
        with pytest.raises(Forbidden):
            officer_network(container.uow(), actor(role), alequin)
        with pytest.raises(Forbidden):
            network_groups(container.uow(), actor(role))
    # Internal affairs of another agency: outside its scope.
    elsewhere = actor(Role.INTERNAL_AFFAIRS, Scope(ScopeKind.AGENCY, agency_id=agencies["GN"]))
    with pytest.raises(Forbidden):
        officer_network(container.uow(), elsewhere, alequin)
    # Its groups hold nothing of Chicago's cases.
    assert network_groups(container.uow(), elsewhere).total == 0
    assert len(_actions(container, "authz:permission:denied")) == 5
    assert len(_actions(container, "integrity:network:read")) == 1


def test_the_network_and_review_commands_print_from_the_stored_cases(
        chicago: None, container: Container) -> None:
    stored = runner.invoke(app, ["import", str(DATA / "complaints-sample.csv"),
                                 str(DATA / "accused-sample.csv"), "--agency", AGENCY])
    assert stored.exit_code == 0, stored.output
    alequin = _officer(container, "ALEQUIN")
    one = runner.invoke(integrity_app, ["network", "--officer", str(alequin)])
    assert one.exit_code == 0, one.output
    assert "ZEMAN" in one.stdout and "10 together" in one.stdout
    groups = runner.invoke(integrity_app, ["network", "--min-shared", "2"])
    assert groups.exit_code == 0, groups.output
    assert "groups among" in groups.stdout and "group of" in groups.stdout
    bad = runner.invoke(integrity_app, ["network", "--from", "2021-13-01"])
    assert isinstance(bad.exception, ValidationFailed)
    assert bad.exception.errors[0].location == "--from"
    assert runner.invoke(app, ["review"]).stdout.strip() == "no accused waiting for review"
