"""Running a read-only job over parts of the registry in processes of their own (the
`work.InParts` that the composition root hands to use cases).

The processes are spawned, not forked: the parent holds a database connection, and a forked
child would share its socket. Each child opens an engine of its own on the same URL, runs the
job with a unit of work over it, and closes it; what the job returns comes back pickled.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import TypeVar

from sqlalchemy.orm import sessionmaker

from confianza.app.unit_of_work import SqlUnitOfWork
from confianza.core.civil_time import system_now, zone_named
from confianza.core.db.database import make_engine
from confianza.core.work import Part
from confianza.work import UnitOfWork

A = TypeVar("A")
R = TypeVar("R")


@dataclass(frozen=True)
class SpawnedParts:
    """`InParts` over spawned processes, one per part. Picklable itself (a URL and a zone)."""

    database_url: str
    zone: str

    def __call__(self, job: Callable[[UnitOfWork, Part, A], R], argument: A,
                 parts: int) -> list[R]:
        if parts < 1:
            raise ValueError(f"parts must be at least 1, not {parts}")
        with ProcessPoolExecutor(parts, mp_context=get_context("spawn")) as pool:
            running = [pool.submit(_run_part, self.database_url, self.zone, job,
                                   Part(number, parts), argument) for number in range(parts)]
            return [future.result() for future in running]


def _run_part(database_url: str, zone: str, job: Callable[[UnitOfWork, Part, A], R],
              part: Part, argument: A) -> R:
    engine = make_engine(database_url)
    try:
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        return job(SqlUnitOfWork(factory, system_now, zone=zone_named(zone)), part, argument)
    finally:
        engine.dispose()
