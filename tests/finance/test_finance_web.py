"""Finance pages and API per role, over HTTP on a real workspace (SQLite, DuckDB)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from financebuilders import ACME, build_web_world

from ipops.api.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from webhelpers import PASSWORDS, csrf_of, login


@pytest.fixture(scope="module")
def app_and_ids(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, dict[str, int]]:
    settings, ids, passwords = build_web_world(tmp_path_factory.mktemp("finweb") / "ws")
    PASSWORDS.update(passwords)
    return create_app(settings), ids


def client_for(app: object, username: str | None) -> TestClient:
    client = TestClient(app)  # type: ignore[arg-type]
    if username:
        assert login(client, username).status_code == 303
    return client


def test_enterprise_matches_applies_and_sees_only_its_own(
    app_and_ids: tuple[object, dict[str, int]],
) -> None:
    app, ids = app_and_ids
    client = client_for(app, "enterprise.demo")
    home = client.get("/finance")
    assert home.status_code == 200 and ACME in home.text
    assert client.get(f"/finance/enterprises/{ids['other']}").status_code == 404
    assert client.get(f"/finance/loans/{ids['their_loan']}").status_code == 404
    page = client.get(f"/finance/enterprises/{ids['acme']}/apply")
    form = {
        "csrf_token": csrf_of(page.text),
        "amount": "400000",
        "term": "12",
        "patents": "CN1001=1000000",
    }
    matched = client.post(f"/finance/enterprises/{ids['acme']}/apply", data=form)
    assert matched.status_code == 200 and "贷mine" in matched.text and "✓" in matched.text
    bad = client.post(
        f"/finance/enterprises/{ids['acme']}/apply", data={**form, "patents": "CN1005=1000000"}
    )
    assert bad.status_code == 422 and "已授权且有效" in bad.text and "CN1005" in bad.text
    done = client.post(
        f"/finance/enterprises/{ids['acme']}/apply",
        data={**form, "product": str(ids["mine"])},
        follow_redirects=False,
    )
    assert done.status_code == 303
    loans = client.get("/api/v1/finance/loans").json()
    assert [x["enterprise_id"] for x in loans] == [ids["acme"]]
    # applied today, after the day the rate table is checked through: registered with it
    assert "after 2025-10-20" in loans[0]["registration"]["benchmark_warning"]


def test_bank_officer_decides_only_its_own_queue(
    app_and_ids: tuple[object, dict[str, int]],
) -> None:
    app, ids = app_and_ids
    client = client_for(app, "bank.demo")
    desk = client.get("/finance")
    assert desk.status_code == 200
    assert client.get(f"/finance/loans/{ids['their_loan']}").status_code == 404
    routed = client.get("/api/v1/finance/loans").json()
    assert routed and all(
        x["bank_id"] != ids["their_loan"] or x["id"] != ids["their_loan"] for x in routed
    )
    loan_id = routed[0]["id"]
    page = client.get(f"/finance/loans/{loan_id}")
    wrong = client.post(
        f"/finance/loans/{loan_id}",
        data={"csrf_token": csrf_of(page.text), "step": "action", "action": "disburse"},
    )
    assert wrong.status_code == 422 and "贷款当前状态不允许此操作" in wrong.text
    assert "可进行的操作：批准、拒绝、撤回申请" in wrong.text
    ok = client.post(
        f"/finance/loans/{loan_id}",
        data={"csrf_token": csrf_of(page.text), "step": "action", "action": "approve"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    api = client.post(
        f"/api/v1/finance/loans/{ids['their_loan']}/actions", json={"action": "approve"}
    )
    assert api.status_code == 404


def test_operator_dashboard_claims_and_calculator(
    app_and_ids: tuple[object, dict[str, int]],
) -> None:
    app, _ = app_and_ids
    client = client_for(app, "admin.demo")
    page = client.get("/finance")
    assert (
        page.status_code == 200
        and "知识产权质押融资额" in page.text
        and "ningchuangdai" in page.text
    )
    xlsx = client.get("/finance/claims.xlsx?start=2024-01-01&end=2026-12-31")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    floats = client.post(
        "/api/v1/finance/compensation",
        json={
            "principal": 1000000.5,
            "repaid": "0",
            "days_overdue": 70,
            "bank_weak_share": "0.3",
            "rate": "0.05",
            "benchmark_rate": "0.0435",
        },
    )
    assert floats.status_code == 422 and "float" in floats.text
    good = client.post(
        "/api/v1/finance/compensation",
        json={
            "principal": "1000000",
            "repaid": "0",
            "days_overdue": 70,
            "bank_weak_share": "0.3",
            "rate": "0.05",
            "benchmark_rate": "0.0435",
        },
    ).json()
    assert good["amount"] == "900000.00"
    assert client_for(app, "member.demo").get("/finance").status_code == 403


def test_financial_inputs_through_the_api_and_on_the_page(
    app_and_ids: tuple[object, dict[str, int]],
) -> None:
    app, ids = app_and_ids
    admin = client_for(app, "admin.demo")
    url = f"/api/v1/finance/enterprises/{ids['acme']}/financials"
    bad = admin.patch(url, json={"bureau_flags": ["失信"]})
    assert bad.status_code == 422 and "bureau_flags" in bad.text
    assert admin.patch(url, json={"rd_spend": 1.5}).status_code == 422  # a float
    done = admin.patch(url, json={"rd_spend": "150000", "bureau_flags": ["失信被执行人"]})
    assert done.status_code == 200, done.text
    assert done.json()["bureau_flags"] == ["dishonest_debtor"]
    assert done.json()["rd_spend"] == "150000.00"
    card = admin.get(f"/api/v1/finance/enterprises/{ids['acme']}/rating").json()
    shown = {i["name"]: i for i in card["financial_inputs"]}
    assert shown["credit_bureau_flags"]["value"]["flags"] == [
        {"code": "dishonest_debtor", "label": "失信被执行人"}
    ]
    assert [a["name"] for a in card["adjustments"]] == ["rd_intensity", "bureau_flags"]
    page = admin.get(f"/finance/enterprises/{ids['acme']}")
    assert page.status_code == 200
    assert "财务信息" in page.text and "研发费用" in page.text and "失信被执行人" in page.text
    assert "未查询征信" in page.text  # the rating predates the flags: shown as not checked
    # the enterprise user cannot set its own inputs
    own = client_for(app, "enterprise.demo").patch(url, json={"rd_spend": "1"})
    assert own.status_code == 403
    cleared = admin.patch(url, json={"rd_spend": None, "bureau_flags": None})
    assert cleared.json()["rd_spend"] is None and cleared.json()["bureau_flags"] is None


def test_a_loan_after_the_checked_through_day_is_warned_in_api_and_page(
    app_and_ids: tuple[object, dict[str, int]],
) -> None:
    app, ids = app_and_ids
    admin = client_for(app, "admin.demo")
    body = {
        "principal": "1000000",
        "repaid": "0",
        "days_overdue": 90,
        "bank_weak_share": "0.25",
        "rate": "0.035",
        "term_months": 12,
    }
    late = admin.post("/api/v1/finance/compensation", json={**body, "loan_date": "2026-01-05"})
    assert late.status_code == 200, late.text
    assert "after 2025-10-20" in late.json()["benchmark"]["warning"]
    early = admin.post("/api/v1/finance/compensation", json={**body, "loan_date": "2025-10-20"})
    assert early.json()["benchmark"]["warning"] is None
    client = client_for(app, "enterprise.demo")
    page = client.get(f"/finance/enterprises/{ids['acme']}/apply")
    form = {"csrf_token": csrf_of(page.text), "amount": "400000", "term": "12"}
    matched = client.post(
        f"/finance/enterprises/{ids['acme']}/apply", data={**form, "patents": "CN1001=1000000"}
    )
    assert matched.status_code == 200 and "参考利率表仅核对至" in matched.text


def test_a_registered_pledge_in_the_api_and_on_the_loan_page(
    app_and_ids: tuple[object, dict[str, int]],
) -> None:
    """The registration answers its record (money as text, the debt term as two days), the
    loan's detail carries the same record, and the page shows it."""
    app, _ids = app_and_ids
    client = client_for(app, "bank.demo")
    approved = [x for x in client.get("/api/v1/finance/loans").json() if x["state"] == "approved"]
    assert approved, "the bank's test approved a loan"
    loan_id = approved[0]["id"]
    made = client.post(
        f"/api/v1/finance/loans/{loan_id}/pledge",
        json={"registration_number": "Y2024320000077", "registered_on": "2024-03-15"},
    )
    assert made.status_code == 201, made.text
    pledge = made.json()
    assert pledge["registration_number"] == "Y2024320000077"
    assert pledge["secured_amount"] == "400000.00"
    assert pledge["debt_term"] == ["2024-03-15", "2025-03-15"]
    assert [p["patent_id"] for p in pledge["patents"]] == ["CN1001"]
    detail = client.get(f"/api/v1/finance/loans/{loan_id}").json()
    assert detail["pledges"] == [pledge] and detail["id"] == loan_id
    assert {"schedule", "alerts", "allowed_actions"} <= set(detail)
    page = client.get(f"/finance/loans/{loan_id}")
    assert "Y2024320000077" in page.text and "400,000.00" in page.text
