"""API bodies of the early-intervention review queue (ADR 0034), read from the service's
records. A score travels only inside a flag: with its rank, the factors in words and, on
the flag's own page, the history behind it and the review."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from confianza.core.web.schemas import Input, Instant, Output
from confianza.risk.rules.records import (
    FactorText,
    Flag,
    Review,
    ReviewOutcome,
    RuleEvaluation,
    Run,
    ScoringMethod,
    StoredModel,
    Usefulness,
)
from confianza.risk.rules.threshold import ThresholdRule
from confianza.risk.service.reviews import NOTE_MAX, FlagView, Queue, Report


class FactorOut(Output):
    """One of the model's top factors for the officer, in both languages."""

    feature: str
    value: float
    es: str
    en: str

    @classmethod
    def of(cls, factor: FactorText) -> FactorOut:
        return cls(feature=factor.feature, value=factor.value, es=factor.es, en=factor.en)


class ReviewOut(Output):
    id: int
    score_id: int
    officer_id: int
    outcome: ReviewOutcome
    useful: bool
    note: str
    evaluation_id: int | None = Field(description="The special trust-control evaluation "
                                      "the review requested, if it did.")
    reviewed_by: str
    reviewed_at: Instant

    @classmethod
    def of(cls, review: Review) -> ReviewOut:
        return cls(id=review.id, score_id=review.score_id, officer_id=review.officer_id,
                   outcome=review.outcome, useful=review.useful, note=review.note,
                   evaluation_id=review.evaluation_id, reviewed_by=review.reviewed_by,
                   reviewed_at=review.reviewed_at)


class RuleOut(Output):
    """The threshold rule a run flagged by: `count` or more complaints in `months` months."""

    count: int
    months: int
    es: str
    en: str

    @classmethod
    def of(cls, count: int, months: int) -> RuleOut:
        rule = ThresholdRule(count, months)
        return cls(count=count, months=months, es=rule.es, en=rule.en)


class RunOut(Output):
    """The scoring run the flags come from: what made them (a promoted model, or the
    threshold rule while no model is promoted) and when."""

    id: int
    method: ScoringMethod = Field(description="`model`: the top share of a promoted model's "
                                  "scores; `threshold`: everyone who meets the rule.")
    model_version: str | None = Field(description="The model, when a model scored.")
    rule: RuleOut | None = Field(description="The rule, when the rule flagged.")
    as_of: date
    officers: int
    flagged: int
    share: float
    scored_at: Instant

    @classmethod
    def of(cls, run: Run) -> RunOut:
        rule = (RuleOut.of(run.rule_count, run.rule_months)
                if run.rule_count is not None and run.rule_months is not None else None)
        return cls(id=run.id, method=run.method, model_version=run.model_version, rule=rule,
                   as_of=run.as_of, officers=run.officers, flagged=run.flagged,
                   share=run.share, scored_at=run.scored_at)


class ModelStateOut(Output):
    """The model trained last, promoted or not, and why not."""

    version: str
    as_of: date
    promoted: bool
    reasons: list[str]

    @classmethod
    def of(cls, model: StoredModel) -> ModelStateOut:
        return cls(version=model.version, as_of=model.as_of, promoted=model.promoted,
                   reasons=list(model.reasons))


class FlagOut(Output):
    score_id: int
    run_id: int
    officer_id: int
    officer_name: str
    score: float
    rank: int = Field(description="1 is the highest score of the run.")
    factors: list[FactorOut]
    review: ReviewOut | None

    @classmethod
    def of(cls, flag: Flag) -> FlagOut:
        return cls(score_id=flag.score_id, run_id=flag.run_id, officer_id=flag.officer_id,
                   officer_name=flag.officer_name, score=flag.score, rank=flag.rank,
                   factors=[FactorOut.of(f) for f in flag.factors],
                   review=None if flag.review is None else ReviewOut.of(flag.review))


class QueueOut(Output):
    """The latest run's flags the caller's scope covers, highest first (no run: none, and
    `note` says why)."""

    run: RunOut | None
    items: list[FlagOut]
    waiting: int = Field(description="How many of them nobody has reviewed yet.")
    latest_model: ModelStateOut | None = Field(
        None, description="When nobody was scored, or the rule flagged: the model trained "
        "last, and why it was not promoted.")
    note: str | None = Field(None, description="Why there is no run, or why the rule "
                             "flagged instead of a model.")

    @classmethod
    def of(cls, queue: Queue) -> QueueOut:
        model = queue.model
        note = None
        if queue.run is None or queue.run.by_rule:
            if model is None:
                note = ("no model has been trained: `confianza risk train --as-of DATE` "
                        "trains one")
            elif not model.promoted:
                note = (f"the last model trained ({model.version}) was not promoted: "
                        f"{'; '.join(model.reasons)}; only a promoted model scores officers")
            if queue.run is None:
                note = (note or "nobody has been scored") + (
                    "; `confianza risk score` (with a promoted model) or `confianza risk "
                    "score --rule threshold` makes a queue")
            else:
                note = (note or "") + ("; " if note else "") + (
                    "these flags were raised by the department's threshold rule, not by a "
                    "model")
        return cls(run=None if queue.run is None else RunOut.of(queue.run),
                   items=[FlagOut.of(f) for f in queue.flags],
                   waiting=sum(1 for f in queue.flags if f.review is None),
                   latest_model=None if model is None else ModelStateOut.of(model), note=note)


class ComplaintOut(Output):
    """A complaint as the registry knew it on the day the flag is read."""

    case: str
    known: date
    happened: date
    civilian: bool
    categories: list[str]
    sustained_categories: list[str]
    finding: str = Field(description="The officer's most serious finding, or `pending`.")


class PostingOut(Output):
    place: str
    start: date
    end: date | None


class TrustControlOut(Output):
    decided: date
    approved: bool


class HistoryOut(Output):
    as_of: date
    appointed: date | None
    complaints: list[ComplaintOut]
    postings: list[PostingOut]
    trust_controls: list[TrustControlOut]


class FlagDetailOut(FlagOut):
    """One flag with its run and the officer's history behind it."""

    run: RunOut
    history: HistoryOut

    @classmethod
    def of_view(cls, view: FlagView) -> FlagDetailOut:
        h, day = view.history, view.as_of
        history = HistoryOut(
            as_of=day, appointed=h.appointed,
            complaints=[ComplaintOut(case=c.complaint, known=c.known, happened=c.happened,
                                     civilian=c.civilian, categories=sorted(c.categories),
                                     sustained_categories=sorted(c.sustained_categories),
                                     finding=c.finding_on(day))
                        for c in reversed(h.complaints)],
            postings=[PostingOut(place=view.place(p.unit), start=p.start, end=p.end)
                      for p in reversed(h.postings)],
            trust_controls=[TrustControlOut(decided=t.decided, approved=t.approved)
                            for t in reversed(h.trust_controls)])
        return cls(**FlagOut.of(view.flag).model_dump(), run=RunOut.of(view.run),
                   history=history)


class ReviewIn(Input):
    outcome: ReviewOutcome
    useful: bool = Field(description="Whether the flag was worth a supervisor's look.")
    # The length rule (10 to 4000 characters) is the service's, checked after the scope:
    # this bound only keeps an absurd body out.
    note: str = Field(max_length=NOTE_MAX * 4)


class UsefulnessPartOut(Output):
    flagged: int
    reviewed: int
    useful: int
    share_useful: float | None
    by_outcome: dict[str, int]

    @classmethod
    def of(cls, found: Usefulness) -> UsefulnessPartOut:
        return cls(flagged=found.flagged, reviewed=found.reviewed, useful=found.useful,
                   share_useful=found.share_useful, by_outcome=dict(found.by_outcome))


class RuleGroupOut(Output):
    attribute: str
    group: str
    officer_years: int
    outcomes: int
    flag_rate: float | None
    false_positive_rate: float | None
    recall: float | None
    compared: bool = Field(description="False: too small a group to compare.")


class RuleRatiosOut(Output):
    attribute: str
    flag_rate: float | None
    false_positive_rate: float | None
    recall: float | None


class RuleEvaluationOut(Output):
    """The threshold rule as the latest model's evaluation measured it on the test years,
    at the rule's own cut-off (everyone it flags). No promotion applies to a rule."""

    model_version: str
    rule: RuleOut
    test_years: list[int]
    officer_years: int
    outcomes: int
    flagged: int
    precision: float | None
    recall: float | None
    cut: float
    recall_at_cut: float | None = Field(description="The rule's recall when the top `cut` "
                                        "share is flagged (its flagged first).")
    model_recall_at_cut: float | None
    groups: list[RuleGroupOut]
    ratios: list[RuleRatiosOut]
    measures_the_rule_used: bool = Field(description="False: the rule that flagged has other "
                                         "parameters than the rule evaluated.")

    @classmethod
    def of(cls, e: RuleEvaluation, measured: bool) -> RuleEvaluationOut:
        return cls(model_version=e.model_version, rule=RuleOut.of(e.count, e.months),
                   test_years=list(e.test_years), officer_years=e.officer_years,
                   outcomes=e.outcomes, flagged=e.flagged, precision=e.precision,
                   recall=e.recall, cut=e.cut, recall_at_cut=e.recall_at_cut,
                   model_recall_at_cut=e.model_recall_at_cut,
                   groups=[RuleGroupOut(attribute=g.attribute, group=g.group,
                                        officer_years=g.officer_years, outcomes=g.outcomes,
                                        flag_rate=g.flag_rate,
                                        false_positive_rate=g.false_positive_rate,
                                        recall=g.recall, compared=g.compared)
                           for g in e.groups],
                   ratios=[RuleRatiosOut(attribute=r.attribute, flag_rate=r.flag_rate,
                                         false_positive_rate=r.false_positive_rate,
                                         recall=r.recall) for r in e.ratios],
                   measures_the_rule_used=measured)


class UsefulnessOut(UsefulnessPartOut):
    """Counts over every run and by the method that flagged, no names; with the threshold
    rule's own evaluation beside it once the rule has flagged."""

    by_method: dict[str, UsefulnessPartOut]
    rule_evaluation: RuleEvaluationOut | None

    @classmethod
    def of_report(cls, found: Report) -> UsefulnessOut:
        rule = (RuleEvaluationOut.of(found.rule_evaluation, found.rule_measured)
                if found.rule_evaluation is not None else None)
        return cls(**UsefulnessPartOut.of(found.usefulness).model_dump(),
                   by_method={m.value: UsefulnessPartOut.of(u)
                              for m, u in found.by_method.items()},
                   rule_evaluation=rule)
