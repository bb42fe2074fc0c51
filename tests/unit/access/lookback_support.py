"""Feeding a `Lookback` in tests as the detection feeds it: a day's judged reads, one touch."""

from __future__ import annotations

from datetime import date, datetime

from confianza.access.rules.facts import Reader
from confianza.access.rules.lookback import Lookback, Touches
from confianza.access.rules.reads import Read
from confianza.access.rules.scoring import Suspect


def add_day(state: Lookback, day: date, judged: list[tuple[Read, Suspect | None]],
            readers: dict[str, Reader]) -> None:
    """A day's judged reads fed as the detection feeds them: each read's pair key (an account
    the registry does not hold is in no role and no scope), and the suspect reads."""
    keys = [state.key(readers.get(r.reader, Reader("", None, None)), r.officer_id)
            for r, _ in judged]
    state.add_judged(day, keys, [s for _, s in judged if s is not None])


def touch(state: Lookback, who: str, officer: int, at: datetime) -> None:
    """One touch on its own, onto what the state already holds."""
    state.touch_at_once(Touches([who], [at], [officer], [1]))
