"""Finance pages and API per role, over HTTP on a real workspace (SQLite, DuckDB)."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from financebuilders import ACME, ACTOR, AS_OF, VALID_CODES, build_world

from ipops.accounts import service as accounts
from ipops.accounts.roles import OrgKind
from ipops.api.app import create_app
from ipops.config import Settings
from ipops.finance import service
from ipops.registry.db import session_scope
from ipops.web.demo_users import DEMO_ORGANISATIONS, ensure_demo_users
from ipops.workspace import create_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from webhelpers import PASSWORDS, csrf_of, login


@pytest.fixture(scope="module")
def app_and_ids(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, dict[str, int]]:
    root = tmp_path_factory.mktemp("finweb") / "ws"
    settings = Settings(home=root)
    workspace = create_workspace(settings)
    world = build_world(root, workspace.database_url)
    with session_scope(world.engine) as s:
        PASSWORDS.update(ensure_demo_users(s))
        org = {
            kind: accounts.ensure_organisation(
                db_session=s, name=DEMO_ORGANISATIONS[kind], kind=kind, actor=ACTOR
            ).id
            for kind in (OrgKind.BANK, OrgKind.ENTERPRISE)
        }
        acme = service.register_enterprise(
            db_session=s,
            actor=ACTOR,
            name=ACME,
            credit_code=VALID_CODES[0],
            region="320106",
            industry="制造业",
            size="small",
            organisation_id=org[OrgKind.ENTERPRISE],
        )
        other = service.register_enterprise(
            db_session=s,
            actor=ACTOR,
            name="上海别家电器有限公司",
            credit_code=VALID_CODES[1],
            region="310104",
            industry="制造业",
            size="micro",
        )
        service.link_patents(db_session=s, store=world.store, actor=ACTOR, enterprise=acme)
        service.link_patents(db_session=s, store=world.store, actor=ACTOR, enterprise=other)
        service.rate_enterprises(
            db_session=s,
            store=world.store,
            valuation_root=world.valuation,
            actor=ACTOR,
            as_of=AS_OF,
        )
        mine = service.add_bank(
            db_session=s, actor=ACTOR, name="示范银行", organisation_id=org[OrgKind.BANK]
        )
        theirs = service.add_bank(db_session=s, actor=ACTOR, name="别的银行", organisation_id=None)
        ids = {"acme": acme.id, "other": other.id}
        for bank, key in ((mine, "mine"), (theirs, "theirs")):
            ids[key] = service.add_product(
                db_session=s,
                actor=ACTOR,
                bank=bank,
                spec=service.ProductInput(
                    name=f"贷{key}",
                    min_amount=Decimal(100000),
                    max_amount=Decimal(5000000),
                    min_term_months=6,
                    max_term_months=36,
                    rate_multiple=Decimal("1.1"),
                    min_grade="C",
                ),
            ).id
        app = service.prepare_application(
            db_session=s,
            store=world.store,
            enterprise=other,
            amount="100000",
            term_months=12,
            offered=[service.Collateral("CN2001", value=Decimal("900000"))],
        )
        ids["their_loan"] = service.submit(
            db_session=s,
            actor=ACTOR,
            application=app,
            product_id=ids["theirs"],
            applied_on=date(2024, 3, 1),
        ).id
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
    assert bad.status_code == 422 and "lapsed" in bad.text
    done = client.post(
        f"/finance/enterprises/{ids['acme']}/apply",
        data={**form, "product": str(ids["mine"])},
        follow_redirects=False,
    )
    assert done.status_code == 303
    loans = client.get("/api/v1/finance/loans").json()
    assert [x["enterprise_id"] for x in loans] == [ids["acme"]]


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
    assert wrong.status_code == 422 and "allowed: approve, reject, withdraw" in wrong.text
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
