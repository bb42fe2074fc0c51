"""The officer timeline: assignments, evaluations, results, decisions, certificates, appeals and
who accessed the record, on one list, each part only for the roles entitled to it.

One transaction reads everything and writes one audit entry, whose detail names the sections
shown. Reading the timeline needs the officer's record (`officer:identity:read` within the
caller's scope, as the profile does); each further section needs its own permission and is
simply left out for a role without it: asking would only write a refusal for a part the page
never offered.
"""

from __future__ import annotations

from collections.abc import Iterable

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.registry.contracts import Career
from confianza.registry.service.officers import career_holder, career_or_missing
from confianza.timeline.rules import (
    Event,
    Section,
    Timeline,
    access_event,
    appeal_events,
    arrange,
    assignment_events,
    badge_events,
    certification_events,
    decision_events,
    evaluation_events,
    exam_events,
    status_events,
)
from confianza.trail.rules import AuditAction
from confianza.trail.service.access_history import walk_accesses
from confianza.vetting.rules.records import Exam
from confianza.work import Transaction, UnitOfWork

#: The permission each section needs, beyond reading the officer's record.
SECTION_PERMISSION: dict[Section, Permission] = {
    Section.ASSIGNMENTS: Permission.OFFICER_READ,
    Section.EVALUATIONS: Permission.EVALUATION_READ,
    Section.RESULTS: Permission.EVALUATION_RESULTS_READ,
    Section.DECISIONS: Permission.EVALUATION_READ,
    Section.CERTIFICATES: Permission.CUP_READ,
    Section.APPEALS: Permission.EVALUATION_READ,
    Section.ACCESSES: Permission.AUDIT_READ,
}
#: The most recent accesses shown; the access history pages hold the rest.
ACCESS_LIMIT = 30
#: Entries of the trail examined for them at most: finding an entry that names the officer only
#: in its detail scans the trail, and the timeline must stay fast.
ACCESS_SCAN = 20_000
#: ... newest first, in windows that start this small and double, stopping once ACCESS_LIMIT
#: are found: the walk reads every entry of a window about the officer, and in a large window
#: a much-read officer's are thousands, while a rarely-read one's need few, large windows.
ACCESS_WINDOW = 500


def sections_for(actor: Actor) -> tuple[Section, ...]:
    """The sections a role may see (its scope is checked on the officer)."""
    return tuple(s for s in Section if actor.has(SECTION_PERMISSION[s]))


def officer_timeline(
    uow: UnitOfWork, actor: Actor, officer_id: int,
    sections: Iterable[Section] | None = None,
) -> Timeline:
    """The officer's timeline, newest first; `sections` narrows it (a filter), never widens it
    beyond what the caller's role allows."""
    wanted = frozenset(Section) if sections is None else frozenset(sections)
    with uow.transaction() as tx:
        # The role first, so a caller without it learns nothing, not even whether the id exists.
        require(actor, Permission.OFFICER_READ, resource_type="officer", resource_id=officer_id)
        # The officer, postings and badges once: they say who holds the record, and they are
        # the assignments section.
        career = career_or_missing(tx, actor, officer_id)  # OfficerMerged for a merged id
        holder = career_holder(tx, career)
        require(actor, Permission.OFFICER_READ, holder, resource_type="officer",
                resource_id=officer_id)
        shown = tuple(s for s in sections_for(actor) if s in wanted)
        for section in shown:
            require(actor, SECTION_PERMISSION[section], holder, resource_type="officer",
                    resource_id=officer_id)
        events, undated = _events(tx, career, shown)
        examined: int | None = None
        more = False
        if Section.ACCESSES in shown:
            found, examined, more = recent_accesses(tx, officer_id)
            events += found
        tx.audit.record(actor, AuditAction.TIMELINE_READ, "officer", officer_id,
                        detail={"sections": [s.value for s in shown], "events": len(events)})
        return Timeline(career.officer, shown, arrange(events), undated, examined, more)


def _events(tx: Transaction, career: Career,
            shown: tuple[Section, ...]) -> tuple[list[Event], int]:
    """Every event of the sections shown except accesses, and how many facts carry no date.
    Each kind of record is read in one statement for the whole record (never one per
    evaluation), and the agencies the postings did not already name in one more, if any."""
    officer_id = career.officer.id
    events: list[Event] = []
    undated = 0
    reads_evaluations = bool({Section.EVALUATIONS, Section.RESULTS, Section.DECISIONS,
                              Section.APPEALS} & set(shown))
    evaluations = tx.evaluations.of_officer(officer_id) if reads_evaluations else []
    separations = ({s.evaluation_id: s for s in tx.certification.separations_of_officer(
        officer_id)} if Section.DECISIONS in shown and evaluations else {})
    named = {e.agency_id for e in evaluations} | {s.agency_id for s in separations.values()}
    names = {i: a.name for i, a in career.agencies.items()}
    if missing := named - names.keys():
        names.update({i: a.name for i, a in tx.agencies.many(missing).items()})
    if Section.ASSIGNMENTS in shown:
        events += assignment_events(career.assignments, names, career.unit_names)
        events += status_events(tx.officers.status_history(officer_id))
        dated, undated = badge_events(career.badges, names)
        events += dated
    with_results = Section.RESULTS in shown
    exams: dict[int, list[Exam]] = {}
    for x in tx.evaluations.exams_of_officer(officer_id) if with_results and evaluations else ():
        exams.setdefault(x.evaluation_id, []).append(x)
    appeals = ({a.evaluation_id: a for a in tx.evaluations.appeals_of_officer(officer_id)}
               if Section.APPEALS in shown and evaluations else {})
    for e in evaluations:
        if Section.EVALUATIONS in shown:
            events += evaluation_events(e, names.get(e.agency_id), zone=tx.zone)
        if with_results:
            events += exam_events(exams.get(e.id, ()), zone=tx.zone)
        if Section.DECISIONS in shown:
            events += decision_events(e, separations.get(e.id), names, with_grounds=with_results)
        if Section.APPEALS in shown and (appeal := appeals.get(e.id)) is not None:
            events += appeal_events(appeal)
    if Section.CERTIFICATES in shown:
        _, components, certificates = tx.certification.certification(officer_id)
        events += certification_events(components, certificates,
                                       tx.credentials.of_officer(officer_id), tx.today,
                                       zone=tx.zone)
    return events, undated


def recent_accesses(tx: Transaction, officer_id: int) -> tuple[list[Event], int, bool]:
    """The newest accesses to the record, without recording the read (the caller does): the
    events, the oldest entry examined, and whether older ones may exist."""
    top = tx.audit.last_id() + 1
    before: int | None = top
    down_to = top
    found: list[Event] = []
    window = ACCESS_WINDOW
    while before is not None and len(found) < ACCESS_LIMIT and top - before < ACCESS_SCAN:
        lines, before, down_to = walk_accesses(
            tx, officer_id, before, ACCESS_LIMIT - len(found),
            min(window, ACCESS_SCAN - (top - before)))
        found += (access_event(line.entry, line.reach.value, zone=tx.zone) for line in lines)
        window *= 2
    return found, down_to, before is not None
