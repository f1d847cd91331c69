"""Where the real-data tests find their data: ``../shared/data`` (IPOPS_SHARED_DATA) when it
is there, else the same folders vendored in ``tests/fixtures/shared-data`` (one ``.tar.xz``
per folder, byte-identical except where SOURCE.md says, extracted once per test process).

A clone alone therefore runs the real-data tests on the same records; a folder that is
neither beside the clone nor vendored makes its tests skip with the reason.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tarfile
import tempfile
from functools import cache
from pathlib import Path

import pytest

SHARED_DATA = Path(
    os.environ.get("IPOPS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
VENDORED = Path(__file__).resolve().parent / "fixtures" / "shared-data"


@cache
def _extracted_root() -> Path:
    """A temporary folder for this process, removed at exit (worker-safe under xdist)."""
    root = Path(tempfile.mkdtemp(prefix="ipops-shared-data-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


@cache
def _vendored(folder: str) -> Path | None:
    archive = VENDORED / f"{folder}.tar.xz"
    if not archive.exists():
        return None
    root = _extracted_root()
    with tarfile.open(archive, "r:xz") as tar:
        tar.extractall(root, filter="data")
    return root / folder


def data_root() -> Path:
    """The real shared/data folder, or the folder the vendored copies extract to."""
    if SHARED_DATA.exists():
        return SHARED_DATA
    for archive in sorted(VENDORED.glob("*.tar.xz")):
        _vendored(archive.name.removesuffix(".tar.xz"))
    return _extracted_root()


def shared_path(*parts: str) -> Path:
    """A path under shared/data (real or vendored), or skip the test with the reason."""
    path = SHARED_DATA.joinpath(*parts)
    if path.exists():
        return path
    if parts:
        folder = _vendored(parts[0])
        if folder is not None and folder.parent.joinpath(*parts).exists():
            return folder.parent.joinpath(*parts)
    pytest.skip(
        f"real data not available: {path} is absent and not vendored in {VENDORED} "
        "(set IPOPS_SHARED_DATA to the shared/data folder to run this test)"
    )
