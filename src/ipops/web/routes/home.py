"""The home page: a dashboard of panels, each shown to the roles allowed to see its data.

A domain adds a panel by appending a :class:`HomePanel` to ``HOME_PANELS``: a template
(``templates/_panel_<key>.html``), the permission it needs, and a loader returning the
template's ``panel.data``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from ipops.accounts.roles import Role
from ipops.api.deps import api_state
from ipops.corpus.queries import corpus_stats, fetch_dicts
from ipops.web import panels
from ipops.web.charts import bar_chart
from ipops.web.context import DbSession, Web, WebContext
from ipops.web.i18n import country_name
from ipops.web.roles import role_intro

router = APIRouter(include_in_schema=False)
TOP_COUNTRIES = 10


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    action: str | None
    resource_type: str | None
    load: Callable[[WebContext, Session], dict[str, Any]]
    roles: frozenset[Role] | None = None  # None: every role holding the permission


@dataclass(frozen=True)
class ShownPanel:
    key: str
    template: str
    data: dict[str, Any]


@router.get("/", response_class=HTMLResponse)
def home(web: Web, db_session: DbSession) -> Response:
    """The role's own home: the work waiting for it first (see ``ipops.web.panels``)."""
    assert web.user is not None  # Web guarantees a signed-in user
    panels = [
        ShownPanel(p.key, p.template, p.load(web, db_session))
        for p in HOME_PANELS
        if _visible(web, p)
    ]
    return web.render(
        "home.html", active="home", panels=panels, role_intro=role_intro(web.user.role)
    )


def _visible(web: WebContext, panel: HomePanel) -> bool:
    assert web.user is not None
    if panel.roles is not None and web.user.role not in panel.roles:
        return False
    if panel.action is None or panel.resource_type is None:
        return True
    return web.can(panel.action, panel.resource_type)


def load_corpus_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    overview = corpus_overview(web)
    countries = overview["countries"]
    names = [country_name(code, web.locale) for code, _ in countries]
    return {
        **overview["stats"],
        "years_chart": bar_chart([(str(year), n) for year, n in overview["years"]]),
        "countries_chart": bar_chart(countries, names),
    }


def corpus_overview(web: WebContext) -> dict[str, Any]:
    """Counts, patents per filing year, top inventor countries; computed once per snapshot."""
    corpus = api_state(web.request).corpus
    key = (str(corpus.store.root), corpus.snapshot_id)
    cached = _OVERVIEWS.get(key)
    if cached is None:
        handle = corpus.cursor()
        try:
            cached = _compute_overview(handle.cursor)
        finally:
            handle.close()
        if len(_OVERVIEWS) >= _OVERVIEWS_KEPT:
            _OVERVIEWS.pop(next(iter(_OVERVIEWS)))
        _OVERVIEWS[key] = cached
    return cached


_OVERVIEWS_KEPT = 8
_OVERVIEWS: dict[tuple[str, str], dict[str, Any]] = {}


def _compute_overview(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    stats = corpus_stats(con, top=TOP_COUNTRIES)
    years = fetch_dicts(
        con,
        "SELECT year(filing_date) AS year, count(*) AS patents FROM patents "
        "WHERE filing_date IS NOT NULL GROUP BY ALL ORDER BY year",
    )
    return {
        "stats": {
            "counts": stats["counts"],
            "first_year": stats["years"]["first_filing_year"],
            "last_year": stats["years"]["last_filing_year"],
        },
        "years": [(row["year"], row["patents"]) for row in years],
        "countries": [
            (row["country"], row["inventors"]) for row in stats["top_inventor_countries"]
        ],
    }


def load_reports_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    return {}


HOME_PANELS: list[HomePanel] = [
    HomePanel(
        "bank", "_panel_bank.html", "finance:open", "finance_desk", panels.bank_panel,
        frozenset({Role.BANK_OFFICER}),
    ),
    HomePanel(
        # pool:manage is scoped to the pool's organisation: the panel lists the pools the
        # user may manage (checked per pool in the panel), so no type-wide check here.
        "pool_admin", "_panel_pool_admin.html", None, None, panels.pool_admin_panel,
        frozenset({Role.POOL_ADMIN, Role.PLATFORM_ADMIN}),
    ),
    HomePanel(
        "enterprise", "_panel_enterprise.html", "finance:open", "finance_desk",
        panels.enterprise_panel, frozenset({Role.ENTERPRISE_USER}),
    ),
    HomePanel(
        "licensee", "_panel_licensee.html", None, None, panels.licensee_panel,
        frozenset({Role.LICENSEE}),
    ),
    HomePanel(
        "expert", "_panel_expert.html", None, None, panels.expert_panel,
        frozenset({Role.EXPERT}),
    ),
    HomePanel(
        "member", "_panel_member.html", None, None, panels.member_panel,
        frozenset({Role.POOL_MEMBER}),
    ),
    HomePanel(
        "reports", "_panel_reports.html", "report:read", "report", load_reports_panel,
        frozenset({Role.ANALYST, Role.PLATFORM_ADMIN}),
    ),
    HomePanel(
        "corpus", "_panel_corpus.html", "corpus:read", "corpus", load_corpus_panel,
        frozenset({Role.ANALYST, Role.PLATFORM_ADMIN, Role.EXPERT}),
    ),
]  # fmt: skip
