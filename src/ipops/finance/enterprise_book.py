"""Enterprises and their patents (use cases): registration, look-up, patent links found by
harmonised name (exact ones confirmed at once, similar ones pending review), links by hand.

The checks of an enterprise's facts are pure (``enterprises``); what finance reads of the
corpus is in ``patents``. Services take an explicit session and only ``flush()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.corpus.store import CorpusStore
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.finance import money, patents
from ipops.finance.enterprises import (
    FINANCIAL_FIELDS,
    BureauFlag,
    Financials,
    check_credit_code,
    check_region,
    check_size,
)
from ipops.finance.models import (
    Enterprise,
    EnterprisePatent,
)
from ipops.names.harmonize import harmonize_name
from ipops.records import Record, RecordId
from ipops.registry import concurrency


def _now() -> datetime:
    return datetime.now(UTC)


def register_enterprise(
    *,
    db_session: Session,
    actor: Actor,
    name: str,
    credit_code: str,
    region: str,
    industry: str,
    size: str,
    financials: Financials | None = None,
    organisation_id: int | None = None,
    bureau_checked_on: date | None = None,
) -> Enterprise:
    code = check_credit_code(credit_code)
    if not name.strip():
        raise ValidationError("must not be empty", field="name")
    figures = financials or Financials()
    figures.check()
    if db_session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code)):
        raise Conflict(
            f"an enterprise with credit code {code} is already registered", field="credit_code"
        )
    enterprise = Enterprise(
        name=name.strip(),
        credit_code=code,
        region=check_region(region),
        industry=industry.strip() or "unknown",
        size_class=check_size(size).value,
        organisation_id=organisation_id,
        total_assets_fen=_fen_or_none(figures.total_assets),
        equity_fen=_fen_or_none(figures.equity),
        revenue_fen=_fen_or_none(figures.revenue),
        rd_spend_fen=_fen_or_none(figures.rd_spend),
        created_at=_now(),
    )
    _set_bureau(enterprise, figures.bureau_flags, bureau_checked_on)
    db_session.add(enterprise)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.enterprise_registered",
        object_type="fin_enterprise",
        object_id=enterprise.id,
        after=_audited(enterprise),
    )
    return enterprise


def _fen_or_none(value: Decimal | None) -> int | None:
    return None if value is None else money.to_fen(value)


def _set_bureau(e: Enterprise, flags: tuple[str, ...] | None, checked_on: date | None) -> None:
    """Flags checked on ``checked_on`` (default: today); ``None`` clears them (not checked)."""
    e.bureau_flags = None if flags is None else [str(f) for f in flags]
    e.bureau_checked_on = None if flags is None else (checked_on or date.today())


def update_financials(
    *,
    db_session: Session,
    actor: Actor,
    enterprise_id: int,
    financials: Financials,
    fields: frozenset[str],
    bureau_checked_on: date | None = None,
) -> Enterprise:
    """Set the figures named in ``fields`` (``enterprises.FINANCIAL_FIELDS``) to their value
    in ``financials``; a named field whose value is None becomes absent again. The others
    are kept. The result is checked as a whole; claimed first (a concurrent update: 409)."""
    unknown = sorted(fields - set(FINANCIAL_FIELDS))
    if unknown:
        raise ValidationError(
            f"unknown {', '.join(unknown)}; use {', '.join(FINANCIAL_FIELDS)}", field="fields"
        )
    if not fields:
        raise ValidationError(
            f"nothing to change; give one of {', '.join(FINANCIAL_FIELDS)}", field="fields"
        )
    enterprise = concurrency.claim_key(
        db_session, Enterprise, enterprise_id, what=f"enterprise {enterprise_id}"
    )
    before = _audited(enterprise)
    current = EnterpriseRecord.of(enterprise)
    merged = Financials(
        **{
            name: getattr(financials if name in fields else current, name)
            for name in FINANCIAL_FIELDS
        }
    )
    merged.check()
    enterprise.total_assets_fen = _fen_or_none(merged.total_assets)
    enterprise.equity_fen = _fen_or_none(merged.equity)
    enterprise.revenue_fen = _fen_or_none(merged.revenue)
    enterprise.rd_spend_fen = _fen_or_none(merged.rd_spend)
    if "bureau_flags" in fields:
        _set_bureau(enterprise, merged.bureau_flags, bureau_checked_on)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.enterprise_updated",
        object_type="fin_enterprise",
        object_id=enterprise.id,
        before=before,
        after=_audited(enterprise),
    )
    return enterprise


class EnterpriseRecord(Record):
    id: RecordId
    name: str
    credit_code: str
    region: str
    industry: str
    size: str
    organisation_id: int | None
    total_assets: Decimal | None
    equity: Decimal | None
    revenue: Decimal | None
    rd_spend: Decimal | None
    bureau_flags: tuple[BureauFlag, ...] | None  # None: not checked; (): checked, none
    bureau_checked_on: date | None

    @classmethod
    def of(cls, e: Enterprise) -> EnterpriseRecord:
        def fen(v: int | None) -> Decimal | None:
            return None if v is None else money.from_fen(v)

        return cls(
            id=e.id,
            name=e.name,
            credit_code=e.credit_code,
            region=e.region,
            industry=e.industry,
            size=e.size_class,
            organisation_id=e.organisation_id,
            total_assets=fen(e.total_assets_fen),
            equity=fen(e.equity_fen),
            revenue=fen(e.revenue_fen),
            rd_spend=fen(e.rd_spend_fen),
            bureau_flags=None
            if e.bureau_flags is None
            else tuple(BureauFlag(f) for f in e.bureau_flags),
            bureau_checked_on=e.bureau_checked_on,
        )


def _audited(e: Enterprise) -> dict[str, Any]:
    """The enterprise's record in its JSON form, as the audit trail keeps it."""
    return EnterpriseRecord.of(e).model_dump(mode="json")


class PatentLinkRecord(Record):
    """A link between an enterprise and a corpus patent: how it was matched, and its
    review status."""

    link: RecordId
    patent_id: str
    party_name: str
    match: str
    similarity: float
    status: str

    @classmethod
    def of(cls, x: EnterprisePatent) -> PatentLinkRecord:
        return cls(
            link=x.id,
            patent_id=x.patent_id,
            party_name=x.party_name,
            match=x.match,
            similarity=x.similarity,
            status=x.status,
        )


class EnterpriseDetail(EnterpriseRecord):
    """An enterprise with its patent links (``GET /api/v1/finance/enterprises/{id}``)."""

    patents: list[PatentLinkRecord]


def enterprise_detail(*, db_session: Session, enterprise: Enterprise) -> EnterpriseDetail:
    """The enterprise's record with its patent links, by patent number."""
    return EnterpriseDetail(
        **dict(EnterpriseRecord.of(enterprise)),
        patents=[
            PatentLinkRecord.of(x)
            for x in links_of(db_session=db_session, enterprise_id=enterprise.id)
        ],
    )


def get_enterprise(*, db_session: Session, key: int | str) -> Enterprise:
    """By id, or by credit code."""
    if isinstance(key, int) or (str(key).isdigit() and len(str(key)) < 18):
        found = db_session.get(Enterprise, int(key))
    else:
        found = db_session.scalars(
            select(Enterprise).where(Enterprise.credit_code == str(key).upper())
        ).first()
    if found is None:
        raise NotFound(f"no enterprise {key}", field="enterprise")
    return found


def list_enterprises(*, db_session: Session, limit: int = 1000) -> list[Enterprise]:
    return list(db_session.scalars(select(Enterprise).order_by(Enterprise.id).limit(limit)))


def enterprise_records(*, db_session: Session, limit: int = 1000) -> list[EnterpriseRecord]:
    return [EnterpriseRecord.of(e) for e in list_enterprises(db_session=db_session, limit=limit)]


class LinkReport(Record):
    """What linking an enterprise to its patents did: links confirmed at once, pending
    review, and those made before."""

    enterprise_id: int
    confirmed: int
    pending: int
    already: int


class RegisteredEnterprise(EnterpriseRecord):
    """A newly registered enterprise with what linking its patents did
    (``POST /api/v1/finance/enterprises``)."""

    links: LinkReport

    @classmethod
    def of_linked(cls, e: Enterprise, links: LinkReport) -> RegisteredEnterprise:
        return cls(**dict(EnterpriseRecord.of(e)), links=links)


def link_patents(
    *, db_session: Session, store: CorpusStore, actor: Actor, enterprise: Enterprise
) -> LinkReport:
    """Link the enterprise to its patents: same harmonised name confirmed at once, similar
    names pending review (``review_link``). Links already made are kept as they are."""
    with store.connect() as con:
        found = patents.candidates_for(con, enterprise.name)
    known = set(
        db_session.scalars(
            select(EnterprisePatent.patent_id).where(
                EnterprisePatent.enterprise_id == enterprise.id
            )
        )
    )
    rows = [
        {
            "enterprise_id": enterprise.id,
            "patent_id": c.patent_id,
            "party_name": c.party_name[:300],
            "match": "exact" if c.exact else "similar",
            "similarity": round(c.similarity, 4),
            "status": "confirmed" if c.exact else "pending",
        }
        for c in found
        if c.patent_id not in known
    ]
    if rows:
        db_session.execute(insert(EnterprisePatent), rows)
    report = LinkReport(
        enterprise_id=enterprise.id,
        confirmed=sum(r["status"] == "confirmed" for r in rows),
        pending=sum(r["status"] == "pending" for r in rows),
        already=len(known),
    )
    record_by(
        actor,
        db_session=db_session,
        action="finance.patents_linked",
        object_type="fin_enterprise",
        object_id=enterprise.id,
        after=report.model_dump(),
    )
    return report


def review_link(
    *, db_session: Session, actor: Actor, link_id: int, accept: bool
) -> EnterprisePatent:
    link = concurrency.claim_key(db_session, EnterprisePatent, link_id, what=f"link {link_id}")
    before = link.status
    link.status = "confirmed" if accept else "rejected"
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.link_reviewed",
        object_type="fin_enterprise_patent",
        object_id=link.id,
        before={"status": before},
        after={"status": link.status},
    )
    return link


def add_patent_link(
    *, db_session: Session, actor: Actor, enterprise: Enterprise, patent_id: str, party_name: str
) -> EnterprisePatent:
    """A link made by hand (e.g. a patent acquired by transfer, under another name)."""
    link = EnterprisePatent(
        enterprise_id=enterprise.id,
        patent_id=patent_id,
        party_name=party_name[:300],
        match="manual",
        similarity=1.0,
        status="confirmed",
    )
    db_session.add(link)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.link_added",
        object_type="fin_enterprise_patent",
        object_id=link.id,
        after={"enterprise_id": enterprise.id, "patent_id": patent_id},
    )
    return link


def links_of(
    *, db_session: Session, enterprise_id: int, status: str | None = None
) -> list[EnterprisePatent]:
    query = select(EnterprisePatent).where(EnterprisePatent.enterprise_id == enterprise_id)
    if status:
        query = query.where(EnterprisePatent.status == status)
    return list(db_session.scalars(query.order_by(EnterprisePatent.patent_id)))


def link_exact_bulk(
    *, db_session: Session, store: CorpusStore, actor: Actor, enterprises: Sequence[Enterprise]
) -> int:
    """Exact links (same harmonised entity) of many enterprises in one corpus query; the
    similar-name candidates of one enterprise come from ``link_patents``."""
    table = pa.table(
        {
            "enterprise_id": pa.array([e.id for e in enterprises], pa.int64()),
            "entity_id": pa.array([harmonize_name(e.name)[1] for e in enterprises], pa.string()),
        }
    )
    with store.connect() as con:
        con.register("fin_entities", table)
        rows = con.execute(
            "SELECT e.enterprise_id, p.patent_id, min(p.name) FROM parties p "
            "JOIN fin_entities e ON e.entity_id = p.entity_id "
            "WHERE p.role IN ('applicant', 'assignee') GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
    known = set(
        db_session.execute(
            select(EnterprisePatent.enterprise_id, EnterprisePatent.patent_id)
        ).tuples()
    )
    new = [
        {
            "enterprise_id": int(eid),
            "patent_id": pid,
            "party_name": str(name)[:300],
            "match": "exact",
            "similarity": 1.0,
            "status": "confirmed",
        }
        for eid, pid, name in rows
        if (eid, pid) not in known
    ]
    if new:
        db_session.execute(insert(EnterprisePatent), new)
    record_by(
        actor,
        db_session=db_session,
        action="finance.patents_linked",
        object_type="fin_enterprise",
        after={"enterprises": len(enterprises), "links": len(new)},
    )
    return len(new)
