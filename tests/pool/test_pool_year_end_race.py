"""Parallel year-end settlements at a live API (uvicorn, one connection per request, released
together, as in tests/concurrency): one settles, the others get 409 and nothing is doubled;
on SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "concurrency"))

from apihelpers import LiveApi, error_of, running_api, workspace_settings
from argon2 import PasswordHasher
from poolbuild import ACTOR, build_pool, licence
from racing import fire, split
from sqlalchemy import func, select

from ipops.accounts import passwords
from ipops.accounts.roles import Role
from ipops.pool import royalty_reports
from ipops.pool.models import Invoice, Report, YearSettlement
from ipops.registry.db import session_scope

ROUNDS = 3


@pytest.fixture
def api(tmp_path: Path, registry_url: str) -> Iterator[LiveApi]:
    settings = workspace_settings(tmp_path / "workspace", registry_url, None)
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    try:
        with running_api(settings) as live:
            yield live
    finally:
        passwords.use_hasher(previous)


@pytest.mark.slow
def test_parallel_settlements_of_one_year(api: LiveApi) -> None:
    admin = api.add_user("admin", Role.PLATFORM_ADMIN)
    with session_scope(api.engine) as session:
        pool = build_pool(session)
        pool_id = pool.id
        for round_ in range(ROUNDS):
            licence(session, pool, f"Race {round_}", annual_minimum="1000.00")
            royalty_reports.submit_report(  # 100 x 3.00 = 300.00
                db_session=session,
                actor=ACTOR,
                pool=pool,
                licensee_name=f"Race {round_}",
                period="2025-03",
                rows=[{"category": "split-ac", "made_in": "TH", "sold_in": "US", "units": 100}],
            )
    path = f"/api/v1/pool/pools/{pool_id}/year-settlements"
    for round_ in range(ROUNDS):
        body = {"year": 2025, "licensee": f"Race {round_}", "settled_on": "2026-01-20"}
        accepted, refused = split(fire(api, admin, path, [body] * 4))
        assert len(accepted) == 1, [r.text for r in refused]
        assert accepted[0].json()["licences"][0]["top_up"] == "700.00"
        for response in refused:
            assert "settled already" in error_of(response)["message"]
    with session_scope(api.engine) as session:
        assert session.scalar(select(func.count()).select_from(YearSettlement)) == ROUNDS
        top_ups = session.scalars(
            select(Invoice)
            .join(Report, Report.id == Invoice.report_id)
            .where(Report.kind == "year_end")
        ).all()
        assert sorted(i.amount_fen for i in top_ups) == [70_000] * ROUNDS
        assert len({i.number for i in top_ups}) == ROUNDS
