"""Credential pages on both databases: the public verification page in Spanish and English, and
an officer's printable card with its QR code and PDF, behind login and scope."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

# The credential world and its helpers live beside the API tests (which put the services folder,
# with the trust-control world, on the path themselves).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from credential_api_support import (  # noqa: E402
    AGENCY,
    NAME,
    NOT_A_CREDENTIAL,
    PASSWORD,
    RANK,
    World,
    compact_changed,
    compact_forged,
    fresh_rate_limit,
    fresh_world,
    other_state_hr,
    promoted,
    qr_url_of,
    suspend,
    token_of,
)
from fastapi.testclient import TestClient  # noqa: E402
from ui_support import open_client, sign_in  # noqa: E402

from confianza.app.bootstrap import Container  # noqa: E402
from confianza.credentials import service as credential_service
from confianza.credentials.pages.card import qr_svg  # noqa: E402
from confianza.trail.rules import AuditAction  # noqa: E402

VERDICT = re.compile(r'<div class="(notice|alert)" role="status" id="verdict" '
                     r'data-verdict="([a-z_]+)">')
FACTS = '<dl class="facts"'
CARD = 'class="cup-card"'


@pytest.fixture
def world(container: Container, agencies: dict[str, int],
          monkeypatch: pytest.MonkeyPatch) -> World:
    fresh_rate_limit(monkeypatch)
    return fresh_world(container, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def verdict_of(html: str) -> tuple[str, str]:
    """The verdict box's class (notice: good news; alert: a warning) and its data-verdict."""
    found = VERDICT.search(html)
    assert found, "the page shows no verdict"
    return found.group(1), found.group(2)


def verify_page(client: TestClient, presented: str | None = None,
                lang: str | None = None) -> str:
    params = {k: v for k, v in (("credential", presented), ("lang", lang)) if v is not None}
    response = client.get("/verify", params=params)
    assert response.status_code == 200, response.text[:500]
    text: str = response.text
    assert "Traceback" not in text
    return text


def certificate_number(world: World) -> str:
    number: str = credential_service.payload_of(token_of(world))["credentialSubject"][
        "certificateNumber"]
    return number


# The public verification page ---------------------------------------------------------------


def test_without_a_credential_the_page_is_a_form_in_spanish(client: TestClient,
                                                             world: World) -> None:
    response = client.get("/verify")
    assert response.status_code == 200
    # The token rides in the address: it must not leak to another site through the Referer.
    assert response.headers["referrer-policy"] == "no-referrer"
    page = response.text
    assert "Verificar un certificado" in page and "Escanee el código QR" in page
    assert '<form method="get" action="/verify"' in page
    assert '<textarea id="credential" name="credential"' in page
    assert '<label for="credential">Certificado o enlace</label>' in page
    assert '<input type="hidden" name="lang" value="es">' in page
    assert 'href="/verify?lang=en"' in page  # the way to English
    assert 'id="verdict"' not in page


def test_the_form_in_english(client: TestClient, world: World) -> None:
    page = verify_page(client, lang="en")
    assert "Verify a certificate" in page and "Scan the card" in page
    assert '<label for="credential">Certificate or link</label>' in page
    assert '<section class="card" aria-labelledby="verify-title" lang="en">' in page
    assert '<input type="hidden" name="lang" value="en">' in page
    assert 'href="/verify?lang=es"' in page
    assert "Verificar un certificado" not in page


def test_blank_input_shows_the_form_not_a_verdict(client: TestClient, world: World) -> None:
    page = verify_page(client, "   ")
    assert 'id="verdict"' not in page and "Verificar un certificado" in page


def test_the_verification_link_shows_valid_with_whose_card_it_is(
    client: TestClient, world: World
) -> None:
    world.certify()
    token = token_of(world)
    link = f"http://127.0.0.1:8000/verify?credential={token}"
    page = verify_page(client, link)
    assert verdict_of(page) == ("notice", "valid")
    assert "Válido" in page and "Este certificado es auténtico y está vigente." in page
    for fact in (NAME, RANK, AGENCY, certificate_number(world), "20 de noviembre de 2026",
                 "1 de marzo de 2029"):
        assert f"<dd>{fact}</dd>" in page, fact
    # Switching language (the header's link) keeps what was checked.
    switch = "/verify?" + urlencode({"credential": link, "lang": "en"})
    assert f'href="{switch.replace("&", "&amp;")}"' in page


def scanned(client: TestClient, link: str, lang: str | None = None) -> str:
    """The page a phone opens from the card's QR code (its link's path on this server)."""
    response = client.get(urlsplit(link).path, params={"lang": lang} if lang else None)
    assert response.status_code == 200, response.text[:500]
    assert "Traceback" not in response.text
    assert response.headers["Referrer-Policy"] == "no-referrer"
    return response.text


def test_scanning_the_cards_code_opens_the_page_showing_valid(
    client: TestClient, world: World
) -> None:
    world.certify()
    link = qr_url_of(world)
    assert link.startswith("http://127.0.0.1:8000/v/2KC") and len(link) < 400
    page = scanned(client, link)
    assert verdict_of(page) == ("notice", "valid")
    for fact in (NAME, RANK, AGENCY, certificate_number(world), "20 de noviembre de 2026",
                 "1 de marzo de 2029"):
        assert f"<dd>{fact}</dd>" in page, fact
    # The language link stays on the same code.
    switch = urlsplit(link).path + "?" + urlencode({"lang": "en"})
    assert f'href="{switch}"' in page
    english = scanned(client, link, "en")
    assert '<h2 class="verdict-headline">Valid</h2>' in english
    # Pasted in the form, the link or its text say the same.
    assert verdict_of(verify_page(client, link)) == ("notice", "valid")
    assert verdict_of(verify_page(client, link.rsplit("/", 1)[1])) == ("notice", "valid")


def test_an_altered_or_forged_card_code_shows_altered_and_nothing_of_it(
    client: TestClient, world: World
) -> None:
    world.certify()
    link = qr_url_of(world)
    for forged in (compact_changed(link), compact_forged(link)):
        page = scanned(client, forged)
        assert verdict_of(page) == ("alert", "altered")
        assert FACTS not in page and NAME not in page
        assert "bad_signature" in page
    elsewhere = link.replace("127.0.0.1:8000", "verifica.example.com")
    assert verdict_of(verify_page(client, elsewhere)) == ("alert", "not_ours")


def test_a_suspended_officers_card_code_shows_suspended(client: TestClient,
                                                        world: World) -> None:
    world.certify()
    link = qr_url_of(world)
    suspend(world)
    assert verdict_of(scanned(client, link)) == ("alert", "suspended")


def test_the_token_in_english_shows_valid_and_english_dates(
    client: TestClient, world: World
) -> None:
    world.certify()
    page = verify_page(client, token_of(world), "en")
    assert verdict_of(page) == ("notice", "valid")
    assert '<h2 class="verdict-headline">Valid</h2>' in page
    for fact in (NAME, RANK, AGENCY, "November 20, 2026", "March 1, 2029"):
        assert f"<dd>{fact}</dd>" in page, fact
    assert "Válido" not in page


def test_a_forged_rank_is_altered_and_nothing_of_it_is_shown(
    client: TestClient, world: World
) -> None:
    world.certify()
    page = verify_page(client, promoted(token_of(world), "Comisario General"))
    assert verdict_of(page) == ("alert", "altered")
    assert '<h2 class="verdict-headline">Alterado</h2>' in page
    assert FACTS not in page
    assert "Comisario General" not in page and NAME not in page
    assert "bad_signature" in page  # the technical detail, folded away


def test_another_systems_code_is_not_issued_by_us(client: TestClient, world: World) -> None:
    page = verify_page(client, NOT_A_CREDENTIAL)
    assert verdict_of(page) == ("alert", "not_ours")
    assert '<h2 class="verdict-headline">No emitido por nosotros</h2>' in page
    assert FACTS not in page
    english = verify_page(client, NOT_A_CREDENTIAL, "en")
    assert '<h2 class="verdict-headline">Not issued by us</h2>' in english


def test_a_suspended_officers_card_shows_suspended_as_a_warning(
    client: TestClient, world: World
) -> None:
    world.certify()
    token = token_of(world)
    suspend(world)
    page = verify_page(client, token)
    assert verdict_of(page) == ("alert", "suspended")
    assert '<h2 class="verdict-headline">Suspendido</h2>' in page
    assert "Válido" not in page
    assert f"<dd>{NAME}</dd>" in page  # whose card it is, so the holder can be told apart


@pytest.mark.parametrize("lang", ["fr", "xx", "", "<b>", "es-MX"])
def test_an_unknown_language_falls_back_to_spanish(client: TestClient, world: World,
                                                   lang: str) -> None:
    page = verify_page(client, NOT_A_CREDENTIAL, lang)
    assert '<h2 class="verdict-headline">No emitido por nosotros</h2>' in page
    assert '<input type="hidden" name="lang" value="es">' in page
    assert "<b>" not in page.split('<main id="main"')[1]


def test_a_long_language_value_falls_back_to_spanish_too(client: TestClient,
                                                         world: World) -> None:
    page = verify_page(client, NOT_A_CREDENTIAL, "english")
    assert '<h2 class="verdict-headline">No emitido por nosotros</h2>' in page


def test_over_the_rate_limit_the_page_says_when_to_come_back(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_rate_limit(monkeypatch, frozen=True)
    for _ in range(20):
        verify_page(client, NOT_A_CREDENTIAL)
    refused = client.get("/verify", params={"credential": NOT_A_CREDENTIAL})
    assert refused.status_code == 429
    assert "try again in 2 s" in refused.text
    assert refused.headers["Retry-After"] == "2"
    assert "Too many requests" not in refused.text  # the page speaks Spanish


# The printable card -------------------------------------------------------------------------


def test_agency_hr_sees_the_card_with_its_qr_code_and_pdf_link(
    client: TestClient, world: World, container: Container
) -> None:
    world.certify()
    number = certificate_number(world)
    link = f"http://127.0.0.1:8000/verify?credential={token_of(world)}"
    drawn = re.search(r' d="([^"]+)"', qr_svg(qr_url_of(world)))
    sign_in(client, world.hr.username, PASSWORD)
    response = client.get(f"/officers/{world.officer_id}/credential")
    assert response.status_code == 200, response.text[:500]
    page = response.text
    assert f'<article class="cup-card" aria-label="Credencial de {NAME}">' in page
    assert (f'<svg role="img" aria-label="Código QR de verificación del certificado '
            f'{number}"') in page
    assert f'href="/officers/{world.officer_id}/credential.pdf?lang=es"' in page
    # The button opens the link carrying the whole vc+jwt; the QR code carries the compact
    # credential's link.
    assert f'<a class="button" href="{link}" id="verify-link">' in page
    assert drawn and f' d="{drawn.group(1)}"' in page
    assert '<dd class="cup-status">Vigente</dd>' in page
    assert "20 de noviembre de 2026" in page and "1 de marzo de 2029" in page
    with container.uow().transaction() as tx:
        last = tx.audit.entries(limit=10_000)[-1]
    assert (last.action, last.actor, last.resource_id) == (
        AuditAction.CREDENTIAL_READ, world.hr.username, str(world.officer_id))


def test_the_card_in_english_and_suspended(client: TestClient, world: World) -> None:
    world.certify()
    suspend(world)
    sign_in(client, world.hr.username, PASSWORD)
    page = client.get(f"/officers/{world.officer_id}/credential", params={"lang": "en"}).text
    assert '<dd class="cup-status">Suspended</dd>' in page
    assert "Verification QR code for certificate" in page
    assert f'href="/officers/{world.officer_id}/credential.pdf?lang=en"' in page


def test_the_pdf_is_a_pdf_named_after_the_certificate(client: TestClient,
                                                      world: World) -> None:
    world.certify()
    number = certificate_number(world)
    sign_in(client, world.hr.username, PASSWORD)
    response = client.get(f"/officers/{world.officer_id}/credential.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="{number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert b"%%EOF" in response.content[-64:]


def test_another_agencys_hr_gets_the_forbidden_page_for_card_and_pdf(
    client: TestClient, world: World
) -> None:
    world.certify()
    outsider = other_state_hr(world)
    sign_in(client, outsider.username, PASSWORD)
    for path in (f"/officers/{world.officer_id}/credential",
                 f"/officers/{world.officer_id}/credential.pdf"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Acceso denegado" in response.text
        assert CARD not in response.text and NAME not in response.text
        assert "eyJ" not in response.text
        assert response.headers["content-type"].startswith("text/html")


def test_without_a_login_the_card_sends_the_visitor_to_sign_in(client: TestClient,
                                                              world: World) -> None:
    world.certify()
    for path in (f"/officers/{world.officer_id}/credential",
                 f"/officers/{world.officer_id}/credential.pdf"):
        response = client.get(path)
        assert response.status_code == 303, (path, response.status_code)
        assert response.headers["location"] == "/login?" + urlencode({"next": path})
        assert CARD not in response.text and NAME not in response.text


def test_an_officer_without_a_credential_gets_a_page_saying_so(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.hr.username, PASSWORD)
    page = client.get(f"/officers/{world.officer_id}/credential")
    assert page.status_code == 200
    assert "no tiene una credencial vigente" in page.text
    assert f'href="/officers/{world.officer_id}"' in page.text  # back to the record
    assert CARD not in page.text and "Traceback" not in page.text
    english = client.get(f"/officers/{world.officer_id}/credential", params={"lang": "en"})
    assert "has no credential in force" in english.text
    # `?lang=en` above left a cookie that keeps English; the PDF link names its language.
    pdf = client.get(f"/officers/{world.officer_id}/credential.pdf", params={"lang": "es"})
    assert pdf.status_code == 404
    assert pdf.headers["content-type"].startswith("text/html")
    assert "no tiene una credencial vigente" in pdf.text
