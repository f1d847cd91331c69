"""Write and read the audit trail. Services record; edges decide who the actor is."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from ipops.audit.models import AuditRecord
from ipops.paging import Page

SORTABLE = {"id": AuditRecord.id, "at": AuditRecord.at, "actor": AuditRecord.actor}


@dataclass(frozen=True)
class Actor:
    """Who makes a change (``name``) and through which door (``origin``)."""

    name: str
    origin: str

    @classmethod
    def cli(cls) -> Actor:
        return cls(name=f"cli:{_os_user()}", origin="cli")

    @classmethod
    def script(cls) -> Actor:
        """A change made through the Python API (``ipops.open``)."""
        return cls(name=f"script:{_os_user()}", origin="script")

    @classmethod
    def system(cls) -> Actor:
        return cls(name="system", origin="system")

    @classmethod
    def of(cls, username: str, *, channel: str, address: str | None = None) -> Actor:
        """A signed-in user acting through ``channel`` ("api", "web") from ``address``."""
        return cls(name=username, origin=origin_of(channel, address))


def origin_of(channel: str, address: str | None) -> str:
    return f"{channel} {address}" if address else channel


def record(
    *,
    db_session: Session,
    actor: str,
    origin: str,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    entry = AuditRecord(
        at=datetime.now(UTC),
        actor=actor[:128],
        origin=origin[:128],
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=_jsonable(before),
        after=_jsonable(after),
    )
    db_session.add(entry)
    db_session.flush()
    return entry


def record_by(
    actor: Actor,
    *,
    db_session: Session,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    return record(
        db_session=db_session,
        actor=actor.name,
        origin=actor.origin,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )


def record_ingestion(
    *, db_session: Session, actor: Actor, run_id: int, summary: dict[str, Any]
) -> AuditRecord:
    """Audit one corpus load (``summary``: e.g. ``LoadReport.as_dict()``)."""
    return record_by(
        actor,
        db_session=db_session,
        action="corpus.ingested",
        object_type="ingestion_run",
        object_id=run_id,
        after=summary,
    )


def list_records(
    *,
    db_session: Session,
    object_type: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    page: Page | None = None,
) -> tuple[list[AuditRecord], int]:
    """One page of records (newest first unless ``page.sort`` says otherwise) and the total."""
    page = page or Page()
    conditions = _conditions(object_type, object_id, actor, action)
    total = db_session.scalar(select(func.count()).select_from(AuditRecord).where(*conditions))
    query: Select[AuditRecord] = select(AuditRecord).where(*conditions)
    query = query.order_by(*_order(page)).offset(page.offset).limit(page.size)
    return list(db_session.scalars(query)), int(total or 0)


def _conditions(
    object_type: str | None, object_id: str | None, actor: str | None, action: str | None
) -> list[ColumnElement[bool]]:
    wanted = {
        AuditRecord.object_type: object_type,
        AuditRecord.object_id: object_id,
        AuditRecord.actor: actor,
        AuditRecord.action: action,
    }
    return [column == value for column, value in wanted.items() if value is not None]


def _order(page: Page) -> list[Any]:
    keys = page.sort or ()
    order: list[Any] = [SORTABLE[k.name].desc() if k.descending else SORTABLE[k.name] for k in keys]
    if not any(k.name == "id" for k in keys):
        order.append(AuditRecord.id.desc())
    return order


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
