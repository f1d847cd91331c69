"""Dispute cases: open, move through their states, note, settle with a licence.

Services only flush; the edges (CLI command, API request) own the transaction, and
every change is audited (``ipops.audit``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor
from ipops.errors import NotFound, ValidationError
from ipops.pool import (
    disputes,
    licensing,
)
from ipops.pool.core import audit, checked_text, now
from ipops.pool.models import (
    Agreement,
    Dispute,
    Licensee,
    Pool,
)
from ipops.records import Record, RecordId
from ipops.registry.concurrency import claim


def open_case(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    kind: str,
    title: str,
    parties: Sequence[str],
    patents: Sequence[str] = (),
    deadline: date | None = None,
) -> Dispute:
    if kind not in disputes.CaseKind.__members__.values():
        raise ValidationError(f"one of {', '.join(disputes.CaseKind)}", field="kind")
    if not parties:
        raise ValidationError("name the parties", field="parties")
    case = Dispute(
        pool_id=pool.id,
        kind=kind,
        title=checked_text(title, "title", 300),
        parties=[p.strip() for p in parties if p.strip()],
        patents=[p.strip().upper() for p in patents if p.strip()],
        status=str(disputes.CaseStatus.OPENED),
        deadline=deadline,
        documents=[],
        notes=[],
        opened_at=now(),
    )
    db_session.add(case)
    db_session.flush()
    audit(db_session, actor, "pool.case_opened", "pool_dispute", case.id, after={"title": title})
    return case


def get_case(*, db_session: Session, pool: Pool, case_id: int) -> Dispute:
    case = db_session.get(Dispute, case_id)
    if case is None or case.pool_id != pool.id:
        raise NotFound(f"no case {case_id} in {pool.name}", field="case")
    return case


def change_case_status(
    *,
    db_session: Session,
    actor: Actor,
    case: Dispute,
    status: str,
    note: str = "",
    deadline: date | None = None,
) -> Dispute:
    if status not in disputes.CaseStatus.__members__.values():
        raise ValidationError(f"one of {', '.join(disputes.CaseStatus)}", field="status")
    claim(db_session, case)
    before = case.status
    disputes.check_transition(disputes.CaseStatus(case.status), disputes.CaseStatus(status))
    case.status = status
    if deadline is not None:
        case.deadline = deadline
    case.notes = [*case.notes, {"at": now().isoformat(), "status": status, "note": note}]
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.case_status",
        "pool_dispute",
        case.id,
        before={"status": before},
        after={"status": status, "note": note},
    )
    return case


def add_case_note(
    *, db_session: Session, actor: Actor, case: Dispute, note: str, document: str | None = None
) -> Dispute:
    if not note.strip() and not document:
        raise ValidationError("give a note or a document", field="note")
    claim(db_session, case)
    case.notes = [*case.notes, {"at": now().isoformat(), "note": note.strip()}]
    if document:
        case.documents = [*case.documents, document.strip()]
    db_session.flush()
    audit(db_session, actor, "pool.case_note", "pool_dispute", case.id, after={"note": note})
    return case


def settle_with_licence(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    case: Dispute,
    licensee_name: str,
    country: str,
    starts_on: date,
    ends_on: date,
    back_royalties_from: date | None = None,
) -> Agreement:
    """Settle a case with a licence at the pool's standard rates."""
    claim(db_session, pool, case)
    disputes.check_transition(disputes.CaseStatus(case.status), disputes.CaseStatus.SETTLED)
    existing = db_session.scalar(
        select(Licensee).where(Licensee.pool_id == pool.id, Licensee.name == licensee_name)
    )
    licensee = existing or licensing.add_licensee(
        db_session=db_session, actor=actor, pool=pool, name=licensee_name, country=country
    )
    agreement = licensing.sign_agreement(
        db_session=db_session,
        actor=actor,
        pool=pool,
        licensee=licensee,
        signed_on=date.today(),
        starts_on=starts_on,
        ends_on=ends_on,
        back_royalties_from=back_royalties_from,
        origin=f"settlement of case {case.id}",
    )
    case.agreement_id = agreement.id
    change_case_status(
        db_session=db_session,
        actor=actor,
        case=case,
        status=str(disputes.CaseStatus.SETTLED),
        note=f"licence {agreement.id} to {licensee.name} at pool rates",
    )
    return agreement


def cases_of(db_session: Session, pool: Pool) -> list[Dispute]:
    return list(
        db_session.scalars(select(Dispute).where(Dispute.pool_id == pool.id).order_by(Dispute.id))
    )


class CaseRecord(Record):
    """A dispute or negotiation case with the status changes allowed next
    (``disputes.allowed``) and its dated notes (``at``, ``note``, ``status`` when it moved)."""

    id: RecordId
    kind: str
    title: str
    parties: list[str]
    patents: list[str]
    status: str
    allowed_next: list[str]
    deadline: date | None
    documents: list[str]
    notes: list[dict[str, str]]
    agreement_id: RecordId | None


def case_record(case: Dispute) -> CaseRecord:
    """``case`` as the record every edge shows."""
    return CaseRecord(
        id=case.id,
        kind=case.kind,
        title=case.title,
        parties=case.parties,
        patents=case.patents,
        status=case.status,
        allowed_next=[str(s) for s in disputes.allowed(disputes.CaseStatus(case.status))],
        deadline=case.deadline,
        documents=case.documents,
        notes=case.notes,
        agreement_id=case.agreement_id,
    )
