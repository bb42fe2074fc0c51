"""The checks over every officer's declarations (issue 20, item 2; ADR 0038).

One transaction reads every officer's declarations (the latest two with their lines) and
service, runs every rule, and writes one audit entry with the counts per rule; the findings
name officers by id and say why in words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.declarations.rules.checks import CheckSettings, Finding, Rule, check_officer
from confianza.declarations.service.demo import DEMO_ACTOR, planted_cases
from confianza.demo.rules.declarations import SHAPES
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import UnitOfWork


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


def run_checks(uow: UnitOfWork, actor: Actor, settings: CheckSettings) -> CheckRun:
    with uow.transaction() as tx, refusals_recorded(actor, AuditAction.DECLARATION_CHECK,
                                                    "declarations", None):
        require(actor, Permission.DECLARATION_CHECK, resource_type="declarations")
        services = tx.declarations.services()
        payroll = tx.declarations.payroll()  # imported pay by officer and year, if any
        findings: list[Finding] = []
        seen: set[int] = set()
        declarations = 0
        for officer_id, held in tx.declarations.for_checks():
            seen.add(officer_id)
            declarations += len(held)
            findings += check_officer(services.get(officer_id), held, tx.today, settings,
                                      payroll.get(officer_id))
        for officer_id, service in services.items():
            if officer_id not in seen:
                findings += check_officer(service, [], tx.today, settings)
        counts = Counter(f.rule.value for f in findings)
        demo = tx.audit.by_actor(DEMO_ACTOR, action_prefix=AuditAction.DECLARATION_DEMO.value,
                                 limit=1)
        officers = len(seen | services.keys())
        tx.audit.record(actor, AuditAction.DECLARATION_CHECK, "declarations", None,
                        detail={"officers": officers, "declarations": declarations,
                                "findings": {rule.value: counts.get(rule.value, 0)
                                             for rule in Rule},
                                **actor.attribution()})
        return CheckRun(findings, officers, declarations,
                        planted_cases(demo[0].detail) if demo else {})
