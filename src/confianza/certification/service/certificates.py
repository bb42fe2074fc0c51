"""The single police certificate (CUP): its components, issuance and end.

A certificate is issued when all four components are valid and ends ("expired", "revoked" or
"replaced" by one with a new end date) when they stop being so. `refresh_certificate` is called
inside every transaction that changes a component or the trust-control standing, so that the
certificates and the officer's standing row never disagree with the components.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from confianza.accounts.rules.permissions import Actor, Holder, Permission
from confianza.accounts.service.authorization import require
from confianza.certification.rules.cup import (
    ComponentRecord,
    CupComponent,
    certificate_number,
    certificate_until,
)
from confianza.certification.rules.decisions import Verdict
from confianza.core.errors import Conflict, NotFound
from confianza.credentials import service as credentials
from confianza.credentials.rules.issuer import Issuer
from confianza.registry.rules.officers import OfficerStatus
from confianza.trail.rules import AuditAction, PendingEntry
from confianza.trail.service.refusals import refusals_recorded
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.vetting.rules.records import Certificate, Component, Standing
from confianza.work import Transaction, UnitOfWork

SWEEP_BATCH = 5_000


@dataclass(frozen=True)
class CertificationView:
    officer_id: int
    standing: Standing | None
    components: list[Component]
    certificates: list[Certificate]

    @property
    def current(self) -> Certificate | None:
        return next((c for c in self.certificates if c.ended_on is None), None)


def current_components(tx: Transaction, officer_id: int) -> dict[CupComponent, ComponentRecord]:
    """The latest record of each component that still counts. Trust control counts only when
    it comes from the evaluation that stands now (a later not-approved voids it)."""
    standing = tx.certification.standing(officer_id)
    found: dict[CupComponent, ComponentRecord] = {}
    for c in tx.certification.components(officer_id):  # newest first
        if c.component in found:
            continue
        if c.component is CupComponent.TRUST_CONTROL and (
            standing is None or standing.approved_until is None
            or c.evaluation_id != standing.last_evaluation_id
        ):
            continue
        found[c.component] = ComponentRecord(c.component, c.completed_on, c.valid_until)
    return found


def refresh_certificate(tx: Transaction, actor: Actor, officer_id: int, *,
                        issuer: Issuer | None, ending: str = "expired") -> Certificate | None:
    """Bring the officer's certificate in line with its components: issue, replace or end it.
    `ending` names why a certificate that no longer holds ends ("revoked" after a not-approved
    decision, "expired" otherwise)."""
    until = certificate_until(current_components(tx, officer_id), tx.today)
    current = tx.certification.current_certificate(officer_id)
    if current is not None and until == current.valid_until:
        return current
    if current is not None:
        reason = "replaced" if until is not None else ending
        tx.certification.end_certificate(current.id, tx.today, reason)
        tx.audit.record(actor, AuditAction.CUP_END, "certificate", current.id,
                        detail={"officer_id": officer_id, "reason": reason})
        credentials.certificate_ended(tx, actor, current.id, reason)
    issued = None
    if until is not None:
        serial = tx.certification.certificate_count(officer_id) + 1
        number = certificate_number(officer_id, tx.today, serial)
        certificate_id = tx.certification.add_certificate(
            number=number, officer_id=officer_id, issued_on=tx.today, valid_until=until,
        )
        issued = Certificate(certificate_id, number, officer_id, tx.today, until, None, None)
        tx.audit.record(actor, AuditAction.CUP_ISSUE, "certificate", certificate_id,
                        detail={"officer_id": officer_id, "number": number,
                                "valid_until": until.isoformat()})
    tx.certification.set_cup_until(officer_id, until)
    if issued is not None:
        credentials.issue_for_officer(tx, actor, officer_id, issuer)
    return issued


def grant_trust_control(tx: Transaction, actor: Actor, officer_id: int, evaluation_id: int,
                        decided_on: date, valid_until: date, issuer: Issuer | None) -> None:
    """An approval stands: record it as the officer's standing and as the CUP's trust-control
    component, then refresh the certificate."""
    tx.certification.set_standing(
        officer_id, last_evaluation_id=evaluation_id, last_verdict=Verdict.APPROVED,
        last_decided_on=decided_on, approved_until=valid_until,
    )
    component_id = tx.certification.add_component(
        officer_id=officer_id, component=CupComponent.TRUST_CONTROL,
        completed_on=decided_on, valid_until=valid_until, hours=None, score=None,
        evaluation_id=evaluation_id, recorded_by=actor.username,
        recorded_at=tx.now,
    )
    tx.audit.record(actor, AuditAction.CUP_COMPONENT_RECORD, "certificate_component",
                    component_id, detail={"officer_id": officer_id,
                                          "component": CupComponent.TRUST_CONTROL.value})
    refresh_certificate(tx, actor, officer_id, issuer=issuer)


def record_component(
    uow: UnitOfWork, actor: Actor, officer_id: int, component: CupComponent,
    completed_on: date, *, policy: WorkflowPolicy, issuer: Issuer | None,
    hours: int | None = None, score: int | None = None,
) -> CertificationView:
    """Record a skills test, a performance evaluation or the initial training."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CUP_COMPONENT_RECORD, "officer", officer_id
    ):
        officer = tx.officers.get(officer_id)
        if officer is None:
            raise NotFound(f"officer {officer_id} does not exist")
        require(actor, Permission.CUP_WRITE, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        if officer.status in (OfficerStatus.SEPARATED, OfficerStatus.DECEASED):
            raise Conflict(f"officer {officer_id} is {officer.status}")
        policy.cup.check_component(component, completed_on, tx.today, hours, score)
        tx.officers.lock(officer_id)
        component_id = tx.certification.add_component(
            officer_id=officer_id, component=component,
            completed_on=completed_on,
            valid_until=policy.cup.valid_until(component, completed_on),
            hours=hours, score=score, evaluation_id=None,
            recorded_by=actor.username, recorded_at=tx.now,
        )
        tx.audit.record(actor, AuditAction.CUP_COMPONENT_RECORD, "certificate_component",
                        component_id, detail={"officer_id": officer_id,
                                              "component": component.value})
        refresh_certificate(tx, actor, officer_id, issuer=issuer)
        return certification_view(tx, officer_id)


def certification_view(tx: Transaction, officer_id: int) -> CertificationView:
    """An officer's standing, components and certificates, read inside the caller's
    transaction (which decides and records the read), in one statement."""
    return CertificationView(officer_id, *tx.certification.certification(officer_id))


def officer_certification(uow: UnitOfWork, actor: Actor, officer_id: int) -> CertificationView:
    """An officer's standing, CUP components and certificates."""
    with uow.transaction() as tx:
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        require(actor, Permission.CUP_READ, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        tx.audit.record(actor, AuditAction.CUP_READ, "officer", officer_id)
        return certification_view(tx, officer_id)


def sweep_certificates(uow: UnitOfWork, actor: Actor) -> int:
    """Record the expiry of every certificate whose end date has passed (run daily); returns
    how many ended. Each expiry is an audit entry of its own."""
    ended = 0
    while True:
        with uow.transaction() as tx:
            # Every certificate in the country: a national account (or the console's cron job).
            require(actor, Permission.CUP_WRITE, Holder(), resource_type="certificate")
            lapsed = tx.certification.lapsed_certificates(tx.today, SWEEP_BATCH)
            for certificate in lapsed:
                # Valid through its last day; it ends the day after. The standing keeps the
                # past end date, which the lists already read as "no valid certificate".
                tx.certification.end_certificate(
                    certificate.id, certificate.valid_until + timedelta(days=1), "expired"
                )
            tx.audit.write_many([
                PendingEntry(actor.username, actor.kind.value, AuditAction.CUP_END,
                             "certificate", str(c.id),
                             detail={"officer_id": c.officer_id, "reason": "expired",
                                     **actor.attribution()})
                for c in lapsed
            ])
        ended += len(lapsed)
        if len(lapsed) < SWEEP_BATCH:
            return ended
