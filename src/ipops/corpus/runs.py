"""Registry service for ingestion runs: record a load when it starts and when it ends."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.corpus.models import IngestionRun
from ipops.errors import NotFound


def start_run(
    *,
    db_session: Session,
    kind: str,
    source_format: str,
    sources: Sequence[dict[str, Any]],
    load_key: str,
    options: dict[str, Any],
) -> IngestionRun:
    run = IngestionRun(
        started_at=datetime.now(UTC),
        kind=kind,
        source_format=source_format,
        sources=list(sources),
        load_key=load_key,
        status="running",
        records_read=0,
        records_rejected=0,
        row_counts={},
        options=options,
    )
    db_session.add(run)
    db_session.flush()
    return run


def finish_run(
    *,
    db_session: Session,
    run_id: int,
    status: str,
    batch_id: str | None = None,
    records_read: int = 0,
    records_rejected: int = 0,
    row_counts: dict[str, int] | None = None,
    rejects_path: str | None = None,
    message: str | None = None,
) -> IngestionRun:
    run = get_run(db_session=db_session, run_id=run_id)
    run.finished_at = datetime.now(UTC)
    run.status = status
    run.batch_id = batch_id
    run.records_read = records_read
    run.records_rejected = records_rejected
    run.row_counts = dict(row_counts or {})
    run.rejects_path = rejects_path
    run.message = message
    db_session.flush()
    return run


def get_run(*, db_session: Session, run_id: int) -> IngestionRun:
    run = db_session.get(IngestionRun, run_id)
    if run is None:
        raise NotFound(f"no ingestion run {run_id}", field="run_id")
    return run


def list_runs(*, db_session: Session, limit: int = 50) -> list[IngestionRun]:
    query = select(IngestionRun).order_by(IngestionRun.id.desc()).limit(limit)
    return list(db_session.scalars(query))
