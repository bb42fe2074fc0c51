"""The issuer's public files: its keys (JWKS and did:web document) and the status lists.

Anyone fetches these without login, and caches may keep them for a minute: the status lists
are signed and carry their own validity, so a cache can serve them but never alter them.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from confianza.app.deps import IssuerDep, UowDep
from confianza.credentials import service as credential_service

router = APIRouter(include_in_schema=False)
CACHE = {"Cache-Control": f"public, max-age={int(credential_service.STATUS_CACHE_SECONDS)}"}


def _json(value: dict[str, Any], media_type: str) -> Response:
    return Response(json.dumps(value, ensure_ascii=False, indent=1), media_type=media_type,
                    headers=CACHE)


@router.get("/.well-known/jwks.json")
def jwks(uow: UowDep, issuer: IssuerDep) -> Response:
    return _json(credential_service.jwks(uow, issuer=issuer), "application/jwk-set+json")


@router.get("/.well-known/did.json")
def did_document(uow: UowDep, issuer: IssuerDep) -> Response:
    return _json(credential_service.did_document(uow, issuer=issuer), "application/did+json")


@router.get("/credentials/status/{purpose}/{number}")
def status_list(uow: UowDep, issuer: IssuerDep, purpose: str = Path(max_length=16),
                number: int = Path(ge=0, le=10**6)) -> Response:
    token = credential_service.status_list(uow, purpose, number, issuer=issuer)
    return Response(token, media_type="application/vc+jwt", headers=CACHE)
