"""What each role sees in the menu follows the authorization policy (one table)."""

from __future__ import annotations

import pytest

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.web.nav import NAV_ITEMS
from ipops.web.roles import ROLE_INTROS, ROLE_LABELS


def visible_keys(role: Role) -> list[str]:
    user = User(id=1, username="x", display_name="x", role=role.value, is_active=True)
    return [
        item.key
        for item in NAV_ITEMS
        if item.action is None
        or item.resource_type is None
        or authz.can(user, item.action, item.resource_type)
    ]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_home_and_search(role: Role) -> None:
    assert visible_keys(role)[:2] == ["home", "search"]


@pytest.mark.parametrize("role", list(Role))
def test_only_the_platform_admin_sees_the_audit_log(role: Role) -> None:
    assert ("audit" in visible_keys(role)) == (role is Role.PLATFORM_ADMIN)


def test_every_nav_permission_exists_in_the_policy() -> None:
    for item in NAV_ITEMS:
        if item.action and item.resource_type:
            assert authz.rules_for(item.action, item.resource_type)


def test_every_role_has_a_name_and_an_introduction() -> None:
    assert set(ROLE_LABELS) == set(Role) == set(ROLE_INTROS)
