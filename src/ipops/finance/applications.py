"""Loan applications (use cases): check the collateral offered, rank the products for it,
submit the enterprise's choice as a loan registered (备案) in the policy programme.

Every check runs before the first write, so a refused application stores nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.corpus.store import CorpusStore
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.finance import compensation, money, patents, rates
from ipops.finance.enterprise_book import links_of
from ipops.finance.loan_book import OBJECT, record_event
from ipops.finance.loan_records import LoanRecord
from ipops.finance.loans import (
    LoanState,
)
from ipops.finance.matching import Match, Request, match
from ipops.finance.models import (
    Bank,
    Enterprise,
    Loan,
    LoanPatent,
    PledgedPatent,
    Product,
)
from ipops.finance.policy import Policy, load_policy
from ipops.finance.product_book import (
    benchmark_for,
    list_products,
    product_terms,
    reference_for,
)
from ipops.finance.rating_book import latest_rating
from ipops.valuation.money import relief_from_royalty


@dataclass(frozen=True)
class Collateral:
    """A patent offered, with its money value: appraised, or by relief from royalty."""

    patent_id: str
    value: Decimal | None = None
    revenues: tuple[Decimal, ...] = ()
    royalty_rate: Decimal | None = None
    discount_rate: Decimal | None = None
    tax_rate: Decimal = Decimal("0.25")


@dataclass(frozen=True)
class ValuedPatent:
    facts: patents.PatentFacts
    value: Decimal
    basis: str


@dataclass(frozen=True)
class Application:
    enterprise: Enterprise
    amount: Decimal
    term_months: int
    collateral: tuple[ValuedPatent, ...]
    grade: str | None
    rating_id: int | None

    @property
    def collateral_value(self) -> Decimal:
        return sum((c.value for c in self.collateral), Decimal("0.00"))


def prepare_application(
    *,
    db_session: Session,
    store: CorpusStore,
    enterprise: Enterprise,
    amount: object,
    term_months: int,
    offered: Sequence[Collateral],
) -> Application:
    """Check an application before it is matched or submitted: amount, term, and that every
    patent offered is the applicant's, in force and not pledged already."""
    value = money.amount(amount, "amount")
    if not isinstance(term_months, int) or isinstance(term_months, bool) or term_months < 1:
        raise ValidationError("must be a whole number of months, 1 or more", field="term_months")
    if not offered:
        raise ValidationError("offer at least one patent as collateral", field="patents")
    ids = patents.canonical_ids(c.patent_id for c in offered)
    if len(set(ids)) != len(ids):
        raise ValidationError("a patent is offered twice", field="patents")
    owned = {
        link.patent_id
        for link in links_of(db_session=db_session, enterprise_id=enterprise.id, status="confirmed")
    }
    facts = patents.patent_facts(store, ids)
    pledged = set(
        db_session.scalars(
            select(PledgedPatent.active_patent_id).where(PledgedPatent.active_patent_id.in_(ids))
        )
    )
    valued = []
    for patent_id, offer in zip(ids, offered, strict=True):
        if patent_id not in facts:
            raise NotFound(f"{patent_id} is not in the corpus", field="patents")
        if patent_id not in owned:
            raise ValidationError(
                f"{patent_id} is not a patent of {enterprise.name} (no confirmed "
                "link to the applicant)",
                field="patents",
            )
        fact = facts[patent_id]
        if not fact.pledgeable:
            raise ValidationError(
                f"{patent_id} cannot be pledged: its legal status is "
                f"{fact.status} ({fact.status_basis})",
                field="patents",
            )
        if patent_id in pledged:
            raise Conflict(f"{patent_id} is already pledged", field="patents")
        worth, basis = _money_value(offer, fact)
        valued.append(ValuedPatent(fact, worth, basis))
    latest = latest_rating(db_session=db_session, enterprise_id=enterprise.id)
    return Application(
        enterprise,
        value,
        term_months,
        tuple(valued),
        None if latest is None else latest.grade,
        None if latest is None else latest.id,
    )


def _money_value(offer: Collateral, fact: patents.PatentFacts) -> tuple[Decimal, str]:
    if offer.value is not None:
        return money.amount(offer.value, f"value of {fact.patent_id}"), "appraisal"
    if not offer.revenues or offer.royalty_rate is None or offer.discount_rate is None:
        raise ValidationError(
            f"give {fact.patent_id}'s appraised value, or revenues, royalty "
            "and discount rates for relief from royalty",
            field="patents",
        )
    legal = None
    if fact.term_end is not None:
        legal = max(Decimal((fact.term_end - date.today()).days) / Decimal("365.25"), Decimal(0))
    result = relief_from_royalty(
        list(offer.revenues),
        royalty_rate=offer.royalty_rate,
        tax_rate=offer.tax_rate,
        discount_rate=offer.discount_rate,
        legal_life=legal,
    )
    return result.value, f"relief from royalty over {result.life} years ({result.life_basis})"


def match_products(
    *,
    db_session: Session,
    application: Application,
    benchmark_rate: Decimal | None = None,
    on: date | None = None,
    rate_table: rates.RateTable | None = None,
) -> list[Match]:
    """Products ranked for an application; rates from the same-term reference rate of the
    day ``on`` (default today) unless ``benchmark_rate`` is given."""
    if benchmark_rate is None:
        benchmark_rate = benchmark_for(
            on=on or date.today(), term_months=application.term_months, table=rate_table
        )
    e = application.enterprise
    request = Request(
        application.amount,
        application.term_months,
        application.grade,
        e.region,
        e.industry,
        application.collateral_value,
    )
    terms = [product_terms(p, b) for p, b in list_products(db_session=db_session)]
    return match(terms, request, benchmark_rate)


def submit(
    *,
    db_session: Session,
    actor: Actor,
    application: Application,
    product_id: int,
    applied_on: date,
    benchmark_rate: Decimal | None = None,
    rate_table: rates.RateTable | None = None,
    programme: Policy | None = None,
) -> Loan:
    """The enterprise's choice: a loan application routed to the product's bank. The product
    must fit; otherwise it is refused with the reasons. The benchmark is the same-term
    reference rate of ``applied_on`` (``rates``) unless given; it is stored with the loan and
    used again at claim time. The loan is registered (备案) in the policy programme
    (``programme``, default 宁创贷) the day it is submitted, with the eligibility then
    (``registration``, with ``benchmark_warning`` when the loan is dated after the day the
    rate table is checked through); a claim checks it again."""
    programme = programme or load_policy()
    warning = None
    if benchmark_rate is None:
        reference = reference_for(
            on=applied_on,
            term_months=application.term_months,
            table=rate_table,
            rule=programme.reference,
        )
        benchmark_rate, warning = reference.rate, reference.warning
    product = db_session.get(Product, product_id)
    if product is None or not product.active:
        raise NotFound(f"no product {product_id}", field="product")
    bank = db_session.get(Bank, product.bank_id)
    assert bank is not None
    e = application.enterprise
    request = Request(
        application.amount,
        application.term_months,
        application.grade,
        e.region,
        e.industry,
        application.collateral_value,
    )
    [found] = match([product_terms(product, bank)], request, benchmark_rate)
    if not found.fits:
        failed = next(c for c in found.checks if not c.ok)
        why = "; ".join(c.text for c in found.checks if not c.ok)
        raise ValidationError(f"product {product.name} does not fit: {why}", field=failed.code)
    loan = Loan(
        enterprise_id=e.id,
        product_id=product.id,
        bank_id=bank.id,
        organisation_id=bank.organisation_id,
        rating_id=application.rating_id,
        amount_fen=money.to_fen(application.amount),
        term_months=application.term_months,
        annual_rate=str(found.annual_rate),
        benchmark_rate=str(benchmark_rate),
        method=product.method,
        collateral=product.collateral,
        state=LoanState.SUBMITTED.value,
        version=1,
        applied_on=applied_on,
        principal_repaid_fen=0,
        interest_repaid_fen=0,
        days_past_due=0,
        max_days_past_due=0,
        note="",
        registered_on=applied_on,
        registration=registration(
            programme,
            size=e.size_class,
            rate=Decimal(str(found.annual_rate)),
            benchmark=benchmark_rate,
            collateral=product.collateral,
        )
        | ({"benchmark_warning": warning} if warning else {}),
    )
    db_session.add(loan)
    db_session.flush()
    for c in application.collateral:
        db_session.add(
            LoanPatent(
                loan_id=loan.id,
                patent_id=c.facts.patent_id,
                value_fen=money.to_fen(c.value),
                value_basis=c.basis[:200],
            )
        )
    record_event(db_session, loan, "submit", "", LoanState.SUBMITTED, actor, applied_on, "")
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.loan_submitted",
        object_type=OBJECT,
        object_id=loan.id,
        after=LoanRecord.of(loan).model_dump(mode="json"),
    )
    return loan


def registration(
    programme: Policy, *, size: str, rate: Decimal, benchmark: Decimal, collateral: str
) -> dict[str, Any]:
    """The programme's eligibility checks of a loan at origination (备案), as stored."""
    checks = compensation.eligibility(programme, size=size, rate=rate, benchmark=benchmark)
    weak = collateral in programme.weak_collateral
    return {
        "policy": programme.label(),
        "eligible": all(c.ok for c in checks),
        "weak_collateral": weak,
        "checks": [c.as_dict() for c in checks],
    }
