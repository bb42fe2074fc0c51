"""`confianza certificates`: CUP credentials — sign, publish, print and verify them.

`verify` is the outside verifier's command: it needs no database and no account, only the
issuer's published keys (a JWKS file or address) and, for the status, the status lists
(fetched from the addresses the credential names, or given as files for use offline).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import typer

from confianza.app.cli import UsageProblem, err, operator, out
from confianza.credentials import service as credential_service
from confianza.credentials.rules.credential import Check, Verdict
from confianza.kit.jose import SigningKey, b64url_decode
from confianza.vetting.cli.support import opened, print_json

app = typer.Typer(help="CUP credentials: sign, publish, print and verify them.",
                  no_args_is_help=True)

#: Exit status of `verify` for each verdict: 0 only for a valid credential.
_EXIT = {Verdict.VALID: 0, Verdict.STATUS_UNKNOWN: 3}


@app.command("keygen", help="Make a new credential signing key: a private JWK on stdout.\n\n"
                            "Keep it secret and set it as CONFIANZA_CREDENTIAL_KEY. Setting a new "
                            "key retires the previous one, which stays published while credentials "
                            "it signed can be valid.")
def keygen(
    name: str = typer.Option(..., "--name", help="The key's name, e.g. 2027-01: credentials "
                             "call it <issuer did>#<name>. Never reuse a name."),
) -> None:
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", name):
        raise UsageProblem("--name takes 1 to 64 letters, digits, '-', '_' or '.'")
    out.print(json.dumps(SigningKey.generate(name).to_jwk()), markup=False)
    err.print("this is a private key: store it as a secret (CONFIANZA_CREDENTIAL_KEY)",
              markup=False)


@app.command("issue", help="Sign a credential for every current certificate that has none.\n\n"
                           "Certificates issued by the workflow get theirs at once; this catches "
                           "up after a bulk load or a time without a key. Each credential is an "
                           "audit entry.")
def issue() -> None:
    started = time.perf_counter()
    with opened() as built:
        issued = credential_service.issue_missing(
            built.uow(), operator(),
            issuer=built.issuer,
            progress=lambda n: err.print(f"{n:,} issued", markup=False) if n else None)
    took = time.perf_counter() - started
    noun = "credential" if issued == 1 else "credentials"
    out.print(f"{issued:,} {noun} issued in {took:.1f} s", markup=False)


@app.command("keys")
def keys(
    did: bool = typer.Option(False, "--did", help="The did:web document instead of the JWKS."),
) -> None:
    """Print the issuer's published keys (what /.well-known/jwks.json serves)."""
    with opened() as built:
        uow = built.uow()
        print_json(credential_service.did_document(uow, issuer=built.issuer) if did
                   else credential_service.jwks(uow, issuer=built.issuer))


@app.command("status-list")
def status_list(
    purpose: str = typer.Argument(..., help="revocation or suspension"),
    number: int = typer.Argument(0, min=0, help="Which list (one per 131,072 credentials)."),
) -> None:
    """Print a signed status list (vc+jwt), e.g. to hand to verifiers working offline."""
    with opened() as built:
        token = credential_service.status_list(built.uow(), purpose, number,
                                               issuer=built.issuer)
        out.print(token, markup=False)


@app.command("card")
def card(
    officer_id: int = typer.Argument(..., metavar="OFFICER_ID"),
    pdf: Path = typer.Option(..., "--pdf", help="Where to write the printable card."),
    lang: str = typer.Option("es", "--lang", help="es or en"),
) -> None:
    """Write the printable card (PDF, with its QR code) of an officer's current credential."""
    from confianza.credentials.pages.card import card_pdf
    from confianza.credentials.pages.verification import card_of

    if lang not in ("es", "en"):
        raise UsageProblem("--lang takes es or en")
    with opened() as built:
        views = credential_service.officer_credentials(built.uow(), operator(), officer_id,
                                                       issuer=built.issuer)
    current = next((v for v in views if v.state != "revoked"), None)
    if current is None:
        raise UsageProblem(f"officer {officer_id} has no credential in force")
    pdf.write_bytes(card_pdf(card_of(current, lang), lang))
    out.print(f"wrote {pdf} ({current.facts.certificate_number}, {current.state})",
              markup=False)


@app.command("verify", help="Verify a credential with only the issuer's published keys.\n\n"
                            "Exit status: 0 valid; 3 status unknown; 1 anything else (expired, "
                            "suspended, revoked, not issued by this issuer, altered).")
def verify(
    credential: str = typer.Argument(..., metavar="TOKEN|FILE|LINK",
                                     help="A vc+jwt, a verification link, the text of a "
                                     "card's QR code (the compact credential or its link), "
                                     "or a file holding any of them."),
    keys_from: str = typer.Option(..., "--keys", help="The issuer's JWKS: a file, or its "
                                  "https address (/.well-known/jwks.json)."),
    status_files: list[Path] = typer.Option([], "--status", help="A status list (vc+jwt) "
                                            "saved earlier: with these, nothing is fetched. "
                                            "Repeat for each list."),
    offline: bool = typer.Option(False, "--offline", help="Fetch nothing: without --status "
                                 "files the status is unknown."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    import confianza.verify as library

    presented = _read_presented(credential)
    try:
        jwks = library.load_jwks(keys_from) if not offline or Path(keys_from).exists() \
            else None
    except (OSError, ValueError) as exc:
        raise UsageProblem(f"--keys {keys_from}: {exc}") from None
    if jwks is None:
        raise UsageProblem(f"--offline needs --keys as a file; {keys_from} is not one")
    fetch = _saved_lists(status_files) if status_files else (
        None if offline else library.http_fetch)
    result = library.verify(presented, jwks, fetch=fetch)
    _show(result, as_json)
    raise typer.Exit(_EXIT.get(result.verdict, 1))


def _read_presented(value: str) -> str:
    """The argument itself, or the text of the file it names."""
    path = Path(value)
    try:
        is_file = len(value) < 4096 and path.is_file()
    except OSError:  # a token is longer than a file name may be
        is_file = False
    if is_file:
        try:
            return path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageProblem(f"{value}: cannot be read as text ({exc})") from None
    return value.strip()


def _saved_lists(paths: list[Path]) -> Callable[[str], str]:
    """A fetch that answers from saved status lists, by the list's own id (its address)."""
    saved: dict[str, str] = {}
    for path in paths:
        try:
            token = path.read_text(encoding="ascii").strip()
            claims = json.loads(b64url_decode(token.split(".")[1]))
            saved[str(claims["id"])] = token
        except (OSError, ValueError, IndexError, KeyError, TypeError) as exc:
            raise UsageProblem(f"--status {path}: not a status list credential ({exc})"
                               ) from None

    def fetch(url: str) -> str:
        if url not in saved:
            raise LookupError(f"no saved status list for {url}")
        return saved[url]

    return fetch


def _show(result: Check, as_json: bool) -> None:
    facts = None if result.facts is None else {
        "certificate_number": result.facts.certificate_number, "name": result.facts.name,
        "agency": result.facts.agency, "rank": result.facts.rank,
        "valid_from": result.facts.valid_from.isoformat(),
        "valid_until": result.facts.valid_until.isoformat()}
    if as_json:
        print_json({"verdict": result.verdict.value, "reason": result.reason,
                    "message": result.message, "credential_id": result.credential_id,
                    "kid": result.kid, "facts": facts})
        return
    out.print(f"{result.verdict.value.upper()}: {result.message}", markup=False)
    for label, value in (facts or {}).items():
        out.print(f"  {label}: {value}", markup=False)
