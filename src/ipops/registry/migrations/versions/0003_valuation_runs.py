"""valuation runs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "valuation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot_id", sa.String(64), nullable=False),
        sa.Column("scheme_name", sa.String(100), nullable=False),
        sa.Column("scheme_version", sa.String(32), nullable=False),
        sa.Column("scheme_digest", sa.String(64), nullable=False),
        sa.Column("scheme_origin", sa.Text(), nullable=False),
        sa.Column("definitions_version", sa.String(16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("patents", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("unavailable", sa.JSON(), nullable=False),
        sa.Column("indicators_path", sa.Text(), nullable=False),
        sa.Column("scores_path", sa.Text(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_valuation_runs"),
    )
    op.create_index("ix_valuation_runs_snapshot_id", "valuation_runs", ["snapshot_id"])


def downgrade() -> None:
    op.drop_index("ix_valuation_runs_snapshot_id", table_name="valuation_runs")
    op.drop_table("valuation_runs")
