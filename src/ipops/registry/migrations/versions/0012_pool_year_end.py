"""Pool year-end settlement: annual floor and minimum on the licence, settlements, waivers

* ``pool_agreements.annual_floor_fen`` / ``annual_minimum_fen``: the licence's annual
  royalty-free floor and minimum annual royalty (none on existing licences);
* ``pool_year_settlements``: one row per licence and calendar year settled;
* ``pool_reports.kind``: ``royalty`` (every existing report) or ``year_end`` (a top-up);
* ``pool_invoices.waived_on`` / ``settlement_id``: an invoice waived below the floor, or the
  settlement's top-up invoice.

Revision ID: 0012_pool_year_end
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pool_agreements") as batch:
        batch.add_column(sa.Column("annual_floor_fen", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("annual_minimum_fen", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("pool_reports") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), server_default="royalty", nullable=False)
        )
    op.create_table(
        "pool_year_settlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("licensee_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("royalty_fen", sa.BigInteger(), nullable=False),
        sa.Column("floor_fen", sa.BigInteger(), nullable=True),
        sa.Column("minimum_fen", sa.BigInteger(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("waived_fen", sa.BigInteger(), nullable=False),
        sa.Column("credit_fen", sa.BigInteger(), nullable=False),
        sa.Column("top_up_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["pool_agreements.id"],
            name=op.f("fk_pool_year_settlements_agreement_id_pool_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["licensee_id"],
            ["pool_licensees.id"],
            name=op.f("fk_pool_year_settlements_licensee_id_pool_licensees"),
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_year_settlements_pool_id_pool_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_year_settlements")),
        sa.UniqueConstraint("agreement_id", "year", name="uq_pool_year_settlements_agreement_year"),
    )
    op.create_index(
        "ix_pool_year_settlements_licensee_id", "pool_year_settlements", ["licensee_id"]
    )
    op.create_index("ix_pool_year_settlements_pool_id", "pool_year_settlements", ["pool_id"])
    with op.batch_alter_table("pool_invoices") as batch:
        batch.add_column(sa.Column("waived_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("settlement_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_pool_invoices_settlement_id_pool_year_settlements",
            "pool_year_settlements",
            ["settlement_id"],
            ["id"],
        )
        batch.create_index("ix_pool_invoices_settlement_id", ["settlement_id"])


def downgrade() -> None:
    with op.batch_alter_table("pool_invoices") as batch:
        batch.drop_index("ix_pool_invoices_settlement_id")
        batch.drop_constraint(
            "fk_pool_invoices_settlement_id_pool_year_settlements", type_="foreignkey"
        )
        batch.drop_column("settlement_id")
        batch.drop_column("waived_on")
    op.drop_index("ix_pool_year_settlements_pool_id", table_name="pool_year_settlements")
    op.drop_index("ix_pool_year_settlements_licensee_id", table_name="pool_year_settlements")
    op.drop_table("pool_year_settlements")
    with op.batch_alter_table("pool_reports") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("pool_agreements") as batch:
        batch.drop_column("annual_minimum_fen")
        batch.drop_column("annual_floor_fen")
