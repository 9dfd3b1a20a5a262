"""The theme classifier: the taxonomy is whole, reasons are the text's own words, masks keep
look-alike phrases out, and the held-out labels are met."""

from __future__ import annotations

from pathlib import Path

from ofsted_csc.themes import Classifier, classify, load_taxonomy
from ofsted_csc.themes.evaluation import (
    gold_themes,
    macro_f1,
    micro,
    read_labels,
    scores,
    two_passes,
)

LABELS = Path(__file__).resolve().parent / "labels.tsv"


def _labels() -> list[dict[str, str]]:
    return read_labels(LABELS)


def test_the_taxonomy_has_two_levels_and_every_labelled_theme() -> None:
    taxonomy = load_taxonomy()
    assert 25 <= len(taxonomy.themes) <= 40
    assert 4 <= len(taxonomy.groups) <= 8
    assert all(t.definition and t.name and (t.rules.any or t.rules.all) for t in taxonomy.themes)
    # every theme has real examples, and its own rules find it in them
    for t in taxonomy.themes:
        assert t.examples, t.id
        assert all(t.id in {m.theme for m in classify(e)} for e in t.examples), t.id
    used = {theme for row in _labels() for theme in row["themes"].split()} - {"-"}
    assert used <= {t.id for t in taxonomy.themes}


def test_at_least_300_items_across_frameworks_and_years_are_labelled() -> None:
    rows = _labels()
    assert len(rows) >= 300
    assert {r["framework"] for r in rows} >= {"pre_sif", "sif", "ilacs", "letter"}
    assert len({r["year"] for r in rows}) >= 8
    assert {r["split"] for r in rows} == {"tune", "test"}


def test_the_split_is_by_document_so_no_test_document_has_a_tune_item() -> None:
    splits: dict[str, set[str]] = {}
    for r in _labels():
        splits.setdefault(r["id"].split(":")[0], set()).add(r["split"])
        splits.setdefault(r["file"], set()).add(r["split"])
    assert [d for d, found in splits.items() if len(found) > 1] == []


def test_the_held_out_labels_are_met_no_worse_than_measured() -> None:
    """Rules and model on the 740 held-out items: macro-F1 0.870, micro 0.88 at taxonomy 2026.12.7
    (the issue's goal is 0.92 and 0.90); the rules alone 0.848 and 0.85."""
    rows = [r for r in _labels() if r["split"] == "test"]
    gold = [gold_themes(r) for r in rows]
    clf = Classifier()
    themes = [t.id for t in clf.taxonomy.themes]
    both = scores(gold, [{m.theme for m in clf.classify(r["text"])} for r in rows], themes)
    macro, counted = macro_f1(both)
    assert counted >= 30
    assert macro >= 0.85 and micro(both).f1 >= 0.86
    # the figures the themes page gives its readers are these
    measured = clf.taxonomy.measured
    assert measured is not None and measured.items == len(rows)
    assert round(micro(both).precision, 2) == measured.precision
    assert round(micro(both).recall, 2) == measured.recall
    alone = scores(gold, [{m.theme for m in clf.rule_matches(r["text"])} for r in rows], themes)
    assert macro > macro_f1(alone)[0] and micro(both).f1 > micro(alone).f1


def test_scores_count_as_worked_by_hand() -> None:
    gold = [{"a"}, {"a", "b"}, set(), {"b"}]
    predicted = [{"a"}, {"a"}, {"b"}, {"b"}]
    a, b = scores(gold, predicted, ["a", "b"])
    assert (a.precision, a.recall, a.f1) == (1.0, 1.0, 1.0)
    assert (b.true_positives, b.false_positives, b.false_negatives) == (1, 1, 1) and b.f1 == 0.5
    assert macro_f1([a, b], min_support=2) == (0.75, 2)
    assert macro_f1([a, b], min_support=3) == (0.0, 0)


def test_the_two_passes_are_read_from_the_disagreement_written_down() -> None:
    row = {
        "themes": "iro management_oversight",
        "disagreement": "round 2026-12d review kept (pass A: iro management_oversight; "
        "pass B: iro management_oversight plans; third reading: A)",
    }
    assert two_passes(row) == (
        {"iro", "management_oversight"},
        {"iro", "management_oversight", "plans"},
    )
    none = {"themes": "-", "disagreement": "pass A: -; pass B: plans; pass C: -; majority"}
    assert two_passes(none) == (set(), {"plans"})
    agreed = {"themes": "missing", "disagreement": ""}
    assert two_passes(agreed) == ({"missing"}, {"missing"})
    # every disagreement the labels file writes down as two passes is read as two passes that
    # differ, and the label decided is no theme outside both of them
    for r in _labels():
        if "pass A:" in r["disagreement"]:
            a, b = two_passes(r)
            assert a != b, r["id"]
            assert gold_themes(r) <= a | b, r["id"]


def test_reasons_are_the_phrases_that_matched() -> None:
    matches = {
        m.theme: m
        for m in classify(
            "The quality and frequency of supervision, and the timeliness of return home interviews."
        )
    }
    assert set(matches) == {"management_oversight", "missing"}
    assert matches["management_oversight"].reasons == ("supervision",)
    assert matches["missing"].reasons == ("return home interviews",)


def test_masked_phrases_do_not_count() -> None:
    # health assessments are health, not the assessments theme; pathway plans are care leavers'
    themes = {
        m.theme
        for m in classify("The timeliness of health assessments and the quality of pathway plans.")
    }
    assert "assessments" not in themes and "plans" not in themes
    assert {"health", "care_leavers_pathway"} <= themes


def test_a_general_care_leavers_item_falls_back_to_pathway_and_support_only_when_nothing_specific_matched() -> (
    None
):
    assert [m.theme for m in classify("The corporate parent response to care leavers.")] == [
        "corporate_parenting",
        "care_leavers_pathway",
    ]
    # the fallback is the rules' own: with a specific theme matched, no pathway and support
    text = "Support for care leavers to find apprenticeships."
    assert {m.theme for m in Classifier(model=None).classify(text)} == {"care_leavers_eet"}
    # the model may still add pathway and support from the words "support for care leavers"
    # (labelled items such as "Support for care leavers to access education, employment and
    # training and to develop skills to live independently" have both)
    assert "care_leavers_eet" in {m.theme for m in classify(text)}


def test_text_with_no_theme_gets_none() -> None:
    assert classify("Ensure that the council's website is updated.") == []


def test_words_inside_other_words_do_not_match() -> None:
    # found by reading Barnet's 2017 report: "incorporate" is not "corporate"
    assert "leadership" not in {m.theme for m in classify("Incorporate their wishes and feelings.")}
    assert "health" not in {m.theme for m in classify("Fundamental and environmental factors.")}
    assert "health" not in {
        m.theme for m in classify("Children who are victims of emotional abuse.")
    }


def test_young_people_leaving_care_told_their_entitlements_is_the_entitlements_theme() -> None:
    # found by reading Bedford's 2017 report
    themes = {
        m.theme
        for m in classify(
            "Ensure that children looked after and young people leaving care are fully informed of their entitlements."
        )
    }
    assert "care_leavers_entitlements" in themes


# Items of round 2026-12f (the LOOK half of its documents, tools/themes_rules_dev.py) that the
# rules of 2026.12.6 got wrong, with the themes they were labelled with; the rules alone are
# checked (the model may add or drop a theme on its own).
_RULES_2026_12_7 = [
    # children placed with relatives or friends, sibling assessments: the family network
    (
        "Ensure that when children are placed with relatives or friends, all necessary "
        "assessments are completed and presented to fostering panel within the required "
        "timescales.",
        {"family_network"},
        set(),
    ),
    (
        "Ensure that all permanence decisions for brothers or sisters are informed by a formal "
        "together or apart assessment.",
        {"family_network", "permanence"},
        set(),
    ),
    # not returning home is not the family network's reunification
    (
        "When a decision has been made that children will not be returning home, ensure that "
        "life story work is undertaken promptly, so that children can understand the reasons "
        "for this decision and be well prepared for their future.",
        {"life_story"},
        {"family_network"},
    ),
    # a mask for "foster carers to" hid the recruitment of foster carers
    (
        "Recruit and retain sufficient numbers of foster carers to meet the needs of young "
        "people with complex needs.",
        {"sufficiency"},
        set(),
    ),
    # staying put with former foster carers is care leavers' accommodation, not sufficiency
    (
        "Ensure that an effective ‘staying put’ policy makes it possible for more young people "
        "to live with their former foster carers beyond the age of 18 years.",
        {"care_leavers_accommodation"},
        {"sufficiency"},
    ),
    (
        "Implement, monitor and review the 16+ accommodation strategy and engage with "
        "providers, district and borough councils to drive improvements. (Paragraph 106)",
        {"care_leavers_accommodation"},
        set(),
    ),
    # work placements are employment, not accommodation
    (
        "Care leavers who wish to seek education, employment and training should be better "
        "supported to access these services, so that young people can choose the best option "
        "for them. This is particularly necessary for employment, through the provision of "
        "schemes such as work placements or vocational training.",
        {"care_leavers_eet"},
        {"care_leavers_accommodation", "sufficiency"},
    ),
    # the emergency duty team is the front door; senior managers' access is not leadership
    (
        "Senior management access and support in emergency duty decision-making.",
        {"front_door"},
        {"leadership"},
    ),
    # "leaders ... need to ensure" what the item is about: that is the item's theme
    (
        "Senior leaders and managers need to ensure that when children and young people are "
        "referred to children’s social care they are seen and assessed swiftly, so that their "
        "safety is secured.",
        {"front_door"},
        {"leadership"},
    ),
    (
        "Ensure that the virtual school has the capacity to drive improvement for all children "
        "looked after.",
        {"education"},
        {"leadership"},
    ),
    (
        "Ensure all local authority elected members understand and effectively undertake their "
        "role as a corporate parent.",
        {"corporate_parenting"},
        {"leadership"},
    ),
    # practice overall is not practice for one group, nor what an audit tool measures
    (
        "The consistency of the quality of practice for all care leavers.",
        {"care_leavers_pathway"},
        {"practice_quality"},
    ),
    (
        "Develop a multi-agency audit tool and programme to measure the quality of practice in "
        "early help, child in need and child protection.",
        {"partnerships", "quality_assurance"},
        {"practice_quality"},
    ),
    (
        "Improve the timeliness and quality of response to complaints from children and their "
        "families, including disseminating the learning.",
        {"voice_of_child"},
        set(),
    ),
    # care leavers' education is their education, employment and training; the pupil premium is
    # the education of children in care
    (
        "Increase the number of care leavers in education, training or employment.",
        {"care_leavers_eet"},
        {"education"},
    ),
    (
        "Evaluate the impact of the pupil premium funding on the achievement of looked after "
        "children, and adjust where necessary to achieve optimum outcomes.",
        {"education"},
        set(),
    ),
    # the return visit after a missing episode is the missing theme's, not a statutory visit
    (
        "Ensure that when a child, in receipt of a social work service, goes missing from home "
        "or care, a return visit is completed promptly, that the outcome is appropriately "
        "recorded and that it informs the child’s plan and local intelligence gathering.",
        {"missing"},
        {"visits"},
    ),
    # multi-agency training is the partnership's, not the workforce's
    (
        "Ensure that multi-agency safeguarding training is sufficient, taken up by partners and "
        "is robustly evaluated.",
        {"partnerships"},
        {"workforce"},
    ),
]


def test_rules_of_2026_12_7_on_items_the_earlier_rules_got_wrong() -> None:
    rules = Classifier(model=None)
    for text, expected, absent in _RULES_2026_12_7:
        found = {m.theme for m in rules.rule_matches(text)}
        assert expected <= found, (text, found)
        assert not absent & found, (text, found)
