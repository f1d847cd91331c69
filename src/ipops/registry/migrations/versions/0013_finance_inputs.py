"""Finance inputs of the rating: R&D spend and credit-bureau flags of an enterprise

* ``fin_enterprises.rd_spend_fen``: R&D spend of the last year, fen (NULL: not given);
* ``fin_enterprises.bureau_flags``: adverse credit-bureau records (``BureauFlag`` codes);
  NULL not checked, an empty list checked and clean;
* ``fin_enterprises.bureau_checked_on``: the day the bureau records were checked.

Existing enterprises keep NULL: absent, shown as absent, never read as 0 or as clean.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fin_enterprises") as batch:
        batch.add_column(sa.Column("rd_spend_fen", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("bureau_flags", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("bureau_checked_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fin_enterprises") as batch:
        batch.drop_column("bureau_checked_on")
        batch.drop_column("bureau_flags")
        batch.drop_column("rd_spend_fen")
