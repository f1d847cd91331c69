"""Benchmark: IP rating of every enterprise, and a year of daily arrears runs.

1. **Rating.** A PatentsView-shaped corpus (``benchmarks/value.py``'s generator: US grants,
   assignees, legal-status events, citations) of ``--patents`` patents; the value scores
   (scheme ``finance_rating``) are computed once with ``ipops.valuation`` (setup, timed apart); then
   ``--enterprises`` enterprises, each linked to the patents of one assignee, are rated:

   * ipops: ``finance.rating_book.rate_enterprises`` — links read from the registry, one DuckDB
     query for every enterprise's features, components, score and grade, ratings written;
   * naive: per enterprise, one parameterised query for its patents' facts, the features
     counted in Python and ``rating.explain`` — on a sample, extrapolated to all.

2. **Arrears.** ``--loans`` active loans (12-36 monthly instalments; 15% stop paying at a
   random instalment) in a SQLite registry; for every day of a year, the repayments due that
   day are booked (setup of the day, not timed) and the day's arrears run is timed:

   * ipops: ``finance.arrears.run_arrears`` (one grouped query, only changed loans written);
   * naive: a per-loan ORM loop (load the loan's schedule, compute days past due, save) —
     timed on ``--naive-days`` days of the same year.

Each contender runs in its own process; the report gives wall time and peak resident memory
(VmHWM). Usage::

    python benchmarks/finance.py                                  # 1M patents, 100k, 50k
    python benchmarks/finance.py --patents 50000 --enterprises 5000 --loans 2000   # quick
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent
AS_OF = date(2025, 1, 1)
YEAR_START = date(2024, 1, 1)
NAIVE_SAMPLE = 400


def _value_bench() -> Any:
    spec = importlib.util.spec_from_file_location("value_bench", ROOT / "value.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def peak_memory() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def registry(url: str) -> Any:
    from ipops.registry.db import make_engine, upgrade

    upgrade(url)
    return make_engine(url)


# =========================================================================== rating setup


def setup_rating(work: Path, patents: int, enterprises: int) -> dict[str, Any]:
    from sqlalchemy import insert

    from ipops.corpus.store import CorpusStore
    from ipops.finance.models import Enterprise, EnterprisePatent
    from ipops.finance.rating_book import RATING_SCHEME
    from ipops.registry.db import session_scope
    from ipops.valuation.indicator_sql import IndicatorOptions
    from ipops.valuation.runs import ensure_scores
    from ipops.valuation.schemes import load_scheme

    start = time.perf_counter()
    _value_bench().write_corpus(work / "corpus", patents, 7)
    generated = time.perf_counter() - start
    store = CorpusStore(work / "corpus")
    engine = registry(f"sqlite:///{work / 'registry.sqlite'}")
    with store.connect() as con:
        groups = _enterprise_groups(con, enterprises)
    created = datetime.fromtimestamp(time.time())
    with session_scope(engine) as s:
        s.execute(
            insert(Enterprise),
            [
                {
                    "id": eid,
                    "name": name,
                    "credit_code": f"{eid:018d}",
                    "region": "320106",
                    "industry": "manufacturing",
                    "size_class": "small",
                    "created_at": created,
                }
                for eid, name in sorted({(g[0], g[2]) for g in groups})
            ],
        )
        rows = [
            {
                "enterprise_id": eid,
                "patent_id": patent_id,
                "party_name": name,
                "match": "exact",
                "similarity": 1.0,
                "status": "confirmed",
            }
            for eid, patent_id, name in groups
        ]
        for chunk in range(0, len(rows), 200_000):
            s.execute(insert(EnterprisePatent), rows[chunk : chunk + 200_000])
    start = time.perf_counter()
    with session_scope(engine) as s:
        ensure_scores(
            store,
            work / "valuation",
            load_scheme(RATING_SCHEME),
            IndicatorOptions(as_of=AS_OF, min_cohort=20),
            db_session=s,
        )
    scored = time.perf_counter() - start
    return {
        "corpus_seconds": round(generated, 1),
        "scores_seconds": round(scored, 1),
        "enterprises": len({g[0] for g in groups}),
        "links": len(rows),
    }


def _enterprise_groups(con: Any, wanted: int) -> list[tuple[int, str, str]]:
    """(enterprise id, patent id, name): each assignee's portfolio split into subsidiaries of
    at most ``size`` patents, the largest size that still gives ``wanted`` enterprises (the
    generated corpus has fewer assignees than enterprises wanted)."""
    base = (
        "WITH p AS (SELECT entity_id, min(name) OVER (PARTITION BY entity_id) AS name, "
        "patent_id, row_number() OVER (PARTITION BY entity_id ORDER BY patent_id) - 1 AS k "
        "FROM parties WHERE role = 'assignee'), g AS (SELECT *, k // {size} AS part FROM p), "
        "e AS (SELECT entity_id, part, dense_rank() OVER (ORDER BY entity_id, part) AS eid "
        "FROM (SELECT DISTINCT entity_id, part FROM g)) "
    )
    size = 1
    for candidate in (200, 100, 50, 30, 20, 15, 10, 8, 6, 5, 4, 3, 2, 1):
        count = con.execute(base.format(size=candidate) + "SELECT count(*) FROM e").fetchone()[0]
        if count >= wanted:
            size = candidate
            break
    return [
        (int(eid), str(pid), f"{name} #{part + 1}")
        for eid, pid, name, part in con.execute(
            base.format(size=size) + "SELECT e.eid, g.patent_id, g.name, g.part FROM g "
            f"JOIN e USING (entity_id, part) WHERE e.eid <= {int(wanted)}"
        ).fetchall()
    ]


def rating_ipops(work: Path) -> dict[str, Any]:
    from ipops.audit.service import Actor
    from ipops.corpus.store import CorpusStore
    from ipops.finance import rating_book
    from ipops.registry.db import session_scope

    engine = registry(f"sqlite:///{work / 'registry.sqlite'}")
    start = time.perf_counter()
    with session_scope(engine) as s:
        run = rating_book.rate_enterprises(
            db_session=s,
            store=CorpusStore(work / "corpus"),
            valuation_root=work / "valuation",
            actor=Actor.system(),
            as_of=AS_OF,
        )
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rating_seconds": run.seconds_rating,
        "scores_reuse_seconds": run.seconds_scores,
        "rated": run.rated,
        "by_grade": run.by_grade,
        "peak": peak_memory(),
    }


def rating_naive(work: Path) -> dict[str, Any]:
    """Per enterprise: its links from the registry, one query for its patents, Python."""
    from sqlalchemy import func, select

    from ipops.corpus.store import CorpusStore
    from ipops.finance import rating
    from ipops.finance.models import Enterprise, EnterprisePatent
    from ipops.finance.rating_book import RATING_SCHEME
    from ipops.registry.db import session_scope
    from ipops.valuation.indicators import ValuationPaths

    engine = registry(f"sqlite:///{work / 'registry.sqlite'}")
    store = CorpusStore(work / "corpus")
    snapshot = store.manifest().snapshot_id
    paths = ValuationPaths(work / "valuation", snapshot)
    scores = next(paths.folder.glob(f"scores-{RATING_SCHEME}-*.parquet"))
    con = store.connect()
    con.execute(f"CREATE TABLE ind AS SELECT * FROM read_parquet('{paths.indicators}')")
    con.execute(f"CREATE TABLE sc AS SELECT patent_id, pvd FROM read_parquet('{scores}')")
    with session_scope(engine) as s:
        total = int(s.scalar(select(func.count()).select_from(Enterprise)) or 0)
        sample = list(s.scalars(select(Enterprise.id).order_by(Enterprise.id)))[:NAIVE_SAMPLE]
        start = time.perf_counter()
        for enterprise_id in sample:
            ids = list(
                s.scalars(
                    select(EnterprisePatent.patent_id).where(
                        EnterprisePatent.enterprise_id == enterprise_id
                    )
                )
            )
            facts = con.execute(
                "SELECT i.in_force, i.status, i.filing_date, left(i.main_symbol, 4), "
                "i.remaining_term, i.term_end, i.pledged_now, s.pvd, "
                "(SELECT count(*) FROM events e WHERE e.patent_id = i.patent_id AND "
                "e.event_type IN ('invalidated', 'partially_invalidated')), i.patent_type "
                "FROM ind i LEFT JOIN sc s USING (patent_id) WHERE i.patent_id = ANY(?)",
                [ids],
            ).fetchall()
            rating.explain(_features(facts))
        seconds = time.perf_counter() - start
    return {
        "sample": len(sample),
        "sample_seconds": seconds,
        "seconds": seconds / max(len(sample), 1) * total,
        "peak": peak_memory(),
    }


def _features(facts: list[tuple[Any, ...]]) -> dict[str, Any]:
    live = [f for f in facts if f[0]]
    pvds = [f[7] for f in live if f[7] is not None]
    recent_from, prior_from = date(AS_OF.year - 3, 1, 1), date(AS_OF.year - 6, 1, 1)
    return {
        "patents": len(facts),
        "in_force": len(live),
        "pvd_mean": sum(pvds) / len(pvds) if pvds else None,
        "pvd_top_share": max(pvds) / sum(pvds) if pvds and sum(pvds) else None,
        "recent": sum(1 for f in facts if f[2] and f[2] > recent_from),
        "prior": sum(1 for f in facts if f[2] and prior_from < f[2] <= recent_from),
        "subclasses": len({f[3] for f in live}),
        "remaining_mean": (sum(f[4] or 0 for f in live) / len(live)) if live else None,
        "dead": sum(1 for f in facts if f[1] in ("lapsed", "invalidated")),
        "invalidations": sum(f[8] for f in facts),
        "pledged": sum(1 for f in live if f[6]),
        "expiring": sum(1 for f in live if f[5] and f[5] <= AS_OF + timedelta(days=365)),
        "utility_models": sum(1 for f in live if f[9] == "utility_model"),
        "designs": sum(1 for f in live if f[9] == "design"),
        "lapsed": sum(1 for f in facts if f[1] == "lapsed"),
        "invalidated": sum(1 for f in facts if f[1] == "invalidated"),
    }


# =========================================================================== arrears


def setup_arrears(work: Path, loans: int) -> dict[str, Any]:
    """Loans disbursed over 2023 (12-36 months); 15% stop paying at a random instalment."""
    from sqlalchemy import insert

    from ipops.finance.models import Bank, Enterprise, Loan, Product, ScheduleLine
    from ipops.finance.schedules import add_months
    from ipops.registry.db import session_scope

    rng = np.random.default_rng(11)
    engine = registry(f"sqlite:///{work / 'arrears.sqlite'}")
    now = __import__("datetime").datetime(2024, 1, 1)
    lines: list[dict[str, Any]] = []
    stop: dict[int, int] = {}
    with session_scope(engine) as s:
        s.execute(insert(Bank), [{"id": 1, "name": "bench bank", "created_at": now}])
        s.execute(
            insert(Enterprise),
            [
                {
                    "id": 1,
                    "name": "bench",
                    "credit_code": "0" * 18,
                    "region": "320106",
                    "industry": "x",
                    "size_class": "small",
                    "created_at": now,
                }
            ],
        )
        s.execute(
            insert(Product),
            [
                {
                    "id": 1,
                    "bank_id": 1,
                    "name": "p",
                    "min_amount_fen": 1,
                    "max_amount_fen": 10**12,
                    "min_term_months": 1,
                    "max_term_months": 60,
                    "rate_multiple": "1",
                    "min_grade": "C",
                    "regions": [],
                    "industries": [],
                    "max_ltv": "1",
                    "method": "equal_principal",
                    "collateral": "ip_pledge",
                    "active": True,
                }
            ],
        )
        rows = []
        for loan_id in range(1, loans + 1):
            term = int(rng.choice((12, 24, 36)))
            start = date(2023, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
            fen = int(rng.integers(10, 500)) * 1_000_000
            rows.append(
                {
                    "id": loan_id,
                    "enterprise_id": 1,
                    "product_id": 1,
                    "bank_id": 1,
                    "organisation_id": None,
                    "amount_fen": fen,
                    "term_months": term,
                    "annual_rate": "0.05",
                    "benchmark_rate": "0.0435",
                    "method": "equal_principal",
                    "collateral": "ip_pledge",
                    "state": "active",
                    "version": 1,
                    "applied_on": start,
                    "disbursed_on": start,
                    "principal_repaid_fen": 0,
                    "interest_repaid_fen": 0,
                    "days_past_due": 0,
                    "max_days_past_due": 0,
                    "note": "",
                }
            )
            if rng.random() < 0.15:
                stop[loan_id] = int(rng.integers(1, term + 1))
            for k in range(1, term + 1):
                lines.append(
                    {
                        "loan_id": loan_id,
                        "number": k,
                        "due_on": add_months(start, k),
                        "principal_fen": fen // term,
                        "interest_fen": fen // 240,
                        "paid_principal_fen": 0,
                        "paid_interest_fen": 0,
                        "settled": False,
                    }
                )
        s.execute(insert(Loan), rows)
        for chunk in range(0, len(lines), 200_000):
            s.execute(insert(ScheduleLine), lines[chunk : chunk + 200_000])
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE bench_stop (loan_id INTEGER PRIMARY KEY, number INT)")
        for loan_id, number in stop.items():
            c.exec_driver_sql(f"INSERT INTO bench_stop VALUES ({loan_id}, {number})")
    # settle everything due before the year, except for loans that stopped paying
    _book_repayments(engine, date(2000, 1, 1), YEAR_START - timedelta(days=1))
    return {"loans": loans, "schedule_lines": len(lines), "stopping": len(stop)}


def _book_repayments(engine: Any, first: date, last: date) -> None:
    """The day's repayment feed: instalments due in [first, last] of loans still paying."""
    from sqlalchemy import text

    with engine.begin() as c:
        c.execute(
            text(
                "UPDATE fin_schedule_lines SET settled = 1, paid_principal_fen = principal_fen, "
                "paid_interest_fen = interest_fen WHERE settled = 0 AND due_on >= :a "
                "AND due_on <= :b AND NOT EXISTS (SELECT 1 FROM bench_stop t WHERE "
                "t.loan_id = fin_schedule_lines.loan_id AND fin_schedule_lines.number >= t.number)"
            ),
            {"a": first, "b": last},
        )


def arrears_year(work: Path, naive_days: int) -> dict[str, Any]:
    """The same year twice over copies of the registry: set-wise every day, naive on some."""
    import shutil

    from ipops.finance import schedules
    from ipops.finance.arrears import run_arrears
    from ipops.finance.models import Loan, ScheduleLine
    from ipops.finance.money import from_fen
    from ipops.registry.db import session_scope

    kind = sys.argv[sys.argv.index("--child") + 1].removeprefix("arrears-")
    path = work / f"arrears-{kind}.sqlite"
    shutil.copy(work / "arrears.sqlite", path)
    engine = registry(f"sqlite:///{path}")
    days = [YEAR_START + timedelta(days=d) for d in range(366 if kind == "ipops" else naive_days)]
    timings: list[float] = []
    last: Any = None
    for day in days:
        _book_repayments(engine, day, day)
        with session_scope(engine) as s:
            start = time.perf_counter()
            if kind == "ipops":
                last = run_arrears(db_session=s, as_of=day)
            else:
                for loan in s.query(Loan).filter(Loan.state == "active").all():
                    rows = s.query(ScheduleLine).filter(ScheduleLine.loan_id == loan.id).all()
                    lines = [
                        schedules.Line(
                            r.number,
                            r.due_on,
                            from_fen(r.principal_fen),
                            from_fen(r.interest_fen),
                            from_fen(r.paid_principal_fen),
                            from_fen(r.paid_interest_fen),
                        )
                        for r in rows
                    ]
                    loan.days_past_due = schedules.days_past_due(lines, day)
                    loan.max_days_past_due = max(loan.max_days_past_due, loan.days_past_due)
            s.flush()
            timings.append(time.perf_counter() - start)
    result = {
        "days": len(days),
        "mean_day_seconds": sum(timings) / len(timings),
        "max_day_seconds": max(timings),
        "year_seconds": sum(timings),
        "peak": peak_memory(),
    }
    if last is not None:
        result["last_day"] = {"buckets": last.buckets, "in_arrears": last.in_arrears}
    return result


# =========================================================================== driver


def child(kind: str, work: Path, naive_days: int) -> dict[str, Any]:
    if kind == "rating-ipops":
        return rating_ipops(work)
    if kind == "rating-naive":
        return rating_naive(work)
    return arrears_year(work, naive_days)


def spawn(kind: str, work: Path, naive_days: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--work",
            str(work),
            "--naive-days",
            str(naive_days),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=1_000_000)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--loans", type=int, default=50_000)
    parser.add_argument("--naive-days", type=int, default=3)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--child")
    parser.add_argument("--only", choices=("rating", "arrears"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.work, args.naive_days), default=str))
        return
    with tempfile.TemporaryDirectory(prefix="ipops-finance-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "rating"):
            print(f"rating: {args.patents:,} patents, {args.enterprises:,} enterprises", flush=True)
            setup = setup_rating(work, args.patents, args.enterprises)
            print(f"  setup: {json.dumps(setup)}", flush=True)
            fast = spawn("rating-ipops", work, args.naive_days)
            slow = spawn("rating-naive", work, args.naive_days)
            report("rating all enterprises", fast, slow, goal=60.0)
            print(
                f"  grades: {fast['by_grade']}; naive measured on {slow['sample']} enterprises "
                f"({slow['sample_seconds']:.2f} s), extrapolated to all",
                flush=True,
            )
        if args.only in (None, "arrears"):
            print(f"arrears: {args.loans:,} loans, every day of a year", flush=True)
            print(f"  setup: {json.dumps(setup_arrears(work, args.loans))}", flush=True)
            fast = spawn("arrears-ipops", work, args.naive_days)
            slow = spawn("arrears-naive", work, args.naive_days)
            print(
                f"  ipops: a year ({fast['days']} runs) {fast['year_seconds']:.1f} s, one day "
                f"mean {fast['mean_day_seconds']:.3f} s, max {fast['max_day_seconds']:.3f} s "
                f"(goal < 2 s); peak {fast['peak'] / 2**20:,.0f} MiB",
                flush=True,
            )
            print(
                f"  naive: one day mean {slow['mean_day_seconds']:.3f} s over {slow['days']} days; "
                f"peak {slow['peak'] / 2**20:,.0f} MiB",
                flush=True,
            )
            ratio = slow["mean_day_seconds"] / max(fast["mean_day_seconds"], 1e-9)
            print(f"  speed-up per day {ratio:.1f}x (goal >= 10x); last day {fast.get('last_day')}")


def report(name: str, fast: dict[str, Any], slow: dict[str, Any], goal: float) -> None:
    ratio = slow["seconds"] / max(fast["seconds"], 1e-9)
    print(
        f"  {name}: ipops {fast['seconds']:.1f} s (goal < {goal:.0f} s), peak "
        f"{fast['peak'] / 2**20:,.0f} MiB; naive {slow['seconds']:.1f} s, peak "
        f"{slow['peak'] / 2**20:,.0f} MiB; speed-up {ratio:.1f}x (goal >= 10x)",
        flush=True,
    )


if __name__ == "__main__":
    main()
