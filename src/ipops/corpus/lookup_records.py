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
