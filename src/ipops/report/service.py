"""Landscape reports: select the scope, compute each section, write HTML or PDF and the annex.

``build_report`` reads the corpus (one DuckDB connection with the scope as temp tables) and
returns a ``Report`` (pure data); ``write_report`` renders it and writes the files. The CLI,
the web UI and the demo call these two.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from ipops import __version__
from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.report import annex, charts, render
from ipops.report.model import Report, Section
from ipops.report.query import ReportQuery, years_text
from ipops.report.scope import build_scope, data_date
from ipops.report.sections import (
    applicants,
    citations,
    collaboration,
    geography,
    highvalue,
    method,
    technology,
    trends,
)
from ipops.report.sections.base import ReportContext
from ipops.report.words import pick

Progress = Callable[[str, int, int], None]  # step, steps done, steps in all
SECTION_BUILDERS: tuple[tuple[str, Callable[[ReportContext], Section]], ...] = (
    ("method", method.build),
    ("trends", trends.build),
    ("applicants", applicants.build),
    ("technology", technology.build),
    ("geography", geography.build),
    ("collaboration", collaboration.build),
    ("citations", citations.build),
)
FORMATS = (".html", ".pdf")


@dataclass(frozen=True)
class ReportRequest:
    query: ReportQuery
    lang: str = "zh"
    title: str | None = None
    as_of: date | None = None  # default: the latest date in the corpus
    with_value: bool = True


@dataclass(frozen=True)
class ReportFiles:
    report: Path
    annex_xlsx: Path
    annex_csv: Path  # a folder
    seconds: dict[str, float]

    def as_dict(self) -> dict[str, object]:
        return {
            "report": str(self.report),
            "annex_xlsx": str(self.annex_xlsx),
            "annex_csv": str(self.annex_csv),
            "seconds": self.seconds,
        }


def check_output(path: Path) -> str:
    """The output format (``.html`` or ``.pdf``) of ``path``, or an error naming --output."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(
            f"{path.name!r}: the report is written as .html or .pdf", field="--output"
        )
    if not path.parent.exists():
        raise ValidationError(f"folder {str(path.parent)!r} does not exist", field="--output")
    return suffix


def build_report(
    store: CorpusStore,
    request: ReportRequest,
    *,
    valuation_root: Path | None = None,
    pools: Mapping[str, tuple[str, ...]] | None = None,
    progress: Progress | None = None,
) -> Report:
    """The report's data: every section computed over the scope of ``request.query``."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    snapshot_id = store.manifest().snapshot_id
    lang = request.lang
    steps = len(SECTION_BUILDERS) + 2  # + scope + high value
    with store.connect() as con:
        con.execute("SET preserve_insertion_order = false")
        as_of = request.as_of or data_date(con) or date.today()
        counts = build_scope(con, request.query)
        seconds["scope"] = time.perf_counter() - start
        _tell(progress, "scope", 1, steps)
        ctx = ReportContext(
            con=con,
            store=store,
            lang=lang,
            query=request.query,
            query_text=describe(request.query, lang),
            snapshot_id=snapshot_id,
            version=__version__,
            as_of=as_of,
            patents=counts.patents,
            families=counts.families,
            valuation_root=valuation_root if request.with_value else None,
        )
        sections: list[Section] = []
        builders = SECTION_BUILDERS if counts.patents else SECTION_BUILDERS[:1]
        drawn = charts.drawing_seconds()
        for done, (name, builder) in enumerate(builders, start=2):
            began = time.perf_counter()
            sections.append(builder(ctx))
            seconds[name] = time.perf_counter() - began
            _tell(progress, name, done, steps)
        seconds["charts_core"] = charts.drawing_seconds() - drawn
        if counts.patents:
            began = time.perf_counter()
            sections.append(highvalue.build(ctx, pools))
            seconds["highvalue"] = time.perf_counter() - began
        else:
            sections.append(_nothing_found(ctx))
    _tell(progress, "highvalue", steps, steps)
    seconds["total"] = time.perf_counter() - start
    return Report(
        title=request.title or default_title(request.query, lang),
        lang=lang,
        query=request.query.as_dict(),
        query_text=ctx.query_text,
        snapshot_id=snapshot_id,
        version=__version__,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        as_of=as_of,
        patents=counts.patents,
        families=counts.families,
        sections=tuple(sections),
        seconds=seconds,
    )


def write_report(report: Report, output: Path) -> ReportFiles:
    """Write the report (HTML or PDF, by the suffix) and its annex beside it."""
    suffix = check_output(output)
    seconds = dict(report.seconds)
    began = time.perf_counter()
    files = annex.write_annex(report, output)
    seconds["annex"] = time.perf_counter() - began
    began = time.perf_counter()
    html = render.report_html(report, annex_links=files.links(output.parent))
    if suffix == ".html":
        render.write_text_atomic(output, html)
    else:
        render.write_pdf_atomic(output, html)
    seconds["render"] = time.perf_counter() - began
    return ReportFiles(output, files.xlsx, files.csv_folder, seconds)


def generate(
    store: CorpusStore,
    request: ReportRequest,
    output: Path,
    *,
    valuation_root: Path | None = None,
    pools: Mapping[str, tuple[str, ...]] | None = None,
    progress: Progress | None = None,
) -> tuple[Report, ReportFiles]:
    check_output(output)
    report = build_report(
        store, request, valuation_root=valuation_root, pools=pools, progress=progress
    )
    files = write_report(report, output)
    return replace(report, seconds=files.seconds), files


def describe(query: ReportQuery, lang: str) -> str:
    """The query in words, e.g. ``IPC F24F or F25B; filing years 2010–2019``."""
    parts: list[str] = []
    joiner = pick(lang, en=" or ", zh=" 或 ")
    if query.ipc:
        parts.append("IPC/CPC " + joiner.join(query.ipc))
    if query.words:
        words = pick(lang, en=" and ", zh=" 且 ").join(f"“{w}”" for w in query.words)
        parts.append(
            pick(lang, en=f"title or abstract containing {words}", zh=f"名称或摘要含{words}")
        )
    if query.parties:
        names = joiner.join(query.parties)
        parts.append(pick(lang, en=f"applicant {names}", zh=f"申请人 {names}"))
    years = years_text(query.year_from, query.year_to)
    if years:
        parts.append(pick(lang, en=f"filing years {years}", zh=f"申请年 {years}"))
    if not parts:
        return pick(lang, en="the whole corpus", zh="全部数据")
    return "; ".join(parts) if lang == "en" else "；".join(parts)


def default_title(query: ReportQuery, lang: str) -> str:
    subject = describe(query, lang)
    return pick(lang, en=f"Patent landscape: {subject}", zh=f"专利分析报告：{subject}")


def _nothing_found(ctx: ReportContext) -> Section:
    return Section(
        "nothing",
        ctx.say(en="No patents found", zh="未检索到专利"),
        (
            ctx.say(
                en=f"No patent of corpus snapshot {ctx.snapshot_id} matches {ctx.query_text}, "
                "so there are no trends, applicants or charts to show. Widen the query: fewer "
                "words, a shorter IPC prefix, more years.",
                zh=f"数据快照 {ctx.snapshot_id} 中没有符合“{ctx.query_text}”的专利，因此没有趋势、"
                "申请人或图表可以展示。请放宽检索条件：减少关键词、缩短 IPC 前缀或扩大年份范围。",
            ),
        ),
    )


def _tell(progress: Progress | None, step: str, done: int, total: int) -> None:
    if progress is not None:
        progress(step, done, total)
