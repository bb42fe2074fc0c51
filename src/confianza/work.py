"""The unit of work as the use cases see it: one transaction that holds every feature's store.

Each store's Protocol is declared by the feature whose use cases need it (`<feature>/contracts.py`);
this module only gathers them. `app.unit_of_work` implements both Protocols over SQLAlchemy,
and the composition root hands its units of work to the edges; a use case names only these
types, so no service imports persistence (ADR 0022).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, tzinfo
from typing import Protocol, TypeVar

from confianza.access.contracts import AccessStore
from confianza.accounts.contracts import UserStore
from confianza.certification.contracts import CertificationStore
from confianza.core.work import BulkWrites, Part, ReadAhead
from confianza.credentials.contracts import CredentialStore
from confianza.dashboard.contracts import DashboardStore
from confianza.declarations.contracts import DeclarationStore
from confianza.identities.contracts import IdentityStore
from confianza.integrity.contracts import IntegrityStore, OutsideSanctionStore
from confianza.registry.contracts import AgencyStore, OfficerStore, RosterStore
from confianza.risk.contracts import RiskStore
from confianza.trail.contracts import AuditTrail
from confianza.transparency.contracts import LogStore
from confianza.vetting.contracts import EvaluationStore


class Transaction(Protocol):
    """One open transaction: the stores, the instant it began and the civil day it belongs to."""

    @property
    def now(self) -> datetime: ...

    @property
    def today(self) -> date:
        """The civil date of `now` in the deployment's zone."""

    @property
    def zone(self) -> tzinfo: ...

    @property
    def request_id(self) -> str | None: ...

    @property
    def audit(self) -> AuditTrail: ...

    @property
    def agencies(self) -> AgencyStore: ...

    @property
    def officers(self) -> OfficerStore: ...

    @property
    def rosters(self) -> RosterStore: ...

    @property
    def users(self) -> UserStore: ...

    @property
    def evaluations(self) -> EvaluationStore: ...

    @property
    def certification(self) -> CertificationStore: ...

    @property
    def credentials(self) -> CredentialStore: ...

    @property
    def dashboard(self) -> DashboardStore: ...

    @property
    def log(self) -> LogStore: ...

    @property
    def identities(self) -> IdentityStore: ...

    @property
    def integrity(self) -> IntegrityStore: ...

    @property
    def outside_sanctions(self) -> OutsideSanctionStore: ...

    @property
    def risk(self) -> RiskStore: ...

    @property
    def declarations(self) -> DeclarationStore: ...

    @property
    def access(self) -> AccessStore: ...

    def bulk_writer(self) -> BulkWrites:
        """Set-based writes inside this transaction, for imports and generators."""

    def read_ahead(self, *reads: ReadAhead) -> None:
        """Send the stores' next reads together where the database is a round trip away (one
        round trip for them all); each store's method then answers from what came back. Only
        for reads made before the block writes anything they would see."""


class UnitOfWork(Protocol):
    """Opens transactions: a use case's `with uow.transaction() as tx:` commits when the block
    ends and rolls back when it raises."""

    def transaction(self, *, read_only: bool = False, snapshot: bool = False
                    ) -> AbstractContextManager[Transaction]:
        """One transaction; `read_only` promises that nothing is written, not even an audit
        entry; `snapshot` (with `read_only`) that every statement of the block reads the
        registry as it stood when the first one did: for long reads of many statements."""

    def now(self) -> datetime: ...

    def today(self) -> date: ...


A = TypeVar("A")
R = TypeVar("R")


class InParts(Protocol):
    """Runs a read-only job over disjoint parts of the registry at once, each part in a process
    of its own with a unit of work of its own over the same database (`app.parallel`): how a
    use case spreads a national read over the machine's CPUs.

    `job` and `argument` cross into the other processes, so they must be picklable (a module's
    function, plain values); the job takes what it needs of time from `argument`, not from its
    unit of work's clock, which is the machine's. Each part reads in its own transaction: a
    use case that needs one view of everything reads it in one part."""

    def __call__(self, job: Callable[[UnitOfWork, Part, A], R], argument: A,
                 parts: int) -> list[R]:
        """The job's answer for each part, in the parts' order."""
