"""The certification section of the officer profile: standing, validity, CUP components and
certificates, and the history of evaluations with their verdicts (never exam results)."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.app import deps
from confianza.certification.service import certificates as certificate_service
from confianza.core.web import strings
from confianza.vetting.rules.evaluations import EvaluationStatus
from confianza.vetting.rules.records import Certificate
from confianza.vetting.service import evaluations as evaluation_service


def section(request: Request, actor: Actor, officer_id: int) -> dict[str, Any]:
    """What the profile template needs for the section; empty for roles that hold neither
    permission, so the section is not shown (asking would only write a refusal)."""
    reads_cup = actor.has(Permission.CUP_READ)
    reads_evaluations = actor.has(Permission.EVALUATION_READ)
    if not (reads_cup or reads_evaluations):
        return {"cert_section": False}
    uow = deps.get_uow(request)
    certification = (certificate_service.officer_certification(uow, actor, officer_id)
                     if reads_cup else None)
    history = (evaluation_service.officer_evaluations(uow, actor, officer_id)
               if reads_evaluations else None)
    under_way = next((e for e in history or [] if e.status.is_open), None)
    current: Certificate | None = certification.current if certification else None
    return {
        "cert_section": True,
        "cert": certification,
        "cert_current": current,
        "cert_past": [c for c in certification.certificates if c.ended_on is not None]
        if certification else [],
        "cert_history": history,
        "cert_under_way": under_way,
        "cert_today": deps.get_container(request).today(),
        # Offered by role to spare a dead end; the services decide and record.
        "cert_can_request": actor.has(Permission.EVALUATION_REQUEST) and under_way is None,
        "cert_can_appeal": actor.has(Permission.APPEAL_FILE),
        "cert_not_approved": EvaluationStatus.NOT_APPROVED,
        "cert_notice": strings.TC_NOTICES.get(request.query_params.get("aviso", "")),
        "tl": strings.TrustLabels,
    }
