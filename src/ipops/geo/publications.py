"""Scientific publications: PubMed/MEDLINE records, affiliations geocoded, stored as Parquet.

Reading (pure): MEDLINE tagged text (``PMID- ``, ``DP  - ``, ``FAU - ``, ``AD  - `` ...,
continuation lines indented by six spaces). Each author keeps the first affiliation given
for them; a record with one ``AD`` for the first author only (older MEDLINE) leaves the
other authors without affiliation.

Geocoding: city and country are parsed from the affiliation's free text: the country is
the last comma-separated part that reads as a country (``ipops.places.countries``); the
city is the nearest part before it that the offline GeoNames gazetteer knows in that
country (a two-letter part before the country, as in "New York, NY, USA", is read as the
state). Institution words (University, Department ...) are skipped.

Storage: ``<workspace>/publications/<version>/{papers,authors}.parquet`` and
``publications/current.json`` naming the version; a load writes a new version and replaces
``current.json`` atomically, so readers always see both files of one version. Loading the
same papers again replaces them (by PMID): idempotent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ipops.errors import InputFormatError, ValidationError
from ipops.places.countries import to_iso2
from ipops.places.gazetteer import Gazetteer, admin1_code, default_gazetteer

FOLDER = "publications"
CURRENT = "current.json"
PAPERS_SCHEMA = pa.schema(
    [
        ("pmid", pa.string()),
        ("year", pa.int32()),
        ("title", pa.string()),
        ("journal", pa.string()),
        ("source_file", pa.string()),
    ]
)
AUTHORS_SCHEMA = pa.schema(
    [
        ("pmid", pa.string()),
        ("sequence", pa.int32()),
        ("name", pa.string()),
        ("affiliation", pa.string()),
        ("city", pa.string()),
        ("country", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
    ]
)
_TAG = re.compile(r"^([A-Z]{2,4})\s*-\s?(.*)$")
_EMAIL = re.compile(r"(?:Electronic address:)?\s*\S+@\S+", re.IGNORECASE)
_INSTITUTION = re.compile(
    r"univ|depart|dept|institut|hospital|school|cent(?:er|re)|facult|laborator|college|"
    r"clinic|academy|division|unit\b|program|foundation|ministry|service|group|campus|street|"
    r"road|avenue|building|\bst\.|\bbox\b",
    re.IGNORECASE,
)
_STATE = re.compile(r"^[A-Z]{2}$")
_POSTAL = re.compile(r"\b[A-Z]{0,2}-?\d[\d -]{2,}\b")
MAX_CITY_WORDS = 4
MIN_INSTITUTION_CITY = 50_000  # a city read from an institution's name must be this large


@dataclass(frozen=True)
class Author:
    name: str
    affiliation: str | None


@dataclass(frozen=True)
class Paper:
    pmid: str
    year: int | None
    title: str
    journal: str
    authors: tuple[Author, ...]


@dataclass(frozen=True)
class Located:
    city: str | None
    country: str | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class LoadReport:
    files: list[str]
    papers: int
    authors: int
    with_affiliation: int
    located: int
    with_country: int
    total_papers: int
    version: str

    @property
    def match_rate(self) -> float:
        return self.located / self.with_affiliation if self.with_affiliation else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "match_rate": round(self.match_rate, 4)}


# ------------------------------------------------------------------ reading


def read_medline(lines: Iterable[str], *, origin: str = "<input>") -> Iterator[Paper]:
    """Papers of a MEDLINE file; a record without PMID is an error naming its line."""
    fields: list[tuple[str, str]] = []
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n\r")
        if not line.strip():
            if fields:
                yield _paper(fields, origin, start)
                fields = []
            continue
        if line.startswith("      ") and fields:
            tag, value = fields[-1]
            fields[-1] = (tag, f"{value} {line.strip()}")
            continue
        match = _TAG.match(line)
        if match is None:
            raise InputFormatError(f"{origin}:{number}: not a MEDLINE line: {line[:60]!r}")
        if not fields:
            start = number
        fields.append((match.group(1), match.group(2).strip()))
    if fields:
        yield _paper(fields, origin, start)


def _paper(fields: list[tuple[str, str]], origin: str, line: int) -> Paper:
    values: dict[str, str] = {}
    authors: list[tuple[str, str | None]] = []
    for tag, value in fields:
        if tag == "FAU":
            authors.append((value, None))
        elif tag == "AD" and authors and authors[-1][1] is None:
            authors[-1] = (authors[-1][0], value)
        elif tag not in values:
            values[tag] = value
    if "PMID" not in values:
        raise InputFormatError(f"{origin}:{line}: MEDLINE record without PMID")
    if not authors:  # records with AU only
        authors = [(value, None) for tag, value in fields if tag == "AU"]
    return Paper(
        pmid=values["PMID"],
        year=_year(values.get("DP") or values.get("DA") or values.get("EDAT")),
        title=values.get("TI", ""),
        journal=values.get("JT") or values.get("TA", ""),
        authors=tuple(Author(name, affiliation) for name, affiliation in authors),
    )


def _year(text: str | None) -> int | None:
    found = re.match(r"\s*(\d{4})", text or "")
    return int(found.group(1)) if found else None


# ------------------------------------------------------------------ geocoding


def locate_affiliation(text: str | None, gazetteer: Gazetteer) -> Located:
    """City, country and coordinates parsed from an affiliation's free text."""
    if not text:
        return Located(None, None, None, None)
    first = _EMAIL.sub("", text).split(";")[0]
    parts = [p.strip(" .") for p in first.split(",")]
    while parts and (not parts[-1] or parts[-1].islower()):
        parts.pop()  # "..., Japan, and."
    parts = [p for p in parts if p]
    for position in range(len(parts) - 1, 0, -1):
        state = _us_state(parts[position])
        if state is not None:
            found = _city(parts[:position], "US", gazetteer, state=state)
            if found.latitude is not None:
                return found
        country = _country(parts[position])
        if country is not None:
            return _city(parts[:position], country, gazetteer)
    country = _country(parts[-1]) if parts else None
    return Located(None, country, None, None)


def _us_state(part: str) -> str | None:
    cleaned = _POSTAL.sub(" ", part).strip(" .")
    return cleaned if cleaned and admin1_code("US", cleaned) else None


def _country(part: str) -> str | None:
    cleaned = _POSTAL.sub(" ", part).strip(" .")
    cleaned = re.sub(r"^(?:the|P\.\s?R\.)\s+", "", cleaned, flags=re.IGNORECASE)
    return to_iso2(cleaned) if cleaned else None


def _city(
    parts: list[str], country: str, gazetteer: Gazetteer, *, state: str | None = None
) -> Located:
    tail = parts[-3:]
    for part in reversed(tail):
        if _STATE.match(part):
            state = part
            continue
        if _INSTITUTION.search(part):
            continue
        for candidate in _city_candidates(part):
            place = gazetteer.match(candidate, state, country)
            if place is not None:
                return Located(place.name, country, place.latitude, place.longitude)
    for part in reversed(tail):  # "University of Amsterdam", "University Hospital Munster"
        words = [w for w in re.split(r"[\s-]+", part) if w[:1].isupper() and w.isalpha()]
        place = gazetteer.match(words[-1], state, country) if words else None
        if place is not None and place.population >= MIN_INSTITUTION_CITY:
            return Located(place.name, country, place.latitude, place.longitude)
    return Located(None, country, None, None)


def _city_candidates(part: str) -> list[str]:
    """The part, then its words without postal codes: all, the first run, the last word."""
    words = [w for w in part.replace("Cedex", " ").split() if not any(c.isdigit() for c in w)]
    if not words or len(words) > MAX_CITY_WORDS + 2:
        return []
    runs = [part, " ".join(words), words[0], words[-1]]
    return [
        r
        for n, r in enumerate(runs)
        if r and r not in runs[:n] and len(r.split()) <= MAX_CITY_WORDS
    ]


# ------------------------------------------------------------------ storing


def tables(
    papers: list[Paper], source_file: str, gazetteer: Gazetteer
) -> tuple[pa.Table, pa.Table]:
    paper_rows = [
        {"pmid": p.pmid, "year": p.year, "title": p.title, "journal": p.journal,
         "source_file": source_file}
        for p in papers
    ]  # fmt: skip
    author_rows = []
    for paper in papers:
        for sequence, author in enumerate(paper.authors):
            where = locate_affiliation(author.affiliation, gazetteer)
            author_rows.append(
                {
                    "pmid": paper.pmid,
                    "sequence": sequence,
                    "name": author.name,
                    "affiliation": author.affiliation,
                    "city": where.city,
                    "country": where.country,
                    "latitude": where.latitude,
                    "longitude": where.longitude,
                }
            )
    return (
        pa.Table.from_pylist(paper_rows, schema=PAPERS_SCHEMA),
        pa.Table.from_pylist(author_rows, schema=AUTHORS_SCHEMA),
    )


class PublicationStore:
    """The publications of a workspace: one current version of two Parquet files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def current(self) -> Path | None:
        marker = self.root / CURRENT
        if not marker.exists():
            return None
        version = json.loads(marker.read_text(encoding="utf-8"))["version"]
        return self.root / str(version)

    def files(self) -> tuple[Path, Path] | None:
        folder = self.current()
        if folder is None:
            return None
        return folder / "papers.parquet", folder / "authors.parquet"

    def read(self) -> tuple[pa.Table, pa.Table]:
        files = self.files()
        if files is None:
            return PAPERS_SCHEMA.empty_table(), AUTHORS_SCHEMA.empty_table()
        return pq.read_table(files[0]), pq.read_table(files[1])

    def replace(self, papers: pa.Table, authors: pa.Table) -> str:
        """Merge by PMID (new wins) and publish a new version atomically."""
        old_papers, old_authors = self.read()
        new_ids = papers["pmid"]
        kept_papers = old_papers.filter(pc.invert(pc.is_in(old_papers["pmid"], new_ids)))
        kept_authors = old_authors.filter(pc.invert(pc.is_in(old_authors["pmid"], new_ids)))
        merged_papers = pa.concat_tables([kept_papers, papers]).sort_by("pmid")
        merged_authors = pa.concat_tables([kept_authors, authors]).sort_by(
            [("pmid", "ascending"), ("sequence", "ascending")]
        )
        version = f"v-{uuid.uuid4().hex[:12]}"
        staging = self.root / f".{version}.tmp"
        staging.mkdir(parents=True)
        try:
            pq.write_table(merged_papers, staging / "papers.parquet")
            pq.write_table(merged_authors, staging / "authors.parquet")
            staging.rename(self.root / version)
            previous = self.current()
            self._point_to(version)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        return version

    def _point_to(self, version: str) -> None:
        tmp = self.root / f".{CURRENT}.{os.getpid()}.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(json.dumps({"format": 1, "version": version}))
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.root / CURRENT)


def ingest_publications(
    store: PublicationStore, files: list[Path], *, gazetteer: Gazetteer | None = None
) -> LoadReport:
    """Read, geocode and store MEDLINE files; any unreadable file stores nothing."""
    if not files:
        raise ValidationError("no MEDLINE file given", field="file")
    gazetteer = gazetteer or default_gazetteer()
    all_papers: list[pa.Table] = []
    all_authors: list[pa.Table] = []
    for path in files:
        if not path.is_file():
            raise ValidationError(f"no such file: {path}", field="file")
        with path.open(encoding="utf-8", errors="replace") as handle:
            papers = list(read_medline(handle, origin=path.name))
        if not papers:
            raise InputFormatError(f"{path.name}: no MEDLINE records found")
        paper_table, author_table = tables(papers, path.name, gazetteer)
        all_papers.append(paper_table)
        all_authors.append(author_table)
    papers_table = _last_per_pmid(pa.concat_tables(all_papers))
    authors_table = pa.concat_tables(all_authors)
    version = store.replace(papers_table, authors_table)
    total = store.read()[0].num_rows
    return _report(files, papers_table, authors_table, total, version)


def _last_per_pmid(papers: pa.Table) -> pa.Table:
    seen: dict[str, int] = {}
    for position, pmid in enumerate(papers["pmid"].to_pylist()):
        seen[pmid] = position
    return papers.take(sorted(seen.values()))


def _report(
    files: list[Path], papers: pa.Table, authors: pa.Table, total: int, version: str
) -> LoadReport:
    return LoadReport(
        files=[str(f) for f in files],
        papers=papers.num_rows,
        authors=authors.num_rows,
        with_affiliation=int(pc.sum(pc.is_valid(authors["affiliation"])).as_py() or 0),
        located=int(pc.sum(pc.is_valid(authors["latitude"])).as_py() or 0),
        with_country=int(pc.sum(pc.is_valid(authors["country"])).as_py() or 0),
        total_papers=total,
        version=version,
    )


def register_views(con: Any, store: PublicationStore) -> bool:
    """Views ``publications`` and ``publication_authors`` on a DuckDB connection."""
    files = store.files()
    if files is None:
        return False
    for name, path in zip(("publications", "publication_authors"), files, strict=True):
        literal = "'" + str(path).replace("'", "''") + "'"
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({literal})")
    return True
