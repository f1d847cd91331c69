"""Section 1: scope and method — the query, the data snapshot, the counting rules."""

from __future__ import annotations

from ipops.report.model import Column, DataTable, Section
from ipops.report.sections.base import ReportContext
from ipops.report.words import num


def build(ctx: ReportContext) -> Section:
    offices = ctx.rows(
        "SELECT office, count(*) AS patents FROM report_scope GROUP BY office "
        "ORDER BY patents DESC, office"
    )
    say = ctx.say
    facts = [
        (say(en="Query", zh="检索式"), ctx.query_text),
        (say(en="Corpus snapshot", zh="数据快照"), ctx.snapshot_id),
        (say(en="Software", zh="软件版本"), f"ipops {ctx.version}"),
        (say(en="Data as of", zh="数据截止日"), ctx.as_of.isoformat()),
        (say(en="Patents matched", zh="命中专利（件）"), num(ctx.patents)),
        (say(en="Patent families", zh="专利族（项）"), num(ctx.families)),
        (
            say(en="Publishing offices", zh="公开国家/地区"),
            ", ".join(f"{r['office']} {num(r['patents'])}" for r in offices),
        ),
    ]
    scope = DataTable(
        "scope",
        say(en="Scope of the report", zh="报告范围"),
        (Column("item", say(en="Item", zh="项目")), Column("value", say(en="Value", zh="内容"))),
        tuple(facts),
    )
    return Section(
        "method",
        say(en="1. Scope and method", zh="一、检索范围与方法"),
        (
            say(
                en=f"This report covers {num(ctx.patents)} patent documents in "
                f"{num(ctx.families)} families matching {ctx.query_text}, read from corpus "
                f"snapshot {ctx.snapshot_id} with ipops {ctx.version}. The same query on the "
                "same snapshot gives the same numbers.",
                zh=f"本报告分析检索式“{ctx.query_text}”命中的{num(ctx.patents)}件专利文献"
                f"（{num(ctx.families)}个专利族），数据取自数据快照 {ctx.snapshot_id}，"
                f"由 ipops {ctx.version} 生成；同一检索式在同一数据快照上得到相同的数字。",
            ),
            say(
                en="Counting rules: a simple family is counted once, in its first filing or "
                "first publication year, through its earliest-published member (where the "
                "data give no family, each patent is its own family). Applicants are the "
                "harmonised owners — assignees where a patent names any, else applicants — "
                "grouped by entity id across spellings. Geography counts inventors "
                "fractionally: each family adds up to one, shared equally among its "
                "inventors. Technology fields follow the WIPO IPC–technology concordance "
                "(35 fields) applied to each family's main IPC symbol.",
                zh="统计口径：同一简单同族只计一次，以最早公开的成员代表该族，计入其最早申请年或"
                "最早公开年（数据中无同族信息时，每件专利自成一族）。申请人为归一化后的权利人——"
                "有受让人的取受让人，否则取申请人——不同写法按实体编号合并。地域分析按发明人"
                "分数计数：每个专利族合计为1，由其发明人平均分摊。技术领域按 WIPO 的 IPC-技术领域"
                "对照表（35个领域）对各族的主 IPC 分类号归类。",
            ),
        ),
        tables=(scope,),
    )
