"""The rules of improvement plans, as data and pure functions: statuses, roles and the RAG rule.

No I/O here. The RAG rule is the one documented in docs/plans.md; each outcome carries the
reasons that produced it, so a board sees *why* an action is red, not only that it is.

The RAG rule, for an action as at a date (the worst outcome of the checks wins):

- **Blue** (complete): status is complete or closed with evidence. Nothing else is checked.
- **Red**: the due date has passed; or status is off track; or a success measure is past its
  target date short of target; or a measure is behind its trajectory by more than
  ``RED_BEHIND`` (a quarter of the way from baseline to target).
- **Amber**: status is at risk; or a measure is behind its trajectory by more than
  ``AMBER_BEHIND``; or the action is due within ``DUE_SOON_WORKING_DAYS`` working days and
  less than ``DUE_SOON_PERCENT`` per cent complete; or it has not started and its start date
  has passed; or it has no due date or no lead officer.
- **Green**: none of the above.

A measure's trajectory: the straight line from its baseline (on the baseline date) to its
target (on the target date). "Behind" is the share of the baseline-to-target gap still to
close minus the share of the time still to run; the current value is the latest reading on
or before the date (the baseline if there is none yet).

An editor may override the computed RAG, only with a reason; the override, its reason, who
and when are kept, and the computed RAG is shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from ofsted_csc.domain.workdays import working_days_between

# Said by the board report and the member brief when a plan has no overdue action.
NO_OVERDUE = "No action is overdue."

RED_BEHIND = 0.25
AMBER_BEHIND = 0.10
DUE_SOON_WORKING_DAYS = 10
DUE_SOON_PERCENT = 75


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"
    CLOSED_WITH_EVIDENCE = "closed_with_evidence"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def done(self) -> bool:
        return self in (Status.COMPLETE, Status.CLOSED_WITH_EVIDENCE)

    @classmethod
    def parse(cls, text: str) -> Status:
        """A status from its value or its label, any case ("On track", "on_track")."""
        key = " ".join(text.replace("_", " ").split()).lower()
        for status, label in STATUS_LABELS.items():
            if key in (label.lower(), status.value.replace("_", " ")):
                return status
        raise ValueError(text)


STATUS_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.COMPLETE: "Complete",
    Status.CLOSED_WITH_EVIDENCE: "Closed with evidence",
}


class Rag(IntEnum):
    """Ordered from best to worst, so max() of outcomes is the worst."""

    BLUE = 0
    GREEN = 1
    AMBER = 2
    RED = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @classmethod
    def parse(cls, text: str) -> Rag:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(text) from None


class Role(StrEnum):
    """A user's role. As a user's own role (`users.role`) it holds for every council: a
    service admin, or a viewer or editor of a deployment that serves one council; `none` has
    rights only where a membership gives them (single sign-on makes users so when
    OFSTED_CSC_OIDC_CREATE_USERS is on, until an admin gives them a role). As a membership's role it holds for that council
    only, and `board` (a board member: a DfE adviser, an independent chair) reads the council's
    plans and board reports and nothing else."""

    NONE = "none"
    BOARD = "board"
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.NONE: "No role",
    Role.BOARD: "Board member",
    Role.VIEWER: "Viewer",
    Role.EDITOR: "Editor",
    Role.ADMIN: "Admin",
}
# the roles a membership of one council can give, and those a user's own role can be
MEMBERSHIP_ROLES = (Role.BOARD, Role.VIEWER, Role.EDITOR, Role.ADMIN)
OWN_ROLES = (Role.NONE, Role.VIEWER, Role.EDITOR, Role.ADMIN)


def check_own_role(role: Role) -> None:
    """A user's own role holds for every council: a board member is one council's only."""
    if role not in OWN_ROLES:
        raise ValueError(
            f"{role.label.lower()} is a role in one council (user member), not a user's own"
        )


class Permission(StrEnum):
    BOARD = "board"  # read plans, their actions and board reports
    VIEW = "view"  # all of BOARD, and evidence files and the history of changes
    EDIT = "edit"  # create and change plans, actions, measures, evidence, boards
    ADMIN = "admin"  # manage users (a service admin) or a council's members (a council admin)


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.NONE: frozenset(),
    Role.BOARD: frozenset({Permission.BOARD}),
    Role.VIEWER: frozenset({Permission.BOARD, Permission.VIEW}),
    Role.EDITOR: frozenset({Permission.BOARD, Permission.VIEW, Permission.EDIT}),
    Role.ADMIN: frozenset({Permission.BOARD, Permission.VIEW, Permission.EDIT, Permission.ADMIN}),
}


def can(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


class TokenScope(StrEnum):
    """What a personal access token may do for its owner (never more than their role)."""

    READ = "read"
    READ_WRITE = "read-write"


TOKEN_PERMISSIONS: dict[TokenScope, frozenset[Permission]] = {
    TokenScope.READ: frozenset({Permission.BOARD, Permission.VIEW}),
    TokenScope.READ_WRITE: frozenset({Permission.BOARD, Permission.VIEW, Permission.EDIT}),
}


class PlanStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # sent to Ofsted
    ACTIVE = "active"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class BoardKind(StrEnum):
    IMPROVEMENT_BOARD = "improvement_board"
    SCRUTINY = "scrutiny"
    CABINET = "cabinet"
    OTHER = "other"

    @property
    def label(self) -> str:
        return BOARD_KIND_LABELS[self]


BOARD_KIND_LABELS = {
    BoardKind.IMPROVEMENT_BOARD: "Improvement board",
    BoardKind.SCRUTINY: "Scrutiny committee",
    BoardKind.CABINET: "Cabinet",
    BoardKind.OTHER: "Other",
}


@dataclass(frozen=True)
class MeasureState:
    """Where a success measure stands on a date."""

    current: float  # the latest reading on or before the date, else the baseline
    current_on: date | None  # None: no reading yet
    progress: float  # share of the baseline-to-target gap closed, 0..1
    expected: float  # share of the time from baseline date to target date gone, 0..1
    met: bool

    @property
    def behind(self) -> float:
        return 0.0 if self.met else max(0.0, self.expected - self.progress)


def measure_state(
    baseline: float,
    baseline_date: date,
    target: float,
    target_date: date,
    readings: list[tuple[date, float]],
    on: date,
) -> MeasureState:
    seen = [(d, v) for d, v in readings if d <= on]
    current_on, current = max(seen, key=lambda r: r[0]) if seen else (None, baseline)
    span = target - baseline
    if span == 0:
        progress = 1.0 if current == target else 0.0
    else:
        progress = min(1.0, max(0.0, (current - baseline) / span))
    days = (target_date - baseline_date).days
    expected = 1.0 if days <= 0 else min(1.0, max(0.0, (on - baseline_date).days / days))
    return MeasureState(current, current_on, progress, expected, met=progress >= 1.0)


@dataclass(frozen=True)
class MeasureInput:
    name: str
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    readings: list[tuple[date, float]]


@dataclass(frozen=True)
class RagOutcome:
    rag: Rag
    reasons: tuple[str, ...]  # why, for the worst level reached


def compute_rag(
    *,
    status: Status,
    start: date | None,
    due: date | None,
    percent: int,
    has_lead: bool,
    measures: list[MeasureInput],
    on: date,
) -> RagOutcome:
    """The RAG of an action as at `on` by the rule in this module's docstring."""
    if status.done:
        return RagOutcome(Rag.BLUE, (f"{status.label}",))
    found: list[tuple[Rag, str]] = []
    if due is not None and due < on:
        late = working_days_between(due, on)
        found.append((Rag.RED, f"overdue: due {due:%-d %B %Y}, {late} working days ago"))
    if status is Status.OFF_TRACK:
        found.append((Rag.RED, "status is off track"))
    if status is Status.AT_RISK:
        found.append((Rag.AMBER, "status is at risk"))
    for m in measures:
        state = measure_state(m.baseline, m.baseline_date, m.target, m.target_date, m.readings, on)
        if state.met:
            continue
        if m.target_date < on:
            found.append((Rag.RED, f"measure '{m.name}' missed its target date short of target"))
        elif state.behind > RED_BEHIND:
            found.append((Rag.RED, f"measure '{m.name}' {_behind(state)}"))
        elif state.behind > AMBER_BEHIND:
            found.append((Rag.AMBER, f"measure '{m.name}' {_behind(state)}"))
    if due is not None and due >= on and percent < DUE_SOON_PERCENT:
        left = working_days_between(on, due)
        if left <= DUE_SOON_WORKING_DAYS:
            found.append((Rag.AMBER, f"due in {left} working days and {percent}% complete"))
    if status is Status.NOT_STARTED and start is not None and start < on:
        found.append((Rag.AMBER, f"not started though due to start {start:%-d %B %Y}"))
    if due is None:
        found.append((Rag.AMBER, "no due date"))
    if not has_lead:
        found.append((Rag.AMBER, "no lead officer"))
    if not found:
        return RagOutcome(Rag.GREEN, ("on course",))
    worst = max(r for r, _ in found)
    return RagOutcome(worst, tuple(text for r, text in found if r == worst))


def _behind(state: MeasureState) -> str:
    return (
        f"is {round(state.progress * 100)}% of the way to target, "
        f"{round(state.expected * 100)}% expected by now"
    )
