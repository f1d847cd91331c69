"""`ipops demo`: a workspace filled with generated demo data and demo users, ready to explore."""

from __future__ import annotations

from rich.table import Table

from ipops.accounts.roles import OrgKind
from ipops.cli.context import AppContext, console, print_json, progress_bar
from ipops.cli.corpus import print_stats
from ipops.corpus.loaders import load_generated
from ipops.corpus.queries import corpus_stats
from ipops.finance.demo import seed_demo_finance
from ipops.geo.runs import demo_summary
from ipops.pool.demo import seed_demo_pool
from ipops.registry.db import session_scope
from ipops.report.demo import write_demo_report
from ipops.web.demo_users import demo_organisation_id, ensure_demo_users
from ipops.workspace import create_workspace


def run_demo(*, patents: int, seed: int, as_json: bool) -> None:
    ctx = AppContext(create_workspace())
    with progress_bar("generating demo corpus", total=patents) as progress:
        report = load_generated(ctx.load_target, patents=patents, seed=seed, progress=progress)
    with session_scope(ctx.engine) as session:
        users = ensure_demo_users(session)
        owner = demo_organisation_id(session, OrgKind.POOL)
        pool = seed_demo_pool(session, ctx.store, seed=seed, owner=owner)
    with session_scope(ctx.engine) as session:
        finance = seed_demo_finance(session, ctx.store, ctx.workspace.root, seed=seed)
    landscape = write_demo_report(ctx.store, ctx.workspace.root, ctx.engine)
    hotspots = demo_summary(ctx.store)
    with ctx.store.connect() as con:
        stats = corpus_stats(con)
    stats["snapshot_id"] = ctx.store.manifest().snapshot_id
    if as_json:
        print_json(
            {
                "workspace": str(ctx.workspace.root),
                "load": report.as_dict(),
                "corpus": stats,
                "demo_users": [{"username": u, "password": p} for u, p in users],
                "pool": pool.as_dict(),
                "finance": finance.as_dict(),
                "landscape_report": landscape.as_dict(),
                "hotspots": hotspots.as_dict(),
            }
        )
        return
    console.print(f"[bold]ipops demo workspace[/] at {ctx.workspace.root}")
    console.print(f"generated corpus: {report.status} — {report.message}")
    print_stats(stats)
    _print_users(users)
    console.print(
        f"demo patent pool (demo data): {pool.pool} — {pool.members} members, "
        f"{pool.patents} patents, {pool.licensees} licensees, {pool.reports} royalty reports, "
        f"{pool.allocations} allocations, CNY {pool.collected} allocated"
    )
    console.print(
        f"air-conditioning landscape report: {landscape.path} ({landscape.patents:,} patents; "
        "also on the web UI's reports page)"
    )
    console.print(
        f"demo IP pledge finance (demo data): {finance.banks} banks, {finance.products} "
        f"products, {finance.enterprises} rated enterprises, loans {finance.loans}, "
        f"{finance.claims} claims"
    )
    console.print(
        f"innovation hotspots: {hotspots.clusters} clusters; the top 5 "
        f"({', '.join(hotspots.top)}) hold {hotspots.top_share:.1%} "
        "(`ipops geo hotspots`)"
    )
    console.print(
        "next: `ipops serve` and open http://127.0.0.1:8000 (log in as a demo user), "
        '`ipops corpus show <number>`, `ipops corpus query "SELECT ..."`'
    )


def _print_users(users: list[tuple[str, str]]) -> None:
    table = Table("username", "password", title="demo users (演示账号, demo data only)")
    for username, password in users:
        table.add_row(username, password)
    console.print(table)
