"""The server-rendered web UI (Chinese by default, English on request): ``mount`` it on the app.

``ipops.api.app.create_app`` calls :func:`mount`, which adds the session cookie, the static
files under ``/static`` and the page routes (never under ``/api``). docs/web.md explains the
pages, the languages and how a domain adds its own pages.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ipops.api.errors import handle_request_validation
from ipops.config import Settings
from ipops.web.context import LoginRequired, PageError, WebContext, locale_of
from ipops.web.rendering import STATIC_DIR
from ipops.web.routes import DOMAIN_ROUTERS
from ipops.web.security import CsrfFailed, https_only, session_secret

SESSION_COOKIE = "ipops_session"
SESSION_MAX_AGE = 12 * 60 * 60  # a working day; then log in again


def mount(app: FastAPI, settings: Settings) -> None:
    """Add the web UI to ``app``: session middleware, ``/static`` and the pages."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=https_only(settings),
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in DOMAIN_ROUTERS:
        app.include_router(router)
    app.add_exception_handler(LoginRequired, _to_login)  # type: ignore[arg-type]
    app.add_exception_handler(PageError, _error_page)  # type: ignore[arg-type]
    app.add_exception_handler(CsrfFailed, _csrf_refused)
    app.add_exception_handler(RequestValidationError, _bad_page_input)


def _to_login(_request: Request, exc: LoginRequired) -> Response:
    return RedirectResponse(f"/login?next={quote(exc.next_path, safe='')}", status_code=303)


def _error_page(_request: Request, exc: PageError) -> Response:
    return exc.response


async def _bad_page_input(request: Request, exc: Exception) -> Response:
    """A page whose path names no possible row (``/pool/99999999999999999999``, ``/pool/x``)
    does not exist: 404 page. The API keeps its JSON 422."""
    assert isinstance(exc, RequestValidationError)
    in_path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
    if request.url.path.startswith("/api/") or not in_path:
        return await handle_request_validation(request, exc)
    web = WebContext(request, locale_of(request), None)
    return web.not_found(web.gettext("There is no such page.")).response


def _csrf_refused(request: Request, _exc: Exception) -> Response:
    web = WebContext(request, locale_of(request), None)
    heading = web.gettext("Request refused")
    message = web.gettext(
        "The form was out of date or did not come from this site. Go back, reload the "
        "page and try again."
    )
    return web.error(403, heading, message).response
