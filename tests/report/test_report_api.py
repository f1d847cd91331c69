"""The reports API: start a report, poll its job, download it, list; bad input names the field."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.audit.models import AuditRecord
from ipops.config import Settings
from ipops.registry.db import session_scope
from ipops.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from apihelpers import LiveApi, running_api

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api(generated_workspace: Workspace) -> Iterator[LiveApi]:
    with running_api(Settings(home=generated_workspace.root)) as live:
        yield live


@pytest.fixture(scope="module")
def analyst(api: LiveApi) -> User:
    return api.add_user("report.api.analyst", Role.ANALYST)


def start(api: LiveApi, user: User, **body: Any) -> str:
    response = api.request("POST", "/api/v1/reports/landscape", user, json=body)
    assert response.status_code == 202, response.text
    started = response.json()
    assert started["status_url"] == f"/api/v1/reports/jobs/{started['job_id']}"
    return str(started["job_id"])


def wait(api: LiveApi, user: User, job_id: str, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = api.request("GET", f"/api/v1/reports/jobs/{job_id}", user)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        assert 0 <= job["percent"] <= 100
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    pytest.fail("the report job did not finish")


def test_an_analyst_makes_a_report_polls_it_and_downloads_it(api: LiveApi, analyst: User) -> None:
    job_id = start(api, analyst, ipc=["F24F", "F25B"], years="2005-2024", lang="en")
    job = wait(api, analyst, job_id)
    assert job["status"] == "done", job["error"]
    assert job["files"][0].endswith(".html")
    assert any(name.endswith("-annex.xlsx") for name in job["files"])
    file = api.request("GET", job["file_url"], analyst)
    assert file.status_code == 200
    assert file.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in file.headers["content-security-policy"]
    assert "Filing trends" in file.text and "F24F" in file.text
    listed = api.request("GET", "/api/v1/reports", analyst).json()["items"]
    assert job["files"][0].removesuffix(".html") in [r["stem"] for r in listed]
    with session_scope(api.engine) as session:
        audit = session.scalars(select(AuditRecord).where(AuditRecord.object_id == job_id)).one()
        assert (audit.action, audit.actor) == ("report.requested", analyst.username)
        assert audit.origin.startswith("api")


def test_a_pdf_report_is_a_pdf(api: LiveApi, analyst: User) -> None:
    job = wait(api, analyst, start(api, analyst, years="1800-1801", format="pdf"))
    assert job["status"] == "done", job["error"]
    file = api.request("GET", job["file_url"], analyst)
    assert file.status_code == 200
    assert file.headers["content-type"] == "application/pdf"
    assert file.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"ipc": ["F24F", "not a class"]}, "ipc", "'not a class' is not an IPC/CPC"),
        ({"years": "2019-2010"}, "years", "impossible range 2019-2010"),
        ({"years": "twenty"}, "years", "is not a year range"),
        ({"words": " ".join(f"w{i}" for i in range(11))}, "words", "at most 10 words"),
        ({"lang": "fr"}, "lang", ""),
        ({"format": "docx"}, "format", ""),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    api: LiveApi, analyst: User, body: dict[str, Any], field: str, words: str
) -> None:
    response = api.request("POST", "/api/v1/reports/landscape", analyst, json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == field
    assert words in error["message"]


def test_someone_elses_job_is_not_found_and_readers_cannot_start_one(
    api: LiveApi, analyst: User
) -> None:
    job_id = start(api, analyst, years="1800-1801")
    other = api.add_user("report.api.other", Role.ANALYST)
    assert api.request("GET", f"/api/v1/reports/jobs/{job_id}", other).status_code == 404
    assert api.request("GET", f"/api/v1/reports/jobs/{job_id}/file", other).status_code == 404
    reader = api.add_user("report.api.reader", Role.ENTERPRISE_USER)
    refused = api.request("POST", "/api/v1/reports/landscape", reader, json={})
    assert refused.status_code == 403
    wait(api, analyst, job_id)
