"""The credential journey in a real Chromium: HR opens a certified officer's card and its QR
code; a visitor with no account opens the code's link and reads "Válido", then switches the
page to English; the officer is suspended and the same link says so in both languages.

The server runs in this process (a uvicorn thread over the test's container), so the test
changes the registry through the services and drops what the process cached of its published
status lists, as a minute's wait would.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from browser_support import (
    SUITE_NOW,
    add_agencies,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    free_port,
    fresh_registry,
    served,
    sign_in,
    submit_sign_in,
    window_fixture,  # noqa: F401 - the fixture `window`
)
from evaluation_support import OPERATOR, PASSWORD, World, build_world

from confianza.credentials import service as credential_service
from confianza.credentials.pages.card import QR_QUIET_MODULES, qr_code
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import officers as officer_service
from conftest import FakeClock

pytestmark = pytest.mark.browser
OFFICER = "Ana Luisa Ortega Vela"


@dataclass(frozen=True)
class Running:
    base_url: str
    world: World


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A certified officer in a fresh SQLite registry at the suite's fixed instant, served on a
    loopback port that is also the issuer's public address: the links credentials carry lead
    to this server."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    credential_service.forget_published()  # what another test's registry published
    try:
        with fresh_registry(tmp_path_factory.mktemp("credential-browser"), FakeClock(SUITE_NOW),
                            public_url=base_url) as container:
            world = build_world(container, add_agencies(container, "JAL-SSP"))
            world.certify()
            with served(container, port):
                yield Running(base_url, world)
    finally:
        credential_service.forget_published()


def qr_modules(page: Any) -> list[list[bool]]:
    """The dark modules of the card's QR code as drawn on the page, read back from its SVG
    (a path of horizontal runs: `M x y`, `m dx dy`, `h length`), without the quiet zone."""
    symbol = page.locator("svg.cup-qr-code")
    width = int(symbol.get_attribute("viewBox").split()[2])
    grid = [[False] * width for _ in range(width)]
    x = y = 0.0
    tokens = re.findall(r"[A-Za-z]|-?\d+(?:\.\d+)?", symbol.locator("path[stroke]")
                        .get_attribute("d"))
    position = 0
    while position < len(tokens):
        command = tokens[position]
        if command in ("M", "m"):
            dx, dy = float(tokens[position + 1]), float(tokens[position + 2])
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            position += 3
        elif command == "h":
            length = int(float(tokens[position + 1]))
            for column in range(int(x), int(x) + length):
                grid[int(y)][column] = True
            x += length
            position += 2
        else:
            raise AssertionError(f"unexpected SVG path command {command!r}")
    quiet = QR_QUIET_MODULES
    return [row[quiet:width - quiet] for row in grid[quiet:width - quiet]]


def language_switch(page: Any, name: str) -> None:
    """Follow the header's link to the other language."""
    page.get_by_role("banner").get_by_role("link", name=name).click()


def verdict(page: Any) -> Any:
    return page.locator("#verdict .verdict-headline")


def test_a_card_is_shown_scanned_and_verified_until_the_officer_is_suspended(
        window: Callable[..., Any], running: Running) -> None:
    from playwright.sync_api import expect

    world, base = running.world, running.base_url
    [view] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                    issuer=world.container.issuer)
    number = view.facts.certificate_number

    # HR signs in, opens the officer's profile and, from it, the credential's card.
    hr = window("rh")
    sign_in(hr, base, world.hr.username, password=PASSWORD)
    check_accessibility(hr, "home (HR)")
    hr.goto(f"{base}/officers/{world.officer_id}")
    check_accessibility(hr, "officer profile (certified)")
    hr.get_by_role("link", name="Credencial verificable e impresión").click()
    hr.wait_for_url(f"{base}/officers/{world.officer_id}/credential")
    card = hr.get_by_role("article", name=f"Credencial de {OFFICER}")
    expect(card).to_be_visible()
    expect(card.locator(".cup-name")).to_have_text(OFFICER)
    expect(card.locator(".cup-number")).to_have_text(number)
    expect(card.locator(".cup-status")).to_have_text("Vigente")
    expect(card).to_contain_text("1 de marzo de 2029")
    qr = card.get_by_role("img", name=f"Código QR de verificación del certificado {number}")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 100  # big enough to scan off a screen
    check_accessibility(hr, "credential card")
    # The page shows no link to copy: what a phone reads is the QR code, and the code drawn
    # here is exactly the symbol of the compact credential's link (ADR 0020).
    assert qr_modules(hr) == [[bool(m) for m in row] for row in qr_code(view.qr_url).matrix]
    link = view.qr_url
    assert link.startswith(f"{base}/v/2KC") and qr_code(link).version <= 13
    pdf = hr.request.get(base + hr.get_by_role("link", name="Descargar PDF")
                         .get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    assert hr.console_problems == []

    # A visitor without an account scans the code and opens its link.
    visitor = window("visitante")
    visitor.goto(link)
    expect(verdict(visitor)).to_have_text("Válido")
    expect(visitor.locator("#verdict")).to_have_attribute("data-verdict", "valid")
    facts = visitor.locator("dl.facts")
    expect(facts).to_contain_text(OFFICER)
    expect(facts).to_contain_text(number)
    expect(facts).to_contain_text("Secretaría de Seguridad de Jalisco")
    check_accessibility(visitor, "verification: valid")
    language_switch(visitor, "English")
    # The English wording is the catalogue's to check; here, the page says it is English and
    # gives the same verdict.
    expect(visitor.locator("html")).to_have_attribute("lang", "en")
    expect(visitor.locator("#verdict")).to_have_attribute("data-verdict", "valid")
    check_accessibility(visitor, "verification in English")
    expect(visitor.locator("dl.facts")).to_contain_text(OFFICER)

    # The officer is suspended; once the process reads the lists again, so does the link.
    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SUSPENDED, "internal affairs inquiry")
    credential_service.forget_published()
    visitor.reload()
    expect(visitor.locator("#verdict")).to_have_attribute("data-verdict", "suspended")
    check_accessibility(visitor, "verification in English: suspended")
    language_switch(visitor, "Español")
    expect(verdict(visitor)).to_have_text("Suspendido")
    check_accessibility(visitor, "verification: suspended")
    expect(visitor.locator("dl.facts")).to_contain_text(OFFICER)
    assert visitor.console_problems == []

    # HR's card says so too.
    hr.reload()
    expect(hr.locator(".cup-status")).to_have_text("Suspendido")


def test_the_card_sends_someone_not_signed_in_to_sign_in_and_back(
        window: Callable[..., Any], running: Running) -> None:
    """Like every other page: the card's address (a bookmark, a link in a message) asks for a
    sign-in, shows nothing of the officer before it, and leads back to the card after it."""
    from playwright.sync_api import expect

    world, base = running.world, running.base_url
    card_url = f"{base}/officers/{world.officer_id}/credential"
    page = window()
    page.goto(card_url)
    expect(page.get_by_label("Usuario")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(OFFICER)
    assert page.url.startswith(base + "/login")
    check_accessibility(page, "sign-in")
    submit_sign_in(page, world.hr.username, PASSWORD)
    page.wait_for_url(card_url)
    expect(page.get_by_role("article", name=f"Credencial de {OFFICER}")).to_be_visible()
