"""Small builders for store and loader tests: canonical rows without any reader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ipops.corpus.ingest import LoadJob, LoadTarget, SourceFile
from ipops.corpus.prepare import Prepared
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine, upgrade


def make_target(root: Path, url: str | None = None) -> LoadTarget:
    root.mkdir(parents=True, exist_ok=True)
    url = url or f"sqlite:///{root / 'registry.sqlite'}"
    upgrade(url)
    return LoadTarget(CorpusStore(root / "corpus"), make_engine(url), root / "rejects")


def patent_rows(ids: list[str], title: str = "Air conditioner") -> Prepared:
    patents = [
        {
            "patent_id": pid,
            "office": pid[:2],
            "number": pid[2:],
            "doc_type": "grant",
            "title": f"{title} {pid}",
            "filing_date": date(2015, 1, 2),
            "publication_date": date(2017, 3, 4),
            "source": "test",
            "generated": False,
        }
        for pid in ids
    ]
    inventors = [
        {"patent_id": pid, "sequence": 0, "name": f"Inventor of {pid}", "country": "CN"}
        for pid in ids
    ]
    tables = {
        "patents": to_table("patents", patents),
        "inventors": to_table("inventors", inventors),
    }
    return Prepared(tables, [], len(ids))


def job(key: str, *, strict: bool = False) -> LoadJob:
    return LoadJob(
        kind="patents",
        source_format="test",
        sources=[SourceFile(Path(f"/src/{key}"), key, 1)],
        load_key=key,
        options={},
        strict=strict,
    )
