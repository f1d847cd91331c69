"""The page routers, one per domain; ``ipops.web.mount`` includes each of them.

A new domain's pages: write ``routes/<domain>.py`` with an ``APIRouter`` named ``router``,
add it to ``DOMAIN_ROUTERS`` and its menu rows to ``ipops.web.nav.NAV_ITEMS``.
"""

from __future__ import annotations

from fastapi import APIRouter

from ipops.web.routes import (
    audit,
    auth,
    corpus,
    finance,
    fonts,
    geo,
    home,
    pool,
    report,
    users,
    value,
)

DOMAIN_ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    fonts.router,
    home.router,
    corpus.router,
    value.router,
    pool.router,
    finance.router,
    report.router,
    geo.router,
    audit.router,
    users.router,
)
