"""CUP credentials: issued when a certificate is, their status kept with its causes, and the
issuer's public files (status lists, keys) that let anyone verify them offline (ADR 0014).

Status follows the registry by itself, in the transaction of the cause:
- a certificate revoked (not approved) or replaced ends its credential for good (revocation);
- an officer separated or deceased: revocation;
- an officer suspended or removed from operational duty: suspension, lifted on return to duty.
An expired certificate needs nothing: the credential carries its own end.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from confianza.accounts.rules.permissions import Actor, Holder, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import NotFound
from confianza.credentials.contracts import CertificateToIssue
from confianza.credentials.rules.credential import (
    Check,
    CredentialError,
    CupFacts,
    StatusLists,
    compact_credential,
    cup_credential,
    facts_of,
    verify_credential,
)
from confianza.credentials.rules.issuer import (
    LIST_SIZE,
    PURPOSES,
    Issuer,
    StoredCredential,
    slot_of,
)
from confianza.kit.jose import KeySet, b64url_decode
from confianza.kit.status_list import encode_list, status_entry, status_list_credential
from confianza.registry.rules.officers import OfficerStatus
from confianza.trail.rules import AuditAction, PendingEntry
from confianza.work import Transaction, UnitOfWork

TYP = "vc+jwt"
#: How long a published status list may be relied on offline; past it, a verifier that has
#: not fetched a newer one reports "status unknown", never "valid".
STATUS_LIST_VALIDITY = timedelta(days=1)
#: How long this process reuses a signed list before reading the bits again: a change reaches
#: the public within this time (and the HTTP cache time the web layer adds).
STATUS_CACHE_SECONDS = 60.0
#: A list is dated this much before it is signed: a verifier whose clock runs a little behind
#: (or that took its "now" just before the list was signed) must not find it "not yet valid".
CLOCK_SKEW = timedelta(minutes=5)
BATCH = 20_000

_REVOKING = {OfficerStatus.SEPARATED: "separated", OfficerStatus.DECEASED: "deceased"}
_SUSPENDING = {OfficerStatus.SUSPENDED: "suspended",
               OfficerStatus.REMOVED_FROM_DUTY: "removed_from_duty"}


# Issuing ----------------------------------------------------------------------------------------


def issue_for_officer(tx: Transaction, actor: Actor, officer_id: int,
                      issuer: Issuer | None) -> int:
    """Inside the transaction that issued a certificate: sign its credential. Nothing when no
    signing key is configured here (`issue_missing` catches up later)."""
    if issuer is None:
        return 0
    rows, _ = tx.credentials.to_issue(tx.today, officer_id=officer_id)
    return _issue(tx, actor, issuer, rows)


def issue_missing(uow: UnitOfWork, actor: Actor, *, issuer: Issuer | None, batch: int = BATCH,
                  progress: Callable[[int], None] | None = None) -> int:
    """Sign a credential for every current certificate that has none (after a bulk load, or
    where certificates were issued without a key); one transaction per batch. Returns how many
    were issued."""
    if issuer is None:
        raise NotFound("no credential signing key is configured (CONFIANZA_CREDENTIAL_KEY)")
    issued = 0
    after: int | None = 0
    while after is not None:
        with uow.transaction() as tx:
            require(actor, Permission.CUP_WRITE, Holder(), resource_type="credential")
            rows, after = tx.credentials.to_issue(tx.today, after_certificate=after,
                                                  limit=batch)
            issued += _issue(tx, actor, issuer, rows)
        if progress is not None:
            progress(issued)
    return issued


def _issue(tx: Transaction, actor: Actor, issuer: Issuer,
           rows: list[CertificateToIssue]) -> int:
    if not rows:
        return 0
    if tx.credentials.record_key(issuer.kid, issuer.key.public_jwk(), tx.now):
        tx.audit.record(actor, AuditAction.CREDENTIAL_ISSUE, "issuer_key", issuer.kid,
                        detail={"key": "first use; earlier keys retire"})
    first = tx.credentials.take_indexes(len(rows))
    records: list[tuple[object, ...]] = []
    entries: list[PendingEntry] = []
    for k, c in enumerate(rows):
        index = first + k
        slot = slot_of(index)
        credential_id = f"urn:uuid:{uuid.uuid4()}"
        name = " ".join(p for p in (c.given_names, c.first_surname, c.second_surname) if p)
        facts = CupFacts(c.number, name, c.agency, c.rank, c.issued_on, c.valid_until)
        status = [status_entry(issuer.status_list_url(p, slot.number), slot.position, p)
                  for p in PURPOSES]
        token = issuer.key.sign(
            cup_credential(issuer=issuer.did, credential_id=credential_id, facts=facts,
                           status=status, zone=tx.zone), TYP)
        # Issued to a suspended officer (a component recorded meanwhile): suspended from the
        # start, and lifted like any other suspension.
        suspension = _SUSPENDING.get(OfficerStatus(c.officer_status))
        records.append((credential_id, c.certificate_id, c.officer_id, issuer.kid, index,
                        token, tx.now, c.valid_until, False, suspension is not None,
                        suspension))
        entries.append(PendingEntry(
            actor.username, actor.kind.value, AuditAction.CREDENTIAL_ISSUE, "certificate",
            str(c.certificate_id),
            detail={"officer_id": c.officer_id, "credential": credential_id,
                    "kid": issuer.kid, "status_index": index, **actor.attribution()}))
    # COPY on PostgreSQL, multi-row INSERTs on SQLite: a national issuance is 400,000 rows.
    tx.bulk_writer().insert("cup_credentials", (
        "credential_id", "certificate_id", "officer_id", "kid", "status_index", "token",
        "issued_at", "valid_until", "revoked", "suspended", "status_reason"), records)
    tx.audit.write_many(entries)
    return len(records)


# Status -----------------------------------------------------------------------------------------


def certificate_ended(tx: Transaction, actor: Actor, certificate_id: int, reason: str) -> None:
    """A certificate ended: a revoked or replaced one takes its credential with it."""
    if reason == "expired":
        return
    credential = tx.credentials.of_certificate(certificate_id)
    if credential is not None and not credential.revoked:
        _set_status(tx, actor, credential, revoked=True, suspended=False,
                    reason="not_approved" if reason == "revoked" else reason)


def officer_status_changed(tx: Transaction, actor: Actor, officer_id: int,
                           status: OfficerStatus) -> None:
    """An officer's status changed: revoke, suspend or reinstate their credentials that can
    still be valid."""
    for credential in tx.credentials.of_officer(officer_id):
        if credential.revoked or credential.valid_until < tx.today:
            continue
        if status in _REVOKING:
            _set_status(tx, actor, credential, revoked=True, suspended=False,
                        reason=_REVOKING[status])
        elif status in _SUSPENDING:
            if not credential.suspended:
                _set_status(tx, actor, credential, revoked=False, suspended=True,
                            reason=_SUSPENDING[status])
        elif credential.suspended:
            _set_status(tx, actor, credential, revoked=False, suspended=False,
                        reason="reinstated")


def _set_status(tx: Transaction, actor: Actor, credential: StoredCredential, *,
                revoked: bool, suspended: bool, reason: str) -> None:
    tx.credentials.set_status(credential.id, revoked=revoked, suspended=suspended,
                              reason=None if reason == "reinstated" else reason)
    state = "revoked" if revoked else "suspended" if suspended else "valid"
    tx.audit.record(actor, AuditAction.CREDENTIAL_STATUS, "certificate",
                    credential.certificate_id,
                    detail={"officer_id": credential.officer_id,
                            "credential": credential.credential_id,
                            "status": state, "reason": reason,
                            "status_index": credential.status_index})


# What the public reads --------------------------------------------------------------------------


class _SignedLists:
    """Status lists signed by this process, reused for STATUS_CACHE_SECONDS. Kept per issuer
    object: each container (each database) builds its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lists: dict[tuple[str, int], tuple[Issuer, float, str]] = {}

    def get(self, issuer: Issuer, purpose: str, number: int) -> str | None:
        with self._lock:
            found = self._lists.get((purpose, number))
        if found is None or found[0] is not issuer or found[1] < time.monotonic():
            return None
        return found[2]

    def put(self, issuer: Issuer, purpose: str, number: int, token: str) -> None:
        with self._lock:
            self._lists[(purpose, number)] = (issuer, time.monotonic() + STATUS_CACHE_SECONDS,
                                              token)

    def clear(self) -> None:
        with self._lock:
            self._lists.clear()


SIGNED_LISTS = _SignedLists()


def _issuer(issuer: Issuer | None) -> Issuer:
    if issuer is None:
        raise NotFound("this registry issues no credentials (no signing key is configured)")
    return issuer


def status_list(uow: UnitOfWork, purpose: str, number: int, *, issuer: Issuer | None) -> str:
    """A signed BitstringStatusListCredential (vc+jwt): public, no login, not audited (it
    holds only bits anyone may read)."""
    issuer = _issuer(issuer)
    if purpose not in PURPOSES:
        raise NotFound(f"no status list for {purpose!r}: the purposes are "
                       f"{', '.join(PURPOSES)}")
    cached = SIGNED_LISTS.get(issuer, purpose, number)
    if cached is not None:
        return cached
    with uow.transaction(read_only=True) as tx:
        highest = tx.credentials.highest_index()
        if number < 0 or highest is None or number > slot_of(highest).number:
            raise NotFound(f"status list {purpose}/{number} does not exist")
        bits = bytearray(LIST_SIZE // 8)
        low = number * LIST_SIZE
        for index, revoked, suspended in tx.credentials.flagged_between(low, low + LIST_SIZE):
            if revoked if purpose == "revocation" else suspended:
                position = slot_of(index).position
                bits[position // 8] |= 0x80 >> (position % 8)
        now = tx.now
    url = issuer.status_list_url(purpose, number)
    token = issuer.key.sign(status_list_credential(
        issuer=issuer.did, list_url=url, purpose=purpose, encoded=encode_list(bytes(bits)),
        valid_from=now - CLOCK_SKEW, valid_until=now + STATUS_LIST_VALIDITY), TYP)
    SIGNED_LISTS.put(issuer, purpose, number, token)
    return token


def published_keys(uow: UnitOfWork, *, issuer: Issuer | None) -> list[dict[str, Any]]:
    """The public keys a verifier needs: the signing key, and every earlier key while a
    credential it signed can still be valid."""
    issuer = _issuer(issuer)
    keys = [issuer.key.public_jwk()]
    with uow.transaction(read_only=True) as tx:
        for key in tx.credentials.issuer_keys():
            if key.kid == issuer.kid:
                continue
            last_day = tx.credentials.last_valid_day(key.kid)
            if key.retired_at is None or (last_day is not None and last_day >= tx.today):
                keys.append(key.public_jwk)
    return keys


def jwks(uow: UnitOfWork, *, issuer: Issuer | None) -> dict[str, Any]:
    return {"keys": published_keys(uow, issuer=issuer)}


def did_document(uow: UnitOfWork, *, issuer: Issuer | None) -> dict[str, Any]:
    """The issuer's did:web document: its keys as JsonWebKey verification methods, each one
    usable to assert credentials."""
    issuer = _issuer(issuer)
    methods = [{"id": key["kid"], "type": "JsonWebKey", "controller": issuer.did,
                "publicKeyJwk": {k: v for k, v in key.items() if k != "kid"}}
               for key in published_keys(uow, issuer=issuer)]
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
            "id": issuer.did, "verificationMethod": methods,
            "assertionMethod": [m["id"] for m in methods]}


class _Verifiers:
    """The keys and the status lists this process checks presented credentials against,
    renewed every STATUS_CACHE_SECONDS: a check then costs a signature and a bit lookup, and
    a status change still shows within two cache periods."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[float, Issuer, KeySet, StatusLists] | None = None

    def get(self, uow: UnitOfWork, issuer: Issuer) -> tuple[KeySet, StatusLists]:
        with self._lock:
            current = self._current
        if current is not None and current[0] > time.monotonic() and current[1] is issuer:
            return current[2], current[3]
        keys = KeySet.from_jwks(jwks(uow, issuer=issuer))

        def fetch(url: str) -> str:
            found = issuer.status_list_of(url)
            if found is None:
                raise LookupError(f"{url} is not one of this issuer's status lists")
            return status_list(uow, *found, issuer=issuer)

        lists = StatusLists(keys, fetch, issuer=issuer.did)
        with self._lock:
            self._current = (time.monotonic() + STATUS_CACHE_SECONDS, issuer, keys, lists)
        return keys, lists

    def clear(self) -> None:
        with self._lock:
            self._current = None


VERIFIERS = _Verifiers()


def check(uow: UnitOfWork, presented: str, *, issuer: Issuer | None) -> Check:
    """Verify a presented credential (a token, a verification link, or the card's compact
    form or its link) as an outside verifier would, against the published keys and status
    lists, read here without a network."""
    issuer = _issuer(issuer)
    keys, lists = VERIFIERS.get(uow, issuer)
    return verify_credential(presented, keys, lists, now=uow.now(), base_url=issuer.base_url)


def forget_published() -> None:
    """Drop what this process keeps of its published lists and keys (tests; a key change)."""
    SIGNED_LISTS.clear()
    VERIFIERS.clear()


# An officer's credential ------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialView:
    """A stored credential as it is shown: its facts, the link carrying the whole vc+jwt, and
    the link the card's QR code carries (the compact form, ADR 0020; the vc+jwt's link when
    no compact form can be made, as for a credential issued under an earlier public URL)."""

    credential: StoredCredential
    facts: CupFacts
    verify_url: str
    issuer: Issuer
    qr_url: str

    @property
    def state(self) -> str:
        if self.credential.revoked:
            return "revoked"
        if self.credential.suspended:
            return "suspended"
        return "valid"


def payload_of(token: str) -> dict[str, Any]:
    """The claims of a token this registry signed itself (read back from its own table, so
    the signature is not checked again)."""
    value: dict[str, Any] = json.loads(b64url_decode(token.split(".")[1]))
    return value


def officer_credentials(uow: UnitOfWork, actor: Actor, officer_id: int, *,
                        issuer: Issuer | None) -> list[CredentialView]:
    """An officer's credentials, newest first (to show, print or hand over)."""
    issuer = _issuer(issuer)
    with uow.transaction() as tx:
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        require(actor, Permission.CUP_READ, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        stored = tx.credentials.of_officer(officer_id)
        tx.audit.record(actor, AuditAction.CREDENTIAL_READ, "officer", officer_id,
                        detail={"credentials": [c.credential_id for c in stored]})
    return [_view(c, issuer) for c in stored]


def _view(credential: StoredCredential, issuer: Issuer) -> CredentialView:
    claims = payload_of(credential.token)
    verify_url = issuer.verify_url(credential.token)
    try:
        # Made anew when shown, not stored: Ed25519 and the CBOR encoding are deterministic,
        # so one key gives one compact form, and it costs a fraction of a millisecond.
        qr_url = issuer.compact_url(compact_credential(issuer.key, claims,
                                                       base_url=issuer.base_url))
    except CredentialError:
        qr_url = verify_url
    return CredentialView(credential, facts_of(claims), verify_url, issuer, qr_url)


def status_list_numbers(uow: UnitOfWork) -> list[int]:
    """The numbers of the status lists published so far (one per LIST_SIZE credentials)."""
    with uow.transaction(read_only=True) as tx:
        highest = tx.credentials.highest_index()
    return [] if highest is None else list(range(slot_of(highest).number + 1))
