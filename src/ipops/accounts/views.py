"""HTTP edge of accounts: tokens, users, organisations. Fetch, check, call the use case."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from ipops.accounts import authz, logins, organisations, tokens, users
from ipops.accounts.roles import OrgKind, Role
from ipops.accounts.schemas import (
    OrganisationCreate,
    OrganisationPublic,
    OrganisationsPage,
    PasswordChange,
    PositiveId,
    TokenIssued,
    TokenRequest,
    TokensPage,
    UserCreate,
    UserPublic,
    UsersPage,
)
from ipops.api.deps import (
    ActorDep,
    CurrentUser,
    SessionDep,
    api_state,
    client_address,
    credential_of,
)
from ipops.api.pagination import page_params, paged
from ipops.audit.service import Actor
from ipops.paging import Page

auth_router = APIRouter(prefix="/auth", tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"])
organisations_router = APIRouter(prefix="/organisations", tags=["organisations"])

TokenPage = Annotated[Page, Depends(page_params(tokens.TOKEN_SORTABLE, "-created_at"))]
UserPage = Annotated[Page, Depends(page_params(users.USER_SORTABLE, "username"))]
OrgPage = Annotated[Page, Depends(page_params(organisations.ORG_SORTABLE, "name"))]


@auth_router.post("/token", status_code=201)
def create_token(body: TokenRequest, request: Request, db_session: SessionDep) -> TokenIssued:
    """Exchange a username and password for an API token (5 failures in 15 minutes from one
    address lock that username there for a while). The token expires after
    ``IPOPS_TOKEN_LIFETIME_DAYS`` (90 by default)."""
    address = client_address(request)
    user = logins.authenticate(
        db_session=db_session, username=body.username, password=body.password, source=address
    )
    actor = Actor.of(user.username, channel="api", address=address)
    lifetime = timedelta(days=api_state(request).settings.token_lifetime_days)
    token, secret = tokens.issue_token(
        db_session=db_session, user=user, name=body.name, actor=actor, lifetime=lifetime
    )
    authz.require(user, "tokens:manage", "api_token", token)
    return TokenIssued(token=secret, id=token.id, name=token.name, expires_at=token.expires_at)


@auth_router.get("/tokens")
def list_own_tokens(
    user: CurrentUser,
    db_session: SessionDep,
    page: TokenPage,
    include_revoked: bool = False,
) -> TokensPage:
    """The caller's own tokens (never their secrets)."""
    found, total = tokens.list_tokens(
        db_session=db_session, user=user, include_revoked=include_revoked, page=page
    )
    return paged(TokensPage, found, total, page)


@auth_router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(
    token_id: Annotated[PositiveId, Path()],
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> Response:
    """Revoke one of one's own tokens (a platform admin may revoke anyone's)."""
    token = tokens.get_token(db_session=db_session, token_id=token_id)
    authz.require(user, "tokens:manage", "api_token", token, hide=True)
    tokens.revoke_token(db_session=db_session, token=token, actor=actor)
    return Response(status_code=204)


@users_router.get("")
def list_users(
    user: CurrentUser,
    db_session: SessionDep,
    page: UserPage,
    role: Role | None = None,
    organisation_id: Annotated[PositiveId | None, Query()] = None,
) -> UsersPage:
    authz.require(user, "users:read", "user")
    found, total = users.list_users(
        db_session=db_session, role=role, organisation_id=organisation_id, page=page
    )
    return paged(UsersPage, found, total, page)


@users_router.post("", status_code=201)
def create_user(
    body: UserCreate, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> UserPublic:
    authz.require(user, "users:manage", "user")
    created = users.create_user(
        db_session=db_session,
        username=body.username,
        password=body.password,
        role=body.role,
        display_name=body.display_name,
        organisation_id=body.organisation_id,
        actor=actor,
    )
    return UserPublic.model_validate(created)


@users_router.get("/me")
def read_me(user: CurrentUser) -> UserPublic:
    authz.require(user, "users:read", "user", user)
    return UserPublic.model_validate(user)


@users_router.put("/me/password", status_code=204)
def change_my_password(
    body: PasswordChange,
    request: Request,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> Response:
    """Change one's password; every other session and token of the caller ends (the token
    or web session this request was made with stays valid)."""
    authz.require(user, "users:change_password", "user", user)
    users.change_own_password(
        db_session=db_session,
        user=user,
        current_password=body.current_password,
        new_password=body.new_password,
        actor=actor,
        keep=credential_of(request),
    )
    return Response(status_code=204)


@users_router.post("/{user_id}/deactivate")
def deactivate_user(
    user_id: Annotated[PositiveId, Path()],
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> UserPublic:
    """Refuse a user from now on: sign-in fails, every session and token ends at once."""
    return _set_active(db_session, user, actor, user_id, active=False)


@users_router.post("/{user_id}/reactivate")
def reactivate_user(
    user_id: Annotated[PositiveId, Path()],
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> UserPublic:
    """Let a deactivated user sign in again (old sessions and tokens stay ended)."""
    return _set_active(db_session, user, actor, user_id, active=True)


def _set_active(
    db_session: SessionDep, user: CurrentUser, actor: Actor, user_id: int, *, active: bool
) -> UserPublic:
    authz.require(user, "users:manage", "user")
    target = users.get_user(db_session=db_session, user_id=user_id)
    users.set_user_active(db_session=db_session, user=target, active=active, actor=actor)
    return UserPublic.model_validate(target)


@organisations_router.get("")
def list_organisations(
    user: CurrentUser, db_session: SessionDep, page: OrgPage, kind: OrgKind | None = None
) -> OrganisationsPage:
    authz.require(user, "organisations:read", "organisation")
    orgs, total = organisations.list_organisations(db_session=db_session, kind=kind, page=page)
    return paged(OrganisationsPage, orgs, total, page)


@organisations_router.post("", status_code=201)
def create_organisation(
    body: OrganisationCreate, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> OrganisationPublic:
    authz.require(user, "organisations:manage", "organisation")
    org = organisations.create_organisation(
        db_session=db_session, name=body.name, kind=body.kind, actor=actor
    )
    return OrganisationPublic.model_validate(org)
