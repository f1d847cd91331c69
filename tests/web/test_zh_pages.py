"""Every page of every role, in Chinese, over HTTP on a demo-like workspace.

Each demo user signs in and follows every link from the home page (a few pages per route
shape). Every page must answer 200 (a link the user may not follow is a bug too) and show no
English word and no raw code: what is left in Latin letters must be an allowed technical
token (patent numbers, IPC symbols, units, abbreviations such as IPC or CNY) or data shown
as filed (titles, abstracts, names of the corpus; markup ``translate="no"``).
"""

from __future__ import annotations

import pytest
from crawl import crawl, pattern
from demoworld import run_temp_folder, shared_demo_world
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import login
from zhcheck import english_words, visible_text

from ipops.accounts.demo import DEMO_USERS
from ipops.api.app import create_app
from ipops.valuation.fields import fields
from ipops.valuation.schemes import builtin_names
from ipops.web.labels import code_label
from ipops.web.words import field_name, sector_name

pytestmark = [
    pytest.mark.slow,
    # finance.enterprise_book.link_exact_bulk (the demo programme) still calls Result.tuples()
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning"),
]


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, dict[str, str], list[str]]:
    run_temp = run_temp_folder(tmp_path_factory.getbasetemp())
    settings, passwords, data = shared_demo_world(run_temp, tmp_path_factory.mktemp("zh") / "ws")
    return create_app(settings), passwords, data


@pytest.mark.parametrize("username", [demo.username for demo in DEMO_USERS])
def test_every_page_of_the_role_is_chinese(
    demo_app: tuple[FastAPI, dict[str, str], list[str]], username: str
) -> None:
    app, passwords, data = demo_app
    client = TestClient(app)
    assert login(client, username, passwords[username]).status_code == 303
    problems: dict[str, list[str]] = {}
    shapes = set()
    for url, status, html in crawl(client):
        shapes.add(pattern(url))
        if status != 200:
            problems[url] = [f"HTTP {status}"]
            continue
        assert '<html lang="zh-CN">' in html, url
        words = sorted(set(english_words(visible_text(html), data)))
        if words:
            problems[url] = words
    assert problems == {}
    assert len(shapes) >= 3  # the crawl reached the role's pages, not only the home page


def test_public_pool_page_is_chinese_and_offers_login(
    demo_app: tuple[FastAPI, dict[str, str], list[str]],
) -> None:
    app, _passwords, data = demo_app
    client = TestClient(app)
    pools = client.get("/pool")
    assert pools.status_code == 200 and 'href="/login"' in pools.text
    for url, status, html in crawl(client, "/pool", limit=12):
        assert status == 200, url
        assert english_words(visible_text(html), data) == [], url


def test_the_lint_finds_english_and_codes_but_not_data_or_numbers() -> None:
    html = (
        '<p>状态 in_force，按 patents 计数</p><p title="Top fields">F24F 11/30 CN112345678A</p>'
        '<td translate="no">Acme Inc.</td><p>CNY 1,234.00 · 12 km · IPC</p>'
    )
    assert english_words(visible_text(html)) == ["in_force", "patents", "Top", "fields"]
    assert english_words(["Title of a patent 空调"], ["Title of a patent"]) == []


def test_every_built_in_scheme_has_a_chinese_name() -> None:
    for name in builtin_names():
        assert code_label("scheme", name) != name, name


def test_every_wipo_field_has_its_chinese_name() -> None:
    for number, wipo in fields().items():
        name = field_name(number, wipo.name, "zh_CN")
        assert name != wipo.name and not any("a" <= ch.lower() <= "z" for ch in name)
        assert sector_name(number, wipo.sector, "zh_CN") != wipo.sector
        assert field_name(number, wipo.name, "en") == wipo.name
