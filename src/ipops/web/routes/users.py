"""The user accounts page (platform administrators): deactivate or reactivate a user.

Deactivating refuses the user at sign-in and ends every web session and API token of
theirs at once (``accounts.users.set_user_active``); both are in the audit trail.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipops.accounts import directory, users
from ipops.accounts.directory import UserEntry
from ipops.api.deps import client_address
from ipops.audit.service import Actor
from ipops.errors import Conflict, NotFound
from ipops.paging import Page
from ipops.web.context import DbSession, RowId, Web, WebContext
from ipops.web.pager import PAGE_SIZE, make_pager, page_of
from ipops.web.security import check_csrf_form

router = APIRouter(include_in_schema=False)
MANAGE = ("users:manage", "user")


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(web: Web, db_session: DbSession, request: Request) -> Response:
    web.require(*MANAGE)
    page = page_of(request.query_params)
    found = directory.user_directory(db_session=db_session, page=Page(number=page, size=PAGE_SIZE))
    pager = make_pager(
        "/admin/users", request.query_params, page=page, size=PAGE_SIZE, total=found.total
    )
    return web.render(
        "users.html",
        active="users",
        users=[_row(web, u) for u in found.users],
        total=found.total,
        pager=pager,
    )


@router.post("/admin/users/{user_id}/{change}", dependencies=[Depends(check_csrf_form)])
def change_user(web: Web, db_session: DbSession, user_id: RowId, change: str) -> Response:
    """``change`` is ``deactivate`` or ``reactivate``."""
    web.require(*MANAGE)
    if change not in ("deactivate", "reactivate"):
        raise web.not_found(web.gettext("There is no such page."))
    try:
        user = users.get_user(db_session=db_session, user_id=user_id)
    except NotFound:
        raise web.not_found(web.gettext("There is no such page.")) from None
    actor = _actor(web)
    try:
        active = change == "reactivate"
        users.set_user_active(db_session=db_session, user=user, active=active, actor=actor)
    except Conflict:
        raise web.error(
            409,
            web.gettext("Request refused"),
            web.gettext("You cannot deactivate yourself."),
        ) from None
    return RedirectResponse("/admin/users", status_code=303)


def _row(web: WebContext, user: UserEntry) -> dict[str, Any]:
    return {**user.model_dump(), "me": web.user is not None and web.user.id == user.id}


def _actor(web: WebContext) -> Actor:
    assert web.user is not None
    return Actor.of(web.user.username, channel="web", address=client_address(web.request))
