"""Patent submission and admission: submit, assign experts, record opinions, decide,
record an expiry, lapse, invalidation or withdrawal.

Services only flush; the edges (CLI command, API request) own the transaction, and
every change is audited (``ipops.audit``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.pool import admission, royalties
from ipops.pool.core import audit, checked_text, now, patents_of
from ipops.pool.models import (
    Assignment,
    Decision,
    Expert,
    Member,
    PatentEvent,
    Pool,
    PoolPatent,
)
from ipops.records import Record, RecordId
from ipops.registry.concurrency import claim
from ipops.valuation.legal_terms import expiries


@dataclass(frozen=True)
class PatentInput:
    number: str
    country: str
    title: str = ""
    filing_date: date | None = None
    grant_date: date | None = None
    expires_on: date | None = None
    family: str | None = None
    ipc: str | None = None


def submit_patent(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    member: Member,
    patent: PatentInput,
    from_corpus: bool = False,
    demo: bool = False,
    submitted_on: date | None = None,
) -> PoolPatent:
    number = checked_text(patent.number, "number", 64).upper()
    if db_session.scalar(
        select(PoolPatent.id).where(PoolPatent.pool_id == pool.id, PoolPatent.number == number)
    ):
        raise Conflict(f"{number} was submitted to {pool.name} already", field="number")
    if patent.expires_on is None:
        raise ValidationError("give the expiry date (or its filing date)", field="expires_on")
    row = PoolPatent(
        pool_id=pool.id,
        member_id=member.id,
        number=number,
        country=royalties.check_country(patent.country, "country"),
        title=patent.title[:2000],
        family=patent.family,
        ipc=patent.ipc,
        filing_date=patent.filing_date,
        grant_date=patent.grant_date,
        expires_on=patent.expires_on,
        status=str(admission.PatentStatus.SUBMITTED),
        submitted_on=submitted_on or date.today(),
        from_corpus=from_corpus,
        demo=demo,
    )
    db_session.add(row)
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.patent_submitted",
        "pool_patent",
        row.id,
        after={"number": number, "member": member.name},
    )
    return row


def patent_from_corpus(con: Any, number: str) -> PatentInput:
    """A patent's facts from the corpus (DuckDB connection with the corpus views)."""
    rows = con.execute(
        "SELECT p.patent_id, p.office, p.title, p.filing_date, p.grant_date, p.family_id, "
        "p.patent_type, (SELECT main_group FROM classifications c WHERE c.patent_id = "
        "p.patent_id AND c.scheme = 'IPC' ORDER BY c.is_main DESC, c.sequence LIMIT 1) "
        "FROM patents p WHERE p.patent_id = ? OR p.office || p.number = ? LIMIT 1",
        [number, number],
    ).fetchall()
    if not rows:
        raise NotFound(f"no patent {number} in the corpus", field="number")
    pid, office, title, filed, granted, family, _kind, ipc = rows[0]
    return PatentInput(
        number=pid,
        country=office,
        title=title or "",
        filing_date=filed,
        grant_date=granted,
        expires_on=expiries(con, [pid])[pid].expiry,  # continuity, adjustment: valuation.term
        family=family,
        ipc=ipc,
    )


def get_patent(*, db_session: Session, pool: Pool, number: str) -> PoolPatent:
    patent = db_session.scalar(
        select(PoolPatent).where(
            PoolPatent.pool_id == pool.id, PoolPatent.number == number.strip().upper()
        )
    )
    if patent is None:
        raise NotFound(f"no patent {number} in {pool.name}", field="patent")
    return patent


def assign_expert(
    *, db_session: Session, actor: Actor, pool: Pool, patent: PoolPatent, expert: Expert
) -> Assignment:
    claim(db_session, pool, patent)
    member = db_session.get(Member, patent.member_id)
    assert member is not None
    admission.check_assignment(
        expert=expert.name,
        expert_member_id=expert.recommended_by_id,
        submitting_member_id=patent.member_id,
        member_name=member.name,
    )
    if patent.status not in (admission.PatentStatus.SUBMITTED, admission.PatentStatus.UNDER_REVIEW):
        raise Conflict(f"{patent.number} is {patent.status}: no more reviews", field="patent")
    if db_session.scalar(
        select(Assignment.id).where(
            Assignment.patent_id == patent.id, Assignment.expert_id == expert.id
        )
    ):
        raise Conflict(f"{expert.name} reviews {patent.number} already", field="expert")
    assignment = Assignment(patent_id=patent.id, expert_id=expert.id, user_id=expert.user_id)
    db_session.add(assignment)
    patent.status = str(admission.PatentStatus.UNDER_REVIEW)
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.expert_assigned",
        "pool_patent",
        patent.id,
        after={"expert": expert.name},
    )
    return assignment


def record_opinion(
    *,
    db_session: Session,
    actor: Actor,
    patent: PoolPatent,
    expert: Expert,
    opinion: str,
    note: str,
) -> Assignment:
    claim(db_session, patent)
    assignment = db_session.scalar(
        select(Assignment).where(
            Assignment.patent_id == patent.id, Assignment.expert_id == expert.id
        )
    )
    if assignment is None:
        raise NotFound(f"{expert.name} is not assigned to {patent.number}", field="expert")
    if opinion not in admission.Opinion.__members__.values():
        raise ValidationError("essential or not_essential", field="opinion")
    if not note.strip():
        raise ValidationError("give the reasons (claim chart or note)", field="note")
    assignment.opinion = opinion
    assignment.note = note.strip()
    assignment.recorded_at = now()
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.opinion_recorded",
        "pool_patent",
        patent.id,
        after={"expert": expert.name, "opinion": opinion},
    )
    return assignment


def decide_patent(
    *, db_session: Session, actor: Actor, pool: Pool, patent: PoolPatent, on: date | None = None
) -> Decision:
    claim(db_session, pool, patent)
    if patent.status != admission.PatentStatus.UNDER_REVIEW:
        raise Conflict(f"{patent.number} is {patent.status}, not under review", field="patent")
    rows = db_session.execute(
        select(Assignment, Expert)
        .join(Expert, Expert.id == Assignment.expert_id)
        .where(Assignment.patent_id == patent.id)
        .order_by(Expert.name)
    ).all()
    votes = [admission.Vote(e.name, admission.Opinion(a.opinion)) for a, e in rows if a.opinion]
    outcome = admission.decide(
        votes, assigned=len(rows), quorum=pool.quorum, rule=admission.Majority(pool.majority)
    )
    day = on or date.today()
    decision = Decision(
        patent_id=patent.id,
        decided_on=day,
        admitted=outcome.admitted,
        rule=outcome.rule,
        votes=[{"expert": v.expert, "opinion": str(v.opinion)} for v in votes],
        reason=outcome.reason,
    )
    db_session.add(decision)
    status = (
        admission.PatentStatus.ADMITTED if outcome.admitted else admission.PatentStatus.REJECTED
    )
    patent.status = str(status)
    patent.admitted_on = day if outcome.admitted else None
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.patent_decided",
        "pool_patent",
        patent.id,
        after={"status": patent.status, "votes": decision.votes, "reason": outcome.reason},
    )
    return decision


def record_patent_event(
    *,
    db_session: Session,
    actor: Actor,
    patent: PoolPatent,
    kind: str,
    on: date,
    note: str = "",
) -> PatentEvent:
    """An expiry, lapse, invalidation or withdrawal: the patent leaves the count from ``on``."""
    if kind not in admission.LeaveReason.__members__.values():
        options = ", ".join(admission.LeaveReason)
        raise ValidationError(f"unknown event {kind!r}; one of {options}", field="kind")
    # the pool first: the patent's leaving changes what an allocation counts
    claim(db_session, db_session.get(Pool, patent.pool_id), patent)
    event = PatentEvent(patent_id=patent.id, kind=kind, happened_on=on, note=note)
    db_session.add(event)
    if patent.left_on is None or on < patent.left_on:
        patent.left_on = on
        patent.left_reason = kind
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.patent_event",
        "pool_patent",
        patent.id,
        after={"kind": kind, "on": on},
    )
    return event


def patents_of_member(db_session: Session, member: Member) -> list[PoolPatent]:
    """A member's submitted patents, whatever their admission status."""
    return list(
        db_session.scalars(
            select(PoolPatent).where(PoolPatent.member_id == member.id).order_by(PoolPatent.number)
        )
    )


class PatentRecord(Record):
    """A pool patent with its submitting member's name and admission status."""

    id: RecordId
    number: str
    member: str
    country: str
    title: str
    family: str | None
    ipc: str | None
    filing_date: date | None
    grant_date: date | None
    expires_on: date | None
    status: str
    from_corpus: bool

    @classmethod
    def of(cls, patent: PoolPatent, member: Member) -> PatentRecord:
        return cls(
            id=patent.id,
            number=patent.number,
            member=member.name,
            country=patent.country,
            title=patent.title,
            family=patent.family,
            ipc=patent.ipc,
            filing_date=patent.filing_date,
            grant_date=patent.grant_date,
            expires_on=patent.expires_on,
            status=patent.status,
            from_corpus=patent.from_corpus,
        )


def patent_records(
    *, db_session: Session, pool: Pool, status: str | None = None
) -> list[PatentRecord]:
    """Every patent submitted to ``pool`` (those in ``status`` only, if given), by member
    and number."""
    return [
        PatentRecord.of(patent, member)
        for patent, member in patents_of(db_session, pool)
        if status is None or patent.status == status
    ]


def member_patent_records(
    *, db_session: Session, member: Member, status: str | None = None
) -> list[PatentRecord]:
    """A member's submitted patents (those in ``status`` only, if given), by number."""
    return [
        PatentRecord.of(patent, member)
        for patent in patents_of_member(db_session, member)
        if status is None or patent.status == status
    ]


def under_review(db_session: Session, pool: Pool) -> list[dict[str, Any]]:
    """Patents under review with their assigned experts' opinions so far."""
    rows = db_session.execute(
        select(PoolPatent, Member.name, Assignment.opinion)
        .join(Member, Member.id == PoolPatent.member_id)
        .join(Assignment, Assignment.patent_id == PoolPatent.id)
        .where(
            PoolPatent.pool_id == pool.id,
            PoolPatent.status == str(admission.PatentStatus.UNDER_REVIEW),
        )
        .order_by(PoolPatent.number)
    ).all()
    found: dict[str, dict[str, Any]] = {}
    for patent, member, opinion in rows:
        item = found.setdefault(
            patent.number,
            {
                "number": patent.number,
                "member": member,
                "assigned": 0,
                "essential": 0,
                "not_essential": 0,
            },
        )
        item["assigned"] += 1
        if opinion:
            item[opinion] += 1
    return list(found.values())
