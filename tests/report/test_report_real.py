"""Reports over the 421 real USPTO grants, their numbers checked against the corpus queried
directly (plain SQL and Python written here, not the report's SQL)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from ipops import __version__
from ipops.corpus.store import CorpusStore
from ipops.report.model import Report
from ipops.report.query import parse_query
from ipops.report.service import ReportRequest, build_report, generate, write_report
from ipops.valuation import highvalue
from ipops.valuation.fields import field_of
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import compute_indicators
from ipops.valuation.screening import screen_high_value
from ipops.workspace import Workspace

pytestmark = pytest.mark.realdata
SECTIONS_ZH = (
    "一、检索范围与方法",
    "二、申请趋势",
    "三、申请人分析",
    "四、技术构成",
    "五、地域分布",
    "六、合作分析",
    "七、引证分析",
    "八、高价值专利",
    "九、附录",
)
SECTIONS_EN = ("1. Scope and method", "2. Filing trends", "3. Applicants", "4. Technology",
               "5. Geography", "6. Collaboration", "7. Citations", "8. High-value patents",
               "9. Annex")  # fmt: skip


def store_of(workspace: Workspace) -> CorpusStore:
    return CorpusStore(workspace.corpus_dir)


def make(workspace: Workspace, lang: str, **query: Any) -> Report:
    request = ReportRequest(parse_query(**query), lang=lang)
    return build_report(store_of(workspace), request, valuation_root=workspace.root / "valuation")


def rows(workspace: Workspace, sql: str) -> list[tuple[Any, ...]]:
    with store_of(workspace).connect() as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def report_zh(real_workspace: Workspace) -> Report:
    return make(real_workspace, "zh")


@pytest.fixture(scope="module")
def report_en(real_workspace: Workspace) -> Report:
    return make(real_workspace, "en")


def table(report: Report, name: str) -> list[dict[str, Any]]:
    return next(t for t in report.tables() if t.name == name).as_dicts()


def test_scope_snapshot_and_version(real_workspace: Workspace, report_zh: Report) -> None:
    (patents,) = rows(real_workspace, "SELECT count(*) FROM patents")[0]
    assert report_zh.patents == patents == 424
    assert report_zh.families == patents  # USPTO grant XML gives no families
    assert report_zh.snapshot_id == store_of(real_workspace).manifest().snapshot_id
    assert report_zh.version == __version__
    assert [s.key for s in report_zh.sections] == [
        "method", "trends", "applicants", "technology", "geography", "collaboration",
        "citations", "highvalue",
    ]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filing_trend_matches_the_corpus(
    real_workspace: Workspace, report_zh: Report, report_en: Report, lang: str
) -> None:
    report = report_zh if lang == "zh" else report_en
    expected = dict(rows(real_workspace, "SELECT year(filing_date), count(*) FROM patents "
                         "WHERE filing_date IS NOT NULL GROUP BY 1"))  # fmt: skip
    shown = {r["year"]: r["families"] for r in table(report, "trend_filing_year")}
    assert {y: n for y, n in shown.items() if n} == expected
    assert set(shown) == set(range(min(expected), max(expected) + 1))
    published = dict(rows(real_workspace, "SELECT year(publication_date), count(*) FROM patents "
                          "GROUP BY 1"))  # fmt: skip
    shown = {r["year"]: r["families"] for r in table(report, "trend_publication_year")}
    assert {y: n for y, n in shown.items() if n} == published


def test_top_applicants_match_the_assignees(real_workspace: Workspace, report_en: Report) -> None:
    per_entity = Counter(
        entity
        for entity, _patent in rows(
            real_workspace,
            "SELECT DISTINCT entity_id, patent_id FROM parties WHERE role = 'assignee'",
        )
    )
    shown = table(report_en, "top_applicants")
    assert len(shown) == 10
    for row in shown:
        assert row["families"] == per_entity[row["entity"]]
        assert row["share"] == pytest.approx(per_entity[row["entity"]] / 424)
    best = sorted(per_entity.values(), reverse=True)[:10]
    assert [r["families"] for r in shown] == best
    assert shown[0]["name"] == "The Procter & Gamble Company"


def test_technology_matches_the_classifications(
    real_workspace: Workspace, report_en: Report
) -> None:
    groups = Counter(
        group
        for group, _patent in rows(
            real_workspace,
            "SELECT DISTINCT main_group, patent_id FROM classifications "
            "WHERE scheme = 'IPC' AND main_group IS NOT NULL",
        )
    )
    shown = table(report_en, "ipc_main_groups")
    assert shown[0]["main_group"] == "H01L 21/00"
    for row in shown:
        assert row["families"] == groups[row["main_group"]]
    main: dict[str, tuple[int, int, str]] = {}
    for patent, is_main, sequence, symbol in rows(
        real_workspace,
        "SELECT patent_id, is_main, sequence, symbol FROM classifications WHERE scheme = 'IPC'",
    ):
        key = (0 if is_main else 1, sequence if sequence is not None else 99999, symbol)
        if patent not in main or key < main[patent]:
            main[patent] = key
    fields = Counter(field_of(key[2]) for key in main.values())
    expected = {f.number: n for f, n in fields.items() if f is not None}
    assert {r["field"]: r["families"] for r in table(report_en, "wipo_fields")} == expected


def test_inventor_countries_are_fractional_counts(
    real_workspace: Workspace, report_zh: Report
) -> None:
    teams: dict[str, list[str]] = defaultdict(list)
    for patent, country in rows(real_workspace, "SELECT patent_id, country FROM inventors"):
        teams[patent].append(country or "")
    totals: Counter[str] = Counter()
    for countries in teams.values():
        for country in countries:
            totals[country] += 1 / len(countries)
    shown = {r["country"]: r["fractional"] for r in table(report_zh, "inventor_countries")}
    assert shown == {c: pytest.approx(round(w, 2), abs=0.006) for c, w in totals.items()}
    assert sum(shown.values()) == pytest.approx(len(teams), abs=0.05)
    assert table(report_zh, "inventor_countries")[0]["name"] == "美国"


def test_team_and_international_shares(real_workspace: Workspace, report_en: Report) -> None:
    teams: dict[str, list[str]] = defaultdict(list)
    for patent, country in rows(real_workspace, "SELECT patent_id, country FROM inventors"):
        teams[patent].append(country)
    years = dict(rows(real_workspace, "SELECT patent_id, year(filing_date) FROM patents"))
    expected: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for patent, countries in teams.items():
        counts = expected[years[patent]]
        counts[0] += 1
        counts[1] += len(countries) >= 2
        counts[2] += len({c for c in countries if c}) >= 2
    shown = table(report_en, "collaboration_by_year")
    for row in shown:
        assert [row["with_inventors"], row["team"], row["international"]] == expected[row["year"]]
        assert row["team_share"] == pytest.approx(row["team"] / row["with_inventors"])


def test_no_corpus_patent_cites_another_so_the_section_says_so(report_en: Report) -> None:
    assert table(report_en, "most_cited") == []
    section = report_en.section("citations")
    assert "No patent of the corpus cites" in section.paragraphs[0]
    assert section.charts == ()


def test_high_value_counts_match_the_valuation_screening(
    real_workspace: Workspace, report_en: Report
) -> None:
    store = store_of(real_workspace)
    dated = real_workspace.root / "valuation" / f"as-of-{report_en.as_of.isoformat()}"
    options = IndicatorOptions(as_of=report_en.as_of, min_cohort=20)
    indicators = compute_indicators(store, dated, options)
    rules = highvalue.HighValueRules(as_of=report_en.as_of)
    screening = screen_high_value(store, indicators, rules)
    shown = table(report_en, "cnipa_high_value")
    assert shown[0]["patents"] == screening.valid_inventions
    assert shown[1]["patents"] == screening.high_value
    by_reason = [r["patents"] for r in shown[2:]]
    assert by_reason == list(screening.by_reason.values())
    top = table(report_en, "top_value")
    assert top and top == sorted(top, key=lambda r: -r["pvd"])


def test_an_ipc_query_counts_what_the_corpus_holds(real_workspace: Workspace) -> None:
    report = make(real_workspace, "en", ipc=["H"], years="2005-2010")
    ((expected,),) = rows(
        real_workspace,
        "SELECT count(DISTINCT c.patent_id) FROM classifications c JOIN patents p USING "
        "(patent_id) WHERE c.scheme IN ('IPC', 'CPC') AND c.symbol LIKE 'H%' "
        "AND year(p.filing_date) BETWEEN 2005 AND 2010",
    )
    assert report.patents == expected > 0
    assert sum(r["families"] for r in table(report, "trend_filing_year")) == expected
    assert "IPC/CPC H; filing years 2005-2010" in report.query_text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_pdf_and_annex_files(
    real_workspace: Workspace, tmp_path: Path, report_zh: Report, report_en: Report, lang: str
) -> None:
    report = report_zh if lang == "zh" else report_en
    html = write_report(report, tmp_path / "landscape.html")
    text = html.report.read_text(encoding="utf-8")
    assert report.snapshot_id in text and f"ipops {__version__}" in text
    assert text.count('<img src="data:image/svg+xml;base64,') >= 10
    assert "landscape-annex.xlsx" in text and "landscape-annex/top_applicants.csv" in text
    with (html.annex_csv / "trend_filing_year.csv").open(encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    expected = table(report, "trend_filing_year")
    assert len(lines) == len(expected) + 1
    assert [int(line[1]) for line in lines[1:]] == [r["families"] for r in expected]
    book = load_workbook(html.annex_xlsx, read_only=True)
    assert {"report", "top_applicants", "inventor_countries", "top_value"} <= set(book.sheetnames)
    pdf = write_report(report, tmp_path / "landscape.pdf")
    pages = pdf_text(pdf.report)
    for title in SECTIONS_ZH if lang == "zh" else SECTIONS_EN:
        assert title in pages, title
    assert report.snapshot_id in pages
    if lang == "zh":
        assert "宝洁" in pages or "The Procter & Gamble Company" in pages


def test_a_query_matching_nothing_gives_a_short_report(
    real_workspace: Workspace, tmp_path: Path
) -> None:
    request = ReportRequest(parse_query(ipc=["F24F"], words="nothing-like-this"), lang="en")
    report, files = generate(
        store_of(real_workspace), request, tmp_path / "none.html", valuation_root=None
    )
    assert report.empty
    assert [s.key for s in report.sections] == ["method", "nothing"]
    text = files.report.read_text(encoding="utf-8")
    assert "No patents found" in text and "<img" not in text
    assert report.snapshot_id in text


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent: apt-get install poppler-utils")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_same_query_on_the_same_snapshot_gives_the_same_report(
    real_workspace: Workspace, report_en: Report
) -> None:
    again = make(real_workspace, "en")
    assert again.snapshot_id == report_en.snapshot_id
    assert again.tables() == report_en.tables()
    assert [s.paragraphs for s in again.sections] == [s.paragraphs for s in report_en.sections]
    assert [c.svg for s in again.sections for c in s.charts] == [
        c.svg for s in report_en.sections for c in s.charts
    ]
