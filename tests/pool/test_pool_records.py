"""The pool's look-ups answer records that carry the names the API and pages show (issue
14): an expert with the member that recommended it, a patent with its submitting member."""

from __future__ import annotations

from datetime import date

from poolbuild import ACTOR, build_pool

from ipops.pool import admission, membership, submissions
from ipops.pool.membership import ExpertRecord
from ipops.registry.db import make_engine, session_scope


def test_experts_carry_the_name_of_the_member_that_recommended_them(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        added = membership.add_expert(
            db_session=session, actor=ACTOR, pool=pool, name="专家甲", recommended_by="海尔"
        )
        one = membership.expert_record(db_session=session, expert=added)
        committee = membership.expert_records(db_session=session, pool=pool)
    assert one == ExpertRecord(
        id=added.id, name="专家甲", recommended_by="海尔", speciality="", user_id=None
    )
    assert [(e.name, e.recommended_by) for e in committee] == [
        ("专家0", "格力"),
        ("专家1", "美的"),
        ("专家2", "海尔"),
        ("专家甲", "海尔"),
    ]


def test_patent_records_name_the_member_and_filter_by_status(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        haier = membership.get_member(db_session=session, pool=pool, name="海尔")
        submissions.submit_patent(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            member=haier,
            patent=submissions.PatentInput(
                number="cn900", country="CN", expires_on=date(2040, 1, 1)
            ),
        )
        every = submissions.patent_records(db_session=session, pool=pool)
        submitted = submissions.patent_records(
            db_session=session, pool=pool, status=str(admission.PatentStatus.SUBMITTED)
        )
        haiers = submissions.member_patent_records(db_session=session, member=haier)
        admitted = submissions.member_patent_records(
            db_session=session, member=haier, status=str(admission.PatentStatus.ADMITTED)
        )
    assert len(every) == 6 and {p.member for p in every} == {"格力", "美的", "海尔"}
    assert [(p.number, p.member, p.status) for p in submitted] == [("CN900", "海尔", "submitted")]
    assert [p.number for p in haiers] == ["CN900", "US202"]
    assert [(p.number, p.family, p.ipc) for p in admitted] == [("US202", "F4", "F24F 11/30")]
