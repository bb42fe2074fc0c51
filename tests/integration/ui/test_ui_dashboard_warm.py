"""A starting server loads the dashboard's summary in the background, so its first reader is
served from memory rather than waiting for the national read (ADR 0017)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from confianza.app.bootstrap import Container
from confianza.app.web import create_app
from confianza.dashboard.rules.tallies import Summary
from confianza.dashboard.web import cache_of, warm


def test_the_summary_is_loaded_at_start_in_the_background(
    container: Container, agencies: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(container)
    cache = cache_of(app, container)
    loads: list[Summary] = []
    load = cache._load

    def counted() -> Summary:
        loads.append(load())
        return loads[-1]

    monkeypatch.setattr(cache, "_load", counted)
    warm(app, container)
    deadline = time.monotonic() + 30
    while not loads and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(loads) == 1, "the start loaded the summary by itself"
    # The first reader is served that very summary: no second read of the database.
    summary = cache.get(timedelta(minutes=1))
    assert summary is loads[0] and len(loads) == 1
    assert {a.code for a in summary.agencies} >= {"GN", "JAL-SSP"}
