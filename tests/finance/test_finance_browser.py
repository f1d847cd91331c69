"""The finance pages in a real browser: Debian's Chromium (Playwright), a real uvicorn server.

The enterprise user finds products for its patents and applies; the bank officer finds the
application in its queue and approves it; the platform operator reads the programme
dashboard. Every page is in Chinese by default; screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from financebuilders import ACME, build_web_world
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ipops.api.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="no /usr/bin/chromium: apt-get install -y chromium fonts-noto-cjk",
    ),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """(server URL, demo passwords) of a finance workspace served by uvicorn."""
    settings, _ids, passwords = build_web_world(tmp_path_factory.mktemp("fin-browser") / "ws")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", passwords
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def signed_in(browser: Browser, world: tuple[str, dict[str, str]], username: str) -> Page:
    url, passwords = world
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(passwords[username])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    return page


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_apply_then_approve_then_read_the_programme(
    browser: Browser, world: tuple[str, dict[str, str]]
) -> None:
    enterprise = signed_in(browser, world, "enterprise.demo")
    nav = enterprise.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="知识产权融资").click()
    assert enterprise.locator("html").get_attribute("lang") == "zh-CN"
    expect(enterprise.locator("main")).to_contain_text(ACME)
    enterprise.locator('a[href$="/apply"]').first.click()
    enterprise.locator("#a-amount").fill("400000")
    enterprise.locator("#a-term").fill("12")
    enterprise.locator("#a-patents").fill("CN1001=1000000")
    enterprise.get_by_role("button", name="匹配贷款产品").click()
    expect(enterprise.locator("main")).to_contain_text("贷mine")
    shot(enterprise, "finance-01-matched-products")
    enterprise.get_by_role("button", name="申请此产品").first.click()
    expect(enterprise).not_to_have_url(re.compile(r"/apply$"))
    shot(enterprise, "finance-02-applied")
    enterprise.context.close()

    bank = signed_in(browser, world, "bank.demo")
    bank.get_by_role("navigation", name="主导航").get_by_role("link", name="知识产权融资").click()
    expect(bank.locator("main")).to_contain_text(ACME)
    shot(bank, "finance-03-bank-queue")
    bank.locator('a[href^="/finance/loans/"]').first.click()
    bank.get_by_role("button", name="批准").click()
    expect(bank.locator("main")).to_contain_text("已批准")
    shot(bank, "finance-04-approved")
    bank.context.close()

    operator = signed_in(browser, world, "admin.demo")
    operator.goto("/finance")
    expect(operator.locator("main")).to_contain_text("知识产权质押融资额")
    assert operator.locator("main svg").count() >= 1
    shot(operator, "finance-05-programme-dashboard")
    operator.context.close()
