"""The policy table: roles, per-object scopes, hiding what one may not see, query filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from ipops.accounts import authz
from ipops.accounts.authz import POLICY, Rule, Scope, rule
from ipops.accounts.models import ApiToken, User
from ipops.accounts.roles import ALL_ROLES, Role
from ipops.errors import Forbidden, NotFound

DOCS = Path(__file__).resolve().parents[2] / "docs" / "accounts.md"


def make_user(role: Role, user_id: int = 1, organisation_id: int | None = None) -> User:
    return User(
        id=user_id,
        username=f"u{user_id}",
        display_name="u",
        role=role.value,
        organisation_id=organisation_id,
        password_hash="x",
        is_active=True,
        created_at=datetime.now(UTC),
    )


@dataclass
class LoanApplication:
    id: int
    organisation_id: int


LOANS = (
    *POLICY,
    rule("finance:read", "loan_application", [Role.BANK_OFFICER], Scope.ORGANISATION),
    rule("finance:read", "loan_application", [Role.PLATFORM_ADMIN]),
)


def test_every_role_reads_the_corpus() -> None:
    for role in Role:
        assert authz.can(make_user(role), "corpus:read", "corpus")
    assert not authz.can(None, "corpus:read", "corpus")


def test_only_platform_admins_manage_users_and_read_the_audit_trail() -> None:
    for role in Role:
        allowed = role is Role.PLATFORM_ADMIN
        assert authz.can(make_user(role), "users:manage", "user") is allowed
        assert authz.can(make_user(role), "audit:read", "audit_record") is allowed


def test_an_inactive_user_may_do_nothing() -> None:
    user = make_user(Role.PLATFORM_ADMIN)
    user.is_active = False
    assert not authz.can(user, "corpus:read", "corpus")


def test_self_scope_is_only_oneself() -> None:
    me, other = make_user(Role.EXPERT, 1), make_user(Role.EXPERT, 2)
    assert authz.can(me, "users:read", "user", me)
    assert not authz.can(me, "users:read", "user", other)
    assert not authz.can(me, "users:read", "user")


def test_own_scope_and_hiding_other_peoples_objects() -> None:
    me = make_user(Role.LICENSEE, 1)
    mine = ApiToken(id=10, user_id=1, name="a", token_hash="h", created_at=datetime.now(UTC))
    theirs = ApiToken(id=11, user_id=2, name="b", token_hash="i", created_at=datetime.now(UTC))
    authz.require(me, "tokens:manage", "api_token", mine)
    with pytest.raises(NotFound):
        authz.require(me, "tokens:manage", "api_token", theirs, hide=True)
    with pytest.raises(Forbidden, match="licensee role may not do tokens:manage"):
        authz.require(me, "tokens:manage", "api_token", theirs)
    authz.require(make_user(Role.PLATFORM_ADMIN, 3), "tokens:manage", "api_token", theirs)


def test_organisation_scope_a_bank_sees_only_its_applications() -> None:
    bank_a = make_user(Role.BANK_OFFICER, 1, organisation_id=7)
    no_bank = make_user(Role.BANK_OFFICER, 2, organisation_id=None)
    routed_to_a, routed_to_b = LoanApplication(1, 7), LoanApplication(2, 8)
    assert authz.can(bank_a, "finance:read", "loan_application", routed_to_a, policy=LOANS)
    assert not authz.can(bank_a, "finance:read", "loan_application", routed_to_b, policy=LOANS)
    assert not authz.can(no_bank, "finance:read", "loan_application", routed_to_a, policy=LOANS)
    admin = make_user(Role.PLATFORM_ADMIN, 3)
    assert authz.can(admin, "finance:read", "loan_application", routed_to_b, policy=LOANS)
    enterprise = make_user(Role.ENTERPRISE_USER, 4, organisation_id=7)
    with pytest.raises(Forbidden):
        authz.require(enterprise, "finance:read", "loan_application", routed_to_a, policy=LOANS)


def test_restrict_filters_a_query_to_the_scope() -> None:
    query = select(ApiToken)
    mine = authz.restrict(
        query,
        user=make_user(Role.ANALYST, 5),
        action="tokens:manage",
        resource_type="api_token",
        model=ApiToken,
    )
    assert "api_tokens.user_id = :user_id_1" in str(mine)
    everyone = authz.restrict(
        query,
        user=make_user(Role.PLATFORM_ADMIN),
        action="tokens:manage",
        resource_type="api_token",
        model=ApiToken,
    )
    assert "WHERE" not in str(everyone)
    nothing = authz.restrict(
        select(User),
        user=make_user(Role.ANALYST),
        action="audit:read",
        resource_type="audit_record",
        model=User,
    )
    assert "false" in str(nothing).lower() or "0 = 1" in str(nothing)


def test_a_typo_in_a_permission_is_an_error_not_a_denial() -> None:
    with pytest.raises(authz.UnknownPermission):
        authz.can(make_user(Role.PLATFORM_ADMIN), "users:manga", "user")


def test_policy_rows_are_well_formed() -> None:
    for row in POLICY:
        assert isinstance(row, Rule)
        assert ":" in row.action
        assert row.roles and row.roles <= ALL_ROLES


def test_docs_show_the_policy_table_as_it_is() -> None:
    assert authz.policy_markdown() in DOCS.read_text(encoding="utf-8")
