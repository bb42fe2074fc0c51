"""What linking the accused needs of the registry beside the identity matcher's people: each
officer's star numbers (badges), keyed as the matcher keys officers."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from confianza.core.db.models import BadgeRow
from confianza.identities.rules.people import officer_key


class AccusedLinkRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def badges(self) -> dict[str, frozenset[str]]:
        """Every officer's badge numbers, by the matcher's key (`o:<id>`)."""
        found: dict[str, set[str]] = defaultdict(set)
        for officer_id, number in self._session.execute(
                select(BadgeRow.officer_id, BadgeRow.number)):
            found[officer_key(officer_id)].add(number)
        return {key: frozenset(numbers) for key, numbers in found.items()}
