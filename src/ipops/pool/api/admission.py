"""Patent admission: submissions, expert assignments and opinions, decisions, events."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field

from ipops.accounts import authz
from ipops.api.deps import ActorDep, CurrentUser, SessionDep, api_state
from ipops.api.schemas import SafeStr, StrictModel
from ipops.errors import NotFound, ValidationError
from ipops.pool import (
    assignments,
    membership,
    submissions,
)
from ipops.pool.admission import Opinion
from ipops.pool.api.common import (
    Code,
    Country,
    Name,
    PoolId,
    RowId,
    pool_in_reach,
    pool_of,
    require_manage,
    require_some_right,
)
from ipops.records import Record

router = APIRouter()


# --------------------------------------------------------------------------- admission


class AssignmentOut(Record):
    """An assignment as a reviewer sees it (``assignments.AssignmentRow`` without the
    patent's status)."""

    id: int
    patent: str
    title: str
    member: str
    expert: str
    opinion: str | None
    note: str | None


@router.get("/pools/{pool_id}/assignments")
def list_assignments(
    pool_id: PoolId, user: CurrentUser, db_session: SessionDep
) -> list[AssignmentOut]:
    """Review assignments: all for the administrator, its own for an expert; refused (403)
    to a role that may never review."""
    require_some_right(user, "pool:review", "pool_assignment")
    pool = pool_in_reach(db_session, pool_id, user)
    return [
        AssignmentOut.model_validate(row)
        for row in assignments.assignments_for(db_session=db_session, pool=pool, user=user)
    ]


class OpinionIn(StrictModel):
    opinion: SafeStr = Field(max_length=16, examples=["essential"])
    note: SafeStr = Field(min_length=1, max_length=20_000)


@router.post("/pools/{pool_id}/assignments/{assignment_id}/opinion")
def record_opinion(
    pool_id: PoolId,
    assignment_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: OpinionIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> AssignmentOut:
    """An expert's essential / not essential opinion with its reasons."""
    require_some_right(user, "pool:review", "pool_assignment")
    pool = pool_in_reach(db_session, pool_id, user)
    found = assignments.find_assignment(
        db_session=db_session, pool=pool, assignment_id=assignment_id
    )
    if found is None:
        raise NotFound(f"no assignment {assignment_id}", field="assignment")
    authz.require(user, "pool:review", "pool_assignment", found.assignment, hide=True)
    submissions.record_opinion(
        db_session=db_session,
        actor=actor,
        patent=found.patent,
        expert=found.expert,
        opinion=body.opinion,
        note=body.note,
    )
    return AssignmentOut.model_validate(found.row())


class AssignIn(StrictModel):
    patent: SafeStr = Field(max_length=64)
    expert: SafeStr = Field(max_length=200)


class AssignedOut(Record):
    """A new assignment: its id, the patent and the expert."""

    id: int
    patent: str
    expert: str


@router.post("/pools/{pool_id}/assignments", status_code=201)
def assign(
    pool_id: PoolId, body: AssignIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> AssignedOut:
    """Assign a patent to an expert; refused (409, with the reason) for an expert recommended
    by the submitting member."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    assignment = submissions.assign_expert(
        db_session=db_session,
        actor=actor,
        pool=pool,
        patent=submissions.get_patent(db_session=db_session, pool=pool, number=body.patent),
        expert=membership.get_expert(db_session=db_session, pool=pool, name=body.expert),
    )
    return AssignedOut(id=assignment.id, patent=body.patent, expert=body.expert)


# --------------------------------------------------------------------------- admission (writes)


class PatentIn(StrictModel):
    """A patent from the corpus (give ``member`` and ``number`` only) or registered by its
    facts (give ``country`` and the rest)."""

    member: Name
    number: Code
    country: Country | None = None
    title: Annotated[SafeStr, Field(max_length=2000)] = ""
    filing_date: date | None = None
    grant_date: date | None = None
    expires_on: date | None = None
    family: Code | None = None
    ipc: Annotated[SafeStr, Field(max_length=32)] | None = None


FACT_FIELDS = ("title", "filing_date", "grant_date", "expires_on", "family", "ipc")


class PatentOut(submissions.PatentRecord):
    """A pool patent as the API answers it: the use case's record, under the API's name."""


@router.post("/pools/{pool_id}/patents", status_code=201)
def submit_patent(
    request: Request,
    pool_id: PoolId,
    body: PatentIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> PatentOut:
    """A member submits a patent for admission: the administrator for any member, a member
    company for itself."""
    require_some_right(user, "pool:submit", "pool_member")
    pool = pool_in_reach(db_session, pool_id, user)
    member = membership.get_member(db_session=db_session, pool=pool, name=body.member)
    authz.require(user, "pool:submit", "pool_member", member, hide=True)
    from_corpus = body.country is None
    facts = _patent_facts(request, body) if from_corpus else _registered(body)
    patent = submissions.submit_patent(
        db_session=db_session,
        actor=actor,
        pool=pool,
        member=member,
        patent=facts,
        from_corpus=from_corpus,
    )
    return PatentOut.model_validate(submissions.PatentRecord.of(patent, member))


def _registered(body: PatentIn) -> submissions.PatentInput:
    assert body.country is not None
    return submissions.PatentInput(
        number=body.number,
        country=body.country,
        title=body.title,
        filing_date=body.filing_date,
        grant_date=body.grant_date,
        expires_on=body.expires_on,
        family=body.family,
        ipc=body.ipc,
    )


def _patent_facts(request: Request, body: PatentIn) -> submissions.PatentInput:
    """The facts of a corpus patent; facts sent along would silently disagree, so refuse."""
    given = sorted(f for f in FACT_FIELDS if f in body.model_fields_set)
    if given:
        raise ValidationError(
            f"a corpus patent takes its facts from the corpus; give country to register "
            f"it by its facts instead (got {', '.join(given)})",
            field=given[0],
        )
    handle = api_state(request).corpus.cursor()
    try:
        return submissions.patent_from_corpus(handle.cursor, body.number.strip())
    finally:
        handle.close()


@router.get("/pools/{pool_id}/patents")
def list_patents(
    pool_id: PoolId,
    user: CurrentUser,
    db_session: SessionDep,
    status: Annotated[
        SafeStr | None, Query(max_length=16, description="submitted, under_review, ...")
    ] = None,
) -> list[PatentOut]:
    """Every patent submitted to the pool with its admission status (the public list shows
    the admitted ones)."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    return [
        PatentOut.model_validate(x)
        for x in submissions.patent_records(db_session=db_session, pool=pool, status=status)
    ]


@router.get("/pools/{pool_id}/members/{member_id}/patents")
def member_patents(
    pool_id: PoolId,
    member_id: RowId,
    user: CurrentUser,
    db_session: SessionDep,
    status: Annotated[
        SafeStr | None, Query(max_length=16, description="submitted, under_review, ...")
    ] = None,
) -> list[PatentOut]:
    """A member's submitted patents and their admission status: the administrator for any
    member, a member company for itself (another's answers 404)."""
    require_some_right(user, "pool:patents", "pool_member")
    pool = pool_in_reach(db_session, pool_id, user)
    member = membership.get_member_by_id(db_session=db_session, pool=pool, member_id=member_id)
    authz.require(user, "pool:patents", "pool_member", member, hide=True)
    return [
        PatentOut.model_validate(x)
        for x in submissions.member_patent_records(
            db_session=db_session, member=member, status=status
        )
    ]


PatentNumber = Annotated[SafeStr, Path(max_length=64)]


class DecideIn(StrictModel):
    on: date | None = None


class VoteOut(Record):
    """One expert's vote as the decision recorded it."""

    expert: str
    opinion: Opinion


class DecisionOut(Record):
    """The committee's decision on a patent: the patent's status after it, the rule, the
    experts' votes and the reason in words."""

    patent: str
    status: str
    admitted: bool
    decided_on: date
    rule: str
    votes: list[VoteOut]
    reason: str


@router.post("/pools/{pool_id}/patents/{number}/decision", status_code=201)
def decide_patent(
    pool_id: PoolId,
    number: PatentNumber,
    body: DecideIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> DecisionOut:
    """The committee's decision by its quorum and majority rule, with the votes."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    patent = submissions.get_patent(db_session=db_session, pool=pool, number=number)
    decision = submissions.decide_patent(
        db_session=db_session, actor=actor, pool=pool, patent=patent, on=body.on
    )
    return DecisionOut(
        patent=patent.number,
        status=patent.status,
        admitted=decision.admitted,
        decided_on=decision.decided_on,
        rule=decision.rule,
        votes=[VoteOut.model_validate(v) for v in decision.votes],
        reason=decision.reason,
    )


class EventIn(StrictModel):
    kind: Annotated[SafeStr, Field(max_length=16, examples=["invalidated"])]
    on: date
    note: Annotated[SafeStr, Field(max_length=5000)] = ""


class PatentEventOut(Record):
    """An event recorded on a pool patent, and the day the patent left the count (if it
    has)."""

    id: int
    patent: str
    kind: str
    on: date
    left_on: date | None


@router.post("/pools/{pool_id}/patents/{number}/events", status_code=201)
def record_patent_event(
    pool_id: PoolId,
    number: PatentNumber,
    body: EventIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> PatentEventOut:
    """An expiry, lapse, invalidation or withdrawal: the patent leaves the count that day."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    patent = submissions.get_patent(db_session=db_session, pool=pool, number=number)
    event = submissions.record_patent_event(
        db_session=db_session,
        actor=actor,
        patent=patent,
        kind=body.kind,
        on=body.on,
        note=body.note,
    )
    return PatentEventOut(
        id=event.id,
        patent=patent.number,
        kind=event.kind,
        on=event.happened_on,
        left_on=patent.left_on,
    )
