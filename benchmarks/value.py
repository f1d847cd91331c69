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

It prints wall time and peak resident memory (VmHWM) of each and checks that both agree on
the indicator values. Usage::

    python benchmarks/value.py                      # 1M and 5M patents (pandas at 1M only)
    python benchmarks/value.py --sizes 100000       # quick look while developing
    python benchmarks/value.py --sizes 5000000 --pandas-max 0    # ipops only
"""

from __future__ import annotations

import argparse
import json
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
