"""document themes: each stored inspection's and letter's items (recommendations, areas for
priority action, areas for improvement) with the themes the classifier gave them, and the
taxonomy version it classified by; written when a document is stored, and again for every
stored document when the taxonomy changes (`services.themes.retheme`). Documents stored
before are themed by the next ingest, sync, `reindex` or start of the web server.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_themes",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("taxonomy_version", sa.String(length=40), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source_files.id"],
            name=op.f("fk_document_themes_source_id_source_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_document_themes")),
    )


def downgrade() -> None:
    op.drop_table("document_themes")
