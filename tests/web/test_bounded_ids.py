"""Every web page with a row id in its path answers 404 (a page, never a 500) for an id no
row can have, signed in or not, as the API does."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from webhelpers import login

HUGE = "99999999999999999999"
PAGES = [
    f"/pool/{HUGE}",
    f"/pool/{HUGE}/admin",
    f"/pool/1/members/{HUGE}/statement",
    f"/pool/{HUGE}/members/1/patents",
    f"/pool/1/licensees/{HUGE}/account",
    f"/pool/{HUGE}/assignments",
    f"/finance/enterprises/{HUGE}",
    f"/finance/enterprises/{HUGE}/apply",
    f"/finance/loans/{HUGE}",
    "/pool/0",
    "/pool/-1",
]


def test_a_huge_id_is_no_page_for_an_anonymous_visitor(client: TestClient) -> None:
    answer = client.get(f"/pool/{HUGE}", follow_redirects=False)
    assert answer.status_code == 404
    assert "text/html" in answer.headers["content-type"]


@pytest.mark.parametrize("path", PAGES)
def test_a_huge_id_is_no_page(client: TestClient, path: str) -> None:
    assert login(client, "admin.demo").status_code == 303
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == 404, answer.text[:300]
    assert "text/html" in answer.headers["content-type"]
    posted = client.post(f"/pool/{HUGE}/admin", data={"csrf_token": "x"}, follow_redirects=False)
    assert posted.status_code in (403, 404)
