"""Helpers for the trust-control API tests: the service tests' world, seen through HTTP.

The world (a Jalisco centre, its examiners, coordinator, certification officers and an agency's
HR, one officer) is built by tests/integration/services/evaluation_support.py; this module puts
that folder on the import path (pytest only adds the folder of the test being collected) and
adds what the HTTP tests need: a token per person and a record of everything the workflow
tables hold, to show that a refused step wrote nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from api_support import audit
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import (  # noqa: E402
    OPERATOR,
    PASS,
    TODAY,
    World,
    build_world,
    failing,
)

from confianza.accounts.rules.permissions import Actor  # noqa: E402
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.trail.rules import AuditEntry  # noqa: E402

__all__ = ["OPERATOR", "PASS", "TODAY", "World", "build_world", "failing"]

V1 = "/api/v1"
GROUNDS = "Positive toxicology for cocaine confirmed by the second sample in the lab."
APPEAL = "The officer disputes the chain of custody of the toxicology sample taken."
RESOLUTION = "The chain of custody was complete and signed; the decision stands as taken."

# Every table a workflow step writes to, rows compared whole (a double submit that updated a
# row in place would not change a count).
WORKFLOW_TABLES = (
    "evaluations", "evaluation_exams", "exam_attachments", "attachments", "appeals",
    "officer_standing", "cup_components", "cup_certificates", "separation_processes",
    "agency_notifications", "officers", "assignments", "evaluation_centres", "examiners",
)


def tokens(container: Container, *people: Actor) -> list[dict[str, str]]:
    """Bearer headers for each person, with a fresh API token of their own."""
    found = []
    for person in people:
        assert person.user_id is not None
        # Issued by the person themselves: a token the console issues makes every entry name
        # the operator too (ADR 0021), which these tests are not about.
        _, secret = user_service.issue_token(container.uow(), person, person.user_id, "api")
        found.append({"Authorization": f"Bearer {secret}"})
    return found


def snapshot(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    with container.uow().transaction() as tx:
        return {
            table: [tuple(r) for r in tx.session.execute(
                text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in WORKFLOW_TABLES
        }


def audit_mark(container: Container) -> int:
    """The id of the last audit entry so far."""
    return max((e.id or 0 for e in audit(container)), default=0)


def entries_since(container: Container, mark: int) -> list[AuditEntry]:
    return [e for e in audit(container) if (e.id or 0) > mark]
