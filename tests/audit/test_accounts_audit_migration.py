"""Migration 0002 (accounts and audit): up, down to 0001, up again on SQLite and PostgreSQL;
the migrated schema is exactly what the models declare."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ipops.registry.all_models import Base
from ipops.registry.db import downgrade, make_engine, upgrade

TABLES = {"organisations", "users", "api_tokens", "login_attempts", "audit_records"}


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def schema_differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    return [d for d in diff if any(table in repr(d) for table in TABLES)]


def test_upgrade_downgrade_upgrade(registry_url: str) -> None:
    assert table_names(registry_url) >= TABLES
    downgrade(registry_url, "0001")
    assert not TABLES & table_names(registry_url)
    assert "ingestion_runs" in table_names(registry_url)
    upgrade(registry_url)
    assert table_names(registry_url) >= TABLES
    assert schema_differences(registry_url) == []


def test_triggers_come_back_after_a_round_trip(registry_url: str) -> None:
    downgrade(registry_url, "0001")
    upgrade(registry_url)
    engine = make_engine(registry_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO audit_records (at, actor, origin, action, object_type) "
                    "VALUES (CURRENT_TIMESTAMP, 'a', 'cli', 'x.y', 't')"
                )
            )
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("DELETE FROM audit_records"))
        except sa.exc.DatabaseError as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError("the delete trigger is missing")
    finally:
        engine.dispose()
