"""Cohort retention: who of the customers acquired in one period still buys k periods later.

Definitions used throughout (the glossary pins the same ones):

* **Period** -- a calendar period: ``"W"`` a week from Monday to Sunday, ``"M"`` a calendar month,
  ``"Q"`` a calendar quarter. Times of day are ignored.
* **Cohort** (同期群) -- the customers whose *first* purchase falls in the same period. The cohort
  size is the number of these customers.
* **Age** -- periods since the first purchase: age 0 is the period of the first purchase, age k
  is the k-th calendar period after it (the column label of the tables).
* **Active** -- a customer is active at age k when they bought at least once in that period.
* **Retention** -- active customers of the cohort at age k divided by the cohort *size* (not by
  the customers still active at age k - 1, and not by all active customers of that calendar
  period). It is 1 at age 0 by construction. In a non-contractual business "not active in a
  period" is not churn: a customer can skip a month and come back.
* **Observed cells** -- a cell (cohort, age) is observed only when its whole calendar period lies
  on or before ``observation_end``. Later cells are missing (NaN), never 0: a cohort acquired last
  month has no "retention after a year" yet. Cohorts whose first period is not complete are left
  out, with a warning.

Examples
--------
>>> import pandas as pd
>>> orders = pd.DataFrame({
...     "customer_id": ["a", "a", "b", "c", "c", "d"],
...     "order_date": pd.to_datetime(["2024-01-05", "2024-02-10", "2024-01-20",
...                                   "2024-02-03", "2024-03-30", "2024-03-01"])})
>>> cohort_retention(orders, observation_end="2024-03-31")
periods_since_first    0    1    2
cohort
2024-01              1.0  0.5  0.0
2024-02              1.0  1.0  NaN
2024-03              1.0  NaN  NaN
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    reject_rows,
    require_choice,
    require_not_after,
    require_positive,
    require_table,
    require_whole_number,
    resolve_observation_end,
    validate_transactions,
)

__all__ = ["PERIODS", "cohort_counts", "cohort_retention", "retention_curve"]

Period = Literal["W", "M", "Q"]

#: The calendar periods a cohort table can use, and what each one means.
PERIODS: dict[str, str] = {
    "W": N_("calendar week, Monday to Sunday"),
    "M": N_("calendar month"),
    "Q": N_("calendar quarter"),
}

AGE_NAME = "periods_since_first"


def _period_code(period: str) -> str:
    require_choice(period, "period", list(PERIODS))
    return "W-SUN" if period == "W" else period  # pandas' name for Monday-to-Sunday weeks


def cohort_counts(
    orders: pd.DataFrame,
    customer_col: Hashable = "customer_id",
    date_col: Hashable = "order_date",
    period: Period = "M",
    observation_end: Any = None,
    order_col: Hashable | None = None,
) -> pd.DataFrame:
    """Active customers per cohort and age: the numbers behind :func:`cohort_retention`.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order; checked with :func:`cvmlib.validate.validate_transactions` (amounts
        are not needed and not checked).
    customer_col, date_col : column names, default "customer_id", "order_date"
        Customer id and purchase date (or time).
    period : {"W", "M", "Q"}, default "M"
        Calendar week (Monday to Sunday), calendar month or calendar quarter.
    observation_end : date, optional
        Last day observed (inclusive). Default: the last purchase day, with a
        :class:`UserWarning` (never silent). A purchase after it is an :class:`InputError`.
    order_col : column name, optional
        Order id, to check that one order has one customer and one date.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (a :class:`pandas.PeriodIndex`, first-purchase period), columns
        ``0, 1, ...`` (named ``periods_since_first``), values the number of distinct customers of
        the cohort who bought in that period (float; NaN where the period is not yet complete).
        Column ``0`` is the cohort size.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                        "order_date": ["2024-01-05", "2024-02-10", "2024-01-20"]})
    >>> cohort_counts(orders, observation_end="2024-02-29")
    periods_since_first    0    1
    cohort
    2024-01              2.0  1.0
    """
    code = _period_code(period)
    # Counting distinct customers per period: an exact duplicate row cannot change the result.
    tx = validate_transactions(orders, customer_col=customer_col, order_col=order_col,
                               date_col=date_col, amount_col=None, duplicates="keep")
    dates = tx[date_col]
    if isinstance(dates.dtype, pd.DatetimeTZDtype):  # periods are local calendar periods
        dates = dates.dt.tz_localize(None)
    day = dates.dt.normalize()
    end = resolve_observation_end(day, observation_end)
    require_not_after(day, end, date_col, "observation_end", frame=tx,
                      columns=[customer_col, date_col],
                      fix=_("Filter them out or choose a later observation_end."))

    # Period ordinals count calendar periods, so their difference is the age in periods.
    ordinal = pd.PeriodIndex(day, freq=code).asi8
    customer = tx[customer_col].to_numpy()
    frame = pd.DataFrame({"customer": customer, "ordinal": ordinal})
    frame["cohort"] = frame.groupby("customer")["ordinal"].transform("min")
    frame["age"] = frame["ordinal"] - frame["cohort"]
    counts = (frame.drop_duplicates(["customer", "age"])
              .groupby(["cohort", "age"]).size().unstack("age", fill_value=0).astype("float64"))

    end_period = pd.Period(end, freq=code)
    last_complete = end_period.ordinal - (1 if end_period.end_time.normalize() > end else 0)
    partial = counts.index > last_complete
    if partial.any():
        dropped = int(counts.loc[partial, 0].sum())
        warnings.warn(_("Left out {n:,} customer(s) whose first {period} is not complete on observation_end "
                        "{end}.").format(n=dropped, period=_(PERIODS[period]), end=f"{end:%Y-%m-%d}"),
                      UserWarning, stacklevel=2)
        counts = counts.loc[~partial]
    if counts.empty:
        raise InputError(_("No complete {period} on or before observation_end {end}: choose a later "
                           "observation_end or a shorter period.").format(period=_(PERIODS[period]),
                                                                          end=f"{end:%Y-%m-%d}"))
    ages = np.arange(int(last_complete - counts.index.min()) + 1)
    counts = counts.reindex(columns=ages, fill_value=0.0)
    observed = counts.index.to_numpy()[:, None] + ages[None, :] <= last_complete
    counts = counts.where(observed)
    counts.index = pd.PeriodIndex.from_ordinals(counts.index.to_numpy(), freq=code)
    counts.index.name = "cohort"
    counts.columns = pd.Index(ages, name=AGE_NAME)
    return counts


def cohort_retention(
    orders: pd.DataFrame,
    customer_col: Hashable = "customer_id",
    date_col: Hashable = "order_date",
    period: Period = "M",
    observation_end: Any = None,
    order_col: Hashable | None = None,
) -> pd.DataFrame:
    """Share of each cohort that bought in each period since its first purchase.

    Same parameters as :func:`cohort_counts`; the result is its table divided, row by row, by the
    cohort size (column ``0``). Unobserved cells stay NaN.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (PeriodIndex), columns ``0, 1, ...`` (``periods_since_first``), values
        in [0, 1]; column ``0`` is 1.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c"],
    ...                        "order_date": ["2024-01-01", "2024-01-08", "2024-01-02",
    ...                                       "2024-01-16", "2024-01-09"]})
    >>> cohort_retention(orders, period="W", observation_end="2024-01-21")
    periods_since_first                  0    1    2
    cohort
    2024-01-01/2024-01-07              1.0  0.5  0.5
    2024-01-08/2024-01-14              1.0  0.0  NaN
    """
    counts = cohort_counts(orders, customer_col, date_col, period, observation_end, order_col)
    return counts.div(counts[0], axis=0)


def retention_curve(counts: pd.DataFrame) -> pd.Series:
    """Average retention by age over all cohorts observed at that age, weighted by cohort size.

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`cohort_counts` (counts, not shares: the weights are the cohort sizes):
        whole non-negative numbers, at most the cohort size, NaN only for unobserved cells.

    Returns
    -------
    pandas.Series
        Indexed by age (``periods_since_first``): active customers of the cohorts observed at
        that age divided by the total size of those same cohorts.

    Examples
    --------
    >>> counts = pd.DataFrame({0: [100.0, 50.0], 1: [40.0, np.nan]})
    >>> retention_curve(counts).tolist()
    [1.0, 0.4]
    """
    require_table(counts, "counts (the table from cohort_counts; column 0 = cohort size)", [0])
    for age in counts.columns:  # named "column 0 of counts": the column labels are ages
        require_whole_number(counts[age], f"column {age!r} of counts", allow_missing=age != 0, minimum=0)
    sizes = require_positive(counts[0], "column 0 of counts (the cohort sizes)")
    for age in counts.columns:
        reject_rows(counts, (counts[age] > sizes).to_numpy(),
                    lambda n, age=age: _("Column {age!r} of counts has {n} cohort(s) with more active customers "
                                         "than the cohort size (column 0): these are not cohort_counts.").format(
                        age=age, n=n))
    observed = counts.notna()
    # Only cohorts observed at an age enter that age's denominator: young cohorts do not pull
    # the late part of the curve down.
    active = counts.fillna(0.0).sum()
    base = observed.mul(sizes, axis=0).sum()
    return (active / base).rename("retention").rename_axis(counts.columns.name)
