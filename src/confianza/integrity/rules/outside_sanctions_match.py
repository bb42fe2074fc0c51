"""Another authority's sanctioned people matched to the registry's officers, never by name alone.

Pure. The registry's side comes as the identity matching reads it (`identities.rules.people.
Person`: names folded, birth, CURP, the agencies served); the list's side is what the file says.
Each record is then (ADR 0036):

- **linked by CURP** when an officer holds the record's CURP and their names share the first
  surname and a given name (a CURP under another name goes to review: a typed CURP can be
  someone else's);
- **linked by facts** when exactly one officer agrees on the name, the full birth date and the
  employer (the officer served at the agency the list names), nothing known disagreeing, and
  no other officer agrees on the name and the birth date;
- **sent to review** when anyone is a candidate short of that: the name alone, the name and
  only a birth year, two officers equally good, a similar name with the same birth date, a
  CURP held under another name. A single candidate is never linked on the name alone: in a
  country where HERNÁNDEZ HERNÁNDEZ JUAN is common, a sanction attached to the wrong man ends a
  career;
- **unmatched** otherwise: kept, so that a later officer or a reviewer can be linked to it.

Names are compared as words in any order (ADR 0028): "HERNÁNDEZ ORTIZ JOSÉ LUIS" and "José
Luis Hernández Ortiz" are one name, and a full name needs no splitting.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from enum import StrEnum

from confianza.identities.rules.people import Person, officer_id_of
from confianza.integrity.rules.outside_sanctions import LinkedBy, OutsideSanction, OutsideStatus

#: How many candidates a reviewer is shown at most (the best first).
CANDIDATES_KEPT = 10
#: A name this similar (difflib's ratio over the words sorted) with the same birth date is
#: worth a reviewer's look: a misspelt or transliterated name.
SIMILAR_NAME = 0.85


class NameLevel(StrEnum):
    SAME = "same"  # the same words
    PARTIAL = "partial"  # the first surname and a given name among the record's words
    SIMILAR = "similar"  # close, not the same (a typo): only with the same birth date
    DIFFERENT = "different"


class BirthLevel(StrEnum):
    SAME_DATE = "same_date"
    SAME_YEAR = "same_year"  # one side knows only the year
    UNKNOWN = "unknown"
    DIFFERENT = "different"


class EmployerLevel(StrEnum):
    SERVED = "served"  # the officer served at the agency the list names
    NOT_SERVED = "not_served"
    UNKNOWN = "unknown"  # the list names no employer, or one the registry does not know


@dataclass(frozen=True, slots=True)
class Candidate:
    """An officer who may be the record's person, and why: each fact's level."""

    officer_id: int
    name: NameLevel
    birth: BirthLevel
    employer: EmployerLevel
    curp: bool  # holds the record's CURP
    curp_differs: bool = False  # holds another CURP than the record's

    @property
    def points(self) -> int:
        """An ordering for the reviewer's list, best first; it decides nothing."""
        return (10 * self.curp + {"same": 4, "partial": 3, "similar": 1}.get(self.name, 0)
                + {"same_date": 4, "same_year": 1}.get(self.birth, 0)
                + 2 * (self.employer is EmployerLevel.SERVED))

    def evidence(self) -> dict[str, object]:
        return {"officer_id": self.officer_id, "name": self.name.value,
                "birth": self.birth.value, "employer": self.employer.value, "curp": self.curp,
                "curp_differs": self.curp_differs}


@dataclass(frozen=True)
class Match:
    """What became of one record."""

    status: OutsideStatus
    officer_id: int | None = None
    linked_by: LinkedBy | None = None
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class MatchCounts:
    by_status: Counter[OutsideStatus] = field(default_factory=Counter)

    def get(self, status: OutsideStatus) -> int:
        return self.by_status.get(status, 0)


def _words(p: Person) -> list[str]:
    return " ".join(x for x in (p.given_names, p.first_surname, p.second_surname) if x).split()


def name_level(record_words: Sequence[str], p: Person) -> NameLevel:
    theirs = _words(p)
    if Counter(theirs) == Counter(record_words):
        return NameLevel.SAME
    given = p.given_names.split()
    if p.first_surname and p.first_surname.split()[0] in record_words and given and \
            any(g in record_words for g in given):
        return NameLevel.PARTIAL
    ratio = SequenceMatcher(None, " ".join(sorted(theirs)), " ".join(sorted(record_words)),
                            autojunk=False).ratio()
    return NameLevel.SIMILAR if ratio >= SIMILAR_NAME else NameLevel.DIFFERENT


def birth_level(record: OutsideSanction, p: Person) -> BirthLevel:
    if record.birth_date is not None and p.birth_date is not None:
        return BirthLevel.SAME_DATE if record.birth_date == p.birth_date else (
            BirthLevel.DIFFERENT)
    if record.birth_year is not None and p.birth_year is not None:
        return BirthLevel.SAME_YEAR if record.birth_year == p.birth_year else (
            BirthLevel.DIFFERENT)
    return BirthLevel.UNKNOWN


def employer_level(record: OutsideSanction, p: Person) -> EmployerLevel:
    if record.agency_code is None:
        return EmployerLevel.UNKNOWN
    return EmployerLevel.SERVED if record.agency_code in p.agencies else EmployerLevel.NOT_SERVED


class Matcher:
    """The registry's people indexed once (by CURP, by surname word), to match many records."""

    def __init__(self, people: Iterable[Person]) -> None:
        self._by_curp: dict[str, Person] = {}
        self._by_word: dict[str, list[Person]] = defaultdict(list)
        self._by_birth: dict[object, list[Person]] = defaultdict(list)
        for p in people:
            if officer_id_of(p.key) is None:
                continue
            if p.curp:
                self._by_curp[p.curp] = p
            if p.first_surname:
                self._by_word[p.first_surname.split()[0]].append(p)
            if p.birth_date is not None:
                self._by_birth[p.birth_date].append(p)

    def _candidate(self, record: OutsideSanction, p: Person) -> Candidate | None:
        name = name_level(record.name_words, p)
        birth = birth_level(record, p)
        if name is NameLevel.DIFFERENT or birth is BirthLevel.DIFFERENT:
            return None
        if name is NameLevel.SIMILAR and birth is not BirthLevel.SAME_DATE:
            return None
        # Two CURPs are two people, unless one was mistyped: a reviewer may judge that (only
        # with the same birth date), never the machine.
        if record.curp and p.curp and record.curp != p.curp and (
                birth is not BirthLevel.SAME_DATE):
            return None
        officer_id = officer_id_of(p.key)
        assert officer_id is not None
        return Candidate(officer_id, name, birth, employer_level(record, p),
                         bool(record.curp) and record.curp == p.curp,
                         bool(record.curp and p.curp and record.curp != p.curp))

    def match(self, record: OutsideSanction) -> Match:
        holder = self._by_curp.get(record.curp) if record.curp else None
        found: dict[int, Candidate] = {}
        pool: dict[str, Person] = {}
        for word in record.name_words:
            for p in self._by_word.get(word, ()):
                pool[p.key] = p
        if record.birth_date is not None:
            for p in self._by_birth.get(record.birth_date, ()):
                pool[p.key] = p
        if holder is not None:
            pool[holder.key] = holder
        for p in pool.values():
            c = self._candidate(record, p)
            if c is not None:
                found[c.officer_id] = c
        ranked = tuple(sorted(found.values(), key=lambda c: (-c.points, c.officer_id)))
        kept = ranked[:CANDIDATES_KEPT]
        if holder is not None:
            by_curp = found.get(officer_id_of(holder.key) or 0)
            if by_curp is not None and by_curp.name in (NameLevel.SAME, NameLevel.PARTIAL):
                return Match(OutsideStatus.LINKED, by_curp.officer_id, LinkedBy.CURP, kept,
                             "the CURP and the name agree")
            them = officer_id_of(holder.key)
            assert them is not None
            held = by_curp or Candidate(them, name_level(record.name_words, holder),
                                        birth_level(record, holder),
                                        employer_level(record, holder), True)
            others = [c for c in kept if c.officer_id != them]
            return Match(OutsideStatus.REVIEW, candidates=(held, *others)[:CANDIDATES_KEPT],
                         reason="an officer holds the CURP under another name")
        if not ranked:
            return Match(OutsideStatus.UNMATCHED, reason="no officer of the registry agrees")
        strong = [c for c in ranked if c.name in (NameLevel.SAME, NameLevel.PARTIAL)
                  and c.birth is BirthLevel.SAME_DATE and c.employer is EmployerLevel.SERVED
                  and not c.curp_differs]
        rivals = [c for c in ranked if c.name in (NameLevel.SAME, NameLevel.PARTIAL)
                  and c.birth is BirthLevel.SAME_DATE]
        if len(strong) == 1 and len(rivals) == 1:
            return Match(OutsideStatus.LINKED, strong[0].officer_id, LinkedBy.FACTS, kept,
                         "the name, the birth date and the employer agree")
        return Match(OutsideStatus.REVIEW, candidates=kept, reason=_why(ranked, rivals))


def _why(ranked: Sequence[Candidate], rivals: Sequence[Candidate]) -> str:
    if len(rivals) > 1:
        return f"{len(rivals)} officers agree on the name and the birth date"
    best = ranked[0]
    if best.name is NameLevel.SIMILAR:
        return "a similar name with the same birth date"
    if best.birth is BirthLevel.SAME_DATE:
        return "the name and the birth date agree; the employer does not confirm it"
    if best.birth is BirthLevel.SAME_YEAR:
        return "the name and the birth year agree; too little else to tell"
    return "only the name agrees"


def match_records(records: Iterable[OutsideSanction], people: Sequence[Person]
                  ) -> dict[str, Match]:
    """Each record's match, by its digest."""
    matcher = Matcher(people)
    return {r.digest: matcher.match(r) for r in records}


def count(matches: Mapping[str, Match]) -> MatchCounts:
    return MatchCounts(Counter(m.status for m in matches.values()))


@dataclass(frozen=True)
class StoredOutsideSanction:
    """A record as stored: what the list said, where the matching or a reviewer placed it."""

    id: int
    import_id: int
    line: int
    authority: str
    file_number: str | None
    kind: str
    name: str
    curp: str | None
    birth_date: date | None
    birth_year: int | None
    employer: str | None
    agency_code: str | None
    position: str | None
    start_date: date
    end_date: date | None
    finding: str | None
    status: OutsideStatus
    officer_id: int | None
    linked_by: LinkedBy | None
    candidates: tuple[Candidate, ...]
    reason: str
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_note: str | None = None

    @property
    def candidate_ids(self) -> tuple[int, ...]:
        return tuple(c.officer_id for c in self.candidates)


def candidates_of(data: Sequence[Mapping[str, object]]) -> tuple[Candidate, ...]:
    """Candidates as stored (JSON objects) read back."""
    return tuple(Candidate(
        int(str(c["officer_id"])), NameLevel(str(c["name"])), BirthLevel(str(c["birth"])),
        EmployerLevel(str(c["employer"])), bool(c["curp"]), bool(c.get("curp_differs")))
        for c in data)
