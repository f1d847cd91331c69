"""What each role finds on its home page: the work waiting for it, with links.

A bank officer sees the applications matched to its bank and the overdue loans; a pool
administrator the royalty reports due, the invoices outstanding and the reviews pending; an
enterprise user its rating and applications; a licensee a direct link to its account; an
expert the reviews assigned to it; a pool member its statement; an analyst the corpus and
the reports. Each loader calls one use case of its domain (``finance.dashboard``,
``pool.dashboard``, ``corpus.dashboard``), scoped there by ``ipops.accounts.authz``; the
panel templates only show the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ipops.finance import dashboard as finance_home
from ipops.pool import dashboard as pool_home
from ipops.web.context import WebContext

# The bank officer's and enterprise user's own banks and enterprises: the finance pages
# (web/routes/finance.py, another branch's file) still import them from here.
own_banks = finance_home.user_banks
own_enterprises = finance_home.user_enterprises


def _today() -> date:
    return date.today()


def bank_panel(web: WebContext, db_session: Session) -> Any:
    assert web.user is not None
    return finance_home.bank_home(db_session=db_session, user=web.user)


def enterprise_panel(web: WebContext, db_session: Session) -> Any:
    assert web.user is not None
    return finance_home.enterprise_home(db_session=db_session, user=web.user)


def pool_admin_panel(web: WebContext, db_session: Session) -> Any:
    assert web.user is not None
    return pool_home.pool_admin_home(db_session=db_session, user=web.user, today=_today())


@dataclass(frozen=True, slots=True)
class LicenseePanel:
    """The licence accounts a licensee user may open."""

    accounts: list[pool_home.LicenseeAccount]


def licensee_panel(web: WebContext, db_session: Session) -> LicenseePanel:
    assert web.user is not None
    return LicenseePanel(pool_home.licensee_accounts(db_session=db_session, user=web.user))


def expert_panel(web: WebContext, db_session: Session) -> Any:
    assert web.user is not None
    return pool_home.expert_home(db_session=db_session, user=web.user)


@dataclass(frozen=True, slots=True)
class MemberPanel:
    """The member companies of a pool member user's organisation."""

    members: list[pool_home.Membership]


def member_panel(web: WebContext, db_session: Session) -> MemberPanel:
    assert web.user is not None
    return MemberPanel(pool_home.memberships(db_session=db_session, user=web.user))
