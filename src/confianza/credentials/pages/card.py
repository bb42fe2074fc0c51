"""The printable credential card of an officer's CUP: the page's context, its QR code and a PDF.

The QR code carries the link of the compact credential (`<public URL>/v/<base32>`, ADR 0020): a
phone opens the public verification page, and an offline verifier reads the signed compact form
from the same code. The card itself proves nothing: whoever checks it scans the code, the
signature speaks.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import segno
from babel.dates import format_date as babel_date
from fpdf import FPDF
from fpdf.drawing import GraphicsContext, PaintedPath
from fpdf.enums import Align, PathPaintRule, XPos, YPos
from markupsafe import Markup

from confianza.core.web import i18n
from confianza.core.web.i18n import Messages
from confianza.credentials.rules.credential import CupFacts

LANGUAGES: Final = i18n.LANGUAGES

# Level M (15 % of the symbol recoverable): level L would leave only 7 % for the scratches a card
# in a wallet collects, and each step up makes the modules smaller. The card's code carries the
# compact credential's link, which fits version 13 at level M (69 x 69 modules, about 0.47 mm a
# module on the card; ADR 0020). segno's boost_error raises the level whenever the same version
# allows it.
QR_ERROR: Final = "M"
# The address in byte mode, and a trailing run of upper case letters and digits (the compact
# credential's base32) in the denser alphanumeric mode: 5.5 bits a character instead of 8. Any
# other payload (the vc+jwt's link, whose base64url has lower case letters) is all byte mode.
# A version 40 symbol at level M holds 2,331 bytes (ISO/IEC 18004:2015, table 7).
QR_MAX_BYTES: Final = 2331
_ALPHANUMERIC_TAIL: Final = re.compile(r"(.*/)([0-9A-Z]{16,})")
# A QR code needs four light modules around it; the card's margin is part of that zone.
QR_QUIET_MODULES: Final = 4

# The card's words, Spanish source text translated per language through the pages' catalogue
# (confianza.core.web.i18n); `labels(lang)` reads them in one language.
CARD_TEXT: Final[Messages[str]] = Messages({
    "title": "Certificado Único Policial",
    "page_title": "Credencial del Certificado Único Policial",
    "intro": (
        "Cualquier persona puede comprobar esta credencial escaneando el código QR: la página "
        "de verificación indica si está vigente, vencida, suspendida o revocada."
    ),
    "card_label": "Credencial de {name}",
    "name": "Nombre",
    "rank": "Grado",
    "agency": "Corporación",
    "certificate_number": "Núm. de certificado",
    "valid_from": "Válido desde",
    "valid_until": "Válido hasta",
    "status": "Situación",
    "status_printed": "Situación al imprimir",
    "issuer": "Emisor",
    "credential_id": "Credencial",
    # Not plain "Clave": the catalogue has one translation per text, and elsewhere "Clave" is an
    # agency's code, while here it names the signing key.
    "kid": "Clave de firma",
    "verify_hint": "Verifique en {where} o escanee el código",
    "qr_label": "Código QR de verificación del certificado {number}",
    "qr_generic": "Código QR de verificación",
    "download_pdf": "Descargar PDF",
    "verify_online": "Verificar en línea",
    "back": "Volver al expediente",
    "no_credential": (
        "Este elemento no tiene una credencial vigente: no tiene CUP vigente, o su CUP se "
        "emitió sin clave de firma y espera a que se emita su credencial."
    ),
    "print": "Imprimir",
    "print_help": (
        "Para imprimir la tarjeta a su tamaño real (85.6 × 54 mm), elija «Tamaño real» o "
        "escala 100 % en el cuadro de impresión."
    ),
    "none": "—",
})

#: A credential's state as the card prints it (a snapshot; the QR code gives today's).
STATUS_TEXT: Final[Messages[str]] = Messages({
    "valid": "Vigente",
    "suspended": "Suspendido",
    "revoked": "Revocado",
})


@dataclass(frozen=True)
class Card:
    """What one printed card shows. `qr_url` is the QR code's payload (the compact credential's
    link); `verify_url`, the link carrying the whole vc+jwt, is the page's "verify online"
    button, and the QR code's payload too when no `qr_url` is given."""

    facts: CupFacts
    verify_url: str
    issuer_name: str
    issuer_id: str
    kid: str
    credential_id: str
    status_text: str | None = None
    qr_url: str | None = None

    @property
    def qr_payload(self) -> str:
        return self.qr_url or self.verify_url

    def __post_init__(self) -> None:
        _check_verify_url(self.verify_url)
        if self.qr_url is not None:
            _check_verify_url(self.qr_url)
        for name in ("issuer_name", "issuer_id", "kid", "credential_id"):
            if not str(getattr(self, name)).strip():
                raise ValueError(f"Card.{name} is empty")
        for name in ("name", "certificate_number"):
            if not str(getattr(self.facts, name)).strip():
                raise ValueError(f"Card.facts.{name} is empty")
        if self.facts.valid_until < self.facts.valid_from:
            raise ValueError(
                f"Card.facts.valid_until ({self.facts.valid_until.isoformat()}) is before "
                f"valid_from ({self.facts.valid_from.isoformat()})"
            )


def offered(lang: str | None) -> str:
    """`lang` if the card speaks it (None: the current request's language); else a clear error."""
    if lang is None:
        return i18n.current()
    if lang not in LANGUAGES:
        raise ValueError(
            f"language {lang!r} is not offered for the card; use one of {', '.join(LANGUAGES)}"
        )
    return lang


def labels(lang: str | None = None) -> dict[str, str]:
    """The card's words in one of LANGUAGES (a copy: a page may add to it)."""
    with i18n.speaking(offered(lang)):
        return dict(CARD_TEXT.items())


def status_text(state: str, lang: str | None = None) -> str:
    """A credential's state ("valid", "suspended", "revoked") in words."""
    with i18n.speaking(offered(lang)):
        return CARD_TEXT["none"] if state not in STATUS_TEXT else STATUS_TEXT[state]


def long_date(value: date, lang: str | None = None) -> str:
    """A date written out as each language's readers write it: 1 de junio de 2027, June 1,
    2027 (Babel's long form for the language's locale)."""
    return babel_date(value, format="long", locale=i18n.LOCALES[offered(lang)])


def qr_code(payload: str) -> segno.QRCode:
    """The QR symbol the card prints: byte mode, level M or better, never a Micro QR."""
    _check_payload(payload)
    split = _ALPHANUMERIC_TAIL.fullmatch(payload)
    content: str | list[tuple[str, int]] = payload
    if split is not None:
        content = [(split.group(1), segno.consts.MODE_BYTE),
                   (split.group(2), segno.consts.MODE_ALPHANUMERIC)]
    try:
        # segno takes a list of (text, mode) segments, which its type hints do not say.
        return segno.make(content, error=QR_ERROR,  # type: ignore[arg-type]
                          mode=None if split else "byte", micro=False, boost_error=True)
    except segno.DataOverflowError as exc:  # the length check above should have caught it
        raise ValueError(
            f"the QR code's payload ({len(payload)} characters) does not fit a QR code"
        ) from exc


def qr_svg(payload: str, *, label: str | None = None) -> str:
    """The QR code of `payload` as inline SVG for an HTML page (no XML declaration).

    The symbol is sized by its viewBox only, so the page's CSS decides how large it shows.
    """
    code = qr_code(payload)
    label = label or CARD_TEXT["qr_generic"]
    svg = code.svg_inline(
        border=QR_QUIET_MODULES, dark="#000", light="#fff", omitsize=True,
        svgclass="cup-qr-code", lineclass=None, title=label,
    )
    # segno writes a <title> but no ARIA attributes; screen readers announce an inline SVG by
    # its role and label, and the <title> alone is not read everywhere.
    attributes = f'role="img" aria-label="{html.escape(label, quote=True)}" '
    return svg.replace("<svg ", "<svg " + attributes, 1)


def card_context(card: Card, lang: str | None = None) -> dict[str, Any]:
    """What credential_card.html needs, except `pdf_url`, which the route adds."""
    lang = offered(lang)
    text = labels(lang)
    facts = card.facts
    qr_label = text["qr_label"].format(number=facts.certificate_number)
    return {
        "lang": lang,
        "card_t": text,
        "card_label": text["card_label"].format(name=facts.name),
        "issuer_name": card.issuer_name,
        "issuer_id": card.issuer_id,
        "kid": card.kid,
        "credential_id": card.credential_id,
        "name": facts.name,
        "rank": facts.rank or text["none"],
        "agency": facts.agency or text["none"],
        "certificate_number": facts.certificate_number,
        "valid_from": long_date(facts.valid_from, lang),
        "valid_until": long_date(facts.valid_until, lang),
        "valid_from_iso": facts.valid_from.isoformat(),
        "valid_until_iso": facts.valid_until.isoformat(),
        "status_text": card.status_text,
        "verify_url": card.verify_url,
        "verify_hint": text["verify_hint"].format(where=_where(card.verify_url)),
        "qr_url": card.qr_payload,
        "qr_svg": Markup(qr_svg(card.qr_payload, label=qr_label)),
    }


# The PDF ------------------------------------------------------------------------------------
# One page the size of an ID-1 card (ISO/IEC 7810: 85.6 x 54 mm), so a card printer takes it as
# it is and an office printer prints it at real size to cut out.

CARD_W: Final = 85.6
CARD_H: Final = 54.0
QR_MM: Final = 33.0
_MARGIN: Final = 4.0
_BAND_H: Final = 9.5
_BODY_TOP: Final = 12.0
_FOOT_TOP: Final = 46.0
_QR_TOP: Final = _BAND_H + 0.6  # below the gold line
_QR_RIGHT: Final = 3.0  # from the card's edge
_PT: Final = 0.3528  # mm in a point
_LEADING: Final = 1.18

_GUINDA: Final = (107, 29, 52)
_GOLD: Final = (179, 142, 93)
_INK: Final = (28, 31, 36)
_MUTED: Final = (85, 92, 102)
_GUIDE: Final = (200, 204, 210)

# The core PDF fonts reach Windows-1252 (every Spanish letter); a name beyond it needs a font
# with the glyph embedded. DejaVu is where Debian's fonts-dejavu-core puts it.
UNICODE_FONT_DIRS: list[Path] = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu"),
]
_CORE_ENCODING: Final = "windows-1252"
# Letters that Unicode decomposition does not take to a plain Latin letter.
_PLAIN_LETTER: Final = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i"}


def card_pdf(card: Card, lang: str | None = None) -> bytes:
    """The card as a one-page PDF, text extractable, the QR code drawn as vectors; in `lang`,
    or the current request's language."""
    lang = offered(lang)
    text = labels(lang)
    facts = card.facts
    code = qr_code(card.qr_payload)

    rows = [
        (text["rank"], facts.rank or text["none"]),
        (text["agency"], facts.agency or text["none"]),
        (text["certificate_number"], facts.certificate_number),
        (text["valid_from"], long_date(facts.valid_from, lang)),
        (text["valid_until"], long_date(facts.valid_until, lang)),
    ]
    if card.status_text:
        # A printed status is a snapshot; the label says so, the QR code gives today's.
        rows.append((text["status_printed"], card.status_text))
    hint = text["verify_hint"].format(where=_where(card.verify_url))
    small_print = [
        f"{text['credential_id']} {card.credential_id}",
        f"{text['issuer']} {card.issuer_id} · {text['kid']} {card.kid}",
    ]

    pdf = FPDF(orientation="L", unit="mm", format=(CARD_H, CARD_W))
    pdf.core_fonts_encoding = _CORE_ENCODING
    everything = [text["title"], card.issuer_name, facts.name, hint, *small_print]
    everything += [part for row in rows for part in row]
    write = _Writer(pdf, _unicode_font(pdf, everything))

    pdf.set_title(write.clean(f"{text['title']} · {facts.name}"))
    pdf.set_author(write.clean(card.issuer_name))
    pdf.set_creator("Confianza")
    pdf.set_lang("es-MX" if lang == "es" else "en")
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)  # too much text shrinks or overflows; never a second page
    pdf.c_margin = 0
    pdf.add_page()

    # The band: the certificate's name and its issuer.
    pdf.set_fill_color(*_GUINDA)
    pdf.rect(0, 0, CARD_W, _BAND_H, style="F")
    pdf.set_fill_color(*_GOLD)
    pdf.rect(0, _BAND_H, CARD_W, 0.6, style="F")
    pdf.set_text_color(255, 255, 255)
    band_w = CARD_W - 2 * _MARGIN
    write.line(_MARGIN, 1.5, band_w, text["title"].upper(), 7.5, 5.5, bold=True)
    write.line(_MARGIN, 5.3, band_w, card.issuer_name, 5.5, 4.0)

    # The QR code at the right, its quiet zone kept free on the left by the column's width.
    qr_x, qr_y, module = qr_placement(len(code.matrix))
    _draw_qr(pdf, code, qr_x, qr_y, module)
    column_w = qr_x - QR_QUIET_MODULES * module - 0.4 - _MARGIN
    write.column(_MARGIN, _BODY_TOP, column_w, _FOOT_TOP - 0.8 - _BODY_TOP, facts.name, rows)

    # The foot: where to verify, and the identifiers a verifier may be asked for.
    foot_w = CARD_W - 2 * _MARGIN
    pdf.set_text_color(*_INK)
    y = write.line(_MARGIN, _FOOT_TOP, foot_w, hint, 5.2, 3.6, bold=True)
    pdf.set_text_color(*_MUTED)
    for line in small_print:
        y = write.line(_MARGIN, y + 0.2, foot_w, line, 3.8, 2.8)

    # A hairline where to cut, with the rounded corners of ISO/IEC 7810 (3.18 mm).
    pdf.set_draw_color(*_GUIDE)
    pdf.set_line_width(0.1)
    pdf.rect(0.2, 0.2, CARD_W - 0.4, CARD_H - 0.4, style="D", round_corners=True,
             corner_radius=3.18)
    return bytes(pdf.output())


def _check_payload(payload: str) -> None:
    if not payload or not payload.strip():
        raise ValueError("the QR code's payload (the verification link) is empty")
    if not payload.isascii():
        raise ValueError(
            "the QR code's payload must be ASCII: percent-encode the verification link"
        )
    if len(payload) > QR_MAX_BYTES:
        raise ValueError(
            f"the QR code's payload is {len(payload)} characters long; a QR code at error "
            f"level {QR_ERROR} holds at most {QR_MAX_BYTES}"
        )


def _check_verify_url(url: str) -> None:
    if not url or not url.strip():
        raise ValueError("Card.verify_url is empty: the QR code needs the verification link")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(
            f"Card.verify_url must be an absolute http(s) link a phone can open, got {url[:80]!r}"
        )
    _check_payload(url)


def _where(url: str) -> str:
    """The link a reader can type: host and path, without the token."""
    parts = urlsplit(url)
    return parts.netloc + parts.path


def qr_placement(modules: int) -> tuple[float, float, float]:
    """Where the PDF puts a symbol `modules` wide: its left and top edges and a module's size,
    in mm. QR_MM wide when the four light modules around it still fit between the band, the
    foot and the card's edge; smaller when a short payload makes coarse modules."""
    space = _FOOT_TOP - _QR_TOP
    module = min(QR_MM / modules, space / (modules + 2 * QR_QUIET_MODULES),
                 _QR_RIGHT / QR_QUIET_MODULES)
    size = module * modules
    return CARD_W - _QR_RIGHT - size, _QR_TOP + (space - size) / 2, module


def _draw_qr(pdf: FPDF, code: segno.QRCode, x: float, y: float, module: float) -> None:
    """The symbol as one filled path of dark runs: vectors stay sharp at any printer's
    resolution, and one fill leaves no hairline seams between neighbouring modules."""
    matrix = [list(row) for row in code.matrix]
    path = PaintedPath()
    path.style.fill_color = "#000000"
    path.style.stroke_color = None
    path.style.paint_rule = PathPaintRule.FILL_NONZERO
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rectangle(x + start * module, y + r * module, (c - start) * module, module)
    group = GraphicsContext()
    group.add_item(path, clone=False)
    # Not copied: fpdf2 deep-copies a drawing by default, which costs more than all the rest.
    pdf.draw_path(group, copy=False)


def _encodable(value: str) -> bool:
    try:
        value.encode(_CORE_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def _plain(value: str) -> str:
    """A string the core fonts can show: letters beyond Windows-1252 lose their marks."""
    out = []
    for char in value:
        if _encodable(char):
            out.append(char)
            continue
        if char in _PLAIN_LETTER:
            out.append(_PLAIN_LETTER[char])
            continue
        base = "".join(
            part for part in unicodedata.normalize("NFKD", char)
            if not unicodedata.combining(part) and _encodable(part)
        )
        out.append(base or "?")
    return "".join(out)


def _unicode_font(pdf: FPDF, texts: Iterable[str]) -> str | None:
    """Embed DejaVu Sans when some text is beyond the core fonts; its family name, or None."""
    if all(_encodable(value) for value in texts):
        return None
    for folder in UNICODE_FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("dejavu", "", str(regular))
            pdf.add_font("dejavu", "B", str(bold))
            return "dejavu"
    return None


class _Writer:
    """Text on the card: one font family, sizes shrunk until the text fits its box."""

    def __init__(self, pdf: FPDF, unicode_family: str | None) -> None:
        self.pdf = pdf
        self.family = unicode_family or "helvetica"
        self.unicode = unicode_family is not None

    def clean(self, value: str) -> str:
        return value if self.unicode else _plain(value)

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def line(self, x: float, y: float, width: float, value: str, size: float, smallest: float,
             bold: bool = False) -> float:
        """One line, shrunk down to `smallest` points, wrapped only past that; the y below."""
        value = self.clean(value)
        while size > smallest:
            self.font(size, bold)
            if self.pdf.get_string_width(value) <= width:
                break
            size = round(size - 0.2, 2)
        self.font(size, bold)
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(width, size * _PT * _LEADING, value, align=Align.L,
                            new_x=XPos.LEFT, new_y=YPos.NEXT)
        return self.pdf.get_y()

    def column(self, x: float, y: float, width: float, height: float, name: str,
               rows: list[tuple[str, str]]) -> None:
        """The officer's name and the labelled facts, scaled down together until they fit."""
        name = self.clean(name)
        rows = [(self.clean(label).upper(), self.clean(value)) for label, value in rows]
        scale = 1.0
        while scale > 0.55 and self._column(x, y, width, name, rows, scale, True) > height:
            scale -= 0.04
        self._column(x, y, width, name, rows, scale, False)

    def _column(self, x: float, y: float, width: float, name: str,
                rows: list[tuple[str, str]], scale: float, dry_run: bool) -> float:
        top = y
        y += self._block(x, y, width, name, 8.5 * scale, True, _GUINDA, dry_run) + 1.0 * scale
        for label, value in rows:
            y += self._block(x, y, width, label, 4.4 * scale, True, _MUTED, dry_run)
            y += self._block(x, y, width, value, 6.4 * scale, False, _INK, dry_run)
            y += 0.55 * scale
        return y - top

    def _block(self, x: float, y: float, width: float, value: str, size: float, bold: bool,
               color: tuple[int, int, int], dry_run: bool) -> float:
        self.font(size, bold)
        leading = size * _PT * _LEADING
        if dry_run:
            lines = self.pdf.multi_cell(width, leading, value, align=Align.L, dry_run=True,
                                        output="LINES")
            assert isinstance(lines, list)
            return len(lines) * leading
        self.pdf.set_text_color(*color)
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(width, leading, value, align=Align.L, new_x=XPos.LEFT,
                            new_y=YPos.NEXT)
        return self.pdf.get_y() - y
