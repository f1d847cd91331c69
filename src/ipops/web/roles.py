"""How the UI names each role, and the line under the greeting on its home page."""

from __future__ import annotations

from ipops.accounts.roles import Role
from ipops.web.i18n import N_

ROLE_LABELS: dict[str, str] = {
    Role.PLATFORM_ADMIN: N_("Platform administrator"),
    Role.POOL_ADMIN: N_("Patent pool administrator"),
    Role.EXPERT: N_("Expert"),
    Role.POOL_MEMBER: N_("Pool member"),
    Role.LICENSEE: N_("Licensee"),
    Role.BANK_OFFICER: N_("Bank officer"),
    Role.ENTERPRISE_USER: N_("Enterprise user"),
    Role.ANALYST: N_("Analyst"),
}

ROLE_INTROS: dict[str, str] = {
    Role.PLATFORM_ADMIN: N_("Run the platform: patent data, users and the audit trail."),
    Role.POOL_ADMIN: N_("Manage the patent pool: members, reviews, licences and royalties."),
    Role.EXPERT: N_("Review the patents assigned to you for essentiality."),
    Role.POOL_MEMBER: N_("Follow your patents in the pool and your royalty shares."),
    Role.LICENSEE: N_("See your licences and report royalties."),
    Role.BANK_OFFICER: N_("See matched loan applications and the value of pledged patents."),
    Role.ENTERPRISE_USER: N_("See your IP profile and apply for IP-pledge financing."),
    Role.ANALYST: N_("Explore innovation hotspots, collaboration and patent landscapes."),
}


def role_label(role: str) -> str:
    """The msgid naming ``role`` (the role's code when it is unknown)."""
    return ROLE_LABELS.get(role, role)


def role_intro(role: str) -> str:
    return ROLE_INTROS.get(role, N_("Welcome to the IP operations platform."))
