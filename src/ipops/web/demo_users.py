"""Moved to :mod:`ipops.accounts.demo` (demo organisations belong below every domain).

Kept only while tests owned by other branches (tests/finance/financebuilders.py,
tests/geo/test_geo_edges.py, tests/pool/test_pool_cli_api.py) still import this name;
remove it once they import ``ipops.accounts.demo``.
"""

from ipops.accounts.demo import (
    DEMO_ORGANISATIONS,
    DEMO_USERS,
    DemoUser,
    demo_organisation_id,
    ensure_demo_users,
)

__all__ = [
    "DEMO_ORGANISATIONS",
    "DEMO_USERS",
    "DemoUser",
    "demo_organisation_id",
    "ensure_demo_users",
]
