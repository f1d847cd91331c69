"""Sessions and tokens that end, an atomic login limit, pools owned by an organisation

* ``api_tokens.expires_at``: existing tokens expire 90 days after they were issued;
* ``web_sessions``: server-side web sessions (the cookie holds only a secret);
* ``login_throttles``: failed logins counted per username and source, one row each;
* ``ingestion_runs.pid`` and ``host``: a run whose process is gone shows as interrupted;
* ``pool_pools.organisation_id``: the owning organisation. An existing pool goes to the
  organisation named like its ``administrator``; failing that, when exactly one
  organisation has pool administrators, to that one; otherwise it stays unowned (only
  platform administrators manage it until one is set).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

EXISTING_TOKEN_LIFETIME = timedelta(days=90)


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    _expire_existing_tokens()
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_web_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_web_sessions_secret_hash")),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "login_throttles",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", "source", name=op.f("pk_login_throttles")),
    )
    with op.batch_alter_table("pool_pools") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_pool_pools_organisation_id_organisations",
            "organisations",
            ["organisation_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch.create_index("ix_pool_pools_organisation_id", ["organisation_id"])
    _assign_pool_owners()
    with op.batch_alter_table("ingestion_runs") as batch:
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("host", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ingestion_runs") as batch:
        batch.drop_column("host")
        batch.drop_column("pid")
    with op.batch_alter_table("pool_pools") as batch:
        batch.drop_index("ix_pool_pools_organisation_id")
        batch.drop_constraint("fk_pool_pools_organisation_id_organisations", type_="foreignkey")
        batch.drop_column("organisation_id")
    op.drop_table("login_throttles")
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")


def _expire_existing_tokens() -> None:
    bind = op.get_bind()
    tokens = sa.table(
        "api_tokens",
        sa.column("id", sa.Integer()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("expires_at", sa.DateTime(timezone=True)),
    )
    for token_id, created_at in bind.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        issued = created_at or datetime.now(UTC)
        bind.execute(
            tokens.update()
            .where(tokens.c.id == token_id)
            .values(expires_at=issued + EXISTING_TOKEN_LIFETIME)
        )


def _assign_pool_owners() -> None:
    bind = op.get_bind()
    pools = sa.table(
        "pool_pools",
        sa.column("id", sa.Integer()),
        sa.column("administrator", sa.String()),
        sa.column("organisation_id", sa.Integer()),
    )
    orgs = sa.table("organisations", sa.column("id", sa.Integer()), sa.column("name", sa.String()))
    users = sa.table(
        "users", sa.column("role", sa.String()), sa.column("organisation_id", sa.Integer())
    )
    by_name = {name: org_id for org_id, name in bind.execute(sa.select(orgs.c.id, orgs.c.name))}
    admin_orgs = bind.scalars(
        sa.select(users.c.organisation_id)
        .where(users.c.role == "pool_admin", users.c.organisation_id.is_not(None))
        .distinct()
    ).all()
    only_admin_org = admin_orgs[0] if len(admin_orgs) == 1 else None
    for pool_id, administrator in bind.execute(sa.select(pools.c.id, pools.c.administrator)):
        owner = by_name.get((administrator or "").strip(), only_admin_org)
        if owner is not None:
            bind.execute(pools.update().where(pools.c.id == pool_id).values(organisation_id=owner))
