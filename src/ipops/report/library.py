"""The workspace's reports folder: file names for new reports, the list, safe look-ups."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ipops.errors import NotFound

FOLDER = "reports"
DEMO_NAME = "demo-air-conditioning"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
SHOWN_SUFFIXES = (".html", ".pdf")
FILE_HEADERS = {
    # Our own generated HTML: inline styles, data: images, never a script.
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
}


@dataclass(frozen=True)
class SavedReport:
    stem: str
    formats: tuple[str, ...]  # "html", "pdf"
    annex: bool
    modified: datetime


def reports_folder(workspace_root: Path) -> Path:
    return workspace_root / FOLDER


def new_stem(now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"landscape-{moment}"


def list_reports(folder: Path) -> list[SavedReport]:
    """Reports in the folder, newest first (one entry per name, with its formats)."""
    if not folder.is_dir():
        return []
    found: dict[str, list[Path]] = {}
    for path in folder.iterdir():
        if path.is_file() and path.suffix in SHOWN_SUFFIXES and not path.name.startswith("."):
            found.setdefault(path.stem, []).append(path)
    reports = [
        SavedReport(
            stem=stem,
            formats=tuple(sorted(p.suffix[1:] for p in paths)),
            annex=(folder / f"{stem}-annex.xlsx").exists(),
            modified=datetime.fromtimestamp(max(p.stat().st_mtime for p in paths), UTC),
        )
        for stem, paths in found.items()
    ]
    return sorted(reports, key=lambda r: (r.modified, r.stem), reverse=True)


def report_file(folder: Path, relative: str) -> Path:
    """A file under the folder named by a path from a URL; NotFound for anything else
    (other folders, hidden or temporary files, odd names)."""
    parts = relative.split("/")
    if not 1 <= len(parts) <= 2 or not all(_NAME.match(part) for part in parts):
        raise NotFound("no such report file", field="name")
    path = folder.joinpath(*parts)
    if not path.is_file() or path.resolve().parent not in (folder.resolve(), *_annex_dirs(folder)):
        raise NotFound("no such report file", field="name")
    return path


def _annex_dirs(folder: Path) -> list[Path]:
    return [p.resolve() for p in folder.glob("*-annex") if p.is_dir()]
