"""`ipops demo`'s air-conditioning report: written where the web UI lists it."""

from __future__ import annotations

import pytest

from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine
from ipops.report.demo import DEMO_TITLE, write_demo_report
from ipops.report.library import DEMO_NAME, list_reports, reports_folder
from ipops.workspace import Workspace


@pytest.mark.slow
def test_the_demo_report_is_written_and_listed(generated_workspace: Workspace) -> None:
    engine = make_engine(generated_workspace.database_url)
    demo = write_demo_report(
        CorpusStore(generated_workspace.corpus_dir), generated_workspace.root, engine
    )
    engine.dispose()
    assert demo.path == reports_folder(generated_workspace.root) / f"{DEMO_NAME}.html"
    assert demo.patents > 300  # about a third of 2,000 generated patents
    text = demo.path.read_text(encoding="utf-8")
    assert DEMO_TITLE in text and "IPC/CPC F24F 或 F25B 或 F04C 18" in text
    listed = list_reports(reports_folder(generated_workspace.root))
    assert [r.stem for r in listed] == [DEMO_NAME]
    assert listed[0].formats == ("html",) and listed[0].annex
