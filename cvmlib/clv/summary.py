"""The BTYD summary (frequency, recency, T, monetary value) of a transaction table.

**BTYD summary** ("buy 'til you die", one row per customer) -- not the RFM table. Purchases are
first collapsed to one per customer per calendar day (as ``lifetimes`` does). Then
``frequency`` = number of *repeat* purchase days (distinct purchase days - 1), ``recency`` =
time from the first to the last purchase day, ``T`` = time from the first purchase day to the
end of the observation (or calibration) period, ``monetary_value`` = mean of the daily totals
of the repeat purchase days (0 when ``frequency`` is 0). RFM recency is "days since the last
purchase"; BTYD recency is "age of the customer at the last purchase": do not mix them.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib._ids import factorize_ids
from cvmlib.clv._common import unit_days
from cvmlib.i18n import _
from cvmlib.validate import (DuplicatesPolicy, InputError, ReturnsPolicy, as_timestamp, reject_rows,
                             require_choice, resolve_observation_end, validate_transactions_with_ids)

__all__ = ["summarize_purchases"]


def _day_number(ts: pd.Timestamp) -> int:
    """Days since 1970-01-01 of a (normalised) timestamp."""
    return int(np.datetime64(ts.date(), "D").astype(np.int64))


def summarize_purchases(
    transactions: pd.DataFrame,
    customer_col: Hashable,
    date_col: Hashable,
    amount_col: Hashable | None = None,
    calibration_end: Any = None,
    observation_end: Any = None,
    unit: Literal["D", "W", "M"] = "W",
    returns: ReturnsPolicy = "error",
    duplicates: DuplicatesPolicy = "error",
) -> pd.DataFrame:
    """The BTYD summary (frequency, recency, T, monetary value) of a transaction table.

    Same conventions as ``lifetimes.utils.summary_data_from_transaction_data(..., freq="D",
    freq_multiplier=7)`` (for weeks), so numbers can be compared: purchases are collapsed to one
    per customer per calendar day (times of day are ignored); ``frequency`` = distinct purchase
    days - 1; ``recency`` = first to last purchase day; ``T`` = first purchase day to
    ``calibration_end`` (when given) else ``observation_end``; ``monetary_value`` = mean daily
    total over the repeat purchase days (0 when ``frequency`` is 0). All durations in ``unit``.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction; checked with :func:`cvmlib.validate.validate_transactions`
        (``order_col=None``; exact duplicate rows: see ``duplicates``).
    customer_col, date_col : column names
        Customer id and purchase date (or time).
    amount_col : column name, optional
        Transaction value; adds ``monetary_value``.
    calibration_end : date, optional
        Last day of the calibration period (inclusive). Customers whose first purchase is later
        are left out; adds ``frequency_holdout`` (repeat purchase days after ``calibration_end``
        up to ``observation_end``) and ``duration_holdout`` (their span, in ``unit``).
    observation_end : date, optional
        Last day observed (inclusive). Default: the last purchase day, with a
        :class:`UserWarning` (never silent). Later purchases are dropped with a warning.
    unit : {"D", "W", "M"}, default "W"
        Days, weeks (7 days) or months (30.4375 days).
    returns : {"error", "net", "exclude"}
        Policy for non-positive amounts, passed to ``validate_transactions``. Under ``"net"``
        every row is a purchase and a day's total is the net sum (meant for zero-value
        purchases; clean real returns out first with :mod:`cvmlib.clean`).
    duplicates : {"error", "keep"}, default "error"
        Exact duplicate rows (identical in every column). Without ``amount_col`` they cannot
        change the summary (purchases are collapsed to one per customer per day), so they are
        always accepted. With ``amount_col`` they would add to the day's spend: ``"error"``
        refuses them (usually the same export twice: drop them with ``df.drop_duplicates()``);
        ``"keep"`` counts each as a separate purchase (genuine identical purchases, as in the raw
        CDNOW file -- :func:`cvmlib.datasets.load_cdnow` adds a ``line`` column that tells them
        apart, so it needs neither).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id, columns ``frequency`` (int), ``recency``, ``T``
        [, ``monetary_value``] [, ``frequency_holdout``, ``duration_holdout``].

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "A", "B"],
    ...                    "order_date": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08"],
    ...                    "amount": [10.0, 5.0, 20.0, 7.0]})
    >>> summarize_purchases(tx, "customer_id", "order_date", "amount",
    ...                     observation_end="2024-01-29", unit="W")
                 frequency  recency    T  monetary_value
    customer_id
    A                    1      2.0  4.0            20.0
    B                    0      0.0  3.0             0.0
    """
    days = unit_days(unit)
    for role, col in (("customer_col", customer_col), ("date_col", date_col)):
        if col is None:
            raise InputError((_("{role}=None: pass the name of the column that holds the customer ids.")
                              if role == "customer_col" else
                              _("{role}=None: pass the name of the column that holds the purchase dates.")).format(
                                  role=role))
    require_choice(duplicates, "duplicates", ["error", "keep"])
    # Identical rows cannot change a summary without amounts (one purchase per customer per day).
    policy: DuplicatesPolicy = "keep" if amount_col is None else duplicates
    # The validation encodes the customer ids anyway; reuse its integer codes (the costliest step).
    tx, ids = validate_transactions_with_ids(transactions, customer_col=customer_col, order_col=None,
                                             date_col=date_col, amount_col=amount_col, returns=returns,
                                             duplicates=policy)
    when = tx[date_col]
    if isinstance(when.dtype, pd.DatetimeTZDtype):
        when = when.dt.tz_localize(None)  # calendar days in the data's own local time
    day = when.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    end = resolve_observation_end(when, observation_end)
    cal_end = None if calibration_end is None else as_timestamp(calibration_end, "calibration_end").normalize()
    if cal_end is not None and cal_end > end:
        raise InputError(_("calibration_end {calibration_end} is after observation_end {end}: the holdout period "
                           "would be negative.").format(calibration_end=f"{cal_end:%Y-%m-%d}", end=f"{end:%Y-%m-%d}"))
    end_day = _day_number(end)
    cal_day = end_day if cal_end is None else _day_number(cal_end)
    late = day > end_day
    if late.all():
        reject_rows(tx, late, _("observation_end {end} is before every purchase (the first is on {first}): nothing "
                                "would be left to summarise. Choose a later observation_end.").format(
                                    end=f"{end:%Y-%m-%d}", first=f"{when.min():%Y-%m-%d}"), [customer_col, date_col])
    if late.any():
        warnings.warn(_("Dropped {n:,} transaction(s) after observation_end {end}.").format(
            n=int(late.sum()), end=f"{end:%Y-%m-%d}"), UserWarning, stacklevel=2)

    # Purchase days are counted on distinct (customer, day) keys: one integer per row, sorted
    # once (int32 when it fits: twice as fast). Spend never needs that order: per-customer
    # totals are bincounts over the raw rows.
    codes, customers = factorize_ids(tx[customer_col], ids.get(customer_col))
    keep = ~late
    codes, day = codes[keep].astype(np.int64), day[keep]
    n_cust = len(customers)
    d0 = int(day.min())
    span = int(day.max()) - d0 + 1
    key = codes * span + (day - d0)
    if n_cust * span < 2**31:
        key = key.astype(np.int32)
    key = np.sort(key)
    distinct = key[np.r_[True, key[1:] != key[:-1]]].astype(np.int64)
    key_cust, key_day = distinct // span, distinct % span + d0
    n_all = np.bincount(key_cust, minlength=n_cust)
    n_cal = np.bincount(key_cust[key_day <= cal_day], minlength=n_cust)
    first = np.full(n_cust, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, day)
    present = n_all > 0  # customers whose purchases all came after observation_end are gone
    eligible = present & (first <= cal_day)  # first purchase within the calibration period
    if not eligible.any():
        raise InputError(_("No customer made a first purchase on or before calibration_end {calibration_end}; "
                           "choose a later calibration_end.").format(calibration_end=f"{cal_end:%Y-%m-%d}"))
    in_cal = day <= cal_day
    last = np.full(n_cust, np.iinfo(np.int64).min)
    np.maximum.at(last, codes[in_cal], day[in_cal])
    frequency = n_cal - 1
    out = pd.DataFrame({"frequency": frequency, "recency": (last - first) / days,
                        "T": (cal_day - first) / days}, index=customers)
    if amount_col is not None:
        amount = tx[amount_col].to_numpy(dtype=float)[keep]
        cal_total = np.bincount(codes[in_cal], weights=amount[in_cal], minlength=n_cust)
        first_day = np.bincount(codes, weights=np.where(day == first[codes], amount, 0.0),
                                minlength=n_cust)
        if not (np.isfinite(cal_total).all() and np.isfinite(first_day).all()):
            over = ~(np.isfinite(cal_total) & np.isfinite(first_day))[codes]
            reject_rows(tx[keep], over, lambda n: _(
                "Column {column!r} is too large: the total spend of some customers overflows (above 1.8e308; "
                "{n:,} row(s) of theirs). Use a larger unit of money (e.g. thousands).").format(
                    column=amount_col, n=n), [customer_col, date_col, amount_col])
        with np.errstate(invalid="ignore", divide="ignore"):
            out["monetary_value"] = np.where(frequency > 0, (cal_total - first_day) / frequency,
                                             0.0)
    if cal_end is not None:
        out["frequency_holdout"] = n_all - n_cal
        out["duration_holdout"] = (end_day - cal_day) / days
    out = out[eligible]
    out.index.name = customer_col
    return out
