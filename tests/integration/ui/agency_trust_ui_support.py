"""Support for the agency trust-control page tests: the service tests' world, signed in.

The world (a Jalisco centre and its staff, HR scoped to JAL-SSP, one officer) is built by
tests/integration/services/evaluation_support.py; this module puts that folder on the import
path (pytest only adds the folder of the test being collected) and adds what the pages need.
The `world` fixture and the not-approved evaluation come from there too.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import (  # noqa: E402
    APPEAL,
    GROUNDS,
    PASSWORD,
    TODAY,
    World,
    build_world,
    failing,
    not_approved,
    world,
)

from confianza.certification.rules.decisions import Verdict  # noqa: E402
from confianza.certification.service import decisions

__all__ = ["APPEAL", "GROUNDS", "PASSWORD", "TODAY", "World", "build_world", "failing",
           "not_approved", "world"]

# What an exam result looks like on a page: none of it may reach agency HR.
RESULT_MARKS = ("CC-2026-0001", "positive", "cocaine", "cocaína", "significant_reaction",
                "chain_of_custody", GROUNDS)


def approved(world: World, officer_id: int | None = None) -> int:
    evaluation_id = world.ready_for_decision(officer_id=officer_id)
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.APPROVED, "",
                     policy=world.container.policy, issuer=world.container.issuer)
    return evaluation_id
