"""`ipops pool ...`: patent pools — members, admission, licensing, royalties, allocation.

Each module registers its commands on ``app`` when imported; they are imported here in the
order ``ipops pool --help`` lists them."""

from __future__ import annotations

# isort: off
from ipops.cli.pool.common import app
from ipops.cli.pool import pools
from ipops.cli.pool import admission
from ipops.cli.pool import licensing
from ipops.cli.pool import allocation
from ipops.cli.pool import cases
from ipops.cli.pool import year_end

# isort: on

__all__ = ["admission", "allocation", "app", "cases", "licensing", "pools", "year_end"]
