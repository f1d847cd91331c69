"""The patent value pages over HTTP: ranking with filters, value card, high-value list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webhelpers import HOSTILE_ID, csrf_of, login

from ipops.valuation.schemes import builtin_text


def logged_in(client: TestClient, username: str = "bank.demo") -> TestClient:
    assert login(client, username).status_code == 303
    return client


def in_english(client: TestClient) -> TestClient:
    client.get("/lang/en?next=/login")
    return client


@pytest.mark.parametrize("path", ["/value", "/value/high-value", f"/value/patents/{HOSTILE_ID}"])
def test_value_pages_need_a_login(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_menu_has_the_value_item_in_chinese(client: TestClient) -> None:
    page = logged_in(client).get("/").text
    assert 'href="/value"' in page and "专利价值" in page


def test_ranking_lists_patents_by_pvd_with_links(client: TestClient) -> None:
    page = logged_in(in_english(client)).get("/value")
    assert page.status_code == 200
    links = re.findall(r'href="/value/patents/([^"?]+)\?scheme=default"', page.text)
    assert len(links) == 20
    pvds = [float(v) for v in re.findall(r'<td class="num pvd">([\d.]+)</td>', page.text)]
    assert len(pvds) == 20
    assert pvds == sorted(pvds, reverse=True)
    assert 'rel="next"' in page.text  # 200 ranked, 20 a page
    second = client.get("/value?page=2")
    assert re.findall(r'href="/value/patents/([^"?]+)\?', second.text)[0] not in links


def test_ranking_filters_by_field_and_refuses_a_bad_one(client: TestClient) -> None:
    logged_in(in_english(client))
    page = client.get("/value?field=6&scheme=finance")
    assert page.status_code == 200
    assert '<option value="6" selected>' in page.text
    assert '<option value="finance" selected>' in page.text
    for cell in re.findall(r"<td>(\d+) [^<]*</td>\s*<td>[^<]*</td>\s*<td>", page.text):
        assert cell == "6"
    bad = client.get("/value?field=abc")
    assert bad.status_code == 200
    assert "choose a WIPO field from 1 to 35" in bad.text


def test_value_card_shows_indicators_and_a_degree_chart(client: TestClient) -> None:
    logged_in(in_english(client))
    ranking = client.get("/value").text
    patent_id = re.findall(r'href="/value/patents/([^"?]+)\?', ranking)[0]
    card = client.get(f"/value/patents/{patent_id}?scheme=licensing")
    assert card.status_code == 200
    assert 'id="value-indicators"' in card.text
    assert "<svg" in card.text and 'role="img"' in card.text
    for code in ("LVD", "TVD", "EVD"):
        assert code in card.text
    assert "licensing" in card.text
    assert "Forward citations" in card.text or "forward citations" in card.text.lower()


def test_value_card_in_chinese_and_for_an_unknown_patent(client: TestClient) -> None:
    logged_in(client)
    ranking = client.get("/value").text
    patent_id = re.findall(r'href="/value/patents/([^"?]+)\?', ranking)[0]
    card = client.get(f"/value/patents/{patent_id}").text
    assert "法律价值度" in card and "对比组百分位" in card
    # the expiry, how it was reached, the family basis and the citing universe, in Chinese
    assert "保护期届满日" in card and "届满日依据" in card and "起算：" in card
    assert "被引证统计范围" in card
    assert "no citing universe loaded" not in card and "basis:" not in card
    assert client.get("/value/patents/CN999999999A").status_code == 404


def test_value_card_says_how_the_term_end_was_reached(client: TestClient) -> None:
    logged_in(in_english(client))
    ranking = client.get("/value").text
    patent_id = re.findall(r'href="/value/patents/([^"?]+)\?', ranking)[0]
    card = client.get(f"/value/patents/{patent_id}").text
    assert "Term ends" in card and "How the term end was reached" in card
    assert "Forward citations counted over" in card


def test_value_card_escapes_a_hostile_title(client: TestClient) -> None:
    card = logged_in(client).get(f"/value/patents/{HOSTILE_ID}")
    assert card.status_code == 200
    assert "<script>alert" not in card.text
    assert "&lt;script&gt;" in card.text


def test_high_value_page_lists_conditions(client: TestClient) -> None:
    page = logged_in(in_english(client)).get("/value/high-value")
    assert page.status_code == 200
    assert "maintained more than 10 years" in page.text
    assert "valid invention patents" in page.text


def test_patent_page_links_to_its_value_card(client: TestClient) -> None:
    page = logged_in(client).get(f"/patents/{HOSTILE_ID}").text
    assert f'href="/value/patents/{HOSTILE_ID}"' in page


# -- scheme editor ---------------------------------------------------------------------------
def editor(client: TestClient, username: str = "analyst.demo") -> str:
    page = logged_in(in_english(client), username).get("/value/schemes?base=finance")
    assert page.status_code == 200
    return csrf_of(page.text)


def test_scheme_editor_is_for_analysts_and_admins(client: TestClient) -> None:
    assert logged_in(client, "bank.demo").get("/value/schemes").status_code == 403
    assert 'href="/value/schemes"' not in client.get("/value").text


def test_scheme_editor_shows_errors_with_line_numbers(client: TestClient) -> None:
    token = editor(client)
    text = builtin_text("default").replace("legal = 0.3623", "legal = -0.3623")
    line = text.splitlines().index("legal = -0.3623") + 1
    response = client.post("/value/schemes", data={"csrf_token": token, "text": text, "check": "1"})
    assert response.status_code == 422
    assert f"Line {line}:" in response.text and "must not be negative" in response.text
    unknown = builtin_text("default").replace("claims = 0.15", "clams = 0.15")
    response = client.post("/value/schemes", data={"csrf_token": token, "text": unknown})
    assert response.status_code == 422 and "unknown indicator" in response.text
    valid = client.post(
        "/value/schemes", data={"csrf_token": token, "text": builtin_text("finance")}
    )
    assert valid.status_code == 200 and "The scheme is valid" in valid.text


def test_scheme_editor_saves_a_user_scheme_in_the_workspace(
    client: TestClient, workspace_root: Path
) -> None:
    token = editor(client)
    builtin = client.post(
        "/value/schemes", data={"csrf_token": token, "text": builtin_text("finance"), "save": "1"}
    )
    assert builtin.status_code == 422 and "its own name" in builtin.text
    text = builtin_text("finance").replace('name = "finance"', 'name = "bank-2026"')
    saved = client.post("/value/schemes", data={"csrf_token": token, "text": text, "save": "1"})
    assert saved.status_code == 200 and "Saved as bank-2026" in saved.text
    path = workspace_root / "valuation" / "schemes" / "bank-2026.toml"
    assert path.read_text(encoding="utf-8") == text
    assert 'href="/value/schemes?base=bank-2026"' in client.get("/value/schemes").text
    assert "bank-2026" in client.get("/value/schemes?base=bank-2026").text
    logged_in(client, "admin.demo")
    trail = client.get("/audit?action=value.scheme_saved&object_id=bank-2026").text
    assert "analyst.demo" in trail


def test_scheme_editor_needs_the_csrf_token(client: TestClient, workspace_root: Path) -> None:
    editor(client)
    text = builtin_text("finance").replace('name = "finance"', 'name = "forged"')
    response = client.post("/value/schemes", data={"csrf_token": "x", "text": text, "save": "1"})
    assert response.status_code == 403
    assert not (workspace_root / "valuation" / "schemes" / "forged.toml").exists()
