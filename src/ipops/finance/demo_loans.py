"""The demo programme's loan book (DEMO DATA ONLY), for ``ipops.finance.demo``.

Two parts. The history (2021-2023): loans applied for, pledged, disbursed and repaid in
full, or defaulted and written off with a risk that falls with patent value and with
portfolio size x equity, so the probability-of-default model has something to find. The
current book, dated back from the demo's as-of date ``AS_OF``: applications awaiting the
bank (the last weeks), approved loans awaiting pledge registration, refused and withdrawn
ones, loans repaying on schedule (most of the book), a few in arrears, and loans repaid in
the last two years. Then the policy funds: compensation of loans 60+ days past due, risk
subsidies, a disposal.

Interest rates: the same-term reference rate of the application day from the published
table (``finance/data/reference_rates.csv``); a loan dated after the table's last published
change is given that last rate explicitly, as an operator does with ``--benchmark-rate``.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor
from ipops.corpus.store import CorpusStore
from ipops.errors import IpopsError
from ipops.finance import (
    applications,
    claims,
    enterprise_book,
    loan_book,
    pledges,
    rates,
    rating_book,
)
from ipops.finance.arrears import run_arrears
from ipops.finance.loans import Action, LoanState
from ipops.finance.models import Bank, Enterprise, Loan, PledgedPatent
from ipops.finance.patents import patent_facts, same_owner
from ipops.finance.policy import load_policy

AS_OF = date(2026, 9, 30)  # the demo's "today": ratings, arrears and claims are as of it
RATES_PUBLISHED_TO = date(2025, 5, 20)  # the last change in the built-in reference table
HISTORY_LOANS = 150  # attempts; enterprises without a pledgeable patent get none
CURRENT_LOANS = 120
# The plans of the current loans, in turn (an enterprise with no pledgeable patent takes no
# turn): most of a current book repays on schedule; about one loan in twenty is in arrears;
# some were repaid; some wait for the bank.
PLANS = (
    "active", "submitted", "active", "late", "closed", "active",
    "approved", "rejected", "active", "active", "submitted", "closed",
    "active", "withdrawn", "undo", "active", "approved", "active",
    "closed", "active", "submitted", "active", "active", "active",
)  # fmt: skip


class LoanBook:
    """Builds the demo loans through the finance services (flush only)."""

    def __init__(
        self,
        session: Session,
        store: CorpusStore,
        actor: Actor,
        rng: random.Random,
    ) -> None:
        self.s, self.store, self.actor, self.rng = session, store, actor, rng
        self.registration = 0
        self.table = rates.load_table()

    # ---- one loan through its first steps
    def _benchmark(self, day: date, term: int) -> Decimal:
        loan_date = min(day, RATES_PUBLISHED_TO)
        found = rates.reference_rate(
            self.table, rates.ReferenceRule(), loan_date=loan_date, term_months=term
        )
        return found.rate

    def _apply(self, e: Enterprise, day: date, term: int) -> Loan | None:
        links = enterprise_book.links_of(db_session=self.s, enterprise_id=e.id, status="confirmed")
        if not links:
            return None
        facts = {
            f.patent_id: f
            for f in patent_facts(self.store, [x.patent_id for x in links]).values()
            if f.pledgeable and all(same_owner(o, e.name) for o in f.owners)
        }
        taken = set(self.s.scalars(select(PledgedPatent.active_patent_id)))
        offered = [pid for pid in sorted(facts) if pid not in taken][:3]
        if not offered:
            return None
        values = [Decimal(self.rng.randint(8, 60) * 100_000) for _ in offered]
        benchmark = self._benchmark(day, term)
        try:
            app = applications.prepare_application(
                db_session=self.s,
                store=self.store,
                enterprise=e,
                amount=str(self._amount(sum(values, Decimal(0)))),
                term_months=term,
                offered=[
                    applications.Collateral(p, value=v)
                    for p, v in zip(offered, values, strict=True)
                ],
            )
        except IpopsError:
            return None
        matches = applications.match_products(
            db_session=self.s, application=app, benchmark_rate=benchmark
        )
        fits = [m for m in matches if m.fits]
        if not fits:
            return None
        return applications.submit(
            db_session=self.s,
            actor=self.actor,
            application=app,
            product_id=fits[0].product.product_id,
            applied_on=day,
            benchmark_rate=benchmark,
        )

    def _amount(self, collateral: Decimal) -> Decimal:
        share = Decimal(self.rng.randint(20, 40)) / 100
        return max((collateral * share / 10_000).quantize(Decimal(1)) * 10_000, Decimal(300_000))

    def _do(self, loan: Loan, action: Action, day: date) -> None:
        loan_book.act(
            db_session=self.s, actor=self.actor, loan_id=loan.id, action=action, on_day=day
        )

    def _pledge_and_disburse(self, loan: Loan, applied: date) -> date:
        approved = applied + timedelta(days=self.rng.randint(8, 20))
        self._do(loan, Action.APPROVE, approved)
        self.registration += 1
        registered = approved + timedelta(days=self.rng.randint(2, 7))
        pledges.register_pledge(
            db_session=self.s,
            store=self.store,
            actor=self.actor,
            loan_id=loan.id,
            registered_on=registered,
            registration_number=f"Y{registered.year}320000{self.registration:05d}",
        )
        disbursed = registered + timedelta(days=self.rng.randint(2, 8))
        self._do(loan, Action.DISBURSE, disbursed)
        return disbursed

    def _pay_until(self, loan: Loan, stop: date) -> None:
        for line in loan_book.schedule_of(db_session=self.s, loan_id=loan.id):
            if line.due_on > stop or loan.state != LoanState.ACTIVE:
                break
            owed = (
                line.principal_fen
                + line.interest_fen
                - line.paid_principal_fen
                - line.paid_interest_fen
            )
            if owed:
                loan_book.repay(
                    db_session=self.s,
                    actor=self.actor,
                    loan_id=loan.id,
                    amount=str(Decimal(owed) / 100),
                    paid_on=line.due_on,
                )

    # ---- the platform's history: closed and defaulted loans
    def history(self, enterprises: list[Enterprise]) -> set[int]:
        defaulted: set[int] = set()
        for e in enterprises[:HISTORY_LOANS]:
            applied = date(2021, 1, 4) + timedelta(days=self.rng.randint(0, 540))
            loan = self._apply(e, applied, self.rng.choice((6, 12, 12, 24, 36)))
            if loan is None:
                continue
            self._pledge_and_disburse(loan, applied)
            if self.rng.random() < self._risk(e):
                lines = loan_book.schedule_of(db_session=self.s, loan_id=loan.id)
                stop = lines[max(0, len(lines) // 3 - 1)].due_on
                self._pay_until(loan, stop)
                run_arrears(db_session=self.s, as_of=stop + timedelta(days=120))
                self._do(loan, Action.WRITE_OFF, stop + timedelta(days=120))
                defaulted.add(e.id)
            else:
                self._pay_until(loan, date(2100, 1, 1))
        return defaulted

    def _risk(self, e: Enterprise) -> float:
        latest = rating_book.latest_rating(db_session=self.s, enterprise_id=e.id)
        assert latest is not None and e.total_assets_fen and e.equity_fen is not None
        value = float(latest.features.get("pvd_mean") or 0) / 100
        size = math.log1p(float(latest.features.get("in_force") or 0))
        equity = e.equity_fen / e.total_assets_fen
        z = 1.2 - 4 * value - 1.2 * size * equity - 1.5 * equity
        return 1 / (1 + math.exp(-z))

    # ---- the current book, dated back from AS_OF
    def current(self, enterprises: list[Enterprise]) -> None:
        made = 0
        for e in enterprises[:CURRENT_LOANS]:
            made += self._current_loan(e, PLANS[made % len(PLANS)])
        run_arrears(db_session=self.s, as_of=AS_OF)

    def _days_back(self, low: int, high: int) -> date:
        return AS_OF - timedelta(days=self.rng.randint(low, high))

    def _current_loan(self, e: Enterprise, plan: str) -> bool:
        """A loan of ``e`` following ``plan``; False when ``e`` could not apply."""
        rng = self.rng
        loan: Loan | None
        if plan == "submitted":  # waiting for the bank: applied in the last three weeks
            loan = self._apply(e, self._days_back(2, 21), rng.choice((12, 24, 36)))
        elif plan in ("rejected", "withdrawn"):
            loan = self._apply(e, self._days_back(40, 300), rng.choice((12, 24)))
            if loan is not None:
                decided = loan.applied_on + timedelta(days=rng.randint(5, 15))
                self._do(loan, Action.REJECT if plan == "rejected" else Action.WITHDRAW, decided)
        elif plan == "approved":  # approved, pledge registration and disbursement to come
            loan = self._apply(e, self._days_back(16, 30), rng.choice((12, 24, 36)))
            if loan is not None:
                self._do(loan, Action.APPROVE, loan.applied_on + timedelta(days=rng.randint(5, 12)))
        elif plan == "closed":  # repaid in the last two years
            term = rng.choice((6, 12))
            loan = self._apply(e, self._days_back(term * 31 + 60, term * 31 + 420), term)
            if loan is not None:
                self._pledge_and_disburse(loan, loan.applied_on)
                self._pay_until(loan, AS_OF)
        elif plan == "late":  # repaid on schedule until a few months ago, nothing since
            term = rng.choice((12, 24))
            loan = self._apply(e, self._days_back(240, 330), term)
            if loan is not None:
                self._pledge_and_disburse(loan, loan.applied_on)
                self._pay_until(loan, self._days_back(95, 125))
        else:  # "active" or "undo": repaying on schedule, maturing after AS_OF
            term = rng.choice((12, 24, 24, 36))
            loan = self._apply(e, self._days_back(60, term * 30 - 90), term)
            if loan is not None:
                if plan == "undo":
                    day = loan.applied_on + timedelta(days=rng.randint(3, 6))
                    self._do(loan, Action.APPROVE, day)
                    self._do(loan, Action.UNDO_APPROVAL, day)
                self._pledge_and_disburse(loan, loan.applied_on)
                self._pay_until(loan, AS_OF)
        return loan is not None

    # ---- policy funds, disposal, the PD model
    def funds(self) -> float | None:
        policy = load_policy()
        late = self.s.scalars(
            select(Loan).where(Loan.state == LoanState.ACTIVE, Loan.days_past_due >= 60)
        ).all()
        for loan in late:
            try:
                claims.claim_compensation(
                    db_session=self.s,
                    actor=self.actor,
                    loan_id=loan.id,
                    policy=policy,
                    on_day=AS_OF,
                )
            except IpopsError:
                continue  # not a policy loan (size or rate): no compensation
        for bank in self.s.scalars(select(Bank)).all():
            for year in range(2021, AS_OF.year + 1):
                claims.claim_subsidies(
                    db_session=self.s, actor=self.actor, bank=bank, year=year, policy=policy
                )
        written_off = self.s.scalars(
            select(Loan).where(Loan.state == LoanState.WRITTEN_OFF).order_by(Loan.id).limit(2)
        ).all()
        for number, loan in enumerate(written_off):
            listed = claims.list_for_disposal(
                db_session=self.s,
                actor=self.actor,
                loan_id=loan.id,
                method="sale",
                on_day=AS_OF,
                policy=policy,
            )
            if number == 0:
                outstanding = Decimal(loan.amount_fen - loan.principal_repaid_fen) / 100
                claims.realise(
                    db_session=self.s,
                    actor=self.actor,
                    disposal_id=listed.id,
                    proceeds=str((outstanding * Decimal("0.4")).quantize(Decimal("0.01"))),
                    on_day=AS_OF + timedelta(days=20),
                )
        try:
            return rating_book.fit_default_model(db_session=self.s, actor=self.actor).auc
        except IpopsError:
            return None
