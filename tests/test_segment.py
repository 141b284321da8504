"""cvmlib.segment: features, scaling, k-means, profiles, stability and the bad-input policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from cvmlib.datasets import load_customers, load_orders, load_truth
from cvmlib.segment import (
    age_bands,
    choose_k,
    customer_features,
    demographic_table,
    kmeans_segments,
    main_category,
    pca_projection,
    scale_features,
    segment_profile,
    stability,
    suggest_segment_names,
)
from cvmlib.validate import InputError

SNAPSHOT = "2026-01-01"


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def features(orders) -> pd.DataFrame:
    return customer_features(orders, SNAPSHOT)


@pytest.fixture(scope="module")
def X(features) -> pd.DataFrame:
    return scale_features(features)


def _toy_orders() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["A", "A", "B", "C"], "order_id": ["1", "2", "3", "4"],
        "order_date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-03-05"]),
        "amount": [100.0, 50.0, 20.0, 900.0], "category": ["Home", "Beauty", "Home", "Electronics"],
        "channel": ["app", "store", "web", "app"]})


# --- features ---------------------------------------------------------------------------------
def test_features_on_shipped_data(features, orders):
    assert len(features) == orders["customer_id"].nunique()
    cats = [c for c in features.columns if c.startswith("cat_")]
    chans = [c for c in features.columns if c.startswith("chan_")]
    assert len(cats) == 7 and len(chans) == 4
    np.testing.assert_allclose(features[cats].sum(axis=1), 1.0)
    np.testing.assert_allclose(features[chans].sum(axis=1), 1.0)
    spend = orders[orders["customer_id"] == "C00001"].groupby("category", observed=True)["amount"].sum()
    assert features.loc["C00001", "cat_" + spend.idxmax()] == pytest.approx(spend.max() / spend.sum())


def test_features_refuse_bad_transactions():
    bad = _toy_orders()
    bad.loc[0, "amount"] = -100.0
    with pytest.raises(InputError, match="amount"):
        customer_features(bad, SNAPSHOT)
    with pytest.raises(InputError, match="empty"):
        customer_features(_toy_orders().iloc[:0], SNAPSHOT)
    missing = _toy_orders()
    missing.loc[2, "category"] = None
    with pytest.raises(InputError, match="'category'"):
        customer_features(missing, SNAPSHOT)
    with pytest.raises(InputError, match="'channel'"):
        customer_features(_toy_orders().drop(columns="channel"), SNAPSHOT)


def test_single_customer_features_work():
    one = customer_features(_toy_orders().iloc[:2], SNAPSHOT)
    assert one.index.tolist() == ["A"] and one.loc["A", "frequency"] == 2


# --- age bands, main category, demographic table --------------------------------------------
def test_age_bands_edges_are_lower_inclusive():
    bands = age_bands(pd.Series([18, 24, 25, 34, 35, 54, 55, 75])).astype(str).tolist()
    assert bands == ["18-24", "18-24", "25-34", "25-34", "35-44", "45-54", "55+", "55+"]
    with pytest.raises(InputError, match="'age' has 1 row with missing values"):
        age_bands(pd.Series([30, np.nan]))
    with pytest.raises(InputError, match=r"'age' has 1 value outside \[18, 120\)"):
        age_bands(pd.Series([30, 17]))


def test_main_category_uses_spend_not_count():
    orders = pd.DataFrame({"customer_id": ["A"] * 4, "category": ["Food"] * 3 + ["Electronics"],
                           "amount": [10.0, 10.0, 10.0, 500.0]})
    assert main_category(orders).loc["A"] == "Electronics"


def test_demographic_table_covers_everyone(orders):
    customers = load_customers()
    table = demographic_table(customers, orders)
    assert table["customers"].sum() == len(customers)
    assert table["customer_share"].sum() == pytest.approx(1.0)
    assert table["approach"].str.len().gt(0).all()


# --- scaling ---------------------------------------------------------------------------------
def test_scaled_features_have_mean_0_sd_1(X):
    np.testing.assert_allclose(X.mean(), 0.0, atol=1e-9)
    np.testing.assert_allclose(X.std(ddof=0), 1.0, atol=1e-9)


def test_scaling_policy_for_bad_values():
    with pytest.raises(InputError, match="'monetary'.*NaN|'monetary'.*missing"):
        scale_features(pd.DataFrame({"monetary": [1.0, np.nan]}))
    with pytest.raises(InputError, match="negative"):
        scale_features(pd.DataFrame({"frequency": [1.0, -2.0]}))
    with pytest.raises(InputError, match="'city' has 2 values written as text"):
        scale_features(pd.DataFrame({"city": ["Beijing", "Wuxi"]}))
    with pytest.raises(InputError, match="empty"):
        scale_features(pd.DataFrame())
    # all-zero (constant) columns carry no information: documented to become 0, not NaN
    zeros = scale_features(pd.DataFrame({"monetary": [0.0, 0.0], "x": [1.0, 2.0]}))
    assert (zeros["monetary"] == 0).all()


# --- k-means ---------------------------------------------------------------------------------
def test_kmeans_labels_are_sized_and_reproducible(X):
    a = kmeans_segments(X, 5, random_state=0)
    b = kmeans_segments(X.sample(frac=1, random_state=3), 5, random_state=0)
    sizes = a.value_counts().sort_index()
    assert sizes.is_monotonic_decreasing and sizes.index.tolist() == [0, 1, 2, 3, 4]
    assert adjusted_rand_score(a, b.reindex(a.index)) > 0.95
    assert a.index.equals(X.index)


def test_kmeans_bad_k_and_degenerate_input():
    X = pd.DataFrame({"x": [0.0, 1.0, 2.0]}, index=list("abc"))
    with pytest.raises(InputError, match="k=4"):
        kmeans_segments(X, 4)
    with pytest.raises(InputError, match="k must be at least 1"):
        kmeans_segments(X, 0)
    with pytest.raises(InputError, match="distinct"):
        kmeans_segments(pd.DataFrame({"x": [0.0, 0.0, 0.0]}), 2)  # all-zero: one distinct profile
    assert kmeans_segments(X.iloc[:1], 1).tolist() == [0]  # a single customer, k=1: documented
    with pytest.raises(InputError, match="'x' has 1 row with infinite values"):
        kmeans_segments(pd.DataFrame({"x": [0.0, np.inf, 1.0]}), 2)


def test_scaling_changes_the_clusters(features, X):
    raw = kmeans_segments(features, 5)
    scaled = kmeans_segments(X, 5)
    assert adjusted_rand_score(raw, scaled) < 0.5


def test_choose_k_table(X):
    table = choose_k(X.iloc[:800], ks=[2, 3, 4])
    assert table.index.tolist() == [2, 3, 4]
    assert table["inertia"].is_monotonic_decreasing
    assert table["silhouette"].between(-1, 1).all()


def test_clusters_recover_truth_partly(X):
    labels = kmeans_segments(X, 5)
    truth = load_truth().set_index("customer_id")["segment"].reindex(X.index)
    ari = adjusted_rand_score(truth, labels)
    assert 0.3 < ari < 0.6  # the chapter's claim: clearly better than chance, far from perfect


# --- profiles, names, stability, projection --------------------------------------------------
def test_profile_sums_and_names(features, X):
    labels = kmeans_segments(X, 5)
    profile = segment_profile(labels, features, load_customers())
    assert profile["customers"].sum() == len(features)
    assert profile["revenue_share"].sum() == pytest.approx(1.0)
    assert profile["tier_1_2_share"].between(0, 1).all()
    names = suggest_segment_names(profile)
    assert names.is_unique and len(names) == 5
    with pytest.raises(InputError, match="ids of features are not in labels"):
        segment_profile(labels.iloc[:10], features)


def test_stability_reports_both_methods(X):
    stab = stability(X.iloc[:600], 3, seeds=(1, 2), n_bootstrap=2)
    assert stab["method"].tolist() == ["seed", "seed", "bootstrap", "bootstrap"]
    assert stab["ari"].between(-1, 1).all()


def test_projection_shape_and_variance(X):
    proj = pca_projection(X)
    assert proj.shape == (len(X), 2)
    ratio = proj.attrs["explained_variance_ratio"]
    assert ratio[0] >= ratio[1] > 0 and sum(ratio) < 1
    with pytest.raises(InputError):
        pca_projection(X.iloc[:1])
