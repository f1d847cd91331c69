"""Pools owned by an organisation: a pool administrator of another organisation gets 404
for everything private about the matrix pool, reads and changes alike, and changes
nothing; a pool administrator creates pools only for its own organisation."""

from __future__ import annotations

import pytest
from apihelpers import LiveApi
from matrix_pool import BASE, OTHER_ORGANISATION, _pool_id
from matrixhelpers import Caller, counter

from ipops.accounts import organisations
from ipops.accounts.roles import OrgKind, Role
from ipops.audit.service import Actor
from ipops.pool.models import Pool
from ipops.registry.db import session_scope

ACTOR = Actor(name="test", origin="test")


@pytest.fixture
def outsider(api: LiveApi) -> Caller:
    """A pool administrator of an organisation that owns no pool here."""
    with session_scope(api.engine) as session:
        org = organisations.create_organisation(
            db_session=session, name=f"另一联盟 {next(counter)}", kind=OrgKind.POOL, actor=ACTOR
        )
        org_id = org.id
    user = api.add_user("other.admin", Role.POOL_ADMIN, organisation_id=org_id)
    return Caller("other pool_admin", user, api, user)


def test_another_organisations_pool_administrator_gets_404(api: LiveApi, outsider: Caller) -> None:
    pool_id = _pool_id(api.engine)
    with session_scope(api.engine) as session:
        before = session.get(Pool, pool_id)
        assert before is not None
        fee_before = before.admin_fee_rate
    wrong = []
    for method, build in OTHER_ORGANISATION:
        path, kwargs = build(outsider)
        response = api.request(method, path, outsider.user, **kwargs)
        if response.status_code != 404:
            wrong.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)
    with session_scope(api.engine) as session:
        after = session.get(Pool, pool_id)
        assert after is not None and after.admin_fee_rate == fee_before


def test_a_pool_administrator_creates_pools_of_its_own_organisation(
    api: LiveApi, outsider: Caller
) -> None:
    body = {
        "name": f"另一专利池 {next(counter)}",
        "field": "air conditioning",
        "administrator": "另一联盟",
        "categories": {"split-ac": "split"},
        "rates": {"split-ac": {"unit": "3.00"}},
    }
    created = api.request("POST", BASE, outsider.user, json=body)
    assert created.status_code == 201, created.text
    assert outsider.user is not None
    assert created.json()["organisation_id"] == outsider.user.organisation_id
    mine = created.json()["id"]
    patched = api.request("PATCH", f"{BASE}/{mine}", outsider.user, json={"quorum": 3})
    assert patched.status_code == 200
    with session_scope(api.engine) as session:
        matrix_pool = session.get(Pool, _pool_id(api.engine))
        assert matrix_pool is not None
        owner = matrix_pool.organisation_id
    theirs = {**body, "name": f"别人的专利池 {next(counter)}", "organisation_id": owner}
    refused = api.request("POST", BASE, outsider.user, json=theirs)
    assert refused.status_code == 403
