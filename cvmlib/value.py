"""Customer value: ABC (Pareto) classes, concentration, value matrices, budgets and tier migration.

Definitions used throughout (the glossary pins the same ones):

* **value** -- one non-negative number per customer (revenue, gross profit, CLV) in a stated
  window. Every function here takes it as a :class:`pandas.Series` indexed by customer id.
* **ABC classes** -- sort customers by value, descending; class A holds the customers needed to
  reach the first ``cuts[0]`` (80 %) of the total value, B those up to ``cuts[1]`` (95 %), C the
  rest. Boundary rule: a customer is in A when the customers with a *strictly greater* value make
  less than 80 % of the total -- so the customer whose cumulative share first reaches 80 % is in A,
  and customers with equal values always share a class, whatever the row order.
* **Lorenz curve / Gini coefficient** -- customers sorted *ascending*; the curve joins
  (share of customers, share of value) from (0, 0) to (1, 1). The Gini coefficient is the
  population one, ``mean |x_i - x_j| / (2 mean x)``: 0 when all are equal, ``(n - 1) / n`` when
  one customer has everything.
* **2 x 2 matrices** -- a value at or above its threshold is "high" (``>=``). Thresholds are
  always parameters: the course never hides a cut-off in the code.

Input policy for value series (:func:`abc_classes`, :func:`lorenz_curve`, :func:`gini`,
:func:`pareto_share`, :func:`top_share`): not numeric, empty, missing or infinite values, negative
values and an all-zero total raise :class:`~cvmlib.validate.InputError` naming the argument and
showing the offending rows. Negative values (net returns above purchases) are refused rather than
guessed at: clip them (``values.clip(lower=0)``) or drop them, and say so. A single customer is
allowed: they are class A, hold 100 % of the value, and the Gini coefficient is 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib.display import register_labels
from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_series,
    require_1d,
    require_choice,
    require_finite,
    require_finite_sum,
    require_increasing,
    require_known,
    require_non_negative,
    require_not_empty,
    require_positive,
    require_present,
    require_probability,
    require_same_ids,
    require_unique,
    validate_transactions,
)

__all__ = [
    "RK_QUADRANTS",
    "RK_STRATEGIES",
    "VALUE_CELLS",
    "VALUE_CELL_PLANS",
    "Transitions",
    "abc_classes",
    "active_periods",
    "allocate_budget",
    "cell_summary",
    "gini",
    "gross_profit",
    "lorenz_curve",
    "loyalty_profitability",
    "pareto_share",
    "tier_transitions",
    "top_share",
    "value_matrix",
    "wallet_headroom",
]

#: Largest budget :func:`allocate_budget` splits to the cent exactly (cents stay below 2**53).
MAX_BUDGET = 9e13

#: Cells of the current x potential value matrix, in the order (high, high), (high current, low
#: potential), (low current, high potential), (low, low).
VALUE_CELLS: tuple[str, str, str, str] = (N_("Key"), N_("Maintain"), N_("Develop"), N_("Basic"))

#: Service level and contact plan per value-matrix cell (one sentence each).
VALUE_CELL_PLANS: dict[str, str] = {
    "Key": N_("Dedicated account manager; personal contact every month; first access to new "
              "products and priority service."),
    "Maintain": N_("Regular follow-up by the service team every quarter; protect the relationship "
                   "and the margin, no growth push."),
    "Develop": N_("Targeted cross-selling and upgrade offers with regular follow-up; measure whether "
                  "the potential turns into purchases."),
    "Basic": N_("Automated marketing only (app messages, e-mail journeys); no personal contact."),
}

#: The Reinartz and Kumar (2002) quadrants, in the order (long-term, high profit), (short-term,
#: high profit), (long-term, low profit), (short-term, low profit).
RK_QUADRANTS: tuple[str, str, str, str] = (N_("True friends"), N_("Butterflies"), N_("Barnacles"),
                                           N_("Strangers"))

#: The strategy Reinartz and Kumar recommend for each quadrant.
RK_STRATEGIES: dict[str, str] = {
    "True friends": N_("Communicate consistently but not too often; build attitudinal loyalty and "
                       "reward it."),
    "Butterflies": N_("Enjoy them while they last: harvest the transactions, then stop investing "
                      "once they go quiet."),
    "Barnacles": N_("Find out whether they have a small wallet or a small share of it: up-sell and "
                    "cross-sell to the latter, serve the former at low cost."),
    "Strangers": N_("Make no relationship investment; make every transaction profitable."),
}

#: Rows and columns :func:`tier_transitions` adds for customers present in one period only.
TRANSITION_LABELS: dict[str, str] = {"new": N_("new"), "gone": N_("gone")}

# cells, quadrants, plans and strategies are shown translated in tables (cvmlib.display)
register_labels(VALUE_CELLS)
register_labels(VALUE_CELL_PLANS.values())
register_labels(RK_QUADRANTS)
register_labels(RK_STRATEGIES.values())
register_labels(TRANSITION_LABELS)


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------
def _values(values: Any, name: str, *, allow_negative: bool = False) -> pd.Series:
    """One finite number per customer (non-negative unless ``allow_negative``), as a float Series."""
    series = require_not_empty(as_series(values, name), name, "customers")
    if allow_negative:
        return require_finite(series, name)
    return require_non_negative(series, name, fix=_("Value shares need non-negative values: clip them "
                                                    "with .clip(lower=0) or drop those customers, and state the "
                                                    "choice."))


def _shares_input(values: Any, name: str = "values") -> pd.Series:
    numbers = _values(values, name)
    if require_finite_sum(numbers.to_numpy(), name) <= 0:
        raise InputError(_("{name} are all zero: there is no value to divide into shares.").format(name=name))
    return numbers


def _aligned(first: pd.Series, second: pd.Series, names: tuple[str, str]) -> pd.Series:
    """``second`` in the order of ``first``; both must hold the same customers, once each."""
    require_unique(first.index, f"the index of {names[0]}", what="customer id")
    require_unique(second.index, f"the index of {names[1]}", what="customer id")
    require_same_ids(first.index, second.index, names[0], names[1])
    return second if first.index.equals(second.index) else second.reindex(first.index)


# --------------------------------------------------------------------------------------------
# Concentration: ABC classes, Lorenz curve, Gini
# --------------------------------------------------------------------------------------------
def _share_before(values: np.ndarray) -> tuple[np.ndarray, float]:
    """Per customer: total value of the customers with a strictly greater value, and the total."""
    ascending = np.sort(values)
    running = np.cumsum(ascending)
    total = float(running[-1])
    # position of the last value <= x: everything up to there is "not greater"
    not_greater = running[np.searchsorted(ascending, values, side="right") - 1]
    return total - not_greater, total


def abc_classes(
    values: pd.Series,
    cuts: Sequence[float] = (0.8, 0.95),
    labels: Sequence[str] | None = None,
) -> pd.Series:
    """ABC (Pareto) class of every customer by their share of the total value.

    Parameters
    ----------
    values : pandas.Series
        Non-negative value per customer (index = customer id), e.g. revenue in a window.
    cuts : sequence of float, default (0.8, 0.95)
        Increasing cumulative value shares in (0, 1]; ``k`` cuts make ``k + 1`` classes.
    labels : sequence of str, optional
        Class names, best first; default "A", "B", "C", ... (e.g. ``("high", "medium", "low")``
        for value tiers).

    Returns
    -------
    pandas.Series
        Ordered Categorical (best class first), same index as ``values``, name ``"abc_class"``.
        Class ``k`` holds the customers for whom the customers with a strictly greater value make
        less than ``cuts[k]`` of the total and at least ``cuts[k - 1]``. So the customer whose
        cumulative share (sorted descending) first reaches 80 % is still A, equal values share a
        class, and the row order never matters. Customers with value 0 are always in the last
        class.

    Raises
    ------
    InputError
        Bad ``values`` (see the module notes) or cuts that are not increasing in (0, 1].

    Examples
    --------
    >>> revenue = pd.Series({"a": 10.0, "b": 50.0, "c": 30.0, "d": 6.0, "e": 4.0})
    >>> abc_classes(revenue).astype(str).to_dict()
    {'a': 'B', 'b': 'A', 'c': 'A', 'd': 'B', 'e': 'C'}

    ``b`` and ``c`` make 80 % together, so ``c`` (who reaches 80 %) is A; ``d`` takes the
    cumulative share from 90 % to 96 %, across 95 %, and is still B. Ties share a class:

    >>> abc_classes(pd.Series({"x": 1.0, "y": 1.0}), cuts=(0.5, 0.9)).astype(str).tolist()
    ['A', 'A']
    """
    numbers = _shares_input(values)
    edges = require_increasing(require_not_empty(require_1d(cuts, "cuts"), "cuts", "cut points"), "cuts")
    require_probability(edges, "cuts", inclusive="right")
    names = list(labels) if labels is not None else [chr(ord("A") + k) for k in range(len(edges) + 1)]
    if len(names) != len(edges) + 1 or len(set(names)) != len(names):
        raise InputError(_("labels must be {n} distinct names for {cuts} cuts; got {names!r}.").format(
            n=len(edges) + 1, cuts=len(edges), names=names))
    before, total = _share_before(numbers.to_numpy())
    # compare amounts, not rounded shares: "less than 80 % of the total" exactly
    codes = np.searchsorted(edges * total, before, side="right")
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=names, ordered=True),
        index=numbers.index,
        name="abc_class",
    )


def lorenz_curve(values: pd.Series) -> pd.DataFrame:
    """The Lorenz curve of the value: customers sorted ascending, cumulative shares.

    Parameters
    ----------
    values : pandas.Series
        Non-negative value per customer.

    Returns
    -------
    pandas.DataFrame
        ``n + 1`` rows with columns ``population_share`` (0, 1/n, ..., 1) and ``value_share``
        (cumulative share of the value held by the poorest customers; starts at 0, ends at 1).

    Examples
    --------
    >>> lorenz_curve(pd.Series([3.0, 1.0]))
       population_share  value_share
    0               0.0         0.00
    1               0.5         0.25
    2               1.0         1.00
    """
    data = np.sort(_shares_input(values).to_numpy())
    n = len(data)
    cumulative = np.concatenate([[0.0], np.cumsum(data)])
    return pd.DataFrame(
        {"population_share": np.arange(n + 1) / n, "value_share": cumulative / cumulative[-1]}
    )


def gini(values: pd.Series) -> float:
    """The Gini coefficient of the value (population version, between 0 and ``(n - 1) / n``).

    ``G = sum_i (2 i - n - 1) x_(i) / (n sum x)`` with ``x_(1) <= ... <= x_(n)``, which equals
    the mean absolute difference over twice the mean, and one minus twice the area under the
    Lorenz curve (trapezoids).

    Examples
    --------
    >>> gini(pd.Series([5.0, 5.0, 5.0]))
    0.0
    >>> gini(pd.Series([0.0, 0.0, 0.0, 8.0]))  # one customer has all: (n - 1) / n
    0.75
    """
    data = np.sort(_shares_input(values).to_numpy())
    n = len(data)
    rank_weights = 2.0 * np.arange(1, n + 1) - n - 1
    scaled = data / data[-1]  # scale-free (values near 1e308 would overflow); equal values give exactly 1
    return float(rank_weights @ scaled / (n * scaled.sum()))


def pareto_share(values: pd.Series, value_share: float = 0.8) -> float:
    """Share of customers (the most valuable first) who make ``value_share`` of the value.

    The 80/20 check: with the boundary rule of :func:`abc_classes`, it is the share of customers
    in class A for ``cuts=(value_share,)``.

    Examples
    --------
    >>> pareto_share(pd.Series([50.0, 30.0, 10.0, 6.0, 4.0]))
    0.4
    """
    value_share = require_probability(value_share, "value_share", inclusive="right", scalar=True)
    before, total = _share_before(_shares_input(values).to_numpy())
    return float(np.mean(before < value_share * total))


def top_share(values: pd.Series, customer_share: float = 0.2) -> float:
    """Share of the value held by the top ``customer_share`` of customers (Lorenz, interpolated).

    Examples
    --------
    >>> top_share(pd.Series([50.0, 30.0, 10.0, 6.0, 4.0]), 0.2)
    0.5
    """
    customer_share = require_probability(customer_share, "customer_share", scalar=True)
    curve = lorenz_curve(values)
    return float(1 - np.interp(1 - customer_share, curve["population_share"], curve["value_share"]))


# --------------------------------------------------------------------------------------------
# Per-customer measures from orders
# --------------------------------------------------------------------------------------------
def wallet_headroom(current: pd.Series, peer_groups: pd.Series, quantile: float = 0.9) -> pd.Series:
    """Potential value as headroom to a peer benchmark: a share-of-wallet proxy.

    A customer's wallet is not observed; the value reached by the best customers of the same
    peer group (``quantile`` of ``current`` within the group) stands in for it. Headroom is that
    benchmark minus the customer's own value, floored at 0.

    Parameters
    ----------
    current : pandas.Series
        Current value per customer (non-negative).
    peer_groups : pandas.Series
        Peer group per customer (same customers), built from data that do not depend on spend
        (city tier, age band, ...).
    quantile : float, default 0.9
        Which peer quantile counts as the reachable wallet.

    Examples
    --------
    >>> current = pd.Series({"a": 100.0, "b": 300.0, "c": 50.0, "d": 50.0})
    >>> peers = pd.Series({"a": "x", "b": "x", "c": "y", "d": "y"})
    >>> wallet_headroom(current, peers, quantile=1.0).to_dict()
    {'a': 200.0, 'b': 0.0, 'c': 0.0, 'd': 0.0}
    """
    numbers = _values(current, "current")
    groups = _aligned(numbers, as_series(peer_groups, "peer_groups"), ("current", "peer_groups"))
    require_present(groups, "peer_groups", what="a peer group")
    quantile = require_probability(quantile, "quantile", inclusive="right", scalar=True)
    benchmark = numbers.groupby(groups, observed=True).transform(lambda v: v.quantile(quantile))
    return (benchmark - numbers).clip(lower=0).rename("headroom")


def gross_profit(
    orders: pd.DataFrame,
    margin_rates: Mapping[str, float],
    cost_per_order: float = 0.0,
    *,
    category_col: str = "category",
) -> pd.Series:
    """Gross profit per customer: amount x category margin rate, minus a cost to serve per order.

    Parameters
    ----------
    orders : pandas.DataFrame
        Transactions (checked by :func:`cvmlib.validate.validate_transactions`; returns refused).
    margin_rates : mapping
        Gross margin rate (0..1) of every category in the data; a missing category is an error.
    cost_per_order : float, default 0
        Cost to serve one order (picking, delivery, service) in the currency of the data.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...                        "order_date": ["2025-01-01", "2025-02-01", "2025-03-01"],
    ...                        "amount": [100.0, 100.0, 50.0], "category": ["x", "y", "x"]})
    >>> gross_profit(orders, {"x": 0.5, "y": 0.1}, cost_per_order=5).to_dict()
    {'a': 50.0, 'b': 20.0}
    """
    if not isinstance(margin_rates, Mapping):
        raise InputError(_("margin_rates must be a dict of category -> margin rate, e.g. {{'Home': 0.4}}; "
                           "got {type}.").format(type=type(margin_rates).__name__))
    checked = validate_transactions(orders)
    if category_col not in checked.columns:
        raise InputError(_("Column {column!r} (category_col) is missing from orders.").format(column=category_col))
    categories = checked[category_col].astype("str")
    rate_of = {str(k): require_probability(v, f"margin_rates[{k!r}]", scalar=True) for k, v in margin_rates.items()}
    require_known(categories, rate_of, category_col, known_name="margin_rates", frame=checked,
                  columns=[category_col, "amount"], fix=_("Give a rate for every category of the orders."))
    cost = require_non_negative(cost_per_order, "cost_per_order", scalar=True)
    amounts = checked["amount"].to_numpy()
    # |profit| of a customer is at most their amounts plus their costs: finite if this total is
    require_finite_sum(np.append(np.abs(amounts), cost * len(amounts)), "cost_per_order and the amounts")
    rates = categories.map(rate_of).to_numpy(dtype=np.float64)
    per_order = amounts * rates - cost
    profit = pd.Series(per_order, index=checked.index).groupby(checked["customer_id"]).sum()
    return profit.rename("gross_profit")


def active_periods(orders: pd.DataFrame, freq: Literal["M", "Q", "Y"] = "Q") -> pd.Series:
    """Number of distinct calendar periods (months, quarters or years) with a purchase.

    A behavioural loyalty measure: a customer who buys in many quarters is a long-term customer
    in the sense of Reinartz and Kumar, whatever their spend.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "order_id": list("1234"),
    ...                        "order_date": ["2025-01-05", "2025-02-01", "2025-07-01", "2025-03-03"],
    ...                        "amount": [1.0, 1.0, 1.0, 1.0]})
    >>> active_periods(orders, "Q").to_dict()
    {'a': 2, 'b': 1}
    """
    require_choice(freq, "freq", ["M", "Q", "Y"])
    checked = validate_transactions(orders)
    periods = checked["order_date"].dt.to_period(freq)
    counts = periods.groupby(checked["customer_id"]).nunique()
    return counts.astype(np.int64).rename({"M": "active_months", "Q": "active_quarters", "Y": "active_years"}[freq])


# --------------------------------------------------------------------------------------------
# 2 x 2 matrices
# --------------------------------------------------------------------------------------------
def _two_by_two(
    x: Any, y: Any, x_threshold: Any, y_threshold: Any,
    names: tuple[str, str], cells: Sequence[str], result_name: str,
) -> pd.Series:
    """Cell per customer: cells[0] = (x high, y high), [1] = (x high, y low), [2] = (low, high), [3] = (low, low)."""
    xs = _values(x, names[0], allow_negative=True)
    ys = _aligned(xs, _values(y, names[1], allow_negative=True), names)
    tx = require_finite(x_threshold, f"{names[0]}_threshold", scalar=True)
    ty = require_finite(y_threshold, f"{names[1]}_threshold", scalar=True)
    labels = list(cells)
    if len(labels) != 4 or len(set(labels)) != 4:
        raise InputError(_("cells must be four distinct names; got {labels!r}.").format(labels=labels))
    high_x = xs.to_numpy() >= tx
    high_y = ys.to_numpy() >= ty
    codes = np.where(high_x, np.where(high_y, 0, 1), np.where(high_y, 2, 3))
    return pd.Series(pd.Categorical.from_codes(codes, categories=labels), index=xs.index, name=result_name)


def value_matrix(
    current: pd.Series,
    potential: pd.Series,
    current_threshold: float,
    potential_threshold: float,
    cells: Sequence[str] = VALUE_CELLS,
) -> pd.Series:
    """Cell of the current x potential value matrix for every customer.

    Parameters
    ----------
    current : pandas.Series
        Current value per customer (e.g. revenue or profit of the last 12 months).
    potential : pandas.Series
        Potential value per customer, same customers: a headroom proxy
        (:func:`wallet_headroom`), a growth trend, or a CLV forecast -- any number where larger
        means more to gain.
    current_threshold, potential_threshold : float
        A value ``>=`` its threshold counts as high. Each threshold belongs to its own axis.
    cells : four names, default :data:`VALUE_CELLS`
        Names for (high current, high potential), (high, low), (low, high), (low, low).

    Returns
    -------
    pandas.Series
        Categorical (all four cells as categories), index of ``current``, name ``"cell"``.
        Negative values are allowed (they are simply below a positive threshold).

    Examples
    --------
    >>> current = pd.Series({"a": 900.0, "b": 800.0, "c": 100.0, "d": 50.0})
    >>> potential = pd.Series({"a": 500.0, "b": 20.0, "c": 700.0, "d": 0.0})
    >>> value_matrix(current, potential, 500, 300).astype(str).to_dict()
    {'a': 'Key', 'b': 'Maintain', 'c': 'Develop', 'd': 'Basic'}
    """
    return _two_by_two(current, potential, current_threshold, potential_threshold,
                       ("current", "potential"), cells, "cell")


def loyalty_profitability(
    loyalty: pd.Series,
    profit: pd.Series,
    loyalty_threshold: float,
    profit_threshold: float,
) -> pd.Series:
    """Reinartz and Kumar's quadrant for every customer: loyalty (duration) x profitability.

    Parameters
    ----------
    loyalty : pandas.Series
        How long-term the customer is (e.g. :func:`active_periods`); ``>= loyalty_threshold``
        is long-term.
    profit : pandas.Series
        Profit per customer (e.g. :func:`gross_profit`); ``>= profit_threshold`` is high.
        Negative profit is allowed.

    Returns
    -------
    pandas.Series
        Categorical of :data:`RK_QUADRANTS`: True friends (long-term, high profit), Butterflies
        (short-term, high profit), Barnacles (long-term, low profit), Strangers (short-term, low
        profit). Name ``"quadrant"``.

    Examples
    --------
    >>> loyalty = pd.Series({"a": 6, "b": 1, "c": 7, "d": 1})
    >>> profit = pd.Series({"a": 400.0, "b": 380.0, "c": 20.0, "d": -5.0})
    >>> loyalty_profitability(loyalty, profit, 4, 100).astype(str).tolist()
    ['True friends', 'Butterflies', 'Barnacles', 'Strangers']
    """
    # profit is the first axis so that the cell order matches RK_QUADRANTS
    return _two_by_two(profit, loyalty, profit_threshold, loyalty_threshold,
                       ("profit", "loyalty"), RK_QUADRANTS, "quadrant")


def cell_summary(cells: pd.Series, values: pd.Series) -> pd.DataFrame:
    """Customers and value per cell (or class, tier, quadrant), with shares.

    Returns
    -------
    pandas.DataFrame
        One row per category (empty ones included), columns ``customers``, ``customer_share``,
        ``value``, ``value_share`` (0 everywhere when every value is 0). Values that add up to 0
        otherwise (gains and losses cancelling) have no shares: an :class:`InputError`.

    Examples
    --------
    >>> cells = pd.Series(pd.Categorical(["A", "A", "B"], categories=["A", "B", "C"]))
    >>> cell_summary(cells, pd.Series([6.0, 2.0, 2.0]))[["customers", "value_share"]]
          customers  value_share
    cell
    A             2          0.8
    B             1          0.2
    C             0          0.0
    """
    labels = require_present(require_not_empty(as_series(cells, "cells"), "cells", "customers"), "cells",
                             what="a cell")
    numbers = _aligned(labels, _values(values, "values", allow_negative=True), ("cells", "values"))
    if require_finite_sum(np.abs(numbers.to_numpy()), "values") > 0 and numbers.sum() == 0:
        raise InputError(_("values add up to 0 (gains and losses cancel): value shares are undefined. "
                           "Summarise the positive and negative parts separately."))
    if not isinstance(labels.dtype, pd.CategoricalDtype):
        labels = labels.astype("category")
    grouped = numbers.groupby(labels.rename("cell"), observed=False)
    total = float(numbers.sum())
    summary = pd.DataFrame({"customers": grouped.size().astype(np.int64), "value": grouped.sum()})
    summary.insert(1, "customer_share", summary["customers"] / len(labels))
    summary["value_share"] = summary["value"] / total if total != 0 else 0.0  # all values 0: no shares
    summary.index = pd.Index(summary.index.astype(object), name="cell")
    return summary


# --------------------------------------------------------------------------------------------
# Acting on the matrix: budget and migration
# --------------------------------------------------------------------------------------------
def _round_to_total(raw: np.ndarray, total: float) -> np.ndarray:
    """Round to cents so that the parts add up exactly to ``total`` (largest remainders)."""
    cents = raw * 100
    floored = np.floor(cents)
    short = int(round(total * 100 - floored.sum()))
    order = np.argsort(-(cents - floored), kind="stable")
    floored[order[:short]] += 1
    return floored / 100


def allocate_budget(
    cells: pd.Series,
    budget: float,
    weights: Mapping[Any, float] | None = None,
    *,
    basis: Literal["customers", "value"] = "customers",
    values: pd.Series | None = None,
) -> pd.Series:
    """Split a fixed service budget across cells; the amounts add up exactly to the budget.

    Each cell's share is proportional to ``weight x base``, where the base is the number of its
    customers (``basis="customers"``: the weight is the service intensity per customer) or their
    total value (``basis="value"``: spend follows value). Amounts are rounded to cents, with the
    rounding remainder given to the largest fractions so the sum is exact.

    Parameters
    ----------
    cells : pandas.Series
        Cell (or tier) per customer; categories without customers get 0.
    budget : float
        Positive total to allocate.
    weights : mapping cell -> float, optional
        Non-negative weight per cell; every cell with customers needs one. Default: all 1.
    basis : {"customers", "value"}
    values : pandas.Series, optional
        Value per customer (same customers as ``cells``); required for ``basis="value"``.

    Examples
    --------
    >>> cells = pd.Series(["Key", "Basic", "Basic", "Basic"])
    >>> allocate_budget(cells, 1000, {"Key": 3, "Basic": 1}).to_dict()
    {'Basic': 500.0, 'Key': 500.0}
    >>> allocate_budget(cells, 100, basis="value", values=pd.Series([1.0, 1.0, 1.0, 0.0])).to_dict()
    {'Basic': 66.67, 'Key': 33.33}
    """
    labels = require_not_empty(as_series(cells, "cells"), "cells", "customers to serve")
    amount = require_positive(budget, "budget", scalar=True)
    if amount > MAX_BUDGET:
        raise InputError(_("budget={budget!r} is too large to split to the cent exactly (at most {limit:.0e}); "
                           "use a larger currency unit.").format(budget=budget, limit=MAX_BUDGET))
    require_choice(basis, "basis", ["customers", "value"])
    if basis == "value":
        if values is None:
            raise InputError(_("basis='value' needs values= (the value of every customer)."))
        base = cell_summary(labels, values)["value"]
    else:
        base = cell_summary(labels, pd.Series(1.0, index=labels.index))["customers"].astype("float64")
    if weights is not None and not isinstance(weights, Mapping):
        raise InputError(_("weights must be a dict of cell -> weight; got {type}.").format(
            type=type(weights).__name__))
    chosen = {cell: 1.0 for cell in base.index} if weights is None else dict(weights)
    used = base.index[base.to_numpy() != 0]
    missing = [cell for cell in used if cell not in chosen]
    if missing:
        raise InputError(_("weights has no weight for cell(s) {missing}; give one for every cell with "
                           "customers (cells: {cells}).").format(missing=missing, cells=list(base.index)))
    weight = pd.Series([require_non_negative(chosen[cell], f"weights[{cell!r}]", scalar=True) if cell in chosen else 0.0
                        for cell in base.index], index=base.index)
    if basis == "value" and (base < 0).any():
        raise InputError(_("basis='value' needs non-negative cell values; some cells have a negative total."))
    score = weight * base
    if require_finite_sum(score.to_numpy(), "weights x base") <= 0:
        raise InputError(_("Every cell has weight x base 0: nothing to allocate by (check weights and values)."))
    shares = score / score.sum()
    return pd.Series(_round_to_total(shares.to_numpy() * amount, amount), index=base.index, name="budget")


@dataclass(frozen=True)
class Transitions:
    """A tier transition matrix between two periods.

    Attributes
    ----------
    counts : pandas.DataFrame
        Customers per (tier before, tier after). Rows: the tiers, then ``"new"`` (customers only
        in the second period); columns: the tiers, then ``"gone"`` (only in the first period).
    shares : pandas.DataFrame
        ``counts`` divided by the row totals: where the customers of each earlier tier went. A
        row without customers is NaN.
    """

    counts: pd.DataFrame
    shares: pd.DataFrame


def _tier_order(before: pd.Series, after: pd.Series, tiers: Sequence[str] | None) -> list[str]:
    if tiers is not None:
        order = [str(t) for t in tiers]
    elif isinstance(before.dtype, pd.CategoricalDtype):
        order = [str(t) for t in before.cat.categories]
    else:
        order = sorted({str(t) for t in before} | {str(t) for t in after})
    for name, series in (("tiers_before", before), ("tiers_after", after)):
        require_known(series.astype("str"), order, name, known_name="tiers")
    if {"new", "gone"} & set(order):
        raise InputError(_("'new' and 'gone' are reserved for customers present in one period only; rename "
                           "those tiers."))
    return order


def tier_transitions(
    tiers_before: pd.Series,
    tiers_after: pd.Series,
    tiers: Sequence[str] | None = None,
) -> Transitions:
    """Who moved up, who slipped: the transition matrix of tiers between two periods.

    Parameters
    ----------
    tiers_before, tiers_after : pandas.Series
        Tier per customer (index = customer id) in the earlier and the later period. A customer
        who is absent from one of them (no purchase in that period) is counted explicitly: as
        ``"new"`` (row) when only in ``tiers_after``, as ``"gone"`` (column) when only in
        ``tiers_before``. Missing tiers (NaN) and duplicated ids are errors.
    tiers : sequence of str, optional
        Tier order, best first; default: the categories of ``tiers_before`` if Categorical, else
        the sorted labels.

    Examples
    --------
    >>> before = pd.Series({"a": "A", "b": "A", "c": "B", "d": "C"})
    >>> after = pd.Series({"a": "A", "b": "C", "c": "A", "e": "B"})
    >>> moves = tier_transitions(before, after)
    >>> moves.counts
    after   A  B  C  gone
    before
    A       1  0  1     0
    B       1  0  0     0
    C       0  0  0     1
    new     0  1  0     0
    >>> float(moves.shares.loc["A", "C"])
    0.5
    """
    before = as_series(tiers_before, "tiers_before")
    after = as_series(tiers_after, "tiers_after")
    if len(before) == 0 and len(after) == 0:
        raise InputError(_("tiers_before and tiers_after are both empty: there are no customers."))
    for name, series in (("tiers_before", before), ("tiers_after", after)):
        require_unique(series.index, f"the index of {name}", what="customer id")
        require_present(series, name, what="a tier (leave customers who did not buy in that period "
                                             "out: they count as 'new' / 'gone')")
    order = _tier_order(before, after, tiers)
    ids = before.index.union(after.index)
    row = before.astype("str").reindex(ids).fillna("new")
    col = after.astype("str").reindex(ids).fillna("gone")
    counts = pd.crosstab(
        pd.Categorical(row, categories=[*order, "new"]), pd.Categorical(col, categories=[*order, "gone"]),
        dropna=False,
    )
    counts = counts.astype(np.int64)
    counts.index = pd.Index([str(i) for i in counts.index], name="before")
    counts.columns = pd.Index([str(c) for c in counts.columns], name="after")
    totals = counts.sum(axis=1).replace(0, np.nan)
    return Transitions(counts=counts, shares=counts.div(totals, axis=0))
