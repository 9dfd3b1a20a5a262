"""The schema of improvement plans, users and their audit trail (same Base as the records).

Plans link to inspections and visits by the source file's sha256, not by row id: a report
read again by a newer parser gets new rows, and the plan must still point at it. The words
an action answers are copied into `action_links` when the link is made, so the trail back to
the report survives even a re-read that changes them.

`audit_events` is append-only: the migration adds triggers that refuse UPDATE and DELETE on
both SQLite and PostgreSQL, and no code path offers to change it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ofsted_csc.storage.models import Base


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20))
    # None: a person who can be named (a lead officer) but cannot sign in
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WebSessionRow(Base):
    """Server-side web sessions (Flask-Session's interface, stored here)."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expiry: Mapped[datetime] = mapped_column(DateTime, index=True)


class RateLimitRow(Base):
    """The web app's rate limits, counted here so that every server process counts the same
    attempts (ofsted_csc.storage.rate_limits): a limit's key (Flask-Limiter's: the limit and
    the client's address), the hits in its current fixed window and when the window ends
    (seconds since the epoch)."""

    __tablename__ = "web_rate_limits"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class ApiTokenRow(Base):
    """Personal access tokens for the JSON API. Only the token's sha256 is kept (the token
    is shown once, when made); `prefix` is its first characters, to tell tokens apart."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council_urn: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    received: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    sources: Mapped[list[PlanSourceRow]] = relationship(
        cascade="all, delete-orphan", order_by="PlanSourceRow.id"
    )
    workstreams: Mapped[list[WorkstreamRow]] = relationship(
        cascade="all, delete-orphan", order_by="WorkstreamRow.position"
    )
    boards: Mapped[list[BoardRow]] = relationship(
        cascade="all, delete-orphan", order_by="BoardRow.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PlanSourceRow(Base):
    """An inspection or visit a plan answers, by its file's sha256."""

    __tablename__ = "plan_sources"
    __table_args__ = (UniqueConstraint("plan_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))  # "inspection" or "letter"
    label: Mapped[str] = mapped_column(String(300))
    file_name: Mapped[str] = mapped_column(String(500))


class WorkstreamRow(Base):
    __tablename__ = "workstreams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))

    actions: Mapped[list[ActionRow]] = relationship(
        cascade="all, delete-orphan", order_by="ActionRow.position"
    )


class ActionRow(Base):
    __tablename__ = "actions"
    __table_args__ = (Index("ix_actions_plan", "plan_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstreams.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    partner: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30))
    percent: Mapped[int] = mapped_column(Integer, default=0)
    rag_override: Mapped[str | None] = mapped_column(String(10))
    rag_override_reason: Mapped[str | None] = mapped_column(Text)
    rag_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rag_override_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    lead: Mapped[UserRow | None] = relationship(foreign_keys=[lead_id])
    updated_by: Mapped[UserRow] = relationship(foreign_keys=[updated_by_id])
    rag_override_by: Mapped[UserRow | None] = relationship(foreign_keys=[rag_override_by_id])
    links: Mapped[list[ActionLinkRow]] = relationship(
        cascade="all, delete-orphan", order_by="ActionLinkRow.id"
    )
    measures: Mapped[list[MeasureRow]] = relationship(
        cascade="all, delete-orphan", order_by="MeasureRow.id"
    )
    evidence: Mapped[list[EvidenceRow]] = relationship(
        cascade="all, delete-orphan", order_by="EvidenceRow.id"
    )
    updates: Mapped[list[ProgressUpdateRow]] = relationship(
        cascade="all, delete-orphan",
        order_by="(ProgressUpdateRow.on, ProgressUpdateRow.id)",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ActionLinkRow(Base):
    """A recommendation, priority action or area for improvement an action answers: which
    file, which item, and its words as they stood when linked."""

    __tablename__ = "action_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    section: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)


class MeasureRow(Base):
    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    baseline: Mapped[float] = mapped_column(Float)
    baseline_date: Mapped[date] = mapped_column(Date)
    target: Mapped[float] = mapped_column(Float)
    target_date: Mapped[date] = mapped_column(Date)

    readings: Mapped[list[MeasureReadingRow]] = relationship(
        cascade="all, delete-orphan",
        order_by="(MeasureReadingRow.on, MeasureReadingRow.id)",
    )


class MeasureReadingRow(Base):
    __tablename__ = "measure_readings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    recorded_by: Mapped[UserRow] = relationship()


class EvidenceRow(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    file_name: Mapped[str | None] = mapped_column(String(300))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime)

    added_by: Mapped[UserRow] = relationship()


class ProgressUpdateRow(Base):
    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    author: Mapped[UserRow] = relationship()


class BoardRow(Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))

    meetings: Mapped[list[MeetingRow]] = relationship(
        back_populates="board", cascade="all, delete-orphan", order_by="MeetingRow.on"
    )


class MeetingRow(Base):
    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("board_id", "on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    on: Mapped[date] = mapped_column(Date)

    board: Mapped[BoardRow] = relationship(back_populates="meetings")


class MembershipRow(Base):
    """A user's role in one council (viewer, editor, admin or board member): plans, boards,
    meetings, evidence and their history belong to a council, and a user sees a council's only
    through a membership there or a role of their own that holds for every council."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "council_urn"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    council_urn: Mapped[str] = mapped_column(String(20), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CouncilGroupRow(Base):
    """A region or alliance of named councils; its members see the plan summary (RAG counts,
    overdue actions, deadlines met) of each council that has chosen to share it."""

    __tablename__ = "council_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CouncilGroupCouncilRow(Base):
    __tablename__ = "council_group_councils"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("council_groups.id", ondelete="CASCADE"), primary_key=True
    )
    council_urn: Mapped[str] = mapped_column(String(20), primary_key=True)


class CouncilGroupMemberRow(Base):
    __tablename__ = "council_group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("council_groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class CouncilSharingRow(Base):
    """A council's choice to share its plans' summaries with the groups it belongs to."""

    __tablename__ = "council_sharing"

    council_urn: Mapped[str] = mapped_column(String(20), primary_key=True)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEventRow(Base):
    """One change: who, when, to what, which field, the old and the new value, and the
    council it touched (`council_urn`: the plan's, or an uploaded report's; none for user and
    token admin). No user only for a report uploaded by a visitor, when the deployment opened
    uploading to anyone. Never updated or deleted (database triggers refuse both)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_plan_at", "plan_id", "at"),
        Index("ix_audit_council_at", "council_urn", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    plan_id: Mapped[int | None] = mapped_column(Integer)
    council_urn: Mapped[str | None] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)

    user: Mapped[UserRow | None] = relationship()
