"""Pending separations (HR) and the review queue (the registry clerk), through the services,
on SQLite and PostgreSQL: who may act, what each decision does, and what it leaves in the
trail."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from refresh_support import COMPLETE, apply, curp, entries, line, officer_id, write

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.service import pending_separations as separations
from confianza.registry.service import roster_conflicts as conflicts
from conftest import actor


@pytest.fixture
def pending(container: Container, operator: Actor, agencies: dict[str, int],
            tmp_path: Path) -> int:
    """Luis left out of a complete roster of JAL-SSP: one pending separation."""
    apply(container, operator, write(tmp_path, [line(0), line(1)]))
    apply(container, operator, write(tmp_path, [line(0)], "complete.csv"), COMPLETE)
    [found] = separations.list_separations(container.uow(), operator_hr(agencies))
    return found.id


def operator_hr(agencies: dict[str, int], agency: str = "JAL-SSP") -> Actor:
    return actor(Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=agencies[agency]),
                 f"hr-{agency.lower()}")


def test_hr_confirms_a_pending_separation_and_the_person_is_separated(
    container: Container, agencies: dict[str, int], pending: int
) -> None:
    hr = operator_hr(agencies)
    done = separations.confirm_separation(container.uow(), hr, pending, date(2024, 5, 1),
                                          ChangeReason.RESIGNATION)
    assert (done.status, done.decided_by, done.end_date) == ("confirmed", hr.username,
                                                             date(2024, 5, 1))
    luis = officer_id(container, 1)
    with container.uow().transaction() as tx:
        [posting] = tx.officers.assignments(luis)
        assert posting.end_date == date(2024, 5, 1)
        person = tx.officers.get(luis)
        assert person is not None and person.status.value == "separated"
        assert tx.officers.status_history(luis)[-1].effective_on == date(2024, 5, 1)
    confirmed = [e for e in entries(container) if e[0] == "officer:pending_separation:confirm"]
    assert [(e[1], e[2]["reason"]) for e in confirmed] == [(str(luis), "resignation")]
    with pytest.raises(InvalidTransition):
        separations.dismiss_separation(container.uow(), hr, pending, "still here")


def test_hr_dismisses_a_pending_separation_and_the_posting_stays_open(
    container: Container, agencies: dict[str, int], pending: int
) -> None:
    hr = operator_hr(agencies)
    with pytest.raises(ValidationFailed):
        separations.dismiss_separation(container.uow(), hr, pending, "no")
    done = separations.dismiss_separation(container.uow(), hr, pending,
                                          "on a course, left out of the file by mistake")
    assert done.status == "dismissed" and done.note is not None
    luis = officer_id(container, 1)
    with container.uow().transaction() as tx:
        [posting] = tx.officers.assignments(luis)
        assert posting.end_date is None
    assert any(e[0] == "officer:pending_separation:dismiss" and e[1] == str(luis)
               for e in entries(container))


def test_who_may_decide_a_pending_separation(
    container: Container, operator: Actor, agencies: dict[str, int], pending: int
) -> None:
    other_hr = operator_hr(agencies, "NL-FC")
    assert separations.list_separations(container.uow(), other_hr) == []
    with pytest.raises(Forbidden):
        separations.confirm_separation(container.uow(), other_hr, pending, date(2024, 5, 1),
                                       ChangeReason.RESIGNATION)
    with pytest.raises(Forbidden):
        separations.list_separations(container.uow(), actor(Role.REGISTRY_CLERK))
    # The account that ran the import proposed it: another person confirms.
    importer = actor(Role.AGENCY_HR, Scope(), "test-operator")
    with pytest.raises(Conflict) as caught:
        separations.confirm_separation(container.uow(), importer, pending, date(2024, 5, 1),
                                       ChangeReason.RESIGNATION)
    assert caught.value.code == "same_person"
    with pytest.raises(ValidationFailed):
        separations.confirm_separation(container.uow(), operator_hr(agencies), pending,
                                       date(2024, 5, 1), ChangeReason.TRANSFER)
    reads = [e for e in entries(container) if e[0] == "officer:pending_separation:read"]
    assert reads  # every list is audited, an empty one too


@pytest.fixture
def queued(container: Container, operator: Actor, agencies: dict[str, int],
           tmp_path: Path) -> int:
    """Rosa's name changed in a second edition, along with her rank."""
    apply(container, operator, write(tmp_path, [line(0)]))
    edition = write(tmp_path, [line(0, nombres="ROSALINDA", grado="CABO")], "second.csv")
    report = apply(container, operator, edition)
    assert report.kinds["conflict"] == 1 and report.changes == 1
    [row] = report.diff
    assert (row.kind.value, row.field, row.line) == ("conflict", "name", 2)
    # Applied again, the same conflict is not queued twice.
    assert apply(container, operator, edition).changes == 0
    [found] = conflicts.list_conflicts(container.uow(), actor(Role.REGISTRY_CLERK))
    assert found.facts == [{"field": "name", "registry": "ROSA PÉREZ MUÑOZ",
                            "file": "ROSALINDA PÉREZ MUÑOZ"}]
    return found.id


def _rosa(container: Container) -> tuple[str, str]:
    rosa = officer_id(container, 0)
    with container.uow().transaction() as tx:
        person = tx.officers.get(rosa)
        [posting] = tx.officers.assignments(rosa)
    assert person is not None
    return person.given_names, posting.rank


def test_a_conflict_holds_the_persons_changes_until_accepted(
    container: Container, operator: Actor, agencies: dict[str, int], queued: int,
    tmp_path: Path,
) -> None:
    assert _rosa(container) == ("ROSA", "POLICÍA")  # nothing applied, not even the rank
    clerk = actor(Role.REGISTRY_CLERK)
    done = conflicts.decide_conflict(container.uow(), clerk, queued,
                                     conflicts.ConflictDecision.ACCEPT)
    assert done.status == "accepted"
    assert _rosa(container) == ("ROSALINDA", "POLICÍA")
    # The next import of the roster applies what was held.
    apply(container, operator, tmp_path / "second.csv")
    assert _rosa(container) == ("ROSALINDA", "CABO")
    assert any(e[0] == "officer:roster_conflict:decide" and e[2]["decision"] == "accept"
               for e in entries(container))


def test_keeping_the_registrys_name_lets_the_rest_apply(
    container: Container, operator: Actor, agencies: dict[str, int], queued: int,
    tmp_path: Path,
) -> None:
    conflicts.decide_conflict(container.uow(), actor(Role.REGISTRY_CLERK), queued,
                              conflicts.ConflictDecision.KEEP, note="typo in the agency file")
    report = apply(container, operator, tmp_path / "second.csv")
    assert report.kinds["changed"] == 1
    assert _rosa(container) == ("ROSA", "CABO")


def test_a_split_registers_the_files_person_under_a_new_key(
    container: Container, agencies: dict[str, int], queued: int
) -> None:
    clerk = actor(Role.REGISTRY_CLERK)
    with pytest.raises(ValidationFailed):
        conflicts.decide_conflict(container.uow(), clerk, queued,
                                  conflicts.ConflictDecision.SPLIT, new_key="NOT A CURP")
    with pytest.raises(ValidationFailed):
        conflicts.decide_conflict(container.uow(), clerk, queued,
                                  conflicts.ConflictDecision.REUSED)
    new_curp = curp(2)
    done = conflicts.decide_conflict(container.uow(), clerk, queued,
                                     conflicts.ConflictDecision.SPLIT, new_key=new_curp)
    assert done.status == "split" and done.new_officer_id is not None
    with container.uow().transaction() as tx:
        person = tx.officers.get(done.new_officer_id)
        assert person is not None
        assert (person.given_names, person.curp) == ("ROSALINDA", new_curp)
        [posting] = tx.officers.assignments(done.new_officer_id)
        assert posting.rank == "CABO"
    assert _rosa(container) == ("ROSA", "POLICÍA")


def test_only_the_registry_clerk_reads_and_decides_the_queue(
    container: Container, agencies: dict[str, int], queued: int
) -> None:
    for role in (Role.AGENCY_HR, Role.AUDITOR):
        with pytest.raises(Forbidden):
            conflicts.list_conflicts(container.uow(), actor(role))
        with pytest.raises(Forbidden):
            conflicts.decide_conflict(container.uow(), actor(role), queued,
                                      conflicts.ConflictDecision.KEEP)
