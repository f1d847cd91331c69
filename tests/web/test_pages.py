"""The web pages over HTTP: login, language, search, patent page, CSRF, escaping, audit."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from webhelpers import HOSTILE_ID, HOSTILE_PARTY, csrf_of, login

from ipops.config import Settings
from ipops.corpus.store import CorpusStore
from ipops.workspace import open_workspace

ADMIN = "admin.demo"
ANALYST = "analyst.demo"


def logged_in(client: TestClient, username: str = ANALYST) -> TestClient:
    assert login(client, username).status_code == 303
    return client


def in_english(client: TestClient) -> TestClient:
    client.get("/lang/en?next=/login")
    return client


# -- access and login ------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/search?words=x", f"/patents/{HOSTILE_ID}", "/audit"])
def test_every_page_sends_anonymous_visitors_to_the_login_form(
    client: TestClient, path: str
) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    assert client.get(response.headers["location"]).status_code == 200


def test_login_page_is_chinese_by_default_with_labels_and_landmarks(client: TestClient) -> None:
    html = client.get("/login", headers={"Accept-Language": "en-US,en"}).text
    assert '<html lang="zh-CN">' in html
    assert "登录" in html and "用户名" in html and "密码" in html
    assert '<label for="f-username">' in html and 'id="f-username"' in html
    assert '<label for="f-password">' in html
    assert '<main id="main"' in html and "<header" in html
    assert 'class="skip-link" href="#main"' in html
    assert 'hreflang="en">English</a>' in html


def test_login_lands_on_the_requested_page_and_rotates_the_session(client: TestClient) -> None:
    form = client.get("/login?next=/search%3Fwords%3Dx")
    before = csrf_of(form.text)
    response = client.post(
        "/login",
        data={
            "csrf_token": before,
            "username": ADMIN,
            "password": "demo-platform_admin-2019!",
            "next": "/search?words=x",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/search?words=x"
    assert csrf_of(client.get("/").text) != before


def test_login_refuses_a_redirect_to_another_site(client: TestClient) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={
            "csrf_token": csrf_of(form.text),
            "username": ADMIN,
            "password": "demo-platform_admin-2019!",
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_wrong_password_is_reported_in_the_chosen_language(client: TestClient) -> None:
    response = login(client, ANALYST, "not-the-password-1")
    assert response.status_code == 401
    assert "用户名或密码错误。" in response.text
    in_english(client)
    response = login(client, ANALYST, "not-the-password-1")
    assert "Wrong username or password." in response.text
    assert 'value="analyst.demo"' in response.text


def test_repeated_failures_show_the_rate_limit_message(client: TestClient) -> None:
    for _ in range(5):
        assert login(client, "licensee.demo", "wrong-password-123").status_code == 401
    response = login(client, "licensee.demo", "wrong-password-123")
    assert response.status_code == 429
    assert re.search(r"登录失败次数过多，请在 \d+ 分钟后重试。", response.text)


def test_logout_needs_the_csrf_token_and_ends_the_session(client: TestClient) -> None:
    logged_in(client)
    refused = client.post("/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200
    token = csrf_of(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


# -- CSRF ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_login_without_the_right_csrf_token_is_refused(
    client: TestClient, token: str | None
) -> None:
    client.get("/login")
    data = {"username": ADMIN, "password": "demo-platform_admin-2019!"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "请求被拒绝" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_token_from_another_session_is_refused(web_app: object, client: TestClient) -> None:
    other = TestClient(web_app)  # type: ignore[arg-type]
    foreign = csrf_of(other.get("/login").text)
    client.get("/login")
    data = {"csrf_token": foreign, "username": ADMIN, "password": "demo-platform_admin-2019!"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403


# -- language --------------------------------------------------------------------------------
def test_language_switch_sets_a_cookie_and_returns_to_the_page(client: TestClient) -> None:
    logged_in(client)
    response = client.get("/lang/en?next=/search", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/search"
    assert "ipops_lang=en" in response.headers["set-cookie"]
    html = client.get("/search").text
    assert '<html lang="en">' in html
    assert "Patent search" in html and "专利检索" not in html
    assert 'hreflang="zh-CN">中文</a>' in html
    client.get("/lang/zh_CN?next=/")
    assert '<html lang="zh-CN">' in client.get("/").text


def test_language_switch_ignores_unknown_languages_and_foreign_targets(
    client: TestClient,
) -> None:
    response = client.get("/lang/fr?next=https://evil.example/", follow_redirects=False)
    assert response.headers["location"] == "/"
    assert "set-cookie" not in response.headers


# -- home ------------------------------------------------------------------------------------
def test_home_shows_corpus_statistics_and_an_svg_chart_with_a_table(client: TestClient) -> None:
    html = logged_in(client).get("/").text
    assert "欢迎，产业分析师" in html
    assert "<dt>专利</dt><dd>301</dd>" in html
    svg = re.search(r'<svg class="bar-chart".*?</svg>', html, re.S)
    assert svg is not None
    assert svg.group(0).count('<rect class="bar"') >= 10
    assert 'role="img"' in svg.group(0)
    assert "以表格显示数据" in html and '<th scope="row">2005</th>' in html
    assert "中国" in html  # inventor countries by name in the table


# -- navigation per role -------------------------------------------------------------------------
def test_the_audit_log_is_in_the_admins_menu_only(web_app: object) -> None:
    admin = logged_in(TestClient(web_app), ADMIN)  # type: ignore[arg-type]
    analyst = logged_in(TestClient(web_app), ANALYST)  # type: ignore[arg-type]
    assert 'href="/audit"' in admin.get("/").text
    assert 'href="/audit"' not in analyst.get("/").text
    assert 'href="/search"' in analyst.get("/").text


# -- search ----------------------------------------------------------------------------------
def test_search_by_title_words_finds_patents_with_links(client: TestClient) -> None:
    html = logged_in(client).get("/search", params={"words": "Xylophone"}).text
    assert f'href="/patents/{HOSTILE_ID}?back=' in html
    assert "共找到 1 件专利" in html


def test_search_by_party_ipc_and_years(client: TestClient) -> None:
    params = {"party": "有限公司", "ipc": "F24F", "year_from": "2016", "year_to": "2016"}
    html = logged_in(client).get("/search", params=params).text
    assert HOSTILE_ID in html
    params["year_to"] = "2015"
    params["year_from"] = "2010"
    assert HOSTILE_ID not in logged_in(client).get("/search", params=params).text


def test_search_results_are_paginated(client: TestClient) -> None:
    logged_in(client)
    first = client.get("/search", params={"year_from": "2000", "year_to": "2030"}).text
    assert "第 1 页" in first and 'rel="next"' in first
    next_url = re.search(r'href="([^"]+)" rel="next"', first)
    assert next_url is not None
    second = client.get(next_url.group(1).replace("&amp;", "&")).text
    assert "第 2 页" in second and 'rel="prev"' in second
    ids_first = set(re.findall(r'href="/patents/(\w+)\?', first))
    ids_second = set(re.findall(r'href="/patents/(\w+)\?', second))
    assert len(ids_first) == 20 and ids_first.isdisjoint(ids_second)


def test_search_form_problems_are_shown_in_the_users_language(client: TestClient) -> None:
    logged_in(client)
    html = client.get("/search", params={"year_from": "2020", "year_to": "2010"}).text
    assert "起始申请年份晚于截止申请年份。" in html
    html = client.get("/search", params={"year_from": "abc"}).text
    assert "申请年份起：请输入 1800 至 2100 之间的年份。" in html
    assert 'value="abc"' in html
    in_english(client)
    html = client.get("/search", params={"ipc": "9999"}).text
    assert "IPC prefix: enter an IPC symbol" in html


def test_search_page_without_criteria_shows_only_the_form(client: TestClient) -> None:
    html = logged_in(client).get("/search").text
    assert 'role="search"' in html and "检索结果" not in html
    for field in ("number", "words", "party", "ipc", "year_from", "year_to"):
        assert f'<label for="f-{field}">' in html


# -- patent page -----------------------------------------------------------------------------
def test_patent_page_shows_bibliography_parties_inventors_and_classes(client: TestClient) -> None:
    html = logged_in(client).get(f"/patents/{HOSTILE_ID}").text
    assert "著录项目" in html and "2016-05-04" in html and "有效" in html
    assert "王小明" in html and "32.06167" in html and "118.77778" in html
    assert "F24F 11/30" in html
    assert "申请人" in html


def _cited_and_citing_patent(settings: Settings) -> str:
    """A generated CN grant that cites, is cited, and has a grant event (numbers are generated)."""
    with CorpusStore(open_workspace(settings).corpus_dir).connect() as con:
        row = con.sql(
            "SELECT p.patent_id FROM patents p WHERE p.office = 'CN' AND p.doc_type = 'grant' "
            "AND EXISTS (SELECT 1 FROM citations c WHERE c.patent_id = p.patent_id "
            "AND c.category = 'patent') "
            "AND EXISTS (SELECT 1 FROM citations c WHERE c.cited_patent_id = p.patent_id) "
            "AND EXISTS (SELECT 1 FROM events e WHERE e.patent_id = p.patent_id "
            "AND e.event_type = 'granted') ORDER BY p.patent_id LIMIT 1"
        ).fetchall()
    assert row, "the generated corpus has no CN grant cited both ways"
    return str(row[0][0])


def test_patent_page_lists_citations_both_ways_and_events(
    client: TestClient, web_settings: Settings
) -> None:
    number = _cited_and_citing_patent(web_settings)
    logged_in(client)
    search = client.get("/search", params={"number": number}).text
    assert number in search
    html = client.get(f"/patents/{number}").text
    assert "引用文献" in html and "被引用" in html and "法律事件" in html
    assert "授权" in html  # the grant event


def test_unknown_patent_is_a_404_page(client: TestClient) -> None:
    response = logged_in(client).get("/patents/CN123")
    assert response.status_code == 404
    assert "专利数据库中没有专利 CN123。" in response.text


# -- escaping --------------------------------------------------------------------------------
def test_data_with_html_is_escaped_everywhere(client: TestClient) -> None:
    logged_in(client)
    pages = [
        client.get("/search", params={"words": "Xylophone"}).text,
        client.get(f"/patents/{HOSTILE_ID}").text,
        client.get("/search", params={"words": "<script>"}).text,
    ]
    for html in pages:
        assert "<script>" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in pages[1]
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[1]
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &#39;quoted&#39;" in pages[1]
    assert 'value="&lt;script&gt;"' in pages[2]
    assert HOSTILE_PARTY not in pages[0]


# -- audit -----------------------------------------------------------------------------------
def test_audit_page_lists_records_for_the_platform_admin(client: TestClient) -> None:
    html = logged_in(client, ADMIN).get("/audit").text
    assert "审计日志" in html and "login.succeeded" in html
    filtered = client.get("/audit", params={"actor": ADMIN, "action": "login.succeeded"}).text
    actors = re.findall(r'<td[^>]*><a href="/audit\?actor=[^"]*">([^<]+)</a></td>', filtered)
    assert actors and set(actors) == {ADMIN}
    by_object = client.get("/audit", params={"object_type": "user", "object_id": "1"}).text
    assert "user.created" in by_object


def test_audit_page_is_refused_to_other_roles(client: TestClient) -> None:
    response = logged_in(client, ANALYST).get("/audit")
    assert response.status_code == 403
    assert "无权访问" in response.text


def test_pages_carry_security_headers(client: TestClient) -> None:
    response = logged_in(client).get("/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
