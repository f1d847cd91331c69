"""Reports made in the background (web UI and API): one at a time, progress kept in memory.

A report over a large scope takes tens of seconds; the page starts a job and polls it. Jobs
run one after another (they share the valuation cache files and both cores), and are
forgotten when the server stops — the files they wrote stay in the workspace.
"""

from __future__ import annotations

import atexit
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ipops.corpus.store import CorpusStore
from ipops.errors import IpopsError
from ipops.report import library
from ipops.report.model import Report
from ipops.report.service import ReportRequest, build_report, write_report

MAX_KEPT = 50
STOP_WAIT_SECONDS = 60
Work = Callable[[Callable[[str, int, int], None]], tuple[Report, list[str]]]


@dataclass(frozen=True)
class JobState:
    id: str
    owner: int
    started_at: datetime
    step: str = "queued"
    done: int = 0
    total: int = 1
    finished: bool = False
    error: str | None = None
    report: Report | None = None
    files: tuple[str, ...] = field(default_factory=tuple)  # names under the reports folder
    formats: tuple[str, ...] = ("html",)  # the report files asked for, the first is the main one

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class JobStopped(Exception):
    """The server is stopping: the job ends at its next step."""


class ReportJobs:
    def __init__(self) -> None:
        self._jobs: OrderedDict[str, JobState] = OrderedDict()
        self._lock = threading.Lock()
        self._one_at_a_time = threading.Lock()
        self._stopping = threading.Event()

    def stop(self, timeout: float = STOP_WAIT_SECONDS) -> None:
        """End the running job at its next step, skip the queued ones, and wait for that.

        Jobs run in daemon threads; one still inside DuckDB when the interpreter ends
        aborts the whole process, so the process waits here (at exit) instead."""
        self._stopping.set()
        if self._one_at_a_time.acquire(timeout=timeout):
            self._one_at_a_time.release()

    def start(self, owner: int, work: Work, *, formats: tuple[str, ...] = ("html",)) -> str:
        job_id = uuid.uuid4().hex
        with self._lock:
            self._jobs[job_id] = JobState(job_id, owner, datetime.now(UTC), formats=formats)
            while len(self._jobs) > MAX_KEPT:
                self._jobs.popitem(last=False)
        threading.Thread(target=self._run, args=(job_id, work), daemon=True).start()
        return job_id

    def get(self, job_id: str) -> JobState | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            if job_id in self._jobs:
                self._jobs[job_id] = replace(self._jobs[job_id], **changes)  # type: ignore[arg-type]

    def _run(self, job_id: str, work: Work) -> None:
        def progress(step: str, done: int, total: int) -> None:
            if self._stopping.is_set():
                raise JobStopped
            self._update(job_id, step=step, done=done, total=total)

        with self._one_at_a_time:
            self._update(job_id, step="started")
            try:
                progress("started", 0, 1)
                report, files = work(progress)
            except JobStopped:
                self._update(job_id, finished=True, error="the server stopped before the end")
            except IpopsError as exc:
                self._update(job_id, finished=True, error=str(exc))
            except Exception as exc:  # a failed job is shown on its page, never lost silently
                self._update(job_id, finished=True, error=f"{type(exc).__name__}: {exc}")
            else:
                self._update(job_id, finished=True, report=report, files=tuple(files), step="done")


# One queue per server process, shared by the web pages and the API.
JOBS = ReportJobs()
atexit.register(JOBS.stop)


def report_work(
    store: CorpusStore,
    report_request: ReportRequest,
    *,
    folder: Path,
    valuation: Path,
    pools: dict[str, tuple[str, ...]],
    formats: tuple[str, ...] = ("html",),
) -> Work:
    """The work of one job: build the report, write it in each format (``html``, ``pdf``)
    with its annex; the names written are relative to ``folder``, main report first."""

    def work(progress: Callable[[str, int, int], None]) -> tuple[Report, list[str]]:
        folder.mkdir(parents=True, exist_ok=True)
        report = build_report(
            store, report_request, valuation_root=valuation, pools=pools, progress=progress
        )
        progress("writing", 1, 1)
        stem = library.new_stem()
        written = []
        for suffix in formats:
            files = write_report(report, folder / f"{stem}.{suffix}")
            written.append(files.report.name)
        written.append(files.annex_xlsx.name)
        written += [f"{files.annex_csv.name}/{p.name}" for p in sorted(files.annex_csv.iterdir())]
        return report, written

    return work
