"""Builders for finance tests: a small constructed corpus of Chinese patents and a registry."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ipops.audit.service import Actor
from ipops.corpus.ingest import LoadJob, LoadTarget, load
from ipops.corpus.prepare import Prepared
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore
from ipops.names.harmonize import harmonize_name
from ipops.registry.db import make_engine, upgrade

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from loadhelpers import make_target

AS_OF = date(2025, 1, 1)
ACTOR = Actor(name="test", origin="test")
ACME = "南京智冷科技有限公司"
VALID_CODES = (
    "91110000600037341L",
    "913200001347851307",
    "91310000607352860U",
)
PARTNER = "东南大学"


def party(patent_id: str, name: str, sequence: int = 0, role: str = "applicant") -> dict[str, Any]:
    normalized, entity = harmonize_name(name)
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "role": role,
        "name": name,
        "name_normalized": normalized,
        "entity_id": entity,
        "party_type": "organization",
        "country": "CN",
    }


def cn_patent(patent_id: str, filed: date, granted: date | None, **extra: Any) -> dict[str, Any]:
    return {
        "patent_id": patent_id,
        "office": "CN",
        "number": patent_id[2:],
        "kind": "B" if granted else "A",
        "doc_type": "grant" if granted else "application",
        "patent_type": "invention",
        "title": f"空调 {patent_id}",
        "filing_date": filed,
        "publication_date": granted or filed,
        "grant_date": granted,
        "claims_count": 10,
        "independent_claims_count": 2,
        "source": "test",
        "generated": False,
        **extra,
    }


def ipc_row(patent_id: str, symbol: str) -> dict[str, Any]:
    return {
        "patent_id": patent_id,
        "scheme": "IPC",
        "sequence": 0,
        "symbol": symbol,
        "subclass": symbol[:4],
        "main_group": symbol.split("/")[0] + "/00",
        "is_main": True,
    }


def event_row(
    patent_id: str, day: date, kind: str, counterparty: str | None = None
) -> dict[str, Any]:
    return {
        "patent_id": patent_id,
        "event_date": day,
        "event_type": kind,
        "counterparty": counterparty,
        "generated": False,
    }


@dataclass
class FinanceWorld:
    root: Path
    target: LoadTarget

    @property
    def store(self) -> CorpusStore:
        return self.target.store

    @property
    def engine(self) -> Engine:
        return self.target.engine

    @property
    def valuation(self) -> Path:
        return self.root / "valuation"


def build_world(root: Path, url: str | None = None) -> FinanceWorld:
    """Acme owns CN1001-CN1006 (CN1005 lapsed, CN1006 co-owned with 东南大学); another firm
    owns CN2001; 'Acme' under a near name owns CN3001 (a link to review)."""
    target = make_target(root, url)
    patents, parties, classes, events = [], [], [], []
    symbols = ["F24F 11/30", "F25B 13/00", "H02P 27/06", "F24F 1/00", "G05B 19/04", "F24F 13/20"]
    for k in range(1, 7):
        pid = f"CN100{k}"
        patents.append(cn_patent(pid, date(2016 + k % 4, 3, 1), date(2019 + k % 3, 6, 1)))
        parties.append(party(pid, ACME))
        classes.append(ipc_row(pid, symbols[k - 1]))
        events.append(event_row(pid, date(2019 + k % 3, 6, 1), "granted"))
    parties.append(party("CN1006", PARTNER, sequence=1))
    events.append(event_row("CN1005", date(2023, 3, 1), "lapsed_unpaid_fees"))
    patents.append(cn_patent("CN2001", date(2017, 1, 1), date(2020, 1, 1)))
    parties.append(party("CN2001", "上海别家电器有限公司"))
    classes.append(ipc_row("CN2001", "F24F 11/30"))
    patents.append(cn_patent("CN3001", date(2018, 1, 1), date(2021, 1, 1)))
    parties.append(party("CN3001", "南京智泠科技有限公司"))
    classes.append(ipc_row("CN3001", "F24F 11/30"))
    tables = {
        "patents": to_table("patents", patents),
        "parties": to_table("parties", parties),
        "classifications": to_table("classifications", classes),
        "events": to_table("events", events),
    }
    job = LoadJob(kind="patents", source_format="test", sources=[], load_key="fin", options={})
    load(target, job, [Prepared(tables, [], len(patents))])
    return FinanceWorld(root, target)


def registry(url: str) -> Engine:
    upgrade(url)
    return make_engine(url)
