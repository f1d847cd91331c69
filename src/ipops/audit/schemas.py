"""API schemas of the audit trail."""

from __future__ import annotations

from typing import Any

from ipops.schemas_base import Paged, PublicModel, UtcDatetime


class AuditRecordPublic(PublicModel):
    id: int
    at: UtcDatetime
    actor: str
    origin: str
    action: str
    object_type: str
    object_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(Paged[AuditRecordPublic]):
    pass
