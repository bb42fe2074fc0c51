"""The transparency log over HTTP: public checkpoint, key and proofs that verify, clear refusals
of bad queries, and the auditors' view of one entry."""

from __future__ import annotations

import base64
import hmac
import json

import pytest
from api_support import assert_problem, audit, bearer, client, error_locations
from pydantic import SecretStr

from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container
from confianza.kit.checkpoint import open_checkpoint
from confianza.kit.merkle import leaf_hash
from confianza.kit.merkle_proofs import verify_consistency, verify_inclusion
from confianza.kit.signed_note import Signer, Verifier
from confianza.trail.rules import AuditAction, PendingEntry
from confianza.transparency.service import log as transparency
from conftest import PUBLIC

ORIGIN = "confianza.test/audit-log"
LOG = "/api/v1/log"


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


@pytest.fixture
def signer(container: Container) -> Signer:
    """The container, configured to sign as ORIGIN; 11 entries, integrated and signed."""
    key = Signer.generate(ORIGIN)
    container.settings = container.settings.model_copy(
        update={"log_origin": ORIGIN, "log_signing_key": SecretStr(key.key_string())})
    with container.uow().transaction() as tx:
        tx.audit.write_many([PendingEntry("tester", "user", "officer:identity:read", "officer",
                                          str(n), detail={"n": n}) for n in range(11)])
    transparency.checkpoint_now(container.uow(), container.log_keys())
    return key


def test_the_checkpoint_verifies_with_the_published_key(container: Container,
                                                        signer: Signer) -> None:
    http = client(container)
    published = http.get(f"{LOG}/key")
    assert published.status_code == 200
    assert published.headers["content-type"].startswith("text/plain")
    assert "max-age" in published.headers["cache-control"]
    verifier = Verifier.parse(published.text.strip())
    assert verifier == signer.verifier
    response = http.get(f"{LOG}/checkpoint")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    checkpoint, names = open_checkpoint(response.content, [verifier], origin=ORIGIN)
    assert (checkpoint.size, names) == (11, [ORIGIN])
    assert audit(container, AuditAction.AUDIT_READ) == []  # public reads leave no trace


def test_inclusion_proofs_verify_against_the_checkpoint(container: Container,
                                                        signer: Signer) -> None:
    http = client(container)
    checkpoint, _ = open_checkpoint(http.get(f"{LOG}/checkpoint").content, [signer.verifier])
    with container.uow().transaction() as tx:
        entries = tx.log.entries(1, 100)
    for entry in entries:
        assert entry.seq is not None
        response = http.get(f"{LOG}/proof/inclusion", params={"seq": entry.seq})
        assert response.status_code == 200, response.text
        body = response.json()
        assert _b64(body["leaf_hash"]) == PUBLIC.leaf(entry)
        assert (body["tree_size"], body["leaf_index"]) == (11, entry.seq - 1)
        assert _b64(body["root"]) == checkpoint.root_hash
        verify_inclusion(_b64(body["leaf_hash"]), body["leaf_index"], body["tree_size"],
                         [_b64(h) for h in body["hashes"]], checkpoint.root_hash)
    older = http.get(f"{LOG}/proof/inclusion", params={"seq": 3, "size": 6})
    assert "immutable" in older.headers["cache-control"]
    body = older.json()
    verify_inclusion(_b64(body["leaf_hash"]), 2, 6, [_b64(h) for h in body["hashes"]],
                     _b64(body["root"]))


def test_consistency_proofs_verify(container: Container, signer: Signer) -> None:
    http = client(container)
    for size1 in range(1, 12):
        body = http.get(f"{LOG}/proof/consistency", params={"size1": size1}).json()
        assert (body["size1"], body["size2"]) == (size1, 11)
        verify_consistency(size1, 11, [_b64(h) for h in body["hashes"]], _b64(body["root1"]),
                           _b64(body["root2"]))
    fixed = http.get(f"{LOG}/proof/consistency", params={"size1": 4, "size2": 9})
    body = fixed.json()
    assert "immutable" in fixed.headers["cache-control"]
    verify_consistency(4, 9, [_b64(h) for h in body["hashes"]], _b64(body["root1"]),
                       _b64(body["root2"]))


@pytest.mark.parametrize(("path", "params", "location", "says"), [
    ("inclusion", {"seq": 12}, "query.seq", "not in the log of 11"),
    ("inclusion", {"seq": 2, "size": 12}, "query.size", "holds 11"),
    ("inclusion", {"seq": 5, "size": 3}, "query.seq", "not in the log of 3"),
    ("inclusion", {"seq": 0}, "query.seq", ""),
    ("inclusion", {"seq": "abc"}, "query.seq", ""),
    ("inclusion", {}, "query.seq", ""),
    ("inclusion", {"seq": 1, "size": "1e3"}, "query.size", ""),
    ("inclusion", {"seq": str(2**80)}, "query.seq", ""),
    ("consistency", {"size1": 12}, "query.size1", "holds 11"),
    ("consistency", {"size1": 5, "size2": 3}, "query.size1", "larger than size2"),
    ("consistency", {"size1": 2, "size2": 40}, "query.size2", "holds 11"),
    ("consistency", {"size1": "-1"}, "query.size1", ""),
    ("consistency", {"size1": 1, "size2": "x"}, "query.size2", ""),
])
def test_bad_proof_queries_name_the_field(
    container: Container, signer: Signer, path: str, params: dict[str, object], location: str,
    says: str,
) -> None:
    response = client(container).get(f"{LOG}/proof/{path}", params=params)
    body = assert_problem(response, 422, says)
    assert location in error_locations(body)


def test_an_empty_log_has_no_checkpoint_and_a_server_without_keys_no_key(
    container: Container,
) -> None:
    http = client(container)
    assert_problem(http.get(f"{LOG}/checkpoint"), 404, "no signed checkpoint")
    assert_problem(http.get(f"{LOG}/key"), 404, "CONFIANZA_LOG_SIGNING_KEY")
    assert_problem(http.get(f"{LOG}/proof/inclusion", params={"seq": 1}), 422,
                   "not in the log of 0")


def test_an_auditor_reads_an_entry_with_its_bytes_and_is_audited(
    container: Container, signer: Signer
) -> None:
    http = client(container)
    headers = bearer(container, Role.AUDITOR)
    response = http.get(f"{LOG}/entries/4", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "no-store" in response.headers["cache-control"]
    canonical = _b64(body["canonical"])
    public_form = json.loads(_b64(body["public_form"]))
    assert _b64(body["leaf_hash"]) == leaf_hash(_b64(body["public_form"]))
    assert json.loads(canonical)["actor"] == "tester" and "tester" not in str(public_form)
    # The public form binds the private bytes: whoever holds the key can check one by the other.
    assert public_form["entry"] == hmac.new(PUBLIC.key, canonical, "sha256").hexdigest()
    assert (body["id"], body["seq"], body["detail"], body["integrated"]) == (
        4, 4, {"n": 3}, True)
    proof = http.get(f"{LOG}/proof/inclusion", params={"seq": 4}).json()
    assert proof["leaf_hash"] == body["leaf_hash"]
    reads = audit(container, AuditAction.AUDIT_READ)
    assert [(e.actor, e.resource_type, e.resource_id) for e in reads] == [
        ("u-auditor", "audit_entry", "4")]
    assert_problem(http.get(f"{LOG}/entries/999", headers=headers), 404, "no entry 999")
    body = assert_problem(http.get(f"{LOG}/entries/0", headers=headers), 422)
    assert "path.entry_id" in error_locations(body)
    assert_problem(http.get(f"{LOG}/entries/4"), 401)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    assert_problem(http.get(f"{LOG}/entries/4", headers=clerk), 403, "audit:entry:read")
