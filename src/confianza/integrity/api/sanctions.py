"""Final sanctions over HTTP in the PDN's S3 form (issue 17, item 7; ADR 0035).

`GET /api/v1/integrity/sanctions/s3?page=&pageSize=` answers what S3's `POST /v1/ssancionados`
answers — `pagination` (`pageSize`, `page`, `totalRows`, `hasNextPage`) and `results`, each a
sanctioned-servant record — for the final sanctions of the caller's scope, oldest first. The
paging fields keep S3's names and limits (1 to 200 a page); a page out of range or a size out
of bounds is a problem document naming the field, and its refusal is audited. S3's search
filters and sorting are not offered: a consumer takes the pages in order.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit
from confianza.app.deps import ActorDep, UowDep
from confianza.integrity.service.sanctions import PAGE_SIZE, export_s3

router = APIRouter(tags=["integrity"], route_class=ContractRoute)


@router.get("/integrity/sanctions/s3", dependencies=[permit(P.SANCTIONS_EXPORT)])
def sanctions_s3(
    actor: ActorDep, uow: UowDep,
    page: Annotated[int, Query(description="Page to show, from 1")] = 1,
    page_size: Annotated[int, Query(alias="pageSize", description="Records a page, 1 to "
                                    "200 (S3's limit)")] = PAGE_SIZE,
) -> dict[str, Any]:
    """A page of the final sanctions of the caller's scope as PDN S3 records (the envelope of
    S3's `ssancionados`). The internal-affairs supervisor of the scope; each page read is
    audited with the number of records it handed out."""
    return export_s3(uow, actor, page=page, page_size=page_size).document()
