"""The intake form as typed: read from a post, written back into the page unchanged when
something is refused, and turned into the intake service's `NewCase` once every choice is one
the service knows.

A clerk takes one complaint (one source) with as many allegations as the caller makes, each
against an officer chosen from a registry search or kept as the name and badge given: an
officer is attached only when the clerk picks them, never by guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from starlette.datastructures import FormData

from confianza.app import rendering as common
from confianza.core.errors import FieldError
from confianza.core.web import strings
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service.cases import NAME_MAX, TEXT_MAX, NewAllegation, NewCase, NewSource
from confianza.vetting.pages.forms import text_of

ALLEGATIONS_MAX = 20  # one call rarely names more; a forged post cannot grow the page past it
SHORT = 300


class Flag(StrEnum):
    PROTECTED = "protected"
    BENEFIT = "benefit"
    COERCION = "coercion"


@dataclass
class TypedAllegation:
    kind: str = ""
    officer: str = ""  # the record number chosen from the search, or blank
    accused_name: str = ""
    accused_badge: str = ""
    summary: str = ""
    occurred_on: str = ""
    place: str = ""
    # Filled by a search: the officers offered to choose from (id, name).
    matches: list[tuple[int, str]] = field(default_factory=list)
    searched: bool = False


@dataclass
class IntakeForm:
    agency: str = ""
    summary: str = ""
    channel: str = ""
    reliability: str = ""
    credibility: str = ""
    reporter_name: str = ""
    account: str = ""
    received_on: str = ""
    flags: set[str] = field(default_factory=set)
    protected_identity: str = ""
    allegations: list[TypedAllegation] = field(default_factory=list)

    @classmethod
    def blank(cls, today: date) -> IntakeForm:
        return cls(received_on=today.isoformat(), allegations=[TypedAllegation()])

    @classmethod
    def read(cls, form: FormData) -> IntakeForm:
        count = common.record_number(text_of(form, "allegations", 4)) or 1
        count = max(1, min(count, ALLEGATIONS_MAX))
        return cls(
            agency=text_of(form, "agency", 20),
            summary=text_of(form, "summary", TEXT_MAX + 1),
            channel=text_of(form, "channel", 40),
            reliability=text_of(form, "reliability", 4),
            credibility=text_of(form, "credibility", 4),
            reporter_name=text_of(form, "reporter_name", NAME_MAX + 1),
            account=text_of(form, "account", TEXT_MAX + 1),
            received_on=text_of(form, "received_on", 20),
            flags={f for f in Flag if text_of(form, f.value, 4)},
            protected_identity=text_of(form, "protected_identity", TEXT_MAX),
            allegations=[TypedAllegation(
                kind=text_of(form, f"a{i}_kind", 40),
                officer=text_of(form, f"a{i}_officer", 20),
                accused_name=text_of(form, f"a{i}_name", NAME_MAX + 1),
                accused_badge=text_of(form, f"a{i}_badge", 41),
                summary=text_of(form, f"a{i}_summary", TEXT_MAX + 1),
                occurred_on=text_of(form, f"a{i}_when", 20),
                place=text_of(form, f"a{i}_where", SHORT + 1),
            ) for i in range(count)])

    def add_allegation(self) -> None:
        if len(self.allegations) < ALLEGATIONS_MAX:
            self.allegations.append(TypedAllegation())

    def remove_allegation(self, index: int) -> None:
        if len(self.allegations) > 1 and 0 <= index < len(self.allegations):
            del self.allegations[index]

    def errors(self) -> list[FieldError]:
        """What the page itself refuses: choices outside the lists and dates that are not
        dates. The service checks the rest (texts, who is named, protection)."""
        found = []
        if common.record_number(self.agency, "agency_id") is None:
            found.append(FieldError("agency_id", "choose one"))
        for where, value, kind in (("sources[0].channel", self.channel, SourceChannel),
                                   ("sources[0].reliability", self.reliability, Reliability),
                                   ("sources[0].credibility", self.credibility, Credibility)):
            if value not in kind.__members__.values():
                found.append(FieldError(where, "choose one"))
        if _day(self.received_on) is None:
            found.append(FieldError("sources[0].received_on", "not a date"))
        for i, typed in enumerate(self.allegations):
            at = f"allegations[{i}]"
            if typed.kind not in AllegationKind.__members__.values():
                found.append(FieldError(f"{at}.kind", "choose one"))
            if typed.occurred_on.strip() and _day(typed.occurred_on) is None:
                found.append(FieldError(f"{at}.occurred_on", "not a date"))
            if typed.officer and common.record_number(typed.officer) is None:
                found.append(FieldError(f"{at}.officer_id", "not a record number"))
        return found

    def to_case(self) -> NewCase:
        """The intake service's request; call only when `errors()` found nothing."""
        protected = Flag.PROTECTED in self.flags
        source = NewSource(
            channel=SourceChannel(self.channel), reliability=Reliability(self.reliability),
            credibility=Credibility(self.credibility), account=self.account,
            received_on=_day(self.received_on) or date.min,
            reporter_name=self.reporter_name.strip() or None, protected=protected,
            benefit=Flag.BENEFIT in self.flags, coercion_claimed=Flag.COERCION in self.flags,
            protected_identity=self.protected_identity.strip() or None)
        return NewCase(
            agency_id=common.record_number(self.agency, "agency_id") or 0,
            summary=self.summary, sources=(source,),
            allegations=tuple(NewAllegation(
                kind=AllegationKind(a.kind), summary=a.summary, sources=(0,),
                officer_id=common.record_number(a.officer) if a.officer else None,
                accused_name=a.accused_name.strip() or None,
                accused_badge=a.accused_badge.strip() or None,
                occurred_on=_day(a.occurred_on) if a.occurred_on.strip() else None,
                place=a.place.strip() or None) for a in self.allegations))


def _day(typed: str) -> date | None:
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class Action:
    """What the button pressed asks: take the case in, or work on the form first."""

    kind: str  # "submit", "add", "remove", "search"
    index: int = 0


def action_of(form: FormData) -> Action:
    pressed = text_of(form, "action", 20)
    kind, _, number = pressed.partition("-")
    if kind in ("remove", "search"):
        index = common.record_number(number)
        if index is not None and index < ALLEGATIONS_MAX:
            return Action(kind, index)
    if kind == "add":
        return Action("add")
    return Action("submit")


def translate(where: str, reason: str) -> str | None:
    """A service's or the page's fault, in the page's words (None: shown as the system says)."""
    field_name = where.rsplit(".", 1)[-1]
    if reason == "choose one":
        return strings.TEXT["in_err_choose"]
    if reason == "not a date":
        return strings.TEXT["in_err_date"]
    if reason == "not a record number" or "does not exist" in reason and \
            field_name == "officer_id":
        return strings.TEXT["in_err_no_officer"]
    if reason == "is required":
        return strings.TEXT["in_err_required"]
    if reason.startswith("say more"):
        least = "".join(c for c in reason if c.isdigit()) or "10"
        return strings.text("in_err_short", min=least)
    if reason.startswith("is longer than"):
        return strings.TEXT["in_err_long"]
    if reason == "is after today":
        return strings.TEXT["in_err_future"]
    if field_name == "officer_id":
        return strings.TEXT["in_err_accused"]
    if field_name == "reporter_name" and "names nobody" in reason:
        return strings.TEXT["in_err_anonymous_named"]
    if field_name == "reporter_name" and "protected" in reason:
        return strings.TEXT["in_err_protected_named"]
    if field_name == "protected_identity":
        return strings.TEXT["in_err_protected_identity"] if "is kept" in reason \
            else strings.TEXT["in_err_identity_unprotected"]
    if field_name == "channel" and "witness" in reason:
        return strings.TEXT["in_err_protection_channel"]
    if field_name in ("sources", "allegations"):
        return strings.TEXT["in_err_required"]
    return None
