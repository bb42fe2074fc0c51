"""Dates and moments are written out per language instead of through Babel (a profile shows
forty of them): each language's writing must be exactly what Babel writes for its pattern."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from babel.dates import format_date, format_datetime

from confianza.core.civil_time import DEFAULT_ZONE, local
from confianza.core.web import i18n

ZONE = DEFAULT_ZONE
DAY_PATTERNS = {"es": "dd/MM/yyyy", "en": "medium"}
MOMENT_PATTERNS = {"es": "dd/MM/yyyy HH:mm", "en": "MMM d, yyyy, h:mm a"}


def _days() -> list[date]:
    days = [date(1, 1, 1), date(5, 9, 4), date(999, 12, 31), date(2026, 12, 4), date(9999, 12, 31)]
    days += [date(2024, 1, 1) + timedelta(days=n) for n in range(0, 366, 7)]
    return days


def test_days_are_written_as_babel_writes_them() -> None:
    for language, pattern in DAY_PATTERNS.items():
        with i18n.speaking(language):
            for day in _days():
                expected = format_date(day, format=pattern, locale=i18n.LOCALES[language])
                assert i18n.format_day(day) == expected, (language, day)


def test_instants_are_written_as_babel_writes_them_on_the_deployment_clock() -> None:
    start = datetime(2026, 3, 7, 22, 59, tzinfo=UTC)  # around a change of civil day
    moments = [start + timedelta(minutes=37 * n) for n in range(0, 24 * 60 // 37 * 3)]
    moments += [datetime(2026, 12, 4, 6, 0, tzinfo=UTC), datetime(2026, 12, 4, 18, 0, tzinfo=UTC)]
    for language, pattern in MOMENT_PATTERNS.items():
        locale = i18n.LOCALES[language]
        with i18n.speaking(language):
            for moment in moments:
                shown = local(moment, ZONE)
                assert i18n.format_moment(moment) == format_datetime(
                    shown, format=pattern, locale=locale, tzinfo=None), (language, moment)
                assert i18n.format_day(moment) == format_date(
                    shown.date(), format=DAY_PATTERNS[language], locale=locale)


def test_nothing_is_written_as_the_caller_says() -> None:
    assert i18n.format_day(None, none="—") == "—"
    assert i18n.format_moment(None, none="—") == "—"
