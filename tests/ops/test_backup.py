"""Backup and restore: round trips on SQLite and PostgreSQL, live loads, damaged archives.

The registry is populated through real service calls where they exist, and every table
still empty afterwards gets a few generic rows (so tables added later are covered too);
after a restore EVERY table of the metadata is compared row by row.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from ipops.config import Settings
from ipops.corpus.ingest import LoadJob, LoadTarget, SourceFile, load
from ipops.corpus.loaders import load_generated
from ipops.corpus.prepare import Prepared
from ipops.corpus.records import Reject
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore
from ipops.errors import Conflict, InputFormatError
from ipops.ops import backup as backup_module
from ipops.ops.archive import HEADER, extract_verified
from ipops.ops.backup import backup_workspace
from ipops.ops.restore import restore_workspace, workspace_contents
from ipops.ops.tables import dump_table, existing_columns, insert_rows, read_rows
from ipops.registry.all_models import Base
from ipops.registry.db import make_engine, session_scope, upgrade
from ipops.workspace import Workspace, create_workspace

PATENTS = 300
PASSWORD = "Backup-test-pass 2026"
NewDatabase = Callable[[str], str]


# -- databases and workspaces ------------------------------------------------------------


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[NewDatabase]:
    """Makes empty, never migrated databases: ``new_database("sqlite" | "postgresql")``."""
    schemas: list[str] = []
    base = os.environ.get("IPOPS_TEST_POSTGRES_URL")

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'db-{uuid.uuid4().hex[:8]}.sqlite'}"
        if not base:
            pytest.skip("PostgreSQL not configured: set IPOPS_TEST_POSTGRES_URL")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with sa.create_engine(base).begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        schemas.append(schema)
        separator = "&" if "?" in base else "?"
        return f"{base}{separator}options=-csearch_path%3D{schema}"

    yield make
    if schemas and base:
        admin = sa.create_engine(base)
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def kind_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def workspace_at(root: Path, url: str) -> Workspace:
    return create_workspace(Settings(home=root, database_url=url))


def load_target(ws: Workspace) -> LoadTarget:
    upgrade(ws.database_url)
    return LoadTarget(CorpusStore(ws.corpus_dir), make_engine(ws.database_url), ws.rejects_dir)


def small_load(target: LoadTarget, key: str, ids: list[str], *, reject: bool = False) -> None:
    rows = [
        {"patent_id": pid, "office": "US", "number": pid[2:], "doc_type": "grant",
         "title": f"Heat pump {pid}", "filing_date": date(2016, 5, 6), "generated": False}
        for pid in ids
    ]  # fmt: skip
    rejects = [Reject("bad.xml", "document 3", "title", "no title", "US1")] if reject else []
    job = LoadJob(
        "patents",
        "test",
        [SourceFile(Path(f"/src/{key}"), key, 1)],
        key,
        {},
        allow_generated=True,  # hand-made rows next to a generated corpus, on purpose
    )
    load(target, job, [Prepared({"patents": to_table("patents", rows)}, rejects, len(ids) + 1)])


def populate(ws: Workspace) -> None:
    """A couple of loads (one skipped, one with rejects), service calls, every table filled."""
    target = load_target(ws)
    assert load_generated(target, patents=PATENTS, seed=11).status == "committed"
    assert load_generated(target, patents=PATENTS, seed=11).status == "skipped"
    small_load(target, "extra", ["US9000001", "US9000002"], reject=True)
    with session_scope(target.engine) as session:
        service_activity(session)
    with target.engine.begin() as conn:
        fill_empty_tables(conn)
    target.engine.dispose()


def service_activity(session: sa.orm.Session) -> None:
    """Real accounts and audit activity, when those services exist."""
    try:
        from ipops.accounts import logins, organisations, tokens, users
        from ipops.audit.service import Actor
    except ImportError:
        return
    actor = Actor.cli()
    org = organisations.create_organisation(
        db_session=session, name="格力专利池 Pool", kind="pool", actor=actor
    )
    user = users.create_user(
        db_session=session,
        username="analyst1",
        password=PASSWORD,
        role="analyst",
        actor=actor,
        organisation_id=org.id,
    )
    tokens.issue_token(db_session=session, user=user, name="backup test", actor=actor)
    logins.authenticate(
        db_session=session, username="analyst1", password=PASSWORD, source="127.0.0.1"
    )


def fill_empty_tables(conn: sa.Connection) -> None:
    for table in Base.metadata.sorted_tables:
        if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0:
            rows = [generic_row(conn, table, i) for i in range(3)]
            conn.execute(sa.insert(table), rows)


def generic_row(conn: sa.Connection, table: sa.Table, i: int) -> dict[str, Any]:
    row = {}
    for column in table.columns:
        if column.primary_key and column.autoincrement in (True, "auto") and _is(column, int):
            continue
        row[column.name] = generic_value(conn, column, i)
    return row


def _is(column: sa.Column[Any], kind: type) -> bool:
    try:
        return column.type.python_type is kind
    except NotImplementedError:
        return False


_SAMPLES: dict[type, Callable[[sa.Column[Any], int], Any]] = {
    bool: lambda c, i: i % 2 == 0,
    int: lambda c, i: 1000 + i,
    float: lambda c, i: 0.25 + i,
    Decimal: lambda c, i: Decimal("1234.56") + i,
    str: lambda c, i: f"{c.name}-{i}-专利-{uuid.uuid4().hex}"[: getattr(c.type, "length", 0) or 80],
    date: lambda c, i: date(2025, 3, 4) + timedelta(days=i),
    time: lambda c, i: time(12, 30, i),
    bytes: lambda c, i: bytes([i, 0, 255, 10]),
    uuid.UUID: lambda c, i: uuid.uuid4(),
    timedelta: lambda c, i: timedelta(days=i, seconds=7, microseconds=9),
    dict: lambda c, i: {"i": i, "text": "专利", "list": [1, 2.5, None, True]},
    list: lambda c, i: [i, "专利"],
}


def generic_value(conn: sa.Connection, column: sa.Column[Any], i: int) -> Any:
    if column.foreign_keys:
        parent = next(iter(column.foreign_keys)).column
        values = conn.execute(sa.select(parent).order_by(parent)).scalars().all()
        return values[i % len(values)] if values else None
    if isinstance(column.type, sa.Enum):
        return list(column.type.enums)[i % len(column.type.enums)]
    if isinstance(column.type, sa.DateTime):
        moment = datetime(2025, 3, 4, 5, 6, 7, 123456) + timedelta(days=i)
        return moment.replace(tzinfo=UTC) if column.type.timezone else moment
    for kind, sample in _SAMPLES.items():
        if _is(column, kind):
            return sample(column, i)
    if isinstance(column.type, sa.JSON):
        return _SAMPLES[dict](column, i)
    return None


# -- comparing ---------------------------------------------------------------------------


def _normal(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def registry_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every table of the metadata, every row, in primary-key order, comparable across DBs."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = {
            table.name: [
                {k: _normal(v) for k, v in row.items()}
                for row in conn.execute(
                    sa.select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            for table in Base.metadata.sorted_tables
        }
        rows["alembic_version"] = [
            dict(r) for r in conn.execute(sa.text("SELECT * FROM alembic_version")).mappings()
        ]
    engine.dispose()
    return rows


def folder_digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def corpus_counts(ws: Workspace) -> dict[str, int]:
    with CorpusStore(ws.corpus_dir).connect() as con:
        tables = ("patents", "parties", "inventors", "citations", "events")
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}


def workspace_state(ws: Workspace) -> dict[str, Any]:
    return {
        "registry": registry_rows(ws.database_url),
        "corpus": folder_digests(ws.corpus_dir),
        "rejects": folder_digests(ws.rejects_dir),
    }


def assert_same_workspace(source: Workspace, restored: Workspace) -> None:
    expected, found = workspace_state(source), workspace_state(restored)
    for table, rows in expected["registry"].items():
        assert rows, f"the test left table {table} empty: populate it"
        assert found["registry"][table] == rows, f"table {table} differs after the restore"
    assert found["corpus"] == expected["corpus"]
    assert found["rejects"] == expected["rejects"] and expected["rejects"]
    assert corpus_counts(restored) == corpus_counts(source)


def assert_still_usable(ws: Workspace) -> None:
    """Sequences continue after the restored ids; audit records stay append-only; loads work."""
    engine = make_engine(ws.database_url)
    runs = Base.metadata.tables["ingestion_runs"]
    with engine.begin() as conn:
        highest = conn.execute(sa.select(sa.func.max(runs.c.id))).scalar_one()
    target = LoadTarget(CorpusStore(ws.corpus_dir), engine, ws.rejects_dir)
    before = corpus_counts(ws)["patents"]
    small_load(target, "after-restore", ["US9100001"])
    with engine.begin() as conn:
        assert conn.execute(sa.select(sa.func.max(runs.c.id))).scalar_one() == highest + 1
    assert corpus_counts(ws)["patents"] == before + 1
    if "audit_records" in Base.metadata.tables:
        audit = Base.metadata.tables["audit_records"]
        with pytest.raises(sa.exc.DatabaseError), engine.begin() as conn:
            conn.execute(sa.update(audit).values(actor="tamperer"))
    engine.dispose()


# -- round trips -------------------------------------------------------------------------


def test_round_trip_restores_every_table_and_the_corpus(
    registry_url: str, tmp_path: Path, new_database: NewDatabase
) -> None:
    source = workspace_at(tmp_path / "source", registry_url)
    populate(source)
    archive = tmp_path / "backup.tar.gz"

    report = backup_workspace(source, archive)

    assert set(report.tables) == set(Base.metadata.tables)
    assert all(report.tables.values()) and report.corpus_batches == 2
    restored = workspace_at(tmp_path / "restored", new_database(kind_of(registry_url)))
    result = restore_workspace(restored, archive)
    assert result.tables == report.tables and not result.replaced
    assert_same_workspace(source, restored)
    assert_still_usable(restored)


def test_sqlite_to_postgresql_and_back(tmp_path: Path, new_database: NewDatabase) -> None:
    source = workspace_at(tmp_path / "sqlite", new_database("sqlite"))
    populate(source)
    backup_workspace(source, tmp_path / "from-sqlite.tar.gz")
    on_postgres = workspace_at(tmp_path / "postgres", new_database("postgresql"))

    restore_workspace(on_postgres, tmp_path / "from-sqlite.tar.gz")
    backup_workspace(on_postgres, tmp_path / "from-postgres.tar.gz")
    back = workspace_at(tmp_path / "back", new_database("sqlite"))
    restore_workspace(back, tmp_path / "from-postgres.tar.gz")

    assert_same_workspace(source, on_postgres)
    assert_same_workspace(source, back)
    assert_still_usable(on_postgres)


def test_portable_values_of_every_column_type(registry_url: str, new_database: NewDatabase) -> None:
    metadata = sa.MetaData()
    probe = sa.Table(
        "backup_type_probe",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("amount", sa.Numeric(18, 4)),
        sa.Column("ratio", sa.Float),
        sa.Column("flag", sa.Boolean),
        sa.Column("at", sa.DateTime(timezone=True)),
        sa.Column("naive", sa.DateTime),
        sa.Column("day", sa.Date),
        sa.Column("clock", sa.Time),
        sa.Column("blob", sa.LargeBinary),
        sa.Column("ref", sa.Uuid),
        sa.Column("span", sa.Interval),
        sa.Column("doc", sa.JSON),
        sa.Column("maybe", sa.JSON),
        sa.Column("state", sa.Enum("open", "closed", name="probe_state")),
        sa.Column("text", sa.Text),
    )
    values = {
        "id": 7,
        "amount": Decimal("1234.5678"),  # SQLite NUMERIC keeps ~15 digits
        "ratio": 0.1,
        "flag": False,
        "at": datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        "naive": datetime(2026, 1, 2, 3, 4, 5),
        "day": date(1999, 12, 31),
        "clock": time(23, 59, 58, 1),
        "blob": b"\x00\xffbinary\n",
        "ref": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "span": timedelta(days=3, seconds=4, microseconds=5),
        "doc": {"键": [1, 2.5, None, {"nested": True}]},
        "maybe": None,  # the JSON document null
        "state": "closed",
        "text": "格力电器 'quoted' \"double\" \\ back",
    }
    source = sa.create_engine(registry_url)
    with source.begin() as conn:
        metadata.create_all(conn)
        conn.execute(sa.insert(probe), [values, dict.fromkeys(values) | {"id": 8}])
        conn.execute(sa.insert(probe).values(id=9))  # SQL NULL everywhere
        out = io.StringIO()
        dump = dump_table(conn, probe, existing_columns(conn, probe) or [], out)
    for kind in ("sqlite", "postgresql"):
        if kind == "postgresql" and not os.environ.get("IPOPS_TEST_POSTGRES_URL"):
            continue
        target = sa.create_engine(new_database(kind))
        with target.begin() as conn:
            metadata.create_all(conn)
            insert_rows(conn, probe, dump, read_rows(out.getvalue().splitlines(), dump))
            found = conn.execute(sa.select(probe).order_by(probe.c.id)).mappings().all()
            null_docs = sa.select(probe.c.id).where(probe.c.maybe.is_(None))
            assert conn.execute(null_docs).scalars().all() == [9], kind
        assert {k: _normal(v) for k, v in found[0].items()} == {
            k: _normal(v) for k, v in values.items()
        }, kind
        assert found[0]["naive"].tzinfo is None
        assert set(dict(found[1]).values()) == {8, None}
        target.dispose()
    source.dispose()


# -- live loads --------------------------------------------------------------------------


def test_backup_while_a_load_runs_is_consistent(registry_url: str, tmp_path: Path) -> None:
    source = workspace_at(tmp_path / "source", registry_url)
    target = load_target(source)
    load_generated(target, patents=PATENTS, seed=1)
    loads_done = threading.Event()
    errors: list[BaseException] = []

    def keep_loading() -> None:
        try:
            for seed in range(2, 8):
                load_generated(target, patents=1000, seed=seed)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            loads_done.set()

    loader = threading.Thread(target=keep_loading)
    loader.start()
    archives: list[Path] = []
    while not loads_done.is_set() or len(archives) < 2:
        archives.append(tmp_path / f"live-{len(archives)}.tar.gz")
        backup_workspace(source, archives[-1])
    loader.join()
    assert not errors
    batches = [
        assert_archive_consistent(a, tmp_path / f"check-{n}") for n, a in enumerate(archives)
    ]
    assert len(set(batches)) > 1, "no backup overlapped a load"
    target.engine.dispose()


def assert_archive_consistent(archive: Path, folder: Path) -> int:
    """Every batch the manifest lists is complete; every committed run's batch is there."""
    extracted = extract_verified(archive, folder)
    store = CorpusStore(folder / "corpus")
    manifest = store.manifest()
    batch_ids = {b.id for b in manifest.batches}
    assert batch_ids == set(extracted.header["corpus"]["batches"])
    lines = (folder / "registry" / "ingestion_runs.jsonl").read_text().splitlines()
    runs = [json.loads(line) for line in lines]
    committed = {r["batch_id"] for r in runs if r["status"] == "committed"}
    if not any(b.kind == "compacted" for b in manifest.batches):  # compaction forgets them
        assert committed <= batch_ids
    expected = sum(b.row_counts.get("patents", 0) for b in manifest.batches)
    with store.connect() as con:
        rows = con.execute("SELECT count(*) FROM _patents_all").fetchall()[0][0]
    assert rows == expected
    return len(batch_ids)


def test_a_compaction_during_the_backup_reads_the_new_manifest(
    tmp_path: Path, new_database: NewDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = workspace_at(tmp_path / "source", new_database("sqlite"))
    target = load_target(source)
    small_load(target, "one", ["US9500001"])
    small_load(target, "two", ["US9500002"])
    link_batch = backup_module._link_batch
    compacted: list[str] = []

    def compact_midway(store: CorpusStore, *args: Any) -> Any:
        if not compacted:
            compacted.append(compact(store))
        return link_batch(store, *args)

    monkeypatch.setattr(backup_module, "_link_batch", compact_midway)
    report = backup_workspace(source, tmp_path / "backup.tar.gz")

    assert report.corpus_batches == 1
    assert assert_archive_consistent(tmp_path / "backup.tar.gz", tmp_path / "check") == 1
    assert not list((source.corpus_dir / ".staging").iterdir())


def compact(store: CorpusStore) -> str:
    """What a compaction does: one new batch replaces all, and the old ones are deleted."""
    with store.lock(), store.connect() as con:
        patents = con.sql("SELECT * FROM patents").to_arrow_table()
        writer = store.begin_batch()
        writer.write("patents", patents)
        writer.close()
        return store.replace_all(writer, load_key="compacted").id


# -- refusing --------------------------------------------------------------------------


def _damage_truncate(archive: Path, _folder: Path) -> None:
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])


def _damage_flip(archive: Path, _folder: Path) -> None:
    data = bytearray(archive.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 64):
        data[offset] ^= 0x5A
    archive.write_bytes(bytes(data))


def _repack(archive: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    members = []
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member)
            assert handle is not None
            data = change(member.name, handle.read())
            if data is not None:
                members.append((member.name, data))
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _damage_garbage(archive: Path, _folder: Path) -> None:
    archive.write_bytes(os.urandom(5000))


def _damage_member(archive: Path, _folder: Path) -> None:
    def change(name: str, data: bytes) -> bytes:
        return data + b"\n{}" if name.startswith("registry/ingestion_runs") else data

    _repack(archive, change)


def _damage_drop_member(archive: Path, _folder: Path) -> None:
    _repack(archive, lambda name, data: None if name.endswith(".parquet") else data)


def _damage_drop_header(archive: Path, _folder: Path) -> None:
    _repack(archive, lambda name, data: None if name == HEADER else data)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_damage_truncate, "corrupt or truncated"),
        (_damage_flip, "corrupt or truncated"),
        (_damage_member, "fail the checksum"),
        (_damage_drop_member, "missing"),
        (_damage_drop_header, "no backup.json"),
        (_damage_garbage, "corrupt or truncated"),
    ],
)
def test_a_damaged_archive_changes_nothing(
    tmp_path: Path,
    new_database: NewDatabase,
    damage: Callable[[Path, Path], None],
    message: str,
) -> None:
    source = workspace_at(tmp_path / "source", new_database("sqlite"))
    populate(source)
    archive = tmp_path / "backup.tar.gz"
    backup_workspace(source, archive)
    damage(archive, tmp_path)
    existing = workspace_at(tmp_path / "existing", new_database("sqlite"))
    small_load(load_target(existing), "existing", ["US9200001"], reject=True)
    before = workspace_state(existing)

    with pytest.raises(InputFormatError, match=message):
        restore_workspace(existing, archive, force=True)

    assert workspace_state(existing) == before
    assert sorted(p.name for p in existing.root.iterdir() if p.name.startswith(".")) == []


def _traversal(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("corpus/../../escaped.txt")
    info.size = 4
    tar.addfile(info, io.BytesIO(b"evil"))


def _absolute(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("/tmp/ipops-absolute-escape.txt")
    info.size = 4
    tar.addfile(info, io.BytesIO(b"evil"))


def _symlink(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("corpus/batches")
    info.type = tarfile.SYMTYPE
    info.linkname = "../../"
    tar.addfile(info)


def _hardlink(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("corpus/manifest.json")
    info.type = tarfile.LNKTYPE
    info.linkname = "/etc/passwd"
    tar.addfile(info)


@pytest.mark.parametrize("evil", [_traversal, _absolute, _symlink, _hardlink])
def test_an_archive_with_unsafe_paths_is_refused(
    tmp_path: Path, new_database: NewDatabase, evil: Callable[[tarfile.TarFile], None]
) -> None:
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("registry/users.jsonl")
        tar.addfile(info, io.BytesIO(b""))
        evil(tar)
    workspace = workspace_at(tmp_path / "home" / "ws", new_database("sqlite"))

    with pytest.raises(InputFormatError, match=r"unsafe path|not a plain file"):
        restore_workspace(workspace, archive)

    assert not (tmp_path / "home" / "escaped.txt").exists()
    assert not Path("/tmp/ipops-absolute-escape.txt").exists()
    assert not any(p.name.startswith(".restore") for p in workspace.root.iterdir())


def test_restore_into_a_non_empty_workspace_needs_force(
    registry_url: str, tmp_path: Path, new_database: NewDatabase
) -> None:
    source = workspace_at(tmp_path / "source", new_database("sqlite"))
    populate(source)
    archive = tmp_path / "backup.tar.gz"
    backup_workspace(source, archive)
    existing = workspace_at(tmp_path / "existing", registry_url)
    small_load(load_target(existing), "existing", ["US9300001"])
    before = workspace_state(existing)

    with pytest.raises(Conflict, match=r"not empty.*--force"):
        restore_workspace(existing, archive)
    assert workspace_state(existing) == before

    report = restore_workspace(existing, archive, force=True)
    assert report.replaced
    assert_same_workspace(source, existing)
    assert_still_usable(existing)


def _rewrite_member(archive: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Change one member and its checksum in backup.json: a valid archive of other data."""
    changed: dict[str, bytes] = {}

    def rewrite(name: str, data: bytes) -> bytes:
        if name == member:
            changed[name] = change(data)
            return changed[name]
        if name == HEADER:
            header = json.loads(data)
            header["members"][member] = {
                "sha256": hashlib.sha256(changed[member]).hexdigest(),
                "bytes": len(changed[member]),
            }
            return json.dumps(header).encode()
        return data

    _repack(archive, rewrite)


def test_a_restore_that_fails_midway_leaves_the_registry_as_it_was(
    registry_url: str, tmp_path: Path, new_database: NewDatabase
) -> None:
    source = workspace_at(tmp_path / "source", new_database("sqlite"))
    populate(source)
    archive = tmp_path / "backup.tar.gz"
    backup_workspace(source, archive)
    last = "audit_records" if "audit_records" in Base.metadata.tables else "ingestion_runs"
    _rewrite_member(archive, f"registry/{last}.jsonl", lambda data: data + data)  # same ids
    existing = workspace_at(tmp_path / "existing", registry_url)
    populate(existing)
    before = workspace_state(existing)

    with pytest.raises(InputFormatError, match=f"rows of table {last} do not fit"):
        restore_workspace(existing, archive, force=True)

    assert workspace_state(existing) == before
    assert_still_usable(existing)


# -- the command line --------------------------------------------------------------------


def test_cli_backup_and_restore(tmp_path: Path) -> None:
    from ipops.cli.app import app

    runner = CliRunner()
    source = workspace_at(tmp_path / "source", f"sqlite:///{tmp_path / 'source.sqlite'}")
    small_load(load_target(source), "cli", ["US9400001", "US9400002"])
    archive = tmp_path / "cli.tar.gz"
    env = {"IPOPS_HOME": str(source.root), "IPOPS_DATABASE_URL": source.database_url}

    made = runner.invoke(app, ["backup", str(archive), "--json"], env=env)
    assert made.exit_code == 0, made.output
    assert '"corpus_batches": 1' in made.stdout

    env = {"IPOPS_HOME": str(tmp_path / "restored"), "IPOPS_DATABASE_URL": ""}
    restored = runner.invoke(app, ["restore", str(archive)], env=env)
    assert restored.exit_code == 0, restored.output
    again = runner.invoke(app, ["restore", str(archive)], env=env)
    assert isinstance(again.exception, Conflict)
    forced = runner.invoke(app, ["restore", str(archive), "--force", "--json"], env=env)
    assert forced.exit_code == 0, forced.output
    assert '"replaced_existing": true' in forced.stdout
    restored_ws = workspace_at(
        tmp_path / "restored", f"sqlite:///{tmp_path / 'restored' / 'registry.sqlite'}"
    )
    assert workspace_contents(restored_ws, make_engine(restored_ws.database_url)) == {
        "registry_tables_with_rows": 2,  # the ingestion run and its audit record
        "corpus_batches": 1,
    }
