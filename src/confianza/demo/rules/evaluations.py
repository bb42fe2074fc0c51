"""Synthetic trust-control evaluations, and the rules of the histories they make up.

`EvaluationMaker` writes one evaluation with its exams, results and decision;
`synthetic_histories.HistoryMaker.rows` takes a batch of generated officers (their careers
already drawn by demo/rules/careers.py) and returns their evaluations, exams,
consequences, certificates (CUP) and standing rows, their values in the order TRUST_COLUMNS
names. The history is pure: a seeded `random.Random` in, the same rows out.

The rules it keeps, so that the registry's alert lists read true:
- records start WINDOW_YEARS before today; an officer appointed since then has a new-entry
  evaluation shortly before appointment, an older one first appears when a previous (unrecorded)
  approval runs out. Re-evaluation comes in the six months before expiry, late for some;
- a not-approved officer does not stay on duty: the decision falls shortly before a career that
  ends in separation (or resignation), or on an officer now removed from duty with a separation
  process open (some appealed; an appeal that overturns restores the approval and the duty);
- some active officers are converted into officers separated after failing, so that about one
  decided evaluation in twelve is not approved, as the published figures show;
- evaluations under way today are requested, scheduled (within the centre's daily capacity),
  awaiting decision or awaiting confirmation; at most one per officer.
Dates are ordinals (`date.toordinal`) inside the loops, as in synthetic_careers; the rows carry
dates and timestamps in the form the target engine stores (`stored`: SQLite keeps text), each
day formatted once. A national build emits ~4 million exams: the per-exam path does a few dict
look-ups and one tuple, the rest is prepared per battery, per day or per centre.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple

from confianza.certification.rules.cup import CupPolicy
from confianza.certification.rules.decisions import ValidityPolicy, integrate
from confianza.demo.rules.force import ForcePlan
from confianza.demo.rules.trust import DemoStaff, ResultMaker, Staff, TrustIds
from confianza.vetting.rules.evaluations import BatteryPolicy, EvaluationKind, ExamType, RankLevel
from confianza.vetting.rules.evaluations import rank_level as level_of

WINDOW_YEARS = 6
P_LATE = 0.33  # re-evaluated after the approval ran out (the alert list)
P_RECENT = 0.01  # active officers not approved in the last three months
P_CONVERT = 0.11  # active officers turned into officers separated after failing
CUP_SHARE = 0.85  # officers with a valid approval who also hold a current certificate
_NEW, _PERM, _PROMO, _SPECIAL = (k.value for k in EvaluationKind)
_TOX, _POLY, _PSY, _MED, _SOC = (ExamType.TOXICOLOGY, ExamType.POLYGRAPH,
                                 ExamType.PSYCHOLOGICAL, ExamType.MEDICAL, ExamType.SOCIOECONOMIC)
# Why officers fail, with the exam that shows it (weights per 100).
_FAILURES = ((30, _TOX), (60, _SOC), (80, _PSY), (100, _POLY))
_GROUNDS = {
    _TOX: "Resultado positivo confirmado en la muestra con cadena de custodia.",
    _SOC: "Gastos y patrimonio muy superiores a los ingresos declarados, sin explicación.",
    _PSY: "Rasgos incompatibles con la portación de arma y el trato con la ciudadanía.",
    _POLY: "Reacciones significativas sobre fuga de información, corroboradas en la entrevista "
           "y por informes previos de la unidad de asuntos internos.",
}
_SPECIAL_REASON = "Denuncia ciudadana turnada por la unidad de asuntos internos"
# The usual outcome of each exam when the evaluation is not failing: one draw decides between a
# rare outcome (below the cut) and the common one.
_USUAL: dict[ExamType, tuple[float, str, str]] = {
    _TOX: (0.0, "negative", "negative"),
    _SOC: (0.0, "consistent", "consistent"),
    _POLY: (0.04, "inconclusive", "no_significant_reaction"),
    _PSY: (0.06, "suitable_with_reservations", "suitable"),
    _MED: (0.05, "fit_with_restrictions", "fit"),
}
_LEVELS = {level: level.value for level in RankLevel}
_FAILED = {_TOX: "positive", _SOC: "inconsistent", _PSY: "not_suitable",
           _POLY: "significant_reaction"}

#: How rows carry dates and timestamps: (date -> stored value, datetime -> stored value).
StoredForms = tuple[Callable[[date], Any], Callable[[datetime], Any]]


def _same(value: Any) -> Any:
    return value


_AS_GIVEN: StoredForms = (_same, _same)


#: The table of each list of a `TrustBatch`, in its order (which is also foreign-key order),
#: and the column of each value of its rows; the bulk writer checks the names.
TRUST_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("evaluations", ("id", "officer_id", "agency_id", "kind", "rank", "rank_level",
                     "sensitive_access", "reason", "status", "centre_id", "requested_by",
                     "requested_at", "recommendation", "integration", "verdict", "decided_by",
                     "decided_on", "grounds", "confirmed_by", "confirmed_on", "valid_until",
                     "closed_at")),
    ("evaluation_exams", ("id", "evaluation_id", "exam_type", "examiner_id", "scheduled_on",
                          "outcome", "result", "notes", "recorded_at")),
    ("separation_processes", ("id", "officer_id", "agency_id", "evaluation_id", "opened_on",
                              "status", "closed_on", "outcome", "integrity_case_id")),
    ("agency_notifications", ("id", "agency_id", "officer_id", "evaluation_id", "kind",
                              "message", "created_at", "read_at")),
    ("appeals", ("id", "evaluation_id", "filed_by", "filed_on", "grounds", "status",
                 "decided_by", "decided_on", "resolution")),
    ("cup_components", ("id", "officer_id", "component", "completed_on", "valid_until", "hours",
                        "score", "evaluation_id", "recorded_by", "recorded_at")),
    ("cup_certificates", ("id", "number", "officer_id", "issued_on", "valid_until", "ended_on",
                          "end_reason")),
    ("officer_standing", ("officer_id", "last_evaluation_id", "last_verdict", "last_decided_on",
                          "approved_until", "cup_until")),
)


class TrustBatch(NamedTuple):
    evaluations: list[tuple[Any, ...]]
    exams: list[tuple[Any, ...]]
    separations: list[tuple[Any, ...]]
    notifications: list[tuple[Any, ...]]
    appeals: list[tuple[Any, ...]]
    components: list[tuple[Any, ...]]
    certificates: list[tuple[Any, ...]]
    standing: list[tuple[Any, ...]]


class _Seg(NamedTuple):
    agency: int  # plan index
    rank: str
    start: int
    end: int | None
    start_reason: str
    end_reason: str | None


class _Done(NamedTuple):
    """What the officer-level logic needs to know about an emitted evaluation."""

    id: int
    day: int  # decided on (or requested, for an evaluation not decided yet)
    status: str
    level: RankLevel
    valid_until: int | None
    decider: int | None
    confirmer: int | None
    confirmed: int | None
    centre: int  # index into staff.centres
    agency: int  # plan index


class EvaluationMaker:
    """Emits evaluations with their exams; synthetic_histories decides whose and when."""

    def __init__(self, plan: ForcePlan, staff: Staff, ids: TrustIds, first_agency_id: int,
                 today: date, rng: random.Random, demo: DemoStaff,
                 stored: StoredForms = _AS_GIVEN) -> None:
        self.plan, self.staff, self.rng, self.demo = plan, staff, rng, demo
        self._date_form, self._stamp_form = stored
        self.rand = rng.random
        self.T = today.toordinal()
        self.W = self.T - 365 * WINDOW_YEARS
        self.agency_index = {first_agency_id + i: i for i in range(len(plan.agencies))}
        self.agency_ids = [first_agency_id + i for i in range(len(plan.agencies))]
        self.requester = [f"rh.{a.code.lower()}"[:64] for a in plan.agencies]
        self.next: dict[str, int] = {name: int(getattr(ids, name)) for name in (
            "evaluation", "exam", "appeal", "separation", "notification", "component",
            "certificate")}
        self.results = ResultMaker(rng)
        self.validity, self.cup, self.battery = ValidityPolicy(), CupPolicy(), BatteryPolicy()
        self._levels: dict[str, RankLevel] = {}
        self._batteries: dict[tuple[str, RankLevel, bool], tuple[ExamType, ...]] = {}
        self._integrations: dict[tuple[Any, ...], tuple[str, str]] = {}
        self._stamps: dict[int, Any] = {}
        self._days: dict[int, Any] = {}
        self._dates: dict[int, date] = {}
        self._exam_days: dict[int, tuple[int, Any, Any]] = {}
        self._valid: dict[tuple[int, RankLevel], int] = {}
        self._until: dict[tuple[Any, int], int] = {}  # CUP components' expiry, by day
        self._battery_values: dict[tuple[ExamType, ...], tuple[str, ...]] = {}
        self._usual: dict[tuple[ExamType, ...], tuple[tuple[float, str, str], ...]] = {}
        self._makers = self.results.makers()
        self._booked: dict[tuple[int, ExamType, int], int] = {}
        jalisco = [i for i, c in enumerate(staff.centres) if c.state_code == "14"]
        self.demo_centre = jalisco[0] if jalisco and demo.examiner is not None else -1
        # Work the demo accounts find waiting: exams queued for demo-examiner, and evaluations
        # decided by one demo certification officer for the other to confirm.
        self.demo_quota: list[tuple[str, int | None]] = []
        if self.demo_centre >= 0:
            self.demo_quota += [("scheduled", None)] * 3 + [("awaiting_decision", None)] * 2
        for k, certifier in enumerate(demo.certifiers):
            self.demo_quota += [("awaiting_confirmation", certifier)] * 2 if k < 2 else []

    # Small helpers ----------------------------------------------------------------------------

    def _id(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value

    def _date(self, day: int) -> date:
        """A day to compute with."""
        found = self._dates.get(day)
        if found is None:
            found = self._dates[day] = date.fromordinal(day)
        return found

    def _on(self, day: int) -> Any:
        """A day as the rows carry it."""
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = self._date_form(date.fromordinal(day))
        return found

    def _at(self, day: int, hour: int) -> Any:
        """An instant (the hour of a day, UTC) as the rows carry it."""
        key = day * 24 + hour
        found = self._stamps.get(key)
        if found is None:
            found = self._stamps[key] = self._stamp_form(datetime.combine(
                date.fromordinal(day), time(hour), UTC))
        return found

    def _exam_day(self, day: int) -> tuple[int, Any, Any]:
        """The working day an exam drawn for `day` is held, as a day and as its stored form,
        and the instant its result is recorded (16:00)."""
        found = self._exam_days.get(day)
        if found is None:
            on = self._weekday(day)
            found = self._exam_days[day] = (on, self._on(on), self._at(on, 16))
        return found

    def _level(self, rank: str) -> RankLevel:
        found = self._levels.get(rank)
        if found is None:
            found = self._levels[rank] = level_of(rank)
        return found

    def _exams(self, kind: str, level: RankLevel, sensitive: bool) -> tuple[ExamType, ...]:
        key = (kind, level, sensitive)
        found = self._batteries.get(key)
        if found is None:
            found = self._batteries[key] = tuple(sorted(
                self.battery.required(EvaluationKind(kind), level, sensitive)))
            self._battery_values[found] = tuple(e.value for e in found)
            self._usual[found] = tuple(_USUAL[e] for e in found)
        return found

    def _integration(self, battery: tuple[ExamType, ...], outcomes: list[str]) -> tuple[str, str]:
        key = (battery, *outcomes)
        found = self._integrations.get(key)
        if found is None:
            made = integrate(frozenset(battery), dict(zip(battery, outcomes, strict=True)))
            text = json.dumps({"adverse": list(made.adverse), "reasons": list(made.reasons),
                               "reservations": list(made.reservations)},
                              sort_keys=True, separators=(",", ":"))
            found = self._integrations[key] = (made.recommendation.value, text)
        return found

    def _valid_until(self, day: int, level: RankLevel) -> int:
        key = (day, level)
        found = self._valid.get(key)
        if found is None:
            found = self._valid[key] = self.validity.valid_until(
                self._date(day), level).toordinal()
        return found

    def _book(self, centre: int, exam: ExamType, day: int) -> int:
        """The first working day from `day` on with room left at the centre for this exam."""
        daily = self.staff.centres[centre].daily[exam]
        while True:
            if (day - 1) % 7 < 5:  # ordinal 1 was a Monday
                key = (centre, exam, day)
                used = self._booked.get(key, 0)
                if used < daily:
                    self._booked[key] = used + 1
                    return day
            day += 1

    @staticmethod
    def _weekday(day: int) -> int:
        weekday = (day - 1) % 7
        return day + (7 - weekday if weekday >= 5 else 0)

    # One evaluation ---------------------------------------------------------------------------

    def _emit(self, out: TrustBatch, officer: int, seg: _Seg, kind: str, day: int, state: str,
              requested: int | None = None, decider: int | None = None,
              demo: bool = False) -> _Done:
        """One evaluation and its exams. `day` is the decision day of a decided one; `state`
        is its status, or 'overturned' (not approved, then approved on appeal)."""
        rand = self.rand
        level = self._level(seg.rank)
        sensitive = rand() < (0.08 if level is RankLevel.BASIC else 0.3)
        battery = self._exams(kind, level, sensitive)
        centre_index = self.staff.centre_of_agency[seg.agency]
        centre = self.staff.centres[centre_index]
        evaluation = self.next["evaluation"]
        self.next["evaluation"] = evaluation + 1
        if requested is None:
            requested = day - 25 - int(rand() * 55)
        failing = state in ("not_approved", "overturned", "awaiting_confirmation")
        outcomes = self._outcomes(battery, failing)
        first = requested + 5 + int(rand() * 10)
        last_exam = first
        values = self._battery_values[battery]
        exam_id = self.next["exam"]
        self.next["exam"] = exam_id + len(battery)
        add = out.exams.append
        examiners = centre.examiners
        if state == "requested":
            for value in values:
                add((exam_id, evaluation, value, None, None, None, None, None, None))
                exam_id += 1
        elif state == "scheduled":
            for exam, value in zip(battery, values, strict=True):
                pool = examiners[exam]
                examiner = pool[int(rand() * len(pool))]
                if centre_index == self.demo_centre and (demo or rand() < 0.3):
                    examiner = self.demo.examiner or examiner
                on = self._book(centre_index, exam, self.T + 1 + int(rand() * 20))
                add((exam_id, evaluation, value, examiner, self._on(on), None, None, None, None))
                exam_id += 1
        else:
            days, exam_day, makers, tag = self._exam_days, self._exam_day, self._makers, centre.tag
            for exam, value, outcome in zip(battery, values, outcomes, strict=True):
                pool = examiners[exam]
                examiner = pool[int(rand() * len(pool))]
                drawn = first + int(rand() * 4)
                on, stored_on, recorded = days.get(drawn) or exam_day(drawn)
                if on > last_exam:
                    last_exam = on
                add((exam_id, evaluation, value, examiner, stored_on, outcome,
                     makers[exam](outcome, tag, exam_id), None, recorded))
                exam_id += 1
        recommendation = integration = verdict = grounds = None
        decided_on = valid_until = confirmer = confirmed = None
        closed_at = None
        status = state
        if state not in ("requested", "scheduled"):
            recommendation, integration = self._integration(battery, outcomes)
        if state in ("approved", "not_approved", "overturned", "awaiting_confirmation"):
            certifiers = centre.certifiers
            if decider is None:
                decider = certifiers[int(rand() * len(certifiers))]
            if state == "awaiting_confirmation":
                day = min(self.T, last_exam + 1 + int(rand() * 4))
            decided_on = day
            verdict = "approved" if state == "approved" else "not_approved"
            if failing:
                adverse = json.loads(integration or "{}").get("adverse", [])
                grounds = _GROUNDS[ExamType(adverse[0])] if adverse else None
            if state in ("not_approved", "overturned"):
                others = [c for c in certifiers if c != decider]
                confirmer = others[int(rand() * len(others))]
                confirmed = day + 1 + int(rand() * 5)
            if state == "overturned":
                status = verdict = "approved"
            if status == "approved":
                valid_until = self._valid_until(day, level)
            if status in ("approved", "not_approved"):
                closed_at = self._at(confirmed or day, 18)
        agency = seg.agency
        reason = (_SPECIAL_REASON if kind == _SPECIAL else
                  f"Promoción a {seg.rank}" if kind == _PROMO else None)
        out.evaluations.append((
            evaluation, officer, self.agency_ids[agency], kind, seg.rank, _LEVELS[level], sensitive,
            reason, status, None if state == "requested" else centre.id, self.requester[agency],
            self._at(requested, 10), recommendation, integration, verdict, decider,
            None if decided_on is None else self._on(decided_on), grounds, confirmer,
            None if confirmed is None else self._on(confirmed),
            None if valid_until is None else self._on(valid_until), closed_at))
        return _Done(evaluation, day if decided_on is not None else requested, status, level,
                     valid_until, decider, confirmer, confirmed, centre_index, agency)

    def _outcomes(self, battery: tuple[ExamType, ...], failing: bool) -> list[str]:
        rand = self.rand
        if not failing:
            return [rare if rand() < cut else common for cut, rare, common in self._usual[battery]]
        roll = rand() * 100
        cause = next(exam for cut, exam in _FAILURES if roll < cut)
        if cause not in battery:
            cause = _TOX
        chosen = {cause: _FAILED[cause]}
        if cause is not _POLY and _POLY in battery and rand() < 0.25:
            chosen[_POLY] = "significant_reaction"
        result = []
        for exam in battery:
            outcome = chosen.get(exam)
            if outcome is None:
                cut, rare, common = _USUAL[exam]
                outcome = rare if rand() < cut else common
            result.append(outcome)
        return result
