"""What the complaint imports, the review of accused and the co-accusal network read and change
of the stored cases (ADR 0033). The imports' rows are written set-wise by the service through
the bulk writer; everything else of those tables goes through here."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, true, update
from sqlalchemy.orm import Session

from confianza.accounts.rules.permissions import Scope, ScopeKind
from confianza.core.db.models import (
    AgencyRow,
    BadgeRow,
    IntegrityAllegationRow,
    IntegrityCaseRow,
    IntegrityFindingRow,
    IntegrityImportedAccusedRow,
    IntegrityImportedCaseRow,
    IntegritySourceRow,
    OfficerRow,
)
from confianza.identities.rules.people import officer_key
from confianza.integrity.rules.catalogue import SourceChannel
from confianza.integrity.rules.imported import (
    AccusedReview,
    Placement,
    StoredInvolvement,
)


def _in_scope(scope: Scope) -> ColumnElement[bool]:
    """The cases held inside the scope."""
    if scope.kind is ScopeKind.AGENCY:
        return IntegrityCaseRow.agency_id == scope.agency_id
    if scope.kind is ScopeKind.STATE:
        return IntegrityCaseRow.agency_id.in_(
            select(AgencyRow.id).where(AgencyRow.state_code == scope.state_code))
    return true()


class ComplaintImportRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def badges(self) -> dict[str, frozenset[str]]:
        """Every officer's badge numbers, by the matcher's key (`o:<id>`)."""
        found: dict[str, set[str]] = defaultdict(set)
        for officer_id, number in self._session.execute(
                select(BadgeRow.officer_id, BadgeRow.number)):
            found[officer_key(officer_id)].add(number)
        return {key: frozenset(numbers) for key, numbers in found.items()}

    def imported_keys(self, source: str) -> set[str]:
        """The complaint keys of `source` already stored as cases."""
        return set(self._session.scalars(select(IntegrityImportedCaseRow.source_key).where(
            IntegrityImportedCaseRow.source == source)))

    def involvements(self, scope: Scope, *, officers: Collection[int] = (),
                     accused: Collection[str] = (), everyone: bool = False
                     ) -> list[StoredInvolvement]:
        """Each accused of each stored case in the scope, imported or taken in here: of every
        case when `everyone`, else of the cases naming one of `officers` or `accused` (the
        unmatched accused's network keys)."""
        a, c = IntegrityAllegationRow, IntegrityCaseRow
        ic, ia, f = IntegrityImportedCaseRow, IntegrityImportedAccusedRow, IntegrityFindingRow
        statement = (
            select(a.id, a.case_id, a.officer_id, a.occurred_on, ic.source, ic.source_key,
                   ic.channel, ic.complained_on, ia.network_key, ia.finding,
                   f.finding.label("decided"), f.needs_second, f.confirmed_by_id)
            .join(c, c.id == a.case_id)
            .outerjoin(ic, ic.case_id == a.case_id)
            .outerjoin(ia, ia.allegation_id == a.id)
            .outerjoin(f, f.allegation_id == a.id)
            .where(_in_scope(scope)))
        if not everyone:
            wanted = []
            if officers:
                wanted.append(a.case_id.in_(select(a.case_id).where(
                    a.officer_id.in_(list(officers)))))
            if accused:
                wanted.append(a.case_id.in_(select(ia.case_id).where(
                    ia.network_key.in_(list(accused)))))
            if not wanted:
                return []
            statement = statement.where(or_(*wanted))
        rows = self._session.execute(statement).all()
        native = {r.case_id for r in rows if r.source_key is None}
        citizen = self._citizen_cases(native) if native else set()
        found = []
        for r in rows:
            if r.source_key is not None:
                found.append(StoredInvolvement(
                    f"{r.source}:{r.source_key}", r.case_id, r.complained_on,
                    r.channel == "civilian", r.network_key, r.finding))
                continue
            in_effect = r.decided is not None and (not r.needs_second
                                                   or r.confirmed_by_id is not None)
            found.append(StoredInvolvement(
                f"case:{r.case_id}", r.case_id, r.occurred_on, r.case_id in citizen,
                f"o:{r.officer_id}" if r.officer_id is not None else f"a:{r.id}",
                r.decided if in_effect else "no_finding"))
        return found

    def _citizen_cases(self, case_ids: Collection[int]) -> set[int]:
        return set(self._session.scalars(select(IntegritySourceRow.case_id).where(
            IntegritySourceRow.case_id.in_(list(case_ids)),
            IntegritySourceRow.channel == SourceChannel.CITIZEN_COMPLAINT.value)))

    def officer_labels(self, officer_ids: Collection[int]) -> dict[int, str]:
        """Each officer's name as the network's nodes show it."""
        if not officer_ids:
            return {}
        o = OfficerRow
        rows = self._session.execute(select(o.id, o.given_names, o.first_surname,
                                            o.second_surname).where(o.id.in_(list(officer_ids))))
        return {r.id: " ".join(p for p in (r.given_names, r.first_surname, r.second_surname)
                               if p) for r in rows}

    # Review of the accused the linking could not place -------------------------------------
    def review(self, scope: Scope, *, limit: int) -> list[AccusedReview]:
        """The ambiguous accused of the scope, one entry per identity (network key)."""
        ia, c, ic = IntegrityImportedAccusedRow, IntegrityCaseRow, IntegrityImportedCaseRow
        statement = (
            select(ia.id, ia.network_key, ia.given_names, ia.surname, ia.star, ia.birth_year,
                   ia.appointed_on, ia.candidates, ic.source, ic.source_key, c.agency_id)
            .join(c, c.id == ia.case_id).join(ic, ic.case_id == ia.case_id)
            .where(ia.link == Placement.AMBIGUOUS.value, _in_scope(scope))
            .order_by(ia.network_key, ia.id))
        items: dict[str, dict[str, Any]] = {}
        for r in self._session.execute(statement):
            item = items.get(r.network_key)
            if item is None:
                if len(items) >= limit:
                    break
                item = items[r.network_key] = {
                    "id": r.id, "given_names": r.given_names, "surname": r.surname,
                    "star": r.star, "birth_year": r.birth_year,
                    "appointed_on": r.appointed_on, "agency_id": r.agency_id,
                    "candidates": tuple(json.loads(r.candidates)), "complaints": [],
                    "network_key": r.network_key}
            item["complaints"].append(f"{r.source}:{r.source_key}")
        return [AccusedReview(complaints=tuple(sorted(set(v.pop("complaints")))), **v)
                for v in items.values()]

    def review_item(self, accused_id: int) -> AccusedReview | None:
        """One accused's review entry, whatever their placement now (`placement` says it)."""
        ia, c, ic = IntegrityImportedAccusedRow, IntegrityCaseRow, IntegrityImportedCaseRow
        r = self._session.execute(
            select(ia.id, ia.network_key, ia.given_names, ia.surname, ia.star, ia.birth_year,
                   ia.appointed_on, ia.candidates, ia.link, c.agency_id)
            .join(c, c.id == ia.case_id).where(ia.id == accused_id)).one_or_none()
        if r is None:
            return None
        keys = self._session.execute(
            select(ic.source, ic.source_key).join(ia, ia.case_id == ic.case_id)
            .where(ia.network_key == r.network_key, ia.link == r.link)).all()
        return AccusedReview(r.id, r.given_names, r.surname, r.star, r.birth_year,
                             r.appointed_on, r.agency_id, tuple(json.loads(r.candidates)),
                             tuple(sorted({f"{s}:{k}" for s, k in keys})), r.network_key,
                             Placement(r.link))

    def place(self, network_key: str, *, officer_id: int | None, by: str,
              at: datetime) -> int:
        """Settle every ambiguous row of one identity: attached to `officer_id` (its
        allegations then name the officer), or rejected (None: stays its own node)."""
        ia = IntegrityImportedAccusedRow
        which = and_(ia.network_key == network_key, ia.link == Placement.AMBIGUOUS.value)
        allegation_ids = list(self._session.scalars(select(ia.allegation_id).where(which)))
        if officer_id is None:
            values: dict[str, object] = {"link": Placement.REJECTED.value}
        else:
            values = {"link": Placement.ATTACHED.value, "network_key": f"o:{officer_id}"}
            self._session.execute(
                update(IntegrityAllegationRow)
                .where(IntegrityAllegationRow.id.in_(allegation_ids))
                .values(officer_id=officer_id))
        self._session.execute(update(ia).where(ia.allegation_id.in_(allegation_ids)).values(
            reviewed_by=by, reviewed_at=at, **values))
        return len(allegation_ids)

