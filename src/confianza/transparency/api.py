"""The audit trail's transparency log: checkpoint, key and proofs (public), entries (auditors).

Checkpoints, the verifier key and proofs are public and read-only, like the tiles they could be
recomputed from: hashes reveal nothing of an entry, and outsiders (witnesses, journalists, the
officers themselves) must be able to check the log without an account. Each is a few indexed
reads, so the routes run inline (docs/adr/0007). A proof for fixed sizes never changes (the log
is append-only), so shared caches may keep it; what depends on the current tree is kept briefly.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import PlainTextResponse

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, ContainerDep, UowDep
from confianza.core.errors import FieldError, NotFound, ValidationFailed
from confianza.kit.checkpoint import MAX_TREE_SIZE
from confianza.transparency.schemas import ConsistencyProofOut, InclusionProofOut, LogEntryOut
from confianza.transparency.service import log as transparency

router = APIRouter(prefix="/log", tags=["log"], route_class=ContractRoute)

Size = Annotated[int, Query(ge=1, le=MAX_TREE_SIZE)]
OptionalSize = Annotated[int | None, Query(ge=1, le=MAX_TREE_SIZE)]

# What depends on the current tree may change at the next checkpoint; a short life keeps a
# burst of verifiers off the database without serving a stale head for long.
CURRENT = "public, max-age=10"
FIXED = "public, max-age=31536000, immutable"
KEY = "public, max-age=3600"
TEXT = "text/plain; charset=utf-8"


def _in_query(exc: ValidationFailed) -> ValidationFailed:
    """The services name a parameter plainly (`size1`); the API names where it came from."""
    return ValidationFailed([FieldError(f"query.{e.location}", e.reason) for e in exc.errors])


@router.get("/checkpoint", response_class=PlainTextResponse,
            responses={200: {"content": {TEXT: {}}}, **problems(404)})
async def checkpoint(uow: UowDep) -> Response:
    """The latest signed checkpoint (C2SP tlog-checkpoint in a signed note)."""
    note = transparency.latest_checkpoint(uow)
    return Response(note, media_type=TEXT, headers={"Cache-Control": CURRENT})


@router.get("/key", response_class=PlainTextResponse,
            responses={200: {"content": {TEXT: {}}}, **problems(404)})
async def key(container: ContainerDep) -> Response:
    """The verifier key of the log's checkpoints (C2SP note verifier key), one line."""
    published = transparency.published_key(container.log_keys())
    return Response(f"{published}\n", media_type=TEXT, headers={"Cache-Control": KEY})


@router.get("/proof/inclusion", response_model=InclusionProofOut, responses=problems(404))
async def inclusion_proof(uow: UowDep, response: Response, seq: Size,
                          size: OptionalSize = None) -> InclusionProofOut:
    """The proof that entry `seq` is in the tree of `size` entries (default: the current tree)."""
    try:
        proof = transparency.prove_inclusion(uow, seq, size)
    except ValidationFailed as exc:
        raise _in_query(exc) from None
    except NotFound as exc:
        # The entry may exist but lie beyond the tree asked about: a fault of the query.
        raise ValidationFailed(FieldError("query.seq", exc.detail)) from None
    response.headers["Cache-Control"] = CURRENT if size is None else FIXED
    return InclusionProofOut.of(proof)


@router.get("/proof/consistency", response_model=ConsistencyProofOut)
async def consistency_proof(uow: UowDep, response: Response, size1: Size,
                            size2: OptionalSize = None) -> ConsistencyProofOut:
    """The proof that the tree of `size2` entries (default: the current one) extends the tree
    of `size1`."""
    try:
        proof = transparency.prove_consistency(uow, size1, size2)
    except ValidationFailed as exc:
        raise _in_query(exc) from None
    response.headers["Cache-Control"] = CURRENT if size2 is None else FIXED
    return ConsistencyProofOut.of(proof)


@router.get("/entries/{entry_id}", dependencies=[permit(P.AUDIT_READ)],
            response_model=LogEntryOut)
async def entry(entry_id: Annotated[int, Path(ge=1, le=MAX_TREE_SIZE)], actor: ActorDep,
                uow: UowDep, container: ContainerDep) -> LogEntryOut:
    """One entry of the trail by its id (the number the access history shows), with its place
    in the log, its private bytes, the public form its leaf hashes and the leaf hash once the
    log has placed it (auditors; audited)."""
    return LogEntryOut.of(transparency.read_entry(uow, actor, entry_id, container.log_keys()))
