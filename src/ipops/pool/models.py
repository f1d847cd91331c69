"""Registry records of patent pools. Money is integer fen; rates are decimal text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from ipops.registry.base import Base


class Pool(Base):
    __tablename__ = "pool_pools"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    field: Mapped[str] = mapped_column(String(200))
    administrator: Mapped[str] = mapped_column(String(200))
    admin_fee_rate: Mapped[str] = mapped_column(String(16))  # decimal fraction, e.g. "0.1"
    count_basis: Mapped[str] = mapped_column(String(16))  # patents | families
    quorum: Mapped[int] = mapped_column(Integer)
    majority: Mapped[str] = mapped_column(String(16))
    rates: Mapped[dict[str, Any]] = mapped_column(JSON)  # standard rates by category
    regional: Mapped[dict[str, Any]] = mapped_column(JSON)  # country of sale -> factor
    categories: Mapped[dict[str, Any]] = mapped_column(JSON)  # code -> name
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # undated report lines: "days_in_force" (pro rata to days in force within the period)
    # or "period_end" (patents in force on the period's last day)
    proration: Mapped[str] = mapped_column(
        String(16), default="days_in_force", server_default="days_in_force"
    )
    payment_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # standing: reports due report_days after the period; late beyond grace_days loses the
    # compliant-rate discount, regained after regain_after events on time (pool.standing)
    report_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    grace_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    regain_after: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # a year, simple, on invoices paid after their due date (+ grace): "0.06" for 6 %
    late_interest_rate: Mapped[str] = mapped_column(String(16), default="0", server_default="0")
    # The organisation whose pool administrators manage the pool (None: platform admins only).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )


class Member(Base):
    __tablename__ = "pool_members"
    __table_args__ = (UniqueConstraint("pool_id", "name", name="uq_pool_members_pool_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18))
    foreign_registration: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    joined_on: Mapped[date] = mapped_column(Date)


class Expert(Base):
    __tablename__ = "pool_experts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    speciality: Mapped[str] = mapped_column(String(200), default="")
    recommended_by_id: Mapped[int] = mapped_column(ForeignKey("pool_members.id"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    on_committee: Mapped[bool] = mapped_column(Boolean, default=True)


class PoolPatent(Base):
    __tablename__ = "pool_patents"
    __table_args__ = (UniqueConstraint("pool_id", "number", name="uq_pool_patents_pool_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("pool_members.id"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(Text, default="")
    family: Mapped[str | None] = mapped_column(String(64))
    ipc: Mapped[str | None] = mapped_column(String(32))
    filing_date: Mapped[date | None] = mapped_column(Date)
    grant_date: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    submitted_on: Mapped[date] = mapped_column(Date)
    admitted_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)  # out of the count from this day
    left_reason: Mapped[str | None] = mapped_column(String(16))
    from_corpus: Mapped[bool] = mapped_column(Boolean, default=False)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Assignment(Base):
    __tablename__ = "pool_assignments"
    __table_args__ = (
        UniqueConstraint("patent_id", "expert_id", name="uq_pool_assignments_patent_expert"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patent_id: Mapped[int] = mapped_column(ForeignKey("pool_patents.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("pool_experts.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the expert's login
    opinion: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Decision(Base):
    __tablename__ = "pool_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patent_id: Mapped[int] = mapped_column(ForeignKey("pool_patents.id"), index=True)
    decided_on: Mapped[date] = mapped_column(Date)
    admitted: Mapped[bool] = mapped_column(Boolean)
    rule: Mapped[str] = mapped_column(String(16))
    votes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)


class PatentEvent(Base):
    __tablename__ = "pool_patent_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patent_id: Mapped[int] = mapped_column(ForeignKey("pool_patents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    happened_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class Licensee(Base):
    __tablename__ = "pool_licensees"
    __table_args__ = (UniqueConstraint("pool_id", "name", name="uq_pool_licensees_pool_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    good_standing: Mapped[bool] = mapped_column(Boolean, default=True)
    # affiliates in one enterprise group share one annual cap (pool.standing.group_cap_room)
    enterprise_group: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )


class Agreement(Base):
    __tablename__ = "pool_agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    licensee_id: Mapped[int] = mapped_column(ForeignKey("pool_licensees.id"), index=True)
    signed_on: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    back_royalties_from: Mapped[date | None] = mapped_column(Date)
    territory: Mapped[list[str]] = mapped_column(JSON)  # ISO codes; empty: worldwide
    rates: Mapped[dict[str, Any]] = mapped_column(JSON)
    regional: Mapped[dict[str, Any]] = mapped_column(JSON)
    compliant_discount: Mapped[str] = mapped_column(String(16))
    early_discount: Mapped[str] = mapped_column(String(16))
    annual_cap_fen: Mapped[int | None] = mapped_column(BigInteger)
    # year-end settlement (pool.year_end): a year's royalty below the floor is waived; one
    # below the minimum is topped up to it
    annual_floor_fen: Mapped[int | None] = mapped_column(BigInteger)
    annual_minimum_fen: Mapped[int | None] = mapped_column(BigInteger)
    origin: Mapped[str] = mapped_column(String(100), default="")


class Report(Base):
    __tablename__ = "pool_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    licensee_id: Mapped[int] = mapped_column(ForeignKey("pool_licensees.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("pool_agreements.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    accepted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    royalty_fen: Mapped[int] = mapped_column(BigInteger)  # after the annual cap
    uncapped_fen: Mapped[int] = mapped_column(BigInteger)
    # "royalty": a licensee's report; "year_end": the minimum-royalty top-up of a year's
    # settlement (no lines; the period is the calendar year), pool.year_end
    kind: Mapped[str] = mapped_column(String(16), default="royalty", server_default="royalty")


class ReportLine(Base):
    __tablename__ = "pool_report_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("pool_reports.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(64))
    made_in: Mapped[str] = mapped_column(String(2))
    sold_in: Mapped[str] = mapped_column(String(2))
    sold_on: Mapped[date] = mapped_column(Date)  # the period's last day when not dated
    dated: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    currency: Mapped[str] = mapped_column(String(3), default="CNY", server_default="CNY")
    net_sales_reported: Mapped[str | None] = mapped_column(String(32))  # in ``currency``
    fx_rate: Mapped[str | None] = mapped_column(String(48))  # central parity used, once
    units: Mapped[int | None] = mapped_column(BigInteger)
    net_sales_fen: Mapped[int | None] = mapped_column(BigInteger)
    rate_micro: Mapped[int] = mapped_column(BigInteger)
    trigger_country: Mapped[str | None] = mapped_column(String(2))
    back_royalty: Mapped[bool] = mapped_column(Boolean, default=False)
    royalty_fen: Mapped[int] = mapped_column(BigInteger)


class Invoice(Base):
    __tablename__ = "pool_invoices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("pool_reports.id"), unique=True)
    licensee_id: Mapped[int] = mapped_column(ForeignKey("pool_licensees.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    allocation_id: Mapped[int | None] = mapped_column(ForeignKey("pool_allocations.id"), index=True)
    # waived at a year-end settlement (royalty below the annual floor): nothing outstanding,
    # what was paid is the licensee's credit; or the settlement's top-up invoice
    waived_on: Mapped[date | None] = mapped_column(Date)
    settlement_id: Mapped[int | None] = mapped_column(
        ForeignKey("pool_year_settlements.id"), index=True
    )


class YearSettlement(Base):
    """A licence's calendar year settled against its annual floor and minimum (pool.year_end).
    One per licence and year: settling a year twice is refused."""

    __tablename__ = "pool_year_settlements"
    __table_args__ = (
        UniqueConstraint("agreement_id", "year", name="uq_pool_year_settlements_agreement_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    licensee_id: Mapped[int] = mapped_column(ForeignKey("pool_licensees.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("pool_agreements.id"))
    year: Mapped[int] = mapped_column(Integer)
    settled_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    royalty_fen: Mapped[int] = mapped_column(BigInteger)  # the year's invoiced royalty
    floor_fen: Mapped[int | None] = mapped_column(BigInteger)
    minimum_fen: Mapped[int | None] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(String(16))  # waived | topped_up | due
    waived_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # paid on waived invoices
    top_up_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(Text)


class Payment(Base):
    __tablename__ = "pool_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("pool_invoices.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(100), default="")


class AllocationRun(Base):
    __tablename__ = "pool_allocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    period: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    admin_fee_rate: Mapped[str] = mapped_column(String(16))
    count_basis: Mapped[str] = mapped_column(String(16))
    collected_fen: Mapped[int] = mapped_column(BigInteger)
    fee_fen: Mapped[int] = mapped_column(BigInteger)


class AllocationLine(Base):
    """What one member earned from one licensee in one country in an allocation run."""

    __tablename__ = "pool_allocation_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("pool_allocations.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("pool_members.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    licensee_id: Mapped[int] = mapped_column(ForeignKey("pool_licensees.id"))
    country: Mapped[str] = mapped_column(String(2))
    patents: Mapped[list[str]] = mapped_column(JSON)
    weight: Mapped[int] = mapped_column(Integer)
    triggered_fen: Mapped[int] = mapped_column(BigInteger)  # the royalty the country triggered
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class Dispute(Base):
    __tablename__ = "pool_disputes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("pool_pools.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    parties: Mapped[list[str]] = mapped_column(JSON)
    patents: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    deadline: Mapped[date | None] = mapped_column(Date)
    documents: Mapped[list[str]] = mapped_column(JSON)
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # dated notes and status changes
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("pool_agreements.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
