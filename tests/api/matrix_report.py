"""Who may call each route of the report domain (rows of the authorization matrix)."""

from __future__ import annotations

import time

from matrixhelpers import SIGNED_IN, Caller, Rows, fixed

from ipops.accounts.roles import Role
from ipops.report import library
from ipops.report.jobs import JOBS, report_work
from ipops.report.query import parse_query
from ipops.report.service import ReportRequest

CREATORS = frozenset({Role.ANALYST, Role.POOL_ADMIN, Role.PLATFORM_ADMIN})
# Years before any patent of the test corpus: a short "nothing matched" report, quickly.
NOTHING = {"years": "1800-1801", "lang": "en"}


def finished_job_of(caller: Caller) -> str:
    """A finished report job of the caller's own (anonymous: of the fallback user)."""
    user = caller.user or caller.login_as
    state = caller.api.app.state.ipops
    work = report_work(
        state.corpus.store,
        ReportRequest(query=parse_query(years=NOTHING["years"]), lang="en"),
        folder=library.reports_folder(state.workspace.root),
        valuation=state.workspace.root / "valuation",
        pools={},
    )
    job_id = JOBS.start(user.id, work)
    deadline = time.monotonic() + 120
    while not (job := JOBS.get(job_id)) or not job.finished:
        assert time.monotonic() < deadline, "the report job did not finish"
        time.sleep(0.05)
    assert job.error is None, job.error
    return job_id


ROWS: Rows = {
    ("GET", "/api/v1/reports"): (SIGNED_IN, fixed("/api/v1/reports")),
    ("POST", "/api/v1/reports/landscape"): (
        CREATORS,
        fixed("/api/v1/reports/landscape", json=NOTHING),
    ),
    ("GET", "/api/v1/reports/jobs/{job_id}"): (
        SIGNED_IN,
        lambda caller: (f"/api/v1/reports/jobs/{finished_job_of(caller)}", {}),
    ),
    ("GET", "/api/v1/reports/jobs/{job_id}/file"): (
        SIGNED_IN,
        lambda caller: (f"/api/v1/reports/jobs/{finished_job_of(caller)}/file", {}),
    ),
}
