"""Builders for valuation tests: workspaces, the real grants, constructed corpora row by row."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ipops.corpus.ingest import LoadJob, LoadTarget, ingest_files, load
from ipops.corpus.prepare import Prepared
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from loadhelpers import make_target

from realdata import shared_path

AS_OF = date(2025, 1, 1)


def real_grants_xml() -> Path:
    """The folder of real USPTO grant XML (shared/data or vendored), or skip."""
    return shared_path("uspto-grant-xml-pvdb", "xml")


class Workspace:
    """A corpus and a valuation folder under one temporary root."""

    def __init__(self, root: Path, url: str | None = None) -> None:
        self.root = root
        self.target: LoadTarget = make_target(root, url)
        self.valuation = root / "valuation"

    @property
    def store(self) -> CorpusStore:
        return self.target.store

    def add(self, key: str, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        """Load constructed rows (canonical columns) as one batch."""
        arrow = {name: to_table(name, list(rows)) for name, rows in tables.items()}
        patents = len(tables.get("patents", ()))
        job = LoadJob(kind="patents", source_format="test", sources=[], load_key=key, options={})
        load(self.target, job, [Prepared(arrow, [], patents)])

    def ingest_real_grants(self) -> None:
        report = ingest_files(self.target, [real_grants_xml()], workers=1)
        assert report.status == "committed"


def patent(
    patent_id: str,
    *,
    filed: date = date(2012, 3, 1),
    granted: date | None = date(2015, 6, 2),
    published: date | None = None,
    patent_type: str = "invention",
    source: str = "test",
    **extra: Any,
) -> dict[str, Any]:
    """A canonical ``patents`` row (a grant unless ``granted`` is None)."""
    return {
        "patent_id": patent_id,
        "office": patent_id[:2],
        "number": patent_id[2:],
        "doc_type": "grant" if granted else "application",
        "patent_type": patent_type,
        "title": f"Patent {patent_id}",
        "filing_date": filed,
        "publication_date": published or granted or filed,
        "grant_date": granted,
        "source": source,
        "generated": False,
        **extra,
    }


def ipc(patent_id: str, *symbols: str) -> list[dict[str, Any]]:
    """IPC rows; the first symbol is the main one."""
    return [
        {
            "patent_id": patent_id,
            "scheme": "IPC",
            "sequence": i,
            "symbol": symbol,
            "subclass": symbol[:4],
            "main_group": symbol.split("/")[0] + "/00" if "/" in symbol else None,
            "is_main": i == 0,
        }
        for i, symbol in enumerate(symbols)
    ]


def cites(patent_id: str, *cited: str, npl: int = 0) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "patent_id": patent_id,
            "sequence": i,
            "category": "patent",
            "cited_office": c[:2],
            "cited_number": c[2:],
            "cited_patent_id": c,
        }
        for i, c in enumerate(cited)
    ]
    rows += [
        {"patent_id": patent_id, "sequence": 100 + k, "category": "npl", "npl_text": f"ref {k}"}
        for k in range(npl)
    ]
    return rows


def event(patent_id: str, day: date, kind: str, detail: str | None = None) -> dict[str, Any]:
    return {
        "patent_id": patent_id,
        "event_date": day,
        "event_type": kind,
        "detail": detail,
        "generated": False,
    }
