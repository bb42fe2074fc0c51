"""The state and municipality catalogues (see src/confianza/registry/rules/data/SOURCES.md)."""

from __future__ import annotations

from collections import Counter

import pytest

from confianza.registry.rules.geography import (
    FOREIGN_BORN_CURP_CODE,
    STATES,
    Municipality,
    find_municipality,
    find_state,
    find_state_by_curp_code,
    municipalities,
    municipalities_of,
)

# INEGI Marco Geoestadístico 2022: 2,459 municipios + 16 alcaldías of Ciudad de México.
EXPECTED_TOTAL = 2475
EXPECTED_PER_STATE = {
    "01": 11, "02": 7, "03": 5, "04": 13, "05": 38, "06": 10, "07": 124, "08": 67,
    "09": 16, "10": 39, "11": 46, "12": 85, "13": 84, "14": 125, "15": 125, "16": 113,
    "17": 36, "18": 20, "19": 51, "20": 570, "21": 217, "22": 18, "23": 11, "24": 58,
    "25": 18, "26": 72, "27": 17, "28": 43, "29": 60, "30": 212, "31": 106, "32": 58,
}  # fmt: skip


def test_there_are_32_states_in_inegi_order() -> None:
    assert len(STATES) == 32
    assert [s.code for s in STATES] == [f"{i:02d}" for i in range(1, 33)]


def test_state_names_curp_codes_and_abbreviations_are_unique() -> None:
    assert len({s.name for s in STATES}) == 32
    assert len({s.curp_code for s in STATES}) == 32
    assert len({s.abbreviation for s in STATES}) == 32
    assert FOREIGN_BORN_CURP_CODE not in {s.curp_code for s in STATES}


def test_curp_codes_are_the_renapo_list() -> None:
    renapo = {
        "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC",
        "MN", "MS", "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ",
        "YN", "ZS",
    }  # fmt: skip
    assert {s.curp_code for s in STATES} == renapo


@pytest.mark.parametrize(
    ("code", "name", "curp_code"),
    [
        ("01", "Aguascalientes", "AS"),
        ("05", "Coahuila de Zaragoza", "CL"),
        ("06", "Colima", "CM"),
        ("07", "Chiapas", "CS"),
        ("08", "Chihuahua", "CH"),
        ("09", "Ciudad de México", "DF"),
        ("14", "Jalisco", "JC"),
        ("15", "México", "MC"),
        ("16", "Michoacán de Ocampo", "MN"),
        ("24", "San Luis Potosí", "SP"),
        ("25", "Sinaloa", "SL"),
        ("26", "Sonora", "SR"),
        ("32", "Zacatecas", "ZS"),
    ],
)
def test_curp_codes_are_mapped_by_state_not_by_position(
    code: str, name: str, curp_code: str
) -> None:
    state = find_state(code)
    assert state is not None
    assert (state.name, state.curp_code) == (name, curp_code)
    assert find_state_by_curp_code(curp_code) == state


def test_find_state_accepts_loose_input_and_returns_none_when_unknown() -> None:
    assert find_state("9") == find_state(" 09 ") == STATES[8]
    assert find_state("33") is None
    assert find_state("") is None
    assert find_state_by_curp_code("jc") == STATES[13]
    assert find_state_by_curp_code("NE") is None


def test_municipality_count_matches_the_source() -> None:
    assert len(municipalities()) == EXPECTED_TOTAL
    assert Counter(m.state_code for m in municipalities()) == EXPECTED_PER_STATE


def test_municipalities_are_loaded_once_and_sorted_by_unique_key() -> None:
    assert municipalities() is municipalities()
    keys = [m.key for m in municipalities()]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_every_municipality_is_well_formed_and_its_state_exists() -> None:
    for m in municipalities():
        assert find_state(m.state_code) is not None, m
        assert len(m.code) == 3 and m.code.isdigit(), m
        assert m.code != "000", m
        assert m.name and m.name == m.name.strip(), m
        assert m.population >= 0, m


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("01001", "Aguascalientes"),
        ("02004", "Tijuana"),
        ("08037", "Juárez"),
        ("09007", "Iztapalapa"),
        ("14039", "Guadalajara"),
        ("14120", "Zapopan"),
        ("15106", "Toluca"),
        ("19039", "Monterrey"),
        ("20067", "Oaxaca de Juárez"),
        ("21114", "Puebla"),
        ("23005", "Benito Juárez"),
        ("30193", "Veracruz"),
        ("31050", "Mérida"),
        ("32056", "Zacatecas"),
    ],
)
def test_known_municipalities(key: str, name: str) -> None:
    m = find_municipality(key)
    assert m is not None
    assert m.name == name
    assert m.key == key
    assert (m.state_code, m.code) == (key[:2], key[2:])


def test_mexico_city_has_its_16_alcaldias() -> None:
    alcaldias = municipalities_of("09")
    assert [m.code for m in alcaldias] == [f"{i:03d}" for i in range(2, 18)]
    assert {m.name for m in alcaldias} == {
        "Azcapotzalco", "Coyoacán", "Cuajimalpa de Morelos", "Gustavo A. Madero", "Iztacalco",
        "Iztapalapa", "La Magdalena Contreras", "Milpa Alta", "Álvaro Obregón", "Tláhuac",
        "Tlalpan", "Xochimilco", "Benito Juárez", "Cuauhtémoc", "Miguel Hidalgo",
        "Venustiano Carranza",
    }  # fmt: skip


def test_municipalities_of_unknown_state_is_empty() -> None:
    assert municipalities_of("99") == ()
    assert find_municipality("99001") is None


def test_municipality_is_frozen() -> None:
    m = Municipality("14", "039", "Guadalajara")
    assert m.key == "14039"
    assert m.population == 0
    with pytest.raises(AttributeError):
        m.name = "Zapopan"  # type: ignore[misc]
