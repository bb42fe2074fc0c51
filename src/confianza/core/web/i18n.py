"""The pages' languages: Spanish, the source, and English, through one gettext catalogue.

Every user-facing string is written once, in Spanish, in `confianza.core.web.strings` (or a
`strings_<feature>` module it merges). Those tables are `Messages`: reading an entry returns it in
the language of the request being served, looked up in `locale/<lang>/LC_MESSAGES/messages.po`
with Python's gettext (the catalogue is compiled in memory by Babel when first needed, so no
binary `.mo` lives in the repository). Dates and numbers are formatted by Babel for the same
language.

The language is chosen per request (`?lang=en`, remembered in a cookie; Spanish otherwise) and
held in a context variable, so a route, a template and an error page all speak the same one
without passing it around.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any, Final, TypeVar

from babel.dates import format_date as babel_date
from babel.dates import get_month_names, get_period_names
from babel.numbers import format_decimal, format_percent

from confianza.core.civil_time import DEFAULT_ZONE, civil_date, local

SOURCE: Final = "es"
LANGUAGES: Final[tuple[str, ...]] = ("es", "en")
#: The tag each language is written as in `<html lang>` and the Babel locale formatting it.
LOCALES: Final[dict[str, str]] = {"es": "es_MX", "en": "en_US"}
HTML_LANG: Final[dict[str, str]] = {"es": "es-MX", "en": "en"}
COOKIE: Final = "confianza_lang"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
DOMAIN: Final = "messages"

_language: ContextVar[str] = ContextVar("confianza_language", default=SOURCE)
#: The deployment's zone, in which pages show instants and the days they fall on.
_zone: ContextVar[tzinfo] = ContextVar("confianza_zone", default=DEFAULT_ZONE)

K = TypeVar("K")


def choose(requested: str | None) -> str | None:
    """The language a `?lang=` value or a cookie names, or None when it names none we speak."""
    if not requested:
        return None
    tag = requested.strip().lower().replace("_", "-").split("-")[0]
    return tag if tag in LANGUAGES else None


def current() -> str:
    return _language.get()


def set_language(language: str) -> None:
    """Speak `language` for the rest of this request (the context variable's scope)."""
    _language.set(language if language in LANGUAGES else SOURCE)


def set_zone(zone: tzinfo) -> None:
    """Show instants in `zone` for the rest of this request."""
    _zone.set(zone)


def zone() -> tzinfo:
    return _zone.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block (tests, the CLI, a background job)."""
    token = _language.set(language if language in LANGUAGES else SOURCE)
    try:
        yield
    finally:
        _language.reset(token)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` (the source language needs none)."""
    if language == SOURCE or not po_path(language).exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=LOCALES[language], domain=DOMAIN)
    compiled = io.BytesIO()
    # Fuzzy entries (a source that changed after it was translated) are not used: the Spanish
    # text shows until someone checks the translation.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translate(message: str, language: str | None = None) -> str:
    """`message` (Spanish source text) in `language`, or in the current request's language."""
    return translations(language or current()).gettext(message)


class Messages(dict[K, str]):
    """A table of source strings whose reads answer in the current language.

    A `dict` so the tables stay plain literals that `update` can extend; keys (message names or
    codes) are never translated, only the values read through it.
    """

    def __getitem__(self, key: K) -> str:
        return translate(super().__getitem__(key))

    def get(self, key: K, default: str | None = None, /) -> str | None:  # type: ignore[override]
        if key in self:
            return self[key]
        return default

    def values(self) -> Iterable[str]:  # type: ignore[override]
        return [self[key] for key in self]

    def items(self) -> Iterable[tuple[K, str]]:  # type: ignore[override]
        return [(key, self[key]) for key in self]

    def sources(self) -> Iterable[str]:
        """The Spanish strings as written, for the catalogue's extraction."""
        return dict.values(self)

    def spoken(self) -> Spoken:
        """Every entry in the current language, as attributes of one object, made once per
        language (the catalogues are fixed for the life of the process): a template reading
        `t.key` a few hundred times a page then pays an attribute lookup for each, not a
        failed one followed by a translation."""
        return self.spoken_in(_language.get())

    def spoken_in(self, language: str) -> Spoken:
        """Every entry in `language` (one of LANGUAGES), made once per language."""
        made: dict[str, Spoken] = self.__dict__.setdefault("_spoken", {})
        found = made.get(language)
        if found is None:
            found = made[language] = Spoken(
                {str(key): translate(text, language) for key, text in dict.items(self)})
        return found

    def __setitem__(self, key: K, value: str) -> None:
        self.__dict__.pop("_spoken", None)  # a changed table is spoken anew
        super().__setitem__(key, value)

    def __delitem__(self, key: K) -> None:
        self.__dict__.pop("_spoken", None)
        super().__delitem__(key)

    def update(self, *args: Any, **kwargs: str) -> None:
        self.__dict__.pop("_spoken", None)
        super().update(*args, **kwargs)


class Spoken:
    """A table's entries in one language, as attributes (`Messages.spoken`); `[key]` too."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.__dict__.update(texts)

    def __getitem__(self, key: str) -> str:
        return self.__dict__[key]  # type: ignore[no-any-return]


def sources_of(tables: Iterable[Mapping[object, str]]) -> Iterator[str]:
    for table in tables:
        yield from (table.sources() if isinstance(table, Messages) else table.values())


def format_day(value: date | datetime | None, none: str = "") -> str:
    """A date as readers of the language write it: 04/12/2026 in Spanish, Dec 4, 2026 in
    English."""
    if value is None:
        return none
    # An instant is shown as the civil day it falls on where the system is deployed.
    day = civil_date(value, _zone.get()) if isinstance(value, datetime) else value
    return _DAY[_language.get()](day)


def format_moment(value: datetime | None, none: str = "") -> str:
    """A date and time to the minute, in the language's order."""
    if value is None:
        return none
    return _MOMENT[_language.get()](local(value, _zone.get()))


# The two patterns of each language written out from the locale's own month and period names,
# read from Babel once: Babel takes some ten microseconds a date, and a profile shows forty of
# them (tests/unit/web/test_i18n_dates.py holds these to Babel's output).
_EN_MONTHS: Final[dict[int, str]] = {
    int(k): str(v) for k, v in get_month_names("abbreviated", locale=LOCALES["en"]).items()}
_EN_PERIODS: Final[dict[str, str]] = {
    k: str(get_period_names(locale=LOCALES["en"])[k]) for k in ("am", "pm")}


def _es_day(day: date) -> str:  # dd/MM/yyyy, from the ISO form (yyyy-MM-dd) the C code writes
    iso = day.isoformat()
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _en_day(day: date) -> str:  # "medium": MMM d, y
    return f"{_EN_MONTHS[day.month]} {day.day}, {day.year}"


def _es_moment(at: datetime) -> str:  # dd/MM/yyyy HH:mm, from yyyy-MM-ddTHH:mm
    iso = at.isoformat(timespec="minutes")
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]} {iso[11:16]}"


def _en_moment(at: datetime) -> str:  # MMM d, yyyy, h:mm a
    period = _EN_PERIODS["am" if at.hour < 12 else "pm"]
    return (f"{_EN_MONTHS[at.month]} {at.day}, {at.year:04d}, {(at.hour % 12) or 12}:"
            f"{at.minute:02d} {period}")


_DAY: Final[dict[str, Callable[[date], str]]] = {"es": _es_day, "en": _en_day}
_MOMENT: Final[dict[str, Callable[[datetime], str]]] = {"es": _es_moment, "en": _en_moment}


def format_month(value: date) -> str:
    """A month and year ("dic. 2026" / "Dec 2026"), for the axes of time series."""
    return babel_date(value, format="MMM yyyy", locale=LOCALES[current()])


def format_number(value: int | float | None, none: str = "") -> str:
    """A count or amount with the language's grouping (12,345 in both of ours)."""
    if value is None:
        return none
    return format_decimal(value, locale=LOCALES[current()])


def format_share(part: int, whole: int) -> str:
    """`part` as a percentage of `whole`, to one decimal ("12.5 %" / "12.5%")."""
    if whole <= 0:
        return "—"
    return format_percent(part / whole, format="#,##0.0%", locale=LOCALES[current()])
