"""What the finance routers share: id and decimal-text types, the scope look-ups."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator, Field

from ipops.accounts.models import User
from ipops.finance import scope
from ipops.finance.models import Enterprise, Loan

EnterpriseId = Annotated[int, Path(ge=1, le=2**31 - 1)]
LoanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
RowId = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]
QueryId = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


def _no_float(value: object) -> object:
    if isinstance(value, bool | float):
        raise ValueError("a JSON number with a fraction is a float; send money as a string")
    if isinstance(value, int):
        return str(value)
    return value


DecimalText = Annotated[
    str,
    BeforeValidator(_no_float),
    Field(max_length=40, examples=["1000000.00"], description="a decimal as a string"),
]


def visible_enterprise(
    db_session: Any, user: User, enterprise_id: EnterpriseId, action: str
) -> Enterprise:
    return scope.visible_enterprise(
        db_session=db_session, user=user, enterprise_id=enterprise_id, action=action
    )


def visible_loan(db_session: Any, user: User, loan_id: int) -> Loan:
    return scope.visible_loan(db_session=db_session, user=user, loan_id=loan_id)
