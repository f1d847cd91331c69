"""The write endpoints of /api/v1/pool: each one's happy path, a refusal, and that a refused
request leaves nothing behind (one transaction per request); on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from poolbuild import ACTOR, POOL, build_pool, code
from sqlalchemy import Engine, func, select

from ipops.accounts import organisations, passwords, tokens, users
from ipops.accounts.roles import OrgKind, Role
from ipops.api.app import create_app
from ipops.audit.models import AuditRecord
from ipops.config import Settings
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.corpus.store import CorpusStore
from ipops.pool import licensing, membership
from ipops.pool.models import (
    Agreement,
    Assignment,
    Decision,
    Dispute,
    Expert,
    Invoice,
    Licensee,
    Member,
    PatentEvent,
    Payment,
    Pool,
    PoolPatent,
    Report,
    ReportLine,
    YearSettlement,
)
from ipops.registry.db import make_engine, session_scope, upgrade
from ipops.workspace import create_workspace

POOL_TABLES = (
    Pool,
    Member,
    Expert,
    PoolPatent,
    Assignment,
    Decision,
    PatentEvent,
    Licensee,
    Agreement,
    Report,
    ReportLine,
    Invoice,
    Payment,
    YearSettlement,
    Dispute,
    AuditRecord,
)
TERMS: dict[str, Any] = {
    "name": "新建专利池",
    "field": "air conditioning",
    "administrator": "联盟",
    "categories": {"split-ac": "split", "chiller": "chiller"},
    "rates": {"split-ac": {"unit": "3.00"}, "chiller": {"percent": "0.5"}},
    "regional": {"IN": "0.5"},
    "admin_fee_rate": "0.1",
}
LINE = {"category": "split-ac", "made_in": "TH", "sold_in": "US", "units": 100}


@pytest.fixture(scope="module", autouse=True)
def light_argon2() -> Iterator[None]:
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    yield
    passwords.use_hasher(previous)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pool-api-corpus")
    url = f"sqlite:///{root / 'load.sqlite'}"
    upgrade(url)
    load_generated(
        LoadTarget(CorpusStore(root / "corpus"), make_engine(url), root / "rejects"),
        patents=200,
        seed=3,
    )
    return root / "corpus"


@dataclass
class Api:
    client: TestClient
    engine: Engine

    def headers(self, role: Role, organisation: str | None = None) -> dict[str, str]:
        with session_scope(self.engine) as session:
            org_id = None
            if organisation is not None:
                found = organisations.get_organisation_by_name(
                    db_session=session, name=organisation
                )
                org = found or organisations.create_organisation(
                    db_session=session, name=organisation, kind=OrgKind.ENTERPRISE, actor=ACTOR
                )
                org_id = org.id
            user = users.create_user(
                db_session=session,
                username=f"{role.value}{next_number()}",
                password="Correct-horse-7",
                role=role,
                organisation_id=org_id,
                actor=ACTOR,
            )
            _token, secret = tokens.issue_token(
                db_session=session, user=user, name="t", actor=ACTOR
            )
        return {"Authorization": f"Bearer {secret}"}

    def post(self, path: str, headers: dict[str, str], body: Any) -> httpx.Response:
        return self.client.post(f"/api/v1/pool{path}", headers=headers, json=body)

    def counts(self) -> dict[str, int]:
        with session_scope(self.engine) as session:
            return {
                t.__tablename__: int(session.scalar(select(func.count()).select_from(t)) or 0)
                for t in POOL_TABLES
            }

    def pool_id(self) -> int:
        with session_scope(self.engine) as session:
            return membership.get_pool(db_session=session, name=POOL).id


_numbers = iter(range(1, 10**6))


def next_number() -> int:
    return next(_numbers)


@pytest.fixture
def api(tmp_path: Path, registry_url: str, corpus: Path) -> Iterator[Api]:
    root = tmp_path / "workspace"
    root.mkdir()
    (root / "corpus").symlink_to(corpus, target_is_directory=True)
    settings = Settings(home=root, database_url=registry_url)
    create_workspace(settings)
    app = create_app(settings, web=False)
    with TestClient(app) as client:
        yield Api(client, app.state.ipops.engine)


ALLIANCE = "空调联盟"  # the organisation of the pool administrator, owner of its pools


@pytest.fixture
def built(api: Api) -> int:
    """The small pool of poolbuild (three members, five admitted patents, one licensee),
    owned by the administrator's organisation."""
    with session_scope(api.engine) as session:
        pool = build_pool(session)
        found = organisations.get_organisation_by_name(db_session=session, name=ALLIANCE)
        owner = found or organisations.create_organisation(
            db_session=session, name=ALLIANCE, kind=OrgKind.POOL, actor=ACTOR
        )
        pool.organisation_id = owner.id
        return pool.id


@pytest.fixture
def admin(api: Api) -> dict[str, str]:
    return api.headers(Role.POOL_ADMIN, ALLIANCE)


def refused(api: Api, response: httpx.Response, status: int, field: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    if field is not None:
        assert error["field"] == field, error
    return dict(error)


def unchanged(api: Api, before: dict[str, int]) -> None:
    assert api.counts() == before


# --------------------------------------------------------------------------- pools


def test_create_and_configure_a_pool(api: Api, admin: dict[str, str]) -> None:
    created = api.post("/pools", admin, TERMS)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["rates"]["split-ac"] == {"kind": "unit", "value": "3.00"}
    assert body["admin_fee_rate"] == "0.1" and body["quorum"] == 2
    changed = api.client.patch(
        f"/api/v1/pool/pools/{body['id']}",
        headers=admin,
        json={"admin_fee_rate": "0.08", "majority": "two_thirds"},
    )
    assert changed.status_code == 200 and changed.json()["majority"] == "two_thirds"
    before = api.counts()
    bad = api.client.patch(
        f"/api/v1/pool/pools/{body['id']}", headers=admin, json={"majority": "most"}
    )
    refused(api, bad, 422, "majority")
    unchanged(api, before)
    with session_scope(api.engine) as session:
        audit = session.scalars(select(AuditRecord.action).where(AuditRecord.object_type == "pool"))
        assert set(audit) == {"pool.created", "pool.configured"}


def test_creating_a_pool_refuses_floats_unknown_categories_and_other_roles(
    api: Api, admin: dict[str, str]
) -> None:
    analyst = api.headers(Role.ANALYST)
    before = api.counts()
    floats = {**TERMS, "rates": {"split-ac": {"unit": 3.0}}}
    refused(api, api.post("/pools", admin, floats), 422, "rates.split-ac.unit")
    unknown = {**TERMS, "rates": {**TERMS["rates"], "vrf": {"unit": "2.00"}}}
    assert "vrf" in refused(api, api.post("/pools", admin, unknown), 422, "rates")["message"]
    refused(api, api.post("/pools", analyst, TERMS), 403, None)
    unchanged(api, before)
    assert api.post("/pools", admin, TERMS).status_code == 201
    refused(api, api.post("/pools", admin, TERMS), 409, "name")


# --------------------------------------------------------------------------- members, experts


def test_members_need_a_valid_uscc_and_experts_a_recommending_member(
    api: Api, admin: dict[str, str], built: int
) -> None:
    member = {"name": "奥克斯", "uscc": code("77")}
    added = api.post(f"/pools/{built}/members", admin, member)
    assert added.status_code == 201, added.text
    assert added.json()["uscc"] == code("77") and added.json()["country"] == "CN"
    foreign = {"name": "Daikin", "country": "JP", "foreign_registration": "0120-01-008"}
    assert api.post(f"/pools/{built}/members", admin, foreign).status_code == 201
    before = api.counts()
    bad = {"name": "假公司", "uscc": code("78")[:-1] + "0"}
    assert (
        "Unified Social Credit Code"
        in refused(api, api.post(f"/pools/{built}/members", admin, bad), 422, "uscc")["message"]
    )
    refused(api, api.post(f"/pools/{built}/members", admin, member), 409, "name")
    no_org = {"name": "某公司", "uscc": code("79"), "organisation_id": 999}
    refused(api, api.post(f"/pools/{built}/members", admin, no_org), 404, "organisation_id")
    expert = {"name": "专家X", "recommended_by": "无此成员"}
    refused(api, api.post(f"/pools/{built}/experts", admin, expert), 404, "member")
    unchanged(api, before)
    ok = api.post(f"/pools/{built}/experts", admin, {**expert, "recommended_by": "奥克斯"})
    assert ok.status_code == 201 and ok.json()["recommended_by"] == "奥克斯"
    experts = api.client.get(f"/api/v1/pool/pools/{built}/experts", headers=admin).json()
    assert ("专家X", "奥克斯") in {(e["name"], e["recommended_by"]) for e in experts}


# --------------------------------------------------------------------------- admission


def test_admission_through_the_api_from_submission_to_decision_and_event(
    api: Api, admin: dict[str, str], built: int
) -> None:
    facts = {
        "member": "格力",
        "number": "cn999",
        "country": "CN",
        "title": "空调",
        "filing_date": "2020-01-01",
        "expires_on": "2040-01-01",
        "family": "F9",
    }
    submitted = api.post(f"/pools/{built}/patents", admin, facts)
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["number"] == "CN999" and submitted.json()["status"] == "submitted"
    waiting = api.client.get(
        f"/api/v1/pool/pools/{built}/patents?status=submitted", headers=admin
    ).json()
    assert [(p["number"], p["member"]) for p in waiting] == [("CN999", "格力")]
    before = api.counts()
    conflicted = api.post(
        f"/pools/{built}/assignments", admin, {"patent": "CN999", "expert": "专家0"}
    )
    assert "recommended" in refused(api, conflicted, 409, None)["message"]
    unchanged(api, before)
    for expert in ("专家1", "专家2"):
        body = {"patent": "CN999", "expert": expert}
        assert api.post(f"/pools/{built}/assignments", admin, body).status_code == 201
        assignment = api.client.get(f"/api/v1/pool/pools/{built}/assignments", headers=admin)
        mine = next(
            a for a in assignment.json() if a["expert"] == expert and a["patent"] == "CN999"
        )
        opinion = {"opinion": "essential", "note": "claim 1 reads on the standard"}
        path = f"/pools/{built}/assignments/{mine['id']}/opinion"
        assert api.post(path, admin, opinion).status_code == 200
    decided = api.post(f"/pools/{built}/patents/CN999/decision", admin, {"on": "2025-01-01"})
    assert decided.status_code == 201, decided.text
    assert decided.json()["admitted"] is True and len(decided.json()["votes"]) == 2
    before = api.counts()
    again = api.post(f"/pools/{built}/patents/CN999/decision", admin, {})
    refused(api, again, 409, "patent")
    bad_event = {"kind": "burnt", "on": "2026-01-01"}
    refused(api, api.post(f"/pools/{built}/patents/CN999/events", admin, bad_event), 422, "kind")
    unchanged(api, before)
    event = {"kind": "invalidated", "on": "2026-01-01", "note": "CNIPA decision"}
    left = api.post(f"/pools/{built}/patents/CN999/events", admin, event)
    assert left.status_code == 201 and left.json()["left_on"] == "2026-01-01"
    listing = api.client.get(f"/api/v1/pool/pools/{built}/public?on=2026-02-01").json()
    assert not next(p for p in listing["patents"] if p["number"] == "CN999")["in_force"]


def test_a_patent_from_the_corpus_takes_the_corpus_facts(
    api: Api, admin: dict[str, str], built: int, corpus: Path
) -> None:
    with CorpusStore(corpus).connect() as con:
        number, office = con.execute(
            "SELECT patent_id, office FROM patents ORDER BY patent_id LIMIT 1"
        ).fetchall()[0]
    before = api.counts()
    mixed = {"member": "美的", "number": number, "title": "mine"}
    refused(api, api.post(f"/pools/{built}/patents", admin, mixed), 422, "title")
    missing = {"member": "美的", "number": "XX000000"}
    refused(api, api.post(f"/pools/{built}/patents", admin, missing), 404, "number")
    unchanged(api, before)
    submitted = api.post(f"/pools/{built}/patents", admin, {"member": "美的", "number": number})
    assert submitted.status_code == 201, submitted.text
    body = submitted.json()
    assert body["from_corpus"] is True and body["country"] == office and body["expires_on"]


def test_a_member_company_submits_only_its_own_patents(api: Api, built: int) -> None:
    with session_scope(api.engine) as session:
        org = organisations.create_organisation(
            db_session=session, name="海尔集团", kind=OrgKind.MEMBER_COMPANY, actor=ACTOR
        )
        pool = session.get(Pool, built)
        assert pool is not None
        membership.get_member(db_session=session, pool=pool, name="海尔").organisation_id = org.id
    haier = api.headers(Role.POOL_MEMBER, "海尔集团")
    facts = {"member": "海尔", "number": "CN777", "country": "CN", "expires_on": "2040-01-01"}
    licensee = api.headers(Role.LICENSEE)
    assert api.post(f"/pools/{built}/patents", haier, facts).status_code == 201
    before = api.counts()
    theirs = {**facts, "member": "格力", "number": "CN778"}
    refused(api, api.post(f"/pools/{built}/patents", haier, theirs), 404, None)
    refused(api, api.post(f"/pools/{built}/patents", licensee, facts), 403, None)
    unchanged(api, before)


# --------------------------------------------------------------------------- licensing, reports


def test_licensees_and_agreements(api: Api, admin: dict[str, str], built: int) -> None:
    added = api.post(f"/pools/{built}/licensees", admin, {"name": "Beta Air", "country": "VN"})
    assert added.status_code == 201 and added.json()["good_standing"] is True
    terms = {
        "licensee": "Beta Air",
        "starts_on": "2025-01-01",
        "ends_on": "2026-12-31",
        "territory": ["US", "CN"],
        "compliant_discount": "0.1",
        "annual_cap": "100000.00",
        "back_royalties_from": "2024-01-01",
    }
    signed = api.post(f"/pools/{built}/agreements", admin, terms)
    assert signed.status_code == 201, signed.text
    assert signed.json()["annual_cap"] == "100000.00" and signed.json()["territory"] == ["US", "CN"]
    assert signed.json()["rates"]["split-ac"] == {"kind": "unit", "value": "3.00"}
    listed = api.client.get(f"/api/v1/pool/pools/{built}/licensees", headers=admin).json()
    assert [x["name"] for x in listed] == ["Acme Cooling", "Beta Air"]
    before = api.counts()
    refused(
        api,
        api.post(f"/pools/{built}/licensees", admin, {"name": "X", "country": "XX"}),
        422,
        "country",
    )
    floats = {**terms, "annual_cap": 100000.0}
    refused(api, api.post(f"/pools/{built}/agreements", admin, floats), 422, "annual_cap")
    backwards = {**terms, "ends_on": "2024-06-30"}
    refused(api, api.post(f"/pools/{built}/agreements", admin, backwards), 422, "ends_on")
    unknown = {**terms, "rates": {"vrf": {"unit": "1.00"}}}
    refused(api, api.post(f"/pools/{built}/agreements", admin, unknown), 422, "rates")
    unchanged(api, before)


def test_a_licensee_reports_for_itself_whole_or_not_at_all(api: Api, built: int) -> None:
    with session_scope(api.engine) as session:
        org = organisations.create_organisation(
            db_session=session, name="Acme Group", kind=OrgKind.ENTERPRISE, actor=ACTOR
        )
        pool = session.get(Pool, built)
        assert pool is not None
        licensing.get_licensee(
            db_session=session, pool=pool, name="Acme Cooling"
        ).organisation_id = org.id
    acme = api.headers(Role.LICENSEE, "Acme Group")
    report = {"licensee": "Acme Cooling", "period": "2025-03", "lines": [LINE]}
    before = api.counts()
    bad_row = {**report, "lines": [LINE, {**LINE, "sold_in": "ZZ"}]}
    error = refused(api, api.post(f"/pools/{built}/reports", acme, bad_row), 422, "row 2.sold_in")
    assert "ISO 3166" in error["message"]
    negative = {**report, "lines": [LINE, {**LINE, "units": -5}]}
    refused(api, api.post(f"/pools/{built}/reports", acme, negative), 422, "row 2.units")
    floats = {**report, "lines": [{**LINE, "units": 100.0}]}
    error = refused(api, api.post(f"/pools/{built}/reports", acme, floats), 422, "row 1.units")
    assert "float" in error["message"]
    money = {**report, "lines": [LINE, {**LINE, "category": "chiller", "net_sales": 10.5}]}
    refused(api, api.post(f"/pools/{built}/reports", acme, money), 422, "row 2.net_sales")
    day = {**report, "lines": [{**LINE, "sold_on": "2025-02-30"}]}
    refused(api, api.post(f"/pools/{built}/reports", acme, day), 422, "row 1.sold_on")
    unknown = {**report, "licensee": "Nobody"}
    refused(api, api.post(f"/pools/{built}/reports", acme, unknown), 404, "licensee")
    unchanged(api, before)
    accepted = api.post(f"/pools/{built}/reports", acme, report)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["amount"] == "300.00"  # 100 units at 3.00, US patents in force
    overlap = api.post(f"/pools/{built}/reports", acme, {**report, "period": "2025-Q1"})
    refused(api, overlap, 409, "period")
    other = api.headers(Role.LICENSEE, "Other Group")
    refused(
        api, api.post(f"/pools/{built}/reports", other, {**report, "period": "2025-04"}), 404, None
    )


def _link(api: Api, built: int, *, member: str = "", licensee: str = "", org: str) -> int:
    """Give a member company or licensee of the built pool an organisation; its row id."""
    with session_scope(api.engine) as session:
        found = organisations.get_organisation_by_name(db_session=session, name=org)
        organisation = found or organisations.create_organisation(
            db_session=session, name=org, kind=OrgKind.ENTERPRISE, actor=ACTOR
        )
        pool = session.get(Pool, built)
        assert pool is not None
        party: Member | Licensee = (
            membership.get_member(db_session=session, pool=pool, name=member)
            if member
            else licensing.get_licensee(db_session=session, pool=pool, name=licensee)
        )
        party.organisation_id = organisation.id
        return party.id


def test_a_licensee_sees_its_own_invoices_and_reports_and_no_one_elses(
    api: Api, admin: dict[str, str], built: int
) -> None:
    acme_id = _link(api, built, licensee="Acme Cooling", org="Acme Group")
    acme = api.headers(Role.LICENSEE, "Acme Group")
    report = {"licensee": "Acme Cooling", "period": "2025-03", "lines": [LINE]}
    assert api.post(f"/pools/{built}/reports", acme, report).status_code == 201
    url = f"/api/v1/pool/pools/{built}/licensees/{acme_id}/account"
    mine = api.client.get(url, headers=acme)
    assert mine.status_code == 200, mine.text
    account = mine.json()
    assert (account["invoiced"], account["paid"], account["outstanding"]) == (
        "300.00",
        "0.00",
        "300.00",
    )
    (entry,) = account["reports"]
    assert entry["royalty"] == "300.00" and entry["period_from"] == "2025-03-01"
    assert entry["invoice"]["amount"] == "300.00" and entry["invoice"]["licensee"] == "Acme Cooling"
    assert api.client.get(url, headers=admin).json() == account
    platform = api.headers(Role.PLATFORM_ADMIN)
    assert api.client.get(url, headers=platform).status_code == 200
    beta = api.post(f"/pools/{built}/licensees", admin, {"name": "Beta Air", "country": "VN"})
    beta_url = f"/api/v1/pool/pools/{built}/licensees/{beta.json()['id']}/account"
    refused(api, api.client.get(beta_url, headers=acme), 404, None)
    other = api.headers(Role.LICENSEE, "Other Group")
    refused(api, api.client.get(url, headers=other), 404, None)
    missing = f"/api/v1/pool/pools/{built}/licensees/999999/account"
    refused(api, api.client.get(missing, headers=acme), 404, "licensee")
    member = api.headers(Role.POOL_MEMBER, "Acme Group")  # same organisation, wrong role
    refused(api, api.client.get(url, headers=member), 403, None)
    refused(api, api.client.get(missing, headers=member), 403, None)


def test_a_member_company_sees_its_own_patents_and_their_status(
    api: Api, admin: dict[str, str], built: int
) -> None:
    haier_id = _link(api, built, member="海尔", org="海尔集团")
    haier = api.headers(Role.POOL_MEMBER, "海尔集团")
    facts = {"member": "海尔", "number": "CN777", "country": "CN", "expires_on": "2040-01-01"}
    assert api.post(f"/pools/{built}/patents", haier, facts).status_code == 201
    url = f"/api/v1/pool/pools/{built}/members/{haier_id}/patents"
    mine = api.client.get(url, headers=haier)
    assert mine.status_code == 200, mine.text
    assert {(p["number"], p["status"]) for p in mine.json()} == {
        ("CN777", "submitted"),
        ("US202", "admitted"),
    }
    assert {p["member"] for p in mine.json()} == {"海尔"}
    submitted = api.client.get(url + "?status=submitted", headers=haier).json()
    assert [p["number"] for p in submitted] == ["CN777"]
    assert api.client.get(url, headers=admin).json() == mine.json()
    with session_scope(api.engine) as session:
        pool = session.get(Pool, built)
        assert pool is not None
        gree_id = membership.get_member(db_session=session, pool=pool, name="格力").id
    gree_url = f"/api/v1/pool/pools/{built}/members/{gree_id}/patents"
    refused(api, api.client.get(gree_url, headers=haier), 404, None)
    missing = f"/api/v1/pool/pools/{built}/members/999999/patents"
    refused(api, api.client.get(missing, headers=haier), 404, "member")
    licensee = api.headers(Role.LICENSEE, "海尔集团")  # same organisation, wrong role
    refused(api, api.client.get(url, headers=licensee), 403, None)
    refused(api, api.client.get(missing, headers=licensee), 403, None)


def test_no_right_is_refused_before_the_name_is_looked_up(api: Api, built: int) -> None:
    analyst = api.headers(Role.ANALYST)
    member = api.headers(Role.POOL_MEMBER, "海尔集团")
    before = api.counts()
    report = {"licensee": "Nobody", "period": "2025-03", "lines": [LINE]}
    refused(api, api.post(f"/pools/{built}/reports", member, report), 403, None)
    patent = {"member": "Nobody", "number": "CN1", "country": "CN", "expires_on": "2040-01-01"}
    refused(api, api.post(f"/pools/{built}/patents", analyst, patent), 403, None)
    statement = f"/api/v1/pool/pools/{built}/members/999999/statement"
    refused(api, api.client.get(statement, headers=analyst), 403, None)
    opinion = f"/api/v1/pool/pools/{built}/assignments/999999/opinion"
    body = {"opinion": "essential", "note": "x"}
    refused(api, api.client.post(opinion, headers=member, json=body), 403, None)
    unchanged(api, before)


def test_only_reviewers_list_assignments(api: Api, admin: dict[str, str], built: int) -> None:
    url = f"/api/v1/pool/pools/{built}/assignments"
    assert len(api.client.get(url, headers=admin).json()) == 10  # five patents, two experts each
    assert api.client.get(url, headers=api.headers(Role.EXPERT)).json() == []
    for role in (Role.ANALYST, Role.LICENSEE, Role.POOL_MEMBER, Role.PLATFORM_ADMIN):
        refused(api, api.client.get(url, headers=api.headers(role)), 403, None)


def test_payments_against_invoices_then_allocation(
    api: Api, admin: dict[str, str], built: int
) -> None:
    report = {"licensee": "Acme Cooling", "period": "2025-03", "lines": [LINE]}
    invoice = api.post(f"/pools/{built}/reports", admin, report).json()["invoice"]
    path = f"/pools/{built}/invoices/{invoice}/payments"
    partial = api.post(path, admin, {"amount": "100.00", "paid_on": "2025-04-10"})
    assert partial.status_code == 201, partial.text
    assert partial.json()["invoice"]["outstanding"] == "200.00"
    before = api.counts()
    refused(
        api, api.post(path, admin, {"amount": "200.01", "paid_on": "2025-04-11"}), 409, "amount"
    )  # more than is outstanding conflicts with the invoice as it stands
    refused(api, api.post(path, admin, {"amount": 200.0, "paid_on": "2025-04-11"}), 422, "amount")
    unpaid = api.post(f"/pools/{built}/allocations", admin, {"period": "2025-03"})
    refused(api, unpaid, 422, "period")  # only fully paid invoices are allocated
    refused(
        api,
        api.post(
            f"/pools/{built}/invoices/P9-1/payments",
            admin,
            {"amount": "1.00", "paid_on": "2025-04-11"},
        ),
        404,
        "invoice",
    )
    unchanged(api, before)
    rest = api.post(path, admin, {"amount": "200.00", "paid_on": "2025-04-11", "reference": "TT"})
    assert rest.json()["invoice"]["outstanding"] == "0.00"
    listed = api.client.get(f"/api/v1/pool/pools/{built}/invoices", headers=admin).json()
    assert [(i["number"], i["paid"]) for i in listed] == [(invoice, "300.00")]
    run = api.post(f"/pools/{built}/allocations", admin, {"period": "2025-03"})
    assert run.status_code == 201 and run.json()["collected"] == "300.00"
    with session_scope(api.engine) as session:
        audited = session.execute(
            select(AuditRecord.actor, AuditRecord.origin, AuditRecord.after).where(
                AuditRecord.action == "pool.payment_recorded"
            )
        ).all()
    assert [after["amount"] for _a, _o, after in audited] == ["100.00", "200.00"]
    assert all(actor.startswith("pool_admin") and "api" in origin for actor, origin, _ in audited)


# --------------------------------------------------------------------------- cases


def test_cases_notes_documents_and_settlement(api: Api, admin: dict[str, str], built: int) -> None:
    case = {
        "kind": "negotiation",
        "title": "Collective negotiation with Foreign Co",
        "parties": ["Foreign Co", "格力"],
        "patents": ["cn101"],
        "deadline": "2026-06-30",
    }
    opened = api.post(f"/pools/{built}/cases", admin, case)
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    assert opened.json()["status"] == "opened" and opened.json()["patents"] == ["CN101"]
    noted = api.post(
        f"/pools/{built}/cases/{case_id}/notes",
        admin,
        {"note": "first meeting", "document": "minutes-2026-01.pdf"},
    )
    assert noted.status_code == 201 and noted.json()["documents"] == ["minutes-2026-01.pdf"]
    before = api.counts()
    refused(api, api.post(f"/pools/{built}/cases", admin, {**case, "kind": "war"}), 422, "kind")
    refused(api, api.post(f"/pools/{built}/cases", admin, {**case, "parties": []}), 422, "parties")
    refused(
        api, api.post(f"/pools/{built}/cases/{case_id}/notes", admin, {"note": " "}), 422, "note"
    )
    settle = {
        "licensee": "Foreign Co",
        "country": "US",
        "starts_on": "2026-01-01",
        "ends_on": "2030-12-31",
    }
    direct = api.post(f"/pools/{built}/cases/{case_id}/settlement", admin, settle)
    assert "allowed" in refused(api, direct, 409, "status")["message"]
    unchanged(api, before)
    status = {"status": "negotiating", "note": "round 1"}
    assert api.post(f"/pools/{built}/cases/{case_id}/status", admin, status).status_code == 200
    before = api.counts()
    backwards = {**settle, "ends_on": "2025-01-01"}
    late = api.post(f"/pools/{built}/cases/{case_id}/settlement", admin, backwards)
    refused(api, late, 422, "ends_on")
    unchanged(api, before)  # the licensee the settlement would have added is gone too
    settled = api.post(f"/pools/{built}/cases/{case_id}/settlement", admin, settle)
    assert settled.status_code == 201, settled.text
    assert settled.json()["status"] == "settled"
    assert settled.json()["agreement"]["licensee"] == "Foreign Co"
    assert settled.json()["agreement_id"] == settled.json()["agreement"]["id"]


def test_only_the_administrator_writes(api: Api, built: int) -> None:
    before = api.counts()
    for role in (Role.ANALYST, Role.EXPERT, Role.POOL_MEMBER, Role.LICENSEE):
        headers = api.headers(role)
        for path, body in (
            ("/members", {"name": "x", "uscc": code("5")}),
            ("/licensees", {"name": "x", "country": "US"}),
            ("/cases", {"kind": "mediation", "title": "t", "parties": ["a"]}),
        ):
            refused(api, api.post(f"/pools/{built}{path}", headers, body), 403, None)
    anonymous = api.client.post(f"/api/v1/pool/pools/{built}/licensees", json={"name": "x"})
    assert anonymous.status_code == 401
    after = api.counts()
    assert after["pool_members"] == before["pool_members"]
    assert after["pool_licensees"] == before["pool_licensees"]
    assert after["pool_disputes"] == before["pool_disputes"]


# --------------------------------------------------------------------------- currencies, year end

FX = """date,currency,cny,per
2025-01-02,USD,7.1880,1
2025-06-03,USD,7.1500,1
2099-01-01,JPY,4.8,100
"""


def test_a_report_line_in_another_currency_is_converted_once(
    api: Api, admin: dict[str, str], built: int, tmp_path: Path
) -> None:
    line = {"category": "chiller", "made_in": "TH", "sold_in": "CN", "net_sales": "10000.00"}
    report = {"licensee": "Acme Cooling", "period": "2025-03", "lines": [line]}
    usd = {**report, "lines": [{**line, "currency": "USD"}]}
    before = api.counts()
    # no rate file in the workspace yet: the row and field are named
    error = refused(api, api.post(f"/pools/{built}/reports", admin, usd), 422, "row 1.currency")
    assert "fx_rates.csv" in error["message"]
    (tmp_path / "workspace" / "pool").mkdir(exist_ok=True)
    (tmp_path / "workspace" / "pool" / "fx_rates.csv").write_text(FX, "utf-8")
    eur = {**report, "lines": [line, {**line, "currency": "EUR"}]}
    error = refused(api, api.post(f"/pools/{built}/reports", admin, eur), 422, "row 2.currency")
    assert "unknown currency EUR" in error["message"]
    jpy = {**report, "lines": [{**line, "currency": "JPY"}]}
    error = refused(api, api.post(f"/pools/{built}/reports", admin, jpy), 422, "row 1.currency")
    assert "no JPY central parity on or before" in error["message"]
    unchanged(api, before)
    accepted = api.post(f"/pools/{built}/reports", admin, usd)
    assert accepted.status_code == 201, accepted.text
    # accepted today: the last parity on or before it, 7.1500 (2025-06-03);
    # 10,000.00 USD x 7.1500 = 71,500.00 CNY, at 0.5 % = 357.50
    assert accepted.json()["amount"] == "357.50"
    with session_scope(api.engine) as session:
        stored = session.scalars(
            select(ReportLine).where(ReportLine.report_id == accepted.json()["report"])
        ).one()
        assert (stored.currency, stored.net_sales_reported, stored.net_sales_fen) == (
            "USD",
            "10000.00",
            7_150_000,
        )
        assert stored.fx_rate == "7.1500/1 (2025-06-03)"


def test_a_year_is_settled_once_through_the_api(
    api: Api, admin: dict[str, str], built: int
) -> None:
    with session_scope(api.engine) as session:
        pool = session.get(Pool, built)
        assert pool is not None
        licensee_id = licensing.add_licensee(
            db_session=session, actor=ACTOR, pool=pool, name="Minimum Co", country="TH"
        ).id
    agreement = {
        "licensee": "Minimum Co",
        "signed_on": "2024-12-01",
        "starts_on": "2025-01-01",
        "ends_on": "2027-12-31",
        "annual_minimum": "500.00",
    }
    signed = api.post(f"/pools/{built}/agreements", admin, agreement)
    assert signed.status_code == 201, signed.text
    assert signed.json()["annual_minimum"] == "500.00"
    report = {"licensee": "Minimum Co", "period": "2025-03", "lines": [LINE]}
    assert api.post(f"/pools/{built}/reports", admin, report).status_code == 201  # 300.00
    body = {"year": 2025, "licensee": "Minimum Co", "settled_on": "2026-01-20"}
    member = api.headers(Role.POOL_MEMBER)
    refused(api, api.post(f"/pools/{built}/year-settlements", member, body), 403, None)
    before = api.counts()
    for bad, field in (
        ({**body, "settled_on": "2025-12-31"}, "year"),  # the year has not ended
        ({**body, "settled_on": "9999-12-31"}, "settled_on"),  # no due date after it
        ({**body, "year": "2025"}, None),  # not a JSON integer (the schema's own 422)
    ):
        refused(api, api.post(f"/pools/{built}/year-settlements", admin, bad), 422, field)
    unchanged(api, before)
    settled = api.post(f"/pools/{built}/year-settlements", admin, body)
    assert settled.status_code == 201, settled.text
    (done,) = settled.json()["licences"]
    # 500.00 - 300.00 = 200.00, due 30 days after 2026-01-20
    assert (done["outcome"], done["top_up"]) == ("topped_up", "200.00")
    assert (done["invoice"]["amount"], done["invoice"]["due_on"]) == ("200.00", "2026-02-19")
    before = api.counts()
    again = api.post(f"/pools/{built}/year-settlements", admin, body)
    assert "settled already" in refused(api, again, 409, "year")["message"]
    unchanged(api, before)
    account = api.client.get(
        f"/api/v1/pool/pools/{built}/licensees/{licensee_id}/account", headers=admin
    )
    assert account.json()["invoiced"] == "500.00"
    assert "waived" not in account.json()  # shown only once something was waived


def test_a_waived_invoice_shows_in_the_list_and_the_account(
    api: Api, admin: dict[str, str], built: int
) -> None:
    with session_scope(api.engine) as session:
        pool = session.get(Pool, built)
        assert pool is not None
        acme = licensing.get_licensee(db_session=session, pool=pool, name="Acme Cooling")
        acme_id = acme.id
        licence = session.scalars(select(Agreement).where(Agreement.licensee_id == acme_id)).one()
        licence.annual_floor_fen = 100_000  # 1,000.00, as if signed with annual_floor
    report = {"licensee": "Acme Cooling", "period": "2025-03", "lines": [LINE]}
    number = api.post(f"/pools/{built}/reports", admin, report).json()["invoice"]  # 300.00
    paid = {"amount": "100.00", "paid_on": "2025-04-10"}
    assert api.post(f"/pools/{built}/invoices/{number}/payments", admin, paid).status_code == 201
    body = {"year": 2025, "settled_on": "2026-01-20"}  # the whole pool: Acme's one licence
    settled = api.post(f"/pools/{built}/year-settlements", admin, body)
    assert settled.status_code == 201, settled.text
    (done,) = settled.json()["licences"]
    assert (done["outcome"], done["waived"], done["credit"]) == ("waived", "300.00", "100.00")
    listed = api.client.get(f"/api/v1/pool/pools/{built}/invoices", headers=admin).json()
    (invoice,) = [i for i in listed if i["number"] == number]
    assert (invoice["outstanding"], invoice["waived_on"], invoice["credit"]) == (
        "0.00",
        "2026-01-20",
        "100.00",
    )
    account = api.client.get(
        f"/api/v1/pool/pools/{built}/licensees/{acme_id}/account", headers=admin
    ).json()
    # invoiced 300.00, paid 100.00, waived 300.00: nothing outstanding, 100.00 credit
    assert (account["outstanding"], account["waived"], account["credit"]) == (
        "0.00",
        "300.00",
        "100.00",
    )
    again = api.post(f"/pools/{built}/invoices/{number}/payments", admin, paid)
    assert "waived" in refused(api, again, 409, "invoice")["message"]
