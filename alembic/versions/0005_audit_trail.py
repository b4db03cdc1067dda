"""The audit trail (docs/spec.md §17): append-only records of every change; on PostgreSQL a trigger
refuses UPDATE and DELETE.

Revision ID: 0005
Revises: 0004
"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op
from lkk_integration.audit import APPEND_ONLY_DDL

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "audit_record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("meter_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("object_id", sa.BigInteger(), nullable=True),
        sa.Column("address", sa.String(64), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.CheckConstraint("actor_kind IN ('person', 'client', 'admin', 'operator', "
                           "'anonymous')", name=op.f("ck_audit_record_actor_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_record")),
    )
    op.create_index("ix_audit_record_at", "audit_record", ["at"])
    op.create_index("ix_audit_record_organization_at", "audit_record", ["organization_id", "at"])
    op.create_index("ix_audit_record_meter_at", "audit_record", ["meter_id", "at"])
    op.create_index("ix_audit_record_person_at", "audit_record", ["person_id", "at"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in APPEND_ONLY_DDL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_record_append_only ON audit_record")
        op.execute("DROP FUNCTION audit_record_append_only()")
    op.drop_table("audit_record")
