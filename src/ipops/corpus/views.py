"""HTTP edge of the corpus: statistics, search, one patent in full (every signed-in role)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, ConfigDict

from ipops.accounts import authz
from ipops.api.deps import CorpusDep, CurrentUser
from ipops.api.pagination import page_params, paged
from ipops.api.schemas import Paged, SafeStr
from ipops.corpus.lookup_records import (
    CorpusYears,
    GeocodedInventors,
    InventorCountry,
    OfficeCount,
    PatentRecord,
    PatentSummary,
    TopParty,
)
from ipops.corpus.queries import corpus_stats
from ipops.corpus.search import SORTABLE, SearchCriteria
from ipops.paging import Page

router = APIRouter(prefix="/corpus", tags=["corpus"])

PatentPageParams = Annotated[Page, Depends(page_params(SORTABLE, "-publication_date"))]
Year = Annotated[int | None, Query(ge=1800, le=2200)]
Text = Annotated[SafeStr | None, Query(max_length=200)]


class CorpusStats(BaseModel):
    """The statistics record (``queries.CorpusStatistics``), the snapshot named first."""

    model_config = ConfigDict(from_attributes=True)

    snapshot_id: str
    counts: dict[str, int]
    years: CorpusYears
    by_office: list[OfficeCount]
    generated_patents: int
    top_inventor_countries: list[InventorCountry]
    top_parties: list[TopParty]
    geocoded_inventors: list[GeocodedInventors]


class PatentsPage(Paged[PatentSummary]):
    pass


@router.get("/stats")
def read_stats(user: CurrentUser, corpus: CorpusDep) -> CorpusStats:
    authz.require(user, "corpus:read", "corpus")
    stats = corpus_stats(corpus.cursor, snapshot_id=corpus.snapshot_id)
    return CorpusStats.model_validate(stats)


@router.get("/patents")
async def search(
    user: CurrentUser,
    corpus: CorpusDep,
    page: PatentPageParams,
    number: Text = None,
    q: Annotated[
        SafeStr | None, Query(max_length=200, description="title words, all must match")
    ] = None,
    party: Annotated[
        SafeStr | None, Query(max_length=200, description="applicant or assignee")
    ] = None,
    ipc: Annotated[
        SafeStr | None, Query(max_length=20, description="IPC/CPC prefix, e.g. F24F")
    ] = None,
    year_from: Year = None,
    year_to: Year = None,
    doc_type: Literal["grant", "application"] | None = None,
) -> PatentsPage:
    """Search by number, title words, party, IPC prefix, filing years and document type."""
    authz.require(user, "corpus:read", "corpus")
    criteria = SearchCriteria.from_query(
        number=number,
        q=q,
        party=party,
        ipc=ipc,
        year_from=year_from,
        year_to=year_to,
        doc_type=doc_type,
    )
    rows, total = await corpus.answer(corpus.search, criteria, page)
    return paged(PatentsPage, rows, total, page)


@router.get("/patents/{number}", response_model=PatentRecord)
async def read_patent(
    number: Annotated[SafeStr, Path(max_length=64, examples=["CN102345678A", "US7654321B2"])],
    user: CurrentUser,
    corpus: CorpusDep,
) -> Response:
    """One patent with its applications, parties, inventors, classifications, citations
    and legal-status events."""
    authz.require(user, "corpus:read", "corpus")
    # The record is stored as JSON already; sending it as it is skips a re-validation.
    body = await corpus.answer(corpus.patent_json, number)
    return Response(body, media_type="application/json")
