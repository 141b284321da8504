"""Customer lifecycle: stages from explicit rules, transitions between snapshots, the stage mix, cross-selling.

API summary (one example each; ``orders = cvmlib.datasets.load_orders()``)

* :class:`StageRules` -- the parameters of the stage rules, validated when made:
  ``rules = StageRules(new_days=90, mature_orders=5, at_risk_days=90, lapsed_days=180)``.
* :func:`stage_facts` -- per-customer facts on a snapshot (recency, orders, tenure, gap before the
  last order): ``facts = stage_facts(orders, "2026-01-01")``.
* :func:`assign_stages` -- the stage of every customer from facts and rules (fast: for sliders):
  ``assign_stages(facts, rules)``.
* :func:`lifecycle_stages` -- facts and stage in one table:
  ``lifecycle_stages(orders, "2026-01-01", rules, p_alive=None)``.
* :func:`quarter_snapshots` -- the snapshots at the end of each quarter the orders cover:
  ``snaps = quarter_snapshots(orders)`` (2024-04-01, ..., 2026-01-01: midnight after each quarter).
* :func:`stage_mix` -- customers per stage on every snapshot: ``stage_mix(orders, snaps, rules)``.
* :func:`stage_transitions` -- from-stage x to-stage counts between consecutive snapshots:
  ``stage_transitions(orders, snaps, rules)`` (a ``"not_yet"`` row for customers acquired in between).
* :func:`category_breadth` -- distinct categories (and orders) in each customer's first window:
  ``category_breadth(orders, window_days=180)``.
* :func:`breadth_churn` -- churn by breadth, raw and stratified by the number of orders:
  ``breadth_churn(orders, load_truth(), snapshot_date="2026-01-01")``.

Definitions
-----------
* **snapshot** -- the "as of" moment. Orders strictly before it count; a date means midnight, so
  ``"2026-01-01"`` is "as of the end of 2025".
* **recency_days** -- whole calendar days from the day of the last order to the snapshot day (as in
  :mod:`cvmlib.rfm`: ``(snapshot.normalize() - last.normalize()).days``).
* **orders** -- distinct orders before the snapshot; **tenure_days** -- whole days from the first
  order to the snapshot; **gap_days** -- whole days between the last two orders (0 with one order).
* **Stage rules**, applied in this order, the first that holds wins (so every customer has exactly
  one stage):

  1. ``won_back`` -- at least two orders, the last within ``won_back_days`` of the snapshot
     (``recency_days <= won_back_days``) and the gap before it longer than ``lapsed_days``: the
     customer had lapsed and came back.
  2. ``lapsed`` -- ``recency_days > lapsed_days``, or P(alive) < ``lapsed_p_alive`` (when given).
  3. ``at_risk`` -- ``recency_days > at_risk_days``, or P(alive) < ``at_risk_p_alive``.
  4. ``new`` -- first order within ``new_days`` of the snapshot (``tenure_days <= new_days``).
  5. ``developing`` -- fewer than ``mature_orders`` orders.
  6. ``mature`` -- everyone else: established, active, at least ``mature_orders`` orders.

  The "leaving" rules come before "new" so that a new customer who already went quiet is flagged,
  and "won back" comes first because a returning customer's long gap is history, not risk.
* **Cross-selling** -- *breadth* is the number of distinct categories a customer bought in the
  first ``window_days`` (180) days from their first order. *Churn* is judged over the
  ``churn_days`` (180) after that window: from the generator's truth (the customer's true dropout
  happened before the end of that follow-up) or observed (no order in the follow-up: a lapse).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib.display import register_columns, register_labels
from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_series,
    as_timestamp,
    parse_dates,
    require_choice,
    require_int,
    require_present,
    require_probability,
    require_same_ids,
    require_table,
    require_unique,
    resolve_snapshot_date,
    validate_transactions,
)

__all__ = [
    "BREADTH_CHURN_DEFINITIONS",
    "COLUMN_LABELS",
    "STAGES",
    "STAGE_LABELS",
    "BreadthChurn",
    "StageRules",
    "assign_stages",
    "breadth_churn",
    "category_breadth",
    "lifecycle_stages",
    "quarter_snapshots",
    "stage_facts",
    "stage_mix",
    "stage_transitions",
]

#: Stage codes, in lifecycle order (data stay English; show them with ``cvmlib.display.label``).
STAGES: tuple[str, ...] = ("new", "developing", "mature", "at_risk", "lapsed", "won_back")

#: Display text of every stage code, plus the "not yet a customer" row of :func:`stage_transitions`.
STAGE_LABELS: dict[str, str] = {
    "new": N_("newly acquired"),
    "developing": N_("developing"),
    "mature": N_("mature"),
    "at_risk": N_("at risk"),
    "lapsed": N_("lapsed"),
    "won_back": N_("won back"),
    "not_yet": N_("not yet a customer"),
}

#: The two churn definitions of :func:`breadth_churn`.
BREADTH_CHURN_DEFINITIONS: tuple[str, ...] = ("truth", "observed")

#: Display names of the columns of this module's tables (shown translated by ``cvmlib.display.show``).
COLUMN_LABELS: dict[str, str] = {
    "recency_days": N_("recency (days)"),
    "orders": N_("orders"),
    "tenure_days": N_("tenure (days)"),
    "gap_days": N_("gap before the last order (days)"),
    "p_alive": N_("P(alive)"),
    "stage": N_("stage"),
    "median_recency_days": N_("median recency (days)"),
    "median_orders": N_("median orders"),
    "window_start": N_("window start"),
    "window_end": N_("window end"),
    "categories": N_("categories bought"),
    "churned": N_("churned"),
    "churn_rate": N_("churn rate"),
    "se": N_("standard error"),
    "broad": N_("broad buyer"),
    "stratum": N_("orders in the window"),
    "customers": N_("customers"),
}

register_labels(STAGE_LABELS)
register_columns(COLUMN_LABELS)

_DAY_NS = 86_400 * 10**9


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StageRules:
    """The parameters of the lifecycle stage rules (see the module notes for the order they apply in).

    Parameters
    ----------
    new_days : int, default 90
        A customer whose first order is at most this many days before the snapshot is ``new``.
    mature_orders : int, default 5
        An active customer with fewer orders is ``developing``, with at least this many ``mature``.
    at_risk_days : int, default 90
        Recency above this is ``at_risk``.
    lapsed_days : int, default 180
        Recency above this is ``lapsed``; a gap above it before a recent order is a win-back.
    won_back_days : int, default 90
        A win-back counts while its order is at most this many days old.
    at_risk_p_alive, lapsed_p_alive : float, default 0.5 and 0.2
        With P(alive) given: below ``at_risk_p_alive`` is at risk, below ``lapsed_p_alive`` lapsed.

    Examples
    --------
    >>> StageRules(at_risk_days=60).lapsed_days
    180
    >>> StageRules(at_risk_days=200, lapsed_days=180)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: at_risk_days=200 must be smaller than lapsed_days=180: ...
    """

    new_days: int = 90
    mature_orders: int = 5
    at_risk_days: int = 90
    lapsed_days: int = 180
    won_back_days: int = 90
    at_risk_p_alive: float = 0.5
    lapsed_p_alive: float = 0.2

    def __post_init__(self) -> None:
        for name in ("new_days", "at_risk_days", "lapsed_days", "won_back_days"):
            require_int(getattr(self, name), name, minimum=0)
        require_int(self.mature_orders, "mature_orders", minimum=2)
        for name in ("at_risk_p_alive", "lapsed_p_alive"):
            object.__setattr__(self, name, require_probability(getattr(self, name), name, scalar=True))
        if self.at_risk_days >= self.lapsed_days:
            raise InputError(_("at_risk_days={risk} must be smaller than lapsed_days={lapsed}: a customer is at risk "
                               "before lapsing.").format(risk=self.at_risk_days, lapsed=self.lapsed_days))
        if self.lapsed_p_alive > self.at_risk_p_alive:
            raise InputError(_("lapsed_p_alive={lapsed} must be at most at_risk_p_alive={risk}: a lapsed customer is "
                               "less likely alive than one at risk.").format(lapsed=self.lapsed_p_alive,
                                                                            risk=self.at_risk_p_alive))

    def as_dict(self) -> dict[str, float]:
        """The parameters as a dict (for tables and widgets).

        >>> StageRules().as_dict()["mature_orders"]
        5
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _rules(rules: Any) -> StageRules:
    if not isinstance(rules, StageRules):
        raise InputError(_("rules must be a StageRules, e.g. StageRules(at_risk_days=60); got {type}.").format(
            type=type(rules).__name__))
    return rules


# --------------------------------------------------------------------------------------------
# Per-customer facts on a snapshot
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Orders:
    """Validated orders reduced to one row per order, sorted by customer then time (internal)."""

    ids: pd.Index  # customer ids, sorted
    codes: np.ndarray  # customer code per order
    ns: np.ndarray  # order time, int64 nanoseconds
    day: np.ndarray  # order day number (days since 1970-01-01)
    frame: pd.DataFrame  # the orders themselves, same row order


def _prepare(orders: Any, category_col: str | None = None) -> _Orders:
    columns = [category_col] if category_col else []
    require_table(orders, "orders", ["customer_id", "order_date", *columns])
    has_orders = "order_id" in orders.columns
    checked = validate_transactions(orders, order_col="order_id" if has_orders else None, amount_col=None,
                                    duplicates="keep")
    if getattr(checked["order_date"].dtype, "tz", None) is not None:
        checked = checked.assign(order_date=checked["order_date"].dt.tz_localize(None))
    if has_orders:  # line items: one row per order (an order id has one customer and one date)
        checked = checked.drop_duplicates("order_id")
    checked = checked.sort_values(["customer_id", "order_date"], kind="stable")
    codes, ids = pd.factorize(checked["customer_id"].astype(str), sort=True)
    ns = checked["order_date"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    return _Orders(pd.Index(ids, name="customer_id"), codes.astype(np.int64), ns, ns // _DAY_NS, checked)


def _snapshot_ns(snapshot: pd.Timestamp) -> tuple[int, int]:
    stamp = snapshot.tz_localize(None) if snapshot.tzinfo is not None else snapshot
    ns = int(stamp.to_datetime64().astype("datetime64[ns]").view(np.int64))
    return ns, int(stamp.normalize().to_datetime64().astype("datetime64[ns]").view(np.int64)) // _DAY_NS


def _facts(data: _Orders, snapshot: pd.Timestamp) -> pd.DataFrame:
    """The facts of every customer with an order strictly before ``snapshot`` (vectorised)."""
    snap_ns, snap_day = _snapshot_ns(snapshot)
    keep = data.ns < snap_ns
    codes, day = data.codes[keep], data.day[keep]
    if len(codes) == 0:
        return pd.DataFrame({"recency_days": pd.Series(dtype=np.int64), "orders": pd.Series(dtype=np.int64),
                             "tenure_days": pd.Series(dtype=np.int64), "gap_days": pd.Series(dtype=np.int64)},
                            index=pd.Index([], name="customer_id", dtype=object))
    # rows are sorted by customer then time: the last row of each customer is its last order
    last = np.flatnonzero(np.r_[codes[1:] != codes[:-1], True])
    first = np.r_[0, last[:-1] + 1]
    count = last - first + 1
    previous = np.where(count > 1, day[np.maximum(last - 1, 0)], day[last])
    return pd.DataFrame({
        "recency_days": snap_day - day[last],
        "orders": count.astype(np.int64),
        "tenure_days": snap_day - day[first],
        "gap_days": day[last] - previous,
    }, index=data.ids[codes[last]])


def stage_facts(orders: pd.DataFrame, snapshot_date: Any) -> pd.DataFrame:
    """What the stage rules look at, per customer with an order before the snapshot.

    Parameters
    ----------
    orders : pandas.DataFrame
        ``customer_id``, ``order_date`` (and ``order_id``, if there: line items count once).
    snapshot_date : str, date or Timestamp
        The "as of" moment; orders strictly before it count.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id`` (sorted); int columns ``recency_days``, ``orders``, ``tenure_days``,
        ``gap_days`` (days between the last two orders; 0 with one order). See the module notes.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...                        "order_date": ["2025-01-10", "2025-09-01", "2025-12-20"]})
    >>> stage_facts(orders, "2026-01-01")
                 recency_days  orders  tenure_days  gap_days
    customer_id
    a                     122       2          356       234
    b                      12       1           12         0
    """
    snapshot = as_timestamp(snapshot_date)
    return _facts(_prepare(orders), snapshot)


def _p_alive(p_alive: Any, index: pd.Index) -> pd.Series:
    values = require_probability(as_series(p_alive, "p_alive"), "p_alive")
    require_unique(values.index, "the index of p_alive", what="customer id")
    require_same_ids(index, values.index, "the customers with orders", "p_alive", subset=True)
    return values.reindex(index)


def assign_stages(facts: pd.DataFrame, rules: StageRules = StageRules(), p_alive: Any = None) -> pd.Series:
    """The stage of every customer of ``facts`` (from :func:`stage_facts`) under ``rules``.

    Cheap (a few vectorised comparisons): a widget computes the facts once and calls this on
    every slider move.

    Parameters
    ----------
    facts : pandas.DataFrame
        Output of :func:`stage_facts`.
    rules : StageRules
    p_alive : pandas.Series, optional
        P(alive) per customer (e.g. ``BetaGeo.p_alive``), indexed by customer id; it must cover
        every customer of ``facts`` (extra customers are ignored).

    Returns
    -------
    pandas.Series
        Ordered Categorical of :data:`STAGES`, index of ``facts``, name ``"stage"``.

    Examples
    --------
    >>> facts = pd.DataFrame({"recency_days": [10, 100, 300, 20, 5], "orders": [1, 3, 8, 9, 2],
    ...                       "tenure_days": [10, 400, 600, 500, 400], "gap_days": [0, 30, 40, 5, 250]},
    ...                      index=list("abcde"))
    >>> assign_stages(facts).astype(str).tolist()
    ['new', 'at_risk', 'lapsed', 'mature', 'won_back']
    """
    rules = _rules(rules)
    require_table(facts, "facts", ["recency_days", "orders", "tenure_days", "gap_days"])
    recency = facts["recency_days"].to_numpy()
    orders = facts["orders"].to_numpy()
    lapsed = recency > rules.lapsed_days
    at_risk = recency > rules.at_risk_days
    if p_alive is not None:
        alive = _p_alive(p_alive, facts.index).to_numpy()
        lapsed = lapsed | (alive < rules.lapsed_p_alive)
        at_risk = at_risk | (alive < rules.at_risk_p_alive)
    won_back = (orders >= 2) & (recency <= rules.won_back_days) & (facts["gap_days"].to_numpy() > rules.lapsed_days)
    new = facts["tenure_days"].to_numpy() <= rules.new_days
    developing = orders < rules.mature_orders
    # np.select takes the first condition that holds: the order of the rules in the module notes
    codes = np.select([won_back, lapsed, at_risk, new, developing], [5, 4, 3, 0, 1], default=2)
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(STAGES), ordered=True),
                     index=facts.index, name="stage")


def lifecycle_stages(
    orders: pd.DataFrame,
    snapshot_date: Any,
    rules: StageRules = StageRules(),
    p_alive: pd.Series | None = None,
) -> pd.DataFrame:
    """Lifecycle stage of every customer with an order before the snapshot, with the facts behind it.

    Parameters
    ----------
    orders : pandas.DataFrame
        ``customer_id``, ``order_date`` (and ``order_id``).
    snapshot_date : str, date or Timestamp
        The "as of" moment (orders strictly before it count).
    rules : StageRules
        The stage rules (see the module notes for their order).
    p_alive : pandas.Series, optional
        P(alive) per customer at the snapshot, from a BTYD model fitted on the same orders.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id``; columns ``recency_days``, ``orders``, ``tenure_days``, ``gap_days``,
        ``p_alive`` (only when given) and ``stage`` (ordered Categorical of :data:`STAGES`).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "order_id": list("1234"),
    ...                        "order_date": ["2025-01-10", "2025-09-01", "2025-12-20", "2025-03-01"]})
    >>> lifecycle_stages(orders, "2026-01-01")["stage"].astype(str).to_dict()
    {'a': 'at_risk', 'b': 'new', 'c': 'lapsed'}
    """
    rules = _rules(rules)
    facts = stage_facts(orders, snapshot_date)
    if len(facts) == 0:
        raise InputError(_("No order lies before snapshot_date {snapshot}: there is no customer to put in a stage. "
                           "Choose a later snapshot_date.").format(snapshot=as_timestamp(snapshot_date)))
    table = facts.copy()
    if p_alive is not None:
        table["p_alive"] = _p_alive(p_alive, facts.index)
    table["stage"] = assign_stages(facts, rules, p_alive)
    return table


# --------------------------------------------------------------------------------------------
# Over time: snapshots, mix, transitions
# --------------------------------------------------------------------------------------------
def quarter_snapshots(orders: pd.DataFrame) -> pd.DatetimeIndex:
    """Snapshots at the end of every quarter the orders reach: midnight after each quarter's last day.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b"], "order_date": ["2024-02-01", "2024-08-15"]})
    >>> [f"{s:%Y-%m-%d}" for s in quarter_snapshots(orders)]
    ['2024-04-01', '2024-07-01', '2024-10-01']
    """
    data = _prepare(orders)
    first, last = pd.Timestamp(data.ns.min()), pd.Timestamp(data.ns.max())
    quarters = pd.period_range(first.to_period("Q"), last.to_period("Q"), freq="Q")
    return pd.DatetimeIndex([(q + 1).start_time for q in quarters], name="snapshot_date")


def _snapshots(snapshots: Any) -> list[pd.Timestamp]:
    if isinstance(snapshots, (str, pd.Timestamp)) or not hasattr(snapshots, "__len__"):
        raise InputError(_("snapshots must be a list of dates (at least two, increasing), e.g. "
                           "quarter_snapshots(orders); got {value!r}.").format(value=snapshots))
    stamps = [as_timestamp(s, "snapshots") for s in snapshots]
    if len(stamps) < 1:
        raise InputError(_("snapshots is empty: pass at least one date."))
    if any(b <= a for a, b in zip(stamps, stamps[1:])):
        raise InputError(_("snapshots must be strictly increasing; got {values}.").format(
            values=[f"{s:%Y-%m-%d}" for s in stamps]))
    return stamps


def stage_mix(orders: pd.DataFrame, snapshots: Sequence[Any], rules: StageRules = StageRules()) -> pd.DataFrame:
    """Customers in each stage on every snapshot (RFM-type rules; P(alive) is not used over time).

    Returns
    -------
    pandas.DataFrame
        Index ``snapshot_date``; one int column per stage of :data:`STAGES` (all of them, zeros
        included). A row adds up to the customers acquired before that snapshot.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                        "order_date": ["2025-01-10", "2025-09-01", "2025-12-20"]})
    >>> stage_mix(orders, ["2025-07-15", "2026-01-01"])[["new", "at_risk", "lapsed"]]
                   new  at_risk  lapsed
    snapshot_date
    2025-07-15       0        0       1
    2026-01-01       1        1       0
    """
    rules = _rules(rules)
    stamps = _snapshots(snapshots)
    data = _prepare(orders)
    rows = []
    for stamp in stamps:
        stages = assign_stages(_facts(data, stamp), rules)
        rows.append(stages.value_counts(sort=False).reindex(list(STAGES), fill_value=0).to_numpy())
    return pd.DataFrame(np.array(rows, dtype=np.int64).reshape(len(stamps), len(STAGES)),
                        index=pd.DatetimeIndex(stamps, name="snapshot_date"), columns=list(STAGES))


def stage_transitions(
    orders: pd.DataFrame,
    snapshots: Sequence[Any],
    rules: StageRules = StageRules(),
    *,
    by_period: bool = False,
    normalize: bool = False,
) -> pd.DataFrame:
    """Where the customers of each stage went: from-stage x to-stage between consecutive snapshots.

    Parameters
    ----------
    orders : pandas.DataFrame
    snapshots : sequence of dates
        At least two, strictly increasing (e.g. :func:`quarter_snapshots`).
    rules : StageRules
    by_period : bool, default False
        False: one matrix, the counts of all consecutive pairs added up. True: a long table with
        one row per (from_snapshot, to_snapshot, from_stage, to_stage).
    normalize : bool, default False
        With the matrix: divide each row by its total (where each stage's customers went); a row
        without customers stays 0.

    Returns
    -------
    pandas.DataFrame
        The matrix: index ``from_stage`` (``"not_yet"`` -- customers acquired between the two
        snapshots -- then :data:`STAGES`), columns ``to_stage`` (:data:`STAGES`). Once a customer
        has an order they always have a stage, so no customer is lost between snapshots.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                        "order_date": ["2025-01-10", "2025-09-01", "2025-12-20"]})
    >>> moves = stage_transitions(orders, ["2025-07-15", "2026-01-01"])
    >>> int(moves.loc["lapsed", "at_risk"]), int(moves.loc["not_yet", "new"]), int(moves.to_numpy().sum())
    (1, 1, 2)
    """
    rules = _rules(rules)
    stamps = _snapshots(snapshots)
    if len(stamps) < 2:
        raise InputError(_("stage_transitions needs at least two snapshots; got {n}.").format(n=len(stamps)))
    from_labels = ["not_yet", *STAGES]
    data = _prepare(orders)
    stages = [assign_stages(_facts(data, stamp), rules) for stamp in stamps]
    blocks = []
    for (start, before), (end, after) in zip(zip(stamps, stages), zip(stamps[1:], stages[1:])):
        origin = before.astype(str).reindex(after.index).fillna("not_yet")
        counts = pd.crosstab(pd.Categorical(origin, categories=from_labels),
                             pd.Categorical(after.astype(str), categories=list(STAGES)), dropna=False)
        counts.index, counts.columns = pd.Index(from_labels, name="from_stage"), pd.Index(STAGES, name="to_stage")
        blocks.append((start, end, counts.astype(np.int64)))
    if by_period:
        long = [counts.stack().rename("customers").reset_index().assign(from_snapshot=start, to_snapshot=end)
                for start, end, counts in blocks]
        table = pd.concat(long, ignore_index=True)
        return table[["from_snapshot", "to_snapshot", "from_stage", "to_stage", "customers"]]
    total = sum(counts for _start, _end, counts in blocks)
    if normalize:
        sums = total.sum(axis=1)
        return total.div(sums.where(sums > 0, 1), axis=0)
    return total


# --------------------------------------------------------------------------------------------
# Cross-selling: category breadth and churn
# --------------------------------------------------------------------------------------------
def category_breadth(
    orders: pd.DataFrame,
    *,
    window_days: int = 180,
    snapshot_date: Any = None,
    category_col: str = "category",
) -> pd.DataFrame:
    """Distinct categories (and orders) per customer in a window: their first ``window_days`` or the last ones.

    Parameters
    ----------
    orders : pandas.DataFrame
        ``customer_id``, ``order_date``, ``category_col`` (and ``order_id``).
    window_days : int, default 180
        Length of the window in days.
    snapshot_date : date, optional
        None (default): each customer's own first window, from their first order (inclusive) to
        ``first order day + window_days`` (exclusive). A date: the calendar window of the
        ``window_days`` before it, for the customers who bought in it.
    category_col : str
        The column with the category of each order.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id``; ``window_start``, ``window_end`` (midnight, end exclusive),
        ``orders`` and ``categories`` (distinct categories) in the window.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "order_id": list("1234"),
    ...                        "order_date": ["2025-01-10", "2025-02-01", "2025-09-01", "2025-03-03"],
    ...                        "category": ["Home", "Beauty", "Sports", "Home"]})
    >>> category_breadth(orders, window_days=180)[["orders", "categories"]]
                 orders  categories
    customer_id
    a                 2           2
    b                 1           1
    """
    days = require_int(window_days, "window_days", minimum=1)
    data = _prepare(orders, category_col)
    frame = data.frame
    require_present(frame[category_col], category_col, what="a category", frame=frame)
    day = data.day
    if snapshot_date is None:
        first = np.full(len(data.ids), np.iinfo(np.int64).max)
        np.minimum.at(first, data.codes, day)
        start = first[data.codes]
    else:
        _ns, snap_day = _snapshot_ns(as_timestamp(snapshot_date))
        start = np.full(len(day), snap_day - days)
    inside = (day >= start) & (day < start + days)
    chosen = pd.DataFrame({"code": data.codes[inside], "start": start[inside],
                           "category": frame[category_col].to_numpy()[inside]})
    if len(chosen) == 0:
        raise InputError(_("No order falls in the window of {days} days before snapshot_date {snapshot}.").format(
            days=days, snapshot=as_timestamp(snapshot_date)))
    grouped = chosen.groupby("code", sort=True)
    result = pd.DataFrame({
        "start": grouped["start"].first(),
        "orders": grouped.size().astype(np.int64),
        "categories": grouped["category"].nunique().astype(np.int64),
    })
    window_start = pd.to_datetime(result["start"].to_numpy() * _DAY_NS)
    out = pd.DataFrame({
        "window_start": window_start,
        "window_end": window_start + pd.Timedelta(days=days),
        "orders": result["orders"].to_numpy(),
        "categories": result["categories"].to_numpy(),
    }, index=data.ids[result.index.to_numpy()])
    return out


@dataclass(frozen=True)
class BreadthChurn:
    """Churn by category breadth, raw and within strata of the number of orders (:func:`breadth_churn`).

    Attributes
    ----------
    customers : pandas.DataFrame
        Per eligible customer: ``orders``, ``categories``, ``broad`` (categories >= ``broad_from``),
        ``stratum`` (orders in the window, capped), ``churned`` (bool), and ``segment`` when the
        truth was given.
    raw : pandas.DataFrame
        Per number of categories (capped at ``max_categories``): ``customers``, ``churned``,
        ``churn_rate``, ``se``.
    stratified : pandas.DataFrame
        Per (``stratum``, ``broad``): ``customers``, ``churn_rate``.
    raw_difference, raw_se : float
        Churn rate of broad minus narrow buyers, and its standard error (unpooled, normal).
    stratified_difference, stratified_se : float
        The same difference within order strata, averaged with Cochran-Mantel-Haenszel weights
        ``n1 n0 / (n1 + n0)`` (strata with only broad or only narrow buyers carry no weight).
    definition : str
        ``"truth"`` or ``"observed"``.
    window_days, churn_days, broad_from : int
    """

    customers: pd.DataFrame
    raw: pd.DataFrame
    stratified: pd.DataFrame
    raw_difference: float
    raw_se: float
    stratified_difference: float
    stratified_se: float
    definition: str
    window_days: int
    churn_days: int
    broad_from: int

    def __repr__(self) -> str:
        return _("Churn of customers with {k}+ categories minus fewer ({definition} churn, {n:,} customers): raw "
                 "{raw:+.1%} (se {raw_se:.1%}); within order strata {strat:+.1%} (se {strat_se:.1%}).").format(
                     k=self.broad_from, n=len(self.customers),
                     definition=_("true") if self.definition == "truth" else _("observed"),
                     raw=self.raw_difference, raw_se=self.raw_se, strat=self.stratified_difference,
                     strat_se=self.stratified_se)


def _difference(churned: np.ndarray, broad: np.ndarray) -> tuple[float, float, float]:
    """Churn rate of broad minus narrow buyers, its variance (unpooled) and the CMH weight n1 n0 / (n1 + n0).

    A group without one of the two kinds has no difference: (0, 0, 0), so it carries no weight.
    """
    n1, n0 = int(broad.sum()), int((~broad).sum())
    if n1 == 0 or n0 == 0:
        return 0.0, 0.0, 0.0
    p1, p0 = float(churned[broad].mean()), float(churned[~broad].mean())
    return p1 - p0, p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0, n1 * n0 / (n1 + n0)


def breadth_churn(
    orders: pd.DataFrame,
    truth: pd.DataFrame | None = None,
    *,
    snapshot_date: Any = None,
    window_days: int = 180,
    churn_days: int = 180,
    definition: Literal["truth", "observed"] = "truth",
    broad_from: int = 2,
    max_categories: int = 4,
    max_orders: int = 8,
    category_col: str = "category",
) -> BreadthChurn:
    """Does buying in more categories go with less churn? Raw, and within strata of the number of orders.

    Each customer's breadth is measured in their first ``window_days`` (:func:`category_breadth`);
    churn is judged in the ``churn_days`` after that window (the follow-up). Only customers whose
    window and follow-up both end by ``snapshot_date`` are counted (the others' outcome is not
    known yet).

    The raw comparison mixes two things: a customer with more orders in the window has more
    chances to buy another category *and* is a different kind of buyer (more frequent). Within a
    stratum of the same number of orders that selection is held fixed; what remains is the
    association of breadth itself with churn.

    Parameters
    ----------
    orders : pandas.DataFrame
        ``customer_id``, ``order_date``, ``category`` (and ``order_id``).
    truth : pandas.DataFrame, optional
        ``customer_id``, ``dropout_date`` (NaT: alive at the end of the data) and, optionally,
        ``segment`` -- :func:`cvmlib.datasets.load_truth`. Needed for ``definition="truth"``.
    snapshot_date : date, optional
        The end of the data (the first moment not observed); default: midnight after the last
        order, with a warning.
    window_days, churn_days : int, default 180 and 180
    definition : {"truth", "observed"}
        ``"truth"``: among the customers still alive at the end of their window (true dropout
        date not before it), churned = the true dropout falls in the follow-up. ``"observed"``:
        every customer; churned = no order in the follow-up (a lapse: what an analyst without
        the truth sees, and it also counts slow buyers who are still alive).
    broad_from : int, default 2
        "Broad" buyers bought at least this many categories in the window.
    max_categories : int, default 4
        Breadths from this on are one row of ``raw`` ("4 or more").
    max_orders : int, default 8
        Order counts from this on are one stratum.
    category_col : str

    Returns
    -------
    BreadthChurn

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c", "c"], "order_id": list("123456"),
    ...                        "order_date": ["2024-01-05", "2024-02-01", "2024-01-10", "2024-03-01",
    ...                                       "2024-01-20", "2024-06-01"],
    ...                        "category": ["Home", "Beauty", "Home", "Home", "Home", "Sports"]})
    >>> result = breadth_churn(orders, definition="observed", snapshot_date="2025-01-01", window_days=90,
    ...                        churn_days=90)
    >>> result.raw["churn_rate"].tolist(), round(result.raw_difference, 2)
    ([0.5, 1.0], 0.5)
    """
    require_choice(definition, "definition", list(BREADTH_CHURN_DEFINITIONS))
    window = require_int(window_days, "window_days", minimum=1)
    follow = require_int(churn_days, "churn_days", minimum=1)
    broad_k = require_int(broad_from, "broad_from", minimum=2)
    cap_k = require_int(max_categories, "max_categories", minimum=broad_k)
    cap_n = require_int(max_orders, "max_orders", minimum=2)
    if definition == "truth" and truth is None:
        raise InputError(_("definition='truth' needs truth= (a table with customer_id and dropout_date, e.g. "
                           "cvmlib.datasets.load_truth()); use definition='observed' without it."))
    data = _prepare(orders, category_col)
    end = resolve_snapshot_date(pd.Series(data.frame["order_date"].to_numpy()), snapshot_date)
    breadth = category_breadth(data.frame, window_days=window, category_col=category_col)
    eligible = (breadth["window_end"] + pd.Timedelta(days=follow) <= end).to_numpy()
    if truth is not None:
        require_table(truth, "truth", ["customer_id", "dropout_date"])
        require_unique(truth["customer_id"], "customer_id", what="customer id", frame=truth)
        known = truth.set_index(truth["customer_id"].astype(str))
        require_same_ids(breadth.index, known.index, "the customers of orders", "truth", subset=True)
        dropout = parse_dates(known["dropout_date"], "dropout_date", allow_missing=True).reindex(breadth.index)
        if definition == "truth":  # alive at the end of the window: the dropout is not already behind them
            eligible = eligible & (dropout.isna() | (dropout >= breadth["window_end"])).to_numpy()
    if not eligible.any():
        raise InputError(_("No customer's first {window} days plus {follow} days of follow-up end by "
                           "snapshot_date {end}: shorten window_days or churn_days.").format(
                               window=window, follow=follow, end=end))
    table = breadth.loc[eligible].copy()
    follow_end = table["window_end"] + pd.Timedelta(days=follow)
    if definition == "truth":
        table["churned"] = (dropout.reindex(table.index) < follow_end).to_numpy(dtype=bool, na_value=False)
    else:
        codes = data.ids.get_indexer(table.index)
        lo = np.zeros(len(data.ids), np.int64)
        hi = np.zeros(len(data.ids), np.int64)  # customers not eligible: an empty follow-up
        lo[codes] = table["window_end"].to_numpy(dtype="datetime64[ns]").view(np.int64)
        hi[codes] = follow_end.to_numpy(dtype="datetime64[ns]").view(np.int64)
        inside = (data.ns >= lo[data.codes]) & (data.ns < hi[data.codes])
        bought = np.zeros(len(data.ids), dtype=bool)
        bought[data.codes[inside]] = True
        table["churned"] = ~bought[codes]
    if truth is not None and "segment" in known.columns:
        table["segment"] = known["segment"].reindex(table.index)
    table["broad"] = table["categories"] >= broad_k
    table["stratum"] = np.minimum(table["orders"], cap_n)
    churned = table["churned"].to_numpy(dtype=bool)
    broad = table["broad"].to_numpy(dtype=bool)

    capped = np.minimum(table["categories"], cap_k).rename("categories")
    raw = table["churned"].groupby(capped).agg(["size", "sum", "mean"])
    raw.columns = ["customers", "churned", "churn_rate"]
    raw = raw.astype({"customers": np.int64, "churned": np.int64})
    raw["se"] = np.sqrt(raw["churn_rate"] * (1 - raw["churn_rate"]) / raw["customers"])

    stratified = (table.groupby(["stratum", "broad"])["churned"].agg(["size", "mean"])
                  .rename(columns={"size": "customers", "mean": "churn_rate"}).astype({"customers": np.int64}))

    raw_diff, raw_var, _n = _difference(churned, broad)
    # Cochran-Mantel-Haenszel risk difference: strata weighted by n1 n0 / (n1 + n0)
    weighted = weights = variance = 0.0
    strata = table["stratum"].to_numpy()
    for value in np.unique(strata):
        inside = strata == value
        diff, var, weight = _difference(churned[inside], broad[inside])
        weighted += weight * diff
        variance += weight**2 * var
        weights += weight
    strat_diff = weighted / weights if weights else 0.0
    strat_se = float(np.sqrt(variance) / weights) if weights else 0.0
    return BreadthChurn(customers=table.drop(columns=["window_start"]), raw=raw, stratified=stratified,
                        raw_difference=raw_diff, raw_se=float(np.sqrt(raw_var)),
                        stratified_difference=float(strat_diff), stratified_se=strat_se, definition=definition,
                        window_days=window, churn_days=follow, broad_from=broad_k)
