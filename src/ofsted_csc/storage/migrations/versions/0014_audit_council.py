"""audit council: every audit event names the council it touched (`council_urn`, none for user
and token admin), filled for the events already there from their plan; and an event may name
no user (a report uploaded by a visitor when the deployment opened uploading to anyone).

The audit trail is append-only (triggers from 0003): they are dropped for the time this
migration fills the new column, and made again before it ends, in the same transaction on
PostgreSQL.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

AUDIT_MESSAGE = "audit events are never changed or deleted"  # as 0003 words it


def _audit_triggers() -> None:
    """The append-only triggers of 0003, made again."""
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{AUDIT_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
            "ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse()"
        )


def _drop_audit_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse()")


def upgrade() -> None:
    _drop_audit_triggers()
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("council_urn", sa.String(length=20), nullable=True))
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index("ix_audit_council_at", ["council_urn", "at"], unique=False)
    op.execute(
        "UPDATE audit_events SET council_urn = "
        "(SELECT plans.council_urn FROM plans WHERE plans.id = audit_events.plan_id) "
        "WHERE plan_id IS NOT NULL"
    )
    _audit_triggers()


def downgrade() -> None:
    anonymous = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM audit_events WHERE user_id IS NULL")
    )
    if anonymous:  # the trail is never cut short, not even to go back a version
        raise RuntimeError(
            f"{anonymous} audit events name no user (uploads by anyone): 0011 cannot hold them"
        )
    _drop_audit_triggers()
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_council_at")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("council_urn")
    _audit_triggers()
