"""The cyclic garbage collector held off while a national day is built up (issue 19 figures).

Explaining a day makes tens of millions of small objects that live until the run ends (reads,
their timelines, who touched what). Each time enough of them accumulate, the collector walks
every object still alive looking for cycles that these have none of: measured on a national
day, those walks were a large share of the run (ADR 0037, the issue 19 addendum). Reference
counting still frees everything as usual; the collector is turned back on as it was, and
catches up, when the run ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_held() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
