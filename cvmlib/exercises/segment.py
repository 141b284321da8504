"""The checked exercises of the segmentation workbook (``notebooks/segmentation_workbook.ipynb``).

Every expected answer is computed from the shipped retailer data with :mod:`cvmlib.segment`;
every mistake computes (or recognises) the answer a participant with that misconception would
produce, so a specific hint is given only when the answer really is that mistake. Every exercise
also computes its *near misses* (one customer in another band or cluster, a neighbouring k, a
share missing one customer), and each comparison is set to the precision the workbook asks for,
so none of them is accepted.
"""

from __future__ import annotations

from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, rand_score
from threadpoolctl import threadpool_limits

from cvmlib.datasets import load_customers, load_orders, load_truth
from cvmlib.feedback import (
    Exercise,
    Mistake,
    NotComparable,
    as_series,
    compare_choice,
    compare_scalar,
    compare_series,
)
from cvmlib.exercises.wrong_answers import Options
from cvmlib.forms import Choice, Number
from cvmlib.i18n import N_, _, ngettext
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

# Precision of each exercise, as its prompt states it.
#: k is a whole number: exact.
_exact_number = partial(compare_scalar, rtol=0.0, atol=1e-9)
#: Revenue shares "with at least 7 decimals": the smallest customer is 7.6e-7 of all revenue, so
#: moving them to another cluster changes two shares by more than 6e-8; 7 decimals are 5e-8.
_share_series = partial(compare_series, rtol=0.0, atol=6e-8)
#: The ARI "to 4 decimals": rounding moves it by at most 5e-5; labels of another seed or with one
#: customer moved change it by 1e-4 or more, the other agreement measures by far more.
_four_decimals = partial(compare_scalar, rtol=0.0, atol=5.5e-5)


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
    with np.errstate(invalid="ignore", divide="ignore"):  # a mistake's log of z-scores: NaN, no warning
        out[columns] = log(out[columns])
    return out


def _standardise(frame: pd.DataFrame, ddof: int = 0) -> pd.DataFrame:
    return (frame - frame.mean()) / frame.std(ddof=ddof)


def _kmeans_on(frame: pd.DataFrame, seed: int = SEED) -> pd.Series:
    with threadpool_limits(1):  # fast and steady on a busy machine (see cvmlib.segment.kmeans_segments)
        labels = KMeans(n_clusters=K, n_init=10, random_state=seed).fit_predict(frame.to_numpy(dtype=float))
    return pd.Series(labels, index=frame.index, name="cluster")


@cache
def _labels_unscaled() -> pd.Series:
    """The task's k-means on the raw features (computed once: a mistake's answer, checked on every attempt)."""
    return _kmeans_on(_features())


@cache
def _labels_log_only() -> pd.Series:
    return _kmeans_on(_log_columns(_features()))


@cache
def _labels_other_seed() -> pd.Series:
    """The task's k-means with random_state=2: a solution a few customers away from the expected one."""
    return _kmeans_on(_scaled(), seed=2)


# ----------------------------------------------------------------------------------------------
# Comparators for answers that are tables or partitions
# ----------------------------------------------------------------------------------------------
def compare_frame(answer: Any, expected: pd.DataFrame, rtol: float = 2e-4) -> str | None:
    """Compare a table of numbers (same customers and columns, any row or column order).

    The tolerance accepts the sample standard deviation (``ddof=1``, pandas' default) as well as
    the population one (``ddof=0``, scikit-learn's): for 5,000 customers they differ by 0.01 %,
    half the tolerance. Any real slip (a column left unlogged or unscaled) is off by far more.

    >>> e = pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "y"])
    >>> compare_frame(e.iloc[::-1], e) is None
    True
    >>> compare_frame(e * 2, e)
    '2 of 2 values differ from the expected ones (column a).'
    """
    if isinstance(answer, np.ndarray) and answer.shape == expected.shape:
        answer = pd.DataFrame(answer, index=expected.index, columns=expected.columns)
    if not isinstance(answer, pd.DataFrame):
        raise NotComparable(_("Expected a DataFrame (one row per customer, one column per feature), got {kind}.")
                            .format(kind=type(answer).__name__))
    missing = [c for c in expected.columns if c not in answer.columns]
    if missing:
        raise NotComparable(_("Your table has no column(s) {columns}. Keep every feature column.")
                            .format(columns=", ".join(map(str, missing[:4]))))
    if not answer.index.sort_values().equals(expected.index.sort_values()):
        raise NotComparable(_("Your table has not the same customers (index) as the features. Keep every customer."))
    got = answer.reindex(index=expected.index, columns=expected.columns)
    for column in expected.columns:
        a = pd.to_numeric(got[column], errors="coerce").to_numpy(dtype=float)
        b = expected[column].to_numpy(dtype=float)
        same = np.isclose(a, b, rtol=rtol, atol=1e-6) | (np.isnan(a) & np.isnan(b))
        if not same.all():
            return _("{wrong} of {total} values differ from the expected ones (column {column}).").format(
                wrong=int((~same).sum()), total=len(b), column=column)
    return None


def compare_partition(answer: Any, expected: pd.Series) -> str | None:
    """Compare cluster labels up to renumbering: exactly the same partition of the customers.

    A label array in the row order of the features is accepted (``KMeans(...).fit_predict(X)``).
    The task fixes the algorithm and its seed, so the partition is determined: one customer in
    another cluster is a different answer.

    >>> e = pd.Series([0, 0, 1], index=["a", "b", "c"])
    >>> compare_partition(np.array([1, 1, 0]), e) is None
    True
    >>> compare_partition(pd.Series([0, 1, 1], index=["a", "b", "c"]), e)
    'Your clusters group the customers differently: 1 customer sits in another cluster than expected (adjusted Rand index 0.000).'
    """
    if isinstance(answer, (np.ndarray, list)) and len(answer) == len(expected):
        answer = pd.Series(np.asarray(answer), index=expected.index)
    got = as_series(answer, expected.index.name)
    if not got.index.sort_values().equals(expected.index.sort_values()):
        raise NotComparable(_("Your labels are not one per customer of the features (check the index)."))
    got = got.reindex(expected.index)
    if got.isna().any():
        raise NotComparable(_("Some customers have no cluster label."))
    if not pd.api.types.is_numeric_dtype(got) or pd.api.types.is_bool_dtype(got) \
            or not bool((got == got.round()).all()):
        raise NotComparable(_("Give the cluster numbers k-means returns (whole numbers, one per customer), not text."))
    table = pd.crosstab(got.to_numpy(), expected.to_numpy())
    if table.shape[0] != table.shape[1]:
        return _("Your labels form {given} clusters; the task asks for {asked}.").format(
            given=table.shape[0], asked=table.shape[1])
    # the same partition: every cluster of the answer is exactly one expected cluster
    if int((table.to_numpy() > 0).sum()) == table.shape[0]:
        return None
    misplaced = int(len(got) - table.max(axis=1).sum())
    ari = adjusted_rand_score(expected.to_numpy(), got.to_numpy())
    return ngettext(
        "Your clusters group the customers differently: {n} customer sits in another cluster than expected "
        "(adjusted Rand index {ari:.3f}).",
        "Your clusters group the customers differently: {n} customers sit in another cluster than expected "
        "(adjusted Rand index {ari:.3f}).",
        misplaced,
    ).format(n=misplaced, ari=max(ari, 0.0))


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


def _moved(labels: pd.Series, customer: Any, to: Any) -> pd.Series:
    """``labels`` with one customer given another label: the smallest wrong partition or labelling."""
    out = labels.astype(object).copy()
    out[customer] = to
    return out


# --- 1. age bands --------------------------------------------------------------------------------
def _bands(right: bool = False, labels: Any = AGE_LABELS) -> pd.Series:
    return pd.cut(_age(), bins=list(AGE_EDGES), right=right, labels=labels)


def _first_aged(age: int) -> Any:
    return _age().index[_age() == age][0]


age_band = Exercise(
    id="segment.age_bands",
    prompt=N_("Age band per customer: 18-24, 25-34, 35-44, 45-54, 55+ (a 25-year-old is in 25-34)."),
    expected=_bands,
    compare=compare_labels,
    mistakes=(
        Mistake(
            "right_edge_inclusive",
            N_("Check the customers exactly on an edge: pd.cut closes the RIGHT edge of each bin by default, "
               "so a 25-year-old lands in 18-24 and an 18-year-old in no band at all."),
            answer=lambda: _bands(right=True),
            more=N_("Each band includes its lower edge and excludes its upper edge; pd.cut has a parameter that "
            "decides which side of a bin is closed."),
        ),
        Mistake(
            "intervals_not_labels",
            N_("The bands are right, but they are shown as intervals like [18, 25). Give each band its name "
               "(18-24, 25-34, ...)."),
            answer=lambda: _bands(labels=None),
            more=N_("pd.cut can name the bins for you: look at its labels parameter."),
        ),
    ),
    hint=N_("Each age falls into exactly one band; check which edge of each band is included (a 25-year-old "
    "is in 25-34) and that the bands carry their names."),
    more_hint=N_("The lower edge of each band is included, the upper edge is not: 18 is in 18-24 and 25 is not. "
    "Check the customers who sit exactly on 18, 25, 35, 45 and 55."),
    near_misses=lambda: [
        _moved(_bands(), _first_aged(25), "18-24"),  # one customer on an edge in the band below
        _bands().astype(object).where(_age() != 55, "45-54"),  # only the 55 edge inclusive
        _bands().iloc[1:],
    ],
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


def _second_category_of_one() -> pd.Series:
    """The main category with one customer given their second-largest category instead."""
    spend = _orders().groupby(["customer_id", "category"], observed=True)["amount"].sum().unstack(fill_value=0)
    customer = spend.index[0]
    second = spend.loc[customer].sort_values(ascending=False).index[1]
    return _moved(main_category(_orders()), customer, str(second))


def _main_category_2025() -> pd.Series:
    orders = _orders()
    return main_category(orders[orders["order_date"].dt.year == 2025])


main_cat = Exercise(
    id="segment.main_category",
    prompt=N_("Main category per customer: the category with the largest share of the customer's spend."),
    expected=lambda: main_category(_orders()),
    compare=compare_labels,
    mistakes=(
        Mistake(
            "order_count_not_spend",
            N_("You picked the category with the most ORDERS. The task asks for the largest share of "
               "SPEND: one television outweighs five packets of coffee."),
            applies=_is_by_count,
            more=N_("Add up the amounts per customer and category, then pick the category with the largest total."),
        ),
    ),
    hint=N_("Main category is about spend: for each customer, compare how much they spent in each category."),
    more_hint=N_("Work per customer and category: the total amount of each pair, then per customer the category "
    "with the largest total. Every order of the whole history counts."),
    near_misses=lambda: [_second_category_of_one(), _main_category_2025(), main_category(_orders()).iloc[1:]],
)


# --- 3. log, then standardise --------------------------------------------------------------------
def _log_some(columns: list[str]) -> pd.DataFrame:
    out = _features().astype(float)
    out[columns] = np.log1p(out[columns])
    return out


scaled = Exercise(
    id="segment.scaled_features",
    prompt=N_("Log-transform (np.log1p) the four RFM columns of features, then standardise every column (mean 0, sd 1)."),
    expected=_scaled,
    compare=compare_frame,
    mistakes=(
        Mistake(
            "log_not_scaled",
            N_("You took the logs but did not standardise. k-means would then measure money and "
               "order counts on their own scales and shares (0 to 1) would hardly count."),
            answer=lambda: _log_columns(_features()),
            more=N_("Standardising means: subtract each column's mean, divide by its standard deviation."),
        ),
        Mistake(
            "scaled_then_logged",
            N_("You standardised first and took logs afterwards: half the z-scores are negative, so the "
               "log gives NaN or nonsense. Take the log of the raw RFM columns first, then standardise."),
            # the log after standardising magnifies the ddof difference: both standard deviations
            variants=lambda: [_log_columns(_standardise(_features().astype(float), ddof)) for ddof in (0, 1)],
            more=N_("Order matters: log transform of the raw values, then standardise the result."),
        ),
        Mistake(
            "scaled_without_log",
            N_("You standardised without the log transform. Spend and frequency have long right tails; "
               "without the log a few big spenders dominate the distances."),
            answer=lambda: _standardise(_features().astype(float)),
            more=N_("Apply the log transform to the four RFM columns before you standardise."),
        ),
        Mistake(
            "log_instead_of_log1p",
            N_("Close: the task uses np.log1p (log of 1 + x), which stays defined for zeros, not np.log."),
            answer=lambda: _standardise(_log_columns(_features(), np.log)),
            more=N_("log1p and log differ most for small values such as a recency of a few days."),
        ),
        Mistake(
            "every_column_logged",
            N_("You took the log of every column. Only the four skewed RFM columns get the log transform; the "
               "category and channel shares stay as they are before standardising."),
            answer=lambda: _standardise(np.log1p(_features().astype(float))),
            more=N_("The shares are already between 0 and 1 and not skewed the same way: leave them unlogged."),
        ),
    ),
    hint=N_("Two steps in order: the log transform on the four skewed RFM columns only, then standardise "
    "every column."),
    more_hint=N_("After standardising, every column has mean 0 and standard deviation 1. The four RFM columns "
    "must be logged before that, the share columns not at all."),
    near_misses=lambda: [
        _standardise(_log_some(list(LOG_COLUMNS)[:3])),  # one RFM column left unlogged
        _standardise(np.log1p(_features().astype(float))),
        (_log_columns(_features()) - _log_columns(_features()).min())
        / (_log_columns(_features()).max() - _log_columns(_features()).min()),  # min-max scaled
        _scaled().drop(columns=_scaled().columns[-1]),
    ],
)


# --- 4. k-means on the scaled features ------------------------------------------------------------
def _close_partition(answer: Any) -> bool:
    """Five clusters that agree closely, but not fully, with the expected ones (ARI from 0.5 to below 1).

    An odd answer raises here, which the mistake rule takes as "not this mistake".
    """
    if isinstance(answer, (np.ndarray, list)):
        answer = pd.Series(np.asarray(answer), index=_labels().index)
    got = as_series(answer, _labels().index.name).reindex(_labels().index)
    if got.nunique() != K or not pd.api.types.is_numeric_dtype(got):
        return False
    return 0.5 <= float(adjusted_rand_score(_labels().to_numpy(), got.to_numpy())) < 1.0


def _one_customer_moved() -> pd.Series:
    labels = _labels()
    return _moved(labels, labels.index[0], (labels.iloc[0] + 1) % K).astype(int)


kmeans_labels = Exercise(
    id="segment.kmeans_labels",
    prompt=N_("Cluster the customers with KMeans(n_clusters=5, n_init=10, random_state=0) on the scaled features X."),
    expected=_labels,
    compare=compare_partition,
    mistakes=(
        Mistake(
            "not_scaled",
            N_("These are the clusters of the UNSCALED features: monetary (thousands of CNY) decides "
               "almost everything, the category and channel shares are ignored. Fit on the scaled X."),
            answer=_labels_unscaled,
            more=N_("features holds the raw columns; X holds the same columns logged and standardised."),
        ),
        Mistake(
            "log_only",
            N_("These clusters come from log-transformed but unstandardised features. Fit on X, where "
               "every column has sd 1."),
            answer=_labels_log_only,
            more=N_("Use the X given in the workbook, not a table you transformed yourself."),
        ),
        Mistake(
            "other_start",
            N_("Almost the same clusters, but not quite: k-means depends on its random start. Use exactly "
               "the settings of the task."),
            applies=_close_partition,
            more=N_("Check n_init and random_state against the prompt: another seed or a single start can end "
            "in a slightly different solution."),
        ),
    ),
    hint=N_("Fit k-means with exactly the settings of the task on the scaled features X, and give one label "
    "per customer."),
    more_hint=N_("Check n_clusters, n_init and random_state against the prompt, and that you fit on X (the scaled "
    "features), not on features."),
    near_misses=lambda: [
        _one_customer_moved(),
        _labels_unscaled(),
        _labels_other_seed(),  # another seed: a few customers differ
    ],
)


# --- 5. choose k ------------------------------------------------------------------------------------
def _best_k() -> int:
    return int(_k_table()["silhouette"].idxmax())


best_k = Exercise(
    id="segment.best_k",
    prompt=N_("From k_table, which k has the best (highest) mean silhouette? A whole number."),
    expected=_best_k,
    compare=_exact_number,
    # read off a table, not computed: a slider over the candidate k values works without code
    form=Number(min(K_CANDIDATES), max(K_CANDIDATES), K_CANDIDATES.step),
    mistakes=(
        Mistake(
            "lowest_inertia",
            N_("That k has the lowest inertia, but inertia ALWAYS falls as k grows (more centres, shorter "
               "distances), so its minimum is simply the largest k tried. Use the silhouette column."),
            applies=lambda answer: _number(answer) == float(max(K_CANDIDATES)) != _best_k(),
            more=N_("The silhouette can go down as well as up with k; that is what makes it useful for choosing."),
        ),
        Mistake(
            "lowest_silhouette",
            N_("That k has the LOWEST silhouette. A higher silhouette means customers sit closer to their "
               "own cluster than to the next one: look for the maximum."),
            applies=lambda answer: _number(answer) == float(_k_table()["silhouette"].idxmin()),
            more=N_("Silhouette runs from -1 (wrong cluster) to 1 (well separated): larger is better."),
        ),
        Mistake(
            "score_not_k",
            N_("You gave a silhouette value. The task asks for the number of clusters k (the index of k_table)."),
            applies=lambda answer: (v := _number(answer)) is not None and -1 <= v <= 1 and v != round(v),
            more=N_("The index of k_table holds the candidate k values; the answer is one of them."),
        ),
    ),
    hint=N_("Read the silhouette column of k_table: a higher silhouette means better separated clusters. The "
    "answer is a number of clusters (the table's index), not a silhouette value."),
    more_hint=N_("Find the row of k_table with the largest silhouette; the k of that row is the answer."),
    near_misses=lambda: [
        *(k for k in (_best_k() - 1, _best_k() + 1) if k in K_CANDIDATES),
        K,  # the number of segments used later
        int(_k_table()["silhouette"].drop(_best_k()).idxmax()),  # the runner-up
    ],
)


# --- 6. what to present: interpreting the silhouettes --------------------------------------------
#: Options of the k-decision question (the workbook prints them).
K_OPTIONS = Options({
    "A": N_("No k stands out: the silhouettes are low and close together. Choose among the better ones a k "
            "that marketing can act on, and check that its segments are stable."),
    "B": N_("Take the k with the highest silhouette: it is clearly better than every other k."),
    "C": N_("Take the k with the lowest inertia: it fits the customers most closely."),
    "D": N_("Stop segmenting: silhouettes this low mean that these customers have no segments at all."),
})
#: Silhouettes below this show weak structure (Kaufman and Rousseeuw's "no substantial structure").
WEAK_SILHOUETTE = 0.25
#: Silhouettes closer than this to the best one do not stand out (they come from a sample of 2,000).
CLOSE_SILHOUETTE = 0.05


def _k_decision() -> frozenset[str]:
    """The options the k table supports."""
    table = _k_table()
    silhouette = table["silhouette"].sort_values(ascending=False)
    best, runner_up = float(silhouette.iloc[0]), float(silhouette.iloc[1])
    truth = {
        "A": best < WEAK_SILHOUETTE and best - runner_up <= CLOSE_SILHOUETTE,
        "B": best - runner_up > CLOSE_SILHOUETTE,
        # the lowest inertia is only a fit when it is not simply the largest k tried
        "C": int(table["inertia"].idxmin()) != max(K_CANDIDATES),
        # at or below 0 customers are as close to another cluster as to their own: no structure
        "D": best <= 0,
    }
    return frozenset(letter for letter, holds in truth.items() if holds)


k_decision = Exercise(
    id="segment.k_decision",
    prompt=N_("What does k_table tell you about the number of segments to present? One letter."),
    expected=_k_decision,
    compare=compare_choice,
    kind="interpret",
    form=Choice(K_OPTIONS),
    mistakes=(
        Mistake(
            "silhouette_overread",
            N_("The highest silhouette is tempting, but look at how far it is above the next ones: "
               "differences in the second or third decimal, measured on a sample of 2,000 customers, do "
               "not make one k clearly right."),
            answer=lambda: frozenset("B"),
            more=N_("Compare the best silhouette with the runner-up and with the values of the other k."),
        ),
        Mistake(
            "inertia_fits_best",
            N_("Inertia always falls as k grows (more centres, shorter distances): the lowest inertia is simply "
               "the largest k you tried, not the best fit."),
            answer=lambda: frozenset("C"),
            more=N_("Look at the inertia column: does it ever go up as k grows?"),
        ),
        Mistake(
            "low_means_none",
            N_("A low silhouette means the clusters overlap, not that there are none: above 0 the customers are "
               "on average closer to their own cluster than to the next. Segments can be useful even when "
               "their borders are blurred."),
            answer=lambda: frozenset("D"),
            more=N_("Only silhouettes at or below 0 would mean no structure at all: where are yours?"),
        ),
    ),
    hint=N_("Look at the size of the silhouettes and at how far apart they are for neighbouring k, not only at "
    "which one is largest."),
    more_hint=N_("Silhouettes below about 0.25 show weak structure; differences of a few thousandths are noise. "
    "What is left to decide the number of segments?"),
    near_misses=lambda: [letter for letter in K_OPTIONS if letter not in _k_decision()],
)


# --- 7. revenue share per cluster ---------------------------------------------------------------
def _revenue_share(labels: pd.Series | None = None) -> pd.Series:
    monetary = _features()["monetary"]
    labels = _labels() if labels is None else labels
    return monetary.groupby(labels).sum() / monetary.sum()


def _smallest_customer_moved() -> pd.Series:
    labels = _labels()
    smallest = _features()["monetary"].idxmin()
    return _revenue_share(_moved(labels, smallest, (labels[smallest] + 1) % K).astype(int))


def _smallest_customer_dropped() -> pd.Series:
    monetary = _features()["monetary"]
    kept = monetary.drop(monetary.idxmin())
    return kept.groupby(_labels().reindex(kept.index)).sum() / kept.sum()


revenue_share = Exercise(
    id="segment.revenue_share",
    prompt=N_("Share of total revenue (monetary) per cluster, as fractions that sum to 1 (at least 7 decimals)."),
    expected=_revenue_share,
    compare=_share_series,
    mistakes=(
        Mistake(
            "customer_share",
            N_("These are the clusters' shares of CUSTOMERS. The task asks for their share of REVENUE."),
            answer=lambda: _labels().value_counts(normalize=True).sort_index(),
            more=N_("Add up the monetary of each cluster's customers and compare it with the monetary of all."),
        ),
        Mistake(
            "percent_not_fraction",
            N_("Right idea, but give fractions between 0 and 1, not percentages."),
            answer=lambda: 100 * _revenue_share(),
            more=N_("A percentage is the fraction times 100: leave that step out."),
        ),
        Mistake(
            "revenue_not_share",
            N_("That is each cluster's revenue in CNY. Divide by the total revenue to get shares."),
            answer=lambda: _features()["monetary"].groupby(_labels()).sum(),
            more=N_("The shares must add up to 1."),
        ),
        Mistake(
            "rounded",
            N_("Right idea, but rounded too much: one small customer is less than 0.000001 of all revenue, so "
               "the task asks for at least 7 decimals. Check the unrounded values."),
            variants=lambda: [_revenue_share().round(digits) for digits in range(1, 7)],
            more=N_("Pass the Series you computed, not a rounded copy of it."),
        ),
    ),
    hint=N_("A cluster's share of revenue: the monetary of its customers divided by the monetary of all customers."),
    more_hint=N_("Group the monetary column by the cluster labels and add up, then divide by the grand total; "
    "keep the full precision."),
    near_misses=lambda: [_smallest_customer_moved(), _smallest_customer_dropped(), _revenue_share().round(4)],
)


# --- 8. recovery of the true segments -----------------------------------------------------------
@cache
def _truth() -> pd.Series:
    return load_truth().set_index("customer_id")["segment"].reindex(_labels().index)


@cache
def _ari() -> float:
    return float(adjusted_rand_score(_truth(), _labels()))


@cache
def _rand() -> float:
    return float(rand_score(_truth(), _labels()))


@cache
def _nmi() -> float:
    return float(normalized_mutual_info_score(_truth(), _labels()))


@cache
def _plain_accuracy() -> float:
    return float((_labels().to_numpy() == _truth().cat.codes.to_numpy()).mean())


@cache
def _matched_accuracy() -> float:
    """Share of customers in their cluster's majority true segment (purity)."""
    table = pd.crosstab(_labels(), _truth())
    return float(table.max(axis=1).sum() / table.to_numpy().sum())


def _near(answer: Any, value: float) -> bool:
    v = _number(answer)
    return v is not None and bool(np.isclose(v, value, rtol=1e-4, atol=1e-9))


ari_truth = Exercise(
    id="segment.ari_truth",
    prompt=N_("Adjusted Rand index between the k-means labels and the true segments (truth['segment']), "
    "at least 4 decimals."),
    expected=_ari,
    compare=_four_decimals,
    mistakes=(
        Mistake(
            "label_accuracy",
            N_("You compared label numbers directly (accuracy). Cluster numbers are arbitrary: cluster 0 "
               "need not be segment 0, and renumbering the clusters would change your score. The "
               "adjusted Rand index compares the groupings, whatever the numbers."),
            applies=lambda answer: _near(answer, _plain_accuracy()),
            more=N_("The index you need looks at pairs of customers: are they together in both groupings?"),
        ),
        Mistake(
            "majority_accuracy",
            N_("That is purity (each cluster matched to its most common true segment). It is not corrected "
               "for chance and always rises with k. Use the adjusted Rand index."),
            applies=lambda answer: _near(answer, _matched_accuracy()),
            more=N_("sklearn.metrics has the adjusted Rand index as a function of the two label lists."),
        ),
        Mistake(
            "rand_not_adjusted",
            N_("That is the plain Rand index, which is high even for random labels. The task asks for the "
               "ADJUSTED Rand index (0 = chance level)."),
            applies=lambda answer: _near(answer, _rand()),
            more=N_("sklearn.metrics has both; the adjusted one has 'adjusted' in its name."),
        ),
        Mistake(
            "mutual_information",
            N_("That is the normalised mutual information, another agreement measure. The task asks for the "
               "adjusted Rand index."),
            applies=lambda answer: _near(answer, _nmi()),
            more=N_("Both compare groupings; the task asks for the one based on pairs of customers."),
        ),
        Mistake(
            "rounded",
            N_("Right idea, but rounded too much: the task asks for at least 4 decimals."),
            variants=lambda: [round(_ari(), digits) for digits in (1, 2, 3)],
            more=N_("Pass the value you computed, not a rounded copy of it."),
        ),
    ),
    hint=N_("The adjusted Rand index compares two groupings of the same customers, whatever numbers the groups "
    "carry; give it the true segments and the cluster labels, aligned on customer_id."),
    more_hint=N_("sklearn.metrics has the adjusted version of the Rand index; both label lists must list the same "
    "customers in the same order."),
    near_misses=lambda: [
        _rand(),
        _nmi(),
        round(_ari(), 3),
        float(adjusted_rand_score(_truth(), _one_customer_moved())),
        float(adjusted_rand_score(_truth(), _labels_other_seed())),  # labels of another seed
    ],
)


# --- 9. what the ARI means ------------------------------------------------------------------------
#: Options of the ARI question (the workbook prints them).
ARI_OPTIONS = Options({
    "A": N_("The ARI is the share of customers that the clusters put into their true segment."),
    "B": N_("The clusters are no better than random labels."),
    "C": N_("The clusters recover the true segments in part: far better than chance, far from perfect; some "
            "true segments are split or mixed together."),
    "D": N_("The clusters match the true segments almost perfectly, so the true segment names can be given to "
            "the clusters."),
})
#: ARI bands: up to CHANCE_ARI is chance level, above NEAR_PERFECT_ARI an almost perfect match.
CHANCE_ARI = 0.05
NEAR_PERFECT_ARI = 0.9


def _ari_meaning() -> frozenset[str]:
    ari = _ari()
    # A is never true: the ARI counts pairs of customers and is corrected for chance, it is not a share
    truth = {"A": False, "B": ari <= CHANCE_ARI, "C": CHANCE_ARI < ari <= NEAR_PERFECT_ARI, "D": ari > NEAR_PERFECT_ARI}
    return frozenset(letter for letter, holds in truth.items() if holds)


ari_meaning = Exercise(
    id="segment.ari_meaning",
    prompt=N_("What does the adjusted Rand index you computed say about the clusters? One letter."),
    expected=_ari_meaning,
    compare=compare_choice,
    kind="interpret",
    form=Choice(ARI_OPTIONS),
    mistakes=(
        Mistake(
            "ari_as_accuracy",
            N_("The ARI is not a share of customers: it compares PAIRS of customers (are two customers together "
               "in both groupings?) and is corrected for chance, so 0 is chance level and 1 a perfect match."),
            answer=lambda: frozenset("A"),
            more=N_("Read the ARI on its scale: where does your value sit between 0 (chance) and 1 (perfect)?"),
        ),
        Mistake(
            "below_one_means_random",
            N_("Chance level is an ARI of 0, not anything below 1. Look at the crosstab: several clusters are "
               "dominated by one true segment, which random labels would never give."),
            answer=lambda: frozenset("B"),
            more=N_("Random labels give an ARI close to 0; compare your value with that."),
        ),
        Mistake(
            "near_perfect",
            N_("An almost perfect match would put each cluster into one true segment. Look at the crosstab: "
               "do the clusters each sit in one true segment, or are some true segments spread over clusters?"),
            answer=lambda: frozenset("D"),
            more=N_("An ARI close to 1 means almost every pair of customers is grouped the same way; is yours close to 1?"),
        ),
    ),
    hint=N_("Place your ARI on its scale: 0 is what random labels give, 1 is a perfect match. Then check the "
    "crosstab of clusters and true segments."),
    more_hint=N_("Look at the crosstab row by row: is each cluster dominated by one true segment, and does each "
    "true segment sit in one cluster?"),
    near_misses=lambda: [letter for letter in ARI_OPTIONS if letter not in _ari_meaning()],
)

EXERCISES: tuple[Exercise, ...] = (
    age_band,
    main_cat,
    scaled,
    kmeans_labels,
    best_k,
    k_decision,
    revenue_share,
    ari_truth,
    ari_meaning,
)
