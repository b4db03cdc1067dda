"""The complete SOAP service (docs/spec.md §15.5, §15.8): the billing's verdicts on readings,
per-client quotas.

Revision ID: 0002
Revises: 0001
"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("reading") as batch:
        batch.add_column(sa.Column("billing_verdict", sa.String(10), nullable=True))
        batch.add_column(sa.Column("billing_reason", sa.String(500), nullable=True))
        batch.add_column(sa.Column("verdict_at", lkk_integration.db.UtcDateTime(timezone=True),
                                   nullable=True))
        batch.create_check_constraint("billing_verdict",
                                      "billing_verdict IN ('accepted', 'declined')")
    with op.batch_alter_table("soap_client") as batch:
        batch.add_column(sa.Column("requests_per_minute", sa.Integer(), nullable=False,
                                   server_default="600"))
    with op.batch_alter_table("soap_client") as batch:
        batch.alter_column("requests_per_minute", server_default=None)
    op.create_table(
        "soap_quota",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("window_start", lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["soap_client.id"],
                                name=op.f("fk_soap_quota_client_id_soap_client")),
        sa.PrimaryKeyConstraint("client_id", "window_start", name=op.f("pk_soap_quota")),
    )


def downgrade() -> None:
    op.drop_table("soap_quota")
    with op.batch_alter_table("soap_client") as batch:
        batch.drop_column("requests_per_minute")
    with op.batch_alter_table("reading") as batch:
        batch.drop_constraint(op.f("ck_reading_billing_verdict"), type_="check")
        batch.drop_column("verdict_at")
        batch.drop_column("billing_reason")
        batch.drop_column("billing_verdict")
