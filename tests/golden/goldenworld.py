"""The golden demo world and what it answers: CLI ``--json`` outputs and API responses.

The world is the demo's own builders (generated corpus, demo users, the demo pool and the
宁创贷 programme) on a small corpus, built the same way every time. ``answers`` runs a fixed
list of read-only CLI commands and API requests over it and returns their JSON, with what
legitimately differs between two builds (timestamps, the workspace's temporary path, token
secrets) replaced by placeholders. The recorded answers live in ``expected/`` and were
written before the architecture redesign of issue 14, so that the redesign is shown to keep
behaviour: ``IPOPS_GOLDEN_WRITE=1 pytest tests/golden`` rewrites them (only when a change
of behaviour is intended, and then reviewed as a diff).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ipops.accounts.demo import demo_organisation_id, ensure_demo_users
from ipops.accounts.roles import OrgKind
from ipops.api.app import create_app
from ipops.cli.app import app as cli_app
from ipops.config import Settings
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.corpus.store import CorpusStore
from ipops.finance.demo import seed_demo_finance
from ipops.pool.demo import seed_demo_pool
from ipops.registry.db import make_engine, session_scope, upgrade
from ipops.workspace import create_workspace

PATENTS = 600
ENTERPRISES = 40
AS_OF = "2024-06-30"
SALE_DATE = "2024-03-15"

_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")
_QUERIES = {  # GETs that need parameters, or whose default is today
    "public": f"?on={AS_OF}",
    "claims": "?start=2024-01-01&end=2024-09-30",
    "stats": "?start=2024-01-01&end=2024-09-30",
    "workdays": "?start=2024-09-27&end=2024-10-08",
}
_VOLATILE_KEYS = frozenset(
    {"token", "snapshot_id", "corpus_snapshot", "duration_seconds", "elapsed_seconds", "seconds"}
)
# what the golden run itself changes: its own token and the audit trail of issuing it
_OWN_TRACES = ("/api/v1/audit", "/api/v1/auth/tokens")
# ranked from the newest valuation run, whichever date it was made for: the CLI commands
# above record them with a fixed --as-of instead
_RUN_DEPENDENT = ("/api/v1/value/top", "/api/v1/value/high-value")


def build_world(root: Path) -> tuple[Settings, dict[str, str]]:
    """A demo workspace under ``root``; returns its settings and the demo passwords."""
    settings = Settings(home=root)
    workspace = create_workspace(settings)
    upgrade(workspace.database_url)
    engine = make_engine(workspace.database_url)
    store = CorpusStore(workspace.corpus_dir)
    load_generated(LoadTarget(store, engine, workspace.rejects_dir), patents=PATENTS, seed=1)
    with session_scope(engine) as session:
        passwords = dict(ensure_demo_users(session))
        owner = demo_organisation_id(session, OrgKind.POOL)
        seed_demo_pool(session, store, seed=1, owner=owner)
    with session_scope(engine) as session:
        seed_demo_finance(session, store, workspace.root, seed=1, enterprises=ENTERPRISES)
    engine.dispose()
    return settings, passwords


def normalise(value: Any, root: str) -> Any:
    """``value`` with build-dependent parts replaced: timestamps, the home path, secrets."""
    if isinstance(value, dict):
        return {
            key: "<volatile>" if _volatile(key) else normalise(item, root)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [normalise(item, root) for item in value]
    if isinstance(value, str):
        if _TIMESTAMP.match(value):
            return "<timestamp>"
        if value == date.today().isoformat():
            return "<today>"
        return value.replace(root, "<home>")
    return value


def _volatile(key: str) -> bool:
    """Timings, and paths that hold the corpus snapshot id, differ between two builds."""
    return key in _VOLATILE_KEYS or key.endswith(("_seconds", "_path"))


def cli_answers(settings: Settings) -> dict[str, Any]:
    """The JSON of read-only CLI commands, by command line."""
    runner = CliRunner()
    env = {"IPOPS_HOME": str(settings.home), "COLUMNS": "200"}
    pool = "中国空调领域专利池（演示）"
    period = ["--start", "2024-01-01", "--end", "2024-09-30"]
    commands: list[list[str]] = [
        ["corpus", "stats", "--json"],
        ["value", "top", "--n", "15", "--as-of", AS_OF, "--json"],
        ["value", "high-value", "--as-of", AS_OF, "--json"],
        ["value", "show", "__first_patent__", "--as-of", AS_OF, "--json"],
        ["pool", "list", "--json"],
        ["pool", "show", pool, "--date", AS_OF, "--json"],
        ["pool", "stats", pool, "--date", AS_OF, "--json"],
        ["pool", "invoices", pool, "--date", AS_OF, "--json"],
        [
            "pool",
            "allocate",
            "--pool",
            pool,
            "--amount",
            "100000.00",
            "--country",
            "US",
            "--made-in",
            "CN",
            "--date",
            SALE_DATE,
            "--json",
        ],
        ["finance", "stats", *period, "--json"],
        ["finance", "claims", *period, "--json"],
        ["finance", "arrears", "--as-of", AS_OF, "--json"],
        ["finance", "loan", "list", "--json"],
        ["finance", "loan", "show", "1", "--json"],
        ["finance", "enterprise", "list", "--json"],
        ["finance", "rating", "1", "--json"],
        ["finance", "bank", "products", "--json"],
        [
            "finance",
            "compensation",
            "--principal",
            "1000000",
            "--repaid",
            "200000",
            "--days-overdue",
            "75",
            "--bank-weak-share",
            "0.2",
            "--rate",
            "0.05",
            "--loan-date",
            "2023-03-01",
            "--term-months",
            "12",
            "--json",
        ],
        ["geo", "hotspots", "--json"],
        ["geo", "collaboration", "--json"],
    ]
    first_patent = _first_patent(settings)
    commands = [[first_patent if a == "__first_patent__" else a for a in c] for c in commands]
    found: dict[str, Any] = {}
    for args in commands:
        result = runner.invoke(cli_app, args, env=env)
        key = "ipops " + " ".join(args)
        if result.exit_code != 0:
            found[key] = {"exit_code": result.exit_code, "output": result.output[-400:]}
            continue
        found[key] = normalise(json.loads(result.stdout), str(settings.home))
    return found


def _first_patent(settings: Settings) -> str:
    with CorpusStore(settings.home / "corpus").connect() as con:
        row = con.execute("SELECT patent_id FROM patents ORDER BY patent_id LIMIT 1").fetchone()
    assert row is not None
    return str(row[0])


def api_answers(settings: Settings, passwords: dict[str, str]) -> dict[str, Any]:
    """The JSON of every GET the API offers over this world (path ids filled from it), and
    of its pure calculators, by method and path."""
    app = create_app(settings, web=False)
    found: dict[str, Any] = {}
    with TestClient(app) as client:
        grant = client.post(
            "/api/v1/auth/token",
            json={"username": "admin.demo", "password": passwords["admin.demo"], "name": "g"},
        )
        headers = {"Authorization": f"Bearer {grant.json()['token']}"}
        ids = _ids(client, headers, _first_patent(settings))
        paths = sorted(app.openapi()["paths"].items())
        for path, operations in paths:
            if (
                "get" not in operations
                or "{job_id}" in path
                or path in _OWN_TRACES + _RUN_DEPENDENT
            ):
                continue
            filled = _fill(path, ids)
            if filled is None:
                continue
            filled += _QUERIES.get(path.rsplit("/", 1)[-1], "")
            _record(found, "GET " + filled, lambda p=filled: client.get(p, headers=headers))
        pool_id = ids["pool_id"]
        posts: list[tuple[str, dict[str, Any]]] = [
            (
                f"/api/v1/pool/pools/{pool_id}/what-if",
                {"amount": "100000.00", "country": "US", "made_in": "CN", "sale_date": SALE_DATE},
            ),
            (
                "/api/v1/finance/compensation",
                {
                    "principal": "1000000",
                    "repaid": "200000",
                    "days_overdue": 75,
                    "bank_weak_share": "0.2",
                    "rate": "0.05",
                    "loan_date": "2023-03-01",
                    "term_months": 12,
                },
            ),
            (
                "/api/v1/value/money",
                {
                    "numbers": [ids["number"]],
                    "revenue": ["1000000", "1100000", "1200000"],
                    "royalty_rate": "0.05",
                    "tax_rate": "0.25",
                    "discount_rate": "0.1",
                    "as_of": AS_OF,
                },
            ),
        ]
        for path, body in posts:
            _record(
                found,
                "POST " + path,
                lambda p=path, b=body: client.post(p, json=b, headers=headers),
            )
    return {key: normalise(value, str(settings.home)) for key, value in found.items()}


def _record(found: dict[str, Any], key: str, call: Callable[[], Any]) -> None:
    response = call()
    try:
        body = response.json()
    except ValueError:
        body = response.text[:400]
    found[key] = {"status": response.status_code, "body": body}


def _ids(client: TestClient, headers: dict[str, str], number: str) -> dict[str, str]:
    """Ids of the world's first pool, member, licensee, enterprise, loan, patent…"""

    def first(path: str, key: str = "id") -> str:
        response = client.get(path, headers=headers)
        body = response.json() if response.status_code == 200 else []
        items = body.get("items", []) if isinstance(body, dict) else body
        return str(items[0][key]) if isinstance(items, list) and items else "1"

    pool_id = first("/api/v1/pool/pools")
    return {
        "pool_id": pool_id,
        "member_id": first(f"/api/v1/pool/pools/{pool_id}/members"),
        "licensee_id": first(f"/api/v1/pool/pools/{pool_id}/licensees"),
        "case_id": "1",
        "enterprise_id": first("/api/v1/finance/enterprises"),
        "loan_id": first("/api/v1/finance/loans"),
        "user_id": "1",
        "organisation_id": "1",
        "number": number,
    }


def _fill(path: str, ids: dict[str, str]) -> str | None:
    """``path`` with its ``{name}`` parts from ``ids``; None when one is unknown."""
    names = re.findall(r"\{(\w+)\}", path)
    if any(name not in ids for name in names):
        return None
    for name in names:
        path = path.replace("{" + name + "}", ids[name])
    return path
