"""CUP credentials, their status bits, and the issuer's keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.orm import Session

from confianza.core.db.models import (
    AgencyRow,
    AssignmentRow,
    CupCertificateRow,
    CupCredentialRow,
    IssuerKeyRow,
    OfficerRow,
)
from confianza.credentials.contracts import CertificateToIssue, IssuerKey
from confianza.credentials.rules.issuer import StoredCredential
from confianza.registry.repository.officers import answers_for_officer

_TAKE = text("UPDATE credential_state SET next_index = next_index + :n WHERE id = 1 "
             "RETURNING next_index")


def _stored(row: CupCredentialRow) -> StoredCredential:
    return StoredCredential(row.id, row.credential_id, row.certificate_id, row.officer_id,
                            row.kid, row.status_index, row.token, row.issued_at,
                            row.valid_until, row.revoked, row.suspended, row.status_reason)


class CredentialRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Issuing ----------------------------------------------------------------------------------

    def take_indexes(self, count: int) -> int:
        """Reserve `count` consecutive status indexes; returns the first."""
        after = self._session.connection().execute(_TAKE, {"n": count}).scalar_one()
        return int(after) - count

    def to_issue(self, today: date, *, after_certificate: int = 0, limit: int = 10_000,
                 officer_id: int | None = None) -> tuple[list[CertificateToIssue], int | None]:
        """Up to `limit` current certificates (valid today) without a credential, by
        certificate id, with the officer's name and their open assignment's agency and rank;
        and the last certificate id looked at (None: nothing left), to go on from. An officer
        with no open assignment (separated) has nothing to show, and is left out.

        The certificates are picked first, by primary key from `after_certificate` with an
        anti-join on the credentials' unique certificate index, and only those are joined to
        the officer, posting and agency: a national issuance reads each table once overall,
        not once a batch."""
        picked = (
            select(CupCertificateRow.id, CupCertificateRow.officer_id, CupCertificateRow.number,
                   CupCertificateRow.issued_on, CupCertificateRow.valid_until)
            .outerjoin(CupCredentialRow,
                       CupCredentialRow.certificate_id == CupCertificateRow.id)
            .where(CupCertificateRow.ended_on.is_(None),
                   CupCertificateRow.valid_until >= today,
                   CupCertificateRow.id > after_certificate,
                   CupCredentialRow.id.is_(None))
            .order_by(CupCertificateRow.id)
            .limit(limit)
        )
        if officer_id is not None:
            picked = picked.where(CupCertificateRow.officer_id == officer_id)
        cert = picked.subquery()
        query = (
            select(cert.c.id, cert.c.officer_id, cert.c.number, cert.c.issued_on,
                   cert.c.valid_until, OfficerRow.given_names, OfficerRow.first_surname,
                   OfficerRow.second_surname, AgencyRow.name, AssignmentRow.rank,
                   OfficerRow.status)
            .join(OfficerRow, OfficerRow.id == cert.c.officer_id)
            .outerjoin(AssignmentRow, and_(AssignmentRow.officer_id == cert.c.officer_id,
                                           answers_for_officer()))
            .outerjoin(AgencyRow, AgencyRow.id == AssignmentRow.agency_id)
            .order_by(cert.c.id, AssignmentRow.start_date.desc())
        )
        found: dict[int, CertificateToIssue] = {}
        last: int | None = None
        for row in self._session.execute(query):
            last = row[0]
            # Two open assignments (a secondment): the latest names the agency.
            if row[0] not in found and row[8] is not None:
                found[row[0]] = CertificateToIssue(*row)
        return list(found.values()), last

    # Reading ----------------------------------------------------------------------------------

    def of_certificate(self, certificate_id: int) -> StoredCredential | None:
        row = self._session.scalars(select(CupCredentialRow).where(
            CupCredentialRow.certificate_id == certificate_id)).one_or_none()
        return None if row is None else _stored(row)

    def of_officer(self, officer_id: int) -> list[StoredCredential]:
        """Every credential issued to an officer, newest first."""
        rows = self._session.scalars(select(CupCredentialRow).where(
            CupCredentialRow.officer_id == officer_id).order_by(CupCredentialRow.id.desc()))
        return [_stored(r) for r in rows]

    def by_credential_id(self, credential_id: str) -> StoredCredential | None:
        row = self._session.scalars(select(CupCredentialRow).where(
            CupCredentialRow.credential_id == credential_id)).one_or_none()
        return None if row is None else _stored(row)

    def count(self) -> int:
        return int(self._session.scalar(
            select(func.count()).select_from(CupCredentialRow)) or 0)

    def flagged_between(self, low: int, high: int) -> Iterator[tuple[int, bool, bool]]:
        """(index, revoked, suspended) of the flagged credentials with low <= index < high:
        the partial index holds only these."""
        rows = self._session.execute(
            select(CupCredentialRow.status_index, CupCredentialRow.revoked,
                   CupCredentialRow.suspended)
            .where(CupCredentialRow.status_index >= low, CupCredentialRow.status_index < high,
                   or_(CupCredentialRow.revoked, CupCredentialRow.suspended)))
        for index, revoked, suspended in rows:
            yield int(index), bool(revoked), bool(suspended)

    def highest_index(self) -> int | None:
        value = self._session.scalar(select(func.max(CupCredentialRow.status_index)))
        return None if value is None else int(value)

    # Status -----------------------------------------------------------------------------------

    def set_status(self, credential_id: int, *, revoked: bool, suspended: bool,
                   reason: str | None) -> None:
        self._session.execute(
            update(CupCredentialRow).where(CupCredentialRow.id == credential_id)
            .values(revoked=revoked, suspended=suspended, status_reason=reason))

    # Keys -------------------------------------------------------------------------------------

    def issuer_keys(self) -> list[IssuerKey]:
        rows = self._session.scalars(select(IssuerKeyRow).order_by(IssuerKeyRow.first_used_at))
        return [IssuerKey(r.kid, json.loads(r.public_jwk), r.first_used_at, r.retired_at)
                for r in rows]

    def record_key(self, kid: str, public_jwk: dict[str, Any], now: datetime) -> bool:
        """Record a signing key's public part the first time it signs, retiring every other
        key; False when it was already recorded."""
        if self._session.get(IssuerKeyRow, kid) is not None:
            return False
        self._session.execute(update(IssuerKeyRow).where(IssuerKeyRow.retired_at.is_(None))
                              .values(retired_at=now))
        self._session.add(IssuerKeyRow(kid=kid, public_jwk=json.dumps(public_jwk),
                                       first_used_at=now, retired_at=None))
        self._session.flush()
        return True

    def last_valid_day(self, kid: str) -> date | None:
        """The last day on which a credential signed by `kid` is valid (an index lookup)."""
        day: date | None = self._session.scalar(
            select(func.max(CupCredentialRow.valid_until)).where(CupCredentialRow.kid == kid))
        return day
