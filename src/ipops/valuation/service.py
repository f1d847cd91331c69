"""Valuation services: compute indicators and scores over the corpus, explain, rank, record.

I/O lives here (DuckDB, Parquet files under the workspace, the registry); the rules live in
``indicator_sql``, ``scoring``, ``highvalue`` and ``money``. Results are plain dataclasses
and dicts, so the CLI, a FastAPI router or a Jinja page can call the same functions.

Files, per corpus snapshot (``CorpusStore.manifest().snapshot_id``)::

    <workspace>/valuation/<snapshot_id>/indicators.parquet
    <workspace>/valuation/<snapshot_id>/scores-<scheme name>-<scheme digest>.parquet

``indicators.parquet`` carries its as-of date and options in its Parquet metadata; it is
reused while they match, recomputed otherwise. Files are written to a temporary name and
renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.corpus.queries import fetch_dicts, fetch_value, resolve_patent_id
from ipops.corpus.store import CorpusStore
from ipops.errors import NotFound, ValidationError
from ipops.valuation import status as st
from ipops.valuation import term
from ipops.valuation.availability import reason_of, universe_of
from ipops.valuation.catalogue import NAMES, RESERVED
from ipops.valuation.fields import concordance_table, fields
from ipops.valuation.highvalue import (
    Award,
    FixedPledgeAmounts,
    HighValueRules,
    PledgeAmounts,
    Reason,
    awards_table,
    evidence_of,
    high_value_sql,
    pledges_table,
    reasons_of,
    strategic_table,
)
from ipops.valuation.indicator_sql import (
    YEAR_DAYS,
    CorpusFacts,
    IndicatorOptions,
    Step,
    cohort_levels_sql,
    indicator_steps,
    indicators_sql,
    key_collisions_sql,
    ranking_steps,
)
from ipops.valuation.models import ValuationRun
from ipops.valuation.schemes import Scheme
from ipops.valuation.scoring import Explanation, explain, score_sql

DEFINITIONS_VERSION = "1"
METADATA_KEY = b"ipops.valuation"
MAX_KEY_SALTS = 3
StepCallback = Callable[[str, int, int], None]  # step name, steps done, steps in all


@dataclass(frozen=True)
class EngineSettings:
    """DuckDB resources for the big queries (None: DuckDB's defaults)."""

    threads: int | None = None
    memory_limit: str | None = None  # e.g. "4GB"


@dataclass(frozen=True)
class IndicatorsFile:
    path: Path
    snapshot_id: str
    as_of: date
    options: dict[str, Any]
    patents: int
    unavailable: tuple[str, ...]  # null for every patent
    seconds: float  # 0 when reused


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


class ValuationPaths:
    def __init__(self, root: Path, snapshot_id: str) -> None:
        self.folder = root / snapshot_id
        self.indicators = self.folder / "indicators.parquet"

    def scores(self, scheme: Scheme) -> Path:
        return self.folder / f"scores-{_safe(scheme.name)}-{scheme.digest}.parquet"


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)[:40] or "scheme"


# --------------------------------------------------------------------------- indicators


def corpus_facts(con: duckdb.DuckDBPyConnection) -> CorpusFacts:
    """Whether there are citations and a loaded citing-documents table (cheap: each check
    stops at one row); which citing universe applies is decided by the SQL steps."""
    has_citations = bool(
        fetch_value(con, "SELECT EXISTS (SELECT 1 FROM citations WHERE category = 'patent')")
    )
    loaded = bool(fetch_value(con, "SELECT count(*) FROM (SELECT 1 FROM citing_documents LIMIT 1)"))
    return CorpusFacts(has_citations=has_citations, citing_loaded=loaded)


def data_cutoff(con: duckdb.DuckDBPyConnection) -> date | None:
    """The corpus's data cut-off: the latest publication, grant or legal-status event date
    loaded. It is the default valuation date everywhere (CLI, pages, API, reports), so values
    are never computed "as of today" for data that stop earlier."""
    value = fetch_value(
        con,
        "SELECT max(d) FROM (SELECT max(greatest(publication_date, grant_date)) AS d "
        "FROM patents UNION ALL SELECT max(event_date) FROM events)",
    )
    return value if isinstance(value, date) else None


def default_as_of(store: CorpusStore, as_of: date | None = None) -> date:
    """``as_of`` when given, else the corpus's data cut-off (today for an empty corpus)."""
    if as_of is not None:
        return as_of
    with store.connect() as con:
        return data_cutoff(con) or date.today()


def run_indicator_steps(
    con: duckdb.DuckDBPyConnection,
    options: IndicatorOptions,
    *,
    progress: StepCallback | None = None,
) -> str:
    """Materialise the steps as temp tables; return the SQL of the indicators table."""
    con.register("ip_concordance", concordance_table())
    facts = corpus_facts(con)
    for salt_number in range(MAX_KEY_SALTS):
        salt = "" if salt_number == 0 else f"#{salt_number}"
        salted = _with_salt(options, salt)
        steps = indicator_steps(salted, facts)
        total = len(steps) + len(ranking_steps(("all",))) + 1  # + writing the file
        if _run_steps(con, steps, progress, 0, total):
            levels = tuple(str(r[0]) for r in con.execute(cohort_levels_sql()).fetchall())
            _run_steps(con, ranking_steps(levels), progress, len(steps), total)
            return indicators_sql(salted)
    raise ValidationError("patent ids could not be keyed without collisions", field="patent_id")


def _run_steps(
    con: duckdb.DuckDBPyConnection,
    steps: list[Step],
    progress: StepCallback | None,
    done_before: int,
    total: int,
) -> bool:
    """Run the steps; False when two patent ids hash alike (then try another salt)."""
    for done, step in enumerate(steps, start=done_before + 1):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {step.name} AS {step.sql}").fetchall()
        if progress:
            progress(step.name, done, total)
        if step.name == "ip_base" and fetch_value(con, key_collisions_sql()):
            return False
    return True


def _with_salt(options: IndicatorOptions, salt: str) -> IndicatorOptions:
    return dataclasses.replace(options, key_salt=salt)


def compute_indicators(
    store: CorpusStore,
    root: Path,
    options: IndicatorOptions,
    *,
    engine: EngineSettings | None = None,
    progress: StepCallback | None = None,
    reuse: bool = True,
) -> IndicatorsFile:
    """The indicators of every patent, as ``indicators.parquet`` of the current snapshot."""
    snapshot_id = store.manifest().snapshot_id
    paths = ValuationPaths(root, snapshot_id)
    wanted = _metadata(options)
    if reuse and paths.indicators.exists():
        found = read_indicators_metadata(paths.indicators)
        if (
            found.get("definitions") == wanted["definitions"]
            and found.get("options") == wanted["options"]
        ):
            return _indicators_file(paths.indicators, snapshot_id, found, seconds=0.0)
    start = time.perf_counter()
    with _connection(store, root, engine) as con:
        final_sql = run_indicator_steps(con, options, progress=progress)
        wanted["patents"] = int(fetch_value(con, "SELECT count(*) FROM ip_raw") or 0)
        wanted["unavailable"] = list(_unavailable(con))
        _copy_parquet(con, final_sql, paths.indicators, wanted)
    if progress:
        progress("indicators", 1, 1)
    return _indicators_file(paths.indicators, snapshot_id, wanted, time.perf_counter() - start)


def definitions_digest(options: IndicatorOptions) -> str:
    """Version and hash of the indicator SQL: a change of definitions invalidates old files."""
    facts = CorpusFacts(has_citations=True)
    steps = [*indicator_steps(options, facts), *ranking_steps(("field_year", "year", "all"))]
    text = "\n".join([*(step.sql for step in steps), indicators_sql(options)])
    return f"{DEFINITIONS_VERSION}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def _metadata(options: IndicatorOptions) -> dict[str, Any]:
    return {
        "definitions": definitions_digest(options),
        "options": {
            "as_of": options.as_of.isoformat(),
            "window_years": options.window_years,
            "min_cohort": options.min_cohort,
            "breakthrough_share": options.breakthrough_share,
        },
    }


def read_indicators_metadata(path: Path) -> dict[str, Any]:
    raw = (pq.read_schema(path).metadata or {}).get(METADATA_KEY)
    return json.loads(raw) if raw else {}


def _indicators_file(
    path: Path, snapshot_id: str, metadata: dict[str, Any], seconds: float
) -> IndicatorsFile:
    options = metadata.get("options", {})
    return IndicatorsFile(
        path=path,
        snapshot_id=snapshot_id,
        as_of=date.fromisoformat(options["as_of"]),
        options=options,
        patents=int(metadata.get("patents", 0)),
        unavailable=tuple(metadata.get("unavailable", ())),
        seconds=seconds,
    )


def _unavailable(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Indicators that are null for every patent (reserved ones included)."""
    # breakthrough is known exactly where forward citations are
    counts = ", ".join(
        f"count({'fwd_citations' if name == 'breakthrough' else name}) AS {name}" for name in NAMES
    )
    row = fetch_dicts(con, f"SELECT {counts} FROM ip_raw")[0]
    return tuple(name for name in NAMES if not row[name] or name in RESERVED)


@contextmanager
def _connection(
    store: CorpusStore, root: Path, engine: EngineSettings | None
) -> Iterator[duckdb.DuckDBPyConnection]:
    engine = engine or EngineSettings()
    spill = root / ".tmp" / f"duckdb-{os.getpid()}"
    spill.mkdir(parents=True, exist_ok=True)
    con = store.connect(threads=engine.threads)
    try:
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"SET temp_directory = '{_sql_text(str(spill))}'")
        if engine.memory_limit:
            con.execute(f"SET memory_limit = '{_sql_text(engine.memory_limit)}'")
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _sql_text(value: str) -> str:
    return value.replace("'", "''")


def _copy_parquet(
    con: duckdb.DuckDBPyConnection, sql: str, path: Path, metadata: dict[str, Any]
) -> None:
    """Write a query's rows to ``path`` atomically (a temporary name, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    kv = _sql_text(json.dumps(metadata))
    con.execute(
        f"COPY ({sql}) TO '{_sql_text(str(tmp))}' (FORMAT parquet, COMPRESSION zstd, "
        f"KV_METADATA {{'{METADATA_KEY.decode()}': '{kv}'}})"
    ).fetchall()
    tmp.replace(path)


# --------------------------------------------------------------------------- scores


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
    source = f"read_parquet('{_sql_text(str(indicators.path))}')"
    metadata = {"scheme": scheme.label(), "snapshot_id": indicators.snapshot_id,
                "as_of": indicators.as_of.isoformat()}  # fmt: skip
    with _connection(store, root, engine) as con:
        _copy_parquet(con, score_sql(scheme, source), scores_path, metadata)
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


# --------------------------------------------------------------------------- one patent


@dataclass(frozen=True)
class PatentValue:
    patent_id: str
    title: str | None
    snapshot_id: str
    as_of: date
    scheme: str
    scheme_digest: str
    indicators: dict[str, Any]  # the patent's row of indicators.parquet
    explanation: Explanation

    def as_dict(self) -> dict[str, Any]:
        field = fields().get(self.indicators.get("field") or 0)
        return {
            "patent_id": self.patent_id,
            "title": self.title,
            "snapshot_id": self.snapshot_id,
            "as_of": self.as_of,
            "scheme": self.scheme,
            "scheme_digest": self.scheme_digest,
            "field": None if field is None else asdict(field),
            "cohort": self.indicators.get("cohort"),
            "cohort_size": self.indicators.get("cohort_size"),
            "cohort_level": self.indicators.get("cohort_level"),
            "kind": self.indicators.get("kind"),
            "status": self.indicators.get("status"),
            "status_basis": self.indicators.get("status_basis"),
            "term": term_of_row(self.indicators),
            "family": {
                "size": self.indicators.get("family_size"),
                "basis": self.indicators.get("family_basis"),
                "offices": self.indicators.get("family_offices"),
            },
            "forward_citations": forward_of_row(self.indicators),
            "pvd": self.explanation.pvd,
            "degrees": [asdict(d) for d in self.explanation.degrees],
            "indicators": [asdict(line) for line in self.explanation.lines],
            "unavailable": list(self.explanation.unavailable),
            "notes": list(self.explanation.notes()),
            "notes_zh": list(self.explanation.notes(zh=True)),
        }


def term_of_row(row: dict[str, Any]) -> dict[str, Any]:
    """The expiry of an indicators row and how it was reached (both languages)."""
    parts: dict[str, Any] = {
        "rule": row.get("term_rule"),
        "basis": row.get("term_basis"),
        "basis_date": row.get("term_basis_date"),
        "adjustment_days": row.get("term_adjustment_days"),
        "disclaimer": row.get("term_disclaimer"),
    }
    return {
        "expiry": row.get("term_end"),
        "term_years": row.get("term_years"),
        **parts,
        "upper_bound": bool(row.get("term_upper_bound")),
        "remaining_years": row.get("remaining_term"),
        "how": term.how_text(**parts),
        "how_zh": term.how_text(**parts, zh=True),
    }


def forward_of_row(row: dict[str, Any]) -> dict[str, Any]:
    """Forward citations with the universe they were counted over and the window's cap."""
    universe = universe_of(row)
    return {
        "count": row.get("fwd_citations"),
        "within_window": row.get("fwd_citations_5y"),
        "window_end": row.get("fwd_window_end"),
        "window_capped": row.get("fwd_window_capped"),
        "universe": universe.kind,
        "universe_start": universe.start,
        "universe_end": universe.end,
        "universe_documents": universe.documents,
        "universe_text": universe.describe(),
        "universe_text_zh": universe.describe(zh=True),
        "reason": reason_of(row, "fwd_citations"),
    }


def patent_value(
    store: CorpusStore,
    root: Path,
    number: str,
    scheme: Scheme,
    options: IndicatorOptions,
    *,
    engine: EngineSettings | None = None,
    progress: StepCallback | None = None,
) -> PatentValue:
    """One patent's indicators, percentiles, weights, contributions, degrees and PVD."""
    with store.connect() as con:
        patent_id = resolve_patent_id(con, number)
        title = fetch_value(con, "SELECT title FROM patents WHERE patent_id = ?", [patent_id])
    indicators = compute_indicators(store, root, options, engine=engine, progress=progress)
    with duckdb.connect() as con:
        rows = fetch_dicts(
            con,
            "SELECT * FROM read_parquet(?) WHERE patent_id = ?",
            [str(indicators.path), patent_id],
        )
    if not rows:
        raise NotFound(f"no indicators for {patent_id}; run `ipops value score`", field="number")
    return PatentValue(
        patent_id=patent_id,
        title=None if title is None else str(title),
        snapshot_id=indicators.snapshot_id,
        as_of=indicators.as_of,
        scheme=scheme.label(),
        scheme_digest=scheme.digest,
        indicators=rows[0],
        explanation=explain(rows[0], scheme),
    )


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class RankFilter:
    field: int | None = None
    ipc: str | None = None  # symbol prefix, e.g. "F24F" or "F24F 11"
    party: str | None = None  # part of an applicant/assignee name, or an entity id

    def check(self) -> None:
        if self.field is not None and self.field not in fields():
            raise ValidationError(f"no WIPO field {self.field}; fields are 1-35", field="field")


def top_patents(
    store: CorpusStore,
    run: ScoreRun,
    *,
    where: RankFilter | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """The best-scored patents of a run, optionally of one field, IPC prefix or party."""
    where = where or RankFilter()
    where.check()
    if limit < 1:
        raise ValidationError("must be 1 or more", field="n")
    conditions, params = _rank_conditions(where)
    sql = f"""
WITH best AS (
    SELECT s.patent_id, s.pvd, s.legal, s.technical, s.economic,
           i.field, i.main_symbol, i.filing_year, i.status
    FROM read_parquet(?) s
    JOIN read_parquet(?) i ON i.patent_id = s.patent_id
    WHERE s.pvd IS NOT NULL {conditions}
    ORDER BY s.pvd DESC, s.patent_id
    LIMIT ?
)
SELECT CAST(row_number() OVER (ORDER BY b.pvd DESC, b.patent_id) AS INTEGER) AS rank,
       b.patent_id, p.title, b.field, b.main_symbol, b.filing_year, b.status,
       round(b.pvd, 2) AS pvd, round(b.legal, 2) AS legal,
       round(b.technical, 2) AS technical, round(b.economic, 2) AS economic,
       (SELECT string_agg(DISTINCT a.name, '; ' ORDER BY a.name) FROM parties a
        WHERE a.patent_id = b.patent_id) AS parties
FROM best b
LEFT JOIN patents p ON p.patent_id = b.patent_id
ORDER BY rank"""
    with store.connect() as con:
        return fetch_dicts(
            con, sql, [str(run.scores_path), str(run.indicators_path), *params, limit]
        )


def _rank_conditions(where: RankFilter) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    if where.field is not None:
        parts.append("AND i.field = ?")
        params.append(where.field)
    if where.ipc:
        parts.append(
            "AND s.patent_id IN (SELECT patent_id FROM classifications "
            "WHERE scheme IN ('IPC', 'CPC') AND starts_with(replace(symbol, ' ', ''), ?))"
        )
        params.append(where.ipc.upper().replace(" ", ""))
    if where.party:
        parts.append(
            "AND s.patent_id IN (SELECT patent_id FROM parties WHERE "
            "contains(lower(name), lower(?)) OR contains(lower(name_normalized), lower(?)) "
            "OR entity_id = ?)"
        )
        params.extend([where.party, where.party, where.party])
    return " ".join(parts), params


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
        wanted = _metadata(options)
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


# --------------------------------------------------------------------------- high value


@dataclass(frozen=True)
class HighValuePatent:
    patent_id: str
    title: str | None
    office: str
    filing_date: date | None
    status: str
    status_basis: str
    reasons: tuple[Reason, ...]
    evidence: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        payload = asdict(self)
        payload["reasons"] = [str(r) for r in self.reasons]
        return payload


@dataclass(frozen=True)
class HighValueReport:
    snapshot_id: str
    as_of: date
    valid_inventions: int
    high_value: int
    by_reason: dict[str, int]
    pledged_without_amount: int
    patents: tuple[HighValuePatent, ...]
    strategic_list: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "as_of": self.as_of,
            "valid_inventions": self.valid_inventions,
            "high_value": self.high_value,
            "by_reason": self.by_reason,
            "pledged_without_amount": self.pledged_without_amount,
            "strategic_list": self.strategic_list,
            "patents": [p.as_dict() for p in self.patents],
        }


def screen_high_value(
    store: CorpusStore,
    indicators: IndicatorsFile,
    rules: HighValueRules,
    *,
    awards: tuple[Award, ...] = (),
    pledges: PledgeAmounts | None = None,
    limit: int | None = None,
    strategic_list: str = "builtin starter list",
) -> HighValueReport:
    """Valid invention patents meeting any of CNIPA's five conditions, with the reasons."""
    amounts = (pledges or FixedPledgeAmounts()).amounts()
    with store.connect() as con:
        con.register("hv_strategic", strategic_table(rules.strategic))
        con.register("hv_awards", awards_table(awards))
        con.register("hv_pledges", pledges_table(amounts))
        source = _sql_text(str(indicators.path))
        con.execute(f"CREATE TEMP VIEW ind AS SELECT * FROM read_parquet('{source}')").fetchall()
        con.execute(f"CREATE TEMP TABLE hv AS {high_value_sql(rules)}").fetchall()
        summary = fetch_dicts(con, _HV_SUMMARY)[0]
        rows = fetch_dicts(
            con,
            "SELECT hv.*, p.title FROM hv LEFT JOIN patents p USING (patent_id) "
            f"WHERE {_HV_ANY} ORDER BY hv.filing_date, hv.patent_id"
            + ("" if limit is None else f" LIMIT {int(limit)}"),
        )
    patents = tuple(_high_value_patent(row) for row in rows)
    return HighValueReport(
        snapshot_id=indicators.snapshot_id,
        as_of=rules.as_of,
        valid_inventions=int(summary["valid"]),
        high_value=int(summary["high_value"]),
        by_reason={str(r): int(summary[str(r)]) for r in Reason},
        pledged_without_amount=int(summary["pledged_without_amount"]),
        patents=patents,
        strategic_list=strategic_list,
    )


_HV_ANY = (
    "(strategic_industries IS NOT NULL OR overseas_family OR maintained OR pledge_high "
    "OR awards IS NOT NULL)"
)
_HV_SUMMARY = f"""
SELECT count(*) AS valid, count(*) FILTER (WHERE {_HV_ANY}) AS high_value,
       count(strategic_industries) AS {Reason.STRATEGIC_EMERGING},
       count(*) FILTER (WHERE overseas_family) AS {Reason.OVERSEAS_FAMILY},
       count(*) FILTER (WHERE maintained) AS {Reason.MAINTAINED_10_YEARS},
       count(*) FILTER (WHERE pledge_high) AS {Reason.PLEDGE_FINANCING},
       count(awards) AS {Reason.NATIONAL_AWARD},
       count(*) FILTER (WHERE pledged AND pledge_amount_fen IS NULL) AS pledged_without_amount
FROM hv"""


def _high_value_patent(row: dict[str, Any]) -> HighValuePatent:
    reasons = reasons_of(row)
    return HighValuePatent(
        patent_id=str(row["patent_id"]),
        title=row.get("title"),
        office=str(row["office"]),
        filing_date=row.get("filing_date"),
        status=str(row["status"]),
        status_basis=str(row["status_basis"]),
        reasons=reasons,
        evidence={str(r): evidence_of(row, r) for r in reasons},
    )


# --------------------------------------------------------------------------- legal term


@dataclass(frozen=True)
class LegalTerm:
    patent_id: str
    status: str
    status_basis: str
    term_years: int
    term_end: date | None
    remaining_years: Decimal | None  # 0: lapsed, expired, invalidated or over; None: unknown
    expiry: term.Expiry | None = None  # how term_end was reached

    @property
    def elapsed_years(self) -> Decimal | None:
        """Years of the statutory term used up (for the cost approach's obsolescence)."""
        if self.remaining_years is None:
            return None
        return max(Decimal(self.term_years) - self.remaining_years, Decimal(0))

    def as_dict(self) -> dict[str, Any]:
        """What a money valuation reports of each patent's legal term."""
        return {
            "patent_id": self.patent_id,
            "status": self.status,
            "status_basis": self.status_basis,
            "term_end": self.term_end,
            "term_upper_bound": bool(self.expiry and self.expiry.upper_bound),
            "term_how": None if self.expiry is None else self.expiry.how(),
            "remaining_years": None
            if self.remaining_years is None
            else str(round(self.remaining_years, 4)),
        }


_TERM_FACTS_SQL = """
WITH r AS (
    SELECT patent_id, list({'relation': relation, 'office': related_office,
                            'day': related_date, 'pct': parent_pct_date}) AS related
    FROM related_documents WHERE patent_id IN (SELECT patent_id FROM term_wanted)
    GROUP BY patent_id
), c AS (
    SELECT patent_id, min(pct_filing_date) AS pct_filing_date FROM pct_data
    WHERE patent_id IN (SELECT patent_id FROM term_wanted) GROUP BY patent_id
), t AS (
    SELECT patent_id, max(adjustment_days) AS adjustment_days, bool_or(disclaimer) AS disclaimer,
           max(length_of_grant_years) AS length_of_grant_years
    FROM terms WHERE patent_id IN (SELECT patent_id FROM term_wanted) GROUP BY patent_id
)
SELECT p.patent_id, p.office, p.doc_type, p.patent_type, p.filing_date, p.grant_date,
       p.legal_status, s.status AS event_status, r.related, c.pct_filing_date,
       t.adjustment_days, t.disclaimer, t.length_of_grant_years
FROM patents p
LEFT JOIN patent_status s ON s.patent_id = p.patent_id
LEFT JOIN r ON r.patent_id = p.patent_id
LEFT JOIN c ON c.patent_id = p.patent_id
LEFT JOIN t ON t.patent_id = p.patent_id
WHERE p.patent_id IN (SELECT patent_id FROM term_wanted)"""


def term_rows(con: duckdb.DuckDBPyConnection, patent_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each patent's row with its ``TermFacts`` under ``facts`` (one query for all)."""
    con.register("term_wanted", pa.table({"patent_id": pa.array(patent_ids, pa.string())}))
    try:
        rows = fetch_dicts(con, _TERM_FACTS_SQL)
    finally:
        con.unregister("term_wanted")
    out = {}
    for row in rows:
        related = tuple(
            term.Related(r["relation"], r["office"], r["day"], r["pct"])
            for r in (row["related"] or ())
        )
        row["facts"] = term.TermFacts(
            office=row["office"],
            patent_type=row["patent_type"],
            filing_date=row["filing_date"],
            grant_date=row["grant_date"],
            related=related,
            pct_filing_date=row["pct_filing_date"],
            adjustment_days=row["adjustment_days"],
            disclaimer=bool(row["disclaimer"]),
            length_of_grant_years=row["length_of_grant_years"],
        )
        out[str(row["patent_id"])] = row
    return out


def expiries(con: duckdb.DuckDBPyConnection, patent_ids: list[str]) -> dict[str, term.Expiry]:
    """The statutory expiry of each patent (``term.expiry``; events not applied)."""
    return {pid: term.expiry(row["facts"]) for pid, row in term_rows(con, patent_ids).items()}


def legal_term(store: CorpusStore, number: str, as_of: date) -> LegalTerm:
    """One patent's remaining legal term (same rules as the ``remaining_term`` indicator)."""
    with store.connect() as con:
        patent_id = resolve_patent_id(con, number)
        row = term_rows(con, [patent_id])[patent_id]
    status, basis = st.effective_status(row["event_status"], row["legal_status"])
    found = term.expiry(row["facts"])
    end = found.expiry
    if status == "unknown" and row["doc_type"] == "grant" and end is not None and end > as_of:
        basis = "presumed"  # as the indicators: a grant without status data, within its term
    remaining: Decimal | None
    if status in st.DEAD_STATUSES:
        remaining = Decimal(0)
    elif end is None:
        remaining = None
    else:
        remaining = Decimal(max((end - as_of).days, 0)) / Decimal(str(YEAR_DAYS))
    return LegalTerm(patent_id, status, basis, found.term_years, end, remaining, found)
