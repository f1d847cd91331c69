"""What format readers hand to the loader: rows per canonical table, and rejects.

Readers are pure: they read a source and yield ``Chunk`` objects; they never write.
A record that cannot be loaded becomes a ``Reject`` naming the file, where in the file,
the field and the reason; the good records of the same chunk still load.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from ipops.corpus.schema import TABLE_NAMES, Row


@dataclass(frozen=True)
class Reject:
    file: str
    location: str  # "document 12", "row 5 (line 6)" ...
    field: str | None
    reason: str
    record: str | None = None  # the publication number, when it is known

    def as_row(self) -> dict[str, str]:
        return {
            "file": self.file,
            "location": self.location,
            "record": self.record or "",
            "field": self.field or "",
            "reason": self.reason,
        }


@dataclass
class Chunk:
    """A slice of a source: canonical rows by table, the rejects, how many records were read."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLE_NAMES})
    rejects: list[Reject] = field(default_factory=list)
    records_read: int = 0
    # Records refused whole; a reject about a header or one field of a loaded record is none.
    records_rejected: int = 0

    def add_document(self, document: dict[str, list[Row]]) -> None:
        self.records_read += 1
        for table, rows in document.items():
            self.rows[table].extend(rows)

    def add_reject(self, reject: Reject) -> None:
        self.records_read += 1
        self.records_rejected += 1
        self.rejects.append(reject)

    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def chunked(items: Iterable[dict[str, list[Row]] | Reject], size: int) -> Iterator[Chunk]:
    """Group parsed documents and rejects into chunks of ``size`` records."""
    chunk = Chunk()
    for item in items:
        if isinstance(item, Reject):
            chunk.add_reject(item)
        else:
            chunk.add_document(item)
        if chunk.records_read >= size:
            yield chunk
            chunk = Chunk()
    if chunk.records_read:
        yield chunk


def citing_row(patent_id: str, office: str, published: date | None, source: str) -> Row:
    """A ``citing_documents`` row: a real document whose references are loaded."""
    return {
        "patent_id": patent_id,
        "office": office,
        "publication_date": published,
        "source": source,
        "generated": False,
    }
