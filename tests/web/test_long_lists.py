"""Long lists a page at a time: the pager's own parameter for a page with two lists, a patent's
citations both ways, the pool administrator's invoices (newest first)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from webhelpers import login

from ipops.api.app import create_app
from ipops.config import Settings
from ipops.corpus.store import CorpusStore
from ipops.web.pager import PAGE_SIZE, make_pager, page_of
from ipops.workspace import open_workspace


def test_a_pager_with_its_own_parameter_keeps_the_other_lists_page() -> None:
    query = {"citations_page": "2", "cited_by_page": "3", "back": "/search?words=x"}
    pager = make_pager(
        "/patents/CN1",
        query,
        page=page_of(query, "citations_page"),
        size=20,
        total=45,
        param="citations_page",
        anchor="cited-heading",
    )
    assert (pager.page, pager.pages, pager.first_row, pager.last_row) == (2, 3, 21, 40)
    assert pager.next_url == (
        "/patents/CN1?cited_by_page=3&back=%2Fsearch%3Fwords%3Dx&citations_page=3#cited-heading"
    )
    assert pager.rows(list(range(45))) == list(range(20, 40))
    assert page_of(query, "cited_by_page") == 3


@pytest.mark.parametrize("text", ["", "0", "-1", "x", "1e3", "9999999", "10001"])
def test_a_page_number_that_is_not_one_is_the_first_page(text: str) -> None:
    assert page_of({"page": text}) == 1


def _most_cited_both_ways(settings: Settings) -> tuple[str, int, int]:
    """The generated patent citing most others (and how often it cites and is cited)."""
    with CorpusStore(open_workspace(settings).corpus_dir).connect() as con:
        row = con.sql(
            "SELECT patent_id, count(*) AS n, (SELECT count(*) FROM citations r "
            "WHERE r.cited_patent_id = c.patent_id) FROM citations c "
            "GROUP BY patent_id ORDER BY n DESC, patent_id LIMIT 1"
        ).fetchall()
    assert row
    return str(row[0][0]), int(row[0][1]), int(row[0][2])


def _section(html: str, heading: str) -> str:
    start = html.index(f'id="{heading}"')
    return html[start : html.index("</section>", start)]


def test_a_patents_citations_are_listed_a_page_at_a_time(
    client: TestClient, web_settings: Settings
) -> None:
    number, made, received = _most_cited_both_ways(web_settings)
    assert made > PAGE_SIZE, "the generated corpus has no patent citing more than a page"
    assert login(client, "analyst.demo").status_code == 303
    first = _section(client.get(f"/patents/{number}").text, "cited-heading")
    assert f"（{made}）" in first or f"({made})" in first  # the count is of all of them
    assert first.count("<tr>") == PAGE_SIZE + 1  # the header row and one page
    assert "citations_page=2#cited-heading" in first and 'rel="prev"' not in first
    last_page = (made - 1) // PAGE_SIZE + 1
    last = client.get(f"/patents/{number}", params={"citations_page": last_page}).text
    rows = _section(last, "cited-heading").count("<tr>") - 1
    assert rows == made - (last_page - 1) * PAGE_SIZE
    # the other list stays on its own first page
    cited_by = _section(last, "citing-heading")
    assert cited_by.count("<tr>") - 1 == min(received, PAGE_SIZE) or received == 0


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")
def test_the_pool_administrator_pages_through_the_invoices_newest_first(
    demo_world: tuple[Settings, dict[str, str], list[str]],
) -> None:
    settings, passwords, _data = demo_world
    client = TestClient(create_app(settings))
    assert login(client, "pooladmin.demo", passwords["pooladmin.demo"]).status_code == 303
    home = client.get("/").text
    admin = re.search(r'href="(/pool/\d+/admin)"', home)
    assert admin, "the pool administrator's home links the administration page"
    first = _section(client.get(admin.group(1)).text, "i-heading")
    count = re.search(r'<span class="count">([\d,]+)</span>', first)
    assert count and int(count[1].replace(",", "")) > PAGE_SIZE
    numbers = re.findall(r"<tr><td>([^<]+)</td>", first)
    assert len(numbers) == PAGE_SIZE and numbers == sorted(numbers, reverse=True)
    periods = re.findall(r"<td>(\d{4}-\d\d-\d\d) – (\d{4}-\d\d-\d\d)</td>", first)
    assert len(periods) == PAGE_SIZE and all(start <= end for start, end in periods)
    assert f'href="{admin.group(1)}?page=2#i-heading"' in first
    second = _section(client.get(admin.group(1), params={"page": 2}).text, "i-heading")
    later = re.findall(r"<tr><td>([^<]+)</td>", second)
    assert later and max(later) < min(numbers)
