"""The send checks again only buffer rows whose meter facts changed (docs/spec.md §11.1):
upload_row.fingerprint, NULL for buffers uploaded before (those are all checked again).

Revision ID: 0008
Revises: 0007
"""
from typing import Sequence, Union

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("upload_row") as batch:
        batch.add_column(sa.Column("fingerprint", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("upload_row") as batch:
        batch.drop_column("fingerprint")
