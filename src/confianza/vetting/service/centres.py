"""Use cases for evaluation centres: the centres, their daily capacity, their examiners."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from confianza.accounts.rules.permissions import Actor, Holder, Permission, Role
from confianza.accounts.service.authorization import require
from confianza.core.errors import Conflict, ErrorCollector, NotFound
from confianza.registry.rules.geography import find_state
from confianza.trail.rules import AuditAction
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.rules.records import Centre, Examiner
from confianza.work import Transaction, UnitOfWork

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
CAPACITY_MAX = 10_000


@dataclass(frozen=True)
class CentreDetail:
    centre: Centre
    examiners: list[Examiner]


def _holder(centre: Centre) -> Holder | None:
    return Holder(state_codes=frozenset({centre.state_code})) if centre.state_code else None


def _get(tx: Transaction, centre_id: int) -> Centre:
    centre = tx.evaluations.centre(centre_id)
    if centre is None:
        raise NotFound(f"centre {centre_id} does not exist")
    return centre


def _check_capacity(capacity: Mapping[ExamType, int], errors: ErrorCollector) -> None:
    for exam_type, daily in capacity.items():
        if not 0 <= daily <= CAPACITY_MAX:
            errors.add(f"capacity.{exam_type}", f"must be between 0 and {CAPACITY_MAX:,}")


def create_centre(
    uow: UnitOfWork, actor: Actor, code: str, name: str, state_code: str | None,
    capacity: Mapping[ExamType, int],
) -> CentreDetail:
    with uow.transaction() as tx:
        require(actor, Permission.CENTRE_MANAGE, resource_type="centre")
        errors = ErrorCollector()
        code = code.strip().upper()
        if not CODE.match(code):
            errors.add("code", "must be 2 to 40 capital letters, digits or '-'")
        if not 3 <= len(name.strip()) <= 200:
            errors.add("name", "must be 3 to 200 characters")
        if state_code is not None and find_state(state_code) is None:
            errors.add("state_code", f"{state_code!r} is not an INEGI state code")
        _check_capacity(capacity, errors)
        errors.raise_if_any()
        if tx.evaluations.centre_by_code(code) is not None:
            raise Conflict(f"centre {code} already exists")
        centre_id = tx.evaluations.add_centre(code, name.strip(), state_code, tx.now)
        if capacity:
            tx.evaluations.set_capacity(centre_id, dict(capacity))
        tx.audit.record(actor, AuditAction.CENTRE_CREATE, "centre", centre_id,
                        detail={"code": code, "capacity": {t.value: d for t, d in
                                                           sorted(capacity.items())}})
        return CentreDetail(_get(tx, centre_id), [])


def set_capacity(uow: UnitOfWork, actor: Actor, centre_id: int,
                 capacity: Mapping[ExamType, int]) -> CentreDetail:
    with uow.transaction() as tx:
        centre = _get(tx, centre_id)
        require(actor, Permission.CENTRE_MANAGE, _holder(centre), resource_type="centre",
                resource_id=centre_id)
        errors = ErrorCollector()
        _check_capacity(capacity, errors)
        errors.raise_if_any()
        tx.evaluations.set_capacity(centre_id, dict(capacity))
        tx.audit.record(actor, AuditAction.CENTRE_UPDATE, "centre", centre_id,
                        detail={"capacity": {t.value: d for t, d in sorted(capacity.items())}})
        return CentreDetail(_get(tx, centre_id), tx.evaluations.examiners_of(centre_id))


def set_examiner(uow: UnitOfWork, actor: Actor, centre_id: int, user_id: int,
                 qualifications: frozenset[ExamType]) -> Examiner:
    """Place an examiner account at a centre with the exam types it is qualified for."""
    with uow.transaction() as tx:
        centre = _get(tx, centre_id)
        require(actor, Permission.CENTRE_MANAGE, _holder(centre), resource_type="centre",
                resource_id=centre_id)
        user = tx.users.get(user_id)
        if user is None:
            raise NotFound(f"user {user_id} does not exist")
        if user.role is not Role.EXAMINER:
            raise Conflict(f"{user.username} is a {user.role}, not an examiner: who decides or "
                           "schedules may not examine")
        tx.evaluations.set_examiner(user_id, centre_id, qualifications)
        tx.audit.record(actor, AuditAction.EXAMINER_UPDATE, "user", user_id,
                        detail={"centre_id": centre_id,
                                "qualifications": sorted(q.value for q in qualifications)})
        found = tx.evaluations.examiner(user_id)
        assert found is not None
        return found


def list_centres(uow: UnitOfWork, actor: Actor) -> list[Centre]:
    with uow.transaction(read_only=True) as tx:
        require(actor, Permission.CENTRE_READ, resource_type="centre")
        return tx.evaluations.centres(actor.scope)


def get_centre(uow: UnitOfWork, actor: Actor, centre_id: int) -> CentreDetail:
    with uow.transaction(read_only=True) as tx:
        centre = _get(tx, centre_id)
        require(actor, Permission.CENTRE_READ, _holder(centre), resource_type="centre",
                resource_id=centre_id)
        return CentreDetail(centre, tx.evaluations.examiners_of(centre_id))
