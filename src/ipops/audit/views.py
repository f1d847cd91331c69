"""HTTP edge of the audit trail: read-only, for platform admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ipops.accounts import authz
from ipops.api.deps import CurrentUser, SessionDep
from ipops.api.pagination import page_params, paged
from ipops.api.schemas import SafeStr
from ipops.audit import service
from ipops.audit.schemas import AuditPage
from ipops.paging import Page

router = APIRouter(prefix="/audit", tags=["audit"])

AuditPageParams = Annotated[Page, Depends(page_params(service.SORTABLE, "-id"))]
Filter = Annotated[SafeStr | None, Query(max_length=128)]


@router.get("")
def list_audit_records(
    user: CurrentUser,
    db_session: SessionDep,
    page: AuditPageParams,
    object_type: Filter = None,
    object_id: Filter = None,
    actor: Filter = None,
    action: Filter = None,
) -> AuditPage:
    """Who changed what, when and from where; newest first."""
    authz.require(user, "audit:read", "audit_record")
    records, total = service.list_records(
        db_session=db_session,
        object_type=object_type,
        object_id=object_id,
        actor=actor,
        action=action,
        page=page,
    )
    return paged(AuditPage, records, total, page)
