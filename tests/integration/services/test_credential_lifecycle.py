"""CUP credentials through the services, on both databases: issued with the certificate in its
transaction, their published status following the registry by itself, keys rotating."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from evaluation_support import OPERATOR, World, build_world, failing

from confianza.app.bootstrap import Container
from confianza.certification.rules.decisions import Verdict as Decision
from confianza.certification.service import decisions
from confianza.core.errors import Forbidden, NotFound
from confianza.credentials import service as credential_service
from confianza.credentials.rules.credential import StatusLists, Verdict, verify_credential
from confianza.credentials.rules.issuer import Issuer
from confianza.kit.jose import KeySet, SigningKey
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import ExamType
from confianza.work import UnitOfWork

GROUNDS = "Positive toxicology for cocaine confirmed by the second sample in the lab."


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    credential_service.forget_published()  # what another test's database published
    return build_world(container, agencies)


def verdict(world: World, token: str) -> Verdict:
    credential_service.forget_published()  # the next check reads the bits again
    return credential_service.check(world.uow, token, issuer=world.container.issuer).verdict


def audit_actions(container: Container) -> list[str]:
    with container.uow().transaction() as tx:
        return [e.action for e in tx.audit.entries(limit=10_000)]


def test_a_certificate_comes_with_a_signed_credential_that_verifies(world: World) -> None:
    world.certify()
    [view] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                    issuer=world.container.issuer)
    assert view.state == "valid"
    assert (view.facts.name, view.facts.rank, view.facts.valid_until) == (
        "Ana Luisa Ortega Vela", "Policía", date(2029, 3, 1))
    assert view.facts.agency  # the agency's name, not its id
    assert view.verify_url.startswith("http://127.0.0.1:8000/verify?credential=")
    check = credential_service.check(world.uow, view.credential.token,
                                     issuer=world.container.issuer)
    assert (check.verdict, check.kid) == (Verdict.VALID, "did:web:127.0.0.1%3A8000#test-key")
    assert check.facts == view.facts
    # Minimal disclosure: no exam, result, CURP or internal id in the signed claims.
    claims = json.dumps(credential_service.payload_of(view.credential.token))
    for secret in ("toxicolog", "polygraph", "curp", "score", "outcome", "1990"):
        assert secret not in claims.lower()
    actions = audit_actions(world.container)
    assert "credential:record:issue" in actions
    assert actions[-1] == "credential:record:read"


def test_status_follows_suspension_and_reinstatement(world: World) -> None:
    world.certify()
    [view] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                    issuer=world.container.issuer)
    token = view.credential.token
    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SUSPENDED, "internal affairs inquiry")
    assert verdict(world, token) is Verdict.SUSPENDED
    officer_service.change_status(world.uow, OPERATOR, world.officer_id, OfficerStatus.ACTIVE,
                                  "inquiry closed without findings")
    assert verdict(world, token) is Verdict.VALID
    changes = [a for a in audit_actions(world.container) if a == "credential:status:change"]
    assert len(changes) == 2


def test_a_not_approved_decision_revokes_for_good(world: World) -> None:
    world.certify()
    [view] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                    issuer=world.container.issuer)
    evaluation_id = world.ready_for_decision({ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    decisions.decide(world.uow, world.decider, evaluation_id, Decision.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    assert verdict(world, view.credential.token) is Verdict.VALID  # one word changes nothing
    decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                      policy=world.container.policy, issuer=world.container.issuer)
    assert verdict(world, view.credential.token) is Verdict.REVOKED
    [after] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                     issuer=world.container.issuer)
    assert (after.state, after.credential.status_reason) == ("revoked", "not_approved")


def test_separation_revokes(world: World) -> None:
    world.certify()
    [view] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                    issuer=world.container.issuer)
    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SEPARATED, "resignation accepted")
    assert verdict(world, view.credential.token) is Verdict.REVOKED


def test_status_lists_are_signed_and_hold_the_bits(world: World) -> None:
    world.certify()
    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SUSPENDED, "internal affairs inquiry")
    [view] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                    issuer=world.container.issuer)
    keys = KeySet.from_jwks(credential_service.jwks(world.uow, issuer=world.container.issuer))
    issuer = world.container.issuer
    assert issuer is not None
    fetched: list[str] = []

    def fetch(url: str) -> str:
        fetched.append(url)
        found = issuer.status_list_of(url)
        assert found is not None
        return credential_service.status_list(world.uow, *found, issuer=world.container.issuer)

    # An outside verifier's check, with the lists fetched as files: the same answer. Its
    # clock runs a minute behind ours (or it took "now" before the list was signed): a list
    # signed "now" must not be "not yet valid" to it.
    check = verify_credential(view.credential.token, keys, StatusLists(keys, fetch),
                              now=world.container.clock() - timedelta(minutes=1))
    assert check.verdict is Verdict.SUSPENDED
    assert fetched and all(u.startswith("http://127.0.0.1:8000/credentials/status/")
                           for u in fetched)
    with pytest.raises(NotFound):
        credential_service.status_list(world.uow, "revocation", 7, issuer=world.container.issuer)
    with pytest.raises(NotFound):
        credential_service.status_list(world.uow, "other", 0, issuer=world.container.issuer)


def test_published_keys_and_did_document(world: World) -> None:
    document = credential_service.did_document(world.uow, issuer=world.container.issuer)
    assert document["id"] == "did:web:127.0.0.1%3A8000"
    [method] = document["verificationMethod"]
    assert method["id"] == "did:web:127.0.0.1%3A8000#test-key"
    assert "d" not in method["publicKeyJwk"]
    assert document["assertionMethod"] == [method["id"]]
    keys = credential_service.jwks(world.uow, issuer=world.container.issuer)["keys"]
    assert [k["kid"] for k in keys] == [method["id"]]


def _with_issuer(container: Container, issuer: Issuer | None) -> UnitOfWork:
    uow = container.uow()
    uow.issuer = issuer
    return uow


def test_a_rotated_key_stays_published_while_its_credentials_are_valid(world: World) -> None:
    world.certify()
    [old] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                   issuer=world.container.issuer)
    old_issuer = world.container.issuer
    assert old_issuer is not None
    new_issuer = replace(old_issuer, key=SigningKey.generate(
        "did:web:127.0.0.1%3A8000#key-2027"))
    world.container.issuer = new_issuer
    second = world.new_officer("Luis", "Peña", "Ruiz")
    world.certify(second)
    [new] = credential_service.officer_credentials(world.uow, world.hr, second,
                                                   issuer=world.container.issuer)
    assert new.credential.kid.endswith("#key-2027")
    kids = [k["kid"] for k in credential_service.jwks(world.uow,
                                                      issuer=world.container.issuer)["keys"]]
    assert kids == [new_issuer.kid, old_issuer.kid]
    # Both verify with what is published now.
    assert verdict(world, old.credential.token) is Verdict.VALID
    assert verdict(world, new.credential.token) is Verdict.VALID


def test_certificates_without_a_key_get_their_credentials_later(world: World) -> None:
    issuer = world.container.issuer
    world.container.issuer = None
    world.certify()
    world.container.issuer = issuer
    assert credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                  issuer=world.container.issuer) == []
    issued = credential_service.issue_missing(world.uow, OPERATOR, issuer=world.container.issuer)
    assert issued == 1
    assert credential_service.issue_missing(world.uow, OPERATOR,
                                            issuer=world.container.issuer) == 0  # nothing left
    [view] = credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                    issuer=world.container.issuer)
    assert verdict(world, view.credential.token) is Verdict.VALID
    with pytest.raises(Forbidden):
        credential_service.issue_missing(world.uow, world.hr,
                                         issuer=world.container.issuer)  # a national task


def test_issuing_in_batches_goes_past_certificates_with_nothing_to_show(world: World) -> None:
    # Made without a key: the first officer is then separated (no open posting, so no agency
    # or rank for a card) before the credentials are issued, one certificate a batch.
    issuer = world.container.issuer
    world.container.issuer = None
    second = world.new_officer("Luis", "Peña", "Ruiz")
    world.certify()
    world.certify(second)
    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SEPARATED, "resignation accepted")
    world.container.issuer = issuer
    assert credential_service.issue_missing(world.uow, OPERATOR, batch=1,
                                            issuer=world.container.issuer) == 1
    assert credential_service.officer_credentials(world.uow, world.hr, world.officer_id,
                                                  issuer=world.container.issuer) == []
    [view] = credential_service.officer_credentials(world.uow, world.hr, second,
                                                    issuer=world.container.issuer)
    assert view.facts.name == "Luis Peña Ruiz"
