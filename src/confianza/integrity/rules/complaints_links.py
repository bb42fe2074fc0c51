"""The accused of a complaint file linked to the registry's officers, never by a guess.

Pure. The accused file shares no key with the registry, only what the file says of each
person: name, star number, birth year, appointment date. The registry's side comes as the
identity matching takes it (`identities.rules.people.Person`, names folded the same way), with
each officer's star numbers beside it. Each distinct accused identity is then:

- **linked** when exactly one officer agrees on the surname and given name and on at least two
  of birth year, appointment date and star number, with nothing known disagreeing;
- **ambiguous** (sent to review) when the evidence points at someone but not at one person
  with two proofs: two officers equally good, a name that agrees with nothing else known, or a
  star number, birth year and appointment date that agree under another name (a misspelling);
- **unmatched** otherwise: kept as its own accused, still a node of the network.

A link needs two independent facts beside the name because one is a coincidence in a force of
twelve thousand (hundreds share a birth year; stars are reissued). ADR 0031 gives the figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from confianza.identities.rules.people import Person, folded, officer_id_of
from confianza.integrity.rules.complaints import AccusedIdentity

#: Two of the three facts beside the name: a single one is a coincidence (see the docstring).
PROOFS_NEEDED = 2
UNMATCHED_PREFIX = "u:"
#: Names a file writes for "we do not know who": never matched, one node per row.
UNKNOWN_NAMES = frozenset({"", "UNKNOWN", "UNK", "N/A"})


class LinkOutcome(StrEnum):
    LINKED = "linked"
    AMBIGUOUS = "ambiguous"
    UNMATCHED = "unmatched"


@dataclass(frozen=True, slots=True)
class Link:
    """What became of one accused identity, with the officers a reviewer would compare."""

    outcome: LinkOutcome
    officer_id: int | None = None  # only when linked
    candidates: tuple[int, ...] = ()  # the officers in question when ambiguous
    reason: str = ""


@dataclass(frozen=True)
class LinkCounts:
    identities: Counter[LinkOutcome]
    rows: Counter[LinkOutcome]


def _given(text: str | None) -> tuple[str, str]:
    """First given name and the first letter of the next one (a middle initial), folded."""
    words = (folded(text) or "").replace(".", " ").split()
    return (words[0] if words else "", words[1][:1] if len(words) > 1 else "")


def accused_key(identity: AccusedIdentity, row_key: str) -> str:
    """The network's key of an unmatched accused: the same person named the same way in two
    complaints is one node; someone the file cannot name is one node per row."""
    return named_key(identity) or f"{UNMATCHED_PREFIX}row:{row_key}"


def named_key(identity: AccusedIdentity) -> str | None:
    """`accused_key` of someone the file names, the same in every row that names them the same
    way; None for someone it cannot name, whose node is their row's."""
    surname = folded(identity.first_surname) or ""
    if surname in UNKNOWN_NAMES:
        return None
    given, initial = _given(identity.given_names)
    return UNMATCHED_PREFIX + "|".join((
        surname, given, initial, str(identity.birth_year or ""),
        identity.appointed_date.isoformat() if identity.appointed_date else "",
        identity.star or ""))


class Linker:
    """The registry's people indexed once, to link many accused identities against."""

    def __init__(self, people: Sequence[Person],
                 badges: Mapping[str, Collection[str]] | None = None) -> None:
        self._by_surname: dict[str, list[Person]] = defaultdict(list)
        self._by_star: dict[str, list[Person]] = defaultdict(list)
        self._badges = {k: frozenset(v) for k, v in (badges or {}).items()}
        for p in people:
            if officer_id_of(p.key) is None:
                continue
            self._by_surname[p.first_surname].append(p)
            for star in self._badges.get(p.key, ()):
                self._by_star[star].append(p)

    def _proofs(self, who: AccusedIdentity, p: Person) -> int | None:
        """How many facts beside the name agree; None when a known fact disagrees."""
        proofs = 0
        if who.birth_year is not None and p.birth_year is not None:
            if who.birth_year != p.birth_year:
                return None
            proofs += 1
        if who.appointed_date is not None and p.first_start is not None:
            if who.appointed_date != p.first_start:
                return None
            proofs += 1
        # A star not among the officer's is no disagreement: stars are reissued and the
        # registry may not hold every one an officer carried.
        if who.star and who.star in self._badges.get(p.key, ()):
            proofs += 1
        return proofs

    def link(self, who: AccusedIdentity) -> Link:
        surname = folded(who.first_surname) or ""
        if surname in UNKNOWN_NAMES:
            return Link(LinkOutcome.UNMATCHED, reason="the file does not name the officer")
        given, initial = _given(who.given_names)
        scored: list[tuple[int, Person]] = []
        for p in self._by_surname.get(surname, ()):
            their_given, their_initial = _given(p.given_names)
            if their_given != given or (initial and their_initial and initial != their_initial):
                continue
            proofs = self._proofs(who, p)
            if proofs is not None:
                scored.append((proofs, p))
        strong = [p for n, p in scored if n >= PROOFS_NEEDED]
        if len(strong) == 1:
            return Link(LinkOutcome.LINKED, _id(strong[0]),
                        reason=f"name and {PROOFS_NEEDED}+ of birth year, appointment, star")
        if strong:
            return Link(LinkOutcome.AMBIGUOUS, candidates=_ids(strong),
                        reason=f"{len(strong)} officers agree equally")
        if scored:
            return Link(LinkOutcome.AMBIGUOUS, candidates=_ids(p for _, p in scored),
                        reason="the name agrees, too little else to tell")
        # A misspelt name: the star, birth year and appointment of one officer all agree.
        if who.star and who.birth_year is not None and who.appointed_date is not None:
            same = [p for p in self._by_star.get(who.star, ())
                    if self._proofs(who, p) == 3]
            if same:
                return Link(LinkOutcome.AMBIGUOUS, candidates=_ids(same),
                            reason="star, birth year and appointment agree under another name")
        return Link(LinkOutcome.UNMATCHED, reason="no officer of the registry agrees")


def _id(p: Person) -> int:
    found = officer_id_of(p.key)
    assert found is not None  # only officers are indexed
    return found


def _ids(people: Iterable[Person]) -> tuple[int, ...]:
    return tuple(sorted({_id(p) for p in people}))


def link_accused(identities: Iterable[AccusedIdentity], people: Sequence[Person],
                 badges: Mapping[str, Collection[str]] | None = None
                 ) -> dict[AccusedIdentity, Link]:
    """Each distinct accused identity's link to the registry (see the module's rules)."""
    linker = Linker(people, badges)
    return {who: linker.link(who) for who in dict.fromkeys(identities)}


def count(links: Mapping[AccusedIdentity, Link],
          rows: Iterable[AccusedIdentity]) -> LinkCounts:
    """Outcomes counted by distinct identity and by row of the file."""
    return LinkCounts(Counter(link.outcome for link in links.values()),
                      Counter(links[who].outcome for who in rows))


def network_key(link: Link, identity: AccusedIdentity, row_key: str) -> str:
    """The accused's node: the officer when linked, else their own unmatched key (an
    ambiguous accused stays apart until a reviewer decides)."""
    return identity_node(link, identity) or f"{UNMATCHED_PREFIX}row:{row_key}"


def identity_node(link: Link, identity: AccusedIdentity) -> str | None:
    """`network_key` when it does not hang on the row (an import works it out once per
    person, not once per row); None for an accused the file cannot name."""
    if link.outcome is LinkOutcome.LINKED and link.officer_id is not None:
        return f"o:{link.officer_id}"
    return named_key(identity)
