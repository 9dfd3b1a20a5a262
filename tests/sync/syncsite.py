"""The test site of the sync tests: four councils serving fixture PDFs.

Hull's two reports are listed as Ofsted lists them (tests/fixtures/site/README.md): the 2026
report on 18 May 2026, the 2015 one as "Single inspection of LA children's services as pdf -
10 February 2015". The other listings (labels, dates, file ids) are INVENTED, as is
Northamptonshire's, which stands for the 2012 reports that lead to the site's real "Report
not found" page (served with 200, as those do)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ofsted_csc.domain.councils import CouncilRegistry, load_registry
from ofsted_csc.sources.fakesite import FakeCouncil, FakeDoc, FakeSite
from ofsted_csc.sources.http import Fetcher, Politeness

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPORTS = FIXTURES / "reports"

INSPECTION = "Children's services inspection"
SIF_LABEL = "Single inspection of LA children's services"  # Hull's 2015 listing (real)
VISIT = "Children's services focused visit"  # INVENTED: no focused visit's label is known
NOT_FOUND_PAGE = FIXTURES / "bad" / "html_saved_as.pdf"  # the site's real "Report not found"

# URNs of the councils on the test site: three in the search, one abolished (not listed)
HULL, OLDHAM, NORTH_NORTHANTS, NORTHANTS = "80477", "80535", "2637539", "80531"


def report(file_id: str, published: date) -> FakeDoc:
    return FakeDoc(file_id, INSPECTION, published, path=REPORTS / f"{file_id}.pdf")


def make_site() -> FakeSite:
    site = FakeSite(
        [
            FakeCouncil(
                HULL,
                "Kingston upon Hull City Council",
                [
                    FakeDoc(
                        "50000289",
                        SIF_LABEL,
                        date(2015, 2, 10),
                        path=REPORTS / "50000289.pdf",
                        described=f"{SIF_LABEL} as pdf - 10 February 2015",
                    ),
                    report("50301678", date(2026, 5, 18)),
                    FakeDoc(
                        "50180002",
                        "Joint targeted area inspection",
                        date(2022, 3, 2),
                        path=FIXTURES / "bad" / "other_subject.pdf",
                    ),
                ],
            ),
            FakeCouncil(
                OLDHAM,
                "Oldham Metropolitan Borough Council",
                [report("50004301", date(2015, 8, 3)), report("50059651", date(2019, 3, 4))],
            ),
            FakeCouncil(
                NORTH_NORTHANTS,
                "North Northamptonshire Council",
                [
                    FakeDoc(
                        "50260001",
                        VISIT,
                        date(2024, 11, 20),
                        path=FIXTURES / "letters" / "fv-6de9795973c9.pdf",
                    )
                ],
            ),
            FakeCouncil(
                NORTHANTS,
                "Northamptonshire County Council",
                [FakeDoc("50100009", INSPECTION, date(2012, 7, 13), data=b"")],
                in_search=False,
            ),
        ]
    )
    site.gone["50100009"] = 200  # its document is gone: the not-found page, with 200
    site.not_found_html = NOT_FOUND_PAGE.read_text(encoding="utf-8")
    return site


def site_registry() -> CouncilRegistry:
    """The councils of the test site (a full registry would try every council's page)."""
    wanted = {HULL, OLDHAM, NORTH_NORTHANTS, NORTHANTS}
    return CouncilRegistry(c for c in load_registry().all() if c.urn in wanted)


def fetcher_for(site: FakeSite, **politeness: float) -> Fetcher:
    settings = {"delay": 0.0, "backoff": 0.0, **politeness}
    return Fetcher(Politeness(**settings), site.client(), sleep=lambda s: None)  # type: ignore[arg-type]
