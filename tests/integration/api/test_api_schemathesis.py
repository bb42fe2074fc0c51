"""Schemathesis over every API operation, on both databases: no server error, and every answer
as the published description says (status, content type, body schema).

Each database gets a small registry (agencies, officers with postings, a centre, an evaluation
through to its decision) so that a generated id often names a record, and three real accounts
with tokens: an administrator, a national registry clerk and an agency HR account scoped to
one state. Every operation is called with generated input (valid and invalid), half the time
with ids of the seeded records, each example as one of the three accounts in turn. The run is
deterministic (derandomized, no example database) and bounded (MAX_EXAMPLES per operation).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from api_support import make_user
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from trust_matrix_support import TrustRecords

from confianza.accounts.rules.permissions import (
    ROLE_PERMISSIONS,
    Permission,
    Role,
    Scope,
    ScopeKind,
    system_actor,
)
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.app.contract import Permit, api_routes
from confianza.app.web import create_app
from confianza.registry.service import officers as officer_service

MAX_EXAMPLES = 60
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
OPERATOR = system_actor("schemathesis-operator")
SCOPES = {Role.AGENCY_HR: Scope(ScopeKind.STATE, state_code="14")}


class Registry:
    """The seeded records and the accounts, with fresh tokens whenever asked."""

    def __init__(self, container: Container, agencies: dict[str, int]) -> None:
        self.container = container
        # One account per role, national but for agency HR (scoped to Jalisco).
        self.users = {
            role: make_user(container, role, SCOPES.get(role, Scope()),
                            username=f"st-{role.value}".replace("_", "-"))
            for role in Role
        }
        officers = [self._officer(agencies["JAL-SSP"], f"Jalisco{n}") for n in range(3)]
        officers.append(self._officer(agencies["NL-FC"], "Leon"))
        usernames = {Role.EXAMINER: "st-examiner"}  # exams are booked to it
        trust = TrustRecords(container, agencies["JAL-SSP"], usernames,
                             lambda: self._officer(agencies["JAL-SSP"], "Evaluado"))
        evaluation = trust.awaiting_decision()
        self.ids: dict[str, Any] = {
            "officer_id": officers[0], "agency_id": agencies["JAL-SSP"],
            "centre_id": trust.centre_id, "evaluation_id": evaluation,
            "user_id": self.users[Role.REGISTRY_CLERK], "username": "st-registry-clerk",
            "seq": 1,
            "assignment_id": 1, "appeal_id": 1, "process_id": 1, "notification_id": 1,
            "token_id": 1,
        }
        self.tokens: dict[Role, str] = {}
        self.roles: Iterator[Role] = iter(())

    def _officer(self, agency_id: int, surname: str) -> int:
        new = officer_service.NewOfficer(
            "Ana", surname, assignment=officer_service.FirstAssignment(
                agency_id, "Policía", date(2015, 1, 16)))
        return officer_service.register_officer(self.container.uow(), OPERATOR,
                                                new).officer.id

    def refresh(self) -> None:
        """Accounts active and tokens fresh: an operation may have deactivated an account or
        revoked a token, and the next must still be called as each role."""
        inactive = {u.id for u in user_service.list_users(self.container.uow(), OPERATOR)
                    if not u.active}
        for name, user_id in self.users.items():
            if user_id in inactive:  # reactivating an active account is refused (409)
                user_service.set_user_active(self.container.uow(), OPERATOR, user_id, True)
            _, secret = user_service.issue_token(self.container.uow(), OPERATOR, user_id,
                                                 "schemathesis")
            self.tokens[name] = secret

    def callers(self, permissions: tuple[Permission, ...] | None) -> None:
        """Call the next operation as each role allowed to, in turn, and one role that is not
        (so that refusals are checked too)."""
        allowed = [r for r in Role if permissions is None
                   or set(permissions) & ROLE_PERMISSIONS[r]]
        refused = [r for r in Role if r not in allowed][:1]
        self.roles = itertools.cycle(allowed + refused)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[next(self.roles)]}"}


def _strategy(operation: Any, known: dict[str, Any]) -> st.SearchStrategy[Any]:
    strategies = [operation.as_strategy(GenerationMode.POSITIVE),
                  operation.as_strategy(GenerationMode.NEGATIVE)]
    names = {p.name for p in operation.path_parameters}
    fixed = {name: value for name, value in known.items() if name in names}
    if fixed:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE,
                                                path_parameters=fixed))
    return st.one_of(strategies)


def _run(operation: Any, strategy: st.SearchStrategy[Any],
         call: Callable[[Any], None]) -> None:
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def examples(case: Any) -> None:
        call(case)

    examples()


def test_every_operation_keeps_its_contract(
    container: Container, agencies: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    registry = Registry(container, agencies)
    app = create_app(container)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    permits = {(method, path): next((d.call.permissions for d in route.dependant.dependencies
                                     if isinstance(d.call, Permit)), None)
               for method, path, route in api_routes(app)}
    started = time.monotonic()
    failures: list[str] = []
    operations = 0
    statuses: dict[int, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        registry.refresh()
        registry.callers(permits[(operation.method.upper(), operation.path)])

        def call(case: Any) -> None:
            response = case.call_and_validate(headers=registry.headers(), checks=CHECKS)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        try:
            _run(operation, _strategy(operation, registry.ids), call)
        except (Exception, BaseExceptionGroup) as exc:  # every operation runs; failures listed
            failures.append(f"{operation.label}: {exc}")
    with capsys.disabled():
        print(f"\nschemathesis: {operations} operations on {container.uow().dialect} in "
              f"{time.monotonic() - started:.1f} s; answers {dict(sorted(statuses.items()))}")
    assert operations > 60
    assert failures == [], "\n\n".join(failures)
