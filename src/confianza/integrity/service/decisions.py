"""Findings, their second person, sanctions, appeals, and what they set in motion.

Every safeguard is enforced here, at the one place a decision is written (ADR 0030): the
decider is one of the case's deciders and passes `check_may_act` at the moment of deciding; a
sustained finding rests on something that can stand; a finding resting on a statement the
officer says was coerced waits for a second decider; the appeal goes to a third person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require, require_person
from confianza.core.errors import Conflict, ErrorCollector, NotFound
from confianza.integrity.rules.catalogue import (
    TRUST_CONTROL_KINDS,
    AppealOutcome,
    Duty,
    FindingKind,
    LinkKind,
    SanctionKind,
)
from confianza.integrity.rules.records import Case
from confianza.integrity.rules.safeguards import (
    SafeguardRefused,
    Support,
    SupportKind,
    check_may_act,
    check_second_person,
    check_sustainable,
    needs_second_person,
)
from confianza.integrity.rules.stages import Stage, appeal_open, move
from confianza.integrity.service.access import (
    assigned_officer,
    case_holder,
    case_people,
    load_case,
    person,
    require_file,
)
from confianza.integrity.service.cases import CaseFile, _text, case_file
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.vetting.rules.records import SeparationStatus
from confianza.vetting.service.evaluations import open_special_evaluation
from confianza.work import Transaction, UnitOfWork

GROUNDS_MIN = 20
DECIDER = frozenset({Duty.DECIDER})
APPEAL_DECIDER = frozenset({Duty.APPEAL_DECIDER})
DAYS_MAX = 90


@dataclass(frozen=True)
class Relied:
    """One thing a finding says it rests on, as the caller names it."""

    kind: SupportKind
    id: int


def _decider(tx: Transaction, actor: Actor, case_id: int, duties: frozenset[Duty],
             duty: Duty) -> tuple[Case, int]:
    """The case, locked, for one of its deciders (a named person, never the console), who must
    still pass the safeguards; returns the case and the decider's user id."""
    case = load_case(tx, case_id, lock=True)
    user_id = require_person(actor, Permission.CASE_DECIDE, case_holder(tx, case),
                             resource_type="integrity_case", resource_id=case_id)
    require_file(tx, actor, case, Permission.CASE_DECIDE, duties)
    people = case_people(tx, case_id)
    check_may_act(person(tx, user_id, assigned_officer(tx, case_id, user_id), people), duty,
                  people)
    return case, user_id


def _supports(tx: Transaction, case_id: int, allegation_id: int,
              relied_on: Sequence[Relied]) -> list[Support]:
    """What the finding rests on, each checked to belong to the allegation: its own sources,
    and evidence linked to it."""
    allegation = next((a for a in tx.integrity.allegations(case_id) if a.id == allegation_id),
                      None)
    if allegation is None:
        raise NotFound(f"allegation {allegation_id} is not in case {case_id}")
    sources = {s.id: s for s in tx.integrity.sources(case_id)}
    linked = {k.evidence_id: k.kind for k in tx.integrity.links(case_id)
              if k.allegation_id == allegation_id and k.evidence_id is not None}
    errors = ErrorCollector()
    supports = []
    for i, item in enumerate(relied_on):
        if item.kind is SupportKind.SOURCE:
            if item.id not in allegation.source_ids:
                errors.add(f"relied_on[{i}]", f"source {item.id} is not a source of "
                           f"allegation {allegation_id}")
                continue
            facts = sources[item.id].facts
            supports.append(Support(item.kind, item.id, facts.weakness,
                                    facts.coercion_claimed))
        else:
            if item.id not in linked:
                errors.add(f"relied_on[{i}]", f"evidence {item.id} is not linked to "
                           f"allegation {allegation_id}")
                continue
            supports.append(Support(item.kind, item.id))
    errors.raise_if_any()
    return supports


def record_finding(uow: UnitOfWork, actor: Actor, case_id: int, allegation_id: int,
                   finding: FindingKind, grounds: str,
                   relied_on: Sequence[Relied] = ()) -> CaseFile:
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_FINDING, "integrity_case", case_id
    ):
        case, user_id = _decider(tx, actor, case_id, DECIDER, Duty.DECIDER)
        if case.stage is not Stage.FINDING:
            raise Conflict(f"case {case_id} is in stage {case.stage}: findings are recorded "
                           "once the investigation is submitted", code="stage")
        errors = ErrorCollector()
        kept = _text(errors, "grounds", grounds, least=GROUNDS_MIN)
        errors.raise_if_any()
        if any(f.allegation_id == allegation_id for f in tx.integrity.findings(case_id)):
            raise Conflict(f"allegation {allegation_id} already has its finding",
                           code="already_decided")
        supports = _supports(tx, case_id, allegation_id, relied_on)
        if finding is FindingKind.SUSTAINED:
            contradicting = {k.evidence_id for k in tx.integrity.links(case_id)
                             if k.allegation_id == allegation_id
                             and k.kind is LinkKind.CONTRADICTS}
            if any(s.kind is SupportKind.EVIDENCE and s.id in contradicting for s in supports):
                raise SafeguardRefused("a sustained finding cannot rest on evidence that "
                                       "contradicts the allegation", code="contradicting")
        check_sustainable(finding, supports)
        second = needs_second_person(finding, supports)
        finding_id = tx.integrity.add_finding(
            allegation_id=allegation_id, finding=finding, grounds=kept or "",
            relied_on=supports, decided_by_id=user_id, decided_by=actor.username,
            decided_at=tx.now, needs_second=second)
        tx.audit.record(actor, AuditAction.CASE_FINDING, "integrity_case", case_id, detail={
            "finding_id": finding_id, "allegation_id": allegation_id,
            "finding": finding.value, "needs_second": second})
        return case_file(tx, load_case(tx, case_id), DECIDER)


def confirm_finding(uow: UnitOfWork, actor: Actor, case_id: int, finding_id: int) -> CaseFile:
    """The second person: another decider of the case confirms a finding that rests on a
    statement the officer says was coerced."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_FINDING_CONFIRM, "integrity_case", case_id
    ):
        case, user_id = _decider(tx, actor, case_id, DECIDER, Duty.DECIDER)
        found = next((f for f in tx.integrity.findings(case_id) if f.id == finding_id), None)
        if found is None:
            raise NotFound(f"finding {finding_id} is not in case {case_id}")
        if not found.needs_second or found.confirmed_by_id is not None:
            raise Conflict(f"finding {finding_id} needs no confirmation", code="confirmed")
        check_second_person(found.decided_by_id, user_id)
        tx.integrity.confirm_finding(finding_id, by=user_id, at=tx.now)
        tx.audit.record(actor, AuditAction.CASE_FINDING_CONFIRM, "integrity_case", case_id,
                        detail={"finding_id": finding_id})
        return case_file(tx, load_case(tx, case_id), DECIDER)


def _sustained_officers(tx: Transaction, case_id: int) -> set[int]:
    """The officers with a sustained finding in effect in the case; refuses while a finding is
    missing or waits for its second person."""
    allegations = tx.integrity.allegations(case_id)
    findings = {f.allegation_id: f for f in tx.integrity.findings(case_id)}
    missing = [a.id for a in allegations if a.id not in findings]
    if missing:
        raise Conflict(f"allegations {missing} have no finding yet", code="findings_missing")
    waiting = [f.id for f in findings.values() if not f.in_effect]
    if waiting:
        raise Conflict(f"findings {waiting} wait for a second decider", code="second_person")
    return {a.officer_id for a in allegations if a.officer_id is not None
            and findings[a.id].finding is FindingKind.SUSTAINED}


def record_sanction(uow: UnitOfWork, actor: Actor, case_id: int, officer_id: int,
                    kind: SanctionKind | None, grounds: str, days: int | None = None
                    ) -> CaseFile:
    """The sanction of an officer with a sustained finding in effect. `kind` None is a form
    that named no known sanction: refused naming the field, and the refusal recorded."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_SANCTION, "integrity_case", case_id
    ):
        case, user_id = _decider(tx, actor, case_id, DECIDER, Duty.DECIDER)
        if case.stage not in (Stage.FINDING, Stage.SANCTION):
            raise Conflict(f"case {case_id} is in stage {case.stage}: a sanction follows the "
                           "findings", code="stage")
        errors = ErrorCollector()
        if kind is None:
            errors.add("kind", "must be one of: " + ", ".join(SanctionKind))
        kept = _text(errors, "grounds", grounds, least=GROUNDS_MIN)
        timed = kind in (SanctionKind.ARREST, SanctionKind.SUSPENSION)
        if timed and (days is None or not 1 <= days <= DAYS_MAX):
            errors.add("days", f"a {kind} lasts 1 to {DAYS_MAX} days")
        if kind is not None and not timed and days is not None:
            errors.add("days", f"a {kind} has no length in days")
        errors.raise_if_any()
        assert kind is not None
        if officer_id not in _sustained_officers(tx, case_id):
            raise SafeguardRefused(f"officer {officer_id} has no sustained finding in case "
                                   f"{case_id}: there is nothing to sanction",
                                   code="nothing_sustained")
        if any(s.officer_id == officer_id for s in tx.integrity.sanctions(case_id)):
            raise Conflict(f"officer {officer_id} is already sanctioned in this case",
                           code="already_sanctioned")
        sanction_id = tx.integrity.add_sanction(
            case_id=case_id, officer_id=officer_id, kind=kind, days=days, grounds=kept or "",
            decided_by_id=user_id, decided_by=actor.username, decided_on=tx.today)
        if case.stage is Stage.FINDING:
            tx.integrity.set_stage(case_id, move(case.stage, Stage.SANCTION), tx.today)
        tx.audit.record(actor, AuditAction.CASE_SANCTION, "integrity_case", case_id, detail={
            "sanction_id": sanction_id, "officer_id": officer_id, "kind": kind.value})
        return case_file(tx, load_case(tx, case_id), DECIDER)


def file_appeal(uow: UnitOfWork, actor: Actor, case_id: int, grounds: str) -> CaseFile:
    """The officer's appeal against the sanction, filed for them by their agency's HR within
    the appeal period."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_APPEAL_FILE, "integrity_case", case_id
    ):
        case = load_case(tx, case_id, lock=True)
        require(actor, Permission.CASE_APPEAL_FILE, case_holder(tx, case),
                resource_type="integrity_case", resource_id=case_id)
        if case.stage is not Stage.SANCTION:
            raise Conflict(f"case {case_id} is in stage {case.stage}: an appeal is filed "
                           "against a sanction", code="stage")
        if not appeal_open(case.stage_since, tx.today):
            raise Conflict("the appeal period is over", code="appeal_period")
        errors = ErrorCollector()
        kept = _text(errors, "grounds", grounds, least=GROUNDS_MIN)
        errors.raise_if_any()
        appeal_id = tx.integrity.add_appeal(case_id=case_id, filed_on=tx.today,
                                            filed_by=actor.username, grounds=kept or "")
        tx.integrity.set_stage(case_id, move(case.stage, Stage.APPEAL), tx.today)
        tx.audit.record(actor, AuditAction.CASE_APPEAL_FILE, "integrity_case", case_id,
                        detail={"appeal_id": appeal_id})
        return case_file(tx, load_case(tx, case_id), frozenset())


def decide_appeal(uow: UnitOfWork, actor: Actor, case_id: int,
                  outcome: AppealOutcome | None, resolution: str) -> CaseFile:
    """A third person decides the appeal; a dismissal that stands opens the separation.
    `outcome` None is a form that named no known outcome: refused naming the field, and the
    refusal recorded, once the caller is known to be the appeal's decider."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_APPEAL_DECIDE, "integrity_case", case_id
    ):
        case, user_id = _decider(tx, actor, case_id, APPEAL_DECIDER, Duty.APPEAL_DECIDER)
        if case.stage is not Stage.APPEAL:
            raise Conflict(f"case {case_id} is in stage {case.stage}: there is no appeal to "
                           "decide", code="stage")
        errors = ErrorCollector()
        if outcome is None:
            errors.add("outcome", "must be one of: " + ", ".join(AppealOutcome))
        kept = _text(errors, "resolution", resolution, least=GROUNDS_MIN)
        errors.raise_if_any()
        assert outcome is not None
        tx.integrity.decide_appeal(case_id, outcome=outcome, by=user_id, on=tx.today,
                                   resolution=kept or "")
        tx.audit.record(actor, AuditAction.CASE_APPEAL_DECIDE, "integrity_case", case_id,
                        detail={"outcome": outcome.value})
        if outcome is AppealOutcome.UPHELD:
            _separate_dismissed(tx, actor, case)
        tx.integrity.set_stage(case_id, move(case.stage, Stage.CLOSED), tx.today,
                               closing_note=f"appeal {outcome.value}")
        return case_file(tx, load_case(tx, case_id), APPEAL_DECIDER)


def close_case(uow: UnitOfWork, actor: Actor, case_id: int, note: str) -> CaseFile:
    """A decider closes the case: after findings with nothing sustained, or once the appeal
    period of the sanctions ran out without an appeal (a dismissal then opens the
    separation)."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_MOVE, "integrity_case", case_id
    ):
        case, _ = _decider(tx, actor, case_id, DECIDER, Duty.DECIDER)
        errors = ErrorCollector()
        kept = _text(errors, "note", note)
        errors.raise_if_any()
        if case.stage is Stage.FINDING:
            if _sustained_officers(tx, case_id):
                raise Conflict("some allegation is sustained: the sanction is decided first",
                               code="sanction_due")
        elif case.stage is Stage.SANCTION:
            if appeal_open(case.stage_since, tx.today):
                raise Conflict("an appeal may still be filed; the case closes when the period "
                               "is over", code="appeal_period")
            _separate_dismissed(tx, actor, case)
        stage = move(case.stage, Stage.CLOSED)
        tx.integrity.set_stage(case_id, stage, tx.today, closing_note=kept)
        tx.audit.record(actor, AuditAction.CASE_MOVE, "integrity_case", case_id,
                        detail={"from": case.stage.value, "to": stage.value})
        return case_file(tx, load_case(tx, case_id), DECIDER)


def _separate_dismissed(tx: Transaction, actor: Actor, case: Case) -> None:
    """A final dismissal opens the existing separation process at the officer's agency."""
    for sanction in tx.integrity.sanctions(case.id):
        if sanction.kind is not SanctionKind.DISMISSAL:
            continue
        serving = [a for a in tx.officers.assignments(sanction.officer_id)
                   if a.end_date is None]
        if not serving:
            continue
        process_id = tx.certification.add_separation(
            officer_id=sanction.officer_id, agency_id=serving[0].agency_id,
            evaluation_id=None, integrity_case_id=case.id, opened_on=tx.today,
            status=SeparationStatus.OPEN)
        tx.audit.record(actor, AuditAction.SEPARATION_OPEN, "separation", process_id,
                        detail={"officer_id": sanction.officer_id,
                                "integrity_case_id": case.id})


def request_special_evaluation(uow: UnitOfWork, actor: Actor, case_id: int,
                               allegation_id: int, *, policy: WorkflowPolicy) -> int:
    """A sustained finding of a kind the trust-control law names asks for a special
    trust-control evaluation of the officer, through the vetting workflow; returns its id."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EVALUATION_REQUEST, "integrity_case", case_id
    ):
        _decider(tx, actor, case_id, DECIDER, Duty.DECIDER)
        allegation = next((a for a in tx.integrity.allegations(case_id)
                           if a.id == allegation_id), None)
        found = next((f for f in tx.integrity.findings(case_id)
                      if f.allegation_id == allegation_id), None)
        if allegation is None:
            raise NotFound(f"allegation {allegation_id} is not in case {case_id}")
        if found is None or found.finding is not FindingKind.SUSTAINED or not found.in_effect:
            raise Conflict("only a sustained finding in effect asks for a special evaluation",
                           code="not_sustained")
        if allegation.kind not in TRUST_CONTROL_KINDS:
            raise Conflict(f"a finding of {allegation.kind} does not bear on trust control",
                           code="kind")
        if allegation.officer_id is None:
            raise Conflict("the accused is not attached to a registry officer",
                           code="unmatched")
        if found.special_evaluation_id is not None:
            raise Conflict(f"evaluation {found.special_evaluation_id} was already asked for",
                           code="already_requested")
        serving = [a for a in tx.officers.assignments(allegation.officer_id)
                   if a.end_date is None]
        if not serving:
            raise Conflict(f"officer {allegation.officer_id} holds no posting",
                           code="not_serving")
        evaluation_id = open_special_evaluation(
            tx, actor, allegation.officer_id, serving[0].agency_id,
            f"Sustained finding on allegation {allegation_id} ({allegation.kind}) of "
            f"integrity case {case_id}", policy=policy)
        tx.integrity.set_special_evaluation(found.id, evaluation_id)
        return evaluation_id
