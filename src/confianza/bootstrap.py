"""The composition root: the one place that wires settings, engine, clock and units of work."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from confianza.domain.certification import ValidityPolicy
from confianza.domain.cup import CupPolicy
from confianza.domain.evaluations import BatteryPolicy, RankLevel
from confianza.domain.workflow_policy import WorkflowPolicy
from confianza.persistence.database import is_sqlite, make_engine
from confianza.persistence.unit_of_work import UnitOfWork
from confianza.services import users as user_service
from confianza.settings import Environment, Settings, get_settings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Callable[[], datetime]
    writer_lock: AbstractContextManager[object] | None = None
    policy: WorkflowPolicy | None = None

    def uow(self, request_id: str | None = None) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.clock, request_id, self.writer_lock,
                          self.policy)

    def dispose(self) -> None:
        self.engine.dispose()


def build(
    settings: Settings | None = None, clock: Callable[[], datetime] = utc_now
) -> Container:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url, echo=settings.sql_echo)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    writer_lock = threading.Lock() if is_sqlite(engine) else None
    user_service.TOKENS.ttl = settings.token_cache_seconds
    if settings.environment is Environment.TEST:
        user_service.use_test_hashing()
    return Container(settings, engine, factory, clock, writer_lock, workflow_policy(settings))


def workflow_policy(settings: Settings) -> WorkflowPolicy:
    """The trust-control policy the settings describe."""
    command = settings.validity_years_command
    return WorkflowPolicy(
        battery=BatteryPolicy.from_config(settings.battery_policy),
        validity=ValidityPolicy(
            years={RankLevel.BASIC: settings.validity_years_basic,
                   RankLevel.MIDDLE_COMMAND: command, RankLevel.SENIOR_COMMAND: command},
            reevaluation_months=settings.reevaluation_months,
        ),
        cup=CupPolicy(skills_years=settings.cup_skills_years,
                      performance_years=settings.cup_performance_years),
        appeal_days=settings.appeal_days,
    )
