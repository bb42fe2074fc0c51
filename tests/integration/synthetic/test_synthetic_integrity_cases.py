"""The demo's open integrity cases, built through the integrity use cases on both engines:
each integrity demo account finds work on its home (cases to assign and one late, an
investigation, a finding to confirm as second person, an appeal to decide), every step is in
the trail, and a registry without the demo accounts gets no cases."""

from __future__ import annotations

from sqlalchemy import text

from confianza.accounts.rules.permissions import Actor, ActorKind
from confianza.accounts.service.users import actor_for
from confianza.app.bootstrap import Container
from confianza.demo.rules.force import Scale
from confianza.demo.rules.integrity import CASES
from confianza.demo.service import generate, open_integrity_cases
from confianza.home.service import panels as home


def _home(container: Container, username: str) -> dict[str, list[int]]:
    with container.uow().transaction() as tx:
        found = tx.users.by_username(username)
    assert found is not None
    who = actor_for(found[0], ActorKind.USER)
    view = home.home(container.uow(), who, policy=container.policy)
    return {p.name.value: [i.case.id for i in p.items]
            for p in view.panels if p.items and hasattr(p.items[0], "case")}


def test_each_integrity_account_finds_work(container: Container, operator: Actor) -> None:
    generate(container.uow(), operator, scale=Scale.TINY, seed=2, with_demo_users=True)
    opened = open_integrity_cases(container.uow(), operator, seed=2)
    assert len(opened) == len(CASES)
    with container.engine.connect() as connection:
        stages = dict(connection.execute(text(
            "SELECT stage, COUNT(*) FROM integrity_cases GROUP BY stage")).all())
        refused = connection.execute(text("SELECT COUNT(*) FROM audit_entries WHERE action = "
                                          "'workflow:request:refused'")).scalar_one()
        steps = connection.execute(text("SELECT COUNT(*) FROM audit_entries WHERE action LIKE "
                                        "'integrity:%'")).scalar_one()
    assert stages == {"intake": 2, "assigned": 1, "answer_period": 1, "finding": 1,
                      "appeal": 1}
    assert refused == 0 and steps > 30
    supervisor = _home(container, "demo-internal-affairs-supervisor")
    assert len(supervisor["cases_to_assign"]) == 2 and len(supervisor["cases_late"]) == 1
    assert len(_home(container, "demo-internal-affairs")["my_cases"]) == 4
    assert len(_home(container, "demo-honour-commission")["findings_due"]) == 1
    assert len(_home(container, "demo-honour-commission-2")["findings_to_confirm"]) == 1
    assert "findings_to_confirm" not in _home(container, "demo-honour-commission")
    assert len(_home(container, "demo-honour-commission-3")["case_appeals"]) == 1


def test_no_cases_without_the_demo_accounts(container: Container, operator: Actor) -> None:
    generate(container.uow(), operator, scale=Scale.TINY, seed=2)
    assert open_integrity_cases(container.uow(), operator, seed=2) == []
