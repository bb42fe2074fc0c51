"""Civil time: the one reading of the wall clock, and the deployment's days.

Instants are UTC. People, though, live in civil days: a certificate is valid "from 5 December",
an appeal is due "within 15 days", an exam is "today". Those days are the days of the
deployment's time zone (an IANA name, `America/Mexico_City` by default), not of UTC: between
18:00 and midnight in Mexico City the UTC date is already tomorrow, and a certificate issued
at 23:30 must not read "not yet valid" when it is scanned a minute later.

`system_now` is the only function of the product that reads the wall clock; everything else
receives the time from the container's injected clock (a test pins it, `tests/unit/project`
checks that no other module reads the clock).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Where the product is deployed unless the settings say otherwise (CONFIANZA_TIME_ZONE).
DEFAULT_ZONE_NAME = "America/Mexico_City"
DEFAULT_ZONE = ZoneInfo(DEFAULT_ZONE_NAME)


def system_now() -> datetime:
    """The wall clock, in UTC: the real clock behind every injected one."""
    return datetime.now(UTC)


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError naming it when the machine's zone data lacks it."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("the time zone must be an IANA name such as America/Mexico_City")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r}: give an IANA name such as America/Mexico_City"
        ) from exc


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC. A naive value is refused: the product never guesses what zone a
    bare wall-clock time was meant in."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no UTC offset")
    return moment.astimezone(UTC)


def civil_date(moment: datetime, zone: tzinfo) -> date:
    """The civil day an instant falls on in `zone`."""
    return as_utc(moment).astimezone(zone).date()


def local(moment: datetime, zone: tzinfo) -> datetime:
    """An instant as the wall clock of `zone` shows it (for display)."""
    return as_utc(moment).astimezone(zone)


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The first instant of civil day `day` in `zone` (aware; its offset is the day's own, so
    a zone with daylight saving time gets the right one on either side of a change)."""
    return datetime.combine(day, time(0), zone)


def end_of_day(day: date, zone: tzinfo) -> datetime:
    """The first instant after civil day `day` in `zone`."""
    return start_of_day(day + timedelta(days=1), zone)
