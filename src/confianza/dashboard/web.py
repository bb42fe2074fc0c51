"""The dashboard summary kept by one running app, shared by its pages and its API (ADR 0017).

Kept on the app rather than in a module global: each app serves one database (tests build many
apps in one process), and a summary must never be served from another app's database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from fastapi import FastAPI, Request

from confianza.app import deps
from confianza.app.bootstrap import Container
from confianza.dashboard.rules.tallies import Summary
from confianza.dashboard.service import figures as dashboard_service
from confianza.dashboard.service.cache import SummaryCache, in_thread

LOG = logging.getLogger("confianza")
_CREATING = threading.Lock()


def summary_cache(request: Request) -> SummaryCache:
    return cache_of(request.app, deps.get_container(request))


def cache_of(app: FastAPI, container: Container) -> SummaryCache:
    state = app.state
    cache: SummaryCache | None = getattr(state, "dashboard_summary", None)
    if cache is not None:
        return cache
    with _CREATING:
        cache = getattr(state, "dashboard_summary", None)
        if cache is None:
            cache = SummaryCache(lambda: dashboard_service.load_summary(container.uow()),
                                 container.clock)
            state.dashboard_summary = cache
        return cache


def warm(app: FastAPI, container: Container) -> None:
    """Load the summary in the background as a server starts, so that its first dashboard
    reader does not wait the seconds of a national read (ADR 0017). A failure is logged and
    left to the first reader, who tries again."""
    cache = cache_of(app, container)

    def load() -> None:
        try:
            cache.get(dashboard_service.INTERNAL_MAX_AGE)
        except Exception:
            LOG.exception("the dashboard summary could not be loaded at start")

    in_thread(load)


def kept_summary(request: Request) -> Callable[[], Summary]:
    """The app's summary as the coverage lists take it: no older than the dashboard's own."""
    cache = summary_cache(request)
    return lambda: cache.get(dashboard_service.INTERNAL_MAX_AGE)
