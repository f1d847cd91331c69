"""HTTP edge of patent value: a value card, the ranking, high-value patents, money value.

Scores are computed through the service when the current corpus snapshot has none yet for
the asked scheme (``runs.ensure_scores``: the files under ``<workspace>/valuation`` are
a cache, reused while snapshot, scheme, as-of date and definitions match). On a big corpus
the first request after a load therefore takes as long as ``ipops value score``; running
that command after each load keeps requests fast.

Only the built-in schemes can be named here (a scheme *file* path from a client is never
read).
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy.orm import Session

from ipops.accounts import authz
from ipops.api.deps import CurrentUser, SessionDep, api_state
from ipops.api.pagination import page_params
from ipops.api.schemas import SafeStr, StrictModel
from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.paging import Page
from ipops.valuation import appraisal, indicators, money, rankings, screening
from ipops.valuation.fields import WipoField
from ipops.valuation.rankings import PatentValue
from ipops.valuation.runs import ScoreRun
from ipops.valuation.schemes import Scheme, builtin_names, load_scheme
from ipops.valuation.scoring import DegreeLine, IndicatorLine

router = APIRouter(prefix="/value", tags=["value"])

# The service writes its cache files under per-process temporary names and spill folders,
# so two threads of one server must not compute at the same time; reuse is quick.
COMPUTING = threading.Lock()

MAX_TOP = 1000
RankPageParams = Annotated[Page, Depends(page_params(("rank",), "rank"))]
PlainPageParams = Annotated[Page, Depends(page_params((), None))]
SchemeParam = Annotated[
    str, Query(max_length=40, description="built-in scheme: default, finance or licensing")
]


# --------------------------------------------------------------------------- shared helpers


def chosen_scheme(name: str) -> Scheme:
    """A built-in scheme by name; anything else is a 422 naming ``scheme``."""
    names = builtin_names()
    if name not in names:
        raise ValidationError(f"no scheme {name!r}; choose from {', '.join(names)}", field="scheme")
    return load_scheme(name)


def value_root(request: Request) -> FsPath:
    return api_state(request).workspace.root / "valuation"


def corpus_store(request: Request) -> CorpusStore:
    return api_state(request).corpus.store


def high_value_report(store: CorpusStore, root: FsPath) -> screening.HighValueReport:
    """The screening as of the data cut-off: built-in strategic list, the workspace's awards."""
    with COMPUTING:
        return screening.high_value_patents(
            store=store, root=root, options=indicators.value_options(store)
        )


def patent_card(store: CorpusStore, root: FsPath, number: str, scheme: Scheme) -> PatentValue:
    with COMPUTING:
        return rankings.patent_value(store, root, number, scheme, indicators.value_options(store))


def ranking(
    store: CorpusStore,
    root: FsPath,
    db_session: Session,
    scheme: Scheme,
    where: rankings.RankFilter,
    n: int,
) -> tuple[ScoreRun, list[rankings.RankedPatent]]:
    where.check()
    with COMPUTING:
        found = rankings.rank_patents(
            store=store,
            root=root,
            scheme=scheme,
            options=indicators.value_options(store),
            where=where,
            n=n,
            db_session=db_session,
        )
    return found.run, list(found.patents)


# --------------------------------------------------------------------------- value card


class ValueCard(BaseModel):
    patent_id: str
    title: str | None
    snapshot_id: str
    as_of: date
    scheme: str
    scheme_digest: str
    field: WipoField | None
    cohort: str | None
    cohort_size: int | None
    cohort_level: str | None = None  # field_year | year | kind: the fallback used
    kind: str | None = None  # invention | utility_model | design | application
    status: str | None
    status_basis: str | None
    term: rankings.LegalTermFacts | None = None  # expiry and how it was reached
    family: rankings.FamilyFacts | None = None  # offices and basis
    forward_citations: rankings.ForwardCitations | None = None  # count, universe, window cap
    pvd: float | None
    degrees: list[DegreeLine]
    indicators: list[IndicatorLine]
    unavailable: list[str]
    notes: list[str] = Field(default_factory=list)
    notes_zh: list[str] = Field(default_factory=list)


@router.get("/patents/{number}")
def read_value(
    number: Annotated[SafeStr, Path(max_length=64, examples=["US7654321B2"])],
    request: Request,
    user: CurrentUser,
    scheme: SchemeParam = "default",
) -> ValueCard:
    """One patent's value explained: each indicator's raw value, cohort percentile, weight
    and contribution; LVD, TVD, EVD and PVD; the scheme and corpus snapshot used."""
    authz.require(user, "value:read", "valuation")
    card = patent_card(corpus_store(request), value_root(request), number, chosen_scheme(scheme))
    return ValueCard.model_validate(card.as_dict())


# --------------------------------------------------------------------------- ranking


class RankingPage(BaseModel):
    items: list[rankings.RankedPatent]
    page: int
    page_size: int
    total: int
    scheme: str
    snapshot_id: str
    as_of: date
    unavailable: list[str]


@router.get("/top")
def read_top(
    request: Request,
    user: CurrentUser,
    db_session: SessionDep,
    page: RankPageParams,
    field: Annotated[int | None, Query(ge=1, le=35, description="WIPO technology field")] = None,
    ipc: Annotated[SafeStr | None, Query(max_length=20, description="IPC/CPC prefix")] = None,
    party: Annotated[
        SafeStr | None, Query(max_length=200, description="applicant/assignee or entity id")
    ] = None,
    scheme: SchemeParam = "default",
    n: Annotated[int, Query(ge=1, le=MAX_TOP, description="how many of the best")] = 100,
) -> RankingPage:
    """The ``n`` best-scored patents by PVD (of one field, IPC prefix or party), paged."""
    authz.require(user, "value:read", "valuation")
    where = rankings.RankFilter(field=field, ipc=ipc or None, party=party or None)
    run, rows = ranking(
        corpus_store(request), value_root(request), db_session, chosen_scheme(scheme), where, n
    )
    if page.sort and page.sort[0].descending:
        rows = rows[::-1]
    return RankingPage.model_validate(
        {
            "items": rows[page.offset : page.offset + page.size],
            "page": page.number,
            "page_size": page.size,
            "total": len(rows),
            "scheme": run.scheme,
            "snapshot_id": run.snapshot_id,
            "as_of": run.as_of,
            "unavailable": list(run.unavailable),
        }
    )


# --------------------------------------------------------------------------- high value


class HighValueItem(BaseModel):
    patent_id: str
    title: str | None
    office: str
    filing_date: date | None
    status: str
    status_basis: str
    reasons: list[str]
    evidence: dict[str, str]


class HighValuePage(BaseModel):
    items: list[HighValueItem]
    page: int
    page_size: int
    total: int
    snapshot_id: str
    as_of: date
    valid_inventions: int
    by_reason: dict[str, int]
    pledged_without_amount: int
    strategic_list: str


@router.get("/high-value")
def read_high_value(request: Request, user: CurrentUser, page: PlainPageParams) -> HighValuePage:
    """Valid invention patents meeting any of CNIPA's five high-value conditions, with the
    reasons that hold and their evidence (ordered by filing date)."""
    authz.require(user, "value:read", "valuation")
    report = high_value_report(corpus_store(request), value_root(request))
    items = [
        HighValueItem.model_validate(p, from_attributes=True)
        for p in report.patents[page.offset : page.offset + page.size]
    ]
    return HighValuePage.model_validate(
        {
            "items": items,
            "page": page.number,
            "page_size": page.size,
            "total": report.high_value,
            "snapshot_id": report.snapshot_id,
            "as_of": report.as_of,
            "valid_inventions": report.valid_inventions,
            "by_reason": report.by_reason,
            "pledged_without_amount": report.pledged_without_amount,
            "strategic_list": report.strategic_list,
        }
    )


# --------------------------------------------------------------------------- money


def _no_float(value: object) -> object:
    if isinstance(value, bool | float):
        raise ValueError("a JSON number with a fraction is a float; send decimals as strings")
    if isinstance(value, int):
        return str(value)
    return value


DecimalText = Annotated[
    str,
    BeforeValidator(_no_float),
    Field(max_length=40, examples=["0.05"], description="a decimal as a string (or an integer)"),
]


class MoneyRequest(StrictModel):
    revenue: Annotated[list[DecimalText], Field(min_length=1, max_length=100)]
    royalty_rate: DecimalText
    tax_rate: DecimalText
    discount_rate: DecimalText
    economic_life: DecimalText | None = None
    numbers: Annotated[list[SafeStr], Field(default_factory=list, max_length=100)]
    as_of: date | None = None
    tab: bool = False
    tab_years: Annotated[int, Field(ge=1, le=50)] = money.DEFAULT_TAB_YEARS
    cost: DecimalText | None = None
    obsolescence: DecimalText | None = None


MoneyValue = appraisal.MoneyFigures  # the legal terms, income and cost approaches, typed


@router.post("/money")
def value_in_money(body: MoneyRequest, request: Request, user: CurrentUser) -> MoneyValue:
    """Relief-from-royalty value (income approach) of a patent or portfolio, with an optional
    cost-approach cross-check. Amounts and rates are decimal strings both ways; the legal
    term of the listed patents caps the economic life."""
    authz.require(user, "value:read", "valuation")
    valued = appraisal.value_in_money(
        store=corpus_store(request),
        revenue=body.revenue,
        royalty_rate=body.royalty_rate,
        tax_rate=body.tax_rate,
        discount_rate=body.discount_rate,
        economic_life=body.economic_life,
        numbers=body.numbers,
        as_of=body.as_of,
        tab=body.tab,
        tab_years=body.tab_years,
        cost=body.cost,
        obsolescence=body.obsolescence,
    )
    return valued.figures()
