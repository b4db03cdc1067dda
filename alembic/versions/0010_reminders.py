"""Reminders of the meters without a reading before the period closes (docs/spec.md §2.3):
the reminder table (one per organization, period and days before the close) and the contact
person's choice (contact_person.reminders, on by default, docs/spec.md §3.3).

Revision ID: 0010
Revises: 0009
"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("contact_person") as batch:
        batch.add_column(sa.Column("reminders", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("decided_at", lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("houses", sa.Integer(), nullable=False),
        sa.Column("individual", sa.Integer(), nullable=False),
        sa.Column("common_house", sa.Integer(), nullable=False),
        sa.Column("mail_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["mail_id"], ["mail_message.id"],
                                name="fk_reminder_mail_id_mail_message"),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"],
                                name="fk_reminder_organization_id_organization"),
        sa.PrimaryKeyConstraint("id", name="pk_reminder"),
        sa.UniqueConstraint("organization_id", "period", "days_before",
                            name="uq_reminder_organization_id"),
    )
    op.create_index("ix_reminder_decided_at", "reminder", ["decided_at"])


def downgrade() -> None:
    op.drop_index("ix_reminder_decided_at", table_name="reminder")
    op.drop_table("reminder")
    with op.batch_alter_table("contact_person") as batch:
        batch.drop_column("reminders")
