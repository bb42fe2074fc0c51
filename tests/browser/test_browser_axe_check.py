"""The accessibility check the journeys rely on: it must find what axe-core finds, name the
rule and the element, and let pass what WCAG 2.1 AA accepts (a check that never fails would
pass every journey)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import check_accessibility, chromium

pytestmark = pytest.mark.browser

SOUND = """<!doctype html><html lang="es-MX"><head><title>Prueba</title></head><body>
<main><h1>Prueba</h1><form><label for="n">Nombre</label><input id="n" name="n" type="text">
<button type="submit">Buscar</button></form></main></body></html>"""
BROKEN = """<!doctype html><html lang="es-MX"><head><title>Prueba</title></head><body>
<main><h1>Prueba</h1><img src="/foto.png" id="foto"><form><input id="sin-nombre" type="text">
<button type="submit" id="vacio"></button></form></main></body></html>"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with chromium() as launched:
        yield launched.new_page()


def test_a_sound_page_passes(page: Any) -> None:
    page.set_content(SOUND)
    check_accessibility(page, "sound page")


def test_every_serious_or_critical_violation_is_listed_with_its_element(page: Any) -> None:
    page.set_content(BROKEN)
    with pytest.raises(pytest.fail.Exception) as failure:
        check_accessibility(page, "broken page")
    message = str(failure.value)
    assert message.startswith("broken page (about:blank): 3 serious or critical")
    for rule, element in (("image-alt", "#foto"), ("label", "#sin-nombre"),
                          ("button-name", "#vacio")):
        assert f"- {rule} [critical]" in message
        assert f"at {element}:" in message
