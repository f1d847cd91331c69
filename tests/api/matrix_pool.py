"""Who may call each route of the pool domain (rows of the authorization matrix).

The pool's open list is public; statistics and what-if are for every signed-in role; the
administrator (``pool_admin`` of the organisation that owns the pool, and
``platform_admin`` for ``pool:manage``) runs the pool: the matrix's pool administrator is
put in the owning organisation before it calls. ``OTHER_ORGANISATION`` lists what a pool
administrator of another organisation is refused (404: the pool is not its to see).
Organisation-scoped rows (a member company's statement, submissions and submitted
patents, a licensee's reports and its account of invoices) are built in the caller's own
organisation, so the caller who may do it for itself gets its 2xx; an expert answers an
assignment made to its own login. Each builder makes what its request needs through the
pool services, on one pool per registry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from matrixhelpers import EVERYONE, SIGNED_IN, Caller, Request, Rows, counter
from sqlalchemy import Engine
from stdnum.cn import uscc

from ipops.accounts import organisations, tokens
from ipops.accounts.models import User
from ipops.accounts.roles import OrgKind, Role
from ipops.audit.service import Actor
from ipops.pool import cases, licensing, membership, payments, royalty_reports, submissions
from ipops.pool.models import Dispute, Expert, Licensee, Pool, PoolPatent
from ipops.registry.db import session_scope

ACTOR = Actor(name="matrix", origin="test")
MANAGE = frozenset({Role.POOL_ADMIN, Role.PLATFORM_ADMIN})
BASE = "/api/v1/pool/pools"
_pools: dict[str, int] = {}


def _code(seed: int) -> str:
    body = f"91440400{seed:0>9}"[:17]
    return body + uscc.calc_check_digit(body)


def _pool_id(engine: Engine) -> int:
    """The matrix's pool on this registry: three members, an expert recommended by each,
    two admitted patents (CN, US), built once."""
    key = str(engine.url)
    if key not in _pools:
        with session_scope(engine) as session:
            _pools[key] = _build_pool(session).id
    return _pools[key]


def _build_pool(session: Any) -> Pool:
    owner = organisations.create_organisation(
        db_session=session, name=f"矩阵专利池联盟 {next(counter)}", kind=OrgKind.POOL, actor=ACTOR
    )
    pool = membership.create_pool(
        db_session=session,
        actor=ACTOR,
        name=f"矩阵专利池 {next(counter)}",
        field="air conditioning",
        administrator="联盟",
        categories={"split-ac": "split"},
        rates={"split-ac": {"unit": "3.00"}},
        organisation_id=owner.id,
    )
    for i in range(3):
        name = f"成员{i}"
        membership.add_member(
            db_session=session, actor=ACTOR, pool=pool, name=name, uscc_code=_code(i + 1)
        )
        membership.add_expert(
            db_session=session, actor=ACTOR, pool=pool, name=f"专家{i}", recommended_by=name
        )
    for number, country in (("CN1", "CN"), ("US1", "US")):
        patent = _submitted(session, pool, number=number, country=country)
        _review(session, pool, patent)
        submissions.decide_patent(
            db_session=session, actor=ACTOR, pool=pool, patent=patent, on=date(2024, 1, 1)
        )
    return pool


def _submitted(
    session: Any, pool: Pool, *, number: str | None = None, country: str = "CN"
) -> PoolPatent:
    member = membership.get_member(db_session=session, pool=pool, name="成员0")
    facts = submissions.PatentInput(
        number=number or f"CN9{next(counter):06d}",
        country=country,
        title="空调",
        filing_date=date(2015, 1, 1),
        expires_on=date(2035, 1, 1),
        family=f"F{next(counter)}",
    )
    return submissions.submit_patent(
        db_session=session, actor=ACTOR, pool=pool, member=member, patent=facts
    )


def _review(session: Any, pool: Pool, patent: PoolPatent) -> None:
    for name in ("专家1", "专家2"):
        expert = membership.get_expert(db_session=session, pool=pool, name=name)
        submissions.assign_expert(
            db_session=session, actor=ACTOR, pool=pool, patent=patent, expert=expert
        )
        submissions.record_opinion(
            db_session=session,
            actor=ACTOR,
            patent=patent,
            expert=expert,
            opinion="essential",
            note="claim 1 reads on the standard",
        )


def _organisation_of(caller: Caller, session: Any) -> int | None:
    """The caller's organisation; a member company or licensee caller is given one (its
    scope is its organisation's objects)."""
    if caller.user is None:
        return None
    user = session.get(User, caller.user.id)
    if user.organisation_id is None and user.role in {Role.POOL_MEMBER, Role.LICENSEE}:
        org = organisations.create_organisation(
            db_session=session,
            name=f"矩阵组织 {user.username}",
            kind=OrgKind.MEMBER_COMPANY if user.role == Role.POOL_MEMBER else OrgKind.ENTERPRISE,
            actor=ACTOR,
        )
        user.organisation_id = org.id
        tokens.forget_known_tokens()  # the token's remembered user has no organisation
    return int(user.organisation_id) if user.organisation_id is not None else None


def _administer(caller: Caller, session: Any, pool: Pool) -> None:
    """Put the matrix's pool administrator in the organisation that owns ``pool`` (not
    another organisation's administrator, who asks from outside)."""
    if caller.user is None or caller.name != Role.POOL_ADMIN.value:
        return
    user = session.get(User, caller.user.id)
    if user.organisation_id != pool.organisation_id:
        user.organisation_id = pool.organisation_id
        tokens.forget_known_tokens(session)


def _licensee(session: Any, pool: Pool, organisation_id: int | None = None) -> Licensee:
    licensee = licensing.add_licensee(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        name=f"Licensee {next(counter)}",
        country="TH",
        organisation_id=organisation_id,
    )
    licensing.sign_agreement(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        licensee=licensee,
        signed_on=date(2024, 12, 1),
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    return licensee


LINE = {"category": "split-ac", "made_in": "TH", "sold_in": "US", "units": "10"}


def _invoice(session: Any, pool: Pool, *, paid: bool) -> str:
    licensee = _licensee(session, pool)
    accepted = royalty_reports.submit_report(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        licensee_name=licensee.name,
        period="2025-03",
        rows=[LINE],
    )
    if paid:
        payments.record_payment(
            db_session=session,
            actor=ACTOR,
            invoice=accepted.invoice,
            amount="30.00",
            paid_on=date(2025, 4, 10),
        )
    return accepted.invoice.number


def _case(session: Any, pool: Pool, status: str = "opened") -> Dispute:
    case = cases.open_case(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        kind="negotiation",
        title="matrix case",
        parties=["Foreign Co"],
    )
    if status != "opened":
        cases.change_case_status(db_session=session, actor=ACTOR, case=case, status=status)
    return case


def built(make: Any) -> Request:
    """A request built inside one transaction on the matrix pool: ``make(caller, session,
    pool) -> (path under the pool, request kwargs)``."""

    def build(caller: Caller) -> tuple[str, dict[str, Any]]:
        engine = caller.api.engine
        pool_id = _pool_id(engine)
        with session_scope(engine) as session:
            pool = session.get(Pool, pool_id)
            assert pool is not None
            _administer(caller, session, pool)
            path, kwargs = make(caller, session, pool)
        return f"{BASE}/{pool_id}{path}", kwargs

    return build


def pool_path(path: str = "", **kwargs: Any) -> Request:
    return built(lambda _caller, _session, _pool: (path, kwargs))


def new_pool(caller: Caller) -> tuple[str, dict[str, Any]]:
    """A pool of the caller's organisation (the matrix pool's owner, for its administrator)."""
    built(lambda _caller, _session, _pool: ("", {}))(caller)  # puts it in the organisation
    body = {
        "name": f"新专利池 {next(counter)}",
        "field": "air conditioning",
        "administrator": "联盟",
        "categories": {"split-ac": "split"},
        "rates": {"split-ac": {"unit": "3.00"}},
    }
    return BASE, {"json": body}


def _statement(caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    member = membership.add_member(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        name=f"成员 {next(counter)}",
        uscc_code=_code(next(counter)),
        organisation_id=_organisation_of(caller, session),
    )
    return f"/members/{member.id}/statement", {}


def _member_patents(caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    """A member in the caller's organisation with one submitted patent."""
    member = membership.add_member(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        name=f"成员 {next(counter)}",
        uscc_code=_code(next(counter)),
        organisation_id=_organisation_of(caller, session),
    )
    facts = submissions.PatentInput(
        number=f"CN7{next(counter):06d}", country="CN", title="空调", expires_on=date(2040, 1, 1)
    )
    submissions.submit_patent(
        db_session=session, actor=ACTOR, pool=pool, member=member, patent=facts
    )
    return f"/members/{member.id}/patents", {}


def _account(caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    """A licensee in the caller's organisation with one accepted report and its invoice."""
    licensee = _reported(session, pool, _organisation_of(caller, session))
    return f"/licensees/{licensee.id}/account", {}


def _reported(session: Any, pool: Pool, organisation_id: int | None = None) -> Licensee:
    """A new licensee with one accepted report (2025-03) and its invoice."""
    licensee = _licensee(session, pool, organisation_id)
    royalty_reports.submit_report(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        licensee_name=licensee.name,
        period="2025-03",
        rows=[LINE],
    )
    return licensee


def _submission(caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    member = membership.add_member(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        name=f"成员 {next(counter)}",
        uscc_code=_code(next(counter)),
        organisation_id=_organisation_of(caller, session),
    )
    body = {
        "member": member.name,
        "number": f"CN8{next(counter):06d}",
        "country": "CN",
        "expires_on": "2040-01-01",
    }
    return "/patents", {"json": body}


def _opinion(caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    """An assignment made to the caller's login (an expert answers its own)."""
    member = membership.get_member(db_session=session, pool=pool, name="成员1")
    expert = Expert(
        pool_id=pool.id,
        name=f"专家 {next(counter)}",
        recommended_by_id=member.id,
        user_id=caller.user.id if caller.user else None,
        on_committee=True,
    )
    session.add(expert)
    session.flush()
    patent = _submitted(session, pool)
    assignment = submissions.assign_expert(
        db_session=session, actor=ACTOR, pool=pool, patent=patent, expert=expert
    )
    body = {"opinion": "essential", "note": "claim 1 reads on the standard"}
    return f"/assignments/{assignment.id}/opinion", {"json": body}


def _assignment(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    patent = _submitted(session, pool)
    return "/assignments", {"json": {"patent": patent.number, "expert": "专家1"}}


def _report(caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    licensee = _licensee(session, pool, _organisation_of(caller, session))
    line = {**LINE, "units": 10}
    body = {"licensee": licensee.name, "period": "2025-03", "lines": [line]}
    return "/reports", {"json": body}


def _allocation(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    _invoice(session, pool, paid=True)
    return "/allocations", {"json": {"period": "2025-03"}}


def _decision(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    patent = _submitted(session, pool)
    _review(session, pool, patent)
    return f"/patents/{patent.number}/decision", {"json": {"on": "2025-01-01"}}


def _event(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    patent = _submitted(session, pool)
    body = {"kind": "lapsed", "on": "2026-01-01"}
    return f"/patents/{patent.number}/events", {"json": body}


def _member(_caller: Caller, _session: Any, _pool: Pool) -> tuple[str, dict[str, Any]]:
    body = {"name": f"新成员 {next(counter)}", "uscc": _code(next(counter))}
    return "/members", {"json": body}


def _expert(_caller: Caller, _session: Any, _pool: Pool) -> tuple[str, dict[str, Any]]:
    return "/experts", {"json": {"name": f"专家 {next(counter)}", "recommended_by": "成员2"}}


def _new_licensee(_caller: Caller, _session: Any, _pool: Pool) -> tuple[str, dict[str, Any]]:
    return "/licensees", {"json": {"name": f"Licensee {next(counter)}", "country": "VN"}}


def _agreement(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    licensee = licensing.add_licensee(
        db_session=session, actor=ACTOR, pool=pool, name=f"Licensee {next(counter)}", country="VN"
    )
    body = {"licensee": licensee.name, "starts_on": "2025-01-01", "ends_on": "2026-12-31"}
    return "/agreements", {"json": body}


def _payment(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    number = _invoice(session, pool, paid=False)
    body = {"amount": "30.00", "paid_on": "2025-04-10"}
    return f"/invoices/{number}/payments", {"json": body}


def _year_settlement(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    """A new licensee with a 2025 report: each caller settles a year of its own."""
    licensee = _reported(session, pool)
    body = {"year": 2025, "licensee": licensee.name, "settled_on": "2026-01-20"}
    return "/year-settlements", {"json": body}


def _case_status(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    return f"/cases/{_case(session, pool).id}/status", {"json": {"status": "negotiating"}}


def _case_note(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    body = {"note": "first meeting", "document": "minutes.pdf"}
    return f"/cases/{_case(session, pool).id}/notes", {"json": body}


def _settlement(_caller: Caller, session: Any, pool: Pool) -> tuple[str, dict[str, Any]]:
    case = _case(session, pool, "negotiating")
    body = {
        "licensee": f"Foreign Co {next(counter)}",
        "country": "US",
        "starts_on": "2026-01-01",
        "ends_on": "2030-12-31",
    }
    return f"/cases/{case.id}/settlement", {"json": body}


NEW_CASE = {"kind": "mediation", "title": "matrix mediation", "parties": ["甲", "乙"]}
WHAT_IF = {"amount": "1000.00", "country": "CN", "sale_date": "2025-06-01"}

ROWS: Rows = {
    ("GET", BASE): (EVERYONE, lambda _caller: (BASE, {})),
    ("POST", BASE): (MANAGE, new_pool),
    ("PATCH", BASE + "/{pool_id}"): (MANAGE, pool_path(json={"admin_fee_rate": "0.1"})),
    ("GET", BASE + "/{pool_id}/public"): (EVERYONE, pool_path("/public")),
    ("GET", BASE + "/{pool_id}/stats"): (SIGNED_IN, pool_path("/stats")),
    ("POST", BASE + "/{pool_id}/what-if"): (SIGNED_IN, pool_path("/what-if", json=WHAT_IF)),
    # Only a role that may review asks; the list holds only the assignments it may review.
    ("GET", BASE + "/{pool_id}/assignments"): (
        frozenset({Role.POOL_ADMIN, Role.EXPERT}),
        pool_path("/assignments"),
    ),
    ("POST", BASE + "/{pool_id}/assignments"): (MANAGE, built(_assignment)),
    ("POST", BASE + "/{pool_id}/assignments/{assignment_id}/opinion"): (
        frozenset({Role.POOL_ADMIN, Role.EXPERT}),
        built(_opinion),
    ),
    ("POST", BASE + "/{pool_id}/members"): (MANAGE, built(_member)),
    ("POST", BASE + "/{pool_id}/experts"): (MANAGE, built(_expert)),
    ("GET", BASE + "/{pool_id}/experts"): (MANAGE, pool_path("/experts")),
    ("GET", BASE + "/{pool_id}/patents"): (MANAGE, pool_path("/patents?status=admitted")),
    ("GET", BASE + "/{pool_id}/licensees"): (MANAGE, pool_path("/licensees")),
    ("GET", BASE + "/{pool_id}/licensees/{licensee_id}/account"): (
        MANAGE | {Role.LICENSEE},
        built(_account),
    ),
    ("GET", BASE + "/{pool_id}/members/{member_id}/patents"): (
        MANAGE | {Role.POOL_MEMBER},
        built(_member_patents),
    ),
    ("POST", BASE + "/{pool_id}/patents"): (MANAGE | {Role.POOL_MEMBER}, built(_submission)),
    ("POST", BASE + "/{pool_id}/patents/{number}/decision"): (MANAGE, built(_decision)),
    ("POST", BASE + "/{pool_id}/patents/{number}/events"): (MANAGE, built(_event)),
    ("POST", BASE + "/{pool_id}/licensees"): (MANAGE, built(_new_licensee)),
    ("POST", BASE + "/{pool_id}/agreements"): (MANAGE, built(_agreement)),
    ("POST", BASE + "/{pool_id}/reports"): (
        frozenset({Role.POOL_ADMIN, Role.LICENSEE}),
        built(_report),
    ),
    ("GET", BASE + "/{pool_id}/invoices"): (MANAGE, pool_path("/invoices")),
    ("POST", BASE + "/{pool_id}/invoices/{number}/payments"): (MANAGE, built(_payment)),
    ("POST", BASE + "/{pool_id}/year-settlements"): (MANAGE, built(_year_settlement)),
    ("GET", BASE + "/{pool_id}/allocations"): (MANAGE, pool_path("/allocations")),
    ("POST", BASE + "/{pool_id}/allocations"): (MANAGE, built(_allocation)),
    ("GET", BASE + "/{pool_id}/members/{member_id}/statement"): (
        MANAGE | {Role.POOL_MEMBER},
        built(_statement),
    ),
    ("GET", BASE + "/{pool_id}/cases"): (MANAGE, pool_path("/cases")),
    ("POST", BASE + "/{pool_id}/cases"): (MANAGE, pool_path("/cases", json=NEW_CASE)),
    ("POST", BASE + "/{pool_id}/cases/{case_id}/status"): (MANAGE, built(_case_status)),
    ("POST", BASE + "/{pool_id}/cases/{case_id}/notes"): (MANAGE, built(_case_note)),
    ("POST", BASE + "/{pool_id}/cases/{case_id}/settlement"): (MANAGE, built(_settlement)),
}


# A pool administrator of another organisation asks about the matrix pool: every read of
# its private data and every change answers 404 (nothing to probe, nothing changed).
OTHER_ORGANISATION: list[tuple[str, Request]] = [
    ("GET", pool_path("/invoices")),
    ("GET", pool_path("/licensees")),
    ("GET", pool_path("/allocations")),
    ("GET", pool_path("/experts")),
    ("GET", pool_path("/patents")),
    ("GET", pool_path("/cases")),
    ("GET", pool_path("/assignments")),
    ("GET", built(_statement)),
    ("GET", built(_account)),
    ("GET", built(_member_patents)),
    ("PATCH", pool_path(json={"admin_fee_rate": "0.3"})),
    ("POST", built(_allocation)),
    ("POST", built(_year_settlement)),
    ("POST", built(_payment)),
    ("POST", built(_member)),
    ("POST", built(_report)),
    ("POST", pool_path("/cases", json=NEW_CASE)),
]
