"""Alembic environment: runs the registry migrations against the configured URL."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Engine, engine_from_config, event, pool

from ipops.registry.all_models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        connectable = engine_from_config(
            config.get_section(config.config_ini_section) or {},
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        if connectable.dialect.name == "sqlite":
            _transactional_sqlite(connectable)
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _transactional_sqlite(engine: Engine) -> None:
    """All migrations in one SQLite transaction: Python's sqlite3 otherwise commits each DDL
    statement by itself (one disk sync each, seconds for a fresh registry), and a failed
    migration would leave the schema half changed. SQLAlchemy's recipe for pysqlite."""

    @event.listens_for(engine, "connect")
    def _no_implicit_commits(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
