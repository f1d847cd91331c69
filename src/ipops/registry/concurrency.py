"""Concurrency: one rule for every state change — claim, then check, then write.

A use case that moves money or state (a payment, a repayment, an allocation, a loan, pledge,
claim, admission or dispute transition) first **claims** the row it changes — its aggregate
root: the pool, the invoice, the loan, the pledge, the case — with :func:`claim` or
:func:`claim_key`. Only then does it read what it checks (outstanding amount, state, whether
a period was allocated) and write. The claim is held until the transaction ends, so a second
request for the same row waits, then sees the first one's committed result and is judged on
it: a payment that no longer fits, a period allocated already, a transition no longer
allowed is refused with :class:`ipops.errors.Conflict` (HTTP 409, CLI exit 4) and, because
every check runs before the first write and the edge rolls back on any error, writes nothing.

How the claim is taken:

- PostgreSQL: ``SELECT ... FOR UPDATE`` of the row (a row lock; READ COMMITTED, so every
  later statement of the transaction sees what was committed before the lock was granted).
  Claims are taken root first (pool before invoice, loan before pledge) so two use cases
  never wait on each other in a cycle.
- SQLite: the transaction is begun ``BEGIN IMMEDIATE`` (the database's one write lock,
  waited for up to ``busy_timeout``) before the row is read again. pysqlite opens a
  transaction only at the first write, so a transaction that is open has written and holds
  the lock already; reads of other requests go on meanwhile (WAL).

When the wait itself fails — PostgreSQL detects a deadlock or a lock timeout, SQLite's busy
timeout passes — or two requests insert the same unique key at once, :func:`as_conflict`
(an engine ``handle_error`` hook, ``registry.db.make_engine``) turns the driver's error into
a :class:`~ipops.errors.Conflict` naming what to do: try again.

A new use case applies the rule in one line, before its checks::

    loan = claim_key(db_session, Loan, loan_id, what=f"loan {loan_id}")
    if loan.state != "active":
        raise InvalidTransition(...)
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import inspect, update
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Mapper, Session

from ipops.errors import Conflict, NotFound

T = TypeVar("T")

# PostgreSQL SQLSTATEs of a lost race: serialization_failure, deadlock_detected,
# lock_not_available (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_PG_RACE = {"40001", "40P01", "55P03"}
_PG_UNIQUE = "23505"


def claim(db_session: Session, *rows: Any) -> None:
    """Claim loaded ``rows`` (root first) for the rest of the transaction and reload them,
    so that what the caller checks next is what is committed now."""
    db_session.flush()
    for row in rows:
        mapper = inspect(row).mapper
        key = mapper.primary_key[0]
        _write_lock(db_session, mapper, getattr(row, mapper.get_property_by_column(key).key))
        db_session.refresh(row, with_for_update=True)


def claim_key(db_session: Session, model: type[T], key: int, *, what: str) -> T:
    """Claim the row of ``model`` with primary key ``key`` and return it, freshly read;
    :class:`NotFound` naming ``what`` when there is none."""
    db_session.flush()
    _write_lock(db_session, inspect(model), key)
    row = db_session.get(model, key, with_for_update=True, populate_existing=True)
    if row is None:
        raise NotFound(f"no {what}", field=what.split(" ")[0])
    return row


def _write_lock(db_session: Session, mapper: Mapper[Any], key: object) -> None:
    """SQLite: make sure this transaction holds the database's write lock (PostgreSQL locks
    the row itself, ``FOR UPDATE``)."""
    connection = db_session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not getattr(connection.connection.dbapi_connection, "in_transaction", True):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    # An open transaction normally holds the lock already (pysqlite begins at the first
    # write); a no-op write of the row makes sure, whatever began it.
    column = mapper.primary_key[0]
    db_session.execute(
        update(mapper.class_)
        .where(column == key)
        .values({column: column})
        .execution_options(synchronize_session=False)
    )


def as_conflict(context: ExceptionContext) -> None:
    """``handle_error`` hook: a lost race reported by the driver becomes a ``Conflict``."""
    error = context.original_exception
    sqlstate = getattr(error, "sqlstate", None)
    text = str(error)
    if sqlstate in _PG_RACE or "database is locked" in text or "database table is locked" in text:
        raise Conflict(
            "the registry is busy with a change to the same records by another request; "
            "nothing was saved: try again"
        ) from error
    if sqlstate == _PG_UNIQUE or "UNIQUE constraint failed" in text:
        raise Conflict(
            "this exists already (another request made it at the same time); nothing was "
            f"saved: {text.splitlines()[0][:200]}"
        ) from error
