"""Session secret and CSRF tokens of the web UI.

The session is Starlette's signed cookie; it carries the secret of a server-side session
(``accounts.models.WebSession``), so logging out, a password change or deactivating the
user ends it for good even if a copy of the cookie is kept. The signing secret comes from
the settings (``IPOPS_SESSION_SECRET``) or else from ``web-session.key`` in the workspace,
created with mode 0600 on first use, so sessions survive a restart of the server.

Every POST form carries the session's CSRF token in a hidden field named ``csrf_token``;
the token is compared in constant time and a missing or wrong one is refused with 403.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from fastapi import Request

from ipops.api.deps import WEB_SESSION_KEY
from ipops.config import Settings

SECRET_FILE = "web-session.key"
CSRF_FIELD = "csrf_token"
_CSRF_KEY = "csrf"


# Sent with every page: no framing, no inline or foreign scripts, no MIME sniffing.
PAGE_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class CsrfFailed(Exception):
    """A POST whose CSRF token is missing or does not match the session's."""


def session_secret(settings: Settings) -> str:
    """The configured secret, else the workspace's secret file (created on first use)."""
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    return _secret_from_file(settings.resolved_home() / SECRET_FILE)


def https_only(settings: Settings) -> bool:
    """Whether the session cookie is marked Secure (``IPOPS_SESSION_HTTPS_ONLY``)."""
    return settings.session_https_only


def _secret_from_file(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    return path.read_text(encoding="ascii").strip()


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, created when the session has none."""
    token = session.get(_CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[_CSRF_KEY] = token
    return token


def check_csrf(session: dict[str, Any], submitted: object) -> None:
    """Raise :class:`CsrfFailed` unless ``submitted`` equals the session's token."""
    expected = session.get(_CSRF_KEY)
    if not isinstance(expected, str) or not expected or not isinstance(submitted, str):
        raise CsrfFailed("missing CSRF token")
    if not hmac.compare_digest(expected.encode(), submitted.encode()):
        raise CsrfFailed("wrong CSRF token")


async def check_csrf_form(request: Request) -> None:
    """Dependency of every POST page handler: the form's token must match the session's."""
    form = await request.form()
    check_csrf(request.session, form.get(CSRF_FIELD))


def start_session(session: dict[str, Any], *, secret: str) -> None:
    """A fresh cookie for a user who just logged in: the server-side session's secret and a
    new CSRF token (no fixation)."""
    session.clear()
    session[WEB_SESSION_KEY] = secret
    csrf_token(session)


def safe_next(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
