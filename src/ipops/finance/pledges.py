"""Pledge registration (专利权质押登记), the collateral watch, and pledge amounts for the
valuation domain's high-value screening.

A registration carries CNIPA's fields: pledgor(s), pledgee, each patent's number, title, main
IPC, filing and grant dates, secured claim and amount, debt term, registration date, status
(registered / changed / cancelled). Rules checked before anything is stored:

* every patent of the loan's collateral is registered, each in force;
* all co-owners pledge together: every owner named by the corpus is among the pledgors;
* a patent already under a registered (not cancelled) pledge cannot be pledged again —
  also under concurrent registrations, by a unique constraint on the active patent id.

The collateral watch raises an alert for the bank when a pledged patent's legal status
changes (lapse, invalidation, expiry, transfer after registration) or a revaluation puts the
collateral's value times the product's loan-to-value below the principal outstanding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.corpus.queries import fetch_dicts
from ipops.corpus.store import CorpusStore
from ipops.errors import Conflict, InvalidTransition, NotFound, ValidationError
from ipops.finance import money, patents
from ipops.finance.loans import LoanState
from ipops.finance.models import (
    Bank,
    CollateralAlert,
    Enterprise,
    Loan,
    LoanPatent,
    Pledge,
    PledgedPatent,
    Product,
)
from ipops.finance.pledge_records import AlertRecord, PledgedPatentRecord, PledgeRecord
from ipops.finance.schedules import add_months
from ipops.registry import concurrency

OBJECT = "fin_pledge"


def register_pledge(
    *,
    db_session: Session,
    store: CorpusStore,
    actor: Actor,
    loan_id: int,
    registration_number: str,
    registered_on: date,
    co_pledgors: Sequence[str] = (),
) -> Pledge:
    loan = concurrency.claim_key(db_session, Loan, loan_id, what=f"loan {loan_id}")
    if loan.state not in (LoanState.APPROVED, LoanState.ACTIVE):
        raise InvalidTransition(
            f"loan {loan.id} is {loan.state}: a pledge is registered for an approved loan",
            field="loan",
        )
    number = registration_number.strip()
    if not number:
        raise ValidationError("must not be empty", field="registration_number")
    enterprise = db_session.get(Enterprise, loan.enterprise_id)
    bank = db_session.get(Bank, loan.bank_id)
    assert enterprise is not None and bank is not None
    offered = [lp.patent_id for lp in db_session.scalars(
        select(LoanPatent).where(LoanPatent.loan_id == loan.id))]  # fmt: skip
    facts = patents.patent_facts(store, offered)
    pledgors = [enterprise.name, *[p.strip() for p in co_pledgors if p.strip()]]
    _check_patents(db_session, offered, facts, pledgors)
    pledge = Pledge(
        loan_id=loan.id,
        registration_number=number[:64],
        pledgors=pledgors,
        pledgee=bank.name,
        secured_claim="loan",
        secured_amount_fen=loan.amount_fen,
        debt_start=registered_on,
        debt_end=add_months(registered_on, loan.term_months),
        registered_on=registered_on,
        status="registered",
    )
    if db_session.scalar(select(Pledge.id).where(Pledge.registration_number == number[:64])):
        raise Conflict(f"registration number {number} is taken", field="registration_number")
    # no savepoint: on a clash the edge rolls the whole transaction back
    try:
        db_session.add(pledge)
        db_session.flush()
        for patent_id in offered:
            f = facts[patent_id]
            db_session.add(
                PledgedPatent(
                    pledge_id=pledge.id,
                    patent_id=patent_id,
                    active_patent_id=patent_id,
                    title=f.title,
                    main_ipc=f.main_ipc,
                    filing_date=f.filing_date,
                    grant_date=f.grant_date,
                    owners=list(f.owners),
                )
            )
        db_session.flush()
    except (IntegrityError, Conflict):
        raise Conflict(
            f"a patent of loan {loan.id} is already pledged, or registration number {number} "
            "is taken",
            field="registration_number",
        ) from None
    record_by(
        actor,
        db_session=db_session,
        action="finance.pledge_registered",
        object_type=OBJECT,
        object_id=pledge.id,
        after=pledge_record(db_session=db_session, pledge=pledge).model_dump(mode="json"),
    )
    return pledge


def _check_patents(
    db_session: Session,
    offered: Sequence[str],
    facts: Mapping[str, patents.PatentFacts],
    pledgors: Sequence[str],
) -> None:
    taken = set(
        db_session.scalars(
            select(PledgedPatent.active_patent_id).where(
                PledgedPatent.active_patent_id.in_(list(offered))
            )
        )
    )
    for patent_id in offered:
        if patent_id not in facts:
            raise NotFound(f"{patent_id} is not in the corpus", field="patents")
        fact = facts[patent_id]
        if not fact.pledgeable:
            raise ValidationError(
                f"{patent_id} cannot be pledged: its legal status is {fact.status}", field="patents"
            )
        if patent_id in taken:
            raise Conflict(f"{patent_id} is already pledged", field="patents")
        missing = [o for o in fact.owners if not any(patents.same_owner(o, p) for p in pledgors)]
        if missing:
            raise ValidationError(
                f"all co-owners of {patent_id} must pledge together; missing: "
                + ", ".join(missing),
                field="co_pledgors",
            )


def pledge_record(*, db_session: Session, pledge: Pledge) -> PledgeRecord:
    """The registration as a record, its patents by number."""
    items = db_session.scalars(
        select(PledgedPatent)
        .where(PledgedPatent.pledge_id == pledge.id)
        .order_by(PledgedPatent.patent_id)
    )
    return PledgeRecord(
        id=pledge.id,
        loan_id=pledge.loan_id,
        registration_number=pledge.registration_number,
        pledgors=pledge.pledgors,
        pledgee=pledge.pledgee,
        secured_claim=pledge.secured_claim,
        secured_amount=money.from_fen(pledge.secured_amount_fen),
        debt_term=(pledge.debt_start, pledge.debt_end),
        registered_on=pledge.registered_on,
        status=pledge.status,
        patents=[PledgedPatentRecord.model_validate(p) for p in items],
    )


def pledge_records(*, db_session: Session, loan_id: int) -> list[PledgeRecord]:
    """A loan's registrations as records, in the order they were made."""
    return [
        pledge_record(db_session=db_session, pledge=p)
        for p in pledges_of(db_session=db_session, loan_id=loan_id)
    ]


def pledges_of(*, db_session: Session, loan_id: int) -> list[Pledge]:
    return list(
        db_session.scalars(select(Pledge).where(Pledge.loan_id == loan_id).order_by(Pledge.id))
    )


def change_pledge(
    *,
    db_session: Session,
    actor: Actor,
    pledge_id: int,
    secured_amount: object | None,
    debt_end: date | None,
    on_day: date,
) -> Pledge:
    """A change registration (变更): secured amount or debt term."""
    pledge = _get(db_session, pledge_id)
    if pledge.status == "cancelled":
        raise InvalidTransition(f"pledge {pledge.id} is cancelled", field="pledge")
    before = {
        "secured_amount": str(money.from_fen(pledge.secured_amount_fen)),
        "debt_end": pledge.debt_end,
    }
    if secured_amount is not None:
        pledge.secured_amount_fen = money.to_fen(money.amount(secured_amount, "secured_amount"))
    if debt_end is not None:
        if debt_end <= pledge.debt_start:
            raise ValidationError("must be after the debt start", field="debt_end")
        pledge.debt_end = debt_end
    pledge.status = "changed"
    pledge.changed_on = on_day
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.pledge_changed",
        object_type=OBJECT,
        object_id=pledge.id,
        before=before,
        after={
            "secured_amount": str(money.from_fen(pledge.secured_amount_fen)),
            "debt_end": pledge.debt_end,
        },
    )
    return pledge


def cancel_pledge(*, db_session: Session, actor: Actor, pledge_id: int, on_day: date) -> Pledge:
    pledge = _get(db_session, pledge_id)
    if pledge.status == "cancelled":
        raise InvalidTransition(f"pledge {pledge.id} is already cancelled", field="pledge")
    _cancel(db_session, pledge, on_day)
    record_by(
        actor,
        db_session=db_session,
        action="finance.pledge_cancelled",
        object_type=OBJECT,
        object_id=pledge.id,
        after={"cancelled_on": on_day},
    )
    return pledge


def cancel_pledges_of(*, db_session: Session, loan: Loan, on_day: date) -> None:
    """A loan repaid in full releases its pledges (注销)."""
    for pledge in pledges_of(db_session=db_session, loan_id=loan.id):
        if pledge.status != "cancelled":
            _cancel(db_session, pledge, on_day)


def _cancel(db_session: Session, pledge: Pledge, on_day: date) -> None:
    pledge.status = "cancelled"
    pledge.cancelled_on = on_day
    for item in db_session.scalars(
        select(PledgedPatent).where(PledgedPatent.pledge_id == pledge.id)
    ):
        item.active_patent_id = None
    db_session.flush()


def _get(db_session: Session, pledge_id: int) -> Pledge:
    """The pledge, claimed for the change (``registry.concurrency``)."""
    return concurrency.claim_key(db_session, Pledge, pledge_id, what=f"pledge {pledge_id}")


# --------------------------------------------------------------------------- watch


@dataclass(frozen=True)
class WatchReport:
    checked: int
    raised: int
    alerts: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


_WATCH_SQL = """
SELECT w.loan_id, w.patent_id, w.registered_on, e.event_type, e.event_date, e.counterparty
FROM fin_watch w
JOIN events e ON e.patent_id = w.patent_id
WHERE e.event_type IN ('lapsed_unpaid_fees', 'invalidated', 'partially_invalidated',
                       'expired', 'transferred')
  AND e.event_date >= w.registered_on AND e.event_date <= ?
ORDER BY w.loan_id, w.patent_id, e.event_date"""


def watch_collateral(*, db_session: Session, store: CorpusStore, as_of: date) -> WatchReport:
    """Alerts for legal-status events on the patents pledged for open loans since the
    pledge's registration. An alert is raised once (same loan, patent, kind and detail)."""
    rows = db_session.execute(
        select(Pledge.loan_id, PledgedPatent.patent_id, Pledge.registered_on, Loan.organisation_id)
        .join(Pledge, Pledge.id == PledgedPatent.pledge_id)
        .join(Loan, Loan.id == Pledge.loan_id)
        .where(PledgedPatent.active_patent_id.is_not(None))
    ).all()
    if not rows:
        return WatchReport(0, 0, [])
    org_of = {r[0]: r[3] for r in rows}
    table = pa.table(
        {
            "loan_id": pa.array([r[0] for r in rows], pa.int64()),
            "patent_id": pa.array([r[1] for r in rows], pa.string()),
            "registered_on": pa.array([r[2] for r in rows], pa.date32()),
        }
    )
    with store.connect() as con:
        con.register("fin_watch", table)
        events = fetch_dicts(con, _WATCH_SQL, [as_of])
    raised = []
    for ev in events:
        detail = f"{ev['event_type']} on {ev['event_date']}" + (
            f" to {ev['counterparty']}" if ev["counterparty"] else ""
        )
        if _raise(
            db_session,
            ev["loan_id"],
            org_of[ev["loan_id"]],
            ev["patent_id"],
            str(ev["event_type"]),
            detail,
            as_of,
        ):
            raised.append(
                {
                    "loan_id": ev["loan_id"],
                    "patent_id": ev["patent_id"],
                    "kind": ev["event_type"],
                    "detail": detail,
                }
            )
    return WatchReport(len(rows), len(raised), raised)


def _raise(
    db_session: Session,
    loan_id: int,
    organisation_id: int | None,
    patent_id: str | None,
    kind: str,
    detail: str,
    day: date,
) -> bool:
    exists = db_session.scalar(
        select(CollateralAlert.id).where(
            CollateralAlert.loan_id == loan_id,
            CollateralAlert.patent_id == patent_id,
            CollateralAlert.kind == kind,
            CollateralAlert.detail == detail,
        )
    )
    if exists:
        return False
    db_session.add(
        CollateralAlert(
            loan_id=loan_id,
            organisation_id=organisation_id,
            patent_id=patent_id,
            kind=kind,
            detail=detail[:500],
            raised_on=day,
            acknowledged=False,
        )
    )
    db_session.flush()
    return True


def revalue(
    *,
    db_session: Session,
    actor: Actor,
    loan_id: int,
    patent_id: str,
    value: object,
    on_day: date,
) -> CollateralAlert | None:
    """A new money value of a pledged patent; an alert when the collateral's value times the
    product's loan-to-value no longer covers the principal outstanding."""
    worth = money.amount(value, "value", allow_zero=True)
    loan = concurrency.claim_key(db_session, Loan, loan_id, what=f"loan {loan_id}")
    item = db_session.scalars(
        select(LoanPatent).where(LoanPatent.loan_id == loan_id, LoanPatent.patent_id == patent_id)
    ).first()
    if item is None:
        raise NotFound(f"{patent_id} is not collateral of loan {loan_id}", field="patent")
    before = str(money.from_fen(item.value_fen))
    item.value_fen = money.to_fen(worth)
    item.value_basis = f"revaluation {on_day}"
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.collateral_revalued",
        object_type="fin_loan",
        object_id=loan.id,
        before={"patent_id": patent_id, "value": before},
        after={"patent_id": patent_id, "value": str(worth)},
    )
    product = db_session.get(Product, loan.product_id)
    assert product is not None
    total = sum(
        (
            money.from_fen(x.value_fen)
            for x in db_session.scalars(select(LoanPatent).where(LoanPatent.loan_id == loan_id))
        ),
        Decimal(0),
    )
    cover = (total * Decimal(product.max_ltv)).quantize(money.FEN)
    outstanding = money.from_fen(loan.amount_fen - loan.principal_repaid_fen)
    if loan.state == LoanState.ACTIVE and cover < outstanding:
        detail = (
            f"collateral value {total} x loan-to-value {product.max_ltv} = {cover} is below "
            f"the principal outstanding {outstanding}"
        )
        _raise(db_session, loan.id, loan.organisation_id, patent_id, "cover", detail, on_day)
        return db_session.scalars(
            select(CollateralAlert).where(
                CollateralAlert.loan_id == loan.id,
                CollateralAlert.kind == "cover",
                CollateralAlert.detail == detail[:500],
            )
        ).first()
    return None


def alerts_for(
    *, db_session: Session, organisation_id: int | None = None, loan_id: int | None = None
) -> list[CollateralAlert]:
    query = select(CollateralAlert)
    if organisation_id is not None:
        query = query.where(CollateralAlert.organisation_id == organisation_id)
    if loan_id is not None:
        query = query.where(CollateralAlert.loan_id == loan_id)
    return list(db_session.scalars(query.order_by(CollateralAlert.id.desc()).limit(500)))


def alert_records(*, db_session: Session, loan_id: int) -> list[AlertRecord]:
    """A loan's collateral alerts as records, newest first."""
    return [
        AlertRecord.model_validate(a) for a in alerts_for(db_session=db_session, loan_id=loan_id)
    ]


# --------------------------------------------------------------------------- for valuation


class RegistryPledgeAmounts:
    """``ipops.valuation.highvalue.PledgeAmounts`` from the finance registry: each patent's
    largest secured amount among its registered (and changed, or since cancelled) pledges."""

    def __init__(self, db_session: Session) -> None:
        self.db_session = db_session

    def amounts(self) -> Mapping[str, Decimal]:
        rows = self.db_session.execute(
            select(PledgedPatent.patent_id, Pledge.secured_amount_fen).join(
                Pledge, Pledge.id == PledgedPatent.pledge_id
            )
        ).all()
        found: dict[str, int] = {}
        for patent_id, fen in rows:
            found[patent_id] = max(fen, found.get(patent_id, 0))
        return {k: money.from_fen(v) for k, v in found.items()}
