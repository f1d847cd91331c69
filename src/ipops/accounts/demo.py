"""Demo users, one per role, and the demo organisations, for ``ipops demo`` and the tests.

DEMO ONLY: the passwords are fixed and published here (``demo-<role>-2019!``). Never
create these users in a real deployment.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ipops.accounts import organisations, users
from ipops.accounts.roles import HOME_ORG_KIND, OrgKind, Role
from ipops.audit.service import Actor


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    name_zh: str
    name_en: str

    @property
    def password(self) -> str:
        """The fixed demo password (demo data only)."""
        return f"demo-{self.role.value}-2019!"

    @property
    def display_name(self) -> str:
        """The stored display name: the Chinese one (a person's name is not translated)."""
        return self.name_zh


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin.demo", Role.PLATFORM_ADMIN, "平台管理员", "Platform Admin"),
    DemoUser("pooladmin.demo", Role.POOL_ADMIN, "专利池管理员", "Pool Admin"),
    DemoUser("expert.demo", Role.EXPERT, "评审专家", "Expert"),
    DemoUser("member.demo", Role.POOL_MEMBER, "专利池成员", "Pool Member"),
    DemoUser("licensee.demo", Role.LICENSEE, "被许可人", "Licensee"),
    DemoUser("bank.demo", Role.BANK_OFFICER, "银行客户经理", "Bank Officer"),
    DemoUser("enterprise.demo", Role.ENTERPRISE_USER, "企业用户", "Enterprise User"),
    DemoUser("analyst.demo", Role.ANALYST, "产业分析师", "Analyst"),
)

DEMO_ORGANISATIONS: dict[OrgKind, str] = {
    OrgKind.PLATFORM: "知识产权运营服务平台（演示）",
    OrgKind.POOL: "空调领域专利池（演示）",
    OrgKind.EXPERT_PANEL: "专利池专家委员会（演示）",
    OrgKind.MEMBER_COMPANY: "示范电器股份有限公司（演示）",
    OrgKind.ENTERPRISE: "示范科技有限公司（演示）",
    OrgKind.BANK: "示范银行南京分行（演示）",
    OrgKind.ANALYST_GROUP: "产业专利分析组（演示）",
}


def ensure_demo_users(db_session: Session) -> list[tuple[str, str]]:
    """Create the demo users (and their organisations) that are missing; flush only.

    Returns ``(username, password)`` of every demo user, existing ones included.
    """
    actor = Actor.system()
    for demo in DEMO_USERS:
        if users.get_user_by_username(db_session=db_session, username=demo.username):
            continue
        users.create_user(
            db_session=db_session,
            username=demo.username,
            password=demo.password,
            role=demo.role,
            actor=actor,
            display_name=demo.display_name,
            organisation_id=_organisation_id(db_session, HOME_ORG_KIND[demo.role], actor),
        )
    return [(demo.username, demo.password) for demo in DEMO_USERS]


def _organisation_id(db_session: Session, kind: OrgKind, actor: Actor) -> int:
    name = DEMO_ORGANISATIONS[kind]
    org = organisations.get_organisation_by_name(db_session=db_session, name=name)
    if org is None:
        org = organisations.create_organisation(
            db_session=db_session, name=name, kind=kind, actor=actor
        )
    return org.id


def demo_organisation_id(db_session: Session, kind: OrgKind) -> int | None:
    """The id of the demo organisation of ``kind``, if the demo users made it."""
    name = DEMO_ORGANISATIONS[kind]
    org = organisations.get_organisation_by_name(db_session=db_session, name=name)
    return None if org is None else org.id
