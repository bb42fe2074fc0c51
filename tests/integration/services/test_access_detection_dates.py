"""A detection run over a period that has not begun yet is bad input naming `from` (it used to
say that no entry of the trail was written then, which on a copy holding simulated future
work reads as if the work were missing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from evaluation_support import TODAY, build_world, person

from confianza.access.service.detection import detect
from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container
from confianza.core.errors import ValidationFailed
from confianza.registry.service import officers as officer_service
from confianza.transparency.service import log as transparency
from conftest import PUBLIC


def test_a_period_after_today_is_refused_naming_its_first_day(
        container: Container, agencies: dict[str, int]) -> None:
    world = build_world(container, agencies)
    officer_service.read_record(container.uow(), world.hr, world.officer_id)
    transparency.integrate(container.uow(), PUBLIC)
    auditor = person(container, Role.AUDITOR, "auditora")
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        detect(container.uow(), auditor, tomorrow, tomorrow + timedelta(days=4), threshold=10,
               verify=lambda: pytest.fail("nothing is verified for a period not yet begun"))
    [error] = refused.value.errors
    assert error.location == "from"
    assert error.reason == (f"{tomorrow.isoformat()} is after today ({TODAY.isoformat()}): a "
                            "run scores what the trail holds until now")
