"""The reports pages over HTTP: the form, a background job, the report in the page, files."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import build_workspace, csrf_of, login

from ipops.api.app import create_app
from ipops.config import Settings
from ipops.report.library import DEMO_NAME

pytestmark = pytest.mark.slow
ANALYST = "analyst.demo"
ENTERPRISE = "enterprise.demo"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_workspace(tmp_path_factory.mktemp("report-web") / "workspace")


@pytest.fixture(scope="module")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def analyst(app: FastAPI) -> Iterator[TestClient]:
    client = TestClient(app)
    assert login(client, ANALYST).status_code == 303
    yield client


def start(client: TestClient, **fields: str) -> str:
    form = client.get("/reports")
    data = {"csrf_token": csrf_of(form.text), "lang": "zh", **fields}
    response = client.post("/reports", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/reports/jobs/")
    return location


def wait(client: TestClient, location: str, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = client.get(location)
        assert page.status_code == 200
        if "Refresh" not in page.headers:
            return page.text
        assert 'role="status"' in page.text  # the progress is shown meanwhile
        time.sleep(0.5)
    pytest.fail("the report job did not finish")


def test_an_analyst_makes_a_report_sees_it_and_downloads_it(analyst: TestClient) -> None:
    location = start(analyst, ipc="F24F, F25B", years="2005-2024", pdf="1")
    page = wait(analyst, location)
    assert "二、申请趋势" in page and "八、高价值专利" in page
    assert '<link rel="stylesheet" href="/reports/report.css">' in page
    names = re.findall(r'href="/reports/files/([^"]+)" download', page)
    assert {n.rsplit(".", 1)[-1] for n in names} == {"html", "pdf", "xlsx"}
    for name in names:
        file = analyst.get(f"/reports/files/{name}")
        assert file.status_code == 200
        assert len(file.content) > 1000
    html = analyst.get(f"/reports/files/{next(n for n in names if n.endswith('.html'))}")
    assert "script-src" not in html.headers["content-security-policy"]
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert analyst.get("/reports/report.css").status_code == 200
    listing = analyst.get("/reports").text
    assert names[0].rsplit(".", 1)[0] in listing


def test_bad_input_is_shown_on_the_form(analyst: TestClient) -> None:
    form = analyst.get("/reports")
    response = analyst.post(
        "/reports",
        data={"csrf_token": csrf_of(form.text), "ipc": "F2X4", "years": "2020-2010"},
    )
    assert response.status_code == 422
    assert "IPC/CPC 分类号" in response.text
    assert "F2X4" in response.text


def test_titles_and_names_from_the_data_are_escaped(analyst: TestClient) -> None:
    page = wait(analyst, start(analyst, words="Xylophone-conditioner"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page


def test_a_query_matching_nothing_says_so(analyst: TestClient) -> None:
    page = wait(analyst, start(analyst, words="no-such-word-anywhere"))
    assert "未检索到专利" in page


def test_other_roles_read_reports_but_do_not_make_them(app: FastAPI, settings: Settings) -> None:
    demo = settings.resolved_home() / "reports" / f"{DEMO_NAME}.html"
    demo.parent.mkdir(exist_ok=True)
    demo.write_text("<p>demo</p>", encoding="utf-8")
    client = TestClient(app)
    assert login(client, ENTERPRISE).status_code == 303
    page = client.get("/reports")
    assert page.status_code == 200
    assert 'action="/reports"' not in page.text
    assert f"/reports/files/{DEMO_NAME}.html" in page.text
    assert client.get(f"/reports/files/{DEMO_NAME}.html").status_code == 200
    response = client.post("/reports", data={"csrf_token": csrf_of(page.text), "ipc": "F24F"})
    assert response.status_code == 403


def test_no_one_else_s_job_and_no_other_files(analyst: TestClient, app: FastAPI) -> None:
    location = start(analyst, ipc="H04L")
    other = TestClient(app)
    assert login(other, "admin.demo").status_code == 303
    assert other.get(location).status_code == 404
    wait(analyst, location)
    for name in ("../registry.sqlite", "..%2Fregistry.sqlite", ".hidden.html", "a/b/c.html"):
        assert analyst.get(f"/reports/files/{name}").status_code == 404


def test_the_request_is_audited(analyst: TestClient, settings: Settings) -> None:
    location = start(analyst, ipc="F24F")
    wait(analyst, location)
    admin = TestClient(analyst.app)
    assert login(admin, "admin.demo").status_code == 303
    audit = admin.get("/audit", params={"action": "report.requested"})
    assert location.rsplit("/", 1)[-1] in audit.text
