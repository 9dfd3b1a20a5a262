"""Official rows keep the inspection's first day on site where the edition gives it

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("official_inspections") as batch:
        batch.add_column(sa.Column("inspection_start", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("official_inspections") as batch:
        batch.drop_column("inspection_start")
