"""The clerk's pages of candidate pairs, over HTTP on both databases: the evidence side by side,
a refused merge that says why, a confirmed one that says what became of the records."""

from __future__ import annotations

from datetime import date

from ui_support import open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.identities.contracts import NewCandidate
from confianza.registry.service import officers as officer_service


def _propose(container: Container, left: int, right: int) -> int:
    evidence = {"left": {"given_names": "MARIA FERNANDA", "first_surname": "PENA"},
                "right": {"given_names": "MARIA FERNADA", "first_surname": "PENA"},
                "comparisons": {"given_names": {"level": 2, "weight": 6.5},
                                "birth": {"level": 0, "weight": -9.9}}}
    with container.uow().transaction() as tx:
        tx.identities.add_candidates(
            [NewCandidate(min(left, right), max(left, right), None, 0.93, 3.8, evidence)],
            at=tx.now, by="test")
        return max(c.id for c in tx.identities.candidates(None, 500, None))


def test_clerk_reads_the_evidence_and_a_refused_merge_says_why(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    world = seed(container, operator, agencies)
    other = officer_service.register_officer(container.uow(), operator, officer_service.NewOfficer(
        given_names="María Fernada", first_surname="Peña",
        assignment=officer_service.FirstAssignment(agencies["NL-FC"], "Policía",
                                                   date(2021, 1, 1)),
    )).officer.id
    candidate = _propose(container, world.maria, other)
    for client in open_client(container):
        csrf = sign_in(client, "clerk")
        assert 'href="/identities"' in client.get("/").text
        listing = client.get("/identities")
        assert listing.status_code == 200 and f"/identities/{candidate}" in listing.text
        page = client.get(f"/identities/{candidate}")
        assert page.status_code == 200
        assert "MARIA FERNADA" in page.text and "+6.5" in page.text and "-9.9" in page.text
        # Both records have an open posting: the merge is refused, and the page says so.
        refused = client.post(f"/identities/{candidate}",
                              data={"csrf_token": csrf, "decision": "confirm"})
        assert refused.status_code == 409
        assert "role=\"alert\"" in refused.text and "open full-time postings" in refused.text
        rejected = client.post(f"/identities/{candidate}",
                               data={"csrf_token": csrf, "decision": "reject"},
                               follow_redirects=False)
        assert rejected.status_code == 303
        after = client.get(rejected.headers["location"])
        assert "page-notice" in after.text and "name=\"decision\"" not in after.text


def test_other_roles_are_refused_the_pages(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    world = seed(container, operator, agencies)
    candidate = _propose(container, world.maria, world.maria + 1)
    for client in open_client(container):
        csrf = sign_in(client, "jal.hr")
        assert 'href="/identities"' not in client.get("/").text
        assert client.get("/identities").status_code == 403
        refused = client.post(f"/identities/{candidate}",
                              data={"csrf_token": csrf, "decision": "reject"})
        assert refused.status_code == 403
