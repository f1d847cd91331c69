"""Each role's first screens in a real browser (Debian's Chromium, Playwright, uvicorn).

Per role: the home page shows the role's own work, the text in the main area is Chinese
(no English word or raw code; data as filed aside), long lists page, the bank officer's
link to the borrower works, and a licensee reaches its account from its home page.
Screenshots land in ``test-artifacts/`` (kept by CI as artifacts of the run).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserhelpers import CHROMIUM, NO_CHROMIUM, chromium, served
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from zhcheck import english_words, visible_text

from ipops.api.app import create_app
from ipops.config import Settings
from ipops.corpus.store import CorpusStore
from ipops.finance.models import EnterprisePatent
from ipops.registry.db import make_engine, session_scope
from ipops.workspace import create_workspace

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning"),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=NO_CHROMIUM,
    ),
]

World = tuple[str, dict[str, str], list[str]]


@pytest.fixture(scope="module")
def world(demo_world: tuple[Settings, dict[str, str], list[str]]) -> Iterator[World]:
    """(server URL, demo passwords, corpus texts shown as filed) of a demo-like workspace."""
    settings, passwords, data = demo_world
    with served(create_app(settings)) as url:
        yield url, passwords, data


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as found:
        yield found


def visitor(browser: Browser, world: World) -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=world[0])
    context.set_default_timeout(20_000)
    return context.new_page()


def signed_in(browser: Browser, world: World, username: str) -> Page:
    page = visitor(browser, world)
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(world[1][username])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    return page


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"roles-{name}.png"), full_page=True)


def chinese_only(page: Page, world: World) -> None:
    """The page as the browser rendered it has no English word outside data as filed."""
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert english_words(visible_text(page.content()), world[2]) == [], page.url


HOME_TEXT = {
    "bank.demo": ("待本行审批的贷款申请", "逾期贷款"),
    "pooladmin.demo": ("应报未报的许可费报告", "未结清发票", "待委员会决定的专利"),
    "enterprise.demo": ("申请与贷款",),
    "licensee.demo": ("我的发票与报告",),
    "expert.demo": ("待您出具意见的评审",),
    "member.demo": ("我的专利池成员身份",),
    "analyst.demo": ("专利数据库", "专利分析报告"),
    "admin.demo": ("专利数据库",),
}


@pytest.mark.parametrize("username", sorted(HOME_TEXT))
def test_home_page_shows_the_roles_own_work_in_chinese(
    browser: Browser, world: World, username: str
) -> None:
    page = signed_in(browser, world, username)
    main = page.locator("main")
    for text in HOME_TEXT[username]:
        expect(main).to_contain_text(text)
    chinese_only(page, world)
    shot(page, f"home-{username.split('.')[0]}")
    page.context.close()


def test_public_pool_page_pages_and_offers_login(browser: Browser, world: World) -> None:
    page = visitor(browser, world)
    page.goto("/pool")
    expect(page.get_by_role("link", name="登录")).to_be_visible()
    page.locator('main a[href^="/pool/"]').first.click()
    rows = page.locator("main table.results").last.locator("tbody tr")
    assert rows.count() <= 20
    chinese_only(page, world)
    shot(page, "pool-public-page-1")
    pager = page.get_by_role("navigation", name="分页")
    if pager.count():
        pager.get_by_role("link", name="下一页").click()
        expect(page).to_have_url(re.compile(r"[?&]page=2"))
        chinese_only(page, world)
        shot(page, "pool-public-page-2")
    page.context.close()


def test_bank_officer_reaches_the_borrower_from_a_loan(browser: Browser, world: World) -> None:
    page = signed_in(browser, world, "bank.demo")
    page.goto("/finance")
    page.locator('main a[href^="/finance/loans/"]').first.click()
    chinese_only(page, world)
    link = page.locator('main .lead a[href^="/finance/enterprises/"]')
    if link.count():
        link.first.click()
        expect(page.locator("main h1")).to_be_visible()
        assert "没有这家企业" not in page.locator("main").inner_text()
    else:  # the borrower's name, code and district are shown on the loan itself
        expect(page.locator("main .lead")).to_contain_text("统一社会信用代码")
    shot(page, "bank-borrower")
    page.context.close()


def test_licensee_reaches_its_account_from_home(browser: Browser, world: World) -> None:
    page = signed_in(browser, world, "licensee.demo")
    page.locator('main a[href*="/licensees/"]').first.click()
    expect(page.locator("main h1")).to_contain_text("发票")
    chinese_only(page, world)
    shot(page, "licensee-account")
    page.context.close()


def test_the_page_font_loads_in_the_browser(browser: Browser, world: World) -> None:
    """The shipped font loads through the page's @font-face (CSP allows it): on a machine
    with no system CJK font the browser renders Chinese with it."""
    page = visitor(browser, world)
    page.goto("/login")
    faces = page.evaluate(
        "async () => (await document.fonts.load('16px \"Noto Sans SC ipops\"', '专利运营'))"
        ".map(f => f.family + ':' + f.status)"
    )
    assert faces == ['"Noto Sans SC ipops":loaded'] or faces == ["Noto Sans SC ipops:loaded"]
    page.context.close()


def enterprise_with_many_links(settings: Settings, *, at_least: int = 45) -> int:
    """The enterprise with the most linked patents, given pending links (name matches still to
    be confirmed) to more corpus patents until it has ``at_least``: a list of three pages."""
    workspace = create_workspace(settings)
    with CorpusStore(workspace.corpus_dir).connect() as con:
        patents = [
            (str(pid), str(name))
            for pid, name in con.execute(
                "SELECT patent_id, min(name) FROM parties WHERE role = 'applicant' "
                "GROUP BY patent_id ORDER BY patent_id"
            ).fetchall()
        ]
    engine = make_engine(workspace.database_url)
    try:
        with session_scope(engine) as session:
            found = session.execute(
                select(EnterprisePatent.enterprise_id, func.count())
                .group_by(EnterprisePatent.enterprise_id)
                .order_by(func.count().desc(), EnterprisePatent.enterprise_id)
            ).first()
            assert found is not None
            enterprise_id, count = int(found[0]), int(found[1])
            linked = set(
                session.scalars(
                    select(EnterprisePatent.patent_id).where(
                        EnterprisePatent.enterprise_id == enterprise_id
                    )
                )
            )
            more = [(p, n) for p, n in patents if p not in linked][: max(0, at_least - count)]
            session.add_all(
                EnterprisePatent(
                    enterprise_id=enterprise_id,
                    patent_id=pid,
                    party_name=name,
                    match="similar",
                    similarity=0.9,
                    status="pending",
                )
                for pid, name in more
            )
    finally:
        engine.dispose()
    return enterprise_id


def test_enterprise_page_lists_patents_a_page_at_a_time(
    browser: Browser, world: World, demo_world: tuple[Settings, dict[str, str], list[str]]
) -> None:
    """The enterprise with the most linked patents, as the platform operator reads it."""
    page = signed_in(browser, world, "admin.demo")
    page.goto(f"/finance/enterprises/{enterprise_with_many_links(demo_world[0])}")
    patents = page.locator("main section[aria-labelledby='pat-heading']")
    expect(patents.locator("h2")).to_contain_text("专利")
    assert patents.locator("tbody tr").count() <= 20
    chinese_only(page, world)
    shot(page, "enterprise-page-1")
    expect(patents.locator("h2 .count")).to_have_text(re.compile(r"^\d\d+$"))
    pager = patents.get_by_role("navigation", name="分页")
    expect(pager).to_contain_text("第 1 页")
    first = patents.locator("tbody tr").first.inner_text()
    pager.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    assert patents.locator("tbody tr").count() == 20
    assert patents.locator("tbody tr").first.inner_text() != first
    chinese_only(page, world)
    shot(page, "enterprise-page-2")
    page.context.close()
