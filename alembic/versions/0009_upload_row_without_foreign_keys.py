"""The buffer's rows name their upload, house and meter without declared foreign keys
(docs/spec.md §18.9): a key costs a check per stored row (on PostgreSQL a trigger's query each,
three quarters of a 65,535-row file's COPY), and nothing they name is ever deleted.

Revision ID: 0009
Revises: 0008
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_KEYS = (("fk_upload_row_upload_id_upload", "upload", "upload_id", "CASCADE"),
         ("fk_upload_row_house_id_house", "house", "house_id", None),
         ("fk_upload_row_meter_id_meter", "meter", "meter_id", None))


def upgrade() -> None:
    with op.batch_alter_table("upload_row") as batch:
        for name, _table, _column, _on_delete in _KEYS:
            batch.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("upload_row") as batch:
        for name, table, column, on_delete in _KEYS:
            batch.create_foreign_key(name, table, [column], ["id"], ondelete=on_delete)
