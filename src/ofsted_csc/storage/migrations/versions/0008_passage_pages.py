"""passage pages: where each page's text starts in each paragraph of a report's passage
(judgement sections) and of a letter's findings; null on rows stored before

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_passages") as batch:
        batch.add_column(sa.Column("starts", sa.JSON(), nullable=True))
    with op.batch_alter_table("letter_items") as batch:
        batch.add_column(sa.Column("starts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("letter_items") as batch:
        batch.drop_column("starts")
    with op.batch_alter_table("report_passages") as batch:
        batch.drop_column("starts")
