"""Complaint files of another authority stored as closed, imported cases (ADR 0033).

One complaint is one case; each accused row is an allegation against the officer the linking
found (`rules.complaints_links`: never a guess), or against the accused as the file names them;
the complaint's channel is the case's source, graded "cannot be judged"; the finding and the
discipline the source recorded are kept beside each accused, never as findings decided here,
since the safeguards of a decision made here (ADR 0030) were not applied to them. The files are
read whole before anything is written; the rows go in set-wise, with one audit entry naming the
counts, in one transaction. A complaint already stored from the same source is left as it is,
so a second run of the same files adds nothing.

The review of the accused the linking could not place is here too: a supervisor of internal
affairs attaches them to one of the officers in question, or finds none of them to be them.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from confianza.integrity.rules.complaints import (
    Accusation,
    AccusedIdentity,
    Complaint,
    read_accused,
    read_complaints,
)
from confianza.integrity.rules.complaints_links import (
    UNMATCHED_PREFIX,
    Link,
    LinkOutcome,
    count,
    identity_node,
    link_accused,
    network_key,
)
from confianza.integrity.rules.complaints_mapping import ComplaintMapping
from confianza.integrity.rules.imported import (
    CHANNEL_SOURCES,
    IMPORTED_CREDIBILITY,
    IMPORTED_RELIABILITY,
    AccusedReview,
    Placement,
)
from confianza.integrity.rules.network import CoAccusals, Group, Involvement, Window
from confianza.integrity.rules.stages import Stage
from confianza.registry.rules.roster_file import RosterFile
from confianza.registry.service.agencies import holder_of
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import Transaction, UnitOfWork

#: The tables an import writes, those with a numbered key first.
NUMBERED = ("integrity_imports", "integrity_cases", "integrity_sources",
            "integrity_allegations", "integrity_imported_accused")
UNNUMBERED = ("integrity_imported_cases", "integrity_allegation_sources")
SOURCE_MAX = 32
REVIEW_LIMIT = 200


@dataclass(frozen=True)
class ComplaintFiles:
    """What an import is given: both files decoded, their mappings, where they come from."""

    complaints: RosterFile
    accused: RosterFile
    complaints_mapping: ComplaintMapping
    accused_mapping: ComplaintMapping
    source: str  # a short name of the authority ("chicago"): the complaint keys are its own
    agency_code: str  # the agency whose cases they become
    skip_invalid: bool = False


@dataclass(frozen=True)
class ComplaintImportReport:
    source: str
    complaints: int  # complaints the file holds (rows left out not counted)
    accused_rows: int
    cases_added: int
    accused_added: int
    already_held: int  # complaints stored by an earlier import, left as they were
    identities: dict[LinkOutcome, int] = field(default_factory=dict)  # new rows' people
    rows: dict[LinkOutcome, int] = field(default_factory=dict)
    left_out: tuple[FieldError, ...] = ()
    import_id: int | None = None


def _orphans(complaints: tuple[Complaint, ...], accused: tuple[Accusation, ...],
             source: str) -> list[FieldError]:
    known = {c.key for c in complaints}
    return [FieldError(f"{source}:{a.line}:complaint", f"complaint {a.complaint!r} is not in "
                       "the complaints file") for a in accused if a.complaint not in known]


def read_files(files: ComplaintFiles
               ) -> tuple[tuple[Complaint, ...], tuple[Accusation, ...], list[FieldError]]:
    """Both files read under their mappings: every fault named `file:line:column`, and the
    files refused whole unless rows with faults may be left out."""
    c_read = read_complaints(files.complaints, files.complaints_mapping,
                             skip_invalid=files.skip_invalid)
    a_read = read_accused(files.accused, files.accused_mapping,
                          skip_invalid=files.skip_invalid)
    orphans = _orphans(c_read.records, a_read.records, files.accused.name)
    if orphans and not files.skip_invalid:
        raise ValidationFailed(orphans, f"{files.accused.name}: {len(orphans)} rows name "
                               "complaints the complaints file does not hold")
    known = {c.key for c in c_read.records}
    accused = tuple(a for a in a_read.records if a.complaint in known)
    return c_read.records, accused, [*c_read.left_out, *a_read.left_out, *orphans]


def _cut(text: str | None, most: int) -> str | None:
    return None if text is None else text[:most]


@contextmanager
def _no_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while both files are in memory: an import makes
    about a million small objects and no cycles, and the collector walked them all again and
    again (a third of the import's CPU, as the roster import found: `officer_import._no_gc`)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_complaints(uow: UnitOfWork, actor: Actor, files: ComplaintFiles
                      ) -> ComplaintImportReport:
    """Store the complaints of both files as closed, imported cases of the agency."""
    source = files.source.strip().lower()
    with _no_gc(), uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.COMPLAINTS_IMPORT, "integrity_import", None
    ):
        require(actor, Permission.COMPLAINTS_IMPORT, resource_type="integrity_import")
        if not source or len(source) > SOURCE_MAX:
            raise ValidationFailed(FieldError("source", f"name the source in 1 to "
                                              f"{SOURCE_MAX} characters"))
        agency = tx.agencies.by_code(files.agency_code)
        if agency is None:
            raise ValidationFailed(FieldError("agency", f"no agency has the code "
                                              f"{files.agency_code!r}"))
        require(actor, Permission.COMPLAINTS_IMPORT, holder_of(agency), resource_type="agency",
                resource_id=agency.id)
        complaints, accused, left_out = read_files(files)
        held = tx.integrity.imported_keys(source)
        new = [c for c in complaints if c.key not in held]
        wanted = {c.key for c in new}
        rows = [a for a in accused if a.complaint in wanted]
        people = tx.identities.people()
        links = link_accused((a.identity for a in rows), people, tx.integrity.badges())
        counts = count(links, (a.identity for a in rows))
        report = ComplaintImportReport(
            source, len(complaints), len(accused), len(new), len(rows),
            len(complaints) - len(new), dict(counts.identities), dict(counts.rows),
            tuple(left_out))
        if not new:
            tx.audit.record(actor, AuditAction.COMPLAINTS_IMPORT, "agency", agency.id,
                            detail={**_detail(files, report, len(people)),
                                    **actor.attribution()})
            return report
        import_id = _write(tx, actor, files, source, agency.id, new, rows, links)
        report = ComplaintImportReport(**{**report.__dict__, "import_id": import_id})
        tx.audit.record(actor, AuditAction.COMPLAINTS_IMPORT, "integrity_import", import_id,
                        detail=_detail(files, report, len(people)))
        return report


def _detail(files: ComplaintFiles, report: ComplaintImportReport,
            compared: int) -> dict[str, object]:
    return {
        "source": report.source, "complaints_file": files.complaints.name,
        "complaints_sha256": files.complaints.sha256, "accused_file": files.accused.name,
        "accused_sha256": files.accused.sha256, "cases_added": report.cases_added,
        "accused_added": report.accused_added, "already_held": report.already_held,
        "left_out": len(report.left_out), "registry_compared": compared,
        "linked": report.rows.get(LinkOutcome.LINKED, 0),
        "ambiguous": report.rows.get(LinkOutcome.AMBIGUOUS, 0),
        "unmatched": report.rows.get(LinkOutcome.UNMATCHED, 0),
    }


def _write(tx: Transaction, actor: Actor, files: ComplaintFiles, source: str, agency_id: int,
           complaints: list[Complaint], rows: list[Accusation],
           links: dict[AccusedIdentity, Link]) -> int:
    writer = tx.bulk_writer()
    writer.lock(NUMBERED)
    # The first import into empty tables builds their indexes once, at the end.
    writer.defer_indexes((*NUMBERED, *UNNUMBERED))
    first = {table: writer.next_id(table) for table in NUMBERED}
    import_id = first["integrity_imports"]
    by = actor.username
    # Dates in the form the engine takes them, made once per value (`stored=True` below): a
    # second pass over the 300,000 rows to convert them was a tenth of the import.
    forms = writer.stored_forms
    days: dict[date | None, object] = {None: None}

    def day(value: date | None) -> object:
        found = days.get(value, days)
        if found is days:
            found = days[value] = forms.date(value)  # type: ignore[arg-type]
        return found

    now, today = forms.timestamp(tx.now), tx.today
    writer.insert("integrity_imports", (
        "id", "source", "complaints_file", "complaints_sha256", "accused_file",
        "accused_sha256", "imported_at", "imported_by", "cases", "accused"), [(
            import_id, source, files.complaints.name[:200], files.complaints.sha256,
            files.accused.name[:200], files.accused.sha256, now, by, len(complaints),
            len(rows))], stored=True)
    cases, sources, marks = [], [], []
    # What every row of a complaint shares, made once per complaint: its case and source, and
    # the day and place its allegations carry.
    case_of: dict[str, tuple[int, int, object, str | None]] = {}
    closed = Stage.CLOSED.value
    reliability, credibility = IMPORTED_RELIABILITY.value, IMPORTED_CREDIBILITY.value
    channels = {key: channel.value for key, channel in CHANNEL_SOURCES.items()}
    for i, c in enumerate(complaints):
        case_id, source_id = first["integrity_cases"] + i, first["integrity_sources"] + i
        case_of[c.key] = (case_id, source_id, day(c.incident_date), _cut(c.place, 300))
        ended = day(c.closed_date or c.complaint_date or c.incident_date or today)
        what = f" ({c.case_type})" if c.case_type else ""
        cases.append((case_id, agency_id, closed, ended,
                      f"Complaint {c.key} of {source}{what}, imported", now, by, ended,
                      f"imported from {source}: closed there"))
        received = c.complaint_date or c.incident_date or today
        sources.append((source_id, case_id, channels[c.channel], reliability, credibility,
                        False, False, False, None, None, None, f"complaint {c.key} of {source}",
                        day(received), by, actor.user_id))
        marks.append((case_id, import_id, source, c.key[:64], c.channel, day(c.date)))
    allegations, supports, accused = [], [], []
    # What every row of one accused identity shares, made once per identity (15,000 people
    # in 100,000 rows): the officer, the name and star as kept, the placement, the candidates.
    people: dict[AccusedIdentity, tuple[int | None, str, str | None, tuple[object, ...],
                                        str | None]] = {}
    candidates: dict[AccusedIdentity, str] = {}
    for i, a in enumerate(rows):
        allegation_id = first["integrity_allegations"] + i
        case_id, source_id, occurred, place = case_of[a.complaint]
        who = a.identity
        shared = people.get(who)
        if shared is None:
            link = links[who]
            linked = link.outcome is LinkOutcome.LINKED
            name = " ".join(p for p in (who.given_names, who.first_surname) if p)
            node = identity_node(link, who)  # None: one node per row
            shared = people[who] = (
                link.officer_id if linked else None,
                _cut(name or "unnamed in the file", 200) or "", _cut(who.star, 40),
                (_cut(who.given_names, 200) or "", _cut(who.first_surname, 200) or "",
                 _cut(who.star, 20), who.birth_year, day(who.appointed_date),
                 Placement.of(link.outcome).value),
                None if node is None else node[:300])
            candidates[who] = json.dumps(list(link.candidates))
        officer_id, name, badge, kept, node = shared
        allegations.append((
            allegation_id, case_id, a.allegation, officer_id, name, badge, occurred, place,
            a.allegation_text or a.allegation))
        supports.append((allegation_id, source_id))
        accused.append((
            first["integrity_imported_accused"] + i, allegation_id, case_id, a.key[:64],
            *kept, node or f"{UNMATCHED_PREFIX}row:{a.key}"[:300], candidates[who], a.finding,
            _cut(a.finding_text, 200), _cut(a.allegation_text, 200), _cut(a.discipline, 200),
            None, None))
    writer.insert("integrity_cases", (
        "id", "agency_id", "stage", "stage_since", "summary", "opened_at", "opened_by",
        "closed_on", "closing_note"), cases, stored=True)
    writer.insert("integrity_sources", (
        "id", "case_id", "channel", "reliability", "credibility", "protected", "benefit",
        "coercion_claimed", "reporter_name", "reporter_user_id", "reporter_officer_id",
        "account", "received_on", "relayed_by", "relayed_by_id"), sources, stored=True)
    writer.insert("integrity_imported_cases", (
        "case_id", "import_id", "source", "source_key", "channel", "complained_on"), marks,
        stored=True)
    writer.insert("integrity_allegations", (
        "id", "case_id", "kind", "officer_id", "accused_name", "accused_badge", "occurred_on",
        "place", "summary"), allegations, stored=True)
    writer.insert("integrity_allegation_sources", ("allegation_id", "source_id"), supports)
    writer.insert("integrity_imported_accused", (
        "id", "allegation_id", "case_id", "row_key", "given_names", "surname", "star",
        "birth_year", "appointed_on", "link", "network_key", "candidates", "finding",
        "finding_text", "allegation_text", "discipline", "reviewed_by", "reviewed_at"),
        accused, stored=True)
    writer.finish(NUMBERED, also_written=UNNUMBERED)
    return import_id


# The review list -------------------------------------------------------------------------------
def review_list(uow: UnitOfWork, actor: Actor, *, limit: int = REVIEW_LIMIT
                ) -> list[AccusedReview]:
    """The imported accused waiting for review in the caller's scope (audited)."""
    with uow.transaction() as tx:
        require(actor, Permission.ACCUSED_REVIEW, resource_type="integrity_accused")
        items = tx.integrity.review(actor.scope, limit=max(1, min(limit, 1000)))
        tx.audit.record(actor, AuditAction.ACCUSED_REVIEW_READ, "integrity_accused", None,
                        detail={"shown": len(items), **actor.attribution()})
        return items


def resolve_accused(uow: UnitOfWork, actor: Actor, accused_id: int,
                    officer_id: int | None) -> int:
    """Attach an ambiguous accused (every row of the same identity) to one of the officers in
    question, or, with None, find none of them to be them (the accused stays their own node).
    Returns how many allegations changed."""
    action = AuditAction.ACCUSED_ATTACH if officer_id is not None else (
        AuditAction.ACCUSED_REJECT)
    with uow.transaction() as tx, refusals_recorded(actor, action, "integrity_accused",
                                                    accused_id):
        require(actor, Permission.ACCUSED_REVIEW, resource_type="integrity_accused",
                resource_id=accused_id)
        item = tx.integrity.review_item(accused_id)
        if item is None:
            raise NotFound(f"imported accused {accused_id} does not exist")
        agency = tx.agencies.get(item.agency_id)
        require(actor, Permission.ACCUSED_REVIEW,
                holder_of(agency) if agency is not None else None,
                resource_type="integrity_accused", resource_id=accused_id)
        if item.placement is not Placement.AMBIGUOUS:
            raise Conflict(f"imported accused {accused_id} is {item.placement}, not waiting "
                           "for review")
        if officer_id is not None and officer_id not in item.candidates:
            raise ValidationFailed(FieldError("officer_id", f"officer {officer_id} is not one "
                                              "of the officers in question ("
                                              f"{', '.join(map(str, item.candidates))})"))
        changed = tx.integrity.place(item.network_key, officer_id=officer_id,
                                     by=actor.username, at=tx.now)
        tx.audit.record(actor, action, "integrity_accused", accused_id, detail={
            "officer_id": officer_id, "allegations": changed,
            "complaints": len(item.complaints), **actor.attribution()})
        return changed



# Linking without storing -----------------------------------------------------------------------
@dataclass(frozen=True)
class LinkReport:
    """What linking the files' accused against the registry found, nothing stored."""

    complaints: int
    accused_rows: int
    compared: int  # registry records compared with
    identities: dict[LinkOutcome, int]
    rows: dict[LinkOutcome, int]
    left_out: tuple[FieldError, ...]
    groups: list[Group]


def link_complaints(uow: UnitOfWork, actor: Actor, files: ComplaintFiles, *,
                    groups: int = 0) -> LinkReport:
    """Link the files' accused to the registry's officers and count the outcomes; with
    `groups`, also the largest co-accusal groups of the files (civilian, two shared). The
    registry read is audited as a matching run; nothing else is written."""
    complaints, accused, left_out = read_files(files)
    with uow.transaction() as tx:
        require(actor, Permission.IDENTITY_MATCH, resource_type="officer")
        people = tx.identities.people()
        badges = tx.integrity.badges()
        tx.audit.record(actor, AuditAction.IDENTITY_MATCH_RUN, "officer", None, detail={
            "source": "complaints", "compared": len(people), **actor.attribution()})
    links = link_accused((a.identity for a in accused), people, badges)
    counts = count(links, (a.identity for a in accused))
    found: list[Group] = []
    if groups > 0:
        by_key = {c.key: c for c in complaints}
        network = CoAccusals(
            Involvement(a.complaint, by_key[a.complaint].date, by_key[a.complaint].civilian,
                        network_key(links[a.identity], a.identity, a.key), a.finding)
            for a in accused)
        found = network.groups(Window())[:groups]
    return LinkReport(len(complaints), len(accused), len(people), dict(counts.identities),
                      dict(counts.rows), tuple(left_out), found)
