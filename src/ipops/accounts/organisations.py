"""Organisations: the member companies, banks, pools and agencies users belong to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.accounts.common import enum_value, paged, required_text, utc_now
from ipops.accounts.models import (
    Organisation,
)
from ipops.accounts.roles import OrgKind
from ipops.audit.service import Actor, record_by
from ipops.errors import Conflict, NotFound
from ipops.paging import Page
from ipops.text import storable_problem

ORG_SORTABLE = {"id": Organisation.id, "name": Organisation.name, "kind": Organisation.kind}


def create_organisation(
    *, db_session: Session, name: str, kind: OrgKind | str, actor: Actor
) -> Organisation:
    name = required_text(name, field="name", limit=200)
    org_kind = enum_value(OrgKind, kind, field="kind")
    if get_organisation_by_name(db_session=db_session, name=name) is not None:
        raise Conflict(f"an organisation named {name!r} exists already", field="name")
    org = Organisation(name=name, kind=org_kind.value, created_at=utc_now())
    db_session.add(org)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="organisation.created",
        object_type="organisation",
        object_id=org.id,
        after=organisation_snapshot(org),
    )
    return org


def ensure_organisation(
    *, db_session: Session, name: str, kind: OrgKind | str, actor: Actor
) -> Organisation:
    """The organisation called ``name``, created with ``kind`` if there is none yet."""
    found = get_organisation_by_name(db_session=db_session, name=name)
    if found is None:
        return create_organisation(db_session=db_session, name=name, kind=kind, actor=actor)
    wanted = enum_value(OrgKind, kind, field="kind")
    if found.kind != wanted.value:
        raise Conflict(
            f"{found.name!r} is a {found.kind} organisation, not a {wanted}", field="org"
        )
    return found


def get_organisation(*, db_session: Session, organisation_id: int) -> Organisation:
    org = db_session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"no organisation {organisation_id}", field="organisation_id")
    return org


def get_organisation_by_name(*, db_session: Session, name: str) -> Organisation | None:
    if storable_problem(name):
        return None
    return db_session.scalar(select(Organisation).where(Organisation.name == name.strip()))


def list_organisations(
    *, db_session: Session, kind: OrgKind | str | None = None, page: Page | None = None
) -> tuple[list[Organisation], int]:
    conditions = [] if kind is None else [Organisation.kind == str(kind)]
    return paged(db_session, Organisation, conditions, ORG_SORTABLE, page)


def organisation_snapshot(org: Organisation) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "kind": org.kind}
