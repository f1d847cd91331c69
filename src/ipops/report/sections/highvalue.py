"""Section 8: high-value patents — the best value scores (PVD, default scheme), CNIPA's
high-value invention conditions, and pledges, licences and pool membership where recorded.

Scores and indicators come from ``ipops.valuation`` (the same files ``ipops value score``
writes), computed as of the report's date so that a report can be made again with the
same numbers. They are cached per snapshot and date under
``<valuation root>/as-of-<date>/<snapshot>/`` and reused.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ipops.corpus.events import status_sql
from ipops.report import charts
from ipops.report.model import Chart, Column, DataTable, Section
from ipops.report.scope import has_relation
from ipops.report.sections.base import ReportContext
from ipops.report.words import num, pct
from ipops.valuation import highvalue
from ipops.valuation.highvalue import REASON_LABELS, Reason
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import ValuationPaths, compute_indicators, read_indicators_metadata
from ipops.valuation.runs import score_corpus
from ipops.valuation.schemes import Scheme, load_scheme

SCHEME = "default"
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "in_force": ("in force", "有效"),
    "pending": ("pending", "审查中"),
    "lapsed": ("lapsed (fees unpaid)", "未缴年费终止"),
    "expired": ("expired", "期限届满"),
    "invalidated": ("invalidated", "被宣告无效"),
    "unknown": ("unknown (no status data)", "未知（无法律状态数据）"),
}
MIN_COHORT = 20

TOP_SQL = """
SELECT s.patent_id, s.pvd, p.title,
       year(p.filing_date) AS filing_year,
       (SELECT arg_min(o.name, o.name) FROM report_owners o WHERE o.patent_id = s.patent_id)
           AS owner
FROM read_parquet(?) s
JOIN patents p ON p.patent_id = s.patent_id
WHERE s.pvd IS NOT NULL AND s.patent_id IN (SELECT patent_id FROM report_scope)
ORDER BY s.pvd DESC, s.patent_id LIMIT ?"""


def score_files(ctx: ReportContext, root: Path) -> tuple[Path, Path]:
    """(indicators, scores) Parquet files of the snapshot as of the report's date."""
    options = IndicatorOptions(as_of=ctx.as_of, min_cohort=MIN_COHORT)
    scheme = load_scheme(SCHEME)
    dated = root / f"as-of-{ctx.as_of.isoformat()}"
    indicators = compute_indicators(ctx.store, dated, options)
    scores = ValuationPaths(dated, indicators.snapshot_id).scores(scheme)
    if not _scores_current(scores, scheme, ctx.as_of.isoformat()):
        scores = score_corpus(ctx.store, dated, scheme, options).scores_path
    return indicators.path, scores


def _scores_current(path: Path, scheme: Scheme, as_of: str) -> bool:
    if not path.exists():
        return False
    found = read_indicators_metadata(path)  # same metadata key as the scores file
    return bool(found.get("as_of") == as_of and found.get("scheme") == scheme.label())


def build(ctx: ReportContext, pools: Mapping[str, tuple[str, ...]] | None = None) -> Section:
    say = ctx.say
    title = say(en="8. High-value patents", zh="八、高价值专利")
    if ctx.valuation_root is None:
        return Section(
            "highvalue",
            title,
            (
                say(
                    en="Value scores were not requested for this report.",
                    zh="本报告未计算专利价值评分。",
                ),
            ),
        )
    indicators, scores = score_files(ctx, ctx.valuation_root)
    top = ctx.rows(TOP_SQL, [str(scores), ctx.top])
    screening = _screen(ctx, indicators)
    flags = _flags(ctx, [r["patent_id"] for r in top])
    events = _events(ctx)
    pooled = _pooled(ctx, pools) if pools else {}
    yes = say(en="yes", zh="是")
    top_table = DataTable(
        "top_value",
        say(en="Patents with the highest value score (PVD)", zh="价值度（PVD）最高的专利"),
        (
            Column("rank", say(en="Rank", zh="排名"), "int"),
            Column("patent_id", say(en="Patent", zh="专利号")),
            Column("title", say(en="Title", zh="名称")),
            Column("owner", say(en="Owner", zh="权利人")),
            Column("filing_year", say(en="Filed", zh="申请年"), "year"),
            Column("pvd", say(en="PVD", zh="价值度 PVD"), "float"),
            Column("cnipa", say(en="CNIPA high-value conditions", zh="符合的高价值专利条件")),
            *((Column("pool", say(en="Patent pool", zh="专利池")),) if pools else ()),
        ),
        tuple(
            (
                rank,
                r["patent_id"],
                r["title"] or "",
                r["owner"] or "",
                r["filing_year"],
                _round(r["pvd"]),
                "; ".join(_reason(ctx.lang, reason) for reason in flags.get(r["patent_id"], ())),
                *((", ".join(pooled.get(r["patent_id"], ())),) if pools else ()),
            )
            for rank, r in enumerate(top, start=1)
        ),
    )
    reason_table = DataTable(
        "cnipa_high_value",
        say(
            en="CNIPA high-value invention patents in the field",
            zh="本领域的高价值发明专利（国家知识产权局口径）",
        ),
        (
            Column("condition", say(en="Condition", zh="条件")),
            Column("patents", say(en="Patents", zh="专利（件）"), "int"),
            Column("share", say(en="Share of valid inventions", zh="占有效发明专利比例"), "pct"),
        ),
        (
            (say(en="valid invention patents", zh="有效发明专利"), screening["valid"], None),
            (
                say(en="high-value (any condition)", zh="高价值发明专利（满足任一条件）"),
                screening["high_value"],
                _ratio(screening["high_value"], screening["valid"]),
            ),
            *(
                (
                    _reason(ctx.lang, reason),
                    screening[str(reason)],
                    _ratio(screening[str(reason)], screening["valid"]),
                )
                for reason in Reason
            ),
        ),
    )
    statuses = ctx.rows(
        "SELECT status, count(*) AS patents FROM report_ind GROUP BY status "
        "ORDER BY patents DESC, status"
    )
    status_table = DataTable(
        "legal_status",
        say(en="Legal status of the patents", zh="专利法律状态"),
        (
            Column("status", say(en="Status", zh="法律状态")),
            Column("patents", say(en="Patents", zh="专利（件）"), "int"),
            Column("share", say(en="Share", zh="占比"), "pct"),
        ),
        tuple(
            (_status(ctx.lang, r["status"]), r["patents"], _ratio(r["patents"], ctx.patents))
            for r in statuses
        ),
    )
    event_table = DataTable(
        "pledges_licences",
        say(en="Pledges, licences and pools", zh="质押、许可与专利池"),
        (
            Column("item", say(en="Item", zh="项目")),
            Column("patents", say(en="Patents", zh="专利（件）"), "int"),
        ),
        (
            (say(en="ever pledged", zh="曾质押"), events["ever_pledged"]),
            (say(en="pledged now", zh="当前处于质押状态"), events["pledged_now"]),
            (say(en="licence recorded", zh="有许可备案"), events["licensed"]),
            (say(en="owner changed (transfer)", zh="发生过权利转移"), events["transferred"]),
            (say(en="in a patent pool", zh="已入专利池"), len(pooled) if pools else None),
        ),
    )
    figures: list[Chart] = []
    if top:
        figures.append(
            Chart(
                charts.horizontal_bars(
                    [r["patent_id"] for r in top],
                    [_round(r["pvd"]) or 0.0 for r in top],
                    xlabel=say(en="PVD (0–100)", zh="价值度 PVD（0–100）"),
                    colour=7,
                ),
                say(en="Patents with the highest value score", zh="价值度最高的专利"),
            )
        )
    return Section(
        "highvalue",
        title,
        (paragraph(ctx.lang, top, screening, events, yes),),
        charts=tuple(figures),
        tables=(top_table, reason_table, status_table, event_table),
        notes=(
            say(
                en=f"Scores: ipops patent value degree (PVD, scheme '{SCHEME}'), indicators as "
                f"of {ctx.as_of}, percentiles within WIPO field and filing-year cohorts of the "
                "whole corpus. CNIPA conditions as in `ipops value high-value`; pledge amounts "
                "are not in the corpus, so the pledge-financing condition needs the finance "
                "registry.",
                zh=f"评分：ipops 专利价值度（PVD，权重方案“{SCHEME}”），指标截至{ctx.as_of}，"
                "百分位在全库按 WIPO 技术领域和申请年分组计算。高价值条件与 `ipops value "
                "high-value` 相同；语料库中没有质押金额，质押融资条件需要融资登记数据。",
            ),
        ),
    )


def paragraph(
    lang: str,
    top: list[dict[str, Any]],
    screening: dict[str, int],
    events: dict[str, int],
    yes: str,
) -> str:
    valid, high = screening["valid"], screening["high_value"]
    if lang == "zh":
        text = (
            f"本领域有效发明专利{num(valid)}件，其中{num(high)}件（{pct(high, valid)}）"
            "满足国家知识产权局高价值发明专利的至少一项条件。"
        )
        if top:
            text += f"价值度最高的是{top[0]['patent_id']}（PVD {_round(top[0]['pvd'])}）。"
        text += (
            f"曾质押的专利{num(events['ever_pledged'])}件，"
            f"有许可备案的{num(events['licensed'])}件。"
        )
        return text
    text = (
        f"The field holds {num(valid)} valid invention patents; {num(high)} of them "
        f"({pct(high, valid)}) meet at least one of CNIPA's high-value conditions. "
    )
    if top:
        text += f"The best value score is {top[0]['patent_id']}'s (PVD {_round(top[0]['pvd'])}). "
    text += (
        f"{num(events['ever_pledged'])} patents have been pledged and "
        f"{num(events['licensed'])} have a recorded licence."
    )
    return text


def _screen(ctx: ReportContext, indicators: Path) -> dict[str, int]:
    con = ctx.con
    root = ctx.valuation_root
    awards: tuple[highvalue.Award, ...] = ()
    if root is not None and (root / "national_awards.csv").exists():
        path = root / "national_awards.csv"
        awards = highvalue.read_awards(path.read_text("utf-8"), origin=str(path))
    rules = highvalue.HighValueRules(as_of=ctx.as_of, strategic=highvalue.default_strategic_list())
    con.register("hv_strategic", highvalue.strategic_table(rules.strategic))
    con.register("hv_awards", highvalue.awards_table(awards))
    con.register("hv_pledges", highvalue.pledges_table({}))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE report_ind AS SELECT * FROM read_parquet(?) "
        "WHERE patent_id IN (SELECT patent_id FROM report_scope)",
        [str(indicators)],
    ).fetchall()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE report_hv AS "
        + highvalue.high_value_sql(rules, indicators="report_ind")
    ).fetchall()
    any_reason = (
        "strategic_industries IS NOT NULL OR overseas_family OR maintained OR pledge_high "
        "OR awards IS NOT NULL"
    )
    row = ctx.rows(
        f"""SELECT count(*) AS valid, count(*) FILTER (WHERE {any_reason}) AS high_value,
        count(strategic_industries) AS {Reason.STRATEGIC_EMERGING},
        count(*) FILTER (WHERE overseas_family) AS {Reason.OVERSEAS_FAMILY},
        count(*) FILTER (WHERE maintained) AS {Reason.MAINTAINED_10_YEARS},
        count(*) FILTER (WHERE pledge_high) AS {Reason.PLEDGE_FINANCING},
        count(awards) AS {Reason.NATIONAL_AWARD} FROM report_hv"""
    )[0]
    return {key: int(value) for key, value in row.items()}


def _flags(ctx: ReportContext, patent_ids: list[str]) -> dict[str, tuple[Reason, ...]]:
    if not patent_ids:
        return {}
    rows = ctx.rows(
        "SELECT * FROM report_hv WHERE patent_id IN (SELECT unnest(?::VARCHAR[]))", [patent_ids]
    )
    return {str(r["patent_id"]): highvalue.reasons_of(r) for r in rows}


def _events(ctx: ReportContext) -> dict[str, int]:
    empty = {"ever_pledged": 0, "pledged_now": 0, "licensed": 0, "transferred": 0}
    if not has_relation(ctx.con, "events"):
        return empty
    row = ctx.rows(
        """SELECT count(DISTINCT patent_id) FILTER (WHERE event_type = 'pledged') AS ever_pledged,
        count(DISTINCT patent_id) FILTER (WHERE event_type = 'licence_recorded') AS licensed,
        count(DISTINCT patent_id) FILTER (WHERE event_type = 'transferred') AS transferred
        FROM events WHERE patent_id IN (SELECT patent_id FROM report_scope)
          AND event_date <= ?""",
        [ctx.as_of],
    )[0]
    pledged_now = ctx.rows(
        f"""WITH status AS ({_status_sql(ctx)})
        SELECT count(*) AS n FROM status
        WHERE pledged AND patent_id IN (SELECT patent_id FROM report_scope)"""
    )[0]["n"]
    return {**{k: int(v) for k, v in row.items()}, "pledged_now": int(pledged_now)}


def _status_sql(ctx: ReportContext) -> str:
    return status_sql(as_of=ctx.as_of)


def _pooled(ctx: ReportContext, pools: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    ids = list(pools)
    if not ids:
        return {}
    rows = ctx.con.execute(
        "SELECT patent_id FROM report_scope WHERE patent_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    ).fetchall()
    return {str(r[0]): pools[str(r[0])] for r in rows}


def _status(lang: str, status: str | None) -> str:
    en, zh = STATUS_LABELS.get(status or "unknown", (str(status), str(status)))
    return zh if lang == "zh" else en


def _reason(lang: str, reason: Reason) -> str:
    en, zh = REASON_LABELS[reason]
    return zh if lang == "zh" else en


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
