"""Support for the dashboard page tests: the service tests' known force, and a national reader.

The force is built by tests/integration/services/dashboard_support.py; this module puts that
folder on the import path (pytest only adds the folder of the test being collected).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from dashboard_support import Force, build_force  # noqa: E402
from evaluation_support import OPERATOR, PASSWORD  # noqa: E402

from confianza.accounts.rules.permissions import Role, Scope  # noqa: E402
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.dashboard.rules.suppression import THRESHOLD  # noqa: E402

__all__ = ["PASSWORD", "Force", "build_force", "national_reader", "small_counts_shown"]

READER = "lectura-nacional"
# The counts a dashboard page writes: headline figures and table cells (a share carries "%",
# a number of days a word, so neither matches).
COUNT = re.compile(r'class="(?:figure-value|num)">([0-9][0-9,]*)<')


def national_reader(container: Container, role: Role = Role.AUDITOR) -> str:
    """A national account of `role` (an auditor by default: no exam results)."""
    username = f"{READER}-{role.value}".replace("_", "-")
    user_service.create_user(container.uow(), OPERATOR, user_service.NewUser(
        username, "Lectura nacional", PASSWORD, role, Scope()))
    return username


def small_counts_shown(html: str) -> list[int]:
    values = [int(v.replace(",", "")) for v in COUNT.findall(html)]
    assert values, "the page shows no counts at all"
    return [v for v in values if 0 < v < THRESHOLD]
