"""`ipops demo`: a workspace filled with generated demo data and demo users, ready to explore."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich.table import Table

from ipops.accounts.demo import demo_organisation_id, ensure_demo_users
from ipops.accounts.roles import OrgKind
from ipops.cli.context import AppContext, console, print_json, progress_bar
from ipops.corpus import lookups
from ipops.corpus.loaders import load_generated
from ipops.corpus.lookup_records import CorpusStatistics
from ipops.finance.demo import AS_OF, DemoFinance, seed_demo_finance
from ipops.geo.runs import DemoHotspots, demo_summary
from ipops.places.chinese import city_name_zh
from ipops.pool.demo import seed_demo_pool
from ipops.registry.db import session_scope
from ipops.report.demo import write_demo_report
from ipops.workspace import create_workspace


def demo(
    patents: Annotated[int, typer.Option(min=100, help="Size of the generated corpus.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = 2019,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Build a demo workspace from generated data and print its corpus statistics."""
    run_demo(patents=patents, seed=seed, as_json=as_json)


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
    stats = lookups.statistics(store=ctx.store)
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
    console.print(f"[bold]ipops 演示工作区[/]：{ctx.workspace.root}")
    loaded = report.records_read - report.records_rejected
    console.print(
        f"生成的专利数据（演示数据，非真实记录）：读入 {report.records_read:,} 条，"
        f"载入 {loaded:,} 条，拒收 {report.records_rejected:,} 条"
    )
    _print_corpus(stats)
    _print_users(users)
    console.print(
        f"演示专利池（演示数据）：{pool.pool} — 成员 {pool.members} 家，专利 {pool.patents:,} 件，"
        f"被许可人 {pool.licensees} 家，许可费报告 {pool.reports} 份，分配 {pool.allocations} 次，"
        f"已分配 {Decimal(str(pool.collected)):,.2f} 元"
    )
    console.print(
        f"空调领域专利分析报告：{landscape.path}（{landscape.patents:,} 件专利；"
        "网页界面的“专利分析报告”页也可打开）"
    )
    _print_finance(finance)
    _print_hotspots(hotspots)
    console.print(
        "下一步：运行 `ipops serve`，打开 http://127.0.0.1:8000 并以演示账号登录；"
        '`ipops corpus show <专利号>`；`ipops corpus query "SELECT ..."`'
    )


# Loan states in the order of a loan's life, with their Chinese names (as on the pages).
LOAN_STATES_ZH = {
    "submitted": "已提交（待银行审批）",
    "approved": "已批准（待质押登记与放款）",
    "active": "还款中",
    "closed": "已结清",
    "written_off": "已核销",
    "rejected": "已拒绝",
    "withdrawn": "已撤回",
}


# What the demo's corpus tables hold, in Chinese (the table names are the query names).
CORPUS_TABLES_ZH = {
    "patents": "专利文献",
    "parties": "申请人/专利权人",
    "inventors": "发明人",
    "classifications": "分类号",
    "citations": "引证",
    "events": "法律事件",
}
DOC_TYPES_ZH = {
    "invention": "发明",
    "utility_model": "实用新型",
    "design": "外观设计",
    "application": "申请公布",
    "grant": "授权",
}


def _print_corpus(stats: CorpusStatistics) -> None:
    counts, years = stats.counts, stats.years
    table = Table("数据表", "查询名", "行数", title=f"演示专利数据（快照 {stats.snapshot_id}）")
    table.columns[2].justify = "right"
    for name, label in CORPUS_TABLES_ZH.items():
        table.add_row(label, name, f"{counts.get(name, 0):,}")
    console.print(table)

    def span(first: int | None, last: int | None) -> str:
        return f"{first or '未知'}–{last or '未知'}"

    filing = span(years.first_filing_year, years.last_filing_year)
    publication = span(years.first_publication_year, years.last_publication_year)
    console.print(f"申请年 {filing}；公开年 {publication}")
    offices = Table("受理局", "文献类型", "件数", title="按受理局")
    offices.columns[2].justify = "right"
    for row in stats.by_office:
        kind = DOC_TYPES_ZH.get(str(row.doc_type), str(row.doc_type))
        offices.add_row(str(row.office), kind, f"{row.patents:,}")
    console.print(offices)
    generated, total = stats.generated_patents, counts.get("patents", 0)
    if generated:
        console.print(
            f"[yellow]注意：{generated:,} / {total:,} 件专利为生成的演示数据，不是真实记录[/]"
        )


def _print_finance(finance: DemoFinance) -> None:
    console.print(
        f"知识产权质押融资（演示数据）：银行 {finance.banks} 家，产品 {finance.products} 个，"
        f"已评级企业 {finance.enterprises} 家，补偿申请 {finance.claims} 笔；"
        f"数据截至 {AS_OF.isoformat()}"
    )
    table = Table("贷款状态", "笔数", title="演示贷款（按状态）")
    table.columns[1].justify = "right"
    known = [state for state in LOAN_STATES_ZH if state in finance.loans]
    others = sorted(state for state in finance.loans if state not in LOAN_STATES_ZH)
    for state in [*known, *others]:
        table.add_row(LOAN_STATES_ZH.get(state, state), f"{finance.loans[state]:,}")
        if state == "active":
            table.add_row("  其中逾期", f"{finance.overdue:,}")
    table.add_row("合计", f"{sum(finance.loans.values()):,}", style="bold")
    console.print(table)


def _print_hotspots(hotspots: DemoHotspots) -> None:
    console.print(
        f"创新热点：共 {hotspots.clusters} 个集群，前 {len(hotspots.top)} 个占 "
        f"{hotspots.top_share:.1%}（`ipops geo hotspots`）"
    )
    table = Table("名次", "热点城市")
    for rank, name in enumerate(hotspots.top, start=1):
        table.add_row(str(rank), city_name_zh(name, None))
    console.print(table)


def _print_users(users: list[tuple[str, str]]) -> None:
    table = Table("用户名", "密码", title="演示账号（仅限演示数据）")
    for username, password in users:
        table.add_row(username, password)
    console.print(table)
