"""Support for the bad-input page tests (issue 6): every form's world, another state's records
to type into addresses, and the means to prove that a refused post wrote nothing.

The evaluation world is the service tests' (tests/integration/services/evaluation_support.py,
put on the import path by evaluation_ui_support); each scene is built only when a test asks for
it, so a test pays for the records it posts to and no more. The fixtures of every bad-input test
module, `scene` and `client`, are here; each module names them (see ui_support).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import pytest
from agency_trust_ui_support import APPEAL, not_approved
from evaluation_ui_support import (
    GROUNDS,
    OPERATOR,
    PASS,
    PASSWORD,
    World,
    build_world,
    failing,
    person,
)
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import text
from ui_support import client, sign_in

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import appeals, decisions
from confianza.core.db.models import Base
from confianza.registry.rules.officers import Contact, ContactKind
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import EvaluationKind, ExamType
from confianza.vetting.service import centres, evaluations, exams

__all__ = ["APPEAL", "GROUNDS", "OPERATOR", "PASSWORD", "World", "client", "scene"]

# What an attacker types into a free-text field: it must come back as text, never as markup.
MARKUP = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
HUGE = 100_000
# A record number no key of either database can hold (PostgreSQL's BIGINT and SQLite's INTEGER
# stop at 2**63 - 1), and one past the 32-bit keys (agencies, users, centres, appeals,
# separation processes).
BEYOND_BIGINT = str(2**63)
BEYOND_INTEGER = str(2**31)
# Not this server's tokens: altered, empty, or the shape of one from another site.
FORGED = ("forged-token", "", "x" * 43)
# The trail's own tables, and the sessions every request touches, are compared apart.
TRAIL_TABLES = frozenset({"audit_entries", "sessions", "log_state"})
# What a refused attempt leaves in the trail, and nothing else.
REFUSAL_ACTIONS = frozenset({"authz:permission:denied", "workflow:request:refused"})


def snapshot(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the trail's and the sessions', to compare before/after."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with container.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in TRAIL_TABLES:
                continue
            rows[table.name] = sorted(
                (tuple(r) for r in connection.execute(table.select())), key=repr)
    return rows


def trail(container: Container) -> list[tuple[str, str, str | None]]:
    """The audit trail in order: (action, resource type, resource id) of each entry."""
    with container.engine.connect() as connection:
        return [(r[0], r[1], r[2]) for r in connection.execute(text(
            "SELECT action, resource_type, resource_id FROM audit_entries ORDER BY id"))]


def actions(container: Container, since: int = 0) -> list[str]:
    return [entry[0] for entry in trail(container)[since:]]


def visible_text(page: str) -> str:
    """The page's words as a reader sees them: tags out, entities decoded, spaces folded."""
    without_tags = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(without_tags))


def assert_escaped(page: str, typed: str) -> None:
    """`typed` is on the page as text (escaped as the templates escape), never as markup."""
    assert typed not in page, "markup typed by a user reached the page unescaped"
    assert str(escape(typed)) in page, "what was typed is not on the page"
    assert "<script>alert" not in page and "<img src=x" not in page


def field_tag(page: str, field_id: str) -> str:
    """The opening tag of the form control (or group) with this id."""
    found = re.search(r"<(?:input|textarea|select|fieldset)\b[^>]*\bid=\"" + re.escape(field_id)
                      + r"\"[^>]*>", page)
    assert found, f"no control with id {field_id!r} on the page"
    return found.group(0)


def assert_error_beside(page: str, field_id: str, message: str) -> None:
    """The control is marked invalid and described by an element that says `message`."""
    tag = field_tag(page, field_id)
    described = re.search(r'aria-describedby="([^"]+)"', tag)
    assert described, f"{field_id} is not described by its error: {tag}"
    texts = []
    for ref in described.group(1).split():
        element = re.search(r'<(\w+)[^>]*\bid="' + re.escape(ref) + r'"[^>]*>(.*?)</\1>', page,
                            re.S)
        assert element, f"{field_id} is described by {ref!r}, which is not on the page"
        texts.append(visible_text(element.group(2)))
    assert any(message in t for t in texts), (message, texts)
    if not tag.startswith("<fieldset"):
        assert 'aria-invalid="true"' in tag, f"{field_id} is not marked invalid: {tag}"


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page carries no CSRF field"
    return found.group(1)


def login(client: TestClient, username: str) -> str:
    """Sign `username` in (an account of the scene); returns the session's CSRF token."""
    client.cookies.clear()
    return sign_in(client, username, PASSWORD)


@dataclass(frozen=True)
class Elsewhere:
    """Records of Nuevo León (another state, another agency) that Jalisco accounts may not
    reach: a not-approved evaluation with its notification, separation and appeal, and a
    request still to book."""

    officer_id: int
    evaluation_id: int
    appeal_id: int
    notification_id: int
    process_id: int
    requested_id: int
    centre_id: int


class Scene:
    """The trust-control world of a test, each record made the first time it is asked for."""

    def __init__(self, container: Container, agencies: dict[str, int]) -> None:
        self.container = container
        self.agencies = agencies
        self.world: World = build_world(container, agencies)
        self._names = iter(_NAMES)
        self.names: dict[int, tuple[str, str, str]] = {}

    def officer(self, agency: str = "JAL-SSP") -> int:
        given, first, second = next(self._names)
        officer_id = self.world.new_officer(given, first, second, agency)
        self.names[officer_id] = (given, first, second)
        return officer_id

    @cached_property
    def clerk(self) -> str:
        """A national registry clerk, who reveals contacts with a declared purpose."""
        person(self.container, Role.REGISTRY_CLERK, "capturista")
        return "capturista"

    @cached_property
    def auditor(self) -> str:
        person(self.container, Role.AUDITOR, "auditoria")
        return "auditoria"

    @cached_property
    def state_hr(self) -> str:
        """Agency HR scoped to the state of Jalisco (not to one agency)."""
        person(self.container, Role.AGENCY_HR, "rh-estatal", Scope(ScopeKind.STATE, "14"))
        return "rh-estatal"

    @cached_property
    def with_contacts(self) -> int:
        officer_id = self.officer()
        officer_service.set_contacts(self.container.uow(), OPERATOR, officer_id, [
            Contact(ContactKind.PHONE, "+52 33 5555 0101", "móvil")])
        return officer_id

    @cached_property
    def scheduled(self) -> int:
        """An evaluation booked for today: its exams wait for their results."""
        evaluation_id = self.world.request(self.officer())
        self.world.schedule(evaluation_id)
        return evaluation_id

    @cached_property
    def requested(self) -> int:
        """An evaluation asked for and not yet booked."""
        return self.world.request(self.officer())

    @cached_property
    def deciding(self) -> int:
        """Every result in, one of them adverse: a decision (with grounds) is due."""
        return self.world.ready_for_decision(
            {ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)}, self.officer())

    @cached_property
    def confirming(self) -> int:
        """Not approved by the first certification officer: a second one confirms."""
        evaluation_id = self.world.ready_for_decision(
            {ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)}, self.officer())
        decisions.decide(self.container.uow(), self.world.decider, evaluation_id,
                         Verdict.NOT_APPROVED, GROUNDS,
                         policy=self.container.policy, issuer=self.container.issuer)
        return evaluation_id

    @cached_property
    def failed(self) -> int:
        """Not approved and confirmed today: appealable, with a notification and a separation."""
        return not_approved(self.world, self.officer())

    @cached_property
    def separation(self) -> int:
        failed = self.failed
        return only_one(appeals.list_separations(self.container.uow(), self.world.hr), failed)

    @cached_property
    def notification(self) -> int:
        failed = self.failed
        return only_one(appeals.list_notifications(self.container.uow(), self.world.hr), failed)

    @cached_property
    def appealed(self) -> tuple[int, int]:
        """A not-approved evaluation under appeal: (evaluation id, appeal id)."""
        evaluation_id = not_approved(self.world, self.officer())
        appeal = appeals.file_appeal(self.container.uow(), self.world.hr, evaluation_id, APPEAL,
                                     policy=self.container.policy)
        return evaluation_id, appeal.id

    @cached_property
    def separation_due(self) -> int:
        """A separation that may be completed: its appeal period has ended."""
        process = self.separation
        self.container.clock.advance(days=16)  # type: ignore[attr-defined]
        return process

    @cached_property
    def elsewhere(self) -> Elsewhere:
        return _elsewhere(self)


@pytest.fixture
def scene(container: Container, agencies: dict[str, int]) -> Scene:
    return Scene(container, agencies)


_NAMES = [(g, f, s) for g, f, s in (
    ("Beatriz", "Luna", "Paz"), ("Carla", "Soto", "Ruiz"), ("Diana", "Mora", "Gil"),
    ("Elena", "Rios", "Luz"), ("Fabiola", "Cano", "Sol"), ("Gloria", "Vera", "Mar"),
    ("Hilda", "Leal", "Rey"), ("Irma", "Pardo", "Gil"), ("Julia", "Nava", "Ochoa"),
    ("Karla", "Prieto", "Sosa"), ("Laura", "Quiroz", "Tapia"), ("Mónica", "Ruelas", "Uribe"),
)]


def _elsewhere(scene: Scene) -> Elsewhere:
    """Nuevo León's records, made by its own centre and staff and two national officers."""
    container, world = scene.container, scene.world
    nl = Scope(ScopeKind.STATE, "19")
    centre_id = centres.create_centre(
        container.uow(), OPERATOR, "C3-NL", "Centro de Control de Confianza de Nuevo León",
        "19", dict.fromkeys(ExamType, 4)).centre.id
    examiner = person(container, Role.EXAMINER, "examinador-nl", nl)
    centres.set_examiner(container.uow(), OPERATOR, centre_id, examiner.user_id or 0,
                         frozenset(ExamType))
    coordinator = person(container, Role.CENTRE_COORDINATOR, "coordinacion-nl", nl)
    hr = person(container, Role.AGENCY_HR, "rh-nl",
                Scope(ScopeKind.AGENCY, agency_id=scene.agencies["NL-FC"]))
    second = person(container, Role.CERTIFICATION_OFFICER, "certificador-nacional")
    officer_id = scene.officer("NL-FC")
    asked = evaluations.request_evaluation(container.uow(), hr, evaluations.EvaluationRequest(
        officer_id, scene.agencies["NL-FC"], EvaluationKind.PERMANENCE), policy=container.policy)
    evaluation_id = asked.evaluation.id
    evaluations.schedule_evaluation(
        container.uow(), coordinator, evaluation_id, centre_id,
        {e.exam_type: evaluations.ExamBooking(examiner.user_id or 0, date(2026, 11, 20))
         for e in asked.exams})
    for exam in asked.exams:
        fields = (failing(exam.exam_type) if exam.exam_type is ExamType.TOXICOLOGY
                  else PASS[exam.exam_type])
        exams.record_exam(container.uow(), examiner, evaluation_id, exam.exam_type, fields)
    decisions.decide(container.uow(), world.appeals_officer, evaluation_id,
                     Verdict.NOT_APPROVED, GROUNDS,
                     policy=container.policy, issuer=container.issuer)
    decisions.confirm(container.uow(), second, evaluation_id, agree=True,
                      policy=container.policy, issuer=container.issuer)
    appeal = appeals.file_appeal(container.uow(), hr, evaluation_id, APPEAL,
                                 policy=container.policy)
    notice = only_one([n for n in appeals.list_notifications(container.uow(), hr)
                       if n.kind == "not_approved"], evaluation_id)
    process = only_one(appeals.list_separations(container.uow(), hr), evaluation_id)
    requested = evaluations.request_evaluation(
        container.uow(), hr, evaluations.EvaluationRequest(
            scene.officer("NL-FC"), scene.agencies["NL-FC"], EvaluationKind.PERMANENCE),
                                               policy=container.policy)
    return Elsewhere(officer_id, evaluation_id, appeal.id, notice, process,
                     requested.evaluation.id, centre_id)


def only_one(records: Iterable[Any], evaluation_id: int) -> int:
    """The id of the one record (a notification, a separation) of this evaluation."""
    [found] = [r for r in records if r.evaluation_id == evaluation_id]
    return int(found.id)


# Every form of the pages that writes, as a test posts it ---------------------------------------

RESOLUTION = "La cadena de custodia está completa y firmada en cada paso; se confirma."
SEPARATION_NOTE = "El proceso concluyó con la baja notificada al elemento."
FORMS = ("logout", "contacts", "request", "notification", "separation", "appeal",
         "exam_result", "exam_file", "booking", "decision", "confirmation", "appeal_decision")


@dataclass(frozen=True)
class Post:
    """One form as it is sent: who sends it, where, its fields (without the CSRF token), and
    the status it gets when it is accepted."""

    user: str
    url: str
    data: dict[str, Any]
    accepted: int = 303
    files: dict[str, tuple[str, bytes, str]] | None = None


def booking_of(scene: Scene, evaluation_id: int, day: date = date(2026, 11, 20)
               ) -> dict[str, Any]:
    """The booking form filled in: the world's centre, each exam's examiner, one day."""
    world = scene.world
    view = evaluations.get_evaluation(scene.container.uow(), world.coordinator, evaluation_id)
    data: dict[str, Any] = {"centre_id": str(world.centre_id)}
    for exam in view.exams:
        data[f"examiner.{exam.exam_type.value}"] = str(
            world.examiner_for(exam.exam_type).user_id)
        data[f"day.{exam.exam_type.value}"] = day.isoformat()
    return data


def post_of(scene: Scene, form: str) -> Post:
    """The accepted post of `form` (one of FORMS), its records made on the way."""
    world = scene.world
    jalisco = str(scene.agencies["JAL-SSP"])
    if form == "logout":
        return Post(world.hr.username, "/logout", {})
    if form == "contacts":
        return Post(scene.clerk, f"/officers/{scene.with_contacts}/contacts",
                    {"purpose": "Citatorio del expediente 12/2026"}, accepted=200)
    if form == "request":
        return Post(world.hr.username, f"/certification/officers/{scene.officer()}/evaluation",
                    {"kind": "permanence", "agency_id": jalisco})
    if form == "notification":
        return Post(world.hr.username,
                    f"/certification/notifications/{scene.notification}/read", {})
    if form == "separation":
        return Post(world.hr.username,
                    f"/certification/separations/{scene.separation_due}/close",
                    {"note": SEPARATION_NOTE})
    if form == "appeal":
        return Post(world.hr.username, f"/certification/evaluations/{scene.failed}/appeal",
                    {"grounds": APPEAL})
    if form == "exam_result":
        return Post(world.examiner.username, f"/exams/{scene.scheduled}/medical",
                    {"outcome": "fit", "notes": ""})
    if form == "exam_file":
        return Post(world.examiner.username, f"/exams/{scene.scheduled}/medical/files", {},
                    files={"file": ("informe.pdf", b"%PDF-1.4 informe", "application/pdf")})
    if form == "booking":
        return Post(world.coordinator.username, f"/scheduling/{scene.requested}",
                    booking_of(scene, scene.requested))
    if form == "decision":
        return Post(world.decider.username, f"/decisions/{scene.deciding}/decision",
                    {"verdict": "not_approved", "grounds": GROUNDS})
    if form == "confirmation":
        return Post(world.confirmer.username, f"/decisions/{scene.confirming}/confirmation",
                    {"accion": "confirmar", "note": ""})
    if form == "appeal_decision":
        evaluation_id, appeal_id = scene.appealed
        return Post(world.appeals_officer.username,
                    f"/decisions/{evaluation_id}/appeals/{appeal_id}",
                    {"outcome": "upheld", "resolution": RESOLUTION})
    raise ValueError(form)


def send(client: TestClient, post: Post, csrf: str | None, **changes: Any) -> Any:
    """Post the form with this CSRF token (None: without one) and these fields changed."""
    data = {**post.data, **changes}
    if csrf is not None:
        data["csrf_token"] = csrf
    return client.post(post.url, data=data, files=post.files)


def comes_back(client: TestClient, container: Container, post: Post, csrf: str,
               faults: dict[str, str], kept: tuple[str, ...] = (), **changes: Any) -> str:
    """Send the form with `changes`: it comes back (422) with each control of `faults`
    described by its message and each text of `kept` still in the form, having written nothing
    but the trace of the refusal (and the reads of the page). Returns the page."""
    before, mark = snapshot(container), len(trail(container))
    response = send(client, post, csrf, **changes)
    assert response.status_code == 422, (post.url, list(changes), response.text[:400])
    for field_id, message in faults.items():
        assert_error_beside(response.text, field_id, message)
    for typed in kept:
        assert str(escape(typed)) in response.text, f"{typed!r} was not kept"
    assert snapshot(container) == before, f"a refused post to {post.url} changed the registry"
    written = set(actions(container, mark)) - REFUSAL_ACTIONS
    assert all(a.endswith(":read") for a in written), (post.url, written)
    return str(response.text)
