"""The integrity section of an officer's record: the cases in which the officer is accused, each
with its stage, and whether the reader may open its file.

Every role holding a case permission learns that a case exists and its stage (ADR 0030); only
the case's own people and the internal-affairs supervisors of its scope are offered its file,
which `cases.read_case` checks again (and records) when it is opened.

The record's page reads the section with the rest of the record, in its one transaction and
under its one entry (`registry.service.officers.read_record`, section `integrity`, ADR 0024):
`cases_on_record` is that read, and `section_detail` what the entry says of it, the cases
shown and those offered, as the section's own entry said. `officer_section` is the same read
as an act of its own, with its own entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from confianza.accounts.rules.permissions import Actor, ActorKind, Holder, Permission, Role
from confianza.accounts.service.authorization import require
from confianza.core.errors import NotFound
from confianza.integrity.rules.records import Case
from confianza.integrity.rules.stages import Due, Stage, due
from confianza.integrity.service.access import case_holder
from confianza.trail.rules import AuditAction
from confianza.work import Transaction, UnitOfWork


@dataclass(frozen=True)
class OfficerCase:
    """A case on the officer's record, as far as the reader may know it."""

    id: int
    stage: Stage
    stage_since: date
    due: Due
    may_open: bool  # the reader is one of the case's people, or supervises its scope


def _files_offered(tx: Transaction, actor: Actor, found: list[Case]) -> set[int]:
    """The cases whose file the reader may open, as `access.require_file` decides it for
    reading, without refusing: in two or three reads for the whole list (the cases' people
    at once, each agency's holder once), not two per case (an officer of the Chicago
    complaints is named in up to 44 of them)."""
    if not found or not actor.has(Permission.CASE_READ):
        return set()
    if actor.kind is ActorKind.SYSTEM:
        return {c.id for c in found}
    if actor.role is Role.INTERNAL_AFFAIRS_SUPERVISOR:
        candidates = found
    else:
        if actor.user_id is None:
            return set()
        mine = tx.integrity.assigned_among(actor.user_id, [c.id for c in found])
        candidates = [c for c in found if c.id in mine]
    holders: dict[int, Holder] = {}
    offered = set()
    for case in candidates:
        holder = holders.get(case.agency_id)
        if holder is None:
            holder = holders[case.agency_id] = case_holder(tx, case)
        if actor.scope.covers(holder):
            offered.add(case.id)
    return offered


def cases_on_record(tx: Transaction, actor: Actor, officer_id: int) -> list[OfficerCase]:
    """The officer's cases, newest first, as the reader may know them; for a caller that has
    already checked `integrity:case:stage_read` over the officer, and records the read."""
    found = list(reversed(tx.integrity.cases_of_officer(officer_id)))
    offered = _files_offered(tx, actor, found)
    return [OfficerCase(c.id, c.stage, c.stage_since, due(c.stage, c.stage_since, tx.today),
                        c.id in offered) for c in found]


def section_detail(found: list[OfficerCase]) -> dict[str, list[int]]:
    """What the read's entry says of the section: the cases shown, the files offered."""
    return {"cases": [c.id for c in found], "files_offered": [c.id for c in found if c.may_open]}


def officer_section(uow: UnitOfWork, actor: Actor, officer_id: int) -> list[OfficerCase]:
    """The officer's cases, newest first, for a reader holding `integrity:case:stage_read`
    over the officer: the section read on its own, an act with its own entry."""
    with uow.transaction() as tx:
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        require(actor, Permission.CASE_STAGE_READ, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        found = cases_on_record(tx, actor, officer_id)
        tx.audit.record(actor, AuditAction.CASE_STAGE_READ, "officer", officer_id,
                        detail=section_detail(found))
        return found
