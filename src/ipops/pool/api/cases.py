"""Dispute and negotiation cases."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field
from sqlalchemy.orm import Session

from ipops.api.deps import ActorDep, CurrentUser, SessionDep
from ipops.api.schemas import SafeStr, StrictModel
from ipops.pool import (
    cases,
    licensing,
)
from ipops.pool.api.common import (
    Code,
    Country,
    Name,
    PoolId,
    RowId,
    Text,
    pool_of,
    require_manage,
)
from ipops.pool.api.licensing import AgreementOut, agreement_out
from ipops.pool.models import (
    Dispute,
)

router = APIRouter()


# --------------------------------------------------------------------------- disputes


@router.get("/pools/{pool_id}/cases")
def list_cases(
    pool_id: PoolId, user: CurrentUser, db_session: SessionDep
) -> list[cases.CaseRecord]:
    """Dispute and negotiation cases with the status changes allowed next."""
    require_manage(db_session, pool_id, user)
    return [cases.case_record(c) for c in cases.cases_of(db_session, pool_of(db_session, pool_id))]


class StatusIn(StrictModel):
    status: SafeStr = Field(max_length=16, examples=["negotiating"])
    note: SafeStr = Field(default="", max_length=5000)


@router.post("/pools/{pool_id}/cases/{case_id}/status")
def change_case_status(
    pool_id: PoolId,
    case_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: StatusIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> cases.CaseRecord:
    """Move a case on; a disallowed change is a 409 naming the allowed ones."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    case = cases.get_case(db_session=db_session, pool=pool, case_id=case_id)
    cases.change_case_status(
        db_session=db_session, actor=actor, case=case, status=body.status, note=body.note
    )
    return cases.case_record(case)


# --------------------------------------------------------------------------- cases (writes)


class CaseIn(StrictModel):
    kind: Annotated[SafeStr, Field(max_length=16, examples=["negotiation"])]
    title: Annotated[SafeStr, Field(max_length=300)]
    parties: list[Name] = Field(min_length=1, max_length=100)
    patents: list[Code] = Field(default=[], max_length=10_000)
    deadline: date | None = None


@router.post("/pools/{pool_id}/cases", status_code=201)
def open_case(
    pool_id: PoolId, body: CaseIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> cases.CaseRecord:
    """A litigation, collective negotiation or mediation case."""
    require_manage(db_session, pool_id, user)
    case = cases.open_case(
        db_session=db_session,
        actor=actor,
        pool=pool_of(db_session, pool_id),
        kind=body.kind,
        title=body.title,
        parties=body.parties,
        patents=body.patents,
        deadline=body.deadline,
    )
    return cases.case_record(case)


class NoteIn(StrictModel):
    note: Text = ""
    document: Annotated[SafeStr, Field(max_length=500)] | None = None


@router.post("/pools/{pool_id}/cases/{case_id}/notes", status_code=201)
def add_case_note(
    pool_id: PoolId,
    case_id: RowId,
    body: NoteIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> cases.CaseRecord:
    """A dated note, and optionally a document (its reference or file name), on a case."""
    require_manage(db_session, pool_id, user)
    case = _case(db_session, pool_id, case_id)
    cases.add_case_note(
        db_session=db_session, actor=actor, case=case, note=body.note, document=body.document
    )
    return cases.case_record(case)


class SettlementIn(StrictModel):
    licensee: Name
    country: Country
    starts_on: date
    ends_on: date
    back_royalties_from: date | None = None


class SettledCase(cases.CaseRecord):
    """A settled case with the licence that settled it."""

    agreement: AgreementOut


@router.post("/pools/{pool_id}/cases/{case_id}/settlement", status_code=201)
def settle_case(
    pool_id: PoolId,
    case_id: RowId,
    body: SettlementIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> SettledCase:
    """Settle a case with a licence at the pool's standard rates."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    case = _case(db_session, pool_id, case_id)
    agreement = cases.settle_with_licence(
        db_session=db_session,
        actor=actor,
        pool=pool,
        case=case,
        licensee_name=body.licensee,
        country=body.country,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        back_royalties_from=body.back_royalties_from,
    )
    licensee = licensing.get_licensee_by_id(
        db_session=db_session, pool=pool, licensee_id=agreement.licensee_id
    )
    return SettledCase(
        **dict(cases.case_record(case)), agreement=agreement_out(agreement, licensee)
    )


def _case(db_session: Session, pool_id: int, case_id: int) -> Dispute:
    pool = pool_of(db_session, pool_id)
    return cases.get_case(db_session=db_session, pool=pool, case_id=case_id)
