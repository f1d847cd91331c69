"""A Nanjing-like IP pledge finance programme for ``ipops demo`` (DEMO DATA ONLY).

Banks with IP loan products and year-end balances, a few hundred enterprises (the Chinese
organisations of the generated corpus, placed in Nanjing's districts) with linked and rated
portfolios, and the loan book of ``ipops.finance.demo_loans``: a history of closed and
defaulted loans, a current book dated back from the demo's as-of date (applications waiting,
loans repaying, a few in arrears, loans repaid), compensation claims, risk subsidies and a
disposal. Credit codes are generated with valid check characters and are not real
enterprises' codes.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from ipops.accounts import organisations
from ipops.accounts.demo import DEMO_ORGANISATIONS
from ipops.accounts.roles import OrgKind
from ipops.audit.service import Actor
from ipops.corpus.store import CorpusStore
from ipops.finance import balances, enterprise_book, product_book, rating_book
from ipops.finance.demo_loans import AS_OF, LoanBook
from ipops.finance.enterprises import Financials
from ipops.finance.models import Claim, Enterprise, Loan, Rating
from ipops.valuation.fields import field_of

__all__ = ["AS_OF", "MAX_ENTERPRISES", "DemoFinance", "seed_demo_finance"]

MAX_ENTERPRISES = 300
DISTRICTS = (
    "320102",
    "320104",
    "320105",
    "320106",
    "320111",
    "320113",
    "320114",
    "320115",
    "320116",
    "320117",
    "320118",
)
INDUSTRIES = ("制造业", "信息技术", "生物医药", "新材料", "节能环保")
# Borrowers are Nanjing SMEs: universities, institutes, hospitals, state groups, listed
# companies and well-known firms never borrow from the 宁创贷 programme.
EXCLUDED = (
    "大学", "学院", "研究院", "研究所", "医院", "国家电网", "中国石油", "集团", "股份",
    "总公司", "格力", "美的", "海尔", "海信", "华为", "中兴", "腾讯", "阿里", "百度", "京东",
    "小米", "联想", "比亚迪", "宁德时代", "长虹", "TCL", "奥克斯", "志高", "美芝", "凌达",
    "南京银行", "苏宁", "熊猫", "南瑞", "英特尔", "西门子", "三星", "松下", "大金", "日立",
    "中芯", "天加", "海立", "佳力图", "迈瑞", "恒瑞", "京东方", "徐工", "三一", "吉利",
)  # fmt: skip
# The industry an enterprise's patents point to (WIPO sector / field of its commonest main
# IPC), and the districts where such firms cluster in Nanjing (江北新区 biomedicine in 浦口
# and 六合, software in 雨花台 and 建邺, manufacturing in 江宁, 溧水 and 高淳 ...).
FIELD_INDUSTRY = {
    **dict.fromkeys(range(1, 9), "信息技术"),
    **dict.fromkeys((9, 10, 12), "制造业"),
    **dict.fromkeys((11, 13, 14, 15, 16, 18), "生物医药"),
    **dict.fromkeys((17, 19, 20, 21, 22, 23), "新材料"),
    24: "节能环保",
    **dict.fromkeys(range(25, 36), "制造业"),
}
INDUSTRY_DISTRICTS = {
    "信息技术": ("320114", "320105", "320102", "320115", "320106"),
    "制造业": ("320115", "320117", "320118", "320111", "320116"),
    "生物医药": ("320111", "320116", "320115", "320113"),
    "新材料": ("320116", "320113", "320115", "320111"),
    "节能环保": ("320115", "320113", "320104", "320117"),
}
# Size classes of 《中小企业划型标准规定》 (工信部联企业〔2011〕300号), industrial firms: total
# assets here stay well inside each class (yuan).
SIZE_ASSETS = {
    "micro": (1_000_000, 9_000_000),
    "small": (10_000_000, 60_000_000),
    "medium": (80_000_000, 350_000_000),
}
BANKS: tuple[tuple[str, str, tuple[Any, ...]], ...] = (
    (
        DEMO_ORGANISATIONS[OrgKind.BANK],
        "0.28",
        (
            ("知识产权质押贷（演示）", "200000", "5000000", 6, 36, "1.15", "BB", ("3201",), "0.5"),
            ("科创积分贷（演示）", "100000", "1000000", 3, 12, "1.25", "B", ("32",), "0.6"),
        ),
    ),
    (
        "南京银行（演示）",
        "0.22",
        (("鑫智贷（演示）", "500000", "10000000", 12, 36, "1.10", "BBB", ("3201",), "0.4"),),
    ),
    (
        "江苏银行（演示）",
        "0.15",
        (("苏知贷（演示）", "300000", "3000000", 6, 24, "1.20", "BB", ("32",), "0.5"),),
    ),
    (
        "交通银行江苏省分行（演示）",
        "0.31",
        (("智融通（演示）", "1000000", "20000000", 12, 60, "1.05", "A", (), "0.35"),),
    ),
)


@dataclass(frozen=True)
class DemoFinance:
    banks: int
    products: int
    enterprises: int
    links: int
    rated: int
    loans: dict[str, int]
    overdue: int  # active loans past due on AS_OF
    claims: int
    pd_auc: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _code(rng: random.Random, region: str) -> str:
    body = "91" + region + "".join(rng.choice("0123456789") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def seed_demo_finance(
    session: Session,
    store: CorpusStore,
    workspace_root: Path,
    *,
    seed: int,
    enterprises: int = MAX_ENTERPRISES,
) -> DemoFinance:
    """The programme once (flush only); ``enterprises`` caps the borrowers (tests use few)."""
    rng = random.Random(seed)
    actor = Actor.system()
    if session.scalar(select(Enterprise.id).limit(1)) is not None:
        return _summary(session, 0, 0, 0, None)  # already seeded
    products = _banks(session, actor)
    registered = _enterprises(session, store, actor, rng, enterprises)
    links = enterprise_book.link_exact_bulk(
        db_session=session, store=store, actor=actor, enterprises=registered
    )
    rating_book.rate_enterprises(
        db_session=session,
        store=store,
        valuation_root=workspace_root / "valuation",
        actor=actor,
        as_of=AS_OF,
    )
    book = LoanBook(session, store, actor, rng)
    defaulted = book.history(registered)
    book.current([e for e in registered if e.id not in defaulted])
    auc = book.funds()
    return _summary(session, len(BANKS), len(products), links, auc)


def _summary(
    session: Session, banks: int, products: int, links: int, auc: float | None
) -> DemoFinance:
    states: dict[str, int] = {}
    for state in session.scalars(select(Loan.state)):
        states[state] = states.get(state, 0) + 1
    return DemoFinance(
        banks=banks,
        products=products,
        enterprises=len(session.scalars(select(Enterprise.id)).all()),
        links=links,
        rated=len(session.scalars(select(Rating.id)).all()),
        loans=states,
        overdue=len(
            session.scalars(
                select(Loan.id).where(Loan.state == "active", Loan.days_past_due > 0)
            ).all()
        ),
        claims=len(session.scalars(select(Claim.id)).all()),
        pd_auc=auc,
    )


def _banks(session: Session, actor: Actor) -> list[int]:
    product_ids = []
    for name, share, products in BANKS:
        org = organisations.ensure_organisation(
            db_session=session, name=name, kind=OrgKind.BANK, actor=actor
        )
        bank = product_book.add_bank(
            db_session=session, actor=actor, name=name, organisation_id=org.id
        )
        for year in range(2019, AS_OF.year):
            programme = Decimal(800_000_000 + 50_000_000 * (year - 2019))
            balances.set_balance(
                db_session=session,
                actor=actor,
                bank=bank,
                year=year,
                weak=(programme * Decimal(share)).quantize(Decimal("0.01")),
                programme=programme,
            )
        for pname, low, high, t1, t2, multiple, grade, regions, ltv in products:
            spec = product_book.ProductInput(
                name=pname,
                min_amount=Decimal(low),
                max_amount=Decimal(high),
                min_term_months=t1,
                max_term_months=t2,
                rate_multiple=Decimal(multiple),
                min_grade=grade,
                regions=regions,
                max_ltv=Decimal(ltv),
                method=("equal_principal" if t2 >= 36 else "equal_instalments"),
            )
            product_ids.append(
                product_book.add_product(db_session=session, actor=actor, bank=bank, spec=spec).id
            )
    return product_ids


def _enterprises(
    session: Session, store: CorpusStore, actor: Actor, rng: random.Random, limit: int
) -> list[Enterprise]:
    with store.connect() as con:
        rows = con.execute(
            "SELECT min(a.name), count(DISTINCT a.patent_id) AS n, mode(c.subclass) "
            "FROM parties a JOIN patents p USING (patent_id) "
            "LEFT JOIN classifications c ON c.patent_id = a.patent_id AND c.is_main "
            "WHERE p.office = 'CN' AND a.party_type = 'organization' "
            "AND a.role IN ('applicant', 'assignee') "
            "GROUP BY a.entity_id ORDER BY n DESC, 1 LIMIT 2000"
        ).fetchall()
    chosen = [(str(name), int(n), subclass) for name, n, subclass in rows if _sme_name(str(name))]
    chosen = sorted(chosen, key=lambda row: not row[0].startswith("南京"))[:limit]
    home = organisations.ensure_organisation(
        db_session=session,
        name=DEMO_ORGANISATIONS[OrgKind.ENTERPRISE],
        kind=OrgKind.ENTERPRISE,
        actor=actor,
    )
    found = []
    for index, (name, patents, subclass) in enumerate(chosen):
        wipo = field_of(subclass)
        industry = FIELD_INDUSTRY.get(wipo.number, "制造业") if wipo else rng.choice(INDUSTRIES)
        region = rng.choice(INDUSTRY_DISTRICTS[industry])
        size = "micro" if patents <= 2 else rng.choices(("small", "medium"), (5, 1))[0]
        low, high = SIZE_ASSETS[size]
        assets = Decimal(rng.randint(low // 100_000, high // 100_000) * 100_000)
        equity = (assets * Decimal(rng.randint(5, 70)) / 100).quantize(Decimal("0.01"))
        found.append(
            enterprise_book.register_enterprise(
                db_session=session,
                actor=actor,
                name=name,
                credit_code=_code(rng, region),
                region=region,
                industry=industry,
                size=size,
                financials=Financials(
                    total_assets=assets,
                    equity=equity,
                    revenue=(assets * Decimal("0.8")).quantize(Decimal("0.01")),
                ),
                organisation_id=home.id if index == 0 else None,
            )
        )
    return found


def _sme_name(name: str) -> bool:
    """A name a Nanjing SME borrower could have: Chinese, a limited company, not a
    university, institute, group, listed company or well-known firm."""
    return (
        name.endswith("有限公司")
        and not any("a" <= ch.lower() <= "z" for ch in name)
        and not any(word in name for word in EXCLUDED)
    )
