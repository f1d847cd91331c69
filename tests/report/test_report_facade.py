"""Landscape reports through the Python API: ``ipops.open(home).reports``."""

from __future__ import annotations

from pathlib import Path

import pytest

import ipops
from ipops.errors import ValidationError
from ipops.platform import Platform
from ipops.report.library import reports_folder
from ipops.workspace import Workspace


@pytest.fixture
def platform(generated_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Platform:
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    return ipops.open(generated_workspace.root)


def test_generate_writes_the_report_and_list_shows_saved_ones(
    platform: Platform,
) -> None:
    assert platform.reports.list() == []
    folder = reports_folder(platform.workspace.root)
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / "air.html"
    done = platform.reports.generate(output=output, ipc=["F24F"], lang="en", title="Air")
    assert done.files.report == output and output.exists()
    assert done.report.title == "Air" and done.report.patents > 0
    assert done.files.annex_xlsx.exists()
    assert [saved.stem for saved in platform.reports.list()] == ["air"]


def test_bad_output_is_refused(platform: Platform, tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        platform.reports.generate(output=tmp_path / "report.txt")
