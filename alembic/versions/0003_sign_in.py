"""Cabinet sign-in (docs/spec.md §16.2, §3.1): throttled attempts, confirmation of a new e-mail.

Revision ID: 0003
Revises: 0002
"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("action_token") as batch:
        batch.add_column(sa.Column("new_email", sa.String(254), nullable=True))
        batch.drop_constraint(op.f("ck_action_token_purpose"), type_="check")
        batch.create_check_constraint("purpose",
                                      "purpose IN ('activation', 'recovery', 'email_change')")
    op.create_table(
        "sign_in_attempt",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("account", sa.String(254), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("attempted_at", lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('login', 'recovery')", name=op.f("ck_sign_in_attempt_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempt")),
    )
    op.create_index("ix_sign_in_attempt_account", "sign_in_attempt",
                    ["kind", "account", "attempted_at"])
    op.create_index("ix_sign_in_attempt_address", "sign_in_attempt",
                    ["kind", "address", "attempted_at"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_attempt_address", "sign_in_attempt")
    op.drop_index("ix_sign_in_attempt_account", "sign_in_attempt")
    op.drop_table("sign_in_attempt")
    with op.batch_alter_table("action_token") as batch:
        batch.drop_constraint(op.f("ck_action_token_purpose"), type_="check")
        batch.create_check_constraint("purpose", "purpose IN ('activation', 'recovery')")
        batch.drop_column("new_email")
