"""Who may call each route of the geo domain (rows of the authorization matrix)."""

from __future__ import annotations

from matrixhelpers import SIGNED_IN, Rows, fixed

# Hotspots and collaboration are computed from public patent data: every signed-in role.
ROWS: Rows = {
    ("GET", "/api/v1/geo/clusters"): (
        SIGNED_IN,
        fixed("/api/v1/geo/clusters?min_weight=5&top=3"),
    ),
    ("GET", "/api/v1/geo/collaboration"): (
        SIGNED_IN,
        fixed("/api/v1/geo/collaboration?min_weight=5&top=3"),
    ),
}
