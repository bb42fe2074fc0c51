"""Bodies of the officer timeline route: dated events of the sections the caller may see."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from confianza.core.web.schemas import Instant, Output
from confianza.timeline.rules import EventKind, FieldValue, Section, Timeline


class TimelineEventOut(Output):
    on: date = Field(description="The day it happened.")
    at: Instant | None = Field(description="The moment, where the record keeps one (UTC).")
    kind: EventKind
    section: Section
    ref: int | None = Field(description="The id of the record it comes from (an assignment, "
                                        "evaluation, exam, certificate, appeal, credential, "
                                        "or an audit entry's id).")
    fields: dict[str, FieldValue] = Field(description="The event's summary, named per kind "
                                                      "(see confianza.timeline.rules).")


class TimelineOut(Output):
    officer_id: int
    name: str
    sections: list[Section] = Field(description="The sections included: those asked for that "
                                                "the caller's role may see.")
    events: list[TimelineEventOut] = Field(description="Newest first.")
    undated: int = Field(description="Facts without a date (badges recorded without their "
                                     "period), which have no place on the timeline.")
    accesses_examined_down_to: int | None = Field(
        description="With the accesses section: the oldest entry of the trail examined "
                    "(1: the whole trail). The access history routes page further back.")
    accesses_more: bool = Field(description="Older accesses may exist beyond those shown.")

    @classmethod
    def of(cls, t: Timeline) -> TimelineOut:
        """The timeline, with its officer named in two fields and its sections as `sections`."""
        return cls.of_record(t, officer_id=t.officer.id, name=t.officer.full_name,
                             sections=t.shown)
