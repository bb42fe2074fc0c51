"""A newer edition of a roster brings known people up to date, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from refresh_support import (
    COMPLETE,
    MAPPING_TEXT,
    apply,
    curp,
    entries,
    line,
    officer_id,
    write,
)

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import ValidationFailed
from confianza.registry.repository import rosters
from confianza.registry.rules.import_mapping import parse_mapping
from conftest import actor


def test_rank_unit_and_badge_changes_are_applied_with_one_entry_naming_them(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(0), line(1)]))
    before = len(entries(container))
    report = apply(container, operator, write(tmp_path, [
        line(0, grado="SUBOFICIAL", unidad="Z2", unidad_nombre="Zona 2", placa="900"),
        line(1)], "second.csv"))
    assert report.kinds["changed"] == 1 and report.kinds["unchanged"] == 1
    assert report.changes == 1
    changed = {(r.field, r.registry_value, r.file_value, r.line) for r in report.diff}
    assert changed == {("rank", "POLICÍA", "SUBOFICIAL", 2), ("unit", "Z1", "Z2", 2),
                       ("badge", "", "900", 2)}
    rosa = officer_id(container, 0)
    with container.uow().transaction() as tx:
        [posting] = tx.officers.assignments(rosa)
        assert posting.rank == "SUBOFICIAL" and posting.end_date is None
        assert {b.number for b in tx.officers.badges(rosa)} == {"500", "900"}
        assert len(tx.officers.status_history(rosa)) == 1  # the status did not change
    new = entries(container)[before:]
    officer_entries = [e for e in new if e[0] == "officer:identity:update"]
    assert [e[1] for e in officer_entries] == [str(rosa)]
    assert officer_entries[0][2]["changes"] == ["badge", "rank", "unit"]
    assert [e[0] for e in new].count("unit:record:create") == 1
    assert new[-1][0] == "officer:roster:import" and new[-1][2]["changes"] == 1


def test_an_end_of_posting_separates_the_person_with_a_history_line(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(0)]))
    report = apply(container, operator, write(tmp_path, [
        line(0, baja="2024-03-01", motivo="resignation")], "second.csv"))
    assert report.kinds["separated"] == 1
    assert {(r.kind.value, r.field) for r in report.diff} == {
        ("separated", "end_date"), ("changed", "end_reason"), ("separated", "status")}
    rosa = officer_id(container, 0)
    with container.uow().transaction() as tx:
        [posting] = tx.officers.assignments(rosa)
        assert (posting.end_date, posting.end_reason.value if posting.end_reason else None,
                posting.status.value) == (date(2024, 3, 1), "resignation", "separated")
        officer = tx.officers.get(rosa)
        assert officer is not None and officer.status.value == "separated"
        history = tx.officers.status_history(rosa)
        assert [(h.status.value, h.effective_on) for h in history][-1] == (
            "separated", date(2024, 3, 1))
        assert history[-1].reason == "roster refresh from second.csv"


def test_a_new_posting_elsewhere_ends_the_open_one_as_a_transfer(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(1)]))
    apply(container, operator, write(tmp_path, [
        line(1, corporacion="NL-FC", ingreso="2023-06-01", unidad="C", placa="")],
        "second.csv"))
    luis = officer_id(container, 1)
    with container.uow().transaction() as tx:
        old, new = tx.officers.assignments(luis)
        assert (old.end_date, old.end_reason and old.end_reason.value) == (
            date(2023, 6, 1), "transfer")
        assert (new.agency_id, new.end_date) == (agencies["NL-FC"], None)
        officer = tx.officers.get(luis)
        assert officer is not None and officer.status.value == "active"


def test_a_transfer_does_not_end_a_posting_outside_the_importers_scope(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    """A state's clerk imports its roster, in which a person of another state's force now
    serves: the other state's posting is not theirs to end, so the file's new full-time posting
    overlaps it, a fault named by its line, and nothing is written. A national clerk's import
    ends it as a transfer (the test above)."""
    apply(container, operator, write(tmp_path, [line(1)]))
    nuevo_leon = actor(Role.REGISTRY_CLERK, Scope(ScopeKind.STATE, "19"), "clerk.nl")
    second = write(tmp_path, [line(1, corporacion="NL-FC", ingreso="2023-06-01", unidad="C",
                                    placa="")], "second.csv")
    with pytest.raises(ValidationFailed) as refused:
        apply(container, nuevo_leon, second)
    assert any(e.location.startswith("second.csv:2") and "overlap" in e.reason
               for e in refused.value.errors), refused.value.errors
    luis = officer_id(container, 1)
    with container.uow().transaction() as tx:
        [posting] = tx.officers.assignments(luis)
        assert (posting.agency_id, posting.end_date) == (agencies["JAL-SSP"], None)
    # Within its scope, the same clerk's transfer goes through.
    jalisco = actor(Role.REGISTRY_CLERK, Scope(ScopeKind.STATE, "14"), "clerk.jal")
    apply(container, jalisco, write(tmp_path, [line(1, corporacion="JAL-GDL-PM",
                                                    ingreso="2023-06-01", unidad="C",
                                                    placa="")], "third.csv"))
    with container.uow().transaction() as tx:
        old, new = tx.officers.assignments(luis)
        assert (old.end_date, new.agency_id) == (date(2023, 6, 1), agencies["JAL-GDL-PM"])


def test_a_leave_is_a_posting_status_that_keeps_the_person_active(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(0)]))
    report = apply(container, operator, write(tmp_path, [line(0, situacion="LICENCIA")],
                                              "second.csv"))
    assert [(r.field, r.registry_value, r.file_value) for r in report.diff] == [
        ("posting_status", "active", "on_leave")]
    rosa = officer_id(container, 0)
    with container.uow().transaction() as tx:
        [posting] = tx.officers.assignments(rosa)
        assert posting.status.value == "on_leave"


def test_the_same_refresh_applied_twice_changes_nothing_the_second_time(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(0), line(1)]))
    second = write(tmp_path, [line(0, grado="SUBOFICIAL"),
                              line(1, baja="2024-01-01", motivo="retirement")], "second.csv")
    first_run = apply(container, operator, second)
    assert first_run.changes == 2
    before = len(entries(container))
    again = apply(container, operator, second)
    assert again.changes == 0 and again.kinds["unchanged"] == 2
    [entry] = entries(container)[before:]
    assert entry[0] == "officer:roster:import"
    assert entry[2]["changes"] == 0 and len(entry[2]["sha256"]) == 64


def test_a_dry_run_reports_the_difference_and_writes_nothing(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(0)]))
    before = entries(container)
    report = apply(container, operator, write(tmp_path, [line(0, grado="CABO"), line(2)],
                                              "second.csv"), dry_run=True)
    assert report.dry_run and report.kinds["new"] == 1 and report.kinds["changed"] == 1
    assert {(r.kind.value, r.line) for r in report.diff} == {("changed", 2), ("new", 3)}
    assert entries(container) == before
    rosa = officer_id(container, 0)
    with container.uow().transaction() as tx:
        [posting] = tx.officers.assignments(rosa)
        assert posting.rank == "POLICÍA"


def test_a_roster_cannot_reopen_an_ended_posting(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(0, baja="2024-03-01",
                                                     motivo="resignation")]))
    with pytest.raises(ValidationFailed) as caught:
        apply(container, operator, write(tmp_path, [line(0)], "second.csv"))
    [fault] = caught.value.errors
    assert fault.location == "second.csv:2:baja"
    assert "ended on 2024-03-01" in fault.reason


def test_a_new_posting_overlapping_an_ended_one_is_named_by_line_and_column(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(0, baja="2024-03-01",
                                                     motivo="resignation")]))
    with pytest.raises(ValidationFailed) as caught:
        apply(container, operator, write(tmp_path, [
            line(0, corporacion="NL-FC", ingreso="2020-01-01", placa="")], "second.csv"))
    [fault] = caught.value.errors
    assert fault.location == "second.csv:2:ingreso"
    assert "overlaps the full-time posting the registry holds from 2015-02-01" in fault.reason


def test_a_complete_roster_proposes_pending_separations_once(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(0), line(1)]))
    # A file of changes only says nothing of who is missing from it.
    assert apply(container, operator, write(tmp_path, [line(0)], "changes.csv")).changes == 0
    complete = write(tmp_path, [line(0)], "complete.csv")
    report = apply(container, operator, complete, COMPLETE)
    assert report.kinds["separated"] == 1 and report.changes == 1
    [row] = report.diff
    assert (row.kind.value, row.field, row.line) == ("separated", "pending_separation", None)
    luis = officer_id(container, 1)
    with container.uow().transaction() as tx:
        [pending] = tx.rosters.separations(Scope(), "pending", after=None, limit=10)
        assert (pending.officer_id, pending.file_name) == (luis, "complete.csv")
        officer = tx.officers.get(luis)
        assert officer is not None and officer.status.value == "active"  # never silently
        [posting] = tx.officers.assignments(luis)
        assert posting.end_date is None
    proposed = [e for e in entries(container) if e[0] == "officer:pending_separation:propose"]
    assert [e[1] for e in proposed] == [str(luis)]
    again = apply(container, operator, complete, COMPLETE)
    assert again.changes == 0
    with container.uow().transaction() as tx:
        assert len(tx.rosters.separations(Scope(), None, after=None, limit=10)) == 1


def test_a_person_whose_row_is_rejected_is_still_listed_by_a_complete_roster(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    apply(container, operator, write(tmp_path, [line(0), line(1)]))
    complete = write(tmp_path, [line(0), line(1, ingreso="ayer")], "complete.csv")
    for _ in range(2):
        report = apply(container, operator, complete, COMPLETE, skip_invalid=True)
        assert report.rejected_rows == 1 and report.kinds["separated"] == 0
    with container.uow().transaction() as tx:
        assert tx.rosters.separations(Scope(), None, after=None, limit=10) == []


def test_a_national_file_reads_the_registry_in_whole_passes_with_the_same_result(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Past WHOLE_TABLE people the state is read in one pass per table on the driver's cursor
    # (dates as SQLite's text, or PostgreSQL's dates); here every file takes that path.
    monkeypatch.setattr(rosters, "WHOLE_TABLE", 0)
    apply(container, operator, write(tmp_path, [line(0), line(1, baja="2024-01-01",
                                                              motivo="retirement")]))
    report = apply(container, operator, write(tmp_path, [
        line(0, grado="CABO"), line(1, baja="2024-01-01", motivo="retirement")], "second.csv"))
    assert [(r.field, r.registry_value, r.file_value) for r in report.diff] == [
        ("rank", "POLICÍA", "CABO")]
    assert report.kinds["unchanged"] == 1


def test_a_curp_filled_in_under_an_external_key_must_be_nobody_elses(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    keyed = parse_mapping(
        "[identity]\nscheme = \"jal-payroll\"\ncolumn = \"placa\"\n"
        + MAPPING_TEXT.replace("[badges]\ncolumns = [\"placa\"]\n", ""), "keyed.toml")
    apply(container, operator, write(tmp_path, [line(0, curp=""), line(1)]), keyed)
    # Rosa's row now gives Luis's CURP: refused by line and column, nothing applied.
    with pytest.raises(ValidationFailed) as caught:
        apply(container, operator, write(tmp_path, [line(0, curp=curp(1), sexo="", nacimiento="",
                                                     grado="CABO")],
                                         "second.csv"), keyed)
    [fault] = caught.value.errors
    assert fault.location == "second.csv:2:curp" and "already registered" in fault.reason
