"""Loans and enterprises outside the caller's scope answer 404, exactly like ones that do
not exist, so ids cannot be probed; a role that never sees them gets 403 either way."""

from __future__ import annotations

from apihelpers import LiveApi
from matrix_finance import BASE, _enterprise, _loan
from matrixhelpers import Caller

from ipops.accounts.roles import Role
from ipops.registry.db import session_scope

MISSING = 2**31 - 1


def test_another_enterprises_loan_reads_like_a_missing_one(api: LiveApi) -> None:
    owner = api.add_user("owner.ent", Role.ENTERPRISE_USER)
    with session_scope(api.engine) as session:
        loan_id, _ = _loan(Caller("enterprise_user", owner, api, owner), session)
        enterprise_id = _enterprise(Caller("enterprise_user", owner, api, owner), session).id
    assert api.request("GET", f"{BASE}/loans/{loan_id}", owner).status_code == 200
    stranger = api.add_user("other.ent", Role.ENTERPRISE_USER)
    other_bank = api.add_user("other.bank", Role.BANK_OFFICER)
    with session_scope(api.engine) as session:  # each in an organisation of its own
        _enterprise(Caller("enterprise_user", stranger, api, stranger), session)
        _loan(Caller("bank_officer", other_bank, api, other_bank), session)
    for outsider in (stranger, other_bank):
        theirs = api.request("GET", f"{BASE}/loans/{loan_id}", outsider)
        missing = api.request("GET", f"{BASE}/loans/{MISSING}", outsider)
        assert (theirs.status_code, missing.status_code) == (404, 404), outsider.username
    theirs = api.request("GET", f"{BASE}/enterprises/{enterprise_id}", stranger)
    missing = api.request("GET", f"{BASE}/enterprises/{MISSING}", stranger)
    assert (theirs.status_code, missing.status_code) == (404, 404)
    analyst = api.add_user("an.alyst", Role.ANALYST)
    theirs = api.request("GET", f"{BASE}/loans/{loan_id}", analyst)
    missing = api.request("GET", f"{BASE}/loans/{MISSING}", analyst)
    assert (theirs.status_code, missing.status_code) == (403, 403)
