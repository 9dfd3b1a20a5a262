"""The trained themes model (themes/model.py, data/model.json): made for the taxonomy in use,
applied as it was trained, and each theme it gives has reasons a reader can check."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from ofsted_csc.themes import Classifier, load_taxonomy
from ofsted_csc.themes.model import ModelMismatch, load_model, model_from_json, ngrams
from ofsted_csc.themes.taxonomy import taxonomy_from_json


def _model_json() -> dict[str, object]:
    path = resources.files("ofsted_csc").joinpath("themes", "data", "model.json")
    return json.loads(path.read_text("utf-8"))


def test_the_packaged_model_was_trained_for_the_packaged_taxonomy() -> None:
    """A new taxonomy version needs a model trained for it (tools/train_themes.py)."""
    model = load_model()
    assert model is not None
    taxonomy = load_taxonomy()
    assert model.taxonomy_version == taxonomy.version
    assert list(model.themes) == [t.id for t in taxonomy.themes]
    assert Classifier().model is model
    assert 0.5 <= model.threshold < 1


def test_words_and_pairs_are_taken_as_scikit_learn_takes_them() -> None:
    # lower case, tokens of two or more word characters (so "a" and "&" are dropped)
    assert ngrams("The IRO's plans & a review.") == [
        "the",
        "iro",
        "plans",
        "review",
        "the iro",
        "iro plans",
        "plans review",
    ]


def test_features_are_unit_length_tf_idf_of_known_terms() -> None:
    model = load_model()
    assert model is not None
    idx, values = model.features("The quality of supervision and management oversight.")
    assert len(idx) > 3
    assert abs(sum(v * v for v in values) - 1.0) < 1e-9
    assert {model.terms[i] for i in idx} >= {"supervision", "management oversight"}
    unknown = model.features("zzzz qqqq")
    assert len(unknown[0]) == 0


def test_the_rules_alone_are_there_for_comparison() -> None:
    text = "The quality of supervision and management oversight."  # 50004412.pdf, tune split
    rules = Classifier(model=None)
    assert rules.model is None
    assert {m.theme for m in rules.classify(text)} == {"management_oversight"}
    assert rules.classify(text) == rules.rule_matches(text)


def test_a_theme_the_rules_did_not_match_is_given_with_the_words_that_weighed_for_it() -> None:
    # fv-2e70063ef769.pdf, tune split, labelled early_help and front_door: the rules find only
    # early help; the model adds the front door for the repeated contacts
    text = (
        "Repeated contacts expressing concerns about children who are allocated to targeted "
        "early help services should trigger a prompt review of whether statutory services "
        "are required instead."
    )
    clf = Classifier()
    assert {m.theme for m in clf.rule_matches(text)} == {"early_help"}
    found = {m.theme: m for m in clf.classify(text)}
    assert set(found) == {"early_help", "front_door"}
    assert found["early_help"].reasons == ("early help",) and found["early_help"].by_rules
    assert not found["front_door"].by_rules  # shown as the model's, not as a phrase matched
    reasons = found["front_door"].reasons
    assert reasons and all(r in text.lower() for r in reasons)
    assert "contacts" in reasons
    assert 0.75 <= found["front_door"].score <= 1


def test_the_words_shown_for_a_models_theme_are_not_small_words_alone() -> None:
    # fv-1c5c92b26a0d.pdf, priority action 1: the model gives practice quality overall, and
    # among the terms that weighed most for it were "and with" and "with which"
    text = (
        "The effectiveness and timeliness with which risks to children are assessed and with "
        "which action is taken to address known risks."
    )
    found = {m.theme: m for m in Classifier().classify(text)}
    assert not found["practice_quality"].by_rules
    reasons = found["practice_quality"].reasons
    assert len(reasons) == 3 and "risks" in reasons
    small = {"and", "with", "which", "to", "the", "are", "is", "of"}
    assert all(set(r.split()) - small for r in reasons), reasons


def test_a_word_named_in_passing_is_weighed_down() -> None:
    # 50309857.pdf, tune split, labelled young_carers only
    text = (
        "The recognition and reflection of the needs of young carers, including those receiving "
        "support from statutory children's services, in the child's assessments and plans."
    )
    assert {m.theme for m in Classifier().classify(text)} == {"young_carers"}


def test_a_model_for_another_taxonomy_is_not_used() -> None:
    data = _model_json()
    other = json.loads(
        resources.files("ofsted_csc").joinpath("themes", "data", "themes.json").read_text("utf-8")
    )
    other["version"] = "1999.1"
    taxonomy = taxonomy_from_json(other)
    assert Classifier(taxonomy).model is None  # the packaged model is for another version
    with pytest.raises(ModelMismatch):
        Classifier(taxonomy, model=model_from_json(data))


def test_a_damaged_model_file_is_refused() -> None:
    data = _model_json()
    data["idf"] = list(data["idf"])[:-1]  # type: ignore[call-overload]
    with pytest.raises(ModelMismatch):
        model_from_json(data)
