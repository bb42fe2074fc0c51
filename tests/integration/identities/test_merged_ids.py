"""A merged officer's id leads to the survivor (ADR 0027, addendum), on both databases: the use
case says so (OfficerMerged), the API answers 308 to the survivor, the page redirects to the
survivor's page with a notice naming the merge; a reader who may not read the survivor is
refused and the refusal recorded; a chain of merges leads to the last survivor."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from test_identity_decisions import CLERK, entries, propose, register

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from api_support import assert_problem, bearer  # noqa: E402
from api_support import client as api_client  # noqa: E402
from ui_support import open_client, seed, sign_in  # noqa: E402

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind  # noqa: E402
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.core.errors import Forbidden, NotFound  # noqa: E402
from confianza.identities.rules.candidates import Decision  # noqa: E402
from confianza.identities.service import decisions  # noqa: E402
from confianza.registry.rules.assignments import ChangeReason  # noqa: E402
from confianza.registry.service import assignments as assignment_service  # noqa: E402
from confianza.registry.service import officers as officer_service  # noqa: E402
from confianza.trail.rules import AuditAction  # noqa: E402
from conftest import actor  # noqa: E402


def merged_pair(container: Container, operator: Actor, agencies: dict[str, int]
                ) -> tuple[int, int]:
    """One man twice (Jalisco without a CURP, his posting ended; the Guardia Nacional with
    it), confirmed by the clerk: (merged id, survivor id)."""
    first = register(container, operator, agencies["JAL-SSP"], curp=False,
                     start=date(2008, 2, 1), badge="J-77")
    with container.uow().transaction() as tx:
        posting = tx.officers.assignments(first)[0].id
    assignment_service.end_assignment(container.uow(), operator, posting, date(2015, 6, 30),
                                      ChangeReason.RESIGNATION)
    second = register(container, operator, agencies["GN"], curp=True, start=date(2016, 1, 4),
                      badge="GN-1200", given="Jose Luis")
    done = decisions.decide(container.uow(), CLERK, propose(container, first, second),
                            Decision.CONFIRM)
    assert done.merged is not None and done.merged.merged_id == first
    return first, second


def test_the_use_case_names_the_survivor_and_refuses_who_may_not_read_it(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    merged, survivor = merged_pair(container, operator, agencies)
    reads = len(entries(container, AuditAction.OFFICER_READ))
    with pytest.raises(officer_service.OfficerMerged) as moved:
        officer_service.get_officer(container.uow(), CLERK, merged)
    merge = moved.value.merge
    assert (merge.merged_id, merge.survivor_id, merge.merged_by) == (
        merged, survivor, CLERK.username)
    assert isinstance(moved.value, NotFound)  # callers that only ask "is it there?" still can
    assert f"merged into officer {survivor}" in moved.value.detail
    # The redirect reads no one's record: the survivor's read is where the entry is written.
    assert len(entries(container, AuditAction.OFFICER_READ)) == reads
    # Jalisco's HR may not read the survivor (a Guardia Nacional officer now): refused, as for
    # the survivor's own id, and recorded; the redirect would have named the record.
    jalisco = actor(Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-SSP"]))
    denied = len(entries(container, AuditAction.ACCESS_DENIED))
    with pytest.raises(Forbidden):
        officer_service.get_officer(container.uow(), jalisco, merged)
    assert len(entries(container, AuditAction.ACCESS_DENIED)) == denied + 1
    with pytest.raises(NotFound) as missing:
        officer_service.get_officer(container.uow(), CLERK, 10**9)
    assert not isinstance(missing.value, officer_service.OfficerMerged)


def test_a_chain_of_merges_leads_to_the_last_survivor(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    merged, survivor = merged_pair(container, operator, agencies)
    # A third record of him turns up, the only one with his CURP (the survivor's is cleared to
    # make room for it: a CURP is unique): it survives the second merge.
    with container.uow().transaction() as tx:
        tx.session.execute(text("UPDATE officers SET curp = NULL WHERE id = :i"),
                           {"i": survivor})
    third = register(container, operator, agencies["NL-FC"], curp=True, start=date(2001, 1, 1),
                     badge="NL-1", given="José Luis")
    with container.uow().transaction() as tx:
        posting = tx.officers.assignments(third)[0].id
    assignment_service.end_assignment(container.uow(), operator, posting, date(2007, 12, 31),
                                      ChangeReason.RESIGNATION)
    done = decisions.decide(container.uow(), CLERK, propose(container, survivor, third),
                            Decision.CONFIRM)
    assert done.merged is not None and done.merged.survivor_id == third
    for old in (merged, survivor):
        with pytest.raises(officer_service.OfficerMerged) as moved:
            officer_service.get_officer(container.uow(), CLERK, old)
        assert moved.value.merge.survivor_id == third, old


def test_the_api_answers_308_to_the_survivor_whose_read_is_audited(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    merged, survivor = merged_pair(container, operator, agencies)
    api = api_client(container)
    headers = bearer(container, Role.REGISTRY_CLERK)
    answer = api.get(f"/api/v1/officers/{merged}", headers=headers, follow_redirects=False)
    body = assert_problem(answer, 308, f"merged into officer {survivor}")
    assert answer.headers["location"] == f"/api/v1/officers/{survivor}"
    assert body["survivor_id"] == survivor and body["code"] == "officer_merged"
    assert answer.headers["cache-control"] == "no-store"
    followed = api.get(f"/api/v1/officers/{merged}", headers=headers)
    assert followed.status_code == 200 and followed.json()["id"] == survivor
    read = entries(container, AuditAction.OFFICER_READ)[-1]
    assert read.resource_id == str(survivor)  # type: ignore[attr-defined]
    # Outside the survivor's holder: 403, not the survivor's id.
    hr = bearer(container, Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-SSP"]),
                username="jal-hr")
    refused = api.get(f"/api/v1/officers/{merged}", headers=hr, follow_redirects=False)
    assert refused.status_code == 403 and str(survivor) not in refused.headers.get(
        "location", "")
    assert_problem(api.get("/api/v1/officers/999999999", headers=headers), 404)


def test_the_page_leads_to_the_survivor_and_says_what_was_merged(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    seed(container, operator, agencies)
    merged, survivor = merged_pair(container, operator, agencies)
    for client in open_client(container):
        sign_in(client, "clerk")
        answer = client.get(f"/officers/{merged}")
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/officers/{survivor}?fusionado={merged}"
        page = client.get(answer.headers["location"])
        assert page.status_code == 200
        assert 'id="merged-notice"' in page.text
        assert f"El folio {merged} ya no existe" in page.text and CLERK.username in page.text
        # A notice only for a record that was merged into this one.
        plain = client.get(f"/officers/{survivor}?fusionado={survivor + 1000}")
        assert plain.status_code == 200 and 'id="merged-notice"' not in plain.text
        assert client.get("/officers/999999999").status_code == 404


def test_a_merged_records_timeline_is_its_survivors(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    """The timeline page of a merged id leads to the survivor's, keeping the kind asked for;
    the API names the survivor in its 404 (the profile's API answers 308)."""
    seed(container, operator, agencies)
    merged, survivor = merged_pair(container, operator, agencies)
    for client in open_client(container):
        sign_in(client, "clerk")
        answer = client.get(f"/officers/{merged}/timeline", params={"tipo": "assignments"})
        assert answer.status_code == 303
        assert answer.headers["location"] == (
            f"/officers/{survivor}/timeline?tipo=assignments")
        assert client.get(answer.headers["location"]).status_code == 200
        assert client.get("/officers/999999999/timeline").status_code == 404
    api = api_client(container)
    found = api.get(f"/api/v1/officers/{merged}/timeline",
                    headers=bearer(container, Role.REGISTRY_CLERK))
    assert f"merged into officer {survivor}" in assert_problem(found, 404)["detail"]
