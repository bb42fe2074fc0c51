"""Where a detection or explanation run spends its time, for the benchmark to print (issue 19
figures): each stage's seconds, accumulated lap by lap, on the clock and in this process's
CPU (on a shared machine the clock also counts the waits for a CPU; the CPU seconds do not).
Nothing decides anything on them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    _mark: float = field(default_factory=time.perf_counter)
    _cpu_mark: float = field(default_factory=time.process_time)

    def lap(self, stage: str) -> None:
        """The time since the last lap (or since made) goes to `stage`."""
        now, cpu = time.perf_counter(), time.process_time()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._mark
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu - self._cpu_mark
        self._mark, self._cpu_mark = now, cpu

    def restart(self) -> None:
        self._mark, self._cpu_mark = time.perf_counter(), time.process_time()

    def line(self) -> str:
        return ", ".join(f"{stage} {took:.1f} s ({self.cpu.get(stage, 0.0):.1f} CPU)"
                         for stage, took in self.seconds.items())
