"""The timeline's events: what each record becomes, the newest-first order (with the
workflow's order inside one day) and the grouping by year."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from confianza.credentials.rules.issuer import StoredCredential
from confianza.registry.rules.assignments import Assignment, ChangeReason
from confianza.registry.rules.officers import Badge
from confianza.timeline.rules import (
    SECTION_OF,
    Event,
    EventKind,
    Section,
    access_event,
    appeal_events,
    arrange,
    assignment_events,
    badge_events,
    by_year,
    credential_status,
)
from confianza.trail.rules import AuditEntry
from confianza.vetting.rules.records import Appeal, AppealStatus

K = EventKind
DAY = date(2024, 6, 1)


def test_a_transfer_day_shows_the_new_posting_above_the_end_of_the_old() -> None:
    old = Assignment(1, 7, 10, None, "Agente", date(2010, 2, 1), DAY, ChangeReason.APPOINTMENT,
                     ChangeReason.TRANSFER)
    new = Assignment(2, 7, 20, 5, "Policía", DAY, None, ChangeReason.TRANSFER, None)
    events = arrange(assignment_events([old, new], {10: "GN", 20: "SSP"}, {5: "Centro"}))
    assert [(e.on, e.kind, e.fields["agency"]) for e in events] == [
        (DAY, K.ASSIGNMENT_STARTED, "SSP"), (DAY, K.ASSIGNMENT_ENDED, "GN"),
        (date(2010, 2, 1), K.ASSIGNMENT_STARTED, "GN")]
    assert events[0].fields["unit"] == "Centro" and events[1].fields["reason"] == "transfer"


def test_badges_without_a_date_are_counted_not_placed() -> None:
    events, undated = badge_events([Badge(1, 7, 10, "A1", None, None),
                                    Badge(2, 7, 10, "A2", DAY, None)], {10: "GN"})
    assert undated == 1 and [e.fields["number"] for e in events] == ["A2"]


def test_an_open_appeal_has_no_decision_event() -> None:
    appeal = Appeal(3, 9, "hr", DAY, "grounds", AppealStatus.OPEN, None, None, None)
    assert [e.kind for e in appeal_events(appeal)] == [K.APPEAL_FILED]
    decided = Appeal(3, 9, "hr", DAY, "grounds", AppealStatus.OVERTURNED, 4,
                     DAY + timedelta(days=9), "text")
    assert [(e.kind, e.fields.get("outcome")) for e in arrange(appeal_events(decided))] == [
        (K.APPEAL_DECIDED, "overturned"), (K.APPEAL_FILED, None)]


def test_credential_status_reads_as_a_verifier_would_today() -> None:
    def stored(revoked: bool, suspended: bool, until: date) -> StoredCredential:
        return StoredCredential(1, "urn:x", 2, 7, "k", 0, "t",
                                datetime(2024, 1, 1, tzinfo=UTC), until, revoked, suspended,
                                None)

    assert credential_status(stored(True, True, DAY), DAY) == "revoked"
    assert credential_status(stored(False, True, DAY), DAY) == "suspended"
    assert credential_status(stored(False, False, DAY), DAY) == "valid"
    assert credential_status(stored(False, False, DAY), DAY + timedelta(days=1)) == "expired"


def test_accesses_keep_their_moment_in_utc_and_come_last_in_their_day() -> None:
    naive = AuditEntry(datetime(2024, 6, 1, 23, 30), "auditor", "user",
                       "officer:identity:read", "officer", "7", id=41)
    access = access_event(naive, "record", zone=UTC)
    assert access.at == datetime(2024, 6, 1, 23, 30, tzinfo=UTC) and access.ref == 41
    decided = Event(DAY, K.DECIDED, 9)
    assert arrange([access, decided]) == (access, decided)


def test_an_instant_is_dated_by_the_deployments_calendar_not_utcs() -> None:
    # 03:00 UTC on New Year's Day is 21:00 on New Year's Eve in Mexico City (UTC-06:00) and
    # 19:00 in Tijuana (UTC-08:00 in winter): the access belongs to the year that ends.
    entry = AuditEntry(datetime(2027, 1, 1, 3, 0, tzinfo=UTC), "auditor", "user",
                       "officer:identity:read", "officer", "7", seq=5)
    for zone in ("America/Mexico_City", "America/Tijuana"):
        access = access_event(entry, "record", zone=ZoneInfo(zone))
        assert access.on == date(2026, 12, 31)
        assert access.at == datetime(2027, 1, 1, 3, 0, tzinfo=UTC)
    assert access_event(entry, "record", zone=UTC).on == date(2027, 1, 1)


def test_every_kind_belongs_to_a_section() -> None:
    assert set(SECTION_OF) == set(EventKind)
    assert set(SECTION_OF.values()) == set(Section)


events = st.lists(
    st.builds(Event, on=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
              kind=st.sampled_from(list(EventKind)), ref=st.integers(1, 50),
              at=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC)))),
    max_size=30)


@given(events)
def test_years_hold_the_arranged_events_newest_first(found: list[Event]) -> None:
    arranged = arrange(found)
    assert [e.on for e in arranged] == sorted((e.on for e in found), reverse=True)
    years = by_year(arranged)
    assert [e for y in years for e in y.events] == list(arranged)
    assert [y.year for y in years] == sorted({e.on.year for e in found}, reverse=True)
    assert all(e.on.year == y.year for y in years for e in y.events)
