"""Account routes: staff accounts, their API tokens, and who the caller is."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from confianza.accounts.rules.permissions import ROLE_PERMISSIONS, ActorKind, Permission
from confianza.accounts.rules.permissions import Permission as P
from confianza.accounts.schemas import (
    IssuedToken,
    MeOut,
    Revoked,
    TokenIn,
    UserIn,
    UserList,
    UserOut,
)
from confianza.accounts.service import users as user_service
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, UowDep

router = APIRouter(tags=["users"], route_class=ContractRoute)


@router.post("/users", dependencies=[permit(P.USER_MANAGE)],
             status_code=201, response_model=UserOut, responses=problems(409))
def create_user(body: UserIn, actor: ActorDep, uow: UowDep, response: Response) -> UserOut:
    """Open a staff account with a role and a scope."""
    user = user_service.create_user(
        uow, actor,
        user_service.NewUser(body.username, body.display_name, body.password, body.role,
                             body.scope.to_domain()),
    )
    # Accounts are listed, not read one by one; the list is where a new account shows.
    response.headers["Location"] = "/api/v1/users"
    return UserOut.model_validate(user)


@router.get("/users", dependencies=[permit(P.USER_MANAGE)], response_model=UserList)
def list_users(actor: ActorDep, uow: UowDep) -> UserList:
    """Every staff account."""
    return UserList(items=user_service.list_users(uow, actor))


@router.post("/users/{user_id}/deactivate", dependencies=[permit(P.USER_MANAGE)],
             response_model=UserOut, responses=problems(409))
def deactivate_user(user_id: int, actor: ActorDep, uow: UowDep) -> UserOut:
    """Close an account: its sessions and tokens stop working at once."""
    return UserOut.model_validate(user_service.set_user_active(uow, actor, user_id, False))


@router.post("/users/{user_id}/reactivate", dependencies=[permit(P.USER_MANAGE)],
             response_model=UserOut, responses=problems(409))
def reactivate_user(user_id: int, actor: ActorDep, uow: UowDep) -> UserOut:
    """Open a closed account again. Its old sessions and tokens stay ended: the person signs
    in again and issues new tokens."""
    return UserOut.model_validate(user_service.set_user_active(uow, actor, user_id, True))


@router.post("/users/{user_id}/tokens", status_code=201, response_model=IssuedToken)
def issue_token(
    user_id: int, body: TokenIn, actor: ActorDep, uow: UowDep, response: Response
) -> IssuedToken:
    """Issue an API token; the secret is in this response only. Anyone may issue their own."""
    info, secret = user_service.issue_token(uow, actor, user_id, body.name, body.expires_at)
    response.headers["Location"] = f"/api/v1/tokens/{info.id}"
    return IssuedToken.of_record(info, secret=secret)


@router.delete("/tokens/{token_id}", response_model=Revoked)
async def revoke_token(token_id: int, actor: ActorDep, uow: UowDep) -> Revoked:
    """Revoke an API token (one's own, or anyone's with token management)."""
    user_service.revoke_token(uow, actor, token_id)
    return Revoked(id=token_id)


@router.get("/me", response_model=MeOut)
async def me(actor: ActorDep, request: Request) -> MeOut:
    """Who the caller is, what the role allows, and (for a session) the CSRF token."""
    held = ROLE_PERMISSIONS[actor.role] if actor.kind is not ActorKind.SYSTEM else set(Permission)
    return MeOut.of_record(actor, permissions=sorted(held),
                           csrf_token=getattr(request.state, "csrf_token", None))
