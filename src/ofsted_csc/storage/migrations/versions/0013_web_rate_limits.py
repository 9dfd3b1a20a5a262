"""web rate limits: the sign-in rate limit's counts, kept in the store so that every server
process (the workers of `ofsted-csc serve`, or several servers behind one address) counts the
same attempts: a limit's key, the hits in its current fixed window and when the window ends.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 20:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_rate_limits",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_web_rate_limits")),
    )
    with op.batch_alter_table("web_rate_limits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_web_rate_limits_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("web_rate_limits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_rate_limits_expires_at"))
    op.drop_table("web_rate_limits")
