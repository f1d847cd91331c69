"""The web UI in a real browser: Debian's Chromium driven by Playwright, a real uvicorn server.

Needs ``apt-get install -y chromium fonts-noto-cjk`` and ``pip install playwright`` (never
``playwright install``). Screenshots go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browserhelpers import CHROMIUM, NO_CHROMIUM, chromium, served
from playwright.sync_api import Browser, Page, ViewportSize, expect
from webhelpers import HOSTILE_ID, PASSWORDS

from ipops.api.app import create_app
from ipops.config import Settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAPTOP: ViewportSize = {"width": 1366, "height": 768}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=NO_CHROMIUM,
    ),
]


@pytest.fixture(scope="module")
def server_url(web_settings: Settings) -> Iterator[str]:
    """A real uvicorn server of ``create_app`` on a free loopback port, in a thread."""
    with served(create_app(web_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as found:
        yield found


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport=LAPTOP, base_url=server_url)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url("/login?next=%2F")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("欢迎")


def test_log_in_see_chinese_home_switch_to_english_search_and_open_a_patent(page: Page) -> None:
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    shot(page, "01-login-zh")
    log_in(page, "analyst.demo")

    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("navigation", name="主导航")).to_contain_text("专利检索")
    chart = page.locator("#chart-years svg")
    expect(chart).to_be_visible()
    assert chart.locator("rect.bar").count() >= 10
    assert chart.locator("rect.bar").first.bounding_box()["height"] > 0  # type: ignore[index]
    shot(page, "02-home-zh")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2, name="Patent corpus")).to_be_visible()
    shot(page, "03-home-en")

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Patent search"
    ).click()
    page.get_by_label("Title words").fill("Xylophone")
    page.get_by_label("IPC prefix").fill("F24F")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1 patent found;")
    shot(page, "04-search-en")

    page.get_by_role("link", name=HOSTILE_ID).click()
    expect(page.get_by_role("heading", level=2, name="Bibliographic data")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text('<script>alert("xss")</script>')
    expect(page.get_by_text("118.77778")).to_be_visible()
    shot(page, "05-patent-en")
    page.get_by_role("link", name="Back to the search").click()
    expect(page.get_by_label("Title words")).to_have_value("Xylophone")


def test_keyboard_users_can_skip_to_the_content_and_see_the_focus(page: Page) -> None:
    log_in(page, "admin.demo")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    shot(page, "06-admin-home-zh")


def test_admin_opens_the_audit_log_and_filters_by_user(page: Page) -> None:
    log_in(page, "admin.demo")
    page.get_by_role("link", name="审计日志").click()
    expect(page.get_by_role("heading", level=1, name="审计日志")).to_be_visible()
    page.get_by_label("用户", exact=True).fill("admin.demo")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("cell", name="login.succeeded").first).to_be_visible()
    shot(page, "07-audit-zh")


def test_the_pages_fit_a_laptop_screen_without_sideways_scrolling(page: Page) -> None:
    log_in(page, "bank.demo")
    for path in ("/", "/search?year_from=2000", f"/patents/{HOSTILE_ID}"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= LAPTOP["width"], path


def test_logging_out_returns_to_the_login_page(page: Page) -> None:
    log_in(page, "expert.demo")
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()
    page.goto("/search")
    expect(page).to_have_url("/login?next=%2Fsearch")
