"""Readings through the JSON API (docs/spec.md §21.2): the channel `api`, the token a reading
came with, and the writes kept by their Idempotency-Key.

Revision ID: 0014
Revises: 0013
"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op

revision: str = "0014"
down_revision: Union[str, Sequence[str], None] = "0013"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("reading") as batch:
        batch.drop_constraint(op.f("ck_reading_channel"), type_="check")
        batch.create_check_constraint("channel",
                                      "channel IN ('manual', 'file', 'billing', 'api')")
        batch.add_column(sa.Column("api_token_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_reading_api_token_id_api_token"), "api_token",
                                 ["api_token_id"], ["id"])
    op.create_table(
        "api_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=255), nullable=False),
        sa.Column("operation", sa.String(length=100), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("response_json", sa.Text(), nullable=False),
        sa.Column("created_at", lkk_integration.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["token_id"], ["api_token.id"],
                                name=op.f("fk_api_request_token_id_api_token")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_request")),
        sa.UniqueConstraint("token_id", "request_id", name="uq_api_request_id"))


def downgrade() -> None:
    op.drop_table("api_request")
    op.execute("DELETE FROM export_event WHERE reading_id IN "
               "(SELECT id FROM reading WHERE channel = 'api')")
    op.execute("UPDATE reading SET replaces_id = NULL WHERE replaces_id IN "
               "(SELECT id FROM reading WHERE channel = 'api')")
    op.execute("DELETE FROM reading WHERE channel = 'api'")
    with op.batch_alter_table("reading") as batch:
        batch.drop_constraint(op.f("fk_reading_api_token_id_api_token"), type_="foreignkey")
        batch.drop_column("api_token_id")
        batch.drop_constraint(op.f("ck_reading_channel"), type_="check")
        batch.create_check_constraint("channel", "channel IN ('manual', 'file', 'billing')")
