"""Ofsted's official outcomes built into the package: every new store starts with them, the
switch leaves them out, imports replace an edition, documents take precedence."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, SHARED

from ofsted_csc import api
from ofsted_csc.analytics.benchmarking import Picture
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.frameworks import Area, Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.official import BUNDLE_PATH, OfficialRow, built_in
from ofsted_csc.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
# Ofsted's "as at 31 March 2024": inspections up to 31 March whose reports were published by
# 30 June (LA_Inspection_Outcomes_as_at_31_March_2024.ods, sheet Inspections_31_March_2024).
AS_AT = date(2024, 3, 31)
PUBLISHED_BY = date(2024, 6, 30)
OFFICIAL_COUNTS = {
    Grade.OUTSTANDING: 30,
    Grade.GOOD: 61,
    Grade.REQUIRES_IMPROVEMENT: 43,
    Grade.INADEQUATE: 17,
}


def _overall(picture: Picture) -> dict[Grade, int]:
    return {
        g: getattr(picture.row(Area.OVERALL.value, g.value), "count", 0) for g in OFFICIAL_COUNTS
    }


def test_the_bundle_is_small_and_every_row_names_a_known_council() -> None:
    bundle = built_in()
    assert BUNDLE_PATH.stat().st_size < 400_000
    assert {e.key for e in bundle.editions} == {
        "csc_underlying_data_2023",
        "la_inspection_outcomes_2024",
    }
    registry = load_registry()
    assert all(r.council_urn and registry.by_urn(r.council_urn) for r in bundle.rows)
    assert all(r.built_in for r in bundle.rows)
    by_framework = Counter(r.framework for r in bundle.rows)
    assert set(by_framework) == {Framework.PRE_SIF, Framework.SIF, Framework.ILACS}
    # each edition's row count is what it says
    for e in bundle.editions:
        assert e.rows == sum(1 for r in bundle.rows if r.edition == e.key)
    # SIF rows keep their sub-judgements and the LSCB grade
    sif = [r for r in bundle.rows if r.framework is Framework.SIF and r.kind is Kind.FULL]
    assert len(sif) >= 150
    assert sum(1 for r in sif if Area.ADOPTION.value in r.grades) >= 140
    assert sum(1 for r in sif if Area.LSCB.value in r.grades) >= 140
    # 2009-2013: both kinds of inspection, each with its overall effectiveness
    pre = [r for r in bundle.rows if r.framework is Framework.PRE_SIF]
    assert {r.kind for r in pre} == {Kind.PROTECTION, Kind.LOOKED_AFTER}
    assert all(set(r.grades) <= {Area.OVERALL.value} for r in pre)
    assert sum(1 for r in pre if r.grades) >= 350
    assert min(r.published for r in pre if r.published) < date(2010, 1, 1)
    # ILACS to 31 March 2024, with first days on site where a sheet gives them
    ilacs = [r for r in bundle.rows if r.framework is Framework.ILACS]
    assert max(r.published for r in ilacs if r.published) <= PUBLISHED_BY
    assert all(r.start is None or r.start < r.published for r in ilacs if r.published)
    assert sum(1 for r in ilacs if r.start) >= 150


@pytest.mark.skipif(
    not (SHARED / "official").is_dir(), reason="Ofsted's spreadsheets (../shared) not here"
)
def test_the_bundle_is_what_the_build_tool_makes_of_the_spreadsheets() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_official.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_new_store_has_the_national_picture_of_31_march_2024(db_url: str) -> None:
    with Store.open(db_url, bundled=True) as store:
        picture = api.national(store, as_at=AS_AT, published_by=PUBLISHED_BY)
        registry = load_registry()
        existing = registry.existing_on(AS_AT)
        assert picture.councils == len(existing)
        assert picture.inspected == 151
        assert _overall(picture) == OFFICIAL_COUNTS
        # the official rows come from the built-in statistics, and say so
        about = api.about(store)
        assert about.bundled and about.from_documents == 0 and about.from_imports == 0
        assert about.from_built_in > 700
        assert {e.key for e in about.built_in_editions} == {e.key for e in built_in().editions}


def test_the_switch_leaves_the_built_in_rows_out(db_url: str) -> None:
    with Store.open(db_url) as store:  # OFSTED_CSC_BUNDLED=0 (tests/conftest.py)
        assert not store.bundled
        assert store.official_rows() == []
        assert api.national(store, as_at=AS_AT).inspected == 0
        assert api.about(store).editions == ()
    with Store.open(db_url, bundled=True) as store:  # the same database: nothing was written
        assert len(store.official_rows()) == len(built_in().rows)
        assert store.imported_official_rows() == []


def test_the_cli_says_where_figures_come_from_and_obeys_the_switch(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"

    def about(*flags: str, bundled: str) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-m", "ofsted_csc", "--db", url, *flags, "about", "--json"],
            capture_output=True,
            text=True,
            env={**_env(), "OFSTED_CSC_BUNDLED": bundled},
        )
        assert done.returncode == 0, done.stderr
        result: dict[str, object] = json.loads(done.stdout)
        return result

    on = about(bundled="1")
    assert on["bundled"] is True
    assert [e["built_in"] for e in on["editions"]] == [True, True]  # type: ignore[index,union-attr]
    assert on["benchmark_inspections"]["from_built_in_statistics"] > 700  # type: ignore[index]
    off = about("--no-bundled", bundled="1")
    assert off["bundled"] is False and off["editions"] == []
    assert about(bundled="0")["editions"] == []


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "OFSTED_CSC_BUNDLED"}


def test_an_import_of_an_edition_replaces_the_built_in_rows_of_that_edition(db_url: str) -> None:
    with Store.open(db_url, bundled=True) as store:
        mine = [r for r in built_in().rows if r.edition == "la_inspection_outcomes_2024"][:3]
        imported = [
            OfficialRow(
                source_file="newer.ods",
                sha256="ab" * 32,
                edition=r.edition,
                sheet=r.sheet,
                row=r.row,
                block=r.block,
                council_name=r.council_name,
                council_urn=r.council_urn,
                framework=r.framework,
                kind=r.kind,
                ordinal=r.ordinal,
                published=r.published,
                grades=dict(r.grades),
                start=r.start,
            )
            for r in mine
        ]
        store.replace_official(imported, "la_inspection_outcomes_2024")
        rows = store.official_rows()
        of_2024 = [r for r in rows if r.edition == "la_inspection_outcomes_2024"]
        assert [(r.source_file, r.built_in, r.start) for r in of_2024] == [
            ("newer.ods", False, r.start) for r in mine
        ]
        assert any(r.built_in for r in rows if r.edition == "csc_underlying_data_2023")
        about = api.about(store)
        held = {e.key: e.built_in for e in about.editions}
        assert held == {"csc_underlying_data_2023": True, "la_inspection_outcomes_2024": False}


def test_history_goes_back_to_2009_and_documents_take_precedence(tmp_path: Path) -> None:
    """The README's first command's steps on a fresh store: the sample documents ingested
    over the built-in statistics. Every council that existed on 31 March 2024 is in the
    national picture with Ofsted's counts, on the command line's API and the web's."""
    url = f"sqlite:///{tmp_path / 'first-run.sqlite'}"
    with Store.open(url, bundled=True) as store:
        summary = api.ingest(store, [FIXTURES / "reports", FIXTURES / "letters"])
        assert summary.stored and not summary.review
        picture = api.national(store, as_at=AS_AT, published_by=PUBLISHED_BY)
        assert picture.inspected == 151
        assert _overall(picture) == OFFICIAL_COUNTS
        about = api.about(store)
        assert about.from_documents > 0 and about.from_built_in > 0
        # a report stored and an official row of the same inspection count once: every
        # stored report is a fact, and the official rows fill only what no report covers
        facts = api.facts(store)
        reports = [f for f in facts if not f.source.startswith("official:")]
        assert len(reports) == about.from_documents
        assert len(facts) == about.from_documents + about.from_built_in
        assert len(facts) < about.from_documents + len(api.facts(Store.open(url, bundled=True)))
        # each council's history reaches back before the SIF
        profile, _letters = api.council_profile(store, "Barnet", date(2024, 3, 31))
        assert profile.history[0].framework is Framework.PRE_SIF
        assert profile.history[0].start.year < 2013
        assert [f.framework for f in profile.history][-1] is Framework.ILACS

    from ofsted_csc import config
    from ofsted_csc.web.app import Settings, create_app

    config.use(config.current().with_(bundled=True))
    try:
        app = create_app(Settings(db_url=url))
        client = app.test_client()
        got = client.get(f"/api/national?as_at={AS_AT}&published_by={PUBLISHED_BY}").get_json()
        about_page = client.get("/about").get_data(as_text=True)
    finally:
        config.use(None)
    assert got["inspected"] == 151
    overall = {r["grade"]: r["count"] for r in got["rows"] if r["judgement"] == Area.OVERALL.value}
    assert {g: overall[g.value] for g in OFFICIAL_COUNTS} == OFFICIAL_COUNTS
    assert "Built in" in about_page and "Local authority inspection outcomes" in about_page


def test_a_report_before_the_sif_matches_the_row_of_its_own_kind() -> None:
    """A 2009-12 SLAC visit gives two official rows on one date (safeguarding, looked after
    children): a stored looked after children report is the second, never the first, and the
    first still counts as an inspection of its own."""
    from ofsted_csc.analytics.benchmarking import Facts
    from ofsted_csc.analytics.reconcile import fill, match

    slac = [r for r in built_in().rows if r.block.startswith("SLAC ") and r.grades]
    by_visit: dict[tuple[str | None, date | None], list[OfficialRow]] = {}
    for r in slac:
        by_visit.setdefault((r.council_urn, r.published), []).append(r)
    pair = next(rows for rows in by_visit.values() if len(rows) == 2)
    looked_after = next(r for r in pair if r.kind is Kind.LOOKED_AFTER)
    assert looked_after.council_urn and looked_after.published
    report = Facts(
        council_urn=looked_after.council_urn,
        framework=Framework.PRE_SIF,
        kind=Kind.LOOKED_AFTER,
        start=looked_after.published,
        published=looked_after.published,
        grades=dict(looked_after.grades),
        source="report.pdf",
    )
    matches = match(pair, [report])
    paired = {m.official.kind: m.facts for m in matches}
    assert paired == {Kind.LOOKED_AFTER: report, Kind.PROTECTION: None}
    filled = fill(matches)
    assert [(f.framework, f.kind) for f in filled] == [(Framework.PRE_SIF, Kind.PROTECTION)]
