"""RFM analysis: recency, frequency and monetary value per customer, scores and segments.

Definitions used throughout (the glossary pins the same ones):

* **snapshot date** -- the day the analysis is run "as of". Always passed explicitly; ``None``
  means "the day after the last purchase" and is reported with a ``UserWarning``
  (:func:`cvmlib.validate.resolve_snapshot_date`).
* **recency** -- whole calendar days from the date of the customer's last purchase to the snapshot
  date: ``(snapshot.normalize() - last_purchase.normalize()).days``. The time of day is ignored, so
  a purchase on the snapshot day itself has recency 0.
* **frequency** -- number of distinct orders with a positive amount. An order with several rows
  (line items) counts once; a return row (non-positive amount) is never an order.
* **monetary** -- total spend in the currency of the data. Under ``returns="net"`` the
  non-positive rows (returns, refunds) are subtracted; under ``returns="error"`` they are refused
  and under ``returns="exclude"`` they are dropped with a warning (both by
  :func:`cvmlib.validate.validate_transactions`).
* **mean_order_value** -- ``monetary / frequency``.

These are *RFM* quantities. BTYD models (BG/NBD, Pareto/NBD in ``cvmlib.clv``) use different
ones under similar names (repeat-purchase frequency, recency measured from the *first* purchase);
do not feed one into the other.

Scores are quantile scores 1..bins (:func:`rfm_scores`); segments come from rules on the 5 x 5
grid of recency score R and frequency score F (:data:`DEFAULT_SEGMENT_RULES`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from cvmlib._ids import EncodedIds, factorize_ids
from cvmlib.display import register_labels
from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_series,
    require_finite,
    require_finite_sum,
    require_increasing,
    require_int,
    require_known,
    require_non_negative,
    require_present,
    require_same_ids,
    require_table,
    require_unique,
    require_whole_number,
    require_within,
    resolve_snapshot_date,
    validate_transactions_with_ids,
)

__all__ = [
    "DEFAULT_SEGMENT_RULES",
    "RFM_COLUMNS",
    "SEGMENT_STRATEGIES",
    "SegmentRule",
    "check_segment_rules",
    "rfm_scores",
    "rfm_segments",
    "rfm_table",
    "segment_summary",
]

#: The three metric columns of :func:`rfm_table`, in score order (R, F, M).
RFM_COLUMNS: tuple[str, str, str] = ("recency", "frequency", "monetary")


# --------------------------------------------------------------------------------------------
# Grouping by id (the codes come from cvmlib._ids, usually already computed by the validation)
# --------------------------------------------------------------------------------------------

def _count_distinct_per_group(orders: EncodedIds, group_codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct order ids per group code (``orders`` and ``group_codes`` row-aligned).

    Relies on validation: an order id belongs to one customer only, so each distinct order adds 1
    to exactly one group.
    """
    group_of_order = np.full(orders.n_codes, n_groups, dtype=np.intp)  # unused codes -> dropped
    group_of_order[orders.codes] = group_codes
    return np.bincount(group_of_order, minlength=n_groups + 1)[:n_groups]


def _day_numbers(dates: pd.Series) -> np.ndarray:
    """Calendar day of each timestamp as days since 1970-01-01 (local wall-clock date if tz-aware)."""
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)  # keep the local date, drop the offset
    return dates.to_numpy().astype("datetime64[D]").view(np.int64)


def _snapshot_day(snapshot: pd.Timestamp, dates: pd.Series) -> int:
    tz = getattr(dates.dtype, "tz", None)
    if tz is not None and snapshot.tzinfo is not None:
        snapshot = snapshot.tz_convert(tz)
    return int(np.datetime64(snapshot.tz_localize(None).normalize().to_datetime64(), "D").view(np.int64))


# --------------------------------------------------------------------------------------------
# RFM table
# --------------------------------------------------------------------------------------------
def rfm_table(
    orders: pd.DataFrame,
    snapshot_date: str | pd.Timestamp | None,
    customer_col: str = "customer_id",
    order_col: str | None = "order_id",
    date_col: str = "order_date",
    amount_col: str = "amount",
    returns: Literal["error", "net", "exclude"] = "error",
) -> pd.DataFrame:
    """Recency, frequency and monetary value of every customer as of ``snapshot_date``.

    Parameters
    ----------
    orders : pandas.DataFrame
        Transactions: one row per order or per order line. Validated first with
        :func:`cvmlib.validate.validate_transactions`.
    snapshot_date : str, pandas.Timestamp or None
        The "as of" date; a date string means midnight. ``None`` takes the day after the last
        purchase and says so with a ``UserWarning``. A purchase after the snapshot is an error.
    customer_col, order_col, date_col, amount_col : str
        Column names. ``order_col=None`` treats every row as its own order.
    returns : {"error", "net", "exclude"}
        Policy for rows with a non-positive amount (returns): refuse them, subtract them from
        monetary, or drop them with a warning.

    Returns
    -------
    pandas.DataFrame
        Index: the customer ids (sorted, named ``customer_col``). Columns ``recency`` (int, days),
        ``frequency`` (int, distinct orders), ``monetary`` (float) and ``mean_order_value``.
        Under ``returns="net"`` a customer with returns but no purchase has no recency; such
        customers are left out with a ``UserWarning`` giving their number.

    Raises
    ------
    cvmlib.validate.InputError
        For any input problem found by the validation (missing columns, unparseable dates,
        returns under ``returns="error"``, purchases after the snapshot, ...).

    Examples
    --------
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["A", "A", "B"],
    ...     "order_id": ["o1", "o2", "o3"],
    ...     "order_date": pd.to_datetime(["2025-01-01 09:30", "2025-01-20 18:00", "2025-01-05 00:00"]),
    ...     "amount": [100.0, 50.0, 30.0],
    ... })
    >>> rfm_table(orders, snapshot_date="2025-02-01")
                 recency  frequency  monetary  mean_order_value
    customer_id
    A                 12          2     150.0              75.0
    B                 27          1      30.0              30.0
    """
    if not isinstance(orders, pd.DataFrame):  # a DuckDB relation, a Parquet path or a Spark DataFrame (issue 13)
        from cvmlib.engines import is_engine_source, rfm_table as engine_rfm_table
        if is_engine_source(orders):
            return engine_rfm_table(orders, snapshot_date, customer_col, order_col, date_col, amount_col, returns)
    # The validation encodes the id columns anyway; reuse its codes instead of encoding again.
    valid, ids = validate_transactions_with_ids(
        orders,
        customer_col=customer_col,
        order_col=order_col,
        date_col=date_col,
        amount_col=amount_col,
        snapshot_date=snapshot_date,
        returns=returns,
    )
    dates = valid[date_col]
    snapshot = resolve_snapshot_date(dates, snapshot_date)
    amount = valid[amount_col].to_numpy(dtype=np.float64)
    codes, customers = factorize_ids(valid[customer_col], ids.get(customer_col))
    n_customers = len(customers)

    # Only purchases (positive rows) define recency and frequency; returns only touch monetary.
    purchase = amount > 0
    all_purchases = bool(purchase.all())
    day = _day_numbers(dates)
    p_codes = codes if all_purchases else codes[purchase]
    last_day = np.full(n_customers, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last_day, p_codes, day if all_purchases else day[purchase])
    if order_col is None:
        frequency = np.bincount(p_codes, minlength=n_customers)
    else:
        order_ids = ids.get(order_col)
        if order_ids is None:  # ids the fast encoding does not take (e.g. mixed types)
            order_codes, order_uniques = factorize_ids(valid[order_col])
            order_ids = EncodedIds(order_codes, len(order_uniques), True, None)
        frequency = _count_distinct_per_group(
            order_ids if all_purchases else order_ids.take(purchase), p_codes, n_customers
        )
    monetary = np.bincount(codes, weights=amount, minlength=n_customers)

    table = pd.DataFrame(
        {
            "recency": _snapshot_day(snapshot, dates) - last_day,
            "frequency": frequency.astype(np.int64),
            "monetary": monetary,
        },
        index=customers.rename(customer_col),
    )
    no_purchase = frequency == 0
    if no_purchase.any():
        warnings.warn(
            _("{n} customer(s) have returns but no purchase; they have no recency and are left out of "
              "the RFM table.").format(n=int(no_purchase.sum())),
            UserWarning,
            stacklevel=2,
        )
        table = table.loc[~no_purchase]
    table["mean_order_value"] = table["monetary"] / table["frequency"]
    return table


# --------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------
def _quantile_score(values: np.ndarray, bins: int, reverse: bool) -> np.ndarray:
    """``1 + floor(bins * share of customers with a strictly worse value)``.

    "Worse" is smaller, or larger when ``reverse`` (recency). Equal values get equal scores, the
    worst value always gets 1, and no row order enters the computation.
    """
    ordered = np.sort(values)
    n = len(values)
    if reverse:
        worse = n - np.searchsorted(ordered, values, side="right")
    else:
        worse = np.searchsorted(ordered, values, side="left")
    return 1 + (bins * worse) // n


def _edge_score(values: np.ndarray, edges: np.ndarray, bins: int, reverse: bool) -> np.ndarray:
    """Fixed right-closed bins ``(-inf, e1], (e1, e2], ..., (e_last, inf)`` numbered 1..bins."""
    position = np.searchsorted(edges, values, side="left")  # number of edges strictly below
    return bins - position if reverse else 1 + position


def _edges(cut_points: Any, bins: int) -> dict[str, np.ndarray]:
    """The fixed inner edges per metric, checked: known metrics, ``bins - 1`` increasing numbers."""
    if not isinstance(cut_points, Mapping):
        raise InputError(_("cut_points must be a dict such as {{'recency': [30, 90, 180, 365]}}; got "
                           "{type}.").format(type=type(cut_points).__name__))
    require_known(list(cut_points), RFM_COLUMNS, "cut_points", known_name="the RFM metrics")
    checked = {}
    for col, edges in cut_points.items():
        arr = require_increasing(edges, f"cut_points[{col!r}]")
        if len(arr) != bins - 1:
            raise InputError(
                _("cut_points[{column!r}] needs bins - 1 = {edges} inner edges; got {got}.").format(
                    column=col, edges=bins - 1, got=arr.tolist())
            )
        checked[col] = arr
    return checked


def rfm_scores(
    rfm: pd.DataFrame,
    bins: int = 5,
    cut_points: Mapping[str, Sequence[float]] | None = None,
) -> pd.DataFrame:
    """Score recency, frequency and monetary from 1 (worst) to ``bins`` (best).

    Quantile rule (the default): with ``n`` customers, a customer's score is
    ``1 + floor(bins * w / n)`` where ``w`` is the number of customers with a strictly *worse*
    value (lower frequency or monetary; *higher* recency, so recent buyers get a high R). Hence:

    * ties share a score, and the scores do not depend on the row order;
    * the worst value always scores 1; a higher value never scores lower;
    * with many ties a score may stay empty (if 60 % of customers bought once, they all have
      F = 1 and the next frequency starts at F = 4).

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`rfm_table` (needs ``recency``, ``frequency``, ``monetary``).
    bins : int, default 5
        Number of score levels, at least 2.
    cut_points : dict, optional
        Fixed inner edges instead of quantiles, per metric, e.g.
        ``{"recency": [30, 90, 180, 365]}``: ``bins - 1`` increasing numbers. Bins are closed on
        the right, ``(-inf, e1], (e1, e2], ...``; for frequency/monetary they score 1..bins, for
        recency bins..1 (recency <= 30 days gives R = 5 above). Metrics not listed use quantiles.

    Returns
    -------
    pandas.DataFrame
        Same index as ``rfm``; int columns ``R``, ``F``, ``M`` and the string ``rfm_code``
        (``"545"``; with ``bins >= 10`` the three scores are joined by ``"-"``).

    Raises
    ------
    cvmlib.validate.InputError
        Missing columns, missing or infinite values, negative recency or frequency, a
        fractional frequency, ``bins < 2``, malformed ``cut_points``.

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency": [5, 40, 40, 300], "frequency": [6, 1, 1, 2],
    ...                     "monetary": [600.0, 20.0, 35.0, 80.0]}, index=["A", "B", "C", "D"])
    >>> rfm_scores(rfm, bins=4)
       R  F  M rfm_code
    A  4  4  4      444
    B  2  1  1      211
    C  2  1  2      212
    D  1  3  3      133
    >>> rfm_scores(rfm, bins=4, cut_points={"recency": [7, 30, 90]})["R"].tolist()
    [4, 2, 2, 1]
    """
    bins = require_int(bins, "bins", minimum=2)
    require_table(rfm, "rfm (the table from rfm_table)", RFM_COLUMNS)
    require_non_negative(rfm["recency"], "recency", frame=rfm)
    require_whole_number(rfm["frequency"], "frequency", frame=rfm, minimum=0)
    require_finite(rfm["monetary"], "monetary", frame=rfm)  # negative under returns="net"
    edges = _edges(cut_points if cut_points is not None else {}, bins)

    scores = {}
    for letter, col in zip("RFM", RFM_COLUMNS):
        values = rfm[col].to_numpy(dtype=np.float64)
        reverse = col == "recency"
        if col in edges:
            scores[letter] = _edge_score(values, edges[col], bins, reverse)
        else:
            scores[letter] = _quantile_score(values, bins, reverse)
    out = pd.DataFrame(scores, index=rfm.index).astype(np.int64)
    if bins <= 9:
        code = (out["R"] * 100 + out["F"] * 10 + out["M"]).astype("str")
    else:
        code = out["R"].astype("str") + "-" + out["F"].astype("str") + "-" + out["M"].astype("str")
    out["rfm_code"] = code
    return out


# --------------------------------------------------------------------------------------------
# Segments
# --------------------------------------------------------------------------------------------
class SegmentRule(NamedTuple):
    """One segment: the inclusive ranges of recency score R and frequency score F it covers."""

    name: str
    r: tuple[int, int]
    f: tuple[int, int]


#: Score levels of the segment grid (R and F each 1..5).
GRID_SIZE = 5

#: The default segments on the R x F grid, where F is the *frequency* score (not the F/M
#: average: monetary follows frequency closely in retail data, and an F axis keeps the grid
#: readable; M still shows in ``rfm_code`` and in :func:`segment_summary`). Rows are R (5 =
#: most recent), columns F (5 = most orders)::
#:
#:        F=1          F=2          F=3          F=4        F=5
#:   R=5  New cust.    Potential    Potential    Champions  Champions
#:   R=4  Promising    Potential    Potential    Loyal      Loyal
#:   R=3  About to sl. About to sl. Need att.    Loyal      Loyal
#:   R=2  Hibernating  Hibernating  At risk      At risk    Cannot lose them
#:   R=1  Lost         Lost         At risk      At risk    Cannot lose them
DEFAULT_SEGMENT_RULES: tuple[SegmentRule, ...] = (
    SegmentRule(N_("Champions"), r=(5, 5), f=(4, 5)),
    SegmentRule(N_("Loyal"), r=(3, 4), f=(4, 5)),
    SegmentRule(N_("Potential loyalists"), r=(4, 5), f=(2, 3)),
    SegmentRule(N_("New customers"), r=(5, 5), f=(1, 1)),
    SegmentRule(N_("Promising"), r=(4, 4), f=(1, 1)),
    SegmentRule(N_("Need attention"), r=(3, 3), f=(3, 3)),
    SegmentRule(N_("About to sleep"), r=(3, 3), f=(1, 2)),
    SegmentRule(N_("At risk"), r=(1, 2), f=(3, 4)),
    SegmentRule(N_("Cannot lose them"), r=(1, 2), f=(5, 5)),
    SegmentRule(N_("Hibernating"), r=(2, 2), f=(1, 2)),
    SegmentRule(N_("Lost"), r=(1, 1), f=(1, 2)),
)

#: One recommended action per default segment (English data; shown translated, see :mod:`cvmlib.display`).
SEGMENT_STRATEGIES: dict[str, str] = {
    "Champions": N_("Reward them with early access and VIP perks, and ask for reviews and referrals."),
    "Loyal": N_("Upsell higher-value products and enrol them in the membership or loyalty programme."),
    "Potential loyalists": N_("Offer membership and personalised recommendations to build a habit."),
    "New customers": N_("Onboard them well: welcome series, usage tips and a second-purchase incentive."),
    "Promising": N_("Build awareness with targeted content and a modest first-repeat offer."),
    "Need attention": N_("Re-engage with limited-time, personalised offers based on past purchases."),
    "About to sleep": N_("Win them back early with relevant recommendations and a small discount."),
    "At risk": N_("Send personalised win-back messages and renewals before they lapse for good."),
    "Cannot lose them": N_("Contact them personally with strong win-back offers; find out what went wrong."),
    "Hibernating": N_("Reach them with low-cost reactivation campaigns and popular products."),
    "Lost": N_("Try one low-cost reactivation campaign, then stop spending on them."),
}

# the segment names and strategies are shown translated in tables (cvmlib.display)
register_labels(rule.name for rule in DEFAULT_SEGMENT_RULES)
register_labels(SEGMENT_STRATEGIES.values())


def _as_rules(rules: Iterable[SegmentRule | tuple[str, tuple[int, int], tuple[int, int]]]) -> list[SegmentRule]:
    out = []
    for rule in rules:
        try:
            name, r, f = rule
            out.append(SegmentRule(str(name), (int(r[0]), int(r[1])), (int(f[0]), int(f[1]))))
        except (TypeError, ValueError, IndexError):
            raise InputError(
                _("a segment rule must look like (name, (R_low, R_high), (F_low, F_high)); got {rule!r}.").format(
                    rule=rule)
            ) from None
    return out


def _rule_grid(rules: Sequence[SegmentRule]) -> tuple[np.ndarray, list[str]]:
    """The 5 x 5 array of segment codes (row R-1, column F-1) and the segment names in order."""
    names = list(dict.fromkeys(rule.name for rule in rules))
    hits: dict[tuple[int, int], list[str]] = {
        (r, f): [] for r in range(1, GRID_SIZE + 1) for f in range(1, GRID_SIZE + 1)
    }
    problems = []
    for rule in rules:
        for axis, (lo, hi) in (("R", rule.r), ("F", rule.f)):
            if not 1 <= lo <= hi <= GRID_SIZE:
                problems.append(_("{name!r}: {axis} range ({low}, {high}) is not within 1..{size}").format(
                    name=rule.name, axis=axis, low=lo, high=hi, size=GRID_SIZE))
        for r in range(max(rule.r[0], 1), min(rule.r[1], GRID_SIZE) + 1):
            for f in range(max(rule.f[0], 1), min(rule.f[1], GRID_SIZE) + 1):
                hits[(r, f)].append(rule.name)
    gaps = [f"(R={r}, F={f})" for (r, f), who in hits.items() if not who]
    overlaps = [f"(R={r}, F={f}): {' & '.join(who)}" for (r, f), who in hits.items() if len(who) > 1]
    if gaps:
        problems.append(_("{n} cell(s) not covered by any rule: {cells}").format(n=len(gaps), cells=", ".join(gaps)))
    if overlaps:
        problems.append(_("{n} cell(s) covered more than once: {cells}").format(
            n=len(overlaps), cells="; ".join(overlaps)))
    if problems:
        raise InputError(_("Invalid segment rules:") + "\n- " + "\n- ".join(problems))
    grid = np.empty((GRID_SIZE, GRID_SIZE), dtype=np.int64)
    for (r, f), who in hits.items():
        grid[r - 1, f - 1] = names.index(who[0])
    return grid, names


def check_segment_rules(
    rules: Iterable[SegmentRule | tuple[str, tuple[int, int], tuple[int, int]]],
) -> None:
    """Check that segment rules cover every cell of the 5 x 5 R x F grid exactly once.

    Parameters
    ----------
    rules : iterable of SegmentRule or (name, (R_low, R_high), (F_low, F_high))
        Inclusive score ranges; a name may appear in several rules (non-rectangular segments).

    Raises
    ------
    cvmlib.validate.InputError
        Listing every uncovered cell, every cell covered more than once (with the segments that
        claim it) and every range outside 1..5.

    Examples
    --------
    >>> check_segment_rules(DEFAULT_SEGMENT_RULES)
    >>> try:
    ...     check_segment_rules([("Good", (3, 5), (1, 5)), ("Bad", (1, 3), (1, 4))])
    ... except InputError as err:
    ...     print(err)
    Invalid segment rules:
    - 2 cell(s) not covered by any rule: (R=1, F=5), (R=2, F=5)
    - 4 cell(s) covered more than once: (R=3, F=1): Good & Bad; ...
    """
    _rule_grid(_as_rules(rules))


def rfm_segments(
    scores: pd.DataFrame,
    rules: Iterable[SegmentRule | tuple[str, tuple[int, int], tuple[int, int]]] | None = None,
) -> pd.Series:
    """Name each customer's segment from the R and F scores.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`rfm_scores` with ``bins=5`` (needs integer ``R`` and ``F`` in 1..5).
    rules : iterable, optional
        Segment rules as data, default :data:`DEFAULT_SEGMENT_RULES`; checked with
        :func:`check_segment_rules` first. F is the frequency score.

    Returns
    -------
    pandas.Series
        Categorical segment names (categories in rule order), same index as ``scores``,
        named ``"segment"``.

    Examples
    --------
    >>> scores = pd.DataFrame({"R": [5, 1, 3], "F": [5, 1, 3]}, index=["A", "B", "C"])
    >>> rfm_segments(scores).tolist()
    ['Champions', 'Lost', 'Need attention']
    """
    grid, names = _rule_grid(_as_rules(DEFAULT_SEGMENT_RULES if rules is None else rules))
    require_table(scores, "scores (the table from rfm_scores)", ("R", "F"))
    for col in ("R", "F"):
        require_whole_number(scores[col], col, frame=scores, columns=["R", "F"])
        require_within(scores[col], col, 1, GRID_SIZE, frame=scores, columns=["R", "F"],
                       fix=_("R and F are whole scores in 1..{size}: use rfm_scores(..., bins=5).").format(
                           size=GRID_SIZE))
    idx = scores[["R", "F"]].to_numpy(dtype=np.float64).astype(np.int64) - 1
    codes = grid[idx[:, 0], idx[:, 1]]
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=names), index=scores.index, name="segment"
    )


def segment_summary(rfm: pd.DataFrame, segments: pd.Series) -> pd.DataFrame:
    """Size and value of each segment.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`rfm_table`.
    segments : pandas.Series
        Segment of each customer (from :func:`rfm_segments`), same index as ``rfm``.

    Returns
    -------
    pandas.DataFrame
        One row per segment (every category, empty ones with 0 customers), index ``segment``;
        columns ``customers``, ``customer_share``, ``revenue`` (sum of monetary),
        ``revenue_share`` (sums to 1), ``mean_recency``, ``mean_frequency``, ``mean_monetary``.

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency": [1, 3, 100], "frequency": [4, 2, 1],
    ...                     "monetary": [300.0, 100.0, 100.0]}, index=["A", "B", "C"])
    >>> seg = pd.Series(pd.Categorical(["Top", "Top", "Rest"], categories=["Top", "Rest"]),
    ...                 index=["A", "B", "C"])
    >>> segment_summary(rfm, seg)[["customers", "customer_share", "revenue", "revenue_share"]]
             customers  customer_share  revenue  revenue_share
    segment
    Top              2        0.666667    400.0            0.8
    Rest             1        0.333333    100.0            0.2
    """
    require_table(rfm, "rfm (the table from rfm_table)", RFM_COLUMNS)
    for col in RFM_COLUMNS:
        require_finite(rfm[col], col, frame=rfm)
    segments = as_series(segments, "segments")
    require_unique(rfm.index, "the index of rfm", what="customer id")
    require_unique(segments.index, "the index of segments", what="customer id")
    require_same_ids(segments.index, rfm.index, "segments", "rfm")
    segments = segments.reindex(rfm.index)
    require_present(segments, "segments", what="a segment")
    if not isinstance(segments.dtype, pd.CategoricalDtype):
        segments = segments.astype("category")
    total_revenue = require_finite_sum(rfm["monetary"].to_numpy(dtype=np.float64), "monetary values")
    if total_revenue <= 0:
        raise InputError(_("total revenue is {total}; revenue shares need a positive total.").format(
            total=total_revenue))
    grouped = rfm[list(RFM_COLUMNS)].groupby(segments.rename("segment"), observed=False)
    summary = pd.DataFrame(
        {
            "customers": grouped.size().astype(np.int64),
            "revenue": grouped["monetary"].sum(),
            "mean_recency": grouped["recency"].mean(),
            "mean_frequency": grouped["frequency"].mean(),
            "mean_monetary": grouped["monetary"].mean(),
        }
    )
    summary.insert(1, "customer_share", summary["customers"] / len(rfm))
    summary.insert(3, "revenue_share", summary["revenue"] / total_revenue)
    summary.index = pd.Index(summary.index.astype(object), name="segment")
    return summary
