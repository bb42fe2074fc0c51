"""The unit of work: one database transaction per use case, with the repositories inside it.

Services open `with uow.transaction() as tx:`; the block commits when it ends normally and rolls
back when it raises. No other code commits. A refused attempt still leaves its trace: when the
block raises an error that carries an audit entry (a denied permission), that entry is written
in a transaction of its own after the rollback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, sessionmaker

from confianza.access.repository import AccessRepository
from confianza.accounts.repository import UserRepository
from confianza.certification.repository import CertificationRepository
from confianza.core.civil_time import DEFAULT_ZONE, civil_date
from confianza.core.db import plain
from confianza.core.db.bulk import BulkWriter
from confianza.core.db.database import READ_ONLY
from confianza.core.errors import DomainError, FieldError, ValidationFailed
from confianza.core.work import ReadAhead
from confianza.credentials.repository import CredentialRepository
from confianza.dashboard.repository import DashboardRepository
from confianza.declarations.repository import DeclarationRepository
from confianza.identities.repository import IdentityRepository
from confianza.integrity.repository.cases import IntegrityRepository
from confianza.integrity.repository.outside_sanctions import OutsideSanctionRepository
from confianza.registry.repository.agencies import AgencyRepository
from confianza.registry.repository.officers import OfficerRepository
from confianza.registry.repository.rosters import RosterRepository
from confianza.trail.repository.audit import AuditRepository
from confianza.trail.rules import PendingEntry
from confianza.transparency.repository import TransparencyRepository
from confianza.vetting.repository import EvaluationRepository

if TYPE_CHECKING:
    from confianza.risk.repository import RiskRepository

LOG = logging.getLogger("confianza")


class SqlTransaction:
    """The repositories bound to one open transaction."""

    def __init__(
        self, session: Session, now: datetime, request_id: str | None,
        zone: tzinfo = DEFAULT_ZONE,
    ) -> None:
        self.session = session
        self.now = now
        # Civil dates (validity, deadlines, "today's" lists) are days of the deployment's zone.
        self.zone = zone
        self.today = civil_date(now, zone)
        self.request_id = request_id
        self.audit = AuditRepository(session, now, request_id)

    # Each store is made when the use case first asks for it: most transactions use two or
    # three of them, and every request opens one or two transactions.
    @cached_property
    def agencies(self) -> AgencyRepository:
        return AgencyRepository(self.session)

    @cached_property
    def officers(self) -> OfficerRepository:
        return OfficerRepository(self.session)

    @cached_property
    def rosters(self) -> RosterRepository:
        return RosterRepository(self.session)

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.session)

    @cached_property
    def evaluations(self) -> EvaluationRepository:
        return EvaluationRepository(self.session)

    @cached_property
    def certification(self) -> CertificationRepository:
        return CertificationRepository(self.session)

    @cached_property
    def credentials(self) -> CredentialRepository:
        return CredentialRepository(self.session)

    @cached_property
    def dashboard(self) -> DashboardRepository:
        return DashboardRepository(self.session)

    @cached_property
    def log(self) -> TransparencyRepository:
        return TransparencyRepository(self.session)

    @cached_property
    def identities(self) -> IdentityRepository:
        return IdentityRepository(self.session)

    @cached_property
    def integrity(self) -> IntegrityRepository:
        return IntegrityRepository(self.session)

    @cached_property
    def outside_sanctions(self) -> OutsideSanctionRepository:
        return OutsideSanctionRepository(self.session)

    @cached_property
    def risk(self) -> RiskRepository:
        # Imported when a use case first asks for it: the early-intervention store brings numpy,
        # which no request of the web app needs.
        from confianza.risk.repository import RiskRepository

        return RiskRepository(self.session)

    @cached_property
    def declarations(self) -> DeclarationRepository:
        return DeclarationRepository(self.session, self.zone)

    @cached_property
    def access(self) -> AccessRepository:
        return AccessRepository(self.session)

    def bulk_writer(self) -> BulkWriter:
        """Set-based writes inside this transaction, for imports and generators."""
        return BulkWriter(self.session)

    def read_ahead(self, *reads: ReadAhead) -> None:
        """The stores' next reads, sent together (`plain.Reader.prefetch`)."""
        statements = [read for ahead in reads if isinstance(ahead, plain.Ahead)
                      for read in ahead.reads]
        if statements:
            plain.connection(self.session).prefetch(statements)


class SqlUnitOfWork:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        request_id: str | None = None,
        writer_lock: AbstractContextManager[object] | None = None,
        zone: tzinfo = DEFAULT_ZONE,
    ) -> None:
        self._factory = session_factory
        self.zone = zone
        self._clock = clock
        self.request_id = request_id
        # SQLite has one writer. Threads of this process queue on this lock instead of on
        # SQLite's busy handler, which sleeps in steps of up to 100 ms and wrecks latency.
        self._writer_lock: AbstractContextManager[object] = writer_lock or nullcontext()

    def with_request(self, request_id: str | None) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._factory, self._clock, request_id, self._writer_lock, self.zone)

    @property
    def dialect(self) -> str:
        bind = self._factory.kw["bind"]
        return str(bind.dialect.name)

    def now(self) -> datetime:
        return self._clock()

    def today(self) -> date:
        return civil_date(self._clock(), self.zone)

    @contextmanager
    def transaction(self, *, read_only: bool = False, snapshot: bool = False
                    ) -> Iterator[SqlTransaction]:
        """One transaction. `read_only` is a promise that nothing is written (no audit entry
        either): it lets SQLite serve the block beside a writer instead of after it.
        `snapshot`: every statement reads one snapshot (a long read of many statements)."""
        lock: AbstractContextManager[object] = nullcontext() if read_only else self._writer_lock
        with lock:
            session = self._factory()
            try:
                if read_only:
                    session.connection(execution_options=self._read_only_options(snapshot))
                tx = SqlTransaction(session, self._clock(), self.request_id, self.zone)
                try:
                    yield tx
                except DomainError as exc:
                    session.rollback()
                    entry = getattr(exc, "audit_entry", None)
                    if isinstance(entry, PendingEntry):
                        self._record_refusal(entry, read_only)
                    raise
                except (OverflowError, DataError) as exc:
                    # A number or text the database cannot hold (an id past 2**63, or past
                    # 2**31 for PostgreSQL's integer keys, typed into a URL): bad input, not a
                    # failure of ours. No record can have it, so nothing was found or written.
                    # Logged all the same: a value our own validation let through shows here.
                    session.rollback()
                    LOG.warning("refused a value the database cannot hold: %s",
                                str(exc).splitlines()[0])
                    raise ValidationFailed(FieldError(
                        "request", "holds a number or value larger than the registry stores"
                    )) from None
                except BaseException:
                    session.rollback()
                    raise
                else:
                    if read_only:
                        session.rollback()  # nothing to keep; refuses to commit a broken promise
                        if tx.audit.pending:
                            raise RuntimeError("a read-only transaction wrote audit entries")
                    else:
                        tx.audit.commit()
            finally:
                session.close()

    def _read_only_options(self, snapshot: bool) -> dict[str, object]:
        """How a read-only block talks to the database.

        On PostgreSQL it runs without BEGIN and ROLLBACK (the driver in autocommit): under READ
        COMMITTED, the isolation every transaction here uses, each statement reads its own
        snapshot whether or not a transaction surrounds it, so the block reads exactly what it
        would have read inside one, and saves two of its round trips. A page's session check is
        such a block, one statement, on every request (ADR 0024). On SQLite the block is a
        deferred transaction, which lets it read beside a writer (core.db.database).

        A `snapshot` block on PostgreSQL is a real transaction, REPEATABLE READ and READ ONLY:
        its statements read one snapshot, and a long result can be fetched through a
        server-side cursor, which exists only inside a transaction. SQLite's deferred
        transaction reads one snapshot already (WAL's, from its first read)."""
        if self.dialect == "postgresql" and snapshot:
            return {READ_ONLY: True, "isolation_level": "REPEATABLE READ",
                    "postgresql_readonly": True}
        if self.dialect == "postgresql":
            return {READ_ONLY: True, "isolation_level": "AUTOCOMMIT"}
        return {READ_ONLY: True}

    def _record_refusal(self, entry: PendingEntry, take_lock: bool) -> None:
        with self._writer_lock if take_lock else nullcontext():
            session = self._factory()
            try:
                audit = AuditRepository(session, self._clock(), self.request_id)
                audit.write(entry)
                audit.commit()
            finally:
                session.close()
