"""Banks and their loan products (use cases), and the product terms and reference rate that
matching reads (``matching`` holds the pure ranking rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.finance import money, rates, rating, schedules
from ipops.finance.matching import ProductTerms
from ipops.finance.models import (
    Bank,
    Product,
)
from ipops.records import Record, RecordId


def _now() -> datetime:
    return datetime.now(UTC)


def add_bank(*, db_session: Session, actor: Actor, name: str, organisation_id: int | None) -> Bank:
    if not name.strip():
        raise ValidationError("must not be empty", field="name")
    if db_session.scalar(select(Bank.id).where(Bank.name == name.strip())):
        raise Conflict(f"a bank named {name.strip()!r} exists", field="name")
    bank = Bank(name=name.strip(), organisation_id=organisation_id, created_at=_now())
    db_session.add(bank)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.bank_added",
        object_type="fin_bank",
        object_id=bank.id,
        after={"name": bank.name},
    )
    return bank


def get_bank(*, db_session: Session, key: int | str) -> Bank:
    found = (
        db_session.get(Bank, int(key))
        if str(key).isdigit()
        else db_session.scalars(select(Bank).where(Bank.name == key)).first()
    )
    if found is None:
        raise NotFound(f"no bank {key}", field="bank")
    return found


@dataclass(frozen=True)
class ProductInput:
    name: str
    min_amount: Decimal
    max_amount: Decimal
    min_term_months: int
    max_term_months: int
    rate_multiple: Decimal
    min_grade: str = "BB"
    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    max_ltv: Decimal = Decimal("0.5")
    method: str = schedules.Method.EQUAL_INSTALMENTS.value
    collateral: str = "ip_pledge"

    def check(self) -> None:
        if not self.name.strip():
            raise ValidationError("must not be empty", field="name")
        if not 0 < self.min_amount <= self.max_amount:
            raise ValidationError("need 0 < min_amount <= max_amount", field="min_amount")
        if not 1 <= self.min_term_months <= self.max_term_months:
            raise ValidationError("need 1 <= min_term <= max_term", field="min_term_months")
        if self.rate_multiple <= 0:
            raise ValidationError("must be more than 0", field="rate_multiple")
        if self.min_grade not in rating.GRADE_ORDER:
            raise ValidationError(
                f"no grade {self.min_grade!r}; grades are {', '.join(rating.GRADE_ORDER)}",
                field="min_grade",
            )
        if not 0 < self.max_ltv <= 1:
            raise ValidationError("must be above 0 and at most 1", field="max_ltv")
        schedules.check_method(self.method)


def add_product(*, db_session: Session, actor: Actor, bank: Bank, spec: ProductInput) -> Product:
    spec.check()
    product = Product(
        bank_id=bank.id,
        name=spec.name.strip(),
        min_amount_fen=money.to_fen(spec.min_amount),
        max_amount_fen=money.to_fen(spec.max_amount),
        min_term_months=spec.min_term_months,
        max_term_months=spec.max_term_months,
        rate_multiple=str(spec.rate_multiple),
        min_grade=spec.min_grade,
        regions=list(spec.regions),
        industries=list(spec.industries),
        max_ltv=str(spec.max_ltv),
        method=spec.method,
        collateral=spec.collateral,
        active=True,
    )
    db_session.add(product)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.product_added",
        object_type="fin_product",
        object_id=product.id,
        after=ProductRecord.of(product).model_dump(mode="json"),
    )
    return product


class ProductRecord(Record):
    """A bank's loan product: amount and term range, pricing, who qualifies, collateral."""

    id: RecordId
    bank_id: int
    name: str
    min_amount: Decimal
    max_amount: Decimal
    min_term_months: int
    max_term_months: int
    rate_multiple: str
    min_grade: str
    regions: list[str]
    industries: list[str]
    max_ltv: str
    method: str
    collateral: str

    @classmethod
    def of(cls, p: Product) -> ProductRecord:
        return cls(
            id=p.id,
            bank_id=p.bank_id,
            name=p.name,
            min_amount=money.from_fen(p.min_amount_fen),
            max_amount=money.from_fen(p.max_amount_fen),
            min_term_months=p.min_term_months,
            max_term_months=p.max_term_months,
            rate_multiple=p.rate_multiple,
            min_grade=p.min_grade,
            regions=p.regions,
            industries=p.industries,
            max_ltv=p.max_ltv,
            method=p.method,
            collateral=p.collateral,
        )


def list_products(*, db_session: Session) -> list[tuple[Product, Bank]]:
    query = select(Product, Bank).join(Bank, Bank.id == Product.bank_id).where(Product.active)
    return [(p, b) for p, b in db_session.execute(query.order_by(Product.id)).all()]


def product_terms(product: Product, bank: Bank) -> ProductTerms:
    return ProductTerms(
        product_id=product.id,
        bank=bank.name,
        name=product.name,
        min_amount=money.from_fen(product.min_amount_fen),
        max_amount=money.from_fen(product.max_amount_fen),
        min_term_months=product.min_term_months,
        max_term_months=product.max_term_months,
        rate_multiple=Decimal(product.rate_multiple),
        min_grade=product.min_grade,
        regions=tuple(product.regions),
        industries=tuple(product.industries),
        max_ltv=Decimal(product.max_ltv),
    )


def benchmark_for(
    *,
    on: date,
    term_months: int,
    table: rates.RateTable | None = None,
    rule: rates.ReferenceRule | None = None,
) -> Decimal:
    """The same-term reference rate of a loan dated ``on`` (``rates.reference_rate``; the
    built-in table and the default rule unless given)."""
    return reference_for(on=on, term_months=term_months, table=table, rule=rule).rate


def reference_for(
    *,
    on: date,
    term_months: int,
    table: rates.RateTable | None = None,
    rule: rates.ReferenceRule | None = None,
) -> rates.ReferenceRate:
    """``benchmark_for`` with where the rate comes from and its warning, if any (a loan
    dated after the day the table is checked through)."""
    return rates.reference_rate(
        table or rates.load_table(),
        rule or rates.ReferenceRule(),
        loan_date=on,
        term_months=term_months,
    )
