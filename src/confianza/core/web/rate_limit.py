"""A per-client rate limit for the public pages that need no login.

Kept in the application's state, in this server process's memory: each process counts
alone, so with N workers a client gets up to N times the rate, which still bounds a scraper or
a flood. A token bucket per client address: `burst` requests at once, refilled at
`per_minute`.
"""

from __future__ import annotations

import math
import threading
import time

from fastapi import Request

from confianza.core.errors import DomainError


class TooManyRequests(DomainError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after  # seconds, for the Retry-After header


class RateLimit:
    def __init__(self, per_minute: float, burst: int, *, max_clients: int = 100_000) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._max = max_clients
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> None:
        """Spend one request of `client`'s allowance, or refuse saying when to come back."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get(client, (self._burst, now))
            tokens = min(self._burst, tokens + (now - then) * self._rate)
            if tokens < 1.0:
                wait = max(1, math.ceil((1.0 - tokens) / self._rate))
                raise TooManyRequests(f"too many verifications from {client}; try again in "
                                      f"{wait} s", retry_after=wait)
            if len(self._buckets) >= self._max and client not in self._buckets:
                # A flood of addresses must not grow memory without bound: start over.
                self._buckets.clear()
            self._buckets[client] = (tokens - 1.0, now)

    def check(self, request: Request) -> None:
        self.take(request.client.host if request.client else "unknown")


def verify_limit(request: Request) -> RateLimit:
    """The limit shared by the public verification page and API of this application: one
    allowance per client, whichever of the two it uses."""
    limit: RateLimit = request.app.state.verify_limit
    return limit


async def enforce_verify_limit(request: Request) -> None:
    """As a route dependency: the request spends one of its client's verifications, before its
    body is even read (a flood of bad bodies is a flood too)."""
    verify_limit(request).check(request)


def new_verify_limit() -> RateLimit:
    """A person checks a few cards a minute, a checkpoint a few hundred an hour; a scraper is
    what this stops."""
    return RateLimit(per_minute=30, burst=20)
