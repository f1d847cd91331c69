"""The loan book (use cases): a loan's record and look-up, lifecycle actions, the repayment
schedule and repayments, and the loans a query may list. The lifecycle rules are pure
(``loans``), so are the schedules (``schedules``).

Concurrency (``ipops.registry.concurrency``, docs/architecture.md): every state change
first claims its loan, then checks, then writes; a request that waited is judged on what the
first one committed. A loan's state change is, besides, a conditional
``UPDATE ... WHERE state = <expected> AND version = <read>``: should anything change the
loan without the claim, the update touches no row and the late decision is refused naming
the loan's new state.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.errors import InvalidTransition, NotFound, ValidationError
from ipops.finance import money, schedules
from ipops.finance.loan_records import LoanRecord, ScheduleRecord
from ipops.finance.loans import (
    MANUAL_ACTIONS,
    Action,
    LoanState,
    allowed_actions,
    next_state,
)
from ipops.finance.models import (
    Loan,
    LoanEvent,
    Pledge,
    Repayment,
    ScheduleLine,
)
from ipops.finance.pledge_records import AlertRecord, PledgeRecord
from ipops.finance.pledges import (
    alert_records,
    cancel_pledges_of,
    pledge_records,
)
from ipops.registry import concurrency

OBJECT = "fin_loan"


def _now() -> datetime:
    return datetime.now(UTC)


class LoanDetail(LoanRecord):
    """A loan with its repayment schedule, pledge registrations and collateral alerts
    (``GET /api/v1/finance/loans/{id}``)."""

    schedule: list[ScheduleRecord]
    pledges: list[PledgeRecord]
    alerts: list[AlertRecord]


def loan_detail(*, db_session: Session, loan: Loan) -> LoanDetail:
    """The loan's record with its schedule, pledges and alerts."""
    return LoanDetail(
        **dict(LoanRecord.of(loan)),
        schedule=[
            ScheduleRecord.of(x) for x in schedule_of(db_session=db_session, loan_id=loan.id)
        ],
        pledges=pledge_records(db_session=db_session, loan_id=loan.id),
        alerts=alert_records(db_session=db_session, loan_id=loan.id),
    )


def get_loan(*, db_session: Session, loan_id: int) -> Loan:
    loan = db_session.get(Loan, loan_id)
    if loan is None:
        raise NotFound(f"no loan {loan_id}", field="loan")
    return loan


def record_event(
    db_session: Session,
    loan: Loan,
    action: str,
    before: str,
    after: LoanState,
    actor: Actor,
    day: date,
    note: str,
) -> None:
    db_session.add(
        LoanEvent(
            loan_id=loan.id,
            at=_now(),
            on_day=day,
            action=action,
            from_state=before,
            to_state=after.value,
            actor=actor.name[:128],
            note=note,
        )
    )


def act(
    *,
    db_session: Session,
    actor: Actor,
    loan_id: int,
    action: Action,
    on_day: date,
    note: str = "",
    require_pledge: bool = True,
) -> Loan:
    """Apply a lifecycle action; refused naming the allowed ones, or when another
    transaction changed the loan first."""
    loan = concurrency.claim_key(db_session, Loan, loan_id, what=f"loan {loan_id}")
    before = LoanState(loan.state)
    after = next_state(before, action)
    _check_action(db_session, loan, action, on_day, require_pledge)
    values: dict[str, Any] = {"state": after.value, "version": loan.version + 1}
    values.update(_dates_for(action, on_day))
    changed = db_session.execute(
        update(Loan)
        .where(Loan.id == loan.id, Loan.state == before.value, Loan.version == loan.version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db_session.refresh(loan)
        allowed = (
            ", ".join(
                a.value for a in allowed_actions(LoanState(loan.state)) if a in MANUAL_ACTIONS
            )
            or "none"
        )
        raise InvalidTransition(
            f"loan {loan.id} was changed at the same time by someone else: "
            f"it is now {loan.state}; allowed: {allowed}",
            field="action",
        )
    db_session.refresh(loan)
    _after_action(db_session, loan, action, on_day)
    record_event(db_session, loan, action.value, before.value, after, actor, on_day, note)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action=f"finance.loan_{action.value}",
        object_type=OBJECT,
        object_id=loan.id,
        before={"state": before.value},
        after={"state": after.value, "note": note},
    )
    return loan


def _dates_for(action: Action, day: date) -> dict[str, Any]:
    if action in (Action.APPROVE, Action.REJECT, Action.WITHDRAW):
        return {"decided_on": day}
    if action is Action.UNDO_APPROVAL:
        return {"decided_on": None}
    if action is Action.DISBURSE:
        return {"disbursed_on": day}
    if action is Action.UNDO_DISBURSAL:
        return {"disbursed_on": None, "days_past_due": 0}
    if action in (Action.WRITE_OFF, Action.REPAY_IN_FULL):
        return {"closed_on": day}
    if action is Action.UNDO_WRITE_OFF:
        return {"closed_on": None}
    return {}


def _check_action(
    db_session: Session, loan: Loan, action: Action, day: date, require_pledge: bool
) -> None:
    if action is Action.DISBURSE:
        if day < loan.applied_on:
            raise ValidationError(
                f"disbursement {day} before the application {loan.applied_on}", field="date"
            )
        if require_pledge and loan.collateral == "ip_pledge" and not _has_pledge(db_session, loan):
            raise InvalidTransition(
                f"loan {loan.id} has no registered pledge: register the "
                "pledge with CNIPA first (`ipops finance pledge`)",
                field="action",
            )
    if action is Action.UNDO_DISBURSAL and loan.principal_repaid_fen + loan.interest_repaid_fen:
        raise InvalidTransition(
            f"loan {loan.id} has repayments; undo_disbursal is only possible "
            "before the first repayment",
            field="action",
        )


def _has_pledge(db_session: Session, loan: Loan) -> bool:
    return bool(
        db_session.scalar(
            select(func.count())
            .select_from(Pledge)
            .where(Pledge.loan_id == loan.id, Pledge.status != "cancelled")
        )
    )


def _after_action(db_session: Session, loan: Loan, action: Action, day: date) -> None:
    if action is Action.DISBURSE:
        lines = schedules.build(
            schedules.check_method(loan.method),
            money.from_fen(loan.amount_fen),
            Decimal(loan.annual_rate),
            loan.term_months,
            day,
        )
        db_session.execute(
            insert(ScheduleLine),
            [
                {
                    "loan_id": loan.id,
                    "number": ln.number,
                    "due_on": ln.due,
                    "principal_fen": money.to_fen(ln.principal),
                    "interest_fen": money.to_fen(ln.interest),
                    "paid_principal_fen": 0,
                    "paid_interest_fen": 0,
                    "settled": False,
                }
                for ln in lines
            ],
        )
    elif action is Action.UNDO_DISBURSAL:
        for line in schedule_of(db_session=db_session, loan_id=loan.id):
            db_session.delete(line)
    if action in (Action.REPAY_IN_FULL,):
        cancel_pledges_of(db_session=db_session, loan=loan, on_day=day)


def schedule_of(*, db_session: Session, loan_id: int) -> list[ScheduleLine]:
    return list(
        db_session.scalars(
            select(ScheduleLine)
            .where(ScheduleLine.loan_id == loan_id)
            .order_by(ScheduleLine.number)
        )
    )


def _pure_line(line: ScheduleLine) -> schedules.Line:
    return schedules.Line(
        line.number,
        line.due_on,
        money.from_fen(line.principal_fen),
        money.from_fen(line.interest_fen),
        money.from_fen(line.paid_principal_fen),
        money.from_fen(line.paid_interest_fen),
    )


def repay(
    *, db_session: Session, actor: Actor, loan_id: int, amount: object, paid_on: date
) -> Repayment:
    """A repayment: interest before principal, oldest instalment first; the loan closes when
    everything is repaid. Only an active loan takes payments."""
    value = money.amount(amount, "amount")
    loan = concurrency.claim_key(db_session, Loan, loan_id, what=f"loan {loan_id}")
    if loan.state != LoanState.ACTIVE:
        raise InvalidTransition(
            f"loan {loan.id} is {loan.state}: only an active loan takes repayments", field="loan"
        )
    if loan.disbursed_on and paid_on < loan.disbursed_on:
        raise ValidationError(
            f"payment {paid_on} before the disbursement {loan.disbursed_on}", field="date"
        )
    stored = schedule_of(db_session=db_session, loan_id=loan.id)
    allocation = schedules.apply_payment([_pure_line(x) for x in stored], value)
    for row, line in zip(stored, allocation.lines, strict=True):
        row.paid_principal_fen = money.to_fen(line.paid_principal)
        row.paid_interest_fen = money.to_fen(line.paid_interest)
        row.settled = line.settled
    loan.principal_repaid_fen += money.to_fen(allocation.principal)
    loan.interest_repaid_fen += money.to_fen(allocation.interest)
    loan.days_past_due = schedules.days_past_due(allocation.lines, paid_on)
    payment = Repayment(
        loan_id=loan.id,
        paid_on=paid_on,
        amount_fen=money.to_fen(value),
        interest_fen=money.to_fen(allocation.interest),
        principal_fen=money.to_fen(allocation.principal),
        recorded_at=_now(),
    )
    db_session.add(payment)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.repayment",
        object_type=OBJECT,
        object_id=loan.id,
        after={
            "amount": str(value),
            "interest": str(allocation.interest),
            "principal": str(allocation.principal),
            "paid_on": paid_on,
        },
    )
    if all(line.settled for line in allocation.lines):
        act(
            db_session=db_session,
            actor=actor,
            loan_id=loan.id,
            action=Action.REPAY_IN_FULL,
            on_day=paid_on,
            note="repaid in full",
        )
    return payment


def list_loans(
    *,
    db_session: Session,
    state: str | None = None,
    organisation_id: int | None = None,
    enterprise_id: int | None = None,
    limit: int = 200,
) -> list[Loan]:
    """Newest first; a bank sees its own (``organisation_id``), an enterprise its own."""
    if state is not None and state not in {s.value for s in LoanState}:
        allowed = ", ".join(s.value for s in LoanState)
        raise ValidationError(f"no state {state!r}; states are {allowed}", field="state")
    query = select(Loan)
    if state is not None:
        query = query.where(Loan.state == state)
    if organisation_id is not None:
        query = query.where(Loan.organisation_id == organisation_id)
    if enterprise_id is not None:
        query = query.where(Loan.enterprise_id == enterprise_id)
    return list(db_session.scalars(query.order_by(Loan.id.desc()).limit(limit)))


def enterprise_loans(*, db_session: Session, enterprise_id: int) -> list[LoanRecord]:
    """The enterprise's loans and applications, newest first."""
    return [
        LoanRecord.of(x) for x in list_loans(db_session=db_session, enterprise_id=enterprise_id)
    ]


def loan_records(
    *,
    db_session: Session,
    state: str | None = None,
    enterprise_id: int | None = None,
    limit: int = 200,
) -> list[LoanRecord]:
    found = list_loans(db_session=db_session, state=state, enterprise_id=enterprise_id, limit=limit)
    return [LoanRecord.of(x) for x in found]


def loan_record(*, db_session: Session, loan_id: int) -> LoanRecord:
    return LoanRecord.of(get_loan(db_session=db_session, loan_id=loan_id))


def schedule_records(*, db_session: Session, loan_id: int) -> list[ScheduleRecord]:
    get_loan(db_session=db_session, loan_id=loan_id)
    return [ScheduleRecord.of(x) for x in schedule_of(db_session=db_session, loan_id=loan_id)]
