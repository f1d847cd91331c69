"""Section 7: citations — the most-cited patents of the landscape and the applicants whose
patents cite it most.

Forward citations are counted inside the corpus: the citing patent may lie outside the
landscape; each citing patent counts once per cited patent. ``reported`` is the count a
source gives itself (e.g. 被引证次数), where it does.
"""

from __future__ import annotations

from typing import Any

from ipops.report import charts
from ipops.report.model import Chart, Column, DataTable, Section
from ipops.report.scope import entity_names_sql, owners_sql
from ipops.report.sections.base import ReportContext
from ipops.report.words import num, pct

CITED_SQL = """
CREATE OR REPLACE TEMP TABLE report_cited AS
SELECT DISTINCT c.patent_id AS citing, c.cited_patent_id AS cited
FROM citations c SEMI JOIN report_scope s ON s.patent_id = c.cited_patent_id
WHERE c.category = 'patent' AND c.cited_patent_id IS NOT NULL"""

MOST_CITED_SQL = """
WITH counts AS (
    SELECT cited AS patent_id, count(*) AS citations FROM report_cited GROUP BY cited
    ORDER BY citations DESC, patent_id LIMIT ?
)
SELECT k.patent_id, k.citations, p.title, year(p.filing_date) AS filing_year,
       p.reported_citations AS reported,
       (SELECT arg_min(o.name, o.name) FROM report_owners o WHERE o.patent_id = k.patent_id)
           AS owner
FROM counts k JOIN patents p ON p.patent_id = k.patent_id
ORDER BY k.citations DESC, k.patent_id"""

CITING_OWNERS_SQL = """
CREATE OR REPLACE TEMP TABLE report_citing_owners AS {owners}"""

MOST_CITING_SQL = """
SELECT e.entity, e.name, e.country, count(*) AS citations,
       count(DISTINCT r.citing) AS citing_patents,
       bool_or(e.entity IN (SELECT entity FROM report_owners)) AS also_in_field
FROM report_cited r
JOIN report_citing_owners o ON o.patent_id = r.citing
JOIN report_citing_entities e ON e.entity = o.entity
GROUP BY e.entity, e.name, e.country
ORDER BY citations DESC, e.name, e.entity LIMIT ?"""


def build(ctx: ReportContext) -> Section:
    say = ctx.say
    ctx.con.execute(CITED_SQL).fetchall()
    ctx.con.execute(
        "CREATE OR REPLACE TEMP TABLE report_citing AS SELECT DISTINCT citing AS patent_id "
        "FROM report_cited"
    ).fetchall()
    ctx.con.execute(CITING_OWNERS_SQL.format(owners=owners_sql("report_citing"))).fetchall()
    ctx.con.execute(
        "CREATE OR REPLACE TEMP TABLE report_citing_entities AS "
        + entity_names_sql("report_citing_owners")
    ).fetchall()
    totals = ctx.rows(
        "SELECT count(*) AS citations, count(DISTINCT cited) AS cited, "
        "count(DISTINCT citing) AS citing FROM report_cited"
    )[0]
    most_cited = ctx.rows(MOST_CITED_SQL, [ctx.top])
    most_citing = ctx.rows(MOST_CITING_SQL, [ctx.top])
    yes = say(en="yes", zh="是")
    cited_table = DataTable(
        "most_cited",
        say(en="Most-cited patents", zh="被引用最多的专利"),
        (
            Column("rank", say(en="Rank", zh="排名"), "int"),
            Column("patent_id", say(en="Patent", zh="专利号")),
            Column("title", say(en="Title", zh="名称")),
            Column("owner", say(en="Owner", zh="权利人")),
            Column("filing_year", say(en="Filed", zh="申请年"), "year"),
            Column("citations", say(en="Citations in the corpus", zh="库内被引次数"), "int"),
            Column("reported", say(en="Reported by the source", zh="数据源报告的被引次数"), "int"),
        ),
        tuple(
            (
                rank,
                r["patent_id"],
                r["title"] or "",
                r["owner"] or "",
                r["filing_year"],
                r["citations"],
                r["reported"],
            )
            for rank, r in enumerate(most_cited, start=1)
        ),
    )
    citing_table = DataTable(
        "most_citing_applicants",
        say(en="Applicants citing the field most", zh="引用本领域专利最多的申请人"),
        (
            Column("rank", say(en="Rank", zh="排名"), "int"),
            Column("name", say(en="Applicant", zh="申请人")),
            Column("country", say(en="Country", zh="国别")),
            Column("citations", say(en="Citations made", zh="引用次数"), "int"),
            Column("citing_patents", say(en="Citing patents", zh="施引专利（件）"), "int"),
            Column("also_in_field", say(en="Also patents in the field", zh="本领域申请人")),
        ),
        tuple(
            (
                rank,
                r["name"],
                r["country"] or "",
                r["citations"],
                r["citing_patents"],
                yes if r["also_in_field"] else "",
            )
            for rank, r in enumerate(most_citing, start=1)
        ),
    )
    figures: list[Chart] = []
    if most_cited:
        figures.append(
            Chart(
                charts.horizontal_bars(
                    [r["patent_id"] for r in most_cited],
                    [r["citations"] for r in most_cited],
                    xlabel=say(en="citations in the corpus", zh="库内被引次数"),
                    colour=5,
                ),
                say(en="Most-cited patents", zh="被引用最多的专利"),
            )
        )
    if most_citing:
        figures.append(
            Chart(
                charts.horizontal_bars(
                    [r["name"] for r in most_citing],
                    [r["citations"] for r in most_citing],
                    xlabel=say(en="citations made", zh="引用次数"),
                    colour=6,
                ),
                say(en="Applicants citing the field most", zh="引用本领域专利最多的申请人"),
            )
        )
    return Section(
        "citations",
        say(en="7. Citations", zh="七、引证分析"),
        (paragraph(ctx.lang, totals, most_cited, most_citing, ctx.patents),),
        charts=tuple(figures),
        tables=(cited_table, citing_table),
    )


def paragraph(
    lang: str,
    totals: dict[str, Any],
    most_cited: list[dict[str, Any]],
    most_citing: list[dict[str, Any]],
    patents: int,
) -> str:
    if not totals["citations"]:
        return (
            "语料库中没有引用本领域专利的记录（被引数据需要施引专利也在库中）。"
            if lang == "zh"
            else "No patent of the corpus cites the patents of this field (forward citations "
            "are counted only where the citing patent is in the corpus too)."
        )
    top, citer = most_cited[0], most_citing[0] if most_citing else None
    if lang == "zh":
        text = (
            f"库内共有{num(totals['citing'])}件专利引用了本领域的{num(totals['cited'])}件专利"
            f"（占{pct(totals['cited'], patents)}），合计{num(totals['citations'])}次。"
            f"被引最多的是{top['patent_id']}（{num(top['citations'])}次）。"
        )
        if citer:
            text += f"引用本领域专利最多的申请人是{citer['name']}（{num(citer['citations'])}次）。"
        return text
    text = (
        f"{num(totals['citing'])} patents of the corpus cite {num(totals['cited'])} patents of "
        f"the field ({pct(totals['cited'], patents)}), {num(totals['citations'])} citations in "
        f"all. The most cited is {top['patent_id']} ({num(top['citations'])} citations). "
    )
    if citer:
        text += f"{citer['name']} cites the field most ({num(citer['citations'])} citations)."
    return text
