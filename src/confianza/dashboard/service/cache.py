"""The whole country's dashboard summary, kept in memory between requests (ADR 0017).

Reading the summary is a pass over every officer holding a post and every exam of the last year:
seconds on SQLite for the national force, far too long for each page view. One summary serves
every view a server process answers (national, any state, any agency, the public page), each
view narrowing it in memory after the service has checked who may see what.

A summary younger than the reader's `max_age` is served as it is. An older one is served while
one background load replaces it; only a summary older than `expire_after` (a quiet night) makes
the reader wait for a fresh one. With no summary yet, the first reader loads it and readers
arriving meanwhile wait for that same load instead of starting their own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from confianza.dashboard.rules.tallies import Summary

LOG = logging.getLogger("confianza")
T = TypeVar("T")
Spawn = Callable[[Callable[[], None]], None]


def in_thread(task: Callable[[], None]) -> None:
    threading.Thread(target=task, name="dashboard-summary", daemon=True).start()


class SummaryCache:
    def __init__(self, load: Callable[[], Summary], now: Callable[[], datetime], *,
                 expire_after: timedelta = timedelta(minutes=30), spawn: Spawn = in_thread
                 ) -> None:
        self._load = load
        self._now = now
        self._expire_after = expire_after
        self._spawn = spawn
        self._state = threading.Lock()  # guards the fields below
        self._loading = threading.Lock()  # one load at a time
        self._summary: Summary | None = None
        self._refreshing = False
        self._derived: dict[Callable[[Summary], Any], tuple[Summary, Any]] = {}

    def get(self, max_age: timedelta) -> Summary:
        """A summary no older than `max_age`, or an older one while a fresh one loads."""
        now = self._now()
        with self._state:
            current = self._summary
        if current is not None:
            age = now - current.as_of
            if age <= max_age:
                return current
            if age <= self._expire_after:
                self._refresh_later()
                return current
        return self._load_now(now, max_age)

    def derived(self, summary: Summary, build: Callable[[Summary], T]) -> T:
        """`build(summary)`, computed once per summary (the public page's protected tables)."""
        with self._state:
            kept = self._derived.get(build)
        if kept is not None and kept[0] is summary:
            value: T = kept[1]
            return value
        value = build(summary)
        with self._state:
            self._derived[build] = (summary, value)
        return value

    def clear(self) -> None:
        """Forget the summary: the next reader loads a fresh one (benchmarks, tests)."""
        with self._state:
            self._summary = None
            self._derived.clear()

    def _load_now(self, now: datetime, max_age: timedelta) -> Summary:
        with self._loading:
            with self._state:
                current = self._summary
            if current is not None and now - current.as_of <= max_age:
                return current  # loaded by another reader while this one waited
            summary = self._load()
            with self._state:
                self._summary = summary
            return summary

    def _refresh_later(self) -> None:
        with self._state:
            if self._refreshing:
                return
            self._refreshing = True

        def refresh() -> None:
            try:
                with self._loading:
                    summary = self._load()
                with self._state:
                    self._summary = summary
            except Exception:  # the stale summary stays; the next reader tries again
                LOG.exception("the dashboard summary could not be refreshed")
            finally:
                with self._state:
                    self._refreshing = False

        self._spawn(refresh)
