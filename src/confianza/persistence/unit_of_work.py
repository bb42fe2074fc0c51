"""The unit of work: one database transaction per use case, with the repositories inside it.

Services open `with uow.transaction() as tx:`; the block commits when it ends normally and rolls
back when it raises. No other code commits. A refused attempt still leaves its trace: when the
block raises an error that carries an audit entry (a denied permission), that entry is written
in a transaction of its own after the rollback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from confianza.domain.errors import DomainError
from confianza.persistence.repositories.agencies import AgencyRepository
from confianza.persistence.repositories.audit import AuditRepository, PendingEntry
from confianza.persistence.repositories.officers import OfficerRepository
from confianza.persistence.repositories.users import UserRepository


class Transaction:
    """The repositories bound to one open transaction."""

    def __init__(self, session: Session, now: datetime, request_id: str | None) -> None:
        self.session = session
        self.now = now
        self.today = now.date()
        self.request_id = request_id
        self.agencies = AgencyRepository(session)
        self.officers = OfficerRepository(session)
        self.users = UserRepository(session)
        self.audit = AuditRepository(session, now, request_id)


class UnitOfWork:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        request_id: str | None = None,
    ) -> None:
        self._factory = session_factory
        self._clock = clock
        self.request_id = request_id

    def with_request(self, request_id: str | None) -> UnitOfWork:
        return UnitOfWork(self._factory, self._clock, request_id)

    @property
    def dialect(self) -> str:
        bind = self._factory.kw["bind"]
        return str(bind.dialect.name)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        session = self._factory()
        try:
            tx = Transaction(session, self._clock(), self.request_id)
            try:
                yield tx
            except DomainError as exc:
                session.rollback()
                entry = getattr(exc, "audit_entry", None)
                if isinstance(entry, PendingEntry):
                    self._record_refusal(entry)
                raise
            except BaseException:
                session.rollback()
                raise
            else:
                session.commit()
        finally:
            session.close()

    def _record_refusal(self, entry: PendingEntry) -> None:
        session = self._factory()
        try:
            AuditRepository(session, self._clock(), self.request_id).write(entry)
            session.commit()
        finally:
            session.close()
