"""Logging in and out, and the language switch."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipops.accounts import logins, websessions
from ipops.api.deps import client_address, web_session_secret
from ipops.audit.service import Actor
from ipops.errors import NotAuthenticated, TooManyAttempts
from ipops.web.context import AnonymousWeb, DbSession, WebContext
from ipops.web.i18n import LANG_COOKIE, LOCALES
from ipops.web.security import check_csrf_form, safe_next, start_session

router = APIRouter(include_in_schema=False)
LANG_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


@router.get("/login", response_class=HTMLResponse)
def login_form(web: AnonymousWeb, next: str | None = None) -> Response:
    if web.user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(web, next=safe_next(next), username="", errors=[])


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_csrf_form)])
def login(
    web: AnonymousWeb,
    db_session: DbSession,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    target = safe_next(next)
    try:
        user = logins.authenticate(
            db_session=db_session,
            username=username,
            password=password,
            source=client_address(web.request),
            channel="web",
        )
    except TooManyAttempts as exc:
        message = web.gettext(
            "Too many failed logins. Try again in %(minutes)s minutes.",
            minutes=max(1, math.ceil(exc.retry_after / 60)),
        )
        return _login_page(web, next=target, username=username, errors=[message], status=429)
    except NotAuthenticated:
        message = web.gettext("Wrong username or password.")
        return _login_page(web, next=target, username=username, errors=[message], status=401)
    address = client_address(web.request)
    _session, secret = websessions.start_web_session(
        db_session=db_session,
        user=user,
        actor=Actor.of(user.username, channel="web", address=address),
    )
    start_session(web.request.session, secret=secret)
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf_form)])
def logout(web: AnonymousWeb, db_session: DbSession) -> Response:
    """End the session server-side (a kept copy of the cookie no longer works), then
    forget the cookie."""
    secret = web_session_secret(web.request)
    if secret is not None:
        name = web.user.username if web.user is not None else "anonymous"
        websessions.end_web_session(
            db_session=db_session,
            secret=secret,
            actor=Actor.of(name, channel="web", address=client_address(web.request)),
            reason="logout",
        )
    web.request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, next: str | None = None) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LOCALES:
        response.set_cookie(
            LANG_COOKIE, code, max_age=LANG_COOKIE_MAX_AGE, samesite="lax", httponly=True
        )
    return response


def _login_page(
    web: WebContext, *, next: str, username: str, errors: list[str], status: int = 200
) -> Response:
    return web.render(
        "login.html", status=status, next=next, username=username, error_messages=errors
    )
