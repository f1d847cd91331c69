"""Finance rules: loans registered (备案) in the policy programme at origination

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fin_loans") as batch:
        batch.add_column(sa.Column("registered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("registration", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fin_loans") as batch:
        batch.drop_column("registration")
        batch.drop_column("registered_on")
