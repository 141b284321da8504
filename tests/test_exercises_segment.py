"""Segmentation workbook: each common mistake gets its specific hint; correct variants pass.

The wrong answers are written the way a participant would write them (plain pandas and
scikit-learn), not taken from the exercise definitions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from cvmlib.datasets import load_customers, load_orders, load_truth
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.segment import SNAPSHOT
from cvmlib.segment import choose_k, customer_features, kmeans_segments, scale_features

RFM = ["recency", "frequency", "monetary", "mean_order_value"]
EDGES = [18, 25, 35, 45, 55, 120]
LABELS = ["18-24", "25-34", "35-44", "45-54", "55+"]


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return load_customers()


@pytest.fixture(scope="module")
def features(orders) -> pd.DataFrame:
    return customer_features(orders, SNAPSHOT)


@pytest.fixture(scope="module")
def X(features) -> pd.DataFrame:
    return scale_features(features)


@pytest.fixture(scope="module")
def labels(X) -> pd.Series:
    return kmeans_segments(X, 5, random_state=0)


def test_segment_workbook_has_at_least_six_exercises():
    assert len(exercise_ids("segment")) >= 6


def test_age_bands(customers):
    age = customers.set_index("customer_id")["age"]
    assert check("segment.age_bands", pd.cut(age, bins=EDGES, right=False, labels=LABELS)).correct
    # plain strings from a participant's own function pass too
    by_hand = age.apply(lambda a: next(f"{lo}-{hi - 1}" if hi < 120 else f"{lo}+"
                                       for lo, hi in zip(EDGES, EDGES[1:]) if lo <= a < hi))
    assert check("segment.age_bands", by_hand).correct
    assert (age.isin(EDGES)).any(), "the data must have customers exactly on an edge"
    inclusive = check("segment.age_bands", pd.cut(age, bins=EDGES, labels=LABELS))
    assert inclusive.mistake == "right_edge_inclusive"
    intervals = check("segment.age_bands", pd.cut(age, bins=EDGES, right=False))
    assert intervals.mistake == "intervals_not_labels"


def test_main_category(orders):
    spend = orders.groupby(["customer_id", "category"], observed=True)["amount"].sum()
    by_spend = spend.unstack().idxmax(axis=1)
    assert check("segment.main_category", by_spend).correct
    # order counts, tie-broken another way (value_counts sorts by count, then first seen)
    by_count = orders.groupby("customer_id")["category"].agg(lambda s: s.value_counts().index[0])
    feedback = check("segment.main_category", by_count)
    assert feedback.mistake == "order_count_not_spend", feedback.message


def _log(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out[RFM] = np.log1p(out[RFM])
    return out


def test_scaled_features_correct_with_pandas_or_sklearn(features):
    logged = _log(features)
    pandas_way = (logged - logged.mean()) / logged.std()  # ddof=1: accepted
    assert check("segment.scaled_features", pandas_way).correct
    sklearn_way = StandardScaler().fit_transform(logged)  # a bare array in the same row order
    assert check("segment.scaled_features", sklearn_way).correct


@pytest.mark.parametrize(
    "mistake, wrong",
    [
        ("log_not_scaled", lambda f: _log(f)),
        ("scaled_then_logged", lambda f: _log((f - f.mean()) / f.std())),
        ("scaled_without_log", lambda f: (f - f.mean()) / f.std()),
        ("log_instead_of_log1p", lambda f: (lambda g: (g - g.mean()) / g.std())(f.assign(**{c: np.log(f[c]) for c in RFM}))),
    ],
)
def test_scaled_features_mistakes(features, mistake, wrong):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # log of negative z-scores, as in a notebook
        answer = wrong(features)
    feedback = check("segment.scaled_features", answer)
    assert feedback.mistake == mistake, feedback.message


def test_kmeans_labels(features, X):
    km = KMeans(n_clusters=5, n_init=10, random_state=0)
    assert check("segment.kmeans_labels", km.fit_predict(X)).correct
    assert check("segment.kmeans_labels", pd.Series(km.labels_ + 10, index=X.index)).correct  # renumbered
    forgot = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(features)
    assert check("segment.kmeans_labels", forgot).mistake == "not_scaled"
    other_k = KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(X)
    feedback = check("segment.kmeans_labels", other_k)
    assert feedback.status == "hint" and "adjusted Rand index" in feedback.message


def test_best_k(X):
    k_table = choose_k(X, range(2, 9))
    assert check("segment.best_k", int(k_table["silhouette"].idxmax())).correct
    assert check("segment.best_k", int(k_table["inertia"].idxmin())).mistake == "lowest_inertia"
    assert check("segment.best_k", int(k_table["silhouette"].idxmin())).mistake == "lowest_silhouette"
    assert check("segment.best_k", float(k_table["silhouette"].max())).mistake == "score_not_k"


def test_revenue_share(features, labels):
    revenue = features["monetary"].groupby(labels).sum()
    assert check("segment.revenue_share", revenue / revenue.sum()).correct
    assert check("segment.revenue_share", labels.value_counts(normalize=True)).mistake == "customer_share"
    assert check("segment.revenue_share", 100 * revenue / revenue.sum()).mistake == "percent_not_fraction"
    assert check("segment.revenue_share", revenue).mistake == "revenue_not_share"


def test_ari_truth(labels):
    truth = load_truth().set_index("customer_id")["segment"]
    aligned = truth.loc[labels.index]
    assert check("segment.ari_truth", adjusted_rand_score(aligned, labels)).correct
    accuracy = (labels.to_numpy() == aligned.cat.codes.to_numpy()).mean()
    assert check("segment.ari_truth", accuracy).mistake == "label_accuracy"
    table = pd.crosstab(labels, aligned)
    purity = table.max(axis=1).sum() / len(labels)
    assert check("segment.ari_truth", purity).mistake == "majority_accuracy"


@pytest.mark.parametrize("exercise_id", exercise_ids("segment"))
def test_feedback_never_prints_the_expected_answer(exercise_id):
    expected = get_exercise(exercise_id).expected()
    for answer in [..., 0, pd.Series([1, 2, 3]), "nonsense", {"x": 1}, pd.DataFrame({"a": [1], "b": [2]}),
                   np.zeros(3)]:
        feedback = check(exercise_id, answer)
        assert not feedback.correct
        text = str(feedback)
        if isinstance(expected, float):
            for shown in (f"{expected:.3f}", f"{expected:.2f}"):
                assert shown not in text
        assert "Traceback" not in text and "Traceback" not in feedback._repr_html_()
