"""The printable CUP card: its QR code, its PDF, and the page's context and template."""

from __future__ import annotations

import dataclasses
import re
import zlib
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
import segno
from markupsafe import Markup

from confianza.app.rendering import ENV
from confianza.credentials.pages import card as credential_card
from confianza.credentials.pages.card import (
    QR_MAX_BYTES,
    Card,
    card_context,
    card_pdf,
    labels,
    long_date,
    qr_code,
    qr_svg,
)
from confianza.credentials.rules.credential import CupFacts

BASE = "https://confianza.example.gob.mx/verify?credential="
# A JWT-shaped token: base64url header, payload and signature, all lower and upper case.
TOKEN_PART = "eyJhbGciOiJFZERTQSIsImtpZCI6ImtleS0yMDI3In0.eyJzdWIiOiJ1cm46dXVpZDo"


def link(length: int) -> str:
    """A verification link exactly `length` characters long."""
    body = (TOKEN_PART * (length // len(TOKEN_PART) + 1))[: length - len(BASE)]
    url = BASE + body
    assert len(url) == length
    return url


FACTS = CupFacts(
    certificate_number="CUP-2027-000123",
    name="José Ñúñez Peña",
    agency="Secretaría de Seguridad Ciudadana",
    rank="Policía Tercero",
    valid_from=date(2027, 6, 1),
    valid_until=date(2030, 5, 31),
)


def make_card(**changes: object) -> Card:
    values: dict[str, object] = {
        "facts": FACTS,
        "verify_url": link(900),
        "issuer_name": "Centro Nacional de Certificación y Acreditación",
        "issuer_id": "did:web:confianza.example.gob.mx",
        "kid": "did:web:confianza.example.gob.mx#key-2027-01",
        "credential_id": "urn:uuid:3f2a6c1e-8d4b-4a7e-9c55-0b1d2e3f4a5b",
        "status_text": "Vigente",
    }
    values.update(changes)
    return Card(**values)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    """The text a PDF shows with the core fonts: every literal string of its content streams,
    inflated and decoded from Windows-1252. Enough for our own simple PDFs, not a parser."""
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    pieces: list[str] = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        raw = match.group(1)
        try:
            content = zlib.decompressobj().decompress(raw)
        except zlib.error:
            content = raw
        for literal in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.DOTALL):
            body = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: (bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit()
                           else escapes.get(m.group(1), m.group(1))),
                literal.group(1),
                flags=re.DOTALL,
            )
            pieces.append(body.decode("cp1252"))
    return " ".join(pieces)


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


# The QR code ----------------------------------------------------------------------------------


def test_a_900_character_link_makes_the_documented_symbol() -> None:
    """A 900-character vc+jwt link (what a card falls back to without a compact form) is all
    byte mode: version 24 at level M."""
    code = qr_code(link(900))
    assert (code.version, code.error, code.mode) == (24, "M", "byte")
    assert not code.is_micro
    # The inline SVG is that symbol with a four-module quiet zone: 4 * 24 + 17 + 8 = 121.
    root = ElementTree.fromstring(qr_svg(link(900)))
    assert root.get("viewBox") == "0 0 121 121"


def test_qr_svg_is_well_formed_and_labelled() -> None:
    svg = qr_svg(link(700), label="Código QR de verificación")
    assert svg.startswith("<svg ")  # no XML declaration: it goes inside an HTML page
    root = ElementTree.fromstring(svg)
    assert root.tag == "svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Código QR de verificación"
    title = root.find("title")
    assert title is not None and title.text == "Código QR de verificación"
    assert root.get("width") is None  # the page's CSS sizes it


def test_qr_svg_escapes_its_label() -> None:
    label = 'Certificado "A&B" <1>'
    root = ElementTree.fromstring(qr_svg(link(700), label=label))
    assert root.get("aria-label") == label
    title = root.find("title")
    assert title is not None and title.text == label


def test_the_largest_payload_fits_and_one_more_character_is_refused() -> None:
    assert qr_code(link(QR_MAX_BYTES)).version == 40
    with pytest.raises(ValueError, match=rf"{QR_MAX_BYTES + 1} characters long.*at most "
                                         rf"{QR_MAX_BYTES}"):
        qr_svg(link(QR_MAX_BYTES + 1))


@pytest.mark.parametrize(("payload", "message"), [
    ("", "payload .*is empty"),
    ("   ", "payload .*is empty"),
    ("https://confianza.example.gob.mx/verify?credential=añ", "must be ASCII"),
])
def test_qr_refuses_payloads_it_cannot_carry(payload: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        qr_svg(payload)


# The card's input -----------------------------------------------------------------------------


def test_an_empty_verify_url_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="Card.verify_url is empty"):
        make_card(verify_url="")


def test_a_verify_url_too_long_for_a_qr_code_names_its_length() -> None:
    with pytest.raises(ValueError, match="is 2500 characters long"):
        make_card(verify_url=link(2500))


@pytest.mark.parametrize("url", ["/verify?credential=abc", "confianza.gob.mx/verify?c=1",
                                 "ftp://confianza.gob.mx/verify"])
def test_a_verify_url_a_phone_cannot_open_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="absolute http"):
        make_card(verify_url=url)


def test_an_empty_identifier_or_inverted_validity_is_refused() -> None:
    with pytest.raises(ValueError, match="Card.kid is empty"):
        make_card(kid=" ")
    with pytest.raises(ValueError, match="Card.facts.name is empty"):
        make_card(facts=dataclasses.replace(FACTS, name=""))
    with pytest.raises(ValueError, match="valid_until .2027-05-31. is before valid_from"):
        make_card(facts=dataclasses.replace(FACTS, valid_until=date(2027, 5, 31)))


def test_an_unknown_language_is_refused_with_the_ones_offered() -> None:
    with pytest.raises(ValueError, match="'fr' is not offered.*es, en"):
        card_context(make_card(), "fr")
    with pytest.raises(ValueError, match="'fr' is not offered"):
        card_pdf(make_card(), "fr")


# Dates and the page's context -----------------------------------------------------------------


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (date(2027, 6, 1), "es", "1 de junio de 2027"),
    (date(2030, 12, 31), "es", "31 de diciembre de 2030"),
    (date(2027, 6, 1), "en", "June 1, 2027"),
    (date(2028, 2, 29), "en", "February 29, 2028"),
])
def test_long_dates(value: date, lang: str, expected: str) -> None:
    assert long_date(value, lang) == expected


def test_context_in_spanish_and_english() -> None:
    card = make_card()
    es, en = card_context(card, "es"), card_context(card, "en")
    assert (es["valid_from"], es["valid_until"]) == ("1 de junio de 2027", "31 de mayo de 2030")
    assert (en["valid_from"], en["valid_until"]) == ("June 1, 2027", "May 31, 2030")
    assert es["valid_until_iso"] == en["valid_until_iso"] == "2030-05-31"
    assert es["card_t"]["valid_from"] == "Válido desde"
    assert en["card_t"]["valid_from"] == "Valid from"
    # The hint names where to go without the token, which nobody could type.
    assert es["verify_hint"] == "Verifique en confianza.example.gob.mx/verify o escanee el código"
    assert en["verify_hint"] == "Verify at confianza.example.gob.mx/verify or scan the code"
    assert isinstance(es["qr_svg"], Markup)
    assert 'aria-label="Código QR de verificación del certificado CUP-2027-000123"' in es["qr_svg"]
    assert 'aria-label="Verification QR code for certificate CUP-2027-000123"' in en["qr_svg"]


def test_context_labels_are_copies() -> None:
    card_context(make_card(), "es")["card_t"]["title"] = "changed"
    assert card_context(make_card(), "es")["card_t"]["title"] == "Certificado Único Policial"


def test_the_page_renders_for_a_visitor_without_a_session() -> None:
    """The route passes the context, `pdf_url`, and what common.render adds; no actor."""
    card = make_card(facts=dataclasses.replace(FACTS, name="José <b>Ñúñez</b>"))
    html = ENV.get_template("credential_card.html").render({
        "actor": None, "csrf_token": None, "request_id": "r1", "path": "/verify/card",
        **card_context(card, "en"), "pdf_url": "/certificates/CUP-2027-000123/card.pdf",
        "view": True,
    })
    assert '<link rel="stylesheet" href="/static/credential_card.css">' in html
    assert 'lang="en"' in html
    assert 'href="/certificates/CUP-2027-000123/card.pdf" download>Download PDF</a>' in html
    assert "data-print hidden>Print</button>" in html
    assert '<time datetime="2027-06-01">June 1, 2027</time>' in html
    # The QR markup is inserted as is, a typed name is escaped.
    assert '<svg role="img"' in html and "&lt;svg" not in html
    assert "José &lt;b&gt;Ñúñez&lt;/b&gt;" in html
    assert "/logout" not in html and 'class="main-nav"' not in html
    assert "style=" not in html  # the CSP forbids inline styles


def test_the_page_has_no_download_link_without_a_pdf_url() -> None:
    html = ENV.get_template("credential_card.html").render(
        {"actor": None, "path": "/", **card_context(make_card(status_text=None), "es")}
    )
    assert "download" not in html
    assert "Situación" not in html


# The PDF --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "dates", "labels"), [
    ("es", ("1 de junio de 2027", "31 de mayo de 2030"), ("VÁLIDO DESDE", "SITUACIÓN AL IMPRIMIR")),
    ("en", ("June 1, 2027", "May 31, 2030"), ("VALID FROM", "STATUS WHEN PRINTED")),
])
def test_pdf_is_one_page_with_the_facts(lang: str, dates: tuple[str, str],
                                        labels: tuple[str, ...]) -> None:
    data = card_pdf(make_card(), lang)
    assert data.startswith(b"%PDF-")
    assert page_count(data) == 1
    text = pdf_text(data)
    for expected in ("José Ñúñez Peña", "CUP-2027-000123", "Policía Tercero",
                     "Centro Nacional de Certificación y Acreditación", "Vigente",
                     "urn:uuid:3f2a6c1e-8d4b-4a7e-9c55-0b1d2e3f4a5b",
                     "did:web:confianza.example.gob.mx#key-2027-01",
                     "confianza.example.gob.mx/verify", *dates, *labels):
        assert expected in text, expected
    # The token is in the QR code, never spelled out on the card.
    assert TOKEN_PART not in text


def test_pdf_page_is_an_id1_card() -> None:
    data = card_pdf(make_card())
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box is not None
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in box.groups())
    assert (round(width_mm, 1), round(height_mm, 1)) == (85.6, 54.0)


def test_pdf_without_status_leaves_the_line_out() -> None:
    text = pdf_text(card_pdf(make_card(status_text=None)))
    assert "SITUACIÓN" not in text and "José Ñúñez Peña" in text


def test_pdf_long_texts_stay_on_one_page() -> None:
    facts = dataclasses.replace(
        FACTS,
        name="María de los Ángeles Guadalupe Hernández Gutiérrez de la Concepción " * 2,
        agency="Secretaría de Seguridad Pública y Protección Ciudadana del Estado " * 4,
    )
    data = card_pdf(make_card(facts=facts, verify_url=link(1400)))
    assert page_count(data) == 1


def test_pdf_embeds_dejavu_for_a_name_beyond_windows_1252() -> None:
    fonts = [d for d in credential_card.UNICODE_FONT_DIRS if (d / "DejaVuSans.ttf").is_file()]
    if not fonts:
        pytest.skip("DejaVu Sans is not installed (Debian: fonts-dejavu-core)")
    card = make_card(facts=dataclasses.replace(FACTS, name="Łukasz Żółć Nguyễn"))
    data = card_pdf(card)
    assert page_count(data) == 1
    assert b"DejaVuSans" in data
    assert b"/ToUnicode" in data  # so the name can still be copied and searched


def test_pdf_without_a_unicode_font_writes_plain_letters(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setattr(credential_card, "UNICODE_FONT_DIRS", [tmp_path])
    card = make_card(facts=dataclasses.replace(FACTS, name="Łukasz Żółć Ñúñez"))
    text = pdf_text(card_pdf(card))
    # Ż and ć lose their marks, ó and Ñ are Windows-1252 and stay.
    assert "Lukasz Zólc Ñúñez" in text


@pytest.mark.parametrize("version", [1, 10, 21, 24, 26, 40])
def test_pdf_keeps_four_light_modules_around_the_qr_code(version: int) -> None:
    """ISO/IEC 18004 wants a quiet zone of four modules; on the card it is the gap to the band,
    the foot and the card's edge, which must not shrink below that for coarse or fine codes."""
    modules = 4 * version + 17
    x, y, module = credential_card.qr_placement(modules)
    size = modules * module
    quiet = 4 * module - 1e-9
    assert y - credential_card._QR_TOP >= quiet
    assert credential_card._FOOT_TOP - (y + size) >= quiet
    assert credential_card.CARD_W - (x + size) >= quiet
    assert size <= credential_card.QR_MM
    if version >= 21:  # the links we print: the full 33 mm
        assert size == pytest.approx(credential_card.QR_MM)


def test_the_page_says_so_when_there_is_no_credential() -> None:
    html = ENV.get_template("credential_card.html").render({
        "actor": None, "csrf_token": None, "request_id": "r1", "path": "/officers/7/credential",
        "view": None, "officer_id": 7, "lang": "es", "card_t": labels("es"),
    })
    assert "no tiene una credencial vigente" in html
    assert 'href="/officers/7"' in html
    assert "cup-card" not in html and "Descargar PDF" not in html


COMPACT_LINK = "https://confianza.example.gob.mx/v/2KCE" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 12


def test_a_compact_link_is_coded_as_its_address_then_alphanumeric() -> None:
    code = qr_code(COMPACT_LINK)
    byte_mode = segno.make(COMPACT_LINK, error="M", mode="byte", boost_error=False)
    assert code.version <= 13 < byte_mode.version
    assert code.error in ("M", "Q", "H") and not code.is_micro


def test_the_card_draws_its_qr_url_and_keeps_the_verify_url_for_the_button() -> None:
    card = make_card(qr_url=COMPACT_LINK)
    assert card.qr_payload == COMPACT_LINK and make_card().qr_payload == link(900)
    context = card_context(card, "es")
    assert context["verify_url"] == link(900) and context["qr_url"] == COMPACT_LINK
    drawn = re.search(r' d="([^"]+)"', qr_svg(COMPACT_LINK))
    assert drawn and f' d="{drawn.group(1)}"' in str(context["qr_svg"])
    with pytest.raises(ValueError, match="absolute http"):
        make_card(qr_url="2KCEABCDEF")
