"""The gettext catalogue is complete and in step with the code, and templates write no words of
their own: every user-facing word comes from a string table (`t.<key>` and friends)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from confianza.app.rendering import template_folders
from confianza.core.web import i18n, i18n_catalogue, strings

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Words a template may write as they are: names and abbreviations no language translates.
ALLOWED_WORDS = frozenset({"Confianza", "CURP", "CUP"})
# Attributes a person reads or hears (a screen reader announces them).
READ_ATTRIBUTES = frozenset({"aria-label", "aria-description", "aria-roledescription", "alt",
                             "title", "placeholder"})
# The value of these inputs is their visible caption.
CAPTIONED_INPUTS = frozenset({"submit", "button", "reset"})
JINJA_OUTPUT = re.compile(r"\{\{.*?\}\}", re.S)
JINJA_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")
# Text a macro writes into a tag or an attribute (`described(...)` emits aria-invalid="true"
# ..., a chart's fill emits url(#pattern)): markup, not words shown to anyone.
ATTRIBUTE_FRAGMENT = re.compile(r'^\s*(?:[\w:-]+="[^"]*"\s*|url\([^)]*\)\s*)+$')


def english(*, fuzzy: bool = True) -> dict[str, str]:
    """The English catalogue as source -> translation; `fuzzy=False` leaves out the entries a
    merge guessed from a similar source (unused until someone checks them)."""
    with i18n.po_path("en").open("rb") as handle:
        catalog = read_po(handle, locale="en_US", domain=i18n.DOMAIN)
    return {str(m.id): str(m.string) for m in catalog if m.id and (fuzzy or not m.fuzzy)}


# The catalogue ----------------------------------------------------------------------------------


def test_every_source_string_has_an_english_translation() -> None:
    assert i18n_catalogue.untranslated("en") == [], (
        "run `python -m confianza.core.web.i18n_catalogue` and translate the new strings in "
        f"{i18n.po_path('en')}"
    )


def test_translations_keep_the_placeholders_of_their_source() -> None:
    wrong = {
        source: target for source, target in english(fuzzy=False).items()
        if target and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target))
    }
    assert wrong == {}


def test_the_template_on_disk_is_a_fresh_extraction() -> None:
    """Whoever adds a string regenerates messages.pot (and merges the .po) in the same change."""
    with i18n_catalogue.TEMPLATE.open("rb") as handle:
        on_disk = read_po(handle, domain=i18n.DOMAIN)
    fresh = i18n_catalogue.template()

    def entries(catalog: Catalog) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        # Where a string comes from (its table), not a line: the files are written without them.
        return {str(m.id): (tuple(where for where, _ in m.locations), tuple(sorted(m.flags)))
                for m in catalog if m.id}

    assert entries(on_disk) == entries(fresh), (
        "messages.pot is stale: run `python -m confianza.core.web.i18n_catalogue`"
    )


def test_the_english_catalogue_holds_exactly_the_source_strings() -> None:
    """No string that left the code lingers in the .po (a merge drops it)."""
    assert set(english()) == set(i18n_catalogue.source_messages())


def test_a_table_reads_in_the_request_language() -> None:
    with i18n.speaking("en"):
        assert strings.TEXT["nav_officers"] == "Officers"
        assert strings.OFFICER_STATUS["suspended"] == "Suspended"
        assert strings.error_text(404) == ("Not found", "The requested resource does not exist.")
    assert strings.TEXT["nav_officers"] == "Elementos"


# Templates --------------------------------------------------------------------------------------


class _LiteralText(HTMLParser):
    """Collects the words a template writes itself, in text and in the attributes people read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        kind = dict(attrs).get("type")
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and kind in CAPTIONED_INPUTS)
            if read and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and not ATTRIBUTE_FRAGMENT.match(data):
            self._check(data)

    def _check(self, value: str) -> None:
        words = [w for w in WORD.findall(value) if w not in ALLOWED_WORDS]
        if words:
            self.found.append((self.getpos()[0], " ".join(words)))


def literal_words(source: str) -> list[tuple[int, str]]:
    """(line, words) for each place `source` writes words outside Jinja expressions and tags."""
    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group(0).count("\n")  # keeps line numbers

    # Expressions become a neutral character (they may be a whole attribute value); statements
    # vanish, so `<tr{% if x %} class="y"{% endif %}>` is still one tag to the parser.
    masked = JINJA_OUTPUT.sub(lambda m: "\x00" + blank(m), source)
    masked = JINJA_STATEMENT.sub(blank, masked)
    parser = _LiteralText()
    parser.feed(masked)
    parser.close()
    return parser.found


def scanned_templates() -> list[Path]:
    """Every template of every folder the pages load from (the shared ones and each feature's)."""
    return sorted(p for folder in template_folders() for p in folder.rglob("*.html"))


def template_name(path: Path) -> str:
    """The name the pages render a template by: its path inside its templates folder."""
    folder = next(f for f in template_folders() if f in path.parents)
    return path.relative_to(folder).as_posix()


@pytest.mark.parametrize(("source", "expected"), [
    ("<p>{{ t.search_title }}</p>", []),
    ("<p>Buscar {{ t.x }}</p>", [(1, "Buscar")]),
    ('<nav aria-label="Principal">', [(1, "Principal")]),
    ('<nav aria-label="{{ t.nav_label }}">', []),
    ('<input type="submit" value="Enviar">', [(1, "Enviar")]),
    ('<input type="hidden" name="lang" value="es">', []),
    ('<button name="action" value="confirmar">{{ t.go }}</button>', []),
    ('<tr{% if bad %} class="has-error"{% endif %}>\n<td>{{ n|num }} (CURP)</td>', []),
    ("{# Una nota para quien lee #}\n<p>{% if x %}Hola{% endif %}</p>", [(2, "Hola")]),
    ('<img alt="Logotipo" src="/x.svg">', [(1, "Logotipo")]),
    ("<script>var greeting = 'hola';</script>", []),
    ('{% macro fill(k) %}url(#p-{{ k }}){% endmacro %}', []),
    ('{% macro attrs(e) %} aria-invalid="true"{% endmacro %}', []),
])
def test_the_scan_finds_literal_words(source: str, expected: list[tuple[int, str]]) -> None:
    assert literal_words(source) == expected


def test_the_scan_covers_the_templates() -> None:
    names = {template_name(p) for p in scanned_templates()}
    assert {"base.html", "error.html", "login.html", "credentials/verify.html",
            "credential_card.html", "home.html", "dashboard/public.html",
            "timeline/page.html"} <= names


@pytest.mark.parametrize("path", scanned_templates(),
                         ids=template_name)
def test_templates_write_no_words_of_their_own(path: Path) -> None:
    found = literal_words(path.read_text(encoding="utf-8"))
    assert found == [], (
        f"{template_name(path)} writes words directly (line, words): {found}; put them "
        "in a string table (core/web/strings/common.py for shared ones) and read them as t.<key>"
    )


@pytest.mark.parametrize("path", scanned_templates(),
                         ids=template_name)
def test_templates_read_only_keys_that_exist(path: Path) -> None:
    """A mistyped `t.<key>` renders as nothing rather than failing: catch it here."""
    used = set(re.findall(r"\bt\.([A-Za-z_]\w*)", path.read_text(encoding="utf-8")))
    assert sorted(used - strings.TEXT.keys()) == []
