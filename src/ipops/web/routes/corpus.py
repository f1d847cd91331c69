"""Patent search and the patent page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ipops.api.corpus_access import CorpusCursor
from ipops.api.deps import CorpusDep
from ipops.corpus.lookup_records import PatentSummary
from ipops.corpus.search import SearchCriteria
from ipops.errors import NotFound, ValidationError
from ipops.paging import Page
from ipops.web.context import Web, WebContext, current_path
from ipops.web.forms import SearchForm, parse_search_form
from ipops.web.i18n import N_
from ipops.web.pager import PAGE_SIZE, make_pager, page_of

router = APIRouter(include_in_schema=False)
ACTION = ("corpus:read", "corpus")


@router.get("/search", response_class=HTMLResponse)
def search(web: Web, corpus: CorpusDep, request: Request) -> Response:
    web.require(*ACTION)
    form, errors = parse_search_form(request.query_params, web.gettext)
    rows: list[PatentSummary] = []
    total = 0
    if form.submitted and not errors:
        try:
            rows, total = run_search(corpus, form)
        except ValidationError as exc:
            errors.append(_search_problem(web, exc))
    pager = make_pager("/search", request.query_params, page=form.page, size=form.size, total=total)
    return web.render(
        "search.html",
        active="search",
        form=form,
        errors=errors,
        rows=rows,
        pager=pager,
        back=current_path(request),
    )


@router.get("/patents/{patent_id}", response_class=HTMLResponse)
def patent_page(
    web: Web, corpus: CorpusDep, request: Request, patent_id: str, back: str | None = None
) -> Response:
    """The patent's record; its citations made and received a page at a time each (a much
    cited patent has hundreds)."""
    web.require(*ACTION)
    try:
        details = corpus.patent(patent_id)
    except (NotFound, ValidationError):
        raise _no_patent(web, patent_id) from None
    lists = {}
    for key, param, anchor in CITATION_LISTS:
        rows = getattr(details, key)
        pager = make_pager(
            request.url.path,
            request.query_params,
            page=page_of(request.query_params, param),
            size=PAGE_SIZE,
            total=len(rows),
            param=param,
            anchor=anchor,
        )
        lists[key] = (pager.rows(rows), pager)
    return web.render(
        "patent.html",
        active="search",
        p=details.patent,
        d=details,
        made=lists["citations_made"],
        received=lists["citations_received"],
        back_url=_back_url(back),
        value_link=web.can("value:read", "valuation"),
    )


# The patent page's long lists: (key in the patent's details, page parameter, heading id).
CITATION_LISTS = (
    ("citations_made", "citations_page", "cited-heading"),
    ("citations_received", "cited_by_page", "citing-heading"),
)


def run_search(corpus: CorpusCursor, form: SearchForm) -> tuple[list[PatentSummary], int]:
    criteria = SearchCriteria.from_query(
        number=form.text("number"),
        q=form.text("words"),
        party=form.text("party"),
        ipc=form.text("ipc"),
        year_from=form.year_from,
        year_to=form.year_to,
    )
    return corpus.search(criteria, Page(number=form.page, size=form.size))


# What the search refuses, by field, in words the user can act on.
SEARCH_PROBLEMS = {
    "number": N_("Patent number: enter a patent or publication number, e.g. CN102345678."),
    "ipc": N_("IPC prefix: enter an IPC symbol or its start, e.g. F24F, F24F 11, F24F 11/30."),
    "q": N_("Title words: enter at most 10 words."),
}


def _search_problem(web: WebContext, exc: ValidationError) -> str:
    known = SEARCH_PROBLEMS.get(exc.field or "")
    if known:
        return web.gettext(known)
    return web.gettext("The search could not be run: %(reason)s", reason=str(exc))


def _no_patent(web: WebContext, patent_id: str) -> Exception:
    return web.not_found(web.gettext("There is no patent %(id)s in the corpus.", id=patent_id))


def _back_url(back: str | None) -> str:
    """The search the user came from (only a search URL of this site), else a new search."""
    if back and back.startswith("/search") and "\\" not in back:
        return back
    return "/search"
