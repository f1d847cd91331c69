"""A real server end to end: health, log in for a token, use it, see the audit trail."""

from __future__ import annotations

from pathlib import Path

import httpx
from apihelpers import PASSWORD, LiveApi, error_of, live_server, running_api, workspace_settings
from fastapi import Request
from starlette.middleware.sessions import SessionMiddleware

from ipops.accounts import websessions
from ipops.accounts.models import User
from ipops.api.app import create_app
from ipops.api.deps import WEB_SESSION_KEY, SessionDep
from ipops.audit.service import Actor
from ipops.config import Settings


def test_health_needs_no_login(api: LiveApi) -> None:
    response = api.client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_log_in_use_the_token_and_find_it_audited(api: LiveApi, admin: User) -> None:
    login = api.client.post(
        "/api/v1/auth/token", json={"username": "ADMIN", "password": PASSWORD, "name": "ci"}
    )
    assert login.status_code == 201, login.text
    secret = login.json()["token"]
    headers = {"Authorization": f"Bearer {secret}"}
    me = api.client.get("/api/v1/users/me", headers=headers)
    assert me.json()["username"] == "admin"
    assert me.json()["role"] == "platform_admin"
    audit = api.client.get("/api/v1/audit", headers=headers, params={"object_type": "api_token"})
    records = audit.json()["items"]
    assert [r["action"] for r in records] == ["token.issued"]
    assert records[0]["actor"] == "admin"
    assert records[0]["origin"] == "api 127.0.0.1"
    assert secret not in audit.text


def test_unknown_route_uses_the_error_format(api: LiveApi) -> None:
    response = api.client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    wrong_method = api.client.delete("/api/v1/health")
    assert wrong_method.status_code == 405
    assert error_of(wrong_method)["code"] == "method_not_allowed"


def test_with_the_web_ui_mounted_the_api_still_answers(
    tmp_path: Path, registry_url: str, shared_corpus: Path
) -> None:
    settings = workspace_settings(tmp_path / "workspace", registry_url, shared_corpus)
    with running_api(settings, web=True) as live:
        assert live.client.get("/api/v1/health").status_code == 200
        assert live.client.get("/openapi.json").status_code == 200
        user = live.add_user("bank", "bank_officer")
        stats = live.request("GET", "/api/v1/corpus/stats", user)
        assert stats.status_code == 200
        assert stats.json()["counts"]["patents"] == 500


def test_a_web_session_cookie_is_accepted_after_the_bearer_token(
    tmp_path: Path, registry_url: str
) -> None:
    app = create_app(workspace_settings(tmp_path / "ws", registry_url, None), web=False)
    app.add_middleware(SessionMiddleware, secret_key="test-secret", same_site="lax")

    def sign_in(request: Request, user_id: int, db_session: SessionDep) -> dict[str, int]:
        """Sign in as the web login does: a server-side session, its secret in the cookie."""
        user = db_session.get(User, user_id)
        secret = "no-such-session"
        if user is not None:
            _session, secret = websessions.start_web_session(
                db_session=db_session, user=user, actor=Actor.of("test", channel="web")
            )
            db_session.commit()
        request.session[WEB_SESSION_KEY] = secret
        return {"user_id": user_id}

    app.add_api_route("/test/sign-in/{user_id}", sign_in, methods=["POST"])
    with live_server(app) as base_url, httpx.Client(base_url=base_url) as browser:
        live = LiveApi(base_url=base_url, app=app, settings=Settings(), client=browser)
        bank, expert = live.add_user("bank", "bank_officer"), live.add_user("expert", "expert")
        assert browser.get("/api/v1/users/me").status_code == 401
        browser.post(f"/test/sign-in/{bank.id}")
        assert browser.get("/api/v1/users/me").json()["username"] == "bank"
        as_expert = browser.get("/api/v1/users/me", headers=live.headers(expert))
        assert as_expert.json()["username"] == "expert"
        browser.post("/test/sign-in/99999")
        assert browser.get("/api/v1/users/me").status_code == 401
