"""patent pools (members, experts, admission, licensing, royalties, disputes)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pool_pools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("administrator", sa.String(length=200), nullable=False),
        sa.Column("admin_fee_rate", sa.String(length=16), nullable=False),
        sa.Column("count_basis", sa.String(length=16), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.Column("majority", sa.String(length=16), nullable=False),
        sa.Column("rates", sa.JSON(), nullable=False),
        sa.Column("regional", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_pools")),
        sa.UniqueConstraint("name", name=op.f("uq_pool_pools_name")),
    )
    op.create_table(
        "pool_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("admin_fee_rate", sa.String(length=16), nullable=False),
        sa.Column("count_basis", sa.String(length=16), nullable=False),
        sa.Column("collected_fen", sa.BigInteger(), nullable=False),
        sa.Column("fee_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_allocations_pool_id_pool_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_allocations")),
    )
    op.create_index(
        op.f("ix_pool_allocations_pool_id"), "pool_allocations", ["pool_id"], unique=False
    )
    op.create_table(
        "pool_licensees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("good_standing", sa.Boolean(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_pool_licensees_organisation_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_licensees_pool_id_pool_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_licensees")),
        sa.UniqueConstraint("pool_id", "name", name="uq_pool_licensees_pool_name"),
    )
    op.create_index(
        op.f("ix_pool_licensees_organisation_id"),
        "pool_licensees",
        ["organisation_id"],
        unique=False,
    )
    op.create_index(op.f("ix_pool_licensees_pool_id"), "pool_licensees", ["pool_id"], unique=False)
    op.create_table(
        "pool_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("foreign_registration", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_pool_members_organisation_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_members_pool_id_pool_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_members")),
        sa.UniqueConstraint("pool_id", "name", name="uq_pool_members_pool_name"),
    )
    op.create_index(
        op.f("ix_pool_members_organisation_id"), "pool_members", ["organisation_id"], unique=False
    )
    op.create_index(op.f("ix_pool_members_pool_id"), "pool_members", ["pool_id"], unique=False)
    op.create_table(
        "pool_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("licensee_id", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("back_royalties_from", sa.Date(), nullable=True),
        sa.Column("territory", sa.JSON(), nullable=False),
        sa.Column("rates", sa.JSON(), nullable=False),
        sa.Column("regional", sa.JSON(), nullable=False),
        sa.Column("compliant_discount", sa.String(length=16), nullable=False),
        sa.Column("early_discount", sa.String(length=16), nullable=False),
        sa.Column("annual_cap_fen", sa.BigInteger(), nullable=True),
        sa.Column("origin", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["licensee_id"],
            ["pool_licensees.id"],
            name=op.f("fk_pool_agreements_licensee_id_pool_licensees"),
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_agreements_pool_id_pool_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_agreements")),
    )
    op.create_index(
        op.f("ix_pool_agreements_licensee_id"), "pool_agreements", ["licensee_id"], unique=False
    )
    op.create_index(
        op.f("ix_pool_agreements_pool_id"), "pool_agreements", ["pool_id"], unique=False
    )
    op.create_table(
        "pool_allocation_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("licensee_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("patents", sa.JSON(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("triggered_fen", sa.BigInteger(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["pool_allocations.id"],
            name=op.f("fk_pool_allocation_lines_allocation_id_pool_allocations"),
        ),
        sa.ForeignKeyConstraint(
            ["licensee_id"],
            ["pool_licensees.id"],
            name=op.f("fk_pool_allocation_lines_licensee_id_pool_licensees"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["pool_members.id"],
            name=op.f("fk_pool_allocation_lines_member_id_pool_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_allocation_lines")),
    )
    op.create_index(
        op.f("ix_pool_allocation_lines_allocation_id"),
        "pool_allocation_lines",
        ["allocation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_pool_allocation_lines_member_id"),
        "pool_allocation_lines",
        ["member_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_pool_allocation_lines_organisation_id"),
        "pool_allocation_lines",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "pool_experts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("speciality", sa.String(length=200), nullable=False),
        sa.Column("recommended_by_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("on_committee", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_experts_pool_id_pool_pools")
        ),
        sa.ForeignKeyConstraint(
            ["recommended_by_id"],
            ["pool_members.id"],
            name=op.f("fk_pool_experts_recommended_by_id_pool_members"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_pool_experts_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_experts")),
    )
    op.create_index(op.f("ix_pool_experts_pool_id"), "pool_experts", ["pool_id"], unique=False)
    op.create_index(op.f("ix_pool_experts_user_id"), "pool_experts", ["user_id"], unique=False)
    op.create_table(
        "pool_patents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("family", sa.String(length=64), nullable=True),
        sa.Column("ipc", sa.String(length=32), nullable=True),
        sa.Column("filing_date", sa.Date(), nullable=True),
        sa.Column("grant_date", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("left_reason", sa.String(length=16), nullable=True),
        sa.Column("from_corpus", sa.Boolean(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["pool_members.id"], name=op.f("fk_pool_patents_member_id_pool_members")
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_patents_pool_id_pool_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_patents")),
        sa.UniqueConstraint("pool_id", "number", name="uq_pool_patents_pool_number"),
    )
    op.create_index(op.f("ix_pool_patents_member_id"), "pool_patents", ["member_id"], unique=False)
    op.create_index(op.f("ix_pool_patents_pool_id"), "pool_patents", ["pool_id"], unique=False)
    op.create_table(
        "pool_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patent_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("opinion", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["pool_experts.id"],
            name=op.f("fk_pool_assignments_expert_id_pool_experts"),
        ),
        sa.ForeignKeyConstraint(
            ["patent_id"],
            ["pool_patents.id"],
            name=op.f("fk_pool_assignments_patent_id_pool_patents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_assignments")),
        sa.UniqueConstraint("patent_id", "expert_id", name="uq_pool_assignments_patent_expert"),
    )
    op.create_index(
        op.f("ix_pool_assignments_expert_id"), "pool_assignments", ["expert_id"], unique=False
    )
    op.create_index(
        op.f("ix_pool_assignments_patent_id"), "pool_assignments", ["patent_id"], unique=False
    )
    op.create_index(
        op.f("ix_pool_assignments_user_id"), "pool_assignments", ["user_id"], unique=False
    )
    op.create_table(
        "pool_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patent_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("admitted", sa.Boolean(), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("votes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patent_id"],
            ["pool_patents.id"],
            name=op.f("fk_pool_decisions_patent_id_pool_patents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_decisions")),
    )
    op.create_index(
        op.f("ix_pool_decisions_patent_id"), "pool_decisions", ["patent_id"], unique=False
    )
    op.create_table(
        "pool_disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("patents", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["pool_agreements.id"],
            name=op.f("fk_pool_disputes_agreement_id_pool_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_disputes_pool_id_pool_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_disputes")),
    )
    op.create_index(op.f("ix_pool_disputes_pool_id"), "pool_disputes", ["pool_id"], unique=False)
    op.create_table(
        "pool_patent_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patent_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patent_id"],
            ["pool_patents.id"],
            name=op.f("fk_pool_patent_events_patent_id_pool_patents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_patent_events")),
    )
    op.create_index(
        op.f("ix_pool_patent_events_patent_id"), "pool_patent_events", ["patent_id"], unique=False
    )
    op.create_table(
        "pool_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("licensee_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("royalty_fen", sa.BigInteger(), nullable=False),
        sa.Column("uncapped_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["pool_agreements.id"],
            name=op.f("fk_pool_reports_agreement_id_pool_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["licensee_id"],
            ["pool_licensees.id"],
            name=op.f("fk_pool_reports_licensee_id_pool_licensees"),
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_reports_pool_id_pool_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_reports")),
    )
    op.create_index(
        op.f("ix_pool_reports_licensee_id"), "pool_reports", ["licensee_id"], unique=False
    )
    op.create_index(op.f("ix_pool_reports_pool_id"), "pool_reports", ["pool_id"], unique=False)
    op.create_table(
        "pool_invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("licensee_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["pool_allocations.id"],
            name=op.f("fk_pool_invoices_allocation_id_pool_allocations"),
        ),
        sa.ForeignKeyConstraint(
            ["licensee_id"],
            ["pool_licensees.id"],
            name=op.f("fk_pool_invoices_licensee_id_pool_licensees"),
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["pool_pools.id"], name=op.f("fk_pool_invoices_pool_id_pool_pools")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["pool_reports.id"], name=op.f("fk_pool_invoices_report_id_pool_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_pool_invoices_number")),
        sa.UniqueConstraint("report_id", name=op.f("uq_pool_invoices_report_id")),
    )
    op.create_index(
        op.f("ix_pool_invoices_allocation_id"), "pool_invoices", ["allocation_id"], unique=False
    )
    op.create_index(
        op.f("ix_pool_invoices_licensee_id"), "pool_invoices", ["licensee_id"], unique=False
    )
    op.create_index(op.f("ix_pool_invoices_pool_id"), "pool_invoices", ["pool_id"], unique=False)
    op.create_table(
        "pool_report_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("made_in", sa.String(length=2), nullable=False),
        sa.Column("sold_in", sa.String(length=2), nullable=False),
        sa.Column("sold_on", sa.Date(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=True),
        sa.Column("net_sales_fen", sa.BigInteger(), nullable=True),
        sa.Column("rate_micro", sa.BigInteger(), nullable=False),
        sa.Column("trigger_country", sa.String(length=2), nullable=True),
        sa.Column("back_royalty", sa.Boolean(), nullable=False),
        sa.Column("royalty_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["pool_reports.id"],
            name=op.f("fk_pool_report_lines_report_id_pool_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_report_lines")),
    )
    op.create_index(
        op.f("ix_pool_report_lines_report_id"), "pool_report_lines", ["report_id"], unique=False
    )
    op.create_table(
        "pool_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["pool_invoices.id"],
            name=op.f("fk_pool_payments_invoice_id_pool_invoices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_payments")),
    )
    op.create_index(
        op.f("ix_pool_payments_invoice_id"), "pool_payments", ["invoice_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pool_payments_invoice_id"), table_name="pool_payments")
    op.drop_table("pool_payments")
    op.drop_index(op.f("ix_pool_report_lines_report_id"), table_name="pool_report_lines")
    op.drop_table("pool_report_lines")
    op.drop_index(op.f("ix_pool_invoices_pool_id"), table_name="pool_invoices")
    op.drop_index(op.f("ix_pool_invoices_licensee_id"), table_name="pool_invoices")
    op.drop_index(op.f("ix_pool_invoices_allocation_id"), table_name="pool_invoices")
    op.drop_table("pool_invoices")
    op.drop_index(op.f("ix_pool_reports_pool_id"), table_name="pool_reports")
    op.drop_index(op.f("ix_pool_reports_licensee_id"), table_name="pool_reports")
    op.drop_table("pool_reports")
    op.drop_index(op.f("ix_pool_patent_events_patent_id"), table_name="pool_patent_events")
    op.drop_table("pool_patent_events")
    op.drop_index(op.f("ix_pool_disputes_pool_id"), table_name="pool_disputes")
    op.drop_table("pool_disputes")
    op.drop_index(op.f("ix_pool_decisions_patent_id"), table_name="pool_decisions")
    op.drop_table("pool_decisions")
    op.drop_index(op.f("ix_pool_assignments_user_id"), table_name="pool_assignments")
    op.drop_index(op.f("ix_pool_assignments_patent_id"), table_name="pool_assignments")
    op.drop_index(op.f("ix_pool_assignments_expert_id"), table_name="pool_assignments")
    op.drop_table("pool_assignments")
    op.drop_index(op.f("ix_pool_patents_pool_id"), table_name="pool_patents")
    op.drop_index(op.f("ix_pool_patents_member_id"), table_name="pool_patents")
    op.drop_table("pool_patents")
    op.drop_index(op.f("ix_pool_experts_user_id"), table_name="pool_experts")
    op.drop_index(op.f("ix_pool_experts_pool_id"), table_name="pool_experts")
    op.drop_table("pool_experts")
    op.drop_index(
        op.f("ix_pool_allocation_lines_organisation_id"), table_name="pool_allocation_lines"
    )
    op.drop_index(op.f("ix_pool_allocation_lines_member_id"), table_name="pool_allocation_lines")
    op.drop_index(
        op.f("ix_pool_allocation_lines_allocation_id"), table_name="pool_allocation_lines"
    )
    op.drop_table("pool_allocation_lines")
    op.drop_index(op.f("ix_pool_agreements_pool_id"), table_name="pool_agreements")
    op.drop_index(op.f("ix_pool_agreements_licensee_id"), table_name="pool_agreements")
    op.drop_table("pool_agreements")
    op.drop_index(op.f("ix_pool_members_pool_id"), table_name="pool_members")
    op.drop_index(op.f("ix_pool_members_organisation_id"), table_name="pool_members")
    op.drop_table("pool_members")
    op.drop_index(op.f("ix_pool_licensees_pool_id"), table_name="pool_licensees")
    op.drop_index(op.f("ix_pool_licensees_organisation_id"), table_name="pool_licensees")
    op.drop_table("pool_licensees")
    op.drop_index(op.f("ix_pool_allocations_pool_id"), table_name="pool_allocations")
    op.drop_table("pool_allocations")
    op.drop_table("pool_pools")
