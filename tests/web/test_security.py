"""Session secret, CSRF token checks and redirect targets."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from ipops.config import Settings
from ipops.web.security import (
    SECRET_FILE,
    CsrfFailed,
    check_csrf,
    csrf_token,
    safe_next,
    session_secret,
    start_session,
)


def test_session_secret_is_created_once_per_workspace_and_private(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "ws")
    first = session_secret(settings)
    path = tmp_path / "ws" / SECRET_FILE
    assert len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret(settings) == first
    assert session_secret(Settings(home=tmp_path / "other")) != first


def test_csrf_token_is_kept_per_session_and_checked() -> None:
    session: dict[str, Any] = {}
    token = csrf_token(session)
    assert csrf_token(session) == token
    check_csrf(session, token)
    for wrong in (None, "", token + "x", 42):
        with pytest.raises(CsrfFailed):
            check_csrf(session, wrong)
    with pytest.raises(CsrfFailed):
        check_csrf({}, token)


def test_a_new_login_gets_a_new_session_and_token() -> None:
    session: dict[str, Any] = {"sid": "old secret", "other": "x"}
    old = csrf_token(session)
    start_session(session, secret="new secret")
    assert session["sid"] == "new secret" and "other" not in session
    assert csrf_token(session) != old


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/search?words=a", "/search?words=a"),
        (None, "/"),
        ("", "/"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("search", "/"),
    ],
)
def test_only_local_paths_are_redirect_targets(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected
