"""The printed card's QR code scans as a phone would see it (issue: "a card a phone can scan").

The card's PDF is rendered at 150 dpi, blurred and made noisy, and read with zbar (Debian's
zbar-tools); what it reads must verify. The same degradation makes the old code (the whole
vc+jwt in the link, version 31 or more) unreadable, which shows the test can fail. The module
size is measured on the PDF itself: the QR code's drawn width over its module count, with four
light modules of quiet zone free around it.

Needs `zbarimg` (apt-get install zbar-tools) and pypdfium2 (pip install -e '.[dev]'): without
them the tests are skipped, and under CI=true they fail.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from confianza.credentials.pages.card import (
    CARD_H,
    CARD_W,
    QR_QUIET_MODULES,
    Card,
    card_pdf,
    qr_code,
)
from confianza.credentials.rules.credential import (
    CIVIL_ZONE,
    MEDIA_TYPE,
    CupFacts,
    StatusLists,
    Verdict,
    compact_credential,
    cup_credential,
    verify_credential,
)
from confianza.credentials.rules.issuer import Issuer, did_web, full_kid, slot_of
from confianza.kit.jose import KeySet, SigningKey
from confianza.kit.status_list import (
    MIN_ENTRIES,
    PURPOSES,
    encode_list,
    status_entry,
    status_list_credential,
)
from conftest import IN_CI

ZBAR = shutil.which("zbarimg")
DPI = 150
#: A phone camera's view of a printed card, roughly: out of focus by about 0.14 mm (a Gaussian
#: of 0.8 pixels at 150 dpi) and sensor noise (a standard deviation of 20 grey levels).
BLUR_PX = 0.8
NOISE = 20.0
SEED = 2026
#: Printed-card guidance asks for 0.3 mm or more a module; the issue, 0.33 mm.
MIN_MODULE_MM = 0.33
MM_PER_POINT = 25.4 / 72
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=CIVIL_ZONE)

TYPICAL = CupFacts("CUP-2026-0004321-01", "Ana López García", "Guardia Nacional",
                   "Policía Tercero", date(2026, 1, 5), date(2029, 1, 4))
WORST = CupFacts(
    "CUP-2026-0123456-01", "María de los Ángeles Hernández-Villaseñor y Gómez de la Fuente",
    "Secretaría de Seguridad y Protección Ciudadana del Gobierno del Estado de Michoacán de "
    "Ocampo", "Comisario General de la Policía Estatal Preventiva", date(2026, 6, 1),
    date(2029, 5, 31))
CASES = {"typical": ("http://127.0.0.1:8000", TYPICAL),
         "worst": ("https://controldeconfianza.sspc.gob.mx", WORST)}


def require_scanner() -> None:
    """Skip (or, under CI=true, fail) when zbar or pypdfium2 is missing."""
    problems = []
    if ZBAR is None:
        problems.append("zbarimg is missing: install it with 'apt-get update && apt-get "
                        "install -y zbar-tools'")
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        problems.append("the Python package 'pypdfium2' is not installed "
                        "(pip install -e '.[dev]')")
    if problems:
        message = "the card scan tests read the QR code with zbar: " + "; ".join(problems)
        if IN_CI:
            pytest.fail("CI=true: " + message)
        pytest.skip(message)


@dataclass(frozen=True)
class Printed:
    """A card as issued: its PDF, the links it carries, and what verifies them."""

    pdf: bytes
    old_pdf: bytes  # the same card with the whole vc+jwt in its code, as before
    qr_url: str
    verify_url: str
    keys: KeySet
    status: StatusLists


def printed(case: str) -> Printed:
    base, facts = CASES[case]
    key = SigningKey.generate(full_kid(did_web(base), "2027-01"))
    issuer = Issuer(base, key)
    slot = slot_of(400_000)
    claims = cup_credential(
        issuer=issuer.did, credential_id="urn:uuid:3f2a6c1e-8d4b-4a7e-9c55-0b1d2e3f4a5b",
        facts=facts, status=[status_entry(issuer.status_list_url(p, slot.number),
                                          slot.position, p) for p in PURPOSES])
    verify_url = issuer.verify_url(key.sign(claims, MEDIA_TYPE))
    qr_url = issuer.compact_url(compact_credential(key, claims, base_url=base))
    lists = {issuer.status_list_url(p, slot.number): key.sign(status_list_credential(
        issuer=issuer.did, list_url=issuer.status_list_url(p, slot.number), purpose=p,
        encoded=encode_list(bytes(MIN_ENTRIES // 8)), valid_from=NOW - timedelta(hours=1),
        valid_until=NOW + timedelta(hours=1)), MEDIA_TYPE) for p in PURPOSES}
    keys = KeySet.of(key.public_jwk())
    card = dict(facts=facts, verify_url=verify_url, issuer_name=issuer.name,
                issuer_id=issuer.did, kid=key.kid,
                credential_id="urn:uuid:3f2a6c1e-8d4b-4a7e-9c55-0b1d2e3f4a5b",
                status_text="Vigente")
    return Printed(card_pdf(Card(**card, qr_url=qr_url), "es"),  # type: ignore[arg-type]
                   card_pdf(Card(**card), "es"),  # type: ignore[arg-type]
                   qr_url, verify_url, keys, StatusLists(keys, lists.__getitem__))


def photographed(pdf: bytes, *, dpi: int = DPI, blur: float = BLUR_PX,
                 noise: float = NOISE) -> Image.Image:
    """The card rendered at `dpi`, blurred, and with Gaussian noise (a fixed seed)."""
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=dpi / 72).to_pil().convert("L").filter(
        ImageFilter.GaussianBlur(blur))
    rng = random.Random(SEED)
    noisy = bytes(min(255, max(0, round(v + rng.gauss(0, noise)))) for v in image.tobytes())
    return Image.frombytes("L", image.size, noisy)


def scan(image: Image.Image, tmp_path: Path) -> str:
    """What zbar reads in the image: the QR code's text, or "" when it reads nothing."""
    assert ZBAR is not None
    path = tmp_path / "card.png"
    image.save(path)
    done = subprocess.run([ZBAR, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                           str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 4), done.stderr  # 4: no symbol found
    return done.stdout.strip()


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_card_scans_blurred_and_noisy_at_150_dpi_and_verifies(case: str,
                                                                  tmp_path: Path) -> None:
    require_scanner()
    card = printed(case)
    read = scan(photographed(card.pdf), tmp_path)
    assert read == card.qr_url
    check = verify_credential(read, card.keys, card.status, now=NOW)
    assert check.verdict is Verdict.VALID, check
    assert check.facts is not None and check.facts.name == CASES[case][1].name
    # offline, from the code alone: authentic, status unknown
    offline = verify_credential(read, card.keys, None, now=NOW)
    assert offline.verdict is Verdict.STATUS_UNKNOWN and offline.facts == check.facts


@pytest.mark.parametrize("case", sorted(CASES))
def test_control_the_old_code_does_not_scan_under_the_same_degradation(
        case: str, tmp_path: Path) -> None:
    require_scanner()
    card = printed(case)
    assert qr_code(card.verify_url).version >= 30
    assert scan(photographed(card.old_pdf), tmp_path) == ""
    # ... and the new one does not scan either from a rendering too coarse for its modules.
    assert scan(photographed(card.pdf, dpi=60), tmp_path) == ""


def _boxes_mm(pdf: bytes) -> list[tuple[int, float, float, float, float]]:
    """Every page object's type and bounds in mm from the top left: (type, x0, y0, x1, y1)."""
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf)[0]
    height = page.get_height()
    boxes = []
    for item in page.get_objects():
        left, bottom, right, top = item.get_bounds()
        boxes.append((item.type, left * MM_PER_POINT, (height - top) * MM_PER_POINT,
                      right * MM_PER_POINT, (height - bottom) * MM_PER_POINT))
    return boxes


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_printed_modules_are_at_least_a_third_of_a_millimetre(case: str) -> None:
    require_scanner()
    card = printed(case)
    code = qr_code(card.qr_url)
    assert code.version <= 13 and code.error in ("M", "Q", "H"), code.designator
    modules = code.symbol_size(border=0)[0]
    boxes = _boxes_mm(card.pdf)
    # The QR code is the one square path drawn on the card.
    squares = [b for b in boxes if b[0] == 2 and abs((b[3] - b[1]) - (b[4] - b[2])) < 0.01
               and b[3] - b[1] > 10]
    assert len(squares) == 1, boxes
    _, x0, y0, x1, y1 = squares[0]
    module = (x1 - x0 + 2 * QR_QUIET_MODULES * (x1 - x0) / modules) / (
        modules + 2 * QR_QUIET_MODULES)
    assert module >= MIN_MODULE_MM, f"{module:.3f} mm a module ({code.designator})"
    # The quiet zone: four modules on every side, on the card and free of anything drawn.
    quiet = QR_QUIET_MODULES * module - 0.01
    zone = (x0 - quiet, y0 - quiet, x1 + quiet, y1 + quiet)
    assert zone[0] >= 0 and zone[1] >= 0 and zone[2] <= CARD_W and zone[3] <= CARD_H
    for kind, a0, b0, a1, b1 in boxes:
        if (a0, b0, a1, b1) == (x0, y0, x1, y1) or (a0 <= 0.5 and a1 >= CARD_W - 0.5):
            continue  # the code itself; the band and the cutting guide span the card
        overlaps = a0 < zone[2] and zone[0] < a1 and b0 < zone[3] and zone[1] < b1
        assert not overlaps, f"object {kind} at {(a0, b0, a1, b1)} is in the quiet zone"
