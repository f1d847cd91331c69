"""The navigation of the web UI: one table, filtered per user by ``accounts.authz``.

A row names the permission (``action`` on ``resource_type``) a user needs to see the item;
which roles hold which permission is decided in ``ipops.accounts.authz`` and nowhere
else. A row without a permission is shown to every logged-in user.

Adding a domain's pages: add its router to ``ipops.web.routes.DOMAIN_ROUTERS`` and its
rows here (see docs/web.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from ipops.web.i18n import N_


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # English msgid, translated where it is shown
    path: str
    action: str | None = None
    resource_type: str | None = None


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("home", N_("Home"), "/"),
    NavItem("search", N_("Patent search"), "/search", "corpus:read", "corpus"),
    NavItem("value", N_("Patent value"), "/value", "value:read", "valuation"),
    NavItem("pool", N_("Patent pools"), "/pool", "pool:read", "pool"),
    NavItem("finance", N_("IP financing"), "/finance", "finance:open", "finance_desk"),
    NavItem("reports", N_("Landscape reports"), "/reports", "report:read", "report"),
    NavItem("geo", N_("Innovation hotspots"), "/geo", "geo:read", "geography"),
    NavItem("audit", N_("Audit log"), "/audit", "audit:read", "audit_record"),
    NavItem("users", N_("User accounts"), "/admin/users", "users:manage", "user"),
)
