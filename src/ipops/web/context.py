"""What every page handler gets: the language, the signed-in user, rendering and authorization.

A handler declares ``web: Web`` (a signed-in user is required: anonymous visitors are sent
to the login page) or ``web: AnonymousWeb`` (the login page), and ends with
``return web.render("template.html", ...)``. Permission checks go through
``web.require(action, resource_type)``, which asks ``ipops.accounts.authz``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Path, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.api.deps import SessionDep, current_user_from_request
from ipops.errors import NotAuthenticated
from ipops.web.i18n import LANG_COOKIE, LOCALE_NAMES, LOCALES, html_lang, normalize_locale
from ipops.web.i18n import translations as _translations
from ipops.web.nav import NAV_ITEMS, NavItem
from ipops.web.rendering import render
from ipops.web.roles import role_label
from ipops.web.security import PAGE_HEADERS, csrf_token

# A row id in a page's path: bounded as in the API (a larger number is no row; the page
# answers 404, never an overflow in the database driver).
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class LoginRequired(Exception):
    """No signed-in user: the page answers with a redirect to the login form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageError(Exception):
    """Answers the request with an error page (403, 404, ...) in the user's language.

    The page is rendered when the error is raised, while the request's database session
    is still open (the handler runs after the session has been rolled back and closed).
    """

    def __init__(self, response: HTMLResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


@dataclass
class WebContext:
    request: Request
    locale: str
    user: User | None

    def gettext(self, message: str, **variables: Any) -> str:
        text = _translations(self.locale).gettext(message)
        return text % variables if variables else text

    def can(self, action: str, resource_type: str, obj: object | None = None) -> bool:
        return self.user is not None and authz.can(self.user, action, resource_type, obj)

    def require(self, action: str, resource_type: str, obj: object | None = None) -> None:
        if not self.can(action, resource_type, obj):
            raise self.error(
                403,
                self.gettext("Access denied"),
                self.gettext("Your role does not give access to this page."),
            )

    def not_found(self, message: str) -> PageError:
        return self.error(404, self.gettext("Not found"), message)

    def error(self, status: int, heading: str, message: str) -> PageError:
        response = self.render("error.html", status=status, heading=heading, message=message)
        return PageError(response)

    def render(
        self, template: str, *, status: int = 200, active: str | None = None, **context: Any
    ) -> HTMLResponse:
        page = {**self.base_context(active), **context}
        response = HTMLResponse(render(self.locale, template, page), status_code=status)
        response.headers.update(PAGE_HEADERS)
        return response

    def base_context(self, active: str | None = None) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "html_lang": html_lang(self.locale),
            "user": self.user,
            "user_name": self.user.display_name if self.user else "",
            "role_label": role_label(self.user.role) if self.user else "",
            "nav": self.visible_nav(),
            "active": active,
            "csrf_token": csrf_token(self.request.session),
            "lang_links": self.lang_links(),
        }

    def visible_nav(self) -> list[NavItem]:
        if self.user is None:
            return []
        return [item for item in NAV_ITEMS if self._may_see(item)]

    def _may_see(self, item: NavItem) -> bool:
        if item.action is None or item.resource_type is None:
            return True
        return self.can(item.action, item.resource_type)

    def lang_links(self) -> list[dict[str, str]]:
        here = quote(current_path(self.request), safe="")
        return [
            {"href": f"/lang/{code}?next={here}", "lang": html_lang(code), "name": name}
            for code, name in LOCALE_NAMES.items()
            if code != self.locale and code in LOCALES
        ]


def current_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def locale_of(request: Request) -> str:
    """The language chosen with the switch (a cookie); Chinese by default."""
    return normalize_locale(request.cookies.get(LANG_COOKIE))


def signed_in_user(request: Request, db_session: Session) -> User | None:
    try:
        return current_user_from_request(request, db_session)
    except NotAuthenticated:
        return None


DbSession = SessionDep


def anonymous_context(request: Request, db_session: DbSession) -> WebContext:
    return WebContext(request, locale_of(request), signed_in_user(request, db_session))


def web_context(request: Request, db_session: DbSession) -> WebContext:
    user = signed_in_user(request, db_session)
    if user is None:
        raise LoginRequired(current_path(request))
    return WebContext(request, locale_of(request), user)


Web = Annotated[WebContext, Depends(web_context)]
AnonymousWeb = Annotated[WebContext, Depends(anonymous_context)]
