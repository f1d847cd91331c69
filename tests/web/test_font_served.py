"""The pages name the font ipops ships, and the server sends it: Chinese renders on a machine
with no system CJK font (the browser test checks the browser loads it)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ipops.fonts import FAMILY, FONT_FILE, font_path
from ipops.web.security import PAGE_HEADERS

FONT_URL = f"/fonts/{FONT_FILE}"


def test_login_page_links_the_font_face_stylesheet(client: TestClient) -> None:
    page = client.get("/login").text
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert stylesheets[0].startswith("/static/fonts.css")
    css = client.get(stylesheets[0]).text
    assert "@font-face" in css
    assert f'font-family: "{FAMILY}"' in css
    assert f'url("{FONT_URL}")' in css
    assert "font-display: swap" in css
    # CJK text only: ideographs and full-width punctuation in range, Latin letters not
    ranges = re.search(r"unicode-range:([^;]+);", css)
    assert ranges, "the font face names the CJK ranges it serves"
    spans = [
        tuple(int(x, 16) for x in part.strip().removeprefix("U+").split("-"))
        for part in ranges[1].split(",")
    ]
    assert all(any(lo <= ord(ch) <= hi for lo, hi in spans) for ch in "专利运营，（）")
    assert not any(lo <= ord(ch) <= hi for ch in "Aa1" for lo, hi in spans)
    main_css = client.get(stylesheets[1]).text
    assert f'"{FAMILY}", sans-serif' in main_css  # a fallback before the generic family


def test_the_shipped_font_is_served_without_login_and_cached(client: TestClient) -> None:
    response = client.get(FONT_URL)
    assert response.status_code == 200
    assert response.headers["content-type"] == "font/otf"
    assert response.content[:4] == b"OTTO"  # an OpenType font with CFF outlines
    assert response.content == font_path().read_bytes()
    assert "max-age" in response.headers["cache-control"]


def test_the_content_security_policy_allows_the_font_from_this_site() -> None:
    policy = PAGE_HEADERS["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "font-src" not in policy or "font-src 'self'" in policy
