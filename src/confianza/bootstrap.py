"""The composition root: the one place that wires settings, engine, clock and units of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from confianza.persistence.database import make_engine
from confianza.persistence.unit_of_work import UnitOfWork
from confianza.settings import Settings, get_settings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Callable[[], datetime]

    def uow(self, request_id: str | None = None) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.clock, request_id)

    def dispose(self) -> None:
        self.engine.dispose()


def build(
    settings: Settings | None = None, clock: Callable[[], datetime] = utc_now
) -> Container:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url, echo=settings.sql_echo)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    return Container(settings, engine, factory, clock)
