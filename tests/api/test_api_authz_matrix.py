"""The authorization matrix: every route of the API, every role and anonymous.

The table below says who may call each route. Every route of the app must have a row: a new
endpoint without one fails this test, so nobody adds an endpoint without deciding who may
use it. (The web UI's pages are tested by tests/web; the app here is the API alone.)
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from apihelpers import PASSWORD, TEST_ACTOR, LiveApi, first_patent
from fastapi.routing import iter_route_contexts
from matrixhelpers import (
    ADMIN,
    ANONYMOUS,
    EVERYONE,
    SIGNED_IN,
    Caller,
    Rows,
    counter,
    fixed,
)
from starlette.routing import Mount

from ipops.accounts import users
from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.registry.db import session_scope


def new_user(_caller: Caller) -> tuple[str, dict[str, Any]]:
    body = {"username": f"new{next(counter)}", "password": PASSWORD, "role": "analyst"}
    return "/api/v1/users", {"json": body}


def user_to_deactivate(caller: Caller) -> tuple[str, dict[str, Any]]:
    target = caller.api.add_user(f"leaver{next(counter)}", Role.ANALYST)
    return f"/api/v1/users/{target.id}/deactivate", {}


def user_to_reactivate(caller: Caller) -> tuple[str, dict[str, Any]]:
    target = caller.api.add_user(f"returner{next(counter)}", Role.ANALYST)
    with session_scope(caller.api.engine) as session:
        users.set_user_active(
            db_session=session, user=session.get(User, target.id), active=False, actor=TEST_ACTOR
        )
    return f"/api/v1/users/{target.id}/reactivate", {}


def new_organisation(_caller: Caller) -> tuple[str, dict[str, Any]]:
    body = {"name": f"南京银行 {next(counter)}", "kind": "bank"}
    return "/api/v1/organisations", {"json": body}


def login(caller: Caller) -> tuple[str, dict[str, Any]]:
    username = (caller.user or caller.login_as).username
    body = {"username": username, "password": PASSWORD, "name": "matrix"}
    return "/api/v1/auth/token", {"json": body}


def revoke_own(caller: Caller) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/auth/tokens/{caller.spare_token_id()}", {}


def same_password(_caller: Caller) -> tuple[str, dict[str, Any]]:
    body = {"current_password": PASSWORD, "new_password": PASSWORD}
    return "/api/v1/users/me/password", {"json": body}


def one_patent(caller: Caller) -> tuple[str, dict[str, Any]]:
    number = first_patent(caller.api.settings.resolved_home() / "corpus")[1]
    return f"/api/v1/corpus/patents/{number}", {}


def one_value(caller: Caller) -> tuple[str, dict[str, Any]]:
    number = first_patent(caller.api.settings.resolved_home() / "corpus")[1]
    return f"/api/v1/value/patents/{number}", {}


MONEY_BODY = {
    "revenue": ["1000000", "1000000"],
    "royalty_rate": "0.05",
    "tax_rate": "0.25",
    "discount_rate": "0.1",
}


MATRIX: Rows = {
    ("GET", "/openapi.json"): (EVERYONE, fixed("/openapi.json")),
    ("GET", "/api/docs"): (EVERYONE, fixed("/api/docs")),
    ("GET", "/api/v1/health"): (EVERYONE, fixed("/api/v1/health")),
    ("POST", "/api/v1/auth/token"): (EVERYONE, login),
    ("GET", "/api/v1/auth/tokens"): (SIGNED_IN, fixed("/api/v1/auth/tokens")),
    ("DELETE", "/api/v1/auth/tokens/{token_id}"): (SIGNED_IN, revoke_own),
    ("GET", "/api/v1/users"): (ADMIN, fixed("/api/v1/users")),
    ("POST", "/api/v1/users"): (ADMIN, new_user),
    ("GET", "/api/v1/users/me"): (SIGNED_IN, fixed("/api/v1/users/me")),
    ("POST", "/api/v1/users/{user_id}/deactivate"): (ADMIN, user_to_deactivate),
    ("POST", "/api/v1/users/{user_id}/reactivate"): (ADMIN, user_to_reactivate),
    ("PUT", "/api/v1/users/me/password"): (SIGNED_IN, same_password),
    ("GET", "/api/v1/organisations"): (ADMIN, fixed("/api/v1/organisations")),
    ("POST", "/api/v1/organisations"): (ADMIN, new_organisation),
    ("GET", "/api/v1/audit"): (ADMIN, fixed("/api/v1/audit")),
    ("GET", "/api/v1/corpus/stats"): (SIGNED_IN, fixed("/api/v1/corpus/stats")),
    ("GET", "/api/v1/corpus/patents"): (SIGNED_IN, fixed("/api/v1/corpus/patents?q=电池")),
    ("GET", "/api/v1/corpus/patents/{number}"): (SIGNED_IN, one_patent),
    ("GET", "/api/v1/value/patents/{number}"): (SIGNED_IN, one_value),
    ("GET", "/api/v1/value/top"): (SIGNED_IN, fixed("/api/v1/value/top?n=5")),
    ("GET", "/api/v1/value/high-value"): (SIGNED_IN, fixed("/api/v1/value/high-value")),
    ("POST", "/api/v1/value/money"): (SIGNED_IN, fixed("/api/v1/value/money", json=MONEY_BODY)),
}


# Each later domain keeps its rows in tests/api/matrix_<domain>.py (``ROWS``).
DOMAIN_MATRICES = ("matrix_pool", "matrix_finance", "matrix_geo", "matrix_report")
for module in DOMAIN_MATRICES:
    MATRIX |= importlib.import_module(module).ROWS


def app_routes(api: LiveApi) -> set[tuple[str, str]]:
    """(method, path) of every route, inside included routers too; a mount is a route too."""
    found = set()
    for context in iter_route_contexts(api.app.routes):
        if isinstance(context.original_route, Mount):
            found.add(("MOUNT", str(context.path)))
        for method in context.methods or ():
            if method not in {"HEAD", "OPTIONS"}:
                found.add((method, str(context.path)))
    return found


def test_every_route_has_a_row_and_every_row_a_route(shared_api: LiveApi) -> None:
    routes = app_routes(shared_api)
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"routes without an authorization rule in MATRIX: {missing}"
    assert not stale, f"MATRIX rows for routes that do not exist: {stale}"


def test_each_role_gets_exactly_what_the_matrix_says(
    shared_api: LiveApi, role_users: dict[Role, User]
) -> None:
    api = shared_api
    callers = [Caller(ANONYMOUS, None, api, role_users[Role.ANALYST])]
    callers += [Caller(role.value, user, api, user) for role, user in role_users.items()]
    wrong = []
    for (method, template), (allowed, build) in sorted(MATRIX.items()):
        for caller in callers:
            path, kwargs = build(caller)
            response = api.request(method, path, caller.user, **kwargs)
            outcome = _outcome(response.status_code)
            expected = "allowed" if caller.name in allowed else _denial(caller)
            if outcome != expected:
                wrong.append(f"{method} {template} as {caller.name}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def _outcome(status: int) -> str:
    if 200 <= status < 300:
        return "allowed"
    return {401: "unauthenticated", 403: "forbidden"}.get(status, f"error {status}")


def _denial(caller: Caller) -> str:
    return "unauthenticated" if caller.user is None else "forbidden"


@pytest.mark.parametrize("role", [Role.ANALYST, Role.BANK_OFFICER])
def test_someone_elses_token_cannot_be_revoked_or_even_seen(
    shared_api: LiveApi, role_users: dict[Role, User], role: Role
) -> None:
    api = shared_api
    owner = role_users[Role.ENTERPRISE_USER]
    other = role_users[role]
    token_id, secret = api.issue_token(owner)
    response = api.request("DELETE", f"/api/v1/auth/tokens/{token_id}", other)
    assert response.status_code == 404
    still = api.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {secret}"})
    assert still.status_code == 200
    listed = api.request("GET", "/api/v1/auth/tokens", other).json()
    assert token_id not in [t["id"] for t in listed["items"]]


def test_an_admin_may_revoke_anyones_token(
    shared_api: LiveApi, role_users: dict[Role, User]
) -> None:
    api = shared_api
    token_id, secret = api.issue_token(role_users[Role.EXPERT])
    admin = role_users[Role.PLATFORM_ADMIN]
    assert api.request("DELETE", f"/api/v1/auth/tokens/{token_id}", admin).status_code == 204
    gone = api.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {secret}"})
    assert gone.status_code == 401
