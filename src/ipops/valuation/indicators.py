"""The indicators file of a corpus snapshot: computed in DuckDB from the indicator SQL
steps, written atomically as Parquet, reused while its as-of date, options and definitions
match.

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
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from ipops.corpus.queries import fetch_dicts, fetch_value
from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.valuation.catalogue import NAMES, RESERVED
from ipops.valuation.fields import concordance_table
from ipops.valuation.indicator_sql import (
    CorpusFacts,
    IndicatorOptions,
    Step,
    cohort_levels_sql,
    indicator_steps,
    indicators_sql,
    key_collisions_sql,
    ranking_steps,
)
from ipops.valuation.schemes import Scheme

DEFINITIONS_VERSION = "1"
METADATA_KEY = b"ipops.valuation"
MAX_KEY_SALTS = 3
StepCallback = Callable[[str, int, int], None]  # step name, steps done, steps in all
# The group-bys on a patent number (``idx``: forward counts, the per-patent totals of the
# (patent, subclass) cells, scope) use DuckDB's perfect hash aggregate, an array indexed by
# the key, when the key's range needs at most this many bits; under DuckDB's default (12
# bits) they go to the general hash table at about 3x the CPU (1M patents, same run).
# 24 bits: up to 16M patents; the array has one aggregate state per patent number.
PERFECT_HASH_BITS = 24


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
    """Materialise the steps as temp tables; return the SQL of the indicators table.

    The indicator steps run with DuckDB's perfect hash aggregate allowed up to
    ``PERFECT_HASH_BITS`` (see there); the ranking steps with DuckDB's default, as their
    keys (cohort key x a small count) would make it an array far larger than their groups.
    """
    con.register("ip_concordance", concordance_table())
    facts = corpus_facts(con)
    for salt_number in range(MAX_KEY_SALTS):
        salt = "" if salt_number == 0 else f"#{salt_number}"
        salted = _with_salt(options, salt)
        steps = indicator_steps(salted, facts)
        total = len(steps) + len(ranking_steps(("all",))) + 1  # + writing the file
        con.execute(f"SET perfect_ht_threshold = {PERFECT_HASH_BITS}")
        done = _run_steps(con, steps, progress, 0, total)
        con.execute("RESET perfect_ht_threshold")
        if done:
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
        for table in step.done_with:
            con.execute(f"DROP TABLE IF EXISTS {table}")
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
    wanted = indicator_metadata(options)
    if reuse and paths.indicators.exists():
        found = read_indicators_metadata(paths.indicators)
        if (
            found.get("definitions") == wanted["definitions"]
            and found.get("options") == wanted["options"]
        ):
            return _indicators_file(paths.indicators, snapshot_id, found, seconds=0.0)
    start = time.perf_counter()
    with connection(store, root, engine) as con:
        final_sql = run_indicator_steps(con, options, progress=progress)
        wanted["patents"] = int(fetch_value(con, "SELECT count(*) FROM ip_raw") or 0)
        wanted["unavailable"] = list(_unavailable(con))
        copy_parquet(con, final_sql, paths.indicators, wanted)
    if progress:
        progress("indicators", 1, 1)
    return _indicators_file(paths.indicators, snapshot_id, wanted, time.perf_counter() - start)


def definitions_digest(options: IndicatorOptions) -> str:
    """Version and hash of the indicator SQL: a change of definitions invalidates old files."""
    facts = CorpusFacts(has_citations=True)
    steps = [*indicator_steps(options, facts), *ranking_steps(("field_year", "year", "all"))]
    text = "\n".join([*(step.sql for step in steps), indicators_sql(options)])
    return f"{DEFINITIONS_VERSION}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def indicator_metadata(options: IndicatorOptions) -> dict[str, Any]:
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
def connection(
    store: CorpusStore, root: Path, engine: EngineSettings | None
) -> Iterator[duckdb.DuckDBPyConnection]:
    engine = engine or EngineSettings()
    spill = root / ".tmp" / f"duckdb-{os.getpid()}"
    spill.mkdir(parents=True, exist_ok=True)
    con = store.connect(threads=engine.threads)
    try:
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"SET temp_directory = '{sql_text(str(spill))}'")
        if engine.memory_limit:
            con.execute(f"SET memory_limit = '{sql_text(engine.memory_limit)}'")
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def sql_text(value: str) -> str:
    return value.replace("'", "''")


def copy_parquet(
    con: duckdb.DuckDBPyConnection, sql: str, path: Path, metadata: dict[str, Any]
) -> None:
    """Write a query's rows to ``path`` atomically (a temporary name, then a rename).

    Zstandard at level 1: any Parquet reader reads it like the default level 3; the file is
    ~10 % larger and its encoding ~15 % cheaper (indicators of 1M patents: 59 MB instead of
    54 MB, measured with ``benchmarks/value.py``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    kv = sql_text(json.dumps(metadata))
    con.execute(
        f"COPY ({sql}) TO '{sql_text(str(tmp))}' (FORMAT parquet, COMPRESSION zstd, "
        "COMPRESSION_LEVEL 1, "
        f"KV_METADATA {{'{METADATA_KEY.decode()}': '{kv}'}})"
    ).fetchall()
    tmp.replace(path)


MIN_COHORT = 20  # the smallest field x year cohort of the pages, the API and the CLI default


def value_options(
    store: CorpusStore, *, as_of: date | None = None, min_cohort: int = MIN_COHORT
) -> IndicatorOptions:
    """The indicator options of a valuation as of ``as_of``, by default the corpus's data
    cut-off (``default_as_of``), as the CLI, the pages, the API and the reports value."""
    return IndicatorOptions(as_of=default_as_of(store, as_of), min_cohort=min_cohort)
