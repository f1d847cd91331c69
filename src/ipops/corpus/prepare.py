"""Turn a reader's chunk into loadable Arrow tables: harmonise names, geocode places.

Runs inside worker processes for the parallel XML path, so it stays free of I/O.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa

from ipops.corpus.records import Chunk, Reject
from ipops.corpus.schema import to_table
from ipops.names.harmonize import harmonize_rows
from ipops.places.gazetteer import geocode_rows


@dataclass
class Prepared:
    tables: dict[str, pa.Table]
    rejects: list[Reject]
    records_read: int
    places: Counter[str] = field(default_factory=Counter)  # geo_source -> located rows
    # Records refused whole (None: each reject is one record, as for hand-made batches).
    records_rejected: int | None = None

    @property
    def rejected_records(self) -> int:
        return len(self.rejects) if self.records_rejected is None else self.records_rejected


def prepare_chunk(chunk: Chunk) -> Prepared:
    harmonize_rows(chunk.rows["parties"])
    places: Counter[str] = Counter()
    for table in ("inventors", "parties"):
        rows = chunk.rows[table]
        if rows:
            geocode_rows(rows)
            places.update(row.get("geo_source") or "unlocated" for row in rows)
    tables = {name: to_table(name, rows) for name, rows in chunk.rows.items() if rows}
    return Prepared(tables, chunk.rejects, chunk.records_read, places, chunk.records_rejected)
