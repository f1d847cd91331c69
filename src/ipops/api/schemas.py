"""Building blocks of every API schema (defined in :mod:`ipops.schemas_base`, below the
domains, and re-exported here for the API views)."""

from __future__ import annotations

from ipops.schemas_base import Paged, PublicModel, SafeStr, StrictModel, UtcDatetime

__all__ = ["Paged", "PublicModel", "SafeStr", "StrictModel", "UtcDatetime"]
