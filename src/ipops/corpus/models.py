"""Registry records of the corpus domain: ingestion runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ipops.registry.base import Base


class IngestionRun(Base):
    """One load of one or more source files into the corpus."""

    __tablename__ = "ingestion_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(32))  # patents | events
    source_format: Mapped[str] = mapped_column(String(32))
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{path, sha256, bytes}]
    load_key: Mapped[str] = mapped_column(String(64), index=True)
    # running | committed | skipped | failed | interrupted
    status: Mapped[str] = mapped_column(String(16))
    batch_id: Mapped[str | None] = mapped_column(String(64))
    records_read: Mapped[int] = mapped_column(Integer, default=0)
    records_rejected: Mapped[int] = mapped_column(Integer, default=0)
    row_counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    rejects_path: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The loading process, so that a run whose process is gone shows as interrupted.
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))
