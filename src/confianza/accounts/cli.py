"""`confianza users`: staff accounts and their API tokens."""

from __future__ import annotations

import sys
from datetime import timedelta

import typer

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.accounts.service import users as user_service
from confianza.app.cli import UsageProblem, container, operator, out
from confianza.core.errors import NotFound
from confianza.registry.service import agencies as agency_service
from confianza.work import UnitOfWork

app = typer.Typer(help="Staff accounts and API tokens.", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        # A script waiting on a prompt nobody sees is worse than a clear refusal.
        raise UsageProblem("no terminal to ask for the password: pass --password-stdin and "
                           "write the password to standard input")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _user_id(uow: UnitOfWork, actor: Actor, username: str) -> int:
    """The id of the account named `username`; NotFound naming it otherwise."""
    matches = [u for u in user_service.list_users(uow, actor) if u.username == username]
    if not matches:
        raise NotFound(f"user {username} does not exist")
    return matches[0].id


@app.command("create")
def create(
    username: str = typer.Argument(..., help="Sign-in name: lower-case letters, digits, ._-"),
    role: Role = typer.Option(..., help="What the account may do."),
    scope_state: str | None = typer.Option(None, help="Limit to one state (INEGI code, 14)."),
    scope_agency: str | None = typer.Option(None, help="Limit to one agency (its code)."),
    display_name: str | None = typer.Option(None, help="Name shown in pages and the trail."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
) -> None:
    """Create a staff account (national scope unless --scope-state or --scope-agency)."""
    if scope_state and scope_agency:
        raise UsageProblem("give --scope-state or --scope-agency, not both")
    password = _password(password_stdin)
    built = container()
    try:
        uow, actor = built.uow(), operator()
        scope = Scope()
        if scope_state:
            scope = Scope(ScopeKind.STATE, state_code=scope_state.strip().zfill(2))
        elif scope_agency:
            code = scope_agency.strip().upper()
            found = [a for a in agency_service.search_agencies(uow, actor, text=code, limit=500)
                     if a.code == code]
            if not found:
                raise NotFound(f"no agency has code {code}")
            scope = Scope(ScopeKind.AGENCY, agency_id=found[0].id)
        new = user_service.NewUser(username, display_name or username, password, role, scope)
        user = user_service.create_user(uow, actor, new)
    finally:
        built.dispose()
    out.print(f"created user {user.username} (id {user.id}, {user.role.value}, "
              f"{user.scope.describe()})")


@app.command("token", help="Issue an API token for an account; the secret is printed once, to "
                           "standard output.\n\n"
                           "The token records the operator who issued it, and every act made with "
                           "it names them beside the account (ADR 0021): prefer that the person "
                           "issues their own.")
def token(
    username: str = typer.Argument(..., help="The account the token acts as."),
    name: str = typer.Option(..., help="What the token is for, e.g. 'payroll sync'."),
    expires_days: int | None = typer.Option(None, min=1, help="Days until it expires."),
) -> None:
    built = container()
    try:
        uow, actor = built.uow(), operator()
        user_id = _user_id(uow, actor, username)
        expires = (built.now() + timedelta(days=expires_days)) if expires_days else None
        info, secret = user_service.issue_token(uow, actor, user_id, name, expires)
    finally:
        built.dispose()
    typer.echo(secret)
    print(f"token {info.id} issued to {username} by {info.issued_by}; every act made with it "
          "names both; it is shown only this once", file=sys.stderr)


@app.command("reactivate", help="Open a deactivated account again (for example the last "
                                "administrator's). Its old sessions and tokens stay ended.")
def reactivate(
    username: str = typer.Argument(..., help="The deactivated account to open again."),
) -> None:
    built = container()
    try:
        uow, actor = built.uow(), operator()
        user = user_service.set_user_active(uow, actor, _user_id(uow, actor, username), True)
    finally:
        built.dispose()
    out.print(f"reactivated user {user.username} (id {user.id}, {user.role.value})")
