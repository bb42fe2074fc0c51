"""API bodies of the early-intervention review queue (ADR 0034), read from the service's
records. A score travels only inside a flag: with its rank, the factors in words and, on
the flag's own page, the history behind it and the review."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from confianza.core.web.schemas import Input, Instant, Output
from confianza.risk.rules.records import FactorText, Flag, Review, ReviewOutcome, Run, Usefulness
from confianza.risk.service.reviews import NOTE_MAX, FlagView, Queue


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


class RunOut(Output):
    """The scoring run the flags come from: the model that made them and when."""

    id: int
    model_version: str
    as_of: date
    officers: int
    flagged: int
    share: float
    scored_at: Instant

    @classmethod
    def of(cls, run: Run) -> RunOut:
        return cls(id=run.id, model_version=run.model_version, as_of=run.as_of,
                   officers=run.officers, flagged=run.flagged, share=run.share,
                   scored_at=run.scored_at)


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
    """The latest run's flags the caller's scope covers, highest first (no run: none)."""

    run: RunOut | None
    items: list[FlagOut]
    waiting: int = Field(description="How many of them nobody has reviewed yet.")

    @classmethod
    def of(cls, queue: Queue) -> QueueOut:
        return cls(run=None if queue.run is None else RunOut.of(queue.run),
                   items=[FlagOut.of(f) for f in queue.flags],
                   waiting=sum(1 for f in queue.flags if f.review is None))


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


class UsefulnessOut(Output):
    """Counts over every run, no names."""

    flagged: int
    reviewed: int
    useful: int
    share_useful: float | None
    by_outcome: dict[str, int]

    @classmethod
    def of(cls, found: Usefulness) -> UsefulnessOut:
        return cls(flagged=found.flagged, reviewed=found.reviewed, useful=found.useful,
                   share_useful=found.share_useful, by_outcome=dict(found.by_outcome))
