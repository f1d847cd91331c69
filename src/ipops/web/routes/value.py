"""Patent value pages: the ranking with filters, a patent's value card, high-value patents.

The pages call the same helpers as the API (``ipops.valuation.views``): scores are computed
through the service when the current corpus snapshot has none yet for the scheme.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path as FsPath

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ipops.audit import service as audit
from ipops.audit.service import origin_of
from ipops.errors import NotFound, ValidationError
from ipops.valuation import rankings, views
from ipops.valuation.availability import FAMILY_BASIS_LABELS
from ipops.valuation.catalogue import BY_NAME
from ipops.valuation.fields import fields
from ipops.valuation.highvalue import REASON_LABELS, Reason
from ipops.valuation.runs import ScoreRun
from ipops.valuation.schemes import DEGREE_LABELS, builtin_names, builtin_text, parse_scheme
from ipops.valuation.scoring import DegreeLine, IndicatorLine
from ipops.web.charts import bar_chart
from ipops.web.context import DbSession, Web, WebContext
from ipops.web.i18n import N_
from ipops.web.pager import PAGE_SIZE, clamp_page, make_pager
from ipops.web.security import check_csrf_form
from ipops.web.words import evidence_text, field_name, sector_name

router = APIRouter(include_in_schema=False)
ACTION = ("value:read", "valuation")
TOP_N = 200  # the ranking page pages through the best 200
FILTERS = ("field", "ipc", "party", "scheme")

RANK_PROBLEMS = {
    "field": N_("Technology field: choose a WIPO field from 1 to 35."),
    "ipc": N_("IPC prefix: enter an IPC symbol or its start, e.g. F24F, F24F 11, F24F 11/30."),
    "party": N_("Applicant or assignee: enter at most 200 characters."),
    "scheme": N_("Scheme: choose one of the listed schemes."),
}


def bilingual(web: WebContext, english: str, chinese: str) -> str:
    """Domain labels kept in both languages by the valuation catalogue."""
    return chinese if web.locale.startswith("zh") else english


@router.get("/value", response_class=HTMLResponse)
def ranking_page(web: Web, db_session: DbSession, request: Request) -> Response:
    web.require(*ACTION)
    form = {name: request.query_params.get(name, "").strip()[:200] for name in FILTERS}
    page = clamp_page(_int(request.query_params.get("page")))
    errors: list[str] = []
    rows: list[rankings.RankedPatent] = []
    run: ScoreRun | None = None
    field = _int(form["field"]) if form["field"] else None
    if form["field"] and field is None:
        errors.append(_problem(web, ValidationError("not a number", field="field")))
    if not errors:
        try:
            scheme = views.chosen_scheme(form["scheme"] or "default")
            where = rankings.RankFilter(
                field=field, ipc=form["ipc"][:20] or None, party=form["party"] or None
            )
            run, rows = views.ranking(
                views.corpus_store(request),
                views.value_root(request),
                db_session,
                scheme,
                where,
                TOP_N,
            )
        except ValidationError as exc:
            errors.append(_problem(web, exc))
    pager = make_pager("/value", request.query_params, page=page, size=PAGE_SIZE, total=len(rows))
    names = fields()
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    field_names = {n: field_name(n, f.name, web.locale) for n, f in names.items()}
    return web.render(
        "value_ranking.html",
        active="value",
        form=form,
        errors=errors,
        rows=shown,
        field_names=field_names,
        run=run,
        pager=pager,
        schemes=builtin_names(),
        wipo_fields=[
            {"number": f.number, "name": field_name(f.number, f.name, web.locale)}
            for f in sorted(names.values(), key=lambda f: f.number)
        ],
        top_n=TOP_N,
        may_edit=web.can(*EDIT),
    )


@router.get("/value/patents/{patent_id}", response_class=HTMLResponse)
def value_card_page(
    web: Web, request: Request, patent_id: str, scheme: str = "default"
) -> Response:
    web.require(*ACTION)
    if scheme not in builtin_names():
        scheme = "default"
    try:
        card = views.patent_card(
            views.corpus_store(request),
            views.value_root(request),
            patent_id,
            views.chosen_scheme(scheme),
        )
    except (NotFound, ValidationError):
        raise web.not_found(
            web.gettext("There is no patent %(id)s in the corpus.", id=patent_id)
        ) from None
    shown = views.ValueCard.model_validate(card.as_dict())  # the API's typed card
    field = shown.field
    degrees = [
        DegreeRow(d, DEGREE_LABELS[d.degree][0], bilingual(web, *DEGREE_LABELS[d.degree][1:]))
        for d in shown.degrees
    ]
    chart = bar_chart(
        [(row.code, round(row.line.score or 0)) for row in degrees],
        names=[f"{row.code} {row.name}" for row in degrees],
    )
    lines = [
        IndicatorRow(
            line,
            DEGREE_LABELS[line.degree][0],
            _indicator_label(web, line.indicator),
            bilingual(web, line.reason_en or "", line.reason_zh or ""),
        )
        for line in shown.indicators
    ]
    zh = web.locale.startswith("zh")
    return web.render(
        "value_card.html",
        active="value",
        card=shown,
        field_name=None if field is None else field_name(field.number, field.name, web.locale),
        field_sector=None if field is None else sector_name(field.number, field.sector, web.locale),
        degrees=degrees,
        lines=lines,
        chart=chart,
        facts=card_facts(card, zh=zh),
        notes=shown.notes_zh if zh else shown.notes,
        unavailable=[_indicator_label(web, name) for name in shown.unavailable],
        scheme=scheme,
        schemes=builtin_names(),
    )


@dataclass(frozen=True, slots=True)
class DegreeRow:
    """A value degree's line of the card with its code and its name in the page language."""

    line: DegreeLine
    code: str  # LVD | TVD | EVD
    name: str


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """An indicator's line of the card with its degree code, label and the reason it is
    unavailable, in the page language."""

    line: IndicatorLine
    code: str
    label: str
    reason_text: str


def card_facts(card: rankings.PatentValue, *, zh: bool) -> list[tuple[str, str]]:
    """Expiry (and how it was reached), family basis and the citing universe, as
    (label, text) pairs in the page's language (the valuation keeps both)."""
    term, family, forward = card.term, card.family, card.forward_citations
    unknown = "未知" if zh else "unknown"
    expiry = str(term.expiry or unknown)
    if term.upper_bound:
        expiry += "（上限）" if zh else " (upper bound)"
    family_text = unknown
    if family.size is not None:
        basis = FAMILY_BASIS_LABELS.get(family.basis or "", (family.basis, family.basis))
        family_text = f"{family.size} · {basis[1 if zh else 0]}"
        if family.offices:
            family_text += f" ({family.offices})"
    window = ""
    if forward.window_capped:
        window = (
            f"；5年窗口截至数据末 {forward.window_end}"
            if zh
            else f"; 5-year window capped at the data end {forward.window_end}"
        )
    return [
        ("保护期届满日" if zh else "Term ends", expiry),
        ("届满日依据" if zh else "How the term end was reached", term.how_zh if zh else term.how),
        ("同族国家/地区数（依据）" if zh else "Family offices (basis)", family_text),
        (
            "被引证统计范围" if zh else "Forward citations counted over",
            (forward.universe_text_zh if zh else forward.universe_text) + window,
        ),
    ]


@router.get("/value/high-value", response_class=HTMLResponse)
def high_value_page(web: Web, request: Request) -> Response:
    web.require(*ACTION)
    page = clamp_page(_int(request.query_params.get("page")))
    report = views.high_value_report(views.corpus_store(request), views.value_root(request))
    pager = make_pager(
        "/value/high-value",
        request.query_params,
        page=page,
        size=PAGE_SIZE,
        total=report.high_value,
    )
    patents = [
        {
            "patent_id": p.patent_id,
            "title": p.title,
            "filing_date": p.filing_date,
            "status": p.status,
            "reasons": [
                {
                    "label": bilingual(web, *REASON_LABELS[r]),
                    "evidence": evidence_text(p.evidence.get(str(r), ""), web.gettext),
                }
                for r in p.reasons
            ],
        }
        for p in report.patents[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ]
    by_reason = [
        {"label": bilingual(web, *REASON_LABELS[Reason(code)]), "count": count}
        for code, count in report.by_reason.items()
    ]
    return web.render(
        "value_high.html",
        active="value",
        report=report,
        patents=patents,
        by_reason=by_reason,
        pager=pager,
    )


def _indicator_label(web: WebContext, name: str) -> str:
    indicator = BY_NAME.get(name)
    return name if indicator is None else bilingual(web, indicator.label_en, indicator.label_zh)


def _problem(web: WebContext, exc: ValidationError) -> str:
    known = RANK_PROBLEMS.get(exc.field or "")
    return web.gettext(known) if known else str(exc)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- scheme editor

EDIT = ("schemes:edit", "valuation")
SCHEME_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_SCHEME_CHARS = 20_000


def user_schemes_dir(request: Request) -> FsPath:
    """Where analysts' schemes are saved: ``<workspace>/valuation/schemes/<name>.toml``."""
    return views.value_root(request) / "schemes"


def saved_schemes(folder: FsPath) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


@router.get("/value/schemes", response_class=HTMLResponse)
def scheme_editor(web: Web, request: Request, base: str = "default") -> Response:
    web.require(*EDIT)
    folder = user_schemes_dir(request)
    if base in builtin_names():
        text = builtin_text(base)
    elif SCHEME_NAME.match(base) and (folder / f"{base}.toml").is_file():
        text = (folder / f"{base}.toml").read_text(encoding="utf-8")
    else:
        text = builtin_text("default")
    return _editor(web, request, text=text)


@router.post("/value/schemes", response_class=HTMLResponse, dependencies=[Depends(check_csrf_form)])
async def scheme_editor_submit(web: Web, db_session: DbSession, request: Request) -> Response:
    web.require(*EDIT)
    form = await request.form()
    text = str(form.get("text") or "").replace("\r\n", "\n")
    save = form.get("save") is not None
    if len(text) > MAX_SCHEME_CHARS:
        message = web.gettext("The scheme is too long (at most %(n)s characters).", n="20,000")
        return _editor(web, request, text=text[:MAX_SCHEME_CHARS], errors=[message])
    try:
        scheme = parse_scheme(text, origin="editor")
    except ValidationError as exc:
        return _editor(web, request, text=text, errors=[_scheme_problem(web, exc)])
    if not save:
        notice = web.gettext("The scheme is valid: %(label)s.", label=scheme.label())
        return _editor(web, request, text=text, notice=notice)
    if not SCHEME_NAME.match(scheme.name) or scheme.name in builtin_names():
        message = web.gettext(
            "To save, give the scheme its own name (letters, digits, - and _; not a built-in name)."
        )
        return _editor(web, request, text=text, errors=[message])
    path = _write_scheme(user_schemes_dir(request), scheme.name, text)
    assert web.user is not None  # web.require passed
    audit.record(
        db_session=db_session,
        actor=web.user.username,
        origin=origin_of("web", request.client.host if request.client else None),
        action="value.scheme_saved",
        object_type="valuation_scheme",
        object_id=scheme.name,
        after={"version": scheme.version, "digest": scheme.digest, "path": path.name},
    )
    notice = web.gettext("Saved as %(name)s.", name=scheme.name)
    return _editor(web, request, text=text, notice=notice)


def _editor(
    web: WebContext,
    request: Request,
    *,
    text: str,
    errors: list[str] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    return web.render(
        "value_schemes.html",
        status=422 if errors else 200,
        active="value",
        text=text,
        errors=errors or [],
        notice=notice,
        builtin=builtin_names(),
        saved=saved_schemes(user_schemes_dir(request)),
    )


def _scheme_problem(web: WebContext, exc: ValidationError) -> str:
    """The parser's message, with the line it names (``editor:12``) in the user's words."""
    _origin, _, line = (exc.field or "").partition(":")
    if line.isdigit():
        return web.gettext("Line %(line)s: %(problem)s", line=line, problem=str(exc))
    return str(exc)


def _write_scheme(folder: FsPath, name: str, text: str) -> FsPath:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
