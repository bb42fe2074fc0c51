"""The certification section of the officer profile: standing, validity, CUP components and
certificates, and the history of evaluations with their verdicts (never exam results)."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.app import deps
from confianza.certification.service.certificates import CertificationView
from confianza.core.web import strings
from confianza.trail.rules import RecordSection
from confianza.vetting.rules.evaluations import EvaluationStatus
from confianza.vetting.rules.records import Certificate, Evaluation


def sections(actor: Actor) -> tuple[RecordSection, ...]:
    """The parts of the record this section shows that the role reads: the profile asks for
    them with the rest of the record, in its one read. None for a role that holds neither
    permission, so the section is not shown (asking would only write a refusal)."""
    return tuple(section for section, permission in (
        (RecordSection.CERTIFICATE, Permission.CUP_READ),
        (RecordSection.EVALUATIONS, Permission.EVALUATION_READ),
    ) if actor.has(permission))


def section(request: Request, actor: Actor, certification: CertificationView | None,
            history: list[Evaluation] | None) -> dict[str, Any]:
    """What the profile template needs for the section, from what the profile read (None for
    a part the role does not read); `cert_section` false when it read neither."""
    if certification is None and history is None:
        return {"cert_section": False}
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
