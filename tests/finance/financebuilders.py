"""Builders for finance tests: a small constructed corpus of Chinese patents and a registry."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ipops.accounts import organisations
from ipops.accounts.demo import DEMO_ORGANISATIONS, ensure_demo_users
from ipops.accounts.roles import OrgKind
from ipops.audit.service import Actor
from ipops.config import Settings
from ipops.corpus.ingest import LoadJob, LoadTarget, load
from ipops.corpus.prepare import Prepared
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore
from ipops.finance import applications, enterprise_book, product_book, rating_book
from ipops.names.harmonize import harmonize_name
from ipops.registry.db import make_engine, session_scope, upgrade
from ipops.workspace import create_workspace

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


def build_web_world(root: Path) -> tuple[Settings, dict[str, int], dict[str, str]]:
    """A workspace for the finance pages: the constructed corpus, demo users (returned with
    their passwords) in a demo bank and enterprise, Acme (the enterprise user's) and another
    firm rated, a product of the user's bank and one of another bank, and the other firm's
    application to the other bank."""
    settings = Settings(home=root)
    workspace = create_workspace(settings)
    world = build_world(root, workspace.database_url)
    with session_scope(world.engine) as s:
        passwords = dict(ensure_demo_users(s))
        org = {
            kind: organisations.ensure_organisation(
                db_session=s, name=DEMO_ORGANISATIONS[kind], kind=kind, actor=ACTOR
            ).id
            for kind in (OrgKind.BANK, OrgKind.ENTERPRISE)
        }
        acme = enterprise_book.register_enterprise(
            db_session=s,
            actor=ACTOR,
            name=ACME,
            credit_code=VALID_CODES[0],
            region="320106",
            industry="制造业",
            size="small",
            organisation_id=org[OrgKind.ENTERPRISE],
        )
        other = enterprise_book.register_enterprise(
            db_session=s,
            actor=ACTOR,
            name="上海别家电器有限公司",
            credit_code=VALID_CODES[1],
            region="310104",
            industry="制造业",
            size="micro",
        )
        enterprise_book.link_patents(db_session=s, store=world.store, actor=ACTOR, enterprise=acme)
        enterprise_book.link_patents(db_session=s, store=world.store, actor=ACTOR, enterprise=other)
        rating_book.rate_enterprises(
            db_session=s,
            store=world.store,
            valuation_root=world.valuation,
            actor=ACTOR,
            as_of=AS_OF,
        )
        mine = product_book.add_bank(
            db_session=s, actor=ACTOR, name="示范银行", organisation_id=org[OrgKind.BANK]
        )
        theirs = product_book.add_bank(
            db_session=s, actor=ACTOR, name="别的银行", organisation_id=None
        )
        ids = {"acme": acme.id, "other": other.id}
        for bank, key in ((mine, "mine"), (theirs, "theirs")):
            ids[key] = product_book.add_product(
                db_session=s,
                actor=ACTOR,
                bank=bank,
                spec=product_book.ProductInput(
                    name=f"贷{key}",
                    min_amount=Decimal(100000),
                    max_amount=Decimal(5000000),
                    min_term_months=6,
                    max_term_months=36,
                    rate_multiple=Decimal("1.1"),
                    min_grade="C",
                ),
            ).id
        app = applications.prepare_application(
            db_session=s,
            store=world.store,
            enterprise=other,
            amount="100000",
            term_months=12,
            offered=[applications.Collateral("CN2001", value=Decimal("900000"))],
        )
        ids["their_loan"] = applications.submit(
            db_session=s,
            actor=ACTOR,
            application=app,
            product_id=ids["theirs"],
            applied_on=date(2024, 3, 1),
        ).id
    return settings, ids, passwords
