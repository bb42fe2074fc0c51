"""confianza.verify, the function a third party calls: keys in, a verdict out, nothing else."""

from __future__ import annotations

import ast
import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import confianza.verify as library
from confianza.credentials.rules.credential import (
    MEDIA_TYPE,
    CupFacts,
    Verdict,
    cup_credential,
)
from confianza.kit.jose import KeySet, SigningKey
from confianza.kit.status_list import (
    MIN_ENTRIES,
    REVOCATION,
    SUSPENSION,
    encode_list,
    set_bit,
    status_entry,
    status_list_credential,
)
from confianza.verify import FetchError, Verifier, http_fetch, load_jwks, verify

SOURCE = Path(library.__file__)
ISSUER = "did:web:confianza.example.gob.mx"
LISTS = {REVOCATION: "https://confianza.example.gob.mx/status/revocation/1",
         SUSPENSION: "https://confianza.example.gob.mx/status/suspension/1"}
TODAY = datetime.now(UTC).date()
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


class Published:
    """What an issuer publishes: its JWKS and its signed status lists, and credentials."""

    def __init__(self, *, revoked: tuple[int, ...] = (), kid: str = "confianza-2026-01") -> None:
        self.key = SigningKey.generate(kid)
        self.jwks = KeySet.of(self.key.public_jwk()).to_jwks()
        self.lists = {}
        for purpose, url in LISTS.items():
            bits = bytearray(MIN_ENTRIES // 8)
            for index in revoked if purpose == REVOCATION else ():
                set_bit(bits, index, True)
            self.lists[url] = self.key.sign(status_list_credential(
                issuer=ISSUER, list_url=url, purpose=purpose, encoded=encode_list(bytes(bits)),
                valid_from=min(NOW, datetime.now(UTC)) - timedelta(days=1),
                valid_until=max(NOW, datetime.now(UTC)) + timedelta(days=1)), MEDIA_TYPE)
        self.fetched: list[str] = []

    def fetch(self, url: str) -> str:
        """A fake fetch: a dict lookup, as a test or an offline mirror would do."""
        self.fetched.append(url)
        return self.lists[url]

    def credential(self, index: int, valid_from: date = date(2025, 6, 1),
                   valid_until: date = date(2028, 5, 31)) -> str:
        facts = CupFacts(f"CUP-{index}", "Ana López", "SSC", "Policía", valid_from, valid_until)
        status = [status_entry(url, index, purpose) for purpose, url in LISTS.items()]
        return self.key.sign(cup_credential(issuer=ISSUER, credential_id=f"urn:uuid:{index}",
                                            facts=facts, status=status), MEDIA_TYPE)


@pytest.fixture
def published() -> Published:
    return Published(revoked=(3,))


def test_verify_with_a_jwks_dict_and_a_fake_fetch(published: Published) -> None:
    check = verify(published.credential(1), published.jwks, fetch=published.fetch, now=NOW)
    assert check.verdict is Verdict.VALID and check.valid
    assert check.facts is not None and check.facts.certificate_number == "CUP-1"
    revoked = verify(published.credential(3), published.jwks, fetch=published.fetch, now=NOW)
    assert revoked.verdict is Verdict.REVOKED


def test_verify_with_a_jwks_text_and_a_verification_link(published: Published) -> None:
    link = f"https://confianza.example.gob.mx/verify?credential={published.credential(1)}"
    check = verify(link, json.dumps(published.jwks), fetch=published.fetch, now=NOW)
    assert check.verdict is Verdict.VALID


def test_verify_offline_is_status_unknown_never_valid(published: Published) -> None:
    check = verify(published.credential(1), published.jwks, fetch=None, now=NOW)
    assert (check.verdict, check.reason) == (Verdict.STATUS_UNKNOWN, "status_unavailable")
    assert published.fetched == []
    # Offline, a revoked credential cannot be told from a good one: both are "unknown".
    assert verify(published.credential(3), published.jwks, fetch=None,
                  now=NOW).verdict is Verdict.STATUS_UNKNOWN


def test_verify_when_the_fetch_fails_is_status_unknown(published: Published) -> None:
    def failing(url: str) -> str:
        raise FetchError(f"could not fetch {url}: connection refused")

    check = verify(published.credential(1), published.jwks, fetch=failing, now=NOW)
    assert (check.verdict, check.reason) == (Verdict.STATUS_UNKNOWN, "status_unavailable")
    assert "connection refused" in check.message


def test_verify_uses_the_current_time_by_default(published: Published) -> None:
    current = published.credential(1, TODAY - timedelta(days=2), TODAY + timedelta(days=2))
    assert verify(current, published.jwks, fetch=published.fetch).verdict is Verdict.VALID
    old = published.credential(1, TODAY - timedelta(days=900), TODAY - timedelta(days=3))
    assert verify(old, published.jwks, fetch=published.fetch).verdict is Verdict.EXPIRED


def test_verify_refuses_other_keys_and_other_text(published: Published) -> None:
    other = Published(kid="another-state-2026")
    assert verify(other.credential(1), published.jwks, fetch=published.fetch,
                  now=NOW).verdict is Verdict.NOT_OURS
    # Our kid on another key is not "someone else's": it is a forgery.
    assert verify(Published().credential(1), published.jwks, fetch=published.fetch,
                  now=NOW).verdict is Verdict.ALTERED
    assert verify("https://example.com/", published.jwks, fetch=published.fetch,
                  now=NOW).reason == "not_a_credential"


def test_a_bad_jwks_is_a_clear_error_of_the_caller(published: Published) -> None:
    with pytest.raises(ValueError, match="key 1 of the JWKS"):
        verify(published.credential(1), {"keys": [{"kty": "RSA", "kid": "r"}]}, fetch=None)


def test_a_verifier_caches_the_lists_across_checks(published: Published) -> None:
    verifier = Verifier(published.jwks, fetch=published.fetch, issuer=ISSUER)
    verdicts = [verifier.verify(published.credential(n), now=NOW).verdict for n in range(6)]
    assert verdicts == [Verdict.VALID] * 3 + [Verdict.REVOKED] + [Verdict.VALID] * 2
    assert sorted(published.fetched) == sorted(LISTS.values())


def test_load_jwks_from_a_file_and_a_url(published: Published, tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(published.jwks), encoding="utf-8")
    keys = load_jwks(path)
    assert keys.kids == ("confianza-2026-01",)
    assert verify(published.credential(1), keys, fetch=published.fetch,
                  now=NOW).verdict is Verdict.VALID
    served = {"https://confianza.example.gob.mx/.well-known/jwks.json": json.dumps(
        published.jwks)}
    assert load_jwks("https://confianza.example.gob.mx/.well-known/jwks.json",
                     fetch=served.__getitem__).kids == keys.kids


def test_load_jwks_errors_name_the_source(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read the JWKS file .*missing.json"):
        load_jwks(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "AA", "kid": "k"}]}')
    with pytest.raises(ValueError, match=r"bad.json: key 1 of the JWKS \(kid 'k'\)"):
        load_jwks(bad)


# --- http_fetch, against a server on the loopback interface ---

class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_http_fetch_reads_a_status_list(published: Published, server: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url = LISTS[REVOCATION]
    monkeypatch.setattr(_Handler, "routes", {
        "/status/revocation/1": (200, {}, published.lists[url].encode()),
        "/moved": (302, {"Location": "/status/revocation/1"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/latin1": (200, {}, "año".encode("latin-1")),
        "/huge": (200, {}, b"x" * (library.MAX_FETCH_BYTES + 1)),
    })
    assert http_fetch(f"{server}/status/revocation/1") == published.lists[url]
    assert http_fetch(f"{server}/moved") == published.lists[url]
    with pytest.raises(FetchError, match="HTTP 404"):
        http_fetch(f"{server}/nowhere")
    with pytest.raises(FetchError, match="could not fetch"):
        http_fetch(f"{server}/to-file")
    with pytest.raises(FetchError, match="UTF-8"):
        http_fetch(f"{server}/latin1")
    with pytest.raises(FetchError, match="more than"):
        http_fetch(f"{server}/huge")


def test_http_fetch_refuses_other_schemes_and_dead_hosts(server: str) -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/x", "data:,hello", "/relative"):
        with pytest.raises(FetchError, match="only https:// and http://"):
            http_fetch(url)
    dead = server.rsplit(":", 1)[0] + ":1"  # nothing listens on port 1
    with pytest.raises(FetchError, match="could not fetch"):
        http_fetch(f"{dead}/x", timeout=2)


# --- what the library depends on ---

# The verifier stands on the standards kit, the credential's rules and the clock: nothing that
# reads a database, a setting or a request.
LIBRARY_MAY_IMPORT = ("confianza.kit.", "confianza.credentials.rules.", "confianza.core.civil_time",
                      "confianza.core.errors")


def test_the_library_imports_only_the_rules_and_the_standard_library() -> None:
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    ours = {name for name in imported if name.startswith("confianza")}
    assert ours and all(name.startswith(LIBRARY_MAY_IMPORT) for name in ours), ours
    others = {name.split(".")[0] for name in imported - ours}
    assert others <= set(sys.stdlib_module_names) | {"__future__"}, others


def test_importing_the_library_loads_no_database_web_or_settings() -> None:
    code = ("import sys, confianza.verify; "
            "bad = [m for m in ('sqlalchemy', 'fastapi', 'starlette', 'pydantic', "
            "'confianza.app.settings', 'confianza.core.db', 'confianza.core.web', "
            "'confianza.app', 'confianza.credentials.service', "
            "'confianza.credentials.repository') if m in sys.modules]; print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_the_docstring_shows_how_to_use_it() -> None:
    assert library.__doc__ is not None
    assert "verify(" in library.__doc__ and "load_jwks(" in library.__doc__
