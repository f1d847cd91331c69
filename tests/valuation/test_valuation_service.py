"""Scoring the corpus: no citations at all, runs in the registry, a generated corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from builders import AS_OF, Workspace, event, ipc, patent

from ipops.corpus.loaders import load_generated
from ipops.errors import NotFound
from ipops.registry.db import session_scope
from ipops.valuation.catalogue import PERCENTILE_NAMES, pct_column
from ipops.valuation.highvalue import HighValueRules
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import compute_indicators
from ipops.valuation.rankings import RankFilter, patent_value, top_patents
from ipops.valuation.runs import ensure_scores, list_runs, score_corpus
from ipops.valuation.schemes import load_scheme
from ipops.valuation.screening import screen_high_value

OPTIONS = IndicatorOptions(as_of=AS_OF)
CITATION_INDICATORS = {
    "fwd_citations",
    "fwd_citations_5y",
    "backward_citations",
    "npl_citations",
    "generality",
    "originality",
    "radicalness",
    "breakthrough",
}


def no_citations(ws: Workspace) -> None:
    """Thirty Chinese inventions from a database export: claims, IPC, events, no citations."""
    patents = [
        patent(
            f"CN{100 + i}",
            filed=date(2014 + i % 6, 1 + i % 12, 1),
            claims_count=5 + i,
            independent_claims_count=1 + i % 3,
            family_size=1 + i % 4,
            source="cn-table",
        )
        for i in range(30)
    ]
    classes = [
        row
        for i, p in enumerate(patents)
        for row in ipc(p["patent_id"], "F24F 11/30", *(["F25B 13/00"] if i % 2 else []))
    ]
    events = [event(p["patent_id"], date(2019, 1, 2), "granted") for p in patents]
    events.append(event("CN101", date(2020, 3, 1), "licence_recorded"))
    ws.add("no-citations", {"patents": patents, "classifications": classes, "events": events})


def test_a_corpus_without_citations_still_scores_and_says_what_is_missing(
    workspace: Workspace,
) -> None:
    no_citations(workspace)
    run = score_corpus(workspace.store, workspace.valuation, load_scheme("default"), OPTIONS)
    assert run.patents == 30 and run.scored == 30
    assert set(run.unavailable) == CITATION_INDICATORS
    con = duckdb.connect()
    pvd = [
        r[0]
        for r in con.execute("SELECT pvd FROM read_parquet(?)", [str(run.scores_path)]).fetchall()
    ]
    assert all(0 <= p <= 100 for p in pvd)
    value = patent_value(
        workspace.store, workspace.valuation, "CN101", load_scheme("default"), OPTIONS
    )
    assert set(value.explanation.unavailable) == CITATION_INDICATORS
    legal = value.explanation.degree_score("legal")
    assert legal is not None and value.indicators["licensed"] is True
    technical = {
        line.indicator: line for line in value.explanation.lines if line.degree == "technical"
    }
    assert technical["generality"].normalised is None and technical["generality"].contribution == 0
    assert technical["scope"].effective_weight == 1.0  # the only technical indicator left
    assert value.explanation.pvd == pytest.approx(
        sum(line.contribution for line in value.explanation.lines)
    )


def test_an_unknown_number_is_named(workspace: Workspace) -> None:
    no_citations(workspace)
    with pytest.raises(NotFound, match="no patent 'CN999999'"):
        patent_value(
            workspace.store, workspace.valuation, "CN999999", load_scheme("default"), OPTIONS
        )


def test_runs_are_recorded_with_scheme_and_snapshot(registry_url: str, tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws", registry_url)
    no_citations(ws)
    finance = load_scheme("finance")
    with session_scope(ws.target.engine) as session:
        first = ensure_scores(ws.store, ws.valuation, finance, OPTIONS, db_session=session)
    with session_scope(ws.target.engine) as session:
        again = ensure_scores(ws.store, ws.valuation, finance, OPTIONS, db_session=session)
        other = ensure_scores(
            ws.store, ws.valuation, load_scheme("default"), OPTIONS, db_session=session
        )
        runs = list_runs(db_session=session)
        assert [r.id for r in runs] == [other.run_id, first.run_id]
        record = runs[1]
        assert (record.scheme_name, record.scheme_version, record.scheme_digest) == (
            "finance",
            "1.0",
            finance.digest,
        )
        assert record.snapshot_id == ws.store.manifest().snapshot_id
        assert record.as_of == AS_OF and record.scored == 30
        assert set(record.unavailable) == CITATION_INDICATORS & set(finance.indicators)
        assert record.definitions_version.startswith("1-")
    assert again.run_id == first.run_id  # reused: same snapshot, same weights
    later = IndicatorOptions(as_of=date(2026, 6, 30))
    with session_scope(ws.target.engine) as session:
        moved = ensure_scores(ws.store, ws.valuation, finance, later, db_session=session)
        assert moved.run_id not in (first.run_id, other.run_id) and moved.as_of == later.as_of
        same = ensure_scores(ws.store, ws.valuation, finance, later, db_session=session)
        assert same.run_id == moved.run_id


def test_a_generated_corpus(workspace: Workspace) -> None:
    """A realistic mix (CN, US, JP ... with citations, events and families): every
    percentile in [0, 1], every PVD in [0, 100], breakthroughs rare, rankings filter."""
    load_generated(workspace.target, patents=1500, seed=11)
    indicators = compute_indicators(workspace.store, workspace.valuation, OPTIONS)
    con = duckdb.connect()
    con.execute(f"CREATE VIEW ind AS SELECT * FROM read_parquet('{indicators.path}')")
    for name in PERCENTILE_NAMES:
        low, high = con.execute(
            f"SELECT min({pct_column(name)}), max({pct_column(name)}) FROM ind"
        ).fetchall()[0]
        assert low is None or (0.0 <= low <= high <= 1.0), name
    counts = con.execute(
        "SELECT count(*), count(licensed), count(*) FILTER (WHERE pledged), "
        "count(*) FILTER (WHERE breakthrough), count(generality) FROM ind"
    ).fetchall()[0]
    assert counts[0] == counts[1] == 1500  # events exist: licence is known for every patent
    assert counts[2] > 0 and counts[3] <= 0.02 * 1500 and counts[4] > 0
    run = score_corpus(workspace.store, workspace.valuation, load_scheme("licensing"), OPTIONS)
    low, high = con.execute(
        "SELECT min(pvd), max(pvd) FROM read_parquet(?)", [str(run.scores_path)]
    ).fetchall()[0]
    assert 0 <= low <= high <= 100
    best = top_patents(workspace.store, run, limit=5)
    assert [r.rank for r in best] == sorted(r.rank for r in best)
    assert best[0].pvd is not None and best[-1].pvd is not None
    assert best[0].pvd >= best[-1].pvd
    in_field = top_patents(workspace.store, run, where=RankFilter(field=30), limit=3)
    assert in_field and all(r.field == 30 for r in in_field)
    by_ipc = top_patents(workspace.store, run, where=RankFilter(ipc="F24F"), limit=3)
    assert by_ipc
    report = screen_high_value(workspace.store, indicators, HighValueRules(as_of=AS_OF))
    assert 0 < report.high_value <= report.valid_inventions


def test_licence_and_pledge_are_unknown_for_a_source_without_events(workspace: Workspace) -> None:
    """Events were loaded for the Chinese export only: a USPTO grant is not 'not licensed'."""
    no_citations(workspace)
    workspace.add(
        "us", {"patents": [patent("US9000001", patent_type="utility", source="uspto-xml")]}
    )
    indicators = compute_indicators(workspace.store, workspace.valuation, OPTIONS)
    con = duckdb.connect()
    rows = dict(
        con.execute(
            "SELECT patent_id, licensed FROM read_parquet(?) WHERE patent_id IN ('US9000001', "
            "'CN101', 'CN102')",
            [str(indicators.path)],
        ).fetchall()
    )
    assert rows == {"US9000001": None, "CN101": True, "CN102": False}
