"""The demo's duplicates on both databases (issue 16, loose end): a handful of people written
down twice through the ordinary registration, the matcher run over the registry, and every pair
it proposes a true one that the clerk can confirm (the postings never overlap)."""

from __future__ import annotations

from confianza.accounts.rules.permissions import Actor, Role
from confianza.app.bootstrap import Container
from confianza.demo.rules.force import Scale
from confianza.demo.service import DEMO_DUPLICATES, generate, plant_duplicates
from confianza.identities.rules.candidates import CandidateStatus, Decision
from confianza.identities.service import decisions
from confianza.trail.rules import AuditAction
from conftest import actor

CLERK = actor(Role.REGISTRY_CLERK)


def test_the_demo_plants_duplicates_the_matcher_proposes_and_the_clerk_can_merge(
    container: Container, operator: Actor,
) -> None:
    generate(container.uow(), operator, scale=Scale.TINY, seed=5)
    report = plant_duplicates(container.uow(), operator, seed=5)
    assert len(report.planted) == len(report.originals) == DEMO_DUPLICATES
    truth = {(min(a, b), max(a, b)) for a, b in zip(report.originals, report.planted,
                                                     strict=True)}
    with container.uow().transaction() as tx:
        proposed = tx.identities.candidates(None, 500, None)
        registered = [tx.officers.get(i) for i in report.planted]
        kinds = {i.scheme for o in report.planted for i in tx.officers.identifiers(o)}
        audit = tx.audit.entries(limit=10_000)
    assert all(o is not None and o.curp is None for o in registered)
    assert kinds == {"demo.nomina"}  # a payroll number of their own, as a second record has
    pairs = {(c.left_officer_id, c.right_officer_id) for c in proposed}
    assert pairs <= truth, pairs - truth  # nothing proposed that was not planted
    assert pairs == truth, truth - pairs  # every one found, at the default threshold
    assert report.proposed == len(pairs)
    actions = [e.action for e in audit]
    assert actions.count(AuditAction.OFFICER_CREATE) >= DEMO_DUPLICATES
    assert actions.count(AuditAction.IDENTITY_MATCH_RUN) == 1
    # Every pair the demo shows can be confirmed: its postings never overlap the original's.
    for candidate in proposed:
        done = decisions.decide(container.uow(), CLERK, candidate.id, Decision.CONFIRM)
        assert done.merged is not None and done.candidate.status is CandidateStatus.CONFIRMED
