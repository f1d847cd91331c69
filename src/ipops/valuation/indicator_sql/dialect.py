"""The engine-specific pieces of the indicator SQL (DuckDB here; the Spark path swaps
these few expressions): hashing and date arithmetic."""

from __future__ import annotations

from datetime import date


def sql_key(column: str, salt: str) -> str:
    """A 64-bit key of a patent id (DuckDB ``hash``; Spark: ``xxhash64``)."""
    return f"hash({column} || '{salt}')" if salt else f"hash({column})"


def sql_add_years(day: str, years: str) -> str:
    return f"CAST({day} + to_years(CAST({years} AS INTEGER)) AS DATE)"


def sql_days(start: str, end: str) -> str:
    return f"date_diff('day', {start}, {end})"


def sql_date(value: date) -> str:
    return f"DATE '{value.isoformat()}'"
