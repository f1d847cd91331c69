"""The report use cases the CLI and the Python API share: write a landscape report, list
the saved ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from ipops.corpus.store import CorpusStore
from ipops.report.library import SavedReport, list_reports, reports_folder
from ipops.report.model import Report
from ipops.report.pools import pool_memberships
from ipops.report.service import Progress, ReportFiles, ReportRequest, generate


@dataclass(frozen=True)
class GeneratedReport:
    """A written report: what it found and the files it wrote."""

    report: Report
    files: ReportFiles


def write_landscape_report(
    *,
    db_session: Session,
    store: CorpusStore,
    workspace_root: Path,
    request: ReportRequest,
    output: Path,
    progress: Progress | None = None,
) -> GeneratedReport:
    """Write the landscape report of ``request`` to ``output`` (.html or .pdf) with its annex;
    pool memberships come from the registry, value scores from the workspace's valuation."""
    pools = pool_memberships(db_session)
    report, files = generate(
        store,
        request,
        output,
        valuation_root=workspace_root / "valuation",
        pools=pools,
        progress=progress,
    )
    return GeneratedReport(report=report, files=files)


def saved_reports(*, workspace_root: Path) -> list[SavedReport]:
    """The reports saved in the workspace, newest first."""
    return list_reports(reports_folder(workspace_root))
