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


def licensee_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    assert web.user is not None
    return {"accounts": pool_home.licensee_accounts(db_session=db_session, user=web.user)}


def expert_panel(web: WebContext, db_session: Session) -> Any:
    assert web.user is not None
    return pool_home.expert_home(db_session=db_session, user=web.user)


def member_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    assert web.user is not None
    return {"members": pool_home.memberships(db_session=db_session, user=web.user)}
