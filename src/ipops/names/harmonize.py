"""A raw assignee or applicant name to its normalised form and entity id, with the alias
table first (``ipops.names.aliases``) and the normalisation rules of ``ipops.names.normalize``
otherwise."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ipops.names.aliases import load_aliases
from ipops.names.normalize import entity_id_for, normalize_name


@lru_cache(maxsize=1 << 18)
def harmonize_name(name: str) -> tuple[str, str]:
    """(name_normalized, entity_id) of one raw name, without the rest of its collection.

    A name the alias table lists (``ipops.names.aliases``: 格力电器, GREE ELECTRIC
    APPLIANCES, INC. OF ZHUHAI) gets its entity's id; any other name the id of its
    normalised form. ``ipops.names.resolve.resolve_names`` also links names by the
    scored comparison, which needs the whole collection.
    """
    normalized = normalize_name(name)
    listed = load_aliases().lookup(normalized)
    return normalized, listed.entity_id if listed else entity_id_for(normalized)


def harmonize_rows(rows: list[dict[str, Any]]) -> None:
    """Fill name_normalized and entity_id in place on party rows that have a name."""
    for row in rows:
        name = row.get("name")
        if name and name.strip():
            row["name_normalized"], row["entity_id"] = harmonize_name(name)
