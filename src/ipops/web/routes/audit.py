"""The audit log page (platform administrators)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ipops.audit import service as audit
from ipops.audit.models import AuditRecord
from ipops.paging import Page
from ipops.web.context import DbSession, Web
from ipops.web.pager import PAGE_SIZE, clamp_page, make_pager

router = APIRouter(include_in_schema=False)
FILTERS = ("object_type", "object_id", "actor", "action")
CHANGES_SHOWN = 300


@router.get("/audit", response_class=HTMLResponse)
def audit_log(web: Web, db_session: DbSession, request: Request) -> Response:
    web.require("audit:read", "audit_record")
    filters = {name: request.query_params.get(name, "").strip()[:128] for name in FILTERS}
    page = clamp_page(_int(request.query_params.get("page")))
    records, total = audit.list_records(
        db_session=db_session,
        object_type=filters["object_type"] or None,
        object_id=filters["object_id"] or None,
        actor=filters["actor"] or None,
        action=filters["action"] or None,
        page=Page(number=page, size=PAGE_SIZE),
    )
    pager = make_pager("/audit", request.query_params, page=page, size=PAGE_SIZE, total=total)
    return web.render(
        "audit.html",
        active="audit",
        filters=filters,
        records=[_row(r) for r in records],
        pager=pager,
    )


def _row(record: AuditRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "at": record.at,
        "actor": record.actor,
        "origin": record.origin,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "changes": changes_text(record.before, record.after),
    }


def changes_text(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """``before → after`` as compact JSON, shortened for the table."""
    parts = [_json(before) if before else "", _json(after) if after else ""]
    text = " → ".join(p for p in parts if p) if before else parts[1]
    return text if len(text) <= CHANGES_SHOWN else text[: CHANGES_SHOWN - 1] + "…"


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None
