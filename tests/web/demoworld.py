"""A small demo-like workspace: generated corpus, demo users, the demo pool and programme.

The same builders as ``ipops demo`` (``seed_demo_pool``, ``seed_demo_finance``) on a
smaller corpus, so that every page of every role has something real to show.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
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


def shared_demo_world(run_temp: Path, target: Path) -> tuple[Settings, dict[str, str], list[str]]:
    """The demo world built once per test run and copied to ``target`` for each user.

    ``run_temp`` is the run's temporary folder that every xdist worker of the run shares; the
    first worker to ask builds the world there (under a file lock) and the others wait for it.
    Every user gets its own copy, so a test that writes cannot change another's world.
    """
    built = run_temp / "demo-world"
    with (run_temp / "demo-world.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (built / "world.json").exists():
            _settings, passwords, texts = build_demo_world(built / "ws")
            saved = json.dumps({"passwords": passwords, "texts": texts}, ensure_ascii=False)
            (built / "world.json").write_text(saved, encoding="utf-8")
    shutil.copytree(built / "ws", target)
    saved = json.loads((built / "world.json").read_text(encoding="utf-8"))
    return Settings(home=target), saved["passwords"], saved["texts"]


def run_temp_folder(tmp_path_factory_base: Path) -> Path:
    """The temporary folder of the whole run: shared by the xdist workers, each of which has
    its own base folder inside it; without xdist, the process's own base folder."""
    return (
        tmp_path_factory_base.parent
        if os.environ.get("PYTEST_XDIST_WORKER")
        else tmp_path_factory_base
    )


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
