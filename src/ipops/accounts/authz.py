"""Authorization in one place: a policy table of rules, read by ``can`` and ``require``.

A rule grants an action on a resource type to some roles, for objects in a scope:

* ``any``: every object of the type;
* ``self``: the user object that is the acting user;
* ``own``: objects whose ``user_id`` is the acting user;
* ``organisation``: objects whose ``organisation_id`` is the acting user's organisation
  (a bank officer sees only the applications routed to the bank).

Without an object, ``can`` asks about *any* object of the type, so only ``any`` rules
count; lists of scoped types are filtered with ``restrict``.

A pool administrator's rights on a pool's members, licensees and assignments (the rows
below with scope ``any`` for ``pool_admin``) hold only inside the pools the administrator
may ``pool:manage``: the pool views look the pool up first and answer 404 for another
organisation's pool (``pool.api.common.pool_in_reach``). A later domain adds rows to
``POLICY`` (for example ``Rule("finance:read", "loan_application", {BANK_OFFICER},
Scope.ORGANISATION)``) and calls ``require`` in its views; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false, or_

from ipops.accounts.models import User
from ipops.accounts.roles import ALL_ROLES, Role
from ipops.errors import Forbidden, NotFound

AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


class Scope(StrEnum):
    ANY = "any"
    SELF = "self"
    OWN = "own"
    ORGANISATION = "organisation"


class UnknownPermission(LookupError):
    """An (action, resource type) pair with no rule at all: a typo in code, not a denial."""


@dataclass(frozen=True)
class Rule:
    action: str
    resource_type: str
    roles: frozenset[Role]
    scope: Scope = Scope.ANY
    note: str = ""


def rule(
    action: str,
    resource_type: str,
    roles: Iterable[Role],
    scope: Scope = Scope.ANY,
    note: str = "",
) -> Rule:
    return Rule(action, resource_type, frozenset(roles), scope, note)


ADMIN = (Role.PLATFORM_ADMIN,)

POLICY: tuple[Rule, ...] = (
    rule("corpus:read", "corpus", ALL_ROLES, note="patent data is public information"),
    rule("users:read", "user", ADMIN),
    rule("users:read", "user", ALL_ROLES, Scope.SELF, note="one's own profile"),
    rule("users:manage", "user", ADMIN),
    rule("users:change_password", "user", ALL_ROLES, Scope.SELF),
    rule("users:change_password", "user", ADMIN),
    rule("organisations:read", "organisation", ADMIN),
    rule("organisations:manage", "organisation", ADMIN),
    rule("tokens:manage", "api_token", ALL_ROLES, Scope.OWN, note="list, issue, revoke"),
    rule("tokens:manage", "api_token", ADMIN, note="revoke anyone's token"),
    rule("audit:read", "audit_record", ADMIN),
    rule("value:read", "valuation", ALL_ROLES, note="value cards, ranking, high-value, money"),
    rule("schemes:edit", "valuation", (Role.ANALYST, Role.PLATFORM_ADMIN), note="user schemes"),
    rule("geo:read", "geography", ALL_ROLES, note="hotspots, collaboration, maps (public data)"),
    rule("pool:read", "pool", ALL_ROLES, note="pool statistics and what-if allocation"),
    rule(
        "pool:manage",
        "pool",
        ADMIN,
        note="members, experts, admission, licences, invoices, allocation, cases",
    ),
    rule(
        "pool:manage",
        "pool",
        (Role.POOL_ADMIN,),
        Scope.ORGANISATION,
        note="the same, in the pools owned by the administrator's organisation",
    ),
    rule("pool:review", "pool_assignment", (Role.POOL_ADMIN,)),
    rule("pool:review", "pool_assignment", (Role.EXPERT,), Scope.OWN, note="own assignments"),
    rule("pool:statement", "pool_member", (Role.POOL_ADMIN, Role.PLATFORM_ADMIN)),
    rule(
        "pool:statement",
        "pool_member",
        (Role.POOL_MEMBER,),
        Scope.ORGANISATION,
        note="a member company's own statements",
    ),
    rule("pool:submit", "pool_member", (Role.POOL_ADMIN, Role.PLATFORM_ADMIN)),
    rule(
        "pool:submit",
        "pool_member",
        (Role.POOL_MEMBER,),
        Scope.ORGANISATION,
        note="a member company submits its own patents for admission",
    ),
    rule("pool:report", "pool_licensee", (Role.POOL_ADMIN,)),
    rule(
        "pool:report",
        "pool_licensee",
        (Role.LICENSEE,),
        Scope.ORGANISATION,
        note="a licensee's own royalty reports",
    ),
    rule("pool:invoices", "pool_licensee", (Role.POOL_ADMIN, Role.PLATFORM_ADMIN)),
    rule(
        "pool:invoices",
        "pool_licensee",
        (Role.LICENSEE,),
        Scope.ORGANISATION,
        note="a licensee's own invoices and royalty reports",
    ),
    rule("pool:patents", "pool_member", (Role.POOL_ADMIN, Role.PLATFORM_ADMIN)),
    rule(
        "pool:patents",
        "pool_member",
        (Role.POOL_MEMBER,),
        Scope.ORGANISATION,
        note="a member company's own submitted patents and their admission status",
    ),
    rule(
        "finance:read",
        "finance_programme",
        (Role.PLATFORM_ADMIN, Role.ANALYST),
        note="IP pledge finance programme statistics and dashboard",
    ),
    rule(
        "finance:manage",
        "finance_programme",
        ADMIN,
        note="enterprises, banks, products, ratings, policy files, claim exports",
    ),
    rule("finance:read", "fin_enterprise", ADMIN),
    rule(
        "finance:read",
        "fin_enterprise",
        (Role.ENTERPRISE_USER,),
        Scope.ORGANISATION,
        note="own enterprise: profile, rating, loans",
    ),
    rule(
        "finance:apply",
        "fin_enterprise",
        (Role.ENTERPRISE_USER,),
        Scope.ORGANISATION,
        note="match and apply for a loan for one's own enterprise",
    ),
    rule("finance:read", "fin_loan", ADMIN),
    rule(
        "finance:read",
        "fin_loan",
        (Role.BANK_OFFICER,),
        Scope.ORGANISATION,
        note="applications and loans routed to the bank",
    ),
    rule(
        "finance:decide",
        "fin_loan",
        (Role.BANK_OFFICER,),
        Scope.ORGANISATION,
        note="decide, pledge, disburse, repayments, compensation claims",
    ),
    rule(
        "finance:open",
        "finance_desk",
        (Role.PLATFORM_ADMIN, Role.ANALYST, Role.BANK_OFFICER, Role.ENTERPRISE_USER),
        note="the finance menu; each page shows only what the role's scope allows",
    ),
    rule(
        "finance:calculate",
        "finance_policy",
        ALL_ROLES,
        note="policy files, compensation calculator, working days (public rules)",
    ),
    rule("finance:claims", "finance_bank", ADMIN, note="every bank's claim files"),
    rule(
        "finance:claims",
        "finance_bank",
        (Role.BANK_OFFICER,),
        Scope.ORGANISATION,
        note="the bank's own claim files",
    ),
    rule("report:read", "report", ALL_ROLES, note="landscape reports over public patent data"),
    rule(
        "report:create",
        "report",
        (Role.ANALYST, Role.POOL_ADMIN, Role.PLATFORM_ADMIN),
        note="make a landscape report in the web UI",
    ),
)


def rules_for(action: str, resource_type: str, policy: Iterable[Rule] = POLICY) -> list[Rule]:
    found = [r for r in policy if r.action == action and r.resource_type == resource_type]
    if not found:
        raise UnknownPermission(f"no rule for {action!r} on {resource_type!r}")
    return found


def can(
    user: User | None,
    action: str,
    resource_type: str,
    obj: object | None = None,
    *,
    policy: Iterable[Rule] = POLICY,
) -> bool:
    rules = rules_for(action, resource_type, policy)
    if user is None or not user.is_active:
        return False
    for candidate in rules:
        if user.role not in candidate.roles:
            continue
        if candidate.scope is Scope.ANY or (
            obj is not None and in_scope(candidate.scope, user, obj)
        ):
            return True
    return False


def require(
    user: User,
    action: str,
    resource_type: str,
    obj: object | None = None,
    *,
    hide: bool = False,
    policy: Iterable[Rule] = POLICY,
) -> None:
    """Raise ``Forbidden`` unless allowed; with ``hide``, an object out of the user's scope
    is reported as not found (so its existence does not leak)."""
    if can(user, action, resource_type, obj, policy=policy):
        return
    if hide and obj is not None and _may_act_somewhere(user, action, resource_type, policy):
        raise NotFound(f"no {resource_type} {getattr(obj, 'id', '')}".rstrip())
    raise Forbidden(f"the {user.role} role may not do {action} on {resource_type}")


def in_scope(scope: Scope, user: User, obj: object) -> bool:
    if scope is Scope.ANY:
        return True
    if scope is Scope.SELF:
        return isinstance(obj, User) and obj.id == user.id
    if scope is Scope.OWN:
        return getattr(obj, "user_id", None) == user.id
    organisation = getattr(obj, "organisation_id", None)
    return user.organisation_id is not None and organisation == user.organisation_id


def restrict(
    query: AnySelect,
    *,
    user: User,
    action: str,
    resource_type: str,
    model: type[Any],
    policy: Iterable[Rule] = POLICY,
) -> AnySelect:
    """``query`` limited to the objects of ``model`` the user may ``action``."""
    scopes = {r.scope for r in rules_for(action, resource_type, policy) if user.role in r.roles}
    if not user.is_active or not scopes:
        return query.where(false())
    if Scope.ANY in scopes:
        return query
    conditions: list[ColumnElement[bool]] = []
    if Scope.SELF in scopes:
        conditions.append(model.id == user.id)
    if Scope.OWN in scopes:
        conditions.append(model.user_id == user.id)
    if Scope.ORGANISATION in scopes and user.organisation_id is not None:
        conditions.append(model.organisation_id == user.organisation_id)
    return query.where(or_(*conditions)) if conditions else query.where(false())


def _may_act_somewhere(user: User, action: str, resource_type: str, policy: Iterable[Rule]) -> bool:
    return any(user.role in r.roles for r in rules_for(action, resource_type, policy))


def policy_markdown(policy: Iterable[Rule] = POLICY) -> str:
    """The policy as a Markdown table (docs/accounts.md embeds it; a test keeps it in sync)."""
    lines = ["| action | resource | roles | scope | note |", "| --- | --- | --- | --- | --- |"]
    for r in policy:
        roles = "every role" if r.roles == ALL_ROLES else ", ".join(sorted(r.roles))
        lines.append(f"| {r.action} | {r.resource_type} | {roles} | {r.scope} | {r.note} |")
    return "\n".join(lines)
