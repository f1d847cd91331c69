"""Policy-fund claims (compensation and risk subsidy), disposal of pledged patents, and the
claim files for the finance bureau (XLSX and CSV, per bank and period).

Each claim row is traceable to its loan (loan id, enterprise, credit code, contract dates)
and to the policy version it was computed under (name, version, digest of the file).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.errors import Conflict, InvalidTransition, NotFound, ValidationError
from ipops.exports import append_row, csv_record
from ipops.finance import compensation as rules
from ipops.finance import money
from ipops.finance.balances import weak_share
from ipops.finance.loans import LoanState
from ipops.finance.models import Bank, Claim, Disposal, Enterprise, Loan
from ipops.finance.policy import Policy
from ipops.registry import concurrency

CLAIM_COLUMNS: tuple[str, ...] = (
    "claim_id", "kind", "bank", "loan_id", "enterprise", "credit_code", "region", "amount_financed",
    "disbursed_on", "claimed_on", "days_past_due", "base", "ratio", "amount", "policy",
    "policy_digest", "status",
)  # fmt: skip

MONEY_COLUMNS = frozenset({"amount_financed", "base", "amount"})


def _compensated_this_year(db_session: Session, bank_id: int, year: int) -> Decimal:
    total = db_session.scalar(
        select(func.coalesce(func.sum(Claim.amount_fen), 0)).where(
            Claim.bank_id == bank_id, Claim.year == year, Claim.kind == "compensation"
        )
    )
    return money.from_fen(int(total or 0))


def assess_loan(
    *, db_session: Session, loan: Loan, policy: Policy, on_day: date
) -> rules.Compensation:
    """What the policy gives for the loan on ``on_day`` (no claim is stored)."""
    enterprise = db_session.get(Enterprise, loan.enterprise_id)
    assert enterprise is not None
    case = rules.CompensationCase(
        principal=money.from_fen(loan.amount_fen),
        repaid=money.from_fen(loan.principal_repaid_fen),
        days_overdue=loan.days_past_due,
        bank_weak_share=weak_share(
            db_session=db_session,
            bank_id=loan.bank_id,
            year=on_day.year - 1,
            weak_types=policy.weak_collateral,
        ),
        rate=Decimal(loan.annual_rate),
        benchmark_rate=Decimal(loan.benchmark_rate),
        enterprise_size=enterprise.size_class,
        collateral=loan.collateral,
        compensated_this_year=_compensated_this_year(db_session, loan.bank_id, on_day.year),
    )
    return registered_check(loan, rules.assess(policy, case))


def registered_check(loan: Loan, result: rules.Compensation) -> rules.Compensation:
    """Eligibility is checked at claim time (``assess``) and was at origination (备案): a loan
    not registered, or not eligible when registered, is not compensated."""
    found = loan.registration
    if found is None:
        check = rules.Check(
            "registered", False, "not registered (备案) in the programme at origination"
        )
    elif not found.get("eligible"):
        why = "; ".join(c["text"] for c in found.get("checks", []) if not c["ok"])
        check = rules.Check(
            "registered", False, f"registered on {loan.registered_on} but not eligible then: {why}"
        )
    else:
        check = rules.Check(
            "registered", True, f"registered (备案) on {loan.registered_on}, eligible then"
        )
    checks = (*result.checks, check)
    if check.ok or result.status == rules.Status.NOTHING:
        return replace(result, checks=checks)
    return replace(
        result,
        checks=checks,
        eligible=False,
        status=rules.Status.NOT_ELIGIBLE,
        amount=Decimal("0.00"),
    )


def claim_compensation(
    *, db_session: Session, actor: Actor, loan_id: int, policy: Policy, on_day: date
) -> Claim:
    found = db_session.get(Loan, loan_id)
    if found is None:
        raise NotFound(f"no loan {loan_id}", field="loan")
    # the bank first: its yearly compensation is capped (then the loan: root first)
    concurrency.claim_key(db_session, Bank, found.bank_id, what=f"bank {found.bank_id}")
    loan = concurrency.claim_key(db_session, Loan, loan_id, what=f"loan {loan_id}")
    if loan.state not in (LoanState.ACTIVE, LoanState.WRITTEN_OFF):
        raise InvalidTransition(
            f"loan {loan.id} is {loan.state}: compensation is for an "
            "overdue active or written-off loan",
            field="loan",
        )
    if db_session.scalar(
        select(Claim.id).where(Claim.loan_id == loan.id, Claim.kind == "compensation")
    ):
        raise Conflict(f"loan {loan.id} already has a compensation claim", field="loan")
    result = assess_loan(db_session=db_session, loan=loan, policy=policy, on_day=on_day)
    if not result.eligible:
        why = "; ".join(c.text for c in result.checks if not c.ok)
        raise ValidationError(
            f"loan {loan.id} is not eligible for compensation: {why}", field="loan"
        )
    claim = Claim(
        loan_id=loan.id,
        bank_id=loan.bank_id,
        organisation_id=loan.organisation_id,
        kind="compensation",
        year=on_day.year,
        claimed_on=on_day,
        base_fen=money.to_fen(result.unrecovered),
        ratio=str(result.ratio),
        amount_fen=money.to_fen(result.amount),
        policy=f"{policy.name} {policy.version}",
        policy_digest=policy.digest,
        reasons=[c.as_dict() for c in result.checks],
        status="claimed",
    )
    db_session.add(claim)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.compensation_claimed",
        object_type="fin_claim",
        object_id=claim.id,
        after=result.as_dict(),
    )
    return claim


@dataclass(frozen=True)
class SubsidyReport:
    bank_id: int
    year: int
    loans: int
    amount: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "bank_id": self.bank_id,
            "year": self.year,
            "loans": self.loans,
            "amount": str(self.amount),
        }


def claim_subsidies(
    *, db_session: Session, actor: Actor, bank: Bank, year: int, policy: Policy
) -> SubsidyReport:
    """The risk subsidy of every qualifying loan the bank disbursed in ``year`` (once each)."""
    concurrency.claim(db_session, bank)
    loans = db_session.scalars(
        select(Loan).where(
            Loan.bank_id == bank.id,
            Loan.disbursed_on >= date(year, 1, 1),
            Loan.disbursed_on <= date(year, 12, 31),
            Loan.collateral.in_(sorted(policy.subsidy_collateral)),
            Loan.state.in_([LoanState.ACTIVE, LoanState.CLOSED, LoanState.WRITTEN_OFF]),
        )
    ).all()
    claimed = set(db_session.scalars(select(Claim.loan_id).where(Claim.kind == "subsidy")))
    total, count = Decimal("0.00"), 0
    for loan in loans:
        if loan.id in claimed:
            continue
        financed = money.from_fen(loan.amount_fen)
        amount = rules.risk_subsidy(policy, financed=financed, collateral=loan.collateral)
        db_session.add(
            Claim(
                loan_id=loan.id,
                bank_id=bank.id,
                organisation_id=loan.organisation_id,
                kind="subsidy",
                year=year,
                claimed_on=date(year, 12, 31),
                base_fen=loan.amount_fen,
                ratio=str(policy.subsidy_rate),
                amount_fen=money.to_fen(amount),
                policy=f"{policy.name} {policy.version}",
                policy_digest=policy.digest,
                reasons=[
                    {
                        "code": "subsidy",
                        "ok": True,
                        "text": f"{policy.subsidy_rate} x financed {financed}",
                    }
                ],
                status="claimed",
            )
        )
        total += amount
        count += 1
    db_session.flush()
    report = SubsidyReport(bank.id, year, count, total)
    record_by(
        actor,
        db_session=db_session,
        action="finance.subsidies_claimed",
        object_type="fin_bank",
        object_id=bank.id,
        after=report.as_dict(),
    )
    return report


def mark_paid(*, db_session: Session, actor: Actor, claim_id: int) -> Claim:
    claim = concurrency.claim_key(db_session, Claim, claim_id, what=f"claim {claim_id}")
    if claim.status == "paid":
        raise InvalidTransition(f"claim {claim.id} is already paid", field="claim")
    claim.status = "paid"
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.claim_paid",
        object_type="fin_claim",
        object_id=claim.id,
        after={"status": "paid"},
    )
    return claim


# --------------------------------------------------------------------------- disposal


def list_for_disposal(
    *,
    db_session: Session,
    actor: Actor,
    loan_id: int,
    method: str,
    on_day: date,
    policy: Policy,
) -> Disposal:
    """After default (written off, or overdue at least the policy's days) the pledged patents
    are listed for sale, licence, auction or agreed set-off."""
    loan = concurrency.claim_key(db_session, Loan, loan_id, what=f"loan {loan_id}")
    defaulted = loan.state == LoanState.WRITTEN_OFF or (
        loan.state == LoanState.ACTIVE and loan.days_past_due >= policy.days_overdue
    )
    if not defaulted:
        raise InvalidTransition(
            f"loan {loan.id} is {loan.state} with {loan.days_past_due} days "
            "past due: disposal follows a default",
            field="loan",
        )
    if method not in ("sale", "licence", "auction", "set_off"):
        raise ValidationError("use sale, licence, auction or set_off", field="method")
    if db_session.scalar(select(Disposal.id).where(Disposal.loan_id == loan.id)):
        raise Conflict(f"loan {loan.id}'s patents are already listed", field="loan")
    disposal = Disposal(loan_id=loan.id, method=method, listed_on=on_day, status="listed")
    db_session.add(disposal)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.disposal_listed",
        object_type="fin_disposal",
        object_id=disposal.id,
        after={"loan_id": loan.id, "method": method},
    )
    return disposal


def realise(
    *, db_session: Session, actor: Actor, disposal_id: int, proceeds: object, on_day: date
) -> rules.ProceedsSplit:
    found = db_session.get(Disposal, disposal_id)
    if found is None:
        raise NotFound(f"no disposal {disposal_id}", field="disposal")
    # the loan first, then its disposal (root first)
    loan = concurrency.claim_key(db_session, Loan, found.loan_id, what=f"loan {found.loan_id}")
    disposal = concurrency.claim_key(
        db_session, Disposal, disposal_id, what=f"disposal {disposal_id}"
    )
    if disposal.status == "realised":
        raise InvalidTransition(f"disposal {disposal.id} is already realised", field="disposal")
    compensated = money.from_fen(
        int(
            db_session.scalar(
                select(func.coalesce(func.sum(Claim.amount_fen), 0)).where(
                    Claim.loan_id == loan.id, Claim.kind == "compensation"
                )
            )
            or 0
        )
    )
    split = rules.split_proceeds(
        proceeds=money.amount(proceeds, "proceeds", allow_zero=True),
        unrecovered=money.from_fen(loan.amount_fen - loan.principal_repaid_fen),
        compensated=compensated,
    )
    disposal.status = "realised"
    disposal.realised_on = on_day
    disposal.proceeds_fen = money.to_fen(split.proceeds)
    disposal.to_bank_fen = money.to_fen(split.to_bank)
    disposal.to_fund_fen = money.to_fen(split.to_fund)
    disposal.to_pledgor_fen = money.to_fen(split.to_pledgor)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.disposal_realised",
        object_type="fin_disposal",
        object_id=disposal.id,
        after=split.as_dict(),
    )
    return split


# --------------------------------------------------------------------------- files


def claim_rows(
    *,
    db_session: Session,
    bank_id: int | None,
    start: date,
    end: date,
    organisation_id: int | None = None,
) -> list[dict[str, Any]]:
    if end < start:
        raise ValidationError("the period ends before it starts", field="end")
    query = (
        select(Claim, Loan, Enterprise, Bank)
        .join(Loan, Loan.id == Claim.loan_id)
        .join(Enterprise, Enterprise.id == Loan.enterprise_id)
        .join(Bank, Bank.id == Claim.bank_id)
        .where(Claim.claimed_on >= start, Claim.claimed_on <= end)
    )
    if bank_id is not None:
        query = query.where(Claim.bank_id == bank_id)
    if organisation_id is not None:
        query = query.where(Claim.organisation_id == organisation_id)
    rows = []
    for claim, loan, enterprise, bank in db_session.execute(query.order_by(Claim.id)).all():
        rows.append(
            {
                "claim_id": claim.id,
                "kind": claim.kind,
                "bank": bank.name,
                "loan_id": loan.id,
                "enterprise": enterprise.name,
                "credit_code": enterprise.credit_code,
                "region": enterprise.region,
                "amount_financed": str(money.from_fen(loan.amount_fen)),
                "disbursed_on": loan.disbursed_on,
                "claimed_on": claim.claimed_on,
                "days_past_due": loan.days_past_due,
                "base": str(money.from_fen(claim.base_fen)),
                "ratio": claim.ratio,
                "amount": str(money.from_fen(claim.amount_fen)),
                "policy": claim.policy,
                "policy_digest": claim.policy_digest[:12],
                "status": claim.status,
            }
        )
    return rows


def claims_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CLAIM_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(csv_record({k: "" if row[k] is None else row[k] for k in CLAIM_COLUMNS}))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def claims_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """Amounts as numbers with two decimals (Excel has no decimal type; the CSV keeps the
    exact text)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "claims"
    append_row(sheet, CLAIM_COLUMNS)
    for row in rows:
        values = []
        for column in CLAIM_COLUMNS:
            value = row[column]
            if column in MONEY_COLUMNS:
                value = Decimal(value)
            values.append(value)
        append_row(sheet, values)
        for index, column in enumerate(CLAIM_COLUMNS, start=1):
            if column in MONEY_COLUMNS:
                sheet.cell(row=sheet.max_row, column=index).number_format = "#,##0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows_total(rows: list[dict[str, Any]]) -> Decimal:
    """The total amount of claim rows (``claim_rows``)."""
    return sum((Decimal(r["amount"]) for r in rows), Decimal("0.00"))
