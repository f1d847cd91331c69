"""The audit trail: recorded, listed, and append-only both in the ORM and in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from ipops.audit import service
from ipops.audit.models import AppendOnlyViolation, AuditRecord
from ipops.audit.service import Actor
from ipops.paging import Page, SortKey
from ipops.registry.db import make_engine, session_scope


@pytest.fixture
def engine(registry_url: str) -> Iterator[Engine]:
    engine = make_engine(registry_url)
    yield engine
    engine.dispose()


def write(engine: Engine, count: int = 3) -> list[int]:
    with session_scope(engine) as session:
        ids = []
        for n in range(count):
            entry = service.record(
                db_session=session,
                actor=f"user{n % 2}",
                origin="api 127.0.0.1",
                action="loan.booked" if n % 2 else "user.created",
                object_type="loan" if n % 2 else "user",
                object_id=n,
                before={"n": n - 1} if n else None,
                after={"n": n, "amount": Decimal("1234.50"), "on": date(2019, 9, 30)},
            )
            ids.append(entry.id)
        return ids


def test_record_and_list(engine: Engine) -> None:
    write(engine, 5)
    with session_scope(engine) as session:
        newest_first, total = service.list_records(db_session=session)
        assert total == 5
        assert [r.object_id for r in newest_first] == ["4", "3", "2", "1", "0"]
        assert newest_first[0].after == {"n": 4, "amount": "1234.50", "on": "2019-09-30"}
        loans, total = service.list_records(db_session=session, object_type="loan")
        assert ({r.object_id for r in loans}, total) == ({"1", "3"}, 2)
        one, _ = service.list_records(db_session=session, object_type="user", object_id="2")
        assert [r.action for r in one] == ["user.created"]
        by_actor, total = service.list_records(
            db_session=session, actor="user0", page=Page(1, 2, (SortKey("id"),))
        )
        assert ([r.object_id for r in by_actor], total) == (["0", "2"], 3)


def test_cli_and_system_actors() -> None:
    assert Actor.cli().name.startswith("cli:")
    assert Actor.cli().origin == "cli"
    assert Actor.of("li", channel="web", address="10.1.2.3") == Actor("li", "web 10.1.2.3")
    assert Actor.system() == Actor("system", "system")


def test_ingestion_helper(engine: Engine) -> None:
    with session_scope(engine) as session:
        entry = service.record_ingestion(
            db_session=session, actor=Actor.cli(), run_id=7, summary={"status": "committed"}
        )
        assert (entry.action, entry.object_type, entry.object_id) == (
            "corpus.ingested",
            "ingestion_run",
            "7",
        )


def test_the_orm_refuses_to_change_a_record(engine: Engine) -> None:
    record_id = write(engine, 1)[0]
    with pytest.raises(AppendOnlyViolation), session_scope(engine) as session:
        entry = session.get(AuditRecord, record_id)
        assert entry is not None
        entry.actor = "someone else"
        session.flush()
    with pytest.raises(AppendOnlyViolation), session_scope(engine) as session:
        session.delete(session.get(AuditRecord, record_id))
        session.flush()
    assert_untouched(engine, record_id)


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditRecord).values(actor="x"),
        update(AuditRecord).where(AuditRecord.id > 0).values(after=None),
        delete(AuditRecord),
        delete(AuditRecord).where(AuditRecord.actor == "user0"),
    ],
    ids=["update-all", "update-where", "delete-all", "delete-where"],
)
def test_orm_bulk_statements_are_refused(engine: Engine, statement: sa.Executable) -> None:
    record_id = write(engine, 1)[0]
    with pytest.raises(AppendOnlyViolation), session_scope(engine) as session:
        session.execute(statement)
    assert_untouched(engine, record_id)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_records SET actor = 'mallory'",
        "UPDATE audit_records SET after = NULL WHERE id > 0",
        "DELETE FROM audit_records",
        "DELETE FROM audit_records WHERE actor = 'user0'",
    ],
)
def test_the_database_refuses_raw_sql_changes(engine: Engine, sql: str) -> None:
    record_id = write(engine, 1)[0]
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text(sql))
    assert_untouched(engine, record_id)


def test_postgresql_refuses_truncate(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has no TRUNCATE)")
    record_id = write(engine, 1)[0]
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE audit_records"))
    assert_untouched(engine, record_id)


def test_appending_still_works_after_a_refusal(engine: Engine) -> None:
    write(engine, 1)
    with pytest.raises(sa.exc.DatabaseError), engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_records"))
    write(engine, 2)
    with session_scope(engine) as session:
        assert session.scalar(select(sa.func.count()).select_from(AuditRecord)) == 3


def assert_untouched(engine: Engine, record_id: int) -> None:
    with Session(engine) as session:
        entry = session.get(AuditRecord, record_id)
        assert entry is not None
        assert entry.actor == "user0"
        assert entry.after == {"n": 0, "amount": "1234.50", "on": "2019-09-30"}
