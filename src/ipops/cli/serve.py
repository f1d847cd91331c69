"""`ipops serve`: run the API (and the web UI, when installed) with uvicorn."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import uvicorn

from ipops.api.app import create_app
from ipops.cli.context import err_console
from ipops.config import Settings, load_settings
from ipops.corpus.serving import build_serving_index
from ipops.corpus.store import CorpusStore
from ipops.workspace import open_workspace

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Serve the web UI (Chinese first; open http://HOST:PORT/ in a browser and log in) and
    the REST API under /api/v1 (OpenAPI at /openapi.json) for the workspace."""
    err_console.print("starting ipops: loading the web UI and the API ...", highlight=False)
    settings = load_settings()
    app = create_app(settings)
    err_console.print("checking the registry and indexing the corpus ...", highlight=False)
    _prepare_serving_index()
    shown = f"[{host}]" if ":" in host else host
    err_console.print(
        f"web UI: http://{shown}:{port}/   API: http://{shown}:{port}/api/v1   (Ctrl+C stops)",
        highlight=False,
    )
    if host not in LOOPBACK:
        err_console.print(
            f"[yellow]listening on {host} without TLS: put a TLS proxy in front of it[/]"
        )
    uvicorn.run(app, host=host, port=port, log_level="info", **proxy_options(settings))


def proxy_options(settings: Settings) -> dict[str, Any]:
    """Uvicorn's proxy options: ``X-Forwarded-For`` is believed only from the addresses in
    ``IPOPS_TRUSTED_PROXIES``. Empty (the default) turns the header off altogether, so a
    client cannot pick the address the login limit counts it under (uvicorn alone would
    believe any local sender)."""
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    if not proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": proxies}


def _prepare_serving_index() -> None:
    """Index the current corpus snapshot before the first request wants it."""
    with err_console.status("indexing the corpus for look-ups"):
        build_serving_index(CorpusStore(open_workspace().corpus_dir))
