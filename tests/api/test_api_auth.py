"""Logging in for tokens, the login rate limit, revoking tokens, changing one's password."""

from __future__ import annotations

from apihelpers import PASSWORD, LiveApi, error_of

from ipops.accounts.logins import MAX_FAILED_LOGINS
from ipops.accounts.models import User


def login(api: LiveApi, username: str, password: str, **extra: str) -> dict[str, object]:
    response = api.client.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password, "name": "test"},
        headers=extra,
    )
    return {"status": response.status_code, "body": response.json(), "headers": response.headers}


def test_wrong_password_and_unknown_user_read_the_same(api: LiveApi, analyst: User) -> None:
    wrong = api.client.post(
        "/api/v1/auth/token", json={"username": "analyst", "password": "Nope-nope-1"}
    )
    unknown = api.client.post(
        "/api/v1/auth/token", json={"username": "nobody", "password": "Nope-nope-1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert error_of(wrong)["message"] == error_of(unknown)["message"]
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_five_failures_lock_the_username_for_this_address(api: LiveApi, analyst: User) -> None:
    for _ in range(MAX_FAILED_LOGINS):
        assert login(api, "analyst", "Wrong-password-1")["status"] == 401
    locked = api.client.post(
        "/api/v1/auth/token", json={"username": "analyst", "password": PASSWORD}
    )
    assert locked.status_code == 429
    error = error_of(locked)
    assert error["code"] == "too_many_attempts"
    assert "too many failed logins; try again in 15 minutes" in error["message"]
    assert 800 < int(locked.headers["retry-after"]) <= 900
    failures = api.request("GET", "/api/v1/audit", api.add_user("boss", "platform_admin"))
    actions = [r["action"] for r in failures.json()["items"] if r["object_id"] == str(analyst.id)]
    assert actions.count("login.failed") == MAX_FAILED_LOGINS


def test_bearer_token_lifecycle(api: LiveApi, analyst: User) -> None:
    issued = api.client.post(
        "/api/v1/auth/token",
        json={"username": "analyst", "password": PASSWORD, "name": "laptop"},
    )
    assert issued.status_code == 201
    token_id, secret = issued.json()["id"], issued.json()["token"]
    auth = {"Authorization": f"Bearer {secret}"}
    listed = api.client.get("/api/v1/auth/tokens", headers=auth).json()
    assert [t["name"] for t in listed["items"]] == ["laptop"]
    assert listed["items"][0]["last_used_at"] is not None
    assert "token" not in listed["items"][0]
    assert api.client.delete(f"/api/v1/auth/tokens/{token_id}", headers=auth).status_code == 204
    refused = api.client.get("/api/v1/users/me", headers=auth)
    assert refused.status_code == 401
    assert error_of(refused)["message"] == "invalid, expired or revoked token"


def test_garbage_credentials_are_401_not_500(api: LiveApi) -> None:
    for header in (
        "Bearer",
        "Bearer x",
        "Bearer ipops_forged",
        "Basic YTpi",
        "Bearer ipops_" + "a" * 900,
    ):
        response = api.client.get("/api/v1/users/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert error_of(response)["code"] == "not_authenticated"


def test_change_own_password(api: LiveApi, analyst: User) -> None:
    wrong = api.request(
        "PUT",
        "/api/v1/users/me/password",
        analyst,
        json={"current_password": "Not-the-one-1", "new_password": "Brand-new-pass-2"},
    )
    assert wrong.status_code == 422
    assert error_of(wrong)["field"] == "current_password"
    weak = api.request(
        "PUT",
        "/api/v1/users/me/password",
        analyst,
        json={"current_password": PASSWORD, "new_password": "analyst12345"},
    )
    assert error_of(weak) | {"message": ""} == {
        "status": 422,
        "code": "validation_error",
        "message": "",
        "field": "password",
    }
    changed = api.request(
        "PUT",
        "/api/v1/users/me/password",
        analyst,
        json={"current_password": PASSWORD, "new_password": "Brand-new-pass-2"},
    )
    assert changed.status_code == 204
    assert login(api, "analyst", "Brand-new-pass-2")["status"] == 201
    assert login(api, "analyst", PASSWORD)["status"] == 401
