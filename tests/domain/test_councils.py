"""Councils: the packaged registry, reorganisations, and matching the names reports use."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ofsted_csc.domain.councils import (
    OFSTED_REGIONS,
    ONS_REGIONS,
    Council,
    CouncilNotFound,
    CouncilRegistry,
    load_registry,
    normalise_name,
    strip_council_words,
)
from ofsted_csc.domain.errors import NotFound

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"

# Reference facts (domain.md section 1): URNs and LA codes of reorganised councils.
BCP = ("2532287", "839")
DORSET_UNITARY = ("2532283", "838")
NORTH_NORTHANTS = ("2637539", "940")
WEST_NORTHANTS = ("2637548", "941")
CUMBERLAND = ("2733690", "942")
WESTMORLAND_FURNESS = ("2733698", "943")
POOLE_LA, BOURNEMOUTH_LA, DORSET_COUNTY_LA = "836", "837", "835"
NORTHAMPTONSHIRE_LA, CUMBRIA_LA = "928", "909"


@pytest.fixture(scope="module")
def registry() -> CouncilRegistry:
    return load_registry()


def council(registry: CouncilRegistry, la_code: str) -> Council:
    found = registry.by_code(la_code)
    assert found is not None, la_code
    return found


# --- the packaged data ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "count"),
    [
        (date(2015, 1, 1), 152),
        (date(2019, 3, 31), 152),
        (date(2019, 6, 1), 151),
        (date(2021, 6, 1), 152),
        (date(2024, 1, 1), 153),
    ],
)
def test_number_of_councils_follows_the_reorganisations(
    registry: CouncilRegistry, day: date, count: int
) -> None:
    assert len(registry.existing_on(day)) == count


def test_registry_keeps_abolished_councils(registry: CouncilRegistry) -> None:
    assert len(registry.all()) == 158
    for la_code in (POOLE_LA, BOURNEMOUTH_LA, DORSET_COUNTY_LA, NORTHAMPTONSHIRE_LA, CUMBRIA_LA):
        assert council(registry, la_code).abolished is not None


def test_new_councils_have_their_reference_urns_and_codes(registry: CouncilRegistry) -> None:
    for urn, la_code in (
        BCP,
        DORSET_UNITARY,
        NORTH_NORTHANTS,
        WEST_NORTHANTS,
        CUMBERLAND,
        WESTMORLAND_FURNESS,
    ):
        found = registry.by_urn(urn)
        assert found is not None and found.la_code == la_code
        assert found.created is not None


def test_old_and_new_dorset_are_different_councils(registry: CouncilRegistry) -> None:
    county, unitary = council(registry, DORSET_COUNTY_LA), council(registry, DORSET_UNITARY[1])
    assert county.urn != unitary.urn
    assert county.abolished == unitary.created == date(2019, 4, 1)
    assert county.la_type == "County" and unitary.la_type == "Unitary Authority"
    assert unitary.urn in county.successors and county.urn in unitary.predecessors


@pytest.mark.parametrize(
    ("old", "new", "day"),
    [
        (BOURNEMOUTH_LA, ("839",), date(2019, 4, 1)),
        (POOLE_LA, ("839",), date(2019, 4, 1)),
        (DORSET_COUNTY_LA, ("838", "839"), date(2019, 4, 1)),
        (NORTHAMPTONSHIRE_LA, ("940", "941"), date(2021, 4, 1)),
        (CUMBRIA_LA, ("942", "943"), date(2023, 4, 1)),
    ],
)
def test_reorganisations_link_predecessors_and_successors(
    registry: CouncilRegistry, old: str, new: tuple[str, ...], day: date
) -> None:
    before = council(registry, old)
    assert before.abolished == day
    assert before.exists_on(date.fromordinal(day.toordinal() - 1))
    assert not before.exists_on(day)
    successors = registry.successors_of(before)
    assert sorted(c.la_code for c in successors) == sorted(new)
    for after in successors:
        assert after.created == day and after.exists_on(day)
        assert before in registry.predecessors_of(after)


def test_predecessor_and_successor_links_are_symmetric(registry: CouncilRegistry) -> None:
    for item in registry.all():
        for successor in registry.successors_of(item):
            assert item.urn in successor.predecessors
        for predecessor in registry.predecessors_of(item):
            assert item.urn in predecessor.successors
        assert len(registry.successors_of(item)) == len(item.successors)
        assert len(registry.predecessors_of(item)) == len(item.predecessors)


def test_codes_and_urns_are_unique_and_well_formed(registry: CouncilRegistry) -> None:
    urns = [c.urn for c in registry.all()]
    la_codes = [c.la_code for c in registry.all()]
    gss_codes = [c.gss_code for c in registry.all()]
    assert len(set(urns)) == len(urns)
    assert len(set(la_codes)) == len(la_codes)
    assert len(set(gss_codes)) == len(gss_codes)
    assert all(re.fullmatch(r"\d{3}", code) for code in la_codes)
    assert all(re.fullmatch(r"E(06|08|09|10)\d{6}", code) for code in gss_codes)
    assert all(re.fullmatch(r"\d{5,7}", urn) for urn in urns)


def test_regions_are_normalised(registry: CouncilRegistry) -> None:
    assert len(ONS_REGIONS) == 9 and len(OFSTED_REGIONS) == 8
    for item in registry.all():
        assert item.ons_region in ONS_REGIONS, item
        assert item.ofsted_region in OFSTED_REGIONS, item
    assert {c.ons_region for c in registry.all()} == set(ONS_REGIONS)
    assert {c.ofsted_region for c in registry.all()} == set(OFSTED_REGIONS)
    # Lookup quirks: Medway has no region code, Cumbria 'NotKnown', varying case.
    assert council(registry, "887").ons_region == "South East"
    assert council(registry, CUMBRIA_LA).ons_region == "North West"
    assert council(registry, "372").ons_region == "Yorkshire and The Humber"
    assert council(registry, "372").ofsted_region == "North East, Yorkshire and the Humber"
    assert council(registry, "390").ofsted_region == "North East, Yorkshire and the Humber"


def test_statistical_neighbours_are_councils_in_order(registry: CouncilRegistry) -> None:
    bolton = council(registry, "350")
    assert bolton.stat_neighbours[:3] == ("354", "831", "353")
    assert [c.la_code for c in registry.neighbours_of(bolton)] == list(bolton.stat_neighbours)
    for item in registry.existing_on(date(2024, 1, 1)):
        assert len(item.stat_neighbours) == 10, item
        assert len(registry.neighbours_of(item)) == 10
        assert item.la_code not in item.stat_neighbours


def test_display_names_read_naturally(registry: CouncilRegistry) -> None:
    assert council(registry, "801").name == "Bristol"
    assert council(registry, "801").ons_name == "Bristol, City of"
    assert council(registry, "810").name == "Kingston upon Hull"
    assert council(registry, "839").name == "Bournemouth, Christchurch and Poole"
    assert "BCP" in council(registry, "839").alt_names
    assert "Bournemouth" not in council(registry, "839").alt_names


def test_trusts_are_recorded(registry: CouncilRegistry) -> None:
    assert "Doncaster Children's Services Trust" in council(registry, "371").trusts
    assert "Together for Children" in council(registry, "394").trusts
    for la_code in ("314", "318", "868"):
        assert "Achieving for Children" in council(registry, la_code).trusts
    for la_code in ("928", "940", "941"):
        assert "Northamptonshire Children's Trust" in council(registry, la_code).trusts


def test_load_registry_is_cached_and_not_run_at_import() -> None:
    assert load_registry() is load_registry()
    code = "import ofsted_csc.domain.councils as c; print(c.load_registry.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


# --- lookups by code -----------------------------------------------------------------------


def test_by_code_takes_la_and_gss_codes(registry: CouncilRegistry) -> None:
    assert council(registry, "E06000059").la_code == DORSET_UNITARY[1]
    assert council(registry, "e08000025").name == "Birmingham"
    assert council(registry, "E10000002").name == "Buckinghamshire"  # code before 2020
    assert registry.by_code("999") is None


def test_by_urn(registry: CouncilRegistry) -> None:
    found = registry.by_urn(BCP[0])
    assert found is not None and found.la_code == BCP[1]
    assert registry.by_urn("1") is None


# --- normalising ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stockton-on-Tees", "stockton on tees"),
        ("Stockton\u2011on\u2011Tees", "stockton on tees"),
        ("St. Helens", "st helens"),
        ("Saint Helens", "st helens"),
        ("Telford & Wrekin", "telford and wrekin"),
        ("Durham’s children’s services", "durham children services"),
        ("Royal Borough of Kingston upon \nThames", "royal borough of kingston upon thames"),
        ("Local Safeguarding Children Board1", "local safeguarding children board"),
        ("Northamp\u00adtonshire", "northamptonshire"),
    ],
)
def test_normalise_name(text: str, expected: str) -> None:
    assert normalise_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the London Borough of Tower Hamlets", "tower hamlets"),
        ("Wakefield District Metropolitan Council", "wakefield"),
        ("Bristol, City of", "bristol"),
        ("Inspection of Leeds City local authority children’s services", "leeds"),
        ("County Durham", "durham"),
        ("City of London", "london"),
        ("Council", "council"),
    ],
)
def test_strip_council_words(text: str, expected: str) -> None:
    assert strip_council_words(text) == expected


# --- matching names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "la_code"),
    [
        ("Stockton-on-Tees Borough Council", "808"),
        ("Isle of Wight Council", "921"),
        ("the Royal Borough of Windsor and Maidenhead", "868"),
        ("London Borough of Tower Hamlets", "211"),
        ("Wakefield District Metropolitan Council", "384"),
        ("City of Wolverhampton", "336"),
        ("Tameside metropolitan borough", "357"),
        ("Bradford Children and Families Trust", "380"),
        ("Kingston upon Hull", "810"),
        ("Kingston Upon Hull City Council", "810"),
        ("Hull", "810"),
        ("Leicester City Council", "856"),
        ("Portsmouth City Council", "851"),
        ("Surrey Safeguarding Children Board", "936"),
        ("Sandwell Council", "333"),
        ("City of Bristol", "801"),
        ("Bristol City Council", "801"),
        ("Bristol City of", "801"),
        ("Herefordshire, County of", "884"),
        ("BCP", "839"),
        ("Bournemouth, Christchurch & Poole", "839"),
        ("County Durham", "840"),
        ("Durham County Council", "840"),
        ("St Helens", "342"),
        ("St. Helens Council", "342"),
        ("Telford & Wrekin", "894"),
        ("Hammersmith & Fulham", "205"),
        ("Southend", "882"),
        ("Southend-on-Sea city council", "882"),
        ("Stoke on Trent", "861"),
        ("Royal Borough of Kingston upon \nThames Council", "314"),
        ("Metropolitan Borough of Rotherham", "372"),
        ("Cheshire East Unitary Authority", "895"),
        ("Council of the Isles of Scilly", "420"),
        ("City of London Corporation", "201"),
        ("Bedford Borough", "822"),
        ("Bedford", "822"),
        ("Central Bedfordshire", "823"),
        ("1 Calderdale Metropolitan Council", "381"),
        ("Birmingham Children’s Trust", "330"),
        ("Slough Children First", "871"),
        ("Together for Children", "394"),
        ("Brighter Futures for Children", "870"),
        ("Westmorland & Furness", "943"),
        ("Poole", POOLE_LA),
        ("Bournemouth", BOURNEMOUTH_LA),
        ("Cumbria County Council", CUMBRIA_LA),
    ],
)
def test_match_name_reads_report_headings(
    registry: CouncilRegistry, text: str, la_code: str
) -> None:
    found = registry.match_name(text)
    assert found is not None, text
    assert found.la_code == la_code


@pytest.mark.parametrize("text", ["", "London", "Council", "Achieving for Children", "Narnia"])
def test_match_name_gives_none_for_no_single_council(registry: CouncilRegistry, text: str) -> None:
    assert registry.match_name(text) is None


@pytest.mark.parametrize(
    ("text", "on", "la_code"),
    [
        ("Dorset", date(2017, 5, 1), DORSET_COUNTY_LA),
        ("Dorset", date(2019, 3, 31), DORSET_COUNTY_LA),
        ("Dorset", date(2019, 4, 1), DORSET_UNITARY[1]),
        ("Dorset", None, DORSET_UNITARY[1]),
        ("Dorset County Council", None, DORSET_COUNTY_LA),
        ("Dorset County Council", date(2021, 1, 1), DORSET_UNITARY[1]),
        ("Inspection of Dorset local authority children’s services", date(2018, 1, 1), "835"),
        ("Northamptonshire Children’s Trust", date(2020, 12, 1), NORTHAMPTONSHIRE_LA),
    ],
)
def test_match_name_uses_the_date_for_names_reused_over_time(
    registry: CouncilRegistry, text: str, on: date | None, la_code: str
) -> None:
    found = registry.match_name(text, on)
    assert found is not None and found.la_code == la_code


def test_a_trust_serving_two_councils_names_neither(registry: CouncilRegistry) -> None:
    assert registry.match_name("Northamptonshire Children's Trust", date(2022, 1, 1)) is None


# --- finding a council in a passage ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "la_code"),
    [
        ("Children’s services in Sandwell are inadequate", "333"),
        ("Inspection of Torbay local authority children’s services", "880"),
        ("Children’s services in Central Bedfordshire are good", "823"),
        ("Inspection of North Yorkshire County Council", "815"),
        ("Services in County Durham and in the wider north east", "840"),
        ("Focused visit to Kingston-upon-Hull children’s services", "810"),
        ("Hull City Council, The Guildhall", "810"),
        ("Children in the Wirral", "344"),
        ("Kent County Council, Sessions House, Maidstone", "886"),
        ("Inspection of Bath and North East Somerset local authority", "800"),
        ("Focused visit to Durham’s children’s services", "840"),
        ("Focused visit to Wirral children’s services: the Wirral and Cheshire West", "344"),
        (
            "Ofsted, Piccadilly Gate, Store Street, Manchester M1 2WD. 9 May 2023. "
            "Dear Ms Smith, Focused visit to Wigan children’s services",
            "359",
        ),
        (
            "Ofsted 2 Rivergate, Temple Quay, Bristol BS1 6EH. Somerset County Council, "
            "County Hall, Taunton. Focused visit to Somerset children’s services",
            "933",
        ),
        ("Children’s services in the Royal Borough of Kingston upon \nThames", "314"),
        ("Inspection of City of York Council local authority children’s services", "816"),
    ],
)
def test_find_in_text(registry: CouncilRegistry, text: str, la_code: str) -> None:
    found = registry.find_in_text(text)
    assert found is not None, text
    assert found.la_code == la_code


@pytest.mark.parametrize(
    "text",
    [
        "She moved to New York in 2019.",
        "a Kentish Town project",
        "Bury St Edmunds and Sutton Coldfield are towns, as is Newcastle-under-Lyme.",
        "Inspectors were reading the files; the hull of the ship.",
        "Services across London.",
        "",
    ],
)
def test_find_in_text_ignores_words_that_are_not_councils(
    registry: CouncilRegistry, text: str
) -> None:
    assert registry.find_in_text(text) is None


def test_find_in_text_keeps_names_whole(registry: CouncilRegistry) -> None:
    found = registry.find_in_text("Inspection of Solihull local authority children’s services")
    assert found is not None and found.name == "Solihull"
    found = registry.find_in_text("Inspection of North Northamptonshire local authority")
    assert found is not None and found.la_code == NORTH_NORTHANTS[1]


def test_find_in_text_uses_the_date(registry: CouncilRegistry) -> None:
    text = "Inspection of Dorset local authority children’s services"
    before = registry.find_in_text(text, date(2018, 6, 1))
    after = registry.find_in_text(text, date(2024, 6, 1))
    assert before is not None and before.la_code == DORSET_COUNTY_LA
    assert after is not None and after.la_code == DORSET_UNITARY[1]


# --- lookup for users ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "la_code"),
    [
        (BCP[0], BCP[1]),
        ("839", "839"),
        ("E06000058", "839"),
        ("  bcp ", "839"),
        ("kingston upon hull", "810"),
        ("ST HELENS", "342"),
        ("st-helens", "342"),
        ("Telford and Wrekin Council", "894"),
        ("121939", NORTHAMPTONSHIRE_LA),  # the lookup's URN for Northamptonshire, kept as alias
    ],
)
def test_lookup_accepts_codes_and_names(
    registry: CouncilRegistry, query: str, la_code: str
) -> None:
    assert registry.lookup(query).la_code == la_code


def test_lookup_uses_the_date(registry: CouncilRegistry) -> None:
    assert registry.lookup("Dorset", on=date(2016, 1, 1)).la_code == DORSET_COUNTY_LA
    assert registry.lookup("Dorset").la_code == DORSET_UNITARY[1]


def test_lookup_suggests_close_names(registry: CouncilRegistry) -> None:
    with pytest.raises(NotFound) as caught:
        registry.lookup("Hartlepol")
    error = caught.value
    assert isinstance(error, CouncilNotFound)
    assert error.suggestions[0] == "Hartlepool"
    assert "Hartlepool" in error.message


def test_lookup_suggests_councils_containing_the_words(registry: CouncilRegistry) -> None:
    with pytest.raises(CouncilNotFound) as caught:
        registry.lookup("Northampton")
    assert {"North Northamptonshire", "West Northamptonshire"} <= set(caught.value.suggestions)


def test_lookup_names_the_candidates_when_ambiguous(registry: CouncilRegistry) -> None:
    with pytest.raises(CouncilNotFound) as caught:
        registry.lookup("Achieving for Children")
    assert "Windsor and Maidenhead" in caught.value.message
    assert "Kingston upon Thames" in caught.value.message


@pytest.mark.parametrize("query", ["12345678", "E99999999", "", "zzz"])
def test_lookup_raises_not_found(registry: CouncilRegistry, query: str) -> None:
    with pytest.raises(NotFound):
        registry.lookup(query)


def test_registry_rejects_duplicate_urns() -> None:
    one = Council(urn="1", la_code="100", gss_code="E06000001", name="A", ons_name="A")
    two = Council(urn="1", la_code="101", gss_code="E06000002", name="B", ons_name="B")
    with pytest.raises(ValueError, match="URN 1"):
        CouncilRegistry([one, two])


# --- against the shared reference files and the corpus (skipped without ../shared) ----------


def _needs_shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.mark.corpus
def test_packaged_json_is_up_to_date_with_the_build_script() -> None:
    _needs_shared("reference", "la_lookup.csv")
    spec = importlib.util.spec_from_file_location(
        "build_councils", REPO / "tools" / "build_councils.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    try:
        spec.loader.exec_module(module)
        document, _warnings = module.build(SHARED)
    finally:
        del sys.modules[spec.name]
    packaged = REPO / "src" / "ofsted_csc" / "data" / "councils.json"
    assert json.loads(packaged.read_text(encoding="utf-8")) == document


@pytest.mark.corpus
def test_every_lookup_council_is_in_the_registry(registry: CouncilRegistry) -> None:
    path = _needs_shared("reference", "la_lookup.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            found = registry.by_code(row["la_code"])
            assert found is not None
            assert found.gss_code == row["la_code_new"]
            assert registry.by_urn(row["urn"]) is found


_HEADINGS = (
    re.compile(r"Focused visit to (.+?) (?:children[’']s services|This letter)", re.I),
    re.compile(r"Inspection of looked after children services (.+?) Inspection dates?", re.I),
    re.compile(
        r"^(?:\d+ )?(.+?) (?:Re-?inspection|Reinspection|Inspection|Review) of "
        r"(?:services|children|local authority|the effectiveness)",
        re.I,
    ),
    re.compile(r"Inspection of (?!local authority)(.+?) children[’']s services", re.I),
    # a report titled with the trust that runs the council's services
    re.compile(r"^(?:\d+ )?Inspection of (.+?) Inspection dates?", re.I),
)


def _heading(page_text: str) -> str | None:
    """The council as named in the page-1 heading of a report or letter."""
    flat = " ".join(page_text.split())
    for pattern in _HEADINGS:
        match = pattern.search(flat)
        if match and len(match.group(1)) < 90:
            return match.group(1)
    return None


def _corpus_documents() -> list[tuple[Path, str]]:
    corpus = _needs_shared("corpus")
    documents: list[tuple[Path, str]] = []
    with (corpus / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            documents.append((corpus / "reports" / f"{row['file_id']}.pdf", row["urn"]))
    with (corpus / "letters" / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            documents.append((corpus / "letters" / row["file"], row["urn"]))
    return documents


def _first_page_text(path: Path) -> str | None:
    import pypdfium2 as pdfium

    data = path.read_bytes()
    if not data.startswith(b"%PDF"):
        return None  # a web page saved as .pdf
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        textpage = page.get_textpage()
        text = str(textpage.get_text_range())
        textpage.close()
        page.close()
        return text
    finally:
        pdf.close()


@pytest.mark.corpus
def test_corpus_page_one_names_the_manifest_council(registry: CouncilRegistry) -> None:
    """Every corpus report and letter: the council named on page 1 is the manifest's."""
    documents = _corpus_documents()
    checked = 0
    failures: list[str] = []
    for path, urn in documents:
        text = _first_page_text(path)
        if text is None:
            continue
        checked += 1
        found = registry.find_in_text(text)
        if found is None or found.urn != urn:
            failures.append(f"{path.name}: find_in_text gave {found} for URN {urn}")
        heading = _heading(text)
        if heading is None:
            failures.append(f"{path.name}: no heading found")
            continue
        named = registry.match_name(heading)
        if named is None or named.urn != urn:
            failures.append(f"{path.name}: match_name({heading!r}) gave {named} for URN {urn}")
    assert checked > 500
    assert not failures, f"{len(failures)} of {checked} documents:\n" + "\n".join(failures)
