"""The dashboard summary kept by one running app, shared by its pages and its API (ADR 0017).

Kept on the app rather than in a module global: each app serves one database (tests build many
apps in one process), and a summary must never be served from another app's database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi import Request

from confianza.domain.dashboard import Summary
from confianza.services import dashboard as dashboard_service
from confianza.services.dashboard_cache import SummaryCache
from confianza.web import deps

_CREATING = threading.Lock()


def summary_cache(request: Request) -> SummaryCache:
    state = request.app.state
    cache: SummaryCache | None = getattr(state, "dashboard_summary", None)
    if cache is not None:
        return cache
    with _CREATING:
        cache = getattr(state, "dashboard_summary", None)
        if cache is None:
            container = deps.get_container(request)
            cache = SummaryCache(lambda: dashboard_service.load_summary(container.uow()),
                                 container.clock)
            state.dashboard_summary = cache
        return cache


def kept_summary(request: Request) -> Callable[[], Summary]:
    """The app's summary as the coverage lists take it: no older than the dashboard's own."""
    cache = summary_cache(request)
    return lambda: cache.get(dashboard_service.INTERNAL_MAX_AGE)
