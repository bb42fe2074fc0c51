"""The mapping format's checks, placeholder dates, skip rules, agencies by name, the rejects
file and the summary by reason (pure: no database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from confianza.core.errors import FieldError, ValidationFailed
from confianza.registry.cli.files import load_mapping
from confianza.registry.rules.import_mapping import (
    derived_code,
    fold_name,
    parse_agency_file,
    parse_mapping,
)
from confianza.registry.rules.import_rows import RowConverter
from confianza.registry.rules.roster_file import decode_roster, reason_counts, rejected_lines
from confianza.registry.rules.toml_lines import KeyLines, dotted

TODAY = date(2026, 11, 20)
EVERGREEN = Path(__file__).parents[2] / "data" / "evergreen"
BASE = """[identity]
scheme = "x-roster"
column = "id"

[fields]
given_names = "first"
first_surname = "last"
rank = "title"
start_date = { column = "start", format = "%m/%d/%Y" }
end_date = { column = "end", format = "%m/%d/%Y" }
birth_year = "born"

[agency]
code = "X-PD"
"""
HEADER = ["id", "first", "last", "title", "start", "end", "born", "kind"]


def _errors(text: str, source: str = "m.toml") -> list[FieldError]:
    with pytest.raises(ValidationFailed) as caught:
        parse_mapping(text, source)
    return caught.value.errors


@pytest.mark.parametrize(
    ("extra", "location", "hint"),
    [
        ('[unti]\ncreate_units = true\n', "m.toml:16:unti", "did you mean 'unit'?"),
        ('[csv]\ndelimter = ";"\n', "m.toml:17:csv.delimter", "did you mean 'delimiter'?"),
        ('[badges]\ncolumns = ["b"]\ninteger = true\nintger = true\n', "m.toml:19:badges.intger",
         "did you mean 'integer'?"),
        ('[[skip]]\ncolumn = "kind"\nvalue = ["X"]\n', "m.toml:18:skip[0].value",
         "did you mean 'values'?"),
        ('[[setup.agencies]]\ncode = "X-PD"\nname = "X"\nlevle = "foreign"\n',
         "m.toml:19:setup.agencies[0].levle", "did you mean 'level'?"),
    ],
)
def test_a_misspelt_section_or_key_is_named_with_its_line(extra: str, location: str,
                                                            hint: str) -> None:
    errors = _errors(BASE + "\n" + extra)
    assert [e.location for e in errors] == [location]
    assert hint in errors[0].reason


def test_keys_of_inline_tables_and_fields_are_placed_on_their_line() -> None:
    text = BASE.replace('rank = "title"', 'rank = { column = "title", valeus = { A = "B" } }')
    text = text.replace('birth_year = "born"', 'birth_yaer = "born"')
    found = {e.location: e.reason for e in _errors(text)}
    assert "did you mean 'values'?" in found["m.toml:8:fields.rank.valeus"]
    assert "did you mean 'birth_year'?" in found["m.toml:11:fields.birth_yaer"]


def test_every_unknown_key_is_reported_at_once() -> None:
    errors = _errors(BASE + '\n[csv]\nencodng = "utf-8"\ndelimitr = ","\n[datse]\n')
    assert [e.location for e in errors] == ["m.toml:19:datse", "m.toml:17:csv.encodng",
                                            "m.toml:18:csv.delimitr"]


def test_the_key_locator_reads_headers_arrays_and_inline_tables() -> None:
    lines = KeyLines('a = 1\n[b.c]\nd = { e = "x", f = { g = "#" } } # h = 2\n[[i]]\n[[i]]\n'
                     'j = 1\n"k.l" = 2\n')
    assert lines.line_of(("a",)) == 1
    assert lines.line_of(("b", "c", "d", "f", "g")) == 3
    assert lines.line_of(("b", "c", "d", "h")) == 3  # not a key (a comment): its parent's line
    assert lines.line_of(("i", 1, "j")) == 6
    assert lines.line_of(("i", 0)) == 4
    assert lines.line_of(("i", 1, "k.l")) == 7
    assert lines.line_of(("zzz",)) is None
    assert dotted(("setup", "agencies", 2, "level")) == "setup.agencies[2].level"


def test_the_shipped_and_test_mappings_use_only_known_keys() -> None:
    assert load_mapping("chicago-roster").placeholder_dates == frozenset()
    evergreen = load_mapping(EVERGREEN / "evergreen-history.toml")
    assert evergreen.placeholder_dates == {date(1901, 1, 1), date(1900, 1, 1)}
    assert [s.reason for s in evergreen.skips] == ["civilian staff", "private security"]
    assert evergreen.agency_match is not None
    assert evergreen.agency_match.names["CASCADE COUNTY SHERIFFS OFFICE"] == "US-EV-CCSO"


@pytest.mark.parametrize(
    ("extra", "location", "words"),
    [
        ('[dates]\nplaceholders = ["01/01/1901"]\n', "m.toml:17:dates.placeholders",
         "is not a date"),
        ('[[skip]]\ncolumn = "kind"\n', "m.toml:16:skip[0]", "needs values or a pattern"),
        ('[[skip]]\ncolumn = "kind"\npattern = "("\n', "m.toml:18:skip[0].pattern",
         "not a regular expression"),
        ('[skip]\ncolumn = "kind"\n', "m.toml:16:skip", "must be a list"),
    ],
)
def test_bad_placeholders_and_skip_rules_are_named(extra: str, location: str,
                                                   words: str) -> None:
    errors = _errors(BASE + "\n" + extra)
    assert errors[0].location == location and words in errors[0].reason


@pytest.mark.parametrize(
    ("agency", "location", "words"),
    [
        ('[agency]\ncolumn = "a"\nby = "nombre"\n', "m.toml:15:agency.by", "not code or name"),
        ('[agency]\ncolumn = "a"\ncode_prefix = "X-"\n', "m.toml:15:agency.code_prefix",
         'only applies with by = "name"'),
        ('[agency]\ncolumn = "a"\nby = "name"\ncreate_level = "state"\n',
         "m.toml:16:agency.create_level", "not foreign or federal"),
        ('[agency]\ncolumn = "a"\nby = "name"\n[agency.names]\n"Ciudad PD" = "no code!"\n',
         "m.toml:17:agency.names.Ciudad PD", "is not an agency code"),
    ],
)
def test_bad_agency_matching_is_named(agency: str, location: str, words: str) -> None:
    text = BASE.replace('[agency]\ncode = "X-PD"\n', agency)
    errors = _errors(text)
    assert errors[0].location == location and words in errors[0].reason


def test_agency_names_are_folded_and_codes_derived() -> None:
    assert fold_name("  Policía  de  Zapopan ") == "POLICIA DE ZAPOPAN"
    taken = {"US-EV-ECPD"}
    assert derived_code("US-EV-", "Evergreen State Patrol", taken.__contains__) == \
        "US-EV-EVERGREEN-STATE-PATROL"
    # Too long for a code: the initials, made unique.
    assert derived_code("US-EV-", "Evergreen City Police Department", taken.__contains__) == \
        "US-EV-ECPD-2"


def test_agency_files_name_the_line_and_the_key() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_agency_file("a.csv", b'code,name,level\nX-1,"A\nB",state\nX-2,Y,stat\n')
    assert caught.value.errors[0].location == "a.csv:4:level"  # a quoted line break counted
    with pytest.raises(ValidationFailed) as caught:
        parse_agency_file("a.csv", b"code,nmae,level\n")
    assert caught.value.errors[0].location == "a.csv:1:nmae"
    assert "did you mean 'name'?" in caught.value.errors[0].reason
    with pytest.raises(ValidationFailed) as caught:
        parse_agency_file("a.toml", b'[[agencies]]\ncode = "X"\nname = "Y"\nlevel = "state"\n'
                          b'\n[[agencies]]\ncode = "Z"\nlevel = "state"\n')
    assert caught.value.errors[0].location == "a.toml:6:agencies[1].name"
    with pytest.raises(ValidationFailed) as caught:
        parse_agency_file("a.toml", b'[[agencie]]\ncode = "X"\n')
    assert caught.value.errors[0].location == "a.toml:1:agencie"


def _converter(extra: str = "") -> RowConverter:
    return RowConverter(parse_mapping(BASE + "\n" + extra, "m.toml"), HEADER, "r.csv", TODAY)


def _row(**changes: str) -> list[str]:
    values = {"id": "7", "first": "ANA", "last": "RUIZ", "title": "Officer",
              "start": "03/01/2010", "end": "", "born": "1980", "kind": "SWORN"}
    values.update(changes)
    return [values[h] for h in HEADER]


def test_a_placeholder_date_is_the_fault_of_that_date() -> None:
    converter = _converter('[dates]\nplaceholders = ["1901-01-01"]\n')
    record, errors = converter.convert(_row(start="01/01/1901"), 5)
    assert record is None
    assert [e.location for e in errors] == ["r.csv:5:start"]
    assert "stands for an unknown date" in errors[0].reason
    record, errors = converter.convert(_row(end="01/01/1901"), 6)
    assert record is None and [e.location for e in errors] == ["r.csv:6:end"]


def test_an_unlisted_placeholder_before_the_birth_blames_the_start_date() -> None:
    record, errors = _converter().convert(_row(start="01/01/1901"), 5)
    assert record is None
    assert [(e.location, e.reason) for e in errors] == [
        ("r.csv:5:start", "1901-01-01 is before the officer's birth (1980)")]
    # Born 17 years before the start: that is the birth year's to answer for.
    record, errors = _converter().convert(_row(start="03/01/1997"), 5)
    assert record is None and errors[0].location == "r.csv:5:born"


def test_skip_rules_match_values_without_case_or_a_pattern() -> None:
    converter = _converter('[[skip]]\ncolumn = "kind"\nvalues = ["Civilian"]\n'
                           'reason = "civilian staff"\n\n[[skip]]\ncolumn = "title"\n'
                           'pattern = "(?i)security"\n')
    assert converter.skipped(_row(kind=" CIVILIAN ")) == "civilian staff"
    assert converter.skipped(_row(title="Mall Security Guard")) == "title is (?i)security"
    assert converter.skipped(_row()) is None


def test_a_skip_rule_may_read_a_mapped_field() -> None:
    # The rule reads the rank after its pattern, not the payroll code before it.
    text = (BASE.replace('rank = "title"', "rank = { column = 'title', pattern = '^\\d+ - (.+)$' }")
            + '\n[[skip]]\nfield = "rank"\npattern = "(?i)^civilian"\nreason = "civilian staff"\n')
    converter = RowConverter(parse_mapping(text, "m.toml"), HEADER, "r.csv", TODAY)
    assert converter.skipped(_row(title="9001 - CIVILIAN CLERK")) == "civilian staff"
    assert converter.skipped(_row(title="9161 - POLICE OFFICER")) is None
    # A value the field cannot read is not skipped: the row's own check names it.
    assert converter.skipped(_row(title="CIVILIAN CLERK")) is None
    errors = _errors(BASE + '\n[[skip]]\nfield = "rnak"\nvalues = ["X"]\n')
    assert errors[0].location == "m.toml:17:skip[0].field"
    assert "did you mean 'rank'?" in errors[0].reason
    errors = _errors(BASE + '\n[[skip]]\nfield = "rank"\ncolumn = "kind"\nvalues = ["X"]\n')
    assert errors[0].reason == "needs a column, or a field, and not both"


def test_a_moved_column_is_named_with_the_nearest_header() -> None:
    mapping = parse_mapping(BASE, "m.toml")
    with pytest.raises(ValidationFailed) as caught:
        RowConverter(mapping, ["id", "first", "last", "job_title", "start", "end", "born"],
                     "r.csv", TODAY)
    assert caught.value.errors[0].location == "r.csv:1:title"
    assert "did you mean 'job_title'?" in caught.value.errors[0].reason


def test_one_persons_rows_are_rejected_one_by_one() -> None:
    converter = _converter()
    rows = [converter.convert(_row(start="03/01/2010", end="03/01/2012"), 2)[0],
            converter.convert(_row(start="03/01/2010", end="03/01/2012"), 3)[0],
            converter.convert(_row(start="04/01/2011", first="ANNA"), 4)[0],
            converter.convert(_row(start="04/01/2012"), 5)[0]]
    records = [r for r in rows if r is not None]
    rejected = converter.career_rejections(records, whole_person=False)
    assert sorted(rejected) == [3, 4]
    assert rejected[3][0].reason.startswith("repeats line 2")
    assert rejected[4][0].reason == "differs from line 2 for the same officer"
    whole = converter.career_rejections(records, whole_person=True)
    assert sorted(whole) == [2, 3, 4, 5]
    assert whole[5][0].reason == "not imported: another row of this person is rejected (line 3)"


def test_the_rejects_file_keeps_the_original_bytes() -> None:
    raw = ("id;name;note\r\n1;JOSÉ;ok\r\n2;\"MAR\r\nÍA\";\"a;b\"\r\n3;LUÍS;x\r\n"
           ).encode("latin-1") + b"4;\xff\xfe;y\r\n"
    roster = decode_roster("r.csv", raw, "latin-1")
    written = b"".join(rejected_lines(roster, ";", {3: 'bad "name"', 6: "x"}))
    assert written == ('id;name;note;reason\r\n2;"MAR\r\nÍA";"a;b";"bad ""name"""\r\n'
                       ).encode("latin-1") + b"4;\xff\xfe;y;x\r\n"
    utf8 = decode_roster("u.csv", b"id,name\n1,\xc3\x91\xff\n", "utf-8")
    # Bytes not valid in the encoding go back as they came.
    assert b"".join(rejected_lines(utf8, ",", {2: "bad"})) == (
        b"id,name,reason\n1,\xc3\x91\xff,bad\n")


def test_faults_are_counted_by_reason_without_the_rows_values() -> None:
    faults = [FieldError("r.csv:2:start", "'ayer' is not a date in the form %Y-%m-%d"),
              FieldError("r.csv:3:start", "'hoy' is not a date in the form %Y-%m-%d"),
              FieldError("r.csv:4:end", "2030-01-01 is in the future"),
              FieldError("r.csv:9:id", "repeats line 8: the same person and posting twice")]
    assert reason_counts(faults) == [
        ("start: '…' is not a date in the form %Y-%m-%d", 2),
        ("end: DATE is in the future", 1),
        ("id: repeats line N: the same person and posting twice", 1)]
