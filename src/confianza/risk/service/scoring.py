"""Scoring every active officer as of today, and flagging some for review: with a promoted
model (the top share), or with the department's threshold rule (everyone who meets it) while
no model is promoted.

One transaction reads the history, scores, and writes the run, every score and the audit
entry: a run is kept whole or not at all. A score changes no status, opens no case and
requests no evaluation; it only puts the flagged officers in their supervisors' queue. A run
records how it was made, so every flag says whether a model or a rule raised it (ADR 0034
and its second addendum).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date
from multiprocessing import get_context

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import FieldError, ValidationFailed
from confianza.core.work import usable_cpus
from confianza.risk.rules.features import FeatureBuilder
from confianza.risk.rules.records import Run, ScoringMethod
from confianza.risk.rules.scoring import Mapper, check_share, score_rows
from confianza.risk.rules.threshold import ThresholdRule, score_by_rule
from confianza.risk.service.models import load_model, until_of
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import UnitOfWork

#: From this many officers on, the factors are worked out in several processes: a national
#: force's take a model call over every officer for each feature they all have (age, tenure,
#: rank...), more than the rest of the scoring (ADR 0034, addendum "every score keeps its
#: factors"). Below it, starting the processes (each loads the learning library) costs more
#: than it saves.
PARALLEL_FROM = 50_000
#: At most this many processes, and never more than the CPUs this process may use.
MAX_WORKERS = 4


@contextmanager
def factor_mapper(officers: int) -> Iterator[Mapper]:
    """How `score_rows` hands out its batches of factors: in this process for a small force,
    else across a pool of processes, one per CPU this process may use (at most
    `MAX_WORKERS`). The pool spawns fresh interpreters rather than forking this one, which
    holds a database connection and the learner's threads."""
    if officers < PARALLEL_FROM:
        yield map
        return
    workers = min(usable_cpus(), MAX_WORKERS)
    if workers < 2:
        yield map
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        yield pool.map


def score(uow: UnitOfWork, actor: Actor, *, key: bytes, share: float,
          version: str | None = None, rule: ThresholdRule | None = None,
          as_of: date | None = None) -> Run:
    """Score with the promoted model (`version`, else the latest promoted), or, given a
    `rule`, with the threshold rule; never both. As of today, or of an earlier day `as_of`
    (the registry as it stood then: nothing recorded later is read; the officers scored are
    those serving then and still active now)."""
    if rule is not None and version is not None:
        raise ValidationFailed(FieldError("--rule", "a run is made by a model or by the rule, "
                                          "not both: leave out --model"))
    check_share(share)
    with uow.transaction() as tx, refusals_recorded(actor, AuditAction.RISK_SCORE,
                                                    "risk_run", None):
        require(actor, Permission.RISK_MODEL_MANAGE, resource_type="risk_run")
        stored = model = None
        how: dict[str, object]
        if rule is None:
            stored, model = load_model(tx, version, key)
        today = tx.today
        if as_of is not None and as_of > today:
            raise ValidationFailed(FieldError("--as-of", f"{as_of} is in the future (today "
                                              f"is {today})"))
        day = as_of or today
        history = tx.risk.history(day, until_of(tx, day))
        builder = FeatureBuilder(history.population)
        serving = [o for o in history.population.officers
                   if o.officer in history.active and o.appointed is not None
                   and (as_of is None or o.active(day))]
        if model is not None:
            with factor_mapper(len(serving)) as mapper:
                scored = score_rows(model, builder.rows(day, serving), share, mapper=mapper)
        else:
            assert rule is not None
            scored = score_by_rule(rule, builder, serving, day)
        flagged = sum(1 for s in scored if s.flagged)
        if rule is None:
            assert stored is not None
            run_id = tx.risk.add_run(model_id=stored.id, as_of=day, officers=len(scored),
                                     flagged=flagged, share=share, scored_by=actor.username,
                                     scored_at=tx.now)
            how = {"model": stored.version}
        else:
            # The rule flags everyone who meets it: the share is what that came to.
            run_id = tx.risk.add_run(
                model_id=None, as_of=day, officers=len(scored), flagged=flagged,
                share=flagged / len(scored) if scored else 0.0, scored_by=actor.username,
                scored_at=tx.now, method=ScoringMethod.THRESHOLD, rule_count=rule.count,
                rule_months=rule.months)
            how = {"method": ScoringMethod.THRESHOLD.value, "rule_count": rule.count,
                   "rule_months": rule.months}
        tx.risk.add_scores(run_id, scored)
        tx.audit.record(actor, AuditAction.RISK_SCORE, "risk_run", run_id, detail={
            **how, "as_of": day.isoformat(), "officers": len(scored), "flagged": flagged,
            "share": share if rule is None else None, **actor.attribution()})
        run = tx.risk.latest_run()
        assert run is not None and run.id == run_id
        return run
