"""IP pledge finance (enterprises, ratings, banks, loans, pledges, policy funds)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fin_pd_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_pd_models")),
    )
    op.create_table(
        "fin_banks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_fin_banks_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_banks")),
        sa.UniqueConstraint("name", name=op.f("uq_fin_banks_name")),
    )
    op.create_index(
        op.f("ix_fin_banks_organisation_id"), "fin_banks", ["organisation_id"], unique=False
    )
    op.create_table(
        "fin_enterprises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("size_class", sa.String(length=16), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("total_assets_fen", sa.BigInteger(), nullable=True),
        sa.Column("equity_fen", sa.BigInteger(), nullable=True),
        sa.Column("revenue_fen", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_fin_enterprises_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_enterprises")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_fin_enterprises_credit_code")),
    )
    op.create_index(
        op.f("ix_fin_enterprises_organisation_id"),
        "fin_enterprises",
        ["organisation_id"],
        unique=False,
    )
    op.create_index(op.f("ix_fin_enterprises_region"), "fin_enterprises", ["region"], unique=False)
    op.create_table(
        "fin_bank_balances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("weak_collateral_fen", sa.BigInteger(), nullable=False),
        sa.Column("programme_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["fin_banks.id"],
            name=op.f("fk_fin_bank_balances_bank_id_fin_banks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_bank_balances")),
        sa.UniqueConstraint("bank_id", "year", name="uq_fin_bank_balances_year"),
    )
    op.create_table(
        "fin_enterprise_patents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("patent_id", sa.String(length=40), nullable=False),
        sa.Column("party_name", sa.String(length=300), nullable=False),
        sa.Column("match", sa.String(length=16), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["fin_enterprises.id"],
            name=op.f("fk_fin_enterprise_patents_enterprise_id_fin_enterprises"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_enterprise_patents")),
        sa.UniqueConstraint("enterprise_id", "patent_id", name="uq_fin_enterprise_patents_pair"),
    )
    op.create_index(
        op.f("ix_fin_enterprise_patents_enterprise_id"),
        "fin_enterprise_patents",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_fin_enterprise_patents_patent_id"),
        "fin_enterprise_patents",
        ["patent_id"],
        unique=False,
    )
    op.create_table(
        "fin_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("min_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("max_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("min_term_months", sa.Integer(), nullable=False),
        sa.Column("max_term_months", sa.Integer(), nullable=False),
        sa.Column("rate_multiple", sa.String(length=16), nullable=False),
        sa.Column("min_grade", sa.String(length=3), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("max_ltv", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=24), nullable=False),
        sa.Column("collateral", sa.String(length=24), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["fin_banks.id"],
            name=op.f("fk_fin_products_bank_id_fin_banks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_products")),
    )
    op.create_index(op.f("ix_fin_products_bank_id"), "fin_products", ["bank_id"], unique=False)
    op.create_table(
        "fin_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(length=3), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("alerts", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["fin_enterprises.id"],
            name=op.f("fk_fin_ratings_enterprise_id_fin_enterprises"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_ratings")),
    )
    op.create_index(
        op.f("ix_fin_ratings_enterprise_id"), "fin_ratings", ["enterprise_id"], unique=False
    )
    op.create_table(
        "fin_loans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("rating_id", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("annual_rate", sa.String(length=16), nullable=False),
        sa.Column("benchmark_rate", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=24), nullable=False),
        sa.Column("collateral", sa.String(length=24), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("disbursed_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("principal_repaid_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_repaid_fen", sa.BigInteger(), nullable=False),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("max_days_past_due", sa.Integer(), nullable=False),
        sa.Column("arrears_as_of", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["fin_banks.id"],
            name=op.f("fk_fin_loans_bank_id_fin_banks"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["fin_enterprises.id"],
            name=op.f("fk_fin_loans_enterprise_id_fin_enterprises"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["fin_products.id"],
            name=op.f("fk_fin_loans_product_id_fin_products"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["rating_id"],
            ["fin_ratings.id"],
            name=op.f("fk_fin_loans_rating_id_fin_ratings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_loans")),
    )
    op.create_index(op.f("ix_fin_loans_bank_id"), "fin_loans", ["bank_id"], unique=False)
    op.create_index(
        op.f("ix_fin_loans_enterprise_id"), "fin_loans", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_fin_loans_organisation_id"), "fin_loans", ["organisation_id"], unique=False
    )
    op.create_index(op.f("ix_fin_loans_state"), "fin_loans", ["state"], unique=False)
    op.create_index("ix_fin_loans_state_dpd", "fin_loans", ["state", "days_past_due"], unique=False)
    op.create_table(
        "fin_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("patent_id", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("acknowledged", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["loan_id"],
            ["fin_loans.id"],
            name=op.f("fk_fin_alerts_loan_id_fin_loans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_alerts")),
        sa.UniqueConstraint("loan_id", "patent_id", "kind", "detail", name="uq_fin_alerts_once"),
    )
    op.create_index(op.f("ix_fin_alerts_loan_id"), "fin_alerts", ["loan_id"], unique=False)
    op.create_index(
        op.f("ix_fin_alerts_organisation_id"), "fin_alerts", ["organisation_id"], unique=False
    )
    op.create_table(
        "fin_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("claimed_on", sa.Date(), nullable=False),
        sa.Column("base_fen", sa.BigInteger(), nullable=False),
        sa.Column("ratio", sa.String(length=16), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("policy", sa.String(length=100), nullable=False),
        sa.Column("policy_digest", sa.String(length=64), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["fin_banks.id"],
            name=op.f("fk_fin_claims_bank_id_fin_banks"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"],
            ["fin_loans.id"],
            name=op.f("fk_fin_claims_loan_id_fin_loans"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_claims")),
        sa.UniqueConstraint("loan_id", "kind", name="uq_fin_claims_loan_kind"),
    )
    op.create_index(op.f("ix_fin_claims_bank_id"), "fin_claims", ["bank_id"], unique=False)
    op.create_index(op.f("ix_fin_claims_loan_id"), "fin_claims", ["loan_id"], unique=False)
    op.create_index(
        op.f("ix_fin_claims_organisation_id"), "fin_claims", ["organisation_id"], unique=False
    )
    op.create_table(
        "fin_disposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("realised_on", sa.Date(), nullable=True),
        sa.Column("proceeds_fen", sa.BigInteger(), nullable=True),
        sa.Column("to_bank_fen", sa.BigInteger(), nullable=True),
        sa.Column("to_fund_fen", sa.BigInteger(), nullable=True),
        sa.Column("to_pledgor_fen", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["loan_id"],
            ["fin_loans.id"],
            name=op.f("fk_fin_disposals_loan_id_fin_loans"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_disposals")),
        sa.UniqueConstraint("loan_id", name=op.f("uq_fin_disposals_loan_id")),
    )
    op.create_table(
        "fin_loan_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("on_day", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["loan_id"],
            ["fin_loans.id"],
            name=op.f("fk_fin_loan_events_loan_id_fin_loans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_loan_events")),
    )
    op.create_index(
        op.f("ix_fin_loan_events_loan_id"), "fin_loan_events", ["loan_id"], unique=False
    )
    op.create_table(
        "fin_loan_patents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("patent_id", sa.String(length=40), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=False),
        sa.Column("value_basis", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["loan_id"],
            ["fin_loans.id"],
            name=op.f("fk_fin_loan_patents_loan_id_fin_loans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_loan_patents")),
        sa.UniqueConstraint("loan_id", "patent_id", name="uq_fin_loan_patents_pair"),
    )
    op.create_index(
        op.f("ix_fin_loan_patents_loan_id"), "fin_loan_patents", ["loan_id"], unique=False
    )
    op.create_index(
        op.f("ix_fin_loan_patents_patent_id"), "fin_loan_patents", ["patent_id"], unique=False
    )
    op.create_table(
        "fin_pledges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("registration_number", sa.String(length=64), nullable=False),
        sa.Column("pledgors", sa.JSON(), nullable=False),
        sa.Column("pledgee", sa.String(length=200), nullable=False),
        sa.Column("secured_claim", sa.String(length=64), nullable=False),
        sa.Column("secured_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("debt_start", sa.Date(), nullable=False),
        sa.Column("debt_end", sa.Date(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["loan_id"],
            ["fin_loans.id"],
            name=op.f("fk_fin_pledges_loan_id_fin_loans"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_pledges")),
        sa.UniqueConstraint("registration_number", name=op.f("uq_fin_pledges_registration_number")),
    )
    op.create_index(op.f("ix_fin_pledges_loan_id"), "fin_pledges", ["loan_id"], unique=False)
    op.create_table(
        "fin_repayments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_fen", sa.BigInteger(), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["loan_id"],
            ["fin_loans.id"],
            name=op.f("fk_fin_repayments_loan_id_fin_loans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_repayments")),
    )
    op.create_index(op.f("ix_fin_repayments_loan_id"), "fin_repayments", ["loan_id"], unique=False)
    op.create_table(
        "fin_schedule_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_fen", sa.BigInteger(), nullable=False),
        sa.Column("paid_principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("paid_interest_fen", sa.BigInteger(), nullable=False),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["loan_id"],
            ["fin_loans.id"],
            name=op.f("fk_fin_schedule_lines_loan_id_fin_loans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_schedule_lines")),
        sa.UniqueConstraint("loan_id", "number", name="uq_fin_schedule_lines_number"),
    )
    op.create_index(
        "ix_fin_schedule_lines_open",
        "fin_schedule_lines",
        ["settled", "due_on", "loan_id"],
        unique=False,
    )
    op.create_table(
        "fin_pledged_patents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("patent_id", sa.String(length=40), nullable=False),
        sa.Column("active_patent_id", sa.String(length=40), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("main_ipc", sa.String(length=40), nullable=False),
        sa.Column("filing_date", sa.Date(), nullable=True),
        sa.Column("grant_date", sa.Date(), nullable=True),
        sa.Column("owners", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pledge_id"],
            ["fin_pledges.id"],
            name=op.f("fk_fin_pledged_patents_pledge_id_fin_pledges"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fin_pledged_patents")),
        sa.UniqueConstraint(
            "active_patent_id", name=op.f("uq_fin_pledged_patents_active_patent_id")
        ),
    )
    op.create_index(
        op.f("ix_fin_pledged_patents_patent_id"), "fin_pledged_patents", ["patent_id"], unique=False
    )
    op.create_index(
        op.f("ix_fin_pledged_patents_pledge_id"), "fin_pledged_patents", ["pledge_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_fin_pledged_patents_patent_id"), table_name="fin_pledged_patents")
    op.drop_index(op.f("ix_fin_pledged_patents_pledge_id"), table_name="fin_pledged_patents")
    op.drop_table("fin_pledged_patents")
    op.drop_index("ix_fin_schedule_lines_open", table_name="fin_schedule_lines")
    op.drop_table("fin_schedule_lines")
    op.drop_index(op.f("ix_fin_repayments_loan_id"), table_name="fin_repayments")
    op.drop_table("fin_repayments")
    op.drop_index(op.f("ix_fin_pledges_loan_id"), table_name="fin_pledges")
    op.drop_table("fin_pledges")
    op.drop_index(op.f("ix_fin_loan_patents_loan_id"), table_name="fin_loan_patents")
    op.drop_index(op.f("ix_fin_loan_patents_patent_id"), table_name="fin_loan_patents")
    op.drop_table("fin_loan_patents")
    op.drop_index(op.f("ix_fin_loan_events_loan_id"), table_name="fin_loan_events")
    op.drop_table("fin_loan_events")
    op.drop_table("fin_disposals")
    op.drop_index(op.f("ix_fin_claims_bank_id"), table_name="fin_claims")
    op.drop_index(op.f("ix_fin_claims_loan_id"), table_name="fin_claims")
    op.drop_index(op.f("ix_fin_claims_organisation_id"), table_name="fin_claims")
    op.drop_table("fin_claims")
    op.drop_index(op.f("ix_fin_alerts_loan_id"), table_name="fin_alerts")
    op.drop_index(op.f("ix_fin_alerts_organisation_id"), table_name="fin_alerts")
    op.drop_table("fin_alerts")
    op.drop_index(op.f("ix_fin_loans_bank_id"), table_name="fin_loans")
    op.drop_index(op.f("ix_fin_loans_enterprise_id"), table_name="fin_loans")
    op.drop_index(op.f("ix_fin_loans_organisation_id"), table_name="fin_loans")
    op.drop_index(op.f("ix_fin_loans_state"), table_name="fin_loans")
    op.drop_index("ix_fin_loans_state_dpd", table_name="fin_loans")
    op.drop_table("fin_loans")
    op.drop_index(op.f("ix_fin_ratings_enterprise_id"), table_name="fin_ratings")
    op.drop_table("fin_ratings")
    op.drop_index(op.f("ix_fin_products_bank_id"), table_name="fin_products")
    op.drop_table("fin_products")
    op.drop_index(
        op.f("ix_fin_enterprise_patents_enterprise_id"), table_name="fin_enterprise_patents"
    )
    op.drop_index(op.f("ix_fin_enterprise_patents_patent_id"), table_name="fin_enterprise_patents")
    op.drop_table("fin_enterprise_patents")
    op.drop_table("fin_bank_balances")
    op.drop_index(op.f("ix_fin_enterprises_organisation_id"), table_name="fin_enterprises")
    op.drop_index(op.f("ix_fin_enterprises_region"), table_name="fin_enterprises")
    op.drop_table("fin_enterprises")
    op.drop_index(op.f("ix_fin_banks_organisation_id"), table_name="fin_banks")
    op.drop_table("fin_banks")
    op.drop_table("fin_pd_models")
