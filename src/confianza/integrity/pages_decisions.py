"""The commission's finding form as typed, and its refusals in words.

A refused finding (only weak support, a coerced statement waiting for a second person, a
decider the safeguards bar) is shown beside the form it came from, with the finding, the
grounds and what it rests on still chosen: the commission corrects, it does not retype.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData

from confianza.app import rendering as common
from confianza.core.errors import Conflict, DomainError, Forbidden
from confianza.core.web import strings
from confianza.integrity.rules.catalogue import FindingKind
from confianza.integrity.rules.safeguards import SupportKind
from confianza.integrity.service.decisions import GROUNDS_MIN, Relied
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


def refusal(exc: DomainError) -> str:
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
    if where == "finding":
        return strings.TEXT["in_err_choose"]
    return None
