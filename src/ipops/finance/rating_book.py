"""Enterprise ratings (use cases): the set-wise rating run in DuckDB over the valuation
scores, the latest rating and its card, and the probability-of-default model fitted on the
loan book. The scorecard itself is pure (``rating``), so is the PD model (``pd_model``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.corpus.queries import fetch_dicts
from ipops.corpus.store import CorpusStore
from ipops.errors import NotFound
from ipops.finance import rating, rating_inputs
from ipops.finance.enterprise_book import EnterpriseRecord, get_enterprise
from ipops.finance.loans import (
    LoanState,
)
from ipops.finance.models import (
    Enterprise,
    EnterprisePatent,
    Loan,
    PdFit,
    PledgedPatent,
    Rating,
)
from ipops.finance.pd_model import Observation, PdModel, fit
from ipops.records import Record, RecordId
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import EngineSettings
from ipops.valuation.runs import ScoreRun, ensure_scores
from ipops.valuation.schemes import load_scheme

RATING_SCHEME = "finance_rating"  # no pledge, no remaining term (rating.py)
FEATURES = rating.FEATURES + rating_inputs.FINANCIAL_FEATURES
MIN_COHORT = 20


def _now() -> datetime:
    return datetime.now(UTC)


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
    engine: EngineSettings | None = None,
) -> RatingRun:
    """Rate enterprises (all, or the given ones) from their confirmed patents, set-wise."""
    start = time.perf_counter()
    run = ensure_scores(
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
    financial = _financial_features(db_session, enterprise_ids)
    rows = _rating_rows(store, run, links, _pledged_table(db_session), financial, as_of)
    rated_at = _now()
    records: list[dict[str, Any]] = [
        {
            "enterprise_id": int(r["enterprise_id"]),
            "rated_at": rated_at,
            "as_of": as_of,
            "score": float(r["score"]),
            "grade": str(r["grade"]),
            "features": {k: _plain(r[k]) for k in FEATURES},
            "components": {k: round(float(r[f"c_{k}"]), 4) for k in rating.WEIGHTS},
            "alerts": rating.alerts_of(r),
            "inputs": inputs,
        }
        for r in rows
    ]
    records.extend(_unlinked_ratings(financial, links, rated_at, as_of, inputs))
    records.sort(key=lambda record: int(record["enterprise_id"]))  # ids in a repeatable order
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


def _financial_features(
    db_session: Session, enterprise_ids: Sequence[int] | None
) -> dict[int, dict[str, Any]]:
    """The rating's features from each enterprise's own inputs (R&D, bureau flags)."""
    query = select(
        Enterprise.id, Enterprise.rd_spend_fen, Enterprise.revenue_fen, Enterprise.bureau_flags
    )
    if enterprise_ids is not None:
        query = query.where(Enterprise.id.in_(list(enterprise_ids)))
    return {
        eid: rating_inputs.financial_features(
            rd_spend_fen=rd, revenue_fen=revenue, bureau_flags=flags
        )
        for eid, rd, revenue, flags in db_session.execute(query)
    }


def _financial_table(financial: Mapping[int, Mapping[str, Any]]) -> pa.Table:
    ids = sorted(financial)
    return pa.table(
        {
            "enterprise_id": pa.array(ids, pa.int64()),
            "rd_intensity": pa.array([financial[i]["rd_intensity"] for i in ids], pa.float64()),
            "rd_required": pa.array([financial[i]["rd_required"] for i in ids], pa.float64()),
            "bureau_flags": pa.array(
                [financial[i]["bureau_flags"] for i in ids], pa.list_(pa.string())
            ),
        }
    )


def _pledged_table(db_session: Session) -> pa.Table:
    ids = db_session.scalars(
        select(PledgedPatent.active_patent_id).where(PledgedPatent.active_patent_id.is_not(None))
    ).all()
    return pa.table({"patent_id": pa.array(list(ids), pa.string())})


def _rating_rows(
    store: CorpusStore,
    run: ScoreRun,
    links: pa.Table,
    pledged: pa.Table,
    financial: Mapping[int, Mapping[str, Any]],
    as_of: date,
) -> list[dict[str, Any]]:
    with store.connect() as con:
        con.register("rt_links", links)
        con.register("rt_pledged", pledged)
        con.register("rt_fin", _financial_table(financial))
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
    financial: Mapping[int, Mapping[str, Any]],
    links: pa.Table,
    rated_at: datetime,
    as_of: date,
    inputs: dict[str, Any],
) -> list[dict[str, Any]]:
    """Enterprises without any confirmed patent are rated too (score from no patents, with
    their own financial inputs)."""
    linked = set(links.column("enterprise_id").to_pylist())
    empty = dict.fromkeys(rating.FEATURES, 0) | {
        "pvd_mean": None,
        "pvd_top_share": None,
        "remaining_mean": None,
    }
    records = []
    for eid in sorted(set(financial) - linked):
        features = empty | dict(financial[eid])
        explained = rating.explain(features)
        records.append(
            {
                "enterprise_id": eid,
                "rated_at": rated_at,
                "as_of": as_of,
                "score": explained.score,
                "grade": explained.grade,
                "features": features,
                "components": {c.name: c.value for c in explained.components},
                "alerts": list(explained.alerts),
                "inputs": inputs,
            }
        )
    return records


def latest_rating(*, db_session: Session, enterprise_id: int) -> Rating | None:
    return db_session.scalars(
        select(Rating)
        .where(Rating.enterprise_id == enterprise_id)
        .order_by(Rating.id.desc())
        .limit(1)
    ).first()


class RatingCard(Record):
    """The latest rating of an enterprise, explained, with alerts, the inputs' versions and
    (when fitted and the enterprise has financial figures) the probability of default."""

    enterprise: EnterpriseRecord
    rating_id: RecordId
    rated_at: datetime
    as_of: date
    score: float
    grade: str
    components: list[dict[str, Any]]
    adjustments: list[dict[str, Any]]
    alerts: list[Any]
    inputs: dict[str, Any]
    features: dict[str, Any]
    financial_inputs: list[dict[str, Any]]
    default_probability: dict[str, Any] | None


def rating_card(*, db_session: Session, enterprise: Enterprise) -> RatingCard:
    found = latest_rating(db_session=db_session, enterprise_id=enterprise.id)
    if found is None:
        raise NotFound(
            f"enterprise {enterprise.id} has no rating yet; run `ipops finance rate`",
            field="enterprise",
        )
    explained = rating.explain(found.features)
    return RatingCard(
        enterprise=EnterpriseRecord.of(enterprise),
        rating_id=found.id,
        rated_at=found.rated_at,
        as_of=found.as_of,
        score=found.score,
        grade=found.grade,
        components=explained.as_dict()["components"],
        adjustments=explained.as_dict()["adjustments"],
        alerts=found.alerts,
        inputs=found.inputs,
        features=found.features,
        financial_inputs=rating_inputs.financial_inputs(
            total_assets_fen=enterprise.total_assets_fen,
            equity_fen=enterprise.equity_fen,
            revenue_fen=enterprise.revenue_fen,
            rd_spend_fen=enterprise.rd_spend_fen,
            bureau_flags=enterprise.bureau_flags,
            bureau_checked_on=None
            if enterprise.bureau_checked_on is None
            else enterprise.bureau_checked_on.isoformat(),
        ),
        default_probability=default_probability(
            db_session=db_session, enterprise=enterprise, features=found.features
        ),
    )


def rating_card_of(*, db_session: Session, enterprise_id: int) -> RatingCard:
    found = get_enterprise(db_session=db_session, key=enterprise_id)
    return rating_card(db_session=db_session, enterprise=found)


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
