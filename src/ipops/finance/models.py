"""Registry records of IP pledge finance. Money is stored as integer fen (``*_fen``).

``organisation_id`` on a loan is the *bank's* organisation: the loan (application) is routed
to it, and ``accounts.authz`` scopes bank officers by it; on an enterprise it is the
enterprise's own organisation (its users' scope).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ipops.registry.base import Base


class Enterprise(Base):
    __tablename__ = "fin_enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    industry: Mapped[str] = mapped_column(String(100))
    size_class: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    total_assets_fen: Mapped[int | None] = mapped_column(BigInteger)
    equity_fen: Mapped[int | None] = mapped_column(BigInteger)
    revenue_fen: Mapped[int | None] = mapped_column(BigInteger)
    rd_spend_fen: Mapped[int | None] = mapped_column(BigInteger)
    # credit-bureau flags (enterprises.BureauFlag): NULL not checked, [] checked and clean
    bureau_flags: Mapped[list[str] | None] = mapped_column(JSON)
    bureau_checked_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EnterprisePatent(Base):
    """A link of an enterprise to a corpus patent through a harmonised party name."""

    __tablename__ = "fin_enterprise_patents"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "patent_id", name="uq_fin_enterprise_patents_pair"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("fin_enterprises.id", ondelete="CASCADE"), index=True
    )
    patent_id: Mapped[str] = mapped_column(String(40), index=True)
    party_name: Mapped[str] = mapped_column(String(300))
    match: Mapped[str] = mapped_column(String(16))  # exact | similar | manual
    similarity: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))  # confirmed | pending | rejected


class Rating(Base):
    __tablename__ = "fin_ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("fin_enterprises.id", ondelete="CASCADE"), index=True
    )
    rated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    as_of: Mapped[date] = mapped_column(Date)
    score: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(3))
    features: Mapped[dict[str, Any]] = mapped_column(JSON)
    components: Mapped[dict[str, float]] = mapped_column(JSON)  # name -> value (0..1)
    alerts: Mapped[list[str]] = mapped_column(JSON)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)  # versions of what produced it


class Bank(Base):
    __tablename__ = "fin_banks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BankBalance(Base):
    """A bank's balances at a year end: weak-collateral and total 宁创贷 loans."""

    __tablename__ = "fin_bank_balances"
    __table_args__ = (UniqueConstraint("bank_id", "year", name="uq_fin_bank_balances_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("fin_banks.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    weak_collateral_fen: Mapped[int] = mapped_column(BigInteger)
    programme_fen: Mapped[int] = mapped_column(BigInteger)


class Product(Base):
    __tablename__ = "fin_products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("fin_banks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    min_amount_fen: Mapped[int] = mapped_column(BigInteger)
    max_amount_fen: Mapped[int] = mapped_column(BigInteger)
    min_term_months: Mapped[int] = mapped_column(Integer)
    max_term_months: Mapped[int] = mapped_column(Integer)
    rate_multiple: Mapped[str] = mapped_column(String(16))  # Decimal as text
    min_grade: Mapped[str] = mapped_column(String(3))
    regions: Mapped[list[str]] = mapped_column(JSON)
    industries: Mapped[list[str]] = mapped_column(JSON)
    max_ltv: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(24))
    collateral: Mapped[str] = mapped_column(String(24))  # ip_pledge | credit | ...
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Loan(Base):
    """An application and, once disbursed, the loan (one record, as in Fineract)."""

    __tablename__ = "fin_loans"
    __table_args__ = (Index("ix_fin_loans_state_dpd", "state", "days_past_due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("fin_enterprises.id", ondelete="RESTRICT"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("fin_products.id", ondelete="RESTRICT"))
    bank_id: Mapped[int] = mapped_column(
        ForeignKey("fin_banks.id", ondelete="RESTRICT"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the bank's
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("fin_ratings.id", ondelete="SET NULL"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    term_months: Mapped[int] = mapped_column(Integer)
    annual_rate: Mapped[str] = mapped_column(String(16))
    benchmark_rate: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(24))
    collateral: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    applied_on: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    disbursed_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    principal_repaid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    interest_repaid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    days_past_due: Mapped[int] = mapped_column(Integer, default=0)
    max_days_past_due: Mapped[int] = mapped_column(Integer, default=0)
    arrears_as_of: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # 备案: registered in the policy programme at origination, with the eligibility then
    registered_on: Mapped[date | None] = mapped_column(Date)
    registration: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class LoanPatent(Base):
    """A patent offered as collateral, with its money value at application."""

    __tablename__ = "fin_loan_patents"
    __table_args__ = (UniqueConstraint("loan_id", "patent_id", name="uq_fin_loan_patents_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("fin_loans.id", ondelete="CASCADE"), index=True)
    patent_id: Mapped[str] = mapped_column(String(40), index=True)
    value_fen: Mapped[int] = mapped_column(BigInteger)
    value_basis: Mapped[str] = mapped_column(String(200))


class LoanEvent(Base):
    """Every state change of a loan (the undo events restore the state before)."""

    __tablename__ = "fin_loan_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("fin_loans.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    on_day: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(128))
    note: Mapped[str] = mapped_column(Text, default="")


class ScheduleLine(Base):
    __tablename__ = "fin_schedule_lines"
    __table_args__ = (
        UniqueConstraint("loan_id", "number", name="uq_fin_schedule_lines_number"),
        Index("ix_fin_schedule_lines_open", "settled", "due_on", "loan_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("fin_loans.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    paid_principal_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_interest_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    settled: Mapped[bool] = mapped_column(Boolean, default=False)


class Repayment(Base):
    __tablename__ = "fin_repayments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("fin_loans.id", ondelete="CASCADE"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Pledge(Base):
    """A pledge registration (专利权质押登记) with CNIPA's fields."""

    __tablename__ = "fin_pledges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(
        ForeignKey("fin_loans.id", ondelete="RESTRICT"), index=True
    )
    registration_number: Mapped[str] = mapped_column(String(64), unique=True)
    pledgors: Mapped[list[str]] = mapped_column(JSON)
    pledgee: Mapped[str] = mapped_column(String(200))
    secured_claim: Mapped[str] = mapped_column(String(64))
    secured_amount_fen: Mapped[int] = mapped_column(BigInteger)
    debt_start: Mapped[date] = mapped_column(Date)
    debt_end: Mapped[date] = mapped_column(Date)
    registered_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # registered | changed | cancelled
    changed_on: Mapped[date | None] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)


class PledgedPatent(Base):
    """One patent of a pledge. ``active_patent_id`` is the patent id while the pledge is not
    cancelled, NULL after: its unique constraint is what keeps a patent from being pledged
    twice, even under concurrent registrations."""

    __tablename__ = "fin_pledged_patents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("fin_pledges.id", ondelete="CASCADE"), index=True
    )
    patent_id: Mapped[str] = mapped_column(String(40), index=True)
    active_patent_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(Text)
    main_ipc: Mapped[str] = mapped_column(String(40))
    filing_date: Mapped[date | None] = mapped_column(Date)
    grant_date: Mapped[date | None] = mapped_column(Date)
    owners: Mapped[list[str]] = mapped_column(JSON)


class CollateralAlert(Base):
    __tablename__ = "fin_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("fin_loans.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the bank's
    patent_id: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(32))  # lapsed | invalidated | transferred | ...
    detail: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[date] = mapped_column(Date)
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        UniqueConstraint("loan_id", "patent_id", "kind", "detail", name="uq_fin_alerts_once"),
    )


class Claim(Base):
    """A compensation claim or a risk subsidy of one loan, under one policy version."""

    __tablename__ = "fin_claims"
    __table_args__ = (UniqueConstraint("loan_id", "kind", name="uq_fin_claims_loan_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(
        ForeignKey("fin_loans.id", ondelete="RESTRICT"), index=True
    )
    bank_id: Mapped[int] = mapped_column(
        ForeignKey("fin_banks.id", ondelete="RESTRICT"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # compensation | subsidy
    year: Mapped[int] = mapped_column(Integer)
    claimed_on: Mapped[date] = mapped_column(Date)
    base_fen: Mapped[int] = mapped_column(BigInteger)  # unrecovered principal / financed amount
    ratio: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    policy: Mapped[str] = mapped_column(String(100))
    policy_digest: Mapped[str] = mapped_column(String(64))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="claimed")  # claimed | paid


class Disposal(Base):
    """Realising the pledged patents of a defaulted loan; proceeds split by losses."""

    __tablename__ = "fin_disposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(
        ForeignKey("fin_loans.id", ondelete="RESTRICT"), unique=True
    )
    method: Mapped[str] = mapped_column(String(16))  # sale | licence | auction | set_off
    listed_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # listed | realised
    realised_on: Mapped[date | None] = mapped_column(Date)
    proceeds_fen: Mapped[int | None] = mapped_column(BigInteger)
    to_bank_fen: Mapped[int | None] = mapped_column(BigInteger)
    to_fund_fen: Mapped[int | None] = mapped_column(BigInteger)
    to_pledgor_fen: Mapped[int | None] = mapped_column(BigInteger)


class PdFit(Base):
    __tablename__ = "fin_pd_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    model: Mapped[dict[str, Any]] = mapped_column(JSON)
