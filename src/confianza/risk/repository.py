"""The early-intervention store: the registry's history for the features, read set-based,
and the models, runs, scores and reviews (ADR 0034).

`history` is the registry's side of what `risk.rules.chicago` does for the Chicago files: it
reads each table once (officers, status changes, postings, trust-control verdicts, integrity
allegations with their sources and findings) and builds the plain histories the features
take. Nothing recorded after the as-of day is read, so features built from it cannot leak
what was learned later; the features' own rule (only what was known on the day) then holds
for every earlier day too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, true, update
from sqlalchemy.orm import Session

from confianza.core.db import plain
from confianza.core.db.bulk import BulkWriter
from confianza.core.db.models import (
    AgencyRow,
    AssignmentRow,
    EvaluationRow,
    IntegrityAllegationRow,
    IntegrityAllegationSourceRow,
    IntegrityCaseRow,
    IntegrityFindingRow,
    IntegrityImportedAccusedRow,
    IntegrityImportedCaseRow,
    IntegritySourceRow,
    OfficerRow,
    OfficerStatusChangeRow,
    RiskModelRow,
    RiskReviewRow,
    RiskRunRow,
    RiskScoreRow,
    UnitRow,
)
from confianza.integrity.rules.network import Involvement
from confianza.risk.rules.history import (
    ComplaintEvent,
    OfficerHistory,
    PayYear,
    Population,
    Posting,
    TrustControl,
    most_serious,
)
from confianza.risk.rules.records import (
    FactorText,
    Flag,
    ModelSource,
    Review,
    ReviewOutcome,
    Run,
    ScoringMethod,
    StoredModel,
    Usefulness,
)
from confianza.risk.rules.scoring import Scored

#: The channels through which someone outside the force complained (the features' "civilian");
#: the rest came from inside (fellow officers, supervisors, other authorities, the exams).
CIVILIAN_CHANNELS = frozenset({"citizen_complaint", "anonymous_line", "witness_statement",
                               "media_or_banner"})
_GONE = frozenset({"separated", "deceased"})


def officer_key(officer_id: int) -> str:
    return f"o:{officer_id}"


def officer_id_of(key: str) -> int:
    return int(key.removeprefix("o:"))


@dataclass(frozen=True)
class History:
    population: Population
    active: frozenset[str]


@dataclass
class _Accused:
    """One accused's allegations in one case, gathered before they become one complaint."""

    known: date
    happened: date | None = None
    civilian: bool = False
    categories: set[str] | None = None
    sustained: set[str] | None = None
    findings: list[str] | None = None
    closed: date | None = None
    open_allegations: int = 0


class RiskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # The registry's history ---------------------------------------------------------------

    def history(self, as_of: date, until: datetime, officer_id: int | None = None) -> History:
        """Every officer's history (or one officer's: then the co-accused are left out, and
        the history starts with the officer's own first record). Read below the ORM: plain
        rows by the million, no objects to track."""
        s = plain.connection(self.session)
        one = officer_id

        def only(column: Any) -> Any:
            return column == one if one is not None else true()

        officers = s.execute(select(OfficerRow.id, OfficerRow.birth_year, OfficerRow.sex,
                                    OfficerRow.status).where(only(OfficerRow.id))).all()
        left: dict[int, date | None] = {}
        for officer_id, status, effective in s.execute(
            select(OfficerStatusChangeRow.officer_id, OfficerStatusChangeRow.status,
                   OfficerStatusChangeRow.effective_on)
            .where(OfficerStatusChangeRow.effective_on <= as_of,
                   OfficerStatusChangeRow.recorded_at < until,
                   only(OfficerStatusChangeRow.officer_id))
            .order_by(OfficerStatusChangeRow.officer_id, OfficerStatusChangeRow.effective_on,
                      OfficerStatusChangeRow.id)):
            left[officer_id] = effective if status in _GONE else None
        postings: dict[int, list[Posting]] = defaultdict(list)
        ranks: dict[int, list[PayYear]] = defaultdict(list)
        appointed: dict[int, date] = {}
        for officer_id, agency_id, unit_id, rank, start, end in s.execute(
            select(AssignmentRow.officer_id, AssignmentRow.agency_id, AssignmentRow.unit_id,
                   AssignmentRow.rank, AssignmentRow.start_date, AssignmentRow.end_date)
            .where(AssignmentRow.start_date <= as_of, only(AssignmentRow.officer_id))):
            unit = f"u:{unit_id}" if unit_id is not None else f"a:{agency_id}"
            postings[officer_id].append(Posting(unit, start, end if end and end <= as_of
                                                else None))
            # The rank a posting gave, known from the year it started (the registry keeps no
            # pay: the salary features stay blank).
            ranks[officer_id].append(PayYear(start.year, None, rank))
            if officer_id not in appointed or start < appointed[officer_id]:
                appointed[officer_id] = start
        trust: dict[int, list[TrustControl]] = defaultdict(list)
        for officer_id, verdict, decided, confirmed in s.execute(
            select(EvaluationRow.officer_id, EvaluationRow.verdict, EvaluationRow.decided_on,
                   EvaluationRow.confirmed_on)
            .where(EvaluationRow.verdict.is_not(None), EvaluationRow.decided_on <= as_of,
                   only(EvaluationRow.officer_id))):
            # A not-approved decision takes a second person: it is known once confirmed.
            day: date | None = confirmed if verdict == "not_approved" else decided
            if day is not None and day <= as_of:
                trust[officer_id].append(TrustControl(day, verdict == "approved"))
        complaints, others, first_case = self._complaints(as_of, until, one)
        histories = []
        active = set()
        for officer_id, birth_year, sex, status in officers:
            key = officer_key(officer_id)
            if status == "active":
                active.add(key)
            histories.append(OfficerHistory(
                key, appointed=appointed.get(officer_id), left=left.get(officer_id),
                birth_year=birth_year, sex=sex, complaints=tuple(complaints.get(officer_id, ())),
                postings=tuple(postings.get(officer_id, ())),
                pay=tuple(ranks.get(officer_id, ())),
                trust_controls=tuple(trust.get(officer_id, ()))))
        # Where the registry's records start, whatever the day asked (a day before it is
        # refused by the training as "before the history starts", not as an empty history).
        # One officer's history (a flag's page) starts with their own records: the
        # registry's first posting is a scan of every posting (half a second at national
        # scale), and nothing reads it there.
        first_posting = (s.execute(select(func.min(AssignmentRow.start_date))).scalar()
                         if one is None else min(appointed.values(), default=None))
        starts = min([d for d in (first_posting, first_case) if d is not None],
                     default=as_of)
        population = Population.of(histories, starts=starts, ends=as_of, others=others)
        return History(population, frozenset(active))

    def _complaints(self, as_of: date, until: datetime, one: int | None) -> tuple[
            dict[int, list[ComplaintEvent]], list[tuple[Involvement, date | None]],
            date | None]:
        """Each accused's allegations of each case as one complaint: known on the day the
        first source was received (else the day the case was opened), civilian when any
        source is, its categories, and its findings once decided (and confirmed when a
        second person must confirm them) by the as-of day."""
        s = plain.connection(self.session)
        theirs = (IntegrityAllegationRow.officer_id == one) if one is not None else true()
        channels: dict[int, list[tuple[str, date]]] = defaultdict(list)
        for allegation_id, channel, received in s.execute(
            select(IntegrityAllegationSourceRow.allegation_id, IntegritySourceRow.channel,
                   IntegritySourceRow.received_on)
            .join(IntegritySourceRow,
                  IntegritySourceRow.id == IntegrityAllegationSourceRow.source_id)
            .join(IntegrityAllegationRow,
                  IntegrityAllegationRow.id == IntegrityAllegationSourceRow.allegation_id)
            .where(IntegritySourceRow.received_on <= as_of, theirs)):
            channels[allegation_id].append((channel, received))
        findings: dict[int, tuple[str, date]] = {}
        for allegation_id, finding, decided, second, confirmed in s.execute(
            select(IntegrityFindingRow.allegation_id, IntegrityFindingRow.finding,
                   IntegrityFindingRow.decided_at, IntegrityFindingRow.needs_second,
                   IntegrityFindingRow.confirmed_at)
            .join(IntegrityAllegationRow,
                  IntegrityAllegationRow.id == IntegrityFindingRow.allegation_id)
            .where(IntegrityFindingRow.decided_at < until, theirs)):
            known_at = confirmed if second else decided
            if known_at is not None and known_at < until and known_at.date() <= as_of:
                findings[allegation_id] = (finding, known_at.date())
        gathered: dict[tuple[int, str], _Accused] = {}
        first_case: date | None = None
        for allegation_id, case_id, kind, officer_id, name, badge, occurred, opened in s.execute(
            select(IntegrityAllegationRow.id, IntegrityAllegationRow.case_id,
                   IntegrityAllegationRow.kind, IntegrityAllegationRow.officer_id,
                   IntegrityAllegationRow.accused_name, IntegrityAllegationRow.accused_badge,
                   IntegrityAllegationRow.occurred_on, IntegrityCaseRow.opened_at)
            .join(IntegrityCaseRow, IntegrityCaseRow.id == IntegrityAllegationRow.case_id)
            .outerjoin(IntegrityImportedCaseRow,
                       IntegrityImportedCaseRow.case_id == IntegrityAllegationRow.case_id)
            .where(IntegrityCaseRow.opened_at < until, theirs,
                   IntegrityImportedCaseRow.case_id.is_(None))):
            sources = channels.get(allegation_id, [])
            known: date = min((day for _, day in sources), default=opened.date())
            if known > as_of:
                continue
            first_case = known if first_case is None or known < first_case else first_case
            accused = (officer_key(officer_id) if officer_id is not None
                       else f"x:{case_id}:{name or ''}:{badge or ''}")
            item = gathered.setdefault((case_id, accused), _Accused(known, None, False, set(),
                                                                    set(), []))
            item.known = min(item.known, known)
            if occurred is not None and occurred <= as_of:
                item.happened = occurred if item.happened is None else min(item.happened,
                                                                           occurred)
            item.civilian = item.civilian or any(c in CIVILIAN_CHANNELS for c, _ in sources)
            assert item.categories is not None and item.sustained is not None
            assert item.findings is not None
            item.categories.add(kind)
            found = findings.get(allegation_id)
            if found is None:
                item.open_allegations += 1
                continue
            item.findings.append(found[0])
            if found[0] == "sustained":
                item.sustained.add(kind)
            item.closed = found[1] if item.closed is None else max(item.closed, found[1])
        imported_first = self._imported(as_of, theirs, gathered)
        if imported_first is not None:
            first_case = imported_first if first_case is None else min(first_case,
                                                                       imported_first)
        complaints: dict[int, list[ComplaintEvent]] = defaultdict(list)
        others: list[tuple[Involvement, date | None]] = []
        for (case_id, accused), item in gathered.items():
            assert item.categories is not None and item.sustained is not None
            assert item.findings is not None
            closed = item.closed if item.open_allegations == 0 else None
            finding = most_serious(item.findings)
            event = ComplaintEvent(f"case:{case_id}", item.known, item.happened or item.known,
                                   item.civilian, frozenset(item.categories),
                                   frozenset(item.sustained), finding, closed)
            if accused.startswith("o:"):
                complaints[officer_id_of(accused)].append(event)
            else:
                others.append((Involvement(event.complaint, event.known, event.civilian,
                                           accused, finding), closed))
        return complaints, others, first_case

    def _imported(self, as_of: date, theirs: Any,
                  gathered: dict[tuple[int, str], _Accused]) -> date | None:
        """Another authority's complaints, imported as closed cases (ADR 0033), dated by
        their source: known on the day the complaint was made there, its finding (what the
        source recorded, kept apart from ours) known on the day the source closed it. They
        are history written here later, so the import's own instant does not date them (ADR
        0034, addendum). Adds to `gathered`; returns the first day known, if any.

        The day made is the case's source's `received_on` (the file's complaint day, else its
        incident day), not `integrity_imported_cases.complained_on`: that column dates the
        complaint as the co-accusal network does, by the incident first, and an incident
        reported months later was read as known on the day it happened — a complaint made
        after the as-of day counted in its features (ADR 0034, fourth addendum)."""
        first: date | None = None
        for case_id, kind, officer_id, node, occurred, known, channel, finding, closed in (
                plain.connection(self.session).execute(
                    select(IntegrityAllegationRow.case_id, IntegrityAllegationRow.kind,
                           IntegrityAllegationRow.officer_id,
                           IntegrityImportedAccusedRow.network_key,
                           IntegrityAllegationRow.occurred_on,
                           IntegritySourceRow.received_on,
                           IntegrityImportedCaseRow.channel, IntegrityImportedAccusedRow.finding,
                           IntegrityCaseRow.closed_on)
                    .join(IntegrityImportedAccusedRow,
                          IntegrityImportedAccusedRow.allegation_id == IntegrityAllegationRow.id)
                    .join(IntegrityImportedCaseRow,
                          IntegrityImportedCaseRow.case_id == IntegrityAllegationRow.case_id)
                    .join(IntegrityCaseRow, IntegrityCaseRow.id == IntegrityAllegationRow.case_id)
                    # An imported case has the one source the import wrote for it (were a
                    # second added, its rows would repeat these: the earliest day wins).
                    .join(IntegritySourceRow,
                          IntegritySourceRow.case_id == IntegrityAllegationRow.case_id)
                    .where(IntegritySourceRow.received_on <= as_of, theirs))):
            first = known if first is None or known < first else first
            accused = officer_key(officer_id) if officer_id is not None else f"x:{node}"
            item = gathered.setdefault((case_id, accused), _Accused(known, None, False, set(),
                                                                    set(), []))
            assert item.categories is not None and item.sustained is not None
            assert item.findings is not None
            item.known = min(item.known, known)
            if occurred is not None and occurred <= as_of:
                item.happened = occurred if item.happened is None else min(item.happened,
                                                                           occurred)
            item.civilian = item.civilian or channel == "civilian"
            item.categories.add(kind)
            if closed is None or closed > as_of:
                item.open_allegations += 1  # the source had not closed it on the day
                continue
            item.findings.append(finding)
            if finding == "sustained":
                item.sustained.add(kind)
            item.closed = closed if item.closed is None else max(item.closed, closed)
        return first

    def complaint_span(self, imported_only: bool = False) -> tuple[date, date] | None:
        """The first and last day a complaint was received, imported ones included (by their
        source's day), or only the imported ones; None when there is none. Days only: no
        case is read."""
        s = self.session
        # The day received, as the history reads it (`_imported`), not `complained_on`.
        spans = [s.execute(select(func.min(IntegritySourceRow.received_on),
                                  func.max(IntegritySourceRow.received_on))
                           .join(IntegrityImportedCaseRow,
                                 IntegrityImportedCaseRow.case_id == IntegritySourceRow.case_id)
                           ).one()]
        if not imported_only:
            spans.append(s.execute(select(func.min(IntegritySourceRow.received_on),
                                          func.max(IntegritySourceRow.received_on))).one())
        firsts = [a for a, _ in spans if a is not None]
        lasts = [b for _, b in spans if b is not None]
        return (min(firsts), max(lasts)) if firsts and lasts else None

    def places(self, keys: Sequence[str]) -> dict[str, str]:
        """The names of the history's posting keys ("u:<unit id>", "a:<agency id>"): what a
        reviewer reads instead of the keys."""
        units = {int(k[2:]) for k in keys if k.startswith("u:")}
        agencies = {int(k[2:]) for k in keys if k.startswith("a:")}
        found: dict[str, str] = {}
        if units:
            for unit_id, name, agency in self.session.execute(
                    select(UnitRow.id, UnitRow.name, AgencyRow.code)
                    .join(AgencyRow, AgencyRow.id == UnitRow.agency_id)
                    .where(UnitRow.id.in_(units))):
                found[f"u:{unit_id}"] = f"{name} ({agency})"
        if agencies:
            for agency_id, name in self.session.execute(
                    select(AgencyRow.id, AgencyRow.name).where(AgencyRow.id.in_(agencies))):
                found[f"a:{agency_id}"] = name
        return found

    # Models -------------------------------------------------------------------------------

    def add_model(self, *, version: str, learner: str, source: ModelSource, as_of: date,
                  trained_from: date, trained_until: date, rows: int, outcomes: int,
                  code_version: str, sha256: str, seal: str, artefact: bytes,
                  evaluation: dict[str, object], promoted: bool, reasons: Sequence[str],
                  trained_by: str, trained_at: datetime) -> int:
        row = RiskModelRow(version=version, learner=learner, source=source.value, as_of=as_of,
                           trained_from=trained_from, trained_until=trained_until, rows=rows,
                           outcomes=outcomes, code_version=code_version, sha256=sha256,
                           seal=seal, artefact=artefact, evaluation=json.dumps(evaluation),
                           promoted=promoted, reasons=json.dumps(list(reasons)),
                           trained_by=trained_by, trained_at=trained_at)
        self.session.add(row)
        self.session.flush()
        return row.id

    _MODEL_COLUMNS = (RiskModelRow.id, RiskModelRow.version, RiskModelRow.learner,
                      RiskModelRow.source, RiskModelRow.as_of, RiskModelRow.trained_from,
                      RiskModelRow.trained_until, RiskModelRow.rows, RiskModelRow.outcomes,
                      RiskModelRow.code_version, RiskModelRow.sha256, RiskModelRow.seal,
                      RiskModelRow.evaluation,
                      RiskModelRow.promoted, RiskModelRow.reasons, RiskModelRow.trained_by,
                      RiskModelRow.trained_at)

    @staticmethod
    def _model(row: Any) -> StoredModel:
        return StoredModel(row.id, row.version, row.learner, ModelSource(row.source),
                           row.as_of, row.trained_from, row.trained_until, row.rows,
                           row.outcomes, row.code_version, row.sha256, row.seal,
                           json.loads(row.evaluation), bool(row.promoted),
                           tuple(json.loads(row.reasons)), row.trained_by, row.trained_at)

    def model(self, version: str) -> StoredModel | None:
        row = self.session.execute(select(*self._MODEL_COLUMNS)
                                   .where(RiskModelRow.version == version)).first()
        return self._model(row) if row is not None else None

    def latest_promoted(self) -> StoredModel | None:
        row = self.session.execute(
            select(*self._MODEL_COLUMNS).where(RiskModelRow.promoted.is_(True))
            .order_by(RiskModelRow.trained_at.desc(), RiskModelRow.id.desc()).limit(1)).first()
        return self._model(row) if row is not None else None

    def latest_model(self) -> StoredModel | None:
        row = self.session.execute(
            select(*self._MODEL_COLUMNS)
            .order_by(RiskModelRow.trained_at.desc(), RiskModelRow.id.desc()).limit(1)).first()
        return self._model(row) if row is not None else None

    def artefact(self, model_id: int) -> bytes:
        data: bytes = self.session.execute(
            select(RiskModelRow.artefact).where(RiskModelRow.id == model_id)).scalar_one()
        return data

    def set_artefact(self, model_id: int, data: bytes) -> None:
        """Overwrite a model's bytes: only tests use it, to show an altered model refused."""
        self.session.execute(update(RiskModelRow).where(RiskModelRow.id == model_id)
                             .values(artefact=data))

    # Runs and scores ----------------------------------------------------------------------

    def add_run(self, *, model_id: int | None, as_of: date, officers: int, flagged: int,
                share: float, scored_by: str, scored_at: datetime,
                method: ScoringMethod = ScoringMethod.MODEL, rule_count: int | None = None,
                rule_months: int | None = None) -> int:
        row = RiskRunRow(model_id=model_id, as_of=as_of, officers=officers, flagged=flagged,
                         share=share, scored_by=scored_by, scored_at=scored_at,
                         method=method.value, rule_count=rule_count, rule_months=rule_months)
        self.session.add(row)
        self.session.flush()
        return row.id

    def add_scores(self, run_id: int, scored: Sequence[Scored]) -> None:
        writer = BulkWriter(self.session)
        columns = ("run_id", "officer_id", "score", "rank", "flagged", "factors")
        rows = [(run_id, officer_id_of(s.officer), s.score, s.rank, s.flagged,
                 json.dumps([{"feature": f.feature, "value": f.value, "es": f.es, "en": f.en}
                             for f in s.factors], ensure_ascii=False))
                for s in scored]
        for start in range(0, len(rows), 50_000):
            writer.insert("risk_scores", columns, rows[start:start + 50_000])

    def latest_run(self, method: ScoringMethod | None = None) -> Run | None:
        return self._run(RiskRunRow.method == method.value) if method else self._run()

    def run(self, run_id: int) -> Run | None:
        return self._run(RiskRunRow.id == run_id)

    def _run(self, *where: Any) -> Run | None:
        row = self.session.execute(
            select(RiskRunRow, RiskModelRow.version)
            .outerjoin(RiskModelRow, RiskModelRow.id == RiskRunRow.model_id).where(*where)
            .order_by(RiskRunRow.scored_at.desc(), RiskRunRow.id.desc()).limit(1)).first()
        if row is None:
            return None
        run, version = row
        return Run(run.id, run.model_id, version, run.as_of, run.officers, run.flagged,
                   run.share, run.scored_by, run.scored_at, ScoringMethod(run.method),
                   run.rule_count, run.rule_months)

    def _flags(self, *where: Any) -> list[Flag]:
        s = self.session
        found = s.execute(
            select(RiskScoreRow, OfficerRow.given_names, OfficerRow.first_surname,
                   OfficerRow.second_surname)
            .join(OfficerRow, OfficerRow.id == RiskScoreRow.officer_id)
            .where(*where).order_by(RiskScoreRow.rank)).all()
        if not found:
            return []
        ids = [score.officer_id for score, *_ in found]
        holders: dict[int, tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
        for officer_id, agency_id, state in s.execute(
            select(AssignmentRow.officer_id, AssignmentRow.agency_id, AgencyRow.state_code)
            .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id)
            .where(AssignmentRow.officer_id.in_(ids), AssignmentRow.end_date.is_(None))):
            holders[officer_id][0].add(agency_id)
            if state:
                holders[officer_id][1].add(state)
        reviews = {r.score_id: r for r in (self._review(row) for row in s.execute(
            select(RiskReviewRow).where(RiskReviewRow.score_id.in_(
                [score.id for score, *_ in found]))).scalars())}
        flags = []
        for score, given, first, second in found:
            agencies, states = holders.get(score.officer_id, (set(), set()))
            name = " ".join(part for part in (given, first, second) if part)
            factors = tuple(FactorText(f["feature"], float(f["value"]), f["es"], f["en"])
                            for f in json.loads(score.factors))
            flags.append(Flag(score.id, score.run_id, score.officer_id, name, score.score,
                              score.rank, score.flagged, factors, frozenset(agencies),
                              frozenset(states), reviews.get(score.id)))
        return flags

    def flags(self, run_id: int) -> list[Flag]:
        return self._flags(RiskScoreRow.run_id == run_id, RiskScoreRow.flagged.is_(True))

    def score(self, score_id: int) -> Flag | None:
        found = self._flags(RiskScoreRow.id == score_id)
        return found[0] if found else None

    # Reviews ------------------------------------------------------------------------------

    @staticmethod
    def _review(row: RiskReviewRow) -> Review:
        return Review(row.id, row.score_id, row.officer_id, ReviewOutcome(row.outcome),
                      bool(row.useful), row.note, row.evaluation_id, row.reviewed_by,
                      row.reviewed_at)

    def add_review(self, *, score_id: int, officer_id: int, outcome: ReviewOutcome,
                   useful: bool, note: str, evaluation_id: int | None,
                   reviewer_id: int | None, reviewed_by: str, reviewed_at: datetime) -> int:
        row = RiskReviewRow(score_id=score_id, officer_id=officer_id, outcome=outcome.value,
                            useful=useful, note=note, evaluation_id=evaluation_id,
                            reviewer_id=reviewer_id, reviewed_by=reviewed_by,
                            reviewed_at=reviewed_at)
        self.session.add(row)
        self.session.flush()
        return row.id

    def usefulness(self, run_id: int | None = None,
                   method: ScoringMethod | None = None) -> Usefulness:
        s = self.session
        flagged_q = select(func.count()).select_from(RiskScoreRow).where(
            RiskScoreRow.flagged.is_(True))
        reviews_q = (select(RiskReviewRow.outcome, RiskReviewRow.useful, func.count())
                     .join(RiskScoreRow, RiskScoreRow.id == RiskReviewRow.score_id)
                     .group_by(RiskReviewRow.outcome, RiskReviewRow.useful))
        if run_id is not None:
            flagged_q = flagged_q.where(RiskScoreRow.run_id == run_id)
            reviews_q = reviews_q.where(RiskScoreRow.run_id == run_id)
        if method is not None:  # the flags of the runs made by one method
            runs = select(RiskRunRow.id).where(RiskRunRow.method == method.value)
            flagged_q = flagged_q.where(RiskScoreRow.run_id.in_(runs))
            reviews_q = reviews_q.where(RiskScoreRow.run_id.in_(runs))
        flagged = int(s.execute(flagged_q).scalar_one())
        by_outcome: dict[str, int] = defaultdict(int)
        reviewed = useful = 0
        for outcome, was_useful, count in s.execute(reviews_q):
            by_outcome[outcome] += count
            reviewed += count
            useful += count if was_useful else 0
        return Usefulness(flagged, reviewed, useful, dict(by_outcome))
