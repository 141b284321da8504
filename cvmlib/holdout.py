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

from cvmlib.clv import UNIT_DAYS, PurchaseModel, summarize_purchases
from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_timestamp,
    require_choice,
    require_int,
    require_non_negative,
    require_positive,
    require_table,
    require_whole_number,
    require_within,
    validate_transactions,
)

__all__ = ["calibration_holdout", "cumulative_tracking", "period_transactions"]


#: Largest repeat-purchase count and duration (in the model's unit) taken as plausible.
MAX_COUNT = 1e9
MAX_DURATION = 1e6


def _model(model: Any) -> PurchaseModel:
    if not isinstance(model, PurchaseModel):
        raise InputError(_("model must be a fitted purchase model (BetaGeo or ParetoNBD); got {type}.").format(
            type=type(model).__name__))
    return model


def _summary(summary: Any, columns: list[str]) -> pd.DataFrame:
    """The BTYD summary with ``columns``: whole non-negative counts, non-negative finite durations."""
    holdout = any(c.endswith("_holdout") for c in columns)
    require_table(summary, N_("summary (from summarize_purchases(..., calibration_end=...))") if holdout
                  else N_("summary (from summarize_purchases)"), columns)
    for col in columns:
        if col.startswith("frequency"):
            require_whole_number(summary[col], col, frame=summary, minimum=0)
        elif col == "duration_holdout":
            require_positive(summary[col], col, frame=summary)
        else:
            require_non_negative(summary[col], col, frame=summary)
        # counts become int64 and durations enter the model: absurd magnitudes are input errors
        require_within(summary[col], col, 0, MAX_COUNT if col.startswith("frequency") else MAX_DURATION,
                       frame=summary, fix=N_("Is this a BTYD summary in the model's time unit?"))
    return summary


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
    model = _model(model)
    _summary(summary, ["frequency", "T"])
    max_count = require_int(max_count, "max_count", minimum=1)
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
    model = _model(model)
    _summary(summary, ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"])
    max_frequency = require_int(max_frequency, "max_frequency", minimum=1)
    duration = summary["duration_holdout"].to_numpy(dtype=float)
    if not np.allclose(duration, duration[0]):
        raise InputError(_("duration_holdout differs between customers: one holdout period is expected."))
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
    model = _model(model)
    days = UNIT_DAYS[require_choice(unit, "unit", list(UNIT_DAYS))]
    cal_end = as_timestamp(calibration_end, "calibration_end").normalize()
    end = as_timestamp(observation_end, "observation_end").normalize()
    # Parsed dates from the shared checks; the summary then applies the BTYD conventions (one
    # purchase per customer per day, first purchase on or before calibration_end). Only purchase
    # days count, so exact duplicate rows cannot change the result: they are kept, then collapsed.
    tx = validate_transactions(transactions, customer_col=customer_col, order_col=None, date_col=date_col,
                               amount_col=None, duplicates="keep")
    tx = tx[[customer_col, date_col]].drop_duplicates()
    summary = summarize_purchases(tx, customer_col, date_col, calibration_end=cal_end,
                                  observation_end=end, unit="D")
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
