"""Benchmark: a landscape report over a 1M-patent generated corpus selecting ~100,000 patents.

The corpus comes from ``ipops.corpus.generate`` (the demo generator: CN/US/JP/DE/KR
patents, ~30% air conditioning, applicants, inventors at real GeoNames places, citations,
legal events), loaded once into ``--workdir`` and reused by later runs. The default query,
``--ipc F25B`` (refrigeration machines, heat pumps), selects about 10% of it.

Each contender runs in its own process, so that peak memory (VmHWM) is its own:

* ``cold``: the HTML report with no valuation cache (indicators and value scores of the
  whole corpus are computed first, as after a new load);
* ``html``: the HTML report, valuation cache present (the usual case);
* ``pdf``: the PDF report, valuation cache present;
* ``pandas``: the naive baseline — read the Parquet tables into pandas and compute the core
  tables of sections 2–6 (filing trend, top applicants, IPC main groups, inventor countries
  by fractional counting, team share by year), without charts or rendering. It is compared
  with the same sections of ipops (which also draw their charts).

Usage::

    python benchmarks/report.py                                  # 1M patents, F25B
    python benchmarks/report.py --patents 50000 --workdir /tmp/rb  # quick look
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ipops.config import Settings
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine, upgrade
from ipops.workspace import create_workspace

CORE_SECTIONS = ("scope", "trends", "applicants", "technology", "geography", "collaboration")
GOALS = {"html": 30.0, "pdf": 60.0}


def peak_memory() -> int:
    """This process's peak resident memory (VmHWM) in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


# =========================================================================== corpus


def prepare(workdir: Path, patents: int, seed: int) -> tuple[Path, float]:
    """The workspace with the generated corpus (reused when already built alike)."""
    root = workdir / "ws"
    marker = workdir / "corpus.json"
    wanted = {"patents": patents, "seed": seed, "generator": 1}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return root, 0.0
    shutil.rmtree(root, ignore_errors=True)
    workspace = create_workspace(Settings(home=root))
    upgrade(workspace.database_url)
    engine = make_engine(workspace.database_url)
    target = LoadTarget(CorpusStore(workspace.corpus_dir), engine, workspace.rejects_dir)
    start = time.perf_counter()
    load_generated(target, patents=patents, seed=seed)
    engine.dispose()
    marker.write_text(json.dumps(wanted))
    return root, time.perf_counter() - start


# =========================================================================== contenders


def run_ipops(root: Path, ipc: str, suffix: str, cold: bool) -> dict[str, Any]:
    from ipops.report.query import parse_query
    from ipops.report.service import ReportRequest, build_report, write_report

    valuation = root / "valuation"
    if cold:
        for folder in valuation.glob("as-of-*"):
            shutil.rmtree(folder)
    store = CorpusStore(root / "corpus")
    start = time.perf_counter()
    report = build_report(
        store, ReportRequest(parse_query(ipc=[ipc]), lang="zh"), valuation_root=valuation
    )
    out = root.parent / f"report-{'cold' if cold else 'warm'}{suffix}"
    files = write_report(report, out)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "steps": {k: round(v, 2) for k, v in files.seconds.items()},
        "patents": report.patents,
        "families": report.families,
        "bytes": out.stat().st_size,
        "peak": peak_memory(),
    }


def run_pandas(root: Path, ipc: str) -> dict[str, Any]:
    import pandas as pd
    import pyarrow.parquet as pq

    store = CorpusStore(root / "corpus")

    def read(table: str, columns: list[str]) -> pd.DataFrame:
        parts = [pq.read_table(path, columns=columns) for path, _ in store.table_files(table)]
        return pd.concat([p.to_pandas() for p in parts], ignore_index=True)

    start = time.perf_counter()
    steps: dict[str, float] = {}
    began = time.perf_counter()
    patents = read("patents", ["patent_id", "filing_date", "family_id"])
    classes = read("classifications", ["patent_id", "scheme", "symbol", "main_group"])
    ipc_rows = classes[classes["scheme"].isin(["IPC", "CPC"])]
    hits = set(ipc_rows.loc[ipc_rows["symbol"].str.startswith(ipc), "patent_id"])
    scope = patents[patents["patent_id"].isin(hits)].copy()
    scope["year"] = pd.to_datetime(scope["filing_date"]).dt.year
    steps["scope"] = time.perf_counter() - began

    began = time.perf_counter()
    trend = scope.groupby("year").size()
    steps["trends"] = time.perf_counter() - began

    began = time.perf_counter()
    parties = read("parties", ["patent_id", "role", "name", "entity_id"])
    parties = parties[parties["patent_id"].isin(hits)]
    assigned = set(parties.loc[parties["role"] == "assignee", "patent_id"])
    owners = parties[(parties["role"] == "assignee") | ~parties["patent_id"].isin(assigned)]
    owners = owners.drop_duplicates(["patent_id", "entity_id"])
    top = owners.groupby("entity_id").size().nlargest(10)
    steps["applicants"] = time.perf_counter() - began

    began = time.perf_counter()
    groups = (
        ipc_rows[ipc_rows["patent_id"].isin(hits) & (ipc_rows["scheme"] == "IPC")]
        .drop_duplicates(["patent_id", "main_group"])
        .groupby("main_group")
        .size()
        .nlargest(15)
    )
    steps["technology"] = time.perf_counter() - began

    began = time.perf_counter()
    inventors = read("inventors", ["patent_id", "country"])
    inventors = inventors[inventors["patent_id"].isin(hits)].copy()
    inventors["weight"] = 1.0 / inventors.groupby("patent_id")["patent_id"].transform("size")
    countries = inventors.groupby("country")["weight"].sum().sort_values(ascending=False)
    steps["geography"] = time.perf_counter() - began

    began = time.perf_counter()
    teams = inventors.groupby("patent_id").agg(
        size=("country", "size"), countries=("country", "nunique")
    )
    teams = teams.join(scope.set_index("patent_id")["year"])
    shares = teams.groupby("year").agg(
        team=("size", lambda s: (s >= 2).mean()),
        international=("countries", lambda s: (s >= 2).mean()),
    )
    steps["collaboration"] = time.perf_counter() - began
    _ = (trend, top, groups, countries, shares)
    return {
        "seconds": time.perf_counter() - start,
        "steps": {k: round(v, 2) for k, v in steps.items()},
        "patents": len(scope),
        "peak": peak_memory(),
    }


def child(kind: str, root: Path, ipc: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--one", kind, "--root", str(root), "--ipc", ipc],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# =========================================================================== main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ipc", default="F25B", help="the report's IPC prefix")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ipops-report-bench"))
    parser.add_argument("--one", choices=("cold", "html", "pdf", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        if args.one == "pandas":
            out = run_pandas(args.root, args.ipc)
        else:
            suffix = ".pdf" if args.one == "pdf" else ".html"
            out = run_ipops(args.root, args.ipc, suffix, cold=args.one == "cold")
        print(json.dumps(out))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    root, seconds = prepare(args.workdir, args.patents, args.seed)
    print(f"corpus: {args.patents:,} generated patents (seed {args.seed}) in {root}"
          + (f", generated and loaded in {seconds:.0f} s" if seconds else ", reused"))  # fmt: skip
    results = {kind: child(kind, root, args.ipc) for kind in ("cold", "html", "pdf", "pandas")}
    for kind, out in results.items():
        print(_line(kind, out))
    ours, theirs = results["html"], results["pandas"]
    if "steps" in ours and "steps" in theirs:
        core = sum(ours["steps"].get(name, 0.0) for name in CORE_SECTIONS)
        data = core - ours["steps"].get("charts_core", 0.0)
        naive = theirs["seconds"]
        print(f"core tables of sections 2-6: ipops {data:.1f} s of queries (+ "
              f"{core - data:.1f} s drawing their charts), pandas baseline {naive:.1f} s "
              f"(ipops queries {naive / data:.1f}x faster)")  # fmt: skip
    for kind, goal in GOALS.items():
        out = results[kind]
        if "seconds" in out:
            verdict = "met" if out["seconds"] < goal else "NOT met"
            print(f"goal {kind} < {goal:.0f} s: {out['seconds']:.1f} s, {verdict}")


def _line(kind: str, out: dict[str, Any]) -> str:
    if "error" in out:
        return f"{kind:7} failed: {out['error']}"
    text = (
        f"{kind:7} {out['seconds']:6.1f} s  peak {out['peak'] / 2**30:.2f} GiB  "
        f"{out['patents']:,} patents"
    )
    return (
        text + "\n        sections (s): " + ", ".join(f"{k} {v}" for k, v in out["steps"].items())
    )


if __name__ == "__main__":
    main()
