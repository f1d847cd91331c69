"""HTTP edge of patent pools (``/pool``), one router per sub-domain.

The pool list and each pool's patent list are public (no login): members, patents,
countries and expiry. Everything else follows ``ipops.accounts.authz``: the administrator
manages; an expert sees and answers its own assignments; a member company sees its own
statements; a licensee files its own royalty reports. Money in bodies is text ("12.50"):
a JSON float is refused.
"""

from __future__ import annotations

from fastapi import APIRouter

from ipops.pool.api import admission, cases, licensing, pools, public, royalties

router = APIRouter(prefix="/pool", tags=["pool"])
for _module in (public, admission, royalties, cases, pools, licensing):
    router.include_router(_module.router)
