"""A simulated day of ordinary work ends within the working day (ADR 0037, acceptance
addendum): the staff's sessions run one after another on the day's one clock, so at too slow
a pace the last sessions of a busy day ran past 20:00 and ordinary reads were scored as reads
"outside working hours" (seed 31's false alerts)."""

from __future__ import annotations

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from confianza.access.rules.scoring import WORK_END, WORK_START
from confianza.access.service.simulation import _Day

ZONE = ZoneInfo("America/Mexico_City")


def test_the_busiest_simulated_day_ends_within_working_hours() -> None:
    """The busiest demo day seen had 431 acts among 30 accounts' sessions, each starting at its
    own hour between 8:00 and 17:30 (`_Work.day`)."""
    for seed in range(20):
        rng = random.Random(seed)
        seen: list[datetime] = []
        clock = _Day(date(2026, 12, 9), ZONE, seen.append, rng)
        sessions = sorted((rng.uniform(8, 17.5), rng.randint(8, 20)) for _ in range(30))
        acts = 0
        for hour, size in sessions:
            clock.at(hour)
            for _ in range(size):
                clock.tick()
                acts += 1
        assert acts >= 240
        assert seen == sorted(seen)  # the trail's clock never goes backwards
        walls = {moment.astimezone(ZONE).time() for moment in seen}
        assert all(WORK_START <= wall < WORK_END for wall in walls), (seed, max(walls))
