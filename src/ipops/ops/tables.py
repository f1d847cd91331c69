"""Registry tables in a portable form: one JSON-lines file per table, typed by column codec.

Rows are read and written at the storage level (type decorators and enums unwrapped), so a
dump of SQLite loads into PostgreSQL and back. Every value is encoded by its column's codec:

========== ============================================== ==============================
codec      column types                                    JSON form
========== ============================================== ==============================
int, str,  Integer, String/Text, Boolean                   as is
bool
float      Float, Numeric(asdecimal=False)                 number
decimal    Numeric                                         "12.30" (exact text)
datetime   DateTime                                        ISO 8601 without offset
datetime_tz DateTime(timezone=True)                        ISO 8601 in UTC ("+00:00")
date, time Date, Time                                      ISO 8601
bytes      LargeBinary, BINARY, VARBINARY                  base64 text
uuid       Uuid                                            canonical text
interval   Interval                                        [days, seconds, microseconds]
json       JSON                                            the JSON value
array      ARRAY                                           a JSON list
raw        anything else                                   as is (must be JSON already)
========== ============================================== ==============================

SQLite keeps no offset for ``DateTime(timezone=True)``; ipops stores UTC there, so a naive
value of such a column is read as UTC. A JSON column distinguishes SQL NULL from the JSON
document ``null``: SQL NULL is written by leaving the column out of the row's object.
"""

from __future__ import annotations

import base64
import copy
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.types import TypeEngine

from ipops.errors import InputFormatError, ValidationError

Row = dict[str, Any]
INSERT_CHUNK = 1000
FETCH_CHUNK = 2000


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    codec: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "codec": self.codec}


@dataclass(frozen=True)
class TableDump:
    """What a dump file holds: its table, columns (in order) and row count."""

    name: str
    columns: tuple[ColumnSpec, ...]
    rows: int

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "columns": [c.as_dict() for c in self.columns]}

    @classmethod
    def from_dict(cls, name: str, payload: Mapping[str, Any]) -> TableDump:
        columns = tuple(ColumnSpec(c["name"], c["codec"]) for c in payload["columns"])
        return cls(name, columns, int(payload["rows"]))


# -- types and codecs --------------------------------------------------------------------


def read_type(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type to select a column as: what the database stores, decorators unwrapped."""
    if isinstance(type_, sa.Interval):
        return type_
    if isinstance(type_, sa.TypeDecorator):
        return read_type(type_.impl_instance)
    if isinstance(type_, sa.Enum):
        return sa.String(type_.length)
    return type_


def write_type(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type to insert a stored value with (enums keep their database type)."""
    if isinstance(type_, sa.Interval):
        return type_
    if isinstance(type_, sa.TypeDecorator):
        return write_type(type_.impl_instance)
    if isinstance(type_, sa.JSON):
        exact = copy.copy(type_)
        exact.none_as_null = True  # None is SQL NULL; JSON.NULL the document null
        return exact
    return type_


_CODEC_BY_TYPE: tuple[
    tuple[type[TypeEngine[Any]] | tuple[type[TypeEngine[Any]], ...], str], ...
] = (
    (sa.Interval, "interval"),
    (sa.JSON, "json"),
    (sa.ARRAY, "array"),
    (sa.Date, "date"),
    (sa.Time, "time"),
    (sa.Float, "float"),
    (sa.Boolean, "bool"),
    (sa.Integer, "int"),
    ((sa.LargeBinary, sa.BINARY, sa.VARBINARY), "bytes"),
    (sa.Uuid, "uuid"),
    (sa.String, "str"),
)


def codec_for(type_: TypeEngine[Any]) -> str:
    """The codec of a column of (storage) type ``type_``; see the module docstring."""
    if isinstance(type_, sa.DateTime):
        return "datetime_tz" if type_.timezone else "datetime"
    if isinstance(type_, sa.Numeric) and not isinstance(type_, sa.Float):
        return "decimal" if type_.asdecimal else "float"
    for types, codec in _CODEC_BY_TYPE:
        if isinstance(type_, types):
            return codec
    return "raw"


def _encode_datetime_tz(value: datetime) -> str:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC).isoformat()
    return value.astimezone(UTC).isoformat()


def _encode_interval(value: timedelta) -> list[int]:
    return [value.days, value.seconds, value.microseconds]


def _encode_raw(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValidationError(
        f"a value of type {type(value).__name__} has no portable form; "
        "give its column a standard SQLAlchemy type",
        field="column",
    )


_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "int": int,
    "str": str,
    "bool": bool,
    "float": float,
    "decimal": str,
    "datetime": lambda v: v.isoformat(),
    "datetime_tz": _encode_datetime_tz,
    "date": lambda v: v.isoformat(),
    "time": lambda v: v.isoformat(),
    "bytes": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "uuid": str,
    "interval": _encode_interval,
    "json": lambda v: v,
    "array": list,
    "raw": _encode_raw,
}

_DECODERS: dict[str, Callable[[Any], Any]] = {
    "int": int,
    "str": str,
    "bool": bool,
    "float": float,
    "decimal": Decimal,
    "datetime": datetime.fromisoformat,
    "datetime_tz": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "bytes": base64.b64decode,
    "uuid": uuid.UUID,
    "interval": lambda v: timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
    "json": lambda v: v,
    "array": list,
    "raw": lambda v: v,
}


def encode(value: Any, codec: str) -> Any:
    return None if value is None else _ENCODERS[codec](value)


def decode(value: Any, codec: str) -> Any:
    return None if value is None else _DECODERS[codec](value)


# -- dumping -----------------------------------------------------------------------------


def existing_columns(conn: Connection, table: sa.Table) -> list[sa.Column[Any]] | None:
    """The columns of ``table`` that the database has, or None when it lacks the table."""
    inspector = sa.inspect(conn)
    if not inspector.has_table(table.name, schema=table.schema):
        return None
    present = {c["name"] for c in inspector.get_columns(table.name, schema=table.schema)}
    return [c for c in table.columns if c.name in present]


def dump_table(
    conn: Connection, table: sa.Table, columns: list[sa.Column[Any]], out: IO[str]
) -> TableDump:
    """Write every row of ``table`` (ordered by primary key) as JSON lines to ``out``."""
    specs = tuple(ColumnSpec(c.name, codec_for(read_type(c.type))) for c in columns)
    selected: list[sa.ColumnElement[Any]] = [
        sa.type_coerce(c, read_type(c.type)).label(f"c{i}") for i, c in enumerate(columns)
    ]
    selected += [
        sa.case((c.is_(None), True), else_=False).label(f"n{i}")
        for i, (c, spec) in enumerate(zip(columns, specs, strict=True))
        if spec.codec == "json"
    ]
    query = sa.select(*selected).select_from(table).order_by(*table.primary_key.columns)
    options: dict[str, Any] = {"yield_per": FETCH_CHUNK}
    if conn.dialect.name == "postgresql":
        options["stream_results"] = True
    rows = 0
    for row in conn.execution_options(**options).execute(query).mappings():
        out.write(json.dumps(_encode_row(row, specs), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        rows += 1
    return TableDump(table.name, specs, rows)


def _encode_row(row: sa.RowMapping, specs: tuple[ColumnSpec, ...]) -> Row:
    encoded = {}
    for i, spec in enumerate(specs):
        if spec.codec == "json" and row[f"n{i}"]:
            continue  # SQL NULL: left out (``null`` is the JSON document null)
        encoded[spec.name] = encode(row[f"c{i}"], spec.codec)
    return encoded


def table_has_rows(conn: Connection, table: sa.Table) -> bool:
    query = sa.select(sa.literal(1)).select_from(table).limit(1)
    return conn.execute(query).first() is not None


# -- loading -----------------------------------------------------------------------------


def read_rows(lines: Iterable[str], dump: TableDump) -> Iterator[Row]:
    """Decode the JSON lines of ``dump`` back to storage values."""
    codecs = {c.name: c.codec for c in dump.columns}
    for number, line in enumerate(lines, start=1):
        try:
            encoded = json.loads(line)
            yield {name: _decode_field(encoded, name, codec) for name, codec in codecs.items()}
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise InputFormatError(
                f"registry/{dump.name}.jsonl line {number}: {exc}", field="archive"
            ) from exc


def _decode_field(encoded: Mapping[str, Any], name: str, codec: str) -> Any:
    if codec == "json" and name in encoded and encoded[name] is None:
        return sa.JSON.NULL
    return decode(encoded.get(name), codec)


def insert_rows(conn: Connection, table: sa.Table, dump: TableDump, rows: Iterable[Row]) -> int:
    """Insert decoded rows into ``table`` at the storage level, in chunks; returns the count."""
    by_name = {c.name: c for c in table.columns}
    unknown = [c.name for c in dump.columns if c.name not in by_name]
    if unknown:
        raise ValidationError(
            f"the archive has columns {', '.join(unknown)} in table {table.name} that this "
            "version of ipops does not know",
            field="archive",
        )
    target = sa.table(
        table.name,
        *(sa.column(c.name, write_type(by_name[c.name].type)) for c in dump.columns),
        schema=table.schema,
    )
    count = 0
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= INSERT_CHUNK:
            count += _insert_chunk(conn, target, chunk)
            chunk = []
    if chunk:
        count += _insert_chunk(conn, target, chunk)
    return count


def _insert_chunk(conn: Connection, target: sa.TableClause, chunk: list[Row]) -> int:
    conn.execute(sa.insert(target), chunk)
    return len(chunk)


def reset_sequences(conn: Connection, tables: Iterable[sa.Table]) -> None:
    """PostgreSQL: move each serial/identity sequence past the highest restored value."""
    if conn.dialect.name != "postgresql":
        return
    preparer = conn.dialect.identifier_preparer
    for table in tables:
        qualified = preparer.format_table(table)
        for column in table.columns:
            if not isinstance(read_type(column.type), sa.Integer):
                continue
            sequence = conn.execute(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": qualified, "column": column.name},
            ).scalar()
            if sequence:
                name = preparer.quote(column.name)
                conn.execute(
                    sa.text(
                        f"SELECT setval(:sequence, coalesce(max({name}), 1), "
                        f"max({name}) IS NOT NULL) FROM {qualified}"
                    ),
                    {"sequence": sequence},
                )
