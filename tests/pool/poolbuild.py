"""Builders of small pools through the real services (used by the pool tests)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session
from stdnum.cn import uscc

from ipops.audit.service import Actor
from ipops.pool import licensing, membership, submissions
from ipops.pool.models import Pool

ACTOR = Actor(name="test", origin="test")
POOL = "测试空调专利池"


def code(seed: str) -> str:
    body = f"91440400{seed:0>9}"[:17]
    return body + uscc.calc_check_digit(body)


def build_pool(session: Session) -> Pool:
    """Three members, three experts, five admitted patents (CN and US), one licensee."""
    pool = membership.create_pool(
        db_session=session,
        actor=ACTOR,
        name=POOL,
        field="air conditioning",
        administrator="联盟",
        categories={"split-ac": "split", "chiller": "chiller"},
        rates={"split-ac": {"unit": "3.00"}, "chiller": {"percent": "0.5"}},
        regional={"IN": "0.5"},
        admin_fee_rate="0.1",
    )
    members = [
        membership.add_member(
            db_session=session, actor=ACTOR, pool=pool, name=name, uscc_code=code(str(i + 1))
        )
        for i, name in enumerate(("格力", "美的", "海尔"))
    ]
    experts = [
        membership.add_expert(
            db_session=session, actor=ACTOR, pool=pool, name=f"专家{i}", recommended_by=m.name
        )
        for i, m in enumerate(members)
    ]
    patents = [
        ("CN101", "CN", 0, "F1"),
        ("CN102", "CN", 0, "F1"),
        ("US201", "US", 0, "F2"),
        ("CN103", "CN", 1, "F3"),
        ("US202", "US", 2, "F4"),
    ]
    for number, country, owner, family in patents:
        admit(session, pool, members[owner], experts, number, country, family)
    licence(session, pool, "Acme Cooling")
    return pool


def licence(session: Session, pool: Pool, name: str, **terms: object) -> None:
    """A licensee in TH with a licence signed 2024-12-01 for 2025-2027 (``terms``: more of
    ``licensing.sign_agreement``'s, e.g. ``annual_minimum="1000.00"``)."""
    licensee = licensing.add_licensee(
        db_session=session, actor=ACTOR, pool=pool, name=name, country="TH"
    )
    licensing.sign_agreement(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        licensee=licensee,
        signed_on=date(2024, 12, 1),
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        **terms,  # type: ignore[arg-type]
    )


def admit(session, pool, member, experts, number, country, family) -> None:  # type: ignore[no-untyped-def]
    patent = submissions.submit_patent(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        member=member,
        patent=submissions.PatentInput(
            number=number,
            country=country,
            title=f"空调 {number}",
            filing_date=date(2015, 1, 1),
            expires_on=date(2035, 1, 1),
            family=family,
            ipc="F24F 11/30",
        ),
    )
    reviewers = [e for e in experts if e.recommended_by_id != member.id][:2]
    for expert in reviewers:
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
    submissions.decide_patent(
        db_session=session, actor=ACTOR, pool=pool, patent=patent, on=date(2024, 1, 1)
    )
