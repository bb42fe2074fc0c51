"""Officers: identity, status, names, and the rules that keep an identity trustworthy."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache

from confianza.core.errors import ErrorCollector
from confianza.kit.curp import InvalidCurp, curp_birth_date, curp_sex, validate_curp


class OfficerStatus(StrEnum):
    ACTIVE = "active"
    REMOVED_FROM_DUTY = "removed_from_duty"  # retirado de funciones operativas
    SUSPENDED = "suspended"
    SEPARATED = "separated"
    DECEASED = "deceased"


# Which status may follow which. A death is final; a separation can only be undone by a court
# (reinstatement), which the registry records as a return to active.
STATUS_TRANSITIONS: dict[OfficerStatus, frozenset[OfficerStatus]] = {
    OfficerStatus.ACTIVE: frozenset(
        {
            OfficerStatus.REMOVED_FROM_DUTY,
            OfficerStatus.SUSPENDED,
            OfficerStatus.SEPARATED,
            OfficerStatus.DECEASED,
        }
    ),
    OfficerStatus.REMOVED_FROM_DUTY: frozenset(
        {OfficerStatus.ACTIVE, OfficerStatus.SUSPENDED, OfficerStatus.SEPARATED,
         OfficerStatus.DECEASED}
    ),
    OfficerStatus.SUSPENDED: frozenset(
        {OfficerStatus.ACTIVE, OfficerStatus.REMOVED_FROM_DUTY, OfficerStatus.SEPARATED,
         OfficerStatus.DECEASED}
    ),
    OfficerStatus.SEPARATED: frozenset({OfficerStatus.ACTIVE, OfficerStatus.DECEASED}),
    OfficerStatus.DECEASED: frozenset(),
}


#: A person's own acts, which no posting changes: they stand until another act ends them.
SET_APART = frozenset(
    {OfficerStatus.REMOVED_FROM_DUTY, OfficerStatus.SUSPENDED, OfficerStatus.DECEASED})


def status_from_postings(
    current: OfficerStatus, *, posted: bool, open_posting: bool
) -> OfficerStatus:
    """The person's status as their postings make it (ADR 0025): active while any posting is
    open (one on leave included: a licencia is not a separation), separated once every
    posting has ended; a status set apart (suspension, removal from duty, death) stays, and so
    does an applicant's, never posted."""
    if current in SET_APART or not posted:
        return current
    return OfficerStatus.ACTIVE if open_posting else OfficerStatus.SEPARATED


@dataclass(frozen=True)
class StatusChange:
    """One line of an officer's status history: the status taken, from when, why, and on
    whose word (a username, `import`, or `migration` for the row history began with)."""

    id: int
    officer_id: int
    status: OfficerStatus
    effective_on: date
    reason: str
    actor: str
    recorded_at: datetime


class Sex(StrEnum):
    MALE = "H"  # hombre, as in the CURP
    FEMALE = "M"  # mujer
    NON_BINARY = "X"


class ContactKind(StrEnum):
    PHONE = "phone"
    ADDRESS = "address"
    EMAIL = "email"


@dataclass(frozen=True)
class Officer:
    id: int
    curp: str | None
    given_names: str
    first_surname: str
    second_surname: str | None
    birth_date: date | None
    birth_year: int | None
    sex: Sex | None
    status: OfficerStatus

    @property
    def listed_name(self) -> str:
        return listed_name(self.first_surname, self.second_surname, self.given_names)

    @property
    def full_name(self) -> str:
        parts = [self.given_names, self.first_surname, self.second_surname or ""]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Contact:
    kind: ContactKind
    value: str
    label: str | None = None


@dataclass(frozen=True)
class Badge:
    """A badge (placa) number an agency issued to an officer, with its period."""

    id: int
    officer_id: int
    agency_id: int
    number: str
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class RosterLine:
    """One officer on an agency's roster, with the posting that puts them there: the open one,
    or for former staff their latest one there (`until` and `end_reason` then say how it
    ended)."""

    officer_id: int
    curp: str | None
    name: str
    status: str
    rank: str
    unit_code: str | None
    unit_name: str | None
    since: date
    until: date | None = None
    end_reason: str | None = None


@dataclass(frozen=True)
class ExternalId:
    """An identity key from another system, for registries that have no CURP (e.g. Chicago)."""

    scheme: str
    value: str


SCHEME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Upper case, no accents, single spaces: the form names are searched in.

    'Ñ' is kept apart from 'N' everywhere else, but a search typed on a keyboard without it must
    still find 'PEÑA', so the folded form drops the tilde too. Remembered: an import folds the
    same few thousand names a hundred thousand times.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip().upper()


def search_key(first_surname: str, second_surname: str | None, given_names: str) -> str:
    """Surnames first, as Mexican registries list people: 'GARCIA LOPEZ JUAN CARLOS'."""
    return fold(" ".join(p for p in (first_surname, second_surname or "", given_names) if p))


def clean_name(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


def check_identity(
    *,
    curp: str | None,
    given_names: str,
    first_surname: str,
    second_surname: str | None,
    birth_date: date | None,
    birth_year: int | None,
    sex: Sex | None,
    today: date,
    errors: ErrorCollector,
    prefix: str = "",
) -> str | None:
    """Check an identity's fields together; returns the normalised CURP (or None)."""
    normalised: str | None = None
    if curp:
        try:
            normalised = validate_curp(curp)
        except InvalidCurp as exc:
            errors.add(f"{prefix}curp", str(exc))
    if not clean_name(given_names):
        errors.add(f"{prefix}given_names", "is required")
    if not clean_name(first_surname):
        errors.add(f"{prefix}first_surname", "is required")
    for name, value in (
        ("given_names", given_names),
        ("first_surname", first_surname),
        ("second_surname", second_surname or ""),
    ):
        if len(value) > 120:
            errors.add(f"{prefix}{name}", "is longer than 120 characters")
    if birth_date is not None:
        if birth_date > today:
            errors.add(f"{prefix}birth_date", f"{birth_date.isoformat()} is in the future")
        elif birth_date.year < today.year - 100:
            errors.add(f"{prefix}birth_date", f"{birth_date.isoformat()} is over 100 years ago")
    if birth_year is not None and not (today.year - 100 <= birth_year <= today.year):
        errors.add(f"{prefix}birth_year", f"{birth_year} is not a plausible birth year")
    if birth_date is not None and birth_year is not None and birth_date.year != birth_year:
        errors.add(f"{prefix}birth_year", "does not match the birth date")
    if normalised is not None:
        # The CURP spells out the birth date and sex; a record that contradicts its own key
        # is a typing error or a borrowed identity, and either way must not enter the registry.
        if birth_date is not None and curp_birth_date(normalised) != birth_date:
            errors.add(
                f"{prefix}curp",
                f"encodes birth date {curp_birth_date(normalised).isoformat()}, "
                f"not {birth_date.isoformat()}",
            )
        if sex is not None and curp_sex(normalised) != sex.value:
            errors.add(f"{prefix}curp", f"encodes sex {curp_sex(normalised)}, not {sex.value}")
    return normalised


def listed_name(first_surname: str, second_surname: str | None, given_names: str) -> str:
    """A name as lists sort and show it: "FIRST SECOND, Given"."""
    surnames = f"{first_surname} {second_surname}" if second_surname else first_surname
    return f"{surnames}, {given_names}"
