"""Use case: propose candidate pairs, within the registry or between it and an imported file.

One run is one transaction with one audit entry: the registry's people are read, scored by
the linkage model, and the new pairs stored as proposals. Nothing is merged here; a clerk
decides each pair (`identities.service.decisions`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import FieldError, ValidationFailed
from confianza.identities.contracts import FileSide, NewCandidate
from confianza.identities.rules import linkage
from confianza.identities.rules.people import (
    Person,
    file_line_of,
    from_roster,
    officer_id_of,
)
from confianza.registry.rules.import_mapping import ImportMapping
from confianza.registry.rules.import_rows import RosterRecord, RowConverter
from confianza.registry.rules.roster_file import RosterFile
from confianza.trail.rules import AuditAction
from confianza.work import UnitOfWork


@dataclass(frozen=True)
class MatchReport:
    compared: int  # records on the registry's side
    against: int | None  # people in the file, or None within the registry
    scored: int  # pairs at or above the threshold
    proposed: int  # new proposals stored
    already_known: int  # pairs proposed or decided before, left alone
    rejected_rows: int = 0  # file rows the mapping could not read
    errors: list[FieldError] = field(default_factory=list)


def _check(threshold: float, limit: int | None) -> None:
    if not 0.0 < threshold < 1.0:
        raise ValidationFailed(FieldError("threshold", "must be between 0 and 1 (exclusive)"))
    if limit is not None and limit < 1:
        raise ValidationFailed(FieldError("limit", "must be at least 1"))


def _best(pairs: list[linkage.ScoredPair], limit: int | None) -> list[linkage.ScoredPair]:
    ranked = sorted(pairs, key=lambda p: (-p.probability, p.left, p.right))
    return ranked if limit is None else ranked[:limit]


def _evidence(pair: linkage.ScoredPair, left: Person, right: Person) -> dict[str, object]:
    return {"left": left.evidence(), "right": right.evidence(),
            "comparisons": pair.explanation}


def match_registry(
    uow: UnitOfWork, actor: Actor, *, threshold: float = linkage.DEFAULT_THRESHOLD,
    limit: int | None = None,
) -> MatchReport:
    """Propose pairs of registry officers who may be one person."""
    _check(threshold, limit)
    with uow.transaction() as tx:
        require(actor, Permission.IDENTITY_MATCH, resource_type="officer")
        people = tx.identities.people()
        by_key = {p.key: p for p in people}
        pairs = linkage.score(people, threshold=threshold)
        known = tx.identities.known_pairs()
        new: list[NewCandidate] = []
        skipped = 0
        for pair in _best(pairs, None):
            a, b = officer_id_of(pair.left), officer_id_of(pair.right)
            assert a is not None and b is not None
            low, high = min(a, b), max(a, b)
            if (low, high) in known:
                skipped += 1
                continue
            known.add((low, high))
            left, right = by_key[f"o:{low}"], by_key[f"o:{high}"]
            new.append(NewCandidate(low, high, None, pair.probability, pair.weight,
                                    _evidence(pair, left, right)))
        new = new[:limit] if limit is not None else new
        tx.identities.add_candidates(new, at=tx.now, by=actor.username)
        report = MatchReport(len(people), None, len(pairs), len(new), skipped)
        tx.audit.record(actor, AuditAction.IDENTITY_MATCH_RUN, "officer", None, detail={
            "source": "registry", "threshold": threshold, "compared": report.compared,
            "scored": report.scored, "proposed": report.proposed,
            "already_known": report.already_known, **actor.attribution()})
    return report


def read_file_people(
    roster: RosterFile, mapping: ImportMapping, today: date
) -> tuple[list[Person], dict[str, str], int, list[FieldError]]:
    """The file's people (one per identity key, from their valid rows), each one's key, the
    number of rows left out and why. Rows are read as the import reads them; nothing is
    written."""
    rows = roster.rows(mapping.delimiter)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ValidationFailed(FieldError(f"{roster.name}:1", "the file has no header")) from None
    converter = RowConverter(mapping, header, roster.name, today)
    lenient = _CurpLeniency(mapping, header, converter.labels.get("curp"), roster.name)
    careers: dict[str, list[RosterRecord]] = defaultdict(list)
    errors: list[FieldError] = []
    rejected = 0
    for line, row in rows:
        if not row:
            continue
        record, faults = converter.convert(row, line)
        if record is None:
            record = lenient.retry(converter, row, line, faults)
        if record is None:
            rejected += 1
            errors.extend(faults)
            continue
        careers[record.key].append(record)
    people = []
    keys: dict[str, str] = {}
    for key, records in careers.items():
        found = from_roster(records)
        people.append(found)
        keys[found.key] = key
    if not people:
        raise ValidationFailed(errors or [FieldError(f"{roster.name}:2", "the file has no rows")],
                               f"{roster.name}: no row could be read under the mapping")
    return people, keys, rejected, errors


class _CurpLeniency:
    """A row the import refuses only for its CURP (a mistyped digit breaks the check digit; a
    CURP that encodes another birth date) is still worth matching: such slips are what the
    matcher is for. The row is read again without the CURP, which is then kept as typed."""

    def __init__(self, mapping: ImportMapping, header: Sequence[str], label: str | None,
                 source: str) -> None:
        spec = mapping.fields.get("curp")
        self.index = (header.index(spec.columns[0])
                      if spec is not None and len(spec.columns) == 1
                      and spec.columns[0] in header and mapping.scheme is not None else None)
        self.label = label
        self.source = source

    def retry(self, converter: RowConverter, row: Sequence[str], line: int,
              faults: Sequence[FieldError]) -> RosterRecord | None:
        if self.index is None or self.index >= len(row) or not faults:
            return None
        where = f"{self.source}:{line}:{self.label}"
        if any(fault.location != where for fault in faults):
            return None
        typed = row[self.index].strip().upper()
        record, _ = converter.convert([*row[:self.index], "", *row[self.index + 1:]], line)
        if record is not None and len(typed) == 18 and typed.isalnum():
            record.curp = typed
        return record


def match_file(
    uow: UnitOfWork, actor: Actor, roster: RosterFile, mapping: ImportMapping, *,
    threshold: float = linkage.DEFAULT_THRESHOLD, limit: int | None = None,
) -> MatchReport:
    """Propose pairs of a registry officer and a person of an imported file (read-only use of
    the import's mapping: nothing of the file is registered)."""
    _check(threshold, limit)
    with uow.transaction() as tx:
        require(actor, Permission.IDENTITY_MATCH, resource_type="officer")
        theirs, keys, rejected, errors = read_file_people(roster, mapping, tx.today)
        ours = tx.identities.people()
        by_key = {p.key: p for p in [*ours, *theirs]}
        pairs = linkage.score(ours, theirs, threshold=threshold)
        known = tx.identities.known_file_keys(roster.sha256)
        new: list[NewCandidate] = []
        skipped = 0
        for pair in _best(pairs, None):
            officer_side, file_side = ((pair.left, pair.right) if officer_id_of(pair.left)
                                       is not None else (pair.right, pair.left))
            officer_id, line = officer_id_of(officer_side), file_line_of(file_side)
            assert officer_id is not None and line is not None
            key = keys[file_side]
            if (officer_id, key) in known:
                skipped += 1
                continue
            known.add((officer_id, key))
            side = FileSide(roster.name, roster.sha256, line, key, mapping.scheme)
            new.append(NewCandidate(officer_id, None, side, pair.probability, pair.weight,
                                    _evidence(pair, by_key[officer_side], by_key[file_side])))
        new = new[:limit] if limit is not None else new
        tx.identities.add_candidates(new, at=tx.now, by=actor.username)
        report = MatchReport(len(ours), len(theirs), len(pairs), len(new), skipped,
                             rejected, errors)
        tx.audit.record(actor, AuditAction.IDENTITY_MATCH_RUN, "officer", None, detail={
            "source": "file", "file": roster.name, "sha256": roster.sha256,
            "threshold": threshold, "compared": report.compared, "against": report.against,
            "scored": report.scored, "proposed": report.proposed,
            "already_known": report.already_known, "rejected_rows": rejected,
            **actor.attribution()})
    return report
