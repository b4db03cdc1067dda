"""Plausibility from the meter's own history (docs/spec.md §13.10): each meter's typical
consumption per zone (kWh per day) and how many intervals it was learnt from, and the note a
reading or a buffer row far from it carries.

Revision ID: 0011
Revises: 0010
"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op

revision: str = "0011"
down_revision: Union[str, Sequence[str], None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("meter") as batch:
        for zone in ("t1", "t2", "t3"):
            batch.add_column(sa.Column(f"typical_{zone}", lkk_integration.db.Kwh(precision=18, scale=4),
                                       nullable=True))
        batch.add_column(sa.Column("typical_intervals", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("typical_until", sa.Date(), nullable=True))
    with op.batch_alter_table("reading") as batch:
        batch.add_column(sa.Column("check_note", sa.String(length=200), nullable=True))
    with op.batch_alter_table("upload_row") as batch:
        batch.add_column(sa.Column("check_note", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("upload_row") as batch:
        batch.drop_column("check_note")
    with op.batch_alter_table("reading") as batch:
        batch.drop_column("check_note")
    with op.batch_alter_table("meter") as batch:
        for column in ("typical_until", "typical_intervals", "typical_t3", "typical_t2", "typical_t1"):
            batch.drop_column(column)
