"""The roster refresh's pages over HTTP on both databases: agency HR's pending separations
(confirm, dismiss) and the clerk's review queue, reachable from the home page for the right
roles only."""

from __future__ import annotations

from ui_support import open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor, Scope
from confianza.app.bootstrap import Container


def _queue(container: Container, officer_id: int) -> tuple[int, int]:
    """A pending separation of the officer's open posting, and a conflict on their name."""
    with container.uow().transaction() as tx:
        posting = next(a for a in tx.officers.assignments(officer_id) if a.end_date is None)
        tx.rosters.add_separations([{
            "officer_id": officer_id, "assignment_id": posting.id,
            "agency_id": posting.agency_id, "file_name": "plantilla.csv",
            "file_sha256": "a" * 64, "status": "pending", "proposed_at": tx.now,
            "proposed_by": "importer"}])
        tx.rosters.add_conflicts([{
            "officer_id": officer_id, "identity_key": "CUI-0042", "scheme": "sesnsp.cui",
            "facts": '[{"field": "name", "registry": "MARÍA FERNANDA PEÑA RUIZ", '
                     '"file": "MARTA PEÑA RUIZ"}]',
            "facts_key": "b" * 64,
            "file_rows": '[{"line": 7, "rank": "Policía", "start_date": "2019-06-01"}]',
            "file_name": "plantilla.csv", "file_sha256": "a" * 64, "file_line": 7,
            "status": "open", "proposed_at": tx.now, "proposed_by": "importer"}])
        separation = tx.rosters.separations(Scope(), None, after=None, limit=5)[0].id
        conflict = tx.rosters.conflicts(None, after=None, limit=5)[0].id
    return separation, conflict


def test_hr_confirms_a_pending_separation_from_its_page(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    world = seed(container, operator, agencies)
    separation, _ = _queue(container, world.maria)
    for client in open_client(container):
        csrf = sign_in(client, "jal.hr")
        home = client.get("/").text
        assert 'href="/pending-separations"' in home and 'href="/roster-conflicts"' not in home
        listing = client.get("/pending-separations")
        assert listing.status_code == 200 and f"/pending-separations/{separation}" in listing.text
        page = client.get(f"/pending-separations/{separation}")
        assert page.status_code == 200 and "plantilla.csv" in page.text
        refused = client.post(f"/pending-separations/{separation}", data={
            "csrf_token": csrf, "action": "confirm", "end_date": "2019-01-01",
            "reason": "resignation"})
        assert refused.status_code == 422 and 'role="alert"' in refused.text
        done = client.post(f"/pending-separations/{separation}", data={
            "csrf_token": csrf, "action": "confirm", "end_date": "2024-05-01",
            "reason": "resignation"}, follow_redirects=False)
        assert done.status_code == 303
        after = client.get(done.headers["location"])
        assert "page-notice" in after.text and 'name="action"' not in after.text


def test_clerk_decides_a_conflict_from_its_page(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    world = seed(container, operator, agencies)
    _, conflict = _queue(container, world.maria)
    for client in open_client(container):
        csrf = sign_in(client, "clerk")
        home = client.get("/").text
        assert 'href="/roster-conflicts"' in home
        assert client.get("/roster-conflicts").status_code == 200
        page = client.get(f"/roster-conflicts/{conflict}")
        assert page.status_code == 200 and "MARTA PEÑA RUIZ" in page.text
        bad = client.post(f"/roster-conflicts/{conflict}",
                          data={"csrf_token": csrf, "decision": "split", "new_key": ""})
        assert bad.status_code == 422 and 'role="alert"' in bad.text
        kept = client.post(f"/roster-conflicts/{conflict}",
                           data={"csrf_token": csrf, "decision": "keep", "note": "typo"},
                           follow_redirects=False)
        assert kept.status_code == 303
        assert "page-notice" in client.get(kept.headers["location"]).text


def test_other_roles_are_refused_the_queues(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    world = seed(container, operator, agencies)
    separation, conflict = _queue(container, world.maria)
    for client in open_client(container):
        sign_in(client, "auditor")
        assert client.get("/pending-separations").status_code == 403
        assert client.get(f"/roster-conflicts/{conflict}").status_code == 403
        assert client.get(f"/pending-separations/{separation}").status_code == 403
