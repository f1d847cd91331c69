"""Helpers every accounts module shares: pages of rows, enum and text checks, UTC time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ipops.accounts.models import ApiToken, Organisation, User
from ipops.accounts.roles import OrgKind, Role
from ipops.errors import ValidationError
from ipops.paging import Page
from ipops.text import check_storable

M = TypeVar("M", User, ApiToken, Organisation)
E = TypeVar("E", Role, OrgKind)


def paged(
    db_session: Session,
    model: type[M],
    conditions: list[ColumnElement[bool]],
    sortable: dict[str, Any],
    page: Page | None,
) -> tuple[list[M], int]:
    page = page or Page()
    total = db_session.scalar(select(func.count()).select_from(model).where(*conditions))
    order = [sortable[k.name].desc() if k.descending else sortable[k.name] for k in page.sort]
    order.append(sortable["id"])
    query = select(model).where(*conditions).order_by(*order)
    rows = db_session.scalars(query.offset(page.offset).limit(page.size))
    return list(rows), int(total or 0)


def enum_value(enum: type[E], value: E | str, *, field: str) -> E:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise ValidationError(f"{value!r} is not one of: {choices}", field=field) from None


def required_text(value: str, *, field: str, limit: int) -> str:
    text = check_storable(value, field=field).strip()
    if not text:
        raise ValidationError("must not be empty", field=field)
    if len(text) > limit:
        raise ValidationError(f"must be at most {limit} characters", field=field)
    return text


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
