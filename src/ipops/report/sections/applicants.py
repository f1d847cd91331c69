"""Section 3: top applicants (harmonised), their trend and share; applicant types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ipops.report import charts
from ipops.report.model import Chart, Column, DataTable, Section
from ipops.report.sections.base import ReportContext
from ipops.report.words import listing, num, pct

TREND_PARTIES = 5
TYPE_LABELS: dict[str, tuple[str, str]] = {
    "company": ("companies", "企业"),
    "university": ("universities", "高校"),
    "research": ("research institutes", "科研院所"),
    "individual": ("individuals", "个人"),
    "none": ("no applicant data", "无申请人数据"),
}

TOP_SQL = """
SELECT e.entity, e.name, e.country, e.kind, count(*) AS families,
       min(f.filing_year) AS first_year, max(f.filing_year) AS last_year
FROM report_owners o
JOIN report_families f ON f.patent_id = o.patent_id
JOIN report_entities e ON e.entity = o.entity
GROUP BY ALL ORDER BY families DESC, e.name, e.entity LIMIT ?"""

TYPES_SQL = """
WITH kinds AS (
    SELECT DISTINCT f.family_key, coalesce(e.kind, 'none') AS kind
    FROM report_families f
    LEFT JOIN report_owners o ON o.patent_id = f.patent_id
    LEFT JOIN report_entities e ON e.entity = o.entity
)
SELECT kind, count(*) AS families FROM kinds GROUP BY kind ORDER BY families DESC, kind"""


@dataclass(frozen=True, slots=True)
class TopApplicant:
    """A harmonised applicant and the families it holds among the matched patents."""

    entity: str
    name: str
    country: str | None
    kind: str  # company | university | research | individual
    families: int
    first_year: int | None
    last_year: int | None


def top_applicants(ctx: ReportContext, limit: int) -> list[TopApplicant]:
    """The ``limit`` applicants with the most families, most first."""
    return [TopApplicant(**row) for row in ctx.rows(TOP_SQL, [limit])]


def build(ctx: ReportContext) -> Section:
    say = ctx.say
    top = top_applicants(ctx, ctx.top)
    types = ctx.rows(TYPES_SQL)
    leaders = top[:TREND_PARTIES]
    trend = _trend(ctx, [r.entity for r in leaders])
    seen = {year for counts in trend.values() for year in counts}
    years = list(range(min(seen), max(seen) + 1)) if seen else []
    top_table = DataTable(
        "top_applicants",
        say(en="Top applicants", zh="主要申请人"),
        (
            Column("rank", say(en="Rank", zh="排名"), "int"),
            Column("name", say(en="Applicant", zh="申请人")),
            Column("country", say(en="Country", zh="国别")),
            Column("type", say(en="Type", zh="类型")),
            Column("families", say(en="Families", zh="专利族（项）"), "int"),
            Column("share", say(en="Share", zh="占比"), "pct"),
            Column("years", say(en="Filing years", zh="申请年份")),
            Column("entity", say(en="Entity id", zh="实体编号")),
        ),
        tuple(
            (
                rank,
                r.name,
                r.country or "",
                _type_label(ctx.lang, r.kind),
                r.families,
                r.families / ctx.families,
                f"{r.first_year}–{r.last_year}",
                r.entity,
            )
            for rank, r in enumerate(top, start=1)
        ),
    )
    trend_table = DataTable(
        "top_applicants_by_year",
        say(
            en="Families of the leading applicants by filing year",
            zh="主要申请人各申请年的专利族数量",
        ),
        (
            Column("year", say(en="Year", zh="年份"), "year"),
            *(Column(f"p{k}", r.name, "int") for k, r in enumerate(leaders)),
        ),
        tuple((year, *(trend[r.entity].get(year, 0) for r in leaders)) for year in years),
    )
    types_table = DataTable(
        "applicant_types",
        say(en="Applicant types", zh="申请人类型"),
        (
            Column("type", say(en="Type", zh="类型")),
            Column("families", say(en="Families", zh="专利族（项）"), "int"),
            Column("share", say(en="Share of families", zh="占专利族比例"), "pct"),
        ),
        tuple(
            (_type_label(ctx.lang, r["kind"]), r["families"], r["families"] / ctx.families)
            for r in types
        ),
    )
    figures: list[Chart] = []
    if top:
        figures.append(
            Chart(
                charts.horizontal_bars(
                    [r.name for r in top],
                    [r.families for r in top],
                    xlabel=say(en="families", zh="专利族（项）"),
                ),
                say(en="Top applicants by families", zh="主要申请人专利族数量"),
            )
        )
    if years:
        figures.append(
            Chart(
                charts.year_lines(
                    years,
                    [(r.name, [trend[r.entity].get(y, 0) for y in years]) for r in leaders],
                    ylabel=say(en="families", zh="专利族（项）"),
                ),
                say(en="Leading applicants by filing year", zh="主要申请人申请趋势"),
            )
        )
    return Section(
        "applicants",
        say(en="3. Applicants", zh="三、申请人分析"),
        (paragraph(ctx.lang, top, types, ctx.families),),
        charts=tuple(figures),
        tables=(top_table, trend_table, types_table),
        notes=(
            say(
                en="A family owned jointly counts for each of its owners, so shares of "
                "applicants and of applicant types may add up to more than 100%.",
                zh="共同申请的专利族计入每个申请人，因此申请人及申请人类型的占比之和可能超过100%。",
            ),
        ),
    )


def paragraph(
    lang: str, top: list[TopApplicant], types: list[dict[str, Any]], families: int
) -> str:
    if not top:
        return (
            "检索结果中没有申请人数据。"
            if lang == "zh"
            else "The matched patents name no applicants."
        )
    first = top[0]
    leading = top[: min(5, len(top))]
    together = sum(r.families for r in leading)
    names = listing(lang, [r.name for r in leading[1:]])
    main_type = types[0] if types else None
    if lang == "zh":
        lead = pct(first.families, families)
        text = f"{first.name}以{num(first.families)}项专利族居首，占{lead}。"
        if names:
            text += f"其后依次为{names}。"
        text += f"前{len(leading)}名申请人合计{num(together)}项，占{pct(together, families)}。"
        if main_type:
            text += (
                f"按申请人类型，{_type_label(lang, main_type['kind'])}持有的专利族最多"
                f"（{pct(main_type['families'], families)}）。"
            )
        return text
    text = (
        f"{first.name} leads with {num(first.families)} families "
        f"({pct(first.families, families)} of the field)"
    )
    text += f", followed by {names}. " if names else ". "
    text += (
        f"The top {len(leading)} applicants together hold {num(together)} families "
        f"({pct(together, families)}). "
    )
    if main_type:
        text += (
            f"By applicant type, {_type_label(lang, main_type['kind'])} hold the most families "
            f"({pct(main_type['families'], families)})."
        )
    return text


def _trend(ctx: ReportContext, entities: list[str]) -> dict[str, dict[int, int]]:
    found: dict[str, dict[int, int]] = {entity: {} for entity in entities}
    if not entities:
        return found
    marks = ", ".join("?" for _ in entities)
    rows = ctx.con.execute(
        f"""SELECT o.entity, f.filing_year, count(*) FROM report_owners o
        JOIN report_families f ON f.patent_id = o.patent_id
        WHERE o.entity IN ({marks}) AND f.filing_year IS NOT NULL GROUP BY ALL""",
        entities,
    ).fetchall()
    for entity, year, count in rows:
        found[entity][int(year)] = int(count)
    return found


def _type_label(lang: str, kind: str) -> str:
    en, zh = TYPE_LABELS.get(kind, (kind, kind))
    return zh if lang == "zh" else en
