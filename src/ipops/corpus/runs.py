"""Registry service for ingestion runs: record a load when it starts and when it ends."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ipops.corpus.models import IngestionRun
from ipops.corpus.store import CorpusStore, process_alive
from ipops.errors import NotFound
from ipops.records import Record
from ipops.registry.db import session_scope


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
        pid=os.getpid(),
        host=socket.gethostname()[:255],
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
    """The newest runs; a run still marked running whose process is gone is first marked
    ``interrupted`` (see :func:`mark_interrupted`)."""
    mark_interrupted(db_session=db_session)
    query = select(IngestionRun).order_by(IngestionRun.id.desc()).limit(limit)
    return list(db_session.scalars(query))


def mark_interrupted(*, db_session: Session) -> list[int]:
    """Mark ``interrupted`` every run of this machine still ``running`` whose process no
    longer exists (killed, machine restarted); flush only. Runs of other machines are left
    alone: their processes cannot be seen from here. Returns the ids marked."""
    here = socket.gethostname()[:255]
    running = db_session.scalars(
        select(IngestionRun).where(IngestionRun.status == "running", IngestionRun.host == here)
    )
    marked = []
    for run in running:
        if run.pid is not None and not process_alive(run.pid):
            run.status = "interrupted"
            run.finished_at = datetime.now(UTC)
            run.message = f"the loading process (pid {run.pid}) ended before the run finished"
            marked.append(run.id)
    db_session.flush()
    return marked


class IngestionRunSummary(Record):
    """One ingestion run as ``ipops corpus runs`` lists it."""

    id: int
    started_at: str  # ISO 8601, as recorded
    kind: str
    format: str
    status: str
    records_read: int
    records_rejected: int
    sources: list[str]  # the paths loaded
    rejects_file: str | None
    message: str | None


def recorded_runs(
    *, engine: Engine, store: CorpusStore, limit: int = 50
) -> list[IngestionRunSummary]:
    """`ipops corpus runs`: the ingestion runs, newest first; a run whose process is gone is
    marked interrupted and what it left in the corpus folder is removed."""
    with session_scope(engine) as session:
        found = run_summaries(db_session=session, limit=limit)
    store.remove_leftovers()  # of the runs just found interrupted
    return found


def run_summaries(*, db_session: Session, limit: int = 50) -> list[IngestionRunSummary]:
    """The ingestion runs, newest first, as the CLI lists them."""
    return [
        IngestionRunSummary(
            id=r.id,
            started_at=r.started_at.isoformat(),
            kind=r.kind,
            format=r.source_format,
            status=r.status,
            records_read=r.records_read,
            records_rejected=r.records_rejected,
            sources=[s["path"] for s in r.sources],
            rejects_file=r.rejects_path,
            message=r.message,
        )
        for r in list_runs(db_session=db_session, limit=limit)
    ]
