"""Parallel requests at a live API: one thread and one connection each, released together."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from apihelpers import LiveApi, client_for

from ipops.accounts.models import User


def fire(api: LiveApi, user: User, path: str, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    """POST each body from its own thread and connection, all released at once."""
    headers = api.headers(user)
    barrier = threading.Barrier(len(bodies))
    responses: list[httpx.Response | None] = [None] * len(bodies)

    def post(index: int) -> None:
        with client_for(api.base_url) as client:
            barrier.wait(timeout=30)
            responses[index] = client.post(path, headers=headers, json=bodies[index])

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(r is not None for r in responses), "a request did not finish"
    return [r for r in responses if r is not None]


def split(responses: list[httpx.Response]) -> tuple[list[httpx.Response], list[httpx.Response]]:
    """Accepted (2xx) and refused responses; every refusal must be a 409."""
    accepted = [r for r in responses if r.is_success]
    refused = [r for r in responses if not r.is_success]
    assert all(r.status_code == 409 for r in refused), [(r.status_code, r.text) for r in refused]
    return accepted, refused
