"""A small demo-like workspace: generated corpus, demo users, the demo pool and programme.

The same builders as ``ipops demo`` (``seed_demo_pool``, ``seed_demo_finance``) on a
smaller corpus, so that every page of every role has something real to show.
"""

from __future__ import annotations

from pathlib import Path

from ipops.accounts.demo import demo_organisation_id, ensure_demo_users
from ipops.accounts.roles import OrgKind
from ipops.config import Settings
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.corpus.store import CorpusStore
from ipops.finance.demo import seed_demo_finance
from ipops.pool.demo import seed_demo_pool
from ipops.registry.db import make_engine, session_scope, upgrade
from ipops.web.words import city_name
from ipops.workspace import create_workspace

PATENTS = 600
ENTERPRISES = 60


def build_demo_world(root: Path) -> tuple[Settings, dict[str, str], list[str]]:
    """(settings, demo passwords, stored texts shown as filed: titles, abstracts, names)."""
    settings = Settings(home=root)
    workspace = create_workspace(settings)
    upgrade(workspace.database_url)
    engine = make_engine(workspace.database_url)
    store = CorpusStore(workspace.corpus_dir)
    load_generated(LoadTarget(store, engine, workspace.rejects_dir), patents=PATENTS, seed=1)
    with session_scope(engine) as session:
        passwords = dict(ensure_demo_users(session))
        owner = demo_organisation_id(session, OrgKind.POOL)  # as `ipops demo` does
        seed_demo_pool(session, store, seed=1, owner=owner)
    with session_scope(engine) as session:
        seed_demo_finance(session, store, workspace.root, seed=1, enterprises=ENTERPRISES)
    engine.dispose()
    return settings, passwords, stored_texts(store)


def stored_texts(store: CorpusStore) -> list[str]:
    """Texts of the corpus a page shows as they were filed, longest first."""
    found: set[str] = set()
    with store.connect() as con:
        for sql in (
            "SELECT title FROM patents",
            "SELECT abstract FROM patents",
            "SELECT name FROM parties",
            "SELECT name FROM inventors",
        ):
            found |= {str(row[0]) for row in con.execute(sql).fetchall() if row[0]}
        places = con.execute(
            "SELECT city, country FROM parties UNION SELECT city, country FROM inventors"
        ).fetchall()
    # a place with no Chinese name (Rheinhausen) is shown as it is on Chinese pages too
    found |= {str(c) for c, country in places if c and city_name(c, country, "zh_CN") == c}
    return sorted(found, key=len, reverse=True)
