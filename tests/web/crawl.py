"""Every page a signed-in user can reach from the home page, by following links (GET only)."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from urllib.parse import parse_qsl, urldefrag, urlsplit

from fastapi.testclient import TestClient

_HREF = re.compile(r'href="([^"#]*)"')
_SKIP = re.compile(
    r"^/(static/|logout|lang/|api/|reports/files/|reports/report\.css)|\.(csv|svg|json|pdf|xlsx)$"
)
PER_PATTERN = 2


def pattern(path: str) -> str:
    """The route shape of a URL: ids and numbers replaced, query keys kept (values dropped)."""
    parts = urlsplit(path)
    shape = re.sub(r"/[A-Z]{2}[0-9A-Z]+(?=/|$)", "/{patent}", parts.path)
    shape = re.sub(r"/\d+(?=/|$)", "/{id}", shape)
    keys = sorted({k for k, _v in parse_qsl(parts.query) if k != "page"})
    paged = any(k == "page" for k, _v in parse_qsl(parts.query))
    return shape + ("?" + "&".join(keys) if keys else "") + (" paged" if paged else "")


def crawl(client: TestClient, start: str = "/", limit: int = 200) -> Iterator[tuple[str, int, str]]:
    """(url, status, html) of each page reached from ``start``, a few per route shape."""
    seen: set[str] = set()
    per: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow_redirects=True)
        html = response.text if "html" in response.headers.get("content-type", "") else ""
        yield url, response.status_code, html
        for href in _HREF.findall(html):
            target = urldefrag(href.replace("&amp;", "&"))[0]
            path = urlsplit(target).path
            if not target.startswith("/") or target.startswith("//") or _SKIP.search(path):
                continue
            shape = pattern(target)
            if target in seen or per.get(shape, 0) >= PER_PATTERN:
                continue
            per[shape] = per.get(shape, 0) + 1
            queue.append(target)
