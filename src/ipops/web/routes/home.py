"""The home page: a dashboard of panels, each shown to the roles allowed to see its data.

A domain adds a panel by appending a :class:`HomePanel` to ``HOME_PANELS``: a template
(``templates/_panel_<key>.html``), the permission it needs, and a loader returning the
template's ``panel.data``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from ipops.accounts.roles import Role
from ipops.api.deps import api_state
from ipops.corpus import dashboard
from ipops.corpus.dashboard import CorpusCounts, CorpusOverview
from ipops.web import panels
from ipops.web.charts import BarChart, bar_chart
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
    load: Callable[[WebContext, Session], object]
    roles: frozenset[Role] | None = None  # None: every role holding the permission


@dataclass(frozen=True)
class ShownPanel:
    key: str
    template: str
    data: object


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


@dataclass(frozen=True, slots=True)
class CorpusPanel:
    """The corpus at a glance: table counts, filing years, two charts."""

    counts: CorpusCounts
    first_year: int | None
    last_year: int | None
    years_chart: BarChart
    countries_chart: BarChart


def load_corpus_panel(web: WebContext, db_session: Session) -> CorpusPanel:
    overview = corpus_overview(web)
    names = [country_name(c.country, web.locale) for c in overview.countries]
    return CorpusPanel(
        counts=overview.counts,
        first_year=overview.first_year,
        last_year=overview.last_year,
        years_chart=bar_chart([(str(y.year), y.patents) for y in overview.years]),
        countries_chart=bar_chart([(c.country, c.inventors) for c in overview.countries], names),
    )


def corpus_overview(web: WebContext) -> CorpusOverview:
    """The corpus overview of the served snapshot, computed once per snapshot."""
    corpus = api_state(web.request).corpus
    key = (str(corpus.store.root), corpus.snapshot_id)
    cached = _OVERVIEWS.get(key)
    if cached is None:
        handle = corpus.cursor()
        try:
            cached = dashboard.corpus_overview(con=handle.cursor, top=TOP_COUNTRIES)
        finally:
            handle.close()
        if len(_OVERVIEWS) >= _OVERVIEWS_KEPT:
            _OVERVIEWS.pop(next(iter(_OVERVIEWS)))
        _OVERVIEWS[key] = cached
    return cached


_OVERVIEWS_KEPT = 8
_OVERVIEWS: dict[tuple[str, str], CorpusOverview] = {}


def load_reports_panel(web: WebContext, db_session: Session) -> None:
    """The reports panel is links only: it has no data."""
    return None


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
