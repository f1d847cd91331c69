"""`ipops pool ...` and the /pool API end to end on an `ipops demo` workspace."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ipops.accounts.demo import demo_organisation_id, ensure_demo_users
from ipops.accounts.roles import OrgKind
from ipops.api.app import create_app
from ipops.cli.app import app
from ipops.cli.context import app_context
from ipops.errors import Conflict, InvalidTransition, ValidationError
from ipops.pool.demo import LICENSEES, MEMBERS, POOL_NAME, seed_demo_pool
from ipops.registry.db import session_scope

HOLDINGS = """member,patent,family,country,expires
格力,CN1,F1,CN,2030-01-01
格力,CN2,F1,CN,
美的,CN3,F3,CN,2025-05-01
海尔,US1,F4,US,
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A workspace with a generated corpus, the demo users and the demo pool (what `ipops
    demo` builds for pools, without the other domains' demo data)."""
    home = tmp_path_factory.mktemp("pool") / "ws"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        patch.delenv("IPOPS_DATABASE_URL", raising=False)
        invoke("init")
        invoke("corpus", "generate", "--patents", "4000", "--seed", "7")
        ctx = app_context()
        with session_scope(ctx.engine) as session:
            ensure_demo_users(session)
            owner = demo_organisation_id(session, OrgKind.POOL)
            summary = seed_demo_pool(session, ctx.store, seed=7, owner=owner)
        assert summary.members == 10 and summary.experts == 8
        assert summary.reports == 240 and summary.allocations == 12
        yield home


def invoke(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.stdout


def cli_json(home: Path, *args: str) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        return json.loads(invoke(*args, "--json"))


def test_what_if_from_a_holdings_file(tmp_path: Path) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text(HOLDINGS, "utf-8")
    args = ["pool", "allocate", "--amount", "1000.00", "--admin-fee", "0.1", "--country", "CN"]
    result = json.loads(invoke(*args, "--holdings", str(path), "--date", "2025-06-01", "--json"))
    assert result["admin_fee"] == "100.00"
    assert [(m["member"], m["patents"], m["amount"]) for m in result["members"]] == [
        ("格力", ["CN1", "CN2"], "900.00")
    ]
    early = json.loads(invoke(*args, "--holdings", str(path), "--date", "2025-04-30", "--json"))
    assert [m["amount"] for m in early["members"]] == ["600.00", "300.00"]
    families = json.loads(
        invoke(
            *args, "--holdings", str(path), "--date", "2025-04-30", "--count", "families", "--json"
        )
    )
    assert [m["amount"] for m in families["members"]] == ["450.00", "450.00"]


def test_what_if_refuses_a_float_like_fen_amount_and_unknown_country(tmp_path: Path) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text(HOLDINGS, "utf-8")
    result = CliRunner().invoke(
        app, ["pool", "allocate", "--amount", "10.005", "--country", "CN", "--holdings", str(path)]
    )
    assert isinstance(result.exception, ValidationError)
    assert "fraction of a fen" in str(result.exception)
    result = CliRunner().invoke(
        app, ["pool", "allocate", "--amount", "10", "--country", "BR", "--holdings", str(path)]
    )
    assert isinstance(result.exception, ValidationError)
    assert "no pool patent is in force in BR" in str(result.exception)


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_stats_statement_and_what_if_on_the_demo_pool(home: Path) -> None:
    stats = cli_json(home, "pool", "stats", POOL_NAME, "--date", "2025-06-01")
    comp = stats["composition"]
    assert comp["patents_listed"] > 0 and len(comp["by_member"]) == 10
    assert len(stats["income"]["by_period"]) == 12
    allocations = cli_json(home, "pool", "allocations", POOL_NAME)
    for run in allocations:  # the parts always equal the whole
        cents = lambda s: int(s.replace(".", ""))  # noqa: E731
        assert cents(run["collected"]) == cents(run["admin_fee"]) + sum(
            cents(m["amount"]) for m in run["members"]
        )
    listing = cli_json(home, "pool", "show", POOL_NAME, "--date", "2025-06-01")
    patent = next(p for p in listing["patents"] if p["in_force"])
    base = ["pool", "allocate", "--pool", POOL_NAME, "--amount", "10000.00"]
    base += ["--country", patent["country"], "--date", "2025-06-01"]
    before = cli_json(home, *base)
    after = cli_json(home, *base, "--expire", patent["number"])
    counted = {p for m in before["members"] for p in m["patents"]}
    assert patent["number"] in counted
    assert patent["number"] not in {p for m in after["members"] for p in m["patents"]}
    ledger = cli_json(
        home,
        "pool",
        "statement",
        POOL_NAME,
        MEMBERS[0],
        "--period",
        "2025-03",
    )
    assert ledger["lines"] and all(line["patents"] for line in ledger["lines"])
    cases = cli_json(home, "pool", "case", "list", POOL_NAME)
    closed = next(c for c in cases if c["status"] == "closed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        refused = CliRunner().invoke(
            app, ["pool", "case", "status", POOL_NAME, str(closed["id"]), "negotiating"]
        )
    assert isinstance(refused.exception, InvalidTransition)
    assert "allowed: none" in str(refused.exception)


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        with TestClient(create_app()) as client:
            yield client


def token(client: TestClient, username: str, role: str) -> dict[str, str]:
    body = {"username": username, "password": f"demo-{role}-2019!", "name": "t"}
    response = client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_the_pool_list_is_public_without_login(client: TestClient) -> None:
    pools = client.get("/api/v1/pool/pools").json()
    pool_id = pools[0]["id"]
    listing = client.get(f"/api/v1/pool/pools/{pool_id}/public").json()
    assert listing["demo"] is True and len(listing["members"]) == 10
    assert {"number", "country", "member", "expires_on", "in_force"} <= set(listing["patents"][0])
    page = client.get(f"/pool/{pool_id}")
    assert page.status_code == 200 and listing["patents"][0]["number"] in page.text
    assert client.get(f"/api/v1/pool/pools/{pool_id}/stats").status_code == 401


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_a_member_sees_only_its_own_statement(client: TestClient) -> None:
    headers = token(client, "member.demo", "pool_member")
    mine = client.get("/api/v1/pool/pools/1/members/1/statement", headers=headers)
    assert mine.status_code == 200 and mine.json()["lines"]
    other = client.get("/api/v1/pool/pools/1/members/2/statement", headers=headers)
    assert other.status_code == 404
    assert client.get("/api/v1/pool/pools/1/allocations", headers=headers).status_code == 403


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_an_expert_sees_and_answers_its_own_assignments(client: TestClient) -> None:
    headers = token(client, "expert.demo", "expert")
    mine = client.get("/api/v1/pool/pools/1/assignments", headers=headers).json()
    assert mine and {a["expert"] for a in mine} == {"专家01（演示）"}
    pending = next(a for a in mine if a["opinion"] is None)
    answered = client.post(
        f"/api/v1/pool/pools/1/assignments/{pending['id']}/opinion",
        headers=headers,
        json={"opinion": "essential", "note": "claim 1 maps to the reference design"},
    )
    assert answered.status_code == 200 and answered.json()["opinion"] == "essential"
    admin = token(client, "pooladmin.demo", "pool_admin")
    everyone = client.get("/api/v1/pool/pools/1/assignments", headers=admin).json()
    foreign = next(a for a in everyone if a["expert"] != "专家01（演示）")
    denied = client.post(
        f"/api/v1/pool/pools/1/assignments/{foreign['id']}/opinion",
        headers=headers,
        json={"opinion": "essential", "note": "x"},
    )
    assert denied.status_code == 404


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_reports_refuse_floats_and_bad_rows_whole(client: TestClient) -> None:
    admin = token(client, "pooladmin.demo", "pool_admin")
    licensee = f"{LICENSEES[1]}（演示）"
    line = {"category": "split-ac", "made_in": "CN", "sold_in": "US", "units": 10}
    bad_float = {**line, "units": 10.0}
    response = client.post(
        "/api/v1/pool/pools/1/reports",
        headers=admin,
        json={"licensee": licensee, "period": "2026-01", "lines": [line, bad_float]},
    )
    assert response.status_code == 422
    response = client.post(
        "/api/v1/pool/pools/1/reports",
        headers=admin,
        json={
            "licensee": licensee,
            "period": "2026-01",
            "lines": [line, {**line, "sold_in": "ZZ"}],
        },
    )
    assert response.status_code == 422 and response.json()["error"]["field"] == "row 2.sold_in"
    ok = client.post(
        "/api/v1/pool/pools/1/reports",
        headers=admin,
        json={"licensee": licensee, "period": "2026-01", "lines": [line]},
    )
    assert ok.status_code == 201, ok.text
    assert re.fullmatch(r"\d+\.\d\d", ok.json()["amount"])
    what_if = client.post(
        "/api/v1/pool/pools/1/what-if", headers=admin, json={"amount": 100.5, "country": "CN"}
    )
    assert what_if.status_code == 422


def web_login(client: TestClient, username: str, role: str) -> None:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    body = {"username": username, "password": f"demo-{role}-2019!", "csrf_token": csrf.group(1)}
    assert client.post("/login", data=body, follow_redirects=False).status_code == 303


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_pages_public_list_statement_scope_and_expert_form(home: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        app_ = create_app()
    anonymous = TestClient(app_)
    assert anonymous.get("/pool").status_code == 200
    assert "统一社会信用代码" in anonymous.get("/pool/1").text  # Chinese by default, no login
    assert anonymous.get("/pool/1/admin", follow_redirects=False).status_code == 303
    member = TestClient(app_)
    web_login(member, "member.demo", "pool_member")
    assert member.get("/pool/1/members/1/statement").status_code == 200
    assert member.get("/pool/1/members/2/statement").status_code == 404
    assert member.get("/pool/1/admin").status_code == 403
    expert = TestClient(app_)
    web_login(expert, "expert.demo", "expert")
    page = expert.get("/pool/1/assignments").text
    form = re.search(r'action="/pool/1/assignments/(\d+)/opinion"', page)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert form is not None and csrf is not None
    url = f"/pool/1/assignments/{form.group(1)}/opinion"
    body = {"csrf_token": csrf.group(1), "opinion": "not_essential", "note": "avoidable"}
    assert expert.post(url, data=body, follow_redirects=False).status_code == 303
    assert expert.post(url, data={**body, "csrf_token": "x"}).status_code in (400, 403)


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_own_lists_through_the_api_on_the_demo_pool(client: TestClient) -> None:
    member = token(client, "member.demo", "pool_member")
    mine = client.get("/api/v1/pool/pools/1/members/1/patents", headers=member)
    assert mine.status_code == 200 and mine.json()
    assert len({p["member"] for p in mine.json()}) == 1  # only its own
    assert client.get("/api/v1/pool/pools/1/members/2/patents", headers=member).status_code == 404
    assert client.get("/api/v1/pool/pools/1/assignments", headers=member).status_code == 403
    licensee = token(client, "licensee.demo", "licensee")
    own = client.get("/api/v1/pool/pools/1/licensees/1/account", headers=licensee)
    assert own.status_code == 200 and len(own.json()["reports"]) == 12  # a year of months
    assert (
        client.get("/api/v1/pool/pools/1/licensees/2/account", headers=licensee).status_code == 404
    )
    assert client.get("/api/v1/pool/pools/1/invoices", headers=licensee).status_code == 403


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_pages_my_patents_and_my_invoices_stay_in_the_organisation(home: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        app_ = create_app()
    member = TestClient(app_)
    web_login(member, "member.demo", "pool_member")
    assert "/pool/1/members/1/patents" in member.get("/pool/1/members/1/statement").text
    page = member.get("/pool/1/members/1/patents")
    assert page.status_code == 200 and "已提交专利" in page.text and "入池状态" in page.text
    assert member.get("/pool/1/members/2/patents").status_code == 404
    assert member.get("/pool/1/licensees/1/account").status_code == 403
    assert member.get("/pool/1/assignments").status_code == 403  # may never review
    licensee = TestClient(app_)
    web_login(licensee, "licensee.demo", "licensee")
    public = licensee.get("/pool/1").text
    link = re.search(r'href="(/pool/1/licensees/\d+/account)"', public)
    assert link is not None and "我的发票与报告" in public
    account = licensee.get(link.group(1))
    assert account.status_code == 200 and "发票与许可费报告" in account.text
    assert licensee.get("/pool/1/licensees/2/account").status_code == 404
    assert licensee.get("/pool/1/members/1/patents").status_code == 403
    licensee.get("/lang/en?next=/pool/1")
    english = licensee.get(link.group(1)).text
    assert "Invoices and royalty reports" in english and "Outstanding" in english


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_settle_year_from_the_command_line(home: Path, tmp_path: Path) -> None:
    """A licence with a minimum of 1,000.00 and one report of 300.00 (100 units x 3.00 sold
    in the US) in 2026: a top-up of 700.00, dated the settlement day, due 30 days later;
    the second settlement is refused (a Conflict: exit 4), as is a year not ended yet."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        reported = _licence_with_one_report(tmp_path, "CLI Minimum Ltd", "--minimum", "1000.00")
        assert reported["amount"] == "300.00"
        settle = ("pool", "settle-year", "--pool", POOL_NAME, "--year", "2026")
        args = (*settle, "--licensee", "CLI Minimum Ltd", "--on", "2027-01-20")
        (done,) = json.loads(invoke(*args, "--json"))["licences"]
        assert (done["outcome"], done["royalty"], done["top_up"]) == (
            "topped_up",
            "300.00",
            "700.00",
        )
        assert (done["invoice"]["issued_on"], done["invoice"]["due_on"]) == (
            "2027-01-20",
            "2027-02-19",
        )
        again = CliRunner().invoke(app, list(args))
        early = CliRunner().invoke(app, [*settle, "--on", "2026-12-31"])
    assert isinstance(again.exception, Conflict)  # exit 4 from `ipops`
    assert "2026 was settled already for CLI Minimum Ltd" in str(again.exception)
    assert isinstance(early.exception, ValidationError)  # exit 2
    assert "only after it ended" in str(early.exception)


@pytest.mark.slow  # the module builds an `ipops demo` workspace (about 30 s)
def test_an_invoice_waived_below_the_floor_is_marked_in_the_list_and_on_the_admin_page(
    home: Path, tmp_path: Path
) -> None:
    """A floor of 1,000.00 and one report of 300.00 in 2026: settled in 2027, the invoice is
    waived; `pool invoices` and the administrator's page say so (the page in Chinese)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        reported = _licence_with_one_report(tmp_path, "CLI Floor Ltd", "--floor", "1000.00")
        settle = ("pool", "settle-year", "--pool", POOL_NAME, "--year", "2026")
        invoke(*settle, "--licensee", "CLI Floor Ltd", "--on", "2027-01-20")
        listed = json.loads(invoke("pool", "invoices", POOL_NAME, "--json"))
        table = invoke("pool", "invoices", POOL_NAME)
        app_ = create_app()
    (row,) = [r for r in listed if r["licensee"] == "CLI Floor Ltd"]
    assert (row["invoice"], row["amount"]) == (reported["invoice"], "300.00")
    assert row["waived_on"] == "2027-01-20"
    assert all("waived_on" not in r for r in listed if r["licensee"] != "CLI Floor Ltd")
    assert "waived" in table  # the table wraps its cells at 80 columns
    admin = TestClient(app_)
    web_login(admin, "pooladmin.demo", "pool_admin")
    page = admin.get("/pool/1/admin").text
    assert "免除（低于年度起付线）" in page


def _licence_with_one_report(tmp_path: Path, name: str, term: str, amount: str) -> Any:
    """A licensee signed for 2026-2028 with ``term`` (``--floor``/``--minimum``) ``amount``
    and one accepted report of 300.00 (100 units x 3.00 sold in the US, March 2026)."""
    lines = tmp_path / "small.csv"
    lines.write_text("category,made_in,sold_in,units,net_sales\nsplit-ac,TH,US,100,\n")
    invoke("pool", "licensee", "add", POOL_NAME, name, "--country", "TH")
    invoke(
        "pool", "licensee", "sign", POOL_NAME, name, "--from", "2026-01-01",
        "--to", "2028-12-31", "--signed", "2025-12-01", term, amount,
    )  # fmt: skip
    report = ("pool", "report", POOL_NAME, name, str(lines), "--period", "2026-03")
    return json.loads(invoke(*report, "--accepted-on", "2026-04-05", "--json"))
