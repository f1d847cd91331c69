"""API schemas of accounts: one family per object (create / public / page)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ipops.accounts.roles import OrgKind, Role
from ipops.schemas_base import Paged, PublicModel, SafeStr, StrictModel, UtcDatetime

Username = Annotated[SafeStr, Field(min_length=1, max_length=64, examples=["li.wei"])]
Password = Annotated[SafeStr, Field(min_length=1, max_length=256)]
PositiveId = Annotated[int, Field(gt=0, le=2**31 - 1)]


class UserCreate(StrictModel):
    username: Username
    password: Password
    role: Role
    display_name: Annotated[SafeStr | None, Field(max_length=200, examples=["李伟"])] = None
    organisation_id: PositiveId | None = None


class UserPublic(PublicModel):
    id: int
    username: str
    display_name: str
    role: Role
    organisation_id: int | None
    is_active: bool
    created_at: UtcDatetime


class UsersPage(Paged[UserPublic]):
    pass


class PasswordChange(StrictModel):
    current_password: Password
    new_password: Password


class OrganisationCreate(StrictModel):
    name: Annotated[SafeStr, Field(min_length=1, max_length=200, examples=["南京银行"])]
    kind: OrgKind


class OrganisationPublic(PublicModel):
    id: int
    name: str
    kind: OrgKind
    created_at: UtcDatetime


class OrganisationsPage(Paged[OrganisationPublic]):
    pass


class TokenRequest(StrictModel):
    username: Username
    password: Password
    name: Annotated[SafeStr, Field(min_length=1, max_length=100, examples=["laptop"])] = "api"


class TokenIssued(StrictModel):
    token: Annotated[str, Field(description="the secret; shown this once, never again")]
    id: int
    name: str
    expires_at: UtcDatetime | None = None


class TokenPublic(PublicModel):
    id: int
    name: str
    created_at: UtcDatetime
    last_used_at: UtcDatetime | None
    revoked_at: UtcDatetime | None
    expires_at: UtcDatetime | None


class TokensPage(Paged[TokenPublic]):
    pass
