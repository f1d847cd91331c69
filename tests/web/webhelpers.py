"""Builders for the web tests: a workspace with a generated corpus, a hostile patent, users."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from httpx import Response

from ipops.accounts.demo import ensure_demo_users
from ipops.config import Settings
from ipops.corpus.ingest import LoadJob, LoadTarget, SourceFile, load
from ipops.corpus.loaders import load_generated
from ipops.corpus.prepare import Prepared
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine, session_scope, upgrade
from ipops.workspace import create_workspace

HOSTILE_ID = "CN999000001"
HOSTILE_TITLE = '<script>alert("xss")</script> 空调 Xylophone-conditioner'
HOSTILE_PARTY = "<img src=x onerror=alert(1)> 有限公司"
PASSWORDS: dict[str, str] = {}


def build_workspace(root: Path) -> Settings:
    """A workspace at ``root``: 300 generated patents, one hostile patent, the demo users."""
    settings = Settings(home=root)
    workspace = create_workspace(settings)
    upgrade(workspace.database_url)
    engine = make_engine(workspace.database_url)
    target = LoadTarget(CorpusStore(workspace.corpus_dir), engine, workspace.rejects_dir)
    load_generated(target, patents=300, seed=1)
    load(target, _hostile_job(), [_hostile_patent()])
    with session_scope(engine) as db_session:
        PASSWORDS.update(ensure_demo_users(db_session))
    engine.dispose()
    return settings


def _hostile_job() -> LoadJob:
    return LoadJob(
        kind="patents",
        source_format="test",
        sources=[SourceFile(Path("/src/hostile"), "hostile", 1)],
        load_key="hostile",
        options={},
        strict=True,
        allow_generated=True,  # one hand-made patent next to the generated demo corpus
    )


def _hostile_patent() -> Prepared:
    patent = {
        "patent_id": HOSTILE_ID,
        "office": "CN",
        "number": HOSTILE_ID[2:],
        "doc_type": "grant",
        "patent_type": "invention",
        "title": HOSTILE_TITLE,
        "abstract": "<b>bold</b> & 'quoted'",
        "filing_date": date(2016, 5, 4),
        "publication_date": date(2018, 3, 2),
        "legal_status": "in_force",
        "source": "test",
        "generated": False,
    }
    party = {
        "patent_id": HOSTILE_ID,
        "sequence": 0,
        "role": "applicant",
        "name": HOSTILE_PARTY,
        "party_type": "organization",
        "country": "CN",
    }
    inventor = {
        "patent_id": HOSTILE_ID,
        "sequence": 0,
        "name": "王小明",
        "city": "南京市",
        "country": "CN",
        "latitude": 32.06167,
        "longitude": 118.77778,
    }
    classification = {
        "patent_id": HOSTILE_ID,
        "scheme": "IPC",
        "sequence": 0,
        "symbol": "F24F 11/30",
        "subclass": "F24F",
        "main_group": "F24F 11/00",
        "is_main": True,
    }
    tables = {
        "patents": to_table("patents", [patent]),
        "parties": to_table("parties", [party]),
        "inventors": to_table("inventors", [inventor]),
        "classifications": to_table("classifications", [classification]),
    }
    return Prepared(tables, [], 1)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def login(client: TestClient, username: str, password: str | None = None) -> Response:
    """Log ``client`` in through the form (password: the demo user's by default)."""
    form = client.get("/login")
    response: Response = client.post(
        "/login",
        data={
            "csrf_token": csrf_of(form.text),
            "username": username,
            "password": password if password is not None else PASSWORDS[username],
            "next": "/",
        },
        follow_redirects=False,
    )
    return response
