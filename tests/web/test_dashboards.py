"""The home pages' use cases on the demo-like workspace: records scoped to the user."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.accounts.models import User
from ipops.config import Settings
from ipops.finance import dashboard as finance_home
from ipops.finance.demo import AS_OF
from ipops.finance.models import EnterprisePatent, Loan
from ipops.paging import Page
from ipops.pool import dashboard as pool_home
from ipops.registry.db import make_engine
from ipops.workspace import create_workspace

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning"),
]


@pytest.fixture(scope="module")
def session(demo_world: tuple[Settings, dict[str, str], list[str]]) -> Iterator[Session]:
    settings = demo_world[0]
    engine = make_engine(create_workspace(settings).database_url)
    with Session(engine) as found:
        yield found
    engine.dispose()


def user(session: Session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()


def test_bank_home_lists_only_submitted_loans_of_the_officers_bank(session: Session) -> None:
    home = finance_home.bank_home(db_session=session, user=user(session, "bank.demo"))
    assert home.banks == ("示范银行南京分行（演示）",)
    assert all(line.state == "submitted" for line in home.waiting)
    assert all(line.state == "active" and line.days_past_due > 0 for line in home.overdue)
    assert [x.days_past_due for x in home.overdue] == sorted(
        (x.days_past_due for x in home.overdue), reverse=True
    )
    assert home.waiting_count >= len(home.waiting)
    assert all(isinstance(x.amount, Decimal) for x in home.waiting)


def test_an_enterprise_user_sees_its_own_enterprise_only(session: Session) -> None:
    home = finance_home.enterprise_home(db_session=session, user=user(session, "enterprise.demo"))
    assert home.enterprise_count == 1
    [card] = home.cards
    assert card.may_apply
    assert card.loan_count >= len(card.loans)
    assert (
        finance_home.enterprise_home(db_session=session, user=user(session, "bank.demo")).cards
        == ()
    )


def test_pool_admin_home_counts_what_is_due(session: Session) -> None:
    home = pool_home.pool_admin_home(
        db_session=session, user=user(session, "pooladmin.demo"), today=date(2026, 12, 7)
    )
    assert home.last_month_end == date(2026, 11, 30)
    [desk] = home.pools
    assert desk.due_count >= len(desk.due)
    assert desk.outstanding == sum((i.outstanding for i in desk.invoices), Decimal(0)) or (
        desk.invoice_count > len(desk.invoices)
    )
    assert (
        pool_home.pool_admin_home(
            db_session=session, user=user(session, "bank.demo"), today=date(2026, 12, 7)
        ).pools
        == ()
    )


def test_licensee_expert_and_member_homes(session: Session) -> None:
    accounts = pool_home.licensee_accounts(db_session=session, user=user(session, "licensee.demo"))
    assert accounts and all(a.outstanding >= 0 for a in accounts)
    assert pool_home.expert_home(db_session=session, user=user(session, "expert.demo")).pools
    assert pool_home.memberships(db_session=session, user=user(session, "member.demo"))
    assert pool_home.licensee_accounts(db_session=session, user=user(session, "bank.demo")) == []


def test_patent_links_page_through_every_link_once(session: Session) -> None:
    enterprise_id = session.scalars(
        select(EnterprisePatent.enterprise_id).order_by(EnterprisePatent.enterprise_id)
    ).first()
    assert enterprise_id is not None
    pages, seen, number = [], [], 1
    while True:
        page = finance_home.enterprise_patent_links(
            db_session=session, enterprise_id=enterprise_id, page=Page(number=number, size=2)
        )
        pages.append(page)
        seen += [x.patent_id for x in page.links]
        if not page.links:
            break
        number += 1
    assert len(seen) == len(set(seen)) == pages[0].total
    assert seen == sorted(seen)


def test_the_demo_loan_book_is_current_on_its_as_of_date(session: Session) -> None:
    loans = session.scalars(select(Loan)).all()
    states = {x.state for x in loans}
    assert {"active", "closed"} <= states
    current = [x for x in loans if x.applied_on >= date(2024, 1, 1)]
    assert all(x.applied_on <= AS_OF for x in current)
    active = [x for x in loans if x.state == "active"]
    assert len(active) >= 2
    assert all(x.disbursed_on is not None and x.disbursed_on <= AS_OF for x in active)
    assert sum(1 for x in active if x.days_past_due > 0) <= max(1, len(active) // 3)


def test_the_demo_bank_officer_has_applications_to_decide_and_loans_in_arrears(
    session: Session,
) -> None:
    """The demo programme gives the bank officer's home something in each list: borrowers
    whose rating fits only a smaller product ask what that product lends."""
    home = finance_home.bank_home(db_session=session, user=user(session, "bank.demo"))
    assert home.waiting_count >= 1 and home.overdue_count >= 1
    states = {x.state for x in session.scalars(select(Loan))}
    assert {"submitted", "active", "closed", "written_off"} <= states
