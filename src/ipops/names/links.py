"""Links from the corpus: one applicant named in two languages across a patent family.

The CN member of a family and its US, EP or WO members are one application filed in
several offices, normally by the same applicant, which the CN document names in Chinese
and the others in its registered English name. ``family_links`` reads such pairs from a
corpus (DuckDB connection with the ``patents`` and ``parties`` views; the ``families``
view is used when loaded): for each family whose CN members name exactly one
organisation applicant, written in Chinese, and whose other members name exactly one,
written in Latin letters, the two names are linked. A pair seen in ``min_families``
families or more becomes a ``Link`` with source ``family``; ``resolve_names`` applies
them after the user's decisions, which can keep any of them apart.
"""

from __future__ import annotations

import duckdb

from ipops.names.chinese import has_cjk
from ipops.names.resolve import Link

_FAMILY_MEMBERS = """
    SELECT family_id, patent_id, office FROM patents WHERE family_id IS NOT NULL
"""
_FAMILY_MEMBERS_WITH_TABLE = (
    _FAMILY_MEMBERS + " UNION SELECT family_id, patent_id, office FROM families"
)

_PAIRS = """
WITH members AS ({members}),
sole AS (
    SELECT patent_id, min(name) AS name
    FROM parties
    WHERE role IN ('applicant', 'assignee') AND name IS NOT NULL
      AND coalesce(party_type, 'organization') = 'organization'
    GROUP BY patent_id
    HAVING count(DISTINCT name) = 1
),
named AS (
    SELECT m.family_id, m.office = 'CN' AS chinese_office, s.name
    FROM members m JOIN sole s USING (patent_id)
),
per_family AS (
    SELECT family_id,
           min(name) FILTER (WHERE chinese_office) AS cn_name,
           count(DISTINCT name) FILTER (WHERE chinese_office) AS cn_names,
           min(name) FILTER (WHERE NOT chinese_office) AS foreign_name,
           count(DISTINCT name) FILTER (WHERE NOT chinese_office) AS foreign_names
    FROM named GROUP BY family_id
)
SELECT cn_name, foreign_name, count(*) AS families
FROM per_family
WHERE cn_names = 1 AND foreign_names = 1
GROUP BY cn_name, foreign_name
ORDER BY families DESC, cn_name, foreign_name
"""


def family_links(con: duckdb.DuckDBPyConnection, *, min_families: int = 1) -> tuple[Link, ...]:
    """Chinese and foreign names of one applicant across the corpus's families."""
    tables = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    views = {row[0] for row in tables}
    if not {"patents", "parties"} <= views:
        return ()
    members = _FAMILY_MEMBERS_WITH_TABLE if "families" in views else _FAMILY_MEMBERS
    rows = con.execute(_PAIRS.format(members=members)).fetchall()
    return tuple(
        Link(cn_name, foreign_name, True, "family")
        for cn_name, foreign_name, families in rows
        if families >= min_families and has_cjk(cn_name) and not has_cjk(foreign_name)
    )
