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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Final, TypeVar

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
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


def sources_of(tables: Iterable[Mapping[object, str]]) -> Iterator[str]:
    for table in tables:
        yield from (table.sources() if isinstance(table, Messages) else table.values())


def format_day(value: date | datetime | None, none: str = "") -> str:
    """A date as readers of the language write it: 04/12/2026 in Spanish, Dec 4, 2026 in
    English."""
    if value is None:
        return none
    language = current()
    # An instant is shown as the civil day it falls on where the system is deployed.
    day = civil_date(value, _zone.get()) if isinstance(value, datetime) else value
    pattern = "dd/MM/yyyy" if language == SOURCE else "medium"
    return babel_date(day, format=pattern, locale=LOCALES[language])


def format_moment(value: datetime | None, none: str = "") -> str:
    """A date and time to the minute, in the language's order."""
    if value is None:
        return none
    language = current()
    pattern = "dd/MM/yyyy HH:mm" if language == SOURCE else "MMM d, yyyy, h:mm a"
    return babel_datetime(local(value, _zone.get()), format=pattern, locale=LOCALES[language],
                          tzinfo=None)


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
