"""Load sources into the corpus: detect the format, read, enrich, write one atomic batch.

A load is idempotent (the same files with the same options are loaded once; the second
time is reported as skipped) and atomic (the batch becomes visible in one step, or not at
all). Rejected records go to a CSV rejects file; ``strict`` turns any reject into a
failure that writes nothing.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import Engine

from ipops.audit.service import Actor, record_ingestion
from ipops.corpus import runs
from ipops.corpus.format_names import FORMATS
from ipops.corpus.formats import patentsview_dates
from ipops.corpus.prepare import Prepared
from ipops.corpus.records import Reject
from ipops.corpus.sources import (
    SourceFile,
    check_format_options,
    describe_sources,
    expand_paths,
    load_key_for,
    read_prepared,
    resolve_format,
    sha256_of,
)
from ipops.corpus.store import BatchWriter, CorpusStore
from ipops.errors import Conflict, ValidationError
from ipops.exports import csv_record
from ipops.registry.db import session_scope

__all__ = [
    "FORMATS",
    "LoadJob",
    "LoadReport",
    "LoadTarget",
    "ProgressCallback",
    "SourceFile",
    "ingest_files",
    "load",
]

REJECT_COLUMNS = ("file", "location", "record", "field", "reason")

ProgressCallback = Callable[[int, int, int], None]  # records_read, units_done, units_total


@dataclass
class LoadReport:
    run_id: int
    status: str  # committed | skipped
    source_format: str
    batch_id: str | None
    records_read: int = 0
    records_rejected: int = 0
    row_counts: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    rejects_path: str | None = None
    seconds: float = 0.0
    snapshot_id: str = ""
    message: str = ""
    # PatentsView loads with a citation table: citing documents of the corpus without a
    # publication date (they count in fwd_citations, not in fwd_citations_5y)
    citing_undated: int | None = None
    citing_documents: int | None = None

    @property
    def geocode_match_rate(self) -> float | None:
        """Share of places without source coordinates that the gazetteer located."""
        tried = self.places.get("gazetteer", 0) + self.places.get("unlocated", 0)
        return self.places.get("gazetteer", 0) / tried if tried else None

    def as_dict(self) -> dict[str, Any]:
        citing = {}
        if self.citing_undated is not None:
            citing = {
                "citing_documents": self.citing_documents,
                "citing_documents_undated": self.citing_undated,
            }
        return {
            "run_id": self.run_id,
            "status": self.status,
            "format": self.source_format,
            "batch_id": self.batch_id,
            "records_read": self.records_read,
            "records_rejected": self.records_rejected,
            "rows": self.row_counts,
            "places": self.places,
            "geocode_match_rate": self.geocode_match_rate,
            "rejects_file": self.rejects_path,
            "seconds": round(self.seconds, 3),
            "snapshot_id": self.snapshot_id,
            "message": self.message,
            **citing,
        }


@dataclass(frozen=True)
class LoadTarget:
    """Where a load writes (the corpus store, the registry, the rejects folder) and for whom:
    every load is an audited change."""

    store: CorpusStore
    engine: Engine
    rejects_dir: Path
    actor: Actor = field(default_factory=Actor.cli)


# -- loading -----------------------------------------------------------------------------


@dataclass
class _Tally:
    records_read: int = 0
    rejected: int = 0  # lines of the rejects file
    rejected_records: int = 0  # records refused whole (a header problem is no record)
    places: Counter[str] = field(default_factory=Counter)
    first_reject: Reject | None = None


@dataclass(frozen=True)
class LoadJob:
    """What is being loaded, and how."""

    kind: str  # patents | events
    source_format: str
    sources: Sequence[SourceFile]
    load_key: str
    options: dict[str, Any]
    strict: bool = False
    allow_generated: bool = False  # let generated and real patents share the corpus


def load(
    target: LoadTarget,
    job: LoadJob,
    prepared: Iterable[Prepared],
    *,
    progress: ProgressCallback | None = None,
    progress_total: int = 0,
) -> LoadReport:
    """Write prepared chunks as one batch and record the run; see the module docstring."""
    started = time.perf_counter()
    with session_scope(target.engine) as session:
        run_id = runs.start_run(
            db_session=session,
            kind=job.kind,
            source_format=job.source_format,
            sources=[s.as_dict() for s in job.sources],
            load_key=job.load_key,
            options=job.options,
        ).id
    try:
        report = _load_locked(target, job, prepared, run_id, progress, progress_total)
    except BaseException as exc:
        message = str(exc)[:2000]
        _finish(
            target,
            run_id,
            {"status": "failed", "message": message},
            status="failed",
            message=message,
        )
        raise
    report.seconds = time.perf_counter() - started
    _finish(
        target,
        run_id,
        report.as_dict(),
        status=report.status,
        batch_id=report.batch_id,
        records_read=report.records_read,
        records_rejected=report.records_rejected,
        row_counts=report.row_counts,
        rejects_path=report.rejects_path,
        message=report.message,
    )
    return report


def _load_locked(
    target: LoadTarget,
    job: LoadJob,
    prepared: Iterable[Prepared],
    run_id: int,
    progress: ProgressCallback | None,
    progress_total: int,
) -> LoadReport:
    store = target.store
    with store.lock():
        done = store.manifest().find_load(job.load_key)
        if done is not None and not job.strict:
            return LoadReport(
                run_id,
                "skipped",
                job.source_format,
                done.id,
                snapshot_id=store.manifest().snapshot_id,
                message=f"already loaded as batch {done.id} on {done.created_at}; nothing changed",
            )
        writer = store.begin_batch()
        rejects_path = target.rejects_dir / f"run-{run_id}.csv"
        guard = None if job.allow_generated else _GeneratedGuard(store)
        try:
            tally = _write_chunks(writer, prepared, rejects_path, progress, progress_total, guard)
            writer.close()
            if job.strict and tally.rejected:
                raise ValidationError(_strict_message(tally, rejects_path), field="strict")
            if tally.rejected_records and tally.rejected_records >= tally.records_read:
                raise ValidationError(_nothing_loaded_message(tally, rejects_path))
            if done is not None:  # --strict re-checked a load already made: still clean
                writer.discard()
                rejects_path.unlink(missing_ok=True)
                return LoadReport(
                    run_id,
                    "skipped",
                    job.source_format,
                    done.id,
                    records_read=tally.records_read,
                    snapshot_id=store.manifest().snapshot_id,
                    message=(
                        f"already loaded as batch {done.id} on {done.created_at}; re-checked "
                        f"under --strict: {tally.records_read} records, none rejected"
                    ),
                )
            info = store.commit(
                writer,
                kind=job.kind,
                load_key=job.load_key,
                sources=[s.as_dict() for s in job.sources],
            )
        except BaseException:
            writer.discard()
            raise
    if not tally.rejected:
        rejects_path.unlink(missing_ok=True)
    return LoadReport(
        run_id,
        "committed",
        job.source_format,
        info.id,
        records_read=tally.records_read,
        records_rejected=tally.rejected_records,
        row_counts=dict(info.row_counts),
        places=dict(tally.places),
        rejects_path=str(rejects_path) if tally.rejected else None,
        snapshot_id=store.manifest().snapshot_id,
        message=_loaded_message(tally),
    )


def _loaded_message(tally: _Tally) -> str:
    loaded = tally.records_read - tally.rejected_records
    message = f"loaded {loaded:,} of {tally.records_read:,} records"
    notes = tally.rejected - tally.rejected_records
    if notes:
        message += f"; {notes} other problem(s) (a header or one field) in the rejects file"
    return message


def _nothing_loaded_message(tally: _Tally, rejects_path: Path) -> str:
    first = tally.first_reject
    why = f"; first: {first.file} {first.location}: {first.reason}" if first else ""
    return (
        f"no record could be loaded ({tally.rejected_records} of {tally.records_read} "
        f"rejected), so nothing was written{why}; all rejects: {rejects_path}"
    )


def _write_chunks(
    writer: BatchWriter,
    prepared: Iterable[Prepared],
    rejects_path: Path,
    progress: ProgressCallback | None,
    progress_total: int,
    guard: _GeneratedGuard | None = None,
) -> _Tally:
    tally = _Tally()
    rejects_path.parent.mkdir(parents=True, exist_ok=True)
    with rejects_path.open("w", newline="", encoding="utf-8") as handle:
        rejects = csv.DictWriter(handle, fieldnames=REJECT_COLUMNS)
        rejects.writeheader()
        for part in prepared:
            if guard is not None and "patents" in part.tables:
                guard.check(part.tables["patents"])
            writer.write_all(part.tables)
            for reject in part.rejects:
                rejects.writerow(csv_record(reject.as_row()))
            tally.records_read += part.records_read
            tally.rejected += len(part.rejects)
            tally.rejected_records += part.rejected_records
            tally.places.update(part.places)
            tally.first_reject = tally.first_reject or next(iter(part.rejects), None)
            if progress:
                progress(tally.records_read, tally.records_read, progress_total)
    return tally


class _GeneratedGuard:
    """Refuses a load that would put generated and real patents in one corpus.

    Generated patents (``generated`` true) next to real ones would change real patents'
    percentiles and cohorts; ``allow_generated`` (``--allow-generated``) permits it.
    """

    def __init__(self, store: CorpusStore) -> None:
        with store.connect() as con:
            row = con.execute(
                "SELECT count(*) FILTER (WHERE generated), "
                "count(*) FILTER (WHERE NOT coalesce(generated, false)) FROM patents"
            ).fetchone()
        generated, real = row if row is not None else (0, 0)
        self.present = {kind for kind, count in (("generated", generated), ("real", real)) if count}

    def check(self, patents: pa.Table) -> None:
        flags = patents.column("generated").to_pylist()
        incoming = {"generated" if flag else "real" for flag in flags}
        if len(self.present | incoming) > 1:
            raise Conflict(
                "this load would mix generated and real patents in one corpus (generated "
                "data change real patents' percentiles and cohorts); load them into separate "
                "workspaces, or pass --allow-generated to mix them on purpose",
                field="allow-generated",
            )
        self.present |= incoming


def _strict_message(tally: _Tally, rejects_path: Path) -> str:
    first = tally.first_reject
    where = f"{first.file} {first.location}" if first else ""
    why = f"{first.field or 'record'}: {first.reason}" if first else ""
    return (
        f"{tally.rejected} record(s) rejected and --strict is set, so nothing was loaded; "
        f"first: {where}: {why}; all rejects: {rejects_path}"
    )


def _finish(target: LoadTarget, run_id: int, summary: dict[str, Any], **fields: Any) -> None:
    """Record the end of the run and its audit record in one transaction."""
    with session_scope(target.engine) as session:
        runs.finish_run(db_session=session, run_id=run_id, **fields)
        record_ingestion(db_session=session, actor=target.actor, run_id=run_id, summary=summary)


# -- the whole command -------------------------------------------------------------------


def ingest_files(
    target: LoadTarget,
    paths: Sequence[Path],
    *,
    fmt: str = "auto",
    strict: bool = False,
    mapping: Path | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    allow_generated: bool = False,
    citing_dates: Path | None = None,
    texts: bool = False,
) -> LoadReport:
    """``ipops corpus ingest``: load patent sources into the corpus.

    ``citing_dates`` (PatentsView only): a g_patent-shaped file with the publication dates
    of citing patents that are not in the load's ``g_patent`` (``patentsview_dates``).
    ``texts`` (``--texts``, USPTO XML) also loads claim texts and government-interest
    statements (tables ``claim_texts`` and ``government_interest``); without it the
    description is not parsed at all.
    """
    files = expand_paths(paths)
    source_format = resolve_format(files, fmt)
    sources = describe_sources(files)
    options: dict[str, Any] = {"mapping": sha256_of(mapping) if mapping else None}
    check_format_options(source_format, texts=texts, citing_dates=citing_dates)
    if citing_dates is not None:
        patentsview_dates.check_dates_file(citing_dates)
        options["citing_dates"] = sha256_of(citing_dates)
    if texts:  # only when set, so that the load keys of loads without it do not change
        options["texts"] = True
    job = LoadJob(
        kind="patents",
        source_format=source_format,
        sources=sources,
        load_key=load_key_for(source_format, sources, options),
        options=options,
        strict=strict,
        allow_generated=allow_generated,
    )
    prepared = read_prepared(
        source_format,
        files,
        mapping=mapping,
        workers=workers,
        texts=texts,
        citing_dates=citing_dates,
    )
    report = load(target, job, prepared, progress=progress)
    if source_format == "patentsview" and report.row_counts.get("citing_documents"):
        undated, citing = _undated_citing(target.store)
        report.citing_undated, report.citing_documents = undated, citing
        report.message += (
            f"; {undated:,} of {citing:,} citing documents have no publication date (counted "
            "in fwd_citations, not in fwd_citations_5y; give their dates with --citing-dates)"
            if undated
            else f"; all {citing:,} citing documents have a publication date"
        )
    return report


def _undated_citing(store: CorpusStore) -> tuple[int, int]:
    """(citing documents without a publication date, all citing documents) of the corpus."""
    with store.connect() as con:
        row = con.execute(
            "SELECT count(*) FILTER (WHERE publication_date IS NULL), count(*) "
            "FROM citing_documents"
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
