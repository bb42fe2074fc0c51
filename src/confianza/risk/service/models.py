"""Training a model and keeping it; loading a kept model, refused when it is not ours.

Training reads the registry's history in one transaction (its read audited there), fits and
evaluates outside any transaction (minutes at national scale: no writer waits on it), then
keeps the model, its bytes' digest, its evaluation and whether it was promoted in a second
transaction with its audit entry. Every refusal (a day in the future, too few outcomes, ...)
comes before that second transaction: nothing is stored half-way (ADR 0034).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import Conflict, NotFound
from confianza.risk.rules import storage
from confianza.risk.rules.evaluation import Evaluation, evaluate
from confianza.risk.rules.history import Population
from confianza.risk.rules.model import Learner, RiskModel
from confianza.risk.rules.records import ModelSource, StoredModel
from confianza.risk.rules.training import settings_for, summary
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import Transaction, UnitOfWork


@dataclass(frozen=True)
class Trained:
    stored: StoredModel
    evaluation: Evaluation


def until_of(tx: Transaction, as_of: date) -> datetime:
    """The instant the as-of day ends in the deployment's zone: rows stamped later are after
    it, whatever their UTC date says."""
    return datetime.combine(as_of + timedelta(days=1), time(), tzinfo=tx.zone)


def registry_population(uow: UnitOfWork, actor: Actor, as_of: date, why: str) -> Population:
    """Every officer's history as of `as_of`, the read audited (it holds every case)."""
    with uow.transaction() as tx, refusals_recorded(actor, AuditAction.RISK_HISTORY_READ,
                                                    "risk_history", None):
        require(actor, Permission.RISK_MODEL_MANAGE, resource_type="risk_history")
        history = tx.risk.history(as_of, until_of(tx, as_of))
        tx.audit.record(actor, AuditAction.RISK_HISTORY_READ, "risk_history", None,
                        purpose=why, detail={"as_of": as_of.isoformat(),
                                             "officers": len(history.population.officers)})
        return history.population


def train(uow: UnitOfWork, actor: Actor, *, key: bytes, as_of: date, source: ModelSource,
          population: Population | None = None, test_years: int = 1, cut: float = 0.05,
          reps: int = 200, seed: int = 2018, learners: tuple[Learner, ...] = tuple(Learner),
          train_from: int | None = None, test_until: int | None = None,
          progress: Callable[[str], None] = lambda _: None) -> Trained:
    """Train as of `as_of` on the registry's history (or on `population`, the Chicago
    records), evaluate on the test years and keep the model, promoted or not, sealed under
    `key` (`Container.model_key`)."""
    if not actor.has(Permission.RISK_MODEL_MANAGE):
        with uow.transaction():
            require(actor, Permission.RISK_MODEL_MANAGE, resource_type="risk_model")
    today = uow.today()
    if population is None:
        population = registry_population(uow, actor, min(as_of, today), "training a model")
    settings = settings_for(population, as_of, today, test_years=test_years, cut=cut,
                            reps=reps, seed=seed, learners=learners, train_from=train_from,
                            test_until=test_until)
    evaluation = evaluate(population, settings, today, progress)
    model = evaluation.model
    artefact = storage.dump(model)
    with uow.transaction() as tx:
        if tx.risk.model(model.version) is not None:
            raise Conflict(f"model {model.version} is already kept: the same data and "
                           "settings make the same model", code="model_already_kept")
        model_id = tx.risk.add_model(
            version=model.version, learner=str(model.learner), source=source, as_of=as_of,
            trained_from=model.trained_from, trained_until=model.trained_until,
            rows=model.rows, outcomes=model.outcomes, code_version=artefact.code_version,
            sha256=artefact.sha256, artefact=artefact.data,
            seal=storage.seal(key, version=model.version, sha256=artefact.sha256,
                              code_version=artefact.code_version,
                              promoted=evaluation.promoted), evaluation=summary(evaluation),
            promoted=evaluation.promoted, reasons=evaluation.reasons,
            trained_by=actor.username, trained_at=tx.now)
        tx.audit.record(actor, AuditAction.RISK_MODEL_TRAIN, "risk_model", model_id, detail={
            "version": model.version, "source": source.value, "as_of": as_of.isoformat(),
            "learner": str(model.learner), "sha256": artefact.sha256,
            "promoted": evaluation.promoted, **actor.attribution()})
        stored = tx.risk.model(model.version)
        assert stored is not None
    return Trained(stored, evaluation)


def load_model(tx: Transaction, version: str | None, key: bytes
               ) -> tuple[StoredModel, RiskModel]:
    """The model named (any kept one) or else the latest promoted one, its bytes checked;
    NotFound or Conflict with what to do when there is none or it cannot be used."""
    if version is not None:
        stored = tx.risk.model(version)
        if stored is None:
            raise NotFound(f"no model {version} is kept (`confianza risk models` lists them)",
                           code="model_not_found")
        if not stored.promoted:
            raise Conflict(f"model {version} was not promoted ({'; '.join(stored.reasons)}): "
                           "only a promoted model scores officers (or flag by the threshold "
                           "rule: `confianza risk score --rule threshold`)",
                           code="model_not_promoted")
    else:
        stored = tx.risk.latest_promoted()
        if stored is None:
            raise Conflict("no promoted model is kept: train one with `confianza risk train "
                           "--as-of DATE` (a model is promoted when it beats the count baseline "
                           "within the fairness limits), or flag by the department's threshold "
                           "rule meanwhile (`confianza risk score --rule threshold`)",
                           code="no_promoted_model")
    model = storage.load(tx.risk.artefact(stored.id), sha256=stored.sha256,
                         written_by=stored.code_version, version=stored.version,
                         promoted=stored.promoted, sealed=stored.seal, key=key)
    return stored, model


def kept(uow: UnitOfWork, actor: Actor, version: str) -> StoredModel:
    """A kept model's description and held-out figures (its bytes are not read)."""
    with uow.transaction(read_only=True) as tx:
        require(actor, Permission.RISK_MODEL_MANAGE, resource_type="risk_model")
        found = tx.risk.model(version)
        if found is None:
            raise NotFound(f"no model {version} is kept")
        return found


def complaint_span(uow: UnitOfWork, actor: Actor, *, imported_only: bool = False
                   ) -> tuple[date, date] | None:
    """The days the registry's complaints (or only those imported from another authority)
    run from and to (none: None), for choosing the day to train as of. Dates only, no case:
    nothing to audit beyond the permission."""
    with uow.transaction(read_only=True) as tx:
        require(actor, Permission.RISK_MODEL_MANAGE, resource_type="risk_history")
        return tx.risk.complaint_span(imported_only)
