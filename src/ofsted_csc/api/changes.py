"""Change over time (ofsted_csc.analytics.changes): each council's graded inspections in pairs
with the grade before and after, improvement episodes, and the transition table by framework,
filtered as a researcher asks.

    pairs = api.changes(snap, from_grade="inadequate", to_grade="good")
    spells = api.episodes(snap, region="London")
    table = api.changes_table(snap, "transitions")      # rows, as `ofsted-csc changes` writes

Each function takes a Store or a Snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ofsted_csc.analytics import changes as model
from ofsted_csc.analytics.benchmarking import match_region
from ofsted_csc.analytics.changes import Change, Episode
from ofsted_csc.api.snapshot import Source, read
from ofsted_csc.domain.councils import Council
from ofsted_csc.domain.errors import InvalidInput, not_one_of
from ofsted_csc.domain.frameworks import Framework, check_judgement, not_a_framework
from ofsted_csc.domain.grades import Grade, not_a_grade
from ofsted_csc.reports import rows

__all__ = ["CHANGE_VIEWS", "Change", "Episode", "changes", "changes_table", "episodes"]

CHANGE_VIEWS = ("pairs", "episodes", "transitions")


def _grade(value: str | None) -> Grade | None:
    if value is None:
        return None
    try:
        return Grade(value)
    except ValueError:
        raise InvalidInput(not_a_grade(value)) from None


def _framework(value: str | None) -> Framework | None:
    if value is None:
        return None
    try:
        return Framework(value)
    except ValueError:
        raise InvalidInput(not_a_framework(value)) from None


def _in_region(region: str | None) -> Callable[[Council], bool]:
    if region is None:
        return lambda c: True
    name = match_region(region)
    return lambda c: name in (c.ons_region, c.ofsted_region)


def _check_period(since: date | None, until: date | None) -> None:
    if since is not None and until is not None and since > until:
        raise InvalidInput(f"--since ({since}) is after --until ({until})")


def changes(
    source: Source,
    as_at: date | None = None,
    judgement: str = "overall_effectiveness",
    from_grade: str | None = None,
    to_grade: str | None = None,
    region: str | None = None,
    framework: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Change]:
    """Pairs of a council's consecutive inspections as at `as_at` (default today), those
    whose earlier grade is `from_grade`, later grade `to_grade`, council in `region` (ONS or
    Ofsted), later inspection of `framework` and begun between `since` and `until`."""
    check_judgement(judgement)
    before, after = _grade(from_grade), _grade(to_grade)
    fw = _framework(framework)
    _check_period(since, until)
    in_region = _in_region(region)
    snap = read(source)
    day = as_at or date.today()
    every = snap.memo(
        ("changes", day, judgement),
        lambda: model.changes(snap.facts, snap.registry, day, judgement),
    )
    return [
        c
        for c in every
        if (before is None or c.grade_before is before)
        and (after is None or c.grade_after is after)
        and (fw is None or c.after.framework is fw)
        and (since is None or c.after.start >= since)
        and (until is None or c.after.start <= until)
        and in_region(c.council)
    ]


def episodes(
    source: Source,
    as_at: date | None = None,
    judgement: str = "overall_effectiveness",
    region: str | None = None,
    since: date | None = None,
    until: date | None = None,
    open_only: bool = False,
) -> list[Episode]:
    """Improvement episodes (first inadequate to first good or better) as at `as_at`, of
    councils in `region`, begun (judged inadequate) between `since` and `until`; `open_only`:
    those not yet out of inadequate or requires improvement."""
    check_judgement(judgement)
    _check_period(since, until)
    in_region = _in_region(region)
    snap = read(source)
    day = as_at or date.today()
    every = snap.memo(
        ("episodes", day, judgement),
        lambda: model.episodes(snap.facts, snap.registry, day, judgement),
    )
    return [
        e
        for e in every
        if (since is None or e.inadequate.start >= since)
        and (until is None or e.inadequate.start <= until)
        and (not open_only or e.reached is None)
        and in_region(e.council)
    ]


def changes_table(
    source: Source,
    view: str = "pairs",
    as_at: date | None = None,
    judgement: str = "overall_effectiveness",
    from_grade: str | None = None,
    to_grade: str | None = None,
    region: str | None = None,
    framework: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> rows.TableData:
    """One view as a table (what `ofsted-csc changes` writes): "pairs" (a row per pair of
    inspections), "episodes" (a row per improvement episode) or "transitions" (previous grade
    to next, by the framework of the later inspection, of the pairs the filters keep)."""
    if view not in CHANGE_VIEWS:
        raise InvalidInput(not_one_of(view, "a view", CHANGE_VIEWS))
    if view == "episodes":
        if from_grade or to_grade or framework:
            raise InvalidInput("--from, --to and --framework apply to pairs and transitions")
        found = episodes(source, as_at, judgement, region, since, until)
        return rows.TableData(
            "episodes", rows.EPISODE_COLUMNS, [rows.episode_row(e) for e in found]
        )
    pairs = changes(source, as_at, judgement, from_grade, to_grade, region, framework, since, until)
    if view == "transitions":
        table = model.transition_table(pairs)
        columns = tuple(table[0]) if table else ("framework", "previous", "total")
        return rows.TableData("transitions", columns, table)
    return rows.TableData("changes", rows.CHANGE_COLUMNS, [rows.change_row(c) for c in pairs])
