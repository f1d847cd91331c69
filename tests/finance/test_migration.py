"""Migration 0005 creates exactly the finance tables of the models, and goes down again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from ipops.registry.all_models import Base
from ipops.registry.db import downgrade, upgrade


def test_migration_matches_the_models(registry_url: str) -> None:
    engine = create_engine(registry_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finance = [d for d in diff if "fin_" in repr(d)]
    assert finance == []
    downgrade(registry_url, "0004")
    assert not [
        t for t in inspect(create_engine(registry_url)).get_table_names() if t.startswith("fin_")
    ]
    upgrade(registry_url)
    engine.dispose()
