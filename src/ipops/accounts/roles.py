"""Roles of users and kinds of organisations."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    POOL_ADMIN = "pool_admin"
    EXPERT = "expert"
    POOL_MEMBER = "pool_member"
    LICENSEE = "licensee"
    BANK_OFFICER = "bank_officer"
    ENTERPRISE_USER = "enterprise_user"
    ANALYST = "analyst"


class OrgKind(StrEnum):
    PLATFORM = "platform"
    POOL = "pool"
    BANK = "bank"
    ENTERPRISE = "enterprise"
    MEMBER_COMPANY = "member_company"
    EXPERT_PANEL = "expert_panel"
    ANALYST_GROUP = "analyst_group"


ALL_ROLES: frozenset[Role] = frozenset(Role)

# The kind of organisation a role usually belongs to (a default for `ipops users add --org`).
HOME_ORG_KIND: dict[Role, OrgKind] = {
    Role.PLATFORM_ADMIN: OrgKind.PLATFORM,
    Role.POOL_ADMIN: OrgKind.POOL,
    Role.EXPERT: OrgKind.EXPERT_PANEL,
    Role.POOL_MEMBER: OrgKind.MEMBER_COMPANY,
    Role.LICENSEE: OrgKind.ENTERPRISE,
    Role.BANK_OFFICER: OrgKind.BANK,
    Role.ENTERPRISE_USER: OrgKind.ENTERPRISE,
    Role.ANALYST: OrgKind.ANALYST_GROUP,
}
