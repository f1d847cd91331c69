"""IP pledge finance pages, one view per role: the enterprise (profile, rating, apply, track),
the bank officer (queue, decision, pledge, schedule, arrears, claims) and the platform
operator (programme dashboard with charts, policy files, claim exports).

Handlers check the permission (``accounts.authz`` through ``web.require``/``web.can``), call
the finance services and render; refused input is shown with its reason on the same page.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipops.api.deps import api_state, client_address
from ipops.audit.service import Actor
from ipops.errors import Conflict, InvalidTransition, IpopsError, ValidationError
from ipops.finance import (
    applications,
    claims,
    dashboard,
    loan_book,
    money,
    pledges,
    policy,
    product_book,
    rating_book,
    scope,
    stats,
)
from ipops.finance.loan_records import LoanRecord, ScheduleRecord
from ipops.finance.loans import Action, parse_action
from ipops.finance.models import Enterprise, Loan
from ipops.finance.workdays import calendar_for
from ipops.paging import Page
from ipops.web.charts import bar_chart, short_label
from ipops.web.context import DbSession, RowId, Web, WebContext
from ipops.web.i18n import N_
from ipops.web.pager import PAGE_SIZE, make_pager, page_of
from ipops.web.panels import own_banks, own_enterprises
from ipops.web.security import check_csrf_form

router = APIRouter(include_in_schema=False)
PROGRAMME_START = date(2019, 1, 1)
APPLY_FIELDS = ("amount", "term", "patents", "product")

# Codes shown with tr(): loan states and actions, rating components, sizes, links, pledges,
# the rating's financial inputs and the credit-bureau flags (enterprises.BureauFlag).
CODE_LABELS = (
    N_("submitted"), N_("approved"), N_("rejected"), N_("withdrawn"), N_("active"),
    N_("closed"), N_("written_off"), N_("approve"), N_("reject"), N_("withdraw"),
    N_("undo_approval"), N_("disburse"), N_("undo_disbursal"), N_("write_off"),
    N_("undo_write_off"), N_("size"), N_("value"), N_("growth"), N_("breadth"), N_("life"),
    N_("legal"), N_("pledges"), N_("small"), N_("micro"), N_("medium"), N_("large"),
    N_("exact"), N_("similar"), N_("manual"), N_("confirmed"), N_("pending"),
    N_("registered"), N_("changed"), N_("cancelled"), N_("equal_instalments"),
    N_("equal_principal"), N_("interest_only"), N_("total_assets"), N_("equity"),
    N_("equity_ratio"), N_("revenue"), N_("rd_spend"), N_("rd_intensity"),
    N_("credit_bureau_flags"), N_("pboc_overdue"), N_("tax_arrears"), N_("enforcement"),
    N_("dishonest_debtor"),
)  # fmt: skip


def _actor(web: WebContext, request: Request) -> Actor:
    assert web.user is not None
    return Actor.of(web.user.username, channel="web", address=client_address(request))


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"not a date: {text!r} (YYYY-MM-DD)", field="date") from None


# --------------------------------------------------------------------------- dashboard


@router.get("/finance", response_class=HTMLResponse)
def finance_home(web: Web, db_session: DbSession, request: Request) -> Response:
    """The page of the user's role: programme dashboard, bank queue or the enterprise's own."""
    if web.can("finance:read", "finance_programme"):
        return _dashboard(web, db_session, request)
    assert web.user is not None
    banks = own_banks(db_session, web.user)
    if banks:
        return _bank_queue(web, db_session, banks, request)
    enterprises = own_enterprises(db_session, web.user)
    if enterprises:
        return _enterprise_home(web, db_session, enterprises)
    web.require("finance:read", "finance_programme")  # nothing to show: a 403 page
    raise AssertionError("unreachable")


def _dashboard(web: WebContext, db_session: DbSession, request: Request) -> Response:
    errors: list[str] = []
    try:
        start = _day(request.query_params.get("start"), PROGRAMME_START)
        end = _day(request.query_params.get("end"), date.today())
        report = stats.programme_stats(
            db_session=db_session,
            start=start,
            end=end,
            calendar=calendar_for(api_state(request).workspace.root),
        )
    except IpopsError as exc:
        errors.append(_problem(web, exc))
        start, end = PROGRAMME_START, date.today()
        report = stats.programme_stats(
            db_session=db_session, start=start, end=end, calendar=calendar_for(None)
        )
    by_bank = bar_chart(
        [(short_label(name), wan) for name, wan in report.financed_by_bank_wan()],
        [r.name for r in report.by_bank],
    )
    days = bar_chart(list(report.workdays.distribution.items()))
    root = api_state(request).workspace.root
    return web.render(
        "finance_dashboard.html",
        active="finance",
        report=report,
        errors=errors,
        start=start,
        end=end,
        by_bank_chart=by_bank,
        days_chart=days,
        policies=[policy.load_policy(n, root) for n in policy.policy_names(root)],
        statement=report.statement,
    )


def _bank_queue(web: WebContext, db_session: DbSession, banks: Any, request: Request) -> Response:
    """The bank's desk: applications awaiting its decision (submitted only), approved loans
    awaiting pledge registration and disbursement, arrears, alerts, and every loan a page at
    a time."""
    orgs = [b.organisation_id for b in banks if b.organisation_id is not None]
    desk = dashboard.bank_desk(db_session=db_session, organisation_ids=orgs)
    pager = make_pager(
        "/finance", {}, page=page_of(request.query_params), size=PAGE_SIZE, total=len(desk.loans)
    )
    alerts = [
        a for org in orgs for a in pledges.alerts_for(db_session=db_session, organisation_id=org)
    ]
    return web.render(
        "finance_bank.html",
        active="finance",
        banks=banks,
        queue=desk.queue,
        to_disburse=desk.to_disburse,
        arrears=desk.arrears,
        loans=pager.rows(desk.loans),
        pager=pager,
        alerts=alerts[:50],
        this_year=date.today().year,
    )


def _enterprise_home(web: WebContext, db_session: DbSession, enterprises: Any) -> Response:
    cards = []
    for e in enterprises:
        latest = rating_book.latest_rating(db_session=db_session, enterprise_id=e.id)
        loans = loan_book.enterprise_loans(db_session=db_session, enterprise_id=e.id)
        cards.append({"enterprise": e, "rating": latest, "loans": loans})
    return web.render("finance_enterprise_home.html", active="finance", cards=cards)


# --------------------------------------------------------------------------- enterprise


def _enterprise(
    web: WebContext, db_session: DbSession, enterprise_id: int, action: str
) -> Enterprise:
    found = scope.find_enterprise(
        db_session=db_session, user=web.user, enterprise_id=enterprise_id, action=action
    )
    if found is None:
        raise web.not_found(web.gettext("There is no such enterprise."))
    return found


@router.get("/finance/enterprises/{enterprise_id}", response_class=HTMLResponse)
def enterprise_page(
    web: Web, db_session: DbSession, request: Request, enterprise_id: RowId
) -> Response:
    """Profile, explained rating with alerts, patents (a page at a time), loans."""
    found = _enterprise(web, db_session, enterprise_id, "finance:read")
    try:
        card: rating_book.RatingCard | None = rating_book.rating_card(
            db_session=db_session, enterprise=found
        )
    except IpopsError:
        card = None
    page = page_of(request.query_params)
    links = dashboard.enterprise_patent_links(
        db_session=db_session, enterprise_id=found.id, page=Page(number=page, size=PAGE_SIZE)
    )
    path = f"/finance/enterprises/{found.id}"
    pager = make_pager(path, request.query_params, page=page, size=PAGE_SIZE, total=links.total)
    loans = loan_book.enterprise_loans(db_session=db_session, enterprise_id=found.id)
    return web.render(
        "finance_enterprise.html",
        active="finance",
        enterprise=found,
        card=card,
        links=links.links,
        pager=pager,
        loans=loans,
        may_apply=web.can("finance:apply", "fin_enterprise", found),
    )


@router.get("/finance/enterprises/{enterprise_id}/apply", response_class=HTMLResponse)
def apply_form(web: Web, db_session: DbSession, enterprise_id: RowId) -> Response:
    found = _enterprise(web, db_session, enterprise_id, "finance:apply")
    return web.render(
        "finance_apply.html",
        active="finance",
        enterprise=found,
        form=dict.fromkeys(APPLY_FIELDS, ""),
        matches=None,
        errors=[],
    )


def _collateral_lines(text: str) -> list[applications.Collateral]:
    found = []
    for number, line in enumerate(text.replace(",", "\n").splitlines(), start=1):
        if not line.strip():
            continue
        patent, sep, value = line.partition("=")
        if not sep:
            raise ValidationError(
                f"line {number}: write PATENT=VALUE, e.g. CN1001=1500000", field="patents"
            )
        found.append(
            applications.Collateral(
                patent.strip(), value=money.amount(value.strip(), f"line {number}")
            )
        )
    return found


@router.post(
    "/finance/enterprises/{enterprise_id}/apply",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf_form)],
)
async def apply_submit(
    web: Web, db_session: DbSession, request: Request, enterprise_id: RowId
) -> Response:
    """Match (no product chosen yet) or submit to the chosen product."""
    found = _enterprise(web, db_session, enterprise_id, "finance:apply")
    raw = await request.form()
    form = {k: str(raw.get(k) or "").strip()[:2000] for k in APPLY_FIELDS}
    try:
        if not form["term"].isdigit():
            raise ValidationError("give the term in whole months", field="term")
        application = applications.prepare_application(
            db_session=db_session,
            store=api_state(request).corpus.store,
            enterprise=found,
            amount=form["amount"],
            term_months=int(form["term"]),
            offered=_collateral_lines(form["patents"]),
        )
        if form["product"].isdigit():
            loan = applications.submit(
                db_session=db_session,
                actor=_actor(web, request),
                application=application,
                product_id=int(form["product"]),
                applied_on=date.today(),
            )
            return RedirectResponse(f"/finance/loans/{loan.id}", status_code=303)
        matches = applications.match_products(db_session=db_session, application=application)
        reference = product_book.reference_for(on=date.today(), term_months=application.term_months)
    except IpopsError as exc:
        return web.render(
            "finance_apply.html",
            active="finance",
            enterprise=found,
            form=form,
            matches=None,
            errors=[_problem(web, exc)],
            status=422,
        )
    return web.render(
        "finance_apply.html",
        active="finance",
        enterprise=found,
        form=form,
        matches=[m.record() for m in matches],
        reference=reference,
        errors=[],
    )


# --------------------------------------------------------------------------- loans


def _loan(web: WebContext, db_session: DbSession, loan_id: int) -> tuple[Loan, Enterprise]:
    found = scope.find_loan(db_session=db_session, user=web.user, loan_id=loan_id)
    if found is None:
        raise web.not_found(web.gettext("There is no such loan."))
    return found


def _loan_page(
    web: WebContext,
    db_session: DbSession,
    loan: Loan,
    enterprise: Enterprise,
    errors: list[str],
    status: int = 200,
) -> Response:
    schedule = loan_book.schedule_of(db_session=db_session, loan_id=loan.id)
    try:
        card: rating_book.RatingCard | None = rating_book.rating_card(
            db_session=db_session, enterprise=enterprise
        )
    except IpopsError:
        card = None
    db_session.refresh(loan)
    record = LoanRecord.of(loan)
    return web.render(
        "finance_loan.html",
        active="finance",
        loan=record,
        steps=record.steps,
        enterprise=enterprise,
        card=card,
        errors=errors,
        status=status,
        schedule=[ScheduleRecord.of(x) for x in schedule],
        pledges=pledges.pledge_records(db_session=db_session, loan_id=loan.id),
        alerts=pledges.alerts_for(db_session=db_session, loan_id=loan.id),
        may_decide=web.can("finance:decide", "fin_loan", loan),
        # link only where the enterprise page is open to the user (a bank officer sees the
        # borrower's name, code and rating here, on the loan it holds)
        may_see_enterprise=web.can("finance:read", "fin_enterprise", enterprise),
        may_withdraw=scope.may_withdraw(web.user, enterprise) and "withdraw" in record.steps,
        today=date.today().isoformat(),
    )


@router.get("/finance/loans/{loan_id}", response_class=HTMLResponse)
def loan_page(web: Web, db_session: DbSession, loan_id: RowId) -> Response:
    loan, enterprise = _loan(web, db_session, loan_id)
    return _loan_page(web, db_session, loan, enterprise, [])


@router.post(
    "/finance/loans/{loan_id}", response_class=HTMLResponse, dependencies=[Depends(check_csrf_form)]
)
async def loan_submit(
    web: Web, db_session: DbSession, request: Request, loan_id: RowId
) -> Response:
    """One form per step: an action, a repayment or a pledge registration."""
    loan, enterprise = _loan(web, db_session, loan_id)
    raw = await request.form()
    form = {
        k: str(raw.get(k) or "").strip()[:500]
        for k in ("step", "action", "date", "note", "amount", "number", "co_pledgors")
    }
    actor = _actor(web, request)
    try:
        day = _day(form["date"], date.today())
        if form["step"] == "action":
            action = parse_action(form["action"])
            own = action is Action.WITHDRAW and scope.may_withdraw(web.user, enterprise)
            if not own:
                web.require("finance:decide", "fin_loan", loan)
            loan_book.act(
                db_session=db_session,
                actor=actor,
                loan_id=loan.id,
                action=action,
                on_day=day,
                note=form["note"],
            )
        elif form["step"] == "repay":
            web.require("finance:decide", "fin_loan", loan)
            loan_book.repay(
                db_session=db_session,
                actor=actor,
                loan_id=loan.id,
                amount=form["amount"],
                paid_on=day,
            )
        elif form["step"] == "pledge":
            web.require("finance:decide", "fin_loan", loan)
            pledges.register_pledge(
                db_session=db_session,
                store=api_state(request).corpus.store,
                actor=actor,
                loan_id=loan.id,
                registration_number=form["number"],
                registered_on=day,
                co_pledgors=[p for p in form["co_pledgors"].split(";") if p.strip()],
            )
        else:
            raise ValidationError("unknown step", field="step")
    except IpopsError as exc:
        db_session.rollback()
        loan, enterprise = _loan(web, db_session, loan_id)
        return _loan_page(web, db_session, loan, enterprise, [_problem(web, exc)], status=422)
    return RedirectResponse(f"/finance/loans/{loan.id}", status_code=303)


# --------------------------------------------------------------------------- claim files


@router.get("/finance/claims.{fmt}")
def claim_file(web: Web, db_session: DbSession, request: Request, fmt: str) -> Response:
    """The claims file (XLSX or CSV) of the user's bank, or of every bank for the operator."""
    if fmt not in ("csv", "xlsx"):
        raise web.not_found(web.gettext("There is no such file."))
    if not scope.claim_bank_ids(db_session=db_session, user=web.user):
        web.require("finance:claims", "finance_bank")
    try:
        start = _day(request.query_params.get("start"), date(date.today().year, 1, 1))
        end = _day(request.query_params.get("end"), date.today())
    except ValidationError as exc:
        raise web.error(422, web.gettext("Invalid input"), _problem(web, exc)) from None
    organisation_id = (
        None
        if web.can("finance:claims", "finance_bank")
        else (web.user.organisation_id if web.user else None)
    )
    rows = claims.claim_rows(
        db_session=db_session, bank_id=None, start=start, end=end, organisation_id=organisation_id
    )
    name = f"claims-{start}-{end}.{fmt}"
    body = claims.claims_xlsx(rows) if fmt == "xlsx" else claims.claims_csv(rows)
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


# What went wrong, in the page's language: the services' messages are English (for the CLI
# and API); the page names the field and what it needs, or the state that refused the step.
FIELD_PROBLEMS = {
    "amount": N_("Amount: a sum in yuan such as 500000 or 500000.00, within the product's range."),
    "term_months": N_("Term: a whole number of months within the product's range."),
    "term": N_("Term: a whole number of months within the product's range."),
    "date": N_("Date: a day as YYYY-MM-DD, not before the loan's previous step."),
    "patents": N_(
        "Patents: numbers of granted patents in force that the enterprise owns, "
        "not pledged elsewhere, with their values."
    ),
    "registration_number": N_("Registration number: the CNIPA pledge registration number."),
    "co_pledgors": N_("Co-owners: every co-owner of the pledged patents, separated by ;."),
    "action": N_("This step is not open to the loan in its current state."),
    "state": N_("This step is not open to the loan in its current state."),
    "product": N_("The loan product does not fit this application."),
}


_ALLOWED = re.compile(r"allowed: ([a-z_, ]+)$")
_PATENT = re.compile(r"\b[A-Z]{2}\d{4,}[A-Z0-9]*\b")


def _problem(web: WebContext, exc: IpopsError) -> str:
    """The rule the input broke, with the identifiers it names (patent numbers, the open
    steps), without the service's English sentence."""
    message = str(exc)
    if isinstance(exc, InvalidTransition):
        text = web.gettext("This step is not open to the loan in its current state.")
        allowed = _ALLOWED.search(message)
        steps = [s.strip() for s in allowed.group(1).split(",")] if allowed else []
        if steps and steps != ["none (a final state)"]:
            names = "、".join(web.gettext(step) for step in steps if step)
            text += " " + web.gettext("Open steps: %(steps)s.", steps=names)
        return text
    known = FIELD_PROBLEMS.get(getattr(exc, "field", None) or "")
    if known:
        patents = sorted(set(_PATENT.findall(message)))
        text = web.gettext(known)
        return f"{text}（{'、'.join(patents)}）" if patents else text
    if isinstance(exc, Conflict):
        return web.gettext("Someone changed this loan meanwhile: reload the page and try again.")
    return web.gettext("The form has a value that cannot be used.")
