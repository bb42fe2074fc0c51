"""The catalogue's texts are written into each language's compiled templates (SpokenText)."""

from __future__ import annotations

import pytest

from confianza.app.rendering import ENV, _environment
from confianza.core.web import i18n


@pytest.mark.parametrize(("language", "text"), [("es", "Elementos"), ("en", "Officers")])
def test_a_catalogue_text_is_compiled_into_the_languages_template(language: str,
                                                                  text: str) -> None:
    env = _environment(language)
    source = env.compile("<a>{{ t.nav_officers }}</a>", raw=True)
    # Written in as fixed markup: no lookup of `t` is left in the compiled code.
    assert f"<a>{text}</a>" in source
    assert "nav_officers" not in source
    assert env.from_string("<a>{{ t.nav_officers }}</a>").render() == f"<a>{text}</a>"


def test_the_written_text_is_escaped_once_and_usable_in_expressions() -> None:
    env = _environment("es")
    template = env.from_string(
        "{{ t.nav_officers | upper }}|{{ t.nav_officers ~ '<b>' }}|{{ t['nav_officers'] }}")
    assert template.render() == "ELEMENTOS|Elementos&lt;b&gt;|Elementos"


def test_only_the_catalogue_name_is_rewritten() -> None:
    env = _environment("en")
    template = env.from_string("{{ x.t.nav_officers }}|{{ t.no_such_key_here }}|{{ t.nav_home }}")
    # An attribute path that merely passes through a `t`, and a key the catalogue lacks, stay
    # lookups; the catalogue's own key is written in.
    assert template.render(x={"t": {"nav_officers": "other"}}) == "other||Home"


def test_env_answers_in_the_current_language() -> None:
    template = "credential_card.html"
    with i18n.speaking("en"):
        english = ENV.get_template(template)
    with i18n.speaking("es"):
        spanish = ENV.get_template(template)
    assert english is not spanish
