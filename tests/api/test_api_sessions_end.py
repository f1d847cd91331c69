"""Sessions and tokens that end: logout, password change, expiry, deactivation; the login
limit under parallel attempts; X-Forwarded-For ignored unless from a configured proxy.

Everything runs against a real uvicorn server (web UI mounted) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from apihelpers import PASSWORD, TEST_ACTOR, LiveApi, running_api, workspace_settings
from sqlalchemy import select, update
from typer.testing import CliRunner

from ipops.accounts import tokens, users
from ipops.accounts.logins import MAX_FAILED_LOGINS
from ipops.accounts.models import ApiToken, User
from ipops.accounts.roles import Role
from ipops.api.app import create_app
from ipops.audit.models import AuditRecord
from ipops.cli.app import app as cli_app
from ipops.cli.serve import proxy_options
from ipops.config import Settings
from ipops.registry.db import session_scope

NEW_PASSWORD = "Brand-new-pass-42"


@pytest.fixture
def web_api(tmp_path: Path, registry_url: str) -> Iterator[LiveApi]:
    settings = workspace_settings(tmp_path / "workspace", registry_url, None)
    with running_api(settings, web=True) as live:
        yield live


def browser_login(api: LiveApi, username: str, password: str = PASSWORD) -> httpx.Client:
    """A cookie-keeping client signed in through the login form."""
    browser = httpx.Client(base_url=api.base_url, timeout=30)
    form = browser.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    answer = browser.post(
        "/login",
        data={"csrf_token": token.group(1), "username": username, "password": password},
    )
    assert answer.status_code == 303, answer.text
    return browser


def csrf_of(browser: httpx.Client) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/").text)
    assert found is not None
    return found.group(1)


def replaying(api: LiveApi, cookie: str) -> httpx.Client:
    """A client sending a kept copy of a session cookie."""
    return httpx.Client(base_url=api.base_url, timeout=30, cookies={"ipops_session": cookie})


def me_with_cookie(api: LiveApi, cookie: str) -> int:
    with replaying(api, cookie) as client:
        return client.get("/api/v1/users/me").status_code


def me_with_token(api: LiveApi, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return api.client.get("/api/v1/users/me", headers=headers).status_code


def actions_of(api: LiveApi) -> list[str]:
    """The audited actions on users, web sessions and tokens, oldest first."""
    with session_scope(api.engine) as session:
        return list(
            session.scalars(
                select(AuditRecord.action)
                .where(AuditRecord.object_type.in_(("user", "web_session", "api_token")))
                .order_by(AuditRecord.id)
            )
        )


def test_a_cookie_replayed_after_logout_is_refused(web_api: LiveApi) -> None:
    web_api.add_user("li.na", Role.ANALYST)
    browser = browser_login(web_api, "li.na")
    kept = browser.cookies["ipops_session"]
    assert me_with_cookie(web_api, kept) == 200
    out = browser.post("/logout", data={"csrf_token": csrf_of(browser)})
    assert out.status_code == 303
    assert me_with_cookie(web_api, kept) == 401
    with replaying(web_api, kept) as client:
        replayed = client.get("/audit")
    assert replayed.status_code == 303 and replayed.headers["location"].startswith("/login")
    assert "session.ended" in actions_of(web_api)


def test_a_password_change_ends_every_other_session_and_token(web_api: LiveApi) -> None:
    user = web_api.add_user("wang.fang", Role.ANALYST)
    _, used = web_api.issue_token(user, "laptop")
    _, other = web_api.issue_token(user, "phone")
    cookie = browser_login(web_api, "wang.fang").cookies["ipops_session"]
    assert me_with_token(web_api, other) == 200  # remembered by the server from now on
    changed = web_api.client.put(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers={"Authorization": f"Bearer {used}"},
    )
    assert changed.status_code == 204, changed.text
    assert me_with_token(web_api, used) == 200  # the one the change was made with
    assert me_with_token(web_api, other) == 401
    assert me_with_cookie(web_api, cookie) == 401
    actions = actions_of(web_api)
    assert actions[-2:] == ["user.password_changed", "user.sessions_ended"]


def test_ipops_users_passwd_ends_every_session_and_token(
    web_api: LiveApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = web_api.add_user("zhao.lei", Role.ANALYST)
    _, token = web_api.issue_token(user)
    cookie = browser_login(web_api, "zhao.lei").cookies["ipops_session"]
    assert me_with_token(web_api, token) == 200
    monkeypatch.setenv("IPOPS_HOME", str(web_api.settings.resolved_home()))
    monkeypatch.setenv("IPOPS_DATABASE_URL", web_api.settings.registry_url())
    result = CliRunner().invoke(
        cli_app, ["users", "passwd", "zhao.lei", "--password-stdin"], input=NEW_PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert me_with_token(web_api, token) == 401
    assert me_with_cookie(web_api, cookie) == 401


def test_tokens_expire_and_note_their_last_use(web_api: LiveApi) -> None:
    web_api.add_user("sun.li", Role.ANALYST)
    issued = web_api.client.post(
        "/api/v1/auth/token", json={"username": "sun.li", "password": PASSWORD}
    ).json()
    expires = datetime.fromisoformat(issued["expires_at"])
    assert timedelta(days=89) < expires - datetime.now(UTC) <= timedelta(days=90)
    listed = web_api.client.get(
        "/api/v1/auth/tokens", headers={"Authorization": f"Bearer {issued['token']}"}
    ).json()["items"]
    assert listed[0]["last_used_at"] is not None and listed[0]["expires_at"] is not None
    with session_scope(web_api.engine) as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == issued["id"])
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    tokens.forget_known_tokens()  # the remembered answer was given before the change
    assert me_with_token(web_api, issued["token"]) == 401


def test_the_token_lifetime_is_a_setting(tmp_path: Path, registry_url: str) -> None:
    settings = workspace_settings(tmp_path / "ws", registry_url, None)
    settings = Settings(home=settings.home, database_url=registry_url, token_lifetime_days=7)
    with running_api(settings) as api:
        api.add_user("qian.yu", Role.ANALYST)
        issued = api.client.post(
            "/api/v1/auth/token", json={"username": "qian.yu", "password": PASSWORD}
        ).json()
    expires = datetime.fromisoformat(issued["expires_at"])
    assert timedelta(days=6) < expires - datetime.now(UTC) <= timedelta(days=7)


def test_a_deactivated_user_is_refused_at_once_everywhere(web_api: LiveApi) -> None:
    admin = web_api.add_user("root", Role.PLATFORM_ADMIN)
    user = web_api.add_user("he.jun", Role.ANALYST)
    _, token = web_api.issue_token(user)
    cookie = browser_login(web_api, "he.jun").cookies["ipops_session"]
    assert me_with_token(web_api, token) == 200  # now remembered for some seconds
    answer = web_api.request("POST", f"/api/v1/users/{user.id}/deactivate", admin)
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    assert me_with_token(web_api, token) == 401
    assert me_with_cookie(web_api, cookie) == 401
    login = web_api.client.post(
        "/api/v1/auth/token", json={"username": "he.jun", "password": PASSWORD}
    )
    assert login.status_code == 401
    again = web_api.request("POST", f"/api/v1/users/{user.id}/reactivate", admin)
    assert again.status_code == 200 and again.json()["is_active"] is True
    assert me_with_token(web_api, token) == 401  # ended tokens stay ended
    login = web_api.client.post(
        "/api/v1/auth/token", json={"username": "he.jun", "password": PASSWORD}
    )
    assert login.status_code == 201
    actions = actions_of(web_api)
    assert "user.deactivated" in actions and "user.reactivated" in actions
    refused = web_api.request("POST", f"/api/v1/users/{admin.id}/deactivate", user)
    assert refused.status_code == 403


def test_the_cli_deactivates_a_user_the_server_remembers(
    web_api: LiveApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = web_api.add_user("ma.chao", Role.ANALYST)
    _, token = web_api.issue_token(user)
    assert me_with_token(web_api, token) == 200
    monkeypatch.setenv("IPOPS_HOME", str(web_api.settings.resolved_home()))
    monkeypatch.setenv("IPOPS_DATABASE_URL", web_api.settings.registry_url())
    runner = CliRunner()
    result = runner.invoke(cli_app, ["users", "deactivate", "ma.chao"])
    assert result.exit_code == 0, result.output
    assert me_with_token(web_api, token) == 401
    assert runner.invoke(cli_app, ["users", "reactivate", "ma.chao"]).exit_code == 0
    with session_scope(web_api.engine) as session:
        assert session.get(User, user.id) is not None
        assert session.scalar(select(User.is_active).where(User.id == user.id)) is True


def test_parallel_wrong_passwords_get_at_most_the_limit_of_401s(web_api: LiveApi) -> None:
    web_api.add_user("guo.jing", Role.ANALYST)

    def attempt(_: int) -> int:
        with httpx.Client(base_url=web_api.base_url, timeout=60) as client:
            return client.post(
                "/api/v1/auth/token",
                json={"username": "guo.jing", "password": "Wrong-password-1"},
            ).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(attempt, range(20)))
    assert statuses.count(401) <= MAX_FAILED_LOGINS
    assert statuses.count(401) + statuses.count(429) == 20
    assert statuses.count(429) >= 20 - MAX_FAILED_LOGINS


def test_x_forwarded_for_is_ignored_unless_from_a_trusted_proxy(
    tmp_path: Path, registry_url: str
) -> None:
    settings = workspace_settings(tmp_path / "ws", registry_url, None)
    assert proxy_options(settings) == {"proxy_headers": False}
    trusting = Settings(home=settings.home, trusted_proxies="10.0.0.1, 10.0.0.2")
    assert proxy_options(trusting) == {
        "proxy_headers": True,
        "forwarded_allow_ips": ["10.0.0.1", "10.0.0.2"],
    }
    app = create_app(settings, web=False)
    with _served(app, proxy_options(settings)) as base_url, httpx.Client(base_url=base_url) as c:
        with session_scope(app.state.ipops.engine) as session:
            users.create_user(
                db_session=session,
                username="yang.guo",
                password=PASSWORD,
                role=Role.ANALYST,
                actor=TEST_ACTOR,
            )
        statuses = [
            c.post(
                "/api/v1/auth/token",
                json={"username": "yang.guo", "password": "Wrong-password-1"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status_code
            for n in range(MAX_FAILED_LOGINS + 1)
        ]
    assert statuses == [401] * MAX_FAILED_LOGINS + [429]


class _Served:
    def __init__(self, app: object, options: dict[str, object]) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(app, log_level="warning", **options)  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.sock.close()


def _served(app: object, options: dict[str, object]) -> _Served:
    return _Served(app, options)


def test_the_admin_page_deactivates_and_reactivates(web_api: LiveApi) -> None:
    web_api.add_user("boss", Role.PLATFORM_ADMIN)
    user = web_api.add_user("lu.xun", Role.ANALYST)
    cookie = browser_login(web_api, "lu.xun").cookies["ipops_session"]
    admin = browser_login(web_api, "boss")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "lu.xun" in page.text and "停用" in page.text
    done = admin.post(f"/admin/users/{user.id}/deactivate", data={"csrf_token": csrf_of(admin)})
    assert done.status_code == 303
    assert me_with_cookie(web_api, cookie) == 401
    assert "已停用" in admin.get("/admin/users").text
    done = admin.post(f"/admin/users/{user.id}/reactivate", data={"csrf_token": csrf_of(admin)})
    assert done.status_code == 303
    assert browser_login(web_api, "lu.xun").get("/api/v1/users/me").status_code == 200
    analyst = browser_login(web_api, "lu.xun")
    assert analyst.get("/admin/users").status_code == 403
