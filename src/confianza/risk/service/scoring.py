"""Scoring every active officer as of today with a kept model, and flagging the top share.

One transaction reads the history, scores, and writes the run, every score and the audit
entry: a run is kept whole or not at all. A score changes no status, opens no case and
requests no evaluation; it only puts the flagged officers in their supervisors' queue.
"""

from __future__ import annotations

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.risk.rules.features import FeatureBuilder
from confianza.risk.rules.records import Run
from confianza.risk.rules.scoring import check_share, score_rows
from confianza.risk.service.models import load_model, until_of
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import UnitOfWork


def score(uow: UnitOfWork, actor: Actor, *, key: bytes, share: float,
          version: str | None = None) -> Run:
    check_share(share)
    with uow.transaction() as tx, refusals_recorded(actor, AuditAction.RISK_SCORE,
                                                    "risk_run", None):
        require(actor, Permission.RISK_MODEL_MANAGE, resource_type="risk_run")
        stored, model = load_model(tx, version, key)
        today = tx.today
        history = tx.risk.history(today, until_of(tx, today))
        builder = FeatureBuilder(history.population)
        serving = [o for o in history.population.officers
                   if o.officer in history.active and o.appointed is not None]
        rows = builder.rows(today, serving)
        scored = score_rows(model, rows, share)
        flagged = sum(1 for s in scored if s.flagged)
        run_id = tx.risk.add_run(model_id=stored.id, as_of=today, officers=len(scored),
                                 flagged=flagged, share=share, scored_by=actor.username,
                                 scored_at=tx.now)
        tx.risk.add_scores(run_id, scored)
        tx.audit.record(actor, AuditAction.RISK_SCORE, "risk_run", run_id, detail={
            "model": stored.version, "as_of": today.isoformat(), "officers": len(scored),
            "flagged": flagged, "share": share, **actor.attribution()})
        run = tx.risk.latest_run()
        assert run is not None and run.id == run_id
        return run
