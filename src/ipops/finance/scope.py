"""What a user may see of finance (use cases over ``accounts.authz``): the enterprises and
loans in the user's scope, written once for the API, the pages and the Python API.

A loan is visible to its bank (``fin_loan``), to its enterprise (``fin_enterprise``) and to
the administrator. Out-of-scope objects are reported as not found, like missing ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.errors import Forbidden, NotFound
from ipops.finance import enterprise_book, loan_book, product_book
from ipops.finance.models import Bank, Enterprise, Loan


def require_some_right(user: User, actions: tuple[str, ...], *resource_types: str) -> None:
    """``Forbidden`` for a role that never may do any of ``actions`` (asked before any
    lookup, so that ids cannot be probed)."""
    rules = [r for a in actions for t in resource_types for r in authz.rules_for(a, t)]
    if not user.is_active or not any(user.role in r.roles for r in rules):
        raise Forbidden(f"the {user.role} role may not do {actions[0]} on {resource_types[0]}")


def visible_enterprise(
    *, db_session: Session, user: User, enterprise_id: int, action: str
) -> Enterprise:
    """The enterprise, if ``user`` may ``action`` it: 403 for a role that never may, 404
    alike for one outside the caller's scope and one that does not exist."""
    require_some_right(user, (action,), "fin_enterprise")
    found = enterprise_book.get_enterprise(db_session=db_session, key=enterprise_id)
    authz.require(user, action, "fin_enterprise", found, hide=True)
    return found


def find_enterprise(
    *, db_session: Session, user: User | None, enterprise_id: int, action: str
) -> Enterprise | None:
    """The enterprise if it exists and ``user`` may ``action`` it, else ``None``."""
    found = db_session.get(Enterprise, enterprise_id)
    if found is None or user is None or not authz.can(user, action, "fin_enterprise", found):
        return None
    return found


def visible_enterprises(*, db_session: Session, user: User, limit: int = 1000) -> list[Enterprise]:
    query = authz.restrict(
        select(Enterprise),
        user=user,
        action="finance:read",
        resource_type="fin_enterprise",
        model=Enterprise,
    )
    return list(db_session.scalars(query.order_by(Enterprise.id).limit(limit)))


def enterprise_of(*, db_session: Session, loan: Loan) -> Enterprise:
    found = db_session.get(Enterprise, loan.enterprise_id)
    if found is None:
        raise NotFound(f"no enterprise {loan.enterprise_id}", field="enterprise")
    return found


def may_see_loan(user: User | None, loan: Loan, enterprise: Enterprise | None) -> bool:
    return user is not None and (
        authz.can(user, "finance:read", "fin_loan", loan)
        or authz.can(user, "finance:read", "fin_enterprise", enterprise)
    )


def may_withdraw(user: User | None, enterprise: Enterprise) -> bool:
    """The applicant may withdraw its own application (the bank decides everything else)."""
    return user is not None and authz.can(user, "finance:apply", "fin_enterprise", enterprise)


def visible_loan(*, db_session: Session, user: User, loan_id: int) -> Loan:
    """A loan its bank, its enterprise or the administrator may see; 403 for a role that
    sees no loan (before any lookup), 404 alike for another's loan and a missing one."""
    require_some_right(user, ("finance:read",), "fin_loan", "fin_enterprise")
    loan = loan_book.get_loan(db_session=db_session, loan_id=loan_id)
    if may_see_loan(user, loan, db_session.get(Enterprise, loan.enterprise_id)):
        return loan
    raise NotFound(f"no loan {loan_id}", field="loan_id")


def find_loan(
    *, db_session: Session, user: User | None, loan_id: int
) -> tuple[Loan, Enterprise] | None:
    """The loan and its enterprise when ``user`` may see the loan, else ``None``."""
    loan = db_session.get(Loan, loan_id)
    enterprise = None if loan is None else db_session.get(Enterprise, loan.enterprise_id)
    if loan is None or enterprise is None or not may_see_loan(user, loan, enterprise):
        return None
    return loan, enterprise


def visible_loans(
    *, db_session: Session, user: User, state: str | None = None, limit: int = 500
) -> list[Loan]:
    """Loans the user may see, newest first: the bank's own, the enterprise's own, or all
    (administrator); ``state`` checked by name."""
    if state is not None:
        loan_book.list_loans(db_session=db_session, state=state, limit=0)  # checks the name
    routed = authz.restrict(
        select(Loan), user=user, action="finance:read", resource_type="fin_loan", model=Loan
    )
    own = authz.restrict(
        select(Enterprise.id),
        user=user,
        action="finance:read",
        resource_type="fin_enterprise",
        model=Enterprise,
    )
    query = select(Loan).where(
        Loan.id.in_(routed.with_only_columns(Loan.id)) | Loan.enterprise_id.in_(own)
    )
    if state is not None:
        query = query.where(Loan.state == state)
    return list(db_session.scalars(query.order_by(Loan.id.desc()).limit(limit)).all())


def loans_of_organisations(
    *, db_session: Session, organisation_ids: Sequence[int]
) -> list[tuple[Loan, str]]:
    """Every loan routed to the banks of ``organisation_ids``, newest first, with the
    borrower's name."""
    loans = db_session.scalars(
        select(Loan).where(Loan.organisation_id.in_(organisation_ids)).order_by(Loan.id.desc())
    ).all()
    names = {
        e.id: e.name
        for e in db_session.scalars(
            select(Enterprise).where(Enterprise.id.in_({x.enterprise_id for x in loans}))
        )
    }
    return [(x, names.get(x.enterprise_id, "")) for x in loans]


def claim_bank_ids(*, db_session: Session, user: User | None) -> list[int]:
    """The banks whose claims ``user`` may see."""
    if user is None:
        return []
    return list(
        db_session.scalars(
            authz.restrict(
                select(Bank.id),
                user=user,
                action="finance:claims",
                resource_type="finance_bank",
                model=Bank,
            )
        )
    )


def claims_organisation(*, db_session: Session, user: User, bank_id: int | None) -> int | None:
    """The organisation a claims query is limited to (``None``: the bank given, or all for
    whoever may see every bank's claims); ``Forbidden``/``NotFound`` out of scope."""
    if bank_id is not None:
        bank = product_book.get_bank(db_session=db_session, key=bank_id)
        authz.require(user, "finance:claims", "finance_bank", bank, hide=True)
        return None
    if authz.can(user, "finance:claims", "finance_bank"):
        return None
    if not claim_bank_ids(db_session=db_session, user=user):
        authz.require(user, "finance:claims", "finance_bank")
    return user.organisation_id
