"""The checks over every officer's declarations (issue 20, item 2; ADR 0038).

One transaction reads every officer's declarations (the latest two with their lines) and
service, runs every rule, and writes one audit entry with the counts per rule; the findings
name officers by id and say why in words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.memory import collector_held_off
from confianza.core.work import Part, usable_cpus
from confianza.declarations.contracts import DeclarationStore
from confianza.declarations.rules.checks import CheckSettings, Finding, Rule, check_officer
from confianza.declarations.service.demo import DEMO_ACTOR, planted_cases
from confianza.demo.rules.declarations import SHAPES
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import InParts, UnitOfWork


@dataclass(frozen=True)
class CheckRun:
    findings: list[Finding]
    officers: int        # officers checked (with a declaration or a service)
    declarations: int
    #: The demo's planted officers by shape, when the registry is the demo's (else empty).
    planted: dict[str, list[int]] = field(default_factory=dict)

    def by_rule(self) -> dict[Rule, list[Finding]]:
        found: dict[Rule, list[Finding]] = {rule: [] for rule in Rule}
        for finding in self.findings:
            found[finding.rule].append(finding)
        return found

    def against_planted(self) -> list[PlantedScore]:
        """Per rule: of the officers planted with the shape it exists for, how many it
        flags; of the officers planted with nothing, how many it flags."""
        if not self.planted:
            return []
        everyone_planted = {o for officers in self.planted.values() for o in officers}
        others = self.officers - len(everyone_planted)
        scores = []
        for rule, findings in self.by_rule().items():
            flagged = {f.officer_id for f in findings}
            shapes = [s for s, r in SHAPES.items() if r is rule]
            mine = {o for s in shapes for o in self.planted.get(s, [])}
            scores.append(PlantedScore(rule, shapes, len(mine), len(mine & flagged),
                                       others, len(flagged - everyone_planted)))
        return scores


@dataclass(frozen=True)
class PlantedScore:
    rule: Rule
    shapes: list[str]
    planted: int
    found: int
    others: int
    others_flagged: int


#: From this many declarations on, the checks run in parts, one process per CPU (at most
#: `MAX_PARTS`): reading the national registry's lines and checking them is a minute and more
#: of one CPU (ADR 0038, addendum 6). Below it, starting the processes costs more than it saves.
PARALLEL_FROM = 100_000
MAX_PARTS = 4


@dataclass(frozen=True)
class _Checked:
    """What one part's checks found (or the whole registry's)."""

    findings: list[Finding]
    officers: int
    declarations: int


def run_checks(uow: UnitOfWork, actor: Actor, settings: CheckSettings, *,
               in_parts: InParts | None = None, parts: int | None = None) -> CheckRun:
    """Every rule over every officer; with `in_parts`, a national registry is checked in
    `parts` processes (by default one per usable CPU), each over its share of the officers.
    Every officer's declarations, service and pay are read together in one part, so an
    officer is checked against one view of their records."""
    with collector_held_off(), uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.DECLARATION_CHECK, "declarations", None):
        require(actor, Permission.DECLARATION_CHECK, resource_type="declarations")
        today = tx.today
        if in_parts is None:
            parts = 1
        elif parts is None:
            parts = (min(usable_cpus(), MAX_PARTS)
                     if tx.declarations.count() >= PARALLEL_FROM else 1)
        if in_parts is not None and parts > 1:
            done = in_parts(_check_part, (today, settings), parts)
        else:
            done = [_check(tx.declarations, None, today, settings)]
        findings = [f for checked in done for f in checked.findings]
        officers = sum(checked.officers for checked in done)
        declarations = sum(checked.declarations for checked in done)
        counts = Counter(f.rule.value for f in findings)
        demo = tx.audit.by_actor(DEMO_ACTOR, action_prefix=AuditAction.DECLARATION_DEMO.value,
                                 limit=1)
        tx.audit.record(actor, AuditAction.DECLARATION_CHECK, "declarations", None,
                        detail={"officers": officers, "declarations": declarations,
                                "findings": {rule.value: counts.get(rule.value, 0)
                                             for rule in Rule},
                                **actor.attribution()})
        return CheckRun(findings, officers, declarations,
                        planted_cases(demo[0].detail) if demo else {})


def _check_part(uow: UnitOfWork, part: Part, argument: tuple[date, CheckSettings]
                ) -> _Checked:
    """One part's checks, in a process of its own (`InParts`): read-only, the audit entry is
    the caller's."""
    today, settings = argument
    with collector_held_off(), uow.transaction(read_only=True, snapshot=True) as tx:
        return _check(tx.declarations, part, today, settings)


def _check(store: DeclarationStore, part: Part | None, today: date, settings: CheckSettings
           ) -> _Checked:
    services = store.services(part=part)
    payroll = store.payroll(part=part)  # imported pay by officer and year, if any
    findings: list[Finding] = []
    seen: set[int] = set()
    declarations = 0
    for officer_id, held in store.for_checks(part=part):
        seen.add(officer_id)
        declarations += len(held)
        findings += check_officer(services.get(officer_id), held, today, settings,
                                  payroll.get(officer_id))
    for officer_id, service in services.items():
        if officer_id not in seen:
            findings += check_officer(service, [], today, settings)
    return _Checked(findings, len(seen | services.keys()), declarations)
