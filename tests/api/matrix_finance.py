"""Who may call each route of the finance domain (rows of the authorization matrix)."""

from __future__ import annotations

from matrixhelpers import Rows

ROWS: Rows = {}
