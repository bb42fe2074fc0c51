"""Setting up the agencies a roster needs, in one command or one section of a mapping file."""

from __future__ import annotations

from dataclasses import dataclass

from confianza.accounts.rules.permissions import Actor
from confianza.registry.rules.agencies import NewAgency
from confianza.registry.service.agencies import add_agency
from confianza.work import Transaction, UnitOfWork


@dataclass(frozen=True)
class AgencyLoadReport:
    created: tuple[str, ...]
    existing: tuple[str, ...]


def ensure_agencies(
    tx: Transaction, actor: Actor, specs: tuple[NewAgency, ...]
) -> AgencyLoadReport:
    """Create, inside an open transaction, every listed agency that does not exist yet.

    Agencies are created in the order listed, so a parent listed before its children works.
    An agency that already exists is left as it is: set-up files are meant to be re-run.
    """
    created: list[str] = []
    existing: list[str] = []
    for spec in specs:
        if tx.agencies.by_code(spec.code) is not None:
            existing.append(spec.code)
            continue
        add_agency(tx, actor, spec)
        created.append(spec.code)
    return AgencyLoadReport(tuple(created), tuple(existing))


def load_agencies(
    uow: UnitOfWork, actor: Actor, specs: tuple[NewAgency, ...]
) -> AgencyLoadReport:
    """Create the missing agencies of a set-up file, all or none."""
    with uow.transaction() as tx:
        return ensure_agencies(tx, actor, specs)
