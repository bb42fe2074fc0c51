"""The commission's forms as typed (finding, sanction, appeal decision, HR's appeal), what the
case file offers each of its people after the findings, and the refusals in words.

A refused finding (only weak support, a coerced statement waiting for a second person, a
decider the safeguards bar) is shown beside the form it came from, with the finding, the
grounds and what it rests on still chosen: the commission corrects, it does not retype. The
sanction and appeal forms keep what was typed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from starlette.datastructures import FormData

from confianza.app import rendering as common
from confianza.core.errors import Conflict, DomainError, Forbidden
from confianza.core.web import strings
from confianza.core.web.strings.integrity_decisions import IN_APPEAL_OUTCOME
from confianza.integrity.rules.catalogue import (
    TRUST_CONTROL_KINDS,
    AppealOutcome,
    Duty,
    FindingKind,
    SanctionKind,
)
from confianza.integrity.rules.safeguards import SupportKind
from confianza.integrity.rules.stages import DEADLINES, Stage, appeal_open
from confianza.integrity.service.cases import CaseFile
from confianza.integrity.service.decisions import DAYS_MAX, GROUNDS_MIN, Relied
from confianza.vetting.pages.forms import text_of, texts_of

GROUNDS_MAX = 4000

#: A refusal's code (the safeguards' and the service's), in the page's words.
REFUSALS = {
    "rests_on_nothing": "in_ref_rests_on_nothing",
    "only_weak_support": "in_ref_only_weak_support",
    "contradicting": "in_ref_contradicting",
    "source": "in_ref_source",
    "subject": "in_ref_subject",
    "investigator": "in_ref_investigator",
    "chain_of_command": "in_ref_chain_of_command",
    "first_decider": "in_ref_first_decider",
    "same_person": "in_ref_same_person",
    "stage": "in_ref_stage",
    "already_decided": "in_ref_already_decided",
    "confirmed": "in_ref_confirmed",
    "nothing_sustained": "in_ref_nothing_sustained",
    "already_sanctioned": "in_ref_already_sanctioned",
    "findings_missing": "in_ref_findings_missing",
    "second_person": "in_ref_second_person",
    "appeal_period": "in_ref_appeal_period",
    "not_sustained": "in_ref_not_sustained",
    "kind": "in_ref_kind",
    "unmatched": "in_ref_unmatched",
    "already_requested": "in_ref_already_requested",
    "not_serving": "in_ref_not_serving",
}


@dataclass
class TypedFinding:
    allegation_id: int
    finding: str = ""
    grounds: str = ""
    relied: set[str] = field(default_factory=set)  # "source-3", "evidence-7"

    @classmethod
    def read(cls, form: FormData, allegation_id: int) -> TypedFinding:
        return cls(allegation_id, text_of(form, "finding", 20),
                   text_of(form, "grounds", GROUNDS_MAX + 1),
                   set(texts_of(form, "relied_on", 30)))

    @property
    def kind(self) -> FindingKind | None:
        known = FindingKind.__members__.values()
        return FindingKind(self.finding) if self.finding in known else None

    def relied_on(self) -> list[Relied]:
        """What the finding rests on as the service names it; values no form offers are left
        out (the service checks the rest belongs to the allegation)."""
        chosen = []
        for value in sorted(self.relied):
            kind, _, number = value.partition("-")
            record = common.record_number(number)
            if kind in SupportKind.__members__.values() and record is not None:
                chosen.append(Relied(SupportKind(kind), record))
        return chosen


@dataclass
class TypedSanction:
    officer: str = ""
    kind: str = ""
    days: str = ""
    grounds: str = ""

    @classmethod
    def read(cls, form: FormData) -> TypedSanction:
        return cls(text_of(form, "officer_id", 30), text_of(form, "kind", 20),
                   text_of(form, "days", 10), text_of(form, "grounds", GROUNDS_MAX + 1))

    @property
    def sanction(self) -> SanctionKind | None:
        return SanctionKind(self.kind) if self.kind in SanctionKind.__members__.values() \
            else None

    @property
    def officer_id(self) -> int | None:
        return common.record_number(self.officer)

    def day_count(self) -> int | None:
        """The days as typed, when they are a number; anything else reaches the service as
        none, which names the field when the sanction needs them."""
        typed = self.days.strip()
        return int(typed) if typed.isascii() and typed.isdecimal() and len(typed) < 6 else None


@dataclass
class TypedGrounds:
    """The resolution of an appeal (with its outcome), or the grounds HR files it on."""

    outcome: str = ""
    text: str = ""

    @classmethod
    def read(cls, form: FormData, name: str) -> TypedGrounds:
        return cls(text_of(form, "outcome", 20), text_of(form, name, GROUNDS_MAX + 1))

    @property
    def appeal_outcome(self) -> AppealOutcome | None:
        return AppealOutcome(self.outcome) \
            if self.outcome in AppealOutcome.__members__.values() else None


def appeal_until(sanctioned_on: date) -> date:
    """The last day an appeal against a sanction decided on `sanctioned_on` may be filed."""
    return sanctioned_on + timedelta(days=DEADLINES.appeal_days)


def after_findings(found: CaseFile, today: date) -> dict[str, Any]:
    """What the case file shows and offers after the findings: the officers a decider may still
    sanction, the findings that may ask for a special evaluation, the appeal's deadline and
    whether a final dismissal opened the separation. Forms are offered by duty and stage only
    to spare dead ends: the services decide, and record every refusal."""
    stage = found.case.stage
    deciding = Duty.DECIDER in found.duties
    in_effect = [v for v in found.allegations
                 if v.finding is not None and v.finding.in_effect
                 and v.finding.finding is FindingKind.SUSTAINED]
    every_found = all(v.finding is not None and v.finding.in_effect for v in found.allegations)
    sanctioned = {s.officer_id for s in found.sanctions}
    to_sanction = sorted({v.allegation.officer_id for v in in_effect
                          if v.allegation.officer_id is not None} - sanctioned)
    special = [v for v in in_effect if v.allegation.kind in TRUST_CONTROL_KINDS
               and v.allegation.officer_id is not None and v.finding is not None
               and v.finding.special_evaluation_id is None]
    sanctioned_on = min((s.decided_on for s in found.sanctions), default=None)
    appeal = found.appeal
    final_dismissal = stage is Stage.CLOSED and any(
        s.kind is SanctionKind.DISMISSAL for s in found.sanctions) and (
        appeal is None or appeal.outcome is AppealOutcome.UPHELD)
    return {
        "sanctioning": deciding and stage in (Stage.FINDING, Stage.SANCTION) and every_found
        and bool(to_sanction),
        "to_sanction": to_sanction,
        "special_offered": [v.allegation.id for v in special] if deciding else [],
        "special_asked": [(v.allegation.id, v.finding.special_evaluation_id)
                          for v in found.allegations if v.finding is not None
                          and v.finding.special_evaluation_id is not None],
        "appeal_deciding": Duty.APPEAL_DECIDER in found.duties and stage is Stage.APPEAL,
        "appeal_until": appeal_until(sanctioned_on) if sanctioned_on else None,
        "appeal_open": stage is Stage.SANCTION and sanctioned_on is not None
        and appeal_open(sanctioned_on, today),
        "final_dismissal": final_dismissal,
        "days_max": DAYS_MAX,
        "sanction_kinds": list(SanctionKind),
        "outcomes": list(AppealOutcome),
        "outcome_label": IN_APPEAL_OUTCOME,
    }


def refusal(exc: DomainError, *, stage: str = "in_ref_stage") -> str:
    """A refusal in the page's words; `stage`: what "not at this stage" means on this form."""
    if exc.code == "stage":
        return strings.TEXT[stage]
    key = REFUSALS.get(exc.code or "")
    if key is not None:
        return strings.TEXT[key]
    if isinstance(exc, Forbidden):
        return strings.TEXT["in_ref_not_yours"]
    if isinstance(exc, Conflict):
        return strings.TEXT["in_ref_state"]
    return strings.TEXT["in_ref_state"]


def translate(where: str, reason: str) -> str | None:
    if where == "grounds":
        if reason.startswith("is longer than"):
            return strings.TEXT["in_err_long"]
        return strings.text("in_err_grounds", min=GROUNDS_MIN)
    if where == "relied_on":
        return strings.TEXT["in_err_relied_on"]
    if where in ("finding", "kind", "outcome", "officer_id"):
        return strings.TEXT["in_err_choose"]
    if where == "days":
        return strings.text("in_err_days", max=DAYS_MAX)
    if where in ("resolution", "text"):
        if reason.startswith("is longer than"):
            return strings.TEXT["in_err_long"]
        return strings.text("in_err_grounds", min=GROUNDS_MIN)
    return None
