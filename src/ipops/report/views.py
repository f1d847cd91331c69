"""HTTP edge of landscape reports: start a report, follow its job, download it, list them.

The same background jobs as the web pages (``ipops.report.jobs.JOBS``: one at a time, kept
in memory until the server stops); the files land in ``<workspace>/reports``. The options
are checked by the same parsers as ``ipops report landscape``, so the messages are the
same; the field named is the JSON field (``ipc``, ``years`` ...).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.api.deps import CurrentUser, SessionDep, api_state
from ipops.api.schemas import SafeStr, StrictModel
from ipops.audit import service as audit
from ipops.audit.service import origin_of
from ipops.errors import NotFound, ValidationError
from ipops.report import library
from ipops.report.jobs import JOBS, JobState, report_work
from ipops.report.pools import pool_memberships
from ipops.report.query import ReportQuery, parse_language, parse_query
from ipops.report.service import ReportRequest

router = APIRouter(prefix="/reports", tags=["reports"])

# The CLI's option names, as the JSON fields that carry them.
FIELD_OF_OPTION = {"--ipc": "ipc", "--words": "words", "--party": "parties", "--years": "years"}
JobId = Annotated[str, Path(pattern="^[0-9a-f]{32}$", description="the job id")]
Text = Annotated[SafeStr, Field(max_length=200)]


class LandscapeIn(StrictModel):
    ipc: list[Text] = Field(default_factory=list, max_length=20, description="IPC/CPC prefixes")
    words: Text | None = Field(None, description="words, each in the title or abstract")
    parties: list[Text] = Field(default_factory=list, max_length=10, description="applicants")
    years: Annotated[SafeStr, Field(max_length=20)] | None = Field(
        None, description="filing years A-B, e.g. 2010-2019"
    )
    lang: Literal["zh", "en"] = "zh"
    title: Text | None = None
    format: Literal["html", "pdf"] = "html"


class JobStarted(BaseModel):
    job_id: str
    status_url: str


class JobOut(BaseModel):
    job_id: str
    started_at: datetime
    status: Literal["queued", "running", "done", "failed"]
    step: str
    percent: int
    error: str | None
    files: list[str]
    file_url: str | None


class SavedReportOut(BaseModel):
    stem: str
    formats: list[str]
    annex: bool
    modified: datetime


class ReportList(BaseModel):
    items: list[SavedReportOut]


def checked_query(body: LandscapeIn) -> ReportQuery:
    try:
        return parse_query(ipc=body.ipc, words=body.words, parties=body.parties, years=body.years)
    except ValidationError as exc:
        field = FIELD_OF_OPTION.get(exc.field or "", exc.field)
        raise ValidationError(exc.message, field=field) from None


@router.post("/landscape", status_code=202, summary="Start a landscape report (a background job)")
def start_landscape(
    body: LandscapeIn, request: Request, user: CurrentUser, db_session: SessionDep
) -> JobStarted:
    authz.require(user, "report:create", "report")
    report_request = ReportRequest(
        query=checked_query(body), lang=parse_language(body.lang), title=body.title or None
    )
    state = api_state(request)
    formats = (body.format,)
    work = report_work(
        state.corpus.store,
        report_request,
        folder=library.reports_folder(state.workspace.root),
        valuation=state.workspace.root / "valuation",
        pools=pool_memberships(db_session),
        formats=formats,
    )
    job_id = JOBS.start(user.id, work, formats=formats)
    audit.record(
        db_session=db_session,
        actor=user.username,
        origin=origin_of("api", request.client.host if request.client else None),
        action="report.requested",
        object_type="landscape_report",
        object_id=job_id,
        after={
            **report_request.query.as_dict(),
            "lang": report_request.lang,
            "format": body.format,
        },
    )
    return JobStarted(job_id=job_id, status_url=f"/api/v1/reports/jobs/{job_id}")


@router.get("/jobs/{job_id}", summary="A report job's status and progress")
def read_job(job_id: JobId, user: CurrentUser) -> JobOut:
    job = own_job(user, job_id)
    return JobOut(
        job_id=job.id,
        started_at=job.started_at,
        status=job_status(job),
        step=job.step,
        percent=100 if job.finished and job.error is None else job.percent,
        error=job.error,
        files=list(job.files),
        file_url=f"/api/v1/reports/jobs/{job.id}/file" if job.files else None,
    )


@router.get(
    "/jobs/{job_id}/file",
    summary="The report file of a finished job (HTML or PDF)",
    response_class=FileResponse,
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}}},
)
def read_job_file(job_id: JobId, request: Request, user: CurrentUser) -> FileResponse:
    job = own_job(user, job_id)
    if not job.files:
        raise NotFound("the report is not ready yet (or its job failed)", field="job_id")
    folder = library.reports_folder(api_state(request).workspace.root)
    path = library.report_file(folder, job.files[0])
    return FileResponse(path, filename=path.name, headers=library.FILE_HEADERS)


@router.get("", summary="The reports written in this workspace, newest first")
def list_reports(request: Request, user: CurrentUser) -> ReportList:
    authz.require(user, "report:read", "report")
    folder = library.reports_folder(api_state(request).workspace.root)
    return ReportList(
        items=[
            SavedReportOut(stem=r.stem, formats=list(r.formats), annex=r.annex, modified=r.modified)
            for r in library.list_reports(folder)
        ]
    )


def own_job(user: User, job_id: str) -> JobState:
    """The caller's own job; anyone else's is not found (its existence does not leak)."""
    authz.require(user, "report:read", "report")
    job = JOBS.get(job_id)
    if job is None or job.owner != user.id:
        raise NotFound(
            "no such report job (jobs are forgotten when the server restarts)", field="job_id"
        )
    return job


def job_status(job: JobState) -> Literal["queued", "running", "done", "failed"]:
    if job.finished:
        return "failed" if job.error else "done"
    return "queued" if job.step == "queued" else "running"
