"""The audit record: append-only, enforced here (ORM events) and in the database (triggers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, event
from sqlalchemy.orm import Mapped, Mapper, ORMExecuteState, Session, mapped_column

from ipops.registry.base import Base

APPEND_ONLY_MESSAGE = "audit records are append-only"


class AppendOnlyViolation(RuntimeError):
    """Code tried to change or delete an audit record: a bug, never a user error."""


class AuditRecord(Base):
    __tablename__ = "audit_records"
    __table_args__ = (Index("ix_audit_records_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(128), index=True)
    origin: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(128))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


def _refuse_change(_mapper: Mapper[Any], _connection: object, _target: AuditRecord) -> None:
    raise AppendOnlyViolation(APPEND_ONLY_MESSAGE)


def _refuse_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ is AuditRecord:
        raise AppendOnlyViolation(APPEND_ONLY_MESSAGE)


event.listen(AuditRecord, "before_update", _refuse_change)
event.listen(AuditRecord, "before_delete", _refuse_change)
event.listen(Session, "do_orm_execute", _refuse_bulk_change)
