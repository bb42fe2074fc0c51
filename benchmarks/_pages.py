"""What the page benchmarks share: timing a call in wall and CPU time, the figures they print,
signing an account in through the form, a caller put in place of the session check, and the
national registry's options and schema check.

A sibling module, imported by name: run_all.py runs each benchmark as a file, so this folder is
first on the import path (as for _httpload.py).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from confianza.accounts.rules.permissions import Actor
from confianza.app import deps
from confianza.app import rendering as common
from confianza.app.bootstrap import Container
from confianza.core.db import migrate

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_DB = ROOT / "var" / "bench-national.db"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
# Wall-clock and CPU seconds of each run.
Samples = tuple[list[float], list[float]]


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def percentiles(samples: list[float]) -> str:
    """p50, p95 and max of seconds, in milliseconds."""
    return (f"p50 {statistics.median(samples) * 1000:7.1f}  p95 {p95(samples) * 1000:7.1f}  "
            f"max {max(samples) * 1000:7.1f} ms")


def timed(action: Callable[[], object], runs: int, *, warm: bool = True) -> Samples:
    """Wall-clock and CPU seconds of each run.

    CPU time (this process, all threads) is what the work costs whatever else the machine runs;
    wall time is what a user waits for, and grows when other processes share the CPUs.
    """
    if warm:
        action()  # warm-up: templates compiled, connections open, caches and summaries kept
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def report(what: str, samples: Samples, *, width: int = 34,
           target_ms: float | None = None) -> None:
    """One line of figures; with a target, whether the p95 of wall time is within it."""
    wall, cpu = samples
    verdict = ""
    if target_ms is not None:
        within = p95(wall) * 1000 < target_ms
        verdict = f"   {'within' if within else 'OVER'} the {target_ms:g} ms target"
    print(f"  {what:<{width}} wall {percentiles(wall)}   cpu {percentiles(cpu)}{verdict}",
          flush=True)


def sign_in(client: TestClient, username: str, password: str) -> None:
    """Sign `username` in through the login form, as a browser does (its session is real)."""
    client.cookies.clear()
    token = CSRF_FIELD.search(client.get("/login").text)
    assert token is not None, "the login page carries no CSRF field"
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token.group(1), "next": "/"},
                         follow_redirects=False)
    assert answer.status_code == 303, (username, answer.status_code, answer.text[:300])


class Caller:
    """The account a request is made as, put in place of the session check on the pages and the
    API: that check is the same on every request, and roster_page.py times it with the rest.
    Set `actor` to change who asks."""

    def __init__(self, app: FastAPI, actor: Actor) -> None:
        self.actor = actor
        app.dependency_overrides[common.page_actor] = self.signed_in
        app.dependency_overrides[deps.authenticate] = self.signed_in

    def signed_in(self, request: Request) -> Actor:
        request.state.actor = self.actor
        request.state.csrf_token = "benchmark"
        return self.actor


def registry_options(doc: str, runs: int) -> argparse.Namespace:
    """--db, --url and --runs of a benchmark on the national registry; `url` is the one to use."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--db", default=str(NATIONAL_DB))
    parser.add_argument("--url", help="a database URL holding a national registry instead")
    parser.add_argument("--runs", type=int, default=runs)
    options = parser.parse_args()
    options.on_file = not options.url
    options.url = options.url or f"sqlite:///{options.db}"
    return options


def measure_current(container: Container, url: str,
                    measure: Callable[[Container], None]) -> int:
    """Measure on the registry when it has the current schema (0); say why not otherwise (2).
    The container is disposed of either way."""
    try:
        if migrate.current_revision(container.engine) != migrate.head_revision():
            print(f"{url} is not at the current schema: rebuild it (see the top of this file).",
                  file=sys.stderr)
            return 2
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        measure(container)
    finally:
        container.dispose()
    return 0
