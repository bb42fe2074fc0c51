"""Complaint files read through their mappings: the Chicago samples, and every kind of fault."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from confianza.core.errors import ValidationFailed
from confianza.integrity.rules.complaints import read_accused, read_complaints
from confianza.integrity.rules.complaints_mapping import (
    ALLEGATIONS,
    FINDINGS,
    ComplaintMapping,
    parse_complaint_mapping,
)
from confianza.registry.rules.roster_file import decode_roster

DATA = Path(__file__).parents[2] / "data" / "chicago"


def _shipped(name: str) -> ComplaintMapping:
    text = resources.files("confianza.integrity.mappings").joinpath(f"{name}.toml").read_text(
        "utf-8")
    return parse_complaint_mapping(text, f"{name}.toml")


COMPLAINTS = _shipped("chicago-complaints")
ACCUSED = _shipped("chicago-accused")


def _file(name: str, text: str) -> object:
    return decode_roster(name, text.encode(), "utf-8")


def test_the_chicago_samples_read_whole() -> None:
    complaints = read_complaints(decode_roster(
        "complaints-sample.csv", (DATA / "complaints-sample.csv").read_bytes(), "utf-8"),
        COMPLAINTS)
    accused = read_accused(decode_roster(
        "accused-sample.csv", (DATA / "accused-sample.csv").read_bytes(), "utf-8"), ACCUSED)
    assert len(complaints.records) == 36 and len(accused.records) == 280
    assert not complaints.left_out and not accused.left_out
    by_key = {c.key: c for c in complaints.records}
    assert {by_key["259442"].channel, by_key["259462"].channel} == {"departmental"}
    assert sum(c.civilian for c in complaints.records) == 34
    assert {a.allegation for a in accused.records} <= set(ALLEGATIONS)
    assert {a.finding for a in accused.records} <= set(FINDINGS)
    assert {a.complaint for a in accused.records} == set(by_key)
    alequin = next(a for a in accused.records if a.identity.first_surname == "ALEQUIN")
    assert alequin.identity.given_names == "CURTIS E"
    assert alequin.identity.appointed_date == date(2017, 5, 16)
    assert alequin.identity.birth_year == 1994 and alequin.identity.sex == "H"
    assert alequin.identity.star is None or alequin.identity.star.isdigit()


def test_findings_are_read_without_regard_to_case_and_blank_is_no_finding() -> None:
    header = "row_id,cr_id,first_name,middle_initial,last_name,suffix_name,star,birth_year," \
             "appointed_date,race,gender,allegation_category,final_finding,final_penalty," \
             "complaint_status\n"
    rows = ("1,10,ANA,,RUIZ,,1234.0,1980.0,2005-01-02,,FEMALE,Excessive Force,Sustained,"
            "100 - REPRIMAND,Case Final\n"
            "2,10,LUIS,,DIAZ,,,,,,MALE,,,,\n")
    read = read_accused(_file("a.csv", header + rows), ACCUSED)  # type: ignore[arg-type]
    first, second = read.records
    assert (first.finding, first.finding_text, first.allegation) == (
        "sustained", "Sustained", "use_of_force")
    assert first.identity.star == "1234" and first.discipline == "100 - REPRIMAND"
    assert (second.finding, second.allegation, second.allegation_text) == (
        "no_finding", "other", None)


HEADER = ("row_id,cr_id,first_name,middle_initial,last_name,suffix_name,star,birth_year,"
          "appointed_date,race,gender,allegation_category,final_finding,final_penalty,"
          "complaint_status\n")


def test_unknown_values_refuse_the_whole_file_naming_each() -> None:
    rows = ("1,10,ANA,,RUIZ,,,1980,2005-01-02,,FEMALE,Excessive Force,SUSTAINED,,\n"
            "2,10,LUIS,,DIAZ,,,1981,2005-01-02,,MALE,Bribery Of Official,SUSTAINED,,\n"
            "3,11,EVA,,LUNA,,,1982,2005-13-02,,FEMALE,Excessive Force,Half Sustained,,\n")
    with pytest.raises(ValidationFailed) as caught:
        read_accused(_file("a.csv", HEADER + rows), ACCUSED)  # type: ignore[arg-type]
    where = {(e.location, e.reason) for e in caught.value.errors}
    assert ("a.csv:3:allegation_category",
            "'Bribery Of Official' is not a value the mapping knows for allegation") in where
    assert ("a.csv:4:final_finding",
            "'Half Sustained' is not a value the mapping knows for finding") in where
    assert ("a.csv:4:appointed_date", "'2005-13-02' is not a date (%Y-%m-%d)") in where
    assert len(caught.value.errors) == 3


def test_asked_to_skip_the_good_rows_are_kept_and_the_rest_named() -> None:
    rows = ("1,10,ANA,,RUIZ,,,1980,2005-01-02,,FEMALE,Excessive Force,SUSTAINED,,\n"
            "2,10,LUIS,,DIAZ,,,1981,2005-01-02,,MALE,Bribery Of Official,SUSTAINED,,\n")
    read = read_accused(_file("a.csv", HEADER + rows), ACCUSED,  # type: ignore[arg-type]
                        skip_invalid=True)
    assert [a.key for a in read.records] == ["1"]
    assert read.left_out_rows == 1 and read.left_out[0].location == "a.csv:3:allegation_category"


def test_a_mapping_can_say_to_skip_unknown_values() -> None:
    text = resources.files("confianza.integrity.mappings").joinpath(
        "chicago-accused.toml").read_text("utf-8") + "\n[unknown]\nskip = true\n"
    mapping = parse_complaint_mapping(text, "lenient.toml")
    rows = "2,10,LUIS,,DIAZ,,,1981,2005-01-02,,MALE,Bribery Of Official,SUSTAINED,,\n" \
           "3,10,ANA,,RUIZ,,,1980,2005-01-02,,FEMALE,Excessive Force,SUSTAINED,,\n"
    read = read_accused(_file("a.csv", HEADER + rows), mapping)  # type: ignore[arg-type]
    assert [a.key for a in read.records] == ["3"] and read.left_out_rows == 1


def test_a_repeated_key_and_a_missing_column_are_faults() -> None:
    rows = ("1,10,ANA,,RUIZ,,,1980,2005-01-02,,FEMALE,Excessive Force,SUSTAINED,,\n"
            "1,11,LUIS,,DIAZ,,,1981,2005-01-02,,MALE,Excessive Force,SUSTAINED,,\n")
    with pytest.raises(ValidationFailed) as caught:
        read_accused(_file("a.csv", HEADER + rows), ACCUSED)  # type: ignore[arg-type]
    assert [(e.location, e.reason) for e in caught.value.errors] == [
        ("a.csv:3:row_id", "key '1' repeats line 2")]
    with pytest.raises(ValidationFailed) as caught:
        read_accused(_file("a.csv", HEADER.replace("final_finding", "finding") + rows),
                     ACCUSED)  # type: ignore[arg-type]
    assert caught.value.errors[0].location == "a.csv:1:final_finding"


def test_a_complaints_mapping_does_not_read_an_accused_file() -> None:
    with pytest.raises(ValidationFailed, match="not of a accused file|not of an? accused"):
        read_accused(_file("a.csv", HEADER), COMPLAINTS)  # type: ignore[arg-type]


def test_mapping_faults_name_file_line_and_key_all_at_once() -> None:
    text = ('[file]\nkind = "accused"\n\n[fields]\nkey = "row_id"\ncomplaint = "cr_id"\n'
            'given_names = "first"\nfirst_surname = "last"\nalegation = "cat"\n'
            'finding = { column = "f", values = { S = "sustaned" } }\n'
            '[unknwn]\nskip = true\n')
    with pytest.raises(ValidationFailed) as caught:
        parse_complaint_mapping(text, "m.toml")
    found = {e.location: e.reason for e in caught.value.errors}
    assert "did you mean 'unknown'" in found["m.toml:11:unknwn"]
    assert "did you mean 'allegation'" in found["m.toml:9:fields.alegation"]
    assert found["m.toml:10:fields.finding.values.S"].startswith("'sustaned' is not one of")
    assert found["m.toml:4:fields"] == "must map allegation"


def test_a_closed_field_needs_its_values() -> None:
    text = ('[file]\nkind = "complaints"\n[fields]\nkey = "id"\nchannel = "who"\n')
    with pytest.raises(ValidationFailed) as caught:
        parse_complaint_mapping(text, "m.toml")
    assert caught.value.errors[0].location == "m.toml:5:fields.channel"


def test_a_wrong_kind_and_bad_toml_are_named() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_complaint_mapping('[file]\nkind = "roster"\n', "m.toml")
    assert caught.value.errors[0].location == "m.toml:2:file.kind"
    with pytest.raises(ValidationFailed) as caught:
        parse_complaint_mapping('[file\n', "m.toml")
    assert caught.value.errors[0].location.startswith("m.toml:1:")
