"""The demo air-conditioning pool of the seed (中国空调领域专利池), built through the services.

DEMO DATA: the ten member companies and the eight-person expert committee follow the
published description of the pool (2019); the Unified Social Credit Codes, experts,
licensees, sales and money are invented, and the 547 patents are generated demo patents of
the demo corpus. Everything is marked as demo data (``Pool.demo``, ``PoolPatent.demo``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from ipops.accounts.models import User
from ipops.audit.service import Actor
from ipops.corpus.store import CorpusStore
from ipops.pool import (
    allocation_runs,
    cases,
    core,
    licensing,
    membership,
    overview,
    payments,
    royalty_reports,
    submissions,
)
from ipops.pool.models import Pool
from ipops.valuation.status import term_end

POOL_NAME = "中国空调领域专利池（演示）"
DEMO_YEAR = 2025
LAUNCHED = date(2019, 11, 12)
PATENTS = 547
# The member companies the seed names (the pool's founders), marked as demo like every other
# organisation of the demo: their patents, royalties and cases here are generated.
MEMBERS = tuple(
    f"{name}（演示）"
    for name in (
        "珠海格力电器股份有限公司",
        "青岛海尔空调器有限总公司",
        "四川长虹空调有限公司",
        "广东志高空调有限公司",
        "TCL空调器（中山）有限公司",
        "海信（山东）空调有限公司",
        "广东美的制冷设备有限公司",
        "奥克斯空调股份有限公司",
        "珠海凌达压缩机有限公司",
        "广东美芝制冷设备有限公司",
    )
)
CATEGORIES = {
    "split-ac": "分体式空调",
    "window-ac": "窗式空调",
    "portable-ac": "移动空调",
    "vrf": "多联机",
    "heat-pump": "热泵热水机",
    "compressor": "压缩机",
    "chiller": "冷水机组（按净销售额百分比）",
}
RATES = {
    "split-ac": {"unit": "3.00"},
    "window-ac": {"unit": "2.00"},
    "portable-ac": {"unit": "1.50"},
    "vrf": {"unit": "12.00"},
    "heat-pump": {"unit": "4.00"},
    "compressor": {"unit": "0.80"},
    "chiller": {"percent": "0.5"},
}
REGIONAL = {"IN": "0.5", "VN": "0.5", "ID": "0.5", "BR": "0.7", "EG": "0.5"}
MAKERS = ("CN", "CN", "CN", "TH", "VN", "IN", "US", "MX", "TR", "JP", "KR", "DE")
MARKETS = ("CN", "US", "JP", "KR", "DE", "FR", "IT", "ES", "IN", "BR", "VN", "ID", "AU", "EG")
# The pool's field: a patent joins only when its *main* IPC is one of these (air
# conditioning, refrigeration, heat pumps and water heaters, compressors, heat exchangers),
# so that no patent merely carrying a secondary F24F symbol (a medical device with a fan)
# is admitted to the air-conditioning pool.
AC_SUBCLASSES = ("F24F", "F25B", "F24H", "F25D", "F24D", "F04C", "F04B", "F28D", "F28F")
# Fictitious licensees (demo data): Chinese makers and overseas makers named in Chinese.
LICENSEES = (
    "宁波澜川电器有限公司",
    "佛山顺景制冷设备有限公司",
    "中山华朗空调有限公司",
    "泰国暹罗清风冷气有限公司",
    "越南红河制冷有限公司",
    "印度德干空调有限公司",
    "美国北湖暖通设备公司",
    "墨西哥蒙特雷冷气公司",
    "土耳其安纳托利亚空调公司",
    "日本东樱空调株式会社",
    "韩国汉江冷机株式会社",
    "德国莱茵暖通有限公司",
    "杭州钱塘环境电器有限公司",
    "合肥庐州制冷科技有限公司",
    "芜湖江城空调配件有限公司",
    "泰国湄南电器有限公司",
    "越南西贡冷气有限公司",
    "印度恒河环境设备有限公司",
    "美国湖畔空气系统公司",
    "墨西哥瓜达拉哈拉电器公司",
)


@dataclass(frozen=True)
class DemoPoolSummary:
    pool: str
    members: int
    experts: int
    patents: int
    licensees: int
    reports: int
    allocations: int
    collected: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def seed_demo_pool(
    db_session: Session, store: CorpusStore, *, seed: int = 2019, owner: int | None = None
) -> DemoPoolSummary:
    """Create the demo pool once (flush only); an existing one is summarised as it is.
    ``owner``: the organisation whose pool administrators manage it (set on an existing
    pool that has none)."""
    existing = db_session.scalar(select(Pool).where(Pool.name == POOL_NAME))
    if existing is None:
        _build(db_session, store, random.Random(seed))
        existing = membership.get_pool(db_session=db_session, name=POOL_NAME)
    if existing.organisation_id is None and owner is not None:
        existing.organisation_id = owner
        db_session.flush()
    return _summary(db_session, existing)


def _build(db_session: Session, store: CorpusStore, rng: random.Random) -> None:
    actor = Actor.system()
    pool = membership.create_pool(
        db_session=db_session,
        actor=actor,
        name=POOL_NAME,
        field="空调（F24F、F25B、F24H、F04C）",
        administrator="中国空调产业知识产权联盟（演示）",
        categories=CATEGORIES,
        rates=RATES,
        regional=REGIONAL,
        admin_fee_rate="0.1",
        quorum=2,
        majority="simple",
        demo=True,
    )
    members = [
        membership.add_member(
            db_session=db_session,
            actor=actor,
            pool=pool,
            name=name,
            uscc_code=_demo_uscc(rng),
            country="CN",
            organisation_id=_organisation_of(db_session, "member.demo") if i == 0 else None,
            joined_on=LAUNCHED,
        )
        for i, name in enumerate(MEMBERS)
    ]
    experts = [
        membership.add_expert(
            db_session=db_session,
            actor=actor,
            pool=pool,
            name=f"专家{i + 1:02d}（演示）",
            recommended_by=members[i].name,
            speciality=("制冷循环", "压缩机", "控制", "换热器")[i % 4],
            user_id=_user_id(db_session, "expert.demo") if i == 0 else None,
        )
        for i in range(8)
    ]
    candidates = _corpus_candidates(store, PATENTS + 6)
    _admit(db_session, actor, pool, members, experts, candidates, rng)
    licensees = _licensing(db_session, actor, pool, rng)
    _royalty_year(db_session, actor, pool, licensees, rng)
    _disputes(db_session, actor, pool)


def _demo_uscc(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = (
        "91"
        + "44"
        + f"{rng.randrange(10**4):04d}"
        + "".join(rng.choice(alphabet) for _ in range(9))
    )
    return body + uscc.calc_check_digit(body)


def _user_id(db_session: Session, username: str) -> int | None:
    return db_session.scalar(select(User.id).where(User.username == username))


def _organisation_of(db_session: Session, username: str) -> int | None:
    return db_session.scalar(select(User.organisation_id).where(User.username == username))


def _corpus_candidates(store: CorpusStore, limit: int) -> list[submissions.PatentInput]:
    """Granted air-conditioning demo patents in force through the demo year, steadily chosen."""
    subclasses = ", ".join(f"'{s}'" for s in AC_SUBCLASSES)
    with store.connect() as con:
        rows = con.execute(
            "SELECT p.patent_id, p.office, p.title, p.filing_date, p.grant_date, p.family_id, "
            "p.patent_type, min(c.main_group) FROM patents p JOIN classifications c "
            "USING (patent_id) WHERE p.generated AND p.doc_type = 'grant' AND c.scheme = 'IPC' "
            f"AND c.is_main AND c.subclass IN ({subclasses}) "
            f"AND p.grant_date < DATE '{DEMO_YEAR}-01-01' "
            f"AND p.office IN ('CN', 'US', 'JP', 'KR', 'DE') GROUP BY 1, 2, 3, 4, 5, 6, 7 "
            "ORDER BY hash(p.patent_id), p.patent_id"
        ).fetchall()
    found = []
    for pid, office, title, filed, granted, family, kind, ipc in rows:
        expires = term_end(office, kind, filed, granted)
        if expires is None or expires <= date(DEMO_YEAR, 3, 1):
            continue
        found.append(
            submissions.PatentInput(pid, office, title or "", filed, granted, expires, family, ipc)
        )
        if len(found) == limit:
            break
    return found


def _admit(
    db_session: Session,
    actor: Actor,
    pool: Pool,
    members: list[Any],
    experts: list[Any],
    candidates: list[submissions.PatentInput],
    rng: random.Random,
) -> None:
    """Each patent reviewed by two experts not recommended by its member, then decided."""
    for i, candidate in enumerate(candidates):
        member = members[i % len(members)]
        patent = submissions.submit_patent(
            db_session=db_session,
            actor=actor,
            pool=pool,
            member=member,
            patent=candidate,
            from_corpus=True,
            demo=True,
            submitted_on=LAUNCHED,
        )
        eligible = [e for e in experts if e.recommended_by_id != member.id]
        reviewers = rng.sample(eligible, 2)
        if PATENTS <= i < PATENTS + 3 and experts[0] in eligible:
            reviewers = [experts[0], rng.choice([e for e in eligible if e is not experts[0]])]
        for expert in reviewers:
            submissions.assign_expert(
                db_session=db_session, actor=actor, pool=pool, patent=patent, expert=expert
            )
        if PATENTS <= i < PATENTS + 3:
            continue  # still under review: the demo expert's work list
        essential = i < PATENTS
        for expert in reviewers:
            submissions.record_opinion(
                db_session=db_session,
                actor=actor,
                patent=patent,
                expert=expert,
                opinion="essential" if essential else "not_essential",
                note=(
                    "权利要求1的全部技术特征见于标准方案（演示）"
                    if essential
                    else "权利要求1的特征可由替代方案避开（演示）"
                ),
            )
        day = max(LAUNCHED, candidate.grant_date or LAUNCHED)
        submissions.decide_patent(
            db_session=db_session, actor=actor, pool=pool, patent=patent, on=day
        )
        if essential and i % 97 == 5:
            submissions.record_patent_event(
                db_session=db_session,
                actor=actor,
                patent=patent,
                kind="lapsed",
                on=date(DEMO_YEAR, 7, 1),
                note="年费未缴（演示）",
            )


def _licensing(
    db_session: Session, actor: Actor, pool: Pool, rng: random.Random
) -> list[tuple[str, list[str], list[str]]]:
    """Twenty demo licensees: (name, categories sold, markets)."""
    licensees = []
    for i in range(20):
        country = MAKERS[i % len(MAKERS)]
        name = f"{LICENSEES[i]}（演示）"
        licensee = licensing.add_licensee(
            db_session=db_session,
            actor=actor,
            pool=pool,
            name=name,
            country=country,
            organisation_id=_organisation_of(db_session, "licensee.demo") if i == 0 else None,
            good_standing=i % 7 != 3,
        )
        early = i < 6
        licensing.sign_agreement(
            db_session=db_session,
            actor=actor,
            pool=pool,
            licensee=licensee,
            signed_on=date(DEMO_YEAR - 1, 12, 1) if early else date(DEMO_YEAR, 1, 20),
            starts_on=date(DEMO_YEAR, 1, 1) if i != 9 else date(DEMO_YEAR, 4, 1),
            ends_on=date(DEMO_YEAR + 4, 12, 31),
            compliant_discount="0.1",
            early_discount="0.08" if early else "0",
            annual_cap="2000000.00" if i % 5 == 0 else None,
            back_royalties_from=date(DEMO_YEAR, 1, 1) if i == 9 else None,
        )
        categories = rng.sample(sorted(CATEGORIES), 3)
        markets = ["CN", *rng.sample(MARKETS[1:], 4)]
        licensees.append((name, categories, markets))
    return licensees


def _royalty_year(
    db_session: Session,
    actor: Actor,
    pool: Pool,
    licensees: list[tuple[str, list[str], list[str]]],
    rng: random.Random,
) -> None:
    found = core.holdings(db_session, pool)
    for month in range(1, 13):
        period = f"{DEMO_YEAR}-{month:02d}"
        paid = 0
        for i, (name, categories, markets) in enumerate(licensees):
            rows = [
                _sale(category, MAKERS[i % len(MAKERS)], market, rng)
                for category in categories
                for market in markets[:3]
            ]
            # reported within three weeks of the month's end, invoiced on acceptance, and
            # paid within the payment term: acceptance always precedes payment
            accepted_on = _month_end(DEMO_YEAR, month) + timedelta(days=rng.randint(5, 20))
            accepted = royalty_reports.submit_report(
                db_session=db_session,
                actor=actor,
                pool=pool,
                licensee_name=name,
                period=period,
                rows=rows,
                issued_on=accepted_on,
                found=found,
            )
            if accepted.invoice.amount_fen and not (month == 12 and i % 4 == 0):
                payments.record_payment(
                    db_session=db_session,
                    actor=actor,
                    invoice=accepted.invoice,
                    amount=_yuan(accepted.invoice.amount_fen),
                    paid_on=accepted_on + timedelta(days=rng.randint(3, 25)),
                    reference=f"DEMO-{period}-{i + 1:02d}",
                )
                paid += 1
        if paid:  # a tiny demo corpus may hold no air-conditioning patent in force
            allocation_runs.allocate_period(
                db_session=db_session, actor=actor, pool=pool, period=period
            )


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _sale(category: str, maker: str, market: str, rng: random.Random) -> dict[str, Any]:
    row: dict[str, Any] = {"category": category, "made_in": maker, "sold_in": market}
    if category == "chiller":
        row["net_sales"] = f"{rng.randrange(100_000, 5_000_000)}.{rng.randrange(100):02d}"
    else:
        row["units"] = rng.randrange(0, 20_000)
    return row


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _disputes(db_session: Session, actor: Actor, pool: Pool) -> None:
    for title, parties in (
        ("成员单位之间的专利纠纷调解（一）（演示）", [MEMBERS[1], MEMBERS[7]]),
        ("成员单位之间的专利纠纷调解（二）（演示）", [MEMBERS[3], MEMBERS[4]]),
    ):
        case = cases.open_case(
            db_session=db_session,
            actor=actor,
            pool=pool,
            kind="mediation",
            title=title,
            parties=parties,
        )
        for status in ("in_mediation", "settled", "closed"):
            cases.change_case_status(
                db_session=db_session, actor=actor, case=case, status=status, note="演示"
            )
    case = cases.open_case(
        db_session=db_session,
        actor=actor,
        pool=pool,
        kind="negotiation",
        title="与境外厂商的集体许可谈判（演示）",
        parties=["境外空调制造商（演示）", "中国空调产业知识产权联盟（演示）"],
        deadline=date(DEMO_YEAR + 1, 6, 30),
    )
    cases.change_case_status(
        db_session=db_session, actor=actor, case=case, status="negotiating", note="首轮会谈"
    )


def _summary(db_session: Session, pool: Pool) -> DemoPoolSummary:
    listing = overview.public_list(db_session=db_session, pool=pool, on=date(DEMO_YEAR, 1, 1))
    runs = allocation_runs.allocations_of(db_session, pool)
    invoices = payments.invoices_of(db_session, pool)
    return DemoPoolSummary(
        pool=pool.name,
        members=len(listing.members),
        experts=len(membership.experts_of(db_session, pool)),
        patents=len(listing.patents),
        licensees=len({lic.id for _i, lic, _r in invoices}),
        reports=len(invoices),
        allocations=len(runs),
        collected=_yuan(sum(r.collected_fen for r in runs)),
    )
