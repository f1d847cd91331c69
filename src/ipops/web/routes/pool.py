"""Patent pool pages: the public pool list and patent list (no login), the administrator's
overview, a member's statement (the open ledger) and its submitted patents, a licensee's
invoices and reports, and an expert's assignments."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipops.accounts import authz
from ipops.api.deps import client_address
from ipops.audit.service import Actor
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.pool import (
    allocation_runs,
    assignments,
    cases,
    licensing,
    membership,
    overview,
    payments,
    submissions,
)
from ipops.pool.models import Licensee, Member, Pool
from ipops.pool.money import fen_text
from ipops.web.charts import bar_chart, short_label
from ipops.web.context import AnonymousWeb, DbSession, RowId, Web, WebContext
from ipops.web.i18n import country_name
from ipops.web.pager import PAGE_SIZE, make_pager, page_of
from ipops.web.security import check_csrf_form

router = APIRouter(include_in_schema=False)
MANAGE = ("pool:manage", "pool")


def _pool(web: WebContext, db_session: DbSession, pool_id: int) -> Pool:
    try:
        return membership.get_pool_by_id(db_session=db_session, pool_id=pool_id)
    except NotFound:
        raise web.not_found(web.gettext("There is no such patent pool.")) from None


def _managed(web: WebContext, db_session: DbSession, pool_id: int) -> Pool:
    """The pool, if the user may manage it: 403 for a role that manages no pool, 404 for
    another organisation's pool (as in the API)."""
    _require_some_right(web, *MANAGE)
    pool = _pool(web, db_session, pool_id)
    if not web.can(*MANAGE, pool):
        raise web.not_found(web.gettext("There is no such patent pool."))
    return pool


def _reachable(web: WebContext, db_session: DbSession, pool_id: int) -> Pool:
    """The pool, unless the user administers pools but not this one (404)."""
    pool = _pool(web, db_session, pool_id)
    user = web.user
    administers = user is not None and any(user.role in r.roles for r in authz.rules_for(*MANAGE))
    if administers and not web.can(*MANAGE, pool):
        raise web.not_found(web.gettext("There is no such patent pool."))
    return pool


@router.get("/pool", response_class=HTMLResponse)
def pools_page(web: AnonymousWeb, db_session: DbSession) -> Response:
    pools = membership.list_pools(db_session=db_session)
    return web.render("pool_list.html", active="pool", pools=pools)


@router.get("/pool/{pool_id}", response_class=HTMLResponse)
def public_page(
    web: AnonymousWeb, db_session: DbSession, request: Request, pool_id: RowId
) -> Response:
    """The open list, without login: members, patents (a page at a time), countries, expiry,
    and charts."""
    pool = _pool(web, db_session, pool_id)
    result = overview.stats_of(db_session=db_session, pool=pool)
    listing = overview.public_list(db_session=db_session, pool=pool)
    comp = result.composition
    patents = listing.patents
    pager = make_pager(
        f"/pool/{pool.id}",
        request.query_params,
        page=page_of(request.query_params),
        size=PAGE_SIZE,
        total=len(patents),
    )
    shown = pager.rows(patents)
    charts = {
        key: bar_chart(
            [(_chart_label(web, key, r.key), r.patents) for r in rows],
            [_chart_name(web, key, r.key) for r in rows],
        )
        for key, rows in (
            ("by_member", comp.by_member),
            ("by_country", comp.by_country),
            ("by_expiry_year", comp.by_expiry_year),
        )
    }
    income = [(period, row.collected, row.fee) for period, row in result.income.by_period.items()]
    income_chart = bar_chart(
        [(p, int(row.collected)) for p, row in result.income.by_period.items()]
    )
    return web.render(
        "pool_public.html",
        active="pool",
        pool=pool,
        listing=listing,
        patents=shown,
        pager=pager,
        countries=[country_name(c, web.locale) for c in listing.countries],
        comp=comp,
        charts=charts,
        income=income,
        income_chart=income_chart,
        may_manage=web.can(*MANAGE, pool),
        statements={
            m.id
            for m in membership.members_of(db_session, pool)
            if web.can("pool:statement", "pool_member", m)
        },
        member_patents={
            m.id
            for m in membership.members_of(db_session, pool)
            if web.can("pool:patents", "pool_member", m)
        },
        own_accounts=_own_accounts(web, db_session, pool),
    )


def _chart_name(web: WebContext, key: str, value: object) -> str:
    if key == "by_country":
        return country_name(str(value), web.locale)
    return str(value)


def _chart_label(web: WebContext, key: str, value: object) -> str:
    return short_label(_chart_name(web, key, value), 5)


def _own_accounts(web: WebContext, db_session: DbSession, pool: Pool) -> list[Licensee]:
    """The licensees of the signed-in user's own organisation it may see the account of (the
    administrator reaches every account from the administration page)."""
    if web.user is None or web.user.organisation_id is None:
        return []
    return [
        licensee
        for licensee in licensing.licensees_of(db_session, pool)
        if licensee.organisation_id == web.user.organisation_id
        and web.can("pool:invoices", "pool_licensee", licensee)
    ]


def _has_some_right(web: WebContext, action: str, resource_type: str) -> bool:
    user = web.user
    return user is not None and any(
        user.role in r.roles for r in authz.rules_for(action, resource_type)
    )


def _require_some_right(web: WebContext, action: str, resource_type: str) -> None:
    """Permission first, as in the API: a role with no rule is refused before any lookup."""
    if not _has_some_right(web, action, resource_type):
        raise web.error(
            403,
            web.gettext("Access denied"),
            web.gettext("Your role does not give access to this page."),
        )


def _actor(web: WebContext) -> Actor:
    assert web.user is not None
    return Actor.of(web.user.username, channel="web", address=client_address(web.request))


@router.get("/pool/{pool_id}/admin", response_class=HTMLResponse)
def admin_page(web: Web, db_session: DbSession, request: Request, pool_id: RowId) -> Response:
    pool = _managed(web, db_session, pool_id)
    return _admin(web, db_session, pool, page=page_of(request.query_params))


@router.post(
    "/pool/{pool_id}/admin", response_class=HTMLResponse, dependencies=[Depends(check_csrf_form)]
)
async def admin_action(
    web: Web, db_session: DbSession, pool_id: RowId, request: Request
) -> Response:
    """Decide a patent under review, or allocate a period's paid royalties."""
    pool = _managed(web, db_session, pool_id)
    form = await request.form()
    try:
        if form.get("action") == "decide":
            patent = submissions.get_patent(
                db_session=db_session, pool=pool, number=str(form.get("patent") or "")[:64]
            )
            decision = submissions.decide_patent(
                db_session=db_session, actor=_actor(web), pool=pool, patent=patent
            )
            message = f"{patent.number}: {decision.reason}"
        else:
            run = allocation_runs.allocate_period(
                db_session=db_session,
                actor=_actor(web),
                pool=pool,
                period=str(form.get("period") or "")[:10],
            )
            message = f"{run.period}: {fen_text(run.collected_fen)}"
    except (ValidationError, NotFound, Conflict) as exc:
        db_session.rollback()
        return _admin(web, db_session, pool, errors=[str(exc)])
    return _admin(web, db_session, pool, done=message)


def _admin(
    web: WebContext,
    db_session: DbSession,
    pool: Pool,
    *,
    errors: list[str] | None = None,
    done: str | None = None,
    page: int = 1,
) -> Response:
    """The administrator's page: reviews, members, allocations, income, the invoices (newest
    first, a page at a time) and cases."""
    invoices = payments.invoice_list(db_session=db_session, pool=pool)[::-1]
    pager = make_pager(
        f"/pool/{pool.id}/admin",
        {},
        page=page,
        size=PAGE_SIZE,
        total=len(invoices),
        anchor="i-heading",
    )
    return web.render(
        "pool_admin.html",
        active="pool",
        pool=pool,
        settings=membership.pool_settings(pool),
        members=membership.members_of(db_session, pool),
        experts=membership.experts_of(db_session, pool),
        allocations=[
            allocation_runs.allocation_summary(db_session=db_session, run=r)
            for r in allocation_runs.allocations_of(db_session, pool)
        ],
        invoices=pager.rows(invoices),
        invoice_pager=pager,
        cases=[cases.case_record(c) for c in cases.cases_of(db_session, pool)],
        under_review=submissions.under_review(db_session, pool),
        may_review=_has_some_right(web, "pool:review", "pool_assignment"),
        income=overview.stats_of(db_session=db_session, pool=pool).income,
        errors=errors or [],
        done=done,
    )


@router.get("/pool/{pool_id}/members/{member_id}/statement", response_class=HTMLResponse)
def statement_page(
    web: Web,
    db_session: DbSession,
    request: Request,
    pool_id: RowId,
    member_id: RowId,
    period: str | None = None,
) -> Response:
    _require_some_right(web, "pool:statement", "pool_member")
    pool = _reachable(web, db_session, pool_id)
    member = _member(web, db_session, pool, member_id, "pool:statement")
    chosen = period if period and len(period) <= 10 else None
    try:
        ledger = allocation_runs.statement(
            db_session=db_session, pool=pool, member=member, period=chosen
        )
    except ValidationError:  # a malformed period: show the whole ledger instead
        ledger = allocation_runs.statement(db_session=db_session, pool=pool, member=member)
    lines = ledger.lines
    pager = make_pager(
        f"/pool/{pool.id}/members/{member.id}/statement",
        request.query_params,
        page=page_of(request.query_params),
        size=PAGE_SIZE,
        total=len(lines),
    )
    return web.render(
        "pool_statement.html",
        active="pool",
        pool=pool,
        member=member,
        ledger=ledger,
        lines=pager.rows(lines),
        pager=pager,
        may_see_patents=web.can("pool:patents", "pool_member", member),
    )


def _member(
    web: WebContext, db_session: DbSession, pool: Pool, member_id: int, action: str
) -> Member:
    """The member, or 404 when it is not in this pool or not in the user's scope."""
    try:
        member = membership.get_member_by_id(db_session=db_session, pool=pool, member_id=member_id)
    except NotFound:
        raise web.not_found(web.gettext("There is no such member.")) from None
    if not web.can(action, "pool_member", member):
        raise web.not_found(web.gettext("There is no such member."))
    return member


@router.get("/pool/{pool_id}/members/{member_id}/patents", response_class=HTMLResponse)
def member_patents_page(
    web: Web, db_session: DbSession, pool_id: RowId, member_id: RowId
) -> Response:
    """A member company's submitted patents and where each stands in admission."""
    _require_some_right(web, "pool:patents", "pool_member")
    pool = _reachable(web, db_session, pool_id)
    member = _member(web, db_session, pool, member_id, "pool:patents")
    patents = submissions.patents_of_member(db_session, member)
    counts: dict[str, int] = {}
    for patent in patents:
        counts[patent.status] = counts.get(patent.status, 0) + 1
    return web.render(
        "pool_member_patents.html",
        active="pool",
        pool=pool,
        member=member,
        patents=patents,
        counts=sorted(counts.items()),
        may_see_statement=web.can("pool:statement", "pool_member", member),
    )


@router.get("/pool/{pool_id}/licensees/{licensee_id}/account", response_class=HTMLResponse)
def licensee_account_page(
    web: Web, db_session: DbSession, pool_id: RowId, licensee_id: RowId
) -> Response:
    """A licensee's royalty reports and invoices, with what is paid and outstanding."""
    _require_some_right(web, "pool:invoices", "pool_licensee")
    pool = _reachable(web, db_session, pool_id)
    try:
        licensee = licensing.get_licensee_by_id(
            db_session=db_session, pool=pool, licensee_id=licensee_id
        )
    except NotFound:
        raise web.not_found(web.gettext("There is no such licensee.")) from None
    if not web.can("pool:invoices", "pool_licensee", licensee):
        raise web.not_found(web.gettext("There is no such licensee."))
    account = payments.licensee_account(db_session=db_session, licensee=licensee)
    rows = [
        {
            "period": f"{r.period_from} – {r.period_to}",
            # the business date: the report is accepted and invoiced on the invoice's issue
            # date (``accepted_at`` is when the row was written, which may be much later)
            "accepted": r.invoice.issued_on,
            "royalty": r.royalty,
            "capped": r.royalty != r.uncapped_royalty,
            "invoice": r.invoice.number,
            "due_on": r.invoice.due_on,
            "amount": r.invoice.amount,
            "paid": r.invoice.paid,
            "outstanding": r.invoice.outstanding,
        }
        for r in account.reports
    ]
    return web.render(
        "pool_licensee_account.html",
        active="pool",
        pool=pool,
        licensee=licensee,
        rows=rows,
        invoiced=account.invoiced,
        paid=account.paid,
        outstanding=account.outstanding,
    )


@router.get("/pool/{pool_id}/assignments", response_class=HTMLResponse)
def assignments_page(web: Web, db_session: DbSession, request: Request, pool_id: RowId) -> Response:
    _require_some_right(web, "pool:review", "pool_assignment")
    return _assignments(
        web,
        db_session,
        _reachable(web, db_session, pool_id),
        page=page_of(request.query_params),
    )


def _assignments(
    web: WebContext,
    db_session: DbSession,
    pool: Pool,
    *,
    errors: list[str] | None = None,
    page: int = 1,
) -> Response:
    """The assignments in the user's scope, open ones first, a page at a time."""
    assert web.user is not None
    total = assignments.count_assignments_for(db_session=db_session, pool=pool, user=web.user)
    pager = make_pager(f"/pool/{pool.id}/assignments", {}, page=page, size=PAGE_SIZE, total=total)
    rows = assignments.assignments_for(
        db_session=db_session,
        pool=pool,
        user=web.user,
        open_first=True,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    return web.render(
        "pool_assignments.html",
        active="pool",
        pool=pool,
        rows=rows,
        pager=pager,
        today=date.today(),
        errors=errors or [],
    )


@router.post(
    "/pool/{pool_id}/assignments/{assignment_id}/opinion",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf_form)],
)
async def opinion_submit(
    web: Web, db_session: DbSession, pool_id: RowId, assignment_id: RowId, request: Request
) -> Response:
    """An expert records essential / not essential with the reasons."""
    _require_some_right(web, "pool:review", "pool_assignment")
    pool = _reachable(web, db_session, pool_id)
    found = assignments.find_assignment(
        db_session=db_session, pool=pool, assignment_id=assignment_id
    )
    if found is None or not web.can("pool:review", "pool_assignment", found.assignment):
        raise web.not_found(web.gettext("There is no such assignment."))
    patent, expert = found.patent, found.expert
    form = await request.form()
    try:
        submissions.record_opinion(
            db_session=db_session,
            actor=_actor(web),
            patent=patent,
            expert=expert,
            opinion=str(form.get("opinion") or ""),
            note=str(form.get("note") or "")[:20_000],
        )
    except ValidationError as exc:
        return _assignments(web, db_session, pool, errors=[str(exc)])
    return RedirectResponse(f"/pool/{pool.id}/assignments", status_code=303)
