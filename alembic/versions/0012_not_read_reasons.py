"""«Не снято» (docs/spec.md §13.11): the reasons' list a reading or a buffer row may give
instead of values, with the installation's defaults, and the reason's code on both.

Revision ID: 0012
Revises: 0011
"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op

revision: str = "0012"
down_revision: Union[str, Sequence[str], None] = "0011"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# As models.DEFAULT_NOT_READ_REASONS was when this migration was written.
DEFAULTS = (("NO_ACCESS", "Нет доступа"), ("FAULTY", "ПУ неисправен"),
            ("REMOVED", "ПУ демонтирован"))


def upgrade() -> None:
    reasons = op.create_table(
        "not_read_reason",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", lkk_integration.db.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_not_read_reason")))
    op.bulk_insert(reasons, [{"code": code, "name": name, "is_active": True, "position": i}
                             for i, (code, name) in enumerate(DEFAULTS)])
    with op.batch_alter_table("reading") as batch:
        batch.add_column(sa.Column("not_read_reason", sa.String(length=20), nullable=True))
    with op.batch_alter_table("upload_row") as batch:
        batch.add_column(sa.Column("raw_not_read", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("not_read_reason", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("upload_row") as batch:
        batch.drop_column("not_read_reason")
        batch.drop_column("raw_not_read")
    with op.batch_alter_table("reading") as batch:
        batch.drop_column("not_read_reason")
    op.drop_table("not_read_reason")
