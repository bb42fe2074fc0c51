"""The checks over every officer's declarations (issue 20, item 2; ADR 0038).

One transaction reads every officer's declarations (the latest two with their lines) and
service, runs every rule, and writes one audit entry with the counts per rule; the findings
name officers by id and say why in words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.declarations.rules.checks import CheckSettings, Finding, Rule, check_officer
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import UnitOfWork


@dataclass(frozen=True)
class CheckRun:
    findings: list[Finding]
    officers: int        # officers checked (with a declaration or a service)
    declarations: int

    def by_rule(self) -> dict[Rule, list[Finding]]:
        found: dict[Rule, list[Finding]] = {rule: [] for rule in Rule}
        for finding in self.findings:
            found[finding.rule].append(finding)
        return found


def run_checks(uow: UnitOfWork, actor: Actor, settings: CheckSettings) -> CheckRun:
    with uow.transaction() as tx, refusals_recorded(actor, AuditAction.DECLARATION_CHECK,
                                                    "declarations", None):
        require(actor, Permission.DECLARATION_CHECK, resource_type="declarations")
        services = tx.declarations.services()
        findings: list[Finding] = []
        seen: set[int] = set()
        declarations = 0
        for officer_id, held in tx.declarations.for_checks():
            seen.add(officer_id)
            declarations += len(held)
            findings += check_officer(services.get(officer_id), held, tx.today, settings)
        for officer_id, service in services.items():
            if officer_id not in seen:
                findings += check_officer(service, [], tx.today, settings)
        counts = Counter(f.rule.value for f in findings)
        officers = len(seen | services.keys())
        tx.audit.record(actor, AuditAction.DECLARATION_CHECK, "declarations", None,
                        detail={"officers": officers, "declarations": declarations,
                                "findings": {rule.value: counts.get(rule.value, 0)
                                             for rule in Rule},
                                **actor.attribution()})
        return CheckRun(findings, officers, declarations)
