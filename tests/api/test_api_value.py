"""Patent value over HTTP: the value card, the ranking, high-value patents and money value,
checked against the valuation service called directly on the same corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apihelpers import LiveApi, error_of, first_patent

from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.corpus.store import CorpusStore
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import default_as_of
from ipops.valuation.rankings import patent_value, top_patents
from ipops.valuation.runs import score_corpus
from ipops.valuation.schemes import load_scheme


@pytest.fixture
def bank(role_users: dict[Role, User]) -> User:
    return role_users[Role.BANK_OFFICER]


def get(api: LiveApi, user: User, path: str, **params: Any) -> dict[str, Any]:
    response = api.request("GET", f"/api/v1/value{path}", user, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_value_card_explains_the_score(
    shared_api: LiveApi, bank: User, shared_corpus: Path, tmp_path: Path
) -> None:
    patent_id, number = first_patent(shared_corpus)
    card = get(shared_api, bank, f"/patents/{number}", scheme="finance")
    assert card["patent_id"] == patent_id
    assert card["scheme"].startswith("finance")
    assert card["snapshot_id"] == CorpusStore(shared_corpus).manifest().snapshot_id
    assert [d["degree"] for d in card["degrees"]] == ["legal", "technical", "economic"]
    line = card["indicators"][0]
    assert {
        "indicator",
        "raw",
        "percentile",
        "weight",
        "contribution",
        "available",
        "reason",
    } <= set(line)
    # the expiry with how it was reached, the family basis and the citing universe
    assert card["term"]["how"] and card["term"]["how_zh"]
    assert {"expiry", "basis", "basis_date", "adjustment_days", "upper_bound"} <= set(card["term"])
    assert {"size", "basis", "offices"} <= set(card["family"])
    assert card["forward_citations"]["universe"] in ("loaded", "corpus", "none")
    assert card["cohort_level"] in ("field_year", "year", "kind")
    assert len(card["notes"]) == len(card["notes_zh"]) >= len(card["unavailable"])
    expected = patent_value(
        CorpusStore(shared_corpus),
        tmp_path,
        number,
        load_scheme("finance"),
        # the API values as of the corpus's data cut-off, as the CLI and reports do
        IndicatorOptions(as_of=default_as_of(CorpusStore(shared_corpus)), min_cohort=20),
    )
    assert card["as_of"] == default_as_of(CorpusStore(shared_corpus)).isoformat()
    assert card["pvd"] == pytest.approx(expected.explanation.pvd)
    points = sum(d["contribution"] for d in card["degrees"])
    assert card["pvd"] is None or points == pytest.approx(card["pvd"], abs=0.01)


def test_value_card_errors(shared_api: LiveApi, bank: User, shared_corpus: Path) -> None:
    missing = shared_api.request("GET", "/api/v1/value/patents/CN999999999A", bank)
    assert missing.status_code == 404
    assert "CN999999999A" in error_of(missing)["message"]
    number = first_patent(shared_corpus)[1]
    bad = shared_api.request("GET", f"/api/v1/value/patents/{number}?scheme=../x.toml", bank)
    assert bad.status_code == 422
    assert error_of(bad)["field"] == "scheme"


def test_ranking_is_paged_and_matches_the_service(
    shared_api: LiveApi, bank: User, shared_corpus: Path, tmp_path: Path
) -> None:
    first = get(shared_api, bank, "/top", n=10, page_size=4)
    assert (first["page"], first["page_size"], first["total"]) == (1, 4, 10)
    pages = [first] + [get(shared_api, bank, "/top", n=10, page_size=4, page=p) for p in (2, 3)]
    items = [item for page in pages for item in page["items"]]
    assert [i["rank"] for i in items] == list(range(1, 11))
    pvds = [i["pvd"] for i in items]
    assert pvds == sorted(pvds, reverse=True)
    store = CorpusStore(shared_corpus)
    options = IndicatorOptions(as_of=default_as_of(store), min_cohort=20)
    run = score_corpus(store, tmp_path, load_scheme("default"), options)
    expected = top_patents(store, run, limit=10)
    assert [i["patent_id"] for i in items] == [r.patent_id for r in expected]
    backwards = get(shared_api, bank, "/top", n=10, page_size=10, sort="-rank")
    assert [i["rank"] for i in backwards["items"]] == list(range(10, 0, -1))


def test_ranking_filters(shared_api: LiveApi, bank: User) -> None:
    best = get(shared_api, bank, "/top", n=1)["items"][0]
    by_field = get(shared_api, bank, "/top", field=best["field"], n=50)
    assert by_field["items"] and all(i["field"] == best["field"] for i in by_field["items"])
    ipc = best["main_symbol"][:4]
    by_ipc = get(shared_api, bank, "/top", ipc=ipc, n=50)
    assert by_ipc["items"][0]["patent_id"] == best["patent_id"]
    wrong = shared_api.request("GET", "/api/v1/value/top?field=36", bank)
    assert wrong.status_code == 422 and error_of(wrong)["field"] == "field"
    sort = shared_api.request("GET", "/api/v1/value/top?sort=title", bank)
    assert sort.status_code == 422 and error_of(sort)["field"] == "sort"


def test_high_value_list_has_reasons(shared_api: LiveApi, bank: User) -> None:
    first = get(shared_api, bank, "/high-value", page_size=200)
    assert first["total"] == len(first["items"]) or len(first["items"]) == 200
    assert first["total"] <= first["valid_inventions"]
    assert set(first["by_reason"]) == {
        "strategic_emerging",
        "overseas_family",
        "maintained_10_years",
        "pledge_financing",
        "national_award",
    }
    for item in first["items"]:
        assert item["reasons"] and set(item["evidence"]) == set(item["reasons"])


MONEY = {
    "revenue": ["1000000", "1000000"],
    "royalty_rate": "0.05",
    "tax_rate": "0.25",
    "discount_rate": "0.10",
}


def test_money_worked_example(shared_api: LiveApi, bank: User) -> None:
    # 1,000,000 x 5% x (1 - 25%) = 37,500 a year; 37,500/1.1 + 37,500/1.21 = 65,082.6446...
    response = shared_api.request("POST", "/api/v1/value/money", bank, json=MONEY)
    assert response.status_code == 200, response.text
    income = response.json()["income"]
    assert income["value"] == "65082.64"
    assert [y["after_tax"] for y in income["years"]] == ["37500.00", "37500.00"]
    with_cost = {**MONEY, "cost": "100000", "obsolescence": "0.3"}
    cost = shared_api.request("POST", "/api/v1/value/money", bank, json=with_cost).json()["cost"]
    assert cost["value"] == "70000.00"


def test_money_capped_by_the_legal_term(
    shared_api: LiveApi, bank: User, shared_corpus: Path
) -> None:
    number = first_patent(shared_corpus)[1]
    body = {**MONEY, "numbers": [number], "as_of": "2025-01-01"}
    response = shared_api.request("POST", "/api/v1/value/money", bank, json=body)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["patents"][0]["patent_id"] == first_patent(shared_corpus)[0]


def test_the_money_response_is_documented(shared_api: LiveApi, bank: User) -> None:
    """OpenAPI describes every key of the money valuation, amounts as decimal text."""
    spec = shared_api.request("GET", "/openapi.json", bank).json()
    schemas = spec["components"]["schemas"]

    def model(ref: dict[str, Any]) -> dict[str, Any]:
        return dict(schemas[ref["$ref"].rsplit("/", 1)[1]])

    post = spec["paths"]["/api/v1/value/money"]["post"]
    top = model(post["responses"]["200"]["content"]["application/json"]["schema"])
    income = model(top["properties"]["income"])
    year = model(income["properties"]["years"]["items"])
    term = model(top["properties"]["patents"]["items"])
    cost = model(next(s for s in top["properties"]["cost"]["anyOf"] if "$ref" in s))
    assert year["properties"]["after_tax"]["type"] == "string"
    assert income["properties"]["value"]["type"] == "string"
    with_cost = {**MONEY, "cost": "100000", "obsolescence": "0.3", "tab": True}
    payload = shared_api.request("POST", "/api/v1/value/money", bank, json=with_cost).json()
    assert set(payload) == set(top["properties"])
    assert set(payload["income"]) == set(income["properties"])
    assert set(payload["income"]["years"][0]) == set(year["properties"])
    assert set(payload["cost"]) == set(cost["properties"])
    assert {"patent_id", "term_end", "remaining_years"} <= set(term["properties"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**MONEY, "royalty_rate": 0.05}, "royalty_rate"),
        ({**MONEY, "revenue": ["1000000", 1000000.5]}, "revenue.1"),
        ({**MONEY, "discount_rate": "abc"}, "discount_rate"),
        ({**MONEY, "royalty_rate": "1.5"}, "royalty_rate"),
        ({**MONEY, "surprise": "1"}, "surprise"),
        ({**MONEY, "numbers": ["CN999999999A"]}, "number"),
    ],
)
def test_money_bad_input(shared_api: LiveApi, bank: User, body: dict[str, Any], field: str) -> None:
    response = shared_api.request("POST", "/api/v1/value/money", bank, json=body)
    assert response.status_code in {404, 422}, response.text
    assert error_of(response)["field"] == field
