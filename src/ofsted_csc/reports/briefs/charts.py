"""The brief's charts as PNG images (matplotlib, no screen): drawn from the same figures as
its tables."""

from __future__ import annotations

import calendar
import io
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from ofsted_csc.analytics import benchmarking
from ofsted_csc.domain.frameworks import FRAMEWORK_LABELS, JUDGEMENT_LABELS, Area
from ofsted_csc.domain.grades import GRADE_PALETTE, SCALE_SINCE_2013
from ofsted_csc.domain.shares import is_small, share
from ofsted_csc.reports.briefs.content import PICTURE_GRADES, Chart, day


def _png(fig: object) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    return buf.getvalue()


def _svg(fig: Any) -> bytes:
    """The figure as SVG, its words kept as text (to be found, copied and read aloud) and
    its ids the same at each drawing."""
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ofsted-csc"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def picture_chart(
    picture: benchmarking.Picture, areas: Sequence[Area], published: date, framework: str
) -> Chart:
    """Share of councils by grade for each judgement: one stacked bar a judgement."""
    shown = [a for a in areas if picture.total(a.value)]
    alt = "; ".join(
        f"{JUDGEMENT_LABELS[a]}: "
        + ", ".join(
            f"{g.short_label} {share(r.percent, r.count, r.total, places=1)}"
            for g in PICTURE_GRADES
            if (r := picture.row(a.value, g.value)) is not None and r.percent is not None
        )
        for a in shown
    )

    def draw() -> Any:
        return picture_figure(picture, shown, published, framework)

    return Chart(
        "national_chart",
        f"{framework} outcomes by judgement",
        alt,
        _png(draw()),
        lambda: _svg(draw()),
        as_at=published,
    )


def picture_figure(
    picture: benchmarking.Picture, shown: Sequence[Area], published: date, framework: str
) -> Any:
    """The matplotlib figure of picture_chart, of the judgements `shown`. A bar of few
    councils (domain.shares) says how many were judged, and its parts "50% (2 of 4)" where
    they fit."""
    fig, ax = plt.subplots(figsize=(7.0, 0.55 * max(len(shown), 1) + 1.2))
    labels = [
        JUDGEMENT_LABELS[a] + (f" ({n} judged)" if is_small(n := picture.total(a.value)) else "")
        for a in shown
    ]
    left = [0.0] * len(shown)
    for g in PICTURE_GRADES:
        values = []
        counts = []
        for a in shown:
            r = picture.row(a.value, g.value)
            values.append(r.percent if r and r.percent else 0.0)
            counts.append(r.count if r else 0)
        colours = GRADE_PALETTE[g]  # the one palette: the web's tags and charts use it too
        ax.barh(labels, values, left=left, color=colours.colour, label=g.short_label, height=0.6)
        for i, v in enumerate(values):
            if v >= 7:
                total = picture.total(shown[i].value)
                full = share(round(v), counts[i], total)
                ax.text(
                    left[i] + v / 2,
                    i,
                    full if v >= 22 else f"{v:.0f}%",
                    ha="center",
                    va="center",
                    color=colours.text_on,
                    fontsize=8,
                )
        left = [x + v for x, v in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of councils judged")
    ax.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.35), frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{framework}: outcomes as at {day(published)}", fontsize=10, loc="left")
    return fig


# The lines of the history chart, the overall effectiveness drawn last (on top): colour,
# line style, marker, marker size and drawing order. The points are filled with their grade's
# colour (the one palette), as on the web's timeline; the lines are the site's text colours.
HISTORY_LINES: dict[Area, tuple[str, Literal["-", "--"], str, float, int]] = {
    Area.LEADERSHIP: ("#505a5f", "--", "s", 10.0, 2),
    Area.OVERALL: ("#0b0c0c", "-", "o", 7.0, 3),
}


def year_ticks(first: date, last: date) -> list[int]:
    """Whole years for a time axis, one tick a year: from the start of `first`'s year to
    the end of `last`'s."""
    return list(range(first.year, last.year + 2))


def history_figure(history: Sequence[benchmarking.Facts], council: str) -> Any:
    """The matplotlib figure of history_chart (for its tests to read)."""
    fig, ax = plt.subplots(figsize=(7.0, 2.6))
    order = SCALE_SINCE_2013[::-1]  # worst at the bottom
    handles = []
    for area, (colour, style, marker, size, layer) in HISTORY_LINES.items():
        points = [(f.start, g) for f in history if (g := f.grades.get(area.value)) is not None]
        if not points:
            continue
        xs = [_year_fraction(p[0]) for p in points]
        ys = [4 - p[1].rank for p in points]
        ax.plot(xs, ys, color=colour, linestyle=style, linewidth=1.5, zorder=layer)
        ax.scatter(
            xs,
            ys,
            s=size**2,
            marker=marker,
            c=[GRADE_PALETTE[p[1]].colour for p in points],
            edgecolors=colour,
            linewidths=1.2,
            zorder=layer + 0.5,
        )
        handles.append(
            Line2D(
                [],
                [],
                color=colour,
                linestyle=style,
                marker=marker,
                markersize=size * 0.8,
                markerfacecolor="#ffffff",
                label=JUDGEMENT_LABELS[area],
            )
        )
    starts = [f.start for f in history] or [date.today()]
    ticks = year_ticks(min(starts), max(starts))
    # one tick a year; over many years the labels turn so that each keeps clear of the next
    turned = len(ticks) > 12
    ax.set_xticks(
        ticks,
        [str(t) for t in ticks],
        fontsize=7 if turned else 8,
        rotation=45 if turned else 0,
        ha="right" if turned else "center",
        rotation_mode="anchor",
    )
    ax.set_xlim(min(starts).year - 0.2, max(starts).year + 1.2)
    ax.set_yticks(range(len(order)), [g.short_label for g in order], fontsize=8)
    ax.set_ylim(-0.5, 3.5)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(
        handles=handles[::-1], fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1)
    )
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{council}: grades at each inspection", fontsize=10, loc="left")
    return fig


def _year_fraction(d: date) -> float:
    """A date as a year and the fraction of it gone: 1 July 2020 is about 2020.5."""
    return d.year + (d.timetuple().tm_yday - 1) / (366 if calendar.isleap(d.year) else 365)


def history_chart(history: Sequence[benchmarking.Facts], council: str) -> Chart:
    """The council's overall effectiveness and leaders' impact at each graded inspection."""
    alt = "; ".join(
        f"{FRAMEWORK_LABELS[f.framework]} {f.start:%B %Y}: "
        + (g.short_label if (g := f.grades.get(Area.OVERALL.value)) else "no overall grade")
        for f in history
    )
    return Chart(
        "history_chart",
        f"{council}'s grades at each inspection",
        alt,
        _png(history_figure(history, council)),
        lambda: _svg(history_figure(history, council)),
    )
