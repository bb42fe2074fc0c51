"""`confianza certificates`: signing keys, catching up credentials, the published keys and status
lists, the printable card, and the outside verifier working offline from exported files.

The commands run in-process against a migrated database (SQLite and PostgreSQL). `verify` is
run with the database pointed at nowhere: a third party has only the published files. The
commands read the real clock, so the officer is certified on it too (as in the trust-control
CLI tests). The wall clock is pinned (time-machine) at 23:30 in Mexico City, when the UTC date
is already tomorrow: a credential issued then must verify as valid at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import OPERATOR, World, build_world  # noqa: E402

import confianza.verify as library  # noqa: E402
from confianza.app.bootstrap import build  # noqa: E402
from confianza.app.console import main  # noqa: E402
from confianza.app.settings import Environment, Settings  # noqa: E402
from confianza.certification.rules.cup import CupComponent  # noqa: E402
from confianza.certification.rules.decisions import Verdict as Decision  # noqa: E402
from confianza.certification.service import certificates, decisions
from confianza.credentials import service as credential_service
from confianza.credentials.rules.credential import Verdict  # noqa: E402
from confianza.credentials.service import CredentialView  # noqa: E402
from confianza.kit.jose import SigningKey, b64url_decode  # noqa: E402
from confianza.registry.rules.officers import OfficerStatus  # noqa: E402
from confianza.registry.service import officers as officer_service
from conftest import Pinned, pinned_wall_clock  # noqa: E402

CLI = [sys.executable, "-m", "confianza.app.console"]
OFFICER = "Ana Luisa Ortega Vela"
ISSUER = "did:web:127.0.0.1%3A8000"
LISTS = "http://127.0.0.1:8000/credentials/status"


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pinned]:
    with pinned_wall_clock("2330-local", "America/Mexico_City", monkeypatch) as moment:
        yield moment


@pytest.fixture
def world(pinned: Pinned, agencies: dict[str, int], database_url: str,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    credential_service.forget_published()  # what another test's database published
    real = build(Settings(environment=Environment.TEST, database_url=database_url))
    try:
        yield build_world(real, agencies)
    finally:
        real.dispose()


def certify(world: World) -> None:
    """An approved evaluation and the other three components, all dated on the real today."""
    officer = world.officer_id
    today: date = world.container.uow().today()
    evaluation_id = world.request(officer)
    world.schedule(evaluation_id, day=today)
    world.record_all(evaluation_id)
    decisions.decide(world.uow, world.decider, evaluation_id, Decision.APPROVED, "",
                     policy=world.container.policy, issuer=world.container.issuer)
    certificates.record_component(world.uow, world.hr, officer, CupComponent.SKILLS,
                                  today - timedelta(days=30), score=88,
                                  policy=world.container.policy, issuer=world.container.issuer)
    certificates.record_component(world.uow, world.hr, officer, CupComponent.PERFORMANCE,
                                  today - timedelta(days=60), score=91,
                                  policy=world.container.policy, issuer=world.container.issuer)
    certificates.record_component(world.uow, world.hr, officer, CupComponent.INITIAL_TRAINING,
                                  date(2015, 1, 1), hours=972,
                                  policy=world.container.policy, issuer=world.container.issuer)


def the_credential(world: World) -> CredentialView:
    [view] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                    issuer=world.container.issuer)
    return view


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["certificates", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out


def one_error_line(err: str) -> str:
    """The whole of stderr when a command fails: one `error:` line, never a traceback."""
    assert err.startswith("error: ") and err.endswith("\n"), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err[len("error: "):-1]


def claims(token: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(b64url_decode(token.split(".")[1]))
    return value


def header(token: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(b64url_decode(token.split(".")[0]))
    return value


def flipped(token: str) -> str:
    """The token with one character of its signature changed (the middle one: every bit of it
    counts, unlike the last character's padding bits)."""
    head, body, signature = token.split(".")
    middle = len(signature) // 2
    swapped = "B" if signature[middle] != "B" else "C"
    return ".".join((head, body, signature[:middle] + swapped + signature[middle + 1:]))


@dataclass(frozen=True)
class Exported:
    """What an outside verifier was handed: the issuer's JWKS and its two status lists."""

    jwks: Path
    revocation: Path
    suspension: Path

    def status_args(self) -> list[str]:
        return ["--status", str(self.revocation), "--status", str(self.suspension)]


def export(capsys: pytest.CaptureFixture[str], folder: Path) -> Exported:
    """Save the JWKS and both status lists as `certificates keys` and `status-list` print them."""
    folder.mkdir(exist_ok=True)
    credential_service.forget_published()  # the lists are read from the database again
    files = Exported(folder / "jwks.json", folder / "revocation-0.jwt",
                     folder / "suspension-0.jwt")
    files.jwks.write_text(ok(capsys, "keys"), encoding="utf-8")
    files.revocation.write_text(ok(capsys, "status-list", "revocation", "0"), encoding="ascii")
    files.suspension.write_text(ok(capsys, "status-list", "suspension", "0"), encoding="ascii")
    return files


def no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point the commands at a database that does not exist, and take the signing key away:
    the verifier has neither."""
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'confianza.db'}"
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", url)
    monkeypatch.delenv("CONFIANZA_CREDENTIAL_KEY", raising=False)
    return url


# keygen -----------------------------------------------------------------------------------------


def test_keygen_prints_a_private_ed25519_jwk_and_warns(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "keygen", "--name", "2027-01")
    assert code == 0, err
    jwk = json.loads(out)
    assert (jwk["kty"], jwk["crv"], jwk["kid"]) == ("OKP", "Ed25519", "2027-01")
    assert len(b64url_decode(jwk["d"])) == 32 and len(b64url_decode(jwk["x"])) == 32
    # What is printed is what CONFIANZA_CREDENTIAL_KEY takes, and signs.
    key = SigningKey.from_jwk(out)
    assert key.public_jwk()["x"] == jwk["x"]
    assert "private key" in err and "CONFIANZA_CREDENTIAL_KEY" in err
    assert jwk["d"] not in err
    # Every run makes a new key.
    assert json.loads(ok(capsys, "keygen", "--name", "2027-01"))["d"] != jwk["d"]


@pytest.mark.parametrize("name", ["a b", "", "x" * 65, "../2027", "2027#01"])
def test_keygen_refuses_a_bad_name(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, err = run(capsys, "keygen", "--name", name)
    assert (code, out) == (2, "")
    assert one_error_line(err).startswith("--name takes 1 to 64 letters")


# issue, keys, status-list, card -----------------------------------------------------------------


def test_issue_catches_up_certificates_made_without_a_key(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    issuer = world.container.issuer
    world.container.issuer = None
    certify(world)
    world.container.issuer = issuer
    assert credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                  issuer=world.container.issuer) == []

    code, out, err = run(capsys, "issue")
    assert code == 0, err
    assert out.startswith("1 credential issued in ")
    view = the_credential(world)
    assert (view.state, view.facts.name) == ("valid", OFFICER)
    assert credential_service.check(world.uow, view.credential.token,
                                    issuer=world.container.issuer).verdict is Verdict.VALID
    assert ok(capsys, "issue").startswith("0 credentials issued in ")
    assert len(credential_service.officer_credentials(world.uow, world.hr,
                                                      world.officer_id,
                                                      issuer=world.container.issuer)) == 1


def test_issue_without_a_signing_key_says_so(
        world: World, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONFIANZA_CREDENTIAL_KEY")
    code, out, err = run(capsys, "issue")
    assert (code, out) == (1, "")
    assert "CONFIANZA_CREDENTIAL_KEY" in one_error_line(err)


def test_keys_prints_the_jwks_and_the_did_document(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    jwks = json.loads(ok(capsys, "keys"))
    [key] = jwks["keys"]
    assert key["kid"] == f"{ISSUER}#test-key"
    assert (key["kty"], key["crv"]) == ("OKP", "Ed25519") and "d" not in key
    assert jwks == credential_service.jwks(world.uow, issuer=world.container.issuer)

    document = json.loads(ok(capsys, "keys", "--did"))
    assert document["id"] == ISSUER
    [method] = document["verificationMethod"]
    assert method["id"] == key["kid"] and method["controller"] == ISSUER
    assert method["publicKeyJwk"]["x"] == key["x"] and "d" not in method["publicKeyJwk"]
    assert document["assertionMethod"] == [key["kid"]]


def test_status_list_prints_a_signed_list_and_names_one_that_does_not_exist(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "status-list", "revocation", "0")
    assert code == 1 and out == ""  # no credential yet: no list either
    assert one_error_line(err) == "status list revocation/0 does not exist"

    certify(world)
    token = ok(capsys, "status-list", "revocation", "0").strip()
    assert token.count(".") == 2 and "\n" not in token
    assert header(token)["typ"] == "vc+jwt"
    assert header(token)["kid"] == f"{ISSUER}#test-key"
    listed = claims(token)
    assert listed["id"] == f"{LISTS}/revocation/0"
    assert listed["credentialSubject"]["statusPurpose"] == "revocation"

    code, out, err = run(capsys, "status-list", "revocation", "5")
    assert code == 1 and out == ""
    assert one_error_line(err) == "status list revocation/5 does not exist"
    code, out, err = run(capsys, "status-list", "confiscation", "0")
    assert code == 1 and out == ""
    assert one_error_line(err) == ("no status list for 'confiscation': the purposes are "
                                   "revocation, suspension")


def test_card_writes_the_pdf_or_says_why_it_cannot(
        world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    certify(world)
    view = the_credential(world)
    target = tmp_path / "card.pdf"
    printed = ok(capsys, "card", str(world.officer_id), "--pdf", str(target))
    assert printed == f"wrote {target} ({view.facts.certificate_number}, valid)\n"
    assert target.read_bytes().startswith(b"%PDF-")
    english = tmp_path / "card-en.pdf"
    ok(capsys, "card", str(world.officer_id), "--pdf", str(english), "--lang", "en")
    assert english.read_bytes().startswith(b"%PDF-")

    uncertified = world.new_officer("Luis", "Peña", "Ruiz")
    elsewhere = tmp_path / "none.pdf"
    code, out, err = run(capsys, "card", str(uncertified), "--pdf", str(elsewhere))
    assert (code, out) == (2, "")
    assert one_error_line(err) == f"officer {uncertified} has no credential in force"
    code, out, err = run(capsys, "card", "999999", "--pdf", str(elsewhere))
    assert (code, out) == (1, "")
    assert one_error_line(err) == "officer 999999 does not exist"
    code, out, err = run(capsys, "card", str(world.officer_id), "--pdf", str(elsewhere),
                         "--lang", "fr")
    assert (code, out) == (2, "")
    assert one_error_line(err) == "--lang takes es or en"
    assert not elsewhere.exists()


# verify: the outside verifier -------------------------------------------------------------------


def test_verify_offline_with_the_exported_files_and_no_database(
        world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    certify(world)
    view = the_credential(world)
    token, link = view.credential.token, view.verify_url
    files = export(capsys, tmp_path / "published")
    no_database(monkeypatch, tmp_path)

    printed = ok(capsys, "verify", token, "--keys", str(files.jwks), *files.status_args())
    assert printed.startswith(f"VALID: certificate {view.facts.certificate_number} is valid")
    assert f"  name: {OFFICER}\n" in printed
    assert f"  certificate_number: {view.facts.certificate_number}\n" in printed
    assert f"  valid_until: {view.facts.valid_until.isoformat()}\n" in printed

    result = json.loads(ok(capsys, "verify", token, "--keys", str(files.jwks),
                           *files.status_args(), "--json"))
    assert (result["verdict"], result["reason"]) == ("valid", "valid")
    assert result["credential_id"] == view.credential.credential_id
    assert result["kid"] == f"{ISSUER}#test-key"
    assert result["facts"]["name"] == OFFICER
    assert result["facts"]["valid_until"] == view.facts.valid_until.isoformat()

    # A scanned QR code's text in a file, the token in a file, and the link itself.
    scanned = tmp_path / "scanned.txt"
    scanned.write_text(link + "\n", encoding="utf-8")
    saved = tmp_path / "token.jwt"
    saved.write_text(token, encoding="utf-8")
    for presented in (str(scanned), str(saved), link):
        answer = json.loads(ok(capsys, "verify", presented, "--keys", str(files.jwks),
                               *files.status_args(), "--json"))
        assert answer["verdict"] == "valid", presented


def verdict_of(capsys: pytest.CaptureFixture[str], presented: str, *args: str
               ) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, "verify", presented, *args, "--json")
    assert err == ""
    value: dict[str, Any] = json.loads(out)
    return code, value


def test_verify_tells_what_is_wrong(
        world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    certify(world)
    view = the_credential(world)
    token = view.credential.token
    files = export(capsys, tmp_path / "published")
    no_database(monkeypatch, tmp_path)
    keys = ["--keys", str(files.jwks)]

    # Without the status lists and forbidden to fetch them: never "valid".
    code, out, err = run(capsys, "verify", token, *keys, "--offline")
    assert code == 3, err
    assert out.startswith("STATUS_UNKNOWN: ")
    assert verdict_of(capsys, token, *keys, "--offline")[1]["verdict"] == "status_unknown"

    code, out, err = run(capsys, "verify", flipped(token), *keys, *files.status_args())
    assert code == 1, err
    assert out.startswith("ALTERED: ")
    code, result = verdict_of(capsys, flipped(token), *keys, *files.status_args())
    assert (code, result["verdict"], result["facts"]) == (1, "altered", None)

    # Keys that are not the issuer's: the credential is not one of theirs.
    strangers = tmp_path / "other-jwks.json"
    strangers.write_text(json.dumps({"keys": [SigningKey.generate(
        "did:web:otro.example.gob.mx#2027-01").public_jwk()]}), encoding="utf-8")
    code, out, err = run(capsys, "verify", token, "--keys", str(strangers),
                         *files.status_args())
    assert code == 1, err
    assert out.startswith("NOT_OURS: ")
    assert verdict_of(capsys, token, "--keys", str(strangers),
                      *files.status_args())[1]["verdict"] == "not_ours"

    # Another system's QR code.
    code, out, err = run(capsys, "verify", "https://example.org/x", *keys,
                         *files.status_args())
    assert code == 1, err
    assert out.startswith("NOT_OURS: ")
    code, result = verdict_of(capsys, "https://example.org/x", *keys, *files.status_args())
    assert (code, result["verdict"], result["reason"]) == (1, "not_ours", "not_a_credential")


def test_verify_reads_the_cards_qr_code_like_the_token(
        world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    certify(world)
    view = the_credential(world)
    token, link = view.credential.token, view.qr_url
    assert link.startswith("http://127.0.0.1:8000/v/2KC")
    files = export(capsys, tmp_path / "published")
    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SUSPENDED, "Investigación administrativa")
    suspended = export(capsys, tmp_path / "later")
    no_database(monkeypatch, tmp_path)
    keys = ["--keys", str(files.jwks)]

    # Each answer is the token's, word for word: valid (or whatever the token is) with the
    # saved lists, which the link names by the issuer's own address; status unknown without
    # them; suspended with the later lists.
    scanned = tmp_path / "qr.txt"
    scanned.write_text(link + "\n", encoding="utf-8")
    for lists in (files.status_args(), ["--offline"], suspended.status_args()):
        code, by_token = verdict_of(capsys, token, *keys, *lists)
        for presented in (str(scanned), link):
            assert verdict_of(capsys, presented, *keys, *lists) == (
                code, {**by_token, "credential_id": None}), (presented, lists)
        assert by_token["facts"]["name"] == OFFICER
    assert by_token["verdict"] != "valid"  # the later lists suspend it
    printed = run(capsys, "verify", token, *keys, *files.status_args())
    assert run(capsys, "verify", link, *keys, *files.status_args()) == printed

    # One character changed, or keys that are not the issuer's.
    base, text = link.rsplit("/", 1)
    middle = len(text) // 2
    changed = f"{base}/{text[:middle]}{'B' if text[middle] != 'B' else 'C'}{text[middle + 1:]}"
    code, result = verdict_of(capsys, changed, *keys, *files.status_args())
    assert (code, result["verdict"], result["reason"], result["facts"]) == (
        1, "altered", "bad_signature", None)
    strangers = tmp_path / "other-jwks.json"
    strangers.write_text(json.dumps({"keys": [SigningKey.generate(
        "did:web:otro.example.gob.mx#2027-01").public_jwk()]}), encoding="utf-8")
    code, result = verdict_of(capsys, link, "--keys", str(strangers), *files.status_args())
    assert (code, result["verdict"], result["reason"]) == (1, "not_ours", "unknown_key")


def test_verify_refuses_files_it_cannot_use(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    no_database(monkeypatch, tmp_path)
    missing = tmp_path / "missing-jwks.json"
    code, out, err = run(capsys, "verify", "https://example.org/x", "--keys", str(missing))
    assert (code, out) == (2, "")
    message = one_error_line(err)
    assert message.startswith(f"--keys {missing}: cannot read the JWKS file {missing}")
    code, out, err = run(capsys, "verify", "https://example.org/x", "--keys", str(missing),
                         "--offline")
    assert (code, out) == (2, "")
    assert one_error_line(err) == f"--offline needs --keys as a file; {missing} is not one"

    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"keys": []}', encoding="utf-8")
    code, out, err = run(capsys, "verify", "https://example.org/x", "--keys", str(garbage))
    assert (code, out) == (2, "")
    assert one_error_line(err) == (f"--keys {garbage}: {garbage}: the JWKS must have a "
                                   "non-empty 'keys' list")

    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [SigningKey.generate("k").public_jwk()]}),
                    encoding="utf-8")
    not_a_list = tmp_path / "list.jwt"
    not_a_list.write_text("not a token", encoding="ascii")
    code, out, err = run(capsys, "verify", "https://example.org/x", "--keys", str(jwks),
                         "--status", str(not_a_list))
    assert (code, out) == (2, "")
    assert one_error_line(err).startswith(f"--status {not_a_list}: not a status list "
                                          "credential")


def test_verify_reports_a_suspension_from_freshly_exported_lists(
        world: World, pinned: Pinned, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    certify(world)
    token = the_credential(world).credential.token
    before = export(capsys, tmp_path / "before")
    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SUSPENDED, "internal affairs inquiry")
    after = export(capsys, tmp_path / "after")
    url = no_database(monkeypatch, tmp_path)

    code, out, err = run(capsys, "verify", token, "--keys", str(after.jwks),
                         *after.status_args())
    assert code == 1, err
    assert out.startswith("SUSPENDED: ")
    assert f"  name: {OFFICER}\n" in out  # what was suspended is still said
    # The lists saved before the suspension still say what they said then.
    code, result = verdict_of(capsys, token, "--keys", str(before.jwks),
                              *before.status_args())
    assert (code, result["verdict"]) == (0, "valid")

    # A process of its own, started with no database and no key, given the scanned text in a
    # file: the same answer.
    scanned = tmp_path / "scanned.txt"
    scanned.write_text(token, encoding="utf-8")
    env = {**os.environ, "CONFIANZA_DATABASE_URL": url, "CONFIANZA_ENVIRONMENT": "test"}
    env.pop("CONFIANZA_CREDENTIAL_KEY", None)
    done = subprocess.run(
        pinned.command("certificates", "verify", str(scanned), "--keys", str(after.jwks),
                       *after.status_args(), "--json"),
        env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["verdict"] == "suspended"


# The library ------------------------------------------------------------------------------------


def test_the_library_gives_the_same_verdicts(
        world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    certify(world)
    view = the_credential(world)
    token = view.credential.token
    files = export(capsys, tmp_path / "published")
    jwks = json.loads(files.jwks.read_text(encoding="utf-8"))
    saved = {claims(t)["id"]: t for t in (files.revocation.read_text(encoding="ascii").strip(),
                                          files.suspension.read_text(encoding="ascii").strip())}
    asked: list[str] = []

    def fetch(url: str) -> str:
        asked.append(url)
        return saved[url]

    check = library.verify(token, jwks, fetch=fetch)
    assert (check.verdict, check.facts) == (Verdict.VALID, view.facts)
    assert set(asked) == {f"{LISTS}/revocation/0", f"{LISTS}/suspension/0"}
    assert library.verify(view.verify_url, jwks, fetch=fetch).verdict is Verdict.VALID
    assert library.verify(flipped(token), jwks, fetch=fetch).verdict is Verdict.ALTERED
    assert library.verify(token, jwks, fetch=None).verdict is Verdict.STATUS_UNKNOWN
    assert library.verify("https://example.org/x", jwks, fetch=fetch).verdict is \
        Verdict.NOT_OURS

    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SEPARATED, "resignation accepted")
    fresh = export(capsys, tmp_path / "fresh")
    saved.update({claims(t)["id"]: t for t in (
        fresh.revocation.read_text(encoding="ascii").strip(),
        fresh.suspension.read_text(encoding="ascii").strip())})
    assert library.verify(token, jwks, fetch=fetch).verdict is Verdict.REVOKED
    assert library.Verifier(library.load_jwks(files.jwks), fetch=fetch).verify(
        token).verdict is Verdict.REVOKED
