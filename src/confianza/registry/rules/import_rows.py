"""Roster rows: one CSV row converted into a typed record, and one officer's rows checked together.

Pure, like the mapping that drives it (`domain.import_mapping`). A row that breaks no rule takes
a fast path; any doubt sends it through the careful one, which names every bad field as
``file:line:column``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from confianza.core.errors import FieldError, ValidationFailed
from confianza.kit.curp import InvalidCurp, validate_curp
from confianza.registry.rules.assignments import (
    ChangeReason,
    EmploymentKind,
    PostingKind,
    PostingStatus,
    first_clash,
)
from confianza.registry.rules.import_mapping import (
    ISO_DATE,
    POSTING_FIELDS,
    FieldSpec,
    ImportMapping,
)
from confianza.registry.rules.officers import OfficerStatus, search_key, status_from_postings

_SEXES = frozenset({"H", "M", "X"})
_STATUSES = frozenset(s.value for s in OfficerStatus)
_REASONS = frozenset(r.value for r in ChangeReason)
_OPEN_STATUSES = frozenset({OfficerStatus.ACTIVE.value, OfficerStatus.REMOVED_FROM_DUTY.value,
                            OfficerStatus.SUSPENDED.value})
_WHOLE_NUMBER = re.compile(r"^(\d+)\.0*$")
MIN_AGE = 18  # the age of majority every police law in Mexico asks of a recruit


@dataclass(slots=True)
class RosterRecord:
    """One valid CSV row: an officer's identity and one assignment of their career."""

    line: int
    key: str
    curp: str | None
    given_names: str
    first_surname: str
    second_surname: str | None
    search_name: str
    birth_date: date | None
    birth_year: int | None
    sex: str | None
    status: str
    agency_code: str
    unit_code: str | None
    unit_name: str | None
    rank: str
    start_date: date
    start_reason: str | None
    end_date: date | None
    end_reason: str | None
    badges: tuple[str, ...] = field(default_factory=tuple)
    # The posting's own facts (ADR 0025); `PostingFacts` checks them.
    posting_status: str = PostingStatus.ACTIVE.value
    posting_kind: str = PostingKind.FULL_TIME.value
    employment: str = EmploymentKind.SWORN.value

    def identity(self) -> tuple[object, ...]:
        return (self.curp, self.given_names, self.first_surname, self.second_surname,
                self.birth_date, self.birth_year, self.sex, self.status)


IDENTITY_FIELDS = ("curp", "given_names", "first_surname", "second_surname", "birth_date",
                   "birth_year", "sex", "status")


@dataclass(frozen=True, slots=True)
class PostingFacts:
    """What one row says of its posting beside the period: status, kind, employment, and the
    separation reason to use when the row gives no end reason of its own."""

    status: str
    kind: str
    employment: str
    separation_reason: str | None = None


_POSTING_STATUSES = frozenset(s.value for s in PostingStatus)
_POSTING_KINDS = frozenset(k.value for k in PostingKind)
_EMPLOYMENTS = frozenset(e.value for e in EmploymentKind)
_OPEN_POSTING = PostingFacts(PostingStatus.ACTIVE.value, PostingKind.FULL_TIME.value,
                             EmploymentKind.SWORN.value)
_CLOSED_POSTING = PostingFacts(PostingStatus.SEPARATED.value, PostingKind.FULL_TIME.value,
                               EmploymentKind.SWORN.value)


_Getter = Callable[[Sequence[str]], str]


class RowConverter:
    """Turns the rows of one CSV file into records, under one mapping, against one day.

    Built once per file from its header (missing mapped columns are reported at line 1), then
    called once per row: hundreds of thousands of times, so the per-field work is compiled into
    small closures here rather than looked up from the mapping every time.
    """

    def __init__(
        self, mapping: ImportMapping, header: Sequence[str], source: str, today: date
    ) -> None:
        self.source = source
        self.today = today
        self.width = len(header)
        index: dict[str, int] = {}
        for i, name in enumerate(header):
            index.setdefault(name.strip(), i)
        missing = [c for c in mapping.columns() if c not in index]
        if missing:
            raise ValidationFailed(missing_columns(source, missing, header))
        self._get: dict[str, _Getter] = {}
        self.labels: dict[str, str] = {}
        specs: dict[str, FieldSpec | None] = {
            **mapping.fields, "agency": mapping.agency, "unit_code": mapping.unit_code,
            "unit_name": mapping.unit_name,
        }
        for name, spec in specs.items():
            if spec is not None:
                self._get[name] = _compile(spec, index, first=name.endswith("_date"))
                self.labels[name] = "|".join(spec.columns) or "(constant)"
        self._key = index[mapping.key_column] if mapping.key_column else None
        self.labels["key"] = mapping.key_column or self.labels["curp"]
        self._badges = [(index[c], c) for c in mapping.badges]
        self._badge_integer = mapping.badge_integer
        self._date_format = {n: s.format for n, s in mapping.fields.items() if n.endswith("date")}
        self._parse_birth = _date_parser(self._date_format.get("birth_date", ISO_DATE))
        self._parse_start = _date_parser(self._date_format.get("start_date", ISO_DATE))
        self._parse_end = _date_parser(self._date_format.get("end_date", ISO_DATE))
        # A posting's facts are read only when the mapping names one (ADR 0025); the person's
        # status follows from the postings when the mapping does not give it.
        self._posting_mapped = any(n in mapping.fields for n in POSTING_FIELDS)
        self.status_mapped = "status" in mapping.fields
        self._placeholders = mapping.placeholder_dates
        self._skips = [(_column(index[skip.column]) if skip.column is not None
                        else self._get[skip.field or ""], skip) for skip in mapping.skips]
        self._fast_getters = [self._get.get(n, _nothing) for n in (
            "curp", "given_names", "first_surname", "second_surname", "birth_date",
            "birth_year", "sex", "status", "rank", "start_date", "start_reason", "end_date",
            "end_reason", "agency", "unit_code", "unit_name")]

    def raw_key(self, row: Sequence[str]) -> str:
        """The identity key of a row as written, even when the row is bad (to group rejects)."""
        if self._key is not None:
            return row[self._key].strip() if len(row) > self._key else ""
        get = self._get.get("curp")
        try:
            return get(row).upper() if get is not None and len(row) == self.width else ""
        except ValueError:
            return ""

    def _where(self, line: int, name: str) -> str:
        return f"{self.source}:{line}:{self.labels.get(name, name)}"

    def _text(self, name: str, row: Sequence[str], line: int, errors: list[FieldError]) -> str:
        get = self._get.get(name)
        if get is None:
            return ""
        try:
            return get(row)
        except ValueError as exc:
            errors.append(FieldError(self._where(line, name), str(exc)))
            return ""

    def _date(self, name: str, row: Sequence[str], line: int, errors: list[FieldError]
              ) -> date | None:
        text = self._text(name, row, line, errors)
        if not text:
            return None
        fmt = self._date_format[name]
        try:
            if fmt == ISO_DATE and len(text) == 10:
                value = date.fromisoformat(text)
            else:
                value = datetime.strptime(text, fmt).date()
        except ValueError:
            errors.append(FieldError(self._where(line, name), f"{text!r} is not a date in "
                                     f"the form {fmt}"))
            return None
        if value in self._placeholders:
            self._placeholder(name, text, line, errors)
            return None
        if value > self.today:
            errors.append(FieldError(self._where(line, name), f"{value.isoformat()} is in "
                                     "the future"))
        return value

    def _placeholder(self, name: str, text: str, line: int, errors: list[FieldError]
                     ) -> None:
        """A listed placeholder (1901-01-01) means "unknown": a birth date may be unknown, a
        posting's start or end may not, and the fault is that date's, not another field's."""
        if name in ("start_date", "end_date"):
            what = "start" if name == "start_date" else "end"
            errors.append(FieldError(self._where(line, name), f"{text!r} stands for an unknown "
                                     "date (a placeholder in the mapping's [dates]): the "
                                     f"posting's {what} date is needed"))

    def skipped(self, row: Sequence[str]) -> str | None:
        """Why a row is left out on purpose (the mapping's [[skip]] rules), or None."""
        for read, skip in self._skips:
            try:
                value = read(row)
            except (ValueError, IndexError):
                continue  # a value the field cannot read: the row's own check will say why
            if skip.applies(value):
                return skip.reason
        return None

    def convert(self, row: Sequence[str], line: int) -> tuple[RosterRecord | None,
                                                               list[FieldError]]:
        """The record of one row, or None and every fault of the row."""
        if len(row) == self.width:
            try:
                record = self._fast(row, line)
            except ValueError:
                record = None
            if record is not None:
                return record, []
        return self._careful(row, line)

    def _fast(self, row: Sequence[str], line: int) -> RosterRecord | None:
        """The same rules as `_careful` for a row that breaks none of them, at a fraction of the
        cost; None (or ValueError) as soon as anything is doubtful, and `_careful` says why."""
        (curp_text, given, first, second_text, birth_text, year_text, sex, status, rank, start_text,
         start_reason, end_text, end_reason, agency, unit_code, unit_name) = [
            get(row) for get in self._fast_getters]
        today = self.today
        curp = validate_curp(curp_text.upper()) if curp_text else None
        given, first = " ".join(given.split()), " ".join(first.split())
        second = " ".join(second_text.split()) or None
        if (not given or not first or len(given) > 120 or len(first) > 120
                or (second is not None and len(second) > 120)):
            return None
        birth = self._parse_birth(birth_text) if birth_text else None
        year = None
        if year_text:
            whole = year_text if year_text.isdigit() else _whole(year_text)
            if whole is None:
                return None
            year = int(whole)
        if birth is not None:
            if birth > today or (year is not None and year != birth.year):
                return None
            year = birth.year
        if year is not None and not today.year - 100 <= year <= today.year:
            return None
        sex_code = sex.upper() or None
        status = status or "active"
        if (sex_code is not None and sex_code not in _SEXES) or status not in _STATUSES:
            return None
        if curp is not None and ((birth is not None and curp[4:10] != (
                f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}")) or (
                sex_code is not None and curp[10] != sex_code)):
            return None
        key = (curp or "") if self._key is None else row[self._key].strip()
        agency = agency.upper()
        rank = " ".join(rank.split())
        if not key or len(key) > 128 or not agency or not rank or len(rank) > 80:
            return None
        start = self._parse_start(start_text) if start_text else None
        end = self._parse_end(end_text) if end_text else None
        if start is None or start > today or (end is not None and (end <= start or end > today)):
            return None
        if self._placeholders and not self._placeholders.isdisjoint((birth, start, end)):
            return None
        if year is not None and (start.year - year if birth is None else _age(birth, start)
                                 ) < MIN_AGE:
            return None
        started_by = start_reason.lower() or None
        posting = _CLOSED_POSTING if end is not None else _OPEN_POSTING
        if self._posting_mapped:
            faults: list[FieldError] = []
            posting = self.posting_facts(row, line, end, faults)
            if faults:
                return None
        ended_by = (end_reason.lower() or posting.separation_reason or "separation"
                    ) if end is not None else None
        if ((started_by is not None and started_by not in _REASONS)
                or (ended_by is not None and ended_by not in _REASONS)):
            return None
        unit = unit_code.upper() or None
        if unit is not None and len(unit) > 40:
            return None
        unit_name = " ".join(unit_name.split()) or unit or ""
        badges: tuple[str, ...] = ()
        if self._badges:
            errors: list[FieldError] = []
            badges = self._badge_numbers(row, line, errors)
            if errors:
                return None
        return RosterRecord(
            line, key, curp, given, first, second, _search_name(first, second, given), birth,
            year, sex_code, status, agency, unit, unit_name[:200] or None, rank, start,
            started_by, end, ended_by, badges, posting.status, posting.kind,
            posting.employment,
        )

    def _careful(self, row: Sequence[str], line: int) -> tuple[RosterRecord | None,
                                                                list[FieldError]]:
        errors: list[FieldError] = []
        if len(row) != self.width:
            where = f"{self.source}:{line}:*"
            return None, [FieldError(where, f"has {len(row)} fields, the header has "
                                     f"{self.width}")]
        text = self._text
        curp = text("curp", row, line, errors).upper() or None
        if curp is not None:
            try:
                curp = validate_curp(curp)
            except InvalidCurp as exc:
                errors.append(FieldError(self._where(line, "curp"), str(exc)))
                curp = None
        given = " ".join(text("given_names", row, line, errors).split())
        first = " ".join(text("first_surname", row, line, errors).split())
        second = " ".join(text("second_surname", row, line, errors).split()) or None
        for name, value in (("given_names", given), ("first_surname", first),
                            ("second_surname", second or "")):
            if not value and name != "second_surname":
                errors.append(FieldError(self._where(line, name), "is required"))
            elif len(value) > 120:
                errors.append(FieldError(self._where(line, name), "is longer than 120 "
                                         "characters"))
        birth = self._date("birth_date", row, line, errors)
        year = _year(text("birth_year", row, line, errors), self._where(line, "birth_year"),
                     self.today, errors)
        if birth is not None:
            if year is not None and year != birth.year:
                errors.append(FieldError(self._where(line, "birth_year"), "does not match "
                                         "the birth date"))
            year = birth.year
        sex = text("sex", row, line, errors).upper() or None
        if sex is not None and sex not in _SEXES:
            errors.append(FieldError(self._where(line, "sex"), f"{sex!r} is not H, M or X"))
        status = text("status", row, line, errors) or OfficerStatus.ACTIVE.value
        if status not in _STATUSES:
            errors.append(FieldError(self._where(line, "status"), f"{status!r} is not one of "
                                     f"{', '.join(sorted(_STATUSES))}"))
        if curp is not None:
            # The CURP spells the birth date and sex: a row contradicting its own key is refused.
            if birth is not None and curp[4:10] != birth.strftime("%y%m%d"):
                errors.append(FieldError(self._where(line, "curp"), "encodes another birth "
                                         "date than the row's"))
            if sex is not None and curp[10] != sex:
                errors.append(FieldError(self._where(line, "curp"), f"encodes sex {curp[10]}, "
                                         f"not {sex}"))
        if self._key is None:
            key = curp or ""
            if not key and "curp" not in {e.location.rsplit(":", 1)[-1] for e in errors}:
                errors.append(FieldError(self._where(line, "curp"), "is required: it is the "
                                         "identity key"))
        else:
            key = row[self._key].strip()
            if not key or len(key) > 128:
                errors.append(FieldError(self._where(line, "key"), "identity key must be 1 to "
                                         "128 characters"))
        agency = text("agency", row, line, errors).upper()
        if not agency:
            errors.append(FieldError(self._where(line, "agency"), "is required"))
        rank = " ".join(text("rank", row, line, errors).split())
        if not rank or len(rank) > 80:
            errors.append(FieldError(self._where(line, "rank"), "must be 1 to 80 characters"))
        start = self._date("start_date", row, line, errors)
        if start is None and not any(e.location == self._where(line, "start_date")
                                     for e in errors):
            errors.append(FieldError(self._where(line, "start_date"), "is required"))
        end = self._date("end_date", row, line, errors)
        if start is not None and end is not None and end <= start:
            errors.append(FieldError(self._where(line, "end_date"), f"{end.isoformat()} is not "
                                     f"after the start date {start.isoformat()}"))
        if start is not None and year is not None:
            age = start.year - year if birth is None else _age(birth, start)
            if age < 0:
                # Employed before being born: the start date is the wrong one (an unlisted
                # placeholder, most often), not the birth year.
                errors.append(FieldError(self._where(line, "start_date"), f"{start.isoformat()} "
                                         f"is before the officer's birth ({year})"))
            elif age < MIN_AGE:
                errors.append(FieldError(self._where(line, "birth_year"), f"makes the officer "
                                         f"{age} at the start date {start.isoformat()}, under "
                                         f"{MIN_AGE}"))
        start_reason = _reason(text("start_reason", row, line, errors),
                               self._where(line, "start_reason"), errors)
        posting = _CLOSED_POSTING if end is not None else _OPEN_POSTING
        if self._posting_mapped:
            posting = self.posting_facts(row, line, end, errors)
        end_reason = None
        if end is not None:
            end_reason = (_reason(text("end_reason", row, line, errors),
                                  self._where(line, "end_reason"), errors)
                          or posting.separation_reason or "separation")
        unit_code = text("unit_code", row, line, errors).upper() or None
        unit_name = " ".join(text("unit_name", row, line, errors).split()) or unit_code
        if unit_code is not None and len(unit_code) > 40:
            errors.append(FieldError(self._where(line, "unit_code"), "is longer than 40 "
                                     "characters"))
        badges = self._badge_numbers(row, line, errors)
        if errors:
            return None, errors
        assert start is not None
        return RosterRecord(
            line, key, curp, given, first, second, _search_name(first, second, given), birth,
            year, sex, status, agency, unit_code, (unit_name or "")[:200] or None, rank, start,
            start_reason, end, end_reason, badges, posting.status, posting.kind,
            posting.employment,
        ), errors

    def posting_facts(self, row: Sequence[str], line: int, end: date | None,
                      errors: list[FieldError]) -> PostingFacts:
        """The posting's status, kind, employment and separation reason from a row (ADR 0025),
        each checked against its values; a status that contradicts the row's end date is
        blamed on the column that is wrong for it: a separated posting needs its end date, an
        active one or one on leave has none."""
        text = self._text
        status = text("posting_status", row, line, errors).lower()
        if not status:
            status = (PostingStatus.SEPARATED if end is not None else PostingStatus.ACTIVE).value
        elif status not in _POSTING_STATUSES:
            errors.append(FieldError(self._where(line, "posting_status"), f"{status!r} is not "
                                     f"one of {', '.join(sorted(_POSTING_STATUSES))}"))
        elif status == PostingStatus.SEPARATED and end is None:
            errors.append(FieldError(self._where(line, "end_date"), "is required: the "
                                     "posting's status is separated"))
        elif status != PostingStatus.SEPARATED and end is not None:
            errors.append(FieldError(self._where(line, "posting_status"), f"is {status}, but "
                                     f"the posting ended on {end.isoformat()}"))
        separation = _reason(text("separation_reason", row, line, errors),
                             self._where(line, "separation_reason"), errors)
        kind = text("posting_kind", row, line, errors).lower() or PostingKind.FULL_TIME.value
        if kind not in _POSTING_KINDS:
            errors.append(FieldError(self._where(line, "posting_kind"), f"{kind!r} is not one "
                                     f"of {', '.join(sorted(_POSTING_KINDS))}"))
        employment = (text("employment_kind", row, line, errors).lower()
                      or EmploymentKind.SWORN.value)
        if employment not in _EMPLOYMENTS:
            errors.append(FieldError(self._where(line, "employment_kind"), f"{employment!r} is "
                                     f"not one of {', '.join(sorted(_EMPLOYMENTS))}"))
        return PostingFacts(status, kind, employment, separation)

    def _badge_numbers(self, row: Sequence[str], line: int, errors: list[FieldError]
                       ) -> tuple[str, ...]:
        numbers: list[str] = []
        for i, column in self._badges:
            value = row[i].strip()
            if not value:
                continue
            if self._badge_integer and (match := _WHOLE_NUMBER.match(value)):
                value = match.group(1)
            if len(value) > 20:
                errors.append(FieldError(f"{self.source}:{line}:{column}", "badge number is "
                                         "longer than 20 characters"))
            elif value not in numbers:
                numbers.append(value)
        return tuple(numbers)

    def check_career(self, records: Sequence[RosterRecord]) -> list[FieldError]:
        """Faults between the rows of one officer: identity that disagrees, postings that
        overlap, a status that contradicts the postings. Each names the later row."""
        errors: list[FieldError] = []
        ordered = sorted(records, key=lambda r: r.line) if len(records) > 1 else records
        head = ordered[0]
        for other in ordered[1:]:
            for name, mine, theirs in zip(IDENTITY_FIELDS, head.identity(), other.identity(),
                                          strict=True):
                if mine != theirs:
                    errors.append(FieldError(self._where(other.line, name), f"differs from "
                                             f"line {head.line} for the same officer"))
        # Only full-time postings exclude one another: a task force secondment, reserve or
        # part-time duty may run beside one (ADR 0025).
        postings = [(r.start_date, r.end_date, PostingKind(r.posting_kind)) for r in ordered]
        if len(postings) > 1 and (pair := first_clash(postings)) is not None:
            later = ordered[max(pair)]
            errors.append(FieldError(self._where(later.line, "start_date"), "overlaps the "
                                     f"assignment on line {ordered[min(pair)].line}"))
        if not self.status_mapped:
            return errors  # the person's status follows from the postings (`settle_status`)
        open_rows = [r for r in ordered if r.end_date is None]
        if len(ordered) == 1 and (head.status in _OPEN_STATUSES) == bool(open_rows):
            return errors  # the common case, decided without more work
        if head.status in _OPEN_STATUSES and not open_rows:
            last = max(ordered, key=lambda r: r.start_date)
            errors.append(FieldError(self._where(last.line, "end_date"), f"the status is "
                                     f"{head.status} but the assignment has ended"))
        elif head.status not in _OPEN_STATUSES and open_rows:
            errors.append(FieldError(self._where(open_rows[0].line, "end_date"), f"the status "
                                     f"is {head.status} but no end date is given"))
        return errors

    def career_rejections(self, records: Sequence[RosterRecord], *, whole_person: bool
                          ) -> dict[int, list[FieldError]]:
        """The rows of one person's career to reject, by line, each with its reasons.

        Row by row (the default) only the rows at fault go: a row repeating another, a row
        whose identity differs from the first row's, a posting overlapping an earlier one; the
        rest is checked again until it agrees. A status that contradicts the postings is the
        person's fault, not one row's, so it rejects every row, each one saying why. With
        `whole_person` any fault rejects every row of the person, each naming the first bad
        line (the rule before rows could be rejected alone).
        """
        rejected: dict[int, list[FieldError]] = {}
        remaining = sorted(records, key=lambda r: r.line)
        seen: dict[tuple[object, ...], int] = {}
        for record in remaining:
            posting = (*record.identity(), record.agency_code, record.start_date,
                       record.end_date, record.rank, record.unit_code)
            if (first := seen.setdefault(posting, record.line)) != record.line:
                rejected[record.line] = [FieldError(
                    f"{self.source}:{record.line}:{self.labels['key']}", f"repeats line {first}: "
                    "the same person and posting twice in the file")]
        remaining = [r for r in remaining if r.line not in rejected]
        while remaining:
            faults = self.check_career(remaining)
            if not faults:
                break
            for fault in faults:
                rejected.setdefault(_line_of(fault), []).append(fault)
            if any(_is_status_fault(f) for f in faults):
                whole_person = True
                break
            remaining = [r for r in remaining if r.line not in rejected]
        if rejected and whole_person:
            first_bad = min(rejected)
            for record in records:
                rejected.setdefault(record.line, [FieldError(
                    f"{self.source}:{record.line}:*", f"not imported: another row of this "
                    f"person is rejected (line {first_bad})")])
        return rejected


def settle_status(records: Sequence[RosterRecord]) -> None:
    """Give one officer's records the person's status their postings make, for a mapping that
    gives no status column (ADR 0025): active while a posting is open, separated once all have
    ended. Run on the rows that go in, once rejected rows are left out."""
    status = status_from_postings(OfficerStatus.ACTIVE, posted=True, open_posting=any(
        r.end_date is None for r in records)).value
    for record in records:
        record.status = status


def _line_of(fault: FieldError) -> int:
    """The line a ``file:line:column`` location names."""
    return int(fault.location.rsplit(":", 2)[1])


def _is_status_fault(fault: FieldError) -> bool:
    # The status is one value for the person: when it contradicts the postings no single row
    # is wrong, and dropping rows one by one would only blame the earlier ones in turn.
    return fault.reason.startswith("the status is")


def missing_columns(source: str, missing: Sequence[str], header: Sequence[str]
                    ) -> list[FieldError]:
    """Mapped columns the header lacks, each with the header's nearest name when one is close
    (a renamed or moved column), else the columns the header does have."""
    present = [h.strip() for h in header]
    errors = []
    for column in missing:
        close = difflib.get_close_matches(column, present, n=1, cutoff=0.6)
        hint = (f" (did you mean {close[0]!r}?)" if close
                else f"; the header has: {', '.join(present[:12])}"
                + (", ..." if len(present) > 12 else ""))
        errors.append(FieldError(f"{source}:1:{column}", "column named by the mapping is "
                                 f"missing from the header{hint}"))
    return errors


def _compile(spec: FieldSpec, index: Mapping[str, int], *, first: bool) -> _Getter:
    """A getter for one field: raw text from its columns, then the value map and the pattern."""
    raw: _Getter
    if spec.constant is not None:
        constant = spec.constant
        raw = lambda row: constant  # noqa: E731
    elif len(spec.columns) == 1:
        i = index[spec.columns[0]]
        raw = lambda row: row[i].strip()  # noqa: E731
    else:
        positions = [index[c] for c in spec.columns]
        if first:  # dates: the first column that has one
            raw = lambda row: next((v for i in positions if (v := row[i].strip())), "")  # noqa: E731
        else:
            raw = lambda row: " ".join(v for i in positions if (v := row[i].strip()))  # noqa: E731
    values, default, pattern = spec.values, spec.default, spec.pattern
    if values is None and pattern is None:
        if default is None:
            return raw
        fallback = default
        return lambda row: raw(row) or fallback

    def mapped(row: Sequence[str]) -> str:
        value = raw(row)
        if values is not None:
            replacement = values.get(value)
            if replacement is not None:
                value = replacement
            elif default is not None:
                return default
            elif value:
                shown = ", ".join(list(values)[:8])
                raise ValueError(f"{value!r} is not among the mapped values ({shown})")
        elif not value and default is not None:
            return default
        if pattern is not None and value:
            match = pattern.search(value)
            if match is None:
                raise ValueError(f"{value!r} does not match the pattern {pattern.pattern!r}")
            value = match.group(1) if match.groups() else match.group(0)
        return value

    return mapped


def _column(i: int) -> _Getter:
    return lambda row: row[i]


def _whole(text: str) -> str | None:
    match = _WHOLE_NUMBER.match(text)
    return None if match is None else match.group(1)


def _nothing(row: Sequence[str]) -> str:
    return ""


def _date_parser(fmt: str) -> Callable[[str], date]:
    if fmt == ISO_DATE:
        def iso(text: str) -> date:
            if len(text) != 10:
                raise ValueError(text)
            return date.fromisoformat(text)
        return iso
    return lambda text: datetime.strptime(text, fmt).date()


# Folding the accents of Spanish names by table, the common case; anything else goes the long
# way through `search_key`, whose result this must equal.
_FOLD = str.maketrans("ÁÉÍÓÚÜÑáéíóúüñ", "AEIOUUNaeiouun")


def _search_name(first: str, second: str | None, given: str) -> str:
    name = f"{first} {second} {given}" if second else f"{first} {given}"
    if not name.isascii():
        name = name.translate(_FOLD)
        if not name.isascii():
            return search_key(first, second, given)
    return name.upper()


def _year(text: str, where: str, today: date, errors: list[FieldError]) -> int | None:
    if not text:
        return None
    match = _WHOLE_NUMBER.match(text)  # exports written by spreadsheets say "1971.0"
    if not text.isdigit() and match is None:
        errors.append(FieldError(where, f"{text!r} is not a year"))
        return None
    year = int(text if text.isdigit() else match.group(1))  # type: ignore[union-attr]
    if not today.year - 100 <= year <= today.year:
        errors.append(FieldError(where, f"{year} is not a plausible birth year"))
        return None
    return year


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _reason(text: str, where: str, errors: list[FieldError]) -> str | None:
    if not text:
        return None
    value = text.lower()
    if value not in _REASONS:
        errors.append(FieldError(where, f"{text!r} is not one of {', '.join(sorted(_REASONS))}"))
        return None
    return value
