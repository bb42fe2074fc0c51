"""Roles and scopes: who may do what, and over which part of the force."""

from __future__ import annotations

import pytest

from confianza.accounts.rules.permissions import (
    ROLE_PERMISSIONS,
    Actor,
    ActorKind,
    Holder,
    Permission,
    Role,
    Scope,
    ScopeKind,
    system_actor,
)
from confianza.registry.rules.officers import fold, search_key


def test_every_role_has_an_entry_and_permissions_are_tagged() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    for permission in Permission:
        assert len(permission.value.split(":")) == 3


def test_separation_of_duties_in_the_role_table() -> None:
    # Auditors read the trail but change nothing and never see contact data.
    auditor = ROLE_PERMISSIONS[Role.AUDITOR]
    assert Permission.AUDIT_READ in auditor
    assert not any(p.value.endswith((":write", ":merge", ":import")) for p in auditor)
    assert Permission.OFFICER_SENSITIVE_READ not in auditor
    # Administrators run the system, they do not edit the people in it.
    admin = ROLE_PERMISSIONS[Role.ADMINISTRATOR]
    assert Permission.OFFICER_WRITE not in admin
    assert Permission.OFFICER_SENSITIVE_READ not in admin


def test_scopes() -> None:
    jalisco = Holder(frozenset({7}), frozenset({"14"}))
    assert Scope().covers(jalisco)
    assert Scope(ScopeKind.STATE, state_code="14").covers(jalisco)
    assert not Scope(ScopeKind.STATE, state_code="19").covers(jalisco)
    assert Scope(ScopeKind.AGENCY, agency_id=7).covers(jalisco)
    assert not Scope(ScopeKind.AGENCY, agency_id=8).covers(jalisco)
    assert not Scope(ScopeKind.STATE, state_code="14").covers(Holder())
    with pytest.raises(ValueError):
        Scope(ScopeKind.STATE)


def test_system_actor_holds_everything_but_users_only_their_role() -> None:
    assert all(system_actor().has(p) for p in Permission)
    examiner = Actor(1, "exam", Role.EXAMINER, Scope(), ActorKind.USER)
    assert examiner.has(Permission.OFFICER_READ)
    assert not examiner.has(Permission.OFFICER_SEARCH)


def test_names_fold_for_search() -> None:
    assert fold("  Peña   Núñez ") == "PENA NUNEZ"
    assert search_key("Peña", None, "José Ángel") == "PENA JOSE ANGEL"
