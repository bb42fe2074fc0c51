"""Credential pages: the public verification page, and an officer's printable card.

`/verify` needs no login: whoever is shown a card (a citizen at a checkpoint, a court) scans
its QR code or pastes the credential, and reads the answer in plain Spanish or English. It is
rate-limited per client and reads only published status bits, so it is not audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from confianza.domain.credentials import Check, Verdict
from confianza.domain.permissions import Actor
from confianza.services import credentials as credential_service
from confianza.services.credentials import CredentialView
from confianza.web.credential_card import Card, card_context, card_pdf, labels, long_date
from confianza.web.deps import UowDep
from confianza.web.rate_limit import verify_limit
from confianza.web.ui.common import PageActor, render

router = APIRouter()

#: What the verification page says, by verdict, in the two languages it speaks.
VERDICTS: dict[str, dict[Verdict, tuple[str, str]]] = {
    "es": {
        Verdict.VALID: ("Válido", "Este certificado es auténtico y está vigente."),
        Verdict.EXPIRED: ("Vencido", "Este certificado fue auténtico, pero ya no está "
                          "vigente."),
        Verdict.NOT_YET_VALID: ("Aún no vigente", "Este certificado todavía no entra en "
                                "vigor."),
        Verdict.SUSPENDED: ("Suspendido", "Este certificado está suspendido: su titular no "
                            "puede ejercer funciones operativas mientras dure la suspensión."),
        Verdict.REVOKED: ("Revocado", "Este certificado fue revocado y ya no vale."),
        Verdict.NOT_OURS: ("No emitido por nosotros", "Esto no es un certificado emitido por "
                           "este sistema."),
        Verdict.ALTERED: ("Alterado", "Este certificado fue alterado o está dañado: no confíe "
                          "en lo que dice."),
        Verdict.STATUS_UNKNOWN: ("Estado desconocido", "La firma es auténtica, pero no se pudo "
                                 "confirmar si el certificado sigue vigente. No lo dé por "
                                 "válido."),
    },
    "en": {
        Verdict.VALID: ("Valid", "This certificate is authentic and in force."),
        Verdict.EXPIRED: ("Expired", "This certificate was authentic but is no longer in "
                          "force."),
        Verdict.NOT_YET_VALID: ("Not yet valid", "This certificate is not in force yet."),
        Verdict.SUSPENDED: ("Suspended", "This certificate is suspended: its holder may not "
                            "perform operational duties while the suspension lasts."),
        Verdict.REVOKED: ("Revoked", "This certificate was revoked and is no longer valid."),
        Verdict.NOT_OURS: ("Not issued by us", "This is not a certificate issued by this "
                           "system."),
        Verdict.ALTERED: ("Altered", "This certificate was altered or is damaged: do not trust "
                          "what it says."),
        Verdict.STATUS_UNKNOWN: ("Status unknown", "The signature is authentic, but whether "
                                 "the certificate is still in force could not be confirmed. "
                                 "Do not take it as valid."),
    },
}

PAGE: dict[str, dict[str, str]] = {
    "es": {"title": "Verificar un certificado", "intro": "Escanee el código QR de la "
           "credencial o pegue aquí el certificado (o el enlace del código).",
           "field": "Certificado o enlace", "submit": "Verificar", "other": "English",
           "name": "Nombre", "rank": "Cargo", "agency": "Corporación",
           "number": "Número de certificado", "from": "Vigente desde", "until": "Vigente hasta",
           "detail": "Detalle técnico", "again": "Verificar otro",
           "footer": "La verificación no requiere cuenta: comprueba la firma del emisor y el "
           "estado publicado del certificado, sin consultar datos personales."},
    "en": {"title": "Verify a certificate", "intro": "Scan the card's QR code or paste the "
           "certificate (or the code's link) here.", "field": "Certificate or link",
           "submit": "Verify", "other": "Español", "name": "Name", "rank": "Rank",
           "agency": "Agency", "number": "Certificate number", "from": "Valid from",
           "until": "Valid until", "detail": "Technical detail", "again": "Verify another",
           "footer": "Verifying needs no account: it checks the issuer's signature and the "
           "certificate's published status, without reading personal data."},
}

#: The verdicts shown in green; every other one is a warning, so nobody mistakes it for valid.
GOOD = frozenset({Verdict.VALID})


def _lang(value: str | None) -> str:
    return value if value in PAGE else "es"


@router.get("/verify")
def verify_page(request: Request, uow: UowDep,
                credential: Annotated[str | None, Query(max_length=20_000)] = None,
                lang: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    """The public verification page: a form, and the answer when a credential is given."""
    language = _lang(lang)
    result: Check | None = None
    if credential is not None and credential.strip():
        verify_limit(request).check(request)
        result = credential_service.check(uow, credential)
    context: dict[str, Any] = {"p": PAGE[language], "lang": language,
               "other_lang": "en" if language == "es" else "es", "presented": credential or "",
               "result": result}
    if result is not None:
        headline, sentence = VERDICTS[language][result.verdict]
        context.update(headline=headline, sentence=sentence, good=result.verdict in GOOD,
                       facts=result.facts,
                       dates=None if result.facts is None else (
                           long_date(result.facts.valid_from, language),
                           long_date(result.facts.valid_until, language)))
    return render(request, "credentials/verify.html", context,
                  headers={"Referrer-Policy": "no-referrer"})


def card_of(view: CredentialView, lang: str = "es") -> Card:
    """The printable card of a credential."""
    status = {"es": {"valid": "Vigente", "suspended": "Suspendido", "revoked": "Revocado"},
              "en": {"valid": "In force", "suspended": "Suspended", "revoked": "Revoked"}}
    return Card(facts=view.facts, verify_url=view.verify_url, issuer_name=view.issuer.name,
                issuer_id=view.issuer.did, kid=view.credential.kid,
                credential_id=view.credential.credential_id,
                status_text=status[_lang(lang)][view.state])


def _current(actor: Actor, uow: UowDep, officer_id: int) -> CredentialView | None:
    views = credential_service.officer_credentials(uow, actor, officer_id)
    return next((v for v in views if v.state != "revoked"), views[0] if views else None)


@router.get("/officers/{officer_id}/credential")
def credential_page(request: Request, officer_id: int, actor: PageActor, uow: UowDep,
                    lang: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    """An officer's current credential as a printable card, with its PDF."""
    language = _lang(lang)
    view = _current(actor, uow, officer_id)
    context: dict[str, Any] = {"officer_id": officer_id, "lang": language, "view": view,
                               "card_t": labels(language)}
    if view is not None:
        context.update(card_context(card_of(view, language), language))
        context["pdf_url"] = f"/officers/{officer_id}/credential.pdf?lang={language}"
    return render(request, "credential_card.html", context)


@router.get("/officers/{officer_id}/credential.pdf")
def credential_pdf(request: Request, officer_id: int, actor: PageActor, uow: UowDep,
                   lang: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    language = _lang(lang)
    view = _current(actor, uow, officer_id)
    if view is None:
        return render(request, "credential_card.html",
                      {"officer_id": officer_id, "lang": language, "view": None,
                       "card_t": labels(language)}, status=404)
    name = view.facts.certificate_number
    return Response(card_pdf(card_of(view, language), language), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})
