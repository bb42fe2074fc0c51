"""Another authority's sanctions imported, matched and reviewed, on SQLite and PostgreSQL:
the counts by outcome, idempotence, whole-or-nothing refusals that name every bad row, the
review queue's decisions and their refusals, and the officer's record for entitled roles only.
The sample list is synthetic (tests/data/outside-sanctions/SOURCE.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.db.models import AuditEntryRow, OutsideSanctionRow
from confianza.core.errors import Conflict, Forbidden, ValidationFailed
from confianza.integrity.cli.sanctions import app, load_sanction_mapping
from confianza.integrity.rules.outside_sanctions import LinkedBy, OutsideStatus
from confianza.integrity.service.outside_sanctions import (
    import_outside_sanctions,
    link_outside_sanction,
    officer_outside_sanctions,
    read_review_item,
    reject_outside_sanction,
    review_queue,
)
from confianza.kit.curp import build_curp
from confianza.registry.rules.officers import Sex
from confianza.registry.rules.roster_file import RosterFile, decode_roster
from confianza.registry.service import officers as officer_service
from conftest import actor

DATA = Path(__file__).parents[2] / "data" / "outside-sanctions"
SAMPLE = DATA / "estatal-sample.csv"
SUPERVISOR = actor(Role.INTERNAL_AFFAIRS_SUPERVISOR)
runner = CliRunner()


def _register(container: Container, operator: Actor, agency_id: int, given: str, first: str,
              second: str | None, born: date, sex: Sex, *, curp: bool = False) -> int:
    return officer_service.register_officer(container.uow(), operator, officer_service.NewOfficer(
        given_names=given, first_surname=first, second_surname=second, birth_date=born, sex=sex,
        curp=build_curp(first, second, given, born, sex.value, "JC") if curp else None,
        assignment=officer_service.FirstAssignment(agency_id, "Policía", date(2012, 1, 16)),
    )).officer.id


@pytest.fixture
def people(container: Container, operator: Actor, agencies: dict[str, int]) -> dict[str, int]:
    """The officers the sample's rows are written against (SOURCE.md)."""
    return {
        "ana": _register(container, operator, agencies["GN"], "Ana María", "Robles", "Vega",
                         date(1990, 3, 12), Sex.FEMALE, curp=True),
        "jose": _register(container, operator, agencies["JAL-SSP"], "José Luis", "Hernández",
                          "Ortiz", date(1984, 5, 2), Sex.MALE),
        "juan1": _register(container, operator, agencies["JAL-SSP"], "Juan", "Pérez", "López",
                           date(1980, 1, 9), Sex.MALE),
        "juan2": _register(container, operator, agencies["GN"], "Juan", "Pérez", "López",
                           date(1992, 7, 30), Sex.MALE),
        "marta": _register(container, operator, agencies["NL-FC"], "Marta", "Salas", "Ríos",
                           date(1985, 10, 1), Sex.FEMALE),
    }


def _file(text: str | None = None, name: str = "estatal-sample.csv") -> RosterFile:
    raw = SAMPLE.read_bytes() if text is None else text.encode("utf-8")
    return decode_roster(name, raw, "utf-8")


def _count(container: Container, statement: object) -> int:
    with container.engine.connect() as connection:
        return int(connection.execute(statement).scalar_one())  # type: ignore[call-overload]


def _actions(container: Container, action: str) -> list[AuditEntryRow]:
    with container.engine.connect() as connection:
        return list(connection.execute(  # type: ignore[arg-type]
            select(AuditEntryRow).where(AuditEntryRow.action == action)))


def _rows(container: Container) -> dict[int, OutsideSanctionRow]:
    with container.engine.connect() as connection:
        return {r.line: r for r in connection.execute(select(OutsideSanctionRow))}  # type: ignore[misc]


MAPPING = "estatal-sancionados"


def test_the_list_is_matched_never_by_name_alone(container: Container, people: dict[str, int],
                                                 operator: Actor) -> None:
    report = import_outside_sanctions(container.uow(), SUPERVISOR, _file(),
                                      load_sanction_mapping(MAPPING))
    assert (report.rows, report.added, report.already_held) == (5, 5, 0)
    assert (report.linked_by_curp, report.linked_by_facts, report.review,
            report.unmatched) == (1, 1, 2, 1)
    rows = _rows(container)
    assert (rows[2].status, rows[2].officer_id, rows[2].linked_by) == (
        "linked", people["ana"], "curp")
    # José Luis: name, full birth date and the employer (the mapping's alias SSP JALISCO).
    assert (rows[3].status, rows[3].officer_id, rows[3].linked_by) == (
        "linked", people["jose"], "facts")
    assert rows[3].agency_code == "JAL-SSP"
    # Two Juan Pérez López: both candidates, neither linked.
    assert rows[4].status == "review" and rows[4].officer_id is None
    assert {people["juan1"], people["juan2"]} <= {
        c.officer_id for c in review_queue(container.uow(), SUPERVISOR)[0].candidates}
    # Marta Salas Ríos: one officer of that name, and nothing else: review, not a link.
    assert rows[5].status == "review" and rows[5].officer_id is None
    assert rows[6].status == "unmatched"
    entries = _actions(container, "integrity:outside_sanctions:import")
    assert len(entries) == 1


def test_the_same_list_again_adds_nothing(container: Container, people: dict[str, int]) -> None:
    mapping = load_sanction_mapping(MAPPING)
    import_outside_sanctions(container.uow(), SUPERVISOR, _file(), mapping)
    again = import_outside_sanctions(container.uow(), SUPERVISOR, _file(), mapping)
    assert (again.rows, again.added, again.already_held) == (5, 0, 5)
    assert _count(container, select(func.count()).select_from(OutsideSanctionRow)) == 5


def test_a_bad_list_is_refused_whole_naming_every_row(container: Container,
                                                       people: dict[str, int]) -> None:
    lines = SAMPLE.read_text("utf-8").splitlines()
    lines[1] = lines[1].replace("DESTITUCIÓN", "DEGRADACIÓN")
    lines[2] = lines[2].replace("01/02/2022", "31/02/2022")
    lines[4] = lines[4].replace("03/03/2023,,", "03/03/2023,01/01/2020,")
    with pytest.raises(ValidationFailed) as refused:
        import_outside_sanctions(container.uow(), SUPERVISOR, _file("\n".join(lines) + "\n"),
                                 load_sanction_mapping(MAPPING))
    where = {e.location: e.reason for e in refused.value.errors}
    assert "'DEGRADACIÓN' is not a value the mapping knows for kind" in where[
        "estatal-sample.csv:2:TIPO DE SANCION"]
    assert where["estatal-sample.csv:3:INICIO"] == "'31/02/2022' is not a date (%d/%m/%Y)"
    assert "before the start" in where["estatal-sample.csv:5:FIN"]
    assert _count(container, select(func.count()).select_from(OutsideSanctionRow)) == 0
    refusals = _actions(container, "workflow:request:refused")
    assert refusals and "integrity:outside_sanctions:import" in str(refusals[-1].detail)


def test_a_file_without_a_mapped_column_is_refused(container: Container,
                                                   people: dict[str, int]) -> None:
    text = SAMPLE.read_text("utf-8").replace("CURP,", "CLAVE,", 1)
    with pytest.raises(ValidationFailed) as refused:
        import_outside_sanctions(container.uow(), SUPERVISOR, _file(text),
                                 load_sanction_mapping(MAPPING))
    assert refused.value.errors[0].location == "estatal-sample.csv:1:CURP"


def test_the_reviewer_links_or_rejects_and_each_decision_is_final(
    container: Container, people: dict[str, int],
) -> None:
    import_outside_sanctions(container.uow(), SUPERVISOR, _file(), load_sanction_mapping(MAPPING))
    rows = _rows(container)
    juan, marta, rodrigo = rows[4].id, rows[5].id, rows[6].id
    item = read_review_item(container.uow(), SUPERVISOR, juan)
    assert set(item.officers) >= {people["juan1"], people["juan2"]}
    linked = link_outside_sanction(container.uow(), SUPERVISOR, juan, people["juan1"],
                                   note="Expediente cotejado con la Comisión")
    assert (linked.status, linked.officer_id, linked.linked_by) == (
        OutsideStatus.LINKED, people["juan1"], LinkedBy.REVIEWER)
    with pytest.raises(Conflict, match="already linked"):
        reject_outside_sanction(container.uow(), SUPERVISOR, juan, "no es la misma persona")
    with pytest.raises(ValidationFailed, match="reason"):
        reject_outside_sanction(container.uow(), SUPERVISOR, marta, "no")
    rejected = reject_outside_sanction(container.uow(), SUPERVISOR, marta,
                                       "Nacida en otro estado; no es la agente del registro")
    assert rejected.status is OutsideStatus.REJECTED and rejected.officer_id is None
    with pytest.raises(ValidationFailed, match="officer_id"):
        link_outside_sanction(container.uow(), SUPERVISOR, rodrigo, 999_999)
    assert [i.id for i in review_queue(container.uow(), SUPERVISOR, unmatched=True)] == [rodrigo]
    assert len(_actions(container, "integrity:outside_sanction:link")) == 1
    assert len(_actions(container, "integrity:outside_sanction:reject")) == 1


def test_only_entitled_roles_review_and_read(container: Container, people: dict[str, int],
                                             agencies: dict[str, int]) -> None:
    import_outside_sanctions(container.uow(), SUPERVISOR, _file(), load_sanction_mapping(MAPPING))
    juan = _rows(container)[4].id
    for role in (Role.AGENCY_HR, Role.INTERNAL_AFFAIRS, Role.AUDITOR):
        with pytest.raises(Forbidden):
            link_outside_sanction(container.uow(), actor(role), juan, people["juan1"])
    with pytest.raises(Forbidden):
        import_outside_sanctions(container.uow(), actor(Role.INTERNAL_AFFAIRS), _file(),
                                 load_sanction_mapping(MAPPING))
    # A supervisor of Nuevo León sees no Jalisco or federal candidates, and may not link them.
    nl = actor(Role.INTERNAL_AFFAIRS_SUPERVISOR, Scope(ScopeKind.STATE, state_code="19"))
    assert juan not in [i.id for i in review_queue(container.uow(), nl)]
    with pytest.raises(Forbidden):
        link_outside_sanction(container.uow(), nl, juan, people["juan1"])
    # The linked sanction on the officer's record: certification officers and internal affairs
    # read it; HR and auditors do not.
    shown = officer_outside_sanctions(container.uow(), actor(Role.CERTIFICATION_OFFICER),
                                      people["ana"])
    assert [s.kind for s in shown] == ["dismissal"]
    for role in (Role.AGENCY_HR, Role.AUDITOR):
        with pytest.raises(Forbidden):
            officer_outside_sanctions(container.uow(), actor(role), people["ana"])
    assert len(_actions(container, "integrity:outside_sanction:read")) == 1
    assert _actions(container, "authz:permission:denied")


def test_the_commands_import_list_link_and_reject(container: Container, people: dict[str, int],
                                                  database_url: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    result = runner.invoke(app, ["import", str(SAMPLE), "--mapping", MAPPING])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("5 sanctions in estatal-sample.csv: 5 added, 0 already "
                                    "held; 2 linked (1 by CURP, 1 by name, birth date and "
                                    "employer), 2 for review, 1 unmatched")
    listed = runner.invoke(app, ["review"])
    assert listed.exit_code == 0 and "JUAN PÉREZ LÓPEZ" in listed.stdout
    rows = _rows(container)
    linked = runner.invoke(app, ["link", str(rows[5].id), "--officer", str(people["marta"])])
    assert linked.exit_code == 0, linked.output
    rejected = runner.invoke(app, ["reject", str(rows[4].id), "--reason",
                                   "Ninguno de los dos nació en esas fechas"])
    assert rejected.exit_code == 0, rejected.output
    assert "nothing waits for review" in runner.invoke(app, ["review"]).stdout
