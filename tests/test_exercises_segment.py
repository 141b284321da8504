"""Segmentation workbook: each common mistake gets its specific hint; correct variants pass; near misses fail.

The wrong answers are written the way a participant would write them (plain pandas and
scikit-learn), not taken from the exercise definitions. The generic guarantees (the expected answer
passes, odd answers and the exercises' own near misses fail, nothing leaks) are in
tests/test_exercise_contract.py, for every chapter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, rand_score
from sklearn.preprocessing import StandardScaler

from cvmlib.datasets import load_customers, load_orders, load_truth
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.segment import ARI_OPTIONS, K_OPTIONS, SNAPSHOT
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


def test_segment_workbook_has_at_least_six_exercises_and_interpretation_questions():
    assert len(exercise_ids("segment")) >= 6
    interpret = [i for i in exercise_ids("segment") if get_exercise(i).kind == "interpret"]
    assert len(interpret) >= 2, interpret


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


def test_age_bands_one_customer_on_an_edge_wrong_fails(customers):
    age = customers.set_index("customer_id")["age"]
    band = pd.cut(age, bins=EDGES, right=False, labels=LABELS).astype(str)
    assert check("segment.age_bands", band.reset_index()).correct  # ids as a column
    one = band.copy()
    one[age.index[age == 55][0]] = "45-54"
    assert not check("segment.age_bands", one).correct


def test_main_category(orders):
    spend = orders.groupby(["customer_id", "category"], observed=True)["amount"].sum()
    by_spend = spend.unstack().idxmax(axis=1)
    assert check("segment.main_category", by_spend).correct
    # order counts, tie-broken another way (value_counts sorts by count, then first seen)
    by_count = orders.groupby("customer_id")["category"].agg(lambda s: s.value_counts().index[0])
    feedback = check("segment.main_category", by_count)
    assert feedback.mistake == "order_count_not_spend", feedback.message
    one = by_spend.copy()
    one.iloc[0] = spend.loc[one.index[0]].sort_values().index[-2]  # their second category
    assert not check("segment.main_category", one).correct


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
        ("every_column_logged", lambda f: (lambda g: (g - g.mean()) / g.std())(np.log1p(f))),
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
    assert check("segment.kmeans_labels", pd.Series(km.labels_, index=X.index).astype(float).reset_index()).correct
    as_text = check("segment.kmeans_labels", pd.Series(km.labels_, index=X.index).astype(str))
    assert as_text.status == "hint" and "whole numbers" in as_text.message
    forgot = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(features)
    assert check("segment.kmeans_labels", forgot).mistake == "not_scaled"
    other_k = KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(X)
    feedback = check("segment.kmeans_labels", other_k)
    assert feedback.status == "hint" and "4 clusters" in feedback.message


def test_kmeans_labels_with_the_pandas_scaling_pass(features):
    logged = _log(features)
    X_mine = (logged - logged.mean()) / logged.std()  # ddof=1: the same partition
    assert check("segment.kmeans_labels", KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X_mine)).correct


def test_kmeans_labels_one_customer_moved_fails(labels):
    """The false positive of issue 9: ARI > 0.999 accepted a partition with customers moved."""
    moved = labels.copy()
    moved.iloc[0] = (moved.iloc[0] + 1) % 5
    assert adjusted_rand_score(labels, moved) > 0.999  # what the old threshold let through
    feedback = check("segment.kmeans_labels", moved)
    assert not feedback.correct and feedback.mistake == "other_start"


def test_kmeans_labels_other_seed_gets_its_hint(X):
    seed_2 = KMeans(n_clusters=5, n_init=10, random_state=2).fit_predict(X)
    feedback = check("segment.kmeans_labels", seed_2)
    assert feedback.mistake == "other_start", feedback.message


def test_best_k(X):
    k_table = choose_k(X, range(2, 9))
    assert check("segment.best_k", int(k_table["silhouette"].idxmax())).correct
    assert check("segment.best_k", float(k_table["silhouette"].idxmax())).correct
    assert check("segment.best_k", np.int64(k_table["silhouette"].idxmax())).correct
    assert not check("segment.best_k", int(k_table["silhouette"].drop(k_table["silhouette"].idxmax()).idxmax())).correct
    assert check("segment.best_k", int(k_table["inertia"].idxmin())).mistake == "lowest_inertia"
    assert check("segment.best_k", int(k_table["silhouette"].idxmin())).mistake == "lowest_silhouette"
    assert check("segment.best_k", float(k_table["silhouette"].max())).mistake == "score_not_k"


def test_best_k_hint_shows_no_solution_code(X):
    feedback = check("segment.best_k", 2)
    assert "idxmax" not in feedback.message and "k_table[" not in feedback.message


# --- interpretation: what k to present ----------------------------------------------------------
def test_k_decision_follows_from_k_table(X):
    k_table = choose_k(X, range(2, 9))
    silhouette = k_table["silhouette"].sort_values(ascending=False)
    assert silhouette.iloc[0] < 0.25 and silhouette.iloc[0] - silhouette.iloc[1] < 0.05  # low and close
    assert k_table["inertia"].is_monotonic_decreasing
    letter = next(key for key, text in K_OPTIONS.items() if text.startswith("No k stands out"))
    assert check("segment.k_decision", letter).correct
    assert check("segment.k_decision", f" {letter.lower()}. ").correct


@pytest.mark.parametrize("start, mistake", [("Take the k with the highest", "silhouette_overread"),
                                            ("Take the k with the lowest inertia", "inertia_fits_best"),
                                            ("Stop segmenting", "low_means_none")])
def test_k_decision_mistakes(start, mistake):
    letter = next(key for key, text in K_OPTIONS.items() if text.startswith(start))
    assert check("segment.k_decision", letter).mistake == mistake


def test_revenue_share(features, labels):
    revenue = features["monetary"].groupby(labels).sum()
    assert check("segment.revenue_share", revenue / revenue.sum()).correct
    assert check("segment.revenue_share", (revenue / revenue.sum()).round(7)).correct  # the precision asked for
    assert check("segment.revenue_share", (revenue / revenue.sum()).rename("share").reset_index()
                 .rename(columns={"index": "cluster"}).set_index("cluster")).correct
    assert check("segment.revenue_share", (revenue / revenue.sum()).round(3)).mistake == "rounded"
    assert check("segment.revenue_share", labels.value_counts(normalize=True)).mistake == "customer_share"
    assert check("segment.revenue_share", 100 * revenue / revenue.sum()).mistake == "percent_not_fraction"
    assert check("segment.revenue_share", revenue).mistake == "revenue_not_share"


def test_revenue_share_with_one_customer_in_another_cluster_fails(features, labels):
    smallest = features["monetary"].idxmin()
    moved = labels.copy()
    moved[smallest] = (moved[smallest] + 1) % 5
    revenue = features["monetary"].groupby(moved).sum()
    assert not check("segment.revenue_share", revenue / revenue.sum()).correct


def test_ari_truth(labels):
    truth = load_truth().set_index("customer_id")["segment"]
    aligned = truth.loc[labels.index]
    assert check("segment.ari_truth", adjusted_rand_score(aligned, labels)).correct
    accuracy = (labels.to_numpy() == aligned.cat.codes.to_numpy()).mean()
    assert check("segment.ari_truth", accuracy).mistake == "label_accuracy"
    table = pd.crosstab(labels, aligned)
    purity = table.max(axis=1).sum() / len(labels)
    assert check("segment.ari_truth", purity).mistake == "majority_accuracy"
    assert check("segment.ari_truth", rand_score(aligned, labels)).mistake == "rand_not_adjusted"
    assert check("segment.ari_truth", normalized_mutual_info_score(aligned, labels)).mistake == "mutual_information"


def test_ari_truth_precision(labels, X):
    aligned = load_truth().set_index("customer_id")["segment"].loc[labels.index]
    ari = adjusted_rand_score(aligned, labels)
    assert check("segment.ari_truth", round(ari, 4)).correct  # the precision the prompt asks for
    assert check("segment.ari_truth", round(ari, 2)).mistake == "rounded"
    seed_2 = KMeans(n_clusters=5, n_init=10, random_state=2).fit_predict(X)  # labels of another seed
    assert not check("segment.ari_truth", adjusted_rand_score(aligned, seed_2)).correct


# --- interpretation: what the ARI means ---------------------------------------------------------
def test_ari_meaning_follows_from_the_ari(labels):
    aligned = load_truth().set_index("customer_id")["segment"].loc[labels.index]
    ari = adjusted_rand_score(aligned, labels)
    start = "The clusters recover the true segments in part" if 0.05 < ari <= 0.9 else None
    letter = next(key for key, text in ARI_OPTIONS.items() if text.startswith(start))
    assert check("segment.ari_meaning", letter).correct


@pytest.mark.parametrize("start, mistake", [("The ARI is the share", "ari_as_accuracy"),
                                            ("The clusters are no better", "below_one_means_random"),
                                            ("The clusters match", "near_perfect")])
def test_ari_meaning_mistakes(start, mistake):
    letter = next(key for key, text in ARI_OPTIONS.items() if text.startswith(start))
    assert check("segment.ari_meaning", letter).mistake == mistake
