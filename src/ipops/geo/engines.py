"""The two engines that run the geography SQL: DuckDB (default) and Apache Spark.

Both engines see the same named relations and run the same SQL text
(``ipops.geo.aggregate``), written in the dialect they share: ``year()``, ``CASE``,
``count(DISTINCT ...)``, joins and ``GROUP BY`` on plain columns. Each engine only has to
``register`` small Arrow tables (place → cluster) and return results as Arrow.

The Spark engine reads the corpus's Parquet files itself (the manifest's batches, with the
same "latest batch wins" rule as the DuckDB views) and the publications' Parquet file.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import duckdb
import pyarrow as pa

from ipops.corpus.schema import SCHEMAS
from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ENGINES = ("duckdb", "spark")
SPARK_LOCAL = "local[2]"


class QueryEngine(Protocol):
    name: str

    def arrow(self, sql: str) -> pa.Table: ...

    def register(self, name: str, table: pa.Table) -> None: ...

    def has_relation(self, name: str) -> bool: ...


def checked_identifier(name: str, *, field: str) -> str:
    """A table or view name safe to paste into SQL (letters, digits, underscore)."""
    if not _IDENTIFIER.match(name):
        raise ValidationError(
            f"not a table or view name: {name!r} (letters, digits and _ only)", field=field
        )
    return name


class DuckDBEngine:
    """Runs the geography SQL on a DuckDB connection that has the corpus views."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._registered: dict[str, pa.Table] = {}

    def arrow(self, sql: str) -> pa.Table:
        result: pa.Table = self.con.sql(sql).to_arrow_table()
        return result

    def register(self, name: str, table: pa.Table) -> None:
        self._registered[name] = table  # keep the Arrow data alive as long as the view
        self.con.register(name, table)

    def has_relation(self, name: str) -> bool:
        rows = self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? "
            "UNION ALL SELECT count(*) FROM duckdb_views() WHERE view_name = ?",
            [name, name],
        ).fetchall()
        return sum(int(r[0]) for r in rows) > 0 or name in self._registered


class SparkEngine:
    """Runs the geography SQL with Spark SQL over temporary views of the same Parquet."""

    name = "spark"

    def __init__(self, session: Any) -> None:
        self.spark = session

    def arrow(self, sql: str) -> pa.Table:
        result: pa.Table = self.spark.sql(sql).toArrow()
        return result

    def register(self, name: str, table: pa.Table) -> None:
        frame = self.spark.createDataFrame(table.to_pylist(), schema=_spark_schema(table.schema))
        frame.createOrReplaceTempView(name)

    def has_relation(self, name: str) -> bool:
        return bool(self.spark.catalog.tableExists(name))

    def register_corpus(self, store: CorpusStore) -> None:
        """Temporary views ``patents``, ``inventors``, ``parties``, ``classifications``."""
        manifest = store.manifest()
        tables = ("patents", "inventors", "parties", "classifications")
        for table in tables:
            files = store.table_files(table, manifest)
            if files:
                self._union_with_seq(table, files)
            else:
                self._empty(table)
        patent_batches = {seq for _, seq in store.table_files("patents", manifest)}
        self.spark.sql(
            "CREATE OR REPLACE TEMPORARY VIEW _patent_winner AS "
            "SELECT patent_id, max(_seq) AS _seq FROM _patents_all GROUP BY patent_id"
        )
        for table in tables:
            if len(patent_batches) > 1:
                body = (
                    f"SELECT t.* FROM _{table}_all t LEFT SEMI JOIN _patent_winner w "
                    "ON t.patent_id = w.patent_id AND t._seq = w._seq"
                )
            else:
                body = f"SELECT * FROM _{table}_all"
            self.spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {table} AS {body}")

    def register_parquet(self, name: str, path: Path) -> None:
        self.spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def _union_with_seq(self, table: str, files: list[tuple[Path, int]]) -> None:
        from pyspark.sql import functions as F  # noqa: N812

        frame = None
        for path, seq in files:
            part = self.spark.read.parquet(str(path)).withColumn("_seq", F.lit(seq))
            frame = part if frame is None else frame.unionByName(part)
        assert frame is not None
        frame.createOrReplaceTempView(f"_{table}_all")

    def _empty(self, table: str) -> None:
        schema = SCHEMAS[table].append(pa.field("_seq", pa.int64()))
        self.spark.createDataFrame([], schema=_spark_schema(schema)).createOrReplaceTempView(
            f"_{table}_all"
        )


def _spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql import types as T  # noqa: N812

    mapping: dict[str, Any] = {
        "string": T.StringType(),
        "large_string": T.StringType(),
        "double": T.DoubleType(),
        "float": T.DoubleType(),
        "int64": T.LongType(),
        "int32": T.IntegerType(),
        "int16": T.ShortType(),
        "bool": T.BooleanType(),
        "date32[day]": T.DateType(),
    }
    return T.StructType(
        [T.StructField(f.name, mapping[str(f.type)], nullable=True) for f in schema]
    )


def check_master_reachable(master: str, *, timeout: float = 3.0) -> None:
    """A ``spark://host:port`` master must answer on its port before Spark is started."""
    if master.startswith("local"):
        return
    parsed = urlparse(master)
    if parsed.scheme not in {"spark", "yarn", "k8s", "mesos"} and master != "yarn":
        raise ValidationError(
            f"not a Spark master URL: {master!r} (local[N], spark://host:port, yarn, k8s://...)",
            field="spark-master",
        )
    if parsed.scheme != "spark":
        return
    host, port = parsed.hostname, parsed.port or 7077
    if not host:
        raise ValidationError(f"no host in Spark master URL {master!r}", field="spark-master")
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        raise ValidationError(
            f"cannot reach Spark master {master}: {exc.strerror or exc}", field="spark-master"
        ) from None


@contextmanager
def spark_session(master: str = SPARK_LOCAL, *, app_name: str = "ipops-geo") -> Iterator[Any]:
    """A Spark session on ``master``; an unreachable master is a clear error, not a hang."""
    check_master_reachable(master)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ValidationError(
            "PySpark is not installed: pip install 'ipops[spark]'", field="engine"
        ) from None
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
