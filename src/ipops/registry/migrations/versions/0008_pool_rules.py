"""Pool rules: proration, payment days, dated lines, standing, currencies, enterprise groups

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pool_pools") as batch:
        batch.add_column(
            sa.Column(
                "proration",
                sa.String(length=16),
                server_default="days_in_force",
                nullable=False,
            )
        )
        batch.add_column(
            sa.Column("payment_days", sa.Integer(), server_default="30", nullable=False)
        )
        batch.add_column(
            sa.Column("report_days", sa.Integer(), server_default="30", nullable=False)
        )
        batch.add_column(sa.Column("grace_days", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(
            sa.Column("regain_after", sa.Integer(), server_default="2", nullable=False)
        )
        batch.add_column(
            sa.Column(
                "late_interest_rate", sa.String(length=16), server_default="0", nullable=False
            )
        )
    with op.batch_alter_table("pool_report_lines") as batch:
        batch.add_column(sa.Column("dated", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch.add_column(
            sa.Column("currency", sa.String(length=3), server_default="CNY", nullable=False)
        )
        batch.add_column(sa.Column("net_sales_reported", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("fx_rate", sa.String(length=48), nullable=True))
    with op.batch_alter_table("pool_licensees") as batch:
        batch.add_column(sa.Column("enterprise_group", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pool_licensees") as batch:
        batch.drop_column("enterprise_group")
    with op.batch_alter_table("pool_report_lines") as batch:
        batch.drop_column("fx_rate")
        batch.drop_column("net_sales_reported")
        batch.drop_column("currency")
        batch.drop_column("dated")
    with op.batch_alter_table("pool_pools") as batch:
        batch.drop_column("late_interest_rate")
        batch.drop_column("regain_after")
        batch.drop_column("grace_days")
        batch.drop_column("report_days")
        batch.drop_column("payment_days")
        batch.drop_column("proration")
