"""An imported payroll beside the pay scale (issue 20, item 1; ADR 0038, addendum 4).

`import_payroll` reads a payroll file (and, when its rows name officers by the other
authority's id, that authority's profiles) under a mapping, links each person to a registry
officer by CURP or, by identity, exactly as the integrity import links an accused
(`complaints_links.Linker`: the names and two of birth year, appointment day and star, nothing
disagreeing; a name alone never links), and stores the linked rows in one transaction. Rows of
people who match no officer, or several, are counted and named, never guessed. A file with any
faulty row is refused whole with every fault named, unless the rows at fault may be left out
(`skip_invalid`, as `officers import --skip-invalid`). A second edition of the same payroll
replaces that payroll's rows for the years it holds. One audit entry, with the counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import FieldError, ValidationFailed
from confianza.declarations.rules.money import in_pesos
from confianza.declarations.rules.payroll import (
    PayRow,
    against_service,
    read_payroll,
    read_profiles,
)
from confianza.declarations.rules.payroll_mapping import OfficerBy, PayrollMapping
from confianza.integrity.rules.complaints import AccusedIdentity
from confianza.integrity.rules.complaints_links import Link, LinkOutcome, link_accused
from confianza.registry.rules.roster_file import RosterFile
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import Transaction, UnitOfWork

#: Rows of unlinked people named in the report (all are counted).
NAMED_UNLINKED = 200


@dataclass(frozen=True)
class PayrollFiles:
    payroll: RosterFile
    mapping: PayrollMapping
    profiles: RosterFile | None = None  # needed when the mapping names officers by profile
    skip_invalid: bool = False


@dataclass(frozen=True)
class Unlinked:
    """A row whose person is no officer of the registry, or more than one."""

    location: str  # file:line
    outcome: LinkOutcome  # ambiguous or unmatched
    reason: str
    candidates: tuple[int, ...] = ()


@dataclass(frozen=True)
class PayrollReport:
    source: str
    file: str
    sha256: str
    rows: int  # rows of the file read (with or without faults)
    stored: int  # rows stored (linked, without faults)
    replaced: int  # rows of an earlier edition replaced
    officers: int  # officers the stored rows are of
    years: tuple[int, ...]
    outcomes: dict[LinkOutcome, int] = field(default_factory=dict)  # rows by link outcome
    unlinked: tuple[Unlinked, ...] = ()  # the first NAMED_UNLINKED
    left_out: tuple[FieldError, ...] = ()  # faults of the rows left out (skip_invalid)
    profile_faults: tuple[FieldError, ...] = ()  # profiles left out (their rows unmatched)


def _who(files: PayrollFiles, rows: Sequence[PayRow], tx: Transaction
         ) -> tuple[list[Link], list[FieldError]]:
    """Each row's link to the registry, in the rows' order, and the profiles' faults."""
    mapping = files.mapping
    if mapping.by is OfficerBy.CURP:
        found = tx.declarations.declarants([r.key for r in rows if r.key])
        return [Link(LinkOutcome.LINKED, found[r.key].officer_id, reason="CURP")
                if r.key in found else Link(LinkOutcome.UNMATCHED,
                                            reason=f"no officer has the CURP {r.key}")
                for r in rows], []
    identities: list[AccusedIdentity | None]
    profile_faults: list[FieldError] = []
    if mapping.by is OfficerBy.PROFILE:
        if files.profiles is None:
            raise ValidationFailed(FieldError("profiles", f"the mapping {mapping.source} names "
                                              "officers by the profiles' key: give the "
                                              "profiles file"))
        profiles, profile_faults = read_profiles(files.profiles, mapping, tx.today)
        identities = [profiles.get(r.key or "") for r in rows]
    else:
        identities = [r.identity for r in rows]
    # The integrity import's own linking, over the registry as the identity matching reads it.
    links = link_accused((i for i in identities if i is not None), tx.identities.people(),
                         tx.integrity.badges())
    none = Link(LinkOutcome.UNMATCHED, reason="the profiles file has no such key")
    return [links[i] if i is not None else none for i in identities], profile_faults


def import_payroll(uow: UnitOfWork, actor: Actor, files: PayrollFiles,
                   rates: Mapping[str, Decimal]) -> PayrollReport:
    """Store the payroll's linked rows (see the module's rules)."""
    mapping = files.mapping
    with uow.transaction() as tx, refusals_recorded(actor, AuditAction.PAYROLL_IMPORT,
                                                    "payroll", None):
        require(actor, Permission.DECLARATION_IMPORT, resource_type="payroll")
        read = read_payroll(files.payroll, mapping, rates, tx.today)
        links, profile_faults = _who(files, read.rows, tx)
        linked = [(row, link.officer_id) for row, link in zip(read.rows, links, strict=True)
                  if link.outcome is LinkOutcome.LINKED and link.officer_id is not None]
        services = tx.declarations.services(sorted({o for _, o in linked}))
        service_faults = against_service(linked, services, files.payroll.name, mapping)
        faults = [*read.faults, *service_faults]
        if faults and not files.skip_invalid:
            raise ValidationFailed(faults, f"{files.payroll.name}: {len(faults)} faults in "
                                   f"{_rows_of(faults)} rows, nothing imported "
                                   "(--skip-invalid imports the rows without faults)")
        bad_lines = {_line(f) for f in service_faults}
        keep = [(row, officer) for row, officer in linked if row.line not in bad_lines]
        name, sha = files.payroll.name, files.payroll.sha256
        stored = [(officer, row.year, format(row.gross, "f"), row.currency,
                   in_pesos(row.gross, row.currency, rates), name[:200], sha, row.line)
                  for row, officer in keep]
        replaced = tx.declarations.replace_payroll(mapping.name, stored, by=actor.username,
                                                   at=tx.now)
        outcomes = Counter(link.outcome for link in links)
        unlinked = tuple(
            Unlinked(f"{name}:{row.line}", link.outcome, link.reason, link.candidates)
            for row, link in zip(read.rows, links, strict=True)
            if link.outcome is not LinkOutcome.LINKED)
        report = PayrollReport(
            mapping.name, name, sha, len(read.rows) + _rows_of(read.faults), len(stored),
            replaced, len({o for _, o in keep}), tuple(sorted({r.year for r, _ in keep})),
            dict(outcomes), unlinked[:NAMED_UNLINKED], tuple(faults), tuple(profile_faults))
        tx.audit.record(actor, AuditAction.PAYROLL_IMPORT, "payroll", None, detail={
            "source": mapping.name, "file": name, "sha256": sha, "mapping": mapping.source,
            "profiles_file": files.profiles.name if files.profiles else None,
            "profiles_sha256": files.profiles.sha256 if files.profiles else None,
            "rows": report.rows, "stored": report.stored, "replaced": replaced,
            "officers": report.officers,
            "linked": outcomes.get(LinkOutcome.LINKED, 0),
            "ambiguous": outcomes.get(LinkOutcome.AMBIGUOUS, 0),
            "unmatched": outcomes.get(LinkOutcome.UNMATCHED, 0),
            "left_out": _rows_of(faults), **actor.attribution()})
        return report


def _line(fault: FieldError) -> int:
    # `file:line:column`; the file's name may itself hold a colon, the last two parts never.
    return int(fault.location.rsplit(":", 2)[-2])


def _rows_of(faults: Sequence[FieldError]) -> int:
    return len({fault.location.rsplit(":", 1)[0] for fault in faults})
