"""Another authority's sanctions list: the mapping's closed format, rows read whole or refused,
and the matcher that never links on a name alone (ADR 0036)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from importlib import resources

import pytest

from confianza.core.errors import ValidationFailed
from confianza.identities.rules.people import Person, person
from confianza.integrity.rules.outside_sanctions import (
    LinkedBy,
    OutsideSanction,
    OutsideStatus,
    read_sanctions,
)
from confianza.integrity.rules.outside_sanctions_mapping import parse_sanction_mapping
from confianza.integrity.rules.outside_sanctions_match import Matcher
from confianza.registry.rules.roster_file import decode_roster

TODAY = date(2026, 11, 20)
MAPPING = """
[list]
authority = "Contraloría"
[fields]
full_name = "nombre"
birth_date = "nacimiento"
employer = "dependencia"
start_date = "inicio"
kind = { column = "tipo", values = { "DESTITUCIÓN" = "dismissal" } }
"""


def test_the_shipped_mapping_reads() -> None:
    text = resources.files("confianza.integrity.mappings").joinpath(
        "estatal-sancionados.toml").read_text("utf-8")
    mapping = parse_sanction_mapping(text, "estatal-sancionados.toml")
    assert mapping.fields["kind"].values is not None
    assert mapping.employers == {"SSP JALISCO": "JAL-SSP"}


def test_mapping_typos_are_named_with_their_line() -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_sanction_mapping(MAPPING.replace('"dismissal"', '"dismisal"')
                               .replace("[list]", "[lista]"), "m.toml")
    found = {e.location: e.reason for e in refused.value.errors}
    assert "unknown section 'lista'" in found["m.toml:2:lista"]
    assert "did you mean 'dismissal'?" in found["m.toml:9:fields.kind.values.DESTITUCIÓN"]


def _read(body: str) -> tuple[OutsideSanction, ...]:
    text = "nombre,nacimiento,dependencia,inicio,tipo\n" + body
    return read_sanctions(decode_roster("l.csv", text.encode(), "utf-8"),
                          parse_sanction_mapping(MAPPING, "m.toml"), today=TODAY)


def test_every_bad_row_is_named_and_nothing_is_read() -> None:
    with pytest.raises(ValidationFailed) as refused:
        _read("ANA ROBLES,1990-03-12,GN,2021-06-15,DEGRADACIÓN\n"
              ",1990-03-12,GN,2030-01-01,DESTITUCIÓN\n"
              "ANA ROBLES,1990-03-12,GN,2021-06-15,DESTITUCIÓN\n"
              "ANA ROBLES,1990-03-12,GN,2021-06-15,DESTITUCIÓN\n")
    where = {e.location for e in refused.value.errors}
    assert where == {"l.csv:2:tipo", "l.csv:3:nombre", "l.csv:3:inicio", "l.csv:5:nombre"}


def _officer(oid: int, given: str, first: str, second: str | None, born: date | None,
             curp: str | None = None, agencies: tuple[str, ...] = ()) -> Person:
    return person(f"o:{oid}", given, first, second, born, None, None, curp, agencies)


ROW = OutsideSanction(line=2, digest="d", authority="X", kind="dismissal",
                      name="HERNANDEZ ORTIZ JOSE LUIS",
                      name_words=("HERNANDEZ", "ORTIZ", "JOSE", "LUIS"),
                      start_date=date(2021, 1, 1), birth_date=date(1984, 5, 2),
                      birth_year=1984, agency_code="JAL-SSP")


def test_a_single_candidate_by_name_alone_waits_for_review() -> None:
    one = _officer(1, "José Luis", "Hernández", "Ortiz", None)
    found = Matcher([one]).match(replace(ROW, birth_date=None, birth_year=None,
                                         agency_code=None))
    assert found.status is OutsideStatus.REVIEW and found.officer_id is None
    assert found.reason == "only the name agrees"


def test_name_birth_and_employer_link_one_officer_only() -> None:
    one = _officer(1, "José Luis", "Hernández", "Ortiz", date(1984, 5, 2), agencies=("JAL-SSP",))
    linked = Matcher([one]).match(ROW)
    assert (linked.status, linked.officer_id, linked.linked_by) == (
        OutsideStatus.LINKED, 1, LinkedBy.FACTS)
    twin = _officer(2, "José Luis", "Hernández", "Ortiz", date(1984, 5, 2))
    assert Matcher([one, twin]).match(ROW).status is OutsideStatus.REVIEW
    # Without the employer agreeing, review.
    assert Matcher([replace(one, agencies=("GN",))]).match(
        ROW).status is OutsideStatus.REVIEW


def test_a_curp_links_only_with_its_name() -> None:
    curp = "HEOJ840502HJCRRS09"
    one = _officer(1, "José Luis", "Hernández", "Ortiz", date(1984, 5, 2), curp=curp)
    assert Matcher([one]).match(replace(ROW, curp=curp)).linked_by is LinkedBy.CURP
    other = _officer(1, "Pedro", "Gómez", None, date(1984, 5, 2), curp=curp)
    found = Matcher([other]).match(replace(ROW, curp=curp))
    assert found.status is OutsideStatus.REVIEW and found.candidates[0].officer_id == 1


def test_a_different_birth_date_is_nobody() -> None:
    one = _officer(1, "José Luis", "Hernández", "Ortiz", date(1979, 5, 2), agencies=("JAL-SSP",))
    assert Matcher([one]).match(ROW).status is OutsideStatus.UNMATCHED
