"""The report domain for scripts (``ipops.open(home).reports``):
each method is keyword-only, runs one use case and returns its frozen records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ipops.report.library import SavedReport
from ipops.report.query import parse_language, parse_query
from ipops.report.service import ReportRequest
from ipops.report.usecases import GeneratedReport, saved_reports, write_landscape_report

if TYPE_CHECKING:
    from ipops.platform import Platform


class ReportsAPI:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform

    def list(self) -> list[SavedReport]:
        """The reports saved in the workspace (by the web UI), newest first."""
        return saved_reports(workspace_root=self._platform.workspace.root)

    def generate(
        self,
        *,
        output: str | Path,
        ipc: Sequence[str] = (),
        words: str | None = None,
        parties: Sequence[str] = (),
        years: str | None = None,
        lang: str = "zh",
        title: str | None = None,
        as_of: date | None = None,
        with_value: bool = True,
    ) -> GeneratedReport:
        """Write a landscape report (``output``: FILE.html or FILE.pdf) of the patents matching
        the query (IPC prefixes, words, party names, filing years ``2010-2019``)."""
        request = ReportRequest(
            query=parse_query(ipc=list(ipc), words=words, parties=list(parties), years=years),
            lang=parse_language(lang),
            title=title.strip() if title and title.strip() else None,
            as_of=as_of,
            with_value=with_value,
        )
        with self._platform.session() as session:
            return write_landscape_report(
                db_session=session,
                store=self._platform.store,
                workspace_root=self._platform.workspace.root,
                request=request,
                output=Path(output),
            )
