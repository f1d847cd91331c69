"""The list convention of every endpoint that returns many things.

Query parameters: ``page`` (1-based), ``page_size`` (default 20, at most 200), ``sort``
(comma-separated names from the endpoint's whitelist, ``-`` for descending; any other name
is a 422 naming ``sort``), filters as plain query parameters. Response:
``{"items": [...], "page": 1, "page_size": 20, "total": 123}``.
"""

from collections.abc import Callable, Collection, Coroutine, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query

from ipops.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, parse_sort
from ipops.schemas_base import Paged, SafeStr

MAX_PAGE_NUMBER = 1_000_000

P = TypeVar("P", bound=Paged[Any])


def page_params(
    sortable: Collection[str], default_sort: str | None = None
) -> Callable[..., Coroutine[Any, Any, Page]]:
    """A dependency reading ``page``, ``page_size`` and ``sort`` (checked against ``sortable``).

    It is ``async`` only so that FastAPI runs it on the event loop, not in the thread pool.
    """
    choices = ", ".join(sorted(sortable))
    sort_help = f"comma-separated, '-' for descending; one or more of: {choices}"

    async def dependency(
        page: Annotated[int, Query(ge=1, le=MAX_PAGE_NUMBER, description="1-based")] = 1,
        page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
        sort: Annotated[
            SafeStr | None, Query(max_length=200, description=sort_help)
        ] = default_sort,
    ) -> Page:
        return Page(number=page, size=page_size, sort=parse_sort(sort, sortable))

    return dependency


def paged(model: type[P], items: Sequence[Any], total: int, page: Page) -> P:
    """``model`` (a ``Paged[...]`` subclass) holding ``items`` converted to its item type."""
    return model.model_validate(
        {"items": list(items), "page": page.number, "page_size": page.size, "total": total},
        from_attributes=True,
    )
