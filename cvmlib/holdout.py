"""Checking a purchase model (BG/NBD, Pareto/NBD) against data: the three standard diagnostics.

A BTYD model is fitted on a **calibration period** and judged on what it did not see. The tables
here are the ones behind the standard plots (Fader, Hardie & Lee 2005; the ``lifetimes`` package
draws the same ones); :mod:`cvmlib.plotting` draws them.

* :func:`period_transactions` -- in-sample fit: how many customers made 0, 1, 2, ... repeat
  purchases in the calibration period, observed against the model.
* :func:`calibration_holdout` -- out-of-sample, per customer group: mean number of purchases in
  the **holdout period**, grouped by the number in the calibration period, actual against the
  model's conditional expectation.
* :func:`cumulative_tracking` -- out-of-sample, over time: cumulative repeat purchases of the
  calibration customers, week by week, actual against the model.

All durations are in the model's time unit (the unit of the summary it was fitted on).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib.clv import PurchaseModel, summarize_purchases
from cvmlib.clv._common import unit_days
from cvmlib.validate import InputError, _to_timestamp, validate_transactions

__all__ = ["calibration_holdout", "cumulative_tracking", "period_transactions"]


def _need(summary: pd.DataFrame, columns: list[str]) -> None:
    if not isinstance(summary, pd.DataFrame):
        raise InputError(f"summary must be the DataFrame from summarize_purchases; got {type(summary).__name__}.")
    missing = [c for c in columns if c not in summary.columns]
    if missing:
        raise InputError(f"summary has no column(s) {missing}: use summarize_purchases(..., "
                         f"calibration_end=...) for the holdout columns.")


def _label_bins(max_count: int) -> pd.Index:
    return pd.Index([str(n) for n in range(max_count)] + [f"{max_count}+"], name="repeat_purchases")


def period_transactions(model: PurchaseModel, summary: pd.DataFrame, max_count: int = 7) -> pd.DataFrame:
    """Customers by number of repeat purchases in the calibration period: observed and model.

    The model count for ``n`` is the sum over customers of P(X(T_i) = n), each customer observed
    for their own ``T`` (``model.purchase_count_probability(n, T)``); the last bin holds
    ``max_count`` or more.

    Parameters
    ----------
    model : fitted purchase model
        With ``purchase_count_probability(n, t)``.
    summary : pandas.DataFrame
        The calibration summary the model was fitted on (``frequency`` and ``T``).
    max_count : int, default 7
        Counts from ``max_count`` on are pooled.

    Returns
    -------
    pandas.DataFrame
        Index ``"0" .. "max_count+"``, columns ``actual`` and ``model`` (customers); both add up
        to the number of customers.
    """
    _need(summary, ["frequency", "T"])
    if max_count < 1:
        raise InputError(f"max_count={max_count} must be at least 1.")
    # Customers share few distinct T values (first purchase days): evaluate each once.
    t_values, t_counts = np.unique(summary["T"].to_numpy(dtype=float), return_counts=True)
    expected = np.array([float(np.dot(t_counts, model.purchase_count_probability(n, t_values)))
                         for n in range(max_count)])
    expected = np.append(expected, len(summary) - expected.sum())
    actual = np.bincount(np.minimum(summary["frequency"].to_numpy(dtype=np.int64), max_count),
                         minlength=max_count + 1).astype(float)
    return pd.DataFrame({"actual": actual, "model": expected}, index=_label_bins(max_count))


def calibration_holdout(model: PurchaseModel, summary: pd.DataFrame, max_frequency: int = 7) -> pd.DataFrame:
    """Mean holdout purchases by calibration frequency: actual and the model's conditional forecast.

    Parameters
    ----------
    model : fitted purchase model
        With ``expected_purchases(t, frequency, recency, T)``.
    summary : pandas.DataFrame
        From :func:`cvmlib.clv.summarize_purchases` with ``calibration_end``: ``frequency``,
        ``recency``, ``T``, ``frequency_holdout``, ``duration_holdout``.
    max_frequency : int, default 7
        Calibration frequencies from ``max_frequency`` on are pooled.

    Returns
    -------
    pandas.DataFrame
        Index ``"0" .. "max_frequency+"`` (calibration repeat purchases), columns ``customers``,
        ``actual`` (mean holdout purchases) and ``model`` (mean expected holdout purchases).
    """
    _need(summary, ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"])
    duration = summary["duration_holdout"].to_numpy(dtype=float)
    if not np.allclose(duration, duration[0]):
        raise InputError("duration_holdout differs between customers: one holdout period is expected.")
    predicted = model.expected_purchases(float(duration[0]), summary["frequency"], summary["recency"], summary["T"])
    group = np.minimum(summary["frequency"].to_numpy(dtype=np.int64), max_frequency)
    table = pd.DataFrame({"group": group, "actual": summary["frequency_holdout"].to_numpy(dtype=float),
                          "model": np.asarray(predicted, dtype=float)}).groupby("group")
    out = pd.DataFrame({"customers": table.size(), "actual": table["actual"].mean(), "model": table["model"].mean()})
    out = out.reindex(range(max_frequency + 1))
    out.index = _label_bins(max_frequency).rename("calibration_repeat_purchases")
    out["customers"] = out["customers"].fillna(0).astype("int64")
    return out


def cumulative_tracking(
    model: PurchaseModel,
    transactions: pd.DataFrame,
    customer_col: Hashable,
    date_col: Hashable,
    calibration_end: Any,
    observation_end: Any,
    unit: Literal["D", "W", "M"] = "W",
) -> pd.DataFrame:
    """Cumulative repeat purchases of the calibration customers, per period: actual and model.

    The customers are those whose first purchase is on or before ``calibration_end``; a repeat
    purchase is a purchase day after their first (the BTYD convention). The model's number at
    time ``t`` is the sum over customers of E[X(t - s_i)], ``s_i`` the customer's first purchase
    (``model.expected_purchases_population``).

    Parameters
    ----------
    model : fitted purchase model
        Fitted in ``unit``, with ``expected_purchases_population(t)``.
    transactions : pandas.DataFrame
        The transactions the summary was built from.
    customer_col, date_col : column names
    calibration_end, observation_end : dates
        Last day of the calibration period and of the data (inclusive).
    unit : {"D", "W", "M"}, default "W"
        The model's unit; also the step of the table.

    Returns
    -------
    pandas.DataFrame
        Index ``period_end`` (the last day of each period, counted from the first day of the
        data), columns ``actual`` and ``model`` (cumulative repeat purchases) and ``holdout``
        (True after ``calibration_end``).
    """
    days = unit_days(unit)
    # Parsed dates from the shared checks; the summary then applies the BTYD conventions (one
    # purchase per customer per day, first purchase on or before calibration_end).
    tx = validate_transactions(transactions, customer_col=customer_col, order_col=None, date_col=date_col,
                               amount_col=None)
    summary = summarize_purchases(tx, customer_col, date_col, calibration_end=calibration_end,
                                  observation_end=observation_end, unit="D")
    cal_end = _to_timestamp(calibration_end, "calibration_end").normalize()
    end = _to_timestamp(observation_end, "observation_end").normalize()
    first_day = cal_end - pd.to_timedelta(summary["T"].to_numpy(), unit="D")
    start = first_day.min()
    day = tx[date_col].dt.normalize()
    purchases = pd.DataFrame({"customer": tx[customer_col].to_numpy(), "day": day}).drop_duplicates()
    firsts = pd.Series(first_day, index=summary.index)
    purchases = purchases[purchases["customer"].isin(summary.index) & (purchases["day"] <= end)]
    repeat_days = purchases["day"][purchases["day"].to_numpy() > firsts.reindex(purchases["customer"]).to_numpy()]

    n_periods = int(np.floor(((end - start).days + 1) / days))
    edges = start + pd.to_timedelta(np.arange(1, n_periods + 1) * days - 1, unit="D").floor("D")
    actual = np.searchsorted(np.sort(repeat_days.to_numpy()), edges.to_numpy(), side="right").astype(float)

    # E[X(age)] per customer and period end; customers share few first days, so group them.
    offsets, counts = np.unique(((first_day - start).days).to_numpy(), return_counts=True)
    model_counts = np.zeros(n_periods)
    for offset, count in zip(offsets, counts):
        age = ((edges - start).days.to_numpy() - offset) / days  # as T: days since the first purchase day
        alive = age > 0
        if alive.any():
            model_counts[alive] += count * model.expected_purchases_population(age[alive])
    return pd.DataFrame({"actual": actual, "model": model_counts, "holdout": edges > cal_end},
                        index=pd.DatetimeIndex(edges, name="period_end"))
