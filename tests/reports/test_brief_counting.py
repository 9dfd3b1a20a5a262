"""A brief's figures as Ofsted counts them, over the built-in official statistics: sentences and
tables from the same rows, nothing published after the brief's date, every grade shown, the
official publication date, a calendar or a financial year."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime

import docx
import pytest
from tests.conftest import FIXTURES

from ofsted_csc import api
from ofsted_csc.analytics import benchmarking
from ofsted_csc.api import briefs
from ofsted_csc.domain.grades import Grade
from ofsted_csc.reports.briefs.content import table_grade
from ofsted_csc.storage import Store

HULL_SIF = "50000289.pdf"  # SIF, published 3 February 2015


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = tmp_path_factory.mktemp("brief-counting") / "b.sqlite"
    s = Store.open(f"sqlite:///{db}", bundled=True)
    api.ingest(s, [FIXTURES / "reports" / HULL_SIF, FIXTURES / "dated"])
    yield s
    s.close()


def _text_and_tables(b: briefs.Brief) -> tuple[str, dict[str, list[list[str]]]]:
    d = docx.Document(io.BytesIO(briefs.brief_docx(b)))
    text = "\n".join(p.text for p in d.paragraphs)
    tables = {}
    for t in d.tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        tables[rows[0][0] + "|" + rows[0][1]] = rows
    return text, tables


def _rank(label: str) -> int:
    return next(g.rank for g in Grade if table_grade(g) == label)


@pytest.mark.parametrize(
    ("basis", "heading", "period"),
    [
        ("calendar", "Inspections published in 2015 so far", (date(2015, 1, 1), date(2015, 6, 30))),
        (
            "financial",
            "Inspections published in the financial year 2014-15",
            (date(2014, 4, 1), date(2015, 3, 31)),
        ),
    ],
)
def test_the_same_year_sentence_and_table_are_one_set_of_rows(
    store: Store, basis: str, heading: str, period: tuple[date, date]
) -> None:
    as_at = date(2015, 6, 30)
    b = briefs.build_brief(store, "Kingston upon Hull", HULL_SIF, as_at, year_basis=basis)
    text, tables = _text_and_tables(b)
    assert heading in text
    table = tables["Council|Region"]
    head, body = table[0], table[1:]
    assert head[:4] == ["Council", "Region", "Framework", "Published"]
    published = [datetime.strptime(r[3], "%d %b %Y").date() for r in body]
    assert all(period[0] <= d <= period[1] and d <= as_at for d in published)
    assert len(body) == len({r[0] for r in body}) > 10  # each council once
    overall = head.index("Overall effectiveness")
    mine = next(r for r in body if r[0] == "Kingston upon Hull")
    others = [r for r in body if r is not mine and r[overall] != "–"]
    better = [r for r in others if _rank(r[overall]) <= _rank(mine[overall])]
    said = re.search(
        r"Of the (\d+) other councils with inspections published ([^,]+), (.*)\.", text
    )
    assert said, text
    assert int(said.group(1)) == len(others)
    assert said.group(2) == heading.removeprefix("Inspections published ")
    if len(better) > 5:  # counted
        assert said.group(3).startswith(f"{len(better)} have equalled or bettered")
    else:  # named, every one
        assert all(r[0] in said.group(3) for r in better)
    # the table's caption counts the same councils
    caption = next(
        t.caption for s in b.sections for t in s.blocks if getattr(t, "key", "") == "same_year"
    )
    assert caption.endswith(f": {len(body)} councils")


def test_the_national_table_counts_inspections_and_every_grade_is_shown(store: Store) -> None:
    as_at = date(2015, 6, 30)
    b = briefs.build_brief(store, "Kingston upon Hull", HULL_SIF, as_at)
    text, tables = _text_and_tables(b)
    picture = benchmarking.national_picture(
        api.facts(store), api.snapshot(store).registry, date(2015, 2, 3), round="sif"
    )
    assert f"Ofsted had published {picture.inspections} inspections of {picture.inspected}" in text
    national = tables["Judgement|Outstanding"]
    assert national[0][-1] == "Inspections judged"
    assert national[1][-1] == str(picture.total("overall_effectiveness"))
    # every council graded is in one of the rows: they add up, and so do the percentages
    region = tables["Grade|Yorkshire and The Humber"]
    england = [int(r[2].split(" ")[0]) for r in region[1:-1]]
    assert sum(england) == int(region[-1][2])
    percents = [float(m.group(1)) for r in region[1:-1] if (m := re.search(r"\((.*)%\)", r[2]))]
    assert abs(sum(percents) - 100) < 0.3


def test_the_official_publication_date_is_the_briefs(store: Store) -> None:
    b = briefs.build_brief(store, "North Yorkshire", "2018-07-02", date(2018, 9, 1))
    text, _tables = _text_and_tables(b)
    assert "report published 6 August 2018" in b.subtitle
    assert "published its report on 6 August 2018" in text
    assert "14 August" not in text


def test_a_grade_from_before_2013_is_shown_not_dropped() -> None:
    from ofsted_csc.analytics.benchmarking import Picture, PictureRow
    from ofsted_csc.reports.briefs.content import picture_grades

    def picture(adequate: int) -> Picture:
        p = Picture(date(2016, 9, 28), date(2016, 9, 28), 152, 152)
        p.rows = [
            PictureRow("overall_effectiveness", g.value, n, None, 152)
            for g, n in ((Grade.GOOD, 151 - adequate), (Grade.ADEQUATE, adequate))
        ]
        return p

    assert Grade.ADEQUATE not in picture_grades(picture(0))
    shown = picture_grades(picture(0), picture(1))
    assert shown == [
        Grade.OUTSTANDING,
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
        Grade.ADEQUATE,
        Grade.INADEQUATE,
    ]


def test_the_brief_links_to_the_report_on_ofsteds_website(store: Store) -> None:
    from dataclasses import replace

    from ofsted_csc.storage.web import KnownPublication

    b = briefs.build_brief(store, "North Yorkshire", "2018-07-02", date(2018, 9, 1))
    text, _tables = _text_and_tables(b)
    # no sync has seen it: the council's page of reports
    assert "North Yorkshire's reports and letters on Ofsted's website: " in text
    assert "https://reports.ofsted.gov.uk/provider/44/80530" in text
    # where a sync has its listing: the listing's own address
    snap = api.snapshot(store)
    sha = b.inspection.result.source.sha256
    listed = KnownPublication(
        "50010311", "80530", "Children's services inspection", "report", date(2018, 8, 6),
        "https://files.ofsted.gov.uk/v1/file/50010311", "stored", sha, None, None, None,
    )  # fmt: skip
    with_listing = replace(snap, listings={sha: listed})
    b2 = briefs.build_brief(
        store, "North Yorkshire", "2018-07-02", date(2018, 9, 1), snapshot=with_listing
    )
    text2, _ = _text_and_tables(b2)
    assert (
        "The report on Ofsted's website (Children's services inspection, published 6 August "
        "2018): https://files.ofsted.gov.uk/v1/file/50010311" in text2
    )
