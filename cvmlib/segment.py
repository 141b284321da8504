"""Customer segmentation: demographic tables and behavioural segments with k-means.

Two kinds of segmentation live here.

* **A priori** segments from what we know about a customer before looking at behaviour:
  :func:`age_bands`, :func:`main_category` (the category with the largest share of the customer's
  spend) and :func:`demographic_table` (age band x main categories x main channel x a suggested
  marketing approach, the kind of table CVM textbooks show).
* **Behavioural** segments found in the data: :func:`customer_features` (RFM, category mix and
  channel use per customer), :func:`scale_features` (log transform of the skewed RFM columns, then
  z-scores), :func:`kmeans_segments` (scikit-learn's ``KMeans``), :func:`choose_k` (inertia for the
  elbow, a sampled silhouette), :func:`segment_profile` and :func:`suggest_segment_names` to read
  the clusters, :func:`stability` (adjusted Rand index across seeds and bootstrap samples) and
  :func:`pca_projection` for a 2-D picture. Plots are in :mod:`cvmlib.plotting`.

Bad input raises :class:`cvmlib.validate.InputError` naming the column and the offending rows:
NaN or infinite features, negative values where a log is taken, an empty table, ``k`` larger than
the number of distinct customers. Transactions go through
:func:`cvmlib.validate.validate_transactions` (via :func:`cvmlib.rfm.rfm_table`).

Examples
--------
>>> import pandas as pd
>>> features = pd.DataFrame({"frequency": [1, 2, 1, 30, 40], "monetary": [50.0, 80.0, 60.0, 3000.0, 5000.0]},
...                         index=pd.Index(["A", "B", "C", "D", "E"], name="customer_id"))
>>> X = scale_features(features, log_columns=["frequency", "monetary"])
>>> kmeans_segments(X, k=2, random_state=0).tolist()
[0, 0, 0, 1, 1]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score
from threadpoolctl import threadpool_limits

from cvmlib.display import label, register_labels
from cvmlib.i18n import N_, _, format_list
from cvmlib.rfm import rfm_table
from cvmlib.validate import (
    InputError,
    as_series,
    require_1d,
    require_finite,
    require_increasing,
    require_int,
    require_non_negative,
    require_not_empty,
    require_numeric_table,
    require_positive,
    require_present,
    require_same_ids,
    require_table,
    require_unique,
    require_within,
)

__all__ = [
    "AGE_EDGES",
    "CHANNEL_APPROACHES",
    "LOG_COLUMNS",
    "age_bands",
    "choose_k",
    "customer_features",
    "demographic_table",
    "kmeans_segments",
    "main_category",
    "pca_projection",
    "scale_features",
    "segment_profile",
    "stability",
    "suggest_segment_names",
]

#: Age band edges in years, each band ``[lower, upper)``: 18-24, 25-34, 35-44, 45-54, 55+.
AGE_EDGES: tuple[int, ...] = (18, 25, 35, 45, 55, 120)
#: The right-skewed RFM columns that :func:`scale_features` log-transforms by default.
LOG_COLUMNS: tuple[str, ...] = ("recency", "frequency", "monetary", "mean_order_value")
#: How to reach a group whose main purchase channel is this one (used by :func:`demographic_table`).
CHANNEL_APPROACHES: dict[str, str] = {
    "app": N_("app push, in-app coupons and livestream shopping"),
    "mini_program": N_("WeChat mini-program campaigns, group buying and social sharing"),
    "store": N_("in-store events, membership days and shopping guides"),
    "web": N_("search advertising, content and e-mail newsletters"),
}
register_labels(CHANNEL_APPROACHES.values())  # shown translated in tables (cvmlib.display)
#: k-means squares distances: beyond this magnitude they overflow to inf (scale the features).
MAX_FEATURE_MAGNITUDE = 1e150


# --------------------------------------------------------------------------------------------
# Inputs (every check is a shared guard of cvmlib.validate)
# --------------------------------------------------------------------------------------------
def _features(features: Any, name: str = "features") -> pd.DataFrame:
    """A non-empty numeric table of finite features small enough for squared distances."""
    if not isinstance(features, pd.DataFrame):
        raise InputError(_("{name} must be a pandas DataFrame (one row per customer, one column per feature); "
                           "got {type}.").format(name=name, type=type(features).__name__))
    require_numeric_table(features, name)
    fix = _("Such values make k-means distances overflow: rescale the features first (scale_features).")
    for column in features.columns:
        require_within(features[column], column, -MAX_FEATURE_MAGNITUDE, MAX_FEATURE_MAGNITUDE,
                       frame=features, columns=[column], fix=fix)
    return features


def _orders(orders: Any, columns: Iterable[str]) -> pd.DataFrame:
    """Orders with the named columns filled in and positive amounts."""
    columns = list(columns)
    require_table(orders, "orders", columns)
    for column in columns:
        require_present(orders[column], column, what=f"a {column}", frame=orders, columns=columns)
    if "amount" in columns:
        require_positive(orders["amount"], "amount", frame=orders, columns=columns,
                         fix=_("Returns or zero amounts? Clean the orders first (cvmlib.clean.clean_orders)."))
    return orders


# --------------------------------------------------------------------------------------------
# A priori segments: age bands, main category, the demographic table
# --------------------------------------------------------------------------------------------
def _band_labels(edges: Sequence[int]) -> list[str]:
    labels = [f"{lo}-{hi - 1}" for lo, hi in zip(edges[:-2], edges[1:-1])]
    return labels + [f"{edges[-2]}+"]


def age_bands(age: pd.Series, edges: Sequence[int] = AGE_EDGES) -> pd.Series:
    """Age band of each customer; each band includes its lower edge and excludes its upper one.

    Parameters
    ----------
    age : pandas.Series
        Age in whole years, one value per customer.
    edges : sequence of int, default :data:`AGE_EDGES`
        Increasing edges; the last band is labelled "lower+" (e.g. "55+").

    Returns
    -------
    pandas.Series
        Ordered Categorical with labels such as "18-24", "25-34", ..., "55+"; same index as ``age``.

    Examples
    --------
    >>> age_bands(pd.Series([18, 24, 25, 60])).astype(str).tolist()
    ['18-24', '18-24', '25-34', '55+']
    >>> age_bands(pd.Series([17]))
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'age' has 1 value outside [18, 120). ...
    """
    age = require_not_empty(as_series(age, "age"), "age", "customers")
    bounds = require_increasing(edges, "edges")
    if len(bounds) < 2:
        raise InputError(_("edges needs at least two values (one band); got {edges}.").format(edges=bounds.tolist()))
    frame = age.rename("age").to_frame()
    require_finite(age, "age", frame=frame)
    require_within(age, "age", bounds[0], bounds[-1], inclusive="left", frame=frame,
                   fix=_("Outside the age bands: fix those ages or widen the edges."))
    edges = [int(e) if float(e).is_integer() else e for e in bounds]
    # right=False: a 25-year-old belongs to 25-34, not to 18-24
    return pd.cut(age, bins=list(edges), right=False, labels=_band_labels(edges)).rename("age_band")


def _spend_shares(orders: pd.DataFrame, column: str, customer_col: str = "customer_id") -> pd.DataFrame:
    spend = orders.pivot_table(index=customer_col, columns=column, values="amount", aggfunc="sum",
                               fill_value=0.0, observed=True)
    return spend.div(spend.sum(axis=1), axis=0)


def main_category(orders: pd.DataFrame, customer_col: str = "customer_id") -> pd.Series:
    """Each customer's main category: the one with the largest share of their **spend**.

    Spend, not the number of orders: one television outweighs five packets of coffee. Ties go to
    the category listed first (the category order of ``orders["category"]``).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "A"], "category": ["Food", "Food", "Tech"],
    ...                        "amount": [20.0, 30.0, 900.0]})
    >>> main_category(orders).to_dict()
    {'A': 'Tech'}
    """
    _orders(orders, [customer_col, "category", "amount"])
    shares = _spend_shares(orders, "category", customer_col)
    return shares.idxmax(axis=1).astype(str).rename("main_category")


def demographic_table(customers: pd.DataFrame, orders: pd.DataFrame, edges: Sequence[int] = AGE_EDGES) -> pd.DataFrame:
    """Age bands x main categories x main channel x a suggested marketing approach.

    Parameters
    ----------
    customers : pandas.DataFrame
        Columns ``customer_id`` and ``age``.
    orders : pandas.DataFrame
        Columns ``customer_id``, ``category``, ``channel``, ``amount`` (> 0).
    edges : sequence of int
        Age band edges (see :func:`age_bands`).

    Returns
    -------
    pandas.DataFrame
        One row per age band (index ``age_band``): ``customers``, ``customer_share``,
        ``spend_per_customer``, ``top_categories`` (the two categories with the largest share of
        the band's spend, with the shares), ``main_channel`` (largest share of the band's orders)
        and ``approach`` (from :data:`CHANNEL_APPROACHES` and the top category). ``top_categories`` and
        ``approach`` are texts for people, in the language in force.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["A", "B"], "age": [22, 50]})
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B"], "category": ["Beauty", "Home", "Home"],
    ...                        "channel": ["app", "app", "store"], "amount": [300.0, 100.0, 80.0]})
    >>> table = demographic_table(customers, orders)
    >>> table.loc["18-24", "top_categories"], table.loc["45-54", "main_channel"]
    ('Beauty (75%), Home (25%)', 'store')
    """
    _orders(orders, ["customer_id", "category", "channel", "amount"])
    require_table(customers, "customers", ["customer_id", "age"])
    require_unique(customers["customer_id"], "customer_id", what="customer id", frame=customers)
    # every buyer needs an age band: a customer missing from `customers` would vanish from the table
    require_same_ids(orders["customer_id"], customers["customer_id"], "the customer_id of orders",
                     "customers", subset=True, frame=orders, columns=["customer_id", "amount"])
    band = age_bands(customers.set_index("customer_id")["age"], edges)
    band_of_order = orders["customer_id"].map(band)
    spend = orders.groupby([band_of_order, "category"], observed=True)["amount"].sum().unstack(fill_value=0.0)
    spend_share = spend.div(spend.sum(axis=1), axis=0)
    channel = orders.groupby([band_of_order, "channel"], observed=True).size().unstack(fill_value=0)
    rows = {}
    for name in band.cat.categories:
        members = int((band == name).sum())
        if members == 0:
            continue
        top = spend_share.loc[name].sort_values(ascending=False).head(2) if name in spend_share.index else pd.Series()
        main_channel = str(channel.loc[name].idxmax()) if name in channel.index else ""
        top_text = format_list(_("{category} ({share:.0%})").format(category=label(str(cat)), share=share)
                               for cat, share in top.items())
        first = label(str(top.index[0])) if len(top) else _("the range")
        rows[name] = {
            "customers": members,
            "customer_share": members / len(band),
            "spend_per_customer": float(spend.loc[name].sum()) / members if name in spend.index else 0.0,
            "top_categories": top_text,
            "main_channel": main_channel,
            "approach": _("{category}: {approach}").format(
                category=first, approach=_(CHANNEL_APPROACHES.get(main_channel, N_("channel of choice")))),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("age_band")


# --------------------------------------------------------------------------------------------
# Behavioural features
# --------------------------------------------------------------------------------------------
def customer_features(orders: pd.DataFrame, snapshot_date: Any) -> pd.DataFrame:
    """Per-customer behavioural features: RFM, category mix (spend shares) and channel use.

    Parameters
    ----------
    orders : pandas.DataFrame
        Clean orders with ``customer_id``, ``order_id``, ``order_date``, ``amount`` (> 0),
        ``category`` and ``channel``. Validated by :func:`cvmlib.rfm.rfm_table`.
    snapshot_date : date-like
        The date the analysis is run as of (for recency).

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id``; columns ``recency`` (days), ``frequency`` (orders), ``monetary``
        (CNY), ``mean_order_value`` (CNY), then ``cat_<category>`` (share of the customer's spend,
        rows sum to 1) and ``chan_<channel>`` (share of the customer's orders, rows sum to 1).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B"], "order_id": ["1", "2", "3"],
    ...     "order_date": pd.to_datetime(["2025-01-01", "2025-03-01", "2025-02-01"]),
    ...     "amount": [100.0, 300.0, 50.0], "category": ["Home", "Beauty", "Home"],
    ...     "channel": ["app", "web", "app"]})
    >>> features = customer_features(orders, "2025-04-01")
    >>> features.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['recency', 'frequency', 'monetary', 'mean_order_value', 'cat_Beauty', 'cat_Home',
     'chan_app', 'chan_web']
    >>> features.loc["A"].round(2).tolist()
    [31.0, 2.0, 400.0, 200.0, 0.75, 0.25, 0.5, 0.5]
    """
    rfm = rfm_table(orders, snapshot_date)  # validates the transactions first
    _orders(orders, ["category", "channel"])
    categories = _spend_shares(orders, "category").add_prefix("cat_")
    channel_orders = orders.pivot_table(index="customer_id", columns="channel", values="order_id",
                                        aggfunc="nunique", fill_value=0, observed=True)
    channels = channel_orders.div(channel_orders.sum(axis=1), axis=0).add_prefix("chan_")
    features = rfm.join(categories).join(channels)
    features.columns = [str(c) for c in features.columns]
    return features.rename_axis("customer_id")


def scale_features(features: pd.DataFrame, log_columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Log-transform the skewed columns (``log1p``), then standardise every column to z-scores.

    Why: k-means measures plain Euclidean distance, so a column in CNY (thousands) would swamp a
    share (0 to 1); and a few very large spenders would pull whole clusters towards them. The log
    compresses the long right tail first, then scaling gives every column mean 0 and standard
    deviation 1 (population sd, ``ddof=0``, as scikit-learn's ``StandardScaler``). The order
    matters: after scaling, half the values are negative and have no logarithm. A constant column
    carries no information and becomes all 0.

    Parameters
    ----------
    features : pandas.DataFrame
        Numeric features, one row per customer (e.g. from :func:`customer_features`).
    log_columns : iterable of str, optional
        Columns to log-transform; default: those of :data:`LOG_COLUMNS` present in ``features``.
        Their values must be >= 0.

    Returns
    -------
    pandas.DataFrame
        Same index and columns, every column with mean 0 and sd 1 (or all 0 if constant).

    Examples
    --------
    >>> f = pd.DataFrame({"monetary": [10.0, 100.0, 1000.0], "cat_Home": [0.0, 0.5, 1.0]})
    >>> scale_features(f).round(3)
       monetary  cat_Home
    0    -1.218    -1.225
    1    -0.014     0.000
    2     1.232     1.225
    >>> scale_features(pd.DataFrame({"monetary": [-5.0, 10.0]}))
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'monetary' has 1 negative value. A log needs values >= 0: ...
    """
    features = _features(features)
    columns = [c for c in LOG_COLUMNS if c in features.columns] if log_columns is None else list(log_columns)
    require_table(features, "features", columns)
    for column in columns:
        require_non_negative(features[column], column, frame=features, columns=[column],
                             fix=_("A log needs values >= 0: returns netted below zero?"))
    values = features.astype(float)
    values[columns] = np.log1p(values[columns])
    sd = values.std(ddof=0)
    return (values - values.mean()) / sd.where(sd > 0, 1.0)


# --------------------------------------------------------------------------------------------
# k-means and how to read it
# --------------------------------------------------------------------------------------------
def kmeans_segments(features: pd.DataFrame, k: int, random_state: int = 0, n_init: int = 10) -> pd.Series:
    """Cluster customers with scikit-learn's k-means; labels numbered by size (0 = largest).

    The features are used as given: scale them first (:func:`scale_features`), since k-means
    treats one unit of every column as the same distance.

    Parameters
    ----------
    features : pandas.DataFrame
        Numeric features, one row per customer, no NaN.
    k : int
        Number of segments, 1 <= k <= number of distinct rows.
    random_state : int, default 0
        Seed of the k-means++ initialisation; fixed so results are reproducible.
    n_init : int, default 10
        Number of initialisations; the best (lowest inertia) is kept.

    Returns
    -------
    pandas.Series
        Integer label per customer (name ``cluster``, same index as ``features``). Clusters are
        renumbered from largest (0) to smallest, so the numbering does not depend on the order in
        which k-means happened to find them.

    Examples
    --------
    >>> X = pd.DataFrame({"x": [0.0, 0.1, 5.0, 5.1, 5.2]}, index=list("abcde"))
    >>> kmeans_segments(X, k=2).tolist()
    [1, 1, 0, 0, 0]
    >>> kmeans_segments(X.iloc[:1], k=2)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: k=2 segments cannot be formed from 1 distinct customer profile(s): ...
    """
    features = _features(features)
    k = require_int(k, "k", minimum=1)
    n_init = require_int(n_init, "n_init", minimum=1)
    random_state = require_int(random_state, "random_state")
    values = features.to_numpy(dtype=float)
    n_distinct = len(np.unique(values, axis=0))
    if k > n_distinct:
        raise InputError(
            _("k={k} segments cannot be formed from {n} distinct customer profile(s): k must not exceed the "
              "number of distinct rows of the features.").format(k=k, n=n_distinct)
        )
    # One thread: for a few thousand customers OpenMP's start-up and spin-waiting cost more than
    # they save, and on a busy classroom server two threads can be 50x slower than one.
    with threadpool_limits(1):
        model = KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(values)
    labels = pd.Series(_relabel_by_size(model.labels_, k), index=features.index, name="cluster")
    labels.attrs["inertia"] = float(model.inertia_)  # for choose_k: no second fit needed
    return labels


def _relabel_by_size(labels: np.ndarray, k: int) -> np.ndarray:
    sizes = np.bincount(labels, minlength=k)
    order = np.argsort(-sizes, kind="stable")  # largest first; ties keep k-means' order
    new = np.empty(k, dtype=np.int64)
    new[order] = np.arange(k)
    return new[labels]


def choose_k(
    features: pd.DataFrame,
    ks: Iterable[int] = range(2, 9),
    random_state: int = 0,
    sample_size: int | None = 2000,
) -> pd.DataFrame:
    """Inertia (for the elbow) and mean silhouette for each candidate k.

    The silhouette costs O(n^2), so by default it is computed on a random sample of
    ``sample_size`` customers (the same sample for every k); ``None`` uses all.

    Returns
    -------
    pandas.DataFrame
        Index ``k``; columns ``inertia`` (within-cluster sum of squares, always falls as k grows)
        and ``silhouette`` (-1..1, higher = better separated; NaN where it is undefined: one
        cluster, or one customer per cluster).

    Examples
    --------
    >>> X = pd.DataFrame({"x": [0.0, 0.1, 0.2, 5.0, 5.1, 5.2, 9.0, 9.1]})
    >>> table = choose_k(X, ks=[2, 3])
    >>> int(table["silhouette"].idxmax())
    3
    """
    features = _features(features)
    candidates = [require_int(k, "k", minimum=1) for k in require_not_empty(list(ks), "ks", "candidate k")]
    if sample_size is not None:
        sample_size = require_int(sample_size, "sample_size", minimum=2)
    values = features.to_numpy(dtype=float)
    rows = {}
    for k in candidates:
        labels = kmeans_segments(features, k, random_state=random_state)
        # the same sample for every k, drawn as silhouette_score(sample_size=...) draws it
        picked = (np.random.RandomState(random_state).permutation(len(values))[:sample_size]
                  if sample_size and sample_size < len(values) else np.arange(len(values)))
        sampled = labels.to_numpy()[picked]
        found = len(np.unique(sampled))
        silhouette = (  # undefined (NaN, as documented) for one cluster or one customer per cluster
            float(silhouette_score(values[picked], sampled)) if 1 < found < len(picked) else float("nan")
        )
        rows[int(k)] = {"inertia": labels.attrs["inertia"], "silhouette": silhouette}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("k")


def segment_profile(labels: pd.Series, features: pd.DataFrame, customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Size, value and typical customer of each segment.

    Parameters
    ----------
    labels : pandas.Series
        Segment per customer (e.g. from :func:`kmeans_segments`).
    features : pandas.DataFrame
        **Unscaled** features from :func:`customer_features` (same customers as ``labels``).
    customers : pandas.DataFrame, optional
        With ``customer_id``, ``age``, ``city_tier``: adds ``mean_age`` and ``tier_1_2_share``.

    Returns
    -------
    pandas.DataFrame
        One row per segment: ``customers``, ``customer_share``, ``revenue``, ``revenue_share``,
        ``revenue_per_customer``, ``median_recency``, ``mean_frequency``, ``mean_order_value``,
        ``top_category`` and ``top_category_share`` (largest mean spend share), ``main_channel``,
        and, with ``customers``, ``mean_age`` and ``tier_1_2_share``.

    Examples
    --------
    >>> f = pd.DataFrame({"recency": [5, 9, 300], "frequency": [10, 6, 1], "monetary": [900.0, 600.0, 50.0],
    ...                   "cat_Home": [0.9, 0.7, 0.0], "cat_Beauty": [0.1, 0.3, 1.0],
    ...                   "chan_app": [1.0, 1.0, 0.0], "chan_web": [0.0, 0.0, 1.0]}, index=list("abc"))
    >>> p = segment_profile(pd.Series([0, 0, 1], index=list("abc")), f)
    >>> p[["customers", "revenue_share", "top_category", "main_channel"]]  # doctest: +NORMALIZE_WHITESPACE
             customers  revenue_share top_category main_channel
    segment
    0                2       0.967742         Home          app
    1                1       0.032258       Beauty          web
    """
    require_table(features, "features (the unscaled output of customer_features)", ["recency", "frequency", "monetary"])
    features = _features(features)
    require_non_negative(features["monetary"], "monetary", frame=features)
    labels = as_series(labels, "labels")
    require_unique(labels.index, "the index of labels", what="customer id")
    require_unique(features.index, "the index of features", what="customer id")
    require_same_ids(labels.index, features.index, "labels", "features")
    labels = labels.reindex(features.index)
    require_present(labels, "labels", what="a segment")
    group = features.groupby(labels.to_numpy(), observed=True)
    profile = pd.DataFrame({"customers": group.size()})
    profile["customer_share"] = profile["customers"] / len(features)
    profile["revenue"] = group["monetary"].sum()
    profile["revenue_share"] = profile["revenue"] / features["monetary"].sum()
    profile["revenue_per_customer"] = profile["revenue"] / profile["customers"]
    profile["median_recency"] = group["recency"].median()
    profile["mean_frequency"] = group["frequency"].mean()
    profile["mean_order_value"] = profile["revenue"] / group["frequency"].sum()
    for prefix, name in (("cat_", "top_category"), ("chan_", "main_channel")):
        columns = [c for c in features.columns if str(c).startswith(prefix)]
        if columns:
            mix = group[columns].mean()
            profile[name] = mix.idxmax(axis=1).str.removeprefix(prefix)
            if prefix == "cat_":
                profile["top_category_share"] = mix.max(axis=1)
    if customers is not None:
        require_table(customers, "customers", ["customer_id", "age", "city_tier"])
        require_unique(customers["customer_id"], "customer_id", what="customer id", frame=customers)
        require_same_ids(features.index, customers["customer_id"], "features", "customers", subset=True)
        require_finite(customers["age"], "age", frame=customers)
        info = customers.set_index("customer_id").reindex(features.index)
        profile["mean_age"] = info["age"].groupby(labels.to_numpy()).mean()
        profile["tier_1_2_share"] = info["city_tier"].astype(int).le(2).groupby(labels.to_numpy()).mean()
    return profile.rename_axis("segment")


def suggest_segment_names(profile: pd.DataFrame) -> pd.Series:
    """A first, data-derived name per segment: value level, activity and top category.

    Value level: "high value" if revenue per customer is at least 1.5 x the base average, "low
    value" if at most 0.5 x, else "mid value"; "lapsed" if the median recency exceeds 180 days.
    Names are a starting point for the team to rename, not a diagnosis. They are texts for people,
    written in the language in force (``cvmlib.set_language``), with the category shown as
    :func:`cvmlib.display.label` shows it.

    Examples
    --------
    >>> p = pd.DataFrame({"customers": [8, 2], "revenue": [800.0, 1200.0], "median_recency": [20, 400],
    ...                   "top_category": ["Home", "Electronics"]})
    >>> suggest_segment_names(p).tolist()
    ['Home, low value', 'Electronics, high value, lapsed']
    """
    require_table(profile, "profile (from segment_profile)", ["customers", "revenue", "median_recency", "top_category"])
    require_positive(profile["customers"], "customers", frame=profile)
    require_non_negative(profile["revenue"], "revenue", frame=profile)
    require_non_negative(profile["median_recency"], "median_recency", frame=profile)
    require_present(profile["top_category"], "top_category", what="a category", frame=profile)
    per_customer = profile["revenue"] / profile["customers"]
    average = profile["revenue"].sum() / profile["customers"].sum()
    words = {level: _(level) for level in (N_("high value"), N_("low value"), N_("mid value"))}
    level = np.where(per_customer >= 1.5 * average, "high value",
                     np.where(per_customer <= 0.5 * average, "low value", "mid value"))
    named, lapsed = _("{category}, {level}"), _("{name}, lapsed")
    names = []
    for cat, lvl, rec in zip(profile["top_category"], level, profile["median_recency"]):
        name = named.format(category=label(str(cat)), level=words[str(lvl)])
        names.append(lapsed.format(name=name) if rec > 180 else name)
    seen: dict[str, int] = {}
    unique = []
    for name in names:  # two clusters can earn the same name: number the repeats
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return pd.Series(unique, index=profile.index, name="name")


def stability(
    features: pd.DataFrame,
    k: int,
    seeds: Sequence[int] = (1, 2, 3, 4, 5),
    n_bootstrap: int = 5,
    random_state: int = 0,
) -> pd.DataFrame:
    """How much the clustering changes when re-fitted: adjusted Rand index (ARI) against a reference.

    The reference is ``kmeans_segments(features, k, random_state)``. "seed" rows re-fit on the same
    customers with other seeds; "bootstrap" rows fit on a bootstrap sample (customers drawn with
    replacement), then assign every customer to its nearest centre. ARI 1 = the same partition
    (whatever the label numbers), about 0 = no more agreement than chance.

    Returns
    -------
    pandas.DataFrame
        Columns ``method`` ("seed" or "bootstrap"), ``run`` (seed or bootstrap number), ``ari``.

    Examples
    --------
    >>> X = pd.DataFrame({"x": [0.0, 0.1, 0.2, 5.0, 5.1, 5.2]})
    >>> stability(X, 2, seeds=(1, 2), n_bootstrap=2)["ari"].tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    features = _features(features)
    seeds = [require_int(seed, "seeds", minimum=0) for seed in require_1d(seeds, "seeds")]
    n_bootstrap = require_int(n_bootstrap, "n_bootstrap", minimum=0)
    if not seeds and n_bootstrap == 0:
        raise InputError(_("seeds is empty and n_bootstrap=0: there is no re-fit to compare with."))
    reference = kmeans_segments(features, k, random_state=random_state)
    values = features.to_numpy(dtype=float)
    rows: list[dict[str, Hashable]] = []
    for seed in seeds:
        other = kmeans_segments(features, k, random_state=seed)
        rows.append({"method": "seed", "run": int(seed), "ari": float(adjusted_rand_score(reference, other))})
    rng = np.random.default_rng(random_state)
    for run in range(n_bootstrap):
        sample = values[rng.integers(0, len(values), len(values))]
        if len(np.unique(sample, axis=0)) < k:
            continue  # a tiny sample may not hold k distinct customers: skip, never crash
        with threadpool_limits(1):  # see kmeans_segments
            model = KMeans(n_clusters=k, n_init=10, random_state=random_state + run + 1).fit(sample)
        rows.append({"method": "bootstrap", "run": run + 1,
                     "ari": float(adjusted_rand_score(reference, model.predict(values)))})
    return pd.DataFrame(rows, columns=["method", "run", "ari"])


def pca_projection(features: pd.DataFrame) -> pd.DataFrame:
    """The first two principal components of (scaled) features, for a 2-D picture of the clusters.

    Returns
    -------
    pandas.DataFrame
        Columns ``pc1``, ``pc2``, same index; ``attrs["explained_variance_ratio"]`` holds the share
        of the variance each component keeps (a 2-D picture can hide separations).

    Examples
    --------
    >>> X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "b": [0.0, 1.0, 2.0, 3.1], "c": [1.0, 0.0, 1.0, 0.0]})
    >>> proj = pca_projection(X)
    >>> list(proj.columns), proj.shape
    (['pc1', 'pc2'], (4, 2))
    """
    features = _features(features)
    if features.shape[0] < 2 or features.shape[1] < 2:
        raise InputError(_("A 2-D projection needs at least 2 customers and 2 features."))
    pca = PCA(n_components=2, random_state=0)
    coords = pca.fit_transform(features.to_numpy(dtype=float))
    result = pd.DataFrame(coords, index=features.index, columns=["pc1", "pc2"])
    result.attrs["explained_variance_ratio"] = [float(v) for v in pca.explained_variance_ratio_]
    return result
