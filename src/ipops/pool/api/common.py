"""What the pool routers share: path and body types, the pool look-up and the permission
checks made before any other look-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field
from sqlalchemy.orm import Session

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.api.schemas import SafeStr
from ipops.errors import Forbidden, NotFound
from ipops.pool import (
    membership,
)
from ipops.pool.models import (
    Pool,
)
from ipops.pool.royalties import RateKind
from ipops.records import Record

PoolId = Annotated[int, Path(ge=1, le=2**31 - 1)]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Period = Annotated[SafeStr, Field(max_length=10, examples=["2025-03"])]
# Money and rates travel as text ("3.00", "0.1"): a JSON number is refused (422).
Money = Annotated[SafeStr, Field(max_length=20, examples=["3.00"])]
Rate = Annotated[SafeStr, Field(max_length=12, examples=["0.1"])]
Country = Annotated[SafeStr, Field(max_length=8, examples=["CN"])]
Name = Annotated[SafeStr, Field(max_length=200)]
Code = Annotated[SafeStr, Field(max_length=64)]
Text = Annotated[SafeStr, Field(max_length=20_000)]
StrictId = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]


class StoredRate(Record):
    """A standard rate as stored on a pool or an agreement (``royalties.Rate.as_dict``):
    CNY per unit, or percent of net sales, as text."""

    kind: RateKind
    value: str


def pool_of(db_session: Session, pool_id: int) -> Pool:
    return membership.get_pool_by_id(db_session=db_session, pool_id=pool_id)


def require_manage(db_session: Session, pool_id: int, user: User) -> Pool:
    """The pool, if ``user`` may manage it: 403 for a role that manages no pool, 404 for a
    pool administrator asking about another organisation's pool (nothing to probe)."""
    require_some_right(user, "pool:manage", "pool")
    pool = pool_of(db_session, pool_id)
    authz.require(user, "pool:manage", "pool", pool, hide=True)
    return pool


def pool_in_reach(db_session: Session, pool_id: int, user: User) -> Pool:
    """The pool, unless ``user`` administers pools but not this one (then 404): a pool
    administrator's rights on members, licensees and assignments end at its own pools."""
    pool = pool_of(db_session, pool_id)
    administers = any(user.role in r.roles for r in authz.rules_for("pool:manage", "pool"))
    if administers and not authz.can(user, "pool:manage", "pool", pool):
        raise NotFound(f"no pool {pool_id}", field="pool_id")
    return pool


def require_some_right(user: User, action: str, resource_type: str) -> None:
    """Permission first: a role with no rule for the action is refused before any lookup,
    so naming a member, licensee or assignment that does not exist tells it nothing."""
    rules = authz.rules_for(action, resource_type)
    if not user.is_active or not any(user.role in r.roles for r in rules):
        raise Forbidden(f"the {user.role} role may not do {action} on {resource_type}")
