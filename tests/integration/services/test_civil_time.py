"""Civil dates at every awkward hour, in two zones, on both databases.

"Today" is the day where the system is deployed (CONFIANZA_TIME_ZONE), not UTC's: from 18:00
to midnight in Mexico City the UTC date is already tomorrow. Each test here runs with the wall
clock pinned (time-machine) at each of `conftest.AWKWARD`'s instants, in Mexico City and in
Tijuana (which keeps daylight saving time), and builds its container on the real clock, as
`confianza serve` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from evaluation_support import GROUNDS, PASS, World, build_world, failing

import confianza.verify as library
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.certification.rules.cup import CupComponent
from confianza.certification.rules.decisions import Verdict as Decision
from confianza.certification.service import appeals, certificates, decisions
from confianza.core.errors import DomainError
from confianza.credentials import service as credential_service
from confianza.credentials.rules.credential import Verdict
from confianza.dashboard.service import figures as dashboard_service
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.service import evaluations, exams
from conftest import Pinned

APPEAL = "El elemento impugna la cadena de custodia de la muestra toxicológica tomada."


@pytest.fixture
def real(awkward: Pinned, database_url: str) -> Iterator[Container]:
    """A container on the real (pinned) clock, in the pinned zone."""
    credential_service.forget_published()
    built = build(Settings(environment=Environment.TEST, database_url=database_url,
                           time_zone=awkward.zone.key))
    try:
        yield built
    finally:
        built.dispose()


@pytest.fixture
def world(real: Container, agencies: dict[str, int]) -> World:
    # `agencies` were made through the suite's fixed-clock container on the same database.
    return build_world(real, agencies)


def evaluated(world: World, day: date, results: dict[ExamType, dict[str, object]] | None = None,
              ) -> int:
    """An evaluation whose exams are booked for `day` and recorded at once."""
    evaluation_id = world.request()
    world.schedule(evaluation_id, day=day)
    view = evaluations.get_evaluation(world.uow, world.coordinator, evaluation_id)
    for exam in view.exams:
        fields = (results or {}).get(exam.exam_type, PASS[exam.exam_type])
        exams.record_exam(world.uow, world.examiner_for(exam.exam_type), evaluation_id,
                          exam.exam_type, fields)
    return evaluation_id


def test_the_system_and_the_clock_agree_on_today(real: Container, awkward: Pinned) -> None:
    assert real.today() == awkward.today
    assert real.uow().today() == awkward.today
    with real.uow().transaction(read_only=True) as tx:
        assert tx.today == awkward.today and tx.zone.key == awkward.zone.key


def test_an_exam_booked_for_today_is_recorded_today(world: World, awkward: Pinned) -> None:
    evaluation_id = evaluated(world, awkward.today)
    view = evaluations.get_evaluation(world.uow, world.coordinator, evaluation_id)
    assert all(e.recorded_at is not None for e in view.exams)
    # Tomorrow, in the deployment's calendar, is still refused.
    later = world.request(world.new_officer("Berta", "Ibarra", "Soto"))
    world.schedule(later, day=awkward.today + timedelta(days=1))
    exam = evaluations.get_evaluation(world.uow, world.coordinator, later).exams[0]
    with pytest.raises(DomainError, match="before that day"):
        exams.record_exam(world.uow, world.examiner_for(exam.exam_type), later,
                          exam.exam_type, PASS[exam.exam_type])


def test_a_credential_issued_now_is_valid_a_minute_later(world: World, awkward: Pinned) -> None:
    evaluation_id = evaluated(world, awkward.today)
    decisions.decide(world.uow, world.decider, evaluation_id, Decision.APPROVED, "",
                     policy=world.container.policy, issuer=world.container.issuer)
    for component, done, extra in (
        (CupComponent.SKILLS, awkward.today - timedelta(days=30), {"score": 88}),
        (CupComponent.PERFORMANCE, awkward.today - timedelta(days=60), {"score": 91}),
        (CupComponent.INITIAL_TRAINING, date(2015, 1, 1), {"hours": 972}),
    ):
        certificates.record_component(world.uow, world.hr, world.officer_id, component, done,
                                      policy=world.container.policy,
                                      issuer=world.container.issuer, **extra)
    [view] = credential_service.officer_credentials(world.uow, world.decider, world.officer_id,
                                                    issuer=world.container.issuer)
    assert view.facts.valid_from == awkward.today
    claims = credential_service.payload_of(view.credential.token)
    start = date.fromisoformat(claims["validFrom"][:10])
    assert start == awkward.today  # stated as the civil day, with that day's offset
    awkward.advance(minutes=1)
    assert credential_service.check(world.uow, view.credential.token,
                                    issuer=world.container.issuer).verdict is Verdict.VALID
    # An outside verifier with only the published keys agrees.
    offline = library.verify(view.credential.token,
                             credential_service.jwks(world.uow,
                                                     issuer=world.container.issuer), fetch=None)
    assert offline.verdict in (Verdict.VALID, Verdict.STATUS_UNKNOWN)
    assert offline.reason != "not_yet_valid"


def test_the_appeal_window_counts_civil_days(world: World, awkward: Pinned) -> None:
    evaluation_id = evaluated(world, awkward.today,
                              {ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    decisions.decide(world.uow, world.decider, evaluation_id, Decision.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    view = decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                             policy=world.container.policy, issuer=world.container.issuer)
    assert view.evaluation.confirmed_on == awkward.today
    # The fifteenth day after, at 23:00 where the system is: still open.
    last = awkward.today + timedelta(days=15)
    awkward.advance(seconds=(_at(last, 23, awkward) - awkward.instant).total_seconds())
    appeal = appeals.file_appeal(world.uow, world.hr, evaluation_id, APPEAL,
                                 policy=world.container.policy)
    assert appeal.filed_on == last


def test_an_appeal_a_day_late_is_refused(world: World, awkward: Pinned) -> None:
    evaluation_id = evaluated(world, awkward.today,
                              {ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    decisions.decide(world.uow, world.decider, evaluation_id, Decision.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                      policy=world.container.policy, issuer=world.container.issuer)
    late = awkward.today + timedelta(days=16)
    awkward.advance(seconds=(_at(late, 0, awkward, minute=30) - awkward.instant).total_seconds())
    with pytest.raises(DomainError, match="days after the decision"):
        appeals.file_appeal(world.uow, world.hr, evaluation_id, APPEAL,
                            policy=world.container.policy)


def test_the_dashboard_figures_are_as_of_the_civil_today(real: Container,
                                                         awkward: Pinned) -> None:
    assert dashboard_service.load_summary(real.uow()).today == awkward.today


def _at(day: date, hour: int, awkward: Pinned, minute: int = 0) -> datetime:
    """A wall-clock time on a civil day where the system is deployed, in UTC (subtracting two
    datetimes of one ZoneInfo compares wall clocks, blind to a daylight-saving change)."""
    return datetime.combine(day, time(hour, minute), awkward.zone).astimezone(UTC)
