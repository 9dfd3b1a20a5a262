"""The whole fake archive: Ofsted's site at real size, for sync to meet what a whole-archive
sync meets.

Every council ofsted-csc knows has a page (158: the 153 of today in the search, the five
abolished ones reached by their URNs), and between them they list about 1,080 publications:
about 470 inspection reports (a SIF inspection each, some SIF re-inspections, one or two ILACS
inspections; Blackpool's, Birmingham's, Bromley's and Rotherham's 2012 reports), about 380
focused visits and about 50 monitoring visits, which sync fetches (about 890), and area SEND and
joint targeted area inspections, which it lists. That is the size public evidence gives the archive
(about 500 inspection listings, about 370 focused visits, monitoring visits, about 160 pages).

REAL: the shape of the site (fakesite.py says which parts); the four 2012 reports' file ids,
which lead to the site's real "Report not found" page with status 200 (served here with that
page: tests/fixtures/bad/html_saved_as.pdf), and Blackpool's 2012 listing date (ASSUMED to be
that document's listing); the two label shapes
seen on council pages ("Children's services inspection", and Hull's 2015 "Single inspection of
LA children's services as pdf - ..."). INVENTED: every other file id, date, label (the letters'
labels: none is known) and document. The documents are small real PDFs in Ofsted's wording
(tests/pdfmake.py), each council's own, read by the parser like any report; their text is
invented.

    site = build_archive()       # a fresh site each call (built in well under a second)
    fetched_kinds(site)           # its publications of the kinds sync fetches, by label
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from tests.pdfmake import GOOD, LABELS, RI, Item, pdf_from_items

from ofsted_csc.domain.councils import Council, CouncilRegistry, load_registry
from ofsted_csc.domain.frameworks import Area
from ofsted_csc.sources.fakesite import FakeCouncil, FakeDoc, FakeSite

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOT_FOUND_PAGE = FIXTURES / "bad" / "html_saved_as.pdf"  # the site's real "Report not found"

INSPECTION = "Children's services inspection"  # SEEN, 2012 to 2026
SIF_AS = "Single inspection of LA children's services"  # SEEN (Hull 2015), " as pdf" form
VISIT = "Children's services focused visit"  # INVENTED
MONITORING = "Children's services monitoring visit"  # INVENTED
JTAI = "Joint targeted area inspection"  # INVENTED
SEND = "Area SEND full inspection"  # INVENTED

# REAL: the 2012 reports that lead to the "Report not found" page (file id -> council URN)
GONE_2012 = {"50004178": "80431", "50004190": "80429", "50004185": "80490", "50004183": "80543"}
# REAL: Blackpool's 2012 listing date (Data to Insight's scrape); ASSUMED: that it is 50004178's
BLACKPOOL_2012 = date(2012, 7, 13)


def _weekday(day: date) -> date:
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day


def _day(start: date, step: int, span_days: int) -> date:
    """A weekday spread `step` places into a span (publication days are weekdays)."""
    return _weekday(start + timedelta(days=(step * 37) % span_days))


def _visit_day(day: date) -> date:
    """A Monday to Thursday whose next day is in the same month (a two-day visit)."""
    while day.isoweekday() > 4 or (day + timedelta(days=1)).month != day.month:
        day += timedelta(days=1)
    return day


FIRST = ("Alex", "Sam", "Jo", "Pat", "Chris", "Robin", "Kim", "Lee", "Nat", "Ali", "Max")
LAST = ("Example", "Specimen", "Sample", "Pattern", "Model", "Instance", "Tester", "Proof")


def _person(serial: int) -> str:
    """An invented inspector's name (one of 88)."""
    return f"{FIRST[serial % len(FIRST)]} {LAST[serial // len(FIRST) % len(LAST)]}"


def _fmt(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def ilacs_report(name: str, start: date, grade: str, serial: int) -> bytes:
    """An ILACS report's first page, in Ofsted's layout and wording (invented council text):
    care leavers judged apart from 2023."""
    end = start + timedelta(days=11)
    grades = {Area.LEADERSHIP: grade, Area.HELP_AND_PROTECTION: grade, Area.IN_CARE: grade}
    if start >= date(2023, 1, 1):
        grades[Area.CARE_LEAVERS] = grade
    items: list[Item] = [
        (f"Inspection of {name} local authority", 72, 720, 26, False),
        ("children’s services", 72, 688, 26, False),
        (f"Inspection dates: {_fmt(start)} to {_fmt(end)}", 72, 634, 12, True),
        (f"Lead inspector: {_person(serial)}, His Majesty’s Inspector", 72, 608, 12, True),
        ("Judgement Grade", 77, 569, 12, True),
    ]
    y = 536.0
    for area, value in grades.items():
        first, second = LABELS[area]
        items += [(first, 77, y, 12, False), (second, 77, y - 16.5, 12, False)]
        items.append((value, 303, y, 12, False))
        y -= 41.5
    items += [("Overall effectiveness", 77, y, 12, False), (grade, 303, y, 12, False)]
    items.append(
        (f"Services for children in {name} are described here ({serial}).", 71, 300, 12, False)
    )
    return pdf_from_items([items], end.strftime("%Y%m%d"))


SIF_ROWS = (
    "1. Children who need help and protection",
    "2. Children looked after and achieving permanence",
    "2.1 Adoption performance",
    "2.2 Experiences and progress of care leavers",
    "3. Leadership, management and governance",
)


def sif_report(name: str, start: date, published: date, good: bool, serial: int) -> bytes:
    """A SIF report's first page (invented council text, Ofsted's wording)."""
    end = start + timedelta(days=24)
    grade, sentence = (
        ("Good", f"Children’s services in {name} are good")
        if good
        else ("Requires improvement", f"Children’s services in {name} require improvement")
    )
    items: list[Item] = [
        (f"{name} Council", 72, 741, 26, False),
        ("Inspection of services for children in need of help and", 72, 707, 14, True),
        ("protection, children looked after and care leavers", 72, 688, 14, True),
        (f"Inspection date: {_fmt(start)} – {_fmt(end)}", 72, 605, 14, False),
        (f"Report published: {_fmt(published)}", 72, 582, 14, False),
        (sentence, 72, 530, 14, True),
        (f"Inspection number {serial}", 72, 510, 10, False),
    ]
    y = 480.0
    for label in SIF_ROWS:
        items += [(label, 77, y, 12, True), (grade, 395, y, 12, False)]
        y -= 27
    return pdf_from_items([items], published.strftime("%Y%m%d"))


ADDRESS = ["~Ofsted", "~Piccadilly Gate", "~Store Street", "~Manchester M1 2WD"]


def letter(name: str, visit: date, kind: str, serial: int) -> bytes:
    """A focused or monitoring visit letter, laid out line by line as Ofsted's are (invented
    council text, Ofsted's wording)."""
    visit = _visit_day(visit)
    second = visit + timedelta(days=1)
    sent = _weekday(visit + timedelta(days=30))
    what = "focused visit" if kind == "focused" else "monitoring visit"
    lines = [
        *ADDRESS,
        _fmt(sent),
        "Ms Jane Example",
        "Director of Children’s Services",
        "Dear Ms Example",
        f"**{what.capitalize()} to {name} children’s services",
        f"This letter summarises the findings of the {what} to {name} children’s",
        f"services on {visit.day} and {_fmt(second)}. The inspectors were Alex",
        f"Sample and {_person(serial)}, His Majesty’s Inspectors.",
        "**Areas covered by the visit",
        "Inspectors reviewed the progress made in the quality of assessments and plans.",
        "This visit was carried out in line with the inspection of local authority children’s",
        "services (ILACS) framework.",
        "**Headline findings",
        "Leaders have made steady progress since the last inspection.",
        "Yours sincerely",
        "Alex Sample",
        "**His Majesty’s Inspector",
    ]
    return pdf_from_items([_letter_items(lines)], sent.strftime("%Y%m%d"))


def _letter_items(lines: Sequence[str]) -> list[Item]:
    items: list[Item] = []
    y = 800.0
    for raw in lines:
        text = raw.lstrip()
        bold = text.startswith("**")
        small = text.startswith("~")
        text = text.lstrip("*~")
        items.append((text, 72.0, y, 9.0 if small else 12.0, bold))
        y -= 30 if bold else 15.6
    return items


def _docs(council: Council, index: int) -> list[FakeDoc]:
    """A council's publications: invented ids (by council and number), dates spread over
    each framework's years, within the council's life."""
    name = council.name
    base = 51_000_000 + index * 100
    docs: list[FakeDoc] = []

    def add(n: int, label: str, published: date, data: bytes | None = None) -> None:
        if council.exists_on(published):
            docs.append(FakeDoc(str(base + n), label, published, data=data or b""))

    good = index % 3 != 0
    # SIF, 2014-17 (re-inspections for some)
    sif = _day(date(2014, 3, 3), index, 3 * 365)
    if council.exists_on(sif - timedelta(days=70)):
        add(1, INSPECTION, sif, sif_report(name, sif - timedelta(days=70), sif, good, base + 1))
    if index % 4 == 3:
        again = _weekday(sif + timedelta(days=400))
        start = again - timedelta(days=70)
        add(2, INSPECTION, again, sif_report(name, start, again, True, base + 2))
    # ILACS, 2018-21, and from 2022 to March 2026 for most
    first = _day(date(2018, 2, 5), index, 3 * 365)
    grade = GOOD if good else RI
    add(3, INSPECTION, first, ilacs_report(name, first - timedelta(days=50), grade, base + 3))
    if index % 5 != 0:
        second = _day(date(2022, 4, 4), index, 3 * 365 + 300)
        add(4, INSPECTION, second, ilacs_report(name, second - timedelta(days=50), GOOD, base + 4))
    # focused visits: two, and a third for some
    for n, (start, span) in enumerate(
        ((date(2019, 1, 7), 420), (date(2021, 9, 6), 500), (date(2024, 6, 3), 500))
    ):
        if n == 2 and index % 2 == 1:
            continue
        visit = _day(start, index, span)
        out = _weekday(visit + timedelta(days=30))
        add(5 + n, VISIT, out, letter(name, visit, "focused", base + 5 + n))
    # monitoring visits of councils judged inadequate
    if index % 12 == 5:
        for n in range(4):
            visit = _weekday(date(2019, 3, 4) + timedelta(days=120 * n + index))
            out = _weekday(visit + timedelta(days=30))
            add(10 + n, MONITORING, out, letter(name, visit, "monitoring", base + 10 + n))
    # listed, never fetched by default: area SEND for every council, a JTAI for some
    add(20, SEND, _day(date(2017, 5, 1), index, 2000))
    if index % 4 == 0:
        add(21, JTAI, _day(date(2018, 9, 3), index, 1500))
    return docs


# Councils that carry the archive's odd listings (by URN)
HULL, NORFOLK, CUMBRIA_OLD_URN = "80477", "80418", "135513"


def build_archive(registry: CouncilRegistry | None = None) -> FakeSite:
    """The whole fake archive, a new FakeSite each call, with what the real site has besides
    the plain listings:

    - REAL: the four 2012 reports that answer with the "Report not found" page and 200;
      Hull's 2015 listing in its " as pdf" form; Norfolk's listing with two spaces after the
      comma (on the real site its 2013 one: here its SIF listing carries the shape).
    - INVENTED, standing for what the real site may have: a label no pattern knows (an
      "assurance visit" of 2020); Cumbria's other URN answering 200 with the not-found page.
    """
    registry = registry or load_registry()
    councils: dict[str, FakeCouncil] = {}
    for index, council in enumerate(sorted(registry.all(), key=lambda c: c.urn)):
        councils[council.urn] = FakeCouncil(
            council.urn,
            f"{council.name} Council",  # INVENTED: the heading's wording
            _docs(council, index),
            in_search=council.abolished is None,
        )
    for file_id, urn in GONE_2012.items():
        published = BLACKPOOL_2012 if urn == "80431" else _day(date(2012, 5, 1), int(urn), 90)
        councils[urn].docs.append(FakeDoc(file_id, INSPECTION, published, data=b""))
    hull_sif = next(d for d in councils[HULL].docs if d.file_id.endswith("01"))
    hull_sif.label = SIF_AS
    hull_sif.described = f"{SIF_AS} as pdf - {hull_sif.published.strftime('%d %B %Y')}"
    norfolk_sif = next(d for d in councils[NORFOLK].docs if d.file_id.endswith("01"))
    norfolk_sif.described = f"{INSPECTION},  pdf - {norfolk_sif.published.strftime('%d %B %Y')}"
    councils[HULL].docs.append(
        FakeDoc("51999901", "Children's services assurance visit", date(2020, 12, 4), data=b"")
    )
    councils[CUMBRIA_OLD_URN] = FakeCouncil(CUMBRIA_OLD_URN, "Cumbria", in_search=False)
    site = FakeSite(councils.values())
    site.soft_missing.add(CUMBRIA_OLD_URN)
    site.not_found_html = NOT_FOUND_PAGE.read_text(encoding="utf-8")
    for file_id in GONE_2012:
        site.gone[file_id] = 200
    return site


def fetched_kinds(site: FakeSite) -> dict[str, list[FakeDoc]]:
    """The archive's publications of the kinds sync fetches by default, by label."""
    out: dict[str, list[FakeDoc]] = {}
    for council in site.councils.values():
        for doc in council.docs:
            if doc.label in (INSPECTION, SIF_AS, VISIT, MONITORING):
                out.setdefault(doc.label, []).append(doc)
    return out
