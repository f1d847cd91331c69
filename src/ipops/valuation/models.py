"""Registry records of the valuation domain: one row per scoring run of the corpus."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ipops.registry.base import Base


class ValuationRun(Base):
    """Scores of the whole corpus under one scheme: what produced them, where they are.

    Same ``snapshot_id``, ``scheme_digest``, ``as_of`` and ``definitions_version`` give the
    same scores, so a run can be reproduced (and is, by ``ipops value score``).
    """

    __tablename__ = "valuation_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    snapshot_id: Mapped[str] = mapped_column(String(64), index=True)
    scheme_name: Mapped[str] = mapped_column(String(100))
    scheme_version: Mapped[str] = mapped_column(String(32))
    scheme_digest: Mapped[str] = mapped_column(String(64))
    scheme_origin: Mapped[str] = mapped_column(Text)
    definitions_version: Mapped[str] = mapped_column(String(16))
    as_of: Mapped[date] = mapped_column(Date)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    patents: Mapped[int] = mapped_column(Integer)
    scored: Mapped[int] = mapped_column(Integer)  # patents with a PVD
    unavailable: Mapped[list[str]] = mapped_column(JSON, default=list)  # for every patent
    indicators_path: Mapped[str] = mapped_column(Text)
    scores_path: Mapped[str] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float)
