"""HTTP edge of IP pledge finance (``/api/v1/finance``).

Authorization per object (``accounts.authz``): an enterprise user sees and applies for its
own enterprise only; a bank officer sees and decides only the loans routed to the bank; the
platform administrator sees everything. Objects out of scope are reported as not found.
Money and rates are decimal strings both ways; a JSON float is refused.
"""

from fastapi import APIRouter

from ipops.finance.api import enterprises, loans, programme

router = APIRouter(prefix="/finance", tags=["finance"])
router.include_router(enterprises.router)
router.include_router(loans.router)
router.include_router(programme.router)

__all__ = ["router"]
