"""Benchmark: patent value indicators and scores over a large corpus, against pandas.

Generates a PatentsView-shaped corpus (US utility grants filed 2000-2019, IPC symbols with
the field mix of USPTO grants, assignees, a few legal-status events, 5-50 backward patent
citations per patent chosen by Pareto fitness with a recency preference, so that forward
citations are heavy-tailed, plus non-patent literature) and writes its Parquet straight into
a corpus batch (numpy + DuckDB; ``ipops.corpus.generate`` is too slow for millions). Then,
for the same data in the same run, each contender runs in its own process:

* ipops: ``compute_indicators`` (all indicators, cohort percentiles, breakthrough) and
  ``score_corpus`` (the three degrees and PVD with the default scheme), Parquet written;
* pandas: the same indicators with pandas merges and groupbys, then the same percentiles.

It prints wall time, CPU time (user + system, all threads) and peak resident memory (VmHWM)
of each, the load average around each run (the machine may be shared), and checks that both
agree on the indicator values. ``--also-src DIR`` runs ipops a second time from another
source tree (e.g. the main branch's ``src``) on the same corpus in the same run, and checks
that both ipops runs write identical indicators. Usage::

    python benchmarks/value.py                      # 1M and 5M patents (pandas at 1M only)
    python benchmarks/value.py --sizes 100000       # quick look while developing
    python benchmarks/value.py --sizes 5000000 --pandas-max 0    # ipops only
    python benchmarks/value.py --sizes 1000000 --also-src ../main/src   # before/after
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from ipops.corpus.schema import SCHEMAS
from ipops.corpus.store import PART_NAME, CorpusStore
from ipops.valuation.fields import concordance

IntArray = npt.NDArray[np.int64]
AS_OF = date(2025, 1, 1)
FIRST_YEAR, YEARS = 2000, 20
EPOCH = date(1970, 1, 1).toordinal()
CHUNK = 250_000  # citing patents per generation step
FIRST_NUMBER = 7_000_000
PRIOR_ART_GAP = 550  # days: a cited patent was filed at least this long before
RECENT_WINDOW = 5 * 365
WITHIN_FIELD = 0.75
RECENT_SHARE = 0.5
OUTSIDE_SHARE = 0.12  # citations of documents outside the corpus (older US, foreign)
# Approximate shares of USPTO utility grants by WIPO field (1..35), 2010s.
FIELD_SHARES = (
    6.0, 3.5, 3.0, 6.0, 1.0, 12.0, 2.5, 4.0, 3.0, 4.0, 0.6, 2.0, 5.5, 2.0, 2.5, 3.0, 1.5,
    0.5, 1.5, 1.2, 1.2, 0.1, 1.5, 0.8, 2.0, 1.3, 2.5, 0.8, 2.5, 1.0, 2.0, 3.5, 2.0, 1.5, 2.0,
)  # fmt: skip
SUBGROUPS = ("00", "02", "04", "06", "08", "10", "12", "14", "16", "18", "20", "22", "24")


# =========================================================================== generation


class Generator:
    """A PatentsView-shaped corpus of ``n`` US utility grants as numpy arrays, then Parquet."""

    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = np.random.default_rng(seed)
        rng = self.rng
        growth = 1.05 ** np.arange(YEARS)
        year = rng.choice(YEARS, size=n, p=growth / growth.sum())
        start = np.array([date(FIRST_YEAR + y, 1, 1).toordinal() - EPOCH for y in range(YEARS)])
        self.filing: IntArray = np.sort(start[year] + rng.integers(0, 365, n))
        lag = np.clip(rng.lognormal(np.log(900), 0.35, n), 300, 3000).astype(np.int64)
        self.grant: IntArray = self.filing + lag
        shares = np.array(FIELD_SHARES) / sum(FIELD_SHARES)
        self.field: IntArray = rng.choice(35, size=n, p=shares)
        self.fitness = np.minimum(rng.pareto(2.0, n) + 0.05, 50.0)
        self._by_field = [np.flatnonzero(self.field == f) for f in range(35)]
        self._cum_field = [np.cumsum(self.fitness[pos]) for pos in self._by_field]
        self._cum_all = np.cumsum(self.fitness)
        self.patterns = _patterns_by_field()

    # -- patents -------------------------------------------------------------------------
    def patents(self, con: duckdb.DuckDBPyConnection) -> pa.Table:
        rng, n = self.rng, self.n
        claims = np.clip(np.round(rng.lognormal(np.log(17), 0.5, n)), 1, 150).astype(np.int32)
        independent = np.minimum(1 + rng.poisson(1.3, n), claims).astype(np.int32)
        family = (1 + rng.geometric(0.45, n) - 1 + rng.poisson(0.6, n)).astype(np.int32)
        raw = pa.table(
            {
                "i": np.arange(n, dtype=np.int64),
                "filing": _dates(self.filing),
                "grant_day": _dates(self.grant),
                "claims": claims,
                "independent": independent,
                "family": family,
            }
        )
        con.register("raw_patents", raw)
        return _canonical(
            con,
            "patents",
            f"""SELECT 'US' || (i + {FIRST_NUMBER}) AS patent_id, 'US' AS office,
                (i + {FIRST_NUMBER})::VARCHAR AS number, 'B2' AS kind, 'grant' AS doc_type,
                'utility' AS patent_type, 'US' || (13000000 + i) AS application_id,
                'Generated patent ' || i AS title, filing AS filing_date,
                filing AS priority_date, grant_day AS publication_date, grant_day AS grant_date,
                claims AS claims_count, independent AS independent_claims_count,
                family AS family_size, true AS generated, 'generated' AS source
            FROM raw_patents""",
        )

    # -- classifications -----------------------------------------------------------------
    def classifications(self, con: duckdb.DuckDBPyConnection) -> pa.Table:
        rng, n = self.rng, self.n
        count = np.minimum(1 + rng.poisson(0.8, n), 6)
        owner = np.repeat(np.arange(n), count)
        sequence = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
        own_field = self.field[owner]
        other = rng.random(len(owner)) < 0.2
        field = np.where((sequence > 0) & other, rng.integers(0, 35, len(owner)), own_field)
        subclass, group = self._symbols(field)
        same = (sequence > 0) & ~other & (rng.random(len(owner)) < 0.5)
        previous = np.roll(np.arange(len(owner)), 1)
        subclass = np.where(same, subclass[previous], subclass)
        subgroup = rng.integers(0, len(SUBGROUPS), len(owner))
        con.register(
            "raw_classes",
            pa.table({"i": owner, "seq": sequence, "sub": subclass, "grp": group, "sg": subgroup}),
        )
        con.register("subclass_names", pa.table({"k": np.arange(len(self.names)), "s": self.names}))
        con.register("subgroup_names", pa.table({"k": np.arange(len(SUBGROUPS)), "g": SUBGROUPS}))
        return _canonical(
            con,
            "classifications",
            f"""SELECT 'US' || (i + {FIRST_NUMBER}) AS patent_id, 'IPC' AS scheme,
                seq AS sequence, s.s || ' ' || grp || '/' || g.g AS symbol, s.s AS subclass,
                s.s || ' ' || grp || '/00' AS main_group, seq = 0 AS is_main,
                'inventive' AS value, '2006.01' AS version
            FROM raw_classes r JOIN subclass_names s ON s.k = r.sub
            JOIN subgroup_names g ON g.k = r.sg ORDER BY i, seq""",
        )

    def _symbols(self, field: IntArray) -> tuple[IntArray, IntArray]:
        """A subclass (index into ``names``) and a main group for each field drawn."""
        rng = self.rng
        subclass = np.zeros(len(field), np.int64)
        group = np.zeros(len(field), np.int64)
        for f in range(35):
            rows = np.flatnonzero(field == f)
            options = self.patterns[f]
            weights = 1.0 / np.arange(1, len(options) + 1) ** 0.8
            pick = rng.choice(len(options), size=len(rows), p=weights / weights.sum())
            subclass[rows] = np.array([self.name_index[o[0]] for o in options])[pick]
            fixed = np.array([o[1] if o[1] is not None else -1 for o in options])[pick]
            drawn = np.minimum(rng.zipf(1.6, len(rows)), 99)
            group[rows] = np.where(fixed >= 0, fixed, drawn)
        return subclass, group

    @property
    def names(self) -> list[str]:
        return sorted({s for options in self.patterns for s, _ in options})

    @property
    def name_index(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.names)}

    # -- citations -----------------------------------------------------------------------
    def citation_chunks(self) -> Any:
        """(citing, cited or -1, outside number) arrays, a chunk of citing patents at a time."""
        rng = self.rng
        for start in range(0, self.n, CHUNK):
            citing_patents = np.arange(start, min(start + CHUNK, self.n))
            k = np.clip(np.round(rng.lognormal(np.log(16), 0.5, len(citing_patents))), 5, 50)
            citing = np.repeat(citing_patents, k.astype(np.int64))
            yield citing, self._cited(citing)

    def _cited(self, citing: IntArray) -> IntArray:
        rng = self.rng
        days = self.filing[citing]
        hi = np.searchsorted(self.filing, days - PRIOR_ART_GAP)
        recent = rng.random(len(citing)) < RECENT_SHARE
        lo = np.where(recent, np.searchsorted(self.filing, days - RECENT_WINDOW), 0)
        cited = np.full(len(citing), -1, np.int64)
        within = rng.random(len(citing)) < WITHIN_FIELD
        for f in range(35):
            rows = np.flatnonzero(within & (self.field[citing] == f))
            pos = self._by_field[f]
            cited[rows] = _draw(pos, self._cum_field[f], lo[rows], hi[rows], rng)
        rows = np.flatnonzero(~within)
        cited[rows] = _draw(None, self._cum_all, lo[rows], hi[rows], rng)
        outside = rng.random(len(citing)) < OUTSIDE_SHARE
        return np.where(outside, -1, cited)

    def citations(self, con: duckdb.DuckDBPyConnection, citing: IntArray, cited: IntArray) -> Any:
        rng = self.rng
        order = np.lexsort((cited, citing))
        citing, cited = citing[order], cited[order]
        repeated = np.r_[False, (citing[1:] == citing[:-1]) & (cited[1:] == cited[:-1])]
        cited = np.where(repeated, -1, cited)  # cite each corpus patent once
        first = np.r_[True, citing[1:] != citing[:-1]]
        sequence = np.arange(len(citing)) - np.maximum.accumulate(
            np.where(first, np.arange(len(citing)), 0)
        )
        outside_number = rng.integers(3_000_000, 6_999_999, len(citing))
        grant = np.where(cited >= 0, self.grant[np.maximum(cited, 0)], -1)
        con.register(
            "raw_citations",
            pa.table(
                {
                    "i": citing,
                    "seq": sequence,
                    "cited": cited,
                    "other": outside_number,
                    "cited_day": pa.array(grant, pa.int32()).cast(pa.date32()),
                }
            ),
        )
        patents = _canonical(
            con,
            "citations",
            f"""SELECT 'US' || (i + {FIRST_NUMBER}) AS patent_id, seq AS sequence,
                'patent' AS category, 'US' AS cited_office,
                CASE WHEN cited >= 0 THEN (cited + {FIRST_NUMBER})::VARCHAR
                     ELSE other::VARCHAR END AS cited_number,
                'B2' AS cited_kind,
                'US' || CASE WHEN cited >= 0 THEN cited + {FIRST_NUMBER} ELSE other END
                    AS cited_patent_id,
                CASE WHEN cited >= 0 THEN cited_day END AS cited_date,
                CASE WHEN seq % 3 = 0 THEN 'applicant' ELSE 'examiner' END AS cited_by
            FROM raw_citations""",
        )
        return patents, self._npl(con, citing)

    def _npl(self, con: duckdb.DuckDBPyConnection, citing: IntArray) -> pa.Table:
        patents = np.unique(citing)
        m = self.rng.poisson(2.2, len(patents))
        owner = np.repeat(patents, m)
        sequence = 100 + np.arange(len(owner)) - np.repeat(np.cumsum(m) - m, m)
        con.register("raw_npl", pa.table({"i": owner, "seq": sequence}))
        return _canonical(
            con,
            "citations",
            f"""SELECT 'US' || (i + {FIRST_NUMBER}) AS patent_id, seq AS sequence,
                'npl' AS category, 'applicant' AS cited_by,
                'Smith J. et al., J. Appl. Tech. ' || (i % 40 + 1980) || ', ' || seq AS npl_text
            FROM raw_npl""",
        )

    # -- parties and events --------------------------------------------------------------
    def parties(self, con: duckdb.DuckDBPyConnection) -> pa.Table:
        firms = np.minimum(self.rng.zipf(1.3, self.n), 200_000)
        con.register("raw_parties", pa.table({"i": np.arange(self.n), "firm": firms}))
        return _canonical(
            con,
            "parties",
            f"""SELECT 'US' || (i + {FIRST_NUMBER}) AS patent_id, 0 AS sequence,
                'assignee' AS role, 'Firm ' || firm || ' Inc.' AS name,
                'FIRM ' || firm AS name_normalized, 'E' || firm AS entity_id,
                'organization' AS party_type, CASE WHEN firm % 5 = 0 THEN 'JP' ELSE 'US' END
                AS country
            FROM raw_parties""",
        )

    def events(self, con: duckdb.DuckDBPyConnection) -> pa.Table:
        rng, n = self.rng, self.n
        as_of = AS_OF.toordinal() - EPOCH
        lapse = self.grant + (rng.uniform(3.5, 12, n) * 365.25).astype(np.int64)
        lapsed = (rng.random(n) < 0.35) & (lapse < as_of)
        term_end = self.filing + round(20 * 365.25)
        expired = ~lapsed & (term_end < as_of)
        kinds = [
            (lapsed, lapse, "lapsed_unpaid_fees"),
            (expired, term_end, "expired"),
            (rng.random(n) < 0.03, self.grant + 400, "licence_recorded"),
            (rng.random(n) < 0.015, self.grant + 700, "pledged"),
            (rng.random(n) < 0.08, self.grant + 200, "transferred"),
        ]
        parts = []
        for mask, day, kind in kinds:
            rows = np.flatnonzero(mask & (day < as_of))
            parts.append(
                pa.table(
                    {
                        "i": rows,
                        "day": pa.array(day[rows].astype(np.int32)).cast(pa.date32()),
                        "kind": pa.array([kind] * len(rows), pa.string()),
                    }
                )
            )
        con.register("raw_events", pa.concat_tables(parts))
        return _canonical(
            con,
            "events",
            f"""SELECT 'US' || (i + {FIRST_NUMBER}) AS patent_id, day AS event_date,
                kind AS event_type, true AS generated FROM raw_events ORDER BY i, day""",
        )


class TermData:
    """Term, continuity and priority data of the generated grants (USPTO-like shares: about
    60% with adjustment days, 35% with a continuation/division/CIP parent, 15% with a
    provisional that must not count, 30% with foreign priorities)."""

    def __init__(self, generator: Generator) -> None:
        rng, n = generator.rng, generator.n
        self.n = n
        self.adjusted = np.flatnonzero(rng.random(n) < 0.6)
        self.days = rng.integers(1, 700, len(self.adjusted)).astype(np.int32)
        self.disclaimer = rng.random(len(self.adjusted)) < 0.05
        self.parented = np.flatnonzero(rng.random(n) < 0.35)
        self.parent_day = generator.filing[self.parented] - rng.integers(
            200, 2500, len(self.parented)
        )
        self.relation = rng.choice(np.array(["continuation", "division", "continuation_in_part"]),
                                   len(self.parented))  # fmt: skip
        self.provisional = np.flatnonzero(rng.random(n) < 0.15)
        self.provisional_day = generator.filing[self.provisional] - 365
        offices = np.array(["JP", "KR", "DE", "CN", "EP", "WO", "GB", "FR"])
        prioritised = np.flatnonzero(rng.random(n) < 0.3)
        count = 1 + (rng.random(len(prioritised)) < 0.35)
        self.prio_idx = np.repeat(prioritised, count)
        self.prio_seq = np.concatenate([np.arange(c) for c in count]) if len(count) else count
        self.prio_country = rng.choice(offices, len(self.prio_idx))
        self.prio_day = generator.filing[self.prio_idx] - 300

    def terms(self, con: duckdb.DuckDBPyConnection) -> pa.Table:
        con.register("raw_terms", pa.table({"i": self.adjusted, "days": self.days,
                                            "disclaimer": self.disclaimer}))  # fmt: skip
        return _canonical(
            con,
            "terms",
            f"""SELECT 'US' || (i + {FIRST_NUMBER}) AS patent_id, days AS adjustment_days,
                disclaimer, true AS generated FROM raw_terms""",
        )

    def related(self, con: duckdb.DuckDBPyConnection) -> pa.Table:
        idx = np.concatenate([self.parented, self.provisional])
        raw = pa.table({
            "i": idx,
            "seq": np.concatenate([np.zeros(len(self.parented)), np.ones(len(self.provisional))])
            .astype(np.int32),
            "relation": np.concatenate([self.relation,
                                        np.full(len(self.provisional), "provisional")]),
            "day": _dates(np.concatenate([self.parent_day, self.provisional_day])),
        })  # fmt: skip
        con.register("raw_related", raw)
        return _canonical(
            con,
            "related_documents",
            f"""SELECT 'US' || (i + {FIRST_NUMBER}) AS patent_id, seq AS sequence, relation,
                'US' AS related_office, day AS related_date, true AS generated
            FROM raw_related""",
        )

    def priorities(self, con: duckdb.DuckDBPyConnection) -> pa.Table:
        raw = pa.table({"i": self.prio_idx, "seq": self.prio_seq.astype(np.int32),
                        "country": self.prio_country, "day": _dates(self.prio_day)})  # fmt: skip
        con.register("raw_prio", raw)
        return _canonical(
            con,
            "priority_claims",
            f"""SELECT 'US' || (i + {FIRST_NUMBER}) AS patent_id, seq AS sequence, country,
                'P' || i AS number, day AS date, 'national' AS kind, true AS generated
            FROM raw_prio""",
        )


def _draw(
    positions: IntArray | None, cumulative: npt.NDArray[np.float64], lo: IntArray, hi: IntArray,
    rng: np.random.Generator,
) -> IntArray:  # fmt: skip
    """Patents drawn in proportion to fitness among the patents of [lo, hi) (global indices)."""
    if positions is not None:
        if len(positions) == 0:
            return np.full(len(lo), -1, np.int64)
        lo, hi = np.searchsorted(positions, lo), np.searchsorted(positions, hi)
    base = np.where(lo > 0, cumulative[np.maximum(lo - 1, 0)], 0.0)
    top = np.where(hi > 0, cumulative[np.maximum(hi - 1, 0)], 0.0)
    target = base + rng.random(len(lo)) * (top - base)
    picked = np.minimum(np.searchsorted(cumulative, target, side="right"), len(cumulative) - 1)
    found = positions[picked] if positions is not None else picked
    return np.where(hi > lo, found, -1)


def _patterns_by_field() -> list[list[tuple[str, int | None]]]:
    found: list[list[tuple[str, int | None]]] = [[] for _ in range(35)]
    for entry in concordance():
        found[entry.field.number - 1].append((entry.subclass, entry.main_group))
    return found


def _dates(days: IntArray) -> pa.Array:
    return pa.array(days.astype(np.int32)).cast(pa.date32())


def _canonical(con: duckdb.DuckDBPyConnection, table: str, sql: str) -> pa.Table:
    """The query's rows in the canonical schema of ``table`` (absent columns null)."""
    data = con.sql(sql).to_arrow_table()
    schema = SCHEMAS[table]
    columns = [
        data[name].cast(schema.field(name).type)
        if name in data.column_names
        else pa.nulls(data.num_rows, schema.field(name).type)
        for name in schema.names
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def write_corpus(root: Path, patents: int, seed: int) -> dict[str, int]:
    """Generate the corpus and commit it as one batch of ``CorpusStore(root)``."""
    store = CorpusStore(root)
    generator = Generator(patents, seed)
    con = duckdb.connect()
    with store.lock():
        writer = store.begin_batch()
        counts: dict[str, int] = {}

        def write(table: str, parts: Any) -> None:
            folder = writer.staging / table
            folder.mkdir(parents=True, exist_ok=True)
            with pq.ParquetWriter(folder / PART_NAME, SCHEMAS[table], compression="zstd") as out:
                for part in parts:
                    out.write_table(part, row_group_size=128_000)
                    counts[table] = counts.get(table, 0) + part.num_rows

        write("patents", [generator.patents(con)])
        write("classifications", [generator.classifications(con)])
        write("parties", [generator.parties(con)])
        write("events", [generator.events(con)])
        term_data = TermData(generator)
        write("terms", [term_data.terms(con)])
        write("related_documents", [term_data.related(con)])
        write("priority_claims", [term_data.priorities(con)])
        write("citations", _citation_parts(generator, con))
        writer.row_counts.update(counts)
        writer.close()
        store.commit(writer, kind="patents", load_key=f"bench-{patents}-{seed}", sources=[])
    con.close()
    return counts


def _citation_parts(generator: Generator, con: duckdb.DuckDBPyConnection) -> Any:
    for citing, cited in generator.citation_chunks():
        patents, npl = generator.citations(con, citing, cited)
        yield patents
        yield npl


# =========================================================================== contenders


def cpu_seconds() -> float:
    """CPU time of this process so far, user + system, all its threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_memory() -> int:
    """This process's peak resident memory (VmHWM) in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def run_ipops(corpus: Path, out: Path, memory_limit: str) -> dict[str, Any]:
    from ipops.valuation.indicator_sql import IndicatorOptions
    from ipops.valuation.indicators import EngineSettings, compute_indicators
    from ipops.valuation.runs import score_corpus
    from ipops.valuation.schemes import load_scheme

    store = CorpusStore(corpus)
    options = IndicatorOptions(as_of=AS_OF)
    engine = EngineSettings(memory_limit=memory_limit)
    steps: dict[str, float] = {}
    start = time.perf_counter()
    last = start

    def step(name: str, done: int, total: int) -> None:
        nonlocal last
        now = time.perf_counter()
        steps[name] = round(now - last, 2)
        last = now

    indicators = compute_indicators(store, out, options, engine=engine, progress=step, reuse=False)
    run = score_corpus(store, out, load_scheme("default"), options, engine=engine, progress=step)
    return {
        "seconds": time.perf_counter() - start,
        "cpu": cpu_seconds(),
        "peak": peak_memory(),
        "steps": steps,
        "indicators": str(indicators.path),
        "scores": str(run.scores_path),
    }


def run_pandas(corpus: Path, out: Path) -> dict[str, Any]:
    start = time.perf_counter()
    result = PandasBaseline(CorpusStore(corpus)).run()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "pandas.parquet"
    result.to_parquet(path)
    return {
        "seconds": time.perf_counter() - start,
        "cpu": cpu_seconds(),
        "peak": peak_memory(),
        "indicators": str(path),
    }


class PandasBaseline:
    """The same indicators and default-scheme scores, the way one writes them in pandas."""

    def __init__(self, store: CorpusStore) -> None:
        self.store = store

    def read(self, table: str, columns: list[str]) -> Any:
        files = [str(path) for path, _ in self.store.table_files(table)]
        return pq.read_table(files[0], columns=columns).to_pandas()

    def run(self) -> Any:
        import pandas as pd

        patents = self.read(
            "patents",
            ["patent_id", "filing_date", "publication_date", "grant_date", "claims_count",
             "independent_claims_count", "family_size"],
        )  # fmt: skip
        index = pd.Index(patents["patent_id"])
        n = len(patents)
        for column in ("filing_date", "publication_date", "grant_date"):
            patents[column] = pd.to_datetime(patents[column])
        classes, main_cid, field = self.classes(index, n)
        p = pd.DataFrame({"patent_id": patents["patent_id"]})
        p["field"] = field
        p["filing_year"] = patents["filing_date"].dt.year
        p["scope"] = classes.groupby("idx").size().reindex(range(n)).to_numpy()
        p["claims"] = patents["claims_count"]
        p["independent_claims"] = patents["independent_claims_count"]
        p["family_size"] = self.family_offices(index, n)
        p["grant_lag"] = (patents["grant_date"] - patents["filing_date"]).dt.days / 365.25
        self.citations(index, patents, classes, main_cid, p)
        self.status(index, patents, p)
        self.percentiles(p)
        self.scores(p)
        return p

    def classes(self, index: Any, n: int) -> tuple[Any, Any, Any]:
        """Distinct (idx, cid) subclasses, each patent's main cid, and its WIPO field."""
        import pandas as pd

        columns = ["patent_id", "scheme", "sequence", "subclass", "main_group", "is_main"]
        rows = self.read("classifications", columns)
        rows = rows[rows["scheme"] == "IPC"]
        rows = rows.assign(idx=index.get_indexer(rows["patent_id"]))
        codes, _ = pd.factorize(rows["subclass"], sort=True)
        rows = rows.assign(cid=codes)
        main = rows.sort_values(["idx", "is_main", "sequence"], ascending=[True, False, True])
        main = main.drop_duplicates("idx")
        main_cid = np.full(n, -1, np.int64)
        main_cid[main["idx"].to_numpy()] = main["cid"].to_numpy()
        group = main["main_group"].str.extract(r"^\w{4} (\d+)/")[0].astype(float)
        by_group = {(e.subclass, e.main_group): e.field.number for e in concordance()}
        found = [
            (by_group.get((s, int(g))) if g == g else None) or by_group.get((s, None))
            for s, g in zip(main["subclass"], group, strict=True)
        ]
        field = np.full(n, np.nan)
        field[main["idx"].to_numpy()] = np.array(found, dtype=float)
        return rows[["idx", "cid"]].drop_duplicates(), main_cid, field

    def family_offices(self, index: Any, n: int) -> Any:
        """Own office (US) plus the distinct priority offices, WO not being one (OECD)."""
        rows = self.read("priority_claims", ["patent_id", "country"])
        rows = rows[~rows["country"].isin(["WO", "IB", "US"])]
        foreign = rows.drop_duplicates().groupby("patent_id").size()
        size = np.ones(n, np.int64)
        size[index.get_indexer(foreign.index)] += foreign.to_numpy()
        return size

    def citations(self, index: Any, patents: Any, classes: Any, main_cid: Any, p: Any) -> None:
        import pandas as pd

        rows = self.read("citations", ["patent_id", "category", "cited_patent_id"])
        citing = index.get_indexer(rows["patent_id"])
        is_patent = (rows["category"] == "patent").to_numpy()
        n = len(p)
        p["backward_citations"] = np.bincount(citing[is_patent], minlength=n)
        p["npl_citations"] = np.bincount(citing[~is_patent], minlength=n)
        cited = index.get_indexer(rows["cited_patent_id"].where(is_patent))
        keep = is_patent & (cited >= 0) & (cited != citing)
        edges = pd.DataFrame({"citing": citing[keep], "cited": cited[keep]})
        del rows, citing, cited
        filing = patents["filing_date"].to_numpy()
        # the citing universe is the corpus: the window stops at its last publication
        universe_end = patents["publication_date"].max() + pd.Timedelta(days=1)
        full = patents["publication_date"] + pd.DateOffset(years=5)
        window_end = full.where(full < universe_end, universe_end).to_numpy()
        edges["in_window"] = filing[edges["citing"]] < window_end[edges["cited"]]
        forward = edges.groupby("cited").agg(fwd=("citing", "size"), fwd5=("in_window", "sum"))
        p["fwd_citations"] = forward["fwd"].reindex(range(n), fill_value=0).to_numpy()
        p["fwd_citations_5y"] = forward["fwd5"].reindex(range(n), fill_value=0).to_numpy()
        # OECD: every 4-digit code of the citing (cited) patents counts
        codes = classes.rename(columns={"idx": "other"})
        citing_codes = edges[["cited", "citing"]].merge(codes, left_on="citing", right_on="other")
        p["generality"] = _hhi(citing_codes, "cited", "cid", n)
        del citing_codes
        cited_codes = edges[["citing", "cited"]].merge(codes, left_on="cited", right_on="other")
        occ = cited_codes.groupby(["citing", "cid"]).size().rename("n").reset_index()
        occ = occ.rename(columns={"cid": "cited_cid"})
        del cited_codes
        own = classes.rename(columns={"idx": "citing", "cid": "cited_cid"}).assign(own=True)
        occ = occ.merge(own, on=["citing", "cited_cid"], how="left")
        occ["own"] = occ["own"].fillna(False).astype(bool)
        p["originality"] = _hhi_from_counts(occ, "citing", n)
        total = occ.groupby("citing")["n"].sum()
        foreign = occ[~occ["own"]].groupby("citing")["n"].sum()
        radical = (foreign.reindex(total.index, fill_value=0) / total).reindex(range(n))
        p["radicalness"] = np.where(p["scope"].notna(), radical.to_numpy(), np.nan)

    def status(self, index: Any, patents: Any, p: Any) -> None:
        events = self.read("events", ["patent_id", "event_type"])
        idx = index.get_indexer(events["patent_id"])
        n = len(p)
        dead = np.zeros(n, bool)
        dead[idx[events["event_type"].isin(["lapsed_unpaid_fees", "expired", "invalidated"])]] = (
            True
        )
        for name, kind in (("licensed", "licence_recorded"), ("pledged", "pledged")):
            flag = np.zeros(n, bool)
            flag[idx[(events["event_type"] == kind).to_numpy()]] = True
            p[name] = flag
        import pandas as pd

        related = self.read("related_documents", ["patent_id", "relation", "related_date"])
        related = related[related["relation"] != "provisional"]
        parent = pd.Series(pd.NaT, index=range(len(p)), dtype="datetime64[ns]")
        parent.iloc[index.get_indexer(related["patent_id"])] = pd.to_datetime(
            related["related_date"]
        ).to_numpy()
        start = patents["filing_date"].where(
            parent.isna() | (patents["filing_date"] <= parent), parent
        )
        terms = self.read("terms", ["patent_id", "adjustment_days"])
        adjustment = np.zeros(len(p))
        adjustment[index.get_indexer(terms["patent_id"])] = terms["adjustment_days"].fillna(0)
        end = start + pd.DateOffset(years=20) + pd.to_timedelta(adjustment, unit="D")
        days = (end - pd.Timestamp(AS_OF)).dt.days.clip(lower=0)
        p["remaining_term"] = np.where(dead, 0.0, days / 365.25)
        p["term_years"] = 20

    def percentiles(self, p: Any) -> None:
        """percent_rank within field x year; cells under 20 patents rank within the year."""
        cell = p["field"].fillna(0).astype(int) * 10_000 + p["filing_year"]
        fallback = (p.groupby(cell)["patent_id"].transform("size") < 20).to_numpy()
        small_year = (p.groupby("filing_year")["patent_id"].transform("size") < 20).to_numpy()
        everyone = np.zeros(len(p), np.int64)  # one kind: invention grants
        levels = [
            (p.groupby(cell), ~fallback),
            (p.groupby(p["filing_year"]), fallback & ~small_year),
            (p.groupby(everyone), fallback & small_year),
        ]
        for name in PANDAS_PERCENTILES:
            ascending = name != "grant_lag"
            value = np.full(len(p), np.nan)
            for group, chosen in levels:
                rank = group[name].rank(method="min", ascending=ascending)
                count = group[name].transform("count")
                pct = ((rank - 1) / (count - 1)).where(count > 1, 0.0).where(rank.notna())
                value = np.where(chosen, pct.to_numpy(float), value)
            p[f"{name}_pct"] = value
        tail = np.zeros(len(p))
        for group, chosen in levels:
            share = group["fwd_citations"].rank(method="max", ascending=False) / group[
                "fwd_citations"
            ].transform("count")
            tail = np.where(chosen, share.to_numpy(float), tail)
        p["breakthrough"] = (p["fwd_citations"] > 0) & (tail <= 0.01)

    def scores(self, p: Any) -> None:
        from ipops.valuation.catalogue import BY_NAME, Normalisation
        from ipops.valuation.schemes import load_scheme

        scheme = load_scheme("default")
        degree_scores = {}
        for degree, weights in scheme.weights.items():
            numerator = np.zeros(len(p))
            denominator = np.zeros(len(p))
            for name, weight in weights.items():
                kind = BY_NAME[name].normalisation
                if kind is Normalisation.PERCENTILE:
                    value = p[f"{name}_pct"].to_numpy(float)
                elif kind is Normalisation.FLAG:
                    value = p[name].astype(float).to_numpy()
                else:
                    value = np.clip(p[name].to_numpy(float) / p["term_years"], 0, 1)
                present = ~np.isnan(value)
                numerator += weight * np.where(present, value, 0.0)
                denominator += weight * present
            with np.errstate(invalid="ignore", divide="ignore"):
                degree_scores[degree] = 100 * numerator / denominator
        total = sum(scheme.degrees[d] * np.nan_to_num(s) for d, s in degree_scores.items())
        weight = sum(scheme.degrees[d] * ~np.isnan(s) for d, s in degree_scores.items())
        p["pvd"] = total / weight


PANDAS_PERCENTILES = (
    "fwd_citations", "fwd_citations_5y", "backward_citations", "npl_citations", "claims",
    "independent_claims", "scope", "family_size", "grant_lag", "generality", "originality",
    "radicalness",
)  # fmt: skip


def _hhi(edges: Any, key: str, cls: str, n: int) -> Any:
    counts = edges.groupby([key, cls]).size().rename("n").reset_index()
    return _hhi_from_counts(counts, key, n)


def _hhi_from_counts(counts: Any, key: str, n: int) -> Any:
    counts = counts.assign(n2=counts["n"] ** 2)
    sums = counts.groupby(key)[["n", "n2"]].sum()
    return (1 - sums["n2"] / sums["n"] ** 2).reindex(range(n)).to_numpy()


# =========================================================================== the run


def compare(ipops_out: dict[str, Any], pandas_out: dict[str, Any]) -> dict[str, float]:
    """Largest absolute difference per column, ipops vs pandas, over all patents."""
    columns = (*PANDAS_PERCENTILES, "remaining_term", "fwd_citations_pct", "generality_pct")
    con = duckdb.connect()
    con.execute(f"CREATE VIEW a AS SELECT * FROM read_parquet('{ipops_out['indicators']}')")
    con.execute(f"CREATE VIEW s AS SELECT * FROM read_parquet('{ipops_out['scores']}')")
    con.execute(f"CREATE VIEW b AS SELECT * FROM read_parquet('{pandas_out['indicators']}')")
    diffs = ", ".join(f"max(abs(a.{c} - b.{c})) AS {c}" for c in columns)
    row = con.execute(
        f"SELECT {diffs}, max(abs(s.pvd - b.pvd)) AS pvd, count(*) AS patents "
        "FROM a JOIN b USING (patent_id) JOIN s USING (patent_id)"
    ).fetchall()[0]
    names = [*columns, "pvd", "patents"]
    return {k: float(v or 0.0) for k, v in zip(names, row, strict=True)}


def identical(a: dict[str, Any], b: dict[str, Any]) -> int:
    """Rows of one indicators file missing from the other (0: the same rows, exactly)."""
    con = duckdb.connect()
    files = [f"read_parquet('{run['indicators']}')" for run in (a, b)]
    return int(
        con.execute(
            f"SELECT (SELECT count(*) FROM (FROM {files[0]} EXCEPT ALL FROM {files[1]})) + "
            f"(SELECT count(*) FROM (FROM {files[1]} EXCEPT ALL FROM {files[0]}))"
        ).fetchall()[0][0]
    )


def child(
    kind: str, corpus: Path, out: Path, memory_limit: str, src: Path | None = None
) -> dict[str, Any]:
    """Run one contender in a fresh process, so that its peak memory is its own (``src``:
    import ipops from that source tree instead of the installed one)."""
    command = [sys.executable, __file__, "--one", kind, "--corpus", str(corpus),
               "--out", str(out), "--memory-limit", memory_limit]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(src.resolve())} if src else None
    load = os.getloadavg()[0]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = (load, os.getloadavg()[0])
    return result


def prepare(workdir: Path, patents: int, seed: int) -> tuple[Path, dict[str, int], float]:
    corpus = workdir / f"corpus-{patents}-{seed}"
    marker = corpus / "counts.json"
    if marker.exists():
        return corpus, json.loads(marker.read_text()), 0.0
    shutil.rmtree(corpus, ignore_errors=True)
    start = time.perf_counter()
    counts = write_corpus(corpus, patents, seed)
    marker.write_text(json.dumps(counts))
    return corpus, counts, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,5000000")
    parser.add_argument("--pandas-max", type=int, default=1_000_000,
                        help="run the pandas baseline up to this size (0: never)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory limit")
    parser.add_argument("--also-src", type=Path, default=None,
                        help="also run ipops from this source tree (before/after)")  # fmt: skip
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--one", choices=("ipops", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        out = (
            run_ipops(args.corpus, args.out, args.memory_limit)
            if args.one == "ipops"
            else run_pandas(args.corpus, args.out)
        )
        print(json.dumps(out))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ipops-value-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"as of {AS_OF}; DuckDB memory limit {args.memory_limit}; workdir {workdir}")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            report(workdir, size, args)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def report(workdir: Path, size: int, args: argparse.Namespace) -> None:
    corpus, counts, seconds = prepare(workdir, size, args.seed)
    print(f"\n== {size:,} patents: {counts.get('citations', 0):,} citations "
          f"({counts.get('classifications', 0):,} IPC rows, {counts.get('events', 0):,} events)"
          + (f", generated in {seconds:.0f} s" if seconds else ""))  # fmt: skip
    ours = child("ipops", corpus, workdir / f"out-ipops-{size}", args.memory_limit)
    print(_line("ipops (DuckDB)", ours))
    if "steps" in ours:
        print("   steps (s): " + ", ".join(f"{k} {v}" for k, v in ours["steps"].items()))
    if args.also_src:
        other = child("ipops", corpus, workdir / f"out-other-{size}", args.memory_limit,
                      args.also_src)  # fmt: skip
        print(_line(f"ipops from {args.also_src}", other))
        if "steps" in other:
            print("   steps (s): " + ", ".join(f"{k} {v}" for k, v in other["steps"].items()))
        if "seconds" in ours and "seconds" in other:
            print(f"   this tree vs {args.also_src}: {other['seconds'] / ours['seconds']:.2f}x "
                  f"wall, {other['cpu'] / ours['cpu']:.2f}x CPU; indicator rows that differ: "
                  f"{identical(ours, other)}")  # fmt: skip
    if size > args.pandas_max:
        print("   pandas baseline: skipped at this size (--pandas-max)")
        return
    theirs = child("pandas", corpus, workdir / f"out-pandas-{size}", args.memory_limit)
    print(_line("pandas baseline", theirs))
    if "seconds" in ours and "seconds" in theirs:
        print(f"   speed-up: {theirs['seconds'] / ours['seconds']:.1f}x")
        diffs = compare(ours, theirs)
        patents = int(diffs.pop("patents"))
        column = max(diffs, key=lambda k: diffs[k])
        print(f"   agreement over {patents:,} patents: largest difference {diffs[column]:.2e} "
              f"({column})")  # fmt: skip


def _line(name: str, out: dict[str, Any]) -> str:
    if "error" in out:
        return f"   {name}: failed: {out['error']}"
    low, high = out["load"]
    return (
        f"   {name}: {out['seconds']:.1f} s wall, {out['cpu']:.1f} s CPU, "
        f"peak memory {out['peak'] / 2**30:.2f} GiB (load average {low:.1f} -> {high:.1f})"
    )


if __name__ == "__main__":
    main()
