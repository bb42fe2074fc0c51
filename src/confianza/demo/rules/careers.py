"""Synthetic careers: who joined when, where they served, their promotions, transfers and exits.

`CareerModel.career` draws one career from a seeded `random.Random`: a list of segments that
never overlap, whose end dates follow their start dates, that all lie before `today`, and of
which at most the last is open (none for an officer who left). `build_rows` turns careers into
the rows of a registry (officers, assignments, badges, contacts) in batches, ready for a bulk
writer. Dates are handled as proleptic ordinals (`date.toordinal`) inside the loops: integer
arithmetic is what keeps 400,000 careers within a few seconds.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate
from typing import Any, NamedTuple

from faker.providers.address.es_MX import Provider as _Addresses

from confianza.demo.rules.force import (
    FEDERAL_MERGER,
    RANK_PYRAMID,
    STATE_POPULATION_2020,
    ForcePlan,
)
from confianza.demo.rules.people import People
from confianza.registry.rules.assignments import ChangeReason

APPOINTMENT = ChangeReason.APPOINTMENT.value
PROMOTION = ChangeReason.PROMOTION.value
MIN_DAYS_IN_RANK = 730  # promotion rules ask for years in the rank before the next
MIN_DAYS_IN_POSTING = 120
TRANSFER = ChangeReason.TRANSFER.value
REASSIGNMENT = ChangeReason.REASSIGNMENT.value
MERGER = ChangeReason.MERGER.value
DEATH = ChangeReason.DEATH.value
_EXITS = (ChangeReason.SEPARATION.value, ChangeReason.RESIGNATION.value)
_RETIREMENT = ChangeReason.RETIREMENT.value

# Status mix (cumulative, per 1,000): most serve, some were separated, a few died in service,
# some are suspended or removed from operational duty while an inquiry runs.
_STATUS_CUTS = ((880, "active"), (895, "suspended"), (910, "removed_from_duty"),
                (990, "separated"), (1000, "deceased"))
# A second given name is usually one of a few common ones ("José Luis", "María Guadalupe").
_SECOND_NAMES = frozenset({
    "Luis", "Carlos", "Antonio", "Manuel", "Alberto", "Alejandro", "Eduardo", "Francisco",
    "Javier", "Miguel", "Ángel", "Jesús", "Daniel", "Enrique", "Armando", "Ramón",
    "Guadalupe", "Isabel", "Elena", "Luisa", "Teresa", "Carmen", "Alejandra", "Patricia",
    "Gabriela", "Andrea", "Sofía", "Lucía",
})
_OPEN_STATUSES = frozenset({"active", "suspended", "removed_from_duty"})
# Careers as they are (ADR 0025), picked by officer id so the random stream, and with it every
# other row of a seed, stays what it was: one active officer in SECONDMENT_EVERY also serves
# on a task force, one in LEAVE_EVERY is on leave (licencia), and of the exits by separation or
# resignation, DISMISSED_EVERY's first two residues were a dismissal and a resignation in lieu
# of one.
SECONDMENT_EVERY = 41
LEAVE_EVERY = 53
DISMISSED_EVERY = 6
_EXIT_REASONS = frozenset(_EXITS)
_DISMISSAL = ChangeReason.DISMISSAL.value
_IN_LIEU = ChangeReason.IN_LIEU_OF_DISMISSAL.value
_TASK_FORCE_REASON = ChangeReason.REASSIGNMENT.value


class Segment(NamedTuple):
    """One assignment of a career; `end` is None for the one open assignment."""

    agency: int  # index into the plan's agencies
    unit: int  # index into that agency's units
    rank: int  # index into the rank scale
    start: int  # date ordinal
    end: int | None
    start_reason: str
    end_reason: str | None


class Career(NamedTuple):
    status: str
    birth: int  # date ordinal
    segments: list[Segment]


@dataclass(frozen=True)
class FirstIds:
    """The first id of each table's block, reserved by the writer."""

    agency: int = 1
    unit: int = 1
    officer: int = 1
    assignment: int = 1
    badge: int = 1
    contact: int = 1


#: The table of each list of a `Batch`, in its order, and the column of each value of its rows
#: (the bulk writer checks these names against the schema; the positions are this module's).
CAREER_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("officers", ("id", "curp", "given_names", "first_surname", "second_surname", "search_name",
                  "birth_date", "birth_year", "sex", "status", "created_at", "updated_at")),
    ("assignments", ("id", "officer_id", "agency_id", "unit_id", "rank", "start_date",
                     "end_date", "start_reason", "end_reason", "status", "kind", "employment",
                     "status_since")),
    ("badges", ("id", "officer_id", "agency_id", "number", "start_date", "end_date")),
    ("officer_contacts", ("id", "officer_id", "kind", "value", "label")),
)
#: The same for the two lists `agency_rows` makes.
AGENCY_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("agencies", ("id", "code", "name", "level", "state_code", "municipality_key", "parent_id",
                  "merged_into_id", "dissolved_on", "created_at")),
    ("units", ("id", "agency_id", "code", "name", "parent_unit_id")),
)


class Batch(NamedTuple):
    """Rows of each table, their values in the order CAREER_COLUMNS names."""

    officers: list[tuple[Any, ...]]
    assignments: list[tuple[Any, ...]]
    badges: list[tuple[Any, ...]]
    contacts: list[tuple[Any, ...]]


class CareerModel:
    """Precomputed tables for drawing careers inside one plan."""

    def __init__(self, plan: ForcePlan, today: date) -> None:
        self.plan = plan
        self.today = today.toordinal()
        agencies = plan.agencies
        self.units = [len(a.units) for a in agencies]
        self.rank_cuts = [list(accumulate(RANK_PYRAMID[: a.max_rank + 1])) for a in agencies]
        self.gn = plan.index("GN")
        self.pf = plan.index("PF")
        merger = FEDERAL_MERGER.toordinal()
        # A merger the clock has not reached yet is left out: every date must be in the past.
        self.merger = merger if merger < self.today else None
        gn_codes = {u.code: i for i, u in enumerate(agencies[self.gn].units)}
        self.pf_to_gn_unit = [gn_codes[u.code] for u in agencies[self.pf].units]
        serving = [i for i, a in enumerate(agencies) if a.officers > 0 and a.dissolved_on is None]
        self._state_forces = [i for i in serving if agencies[i].level == "state"]
        self._federal = [i for i in serving if agencies[i].code in ("SPF", "FGR-PFM")]
        self._by_state: dict[str, list[int]] = {}
        for i in serving:
            code = agencies[i].state_code
            if code is not None:
                self._by_state.setdefault(code, []).append(i)
        self.pools = [self._pool(i) for i in range(len(agencies))]
        # Where a Guardia Nacional officer is seconded to a task force: a state force.
        self.task_force_home = self._state_forces[0] if self._state_forces else self.gn

    def _pool(self, index: int) -> tuple[list[int], list[int]]:
        """Where an officer of this agency may have served before (agencies, cumulative sizes)."""
        me = self.plan.agencies[index]
        if me.dissolved_on is not None:
            return [], []
        if me.state_code is None:  # federal: recruited from state forces
            pool = self._state_forces
        else:
            pool = [i for i in self._by_state.get(me.state_code, []) if i != index]
            pool += self._federal
        return pool, list(accumulate(self.plan.agencies[i].officers for i in pool))

    def career(self, rng: random.Random, home: int) -> Career:
        """One career ending in agency `home` (its last assignment is there)."""
        rand = rng.random
        today = self.today
        roll = rand() * 1000
        status = _STATUS_CUTS[-1][1]
        for cut, name in _STATUS_CUTS:
            if roll < cut:
                status = name
                break
        cuts = self.rank_cuts[home]
        rank = bisect.bisect_right(cuts, rand() * cuts[-1])
        entry_age = 19 + int(16 * rand() * rand())
        limit = max(1.0, 60.0 - entry_age)
        while rank and rank * 1.4 + 0.2 > limit:
            rank -= 1
        years = min(limit, rank * 1.4 + 0.2 + -7.0 * math.log(1.0 - rand()))
        service = int(years * 365.25) + 30
        stop = today if status in _OPEN_STATUSES else today - 1 - int(rand() * rand() * 3650)
        entry = stop - service
        birth = entry - entry_age * 365 - int(rand() * 365)

        # Many joined at a rank above the lowest, or before the registry kept their promotions.
        promotions = rank if rand() < 0.6 else rank // 2
        moves = min(4, int(years / 10 * rand() * 2))
        room = stop - entry - 1
        promotions = min(promotions, room)
        count = promotions + min(moves, room - promotions)
        chosen: set[int] = set()
        while len(chosen) < count:  # distinct days strictly inside the career
            chosen.add(entry + 1 + int(rand() * room))
        days = sorted(chosen)
        kinds = [PROMOTION] * promotions + [
            TRANSFER if rand() < 0.45 else REASSIGNMENT for _ in range(count - promotions)]
        for k in range(count - 1, 0, -1):  # shuffle the kinds over the days
            j = int(rand() * (k + 1))
            kinds[k], kinds[j] = kinds[j], kinds[k]
        # Real careers have time in rank: no promotion within MIN_DAYS_IN_RANK of the last one
        # (or of joining) and no change of posting within MIN_DAYS_IN_POSTING of the last.
        # Events that break the rule are dropped, so such an officer simply joined higher.
        kept_days: list[int] = []
        kept_kinds: list[str] = []
        last_change = last_promotion = entry
        for day, kind in zip(days, kinds, strict=True):
            if day - last_change < MIN_DAYS_IN_POSTING or (
                kind == PROMOTION and day - last_promotion < MIN_DAYS_IN_RANK
            ):
                continue
            kept_days.append(day)
            kept_kinds.append(kind)
            last_change = day
            if kind == PROMOTION:
                last_promotion = day
        days, kinds = kept_days, kept_kinds
        merger = self.merger if home == self.gn else None
        if merger is not None and merger in days:
            at = days.index(merger)  # nothing else may happen on the day of the merger
            del days[at], kinds[at]

        # Walk back from the last assignment: agencies before each transfer, ranks before each
        # promotion. Then forward: units, reasons, and the merger split.
        bounds = [entry, *days, stop]
        agencies = [home] * (len(days) + 1)
        ranks = [rank] * (len(days) + 1)
        for k in range(len(days), 0, -1):
            kind = kinds[k - 1]
            agency, level = agencies[k], ranks[k]
            if kind == PROMOTION:
                level = max(0, level - 1)
            elif kind == TRANSFER:
                pool, weights = self.pools[agency]
                if pool:
                    agency = pool[bisect.bisect_right(weights, rand() * weights[-1])]
                if agency == agencies[k]:
                    kinds[k - 1] = REASSIGNMENT
            agencies[k - 1], ranks[k - 1] = agency, level

        segments: list[Segment] = []
        units = self.units
        unit = -1
        last = len(days)
        for k in range(last + 1):
            agency = agencies[k]
            start_reason = APPOINTMENT if k == 0 else kinds[k - 1]
            if k and agency == agencies[k - 1] and (
                start_reason == PROMOTION and rand() < 0.8 or units[agency] == 1
            ):
                pass  # same unit
            elif k and agency == agencies[k - 1] and start_reason == REASSIGNMENT:
                unit = (unit + 1 + int(rand() * (units[agency] - 1))) % units[agency]
            else:
                unit = int(rand() * units[agency])
            start, end = bounds[k], bounds[k + 1]
            if k < last:
                end_reason: str | None = kinds[k]
            elif status in _OPEN_STATUSES:
                end_reason = None
            elif status == "deceased":
                end_reason = DEATH
            else:
                end_reason = _RETIREMENT if years >= 25 else _EXITS[int(rand() * 2)]
            if merger is not None and agency == self.gn and start < merger:
                if end <= merger:
                    agency = self.pf  # the Guardia did not exist yet: this was the PF
                    unit %= units[agency]
                else:
                    pf_unit = unit % units[self.pf]
                    segments.append(Segment(self.pf, pf_unit, ranks[k], start, merger,
                                            start_reason, MERGER))
                    start, start_reason, unit = merger, MERGER, self.pf_to_gn_unit[pf_unit]
            segments.append(Segment(agency, unit, ranks[k], start,
                                    None if end_reason is None else end, start_reason,
                                    end_reason))
        return Career(status, birth, segments)


def build_rows(
    plan: ForcePlan,
    rng: random.Random,
    today: date,
    now: datetime,
    ids: FirstIds,
    batch_size: int = 20_000,
) -> Iterator[Batch]:
    """Officers with careers, badges and contact data, `batch_size` officers at a time."""
    model = CareerModel(plan, today)
    people = People()
    male, female, surnames = people.male, people.female, people.surnames
    make_curp = people.curp
    second_male = [n for n in male if n.text in _SECOND_NAMES]
    second_female = [n for n in female if n.text in _SECOND_NAMES]
    compound = people.compound
    street_kinds = list(_Addresses.street_prefixes)
    state_codes = list(STATE_POPULATION_2020)
    state_weights = list(accumulate(STATE_POPULATION_2020.values()))
    agencies = plan.agencies
    agency_ids = [ids.agency + i for i in range(len(agencies))]
    unit_base = list(accumulate((len(a.units) for a in agencies), initial=ids.unit))
    # Rank names come from the catalogue of the agency the rank was given in; the merger keeps
    # the Policía Federal's name until the officer's next promotion, as merge_agency does.
    rank_names = [a.ranks for a in agencies]
    badge_next = [1] * len(agencies)
    homes = [i for i, a in enumerate(agencies) for _ in range(a.officers)]
    rng.shuffle(homes)

    rand = rng.random
    seen: set[str] = set()
    officer_id, assignment_id, badge_id, contact_id = (
        ids.officer, ids.assignment, ids.badge, ids.contact)
    fromordinal = date.fromordinal
    batch = Batch([], [], [], [])
    for count, home in enumerate(homes, start=1):
        status, birth, segments = model.career(rng, home)
        sex = "H" if rand() < 0.8 else "M"
        given_list, seconds = (male, second_male) if sex == "H" else (female, second_female)
        given = given_list[int(rand() * len(given_list))]
        if rand() < 0.35:
            also = seconds[int(rand() * len(seconds))]
            if also is not given:
                given = compound(given, also)
        first = surnames[int(rand() * len(surnames))]
        other = surnames[int(rand() * len(surnames))] if rand() < 0.97 else None
        search_name = (f"{first.key} {other.key} {given.key}" if other is not None
                       else f"{first.key} {given.key}")
        state = agencies[home].state_code
        if state is None or rand() < 0.15:
            state = state_codes[bisect.bisect_right(state_weights, rand() * state_weights[-1])]
        born = fromordinal(birth)
        modern = born.year >= 2000
        curp = make_curp(first, other, given, born, sex, state, "A" if modern else "0")
        differentiator = 0
        while curp in seen:  # same initials, birthday, sex and state: RENAPO's 17th character
            differentiator += 1
            mark = chr(65 + differentiator) if modern else str(differentiator)
            curp = make_curp(first, other, given, born, sex, state, mark)
        seen.add(curp)
        batch.officers.append((
            officer_id, curp, given.text, first.text, None if other is None else other.text,
            search_name, born, born.year, sex, status, now, now))

        last = segments[-1]
        if (status == "active" and officer_id % SECONDMENT_EVERY == 0 and last.end is None
                and model.today - last.start > 400):
            # A secondment to a task force, open beside the full-time posting. It comes first
            # among the officer's rows: the trust-control histories read the full-time ones.
            seconded_to = model.gn if last.agency != model.gn else model.task_force_home
            batch.assignments.append((
                assignment_id, officer_id, agency_ids[seconded_to], unit_base[seconded_to],
                rank_names[last.agency][last.rank],
                fromordinal(last.start + 100 + officer_id % 200), None, _TASK_FORCE_REASON,
                None, "active", "task_force", "sworn", None))
            assignment_id += 1
        names = rank_names[segments[0].agency]
        stint_start = segments[0].start
        for i, (agency, unit, rank, start, end, start_reason, end_reason) in enumerate(segments):
            if start_reason in (PROMOTION, TRANSFER):
                names = rank_names[agency]
            posting_status, since = "separated", None
            if end is None:
                posting_status = "active"
                if status == "active" and officer_id % LEAVE_EVERY == 0 and (
                        model.today - start > 60):
                    posting_status = "on_leave"
                    since = fromordinal(max(start + 1, model.today - 1 - officer_id % 50))
            batch.assignments.append((
                assignment_id, officer_id, agency_ids[agency], unit_base[agency] + unit,
                names[rank], fromordinal(start), None if end is None else fromordinal(end),
                start_reason, end_reason, posting_status, "full_time", "sworn", since))
            assignment_id += 1
            if i + 1 == len(segments) or segments[i + 1].agency != agency:
                number = badge_next[agency]
                badge_next[agency] = number + 1
                batch.badges.append((
                    badge_id, officer_id, agency_ids[agency],
                    f"{agencies[agency].badge_prefix}-{number:06d}", fromordinal(stint_start),
                    None if end is None else fromordinal(end)))
                badge_id += 1
                if i + 1 < len(segments):
                    stint_start = segments[i + 1].start

        if rand() < 0.45:
            phone = f"+52 {int(rand() * 900) + 100} {int(rand() * 9_000_000) + 1_000_000:07d}"
            batch.contacts.append((contact_id, officer_id, "phone", phone, "móvil"))
            contact_id += 1
            if rand() < 0.6:
                street = surnames[int(rand() * len(surnames))].text
                kind = street_kinds[int(rand() * len(street_kinds))]
                place = agencies[home].name.removeprefix("Policía Municipal de ")
                address = (f"{kind} {street} {int(rand() * 2000) + 1}, Col. Centro, "
                           f"C.P. {int(rand() * 90000) + 10000:05d} ({place})")
                batch.contacts.append((contact_id, officer_id, "address", address, "domicilio"))
                contact_id += 1
        officer_id += 1
        if count % batch_size == 0:
            yield batch
            batch = Batch([], [], [], [])
    if batch.officers:
        yield batch


def agency_rows(
    plan: ForcePlan, ids: FirstIds, now: datetime
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The agencies (absorbing ones first) and their units, as AGENCY_COLUMNS orders them."""
    by_code = {a.code: ids.agency + i for i, a in enumerate(plan.agencies)}
    agencies = [
        (ids.agency + i, a.code, a.name, a.level.value, a.state_code, a.municipality_key, None,
         by_code[a.merged_into] if a.merged_into else None, a.dissolved_on, now)
        for i, a in enumerate(plan.agencies)
    ]
    units: list[tuple[Any, ...]] = []
    for i, agency in enumerate(plan.agencies):
        for unit in agency.units:
            units.append((ids.unit + len(units), ids.agency + i, unit.code, unit.name, None))
    return agencies, units


def dismissals(batch: Batch) -> None:
    """Name some exits for what they were (ADR 0025): of the careers that ended by a
    separation or a resignation, some were dismissals and some resignations in lieu of one.
    Run after the trust-control histories (whose draws read the reasons), so every other row
    of a seed stays as it was."""
    rows = batch.assignments
    for i, row in enumerate(rows):
        if row[8] in _EXIT_REASONS and (
                i + 1 == len(rows) or rows[i + 1][1] != row[1]):
            residue = row[1] % DISMISSED_EVERY
            if residue < 2:
                rows[i] = (*row[:8], _DISMISSAL if residue == 0 else _IN_LIEU, *row[9:])


#: The status history's rows, as `status_rows` orders their values.
STATUS_COLUMNS = ("officer_status_changes", (
    "id", "officer_id", "status", "effective_on", "reason", "actor", "recorded_at"))
_SINCE_JOINING = "ingreso (registro sintético)"
_LATER = "registro sintético"


def status_rows(batch: Batch, first_id: int, today: date, now: datetime
                ) -> list[tuple[Any, ...]]:
    """Each officer's status history: active from their first posting and, for one whose
    status is another, that status from the end of their career (a separation, a death) or
    from a day of the last year (a suspension, a removal from duty)."""
    first_start: dict[int, date] = {}
    last_end: dict[int, date | None] = {}
    for row in batch.assignments:
        if row[10] != "full_time":
            continue
        oid = row[1]
        if oid not in first_start:
            first_start[oid] = row[5]
        last_end[oid] = row[6]
    out: list[tuple[Any, ...]] = []
    next_id = first_id
    for officer in batch.officers:
        oid, status = officer[0], officer[9]
        joined = first_start[oid]
        out.append((next_id, oid, "active", joined, _SINCE_JOINING, "demo", now))
        next_id += 1
        if status == "active":
            continue
        ended = last_end[oid]
        if ended is None:
            span = max(1, (today - joined).days - 1)
            ended = date.fromordinal(today.toordinal() - 1 - oid % min(span, 365))
        out.append((next_id, oid, status, max(ended, joined), _LATER, "demo", now))
        next_id += 1
    return out
