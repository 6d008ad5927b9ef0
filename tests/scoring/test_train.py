from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from tests.conftest import shared_path
from threadline.scoring import train
from threadline.scoring.classifier import ToxicityModel, model_for_site, prepare_text

TEXTS = [
    "you are an idiot",
    "what an idiot",
    "stupid idiot troll",
    "shut up you moron",
    "thanks for the article",
    "great reporting",
    "I agree with the mayor",
    "nice work",
] * 3
LABELS = [1, 1, 1, 1, 0, 0, 0, 0] * 3


def test_exported_model_matches_sklearn_on_the_same_features(tmp_path: Path) -> None:
    data = train.fit(TEXTS, LABELS, mask_identity=False)
    model = ToxicityModel.load(train.write_model(data, tmp_path / "m.json.gz"))
    # Rebuild the same pipeline with scikit-learn from the stored vocabularies and weights.
    columns, coefs = [], []
    for block in data["blocks"]:
        params = {**block["params"], "ngram_range": tuple(block["params"]["ngram_range"])}
        vec = TfidfVectorizer(**params, sublinear_tf=True, vocabulary=block["grams"])
        vec.idf_ = np.asarray(block["idf"])
        columns.append(vec.transform([prepare_text(t) for t in TEXTS]))
        coefs.extend(block["coef"])
    z = sparse.hstack(columns) @ np.asarray(coefs) + data["intercept"]
    expected = 1 / (1 + np.exp(-z))
    assert model.predict_many(TEXTS) == pytest.approx(expected.tolist(), abs=1e-6)


def test_evaluate_reports_auc_rates_and_identity_fpr() -> None:
    scores = {"bad": 0.9, "meh": 0.75, "fine": 0.1, "I am gay": 0.2, "I am Jewish": 0.8}
    out = train.evaluate(
        ["bad", "meh", "fine"],
        [1, 0, 0],
        lambda ts: [scores[t] for t in ts],
        {"hold": 0.7, "warn": 0.8},
        identity_texts=["I am gay", "I am Jewish"],
        identity_labels=[0, 0],
    )
    assert out["roc_auc"] == 1.0
    assert out["hold"] == {
        "threshold": 0.7,
        "precision": 0.5,
        "recall": 1.0,
        "false_positive_rate": 0.5,
    }
    assert out["warn"]["precision"] == 1.0
    assert out["identity_false_positive_rate"] == 0.5


def test_train_site_model_writes_where_the_scorer_looks(tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.DATA_DIR = tmp_path
    path = train.train_site_model(TEXTS, LABELS, "daily")
    assert path == tmp_path / "models" / "toxicity-daily.json.gz"
    model = model_for_site("daily")
    assert model.name == "threadline-toxicity-daily"
    assert model.predict("you idiot") > model.predict("thanks, nice article")


def test_train_site_model_needs_both_labels(tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.DATA_DIR = tmp_path
    with pytest.raises(ValueError, match="both"):
        train.train_site_model(["a", "b"], [0, 0], "daily")


def test_training_data_never_includes_the_wikipedia_test_set() -> None:
    root = shared_path("fixtures", "toxicity")
    train_names, eval_names = train.split_template_names(root)
    assert train_names and eval_names and not train_names & eval_names
    data = train.load_training(root, template_names=train_names)
    wiki, _ = train.load_wikipedia_test(root)
    assert not set(wiki) & set(data.texts)
    assert "wikipedia" not in set(data.sources)
    evaluated, _, _ = train.load_identity_templates(root, exclude_names=train_names)
    assert not set(evaluated) & {
        t for t, s in zip(data.texts, data.sources, strict=True) if s == "templates"
    }


@pytest.mark.slow
def test_shipped_model_separates_the_wikipedia_test_set() -> None:
    root = shared_path("fixtures", "toxicity")
    texts, labels = train.load_wikipedia_test(root)
    out = train.evaluate(texts, labels, model_for_site(None).predict_many, {"hold": 0.7})
    assert out["roc_auc"] > 0.75
    assert out["hold"]["false_positive_rate"] < 0.02


def test_threshold_for_fpr_is_the_lowest_within_the_false_positive_budget() -> None:
    scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]
    labels = [0] * 10 + [1]
    # 10 negatives: at most one may score at or above the threshold -> just above 0.9
    assert train.threshold_for_fpr(scores, labels, 0.1) == 0.91
    assert train.threshold_for_fpr(scores, labels, 0.0) == 0.96


def test_validation_split_is_stable_and_disjoint() -> None:
    data = train.Dataset()
    for i in range(400):
        data.add(f"comment number {i}", i % 2, "jigsaw" if i % 3 else "davidson")
    fit_part, val = data.split()
    assert set(fit_part.texts).isdisjoint(val.texts)
    assert len(fit_part.texts) + len(val.texts) == 400
    assert 40 < len(val.texts) < 120
    assert data.split()[1].texts == val.texts
    assert set(data.weights()) == {1.0, train.SOURCE_WEIGHTS["jigsaw"]}
