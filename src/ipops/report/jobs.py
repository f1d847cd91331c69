"""Reports made in the background for the web UI: one at a time, progress kept in memory.

A report over a large scope takes tens of seconds; the page starts a job and polls it. Jobs
run one after another (they share the valuation cache files and both cores), and are
forgotten when the server stops — the files they wrote stay in the workspace.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from ipops.errors import IpopsError
from ipops.report.model import Report

MAX_KEPT = 50
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

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class ReportJobs:
    def __init__(self) -> None:
        self._jobs: OrderedDict[str, JobState] = OrderedDict()
        self._lock = threading.Lock()
        self._one_at_a_time = threading.Lock()

    def start(self, owner: int, work: Work) -> str:
        job_id = uuid.uuid4().hex
        with self._lock:
            self._jobs[job_id] = JobState(job_id, owner, datetime.now(UTC))
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
            self._update(job_id, step=step, done=done, total=total)

        with self._one_at_a_time:
            self._update(job_id, step="started")
            try:
                report, files = work(progress)
            except IpopsError as exc:
                self._update(job_id, finished=True, error=str(exc))
            except Exception as exc:  # a failed job is shown on its page, never lost silently
                self._update(job_id, finished=True, error=f"{type(exc).__name__}: {exc}")
            else:
                self._update(job_id, finished=True, report=report, files=tuple(files), step="done")
