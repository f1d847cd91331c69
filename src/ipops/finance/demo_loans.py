"""The demo programme's loan book (DEMO DATA ONLY), for ``ipops.finance.demo``.

Two parts. The history (2021-2023): loans applied for, pledged, disbursed and repaid in
full, or defaulted and written off with a risk that falls with patent value and with
portfolio size x equity, so the probability-of-default model has something to find. The
current book, dated back from the demo's as-of date ``AS_OF``: applications awaiting the
bank (the last weeks), approved loans awaiting pledge registration, refused and withdrawn
ones, loans repaying on schedule (most of the book), a few in arrears, and loans repaid in
the last two years. Then the policy funds: compensation of loans 60+ days past due, risk
subsidies, a disposal.

Each enterprise that can borrow takes one current loan (``CURRENT_LOANS`` at most); an
enterprise rated below a product's minimum grade or asking more or longer than the product
lends for is fitted to it as an applicant does on the matching page (most demo borrowers are
rated B and take the smaller 科创积分贷), so the book has loans in every state whatever the
corpus size.

Interest rates: the same-term reference rate of the application day from the published
table (``finance/data/reference_rates.csv``); a loan dated after the table's last published
change is given that last rate explicitly, as an operator does with ``--benchmark-rate``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor
from ipops.corpus.store import CorpusStore
from ipops.errors import IpopsError
from ipops.finance import (
    applications,
    claims,
    loan_book,
    pledges,
    rates,
    rating_book,
)
from ipops.finance.arrears import run_arrears
from ipops.finance.loans import Action, LoanState
from ipops.finance.models import Bank, Enterprise, EnterprisePatent, Loan, PledgedPatent, Product
from ipops.finance.patents import patent_facts, same_owner
from ipops.finance.policy import load_policy
from ipops.finance.rating import grade_at_least

AS_OF = date(2026, 9, 30)  # the demo's "today": ratings, arrears and claims are as of it
RATES_PUBLISHED_TO = date(2025, 5, 20)  # the last change in the built-in reference table
HISTORY_LOANS = 150  # attempts; enterprises without a pledgeable patent get none
CURRENT_LOANS = 120  # at most; every enterprise that can borrow is tried, one loan each
# The plans of the current loans, in turn (an enterprise with no pledgeable patent or no
# product for its rating takes no turn): most of a current book repays on schedule; about
# one loan in twelve is in arrears; some were repaid; one in eight waits for the bank.
PLANS = (
    "active", "submitted", "active", "late", "closed", "active",
    "approved", "rejected", "active", "submitted", "active", "closed",
    "active", "withdrawn", "undo", "late", "approved", "submitted",
    "closed", "active", "active", "active", "active", "active",
)  # fmt: skip
SECOND_CHOICE = 0.3  # how often an applicant takes the second cheapest product that fits
ADJUSTABLE = ("amount", "term", "ltv")  # product checks an applicant meets by asking less


def _on(day: date) -> Callable[[int], date]:
    """The same application day whatever the term."""
    return lambda _term: day


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
        self.owned: dict[int, list[str]] | None = None  # read on the first application
        self.grades = set(session.scalars(select(Product.min_grade)))

    # ---- one loan through its first steps
    def _benchmark(self, day: date, term: int) -> Decimal:
        loan_date = min(day, RATES_PUBLISHED_TO)
        found = rates.reference_rate(
            self.table, rates.ReferenceRule(), loan_date=loan_date, term_months=term
        )
        return found.rate

    def _apply(
        self, e: Enterprise, terms: tuple[int, ...], when: Callable[[int], date]
    ) -> Loan | None:
        """A loan application of ``e`` for one of ``terms``, on the day ``when(term)``; as an
        applicant does on the matching page, the amount and term are fitted to the product
        the enterprise's rating qualifies for when the first wish fits none. None when ``e``
        has no pledgeable patent of its own or no product would take it."""
        offered = self._offered(e)
        if not offered:
            return None
        values = [Decimal(self.rng.randint(8, 60) * 100_000) for _ in offered]
        collateral = [
            applications.Collateral(p, value=v) for p, v in zip(offered, values, strict=True)
        ]
        term = self.rng.choice(terms)
        wish = self._amount(sum(values, Decimal(0)))
        chosen = self._fitted(e, collateral, wish, term)
        if chosen is None:
            return None
        app, product_id = chosen
        day = when(app.term_months)
        return applications.submit(
            db_session=self.s,
            actor=self.actor,
            application=app,
            product_id=product_id,
            applied_on=day,
            benchmark_rate=self._benchmark(day, app.term_months),
        )

    def _offered(self, e: Enterprise) -> list[str]:
        """Up to three of ``e``'s in-force patents it owns alone, not pledged already; none
        when its rating is below every product's minimum grade."""
        if self.owned is None:
            self.owned = self._owned_patents()
        latest = rating_book.latest_rating(db_session=self.s, enterprise_id=e.id)
        if latest is None or not any(grade_at_least(latest.grade, g) for g in self.grades):
            return []
        taken = set(self.s.scalars(select(PledgedPatent.active_patent_id)))
        return [pid for pid in self.owned.get(e.id, []) if pid not in taken][:3]

    def _owned_patents(self) -> dict[int, list[str]]:
        """Each enterprise's pledgeable patents (in force, owned by it alone), in number order:
        one corpus query for the whole book (links and legal status do not change while it
        is written)."""
        links = self.s.scalars(
            select(EnterprisePatent)
            .where(EnterprisePatent.status == "confirmed")
            .order_by(EnterprisePatent.enterprise_id, EnterprisePatent.patent_id)
        ).all()
        names = {i: str(n) for i, n in self.s.execute(select(Enterprise.id, Enterprise.name))}
        facts = patent_facts(self.store, [x.patent_id for x in links])
        owned: dict[int, list[str]] = {}
        for link in links:
            fact = facts.get(link.patent_id)
            name = names[link.enterprise_id]
            if fact and fact.pledgeable and all(same_owner(o, name) for o in fact.owners):
                owned.setdefault(link.enterprise_id, []).append(link.patent_id)
        return owned

    def _prepared(
        self,
        e: Enterprise,
        collateral: list[applications.Collateral],
        amount: Decimal,
        term: int,
    ) -> applications.Application | None:
        try:
            return applications.prepare_application(
                db_session=self.s,
                store=self.store,
                enterprise=e,
                amount=str(amount),
                term_months=term,
                offered=collateral,
            )
        except IpopsError:
            return None

    def _fitted(
        self,
        e: Enterprise,
        collateral: list[applications.Collateral],
        amount: Decimal,
        term: int,
    ) -> tuple[applications.Application, int] | None:
        """The application and the product chosen: the cheapest that fits (now and then the
        next cheapest, as applicants compare banks), or else the first product that only
        the amount, term or loan-to-value keep out, with the amount and term brought within
        its limits."""
        app = self._prepared(e, collateral, amount, term)
        if app is None:
            return None
        matches = applications.match_products(
            db_session=self.s, application=app, benchmark_rate=self._benchmark(AS_OF, term)
        )
        fits = [m for m in matches if m.fits]
        if fits:
            pick = fits[1] if len(fits) > 1 and self.rng.random() < SECOND_CHOICE else fits[0]
            return app, pick.product.product_id
        for m in matches:
            if not all(c.ok or c.code in ADJUSTABLE for c in m.checks):
                continue
            p = m.product
            cap = min(p.max_amount, app.collateral_value * p.max_ltv)
            floor = (cap / 10_000).quantize(Decimal(1), ROUND_FLOOR) * 10_000
            fitted = min(max(amount, p.min_amount), floor)
            if fitted < p.min_amount:
                continue
            within = min(max(term, p.min_term_months), p.max_term_months)
            return replace(app, amount=fitted, term_months=within), p.product_id
        return None

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
            loan = self._apply(e, (6, 12, 12, 24, 36), _on(applied))
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
        for e in enterprises:
            if made == CURRENT_LOANS:
                break
            made += self._current_loan(e, PLANS[made % len(PLANS)])
        run_arrears(db_session=self.s, as_of=AS_OF)

    def _days_back(self, low: int, high: int) -> date:
        return AS_OF - timedelta(days=self.rng.randint(low, high))

    def _back(self, low: Callable[[int], int], high: Callable[[int], int]) -> Callable[[int], date]:
        """The day of an application between ``low(term)`` and ``high(term)`` days back."""
        return lambda term: self._days_back(low(term), max(low(term), high(term)))

    def _current_loan(self, e: Enterprise, plan: str) -> bool:
        """A loan of ``e`` following ``plan``; False when ``e`` could not apply."""
        rng = self.rng
        loan: Loan | None
        if plan == "submitted":  # waiting for the bank: applied in the last three weeks
            loan = self._apply(e, (12, 24, 36), self._back(lambda _: 2, lambda _: 21))
        elif plan in ("rejected", "withdrawn"):
            loan = self._apply(e, (12, 24), self._back(lambda _: 40, lambda _: 300))
            if loan is not None:
                decided = loan.applied_on + timedelta(days=rng.randint(5, 15))
                self._do(loan, Action.REJECT if plan == "rejected" else Action.WITHDRAW, decided)
        elif plan == "approved":  # approved, pledge registration and disbursement to come
            loan = self._apply(e, (12, 24, 36), self._back(lambda _: 16, lambda _: 30))
            if loan is not None:
                self._do(loan, Action.APPROVE, loan.applied_on + timedelta(days=rng.randint(5, 12)))
        elif plan == "closed":  # repaid in the last two years
            loan = self._apply(
                e, (6, 12), self._back(lambda t: t * 31 + 60, lambda t: t * 31 + 420)
            )
            if loan is not None:
                self._pledge_and_disburse(loan, loan.applied_on)
                self._pay_until(loan, AS_OF)
        elif plan == "late":  # repaid on schedule until one to four months ago, nothing since
            loan = self._apply(e, (12, 24), self._back(lambda _: 240, lambda _: 330))
            if loan is not None:
                self._pledge_and_disburse(loan, loan.applied_on)
                self._pay_until(loan, self._days_back(35, 125))
        else:  # "active" or "undo": repaying on schedule, maturing after AS_OF
            loan = self._apply(e, (12, 24, 24, 36), self._back(lambda _: 60, lambda t: t * 30 - 90))
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
