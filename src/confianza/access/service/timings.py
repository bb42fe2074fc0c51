"""Where a detection or explanation run spends its time, for the benchmark to print (issue 19
figures): each stage's seconds, accumulated lap by lap. Nothing decides anything on them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)
    _mark: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        """The time since the last lap (or since made) goes to `stage`."""
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._mark
        self._mark = now

    def restart(self) -> None:
        self._mark = time.perf_counter()

    def line(self) -> str:
        return ", ".join(f"{stage} {took:.1f} s" for stage, took in self.seconds.items())
