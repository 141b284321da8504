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
    if not isinstance(transactions, pd.DataFrame):  # a DuckDB relation, a Parquet path or a Spark DataFrame
        from cvmlib.engines import is_engine_source, summarize_purchases as engine_summary
        if is_engine_source(transactions):
            return engine_summary(transactions, customer_col, date_col, amount_col, calibration_end,
                                  observation_end, unit, returns, duplicates)
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
    # The data's own unit (no detour through ns) and a view, not a copy, as int64: one new array.
    day = when.to_numpy().astype("datetime64[D]").view(np.int64)
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
    # once in place (int32 when it fits: twice as fast, half the memory). First and last days
    # are the ends of each customer's run in that order. Spend never needs the order: totals
    # are bincounts over the raw rows. Why no masked copies unless rows are dropped, and days as
    # offsets from the first day (in place): every row-length temporary costs time and memory.
    codes, customers = factorize_ids(tx[customer_col], ids.get(customer_col))
    keep = ~late if late.any() else None
    if keep is not None:
        codes, day = codes[keep], day[keep]
    n_cust = len(customers)
    d0 = int(day.min())
    day -= d0  # our own array (astype above, or the masked copy)
    span = int(day.max()) + 1
    cal_off = cal_day - d0
    kind: type[np.signedinteger[Any]] = np.int32 if n_cust * span < 2**31 else np.int64
    key = codes.astype(kind)
    np.multiply(key, span, out=key)
    np.add(key, day, out=key, casting="same_kind")  # the sum fits ``kind`` (n_cust * span does)
    key.sort()
    distinct = key[np.r_[True, key[1:] != key[:-1]]]
    del key
    key_cust, key_day = np.divmod(distinct, kind(span))
    del distinct
    first = np.full(n_cust, np.iinfo(np.int64).max)
    starts = np.flatnonzero(np.r_[True, key_cust[1:] != key_cust[:-1]])
    first[key_cust[starts]] = key_day[starts]
    n_all = np.bincount(key_cust, minlength=n_cust)
    if cal_off < span - 1:  # a holdout period: keep the calibration days only
        in_cal_key = key_day <= cal_off
        key_cust, key_day = key_cust[in_cal_key], key_day[in_cal_key]
    n_cal = np.bincount(key_cust, minlength=n_cust)
    last = np.full(n_cust, np.iinfo(np.int64).min)
    ends = np.flatnonzero(np.r_[key_cust[1:] != key_cust[:-1], True]) if len(key_cust) else starts[:0]
    last[key_cust[ends]] = key_day[ends]
    del key_cust, key_day, starts, ends
    present = n_all > 0  # customers whose purchases all came after observation_end are gone
    eligible = present & (first <= cal_off)  # first purchase within the calibration period
    if not eligible.any():
        raise InputError(_("No customer made a first purchase on or before calibration_end {calibration_end}; "
                           "choose a later calibration_end.").format(calibration_end=f"{cal_end:%Y-%m-%d}"))
    frequency = n_cal - 1
    out = pd.DataFrame({"frequency": frequency, "recency": (last - first) / days,
                        "T": (cal_off - first) / days}, index=customers)
    if amount_col is not None:
        amount = tx[amount_col].to_numpy(dtype=float)
        if keep is not None:
            amount = amount[keep]
        if cal_off < span - 1:
            in_cal = day <= cal_off
            cal_total = np.bincount(codes[in_cal], weights=amount[in_cal], minlength=n_cust)
            del in_cal
        else:
            cal_total = np.bincount(codes, weights=amount, minlength=n_cust)
        on_first = first[codes] == day  # the first-day rows: about one per customer
        first_day = np.bincount(codes[on_first], weights=amount[on_first], minlength=n_cust)
        del on_first
        if not (np.isfinite(cal_total).all() and np.isfinite(first_day).all()):
            over = ~(np.isfinite(cal_total) & np.isfinite(first_day))[codes]
            reject_rows(tx if keep is None else tx[keep], over, lambda n: _(
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
