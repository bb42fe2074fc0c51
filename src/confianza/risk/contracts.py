"""What the early-intervention use cases need of storage (ADR 0022, ADR 0034)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from confianza.risk.rules.history import Population
from confianza.risk.rules.records import (
    Flag,
    ModelSource,
    ReviewOutcome,
    Run,
    ScoringMethod,
    StoredModel,
    Usefulness,
)

if TYPE_CHECKING:  # numpy comes with it; every process imports this module (the unit of work)
    from confianza.risk.rules.scoring import Scored


class RegistryHistory(Protocol):
    """The registry's records as the features read them, as of one day."""

    @property
    def population(self) -> Population: ...

    @property
    def active(self) -> frozenset[str]:
        """The officers whose status is active today (keys of `population`'s histories)."""


class RiskStore(Protocol):
    def history(self, as_of: date, until: datetime, officer_id: int | None = None
                ) -> RegistryHistory:
        """Every officer's history from the registry's own tables (or one officer's, without
        their co-accused), with nothing recorded after `as_of` (nor after the instant
        `until`, for rows stamped with an instant)."""

    def places(self, keys: Sequence[str]) -> dict[str, str]:
        """The names of posting keys ("u:<unit id>", "a:<agency id>") that exist."""

    def complaint_span(self, imported_only: bool = False) -> tuple[date, date] | None:
        """The first and last day a complaint was received (imported ones by their
        source's day), or only the imported ones; None when there is none."""

    def add_model(self, *, version: str, learner: str, source: ModelSource, as_of: date,
                  trained_from: date, trained_until: date, rows: int, outcomes: int,
                  code_version: str, sha256: str, seal: str, artefact: bytes,
                  evaluation: dict[str, object], promoted: bool, reasons: Sequence[str],
                  trained_by: str, trained_at: datetime) -> int: ...

    def model(self, version: str) -> StoredModel | None: ...

    def latest_promoted(self) -> StoredModel | None: ...

    def latest_model(self) -> StoredModel | None:
        """The model trained last, promoted or not."""

    def artefact(self, model_id: int) -> bytes: ...

    def add_run(self, *, model_id: int | None, as_of: date, officers: int, flagged: int,
                share: float, scored_by: str, scored_at: datetime,
                method: ScoringMethod = ScoringMethod.MODEL, rule_count: int | None = None,
                rule_months: int | None = None) -> int:
        """A run by a model (`model_id`) or by the threshold rule (no model; its count
        and months)."""

    def add_scores(self, run_id: int, scored: Sequence[Scored]) -> None:
        """Every score of a run, written set-based (officer keys are "o:<id>")."""

    def latest_run(self, method: ScoringMethod | None = None) -> Run | None:
        """The run made last (by any method, or by the one named)."""

    def run(self, run_id: int) -> Run | None: ...

    def flags(self, run_id: int) -> list[Flag]:
        """The run's flagged scores, highest first, with their reviews."""

    def score(self, score_id: int) -> Flag | None: ...

    def add_review(self, *, score_id: int, officer_id: int, outcome: ReviewOutcome,
                   useful: bool, note: str, evaluation_id: int | None,
                   reviewer_id: int | None, reviewed_by: str, reviewed_at: datetime) -> int: ...

    def usefulness(self, run_id: int | None = None,
                   method: ScoringMethod | None = None) -> Usefulness:
        """The reviews of flags (of one run, of the runs of one method, or of every run)."""
