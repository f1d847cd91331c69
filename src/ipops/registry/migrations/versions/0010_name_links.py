"""Names: links between organisation names confirmed by users

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "name_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_a", sa.String(length=500), nullable=False),
        sa.Column("name_b", sa.String(length=500), nullable=False),
        sa.Column("same", sa.Boolean(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_links")),
        sa.UniqueConstraint("name_a", "name_b", name=op.f("uq_name_links_name_a")),
    )


def downgrade() -> None:
    op.drop_table("name_links")
