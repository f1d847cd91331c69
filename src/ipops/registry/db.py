"""Engine, sessions and migrations of the registry (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ipops.errors import RegistryUnavailable
from ipops.registry.concurrency import as_conflict

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True, pool_pre_ping=True)
    event.listen(engine, "handle_error", as_conflict)  # lost races → Conflict (409)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def alembic_config(url: str) -> Config:
    # Alembic is imported when the registry is opened, not when ipops starts (CLI start-up)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the registry schema to ``revision`` (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def open_registry(url: str) -> Engine:
    """An engine on the registry at ``url``, its schema migrated only when it is behind the
    newest revision (an up-to-date registry is opened without running Alembic at all).

    A location that cannot be used (a missing or read-only folder, a file in the way, a
    database server that does not answer) is one ``RegistryUnavailable`` naming it.
    """
    from alembic.runtime.migration import MigrationContext

    _check_sqlite_location(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        if current != head_revision():
            upgrade(url)
    except (OperationalError, DBAPIError, OSError) as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        where = make_url(url).render_as_string(hide_password=True)
        raise RegistryUnavailable(f"cannot use the registry at {where}: {reason}") from None
    return engine


_heads: dict[str, str | None] = {}


def head_revision() -> str | None:
    """The newest migration of this version of ipops."""
    if "head" not in _heads:
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config("sqlite://"))
        _heads["head"] = script.get_current_head()
    return _heads["head"]


def _check_sqlite_location(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    if parsed.database == ":memory:":
        return
    path = Path(parsed.database)
    folder = path.parent
    if not folder.is_dir():
        raise RegistryUnavailable(
            f"cannot use the registry at {path}: the folder {folder} does not exist "
            "(run `ipops init`, or set IPOPS_HOME / IPOPS_DATABASE_URL)"
        )
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise RegistryUnavailable(
            f"cannot use the registry at {path}: the location is read-only "
            "(ipops writes its registry there; make it writable or set IPOPS_DATABASE_URL)"
        )
    if path.exists() and not path.is_file():
        raise RegistryUnavailable(f"cannot use the registry at {path}: it is not a file")


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error. Services only flush."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
