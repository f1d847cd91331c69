"""Who may call each route of the finance domain (rows of the authorization matrix).

Object-scoped rows build their object in the caller's own organisation: an enterprise user
sees and applies for its own enterprise, a bank officer sees and decides the loans routed to
its bank, the platform administrator reads everything. Loans are made through the finance
services on a pledgeable patent of the API's corpus (in force, one owner, not pledged),
whose owner becomes the enterprise's name, so pledging it passes the co-owner rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from matrixhelpers import ADMIN, SIGNED_IN, Caller, Request, Rows, counter, fixed
from sqlalchemy import select
from stdnum.cn import uscc

from ipops.accounts import organisations, tokens
from ipops.accounts.models import User
from ipops.accounts.roles import OrgKind, Role
from ipops.audit.service import Actor
from ipops.corpus.store import CorpusStore
from ipops.finance import applications, enterprise_book, loan_book, patents, product_book
from ipops.finance.loans import Action
from ipops.finance.models import Bank, Enterprise, PledgedPatent, Rating
from ipops.registry.db import session_scope

ACTOR = Actor(name="matrix", origin="test")
BASE = "/api/v1/finance"
ENTERPRISE = frozenset({Role.ENTERPRISE_USER})
BANK = frozenset({Role.BANK_OFFICER})
_pledgeable: dict[str, list[patents.PatentFacts]] = {}


def _code() -> str:
    body = f"91320106{next(counter):0>9}"[:17]
    return body + uscc.calc_check_digit(body)


def _organisation_of(caller: Caller, session: Any) -> int | None:
    if caller.user is None:
        return None
    user = session.get(User, caller.user.id)
    if user.organisation_id is None and user.role in {Role.BANK_OFFICER, Role.ENTERPRISE_USER}:
        kind = OrgKind.BANK if user.role == Role.BANK_OFFICER else OrgKind.ENTERPRISE
        org = organisations.create_organisation(
            db_session=session, name=f"矩阵金融 {user.username}", kind=kind, actor=ACTOR
        )
        user.organisation_id = org.id
        tokens.forget_known_tokens()
    return int(user.organisation_id) if user.organisation_id is not None else None


def _patent(caller: Caller, session: Any) -> patents.PatentFacts:
    """A pledgeable patent of the corpus not pledged yet in this registry."""
    store = CorpusStore(caller.api.settings.resolved_home() / "corpus")
    key = str(store.root)
    if key not in _pledgeable:
        with store.connect() as con:
            ids = [r[0] for r in con.execute("SELECT patent_id FROM patents").fetchall()]
        _pledgeable[key] = [
            f
            for f in patents.patent_facts(store, ids).values()
            if f.pledgeable and len(f.owners) == 1
        ]
    taken = set(session.scalars(select(PledgedPatent.active_patent_id)))
    return next(f for f in _pledgeable[key] if f.patent_id not in taken)


def _enterprise(caller: Caller, session: Any, owner: str = "矩阵企业") -> Enterprise:
    enterprise = enterprise_book.register_enterprise(
        db_session=session,
        actor=ACTOR,
        name=f"{owner}",
        credit_code=_code(),
        region="320106",
        industry="制造业",
        size="small",
        organisation_id=_organisation_of(caller, session),
    )
    features = {"patents": 1, "in_force": 1, "pvd_mean": 50.0}
    session.add(
        Rating(
            enterprise_id=enterprise.id,
            rated_at=datetime.now(UTC),
            as_of=date(2025, 1, 1),
            score=55.0,
            grade="BB",
            features=features,
            components={},
            alerts=[],
            inputs={"rating_model": "matrix"},
        )
    )
    session.flush()
    return enterprise


def _product(caller: Caller, session: Any) -> int:
    org = _organisation_of(caller, session)
    bank = product_book.add_bank(
        db_session=session, actor=ACTOR, name=f"矩阵银行 {next(counter)}", organisation_id=org
    )
    return product_book.add_product(
        db_session=session,
        actor=ACTOR,
        bank=bank,
        spec=product_book.ProductInput(
            name="矩阵贷",
            min_amount=Decimal(1000),
            max_amount=Decimal(10**8),
            min_term_months=1,
            max_term_months=60,
            rate_multiple=Decimal("1.1"),
            min_grade="C",
        ),
    ).id


def _loan(caller: Caller, session: Any, *actions: Action) -> tuple[int, patents.PatentFacts]:
    fact = _patent(caller, session)
    enterprise = _enterprise(caller, session, owner=fact.owners[0])
    enterprise_book.add_patent_link(
        db_session=session,
        actor=ACTOR,
        enterprise=enterprise,
        patent_id=fact.patent_id,
        party_name=fact.owners[0],
    )
    product = _product(caller, session)
    store = CorpusStore(caller.api.settings.resolved_home() / "corpus")
    application = applications.prepare_application(
        db_session=session,
        store=store,
        enterprise=enterprise,
        amount="100000",
        term_months=12,
        offered=[applications.Collateral(fact.patent_id, value=Decimal("1000000"))],
    )
    loan = applications.submit(
        db_session=session,
        actor=ACTOR,
        application=application,
        product_id=product,
        applied_on=date(2025, 3, 3),
    )
    for action in actions:
        loan_book.act(
            db_session=session,
            actor=ACTOR,
            loan_id=loan.id,
            action=action,
            on_day=date(2025, 3, 10),
            require_pledge=False,
        )
    return loan.id, fact


def _with_session(build: Any) -> Request:
    def request(caller: Caller) -> tuple[str, dict[str, Any]]:
        with session_scope(caller.api.engine) as session:
            return build(caller, session)  # type: ignore[no-any-return]

    return request


def _new_enterprise(_caller: Caller) -> tuple[str, dict[str, Any]]:
    body = {
        "name": f"矩阵新企业 {next(counter)}",
        "credit_code": _code(),
        "region": "320106",
        "industry": "制造业",
        "size": "micro",
    }
    return f"{BASE}/enterprises", {"json": body}


def _one_enterprise(suffix: str) -> Request:
    def build(caller: Caller, session: Any) -> tuple[str, dict[str, Any]]:
        return f"{BASE}/enterprises/{_enterprise(caller, session).id}{suffix}", {}

    return _with_session(build)


def _financials(caller: Caller, session: Any) -> tuple[str, dict[str, Any]]:
    body = {"rd_spend": "100000", "bureau_flags": []}
    return f"{BASE}/enterprises/{_enterprise(caller, session).id}/financials", {"json": body}


def _application(submit: bool) -> Request:
    def build(caller: Caller, session: Any) -> tuple[str, dict[str, Any]]:
        fact = _patent(caller, session)
        enterprise = _enterprise(caller, session, owner=fact.owners[0])
        enterprise_book.add_patent_link(
            db_session=session,
            actor=ACTOR,
            enterprise=enterprise,
            patent_id=fact.patent_id,
            party_name=fact.owners[0],
        )
        body: dict[str, Any] = {
            "amount": "100000",
            "term_months": 12,
            "patents": [{"patent_id": fact.patent_id, "value": "1000000"}],
        }
        if submit:
            body["product_id"] = _product(caller, session)
            return f"{BASE}/enterprises/{enterprise.id}/applications", {"json": body}
        return f"{BASE}/enterprises/{enterprise.id}/match", {"json": body}

    return _with_session(build)


def _loan_request(suffix: str, body: dict[str, Any] | None, *actions: Action) -> Request:
    def build(caller: Caller, session: Any) -> tuple[str, dict[str, Any]]:
        loan_id, _ = _loan(caller, session, *actions)
        return f"{BASE}/loans/{loan_id}{suffix}", ({"json": body} if body is not None else {})

    return _with_session(build)


def _pledge(caller: Caller, session: Any) -> tuple[str, dict[str, Any]]:
    loan_id, _ = _loan(caller, session, Action.APPROVE)
    body = {"registration_number": f"Y2025320{next(counter):06d}", "registered_on": "2025-03-12"}
    return f"{BASE}/loans/{loan_id}/pledge", {"json": body}


def _claims(caller: Caller, session: Any) -> tuple[str, dict[str, Any]]:
    org = _organisation_of(caller, session)
    if org is not None and not session.scalar(select(Bank.id).where(Bank.organisation_id == org)):
        product_book.add_bank(
            db_session=session, actor=ACTOR, name=f"矩阵银行 {next(counter)}", organisation_id=org
        )
    return f"{BASE}/claims", {"params": {"start": "2025-01-01", "end": "2025-12-31"}}


COMPENSATION = {
    "principal": "1000000",
    "repaid": "0",
    "days_overdue": 61,
    "bank_weak_share": "0.2",
    "rate": "0.05",
    "benchmark_rate": "0.0435",
}

ROWS: Rows = {
    ("GET", f"{BASE}/enterprises"): (SIGNED_IN, fixed(f"{BASE}/enterprises")),
    ("POST", f"{BASE}/enterprises"): (ADMIN, _new_enterprise),
    ("GET", f"{BASE}/enterprises/{{enterprise_id}}"): (ADMIN | ENTERPRISE, _one_enterprise("")),
    ("PATCH", f"{BASE}/enterprises/{{enterprise_id}}/financials"): (
        ADMIN,
        _with_session(_financials),
    ),
    ("GET", f"{BASE}/enterprises/{{enterprise_id}}/rating"): (
        ADMIN | ENTERPRISE,
        _one_enterprise("/rating"),
    ),
    ("POST", f"{BASE}/enterprises/{{enterprise_id}}/match"): (ENTERPRISE, _application(False)),
    ("POST", f"{BASE}/enterprises/{{enterprise_id}}/applications"): (
        ENTERPRISE,
        _application(True),
    ),
    ("GET", f"{BASE}/loans"): (SIGNED_IN, fixed(f"{BASE}/loans")),
    ("GET", f"{BASE}/loans/{{loan_id}}"): (ADMIN | BANK | ENTERPRISE, _loan_request("", None)),
    ("POST", f"{BASE}/loans/{{loan_id}}/actions"): (
        BANK,
        _loan_request("/actions", {"action": "approve"}),
    ),
    ("POST", f"{BASE}/loans/{{loan_id}}/repayments"): (
        BANK,
        _loan_request("/repayments", {"amount": "100.00"}, Action.APPROVE, Action.DISBURSE),
    ),
    ("POST", f"{BASE}/loans/{{loan_id}}/pledge"): (BANK, _with_session(_pledge)),
    ("GET", f"{BASE}/stats"): (
        ADMIN | {Role.ANALYST},
        fixed(f"{BASE}/stats", params={"start": "2025-01-01", "end": "2025-12-31"}),
    ),
    ("GET", f"{BASE}/claims"): (ADMIN | BANK, _with_session(_claims)),
    ("POST", f"{BASE}/compensation"): (SIGNED_IN, fixed(f"{BASE}/compensation", json=COMPENSATION)),
    ("GET", f"{BASE}/workdays"): (
        SIGNED_IN,
        fixed(f"{BASE}/workdays", params={"start": "2024-09-27", "end": "2024-10-08"}),
    ),
    ("GET", f"{BASE}/policies"): (SIGNED_IN, fixed(f"{BASE}/policies")),
}
