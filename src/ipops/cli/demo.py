"""`ipops demo`: a workspace filled with generated demo data, ready to explore."""

from __future__ import annotations

from ipops.cli.corpus import print_stats
from ipops.cli.context import AppContext, console, print_json, progress_bar
from ipops.corpus.loaders import load_generated
from ipops.corpus.queries import corpus_stats
from ipops.workspace import create_workspace


def run_demo(*, patents: int, seed: int, as_json: bool) -> None:
    ctx = AppContext(create_workspace())
    with progress_bar("generating demo corpus", total=patents) as progress:
        report = load_generated(ctx.load_target, patents=patents, seed=seed, progress=progress)
    with ctx.store.connect() as con:
        stats = corpus_stats(con)
    stats["snapshot_id"] = ctx.store.manifest().snapshot_id
    if as_json:
        print_json({"workspace": str(ctx.workspace.root), "load": report.as_dict(), "corpus": stats})
        return
    console.print(f"[bold]ipops demo workspace[/] at {ctx.workspace.root}")
    console.print(f"generated corpus: {report.status} — {report.message}")
    print_stats(stats)
    console.print(
        "next: `ipops corpus show <number>`, `ipops corpus query \"SELECT ...\"`, "
        "`ipops corpus ingest FILE`"
    )
