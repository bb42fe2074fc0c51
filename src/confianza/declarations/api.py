"""Asset declarations over HTTP (issue 20; ADR 0038): `/api/v1/declarations`.

- `POST /declarations`: S1 declarations (an S1 answer `{pagination, results}`, a list of
  results, or one), imported whole or refused naming every fault (422);
- `GET /declarations/officers/{id}`: the officer's declarations as S1's API answers them;
- `GET /declarations/officers/{id}/checks`: what the rules find in them;
- `POST /declarations/officers/{id}/checks/{rule}/case`: an integrity case from a finding;
- `GET /declarations/exams/{evaluation_id}/checks`: the findings for the officer under
  evaluation, for the examiner of its socio-economic exam;
- `GET /declarations/due`: the officers of the caller's scope with declarations missing or
  late.
Who may call each is settled by the use cases; every read and refusal is audited.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, ContainerDep, UowDep
from confianza.core.errors import FieldError, ValidationFailed
from confianza.declarations.rules.checks import ExpectedPay, Finding, Rule
from confianza.declarations.service.findings import (
    DueList,
    OfficerChecks,
    allege,
    due_list,
    exam_checks,
    officer_checks,
)
from confianza.declarations.service.imports import import_documents
from confianza.declarations.service.reads import PAGE_SIZE, export_officer
from confianza.declarations.service.settings import check_settings, rates

router = APIRouter(tags=["declarations"], route_class=ContractRoute)
OFFICER = "/declarations/officers/{officer_id}"


def _documents(body: Any) -> list[tuple[str, Any]]:
    if isinstance(body, dict) and "results" in body and "metadata" not in body:
        if not isinstance(body["results"], list):
            raise ValidationFailed(FieldError("results", "is not a list"))
        return [(f"results[{i}]", d) for i, d in enumerate(body["results"])]
    if isinstance(body, list):
        return [(f"[{i}]", d) for i, d in enumerate(body)]
    return [("(the body)", body)]


@router.post("/declarations", dependencies=[permit(P.DECLARATION_IMPORT)], status_code=201,
             responses=problems(422))
def import_declarations(actor: ActorDep, uow: UowDep, container: ContainerDep,
                        body: Annotated[Any, Body()]) -> dict[str, Any]:
    """Import S1 declarations, all of them or none (every fault named by document and JSON
    path)."""
    documents = _documents(body)
    if not documents:
        raise ValidationFailed(FieldError("results", "holds no declaration"))
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False)
                            .encode("utf-8")).hexdigest()
    done = import_documents(uow, actor, documents, rates=rates(container.settings),
                            source="api", sha256=digest)
    return {"declarations": done.declarations, "officers": done.officers,
            "kinds": done.by_kind}


@router.get(OFFICER, dependencies=[permit(P.DECLARATION_READ)])
def officer_declarations(
    actor: ActorDep, uow: UowDep, officer_id: int,
    page: Annotated[int, Query(description="Page to show, from 1")] = 1,
    page_size: Annotated[int, Query(alias="pageSize", description="Declarations a page, 1 "
                                    "to 200")] = PAGE_SIZE,
) -> dict[str, Any]:
    """The officer's declarations as the PDN's S1 API answers them (`resDeclaraciones`)."""
    return export_officer(uow, actor, officer_id, page=page, page_size=page_size)


def _finding(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule.value, "declaration_id": f.declaration_id,
            "amount_mxn": None if f.amount is None else round(f.amount, 2),
            "ratio": None if f.ratio is None else round(f.ratio, 3), "es": f.es, "en": f.en}


def _checks(checks: OfficerChecks) -> dict[str, Any]:
    return {
        "officer_id": checks.officer_id,
        "declarations": [{"id": d.id, "source_id": d.source_id, "kind": d.kind.value,
                          "complete": d.complete, "year": d.year,
                          "filed_on": d.filed_on.isoformat(),
                          "public_income_year_mxn": round(d.public_income_year, 2),
                          "total_income_year_mxn": round(d.total_income_year, 2),
                          "sha256": checks.sha256.get(d.id),
                          "registry_pay": _pay(checks.expected.get(d.id))}
                         for d in checks.declarations],
        "findings": [_finding(f) for f in checks.findings],
        # The officer's imported payroll by year, latest first (ADR 0038, addendum 4).
        "payroll": [{"year": p.year, "gross": p.gross, "currency": p.currency,
                     "gross_mxn": round(p.gross_mxn, 2), "source": p.source,
                     "file": p.file_name} for p in checks.payroll],
    }


def _pay(known: ExpectedPay | None) -> dict[str, Any] | None:
    """The pay the registry knows for the year a declaration states, and where it is from."""
    if known is None:
        return None
    return {"year": known.year, "mxn": round(known.pesos, 2),
            "from": "payroll" if known.payroll else "scale", "es": known.es, "en": known.en}


@router.get(f"{OFFICER}/checks", dependencies=[permit(P.DECLARATION_CHECK_READ)])
def officer_findings(actor: ActorDep, uow: UowDep, container: ContainerDep,
                     officer_id: int) -> dict[str, Any]:
    """What each rule finds in the officer's declarations, and the declarations read."""
    return _checks(officer_checks(uow, actor, officer_id, check_settings(container.settings)))


@router.post(f"{OFFICER}/checks/{{rule}}/case", dependencies=[permit(P.CASE_OPEN)],
             status_code=201, responses=problems(409))
def open_case_from_finding(actor: ActorDep, uow: UowDep, container: ContainerDep,
                           officer_id: int, rule: Rule) -> dict[str, Any]:
    """Open an integrity case from the rule's finding, the declaration as its evidence."""
    done = allege(uow, actor, officer_id, rule, check_settings(container.settings))
    return {"case_id": done.case_id, "declaration_id": done.declaration_id,
            "sha256": done.sha256}


@router.get("/declarations/exams/{evaluation_id}/checks",
            dependencies=[permit(P.EXAM_RECORD)])
def exam_findings(actor: ActorDep, uow: UowDep, container: ContainerDep,
                  evaluation_id: int) -> dict[str, Any]:
    """The findings for the officer under evaluation (the socio-economic examiner's)."""
    return _checks(exam_checks(uow, actor, evaluation_id, check_settings(container.settings)))


def _due(found: DueList) -> dict[str, Any]:
    return {"total": found.total, "officers_in_scope": found.officers, "results": [
        {"officer_id": line.officer_id, "names": line.names, "curp": line.curp,
         "missing": [{"kind": d.kind.value, "year": d.year, "due": d.by.isoformat()}
                     for d in line.missing],
         "late": [{"kind": d.kind.value, "year": d.year, "due": d.by.isoformat(),
                   "filed_on": filed.isoformat()} for d, filed in line.late]}
        for line in found.lines]}


@router.get("/declarations/due", dependencies=[permit(P.DECLARATION_DUE_READ)])
def due(actor: ActorDep, uow: UowDep, container: ContainerDep,
        offset: Annotated[int, Query(ge=0, description="Officers to skip")] = 0,
        limit: Annotated[int, Query(ge=1, le=500, description="Officers a page")] = 100,
        ) -> dict[str, Any]:
    """The officers of the caller's scope with declarations missing or late."""
    return _due(due_list(uow, actor, check_settings(container.settings), offset=offset,
                         limit=limit))
