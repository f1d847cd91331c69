"""Finance services: enterprises and their patents, ratings, banks and products, matching,
applications and the loan lifecycle, repayments and the daily arrears run.

Services take an explicit session and only ``flush()``: the transaction belongs to the edge
(CLI command, API request). Every check runs before the first write, so a refused request
stores nothing. State changes are audited (``ipops.audit``).

Concurrency (``ipops.registry.concurrency``, docs/architecture.md): every state change
first claims its loan (or bank, link), then checks, then writes; a request that waited is
judged on what the first one committed. A loan's state change is, besides, a conditional
``UPDATE ... WHERE state = <expected> AND version = <read>``: should anything change the
loan without the claim, the update touches no row and the late decision is refused naming
the loan's new state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.corpus.queries import fetch_dicts
from ipops.corpus.store import CorpusStore
from ipops.errors import Conflict, InvalidTransition, NotFound, ValidationError
from ipops.finance import balances, compensation, money, patents, rates, rating, schedules
from ipops.finance.enterprises import (
    Financials,
    check_credit_code,
    check_region,
    check_size,
)
from ipops.finance.loans import (
    MANUAL_ACTIONS,
    Action,
    LoanState,
    allowed_actions,
    arrears_bucket,
    next_state,
)
from ipops.finance.matching import Match, ProductTerms, Request, match
from ipops.finance.models import (
    Bank,
    BankBalance,
    Enterprise,
    EnterprisePatent,
    Loan,
    LoanEvent,
    LoanPatent,
    PdFit,
    PledgedPatent,
    Product,
    Rating,
    Repayment,
    ScheduleLine,
)
from ipops.finance.pd_model import Observation, PdModel, fit
from ipops.finance.policy import Policy, load_policy
from ipops.registry import concurrency
from ipops.valuation import service as valuation
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.money import relief_from_royalty
from ipops.valuation.schemes import load_scheme

RATING_SCHEME = "finance_rating"  # no pledge, no remaining term (rating.py)
MIN_COHORT = 20
OBJECT = "fin_loan"


def _now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- enterprises


def register_enterprise(
    *,
    db_session: Session,
    actor: Actor,
    name: str,
    credit_code: str,
    region: str,
    industry: str,
    size: str,
    financials: Financials | None = None,
    organisation_id: int | None = None,
) -> Enterprise:
    code = check_credit_code(credit_code)
    if not name.strip():
        raise ValidationError("must not be empty", field="name")
    figures = financials or Financials()
    figures.check()
    if db_session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code)):
        raise Conflict(
            f"an enterprise with credit code {code} is already registered", field="credit_code"
        )
    enterprise = Enterprise(
        name=name.strip(),
        credit_code=code,
        region=check_region(region),
        industry=industry.strip() or "unknown",
        size_class=check_size(size).value,
        organisation_id=organisation_id,
        total_assets_fen=_fen_or_none(figures.total_assets),
        equity_fen=_fen_or_none(figures.equity),
        revenue_fen=_fen_or_none(figures.revenue),
        created_at=_now(),
    )
    db_session.add(enterprise)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.enterprise_registered",
        object_type="fin_enterprise",
        object_id=enterprise.id,
        after=enterprise_dict(enterprise),
    )
    return enterprise


def _fen_or_none(value: Decimal | None) -> int | None:
    return None if value is None else money.to_fen(value)


def enterprise_dict(e: Enterprise) -> dict[str, Any]:
    def fen(v: int | None) -> str | None:
        return None if v is None else str(money.from_fen(v))

    return {
        "id": e.id,
        "name": e.name,
        "credit_code": e.credit_code,
        "region": e.region,
        "industry": e.industry,
        "size": e.size_class,
        "organisation_id": e.organisation_id,
        "total_assets": fen(e.total_assets_fen),
        "equity": fen(e.equity_fen),
        "revenue": fen(e.revenue_fen),
    }


def get_enterprise(*, db_session: Session, key: int | str) -> Enterprise:
    """By id, or by credit code."""
    if isinstance(key, int) or (str(key).isdigit() and len(str(key)) < 18):
        found = db_session.get(Enterprise, int(key))
    else:
        found = db_session.scalars(
            select(Enterprise).where(Enterprise.credit_code == str(key).upper())
        ).first()
    if found is None:
        raise NotFound(f"no enterprise {key}", field="enterprise")
    return found


def list_enterprises(*, db_session: Session, limit: int = 1000) -> list[Enterprise]:
    return list(db_session.scalars(select(Enterprise).order_by(Enterprise.id).limit(limit)))


@dataclass(frozen=True)
class LinkReport:
    enterprise_id: int
    confirmed: int
    pending: int
    already: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def link_patents(
    *, db_session: Session, store: CorpusStore, actor: Actor, enterprise: Enterprise
) -> LinkReport:
    """Link the enterprise to its patents: same harmonised name confirmed at once, similar
    names pending review (``review_link``). Links already made are kept as they are."""
    with store.connect() as con:
        found = patents.candidates_for(con, enterprise.name)
    known = set(
        db_session.scalars(
            select(EnterprisePatent.patent_id).where(
                EnterprisePatent.enterprise_id == enterprise.id
            )
        )
    )
    rows = [
        {
            "enterprise_id": enterprise.id,
            "patent_id": c.patent_id,
            "party_name": c.party_name[:300],
            "match": "exact" if c.exact else "similar",
            "similarity": round(c.similarity, 4),
            "status": "confirmed" if c.exact else "pending",
        }
        for c in found
        if c.patent_id not in known
    ]
    if rows:
        db_session.execute(insert(EnterprisePatent), rows)
    report = LinkReport(
        enterprise_id=enterprise.id,
        confirmed=sum(r["status"] == "confirmed" for r in rows),
        pending=sum(r["status"] == "pending" for r in rows),
        already=len(known),
    )
    record_by(
        actor,
        db_session=db_session,
        action="finance.patents_linked",
        object_type="fin_enterprise",
        object_id=enterprise.id,
        after=report.as_dict(),
    )
    return report


def review_link(
    *, db_session: Session, actor: Actor, link_id: int, accept: bool
) -> EnterprisePatent:
    link = concurrency.claim_key(db_session, EnterprisePatent, link_id, what=f"link {link_id}")
    before = link.status
    link.status = "confirmed" if accept else "rejected"
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.link_reviewed",
        object_type="fin_enterprise_patent",
        object_id=link.id,
        before={"status": before},
        after={"status": link.status},
    )
    return link


def add_patent_link(
    *, db_session: Session, actor: Actor, enterprise: Enterprise, patent_id: str, party_name: str
) -> EnterprisePatent:
    """A link made by hand (e.g. a patent acquired by transfer, under another name)."""
    link = EnterprisePatent(
        enterprise_id=enterprise.id,
        patent_id=patent_id,
        party_name=party_name[:300],
        match="manual",
        similarity=1.0,
        status="confirmed",
    )
    db_session.add(link)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.link_added",
        object_type="fin_enterprise_patent",
        object_id=link.id,
        after={"enterprise_id": enterprise.id, "patent_id": patent_id},
    )
    return link


def links_of(
    *, db_session: Session, enterprise_id: int, status: str | None = None
) -> list[EnterprisePatent]:
    query = select(EnterprisePatent).where(EnterprisePatent.enterprise_id == enterprise_id)
    if status:
        query = query.where(EnterprisePatent.status == status)
    return list(db_session.scalars(query.order_by(EnterprisePatent.patent_id)))


# --------------------------------------------------------------------------- ratings


@dataclass(frozen=True)
class RatingRun:
    rated: int
    by_grade: dict[str, int]
    inputs: dict[str, Any]
    seconds_scores: float
    seconds_rating: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def rate_enterprises(
    *,
    db_session: Session,
    store: CorpusStore,
    valuation_root: Path,
    actor: Actor,
    as_of: date,
    enterprise_ids: Sequence[int] | None = None,
    engine: valuation.EngineSettings | None = None,
) -> RatingRun:
    """Rate enterprises (all, or the given ones) from their confirmed patents, set-wise."""
    import time

    start = time.perf_counter()
    run = valuation.ensure_scores(
        store,
        valuation_root,
        load_scheme(RATING_SCHEME),
        IndicatorOptions(as_of=as_of, min_cohort=MIN_COHORT),
        db_session=db_session,
        engine=engine,
    )
    scored = time.perf_counter()
    links = _links_table(db_session, enterprise_ids)
    inputs = {
        "corpus_snapshot": run.snapshot_id,
        "valuation_run": run.run_id,
        "valuation_scheme": run.scheme,
        "rating_model": rating.MODEL_VERSION,
        "as_of": as_of.isoformat(),
    }
    rows = _rating_rows(store, run, links, _pledged_table(db_session), as_of)
    rated_at = _now()
    records: list[dict[str, Any]] = [
        {
            "enterprise_id": int(r["enterprise_id"]),
            "rated_at": rated_at,
            "as_of": as_of,
            "score": float(r["score"]),
            "grade": str(r["grade"]),
            "features": {k: _plain(r[k]) for k in rating.FEATURES},
            "components": {k: round(float(r[f"c_{k}"]), 4) for k in rating.WEIGHTS},
            "alerts": rating.alerts_of(r),
            "inputs": inputs,
        }
        for r in rows
    ]
    records.extend(_unlinked_ratings(db_session, enterprise_ids, links, rated_at, as_of, inputs))
    if records:
        db_session.execute(insert(Rating), records)
    by_grade: dict[str, int] = {}
    for record in records:
        grade = str(record["grade"])
        by_grade[grade] = by_grade.get(grade, 0) + 1
    result = RatingRun(
        len(records),
        dict(sorted(by_grade.items(), key=lambda kv: rating.GRADE_ORDER.index(kv[0]))),
        inputs,
        round(scored - start, 3),
        round(time.perf_counter() - scored, 3),
    )
    record_by(
        actor,
        db_session=db_session,
        action="finance.rated",
        object_type="fin_rating",
        after={"rated": result.rated, "by_grade": result.by_grade, **inputs},
    )
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    return value


def _links_table(db_session: Session, enterprise_ids: Sequence[int] | None) -> pa.Table:
    query = select(EnterprisePatent.enterprise_id, EnterprisePatent.patent_id).where(
        EnterprisePatent.status == "confirmed"
    )
    if enterprise_ids is not None:
        query = query.where(EnterprisePatent.enterprise_id.in_(list(enterprise_ids)))
    rows = db_session.execute(query).all()
    return pa.table(
        {
            "enterprise_id": pa.array([r[0] for r in rows], pa.int64()),
            "patent_id": pa.array([r[1] for r in rows], pa.string()),
        }
    )


def _pledged_table(db_session: Session) -> pa.Table:
    ids = db_session.scalars(
        select(PledgedPatent.active_patent_id).where(PledgedPatent.active_patent_id.is_not(None))
    ).all()
    return pa.table({"patent_id": pa.array(list(ids), pa.string())})


def _rating_rows(
    store: CorpusStore, run: valuation.ScoreRun, links: pa.Table, pledged: pa.Table, as_of: date
) -> list[dict[str, Any]]:
    with store.connect() as con:
        con.register("rt_links", links)
        con.register("rt_pledged", pledged)
        ind, scores = _sql_path(run.indicators_path), _sql_path(run.scores_path)
        con.execute(f"CREATE TEMP VIEW rt_ind AS SELECT * FROM read_parquet('{ind}')").fetchall()
        con.execute(
            f"CREATE TEMP VIEW rt_scores AS SELECT patent_id, pvd FROM read_parquet('{scores}')"
        ).fetchall()
        day = f"DATE '{as_of.isoformat()}'"
        features = f"({rating.features_sql(day)})"
        return fetch_dicts(con, rating.score_sql(features))


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _unlinked_ratings(
    db_session: Session,
    enterprise_ids: Sequence[int] | None,
    links: pa.Table,
    rated_at: datetime,
    as_of: date,
    inputs: dict[str, Any],
) -> list[dict[str, Any]]:
    """Enterprises without any confirmed patent are rated too (score from no patents)."""
    linked = set(links.column("enterprise_id").to_pylist())
    query = select(Enterprise.id)
    if enterprise_ids is not None:
        query = query.where(Enterprise.id.in_(list(enterprise_ids)))
    empty = dict.fromkeys(rating.FEATURES, 0) | {
        "pvd_mean": None,
        "pvd_top_share": None,
        "remaining_mean": None,
    }
    explained = rating.explain(empty)
    return [
        {
            "enterprise_id": eid,
            "rated_at": rated_at,
            "as_of": as_of,
            "score": explained.score,
            "grade": explained.grade,
            "features": empty,
            "components": {c.name: c.value for c in explained.components},
            "alerts": list(explained.alerts),
            "inputs": inputs,
        }
        for eid in db_session.scalars(query)
        if eid not in linked
    ]


def latest_rating(*, db_session: Session, enterprise_id: int) -> Rating | None:
    return db_session.scalars(
        select(Rating)
        .where(Rating.enterprise_id == enterprise_id)
        .order_by(Rating.id.desc())
        .limit(1)
    ).first()


def rating_card(*, db_session: Session, enterprise: Enterprise) -> dict[str, Any]:
    found = latest_rating(db_session=db_session, enterprise_id=enterprise.id)
    if found is None:
        raise NotFound(
            f"enterprise {enterprise.id} has no rating yet; run `ipops finance rate`",
            field="enterprise",
        )
    explained = rating.explain(found.features)
    card = {
        "enterprise": enterprise_dict(enterprise),
        "rating_id": found.id,
        "rated_at": found.rated_at,
        "as_of": found.as_of,
        "score": found.score,
        "grade": found.grade,
        "components": explained.as_dict()["components"],
        "alerts": found.alerts,
        "inputs": found.inputs,
        "features": found.features,
        "financial_inputs": rating.financial_inputs(
            total_assets_fen=enterprise.total_assets_fen,
            equity_fen=enterprise.equity_fen,
            revenue_fen=enterprise.revenue_fen,
        ),
    }
    card["default_probability"] = default_probability(
        db_session=db_session, enterprise=enterprise, features=found.features
    )
    return card


# --------------------------------------------------------------------------- PD model


def observation_of(
    enterprise: Enterprise, features: Mapping[str, Any], defaulted: bool = False
) -> Observation | None:
    if not enterprise.total_assets_fen or enterprise.equity_fen is None:
        return None
    return Observation(
        pvd_mean=None if features.get("pvd_mean") is None else float(features["pvd_mean"]),
        patents_in_force=int(features.get("in_force") or 0),
        equity_ratio=enterprise.equity_fen / enterprise.total_assets_fen,
        total_assets=enterprise.total_assets_fen / 100,
        defaulted=defaulted,
    )


def loan_history(*, db_session: Session) -> list[Observation]:
    """Loans with a known outcome: closed (0), written off or ever 90 days past due (1)."""
    query = (
        select(Loan, Enterprise, Rating)
        .join(Enterprise, Enterprise.id == Loan.enterprise_id)
        .join(Rating, Rating.id == Loan.rating_id)
        .where(Loan.state.in_([LoanState.CLOSED, LoanState.WRITTEN_OFF, LoanState.ACTIVE]))
    )
    found = []
    for loan, enterprise, rated in db_session.execute(query).all():
        defaulted = loan.state == LoanState.WRITTEN_OFF or loan.max_days_past_due >= 90
        if loan.state == LoanState.ACTIVE and not defaulted:
            continue  # outcome not known yet
        o = observation_of(enterprise, rated.features, defaulted)
        if o is not None:
            found.append(o)
    return found


def fit_default_model(*, db_session: Session, actor: Actor) -> PdModel:
    model = fit(loan_history(db_session=db_session))
    db_session.add(PdFit(fitted_at=_now(), model=model.as_dict()))
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.pd_model_fitted",
        object_type="fin_pd_model",
        after=model.as_dict(),
    )
    return model


def current_pd_model(*, db_session: Session) -> PdModel | None:
    found = db_session.scalars(select(PdFit).order_by(PdFit.id.desc()).limit(1)).first()
    return None if found is None else PdModel.from_dict(found.model)


def default_probability(
    *, db_session: Session, enterprise: Enterprise, features: Mapping[str, Any]
) -> dict[str, Any] | None:
    model = current_pd_model(db_session=db_session)
    o = observation_of(enterprise, features)
    if model is None or o is None:
        return None
    return {"probability": round(model.probability(o), 4), "model": model.as_dict()}


# --------------------------------------------------------------------------- banks, products


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


def set_balance(
    *,
    db_session: Session,
    actor: Actor,
    bank: Bank,
    year: int,
    weak: Decimal,
    programme: Decimal,
    reason: str = "",
) -> BankBalance:
    """The bank's weak-collateral and total 宁创贷 balances at the end of ``year``, recorded
    by an operator over the loan book's (``balances``); the reason is audited."""
    if weak > programme:
        raise ValidationError(
            "the weak-collateral balance exceeds the programme balance", field="weak"
        )
    concurrency.claim(db_session, bank)  # one row per bank and year, found or made
    found = db_session.scalars(
        select(BankBalance).where(BankBalance.bank_id == bank.id, BankBalance.year == year)
    ).first()
    if found is None:
        found = BankBalance(bank_id=bank.id, year=year)
        db_session.add(found)
    found.weak_collateral_fen = money.to_fen(weak)
    found.programme_fen = money.to_fen(programme)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.balance_set",
        object_type="fin_bank",
        object_id=bank.id,
        after={"year": year, "weak": str(weak), "programme": str(programme), "reason": reason},
    )
    return found


def weak_share(
    *,
    db_session: Session,
    bank_id: int,
    year: int,
    weak_types: frozenset[str] = frozenset({"credit", "ip_pledge"}),
) -> Decimal:
    """The weak-collateral share of the bank's 宁创贷 balance at the end of ``year``: recorded,
    else from the loan book (``balances``); ``ValidationError`` when unknown."""
    return balances.year_end_share(
        db_session=db_session, bank_id=bank_id, year=year, weak_types=weak_types
    ).share


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
        after=product_dict(product),
    )
    return product


def product_dict(p: Product) -> dict[str, Any]:
    return {
        "id": p.id,
        "bank_id": p.bank_id,
        "name": p.name,
        "min_amount": str(money.from_fen(p.min_amount_fen)),
        "max_amount": str(money.from_fen(p.max_amount_fen)),
        "min_term_months": p.min_term_months,
        "max_term_months": p.max_term_months,
        "rate_multiple": p.rate_multiple,
        "min_grade": p.min_grade,
        "regions": p.regions,
        "industries": p.industries,
        "max_ltv": p.max_ltv,
        "method": p.method,
        "collateral": p.collateral,
    }


def list_products(*, db_session: Session) -> list[tuple[Product, Bank]]:
    query = select(Product, Bank).join(Bank, Bank.id == Product.bank_id).where(Product.active)
    return [(p, b) for p, b in db_session.execute(query.order_by(Product.id)).all()]


def _terms(product: Product, bank: Bank) -> ProductTerms:
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


# --------------------------------------------------------------------------- applications


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


def benchmark_for(
    *,
    on: date,
    term_months: int,
    table: rates.RateTable | None = None,
    rule: rates.ReferenceRule | None = None,
) -> Decimal:
    """The same-term reference rate of a loan dated ``on`` (``rates.reference_rate``; the
    built-in table and the default rule unless given)."""
    return rates.reference_rate(
        table or rates.load_table(),
        rule or rates.ReferenceRule(),
        loan_date=on,
        term_months=term_months,
    ).rate


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
    terms = [_terms(p, b) for p, b in list_products(db_session=db_session)]
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
    (``registration``); a claim checks it again."""
    programme = programme or load_policy()
    if benchmark_rate is None:
        benchmark_rate = benchmark_for(
            on=applied_on,
            term_months=application.term_months,
            table=rate_table,
            rule=programme.reference,
        )
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
    [found] = match([_terms(product, bank)], request, benchmark_rate)
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
        ),
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
    _event(db_session, loan, "submit", "", LoanState.SUBMITTED, actor, applied_on, "")
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.loan_submitted",
        object_type=OBJECT,
        object_id=loan.id,
        after=loan_dict(loan),
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


def loan_dict(loan: Loan) -> dict[str, Any]:
    return {
        "id": loan.id,
        "enterprise_id": loan.enterprise_id,
        "bank_id": loan.bank_id,
        "product_id": loan.product_id,
        "amount": str(money.from_fen(loan.amount_fen)),
        "term_months": loan.term_months,
        "annual_rate": loan.annual_rate,
        "benchmark_rate": loan.benchmark_rate,
        "method": loan.method,
        "collateral": loan.collateral,
        "state": loan.state,
        "applied_on": loan.applied_on,
        "decided_on": loan.decided_on,
        "disbursed_on": loan.disbursed_on,
        "closed_on": loan.closed_on,
        "registered_on": loan.registered_on,
        "registration": loan.registration,
        "principal_repaid": str(money.from_fen(loan.principal_repaid_fen)),
        "interest_repaid": str(money.from_fen(loan.interest_repaid_fen)),
        "principal_outstanding": str(money.from_fen(loan.amount_fen - loan.principal_repaid_fen)),
        "days_past_due": loan.days_past_due,
        "arrears": arrears_bucket(loan.days_past_due),
        "allowed_actions": [
            a.value for a in allowed_actions(LoanState(loan.state)) if a is not Action.REPAY_IN_FULL
        ],
    }


def get_loan(*, db_session: Session, loan_id: int) -> Loan:
    loan = db_session.get(Loan, loan_id)
    if loan is None:
        raise NotFound(f"no loan {loan_id}", field="loan")
    return loan


def _event(
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


# --------------------------------------------------------------------------- lifecycle


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
    _event(db_session, loan, action.value, before.value, after, actor, on_day, note)
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
    from ipops.finance.models import Pledge

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
        from ipops.finance.pledges import cancel_pledges_of

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


# --------------------------------------------------------------------------- arrears


@dataclass(frozen=True)
class ArrearsReport:
    as_of: date
    active: int
    in_arrears: int
    changed: int
    buckets: dict[str, int]
    crossed: list[int] = field(default_factory=list)  # loans that reached the policy's days

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def run_arrears(*, db_session: Session, as_of: date, threshold_days: int = 60) -> ArrearsReport:
    """The day's arrears run, set-wise: one grouped query finds every active loan's oldest
    overdue unsettled instalment; only loans whose days past due change are written."""
    overdue = db_session.execute(
        select(ScheduleLine.loan_id, func.min(ScheduleLine.due_on))
        .join(Loan, Loan.id == ScheduleLine.loan_id)
        .where(
            ScheduleLine.settled.is_(False),
            ScheduleLine.due_on < as_of,
            Loan.state == LoanState.ACTIVE.value,
        )
        .group_by(ScheduleLine.loan_id)
    ).all()
    now = {loan_id: (as_of - _as_date(due)).days for loan_id, due in overdue}
    current = db_session.execute(
        select(Loan.id, Loan.days_past_due, Loan.max_days_past_due).where(
            Loan.state == LoanState.ACTIVE.value
        )
    ).all()
    changes, crossed = [], []
    buckets = dict.fromkeys(("current", "1-30", "31-60", "61-90", "90+"), 0)
    for loan_id, before, most in current:
        days = now.get(loan_id, 0)
        buckets[arrears_bucket(days)] += 1
        if days != before:
            changes.append(
                {"id": loan_id, "days_past_due": days, "max_days_past_due": max(most, days)}
            )
            if before < threshold_days <= days:
                crossed.append(loan_id)
    if changes:
        db_session.execute(update(Loan), changes)
    return ArrearsReport(
        as_of,
        len(current),
        sum(1 for d in now.values() if d > 0),
        len(changes),
        buckets,
        sorted(crossed),
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


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


def link_exact_bulk(
    *, db_session: Session, store: CorpusStore, actor: Actor, enterprises: Sequence[Enterprise]
) -> int:
    """Exact links (same harmonised entity) of many enterprises in one corpus query; the
    similar-name candidates of one enterprise come from ``link_patents``."""
    from ipops.names.harmonize import harmonize_name

    table = pa.table(
        {
            "enterprise_id": pa.array([e.id for e in enterprises], pa.int64()),
            "entity_id": pa.array([harmonize_name(e.name)[1] for e in enterprises], pa.string()),
        }
    )
    with store.connect() as con:
        con.register("fin_entities", table)
        rows = con.execute(
            "SELECT e.enterprise_id, p.patent_id, min(p.name) FROM parties p "
            "JOIN fin_entities e ON e.entity_id = p.entity_id "
            "WHERE p.role IN ('applicant', 'assignee') GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
    known = set(
        db_session.execute(
            select(EnterprisePatent.enterprise_id, EnterprisePatent.patent_id)
        ).tuples()
    )
    new = [
        {
            "enterprise_id": int(eid),
            "patent_id": pid,
            "party_name": str(name)[:300],
            "match": "exact",
            "similarity": 1.0,
            "status": "confirmed",
        }
        for eid, pid, name in rows
        if (eid, pid) not in known
    ]
    if new:
        db_session.execute(insert(EnterprisePatent), new)
    record_by(
        actor,
        db_session=db_session,
        action="finance.patents_linked",
        object_type="fin_enterprise",
        after={"enterprises": len(enterprises), "links": len(new)},
    )
    return len(new)
