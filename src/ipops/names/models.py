"""Registry records of the names domain: links between names that a user confirmed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ipops.registry.base import Base


class NameLink(Base):
    """Two organisation names a user decided are one entity (``same``) or are not.

    Stored with both names as typed; ``resolve_names`` normalises them. One row per
    ordered pair: a later decision on the same pair replaces the earlier one.
    """

    __tablename__ = "name_links"
    __table_args__ = (UniqueConstraint("name_a", "name_b"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_a: Mapped[str] = mapped_column(String(500))
    name_b: Mapped[str] = mapped_column(String(500))
    same: Mapped[bool] = mapped_column(Boolean)
    confirmed_by: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
