"""report passages: the report's own words for each judgement and its overview

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_passages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_report_passages_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_passages")),
        sa.UniqueConstraint("inspection_id", "key", name=op.f("uq_report_passages_inspection_id")),
    )
    op.create_index(op.f("ix_report_passages_inspection_id"), "report_passages", ["inspection_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_report_passages_inspection_id"), table_name="report_passages")
    op.drop_table("report_passages")
