"""The demo workspace's landscape report: air conditioning (F24F and related), in Chinese.

``ipops demo`` writes it to ``<workspace>/reports/demo-air-conditioning.html`` (with its
annex); the web UI lists it on the reports page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from ipops.corpus.store import CorpusStore
from ipops.registry.db import session_scope
from ipops.report.library import DEMO_NAME, reports_folder
from ipops.report.pools import pool_memberships
from ipops.report.query import parse_query
from ipops.report.service import ReportRequest, generate

DEMO_PREFIXES = ("F24F", "F25B", "F04C 18")  # air conditioning, heat pumps, rotary compressors
DEMO_TITLE = "空调产业专利分析报告（演示数据）"


@dataclass(frozen=True)
class DemoReport:
    path: Path
    patents: int
    families: int
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "patents": self.patents,
            "families": self.families,
            "seconds": round(self.seconds, 1),
        }


def write_demo_report(store: CorpusStore, workspace_root: Path, engine: Engine) -> DemoReport:
    folder = reports_folder(workspace_root)
    folder.mkdir(parents=True, exist_ok=True)
    with session_scope(engine) as session:
        pools = pool_memberships(session)
    request = ReportRequest(query=parse_query(ipc=list(DEMO_PREFIXES)), lang="zh", title=DEMO_TITLE)
    report, files = generate(
        store,
        request,
        folder / f"{DEMO_NAME}.html",
        valuation_root=workspace_root / "valuation",
        pools=pools,
    )
    seconds = files.seconds.get("total", 0.0) + files.seconds.get("render", 0.0)
    return DemoReport(files.report, report.patents, report.families, seconds)
