"""What the corpus look-ups return: statistics, search hits and one patent in full, as
frozen typed records (``ipops.records.Record``) that the CLI, the API, the pages and
scripts share; their field order is the order of the JSON they are written as."""

from __future__ import annotations

from datetime import date

from ipops.records import Record


class CorpusYears(Record):
    """The first and last filing and publication years (None in an empty corpus)."""

    first_filing_year: int | None
    last_filing_year: int | None
    first_publication_year: int | None
    last_publication_year: int | None


class OfficeCount(Record):
    """Patents of one office and document type."""

    office: str | None
    doc_type: str | None
    patents: int


class InventorCountry(Record):
    """Inventors (and their distinct patents) of one country."""

    country: str
    inventors: int
    patents: int


class TopParty(Record):
    """One harmonised party (entity) and its distinct patents."""

    entity_id: str
    name: str | None
    patents: int


class GeocodedInventors(Record):
    """Inventors located by one source (``unlocated``: none)."""

    geo_source: str
    inventors: int


class CorpusStatistics(Record):
    """Counts per table, years, offices, top inventor countries and parties of a snapshot."""

    counts: dict[str, int]
    years: CorpusYears
    by_office: list[OfficeCount]
    generated_patents: int
    top_inventor_countries: list[InventorCountry]
    top_parties: list[TopParty]
    geocoded_inventors: list[GeocodedInventors]
    snapshot_id: str


class PatentSummary(Record):
    """One search hit: a patent's identity, title, dates, first applicant and main IPC."""

    patent_id: str
    office: str | None
    kind: str | None
    doc_type: str | None
    title: str | None
    filing_date: date | None
    publication_date: date | None
    first_applicant: str | None
    main_ipc: str | None


# One patent in full (``queries.show_patent``). Each table's row has the columns of its
# canonical schema (``corpus.schema``), in order; tests/corpus/test_corpus_facade.py
# checks that they stay the same.


class PatentRow(Record):
    """A row of ``patents``: one publication (docs/corpus.md describes each column)."""

    patent_id: str
    office: str | None
    number: str | None
    kind: str | None
    doc_type: str | None
    patent_type: str | None
    application_id: str | None
    title: str | None
    abstract: str | None
    filing_date: date | None
    priority_date: date | None
    publication_date: date | None
    grant_date: date | None
    claims_count: int | None
    independent_claims_count: int | None
    family_id: str | None
    family_size: int | None
    reported_citations: int | None
    legal_status: str | None
    generated: bool | None
    source: str | None
    figures_count: int | None
    drawing_sheets: int | None


class ApplicationRow(Record):
    """A row of ``applications``."""

    application_id: str | None
    office: str | None
    number: str | None
    filing_date: date | None
    application_type: str | None
    series_code: str | None
    patent_id: str | None
    generated: bool | None


class PartyRow(Record):
    """A row of ``parties``: an applicant or assignee of a patent."""

    patent_id: str
    sequence: int | None
    role: str | None
    name: str | None
    name_normalized: str | None
    entity_id: str | None
    party_type: str | None
    address: str | None
    city: str | None
    state: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_source: str | None
    role_code: str | None
    generated: bool | None


class InventorRow(Record):
    """A row of ``inventors``."""

    patent_id: str
    sequence: int | None
    name: str | None
    first_name: str | None
    last_name: str | None
    city: str | None
    state: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_source: str | None
    generated: bool | None


class ClassificationRow(Record):
    """A row of ``classifications``."""

    patent_id: str
    scheme: str | None
    sequence: int | None
    symbol: str | None
    subclass: str | None
    main_group: str | None
    is_main: bool | None
    value: str | None
    version: str | None
    generated: bool | None


class CitationMade(Record):
    """A row of ``citations`` the patent makes, and the cited patent's title (if loaded)."""

    patent_id: str
    sequence: int | None
    category: str | None
    cited_office: str | None
    cited_number: str | None
    cited_kind: str | None
    cited_patent_id: str | None
    cited_date: date | None
    cited_by: str | None
    relevance: str | None
    npl_text: str | None
    generated: bool | None
    cited_title: str | None


class CitationReceived(Record):
    """A patent of the corpus that cites this one."""

    citing_patent_id: str
    citing_title: str | None
    citing_publication_date: date | None
    cited_by: str | None  # examiner | applicant | other | null


class EventRow(Record):
    """A row of ``events``: one legal-status event."""

    patent_id: str
    event_date: date | None
    event_type: str | None
    detail: str | None
    counterparty: str | None
    generated: bool | None


class PatentStatus(Record):
    """A row of the ``patent_status`` view: the status derived from the patent's events."""

    patent_id: str
    status: str
    pledged: bool
    licensed: bool
    owner_changed: bool
    last_event_date: date | None


class PatentRecord(Record):
    """One patent with its applications, parties, inventors, classifications, citations
    and legal-status events."""

    patent: PatentRow
    applications: list[ApplicationRow]
    parties: list[PartyRow]
    inventors: list[InventorRow]
    classifications: list[ClassificationRow]
    citations_made: list[CitationMade]
    citations_received: list[CitationReceived]
    events: list[EventRow]
    status: PatentStatus | None = None
