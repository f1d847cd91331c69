"""Building blocks of every schema a domain publishes: strict input models, UTC datetimes,
storable text, pages.

They sit below the domains (``accounts.schemas``, ``audit.schemas`` …) and below the API;
``ipops.api.schemas`` re-exports them for the API views.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict

from ipops.text import storable_problem

T = TypeVar("T")


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class PublicModel(BaseModel):
    """Responses built from registry objects."""

    model_config = ConfigDict(from_attributes=True)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


def _storable(text: str) -> str:
    problem = storable_problem(text)
    if problem:
        raise ValueError(problem)
    return text


SafeStr = Annotated[str, AfterValidator(_storable)]
"""Any text a client sends (bodies, query and path parameters): storable everywhere."""


class Paged(BaseModel, Generic[T]):
    """One page of a list: ``items`` and where they are in the whole result."""

    items: list[T]
    page: int
    page_size: int
    total: int
