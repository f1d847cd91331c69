"""The base of every record a use case returns: frozen, typed, readable from ORM rows.

The API serialises these records as they are (``response_model``), the web pages render
them, the CLI prints them as tables or ``--json``, and the Python API (``ipops.open``) hands
them to scripts: one schema family, no hand-built ``*Out`` objects. Money fields are
``Decimal`` (serialised as text, so no float ever carries a yuan); ids are ``RecordId``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

RecordId = Annotated[int, Field(gt=0, description="Primary key of a stored record")]
"""The one primary-key type: a positive integer, the same in storage, API paths and
records."""


class Record(BaseModel):
    """A frozen record returned by a use case."""

    model_config = ConfigDict(frozen=True, from_attributes=True, ser_json_timedelta="iso8601")
