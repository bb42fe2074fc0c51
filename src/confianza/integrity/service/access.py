"""Who may see and do what in one case: the role opens the door, the case's people decide.

Cases are the most sensitive records (ADR 0030). Holding `integrity:case:read` within the
case's scope lets an account read a case file only when it is one of the case's people (its
investigator, its deciders, its appeal's decider) or supervises internal affairs for that
scope; anyone else holding a case permission learns at most that the case exists and its stage.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

from confianza.accounts.rules.permissions import (
    Actor,
    ActorKind,
    Holder,
    Permission,
    Role,
)
from confianza.accounts.service.authorization import require
from confianza.core.errors import Forbidden, NotFound
from confianza.integrity.rules.catalogue import Duty
from confianza.integrity.rules.records import Case, CaseAssignment
from confianza.integrity.rules.safeguards import (
    CasePeople,
    Person,
    Posting,
    in_chain_of_command,
)
from confianza.registry.service.agencies import holder_of
from confianza.trail.rules import AuditAction, PendingEntry
from confianza.work import Transaction


def load_case(tx: Transaction, case_id: int, *, lock: bool = False) -> Case:
    found = tx.integrity.case(case_id, lock=lock)
    if found is None:
        raise NotFound(f"case {case_id} does not exist")
    return found


def case_holder(tx: Transaction, case: Case) -> Holder:
    agency = tx.agencies.get(case.agency_id)
    return holder_of(agency) if agency is not None else Holder()


def duties_of(assignments: Iterable[CaseAssignment], user_id: int | None) -> frozenset[Duty]:
    return frozenset(a.duty for a in assignments if a.user_id == user_id)


def refuse(actor: Actor, permission: Permission, case_id: int, reason: str) -> NoReturn:
    """A need-to-know refusal: 403 with its `authz:permission:denied` entry."""
    error = Forbidden(reason)
    error.audit_entry = PendingEntry(
        actor=actor.username, actor_kind=actor.kind.value, action=AuditAction.ACCESS_DENIED,
        resource_type="integrity_case", resource_id=str(case_id),
        detail={"permission": permission.value, "reason": reason, **actor.attribution()})
    raise error


def require_file(tx: Transaction, actor: Actor, case: Case,
                 permission: Permission = Permission.CASE_READ,
                 duties: frozenset[Duty] = frozenset(Duty)) -> frozenset[Duty]:
    """The caller may act on this case's file with `permission`: the role and the scope, then
    need-to-know (one of `duties` in the case, or a supervisor of its scope, or the console).
    Returns the caller's duties in the case."""
    require(actor, permission, case_holder(tx, case), resource_type="integrity_case",
            resource_id=case.id)
    mine = duties_of(tx.integrity.assignments(case.id), actor.user_id)
    if actor.kind is ActorKind.SYSTEM or mine & duties:
        return mine
    if actor.role is Role.INTERNAL_AFFAIRS_SUPERVISOR and permission in (
        Permission.CASE_READ, Permission.CASE_ASSIGN, Permission.CASE_OPEN
    ):
        return mine
    refuse(actor, permission, case.id, "you are not one of this case's people (need to know: "
           "its investigator, its deciders, or a supervisor of its scope)")


def case_people(tx: Transaction, case_id: int) -> CasePeople:
    sources = tx.integrity.sources(case_id)
    assignments = tx.integrity.assignments(case_id)
    findings = tx.integrity.findings(case_id)
    deciders = {f.decided_by_id for f in findings}
    deciders |= {f.confirmed_by_id for f in findings if f.confirmed_by_id is not None}
    deciders |= {s.decided_by_id for s in tx.integrity.sanctions(case_id)}
    return CasePeople(
        relayers=frozenset(s.relayed_by_id for s in sources if s.relayed_by_id is not None),
        reporters=frozenset(s.reporter_user_id for s in sources
                            if s.reporter_user_id is not None),
        reporter_officers=frozenset(s.reporter_officer_id for s in sources
                                    if s.reporter_officer_id is not None),
        subjects=frozenset(a.officer_id for a in tx.integrity.allegations(case_id)
                           if a.officer_id is not None),
        investigators=frozenset(a.user_id for a in assignments
                                if a.duty is Duty.INVESTIGATOR),
        deciders=frozenset(deciders),
    )


def _postings(tx: Transaction, officer_id: int) -> list[Posting]:
    return [Posting(a.agency_id, a.unit_id) for a in tx.officers.assignments(officer_id)
            if a.end_date is None]


def person(tx: Transaction, user_id: int, officer_id: int | None,
           people: CasePeople) -> Person:
    """The person as the safeguards see them, their chain of command worked out from the
    registry's open postings and the units above the subjects' units."""
    if officer_id is None:
        return Person(user_id)
    theirs = _postings(tx, officer_id)
    commands = False
    for subject in people.subjects:
        postings = _postings(tx, subject)
        parents: dict[int, int | None] = {}
        pending = [p.unit_id for p in postings if p.unit_id is not None]
        while pending:
            unit_id = pending.pop()
            if unit_id in parents:
                continue
            unit = tx.agencies.unit(unit_id)
            parents[unit_id] = unit.parent_unit_id if unit is not None else None
            if unit is not None and unit.parent_unit_id is not None:
                pending.append(unit.parent_unit_id)
        if in_chain_of_command(postings, theirs, parents):
            commands = True
            break
    return Person(user_id, officer_id, commands)


def assigned_officer(tx: Transaction, case_id: int, user_id: int) -> int | None:
    """The registry record declared for a person when they were assigned to the case."""
    return next((a.officer_id for a in tx.integrity.assignments(case_id)
                 if a.user_id == user_id and a.officer_id is not None), None)
