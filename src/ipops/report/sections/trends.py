"""Section 2: filing trends and growth, by filing year and by publication year.

Applications are published about 18 months after filing (priority), so the latest filing
years are incomplete in any snapshot: they are marked and left out of the growth summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ipops.report import charts
from ipops.report.model import Chart, Column, DataTable, Section
from ipops.report.sections.base import ReportContext
from ipops.report.words import growth, num, share

PUBLICATION_LAG = timedelta(days=548)
MIN_GROWTH_BASE = 10


@dataclass(frozen=True)
class YearRow:
    year: int
    families: int
    growth: float | None  # against the year before
    incomplete: bool


def year_rows(counts: dict[int, int], incomplete_from: int | None) -> list[YearRow]:
    """Every year from the first to the last (missing years are 0), with year-on-year growth."""
    if not counts:
        return []
    rows = []
    previous: int | None = None
    for year in range(min(counts), max(counts) + 1):
        value = counts.get(year, 0)
        change = (value - previous) / previous if previous else None
        late = incomplete_from is not None and year >= incomplete_from
        rows.append(YearRow(year, value, change, late))
        previous = value
    return rows


def plotted_growth(rows: list[YearRow]) -> list[float | None]:
    """Growth rates worth drawing: on a base of at least ``MIN_GROWTH_BASE`` families
    (from 1 to 6 families is +500%, which would flatten every other year's line)."""
    drawn: list[float | None] = []
    for before, row in zip([None, *rows[:-1]], rows, strict=True):
        enough = before is not None and before.families >= MIN_GROWTH_BASE
        drawn.append(row.growth if enough else None)
    return drawn


def first_incomplete_filing_year(as_of: date) -> int:
    """The first filing year not yet fully published by ``as_of``."""
    year = as_of.year - 2
    while date(year + 1, 1, 1) + PUBLICATION_LAG <= as_of:
        year += 1
    return year


def build(ctx: ReportContext) -> Section:
    say = ctx.say
    filing = _counts(ctx, "filing_year")
    publication = _counts(ctx, "publication_year")
    late_filing = first_incomplete_filing_year(ctx.as_of)
    late_publication = ctx.as_of.year if ctx.as_of < date(ctx.as_of.year, 12, 31) else None
    by_filing = year_rows(filing, late_filing)
    by_publication = year_rows(publication, late_publication)
    tables = (
        _table(
            ctx,
            "trend_filing_year",
            say(en="Families by filing year", zh="按申请年统计的专利族数量"),
            by_filing,
        ),
        _table(
            ctx,
            "trend_publication_year",
            say(en="Families by first publication year", zh="按公开年统计的专利族数量"),
            by_publication,
        ),
    )
    chart_args = {
        "ylabel": say(en="families", zh="专利族（项）"),
        "growth_label": say(en="growth, %", zh="增长率（%）"),
        "incomplete_label": say(en="incomplete (publication lag)", zh="数据不完整（公开滞后）"),
    }
    figures = tuple(
        Chart(
            charts.year_bars(
                [r.year for r in rows],
                [r.families for r in rows],
                incomplete=[r.incomplete for r in rows],
                growth=plotted_growth(rows),
                **chart_args,
            ),
            alt,
        )
        for rows, alt in (
            (
                by_filing,
                say(
                    en="Families by filing year, with growth rate", zh="各申请年专利族数量及增长率"
                ),
            ),
            (
                by_publication,
                say(
                    en="Families by publication year, with growth rate",
                    zh="各公开年专利族数量及增长率",
                ),
            ),
        )
        if rows
    )
    return Section(
        "trends",
        say(en="2. Filing trends", zh="二、申请趋势"),
        (paragraph(ctx.lang, by_filing, by_publication, late_filing),),
        charts=figures,
        tables=tables,
        notes=(
            say(
                en=f"Filing years from {late_filing} on are incomplete: applications are "
                f"published about 18 months after filing, and the data end on {ctx.as_of}.",
                zh=f"{late_filing}年及以后的申请年数据不完整：专利申请一般在申请后约18个月公开，"
                f"而数据截止于{ctx.as_of}。",
            ),
        ),
    )


def paragraph(
    lang: str, by_filing: list[YearRow], by_publication: list[YearRow], late_from: int
) -> str:
    complete = [r for r in by_filing if not r.incomplete and r.families > 0]
    if not complete:
        complete = [r for r in by_filing if r.families > 0]
    if not complete:
        return "无数据。" if lang == "zh" else "No data."
    first, last = complete[0], complete[-1]
    peak = max(complete, key=lambda r: (r.families, r.year))
    cagr = growth(first.families, last.families, last.year - first.year)
    recent = [r for r in by_publication if r.families > 0]
    latest_pub = recent[-1] if recent else None
    if lang == "zh":
        text = (
            f"按申请年统计，{first.year}年的专利族为{num(first.families)}项，{last.year}年为"
            f"{num(last.families)}项"
        )
        text += f"，年均增长{share(cagr)}；" if cagr is not None else "；"
        text += f"申请量最高的年份是{peak.year}年（{num(peak.families)}项）。"
        if latest_pub:
            text += (
                f"按公开年统计，最近一年（{latest_pub.year}年）公开{num(latest_pub.families)}项。"
            )
        text += f"{late_from}年以后的申请受公开滞后影响，数字偏低，不宜视为下降。"
        return text
    text = (
        f"By filing year, families went from {num(first.families)} in {first.year} to "
        f"{num(last.families)} in {last.year}"
    )
    text += f", a compound growth of {share(cagr)} a year. " if cagr is not None else ". "
    text += f"The busiest filing year was {peak.year} ({num(peak.families)} families). "
    if latest_pub:
        text += (
            f"By publication year, {num(latest_pub.families)} families were first published "
            f"in {latest_pub.year}. "
        )
    text += (
        f"Filings from {late_from} on are not all published yet; their lower counts are a "
        "publication lag, not a decline."
    )
    return text


def _counts(ctx: ReportContext, column: str) -> dict[int, int]:
    rows = ctx.con.execute(
        f"SELECT {column}, count(*) FROM report_families WHERE {column} IS NOT NULL "
        f"GROUP BY {column}"
    ).fetchall()
    return {int(year): int(n) for year, n in rows}


def _table(ctx: ReportContext, name: str, caption: str, rows: list[YearRow]) -> DataTable:
    say = ctx.say
    return DataTable(
        name,
        caption,
        (
            Column("year", say(en="Year", zh="年份"), "year"),
            Column("families", say(en="Families", zh="专利族（项）"), "int"),
            Column("growth", say(en="Growth on the year before", zh="同比增长率"), "pct"),
            Column("incomplete", say(en="Incomplete", zh="数据不完整")),
        ),
        tuple(
            (r.year, r.families, r.growth, say(en="yes", zh="是") if r.incomplete else "")
            for r in rows
        ),
    )
