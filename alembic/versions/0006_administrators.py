"""Administrators (docs/spec.md §12.1): their accounts and login sessions.

Revision ID: 0006
Revises: 0005
"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "administrator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("email_normalized", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", lkk_integration.db.UtcDateTime(timezone=True),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_administrator")),
        sa.UniqueConstraint("email_normalized", name=op.f("uq_administrator_email_normalized")),
    )
    op.create_table(
        "admin_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("admin_id", sa.Integer(), nullable=False),
        sa.Column("created_at", lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["admin_id"], ["administrator.id"],
                                name=op.f("fk_admin_session_admin_id_administrator")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_session")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_admin_session_token_sha256")),
    )
    op.create_index(op.f("ix_admin_session_admin_id"), "admin_session", ["admin_id"])


def downgrade() -> None:
    op.drop_table("admin_session")
    op.drop_table("administrator")
