"""Pool membership of patents, read from the registry for the high-value section."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.corpus.events import normalize_patent_id
from ipops.pool.admission import PatentStatus
from ipops.pool.models import Pool, PoolPatent


def pool_memberships(db_session: Session) -> dict[str, tuple[str, ...]]:
    """Patent id → names of the pools that hold it as an admitted patent."""
    rows = db_session.execute(
        select(PoolPatent.number, Pool.name)
        .join(Pool, Pool.id == PoolPatent.pool_id)
        .where(PoolPatent.status == PatentStatus.ADMITTED.value)
        .order_by(Pool.name)
    ).all()
    found: dict[str, list[str]] = {}
    for number, name in rows:
        try:
            patent_id = normalize_patent_id(number)
        except ValueError:
            continue  # a number the corpus cannot hold
        names = found.setdefault(patent_id, [])
        if name not in names:
            names.append(name)
    return {patent_id: tuple(names) for patent_id, names in found.items()}
