"""``/api/v1/finance``: programme statistics, claim files, the policy calculators."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from ipops.accounts import authz
from ipops.api.deps import CurrentUser, SessionDep, api_state
from ipops.api.schemas import SafeStr, StrictModel
from ipops.errors import ValidationError
from ipops.finance import (
    claims,
    policy,
    scope,
    stats,
)
from ipops.finance.api.common import (
    DecimalText,
    QueryId,
)
from ipops.finance.compensation_case import CaseInput, CompensationRecord, compensation_case
from ipops.finance.workdays import WorkdayCount, calendar_for, count_workdays

router = APIRouter()


@router.get("/stats")
def programme_stats(
    start: date, end: date, user: CurrentUser, db_session: SessionDep, request: Request
) -> stats.ProgrammeStats:
    """Financing, enterprises served, funds paid, by bank and district; working days to a loan."""
    authz.require(user, "finance:read", "finance_programme")
    calendar = calendar_for(api_state(request).workspace.root)
    return stats.programme_stats(db_session=db_session, start=start, end=end, calendar=calendar)


@router.get(
    "/claims",
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            },
            "description": "rows as JSON, or the claims file",
        }
    },
)
def claim_file(
    start: date,
    end: date,
    user: CurrentUser,
    db_session: SessionDep,
    bank_id: QueryId = None,
    format: Annotated[str, Query(pattern="^(json|csv|xlsx)$")] = "json",
) -> Any:
    """Compensation and subsidy claims per bank and period, each row traceable to its loan;
    ``format`` csv or xlsx gives the file for the finance bureau."""
    organisation_id = scope.claims_organisation(db_session=db_session, user=user, bank_id=bank_id)
    rows = claims.claim_rows(
        db_session=db_session,
        bank_id=bank_id,
        start=start,
        end=end,
        organisation_id=organisation_id,
    )
    name = f"claims-{start}-{end}"
    if format == "csv":
        return Response(
            claims.claims_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if format == "xlsx":
        return Response(
            claims.claims_xlsx(rows),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return {"rows": rows}


class CompensationIn(StrictModel):
    principal: DecimalText
    repaid: DecimalText
    days_overdue: Annotated[int, Field(ge=0, le=100_000)]
    bank_weak_share: DecimalText
    rate: DecimalText
    benchmark_rate: DecimalText | None = None  # else looked up from loan_date and term_months
    loan_date: date | None = None
    term_months: Annotated[int, Field(ge=1, le=600)] | None = None
    size: Annotated[SafeStr, Field(max_length=16)] = "small"
    collateral: Annotated[SafeStr, Field(max_length=24)] = "ip_pledge"
    compensated_this_year: DecimalText = "0"
    policy: Annotated[SafeStr, Field(max_length=60)] = policy.DEFAULT_POLICY


@router.post("/compensation")
def compensation(body: CompensationIn, user: CurrentUser, request: Request) -> CompensationRecord:
    """The policy calculator: eligibility with reasons, the ratio and the amount."""
    authz.require(user, "finance:calculate", "finance_policy")
    case = CaseInput(
        principal=body.principal,
        repaid=body.repaid,
        days_overdue=body.days_overdue,
        bank_weak_share=body.bank_weak_share,
        rate=body.rate,
        benchmark_rate=body.benchmark_rate,
        loan_date=body.loan_date,
        term_months=body.term_months,
        size=body.size,
        collateral=body.collateral,
        compensated_this_year=body.compensated_this_year,
        policy=body.policy,
    )
    root = api_state(request).workspace.root
    return compensation_case(root=root, case=case).record()


@router.get("/workdays")
def workdays(start: date, end: date, user: CurrentUser, request: Request) -> WorkdayCount:
    """Working days d with start < d <= end on China's official calendar."""
    authz.require(user, "finance:calculate", "finance_policy")
    if (end - start).days > 3660:
        raise ValidationError("at most ten years at a time", field="end")
    root = api_state(request).workspace.root
    return count_workdays(workspace_root=root, start=start, end=end)


@router.get("/policies")
def list_policies(user: CurrentUser, request: Request) -> list[policy.PolicyRecord]:
    """The policy files (built-in and the workspace's) with their rules and digests."""
    authz.require(user, "finance:calculate", "finance_policy")
    return policy.policies(workspace_root=api_state(request).workspace.root)
