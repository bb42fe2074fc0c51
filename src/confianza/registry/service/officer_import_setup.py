"""Setting up the agencies a roster needs, in one command or one section of a mapping file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from confianza.accounts.rules.permissions import Actor
from confianza.core.errors import FieldError, ValidationFailed
from confianza.registry.rules.agencies import Agency, NewAgency
from confianza.registry.rules.import_mapping import AgencyMatch, derived_code, fold_name
from confianza.registry.service.agencies import add_agency
from confianza.work import Transaction, UnitOfWork


@dataclass(frozen=True)
class AgencyLoadReport:
    created: tuple[str, ...]
    existing: tuple[str, ...]


def ensure_agencies(
    tx: Transaction, actor: Actor, specs: tuple[NewAgency, ...], places: Sequence[str] = ()
) -> AgencyLoadReport:
    """Create, inside an open transaction, every listed agency that does not exist yet.

    Agencies are created in the order listed, so a parent listed before its children works.
    An agency that already exists is left as it is: set-up files are meant to be re-run.
    `places` says where each is written (file:line): an agency the registry refuses is named
    by it, field by field.
    """
    created: list[str] = []
    existing: list[str] = []
    for i, spec in enumerate(specs):
        if tx.agencies.by_code(spec.code) is not None:
            existing.append(spec.code)
            continue
        try:
            add_agency(tx, actor, spec)
        except ValidationFailed as exc:
            if i >= len(places):
                raise
            # "file.csv:3" then ":state_code"; "file.toml:6:agencies[1]" then ".state_code".
            sep = ":" if places[i].rsplit(":", 1)[-1].isdigit() else "."
            raise ValidationFailed([FieldError(f"{places[i]}{sep}{e.location}", e.reason)
                                    for e in exc.errors]) from exc
        created.append(spec.code)
    return AgencyLoadReport(tuple(created), tuple(existing))


def load_agencies(
    uow: UnitOfWork, actor: Actor, specs: tuple[NewAgency, ...], places: Sequence[str] = ()
) -> AgencyLoadReport:
    """Create the missing agencies of a set-up file, all or none."""
    with uow.transaction() as tx:
        return ensure_agencies(tx, actor, specs, places)


def agencies_by_name(
    tx: Transaction, actor: Actor, match: AgencyMatch, names: set[str], *, create: bool
) -> tuple[dict[str, Agency], dict[str, str]]:
    """The agencies a roster names, by the name as the file gives it: the mapping's table of
    names first, then the registry's own names (accents, case and spacing aside); with
    `create`, an agency still unknown is created (audited like any other) under a derived code.
    Returns the agencies found by name, and those created (code -> name)."""
    listed = {name: match.names[fold_name(name)] for name in names
              if fold_name(name) in match.names}
    by_code = tx.agencies.by_codes(set(listed.values())) if listed else {}
    found = {name: by_code[code] for name, code in listed.items() if code in by_code}
    created: dict[str, str] = {}
    for name in sorted(names - set(listed)):
        folded = fold_name(name)
        same = [a for a in tx.agencies.search(text=_accent_blind(folded),
                                              include_dissolved=True, limit=50)
                if fold_name(a.name) == folded]
        if same:
            # An agency merged into another keeps its name: the one still active wins.
            found[name] = min(same, key=lambda a: (not a.active, a.id))
        elif create:
            code = derived_code(match.code_prefix, name,
                                lambda c: c in created or tx.agencies.by_code(c) is not None)
            found[name] = add_agency(tx, actor, NewAgency(code=code, name=name[:200],
                                                          level=match.level))
            created[code] = name
    return found, created


def _accent_blind(folded: str) -> str:
    """A LIKE pattern that finds a name however its vowels and Ñ are accented ("POLICIA" finds
    "Policía": `_` stands for any one character, and SQLite upper-cases ASCII only); the exact
    comparison is made afterwards on the folded names."""
    return "".join("_" if c in "AEIOUN" else c for c in folded)
