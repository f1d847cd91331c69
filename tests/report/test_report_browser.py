"""The report in a real browser: Debian's Chromium (Playwright) and a real uvicorn server.

An analyst fills the form, watches the progress page reload itself, reads the report in
the page, then opens the standalone HTML file; screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from webhelpers import PASSWORDS, build_workspace

from ipops.api.app import create_app
from ipops.config import Settings

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
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings: Settings = build_workspace(tmp_path_factory.mktemp("report-browser") / "ws")
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
        yield f"http://127.0.0.1:{port}"
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


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=server_url)
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_make_a_report_read_it_in_the_page_and_open_the_file(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill("analyst.demo")
    page.get_by_label("密码").fill(PASSWORDS["analyst.demo"])
    page.get_by_role("button", name="登录").click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="专利分析报告").click()
    page.get_by_label("IPC/CPC 分类号").fill("F24F, F25B")
    page.get_by_label("申请年份").fill("2005-2024")
    shot(page, "report-01-form")
    page.get_by_role("button", name="生成报告").click()
    expect(page.get_by_role("heading", level=2, name="八、高价值专利")).to_be_visible(
        timeout=180_000
    )
    charts = page.locator(".report-chart img")
    assert charts.count() >= 10
    widths = charts.evaluate_all("images => images.map(i => i.complete && i.naturalWidth)")
    assert all(width and width > 100 for width in widths), widths
    shot(page, "report-02-in-page")

    with page.expect_popup() as popup:
        page.locator('a[href$=".html"][download]').evaluate(
            "a => { a.removeAttribute('download'); a.target = '_blank'; a.click(); }"
        )
    document = popup.value
    document.wait_for_load_state()
    expect(document.locator("h1.report-title")).to_contain_text("专利分析报告")
    expect(document.locator(".report-snapshot")).not_to_be_empty()
    assert document.locator(".report-chart img").count() == charts.count()
    rendered = document.locator(".report-chart img").evaluate_all(
        "images => images.every(i => i.complete && i.naturalWidth > 100)"
    )
    assert rendered
    styled = document.locator("h1.report-title").evaluate("h => getComputedStyle(h).color")
    assert styled == "rgb(31, 95, 139)"  # the inline stylesheet applies
    shot(document, "report-03-standalone-html")
