"""Holding off Python's cyclic garbage collector while a bulk job builds millions of objects.

The collector runs after every few hundred new containers (dicts, lists, tuples...), and the
oldest of its three generations, each time enough survivors pile up, walks every container
alive. A job that holds its whole input while it works pays for that again and again: the
import of 100,000 S1 documents (millions of dicts and lists) spent 22 of its 55 s of CPU in
the collector, and the checks over the national registry's declarations about a third of
theirs (ADR 0038, addendum 6). What such a job builds has no reference cycles to leak, and is
freed by reference counting when the job ends, so nothing is lost by waiting.

The collector is one per process: jobs on several threads (two imports through the API) share
the hold, and the collector comes back when the last of them ends, as it was.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_holders = 0
_was_enabled = True


@contextmanager
def collector_held_off() -> Iterator[None]:
    global _holders, _was_enabled
    with _LOCK:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _LOCK:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
