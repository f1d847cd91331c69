"""Patent search and the patent page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ipops.api.deps import CorpusDep
from ipops.corpus.queries import show_patent
from ipops.errors import NotFound, ValidationError
from ipops.web.context import Web, WebContext
from ipops.web.forms import parse_search_form
from ipops.web.pager import make_pager
from ipops.web.search_backend import run_search

router = APIRouter(include_in_schema=False)
ACTION = ("corpus:read", "corpus")


@router.get("/search", response_class=HTMLResponse)
def search(web: Web, corpus: CorpusDep, request: Request) -> Response:
    web.require(*ACTION)
    form, errors = parse_search_form(request.query_params, web.gettext)
    rows: list[dict[str, Any]] = []
    total = 0
    if form.submitted and not errors:
        try:
            rows, total = run_search(corpus.cursor, form)
        except ValidationError as exc:
            errors.append(web.gettext("The search could not be run: %(reason)s", reason=str(exc)))
    pager = make_pager("/search", request.query_params, page=form.page, size=form.size, total=total)
    return web.render(
        "search.html", active="search", form=form, errors=errors, rows=rows, pager=pager
    )


@router.get("/patents/{patent_id}", response_class=HTMLResponse)
def patent_page(web: Web, corpus: CorpusDep, patent_id: str, back: str | None = None) -> Response:
    web.require(*ACTION)
    try:
        details = show_patent(corpus.cursor, patent_id)
    except (NotFound, ValidationError):
        raise _no_patent(web, patent_id) from None
    return web.render(
        "patent.html",
        active="search",
        p=details["patent"],
        d=details,
        back_url=_back_url(back),
    )


def _no_patent(web: WebContext, patent_id: str) -> Exception:
    return web.not_found(web.gettext("There is no patent %(id)s in the corpus.", id=patent_id))


def _back_url(back: str | None) -> str:
    """The search the user came from (only a search URL of this site), else a new search."""
    if back and back.startswith("/search") and "\\" not in back:
        return back
    return "/search"

