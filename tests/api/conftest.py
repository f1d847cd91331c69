"""Fixtures of the API tests: a generated corpus shared by the session; a live API per test
(``api``: fresh registry) or per module (``shared_api``: for tests that only read or make
uniquely named things), each on SQLite and on PostgreSQL when configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from apihelpers import LiveApi, generate_corpus, running_api, workspace_settings
from argon2 import PasswordHasher

from ipops.accounts import passwords
from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.registry.db import upgrade


@pytest.fixture(scope="module", autouse=True)
def light_argon2() -> Iterator[None]:
    """Cheaper argon2id parameters for the API tests, which hash hundreds of passwords; the
    production parameters are tested in tests/accounts."""
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    yield
    passwords.use_hasher(previous)


@pytest.fixture(scope="session")
def shared_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """500 generated patents (seed 1), loaded once; tests only read it."""
    return generate_corpus(tmp_path_factory.mktemp("api-corpus"))


@pytest.fixture
def api(tmp_path: Path, registry_url: str, shared_corpus: Path) -> Iterator[LiveApi]:
    settings = workspace_settings(tmp_path / "workspace", registry_url, shared_corpus)
    with running_api(settings) as live:
        yield live


@pytest.fixture
def admin(api: LiveApi) -> User:
    return api.add_user("admin", Role.PLATFORM_ADMIN)


@pytest.fixture
def analyst(api: LiveApi) -> User:
    return api.add_user("analyst", Role.ANALYST)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_registry_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like ``registry_url``, once per test module."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('registry') / 'registry.sqlite'}"
        upgrade(url)
        yield url
        return
    base = os.environ.get("IPOPS_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("IPOPS_REQUIRE_POSTGRES"):
            pytest.fail("IPOPS_REQUIRE_POSTGRES is set but IPOPS_TEST_POSTGRES_URL is not")
        pytest.skip("PostgreSQL not configured: set IPOPS_TEST_POSTGRES_URL to run this variant")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin_engine = sa.create_engine(base)
    with admin_engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin_engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin_engine.dispose()


@pytest.fixture(scope="module")
def shared_api(
    tmp_path_factory: pytest.TempPathFactory, module_registry_url: str, shared_corpus: Path
) -> Iterator[LiveApi]:
    root = tmp_path_factory.mktemp("shared-api") / "workspace"
    with running_api(workspace_settings(root, module_registry_url, shared_corpus)) as live:
        yield live


@pytest.fixture(scope="module")
def role_users(shared_api: LiveApi) -> dict[Role, User]:
    """One user per role on ``shared_api``, named after the role."""
    return {role: shared_api.add_user(f"{role.value}.user", role) for role in Role}
