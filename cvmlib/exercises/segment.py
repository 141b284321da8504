"""The checked exercises of the segmentation workbook (``notebooks/segmentation_workbook.ipynb``).

Every expected answer is computed from the shipped retailer data with :mod:`cvmlib.segment`;
every mistake computes (or recognises) the answer a participant with that misconception would
produce, so a specific hint is given only when the answer really is that mistake.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from cvmlib.datasets import load_customers, load_orders, load_truth
from cvmlib.feedback import Exercise, Mistake, NotComparable, as_series, compare_series
from cvmlib.segment import (
    AGE_EDGES,
    LOG_COLUMNS,
    choose_k,
    customer_features,
    kmeans_segments,
    main_category,
    scale_features,
)

#: Snapshot date of the workbook: the day after the data end.
SNAPSHOT = pd.Timestamp("2026-01-01")
#: Age bands of the first exercise, each [lower, upper): 18-24, 25-34, 35-44, 45-54, 55+.
AGE_LABELS = ["18-24", "25-34", "35-44", "45-54", "55+"]
#: Number of segments of the k-means exercises and the candidate k of the choice exercise.
K = 5
K_CANDIDATES = range(2, 9)
SEED = 0


@cache
def _orders() -> pd.DataFrame:
    return load_orders()


@cache
def _age() -> pd.Series:
    return load_customers().set_index("customer_id")["age"]


@cache
def _features() -> pd.DataFrame:
    return customer_features(_orders(), SNAPSHOT)


@cache
def _scaled() -> pd.DataFrame:
    return scale_features(_features())


@cache
def _labels() -> pd.Series:
    return kmeans_segments(_scaled(), K, random_state=SEED)


@cache
def _k_table() -> pd.DataFrame:
    return choose_k(_scaled(), K_CANDIDATES, random_state=SEED)


def _log_columns(frame: pd.DataFrame, log: Any = np.log1p) -> pd.DataFrame:
    out = frame.astype(float)
    columns = list(LOG_COLUMNS)
    out[columns] = log(out[columns])
    return out


def _standardise(frame: pd.DataFrame) -> pd.DataFrame:
    return (frame - frame.mean()) / frame.std(ddof=0)


def _kmeans_on(frame: pd.DataFrame) -> pd.Series:
    with threadpool_limits(1):  # fast and steady on a busy machine (see cvmlib.segment.kmeans_segments)
        labels = KMeans(n_clusters=K, n_init=10, random_state=SEED).fit_predict(frame.to_numpy(dtype=float))
    return pd.Series(labels, index=frame.index, name="cluster")


# ----------------------------------------------------------------------------------------------
# Comparators for answers that are tables or partitions
# ----------------------------------------------------------------------------------------------
def compare_frame(answer: Any, expected: pd.DataFrame, rtol: float = 1e-3) -> str | None:
    """Compare a table of numbers (same customers and columns, any row or column order).

    The tolerance accepts the sample standard deviation (``ddof=1``, pandas' default) as well as
    the population one (``ddof=0``, scikit-learn's): for 5,000 customers they differ by 0.01 %.

    >>> e = pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "y"])
    >>> compare_frame(e.iloc[::-1], e) is None
    True
    >>> compare_frame(e * 2, e)
    '2 of 2 values differ from the expected ones (column a).'
    """
    if isinstance(answer, np.ndarray) and answer.shape == expected.shape:
        answer = pd.DataFrame(answer, index=expected.index, columns=expected.columns)
    if not isinstance(answer, pd.DataFrame):
        raise NotComparable(f"Expected a DataFrame (one row per customer, one column per feature), got {type(answer).__name__}.")
    missing = [c for c in expected.columns if c not in answer.columns]
    if missing:
        raise NotComparable(f"Your table has no column(s) {', '.join(map(str, missing[:4]))}. Keep every feature column.")
    if not answer.index.sort_values().equals(expected.index.sort_values()):
        raise NotComparable("Your table has not the same customers (index) as the features. Keep every customer.")
    got = answer.reindex(index=expected.index, columns=expected.columns)
    for column in expected.columns:
        a = pd.to_numeric(got[column], errors="coerce").to_numpy(dtype=float)
        b = expected[column].to_numpy(dtype=float)
        same = np.isclose(a, b, rtol=rtol, atol=1e-6) | (np.isnan(a) & np.isnan(b))
        if not same.all():
            return f"{int((~same).sum())} of {len(b)} values differ from the expected ones (column {column})."
    return None


def compare_partition(answer: Any, expected: pd.Series) -> str | None:
    """Compare cluster labels up to renumbering: the same partition of the customers.

    A label array in the row order of the features is accepted (``KMeans(...).fit_predict(X)``).

    >>> e = pd.Series([0, 0, 1], index=["a", "b", "c"])
    >>> compare_partition(np.array([1, 1, 0]), e) is None
    True
    >>> compare_partition(pd.Series([0, 1, 1], index=["a", "b", "c"]), e)
    'Your clusters group the customers differently (adjusted Rand index 0.00 with the expected ones).'
    """
    if isinstance(answer, (np.ndarray, list)) and len(answer) == len(expected):
        answer = pd.Series(np.asarray(answer), index=expected.index)
    got = as_series(answer, expected.index.name)
    if not got.index.sort_values().equals(expected.index.sort_values()):
        raise NotComparable("Your labels are not one per customer of the features (check the index).")
    got = got.reindex(expected.index)
    if got.isna().any():
        raise NotComparable("Some customers have no cluster label.")
    ari = adjusted_rand_score(expected.to_numpy(), got.astype(str).to_numpy())
    return None if ari > 0.999 else (
        f"Your clusters group the customers differently (adjusted Rand index {max(ari, 0.0):.2f} with the expected ones)."
    )


def compare_labels(answer: Any, expected: pd.Series) -> str | None:
    """Compare text labels per customer; a missing label (e.g. outside every band) counts as a value.

    >>> e = pd.Series(["a", None], index=["x", "y"])
    >>> compare_labels(pd.Series(["a", None], index=["x", "y"]), e) is None
    True
    """

    def filled(values: pd.Series) -> pd.Series:
        return values.astype(object).where(values.notna(), "<missing>")

    got = as_series(answer, expected.index.name)
    return compare_series(filled(got), filled(expected))


def _number(answer: Any) -> float | None:
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.number)):
        return None
    return float(answer)


# --- 1. age bands --------------------------------------------------------------------------------
age_band = Exercise(
    id="segment.age_bands",
    prompt="Age band per customer: 18-24, 25-34, 35-44, 45-54, 55+ (a 25-year-old is in 25-34).",
    expected=lambda: pd.cut(_age(), bins=list(AGE_EDGES), right=False, labels=AGE_LABELS),
    compare=compare_labels,
    mistakes=(
        Mistake(
            "right_edge_inclusive",
            "Check the customers exactly on an edge: pd.cut includes the RIGHT edge by default, so a "
            "25-year-old lands in 18-24 and an 18-year-old in no band at all. Pass right=False.",
            answer=lambda: pd.cut(_age(), bins=list(AGE_EDGES), labels=AGE_LABELS),
        ),
        Mistake(
            "intervals_not_labels",
            "The bands are right, but they are shown as intervals like [18, 25). Pass labels=[...] "
            "to pd.cut so each band has its name (18-24, 25-34, ...).",
            answer=lambda: pd.cut(_age(), bins=list(AGE_EDGES), right=False),
        ),
    ),
    hint="Use pd.cut on customers['age'] with the edges 18, 25, 35, 45, 55, 120, labels, and right=False.",
)


# --- 2. main category ----------------------------------------------------------------------------
def _main_by_order_count() -> tuple[pd.Series, pd.Series]:
    """The most-ordered category per customer, and whether it is unique (no tie)."""
    counts = _orders().groupby(["customer_id", "category"], observed=True).size().unstack(fill_value=0)
    unique = counts.eq(counts.max(axis=1), axis=0).sum(axis=1) == 1
    return counts.idxmax(axis=1).astype(str), unique


def _is_by_count(answer: Any) -> bool:
    """The answer agrees with the order-count main category wherever that one has no tie."""
    got = as_series(answer, "customer_id").astype(str)
    by_count, unique = _main_by_order_count()
    if not got.index.sort_values().equals(by_count.index.sort_values()):
        return False
    got = got.reindex(by_count.index)
    return bool((got[unique] == by_count[unique]).all()) and compare_series(answer, main_category(_orders())) is not None


main_cat = Exercise(
    id="segment.main_category",
    prompt="Main category per customer: the category with the largest share of the customer's spend.",
    expected=lambda: main_category(_orders()),
    compare=compare_labels,
    mistakes=(
        Mistake(
            "order_count_not_spend",
            "You picked the category with the most ORDERS. The task asks for the largest share of "
            "SPEND: one television outweighs five packets of coffee. Sum amount per customer and "
            "category, then take the category with the largest sum.",
            applies=_is_by_count,
        ),
    ),
    hint="Sum amount by customer_id and category, then idxmax per customer.",
)


# --- 3. log, then standardise --------------------------------------------------------------------
scaled = Exercise(
    id="segment.scaled_features",
    prompt="Log-transform (np.log1p) the four RFM columns of features, then standardise every column (mean 0, sd 1).",
    expected=_scaled,
    compare=compare_frame,
    mistakes=(
        Mistake(
            "log_not_scaled",
            "You took the logs but did not standardise. k-means would then measure money and "
            "order counts on their own scales and shares (0 to 1) would hardly count: subtract each "
            "column's mean and divide by its standard deviation.",
            answer=lambda: _log_columns(_features()),
        ),
        Mistake(
            "scaled_then_logged",
            "You standardised first and took logs afterwards: half the z-scores are negative, so the "
            "log gives NaN or nonsense. Take the log of the raw RFM columns first, then standardise.",
            answer=lambda: _log_columns(_standardise(_features().astype(float))),
        ),
        Mistake(
            "scaled_without_log",
            "You standardised without the log transform. Spend and frequency have long right tails; "
            "without the log a few big spenders dominate the distances. Apply np.log1p to the four "
            "RFM columns before standardising.",
            answer=lambda: _standardise(_features().astype(float)),
        ),
        Mistake(
            "log_instead_of_log1p",
            "Close: use np.log1p (log of 1 + x), which stays defined for zeros, instead of np.log.",
            answer=lambda: _standardise(_log_columns(_features(), np.log)),
        ),
    ),
    hint="X = features with log1p applied to recency, frequency, monetary, mean_order_value; then (X - X.mean()) / X.std().",
)


# --- 4. k-means on the scaled features ------------------------------------------------------------
kmeans_labels = Exercise(
    id="segment.kmeans_labels",
    prompt="Cluster the customers with KMeans(n_clusters=5, n_init=10, random_state=0) on the scaled features X.",
    expected=_labels,
    compare=compare_partition,
    mistakes=(
        Mistake(
            "not_scaled",
            "These are the clusters of the UNSCALED features: monetary (thousands of CNY) decides "
            "almost everything, the category and channel shares are ignored. Fit on the scaled X.",
            answer=lambda: _kmeans_on(_features()),
        ),
        Mistake(
            "log_only",
            "These clusters come from log-transformed but unstandardised features. Fit on X, where "
            "every column has sd 1.",
            answer=lambda: _kmeans_on(_log_columns(_features())),
        ),
    ),
    hint="KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X), with X the scaled features given above.",
)


# --- 5. choose k ------------------------------------------------------------------------------------
def _best_k() -> int:
    return int(_k_table()["silhouette"].idxmax())


best_k = Exercise(
    id="segment.best_k",
    prompt="From k_table, which k has the best (highest) mean silhouette?",
    expected=_best_k,
    mistakes=(
        Mistake(
            "lowest_inertia",
            "That k has the lowest inertia, but inertia ALWAYS falls as k grows (more centres, shorter "
            "distances), so its minimum is simply the largest k tried. Use the silhouette column.",
            applies=lambda answer: _number(answer) == float(max(K_CANDIDATES)),
        ),
        Mistake(
            "lowest_silhouette",
            "That k has the LOWEST silhouette. A higher silhouette means customers sit closer to their "
            "own cluster than to the next one: look for the maximum.",
            applies=lambda answer: _number(answer) == float(_k_table()["silhouette"].idxmin()),
        ),
        Mistake(
            "score_not_k",
            "You gave a silhouette value. The task asks for the number of clusters k (the index of k_table).",
            applies=lambda answer: (v := _number(answer)) is not None and -1 <= v <= 1 and v != round(v),
        ),
    ),
    hint="k_table['silhouette'].idxmax() gives the k with the highest silhouette.",
)


# --- 6. revenue share per cluster ---------------------------------------------------------------
def _revenue_share() -> pd.Series:
    monetary = _features()["monetary"]
    return monetary.groupby(_labels()).sum() / monetary.sum()


revenue_share = Exercise(
    id="segment.revenue_share",
    prompt="Share of total revenue (monetary) per cluster, as fractions that sum to 1.",
    expected=_revenue_share,
    compare=compare_series,
    mistakes=(
        Mistake(
            "customer_share",
            "These are the clusters' shares of CUSTOMERS. The task asks for their share of REVENUE: "
            "sum monetary per cluster and divide by total monetary.",
            answer=lambda: _labels().value_counts(normalize=True).sort_index(),
        ),
        Mistake(
            "percent_not_fraction",
            "Right idea, but give fractions between 0 and 1, not percentages.",
            answer=lambda: 100 * _revenue_share(),
        ),
        Mistake(
            "revenue_not_share",
            "That is each cluster's revenue in CNY. Divide by the total revenue to get shares.",
            answer=lambda: _features()["monetary"].groupby(_labels()).sum(),
        ),
    ),
    hint="features['monetary'].groupby(labels).sum() divided by features['monetary'].sum().",
)


# --- 7. recovery of the true segments -----------------------------------------------------------
def _truth() -> pd.Series:
    return load_truth().set_index("customer_id")["segment"].reindex(_labels().index)


def _plain_accuracy() -> float:
    return float((_labels().to_numpy() == _truth().cat.codes.to_numpy()).mean())


def _matched_accuracy() -> float:
    """Share of customers in their cluster's majority true segment (purity)."""
    table = pd.crosstab(_labels(), _truth())
    return float(table.max(axis=1).sum() / table.to_numpy().sum())


def _near(answer: Any, value: float) -> bool:
    v = _number(answer)
    return v is not None and bool(np.isclose(v, value, rtol=1e-4, atol=1e-9))


ari_truth = Exercise(
    id="segment.ari_truth",
    prompt="Adjusted Rand index between the k-means labels and the true segments (truth['segment']).",
    expected=lambda: float(adjusted_rand_score(_truth(), _labels())),
    mistakes=(
        Mistake(
            "label_accuracy",
            "You compared label numbers directly (accuracy). Cluster numbers are arbitrary: cluster 0 "
            "need not be segment 0, and renumbering the clusters would change your score. The "
            "adjusted Rand index compares the groupings, whatever the numbers.",
            applies=lambda answer: _near(answer, _plain_accuracy()),
        ),
        Mistake(
            "majority_accuracy",
            "That is purity (each cluster matched to its most common true segment). It is not corrected "
            "for chance and always rises with k. Use sklearn.metrics.adjusted_rand_score.",
            applies=lambda answer: _near(answer, _matched_accuracy()),
        ),
    ),
    hint="adjusted_rand_score(truth_segment, labels), with both aligned on customer_id.",
)

EXERCISES: tuple[Exercise, ...] = (
    age_band,
    main_cat,
    scaled,
    kmeans_labels,
    best_k,
    revenue_share,
    ari_truth,
)
