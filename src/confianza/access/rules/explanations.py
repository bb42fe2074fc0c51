"""The explanation rules: each a named, pure test of one read against the facts (ADR 0037).

A rule says why a reader had reason to open an officer's record at that moment, from the work
the registry holds: the exam assigned to the examiner, the decision waiting for the
certification officer, the case assigned to the investigator, the agency's current task about
its officer, the list the reader was working through, the act the read prepared. A read is
explained when any rule explains it; the report counts each rule on its own (a read may have
several explanations) and the reads explained by none, which are what an auditor looks at.

Rules look facts up in maps; none queries anything, so two million reads are a few dictionary
lookups each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from confianza.access.rules.facts import Facts, Reader, TaskKind, any_holds
from confianza.access.rules.reads import Read, Shown
from confianza.accounts.rules.permissions import Role
from confianza.trail.rules import AuditAction

#: A work list explains the reads of its officers for the rest of the working day.
WORK_WINDOW = timedelta(hours=12)
#: A search explains opening one of its results soon after.
SEARCH_WINDOW = timedelta(hours=1)
#: A declared purpose is fulfilled by an act on the same record within this time.
PURPOSE_WINDOW = timedelta(days=14)
#: A read prepares an act by the same person on the same record within a day, or reads back
#: what they have just done.
ACT_AHEAD = timedelta(days=1)
ACT_BEHIND = timedelta(hours=1)
#: An auditor reviews the reads of a record with a declared purpose or exam results, in the
#: month after them.
REVIEW_WINDOW = timedelta(days=30)

Test = Callable[[Read, Reader, Facts], bool]

# Enum members as plain names: looking one up through its class costs a third of a
# microsecond, and these are asked for per read, millions of times a national day.
_WORK, _SEARCH = Shown.WORK, Shown.SEARCH
_HR, _IA_SUPERVISOR = Role.AGENCY_HR, Role.INTERNAL_AFFAIRS_SUPERVISOR
_EVALUATION_TASK = TaskKind.EVALUATION


@dataclass(frozen=True)
class Rule:
    """One kind of explanation: its name (as the command and the report show it), what it
    says in words, the roles whose reads it may explain (None: any role), and its test."""

    name: str
    words: str
    roles: frozenset[Role] | None
    test: Test

    def explains(self, read: Read, reader: Reader, facts: Facts) -> bool:
        if self.roles is not None and reader.role not in self.roles:
            return False
        return self.test(read, reader, facts)


def assigned_exam(read: Read, reader: Reader, facts: Facts) -> bool:
    """The reader is the examiner of one of the officer's exams, from the evaluation's request
    until the result was recorded."""
    if reader.user_id is None:
        return False
    return any_holds(facts.exams.get((reader.user_id, read.officer_id), ()), read.at)


def pending_decision(read: Read, reader: Reader, facts: Facts) -> bool:
    """The officer's evaluation was waiting for a certification officer's decision or its
    confirmation (any certification officer may take it; the one who decided reads it back
    within the grace)."""
    return any_holds(facts.decisions.get(read.officer_id, ()), read.at)


def appeal(read: Read, reader: Reader, facts: Facts) -> bool:
    """An appeal of the officer's was open: its decider reads the file, the agency's HR files
    and follows it (within its scope)."""
    if not any_holds(facts.appeals.get(read.officer_id, ()), read.at):
        return False
    if reader.role is _HR:
        return reader.scope.covers(facts.holder_on(read.officer_id, read.at.date()))
    return True


def evaluation_booking(read: Read, reader: Reader, facts: Facts) -> bool:
    """The officer's evaluation was asked for and not yet under way: the coordinator books
    it."""
    return any_holds(facts.bookings.get(read.officer_id, ()), read.at)


def integrity_case(read: Read, reader: Reader, facts: Facts) -> bool:
    """A case naming the officer was open and the reader is one of its people (assigned to it
    then), the one who took it in, or a supervisor of its agency."""
    for case in facts.cases.get(read.officer_id, ()):
        if not case.span.holds(read.at):
            continue
        if reader.user_id is not None:
            duty = case.people.get(reader.user_id)
            if duty is not None and duty.holds(read.at):
                return True
        if case.opened_by == reader.username:
            return True
        if (reader.role is _IA_SUPERVISOR
                and facts.covers(reader.scope, case.agency_id)):
            return True
    return False


def agency_task(read: Read, reader: Reader, facts: Facts) -> bool:
    """The officer serves in the HR account's agency (its scope) and a task about them was
    current: a notification, a separation (opened by a decision, or proposed by a roster), an
    evaluation the agency asked for, an appeal, a risk flag to review."""
    holder = None
    for task in facts.tasks.get(read.officer_id, ()):
        if not task.span.holds(read.at) or not facts.covers(reader.scope, task.agency_id):
            continue
        if task.kind is _EVALUATION_TASK:
            return True  # an applicant serves nowhere yet: the request is the link
        if holder is None:
            holder = facts.holder_on(read.officer_id, read.at.date())
        if reader.scope.covers(holder):
            return True
    return False


def roster_conflict(read: Read, reader: Reader, facts: Facts) -> bool:
    """A roster had contradicted the officer's record and the conflict waited for the
    registry clerk."""
    return any_holds(facts.conflicts.get(read.officer_id, ()), read.at)


def work_list(read: Read, reader: Reader, facts: Facts) -> bool:
    """A work list (queue, alert list, notifications, pending separations) showed the officer
    to the reader earlier that working day."""
    found = facts.shown.get((read.reader, read.officer_id, _WORK))
    return found is not None and found.within(read.at - WORK_WINDOW, read.at)


def search_result(read: Read, reader: Reader, facts: Facts) -> bool:
    """The reader's search (or a roster page) returned the officer shortly before."""
    found = facts.shown.get((read.reader, read.officer_id, _SEARCH))
    return found is not None and found.within(read.at - SEARCH_WINDOW, read.at)


def purpose_fulfilled(read: Read, reader: Reader, facts: Facts) -> bool:
    """The reader declared a purpose and then acted on the same record (a change, a request,
    a case opened), as the purpose said."""
    if not read.purpose:
        return False
    found = facts.acts.get((read.reader, read.officer_id))
    return found is not None and found.within(read.at, read.at + PURPOSE_WINDOW)


def own_act(read: Read, reader: Reader, facts: Facts) -> bool:
    """The read prepared an act of the reader's on the same record within a day, or read
    back what they had just done."""
    found = facts.acts.get((read.reader, read.officer_id))
    return found is not None and found.within(read.at - ACT_BEHIND, read.at + ACT_AHEAD)


def own_record(read: Read, reader: Reader, facts: Facts) -> bool:
    """The reader read their own record."""
    return read.officer_id in reader.officers


_REVIEWS = frozenset({AuditAction.AUDIT_READ, AuditAction.OFFICER_ACCESS_REPORT,
                      AuditAction.OFFICER_READ, AuditAction.TIMELINE_READ})


def access_review(read: Read, reader: Reader, facts: Facts) -> bool:
    """An auditor looked at the record (or its accesses) after a read of it with a declared
    purpose or exam results, which auditors are shown to review."""
    if read.action not in _REVIEWS:
        return False
    found = facts.sensitive.get(read.officer_id)
    return found is not None and found.within(read.at - REVIEW_WINDOW, read.at)


_R = Role
RULES: tuple[Rule, ...] = (
    Rule("assigned_exam", "the exam was assigned to the examiner",
         frozenset({_R.EXAMINER}), assigned_exam),
    Rule("pending_decision", "the evaluation awaited a certification officer's decision",
         frozenset({_R.CERTIFICATION_OFFICER}), pending_decision),
    Rule("appeal", "an appeal was open", frozenset({_R.CERTIFICATION_OFFICER, _R.AGENCY_HR}),
         appeal),
    Rule("evaluation_booking", "the evaluation waited to be booked at a centre",
         frozenset({_R.CENTRE_COORDINATOR}), evaluation_booking),
    Rule("integrity_case", "an integrity case naming the officer was assigned to the reader",
         frozenset({_R.INTERNAL_AFFAIRS, _R.INTERNAL_AFFAIRS_SUPERVISOR,
                    _R.HONOUR_COMMISSION}), integrity_case),
    Rule("agency_task", "the officer is the HR account's and a task about them was current",
         frozenset({_R.AGENCY_HR}), agency_task),
    Rule("roster_conflict", "a roster conflict about the officer waited for the clerk",
         frozenset({_R.REGISTRY_CLERK}), roster_conflict),
    Rule("work_list", "a work list showed the officer to the reader that day", None,
         work_list),
    Rule("search_result", "opened from the reader's search shortly before", None,
         search_result),
    Rule("purpose_fulfilled", "the declared purpose was fulfilled by a later act", None,
         purpose_fulfilled),
    Rule("own_act", "the reader changed the same record within a day", None, own_act),
    Rule("own_record", "the reader's own record", None, own_record),
    Rule("access_review", "an auditor reviewed a sensitive read of the record",
         frozenset({_R.AUDITOR}), access_review),
)
RULE_NAMES: tuple[str, ...] = tuple(rule.name for rule in RULES)
_BY_NAME = {rule.name: rule for rule in RULES}


def rules_named(names: Iterable[str]) -> tuple[Rule, ...]:
    """The rules of these names, in `RULES` order; KeyError names the first unknown one."""
    wanted = set()
    for name in names:
        if name not in _BY_NAME:
            raise KeyError(name)
        wanted.add(name)
    return tuple(rule for rule in RULES if rule.name in wanted)


def reader_of(read: Read, facts: Facts) -> Reader:
    found = facts.readers.get(read.reader)
    return found if found is not None else Reader(read.reader, None, None)


def explain(read: Read, facts: Facts, rules: Sequence[Rule] = RULES) -> tuple[str, ...]:
    """The names of the rules that explain a read (none: unexplained)."""
    reader = reader_of(read, facts)
    return tuple(rule.name for rule in rules if rule.explains(read, reader, facts))


def for_role(role: Role | None, rules: Sequence[Rule] = RULES) -> tuple[Rule, ...]:
    """The rules that may explain a read by this role, in order (what `Rule.explains` checks
    first, decided once per role rather than once per read)."""
    return tuple(rule for rule in rules if rule.roles is None or role in rule.roles)


#: The rules that most often explain a read, tried first when only whether one does matters
#: (`scoring.Judge`): most of a day's reads come from a work list, and the trail's own rules
#: are a dictionary look-up where the registry's may walk a list of spans.
COMMON_FIRST: tuple[str, ...] = ("work_list", "own_act", "own_record")


def for_judging(role: Role | None) -> tuple[Rule, ...]:
    """`for_role`, the rules of `COMMON_FIRST` first (the order changes no judgement)."""
    mine = for_role(role)
    return (tuple(rule for name in COMMON_FIRST for rule in mine if rule.name == name)
            + tuple(rule for rule in mine if rule.name not in COMMON_FIRST))


#: How the report names the reads of an account the registry does not hold (the console
#: operator, a removed account).
NO_ROLE = "none"


@dataclass
class Tally:
    reads: int = 0
    explained: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)

    def add(self, names: tuple[str, ...]) -> None:
        self.reads += 1
        if names:
            self.explained += 1
            self.by_rule.update(names)

    @property
    def share(self) -> float | None:
        return self.explained / self.reads if self.reads else None


@dataclass(frozen=True)
class Report:
    """The shares explained over a period: overall, by role, and by rule within each."""

    rules: tuple[str, ...]
    overall: Tally
    by_role: Mapping[str, Tally]
    unexplained: tuple[Read, ...]  # the first few, for a look


def tally(reads: Iterable[Read], facts: Facts, rules: Sequence[Rule] = RULES,
          *, keep: int = 20) -> Report:
    """Explain every read and count: the report the command prints."""
    overall = Tally()
    tallies: dict[str, Tally] = {}
    unexplained: list[Read] = []
    by_role: dict[Role | None, tuple[Rule, ...]] = {}
    for read in reads:
        reader = reader_of(read, facts)
        mine = by_role.get(reader.role)
        if mine is None:
            mine = by_role[reader.role] = for_role(reader.role, rules)
        names = tuple(rule.name for rule in mine if rule.test(read, reader, facts))
        role = reader.role.value if reader.role is not None else NO_ROLE
        overall.add(names)
        found = tallies.get(role)
        if found is None:
            found = tallies[role] = Tally()
        found.add(names)
        if not names and len(unexplained) < keep:
            unexplained.append(read)
    return Report(tuple(r.name for r in rules), overall, dict(sorted(tallies.items())),
                  tuple(unexplained))
