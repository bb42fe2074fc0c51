"""Flags for the early-intervention API and page tests, written without training a model.

The service tests train and score for real (tests/integration/services/test_risk_service.py);
here a kept model row (its bytes never loaded), a run and its scores are written through the
repository, so that a test can have a flag on any officer in a second. The officers' history
behind a flag is the service tests' synthetic one (risk_support, on the path put by
trust_api_support).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from trust_api_support import tokens

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import person  # noqa: E402
from risk_support import build_history  # noqa: E402

from confianza.app.bootstrap import Container  # noqa: E402
from confianza.risk.rules.records import ModelSource  # noqa: E402
from confianza.risk.rules.scoring import Scored  # noqa: E402
from confianza.risk.rules.words import Worded  # noqa: E402

__all__ = ["build_history", "person", "tokens"]

NOTE = "Conversé con el elemento y su mando sobre las quejas recientes."


def factors(officer_id: int) -> tuple[Worded, ...]:
    return (Worded("force_1y", 4.0, 0.3, "4 quejas por uso excesivo de la fuerza en 12 meses",
                   "4 complaints of excessive force in 12 months"),
            Worded("partners", 2.0, 0.1, "coacusado con 2 elementos",
                   "co-accused with 2 officers"))


def add_model(container: Container, version: str = "test-model") -> int:
    with container.uow().transaction() as tx:
        kept = tx.risk.model(version)
        if kept is not None:
            return kept.id
        return tx.risk.add_model(
            version=version, learner="logistic", source=ModelSource.REGISTRY,
            as_of=date(2026, 6, 30), trained_from=date(2014, 1, 1),
            trained_until=date(2024, 12, 31), rows=100, outcomes=10,
            code_version="test", sha256="0" * 64, seal="0" * 64, artefact=b"never loaded",
            evaluation={}, promoted=True, reasons=(), trained_by="test", trained_at=tx.now)


def add_run(container: Container, officers: Sequence[int], flagged: int) -> list[int]:
    """A run scoring `officers` in that order (highest first), the first `flagged` flagged;
    returns the flags' score ids, highest first."""
    model_id = add_model(container)
    scored = [Scored(f"o:{officer_id}", 0.9 - i / (2 * len(officers)), i + 1, i < flagged,
                     factors(officer_id)) for i, officer_id in enumerate(officers)]
    with container.uow().transaction() as tx:
        run_id = tx.risk.add_run(model_id=model_id, as_of=tx.today, officers=len(officers),
                                 flagged=flagged, share=flagged / len(officers),
                                 scored_by="test", scored_at=tx.now)
        tx.risk.add_scores(run_id, scored)
        return [f.score_id for f in tx.risk.flags(run_id)]


class RiskRecords:
    """For the permission matrix: a fresh flag (on a fresh officer) per call, unreviewed."""

    def __init__(self, container: Container, officer: Callable[[], int]) -> None:
        self.container = container
        self.officer = officer
        self.counter = itertools.count()

    def flag(self) -> int:
        [score_id] = add_run(self.container, [self.officer()], 1)
        return score_id
