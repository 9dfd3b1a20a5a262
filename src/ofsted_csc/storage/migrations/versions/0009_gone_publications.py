"""gone publications: when Ofsted's site last said a listed document no longer exists, and
the HTTP status it said it with (200 for its "Report not found" page); null on rows before

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_publications") as batch:
        batch.add_column(sa.Column("gone_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("gone_status", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_publications") as batch:
        batch.drop_column("gone_status")
        batch.drop_column("gone_on")
