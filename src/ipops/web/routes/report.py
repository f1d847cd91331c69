"""Landscape report pages: the form, the job's progress, the report in the page, downloads.

A report is made in the background (``ipops.report.jobs``); its page reloads itself every
two seconds (an HTTP ``Refresh`` header: no script) until the report is shown. The HTML
and PDF files and the annex land in ``<workspace>/reports`` and are listed on the form page.
"""

from __future__ import annotations

from pathlib import Path as FsPath

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ipops.api.deps import api_state
from ipops.audit import service as audit
from ipops.audit.service import origin_of
from ipops.errors import NotFound, ValidationError
from ipops.report import library, render
from ipops.report.jobs import JOBS, report_work
from ipops.report.pools import pool_memberships
from ipops.report.query import parse_language, parse_query
from ipops.report.service import ReportRequest
from ipops.web.context import DbSession, Web, WebContext
from ipops.web.i18n import N_
from ipops.web.security import check_csrf_form

router = APIRouter(include_in_schema=False)
READ = ("report:read", "report")
CREATE = ("report:create", "report")
FIELDS = ("ipc", "words", "party", "years", "title")
MAX_FIELD = 200
REFRESH_SECONDS = 2
REPORT_LANGUAGES = (("zh", "中文"), ("en", "English"))  # endonyms, never translated
FILE_HEADERS = library.FILE_HEADERS
PROBLEMS = {
    "--ipc": N_("IPC/CPC prefix: enter symbols or their start, e.g. F24F, F25B 13."),
    "--years": N_("Filing years: a range A-B, the first year not after the last."),
    "--words": N_("Words: at most 10 words, 200 characters."),
    "--party": N_("Applicant: at most 10 names of 200 characters, separated by semicolons."),
    "--lang": N_("Language: choose Chinese or English."),
}
STEPS = {
    "queued": N_("Waiting for another report to finish"),
    "started": N_("Selecting the patents"),
    "scope": N_("Selecting the patents"),
    "method": N_("Scope and method"),
    "trends": N_("Filing trends"),
    "applicants": N_("Applicants"),
    "technology": N_("Technology"),
    "geography": N_("Geography"),
    "collaboration": N_("Collaboration"),
    "citations": N_("Citations"),
    "highvalue": N_("High-value patents"),
    "writing": N_("Writing HTML, PDF and annex"),
    "done": N_("Done"),
}


def reports_folder(request: Request) -> FsPath:
    return library.reports_folder(api_state(request).workspace.root)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(web: Web, request: Request) -> Response:
    web.require(*READ)
    return _form_page(web, request, form=dict.fromkeys(FIELDS, "") | {"lang": _lang(web)})


@router.post("/reports", response_class=HTMLResponse, dependencies=[Depends(check_csrf_form)])
async def start_report(web: Web, db_session: DbSession, request: Request) -> Response:
    web.require(*CREATE)
    raw = await request.form()
    form = {name: str(raw.get(name) or "").strip()[:MAX_FIELD] for name in (*FIELDS, "lang")}
    with_pdf = raw.get("pdf") is not None
    try:
        report_request = ReportRequest(
            query=parse_query(
                ipc=[form["ipc"]],
                words=form["words"],
                parties=form["party"].replace("；", ";").split(";"),
                years=form["years"],
            ),
            lang=parse_language(form["lang"] or "zh"),
            title=form["title"] or None,
        )
    except ValidationError as exc:
        return _form_page(web, request, form=form, errors=[_problem(web, exc)], status=422)
    assert web.user is not None  # web.require passed
    store = api_state(request).corpus.store
    formats = ("html", "pdf") if with_pdf else ("html",)
    work = report_work(
        store,
        report_request,
        folder=reports_folder(request),
        valuation=api_state(request).workspace.root / "valuation",
        pools=pool_memberships(db_session),
        formats=formats,
    )
    job_id = JOBS.start(web.user.id, work, formats=formats)
    audit.record(
        db_session=db_session,
        actor=web.user.username,
        origin=origin_of("web", request.client.host if request.client else None),
        action="report.requested",
        object_type="landscape_report",
        object_id=job_id,
        after={**report_request.query.as_dict(), "lang": report_request.lang, "pdf": with_pdf},
    )
    return RedirectResponse(f"/reports/jobs/{job_id}", status_code=303)


@router.get("/reports/jobs/{job_id}", response_class=HTMLResponse)
def job_page(web: Web, job_id: str) -> Response:
    web.require(*READ)
    job = JOBS.get(job_id)
    if job is None or web.user is None or job.owner != web.user.id:
        message = web.gettext("There is no such report job (jobs end when the server restarts).")
        raise web.not_found(message)
    body = None
    if job.report is not None:
        links = [(name, f"/reports/files/{href}") for name, href in _annex_links(job.files)]
        body = render.body_html(job.report, links)
    response = web.render(
        "report_job.html",
        active="reports",
        job=job,
        step=web.gettext(STEPS.get(job.step, job.step)),
        body=body,
        downloads=[f for f in job.files if "/" not in f],
    )
    if not job.finished:
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


@router.get("/reports/report.css")
def report_stylesheet(web: Web) -> Response:
    web.require(*READ)
    return FileResponse(render.CSS_FILE, media_type="text/css")


@router.get("/reports/files/{name:path}")
def report_file(web: Web, request: Request, name: str) -> Response:
    web.require(*READ)
    try:
        path = library.report_file(reports_folder(request), name)
    except NotFound:
        raise web.not_found(web.gettext("There is no such report file.")) from None
    inline = path.suffix in (".html", ".pdf")
    return FileResponse(
        path,
        filename=path.name,
        content_disposition_type="inline" if inline else "attachment",
        headers=FILE_HEADERS,
    )


def _form_page(
    web: WebContext,
    request: Request,
    *,
    form: dict[str, str],
    errors: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return web.render(
        "report_form.html",
        status=status,
        active="reports",
        form=form,
        errors=errors or [],
        may_create=web.can(*CREATE),
        saved=library.list_reports(reports_folder(request)),
        demo_stem=library.DEMO_NAME,
        languages=REPORT_LANGUAGES,
    )


def _annex_links(files: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(name.rsplit("/", 1)[-1], name) for name in files if name.endswith((".xlsx", ".csv"))]


def _problem(web: WebContext, exc: ValidationError) -> str:
    """The problem in the page's language, without the service's English message (the field's
    rule says what to enter)."""
    known = PROBLEMS.get(exc.field or "")
    return web.gettext(known if known else N_("The form has a value that cannot be used."))


def _lang(web: WebContext) -> str:
    return "zh" if web.locale.startswith("zh") else "en"
