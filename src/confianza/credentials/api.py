"""Credential routes: an officer's signed CUP credentials, and a public check of one.

The check needs no login (a citizen, a court or another agency verifies what they are shown)
and is rate-limited per client; it reads no stored personal data, only the published status
bits, so it is not audited.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, IssuerDep, UowDep
from confianza.core.web.rate_limit import enforce_verify_limit
from confianza.core.web.schemas import Output, fields_of
from confianza.credentials import service as credential_service
from confianza.credentials.rules.credential import Check, CupFacts
from confianza.credentials.service import CredentialView

router = APIRouter(tags=["credentials"], route_class=ContractRoute)


class CredentialOut(Output):
    credential_id: str
    certificate_id: int
    certificate_number: str
    status: str = Field(description="valid, suspended or revoked (as published)")
    status_reason: str | None
    valid_from: date
    valid_until: date
    kid: str
    token: str = Field(description="The credential, a vc+jwt")
    verify_url: str = Field(description="The verification link carrying the vc+jwt")
    qr_url: str = Field(description="What the card's QR code carries: the link of the "
                        "compact credential (a COSE_Sign1 in base32), which opens the "
                        "verification page and verifies offline")

    @classmethod
    def of(cls, view: CredentialView) -> CredentialOut:
        """The stored credential, with the facts it discloses, its state and its links."""
        facts = view.facts
        return cls.of_record(
            view.credential, certificate_number=facts.certificate_number, status=view.state,
            valid_from=facts.valid_from, valid_until=facts.valid_until,
            verify_url=view.verify_url, qr_url=view.qr_url)


class VerifyIn(BaseModel):
    credential: str = Field(min_length=1, max_length=20_000,
                            description="A vc+jwt or a verification link carrying one; or "
                            "the text of a card's QR code: the compact credential or its link")


class FactsOut(Output):
    # What the credential discloses: the fields of credentials.rules.credential.CupFacts.
    __annotations__ = fields_of(CupFacts)


class CheckOut(Output):
    verdict: str = Field(description="valid, expired, not_yet_valid, suspended, revoked, "
                         "not_ours, altered or status_unknown")
    reason: str
    message: str
    credential_id: str | None
    kid: str | None
    facts: FactsOut | None

    @classmethod
    def of(cls, check: Check) -> CheckOut:
        """The check as it ended, its verdict by value."""
        return cls.of_record(check, verdict=check.verdict.value)


@router.get("/officers/{officer_id}/credentials", dependencies=[permit(P.CUP_READ)],
            response_model=list[CredentialOut])
async def officer_credentials(officer_id: int, actor: ActorDep,
                              uow: UowDep, issuer: IssuerDep) -> list[CredentialOut]:
    """An officer's signed CUP credentials, newest first, with their published status."""
    return [CredentialOut.of(v)
            for v in credential_service.officer_credentials(uow, actor, officer_id,
                                                            issuer=issuer)]


@router.post("/credentials/verify", dependencies=[Depends(enforce_verify_limit)],
             response_model=CheckOut, responses=problems(404))
async def verify_credential(body: VerifyIn, uow: UowDep, issuer: IssuerDep) -> CheckOut:
    """Check a credential as anyone would: signature, validity dates and published status.
    No login; limited per client address."""
    return CheckOut.of(credential_service.check(uow, body.credential, issuer=issuer))
