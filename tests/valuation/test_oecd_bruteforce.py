"""Generality, originality, radicalness and forward citations of the indicator SQL against a
direct Python computation of their definitions on small random corpora.

The definitions (OECD, Squicciarini, Dernis & Criscuolo 2013, after Hall, Jaffe & Trajtenberg
2001 and Shane 2001), as ``ipops.valuation.indicator_sql`` documents them:

* a document's classes: its distinct 4-character IPC subclasses, else (no IPC at all) its
  CPC subclasses; CPC-only ``Y`` tags left out;
* edges: patent citations whose cited document is a corpus patent, self-citations left out,
  a citation listed twice counted twice;
* generality of ``x``: ``1 - sum_j s_j^2``, ``s_j`` the share of subclass ``j`` among all
  subclasses of the documents of the citing universe citing ``x`` (null when none has one);
* originality of ``x``: the same over the subclasses of the corpus patents ``x`` cites;
* radicalness of ``x``: the share of those subclasses that are not among ``x``'s own (null
  when ``x`` has no subclass or cites no classified corpus patent).

The corpora mix IPC, CPC-only and ``Y``-tagged patents, unclassified ones, duplicate and
self-citations, citations of documents outside the corpus and (second case) a loaded citing
universe with citing documents outside the corpus.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from builders import AS_OF, Workspace, patent

from ipops.valuation.catalogue import PERCENTILE_NAMES
from ipops.valuation.indicator_sql import IndicatorOptions, rank_table
from ipops.valuation.indicators import PERFECT_HASH_BITS, compute_indicators, run_indicator_steps

SUBCLASSES = ("A61K", "A61B", "G06F", "H04L", "H04W", "B65D", "C07D", "F16H", "Y02E")
Rows = dict[str, list[dict[str, Any]]]


def _class_rows(rng: random.Random, patent_id: str) -> list[dict[str, Any]]:
    rows = []
    for sequence in range(rng.choice((0, 1, 1, 2, 3, 4))):
        scheme = rng.choice(("IPC", "IPC", "CPC"))
        subclass = rng.choice(SUBCLASSES if scheme == "CPC" else SUBCLASSES[:-1])
        rows.append({"patent_id": patent_id, "scheme": scheme, "sequence": sequence,
                     "symbol": f"{subclass} {rng.randint(1, 9)}/00", "subclass": subclass,
                     "is_main": sequence == 0})  # fmt: skip
    return rows


def random_corpus(seed: int, *, loaded: bool) -> Rows:
    rng = random.Random(seed)
    ids = [f"US{9000000 + i}" for i in range(60)]
    outside = [f"US{100 + i}" for i in range(10)]  # cited, never in the corpus
    citing_outside = [f"EP{200 + i}" for i in range(15)]  # in the loaded universe only
    first = date(2000, 1, 1)
    rows: Rows = {"patents": [], "classifications": [], "citations": []}
    for i, patent_id in enumerate(ids):
        filed = first + timedelta(days=40 * i)
        rows["patents"].append(patent(patent_id, filed=filed, granted=filed + timedelta(days=700)))
    for patent_id in ids + (citing_outside if loaded else []):
        rows["classifications"] += _class_rows(rng, patent_id)
    for i, patent_id in enumerate(ids + (citing_outside if loaded else [])):
        earlier = ids[: i if i < len(ids) else len(ids)]
        pool = earlier + outside + [patent_id]  # a self-citation now and then
        cited = [rng.choice(pool) for _ in range(rng.randint(0, 6))]
        rows["citations"] += [
            {"patent_id": patent_id, "sequence": k, "category": "patent",
             "cited_patent_id": c, "cited_number": c[2:], "cited_office": c[:2]}
            for k, c in enumerate(cited)
        ]  # fmt: skip
    if loaded:
        universe = ids[::2] + citing_outside  # half the corpus patents are not citing ones
        rows["citing_documents"] = [
            {"patent_id": p, "office": p[:2], "publication_date": date(2010, 1, 1),
             "generated": False}
            for p in universe
        ]  # fmt: skip
    return rows


def classes_of(rows: Rows) -> dict[str, set[str]]:
    ipc: dict[str, set[str]] = {}
    cpc: dict[str, set[str]] = {}
    for r in rows["classifications"]:
        if r["subclass"].startswith("Y"):
            continue
        (ipc if r["scheme"] == "IPC" else cpc).setdefault(r["patent_id"], set()).add(r["subclass"])
    return {p: ipc.get(p) or cpc[p] for p in {*ipc, *cpc}}


def _hhi(counts: Counter[str]) -> float | None:
    total = sum(counts.values())
    return 1 - sum(n * n for n in counts.values()) / total**2 if total else None


def expected(rows: Rows) -> dict[str, dict[str, Any]]:
    corpus = {r["patent_id"] for r in rows["patents"]}
    classes = classes_of(rows)
    if "citing_documents" in rows:
        universe = {r["patent_id"] for r in rows["citing_documents"]}
    else:
        universe = corpus
    edges = [
        (r["patent_id"], r["cited_patent_id"])
        for r in rows["citations"]
        if r["cited_patent_id"] in corpus and r["cited_patent_id"] != r["patent_id"]
    ]
    out: dict[str, dict[str, Any]] = {}
    for x in sorted(corpus):
        citing = [a for a, b in edges if b == x and a in universe]
        cited = [b for a, b in edges if a == x]
        forward: Counter[str] = Counter(j for a in citing for j in classes.get(a, ()))
        backward: Counter[str] = Counter(j for b in cited for j in classes.get(b, ()))
        total = sum(backward.values())
        own = classes.get(x, set())
        radical = 1 - sum(n for j, n in backward.items() if j in own) / total if total else None
        out[x] = {
            "fwd_citations": len(citing),
            "generality": _hhi(forward),
            "originality": _hhi(backward),
            "radicalness": radical if own else None,
            "scope": len(own) or None,
        }
    return out


@pytest.mark.parametrize(("seed", "loaded"), [(1, False), (2, False), (3, True), (4, True)])
def test_indicator_sql_matches_the_definitions(tmp_path: Path, seed: int, loaded: bool) -> None:
    rows = random_corpus(seed, loaded=loaded)
    ws = Workspace(tmp_path / "ws")
    ws.add("random", rows)
    result = compute_indicators(ws.store, ws.valuation, IndicatorOptions(as_of=AS_OF))
    names = ("fwd_citations", "generality", "originality", "radicalness", "scope")
    got = {
        r[0]: dict(zip(names, r[1:], strict=True))
        for r in duckdb.connect()
        .execute(f"SELECT patent_id, {', '.join(names)} FROM read_parquet(?)", [str(result.path)])
        .fetchall()
    }
    want = expected(rows)
    assert set(got) == set(want)
    checked = 0
    for patent_id, values in want.items():
        for name in names:
            value = got[patent_id][name]
            if name == "scope" and values[name] is None:
                assert value in (None, 0), (patent_id, name)
            elif values[name] is None:
                assert value is None, (patent_id, name, value)
            else:
                assert value == pytest.approx(values[name]), (patent_id, name)
                checked += name in ("generality", "originality", "radicalness")
    assert checked > 40  # the corpus exercises the measures, not only their nulls


def test_steps_free_their_inputs_and_restore_the_engine_settings(tmp_path: Path) -> None:
    """After the steps only ``ip_raw`` and the ranking tables are left (the rest is dropped
    once no later step reads it), the final SQL still runs on them, and the perfect hash
    threshold the indicator steps use is back at DuckDB's default for later queries."""
    ws = Workspace(tmp_path / "ws")
    ws.add("random", random_corpus(5, loaded=True))
    con = ws.store.connect()
    default = con.execute("SELECT current_setting('perfect_ht_threshold')").fetchall()[0][0]
    final_sql = run_indicator_steps(con, IndicatorOptions(as_of=AS_OF))
    tables = {str(r[0]) for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"ip_raw", "ip_cohort_sizes"} | {rank_table(n) for n in PERCENTILE_NAMES}
    rows = con.execute(f"SELECT count(*), count(originality) FROM ({final_sql})").fetchall()
    assert rows[0][0] == con.execute("SELECT count(*) FROM patents").fetchall()[0][0]
    assert rows[0][1] > 0
    setting = con.execute("SELECT current_setting('perfect_ht_threshold')").fetchall()[0][0]
    assert setting == default != PERFECT_HASH_BITS
