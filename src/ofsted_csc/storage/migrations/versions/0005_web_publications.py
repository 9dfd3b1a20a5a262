"""Ofsted's website as sync last saw it: council pages, their publications, sync runs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_providers",
        sa.Column("urn", sa.String(length=20), nullable=False),
        sa.Column("provider_type", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("in_search", sa.Boolean(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("urn", name=op.f("pk_web_providers")),
    )
    op.create_table(
        "web_publications",
        sa.Column("file_id", sa.String(length=60), nullable=False),
        sa.Column("provider_urn", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("published", sa.Date(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("parser_version", sa.String(length=40), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("vanished_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_web_publications")),
    )
    op.create_index(op.f("ix_web_publications_provider_urn"), "web_publications", ["provider_urn"])
    op.create_index(op.f("ix_web_publications_sha256"), "web_publications", ["sha256"])
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )


def downgrade() -> None:
    op.drop_table("sync_runs")
    op.drop_index(op.f("ix_web_publications_sha256"), table_name="web_publications")
    op.drop_index(op.f("ix_web_publications_provider_urn"), table_name="web_publications")
    op.drop_table("web_publications")
    op.drop_table("web_providers")
