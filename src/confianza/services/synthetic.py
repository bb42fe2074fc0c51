"""Building a synthetic registry (`confianza demo`): a whole force in one set-based transaction.

The agencies, units, officers, careers, badges and contact data are drawn by the pure generator
in domain/synthetic*.py and written through the BulkWriter in batches, inside ONE transaction
with one audit entry (`registry:demo:build`) carrying the counts: either the whole registry is
built or nothing is. Demo staff accounts, when asked for, are made afterwards through the normal
`create_user` use case, each with its own audit entry.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from confianza.domain.audit import AuditAction
from confianza.domain.errors import Conflict
from confianza.domain.permissions import Actor, Permission, Role, Scope, ScopeKind
from confianza.domain.synthetic import SCALES, Scale, plan_force
from confianza.domain.synthetic_careers import FirstIds, agency_rows, build_rows
from confianza.persistence.repositories.officers import SearchCriteria
from confianza.persistence.unit_of_work import UnitOfWork
from confianza.services.authorization import require
from confianza.services.users import NewUser, create_user

Progress = Callable[[str, int, int], None]

_TABLES = ("agencies", "units", "officers", "assignments", "badges", "officer_contacts")
# Officers per batch: large enough that executemany/COPY dominate, small enough to show progress.
BATCH = 25_000


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    scope: str
    password: str


@dataclass(frozen=True)
class GenerationReport:
    scale: Scale
    seed: int
    counts: dict[str, int]
    accounts: list[DemoAccount] = field(default_factory=list)


def registry_is_empty(uow: UnitOfWork) -> bool:
    """Whether the registry has no agency and no officer yet (a demo may only fill an empty one)."""
    with uow.transaction() as tx:
        agencies = tx.agencies.search(include_dissolved=True, limit=1)
        officers = tx.officers.search(SearchCriteria(), Scope(), after=None, limit=1)
        return not agencies and not officers


def generate(
    uow: UnitOfWork,
    actor: Actor,
    *,
    scale: Scale,
    seed: int,
    progress: Progress | None = None,
    with_demo_users: bool = False,
) -> GenerationReport:
    """Fill an empty registry with a synthetic force; the same seed writes the same rows."""
    report = progress or (lambda _stage, _done, _total: None)
    total = scale_size(scale)
    counts = dict.fromkeys(_TABLES, 0)
    with uow.transaction() as tx:
        require(actor, Permission.AGENCY_WRITE, resource_type="agency")
        require(actor, Permission.OFFICER_IMPORT, resource_type="officer")
        if with_demo_users:
            require(actor, Permission.USER_MANAGE, resource_type="user")
        if tx.agencies.search(include_dissolved=True, limit=1):
            raise Conflict("the registry already holds agencies; a demo fills an empty one")
        writer = tx.bulk_writer()
        writer.lock(list(_TABLES))
        ids = FirstIds(*(writer.next_id(t) for t in _TABLES))
        rng = random.Random(seed)
        plan = plan_force(scale, rng)
        agencies, units = agency_rows(plan, ids, tx.now)
        writer.insert("agencies", agencies)
        writer.insert("units", units)
        counts["agencies"], counts["units"] = len(agencies), len(units)
        report("officers", 0, total)
        for batch in build_rows(plan, rng, tx.today, tx.now, ids, BATCH):
            for table, rows in zip(_TABLES[2:], batch, strict=True):
                writer.insert(table, rows)
                counts[table] += len(rows)
            report("officers", counts["officers"], total)
        writer.finish(_TABLES)
        tx.audit.record(actor, AuditAction.DEMO_BUILD, "registry", None,
                        detail={"scale": scale.value, "seed": seed, "counts": counts})
    accounts = create_demo_accounts(uow, actor) if with_demo_users else []
    return GenerationReport(scale, seed, counts, accounts)


def create_demo_accounts(uow: UnitOfWork, actor: Actor) -> list[DemoAccount]:
    """One account per role, plus a Jalisco-scoped HR account; random passwords, shown once."""
    wanted = [(f"demo-{role.value.replace('_', '-')}", role, Scope()) for role in Role]
    wanted.append(("demo-agency-hr-jal", Role.AGENCY_HR, Scope(ScopeKind.STATE, "14")))
    accounts = []
    for username, role, scope in wanted:
        password = secrets.token_urlsafe(12)
        title = role.value.replace("_", " ")
        create_user(uow, actor, NewUser(username, f"Demo {title} ({scope.describe()})", password,
                                        role, scope))
        accounts.append(DemoAccount(username, role, scope.describe(), password))
    return accounts


def scale_size(scale: Scale) -> int:
    """How many officers a scale builds, before any is drawn (for progress bars and messages)."""
    spec = SCALES[scale]
    return spec.local_officers + spec.federal_officers
