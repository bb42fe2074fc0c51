"""Counting the statements a use case sends, to pin how lean a read path is (issue 15).

The audit entry's own statements are left out: how an entry is appended and numbered is the
trail's business (and changes with it), while what a page reads to show is the page's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine, event

T = TypeVar("T")
TRAIL_TABLES = ("audit_entries", "log_state")


@contextmanager
def statements_of(engine: Engine) -> Iterator[list[str]]:
    """Every statement sent through the engine inside the block, but the trail's."""
    seen: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if not any(table in statement for table in TRAIL_TABLES):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def counted(engine: Engine, call: Callable[[], T]) -> tuple[T, list[str]]:
    """What `call` answers, and the statements it sent (but the trail's)."""
    with statements_of(engine) as seen:
        answer = call()
    return answer, list(seen)
