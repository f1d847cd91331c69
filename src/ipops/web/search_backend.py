"""Placeholder until ipops.corpus.search exists."""

from __future__ import annotations

from typing import Any

import duckdb

from ipops.web.forms import SearchForm


def run_search(con: duckdb.DuckDBPyConnection, form: SearchForm) -> tuple[list[dict[str, Any]], int]:
    raise NotImplementedError
