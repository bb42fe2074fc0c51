"""`detect`: explain a period's reads, score what is left, and put the alerts in the auditors'
queue (issue 19 §2-3, ADR 0037 addendum).

The trail is checked first: the tamper-evident log must verify against its signed checkpoints,
and every entry of the period must already have its place in it; otherwise nothing is scored
and the refusal says where. Each civil day of the period is scored on its own, over the window
of `WINDOW_DAYS` ending that day, against the `LOOKBACK` before the window (the readers' own
suspect rate and what their peers read). Reads already behind an alert are not counted again,
so running the detection twice over a day raises nothing new.

The trail read is cut at `as_of` (default: the transaction's now): a detection run the morning
after a day sees that day's acts, never the future's. Who may run it: the holders of
`audit:access_alert:review` (auditors) and the console.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from operator import itemgetter

from confianza.access.rules.alerts import AlertRead, NewAlert
from confianza.access.rules.explanations import WORK_WINDOW, Rule, for_judging, reader_of
from confianza.access.rules.facts import Facts, Reader
from confianza.access.rules.lookback import Lookback
from confianza.access.rules.reads import Read, Shown
from confianza.access.rules.scoring import (
    LOOKBACK,
    WINDOW_DAYS,
    Assessment,
    Judge,
    Suspect,
    Window,
    assess,
    peer_key,
    scored,
    working_days,
)
from confianza.access.service.gathering import gather
from confianza.access.service.timings import Timings
from confianza.accounts.rules.permissions import Actor, Permission, Role
from confianza.accounts.service.authorization import require
from confianza.core.civil_time import civil_date, start_of_day
from confianza.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from confianza.core.memory import collector_held_off
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.transparency.service.verify import VerifyReport
from confianza.work import Transaction, UnitOfWork

#: The longest period one run scores (a quarter and a bit).
MAX_DAYS = 100
_OFFICER = itemgetter(3)  # a `Read`'s officer, as the tuple it is (a tenth of the attribute)


class TrailUnverified(Conflict):
    """The trail failed its check: nothing is scored from a log that may have been altered."""


@dataclass(frozen=True)
class RaisedAlert:
    id: int
    reader: str
    day: date
    points: float
    signals: tuple[str, ...]
    reads: int


@dataclass
class Detection:
    since: date
    until: date
    reads: int = 0
    suspects: int = 0
    readers: int = 0
    alerts: list[RaisedAlert] = field(default_factory=list)


def check_detection_period(since: date, until: date, threshold: float) -> None:
    errors: list[FieldError] = []
    if until < since:
        errors.append(FieldError("to", f"{until.isoformat()} is before the period's first day "
                                 f"{since.isoformat()}"))
    elif (until - since).days + 1 > MAX_DAYS:
        errors.append(FieldError("to", f"the period has {(until - since).days + 1} days; one "
                                 f"run scores at most {MAX_DAYS}"))
    if threshold <= 0:
        errors.append(FieldError("threshold", f"{threshold} is not a positive number of points"))
    if errors:
        raise ValidationFailed(errors)


def detect(uow: UnitOfWork, actor: Actor, since: date, until: date, *, threshold: float,
           verify: Callable[[], VerifyReport], as_of: datetime | None = None,
           lookback: Lookback | None = None, timings: Timings | None = None,
           keep: Callable[[Transaction, Lookback], None] | None = None) -> Detection:
    """Score every civil day from `since` to `until` and store the alerts above `threshold`.

    `lookback`: the running state of the days already explained (kept by a caller that runs
    day after day); the trail is then explained only from the day after its last one, and the
    state is left holding the days just explained (and no more than the next run needs).
    Without it, the lookback is explained from the trail. `keep` is handed the state the run
    leaves, in the run's transaction (`access.service.state` stores it with the alerts)."""
    clock = timings if timings is not None else Timings()
    with collector_held_off(), uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.ACCESS_DETECT, "audit", None):
        require(actor, Permission.ACCESS_ALERT_REVIEW, resource_type="audit")
        check_detection_period(since, until, threshold)
        zone = tx.zone
        store = tx.access
        cut = (as_of or tx.now) + timedelta(microseconds=1)  # what was written until now
        today = civil_date(as_of or tx.now, zone)
        if since > today:
            raise ValidationFailed(FieldError("from", (
                f"{since.isoformat()} is after today ({today.isoformat()}): a run scores what "
                "the trail holds until now")))
        first_window_day = since - timedelta(days=WINDOW_DAYS - 1)
        window_start = start_of_day(first_window_day, zone)
        period_start = start_of_day(since, zone)
        end = min(start_of_day(until + timedelta(days=1), zone), cut)
        state = lookback if lookback is not None else Lookback()
        held = [d for d in state.days if d < since]
        read_day = (held[-1] + timedelta(days=1) if held
                    else first_window_day - timedelta(days=LOOKBACK.days))
        read_from = start_of_day(read_day, zone)
        touched_since = window_start - LOOKBACK - WORK_WINDOW
        low = store.first_entry_at(read_from - WORK_WINDOW)
        first = store.first_entry_at(read_from)
        last = store.first_entry_at(end)
        high = store.first_entry_at(cut)
        if store.first_entry_at(period_start) >= last:
            raise NotFound(f"no entry of the trail was written from {since.isoformat()} to "
                           f"{until.isoformat()}: nothing to score")
        _verified(verify(), store.unplaced(first, last))
        clock.lap("checking")
        gathered = gather(store, low, first, last, high, touches=True)
        reads = gathered.reads
        if gathered.touches is not None:
            state.touch_at_once(gathered.touches)
            gathered.touches = None
        clock.lap("reading")
        found = Detection(since, until)
        if not reads:
            if keep is not None:
                keep(tx, state)
            _audit(tx, actor, found, threshold)
            return found
        officers = set(map(_OFFICER, reads))  # and the window's kept suspect reads
        officers.update(s.read.officer_id for d, held in state.suspects.items()  # (scoring asks
                        if d >= first_window_day  # their officers' units and cases)
                        for doubts in held.values() for s in doubts)
        facts = store.facts(officers, read_from, end)
        gathered.into(facts)
        clock.lap("facts")
        by_day = _judged(reads, facts, zone, state)
        clock.lap("explaining")
        for day_read in sorted(by_day):
            judged = by_day[day_read]
            state.add_judged(day_read, judged.keys, judged.suspects)
        done = store.alerted(store.first_entry_at(window_start))
        day = since
        while day <= until:
            _score_day(tx, actor, day, state, facts, touched_since, done, threshold, found,
                       clock)
            day += timedelta(days=1)
        found.reads = sum(judged.reads for d, judged in by_day.items() if d >= since)
        found.suspects = sum(len(judged.suspects) for d, judged in by_day.items() if d >= since)
        state.forget_before(until - timedelta(days=WINDOW_DAYS - 1 + LOOKBACK.days - 1))
        if keep is not None:
            keep(tx, state)
        _audit(tx, actor, found, threshold)
        return found


@dataclass
class JudgedDay:
    """What one civil day's reads leave once judged: how many, the (peer group, officer)
    keys the lookback keeps (`Lookback.key`, one per read), and the suspect reads in order."""

    reads: int = 0
    keys: list[int] = field(default_factory=list)
    suspects: list[Suspect] = field(default_factory=list)


def _judged(reads: list[Read], facts: Facts, zone: tzinfo,
            state: Lookback) -> dict[date, JudgedDay]:
    """Each read judged, by the civil day it was made on. A reader's account, judge and peer
    group are found once, not per read; so is a day's span, as the reads come in time order.

    `work_list` is every role's first test (`for_judging`) and explains most of a day's reads:
    it is tried here, inline, and the judge tries only the rules after it. An explained read
    leaves only its pair key: two million (read, judgement) pairs were a second to make and
    another to walk for the keys."""
    by_day: dict[date, JudgedDay] = defaultdict(JudgedDay)
    judges: dict[Role | None, Judge] = {}
    mine: dict[str, tuple[Reader, Judge, int]] = {}
    low = high = None
    keys: list[int] = []
    doubts: list[Suspect] = []
    counted: JudgedDay | None = None
    shown = facts.shown
    work = Shown.WORK
    window = WORK_WINDOW
    total = 0
    for read in reads:
        who = read.reader
        found = mine.get(who)
        if found is None:
            reader = reader_of(read, facts)
            judge = judges.get(reader.role)
            if judge is None:
                judge = judges[reader.role] = Judge(_after_work_list(reader.role))
            found = mine[who] = (reader, judge, state.group(peer_key(reader)) << 32)
        at = read.at
        if low is None or high is None or not low <= at < high:
            if counted is not None:
                counted.reads += total
            day = civil_date(at, zone)
            low, high = _day_span(day, zone)
            counted = by_day[day]
            keys, doubts, total = counted.keys, counted.suspects, 0
        total += 1
        officer = read.officer_id
        keys.append(found[2] | officer)
        timeline = shown.get((who, officer, work))
        if timeline is not None:  # `work_list`, inline
            moments = timeline.moments
            if (at - window <= moments[0] <= at if len(moments) == 1
                    else timeline.within(at - window, at)):
                continue
        doubt = found[1](read, found[0], facts)
        if doubt is not None:
            doubts.append(doubt)
    if counted is not None:
        counted.reads += total
    return by_day


def _after_work_list(role: Role | None) -> tuple[Rule, ...]:
    """The rules `for_judging` tries for the role, after `work_list` (which `_judged` tries
    itself)."""
    rules = for_judging(role)
    if not rules or rules[0].name != "work_list":
        raise AssertionError("work_list is no longer every role's first rule of judgement")
    return rules[1:]


def _day_span(day: date, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    """The instants of a civil day, [low, high), where the day's first and last instants
    check out as that day's (else None: each read's day is then computed on its own)."""
    low = start_of_day(day, zone)
    high = start_of_day(day + timedelta(days=1), zone)
    tick = timedelta(microseconds=1)
    if (civil_date(low, zone) == day and civil_date(high - tick, zone) == day
            and civil_date(low - tick, zone) < day and civil_date(high, zone) > day):
        # The same instants in UTC, the reads' own zone: two instants with one tzinfo compare
        # by their fields, where another zone's costs an offset look-up on each side (a
        # microsecond, twice a read).
        return low.astimezone(UTC), high.astimezone(UTC)
    return None, None


def _verified(report: VerifyReport, unplaced: int) -> None:
    if not report.ok:
        raise TrailUnverified(f"the audit trail fails verification, so nothing was scored: "
                              f"{report.line()}")
    if unplaced:
        raise TrailUnverified(f"{unplaced} entries of the period have no place in the "
                              "tamper-evident log yet, so they cannot be verified: run "
                              "`confianza audit integrate` (or wait for the integrator), then "
                              "detect again")


def _score_day(t: Transaction, actor: Actor, day: date, state: Lookback, facts: Facts,
               touched_since: datetime, done: set[tuple[int, int]], threshold: float,
               found: Detection, clock: Timings) -> None:
    zone = t.zone
    first_day = day - timedelta(days=WINDOW_DAYS - 1)
    day_start = start_of_day(day, zone).astimezone(UTC)  # as the reads' (see `_day_span`)
    by_reader: dict[str, list[Suspect]] = {}
    for username, doubts in state.window(first_day, day).items():
        kept = ([s for s in doubts if (s.read.entry_id, s.read.officer_id) not in done]
                if done else doubts)
        if kept:
            by_reader[username] = kept
    found.readers = max(found.readers, len(by_reader))
    scoring: dict[str, list[Suspect]] = {}
    for username, suspects in by_reader.items():
        reader = facts.readers.get(username)
        if reader is None or not scored(reader):
            continue
        if not any(s.read.at >= day_start for s in suspects):
            continue  # nothing new today: yesterday's run weighed these
        scoring[username] = suspects
    known = state.history(first_day, scoring, facts.readers,
                          working_days(first_day - timedelta(days=LOOKBACK.days),
                                       first_day - timedelta(days=1)), touched_since)
    assessed = [(username, assess(Window(facts.readers[username], suspects, facts, known,
                                         zone, working_days(first_day, day))))
                for username, suspects in sorted(scoring.items())]
    clock.lap("scoring")
    for username, assessment in assessed:
        if assessment.points < threshold:
            continue
        alert_id = t.access.add_alert(_new_alert(assessment, first_day, day, threshold),
                                      actor.username, t.now)
        for read in assessment.reads:
            done.add((read.entry_id, read.officer_id))
        found.alerts.append(RaisedAlert(alert_id, username, day, assessment.points,
                                        tuple(s.name for s in assessment.signals),
                                        len(assessment.reads)))
    clock.lap("writing alerts")


def _new_alert(assessment: Assessment, first_day: date, day: date,
               threshold: float) -> NewAlert:
    behind: dict[tuple[int, int], list[str]] = defaultdict(list)
    for signal in assessment.signals:
        for read in signal.reads:
            behind[(read.entry_id, read.officer_id)].append(signal.name)
    reads = tuple(AlertRead(r.entry_id, r.officer_id, r.at, r.action,
                            tuple(behind[(r.entry_id, r.officer_id)]))
                  for r in assessment.reads)
    reader = assessment.reader
    return NewAlert(reader.username, reader.role.value if reader.role else None, first_day,
                    day, assessment.points, threshold,
                    tuple({"name": s.name, "points": round(s.points, 2), "reads": len(s.reads),
                           "es": s.es, "en": s.en} for s in assessment.signals), reads)


def _audit(t: Transaction, actor: Actor, found: Detection, threshold: float) -> None:
    t.audit.record(actor, AuditAction.ACCESS_DETECT, "audit", None, detail={
        "from": found.since.isoformat(), "to": found.until.isoformat(),
        "threshold": threshold, "reads": found.reads, "suspects": found.suspects,
        "alerts": [a.id for a in found.alerts]})

