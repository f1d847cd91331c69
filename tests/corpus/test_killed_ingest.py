"""A `kill -9` of `ipops corpus ingest` takes its parser workers with it, and the next
`ipops corpus runs` shows the run as interrupted (and removes its staging folder)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ipops.corpus import lifetime


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(x) for x in text.split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_ingest_leaves_no_workers_and_an_interrupted_run(
    tmp_path: Path, shared_data: Path
) -> None:
    sources = tmp_path / "xml"
    sources.mkdir()
    originals = sorted((shared_data / "uspto-grant-xml-pvdb" / "xml").glob("ipg*.xml"))
    for copy in range(12):  # enough to keep two workers busy for a while
        for original in originals:
            shutil.copy(original, sources / f"c{copy:02d}-{original.name}")
    env = {**os.environ, "IPOPS_HOME": str(tmp_path / "ws")}
    env.pop("IPOPS_DATABASE_URL", None)
    ipops = [sys.executable, "-m", "ipops.cli.app"]
    subprocess.run([*ipops, "init"], env=env, check=True, capture_output=True)
    loader = subprocess.Popen(
        [*ipops, "corpus", "ingest", str(sources), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and loader.poll() is None:
        workers = [w for w in _children(loader.pid) if _alive(w)]
        time.sleep(0.05)
    assert len(workers) >= 2, "the loader never started its workers"
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    deadline = time.monotonic() + 10 + lifetime.WATCH_SECONDS
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "parser workers outlived the loader"
    listed = subprocess.run(
        [*ipops, "corpus", "runs", "--json"], env=env, check=True, capture_output=True, text=True
    )
    (run,) = json.loads(listed.stdout)
    assert run["status"] == "interrupted", run
    assert str(loader.pid) in run["message"]
    staging = tmp_path / "ws" / "corpus" / ".staging"
    assert not staging.exists() or not any(staging.iterdir())
