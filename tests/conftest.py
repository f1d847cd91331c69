"""Shared fixtures: the real data folder (skips when absent) and registry databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED_DATA = Path(
    os.environ.get("IPOPS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with the reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"real data not available: {path} is absent (set IPOPS_SHARED_DATA to the "
            "shared/data folder to run this test)"
        )
    return path


@pytest.fixture
def shared_data() -> Path:
    return shared_path()


def _postgres_base_url() -> str | None:
    url = os.environ.get("IPOPS_TEST_POSTGRES_URL")
    if not url and os.environ.get("IPOPS_REQUIRE_POSTGRES"):
        pytest.fail("IPOPS_REQUIRE_POSTGRES is set but IPOPS_TEST_POSTGRES_URL is not")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def registry_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty registry database: SQLite file, and PostgreSQL (own schema) in CI."""
    from ipops.registry.db import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
        upgrade(url)
        yield url
        return
    base = _postgres_base_url()
    if not base:
        pytest.skip("PostgreSQL not configured: set IPOPS_TEST_POSTGRES_URL to run this variant")
    yield from _postgres_schema_url(base)


def _postgres_schema_url(base: str) -> Iterator[str]:
    import sqlalchemy as sa

    from ipops.registry.db import upgrade

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
