"""Section 4: technology — IPC main groups, WIPO technology fields, and a revealed
specialisation index (RSI) of the top applicants across the fields of the landscape.

RTA = (n_af / n_a) / (n_f / n): applicant a's share of families in field f against the
whole landscape's; RSI = (RTA − 1) / (RTA + 1), in [−1, 1]: above 0 the applicant is
specialised in the field relative to the landscape, −1 it has no family there.
"""

from __future__ import annotations

from typing import Any

from ipops.report import charts
from ipops.report.fieldnames import field_name, sector_name
from ipops.report.model import Chart, Column, DataTable, Section
from ipops.report.sections.applicants import TopApplicant, top_applicants
from ipops.report.sections.base import ReportContext
from ipops.report.words import num, pct
from ipops.valuation.fields import concordance_table

TOP_GROUPS = 15
RSI_PARTIES = 6
RSI_FIELDS = 8
RSI_MIN_FAMILIES = 5

FAMILY_FIELD_SQL = """
CREATE OR REPLACE TEMP TABLE report_family_field AS
WITH main_symbol AS (
    SELECT f.family_key, f.patent_id,
           arg_min(c.symbol, (CASE WHEN c.is_main THEN 0 ELSE 1 END, coalesce(c.sequence, 99999),
                              c.symbol)) AS symbol
    FROM report_families f JOIN classifications c ON c.patent_id = f.patent_id
    WHERE c.scheme = 'IPC'
    GROUP BY f.family_key, f.patent_id
), parts AS (
    SELECT *, substr(symbol, 1, 4) AS subclass,
           TRY_CAST(regexp_extract(symbol, '^.{4} ?([0-9]+)', 1) AS INTEGER) AS grp
    FROM main_symbol
)
SELECT p.family_key, p.patent_id, p.symbol,
       arg_max(k.field, k.main_group IS NOT NULL) AS field
FROM parts p JOIN report_concordance k
  ON k.subclass = p.subclass AND (k.main_group IS NULL OR k.main_group = p.grp)
GROUP BY p.family_key, p.patent_id, p.symbol"""

GROUPS_SQL = """
SELECT c.main_group, count(DISTINCT f.family_key) AS families
FROM classifications c JOIN report_families f ON f.patent_id = c.patent_id
WHERE c.scheme = 'IPC' AND c.main_group IS NOT NULL
GROUP BY c.main_group ORDER BY families DESC, c.main_group LIMIT ?"""

FIELDS_SQL = """
SELECT field, count(*) AS families FROM report_family_field
GROUP BY field ORDER BY families DESC, field"""

APPLICANT_FIELDS_SQL = """
SELECT o.entity, ff.field, count(DISTINCT ff.family_key) AS families
FROM report_owners o JOIN report_family_field ff ON ff.patent_id = o.patent_id
WHERE o.entity IN ({marks}) GROUP BY ALL"""


def rsi_fields(fields: list[dict[str, Any]], classified: int) -> list[int]:
    """The fields worth an index: the largest, each with at least 1% of the classified
    families and ``RSI_MIN_FAMILIES`` families (tiny fields make every index −1 or +1)."""
    floor = max(RSI_MIN_FAMILIES, classified / 100)
    return [int(r["field"]) for r in fields if r["families"] >= floor][:RSI_FIELDS]


def rsi(n_af: int, n_a: int, n_f: int, n: int) -> float | None:
    """The revealed specialisation index; None when a share is undefined."""
    if not (n_a and n_f and n):
        return None
    rta = (n_af / n_a) / (n_f / n)
    return (rta - 1) / (rta + 1)


def build(ctx: ReportContext) -> Section:
    say = ctx.say
    ctx.con.register("report_concordance", concordance_table())
    ctx.con.execute(FAMILY_FIELD_SQL).fetchall()
    groups = ctx.rows(GROUPS_SQL, [TOP_GROUPS])
    fields = ctx.rows(FIELDS_SQL)
    classified = sum(r["families"] for r in fields)
    parties = top_applicants(ctx, RSI_PARTIES)
    shown_fields = rsi_fields(fields, classified)
    matrix = _rsi_matrix(ctx, parties, fields, shown_fields, classified)
    tables = (
        DataTable(
            "ipc_main_groups",
            say(en="Top IPC main groups", zh="主要 IPC 大组"),
            (
                Column("main_group", say(en="IPC main group", zh="IPC 大组")),
                Column("families", say(en="Families", zh="专利族（项）"), "int"),
                Column("share", say(en="Share of families", zh="占专利族比例"), "pct"),
            ),
            tuple((r["main_group"], r["families"], r["families"] / ctx.families) for r in groups),
        ),
        DataTable(
            "wipo_fields",
            say(en="WIPO technology fields (main IPC)", zh="WIPO 技术领域（按主分类号）"),
            (
                Column("field", say(en="Field", zh="领域编号"), "int"),
                Column("name", say(en="Technology field", zh="技术领域")),
                Column("sector", say(en="Sector", zh="技术部门")),
                Column("families", say(en="Families", zh="专利族（项）"), "int"),
                Column(
                    "share", say(en="Share of classified families", zh="占已分类专利族比例"), "pct"
                ),
            ),
            tuple(
                (
                    r["field"],
                    field_name(r["field"], ctx.lang),
                    sector_name(r["field"], ctx.lang),
                    r["families"],
                    r["families"] / classified,
                )
                for r in fields
            ),
        ),
        DataTable(
            "specialisation_index",
            say(
                en="Revealed specialisation index of the top applicants",
                zh="主要申请人的显性专业化指数（RSI）",
            ),
            (
                Column("name", say(en="Applicant", zh="申请人")),
                *(Column(f"f{f}", field_name(f, ctx.lang), "rsi") for f in shown_fields),
            ),
            tuple((p.name, *matrix[k]) for k, p in enumerate(parties)),
        ),
    )
    figures: list[Chart] = []
    if groups:
        figures.append(
            Chart(
                charts.horizontal_bars(
                    [r["main_group"] for r in groups],
                    [r["families"] for r in groups],
                    xlabel=say(en="families", zh="专利族（项）"),
                    colour=2,
                ),
                say(en="Top IPC main groups", zh="主要 IPC 大组"),
            )
        )
    if fields:
        figures.append(
            Chart(
                charts.horizontal_bars(
                    [field_name(r["field"], ctx.lang) for r in fields[:12]],
                    [r["families"] for r in fields[:12]],
                    xlabel=say(en="families", zh="专利族（项）"),
                    colour=4,
                ),
                say(en="WIPO technology fields", zh="WIPO 技术领域分布"),
            )
        )
    if parties and shown_fields:
        figures.append(
            Chart(
                charts.heatmap(
                    [p.name for p in parties],
                    [field_name(f, ctx.lang) for f in shown_fields],
                    matrix,
                ),
                say(
                    en="Specialisation of the top applicants by field",
                    zh="主要申请人的技术专业化指数",
                ),
            )
        )
    return Section(
        "technology",
        say(en="4. Technology", zh="四、技术构成"),
        (
            paragraph(
                ctx.lang, groups, fields, classified, ctx.families, parties, shown_fields, matrix
            ),
        ),
        charts=tuple(figures),
        tables=tables,
        notes=(
            say(
                en="A family counts once in each IPC main group it is classified in (so "
                "shares of main groups add up to more than 100%), and in one WIPO field: that "
                "of its main IPC symbol. RSI = (RTA − 1)/(RTA + 1), RTA being the applicant's "
                "share of families in a field divided by the landscape's.",
                zh="一个专利族计入其所属的每个 IPC 大组（各大组占比之和超过100%），但只计入一个 "
                "WIPO 技术领域（主分类号所属领域）。RSI =（RTA − 1）/（RTA + 1），"
                "RTA 为申请人在该领域的"
                "专利族占比与本领域整体占比之比。",
            ),
        ),
    )


def paragraph(
    lang: str,
    groups: list[dict[str, Any]],
    fields: list[dict[str, Any]],
    classified: int,
    families: int,
    parties: list[TopApplicant],
    shown_fields: list[int],
    matrix: list[list[float | None]],
) -> str:
    if not groups and not fields:
        return (
            "检索结果没有 IPC 分类数据。"
            if lang == "zh"
            else "The matched patents carry no IPC symbols."
        )
    text = ""
    if groups:
        g = groups[0]
        text = (
            f"最集中的 IPC 大组是 {g['main_group']}（{num(g['families'])}项，"
            f"占{pct(g['families'], families)}）。"
            if lang == "zh"
            else f"The most frequent IPC main group is {g['main_group']} ({num(g['families'])} "
            f"families, {pct(g['families'], families)}). "
        )
    if fields:
        f = fields[0]
        name = field_name(f["field"], lang)
        text += (
            f"按 WIPO 技术领域，{name}占已分类专利族的{pct(f['families'], classified)}。"
            if lang == "zh"
            else f"By WIPO field, {name} accounts for {pct(f['families'], classified)} of the "
            "classified families. "
        )
    best = _most_specialised(parties, shown_fields, matrix)
    if best:
        who, field, value = best
        text += (
            f"{who}在{field_name(field, lang)}领域的专业化程度最高（RSI {value:+.2f}）。"
            if lang == "zh"
            else f"{who} is the most specialised of the top applicants, in "
            f"{field_name(field, lang)} (RSI {value:+.2f})."
        )
    return text.strip()


def _most_specialised(
    parties: list[TopApplicant], shown_fields: list[int], matrix: list[list[float | None]]
) -> tuple[str, int, float] | None:
    best: tuple[str, int, float] | None = None
    for party, row in zip(parties, matrix, strict=True):
        for field, value in zip(shown_fields, row, strict=True):
            if value is not None and value > 0 and (best is None or value > best[2]):
                best = (str(party.name), field, value)
    return best


def _rsi_matrix(
    ctx: ReportContext,
    parties: list[TopApplicant],
    fields: list[dict[str, Any]],
    shown_fields: list[int],
    classified: int,
) -> list[list[float | None]]:
    if not parties:
        return []
    marks = ", ".join("?" for _ in parties)
    rows = ctx.con.execute(
        APPLICANT_FIELDS_SQL.format(marks=marks), [p.entity for p in parties]
    ).fetchall()
    counts = {(str(entity), int(field)): int(n) for entity, field, n in rows}
    per_field = {int(r["field"]): int(r["families"]) for r in fields}
    per_party = {
        p.entity: sum(n for (entity, _), n in counts.items() if entity == p.entity) for p in parties
    }
    return [
        [
            rsi(counts.get((p.entity, f), 0), per_party[p.entity], per_field[f], classified)
            for f in shown_fields
        ]
        for p in parties
    ]
