"""Keep the gettext catalogue in step with the strings the pages use.

    python -m confianza.core.web.i18n_catalogue          # rewrite messages.pot, merge into .po
    python -m confianza.core.web.i18n_catalogue --check  # exit 1 if a string lacks a translation

The source strings are not marked in code with `_()`: they are every value of a `Messages` table
defined at module level anywhere in the package (the pages of every feature and the catalogue
in `confianza.core.web.strings`; plus the error pages' titles), which is
exactly what the pages can show. A new string therefore joins the catalogue on the next run, and
the test suite fails until it is translated.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

import confianza
from confianza.core.web import i18n

TEMPLATE = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
PROJECT = "Confianza"
# A fixed date: regenerating the files changes them only where a message changed.
DATED = datetime(2026, 12, 4, tzinfo=UTC)


def _catalog(locale: str | None) -> Catalog:
    return Catalog(locale=locale, domain=i18n.DOMAIN, project=PROJECT, version="",
                   copyright_holder="Confianza contributors", msgid_bugs_address="",
                   last_translator="Confianza contributors",
                   language_team="Confianza contributors", creation_date=DATED,
                   revision_date=DATED, fuzzy=False)


def _web_modules() -> Iterator[object]:
    for info in pkgutil.walk_packages(confianza.__path__, "confianza."):
        if info.name.endswith("i18n_catalogue"):
            continue
        yield importlib.import_module(info.name)


def source_messages() -> dict[str, str]:
    """Every source string the pages can show, with the table it comes from (its location)."""
    from confianza.core.web import strings

    found: dict[str, str] = {}
    for module in _web_modules():
        name = getattr(module, "__name__", "?")
        for attribute, value in sorted(vars(module).items()):
            if isinstance(value, i18n.Messages):
                for message in value.sources():
                    found.setdefault(message, f"{name}.{attribute}")
    for title, explanation in strings.ERRORS.values():
        found.setdefault(title, "confianza.core.web.strings.ERRORS")
        found.setdefault(explanation, "confianza.core.web.strings.ERRORS")
    return found


def template() -> Catalog:
    catalog = _catalog(None)
    for message, where in sorted(source_messages().items()):
        catalog.add(message, locations=[(where, 0)], flags=["python-format"]
                    if "{" in message else [])
    return catalog


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False,
                 ignore_obsolete=True, include_lineno=False)


def load(language: str) -> Catalog:
    path = i18n.po_path(language)
    if not path.exists():
        return _catalog(i18n.LOCALES[language])
    with path.open("rb") as handle:
        return read_po(handle, locale=i18n.LOCALES[language], domain=i18n.DOMAIN)


def untranslated(language: str) -> list[str]:
    """Source strings with no usable translation (missing, empty or fuzzy) in `language`."""
    catalog = load(language)
    missing = []
    for message in sorted(source_messages()):
        entry = catalog.get(message)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(message)
    return missing


def update() -> None:
    """Rewrite the template and merge it into every translation (new strings come in empty,
    changed ones fuzzy, removed ones are dropped)."""
    pot = template()
    _write(TEMPLATE, pot)
    for language in i18n.LANGUAGES:
        if language == i18n.SOURCE:
            continue
        catalog = load(language)
        catalog.update(pot, no_fuzzy_matching=False)
        _write(i18n.po_path(language), catalog)


def main(argv: list[str]) -> int:
    if "--check" in argv:
        bad = 0
        for language in i18n.LANGUAGES:
            if language == i18n.SOURCE:
                continue
            for message in untranslated(language):
                print(f"{language}: no translation for {message!r}")
                bad += 1
        return 1 if bad else 0
    update()
    print(f"wrote {TEMPLATE} ({len(source_messages())} messages) and merged it into "
          + ", ".join(str(i18n.po_path(lang)) for lang in i18n.LANGUAGES if lang != i18n.SOURCE))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
