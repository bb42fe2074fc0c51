"""The CUP as a verifiable credential: what it discloses, and how a check ends.

A CUP is issued as a W3C Verifiable Credential (data model 2.0) secured as `vc+jwt` (W3C
VC-JOSE-COSE): the JWT payload is the credential itself, with no `vc` claim around it. It is
signed with Ed25519 (jose.py) and points at two Bitstring Status Lists, one for revocation and
one for suspension (status_list.py).

Dates are civil dates of the deployment's zone (CONFIANZA_TIME_ZONE, Mexico City by default;
ADR 0019): a CUP valid from D is valid from 00:00 of D there, and one valid until D through the
last second of D. Both instants are written with the offset the zone has on that day, so a
verifier reads the same days wherever it runs.

The card's QR code carries the same credential in a compact form (compact_credential.py, ADR
0020): a COSE_Sign1 of the same facts, signed by the same key, in a link a phone opens.
`compact_credential` makes it from a vc+jwt's claims.

`verify_credential` turns anything presented (a token, a verification link, the compact form or
its link, a QR code read from another system) into one `Check`: a verdict for people, a stable
reason code for programs and a precise English message. It never says VALID unless the signature,
the type, the dates and every status entry were checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from functools import partial
from typing import Any
from urllib.parse import parse_qs, urlsplit

from confianza.core.civil_time import DEFAULT_ZONE, end_of_day, start_of_day
from confianza.core.errors import DomainError
from confianza.credentials.rules import compact
from confianza.credentials.rules.issuer import did_web, status_list_url
from confianza.kit import cose
from confianza.kit.jose import JoseError, KeySet, Reason, SigningKey, verify_compact
from confianza.kit.status_list import (
    PURPOSES,
    REVOCATION,
    SUSPENSION,
    VC_CONTEXT,
    Entry,
    PublishedList,
    StatusListError,
    bit_at,
    parse_entry,
    parse_timestamp,
    read_status_list_credential,
)


@dataclass(frozen=True)
class CupFacts:
    """What a CUP credential discloses, and nothing more: no exam, result or personal data
    beyond the name an officer shows anyway."""

    certificate_number: str
    name: str
    agency: str
    rank: str
    valid_from: date
    valid_until: date


CONTEXT = VC_CONTEXT
CREDENTIAL_TYPE = "CertificadoUnicoPolicial"
SUBJECT_TYPE = "Policia"
#: The JOSE typ of a credential secured as a JWT (W3C VC-JOSE-COSE).
MEDIA_TYPE = "vc+jwt"
#: Mexico City's civil time, where a deployment names no zone of its own (CONFIANZA_TIME_ZONE).
CIVIL_ZONE = DEFAULT_ZONE
_TYPES = frozenset({MEDIA_TYPE})
_SUBJECT_FIELDS = (("name", "name"), ("agency", "agency"), ("rank", "rank"),
                   ("certificateNumber", "certificate_number"))
# A JWS header is a JSON object, so its base64url starts with "eyJ" ('{"'); what starts so is
# taken for a token, even cut short or altered, and its verification says what is wrong with it.
_TOKEN_START = "eyJ"
_QUERY_PARAMETER = "credential"


class CredentialError(DomainError, ValueError):
    """A credential that cannot be built or read; the message names the member."""

    title = "Invalid credential"


def valid_from_instant(day: date, zone: tzinfo = CIVIL_ZONE) -> datetime:
    """The first instant of a civil day where the issuer is deployed."""
    return start_of_day(day, zone)


def valid_until_instant(day: date, zone: tzinfo = CIVIL_ZONE) -> datetime:
    """The instant a credential valid through `day` (inclusive) stops being valid."""
    return end_of_day(day, zone)


def cup_credential(*, issuer: str, credential_id: str, facts: CupFacts,
                   status: Sequence[Mapping[str, Any]],
                   zone: tzinfo = CIVIL_ZONE) -> dict[str, Any]:
    """The VC 2.0 credential of a CUP: what the officer shows and nothing else."""
    for label, value in (("issuer", issuer), ("credential_id", credential_id),
                         *((f"facts.{attr}", getattr(facts, attr)) for _, attr in _SUBJECT_FIELDS)):
        if not isinstance(value, str) or not value.strip():
            raise CredentialError(f"{label} must be a non-empty string")
    if facts.valid_until < facts.valid_from:
        raise CredentialError(f"the CUP's valid_until {facts.valid_until} is before its "
                              f"valid_from {facts.valid_from}")
    entries = []
    for number, entry in enumerate(status):
        try:
            parse_entry(entry, f"status[{number}]")
        except StatusListError as exc:
            raise CredentialError(str(exc)) from exc
        entries.append(dict(entry))
    return {
        "@context": [CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", CREDENTIAL_TYPE],
        "issuer": issuer,
        # Civil days stated with the offset they have on that day where the issuer is
        # deployed, so a verifier anywhere reads the same days without knowing the zone.
        "validFrom": valid_from_instant(facts.valid_from, zone).isoformat(),
        "validUntil": valid_until_instant(facts.valid_until, zone).isoformat(),
        "credentialSubject": {
            "type": SUBJECT_TYPE,
            "name": facts.name,
            "agency": facts.agency,
            "rank": facts.rank,
            "certificateNumber": facts.certificate_number,
        },
        "credentialStatus": entries,
    }


def _window(credential: Mapping[str, Any]) -> tuple[datetime, datetime]:
    try:
        valid_from = parse_timestamp(credential.get("validFrom"), "validFrom")
        valid_until = parse_timestamp(credential.get("validUntil"), "validUntil")
    except ValueError as exc:
        raise CredentialError(f"the credential's {exc}") from exc
    if valid_until <= valid_from:
        raise CredentialError("the credential's validUntil is not after its validFrom")
    return valid_from, valid_until


def _facts(credential: Mapping[str, Any], valid_from: datetime,
           valid_until: datetime) -> CupFacts:
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping):
        raise CredentialError("the credential has no credentialSubject object")
    values: dict[str, str] = {}
    for member, attr in _SUBJECT_FIELDS:
        value = subject.get(member)
        if not isinstance(value, str) or not value:
            raise CredentialError(f"credentialSubject.{member} is missing")
        values[attr] = value
    first, last = civil_days(valid_from, valid_until)
    return CupFacts(valid_from=first, valid_until=last, **values)


def civil_days(valid_from: datetime, valid_until: datetime) -> tuple[date, date]:
    """The first and last civil days of a validity window, the same for the vc+jwt and its
    compact form. Each instant is read on the wall clock of its own offset, the issuer's on
    that day: the days it states, whatever the verifier's zone. validUntil is the first
    instant after the last valid day."""
    last = (valid_until - timedelta(microseconds=1)).date()
    return valid_from.date(), last


def facts_of(credential: Mapping[str, Any]) -> CupFacts:
    """What a CUP credential discloses (the inverse of `cup_credential`); CredentialError naming
    the member that is missing or wrong."""
    if not isinstance(credential, Mapping):
        raise CredentialError("the credential is not a JSON object")
    return _facts(credential, *_window(credential))


class Verdict(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    NOT_OURS = "not_ours"  # not issued by us: unknown key or issuer, or not a credential at all
    ALTERED = "altered"  # bad signature, malformed, wrong typ, alg none ...
    STATUS_UNKNOWN = "status_unknown"  # the status could not be checked: never valid then


@dataclass(frozen=True)
class Check:
    """How one check ended. `reason` is a stable code for programs and translations; `message`
    is precise English; the facts are there once the signature verified, whatever the verdict."""

    verdict: Verdict
    reason: str
    message: str
    facts: CupFacts | None = None
    credential_id: str | None = None
    kid: str | None = None

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID


def extract_token(presented: str) -> str | None:
    """The compact JWT in what was presented: the token itself, or a verification link carrying
    it in its `credential` query parameter (`<base>/verify?credential=<jwt>`, any host). None for
    anything else, such as a QR code from another system. A token cut short or altered is still
    returned: it looks like one of ours, and the verification says what is wrong with it."""
    if not isinstance(presented, str):
        return None
    text = presented.strip()
    if text.startswith(_TOKEN_START):
        return text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    values = parse_qs(parts.query).get(_QUERY_PARAMETER)
    if not values or len(values) != 1:
        return None
    token = values[0].strip()
    return token if token.startswith(_TOKEN_START) else None


class StatusUnavailable(Exception):
    """The status of a credential cannot be known now: the list could not be fetched, did not
    verify, or is out of date. `reason` is a stable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class StatusLists:
    """Fetches, verifies and caches status list credentials, each until its validUntil.

    `fetch(url)` returns the status list credential as a compact JWT (vc+jwt) and may raise
    anything; a list must be signed by a key in `keys` and issued by the credential's issuer
    (and by `issuer`, when given). Past its validUntil a list is stale and not used: a verifier
    that cannot get a fresh one says "status unknown"."""

    def __init__(self, keys: KeySet, fetch: Callable[[str], str], *,
                 issuer: str | None = None) -> None:
        self.keys = keys
        self.fetch = fetch
        self.issuer = issuer
        self._cache: dict[str, PublishedList] = {}

    def bits(self, list_url: str, now: datetime, *, issuer: str | None = None,
             purpose: str | None = None) -> bytes:
        """The bitstring of the list at `list_url`, valid at `now`; StatusUnavailable if none.
        With `issuer` or `purpose`, the list must have been issued by them / serve it."""
        published = self._cache.get(list_url)
        if published is None or not published.valid_from <= now < published.valid_until:
            published = self._load(list_url, now)
        for expected, actual, what in ((self.issuer, published.issuer, "issuer"),
                                       (issuer, published.issuer, "issuer"),
                                       (purpose, published.purpose, "purpose")):
            if expected is not None and actual != expected:
                raise StatusUnavailable("status_invalid", f"the status list {list_url} has "
                                        f"{what} {actual!r}, not {expected!r}")
        return published.bits

    def _load(self, list_url: str, now: datetime) -> PublishedList:
        try:
            token = self.fetch(list_url)
        except Exception as exc:  # any failure to fetch means "unknown"
            raise StatusUnavailable("status_unavailable", f"the status list {list_url} could "
                                    f"not be fetched: {str(exc) or type(exc).__name__}") from exc
        try:
            verified = verify_compact(token.strip() if isinstance(token, str) else token,
                                      self.keys, types=_TYPES)
            published = read_status_list_credential(verified.payload, list_url)
        except (JoseError, StatusListError) as exc:
            raise StatusUnavailable("status_invalid", f"the status list {list_url} does not "
                                    f"verify: {exc}") from exc
        if now < published.valid_from:
            raise StatusUnavailable("status_invalid", f"the status list {list_url} is valid "
                                    f"only from {published.valid_from.isoformat()}")
        if now >= published.valid_until:
            self._cache.pop(list_url, None)
            raise StatusUnavailable("status_stale", f"the status list {list_url} is out of "
                                    f"date: it was valid until "
                                    f"{published.valid_until.isoformat()}")
        self._cache[list_url] = published
        return published


def _entries(credential: Mapping[str, Any]) -> list[Entry]:
    listed = credential.get("credentialStatus")
    if isinstance(listed, Mapping):
        listed = [listed]  # VC 2.0 allows one entry as an object
    if not isinstance(listed, list) or not listed:
        raise StatusListError("the credential has no credentialStatus")
    entries = [parse_entry(entry, f"credentialStatus[{n}]") for n, entry in enumerate(listed)]
    if not any(entry.purpose == REVOCATION for entry in entries):
        raise StatusListError("the credential has no revocation entry in its credentialStatus")
    return entries


def verify_credential(presented: str, keys: KeySet, status: StatusLists | None, *,
                      now: datetime, issuer: str | None = None,
                      base_url: str | None = None) -> Check:
    """Check a presented CUP credential (token, verification link, or the compact form of the
    card's QR code and its link) at `now` (time zone aware).

    `keys` are the issuer's published keys; `status` fetches the status lists (None: offline,
    then the verdict is at best STATUS_UNKNOWN). With `issuer` (or `status.issuer`), a credential
    naming another issuer is NOT_OURS. `base_url` is where that issuer publishes: a compact
    credential shown without its link finds its status lists there (else at its did:web's
    https address)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must carry a time zone")
    token = extract_token(presented)
    if token is None:
        found = compact.extract(presented)
        if found is not None:
            return _verify_compact(*found, keys, status, now=now, issuer=issuer,
                                   base_url=base_url)
        return Check(Verdict.NOT_OURS, "not_a_credential", "what was presented is neither a "
                     "credential token nor a verification link carrying one")
    try:
        _, credential, kid = verify_compact(token, keys, types=_TYPES)
    except JoseError as exc:
        return _refused(exc)
    credential_id = credential.get("id") if isinstance(credential.get("id"), str) else None

    types = credential.get("type")
    context = credential.get("@context")
    if (not isinstance(types, list) or "VerifiableCredential" not in types
            or CREDENTIAL_TYPE not in types or not isinstance(context, list)
            or not context or context[0] != CONTEXT):
        return Check(Verdict.NOT_OURS, "not_a_cup", f"the token is signed by key {kid!r} but "
                     f"is not a {CREDENTIAL_TYPE} credential (type {types!r})",
                     credential_id=credential_id, kid=kid)
    expected_issuer = issuer if issuer is not None else (status.issuer if status else None)
    credential_issuer = credential.get("issuer")
    if not isinstance(credential_issuer, str):
        return Check(Verdict.ALTERED, "malformed", "the credential names no issuer",
                     credential_id=credential_id, kid=kid)
    if "#" in kid and kid.split("#", 1)[0] != credential_issuer:
        # A DID URL names its controller: a key of one issuer cannot vouch for another, even
        # when a verifier trusts both.
        return Check(Verdict.NOT_OURS, "unknown_issuer", f"the credential names issuer "
                     f"{credential_issuer!r} but is signed by {kid!r}, a key of another",
                     credential_id=credential_id, kid=kid)
    if expected_issuer is not None and credential_issuer != expected_issuer:
        return Check(Verdict.NOT_OURS, "unknown_issuer", f"the credential was issued by "
                     f"{credential_issuer!r}, not by {expected_issuer!r}",
                     credential_id=credential_id, kid=kid)
    try:
        valid_from, valid_until = _window(credential)
        facts = _facts(credential, valid_from, valid_until)
    except CredentialError as exc:
        return Check(Verdict.ALTERED, "malformed", str(exc), credential_id=credential_id,
                     kid=kid)
    try:
        entries: list[Entry] | StatusListError = _entries(credential)
    except StatusListError as exc:
        entries = exc
    return _conclude(facts, valid_from, valid_until, entries, status, now=now,
                     issuer=credential_issuer, credential_id=credential_id, kid=kid)


def _refused(exc: JoseError) -> Check:
    if exc.reason is Reason.UNKNOWN_KEY:
        return Check(Verdict.NOT_OURS, exc.reason.value, str(exc), kid=exc.kid)
    return Check(Verdict.ALTERED, exc.reason.value, str(exc), kid=exc.kid)


def _conclude(facts: CupFacts, valid_from: datetime, valid_until: datetime,
              entries: list[Entry] | StatusListError, status: StatusLists | None, *,
              now: datetime, issuer: str, credential_id: str | None, kid: str) -> Check:
    """The end of every check once the signature, issuer and facts are good: the dates, then
    the status, alike for a vc+jwt and its compact form."""

    def check(verdict: Verdict, reason: str, message: str) -> Check:
        return Check(verdict, reason, message, facts, credential_id, kid)

    number = facts.certificate_number
    if now < valid_from:
        return check(Verdict.NOT_YET_VALID, "not_yet_valid", f"certificate {number} is valid "
                     f"only from {facts.valid_from.isoformat()} ({valid_from.isoformat()})")
    if now >= valid_until:
        return check(Verdict.EXPIRED, "expired", f"certificate {number} expired: it was "
                     f"valid through {facts.valid_until.isoformat()} (until "
                     f"{valid_until.isoformat()})")
    if isinstance(entries, StatusListError):
        return check(Verdict.STATUS_UNKNOWN, "status_invalid", f"the status of certificate "
                     f"{number} cannot be checked: {entries}")
    if status is None:
        return check(Verdict.STATUS_UNKNOWN, "status_unavailable", f"certificate {number} is "
                     "within its dates, but its revocation and suspension could not be checked "
                     "(no status lists were consulted)")
    suspended: Entry | None = None
    unavailable: StatusUnavailable | None = None
    for entry in entries:
        try:
            bits = status.bits(entry.list_url, now, issuer=issuer, purpose=entry.purpose)
            is_set = bit_at(bits, entry.index)
        except StatusUnavailable as exc:
            unavailable = unavailable or exc
            continue
        except StatusListError as exc:
            unavailable = unavailable or StatusUnavailable("status_invalid", str(exc))
            continue
        if is_set and entry.purpose == REVOCATION:
            return check(Verdict.REVOKED, "revoked", f"certificate {number} was revoked "
                         f"(entry {entry.index} of {entry.list_url})")
        if is_set and entry.purpose == SUSPENSION:
            suspended = suspended or entry
    if suspended is not None:
        return check(Verdict.SUSPENDED, "suspended", f"certificate {number} is suspended "
                     f"(entry {suspended.index} of {suspended.list_url})")
    if unavailable is not None:
        return check(Verdict.STATUS_UNKNOWN, unavailable.reason, f"certificate {number} is "
                     f"within its dates, but its status is unknown: {unavailable.message}")
    return check(Verdict.VALID, "valid", f"certificate {number} is valid: {facts.name}, "
                 f"{facts.rank}, {facts.agency}, through {facts.valid_until.isoformat()}")


# The compact form (the card's QR code) ----------------------------------------------------------


def _key_name(kid: str) -> str:
    """What a compact credential calls a key: the part of its kid after "#"."""
    return kid.rsplit("#", 1)[-1]


def compact_credential(key: SigningKey, credential: Mapping[str, Any], *, base_url: str) -> str:
    """The compact form of a CUP credential (the claims of a vc+jwt, as issued by the issuer
    at `base_url`): the base32 text the card's QR code carries after `<base_url>/v/`, signed
    by `key`, its texts shortened if need be so that the whole link fits a version 13 code at
    level M. CredentialError if the credential is not one of this issuer's CUPs or cannot be
    made to fit."""
    if not isinstance(credential, Mapping):
        raise CredentialError("the credential is not a JSON object")
    issuer = credential.get("issuer")
    base_url = base_url.rstrip("/")
    if issuer != did_web(base_url):
        raise CredentialError(f"the credential's issuer {issuer!r} is not the issuer at "
                              f"{base_url}")
    valid_from, valid_until = _window(credential)
    facts = _facts(credential, valid_from, valid_until)
    try:
        entries = _entries(credential)
    except StatusListError as exc:
        raise CredentialError(str(exc)) from exc
    places = set()
    for entry in entries:
        prefix = status_list_url(base_url, entry.purpose, 0)[:-1]
        number = entry.list_url[len(prefix):] if entry.list_url.startswith(prefix) else ""
        if not number.isdigit():
            raise CredentialError(f"the status list {entry.list_url} is not one of the "
                                  f"issuer's at {base_url}")
        places.add((int(number), entry.index))
    if len(places) != 1 or {e.purpose for e in entries} != set(PURPOSES):
        raise CredentialError("a compact credential needs one status entry per purpose, all "
                              "at the same place in their lists")
    (list_number, position), = places
    offsets = []
    for instant in (valid_from, valid_until):
        offset = instant.utcoffset()
        if instant.microsecond or instant.timestamp() < 0 or offset is None \
                or offset % timedelta(minutes=1):
            raise CredentialError(f"the validity bound {instant.isoformat()} is not a whole "
                                  "second after 1970 with an offset of whole minutes")
        offsets.append(offset // timedelta(minutes=1))
    name = _key_name(key.kid)
    try:
        claims = compact.fit(compact.CompactClaims(
            certificate_number=facts.certificate_number, name=facts.name, rank=facts.rank,
            agency=facts.agency, not_before=int(valid_from.timestamp()),
            expires=int(valid_until.timestamp()), status_list=list_number,
            status_position=position, offsets=(offsets[0], offsets[1])), name,
            compact.max_signed_bytes(base_url))
    except compact.CompactError as exc:
        raise CredentialError(str(exc)) from exc
    signed = cose.sign1(key, name, compact.encode_claims(claims),
                        external_aad=issuer.encode("utf-8"))
    return compact.to_text(signed)


def _verify_compact(text: str, link_base: str | None, keys: KeySet,
                    status: StatusLists | None, *, now: datetime, issuer: str | None,
                    base_url: str | None) -> Check:
    """The compact form's check: the same verdicts and reasons as the vc+jwt's."""
    try:
        message = cose.parse_sign1(compact.from_text(text))
    except compact.CompactError as exc:
        return Check(Verdict.ALTERED, Reason.MALFORMED.value, str(exc))
    except JoseError as exc:
        return _refused(exc)
    candidates = keys.named(message.kid)
    if not candidates:
        return Check(Verdict.NOT_OURS, Reason.UNKNOWN_KEY.value, f"the compact credential's "
                     f"kid {message.kid!r} is not one of the issuer's keys", kid=message.kid)
    expected_issuer = issuer if issuer is not None else (status.issuer if status else None)
    try:
        link_issuer = None if link_base is None else did_web(link_base)
    except ValueError:
        link_issuer = None
    verified: tuple[str, str] | None = None
    for kid in candidates:
        # The issuer is signed (the external_aad) but not carried: it is the controller of the
        # key that verifies, so a key of one issuer cannot vouch for another.
        did = kid.split("#", 1)[0] if "#" in kid else (expected_issuer or link_issuer)
        if did is not None and cose.verifies(message, did.encode("utf-8"),
                                             partial(keys.ed25519_verifies, kid)):
            verified = (kid, did)
            break
    if verified is None:
        return Check(Verdict.ALTERED, Reason.BAD_SIGNATURE.value, f"the signature does not "
                     f"verify with key {candidates[0]!r}: the compact credential was altered "
                     "or signed by another key", kid=candidates[0])
    kid, credential_issuer = verified
    if link_base is not None and link_issuer != credential_issuer:
        return Check(Verdict.NOT_OURS, "unknown_issuer", f"the link leads to {link_base}, "
                     f"which is not the address of the credential's issuer "
                     f"{credential_issuer!r}", kid=kid)
    if expected_issuer is not None and credential_issuer != expected_issuer:
        return Check(Verdict.NOT_OURS, "unknown_issuer", f"the credential was issued by "
                     f"{credential_issuer!r}, not by {expected_issuer!r}", kid=kid)
    try:
        claims = compact.decode_claims(message.payload)
        # Each instant on the wall clock of the offset the vc+jwt states it with.
        valid_from = datetime.fromtimestamp(claims.not_before, timezone(timedelta(
            minutes=claims.offsets[0])))
        valid_until = datetime.fromtimestamp(claims.expires, timezone(timedelta(
            minutes=claims.offsets[1])))
    except (compact.CompactError, OverflowError, OSError, ValueError) as exc:
        return Check(Verdict.ALTERED, "malformed", f"the compact credential's claims: {exc}",
                     kid=kid)
    if valid_until <= valid_from:
        return Check(Verdict.ALTERED, "malformed", "the compact credential's exp is not after "
                     "its nbf", kid=kid)
    first, last = civil_days(valid_from, valid_until)
    facts = CupFacts(claims.certificate_number, claims.name, claims.agency, claims.rank,
                     first, last)
    entries: list[Entry] | StatusListError
    try:
        lists_at = link_base or (base_url if base_url is not None
                                 and did_web(base_url) == credential_issuer
                                 else compact.list_base(credential_issuer))
        entries = [Entry(status_list_url(lists_at, purpose, claims.status_list),
                         claims.status_position, purpose) for purpose in PURPOSES]
    except ValueError as exc:
        entries = StatusListError(f"its status lists cannot be found: {exc}")
    return _conclude(facts, valid_from, valid_until, entries, status, now=now,
                     issuer=credential_issuer, credential_id=None, kid=kid)
