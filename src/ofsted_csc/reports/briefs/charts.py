"""The brief's charts as PNG images (matplotlib, no screen): drawn from the same figures as
its tables."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt

from ofsted_csc.analytics import benchmarking
from ofsted_csc.domain.frameworks import FRAMEWORK_LABELS, JUDGEMENT_LABELS, Area
from ofsted_csc.domain.grades import GRADE_PALETTE, SCALE_SINCE_2013
from ofsted_csc.reports.briefs.content import PICTURE_GRADES, Chart, day


def _png(fig: object) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    return buf.getvalue()


def picture_chart(
    picture: benchmarking.Picture, areas: Sequence[Area], published: date, framework: str
) -> Chart:
    """Share of councils by grade for each judgement: one stacked bar a judgement."""
    shown = [a for a in areas if picture.total(a.value)]
    fig, ax = plt.subplots(figsize=(7.0, 0.55 * max(len(shown), 1) + 1.2))
    labels = [JUDGEMENT_LABELS[a] for a in shown]
    left = [0.0] * len(shown)
    for g in PICTURE_GRADES:
        values = []
        for a in shown:
            r = picture.row(a.value, g.value)
            values.append(r.percent if r and r.percent else 0.0)
        colours = GRADE_PALETTE[g]  # the one palette: the web's tags and charts use it too
        ax.barh(labels, values, left=left, color=colours.colour, label=g.short_label, height=0.6)
        for i, v in enumerate(values):
            if v >= 7:
                ax.text(
                    left[i] + v / 2,
                    i,
                    f"{v:.0f}%",
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
    alt = "; ".join(
        f"{JUDGEMENT_LABELS[a]}: "
        + ", ".join(
            f"{g.short_label} {r.percent:.1f}%"
            for g in PICTURE_GRADES
            if (r := picture.row(a.value, g.value)) is not None and r.percent is not None
        )
        for a in shown
    )
    return Chart("national_chart", f"{framework} outcomes by judgement", alt, _png(fig))


def history_chart(history: Sequence[benchmarking.Facts], council: str) -> Chart:
    """The council's overall effectiveness (or leaders' impact) at each graded inspection."""
    fig, ax = plt.subplots(figsize=(7.0, 2.6))
    order = SCALE_SINCE_2013[::-1]  # worst at the bottom
    for area, marker in ((Area.OVERALL, "o"), (Area.LEADERSHIP, "s")):
        points = [
            (f.start, 4 - g.rank) for f in history if (g := f.grades.get(area.value)) is not None
        ]
        if points:
            ax.plot(
                mdates.date2num([p[0] for p in points]),  # type: ignore[no-untyped-call]
                [p[1] for p in points],
                marker=marker,
                label=JUDGEMENT_LABELS[area],
                linewidth=1.5,
            )
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    ax.set_yticks(range(len(order)), [g.short_label for g in order], fontsize=8)
    ax.set_ylim(-0.5, 3.5)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{council}: grades at each inspection", fontsize=10, loc="left")
    alt = "; ".join(
        f"{FRAMEWORK_LABELS[f.framework]} {f.start:%B %Y}: "
        + (g.short_label if (g := f.grades.get(Area.OVERALL.value)) else "no overall grade")
        for f in history
    )
    return Chart("history_chart", f"{council}'s grades at each inspection", alt, _png(fig))
