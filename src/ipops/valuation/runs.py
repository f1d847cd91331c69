"""Scoring runs: score the corpus under a scheme, record the run in the registry, reuse
a stored run while its files and definitions still match."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.corpus.queries import fetch_value
from ipops.corpus.store import CorpusStore
from ipops.records import Record
from ipops.valuation.indicator_sql import (
    IndicatorOptions,
)
from ipops.valuation.indicators import (
    EngineSettings,
    StepCallback,
    ValuationPaths,
    compute_indicators,
    connection,
    copy_parquet,
    definitions_digest,
    indicator_metadata,
    read_indicators_metadata,
    sql_text,
)
from ipops.valuation.models import ValuationRun
from ipops.valuation.schemes import Scheme
from ipops.valuation.scoring import score_sql


@dataclass(frozen=True)
class ScoreRun:
    run_id: int | None
    snapshot_id: str
    scheme: str  # "name version (digest)"
    scheme_digest: str
    as_of: date
    patents: int
    scored: int
    unavailable: tuple[str, ...]
    indicators_path: Path
    scores_path: Path
    seconds: float
    indicator_seconds: float

    def as_dict(self) -> dict[str, Any]:
        payload = asdict(self)
        payload["indicators_path"] = str(self.indicators_path)
        payload["scores_path"] = str(self.scores_path)
        return payload


def score_corpus(
    store: CorpusStore,
    root: Path,
    scheme: Scheme,
    options: IndicatorOptions,
    *,
    db_session: Session | None = None,
    engine: EngineSettings | None = None,
    progress: StepCallback | None = None,
) -> ScoreRun:
    """Scores of every patent under ``scheme``; a ValuationRun is recorded in ``db_session``."""
    start = time.perf_counter()
    indicators = compute_indicators(store, root, options, engine=engine, progress=progress)
    paths = ValuationPaths(root, indicators.snapshot_id)
    scores_path = paths.scores(scheme)
    source = f"read_parquet('{sql_text(str(indicators.path))}')"
    metadata = {"scheme": scheme.label(), "snapshot_id": indicators.snapshot_id,
                "as_of": indicators.as_of.isoformat()}  # fmt: skip
    with connection(store, root, engine) as con:
        copy_parquet(con, score_sql(scheme, source), scores_path, metadata)
        scored = fetch_value(con, "SELECT count(pvd) FROM read_parquet(?)", [str(scores_path)])
    weighted = set(scheme.indicators)
    run = ScoreRun(
        run_id=None,
        snapshot_id=indicators.snapshot_id,
        scheme=scheme.label(),
        scheme_digest=scheme.digest,
        as_of=indicators.as_of,
        patents=indicators.patents,
        scored=int(scored or 0),
        unavailable=tuple(n for n in indicators.unavailable if n in weighted),
        indicators_path=indicators.path,
        scores_path=scores_path,
        seconds=time.perf_counter() - start,
        indicator_seconds=indicators.seconds,
    )
    if db_session is not None:
        record = record_run(
            db_session=db_session, run=run, scheme=scheme, options=indicators.options
        )
        run = ScoreRun(**{**asdict(run), "run_id": record.id})
    if progress:
        progress("scores", 1, 1)
    return run


def record_run(
    *, db_session: Session, run: ScoreRun, scheme: Scheme, options: dict[str, Any]
) -> ValuationRun:
    record = ValuationRun(
        created_at=datetime.now(UTC),
        snapshot_id=run.snapshot_id,
        scheme_name=scheme.name,
        scheme_version=scheme.version,
        scheme_digest=scheme.digest,
        scheme_origin=scheme.origin,
        definitions_version=definitions_digest(_options_from(options)),
        as_of=run.as_of,
        options=options,
        patents=run.patents,
        scored=run.scored,
        unavailable=list(run.unavailable),
        indicators_path=str(run.indicators_path),
        scores_path=str(run.scores_path),
        seconds=round(run.seconds, 3),
    )
    db_session.add(record)
    db_session.flush()
    return record


def _options_from(options: dict[str, Any]) -> IndicatorOptions:
    return IndicatorOptions(
        as_of=date.fromisoformat(options["as_of"]),
        window_years=int(options["window_years"]),
        min_cohort=int(options["min_cohort"]),
        breakthrough_share=float(options["breakthrough_share"]),
    )


def list_runs(*, db_session: Session, limit: int = 50) -> list[ValuationRun]:
    query = select(ValuationRun).order_by(ValuationRun.id.desc()).limit(limit)
    return list(db_session.scalars(query))


def latest_run(*, db_session: Session, snapshot_id: str, scheme_digest: str) -> ValuationRun | None:
    query = (
        select(ValuationRun)
        .where(ValuationRun.snapshot_id == snapshot_id)
        .where(ValuationRun.scheme_digest == scheme_digest)
        .order_by(ValuationRun.id.desc())
        .limit(1)
    )
    return db_session.scalars(query).first()


def ensure_scores(
    store: CorpusStore,
    root: Path,
    scheme: Scheme,
    options: IndicatorOptions,
    *,
    db_session: Session | None = None,
    engine: EngineSettings | None = None,
    progress: StepCallback | None = None,
) -> ScoreRun:
    """The run of the current snapshot, scheme and options: the stored one, or a new one.

    A stored run is reused only while its files are there and were made with the same
    as-of date, options and indicator definitions (files are a cache; the registry keeps
    what is needed to compute them again).
    """
    snapshot_id = store.manifest().snapshot_id
    paths = ValuationPaths(root, snapshot_id)
    if db_session is not None and paths.scores(scheme).exists():
        found = latest_run(
            db_session=db_session, snapshot_id=snapshot_id, scheme_digest=scheme.digest
        )
        wanted = indicator_metadata(options)
        if (
            found is not None
            and Path(found.scores_path).exists()
            and found.options == wanted["options"]
            and found.definitions_version == wanted["definitions"]
            and paths.indicators.exists()
            and read_indicators_metadata(paths.indicators).get("options") == wanted["options"]
        ):
            return _run_from_record(found, scheme)
    return score_corpus(
        store, root, scheme, options, db_session=db_session, engine=engine, progress=progress
    )


def _run_from_record(record: ValuationRun, scheme: Scheme) -> ScoreRun:
    return ScoreRun(
        run_id=record.id,
        snapshot_id=record.snapshot_id,
        scheme=scheme.label(),
        scheme_digest=record.scheme_digest,
        as_of=record.as_of,
        patents=record.patents,
        scored=record.scored,
        unavailable=tuple(record.unavailable),
        indicators_path=Path(record.indicators_path),
        scores_path=Path(record.scores_path),
        seconds=record.seconds,
        indicator_seconds=0.0,
    )


class ScoringRunSummary(Record):
    """One recorded scoring run as ``ipops value runs`` lists it."""

    id: int
    created_at: str  # ISO 8601 to the second
    snapshot_id: str
    scheme: str  # "name version (digest)"
    as_of: date
    patents: int
    scored: int
    unavailable: list[str]  # weighted indicators the corpus could not give
    seconds: float


def run_summaries(*, db_session: Session, limit: int = 50) -> list[ScoringRunSummary]:
    """The recorded scoring runs, newest first, as the CLI lists them."""
    return [
        ScoringRunSummary(
            id=r.id,
            created_at=r.created_at.isoformat(timespec="seconds"),
            snapshot_id=r.snapshot_id,
            scheme=f"{r.scheme_name} {r.scheme_version} ({r.scheme_digest})",
            as_of=r.as_of,
            patents=r.patents,
            scored=r.scored,
            unavailable=list(r.unavailable),
            seconds=r.seconds,
        )
        for r in list_runs(db_session=db_session, limit=limit)
    ]
