"""The test site of the sync tests: four councils serving fixture PDFs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ofsted_csc.domain.councils import CouncilRegistry, load_registry
from ofsted_csc.sources.fakesite import FakeCouncil, FakeDoc, FakeSite
from ofsted_csc.sources.http import Fetcher, Politeness

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPORTS = FIXTURES / "reports"

INSPECTION = "Children's services inspection"
VISIT = "Children's services focused visit"

# URNs of the councils on the test site: three in the search, one abolished (not listed)
HULL, OLDHAM, NORTH_NORTHANTS, NORTHANTS = "80477", "80535", "2637539", "80531"


def report(file_id: str, published: date) -> FakeDoc:
    return FakeDoc(file_id, INSPECTION, published, path=REPORTS / f"{file_id}.pdf")


def make_site() -> FakeSite:
    return FakeSite(
        [
            FakeCouncil(
                HULL,
                "Kingston upon Hull City Council",
                [
                    report("50000289", date(2015, 2, 3)),
                    report("50301678", date(2026, 5, 12)),
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
                [
                    FakeDoc(
                        "50100009",
                        INSPECTION,
                        date(2019, 5, 1),
                        path=FIXTURES / "bad" / "html_saved_as.pdf",
                    )
                ],
                in_search=False,
            ),
        ]
    )


def site_registry() -> CouncilRegistry:
    """The councils of the test site (a full registry would try every council's page)."""
    wanted = {HULL, OLDHAM, NORTH_NORTHANTS, NORTHANTS}
    return CouncilRegistry(c for c in load_registry().all() if c.urn in wanted)


def fetcher_for(site: FakeSite, **politeness: float) -> Fetcher:
    settings = {"delay": 0.0, "backoff": 0.0, **politeness}
    return Fetcher(Politeness(**settings), site.client(), sleep=lambda s: None)  # type: ignore[arg-type]
