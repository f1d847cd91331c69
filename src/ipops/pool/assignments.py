"""The review assignments a user may see and answer: one look-up for the API
(``GET /pool/pools/{id}/assignments``, the opinion endpoint) and the web pages.

An administrator sees every assignment of its pools, an expert only its own
(``authz.restrict`` with ``pool:review`` on ``pool_assignment``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.pool.models import Assignment, Expert, Member, Pool, PoolPatent
from ipops.records import Record, RecordId


class AssignmentRow(Record):
    """One assignment as a reviewer sees it."""

    id: RecordId
    patent: str
    title: str
    status: str  # the patent's admission status
    member: str
    expert: str
    opinion: str | None
    note: str | None


@dataclass(frozen=True)
class Found:
    """An assignment with its patent, expert and submitting member (to answer it)."""

    assignment: Assignment
    patent: PoolPatent
    expert: Expert
    member: Member

    def row(self) -> AssignmentRow:
        return _row(self.assignment, self.patent, self.member, self.expert)


def _in_scope(pool: Pool, user: User) -> Select[Assignment, PoolPatent, Member, Expert]:
    query = (
        select(Assignment, PoolPatent, Member, Expert)
        .join(PoolPatent, PoolPatent.id == Assignment.patent_id)
        .join(Member, Member.id == PoolPatent.member_id)
        .join(Expert, Expert.id == Assignment.expert_id)
        .where(PoolPatent.pool_id == pool.id)
    )
    return authz.restrict(
        query, user=user, action="pool:review", resource_type="pool_assignment", model=Assignment
    )


def _row(a: Assignment, p: PoolPatent, m: Member, e: Expert) -> AssignmentRow:
    return AssignmentRow(
        id=a.id,
        patent=p.number,
        title=p.title,
        status=p.status,
        member=m.name,
        expert=e.name,
        opinion=a.opinion,
        note=a.note,
    )


def assignments_for(
    *,
    db_session: Session,
    pool: Pool,
    user: User,
    open_first: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[AssignmentRow]:
    """The assignments of ``pool`` in ``user``'s scope, by id (unanswered ones first with
    ``open_first``), ``limit`` of them from ``offset``."""
    query = _in_scope(pool, user)
    if open_first:
        query = query.order_by(Assignment.opinion.is_not(None), Assignment.id)
    else:
        query = query.order_by(Assignment.id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_row(a, p, m, e) for a, p, m, e in db_session.execute(query)]


def count_assignments_for(*, db_session: Session, pool: Pool, user: User) -> int:
    """How many assignments of ``pool`` are in ``user``'s scope."""
    query = _in_scope(pool, user)
    return int(db_session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def find_assignment(*, db_session: Session, pool: Pool, assignment_id: int) -> Found | None:
    """The assignment of ``pool`` with that id, or None (scope is the caller's check)."""
    assignment = db_session.get(Assignment, assignment_id)
    patent = db_session.get(PoolPatent, assignment.patent_id) if assignment else None
    if assignment is None or patent is None or patent.pool_id != pool.id:
        return None
    expert = db_session.get(Expert, assignment.expert_id)
    member = db_session.get(Member, patent.member_id)
    assert expert is not None and member is not None
    return Found(assignment, patent, expert, member)
