"""Each generated officer's trust-control history: whose evaluations, when, and what followed.

See demo/rules/evaluations.py for the rules kept; this module walks one career at a time.
A not-approved decision is followed by the officer's exit (a separation process closed on the
day the career ends) or, when recent, by removal from duty with the process still open, an
agency notification and sometimes an appeal. Certificates (CUP) go to most officers with a
valid approval, and `officer_standing` is derived from the same rows as they are made.
"""

from __future__ import annotations

from typing import Any

from confianza.certification.rules.cup import CupComponent, certificate_number
from confianza.demo.rules.careers import Batch
from confianza.demo.rules.evaluations import (
    _NEW,
    _PERM,
    _PROMO,
    _SPECIAL,
    CUP_SHARE,
    P_CONVERT,
    P_LATE,
    P_RECENT,
    EvaluationMaker,
    TrustBatch,
    _Done,
    _Seg,
)

_NOTICE = ("La evaluación {id} concluyó con resultado no aprobado: el elemento no puede "
           "permanecer en funciones operativas y se inicia el procedimiento de separación.")
_TRUST_CONTROL = CupComponent.TRUST_CONTROL.value
_INITIAL_TRAINING = CupComponent.INITIAL_TRAINING.value
_EXPIRING = tuple((c, c.value) for c in (CupComponent.SKILLS, CupComponent.PERFORMANCE))
_APPEAL = "El elemento impugna el resultado y solicita la revisión de las evaluaciones aplicadas."


class HistoryMaker(EvaluationMaker):
    """Draws the trust-control history of each officer of a batch, in officer order."""

    def rows(self, batch: Batch) -> TrustBatch:
        """The trust-control rows of a batch; may end careers and change statuses in it."""
        out = TrustBatch([], [], [], [], [], [], [], [])
        assignments, badges = batch.assignments, batch.badges
        a = b = 0
        for position, officer in enumerate(batch.officers):
            oid = officer[0]
            first = a
            while a < len(assignments) and assignments[a][1] == oid:
                a += 1
            while b < len(badges) and badges[b][1] == oid:
                b += 1
            self._officer(out, batch, position, first, a, b - 1)
        return out

    def _officer(self, out: TrustBatch, batch: Batch, position: int, a0: int, a1: int,
                 last_badge: int) -> None:
        T, W, rand = self.T, self.W, self.rand
        officer = batch.officers[position]
        oid, status = officer[0], officer[9]
        index = self.agency_index
        # Only the full-time postings make the career; a task force secondment (ADR 0025),
        # first among the officer's rows, runs beside them.
        secondment = a0 if batch.assignments[a0][10] != "full_time" else None
        segs = [_Seg(index[r[2]], r[4], r[5].toordinal(),
                     None if r[6] is None else r[6].toordinal(), r[7], r[8])
                for r in batch.assignments[a0:a1] if r[10] == "full_time"]
        start, end = segs[0].start, segs[-1].end
        fate, na_day = "", 0
        if end is not None:
            reason = segs[-1].end_reason
            if end - start > 240 and end > W + 240 and (
                reason == "separation" and rand() < 0.9 or reason == "resignation" and rand() < 0.5
            ):
                fate, na_day = "left", end - 20 - int(rand() * 100)
        elif T - start > 400 and status in ("active", "removed_from_duty"):
            roll = rand()
            if status == "removed_from_duty":
                if roll < 0.8:
                    fate, na_day = "removed", T - 40 - int(rand() * 290)
            elif roll < P_RECENT:
                fate, na_day = "recent", T - 10 - int(rand() * 80)
            elif roll < P_RECENT + P_CONVERT:
                low, high = max(W + 240, segs[-1].start + 60), T - 150
                if low < high:
                    na_day = low + int(rand() * (high - low))
                    end = na_day + 8 + int(rand() * 120)
                    self._separate(batch, position, a1 - 1, last_badge, end, secondment)
                    segs[-1] = segs[-1]._replace(end=end, end_reason="separation")
                    fate, status = "left", "separated"

        stop = na_day - 180 if fate else (end if end is not None else T)
        events, pending = self._chain(segs, start, stop)
        done = [self._emit(out, oid, seg, kind, day, "approved") for day, kind, seg in events]
        if fate:
            done.append(self._not_approved(out, batch, position, segs, fate, na_day, done))
        elif status == "active" and end is None:
            self._open(out, oid, segs[-1], pending, done)
        decided = [d for d in done if d.status in ("approved", "not_approved")]
        cup_until = self._certificates(out, oid, segs, status, decided, fate)
        if decided:
            last = decided[-1]
            approved = last.status == "approved"
            out.standing.append((
                oid, last.id, last.status, self._on(last.day),
                self._on(last.valid_until) if approved and last.valid_until else None,
                None if cup_until is None else self._on(cup_until)))

    def _separate(self, batch: Batch, position: int, assignment: int, badge: int,
                  day: int, secondment: int | None = None) -> None:
        """End a career on `day`: the officer was separated after a not-approved decision
        (a secondment still open ends with it)."""
        on = self._date(day)
        officer = batch.officers[position]
        batch.officers[position] = (*officer[:9], "separated", *officer[10:])
        ends = [assignment]
        if secondment is not None and batch.assignments[secondment][6] is None:
            ends.append(secondment)
        for index in ends:
            row = batch.assignments[index]
            # A secondment drawn to begin after this end began a month before it instead
            # (the end comes at least two months into the full-time posting).
            start = row[5] if row[5] < on else self._date(day - 30)
            batch.assignments[index] = (*row[:5], start, on, row[7], "separation", "separated",
                                        *row[10:12], None)
        row = batch.badges[badge]
        batch.badges[badge] = (*row[:5], on)

    @staticmethod
    def _seg_at(segs: list[_Seg], day: int) -> _Seg:
        found = segs[0]
        for seg in segs:
            if seg.start > day:
                break
            found = seg
        return found

    def _chain(self, segs: list[_Seg], start: int, stop: int
               ) -> tuple[list[tuple[int, str, _Seg]], tuple[int, str]]:
        """Decided evaluations before `stop`, and the next one due (day, kind)."""
        T, W, rand = self.T, self.W, self.rand
        events: list[tuple[int, str, _Seg]] = []
        if start >= W - 30:
            if start > T - 300 and rand() < 0.5:
                return events, (T + int(rand() * 60), _NEW)  # appointed, not yet evaluated
            day, kind = start - 10 - int(rand() * 65), _NEW
        else:
            # The previous approval, made before the records begin, runs out in the window.
            level = self._level(self._seg_at(segs, W).rank)
            day = W + int(rand() * 365 * self.validity.years_for(level))
            day, kind = max(W, day - int(180 * rand() * rand())), _PERM
        extras: list[tuple[int, str, _Seg | None]] = [
            (s.start - 10 - int(rand() * 35), _PROMO, s) for s in segs
            if s.start_reason == "promotion" and s.start > W and rand() < 0.5]
        if rand() < 0.02:
            special = W + int(rand() * (T - W))
            if special > start + 30:
                extras.append((special, _SPECIAL, None))
        extras.sort(key=lambda e: e[0])
        last = -(10**9)
        while True:
            while extras and extras[0][0] < last + 150:
                extras.pop(0)
            chosen: _Seg | None = None
            if extras and extras[0][0] < day:
                day, kind, chosen = extras.pop(0)
            if day >= stop:
                return events, (day, kind)
            seg = chosen or self._seg_at(segs, day)
            events.append((day, kind, seg))
            last = day
            valid = self._valid_until(day, self._level(seg.rank))
            day = (valid + 10 + int(rand() * 350) if rand() < P_LATE
                   else valid - int(180 * rand() * rand()))
            kind = _PERM

    def _not_approved(self, out: TrustBatch, batch: Batch, position: int, segs: list[_Seg],
                      fate: str, day: int, done: list[_Done]) -> _Done:
        T, rand = self.T, self.rand
        officer = batch.officers[position]
        oid = officer[0]
        appeal = ""
        if fate == "left":
            appeal = "upheld" if rand() < 0.2 else ""
        else:
            roll = rand()
            appeal = ("open" if roll < 0.2 else "upheld" if roll < 0.35 else
                      "overturned" if roll < 0.5 else "")
            if appeal in ("upheld", "overturned") and day > T - 60:
                appeal = "open"  # too recent for the appeal to be decided
        kind = _SPECIAL if rand() < 0.25 else _PERM
        result = self._emit(out, oid, self._seg_at(segs, day), kind, day,
                            "overturned" if appeal == "overturned" else "not_approved")
        confirmed = result.confirmed or day
        agency_id = self.agency_ids[result.agency]
        centre = self.staff.centres[result.centre]
        settled = 0
        if appeal:
            filed = min(T - 1, confirmed + int(rand() * (day + 16 - confirmed)))
            decider = resolution = None
            if appeal != "open":
                others = [c for c in centre.certifiers
                          if c not in (result.decider, result.confirmer)]
                decider = others[int(rand() * len(others))]
                settled = min(T - 1, filed + 10 + int(rand() * 30))
                resolution = ("Se confirma el resultado no aprobado." if appeal == "upheld" else
                              "Se revoca el resultado: las pruebas no sostienen la decisión.")
            out.appeals.append((
                self._id("appeal"), result.id, self.requester[result.agency], self._on(filed),
                _APPEAL, appeal, decider, self._on(settled) if settled else None, resolution))
        end = segs[-1].end
        process: tuple[str, Any, str | None]
        if fate == "left" and end is not None:
            separated = segs[-1].end_reason == "separation"
            process = ("separated" if separated else "withdrawn", self._on(end),
                       "Separado del cargo." if separated else
                       "Renunció antes de concluir el procedimiento.")
        elif appeal == "overturned":
            process = ("withdrawn", self._on(settled), "Resolución revocada en recurso.")
        else:
            process = ("open", None, None)
        # Opened by a not-approved evaluation, never by an integrity case.
        out.separations.append((self._id("separation"), oid, agency_id, result.id,
                                self._on(confirmed), *process, None))
        read = self._at(confirmed + 1, 9) if fate == "left" or rand() < 0.5 else None
        out.notifications.append((
            self._id("notification"), agency_id, oid, result.id, "not_approved",
            _NOTICE.format(id=result.id), self._at(confirmed, 18), read))
        if fate != "left":
            status = "active" if appeal == "overturned" else "removed_from_duty"
            batch.officers[position] = (*officer[:9], status, *officer[10:])
        return result

    def _open(self, out: TrustBatch, oid: int, seg: _Seg, pending: tuple[int, str],
              done: list[_Done]) -> None:
        """The evaluation under way today, if the next one due has been requested."""
        T, rand = self.T, self.rand
        due, kind = pending
        requested = due - 25 - int(rand() * 55)
        state = ""
        decider = None
        if requested < T:
            if requested + 2 + int(rand() * 5) > T:
                state = "requested"
            elif requested + 20 >= T:
                state = "scheduled"
            else:
                state = "awaiting_confirmation" if rand() < 0.1 else "awaiting_decision"
        elif (self.demo_quota and done and done[-1].status == "approved"
              and self.staff.centre_of_agency[seg.agency] == self.demo_centre
              and T < (done[-1].valid_until or 0) <= T + 180):
            state, decider = self.demo_quota.pop(0)
            requested = T - 3 - int(rand() * 5) if state == "scheduled" else T - 35
            if state == "scheduled":
                self._emit(out, oid, seg, kind, due, state, requested=requested, demo=True)
                return
        if state:
            self._emit(out, oid, seg, kind, due, state, requested=requested, decider=decider)

    def _certificates(self, out: TrustBatch, oid: int, segs: list[_Seg], status: str,
                      decided: list[_Done], fate: str) -> int | None:
        """CUP components and certificates; the current certificate's end, if any."""
        T, rand = self.T, self.rand
        approvals = [d for d in decided if d.status == "approved"]
        if fate in ("recent", "removed") and decided[-1].status == "not_approved":
            if len(approvals) and rand() < 0.7:
                earlier = approvals[-1]
                ended = decided[-1].confirmed or decided[-1].day
                if earlier.valid_until and earlier.valid_until > ended:
                    self._certificate(out, oid, earlier, segs, 1, ended, "revoked")
            return None
        if status not in ("active", "suspended") or not decided:
            return None
        last = decided[-1]
        if last.status != "approved" or (last.valid_until or 0) < T or rand() >= CUP_SHARE:
            return None
        serial = 1
        if len(approvals) > 1 and rand() < 0.5:
            # An earlier certificate: it lasted until its approval ran out or a newer one came.
            earlier, serial = approvals[-2], 2
            replaced = min(last.day + 5, T)
            ends = earlier.valid_until or earlier.day
            self._certificate(out, oid, earlier, segs, 1, min(ends, replaced),
                              "expired" if ends <= replaced else "replaced")
        return self._certificate(out, oid, last, segs, serial, None, "")

    def _certificate(self, out: TrustBatch, oid: int, trust: _Done, segs: list[_Seg],
                     serial: int, ended: int | None, reason: str) -> int:
        """A certificate over this trust-control approval; current unless it ended."""
        T, rand = self.T, self.rand
        centre = self.staff.centres[trust.centre]
        by = centre.usernames.get(trust.decider or 0, self.requester[trust.agency])
        valid = trust.valid_until or trust.day
        add = out.components.append
        add((self._id("component"), oid, _TRUST_CONTROL, self._on(trust.day),
             self._on(valid), None, None, trust.id, by, self._at(trust.day, 18)))
        issued = trust.day + 5 + int(rand() * 30)
        hr = self.requester[trust.agency]
        if serial == 1:
            trained = segs[0].start - 20 - int(rand() * 180)
            add((self._id("component"), oid, _INITIAL_TRAINING,
                 self._on(trained), None, 972 + int(rand() * 250), None, None, hr,
                 self._at(trained, 12)))
        if ended is None:
            for component, name in _EXPIRING:
                done_on = T - 30 - int(rand() * 800)
                until = self._component_until(component, done_on)
                add((self._id("component"), oid, name, self._on(done_on),
                     self._on(until), None, 60 + int(rand() * 41), None, hr,
                     self._at(done_on, 12)))
                valid = min(valid, until)
                issued = max(issued, done_on + 1)
            issued = min(issued, T)
        number = certificate_number(oid, self._date(issued), serial)
        out.certificates.append((self._id("certificate"), number, oid, self._on(issued),
                                 self._on(valid), None if ended is None else self._on(ended),
                                 reason or None))
        return valid

    def _component_until(self, component: CupComponent, done_on: int) -> int:
        key = (component, done_on)
        found = self._until.get(key)
        if found is None:
            until = self.cup.valid_until(component, self._date(done_on))
            assert until is not None  # skills and performance expire
            found = self._until[key] = until.toordinal()
        return found

