"""Support for the examiner, coordinator and certification page tests: the service tests' world
(tests/integration/services/evaluation_support.py), and results as the forms post them.

That folder is put on the import path here because pytest only adds the folder of the test
being collected. The `world` fixture is that module's, named here for the test modules.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import (  # noqa: E402
    APPEAL,
    OPERATOR,
    PASS,
    PASSWORD,
    TODAY,
    World,
    build_world,
    failing,
    person,
    world,
)
from fastapi.testclient import TestClient  # noqa: E402
from ui_support import sign_in  # noqa: E402

from confianza.accounts.rules.permissions import Role  # noqa: E402
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.certification.rules.decisions import Verdict  # noqa: E402
from confianza.certification.service import appeals, decisions
from confianza.vetting.rules.evaluations import ExamType  # noqa: E402
from confianza.vetting.service import centres, exams

__all__ = ["APPEAL", "OPERATOR", "PASS", "PASSWORD", "TODAY", "World", "build_world",
           "failing", "world"]

GROUNDS = "La toxicología resultó positiva a cocaína y la segunda muestra lo confirmó."


def signed(client: TestClient, username: str) -> str:
    """Sign `username` (an account of the world) in; returns the session's CSRF token."""
    client.cookies.clear()
    return sign_in(client, username, PASSWORD)


def form_of(exam_type: ExamType, fields: dict[str, Any], csrf: str,
            notes: str = "") -> dict[str, Any]:
    """A result as the exam's form posts it: the panel as one radio group per substance, lists
    as repeated fields, numbers as typed text."""
    data: dict[str, Any] = {"csrf_token": csrf, "notes": notes}
    for name, value in fields.items():
        if name == "panel":
            data.update({f"panel.{s}": v for s, v in value.items()})
        elif isinstance(value, list):
            data[name] = list(value)
        else:
            data[name] = str(value)
    return data


def record_by_form(client: TestClient, world: World, evaluation_id: int,
                   results: dict[ExamType, dict[str, Any]] | None = None) -> None:
    """Every exam of the evaluation recorded through the pages, each by its examiner."""
    for exam_type in ExamType:
        examiner = world.examiner_for(exam_type)
        csrf = signed(client, examiner.username)
        fields = (results or {}).get(exam_type, PASS[exam_type])
        response = client.post(f"/exams/{evaluation_id}/{exam_type.value}",
                               data=form_of(exam_type, fields, csrf))
        assert response.status_code == 303, (exam_type, response.text[:500])


def matrix_urls(container: Container, agencies: dict[str, int], role: Role
                ) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """For the role matrix: an account "probe" of `role` (national scope) and, for each
    examiner, coordinator and certification page, a URL where it has something to show.

    Also returns the centre's id, for the booking form. Posts are meant to be refused by
    validation (422) when the role is allowed, so the walk changes nothing: an evaluation
    scheduled (the probe examines it if it is an examiner), one awaiting decision, one
    awaiting confirmation, and one appealed.
    """
    world = build_world(container, agencies)
    probe = person(container, role, "probe")
    if role is Role.EXAMINER:
        centres.set_examiner(container.uow(), OPERATOR, world.centre_id, probe.user_id or 0,
                             frozenset(ExamType))
        world.examiner = world.second_examiner = probe
    scheduled = world.request()
    world.schedule(scheduled)
    medical = world.examiner_for(ExamType.MEDICAL)
    sha256 = exams.attach_file(container.uow(), medical, scheduled, ExamType.MEDICAL,
                               "informe.txt", "text/plain", b"informe")
    deciding = world.ready_for_decision(officer_id=world.new_officer("Beatriz", "Luna", "Paz"))
    fail = {ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)}
    confirming = world.ready_for_decision(fail, world.new_officer("Carla", "Soto", "Ruiz"))
    decisions.decide(container.uow(), world.decider, confirming, Verdict.NOT_APPROVED, GROUNDS,
                     policy=container.policy, issuer=container.issuer)
    appealed = world.ready_for_decision(fail, world.new_officer("Diana", "Mora", "Gil"))
    decisions.decide(container.uow(), world.decider, appealed, Verdict.NOT_APPROVED, GROUNDS,
                     policy=container.policy, issuer=container.issuer)
    decisions.confirm(container.uow(), world.confirmer, appealed, agree=True,
                      policy=container.policy, issuer=container.issuer)
    appeal = appeals.file_appeal(container.uow(), world.hr, appealed, "La cadena de custodia "
                                 "de la muestra está incompleta según el laboratorio.",
                                 policy=container.policy)
    exam = f"/exams/{scheduled}/medical"
    urls = {
        ("GET", "/exams"): "/exams",
        ("GET", "/exams/{evaluation_id}/{exam_type}"): exam,
        ("POST", "/exams/{evaluation_id}/{exam_type}"): exam,
        ("POST", "/exams/{evaluation_id}/{exam_type}/files"): exam + "/files",
        ("GET", "/exams/{evaluation_id}/{exam_type}/files/{sha256}"): f"{exam}/files/{sha256}",
        ("GET", "/scheduling"): "/scheduling",
        ("GET", "/scheduling/{evaluation_id}"): f"/scheduling/{scheduled}",
        ("POST", "/scheduling/{evaluation_id}"): f"/scheduling/{scheduled}",
        ("GET", "/decisions"): "/decisions",
        ("GET", "/decisions/appeals"): "/decisions/appeals",
        ("GET", "/decisions/{evaluation_id}"): f"/decisions/{deciding}",
        ("POST", "/decisions/{evaluation_id}/decision"): f"/decisions/{deciding}/decision",
        ("POST", "/decisions/{evaluation_id}/confirmation"):
            f"/decisions/{confirming}/confirmation",
        ("POST", "/decisions/{evaluation_id}/appeals/{appeal_id}"):
            f"/decisions/{appealed}/appeals/{appeal.id}",
    }
    return urls, {"centre_id": str(world.centre_id)}


# What each post of the walk sends: accepted by the role's permission, refused as input.
MATRIX_FORMS: dict[str, dict[str, str]] = {
    "/scheduling/{evaluation_id}": {},  # the centre's id is added by the walk
    "/decisions/{evaluation_id}/decision": {"verdict": "not_approved", "grounds": ""},
    "/decisions/{evaluation_id}/confirmation": {"accion": "devolver", "note": "corta"},
    "/decisions/{evaluation_id}/appeals/{appeal_id}": {"outcome": "", "resolution": "corta"},
}
