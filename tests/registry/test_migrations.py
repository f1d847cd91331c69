"""The registry schema: migrations up and down, and ingestion runs, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from ipops.corpus import runs
from ipops.registry.all_models import Base
from ipops.registry.db import downgrade, make_engine, session_scope, upgrade


def test_migrations_create_every_model_table(registry_url: str) -> None:
    engine = make_engine(registry_url)
    tables = set(sa.inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migrations_go_down_and_up_again(registry_url: str) -> None:
    downgrade(registry_url, "base")
    engine = make_engine(registry_url)
    assert "ingestion_runs" not in sa.inspect(engine).get_table_names()
    engine.dispose()
    upgrade(registry_url)
    engine = make_engine(registry_url)
    assert "ingestion_runs" in sa.inspect(engine).get_table_names()


def test_an_ingestion_run_is_recorded_and_finished(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        run = runs.start_run(
            db_session=session,
            kind="patents",
            source_format="uspto-xml",
            sources=[{"path": "/data/ipg050104.xml", "sha256": "ab" * 32, "bytes": 10}],
            load_key="k" * 64,
            options={"mapping": None},
        )
        run_id = run.id
    with session_scope(engine) as session:
        runs.finish_run(
            db_session=session,
            run_id=run_id,
            status="committed",
            batch_id="b1",
            records_read=25,
            records_rejected=1,
            row_counts={"patents": 24},
            rejects_path="/ws/rejects/run-1.csv",
        )
    with session_scope(engine) as session:
        (found,) = runs.list_runs(db_session=session)
        assert (found.status, found.records_read, found.row_counts) == (
            "committed",
            25,
            {"patents": 24},
        )
        assert found.sources[0]["sha256"] == "ab" * 32
        assert found.finished_at is not None


def test_a_failed_transaction_leaves_nothing(registry_url: str) -> None:
    engine = make_engine(registry_url)
    try:
        with session_scope(engine) as session:
            runs.start_run(
                db_session=session,
                kind="patents",
                source_format="x",
                sources=[],
                load_key="k",
                options={},
            )
            raise RuntimeError("the command failed after the flush")
    except RuntimeError:
        pass
    with session_scope(engine) as session:
        assert runs.list_runs(db_session=session) == []
