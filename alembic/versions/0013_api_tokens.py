"""The organization's API tokens (docs/spec.md §21): named, only a keyed hash kept, and their
calls counted per minute.

Revision ID: 0013
Revises: 0012
"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op

revision: str = "0013"
down_revision: Union[str, Sequence[str], None] = "0012"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", lkk_integration.db.UtcDateTime(), nullable=False),
        sa.Column("last_used_at", lkk_integration.db.UtcDateTime(), nullable=True),
        sa.Column("revoked_at", lkk_integration.db.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["contact_person.id"],
                                name=op.f("fk_api_token_person_id_contact_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")))
    op.create_index(op.f("ix_api_token_person_id"), "api_token", ["person_id"], unique=False)
    op.create_index("uq_api_token_live_name", "api_token", ["person_id", "name"], unique=True,
                    postgresql_where=sa.text("revoked_at IS NULL"),
                    sqlite_where=sa.text("revoked_at IS NULL"))
    op.create_table(
        "api_quota",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("window_start", lkk_integration.db.UtcDateTime(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["token_id"], ["api_token.id"],
                                name=op.f("fk_api_quota_token_id_api_token")),
        sa.PrimaryKeyConstraint("token_id", "window_start", name=op.f("pk_api_quota")))


def downgrade() -> None:
    op.drop_table("api_quota")
    op.drop_index("uq_api_token_live_name", table_name="api_token")
    op.drop_index(op.f("ix_api_token_person_id"), table_name="api_token")
    op.drop_table("api_token")
