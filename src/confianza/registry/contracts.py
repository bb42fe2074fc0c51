"""What the registry's use cases need of storage, declared on their side (ADR 0022).

The repositories implement these Protocols structurally; the use cases name only them, so
a service never imports persistence, and a test double or another store can stand in.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from confianza.accounts.rules.permissions import Holder, Scope
from confianza.core.work import ReadAhead
from confianza.registry.rules.agencies import Agency, AgencyLevel, Unit
from confianza.registry.rules.assignments import (
    Assignment,
    ChangeReason,
    EmploymentKind,
    PostingKind,
    PostingStatus,
)
from confianza.registry.rules.name_search import NameQuery
from confianza.registry.rules.officers import (
    Badge,
    Contact,
    ExternalId,
    Officer,
    OfficerStatus,
    RosterLine,
    Sex,
    StatusChange,
)
from confianza.registry.rules.roster_refresh import KnownPerson
from confianza.registry.rules.rosters import Staff


@dataclass(frozen=True)
class SearchCriteria:
    """What an officer search asks for; every given criterion must hold."""

    name: NameQuery | None = None  # a name typed in any order (ADR 0028)
    curp: str | None = None
    badge: str | None = None
    agency_id: int | None = None
    #: Whether `agency_id` means "ever served there" (any posting, ended or not) rather than
    #: "serving there now" (an open posting).
    ever_served: bool = False
    status: OfficerStatus | None = None
    identifier: ExternalId | None = None
    #: One text matched as any identity key: a CURP, a badge number or an external id's value.
    key: str | None = None


@dataclass(frozen=True)
class Career:
    """An officer with their postings and badges, the agencies these name and the names of the
    postings' units, read together (`OfficerStore.career`): what a profile and a timeline show,
    and what says who holds the record (`registry.rules.assignments.holding_postings`)."""

    officer: Officer
    assignments: list[Assignment]  # by start date
    badges: list[Badge]  # in the order they were recorded
    agencies: dict[int, Agency]
    unit_names: dict[int, str]


@dataclass(frozen=True)
class RosterCriteria:
    """Which of an agency's people (current, former or both: `staff`) a roster page lists;
    every given criterion must hold. The one text box of the page is matched as any of a
    name, a CURP, a badge the agency issued or an external id's value (`name`, `curp`
    and `key` come from the same text)."""

    status: OfficerStatus | None = None
    name: NameQuery | None = None  # its words in any order (ADR 0028)
    curp: str | None = None  # upper case
    key: str | None = None  # a badge number or an external id's value, as typed
    staff: Staff = Staff.CURRENT


@dataclass(frozen=True)
class RosterCounts:
    """An agency's current staff by status, and how many people are former staff (None when
    not asked: counting them reads every posting the agency ever had, 124 ms for the largest
    agency of the national registry, which a page of current staff need not pay)."""

    current: dict[str, int]
    former: int | None


class OfficerStore(Protocol):
    """What the use cases need of `tx.officers`; implemented by
    `registry.repository.officers.OfficerRepository`."""

    def add(
        self,
        *,
        curp: str | None,
        given_names: str,
        first_surname: str,
        second_surname: str | None,
        birth_date: date | None,
        birth_year: int | None,
        sex: Sex | None,
        status: OfficerStatus,
        now: datetime,
    ) -> int:
        """Register an identity (names already cleaned); its search key is made here, from the
        names, so that it always matches them."""

    def add_assignment(
        self,
        *,
        officer_id: int,
        agency_id: int,
        unit_id: int | None,
        rank: str,
        start_date: date,
        end_date: date | None,
        start_reason: ChangeReason,
        end_reason: ChangeReason | None,
        kind: PostingKind = PostingKind.FULL_TIME,
        employment: EmploymentKind = EmploymentKind.SWORN,
        on_leave: bool = False,
    ) -> int:
        """A posting; its status follows: separated when it has an end, else active or on
        leave."""

    def add_badge(
        self,
        *,
        officer_id: int,
        agency_id: int,
        number: str,
        start_date: date | None,
        end_date: date | None,
    ) -> int: ...

    def add_identifier(self, officer_id: int, key: ExternalId) -> None: ...

    def applicant_holder(self, officer_id: int) -> Holder:
        """Who holds a record never posted (an applicant): the agency that last asked to
        evaluate them."""

    def assignment(self, assignment_id: int) -> Assignment | None: ...

    def assignments(self, officer_id: int) -> list[Assignment]: ...

    def badge_holder(self, agency_id: int, number: str, on: date) -> int | None:
        """Who holds this badge number in this agency on a date (None if nobody)."""

    def badges(self, officer_id: int) -> list[Badge]: ...

    def record_reads(self, officer_id: int, *, history: bool) -> ReadAhead:
        """`career`'s reads, `identifiers`' and (`history`) `status_history`'s, to send
        ahead."""

    def career(self, officer_id: int) -> Career | None:
        """The officer with their postings (each with its agency and unit) in one statement,
        and their badges (each with its agency) in another; None when there is no such
        officer."""

    def close_assignment(self, assignment_id: int, end: date, reason: ChangeReason) -> None: ...

    def contacts(self, officer_id: int) -> list[Contact]: ...

    def get(self, officer_id: int) -> Officer | None: ...

    def holder(self, officer_id: int) -> Holder:
        """The agencies that hold an officer's record: those of open assignments, or else of the
        latest one (a separated officer stays with the agency that separated them), or else, for
        an applicant, those that asked for their evaluation."""

    def id_by_curp(self, curp: str) -> int | None: ...

    def id_by_identifier(self, key: ExternalId) -> int | None: ...

    def identifiers(self, officer_id: int) -> list[ExternalId]: ...

    def ids_by_curps(self, curps: list[str]) -> dict[str, int]: ...

    def ids_by_identifiers(self, scheme: str, values: list[str]) -> dict[str, int]: ...

    def lock(self, officer_id: int) -> None:
        """Serialise changes to one officer (a row lock on PostgreSQL; SQLite has one writer)."""

    def many(self, ids: list[int]) -> list[Officer]: ...

    def open_assignments_of_agency(self, agency_id: int) -> list[Assignment]: ...

    def replace_contacts(self, officer_id: int, contacts: list[Contact]) -> None: ...

    def roster_counts(self, agency_id: int, *, former: bool = False) -> RosterCounts:
        """How many current officers of the agency are in each status, and with `former` how
        many people are its former staff (one statement)."""

    def roster_page(
        self, agency_id: int, criteria: RosterCriteria, *, after: tuple[str, int] | None,
        descending: bool, limit: int,
    ) -> list[tuple[str, RosterLine]]:
        """One statement: the agency's current officers matching the criteria, with their sort
        key, in (search_name, id) order (reversed if `descending`), after a keyset. Names are
        shown as written ('Peña Ruiz, María'): people read the roster, the key is for indexes."""

    def roster_stream(
        self, agency_id: int, criteria: RosterCriteria = RosterCriteria(), *,
        descending: bool = False, chunk: int,
    ) -> Generator[RosterLine, None, None]:
        """Every line of the agency's roster that meets the criteria (by default its current
        officers), in (search_name, id) order (reversed if `descending`), as `roster_page`
        lists them, read from one statement `chunk` rows at a time (a server-side cursor on
        PostgreSQL), never all held at once. The caller reads it inside its transaction and
        closes it there (which closes the statement), read to the end or not."""

    def search(
        self, criteria: SearchCriteria, scope: Scope, *, after: tuple[str, int] | None, limit: int
    ) -> list[tuple[str, Officer]]:
        """Officers matching every criterion, in (search_name, id) order, after a keyset."""

    def set_status(self, officer_id: int, status: OfficerStatus, now: datetime) -> None: ...

    def set_posting_status(self, assignment_id: int, status: PostingStatus, since: date
                           ) -> None:
        """An open posting goes on leave (licencia) or comes back from it."""

    def add_status_change(
        self, officer_id: int, status: OfficerStatus, effective_on: date, reason: str,
        actor: str, now: datetime,
    ) -> None:
        """One line of the officer's status history (ADR 0025)."""

    def status_history(self, officer_id: int) -> list[StatusChange]:
        """The officer's status history, oldest first (one statement)."""

    def update(
        self,
        officer_id: int,
        *,
        curp: str | None,
        given_names: str,
        first_surname: str,
        second_surname: str | None,
        birth_date: date | None,
        sex: Sex | None,
        now: datetime,
    ) -> None:
        """Replace an identity's fields (its search key follows the names); the birth year follows a
        known birth date and is kept otherwise (it may be all a record says)."""

    def within(self, officer_ids: Sequence[int], scope: Scope) -> set[int]:
        """Which of these officers hold an open assignment inside the scope (all of them for a
        national scope): one query for a list, where `holder` is one per officer."""


class AgencyStore(Protocol):
    """What the use cases need of `tx.agencies`; implemented by
    `registry.repository.agencies.AgencyRepository`."""

    def add(
        self,
        *,
        code: str,
        name: str,
        level: AgencyLevel,
        state_code: str | None,
        municipality_key: str | None,
        parent_id: int | None,
        now: datetime,
    ) -> Agency: ...

    def add_unit(
        self, agency_id: int, code: str, name: str, parent_unit_id: int | None
    ) -> Unit: ...

    def by_code(self, code: str) -> Agency | None: ...

    def by_codes(self, codes: set[str]) -> dict[str, Agency]: ...

    def count_active(self) -> tuple[int, int]:
        """How many agencies exist, and how many of them are still active (not dissolved)."""

    def dissolve(self, agency_id: int, merged_into_id: int, on: date) -> None: ...

    def get(self, agency_id: int) -> Agency | None: ...

    def many(self, ids: set[int]) -> dict[int, Agency]: ...

    def search(
        self,
        *,
        text: str | None = None,
        level: AgencyLevel | None = None,
        state_code: str | None = None,
        parent_id: int | None = None,
        include_dissolved: bool = False,
        only_id: int | None = None,
        after_id: int | None = None,
        limit: int = 50,
    ) -> list[Agency]: ...

    def unit(self, unit_id: int) -> Unit | None: ...

    def unit_by_code(self, agency_id: int, code: str) -> Unit | None: ...

    def units(self, ids: set[int]) -> dict[int, Unit]:
        """Several units by id, in one query (a profile names the unit of every posting)."""

    def units_of(self, agency_id: int) -> list[Unit]: ...

    def update(
        self, agency_id: int, *, name: str | None = None, parent_id: int | None = None
    ) -> Agency:
        """Change an agency's name or parent; a value left out (None) is kept."""


@dataclass(frozen=True)
class PendingSeparation:
    """A pending separation (baja pendiente, ADR 0029) with what HR needs to decide it: the
    person, the posting the complete roster left out, and the file that left it out."""

    id: int
    officer_id: int
    officer_name: str
    assignment_id: int
    agency_id: int
    agency_code: str
    rank: str
    start_date: date
    file_name: str
    file_sha256: str
    status: str
    proposed_at: datetime
    proposed_by: str
    decided_at: datetime | None
    decided_by: str | None
    end_date: date | None
    end_reason: str | None
    note: str | None


@dataclass(frozen=True)
class QueuedConflict:
    """A review-queue entry (ADR 0029): a roster's facts that contradict the registry's for a
    known identity key, with the person's rows the file gave (held until decided)."""

    id: int
    officer_id: int
    officer_name: str
    identity_key: str
    scheme: str | None
    facts: list[dict[str, str]]  # field, registry, file
    file_rows: list[dict[str, object]]
    file_name: str
    file_sha256: str
    file_line: int
    status: str
    proposed_at: datetime
    proposed_by: str
    decided_at: datetime | None
    decided_by: str | None
    new_officer_id: int | None
    note: str | None


class RosterStore(Protocol):
    """What the roster refresh and its two queues need of storage (`tx.rosters`); implemented
    by `registry.repository.rosters.RosterRepository`. Reads for a file are set-wise: a few
    statements for all of its people, never one per person."""

    def ids_by_keys(self, keys: Sequence[str], scheme: str | None) -> dict[str, int]:
        """The officers holding these identity keys (CURPs, or values under `scheme`)."""

    def known_people(self, officer_ids: Sequence[int], *, badges: bool = True,
                     open_only: bool = False) -> dict[int, KnownPerson]:
        """The identity, status, postings (with unit codes; only the open ones with
        `open_only`) and badges (unless not wanted) of these officers."""

    def unit_ids(self, agency_ids: Sequence[int]) -> dict[tuple[int, str], int]:
        """The units of these agencies, by (agency, code), in a few statements."""

    def open_postings_at(self, agency_ids: Sequence[int]
                         ) -> list[tuple[int, int, int, date]]:
        """(assignment, officer, agency, start) of every open posting at these agencies."""

    def keys_of(self, officer_ids: Sequence[int], scheme: str | None) -> dict[int, str]:
        """Each officer's identity key: their CURP, or their value under `scheme`."""

    def separations_known(self, assignment_ids: Sequence[int], sha256: str) -> set[int]:
        """Of these postings, those with a separation waiting, or one proposed by this very
        file (dismissed or not): a file applied again proposes nothing again."""

    def conflict_statuses(self, officer_ids: Sequence[int]) -> dict[tuple[int, str], str]:
        """(officer, facts key) -> status of the queued conflicts of these officers."""

    def update_postings(self, rows: Sequence[dict[str, object]]) -> None:
        """Rewrite postings by id (executemany): rank, unit_id, end_date, end_reason, status,
        kind, employment, status_since."""

    def update_identities(self, rows: Sequence[dict[str, object]]) -> None:
        """Fill in identity facts and set statuses by id (executemany): curp, birth_date,
        birth_year, sex, status, updated_at."""

    def add_separations(self, rows: Sequence[dict[str, object]]) -> None: ...

    def add_conflicts(self, rows: Sequence[dict[str, object]]) -> None: ...

    def separations(self, scope: Scope, status: str | None, *,
                    after: int | None, limit: int) -> list[PendingSeparation]:
        """Separations of the agencies inside a scope, in id order after a keyset."""

    def separation(self, separation_id: int) -> PendingSeparation | None: ...

    def decide_separation(self, separation_id: int, *, status: str, by: str, at: datetime,
                          end_date: date | None, end_reason: str | None, note: str | None
                          ) -> None: ...

    def conflicts(self, status: str | None, *, after: int | None, limit: int
                  ) -> list[QueuedConflict]: ...

    def conflict(self, conflict_id: int) -> QueuedConflict | None: ...

    def decide_conflict(self, conflict_id: int, *, status: str, by: str, at: datetime,
                        new_officer_id: int | None, note: str | None) -> None: ...

    def move_identifier(self, scheme: str, value: str, officer_id: int) -> None:
        """Give an external id to another officer (a key the source reused)."""
