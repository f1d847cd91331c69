"""The corpus domain for scripts (``ipops.open(home).corpus``):
each method is keyword-only, runs one use case in one transaction and returns its frozen records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipops.corpus.lookups import (
    CorpusStatistics,
    PatentRecord,
    SearchHits,
    patent,
    search,
    statistics,
)
from ipops.corpus.search import SearchCriteria
from ipops.paging import DEFAULT_PAGE_SIZE, Page

if TYPE_CHECKING:
    from ipops.platform import Platform


class CorpusAPI:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform

    def stats(self) -> CorpusStatistics:
        """Counts per table, years, offices, top inventor countries and parties."""
        return statistics(store=self._platform.store)

    def patent(self, *, patent_id: str) -> PatentRecord:
        """One patent in full, by its publication or patent number (e.g. ``US7654321B2``)."""
        return patent(store=self._platform.store, number=patent_id)

    def search(
        self,
        *,
        number: str | None = None,
        q: str | None = None,
        party: str | None = None,
        ipc: str | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        doc_type: str | None = None,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> SearchHits:
        """Patents by number, title words (all must match), party, IPC prefix, filing years
        and document type; one page, newest publication first."""
        criteria = SearchCriteria.from_query(
            number=number,
            q=q,
            party=party,
            ipc=ipc,
            year_from=year_from,
            year_to=year_to,
            doc_type=doc_type,
        )
        return search(
            store=self._platform.store, criteria=criteria, page=Page(number=page, size=page_size)
        )
