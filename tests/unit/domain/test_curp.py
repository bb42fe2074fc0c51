"""CURP validation, reading and building.

Known-good CURPs used here:

* ``HEGG560427MVZRRL04`` — the sample CURP widely reproduced in Mexican government forms and
  developer documentation (a woman born 27 April 1956 in Veracruz). Its check digit, worked
  by hand with RENAPO's algorithm (value of each character in 0-9 A-N Ñ O-Z, weights 18..2):
  H 17×18=306, E 14×17=238, G 16×16=256, G 16×15=240, 5×14=70, 6×13=78, 0×12=0, 4×11=44,
  2×10=20, 7×9=63, M 22×8=176, V 32×7=224, Z 36×6=216, R 28×5=140, R 28×4=112, L 21×3=63,
  0×2=0; sum 2246, (10 - 6) % 10 = 4.
* ``AAPR630321HDFLRC09`` — RENAPO's hypothetical "Alamán Pérez Ricardo, born in the Distrito
  Federal on 21 March 1963", whose first 17 characters (AAPR630321HDFLRC0) are spelled out in
  https://politica.expansion.mx/mexico/2026/01/30/curp-persona-fallecida-leyenda-debe-tener-documento
  (quoting RENAPO's explanation of how a CURP is made up); check digit 9 computed as above.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confianza.core.errors import USER_ERRORS
from confianza.kit.curp import (
    CURP_STATE_CODES,
    INCONVENIENT_WORDS,
    InvalidCurp,
    build_curp,
    curp_birth_date,
    curp_check_digit,
    curp_sex,
    is_valid_curp,
    validate_curp,
)
from confianza.registry.rules.geography import FOREIGN_BORN_CURP_CODE, STATES

SAMPLE = "HEGG560427MVZRRL04"
ALAMAN = "AAPR630321HDFLRC09"


# --- check digit --------------------------------------------------------------------------


def test_check_digit_of_known_curps() -> None:
    assert curp_check_digit(SAMPLE[:17]) == "4"
    assert curp_check_digit(ALAMAN[:17]) == "9"


def test_check_digit_counts_enye_between_n_and_o() -> None:
    # Ñ has value 24 in the alphabet, so swapping it for N (23) or O (25) moves the sum by the
    # weight of its position (here position 4, weight 15).
    base = "HEGN560427MVZRRL0"
    digits = [int(curp_check_digit(base[:3] + c + base[4:])) for c in "NÑO"]
    assert (digits[0] - digits[1]) % 10 == 15 % 10
    assert (digits[1] - digits[2]) % 10 == 15 % 10


def test_check_digit_rejects_wrong_length_and_foreign_characters() -> None:
    with pytest.raises(InvalidCurp, match="exactly 17 characters, got 16"):
        curp_check_digit(SAMPLE[:16])
    with pytest.raises(InvalidCurp, match="'-' cannot appear in a CURP"):
        curp_check_digit("HEGG-60427MVZRRL0")


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize("curp", [SAMPLE, ALAMAN])
def test_known_good_curps_validate(curp: str) -> None:
    assert validate_curp(curp) == curp
    assert is_valid_curp(curp)


def test_validation_strips_and_upper_cases() -> None:
    assert validate_curp(f"  {SAMPLE.lower()}\n") == SAMPLE


def _with_check_digit(first17: str) -> str:
    return first17 + curp_check_digit(first17)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "the CURP is empty"),
        ("   ", "the CURP is empty"),
        (SAMPLE[:17], "a CURP has 18 characters, this one has 17"),
        (SAMPLE + "0", "a CURP has 18 characters, this one has 19"),
        ("1EGG560427MVZRRL04", "character 1 must be a letter A-Z, got '1'"),
        ("HEG.560427MVZRRL04", "character 4 must be a letter A-Z, got '.'"),
        ("HÑGG560427MVZRRL04", "character 2 must be a letter A-Z, got 'Ñ'"),
        ("HBGG560427MVZRRL04", "character 2 must be a vowel or X, got 'B'"),
        ("HEGG56O427MVZRRL04", "characters 5-10 must be the birth date as YYMMDD, got '56O427'"),
        ("HEGG991332MVZRRL04", "birth date 991332 is not a real date"),
        ("HEGG560431MVZRRL04", "birth date 560431 is not a real date"),
        ("HEGG560427FVZRRL04", "character 11 (sex) must be H, M or X, got 'F'"),
        ("HEGG560427MZZRRL04", "unknown state code ZZ"),
        ("HEGG560427MDXRRL04", "unknown state code DX"),
        ("HEGG560427MVZARL04", "character 14 must be a consonant (or X), got 'A'"),
        ("HEGG560427MVZRR104", "character 16 must be a consonant (or X), got '1'"),
        (
            "HEGG560427MVZRRL-4",
            "character 17 (differentiator) must be a digit or a letter, got '-'",
        ),
        ("HEGG560427MVZRRL0A", "character 18 (check digit) must be a digit, got 'A'"),
        ("HEGG560427MVZRRL07", "check digit is 7, expected 4"),
        ("AAPR630321HDFLRC03", "check digit is 3, expected 9"),
    ],
)
def test_each_fault_has_its_message(value: str, message: str) -> None:
    with pytest.raises(InvalidCurp) as caught:
        validate_curp(value)
    assert str(caught.value) == message
    assert caught.value.detail == message
    assert not is_valid_curp(value)


def test_the_century_comes_from_the_differentiator() -> None:
    # 29 February 2000 existed, 29 February 1900 did not.
    leap_2000 = _with_check_digit("HEGG000229MVZRRLA")
    assert curp_birth_date(leap_2000) == date(2000, 2, 29)
    with pytest.raises(InvalidCurp) as caught:
        validate_curp(_with_check_digit("HEGG000229MVZRRL0"))
    assert str(caught.value) == (
        "birth date 000229 is not a real date in 1900-1999 "
        "(a digit differentiator places the birth there)"
    )
    # 29 February 1996 existed, 2096 will too; 1997/2097 never.
    assert curp_birth_date(_with_check_digit("HEGG960229MVZRRL0")) == date(1996, 2, 29)
    assert curp_birth_date(_with_check_digit("HEGG960229MVZRRLB")) == date(2096, 2, 29)


def test_foreign_born_and_non_binary_are_accepted() -> None:
    curp = _with_check_digit("HEGG560427XNERRL0")
    assert validate_curp(curp) == curp
    assert curp_sex(curp) == "X"


def test_invalid_curp_is_a_value_error_the_edges_show() -> None:
    with pytest.raises(ValueError):
        validate_curp("nope")
    error = InvalidCurp("x")
    assert isinstance(error, USER_ERRORS)
    assert error.status == 422


def test_the_curp_state_codes_are_the_geographys() -> None:
    """The kit keeps RENAPO's codes itself (it imports no product); the registry's states agree."""
    assert {s.curp_code for s in STATES} | {FOREIGN_BORN_CURP_CODE} == CURP_STATE_CODES
    assert len(CURP_STATE_CODES) == 33


def test_messages_never_echo_the_whole_curp() -> None:
    with pytest.raises(InvalidCurp) as caught:
        validate_curp("HEGG560427MVZRRL07")
    assert "HEGG560427" not in str(caught.value)


def test_non_text_is_refused() -> None:
    with pytest.raises(InvalidCurp, match="must be text, got int"):
        validate_curp(12345)  # type: ignore[arg-type]


# --- reading ------------------------------------------------------------------------------


def test_birth_date_and_sex_of_known_curps() -> None:
    assert curp_birth_date(SAMPLE) == date(1956, 4, 27)
    assert curp_sex(SAMPLE) == "M"
    assert curp_birth_date(ALAMAN) == date(1963, 3, 21)
    assert curp_sex(ALAMAN) == "H"


def test_reading_an_invalid_curp_raises() -> None:
    with pytest.raises(InvalidCurp):
        curp_birth_date("HEGG560427MVZRRL07")
    with pytest.raises(InvalidCurp):
        curp_sex("HEGG560427MVZRRL07")


# --- building -----------------------------------------------------------------------------


def test_build_reproduces_the_known_curps() -> None:
    assert build_curp("Hernández", "García", "Gloria", date(1956, 4, 27), "M", "VZ") == SAMPLE
    assert build_curp("Alamán", "Pérez", "Ricardo", date(1963, 3, 21), "H", "DF") == ALAMAN


@pytest.mark.parametrize(
    ("first", "second", "given", "expected_prefix"),
    [
        # José and María are passed over when another given name follows...
        ("Pérez", "López", "José Luis", "PELL"),
        ("Pérez", "López", "María Fernanda", "PELF"),
        ("Pérez", "López", "Ma. Fernanda", "PELF"),
        ("Pérez", "López", "J. Refugio", "PELR"),
        ("Pérez", "López", "María de los Ángeles", "PELA"),
        # ... but not when they are the only one.
        ("Pérez", "López", "José", "PELJ"),
        ("Pérez", "López", "María", "PELM"),
        # No second surname: X.
        ("Pérez", None, "Luis", "PEXL"),
        ("Pérez", "", "Luis", "PEXL"),
        # Particles of compound surnames are skipped.
        ("de la Cruz", "del Valle", "Ana", "CUVA"),
        ("Mc Gregor", "Van Dyke", "Ana", "GEDA"),
        # Ñ becomes X; accents and diaeresis disappear.
        ("Ñáñez", "Ñuño", "Ñoño", "XAXX"),
        ("Agüero", "Íñiguez", "Úrsula", "AUIU"),
        # No internal vowel: X.
        ("Lj", "Smith", "Tom", "LXST"),
    ],
)
def test_build_letter_rules(
    first: str, second: str | None, given: str, expected_prefix: str
) -> None:
    curp = build_curp(first, second, given, date(1980, 1, 2), "H", "JC")
    assert curp[:4] == expected_prefix
    assert validate_curp(curp) == curp


def test_build_internal_consonants() -> None:
    # Hernández → R, García → R, Gloria → L (already in the sample); Ñ inside becomes X.
    curp = build_curp("Muñoz", "Peña", "Iñaki", date(1990, 6, 15), "H", "DF")
    assert curp[:4] == "MUPI"
    assert curp[13:16] == "XXX"
    # No second surname and a one-letter given name: X for each missing consonant.
    curp = build_curp("Soto", None, "O", date(1990, 6, 15), "M", "DF")
    assert curp[13:16] == "TXX"


@pytest.mark.parametrize(
    ("first", "second", "given", "expected"),
    [
        ("Buendía", "Espinosa", "Ignacio", "BXEI"),  # BUEI
        ("Cortés", "López", "Ana", "CXLA"),  # COLA
        ("Mula", "Lara", "Omar", "MXLO"),  # MULO
        ("Peña", "Nájera", "Ernesto", "PXNE"),  # PENE
        ("Vaca", "Cárdenas", "Alberto", "VXCA"),  # VACA
    ],
)
def test_build_replaces_inconvenient_words(
    first: str, second: str, given: str, expected: str
) -> None:
    curp = build_curp(first, second, given, date(1975, 8, 9), "H", "PL")
    assert curp[:4] == expected
    assert validate_curp(curp) == curp


def test_inconvenient_word_list_is_the_official_size_and_shape() -> None:
    assert len(INCONVENIENT_WORDS) == 81
    assert all(len(w) == 4 and w.isalpha() and w.isupper() for w in INCONVENIENT_WORDS)
    assert {"BUEY", "CACA", "PUTO", "WUEY"} <= INCONVENIENT_WORDS


def test_build_differentiator_defaults_and_checks() -> None:
    assert build_curp("Soto", "Ruiz", "Eva", date(1999, 12, 31), "M", "DF")[16] == "0"
    assert build_curp("Soto", "Ruiz", "Eva", date(2000, 1, 1), "M", "DF")[16] == "A"
    assert build_curp("Soto", "Ruiz", "Eva", date(1999, 12, 31), "M", "DF", "7")[16] == "7"
    assert build_curp("Soto", "Ruiz", "Eva", date(2000, 1, 1), "M", "DF", "C")[16] == "C"
    with pytest.raises(ValueError, match="before 2000 take a digit"):
        build_curp("Soto", "Ruiz", "Eva", date(1999, 12, 31), "M", "DF", "A")
    with pytest.raises(ValueError, match="from 2000 take a letter"):
        build_curp("Soto", "Ruiz", "Eva", date(2000, 1, 1), "M", "DF", "1")


def test_build_refuses_what_cannot_make_a_curp() -> None:
    d = date(1980, 1, 1)
    with pytest.raises(ValueError, match="first surname has no letters"):
        build_curp(" - ", "Ruiz", "Eva", d, "M", "DF")
    with pytest.raises(ValueError, match="given names have no letters"):
        build_curp("Soto", "Ruiz", "", d, "M", "DF")
    with pytest.raises(ValueError, match="sex must be H, M or X"):
        build_curp("Soto", "Ruiz", "Eva", d, "F", "DF")
    with pytest.raises(ValueError, match="unknown CURP state code 'XX'"):
        build_curp("Soto", "Ruiz", "Eva", d, "M", "XX")
    with pytest.raises(ValueError, match="from 1900 to 2099, not 1899"):
        build_curp("Soto", "Ruiz", "Eva", date(1899, 12, 31), "M", "DF")


def test_build_accepts_lower_case_codes_and_the_foreign_born() -> None:
    curp = build_curp("Smith", None, "John", date(1970, 7, 4), "h", "ne")
    assert curp[10:13] == "HNE"
    assert validate_curp(curp) == curp


# --- property: whatever build_curp makes validates and round-trips --------------------------

_name_letters = st.sampled_from(
    list("ABCDEFGHIJKLMNOPQRSTUVWXYZÑÁÉÍÓÚÜabcdefghijklmnñopqrstuvwxyzáéíóú")
)
_word = st.lists(_name_letters, min_size=1, max_size=12).map("".join)
_particle = st.sampled_from(["de", "del", "la", "las", "los", "y", "Mc", "van", "von", "DE LA"])
_name = (
    st.lists(st.one_of(_word, _particle), min_size=1, max_size=4)
    .map(" ".join)
    .filter(lambda s: any(ch.isalpha() for ch in s))
)
_given = st.one_of(
    _name,
    st.builds(
        lambda common, rest: f"{common} {rest}", st.sampled_from(["José", "María", "Ma."]), _name
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    first=_name,
    second=st.one_of(st.none(), _name),
    given_names=_given,
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    sex=st.sampled_from("HMX"),
    state=st.sampled_from(sorted(CURP_STATE_CODES)),
    use_differentiator=st.booleans(),
    digit=st.sampled_from("0123456789"),
    letter=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
)
def test_built_curps_always_validate_and_round_trip(
    first: str,
    second: str | None,
    given_names: str,
    birth: date,
    sex: str,
    state: str,
    use_differentiator: bool,
    digit: str,
    letter: str,
) -> None:
    differentiator = (digit if birth.year < 2000 else letter) if use_differentiator else None
    curp = build_curp(first, second, given_names, birth, sex, state, differentiator)
    assert validate_curp(curp) == curp
    assert curp_birth_date(curp) == birth
    assert curp_sex(curp) == sex
    assert curp[11:13] == state
    assert curp[:4] not in INCONVENIENT_WORDS
