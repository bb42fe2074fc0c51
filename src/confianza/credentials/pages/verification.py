"""Credential pages: the public verification page, and an officer's printable card.

`/verify` needs no login: whoever is shown a card (a citizen at a checkpoint, a court) scans
its QR code or pastes the credential, and reads the answer in plain Spanish or English. It is
rate-limited per client and reads only published status bits, so it is not audited. The card's
QR code opens `/v/<compact credential>` (ADR 0020), the same page with the same answer.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from confianza.accounts.rules.permissions import Actor
from confianza.app import deps
from confianza.app.deps import UowDep
from confianza.app.rendering import PageActor, render
from confianza.core.web import i18n
from confianza.core.web.i18n import Messages
from confianza.core.web.rate_limit import verify_limit
from confianza.credentials import service as credential_service
from confianza.credentials.pages.card import (
    Card,
    card_context,
    card_pdf,
    labels,
    long_date,
    status_text,
)
from confianza.credentials.rules.credential import Check, Verdict
from confianza.credentials.rules.issuer import Issuer
from confianza.credentials.service import CredentialView

router = APIRouter()

#: What the verification page says, by verdict: a headline and one sentence (Spanish source,
#: translated per request like every page).
VERDICT_HEADLINE: Final[Messages[Verdict]] = Messages({
    Verdict.VALID: "Válido",
    Verdict.EXPIRED: "Vencido",
    Verdict.NOT_YET_VALID: "Aún no vigente",
    Verdict.SUSPENDED: "Suspendido",
    Verdict.REVOKED: "Revocado",
    Verdict.NOT_OURS: "No emitido por nosotros",
    Verdict.ALTERED: "Alterado",
    Verdict.STATUS_UNKNOWN: "Estado desconocido",
})

VERDICT_SENTENCE: Final[Messages[Verdict]] = Messages({
    Verdict.VALID: "Este certificado es auténtico y está vigente.",
    Verdict.EXPIRED: "Este certificado fue auténtico, pero ya no está vigente.",
    Verdict.NOT_YET_VALID: "Este certificado todavía no entra en vigor.",
    Verdict.SUSPENDED: (
        "Este certificado está suspendido: su titular no puede ejercer funciones operativas "
        "mientras dure la suspensión."
    ),
    Verdict.REVOKED: "Este certificado fue revocado y ya no vale.",
    Verdict.NOT_OURS: "Esto no es un certificado emitido por este sistema.",
    Verdict.ALTERED: "Este certificado fue alterado o está dañado: no confíe en lo que dice.",
    Verdict.STATUS_UNKNOWN: (
        "La firma es auténtica, pero no se pudo confirmar si el certificado sigue vigente. No "
        "lo dé por válido."
    ),
})

#: The page's own words (`p.<key>` in credentials/verify.html).
PAGE: Final[Messages[str]] = Messages({
    "title": "Verificar un certificado",
    "intro": (
        "Escanee el código QR de la credencial o pegue aquí el certificado (o el enlace del "
        "código)."
    ),
    "field": "Certificado o enlace",
    "submit": "Verificar",
    "facts": "Datos del certificado",
    "name": "Nombre",
    "rank": "Cargo",
    "agency": "Corporación",
    "number": "Número de certificado",
    "from": "Vigente desde",
    "until": "Vigente hasta",
    "detail": "Detalle técnico",
    "again": "Verificar otro",
    "footer": (
        "La verificación no requiere cuenta: comprueba la firma del emisor y el estado "
        "publicado del certificado, sin consultar datos personales."
    ),
})

#: The verdicts shown in green; every other one is a warning, so nobody mistakes it for valid.
GOOD = frozenset({Verdict.VALID})


@router.get("/verify")
def verify_page(request: Request, uow: UowDep,
                credential: Annotated[str | None, Query(max_length=20_000)] = None) -> Response:
    """The public verification page: a form, and the answer when a credential is given.

    Its language is the request's (`?lang=`, then the cookie; see app/web.py), and the page's
    language link keeps the credential, so switching shows the same answer.
    """
    return _verify(request, uow, credential)


@router.get("/v/{compact}")
def compact_page(request: Request, uow: UowDep,
                 compact: Annotated[str, Path(max_length=2_000)]) -> Response:
    """The verification page of the compact credential in the card's QR code: what a phone
    camera opens. Having reached this server, the link's address is ours whatever name a proxy
    gave the request: the text is checked as this issuer's."""
    return _verify(request, uow, compact)


def _verify(request: Request, uow: UowDep, credential: str | None) -> Response:
    language = i18n.current()
    result: Check | None = None
    if credential is not None and credential.strip():
        verify_limit(request).check(request)
        result = credential_service.check(uow, credential, issuer=deps.issuer(request))
    context: dict[str, Any] = {"p": PAGE, "lang": language, "presented": credential or "",
                               "result": result}
    if result is not None:
        context.update(headline=VERDICT_HEADLINE[result.verdict],
                       sentence=VERDICT_SENTENCE[result.verdict],
                       good=result.verdict in GOOD, facts=result.facts,
                       dates=None if result.facts is None else (
                           long_date(result.facts.valid_from, language),
                           long_date(result.facts.valid_until, language)))
    return render(request, "credentials/verify.html", context,
                  headers={"Referrer-Policy": "no-referrer"})


def card_of(view: CredentialView, lang: str | None = None) -> Card:
    """The printable card of a credential, its state in `lang` (or the request's language)."""
    return Card(facts=view.facts, verify_url=view.verify_url, issuer_name=view.issuer.name,
                issuer_id=view.issuer.did, kid=view.credential.kid,
                credential_id=view.credential.credential_id,
                status_text=status_text(view.state, lang), qr_url=view.qr_url)


def _current(actor: Actor, uow: UowDep, officer_id: int,
             issuer: Issuer | None) -> CredentialView | None:
    views = credential_service.officer_credentials(uow, actor, officer_id, issuer=issuer)
    return next((v for v in views if v.state != "revoked"), views[0] if views else None)


@router.get("/officers/{officer_id}/credential")
def credential_page(request: Request, officer_id: int, actor: PageActor,
                    uow: UowDep) -> Response:
    """An officer's current credential as a printable card, with its PDF."""
    language = i18n.current()
    view = _current(actor, uow, officer_id, deps.issuer(request))
    context: dict[str, Any] = {"officer_id": officer_id, "lang": language, "view": view,
                               "card_t": labels(language)}
    if view is not None:
        context.update(card_context(card_of(view, language), language))
        # The PDF link names its language: a download manager does not send the cookie.
        context["pdf_url"] = f"/officers/{officer_id}/credential.pdf?lang={language}"
    return render(request, "credential_card.html", context)


@router.get("/officers/{officer_id}/credential.pdf")
def credential_pdf(request: Request, officer_id: int, actor: PageActor,
                   uow: UowDep) -> Response:
    language = i18n.current()
    view = _current(actor, uow, officer_id, deps.issuer(request))
    if view is None:
        return render(request, "credential_card.html",
                      {"officer_id": officer_id, "lang": language, "view": None,
                       "card_t": labels(language)}, status=404)
    name = view.facts.certificate_number
    # Drawn here rather than in a template, so the language is named rather than read from
    # the request's context.
    with i18n.speaking(language):
        pdf = card_pdf(card_of(view), language)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})
