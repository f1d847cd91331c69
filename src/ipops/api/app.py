"""The FastAPI application: ``create_app(settings)`` composes everything; nothing runs at import.

``create_app`` opens the workspace, brings the registry schema up to date, and mounts the
web UI (``ipops.web.mount``). This factory sits above the domains (it imports their routers);
the shared API helpers (``api.errors``, ``api.deps``, ``api.pagination``, ``api.schemas``)
sit below them and never import it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from ipops import __version__
from ipops.accounts.tokens import watch_revocations
from ipops.accounts.views import auth_router, organisations_router, users_router
from ipops.api.corpus_access import CorpusConnections
from ipops.api.deps import ApiState, request_sessions
from ipops.api.errors import ERROR_RESPONSES, BodySizeLimit, install_error_handlers
from ipops.audit.views import router as audit_router
from ipops.config import Settings, load_settings
from ipops.corpus.store import CorpusStore
from ipops.corpus.views import router as corpus_router
from ipops.finance.api import router as finance_router
from ipops.geo.views import router as geo_router
from ipops.pool.api import router as pool_router
from ipops.registry.db import open_registry
from ipops.report.views import router as report_router
from ipops.valuation.views import router as value_router
from ipops.web import mount as mount_web
from ipops.workspace import open_workspace

API_PREFIX = "/api/v1"

health_router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str


@health_router.get("/health")
def health() -> Health:
    """Liveness check; needs no authentication."""
    return Health(status="ok", version=__version__)


def api_routers() -> tuple[APIRouter, ...]:
    """Every domain's API router; each is included in the app under ``API_PREFIX``."""
    return (
        health_router,
        auth_router,
        users_router,
        organisations_router,
        audit_router,
        corpus_router,
        value_router,
        finance_router,
        pool_router,
        geo_router,
        report_router,
    )


def include_api(app: FastAPI) -> None:
    # Each domain router is included in the app itself, not in one API router first:
    # FastAPI matches nested routers level by level, matching each twice, and one level
    # less cut the time a request spent finding its route several times over.
    for router in api_routers():
        app.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)


def create_app(settings: Settings | None = None, *, web: bool = True) -> FastAPI:
    """The ipops application for the workspace of ``settings`` (default: the environment).

    ``web=False`` leaves out the web UI (the API alone, e.g. for API tests).
    """
    settings = settings or load_settings()
    state = _open_state(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.corpus.close()
        state.engine.dispose()

    app = FastAPI(
        title="ipops",
        version=__version__,
        summary="IP operations: patent data, pools, IP-pledge finance, innovation analytics.",
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        lifespan=lifespan,
    )
    app.state.ipops = state
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit)
    include_api(app)
    if web:
        mount_web(app, settings)
    return app


def _open_state(settings: Settings) -> ApiState:
    workspace = open_workspace(settings)
    engine = open_registry(workspace.database_url)
    watch_revocations(workspace.revocation_stamp)
    return ApiState(
        settings=settings,
        workspace=workspace,
        engine=engine,
        sessions=request_sessions(engine),
        corpus=CorpusConnections(CorpusStore(workspace.corpus_dir)),
    )
