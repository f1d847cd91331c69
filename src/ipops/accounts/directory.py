"""The user directory the platform administrator manages: one page of accounts at a time,
as frozen records (who, which role, which organisation, active or not)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.accounts.models import Organisation, User
from ipops.paging import Page
from ipops.records import Record, RecordId


class UserEntry(Record):
    id: RecordId
    username: str
    display_name: str
    role: str
    organisation: str | None
    active: bool


class UserDirectory(Record):
    users: tuple[UserEntry, ...]
    total: int


def user_directory(*, db_session: Session, page: Page) -> UserDirectory:
    """One page of the user accounts in username order, with their organisation's name."""
    rows = db_session.execute(
        select(User, Organisation.name)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .order_by(User.username, User.id)
        .offset(page.offset)
        .limit(page.size)
    ).all()
    total = db_session.scalar(select(func.count(User.id)))
    return UserDirectory(
        users=tuple(
            UserEntry(
                id=user.id,
                username=user.username,
                display_name=user.display_name,
                role=user.role,
                organisation=organisation,
                active=user.is_active,
            )
            for user, organisation in rows
        ),
        total=int(total or 0),
    )
