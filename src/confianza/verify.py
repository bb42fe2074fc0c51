"""Verify a CUP credential with nothing but the issuer's published keys: the library entry point.

For third parties (a court, another agency, a checkpoint's own software). It needs no database,
no web framework and no settings: only the domain modules, `cryptography`, `joserfc` and `cbor2`
(for the compact credential a card's QR code carries, ADR 0020).

    from confianza.verify import load_jwks, verify
    keys = load_jwks("https://confianza.example.gob.mx/.well-known/jwks.json")
    check = verify(scanned_text, keys)          # a token, a link, or a card's QR code
    print(check.verdict, check.reason, check.message)
    if check.valid: print(check.facts.name, check.facts.valid_until)

`verify` fetches the status lists over HTTP(S) with `http_fetch`; pass `fetch=None` to stay
offline (the verdict is then at best "status_unknown", never "valid"), or your own callable.
Checking many credentials, keep one `Verifier`: it caches each status list until its validUntil.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from confianza.core.civil_time import system_now
from confianza.credentials.rules.credential import (
    Check,
    StatusLists,
    Verdict,
    verify_credential,
)
from confianza.kit.jose import KeySet

__all__ = ["Check", "FetchError", "KeySet", "Verdict", "Verifier", "http_fetch", "load_jwks",
           "verify"]

#: Not from a spec: a bound on what one fetch may read. A JWKS is a few hundred bytes and a
#: status list of a million entries under half a megabyte.
MAX_FETCH_BYTES = 4 << 20
_USER_AGENT = "confianza-verify/1"


class FetchError(OSError):
    """A document that could not be fetched; the message names the URL and the cause."""


def _opener() -> urllib.request.OpenerDirector:
    # Only HTTP(S), redirects included: no file:, ftp: or data: URL may be reached, even when a
    # server redirects to one.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(), urllib.request.HTTPRedirectHandler(),
                    urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def http_fetch(url: str, timeout: float = 5.0) -> str:
    """The body of `url` (https or http) as text; FetchError saying what went wrong."""
    if not isinstance(url, str) or not url.lower().startswith(("https://", "http://")):
        raise FetchError(f"refusing to fetch {url!r}: only https:// and http:// URLs")
    request = urllib.request.Request(url, headers={
        "Accept": "application/vc+jwt, application/jwk-set+json, application/json, text/plain",
        "User-Agent": _USER_AGENT})
    try:
        with _opener().open(request, timeout=timeout) as response:
            body: bytes = response.read(MAX_FETCH_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"could not fetch {url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(f"could not fetch {url}: {exc.reason}") from exc
    except (OSError, ValueError) as exc:
        raise FetchError(f"could not fetch {url}: {str(exc) or type(exc).__name__}") from exc
    if len(body) > MAX_FETCH_BYTES:
        raise FetchError(f"{url} sent more than {MAX_FETCH_BYTES:,} bytes")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FetchError(f"{url} did not send UTF-8 text") from exc


def load_jwks(path_or_url: str | Path, *,
              fetch: Callable[[str], str] = http_fetch) -> KeySet:
    """The issuer's keys from a JWKS file or an http(s) URL; ValueError (or FetchError) naming
    the source and what is wrong with it."""
    source = str(path_or_url)
    if source.lower().startswith(("https://", "http://")):
        text = fetch(source)
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read the JWKS file {source}: {exc}") from exc
    try:
        return KeySet.from_jwks(text)
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from exc


def _key_set(jwks: str | Mapping[str, Any] | KeySet) -> KeySet:
    return jwks if isinstance(jwks, KeySet) else KeySet.from_jwks(jwks)


class Verifier:
    """Checks many credentials against one issuer's keys, caching the status lists."""

    def __init__(self, jwks: str | Mapping[str, Any] | KeySet, *,
                 fetch: Callable[[str], str] | None = http_fetch,
                 issuer: str | None = None) -> None:
        self.keys = _key_set(jwks)
        self.issuer = issuer
        self.status = StatusLists(self.keys, fetch, issuer=issuer) if fetch else None

    def verify(self, presented: str, *, now: datetime | None = None) -> Check:
        return verify_credential(presented, self.keys, self.status,
                                 now=now if now is not None else system_now(),
                                 issuer=self.issuer)


def verify(presented: str, jwks: str | Mapping[str, Any] | KeySet, *,
           fetch: Callable[[str], str] | None = http_fetch,
           now: datetime | None = None) -> Check:
    """Check one presented credential (a compact JWT or a verification link) against the
    issuer's JWKS (JSON text, a dict, or a KeySet from `load_jwks`). A JWKS that cannot be read
    raises ValueError: it is the caller's configuration, not the credential, that is wrong."""
    return Verifier(jwks, fetch=fetch).verify(presented, now=now)
