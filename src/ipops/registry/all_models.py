"""Imports every domain's registry models so that Base.metadata knows all tables."""

from ipops.corpus.models import IngestionRun
from ipops.registry.base import Base

__all__ = ["Base", "IngestionRun"]
