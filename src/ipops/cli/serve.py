"""`ipops serve`: run the API (and the web UI, when installed) with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from ipops.cli.context import err_console

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Serve the web UI (Chinese first; open http://HOST:PORT/ in a browser and log in) and
    the REST API under /api/v1 (OpenAPI at /openapi.json) for the workspace."""
    err_console.print("starting ipops: loading the web UI and the API ...", highlight=False)
    import uvicorn

    from ipops.api.app import create_app

    app = create_app()
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
    uvicorn.run(app, host=host, port=port, log_level="info")


def _prepare_serving_index() -> None:
    """Index the current corpus snapshot before the first request wants it."""
    from ipops.corpus.serving import build_serving_index
    from ipops.corpus.store import CorpusStore
    from ipops.workspace import open_workspace

    with err_console.status("indexing the corpus for look-ups"):
        build_serving_index(CorpusStore(open_workspace().corpus_dir))
