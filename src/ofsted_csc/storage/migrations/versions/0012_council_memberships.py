"""council memberships: a user's role in each council they work for (viewer, editor, admin,
board member), groups of councils (a region or alliance) whose members see the plan summaries
of the councils that share them, and each council's choice to share. Users' own roles stay and
hold for every council (a service admin; a one-council deployment's viewers and editors).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 20:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("council_urn", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("user_id", "council_urn", name=op.f("uq_memberships_user_id")),
    )
    op.create_index(op.f("ix_memberships_user_id"), "memberships", ["user_id"])
    op.create_index(op.f("ix_memberships_council_urn"), "memberships", ["council_urn"])
    op.create_table(
        "council_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_council_groups_name")),
    )
    op.create_table(
        "council_group_councils",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("council_urn", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["council_groups.id"],
            name=op.f("fk_council_group_councils_group_id_council_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "council_urn", name=op.f("pk_council_group_councils")),
    )
    op.create_table(
        "council_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["council_groups.id"],
            name=op.f("fk_council_group_members_group_id_council_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_council_group_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_council_group_members")),
    )
    op.create_table(
        "council_sharing",
        sa.Column("council_urn", sa.String(length=20), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("council_urn", name=op.f("pk_council_sharing")),
    )


def downgrade() -> None:
    op.drop_table("council_sharing")
    op.drop_table("council_group_members")
    op.drop_table("council_group_councils")
    op.drop_table("council_groups")
    op.drop_index(op.f("ix_memberships_council_urn"), table_name="memberships")
    op.drop_index(op.f("ix_memberships_user_id"), table_name="memberships")
    op.drop_table("memberships")
