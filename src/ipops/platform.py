"""The Python API: ``ipops.open(home)`` gives a script the same use cases the CLI and the
REST API call.

>>> import ipops
>>> platform = ipops.open("./ipops-data")        # doctest: +SKIP
>>> platform.corpus.stats()                       # doctest: +SKIP

Each domain is a facade (``ipops.<domain>.facade``) whose methods open one transaction,
call one use case and return its frozen records. Changes made through the Python API are
audited as made by ``Actor.script()`` unless the script passes another actor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ipops.workspace import Workspace

if TYPE_CHECKING:  # the facades import their domains; loaded on first use only
    from ipops.corpus.facade import CorpusAPI
    from ipops.corpus.store import CorpusStore
    from ipops.finance.facade import FinanceAPI
    from ipops.geo.facade import GeoAPI
    from ipops.pool.facade import PoolAPI
    from ipops.report.facade import ReportsAPI
    from ipops.valuation.facade import ValueAPI


class Platform:
    """An opened workspace: its registry engine, its corpus store and the six domains."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    @cached_property
    def engine(self) -> Engine:
        from ipops.registry.db import open_registry

        return open_registry(self.workspace.database_url)

    @cached_property
    def store(self) -> CorpusStore:
        from ipops.corpus.store import CorpusStore

        return CorpusStore(self.workspace.corpus_dir)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One registry transaction: committed on success, rolled back on any error."""
        from ipops.registry.db import session_scope

        with session_scope(self.engine) as session:
            yield session

    @cached_property
    def corpus(self) -> CorpusAPI:
        from ipops.corpus.facade import CorpusAPI

        return CorpusAPI(self)

    @cached_property
    def value(self) -> ValueAPI:
        from ipops.valuation.facade import ValueAPI

        return ValueAPI(self)

    @cached_property
    def pool(self) -> PoolAPI:
        from ipops.pool.facade import PoolAPI

        return PoolAPI(self)

    @cached_property
    def finance(self) -> FinanceAPI:
        from ipops.finance.facade import FinanceAPI

        return FinanceAPI(self)

    @cached_property
    def geo(self) -> GeoAPI:
        from ipops.geo.facade import GeoAPI

        return GeoAPI(self)

    @cached_property
    def reports(self) -> ReportsAPI:
        from ipops.report.facade import ReportsAPI

        return ReportsAPI(self)


def open_platform(home: str | Path | None = None) -> Platform:
    """The workspace at ``home`` (default: ``IPOPS_HOME``, else ./ipops-data), opened."""
    from ipops.config import Settings
    from ipops.workspace import open_workspace

    settings = Settings() if home is None else Settings(home=Path(home))
    return Platform(open_workspace(settings))
