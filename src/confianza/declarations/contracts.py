"""What the declaration use cases need of storage (ADR 0022, ADR 0038)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from confianza.core.work import Part
from confianza.declarations.rules.records import (
    Declaration,
    DeclarationKind,
    Filer,
    PayrollYear,
    Service,
    StoredDeclaration,
)


@dataclass(frozen=True)
class Declarant:
    """An officer a declaration names by CURP, and the day they first took office here."""

    officer_id: int
    took_office: date | None


@dataclass(frozen=True)
class NewDeclaration:
    """A declaration read and accepted, ready to keep: amounts in pesos beside the filed ones
    (`pesos`: one figure per item, in the order of `declaration.items`)."""

    declaration: Declaration
    officer_id: int
    year: int
    public_income_year: float
    total_income_year: float
    pesos: tuple[tuple[float | None, float | None], ...]
    rates: str
    document: str


class DeclarationStore(Protocol):
    def declarants(self, curps: Sequence[str]) -> dict[str, Declarant]:
        """The officers named by these CURPs (absent: unknown) and when each took office."""

    def taken(self, officer_ids: Sequence[int]) -> set[tuple[int, DeclarationKind, int]]:
        """(officer, kind, year) of the declarations these officers already have."""

    def known_sources(self, source_ids: Sequence[str]) -> set[str]:
        """The S1 ids among these that are already held."""

    def add(self, declarations: Sequence[NewDeclaration], *, by: str, at: datetime) -> None:
        """Keep the declarations and their lines (set-based, inside the transaction)."""

    def count(self) -> int:
        """How many declarations the registry holds."""

    def documents(self, officer_id: int, *, offset: int = 0, limit: int | None = None
                  ) -> tuple[list[str], int]:
        """An officer's S1 documents as kept, oldest filed first, and how many there are."""

    def for_checks(self, officer_ids: Sequence[int] | None = None, *, lines: bool = True,
                   part: Part | None = None) -> Iterator[tuple[int, list[StoredDeclaration]]]:
        """Every officer's declarations (or these officers', or those of the officers in
        `part`), oldest first, the latest two with their lines (unless `lines` is false), by
        officer."""

    def services(self, officer_ids: Sequence[int] | None = None, *,
                 state_code: str | None = None, agency_id: int | None = None,
                 part: Part | None = None) -> dict[int, Service]:
        """Officers' service as the checks need it: when they took office, left, their ranks
        and the level of their latest agency (all officers; these; or those who ever served
        in the state or the agency; of those, the officers in `part`)."""

    def document(self, declaration_id: int) -> tuple[int, str] | None:
        """A declaration's officer and its S1 document as kept."""

    def names(self, officer_ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
        """Officers' full names and CURPs."""

    def filers(self) -> dict[int, Filer]:
        """Every officer with a CURP as the S1 form names them (the demo files for them)."""

    def replace_payroll(self, source: str, rows: Sequence[tuple[Any, ...]], *, by: str,
                        at: datetime) -> int:
        """Store a payroll's rows (officer, year, gross, currency, pesos, file name, SHA-256,
        line), first deleting the source's rows for the years they hold; how many went."""

    def payroll(self, officer_ids: Sequence[int] | None = None, *, part: Part | None = None
                ) -> dict[int, dict[int, PayrollYear]]:
        """Officers' imported pay by year (of two payrolls for one year, the later import);
        all officers', these, or those in `part`."""
