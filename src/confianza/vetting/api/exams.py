"""Examiner routes: the queue, one exam, its result, and its files.

Reading one exam and recording a result are a few indexed statements and run inline. The queue
(up to a hundred exams, each read with its evaluation) and the file routes (up to 10 MiB hashed,
stored or sent) can run long and go to the thread pool (docs/adr/0007).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Response, UploadFile

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit
from confianza.app.deps import ActorDep, UowDep
from confianza.core.web.schemas import Problem
from confianza.vetting.schemas.evaluations import EXAM_TYPES, parse_exam_type
from confianza.vetting.schemas.exams import AttachedOut, ExamQueue, ExamTaskOut, ResultIn
from confianza.vetting.service import exams as exam_service

# Typed as text so that a wrong exam type is refused with its name and the allowed ones, in
# the API's own words; the schema still lists the allowed values.
ExamTypePath = Annotated[str, Path(json_schema_extra={"enum": EXAM_TYPES})]
SHA256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="Lower-case hex SHA-256.")]

router = APIRouter(tags=["exams"], route_class=ContractRoute)


@router.get("/exams/queue", dependencies=[permit(P.EXAM_RECORD)], response_model=ExamQueue)
def examiner_queue(
    actor: ActorDep, uow: UowDep,
    pending: Annotated[bool, Query(description="Exams still to give (by day), or the latest "
                                   "given.")] = True,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
) -> ExamQueue:
    """The exams assigned to the caller."""
    tasks = exam_service.examiner_queue(uow, actor, pending=pending, limit=limit)
    return ExamQueue(items=[ExamTaskOut.of(t) for t in tasks])


@router.get("/evaluations/{evaluation_id}/exams/{exam_type}", dependencies=[permit(P.EXAM_RECORD)],
            response_model=ExamTaskOut)
async def get_exam(evaluation_id: int, exam_type: ExamTypePath, actor: ActorDep,
                   uow: UowDep) -> ExamTaskOut:
    """One exam, for the examiner it is assigned to: that exam only, never the others."""
    task = exam_service.get_exam(uow, actor, evaluation_id, parse_exam_type(exam_type))
    return ExamTaskOut.of(task)


@router.post(
    "/evaluations/{evaluation_id}/exams/{exam_type}/result", dependencies=[permit(P.EXAM_RECORD)],
    response_model=ExamTaskOut,
    responses={409: {"model": Problem, "description": "Already recorded (a result is never "
                     "overwritten), or the evaluation is not being examined."}},
)
async def record_exam(
    evaluation_id: int, exam_type: ExamTypePath, body: ResultIn, actor: ActorDep, uow: UowDep
) -> ExamTaskOut:
    """Record the result of one exam, once. The last result in integrates the evaluation,
    which then waits for a certification officer's decision."""
    task = exam_service.record_exam(uow, actor, evaluation_id, parse_exam_type(exam_type),
                                    body.result, body.notes)
    return ExamTaskOut.of(task)


@router.post(
    "/evaluations/{evaluation_id}/exams/{exam_type}/attachments",
    dependencies=[permit(P.EXAM_RECORD)],
    status_code=201,
    response_model=AttachedOut,
    responses={409: {"model": Problem, "description": "The file is already attached."}},
)
def attach_file(
    evaluation_id: int, exam_type: ExamTypePath, actor: ActorDep, uow: UowDep,
    response: Response,
    file: Annotated[UploadFile, File(description="PDF, JPEG, PNG or plain text, up to 10 "
                                     "MiB; its part's Content-Type is its media type.")],
) -> AttachedOut:
    """Attach a file to an exam (multipart/form-data, field `file`). Files are kept by the
    SHA-256 of their content."""
    kind = parse_exam_type(exam_type)
    # One byte more than allowed is enough for the service to refuse an oversized file.
    content = file.file.read(exam_service.ATTACHMENT_MAX + 1)
    media_type = (file.content_type or "").split(";")[0].strip().lower()
    filename = file.filename or ""
    digest = exam_service.attach_file(uow, actor, evaluation_id, kind, filename, media_type,
                                      content)
    url = f"/api/v1/evaluations/{evaluation_id}/exams/{kind}/attachments/{digest}"
    response.headers["Location"] = url
    return AttachedOut(sha256=digest, filename=filename, media_type=media_type,
                       size=len(content), url=url)


@router.get(
    "/evaluations/{evaluation_id}/exams/{exam_type}/attachments/{sha256}",
    # The examiner reads the files of their exam; whoever reads results reads them all.
    dependencies=[permit(P.EXAM_RECORD, P.EVALUATION_RESULTS_READ)],
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}},
                     "description": "The file, with its media type."}},
)
def read_attachment(
    evaluation_id: int, exam_type: ExamTypePath, sha256: SHA256, actor: ActorDep, uow: UowDep
) -> Response:
    """A file of an exam, for its examiner or a reader of results (the read is audited)."""
    media_type, content = exam_service.read_attachment(
        uow, actor, evaluation_id, parse_exam_type(exam_type), sha256)
    # Served as a download, never rendered in the API's origin.
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{sha256[:16]}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    })
