"""The pool core shared by its services: the audit helper, text checks, periods and the
holdings look-up (the admitted patents as the allocation sees them).

Services only flush; the edges (CLI command, API request) own the transaction, and
every change is audited (``ipops.audit``)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.errors import NotFound, ValidationError
from ipops.pool import admission, allocation
from ipops.pool.allocation import Holding
from ipops.pool.models import (
    Member,
    Pool,
    PoolPatent,
)


def now() -> datetime:
    return datetime.now(UTC)


def audit(
    db_session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record_by(
        actor,
        db_session=db_session,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )


def checked_text(value: str, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError("must not be empty", field=field)
    if len(text) > limit:
        raise ValidationError(f"at most {limit} characters", field=field)
    return text


def parse_period(text: str) -> tuple[str, date, date]:
    """ "2025", "2025-Q2" or "2025-03" -> (label, first day, last day)."""
    text = text.strip().upper()
    year_text = text[:4]
    if year_text.isdigit() and not 1900 <= int(year_text) <= 2200:
        raise ValidationError(f"{text!r}: a year between 1900 and 2200", field="period")
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m[1])
        return text, date(year, 1, 1), date(year, 12, 31)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        first = date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        return text, first, date(year, last_month, calendar.monthrange(year, last_month)[1])
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return (
                text,
                date(year, month, 1),
                date(year, month, calendar.monthrange(year, month)[1]),
            )
    raise ValidationError(f"{text!r}: give a period as YYYY, YYYY-Qn or YYYY-MM", field="period")


def end_of_count(patent: PoolPatent) -> date | None:
    """The first day the patent no longer counts (expiry, lapse, invalidation)."""
    ends = [d for d in (patent.expires_on, patent.left_on) if d is not None]
    return min(ends) if ends else None


def patents_of(db_session: Session, pool: Pool) -> list[tuple[PoolPatent, Member]]:
    return list(
        db_session.execute(
            select(PoolPatent, Member)
            .join(Member, Member.id == PoolPatent.member_id)
            .where(PoolPatent.pool_id == pool.id)
            .order_by(Member.name, PoolPatent.number)
        ).all()
    )


def holdings(
    db_session: Session, pool: Pool, *, expire: Mapping[str, date] | None = None
) -> list[Holding]:
    """The admitted patents as the allocation sees them; ``expire`` ends some early (what-if)."""
    expire = {k.upper(): v for k, v in (expire or {}).items()}
    found: list[Holding] = []
    labels: list[str] = []
    for patent, member in patents_of(db_session, pool):
        if patent.status != admission.PatentStatus.ADMITTED:
            continue
        ends = [d for d in (end_of_count(patent), expire.get(patent.number)) if d]
        found.append(
            Holding(
                member=member.name,
                patent=patent.number,
                country=patent.country,
                family=patent.family,
                expires=min(ends) if ends else None,
                starts=patent.admitted_on,
            )
        )
        labels.append(f"pool patent {patent.id} ({member.name})")
    allocation.refuse_duplicates(found, labels)
    unknown = sorted(set(expire) - {h.patent for h in found})
    if unknown:
        raise NotFound(f"not admitted in {pool.name}: {', '.join(unknown)}", field="expire")
    return found


def in_force_countries(found: Iterable[Holding], on: date) -> set[str]:
    return {h.country for h in found if h.in_force(h.country, on)}
