"""Early intervention on another authority's complaints, imported as closed cases (ADR 0033,
ADR 0034 addendum), on both databases: they are dated by their source (the day the
complaint was made there, the day it was closed there), so that a model can be trained as of
a day years before the import; the findings the source recorded are known only from the day
it closed the case; and the demo's step refuses nothing and trains nothing without years of
complaints."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.app.console import main
from confianza.demo.service import train_and_score
from confianza.integrity.cli.complaints import load_complaint_mapping
from confianza.integrity.service.imports import ComplaintFiles, import_complaints
from confianza.registry.rules.roster_file import decode_roster
from confianza.risk.service import models

DATA = Path(__file__).parents[2] / "data" / "chicago"
KEY = bytes(range(32))


@pytest.fixture
def imported(database_url: str, monkeypatch: pytest.MonkeyPatch, container: Container,
             operator: Actor) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    assert main(["officers", "import", str(DATA / "roster-sample.csv"), "--mapping",
                 "chicago-roster", "--skip-invalid"]) == 0
    import_complaints(container.uow(), operator, ComplaintFiles(
        decode_roster("complaints.csv", (DATA / "complaints-sample.csv").read_bytes(), "utf-8"),
        decode_roster("accused.csv", (DATA / "accused-sample.csv").read_bytes(), "utf-8"),
        load_complaint_mapping("chicago-complaints"), load_complaint_mapping("chicago-accused"),
        "chicago", "US-IL-CPD", False))


def _complaints(container: Container, operator: Actor, day: date) -> dict[str, list]:
    population = models.registry_population(container.uow(), operator, day, "test")
    return {o.officer: list(o.complaints) for o in population.officers if o.complaints}


def test_imported_complaints_are_dated_by_their_source(
        imported: None, container: Container, operator: Actor) -> None:
    today = container.uow().today()
    now = _complaints(container, operator, today)
    events = [c for found in now.values() for c in found]
    assert events, "the linked accused have their complaints"
    # Known on the source's day, not on the import's (today).
    assert all(c.known < today for c in events)
    assert any(c.finding == "sustained" and c.sustained_categories for c in events)
    # As of the day before a complaint was closed there, its finding is not known yet.
    closing = next(c for c in events if c.closed is not None and c.finding != "no_finding")
    before = _complaints(container, operator, closing.closed.fromordinal(
        closing.closed.toordinal() - 1))
    again = next(c for found in before.values() for c in found
                 if c.complaint == closing.complaint)
    assert again.closed is None and again.finding_on(again.known) == "pending"
    # Nothing the source received after the day is read.
    early = date(2005, 1, 1)
    assert all(c.known <= early for found in _complaints(container, operator, early).values()
               for c in found)
    span = models.complaint_span(container.uow(), operator)
    assert span is not None and span[0] <= min(c.known for c in events)


def test_the_demo_step_trains_nothing_without_years_of_outcomes(
        container: Container, operator: Actor) -> None:
    done = train_and_score(container.uow(), operator, key=KEY, share=0.02)
    assert done.model is None and done.run is None


def test_an_imported_complaint_is_known_from_the_day_it_was_made_not_from_its_incident(
        imported: None, container: Container, operator: Actor) -> None:
    """The import dates a complaint for the co-accusal network by its incident first
    (`complained_on`); the features may read it only from the day it was made (the file's
    complaint day). Read by the incident, a complaint made after the as-of day about an
    earlier incident counted in that day's features (ADR 0034, fourth addendum)."""
    with (DATA / "complaints-sample.csv").open(encoding="utf-8") as sample:
        made = {date.fromisoformat(row["complaint_date"] or row["incident_date"])
                for row in csv.DictReader(sample)
                if row["complaint_date"] or row["incident_date"]}
    events = [c for found in _complaints(container, operator, container.uow().today()).values()
              for c in found]
    assert {c.known for c in events} <= made
    late = [c for c in events if c.happened < c.known]
    assert late, "the sample has complaints made after their incident"
    reported = max(late, key=lambda c: (c.known - c.happened, c.complaint))
    # As of the day before it was made, the complaint is not read, though it had happened.
    before = reported.known.fromordinal(reported.known.toordinal() - 1)
    assert reported.happened <= before
    assert all(c.complaint != reported.complaint
               for found in _complaints(container, operator, before).values() for c in found)
    span = models.complaint_span(container.uow(), operator, imported_only=True)
    assert span == (min(made), max(made))
