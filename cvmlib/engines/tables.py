"""The RFM table and the BTYD summary computed inside the engine (DuckDB or Spark SQL).

Same signatures, definitions and numbers as :func:`cvmlib.rfm.rfm_table` and
:func:`cvmlib.clv.summarize_purchases` (read their docstrings for the definitions): counts and
days are integers computed exactly; money is summed by the engine, in its own order, so it agrees
with pandas to rounding (about 1e-15 relative). The result is lazy and of the input's kind (a DuckDB
relation, or a Spark DataFrame), sorted by customer id, with the customer id as its first column.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib.clv import unit_days
from cvmlib.engines.backends import backend_for
from cvmlib.engines.checks import Checked, check_transactions, first_rows
from cvmlib.i18n import _
from cvmlib.validate import (DuplicatesPolicy, ReturnsPolicy, as_timestamp, require_choice, resolve_observation_end,
                             resolve_snapshot_date)

__all__ = ["double", "rfm_table", "summarize_purchases"]


def double(value: float) -> str:
    """A DOUBLE literal read back bit for bit by both engines (a bare ``0.1`` is a DECIMAL there).

    Examples
    --------
    >>> double(30.4375), double(1 / 3)
    ("CAST('30.4375' AS DOUBLE)", "CAST('0.3333333333333333' AS DOUBLE)")
    """
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def _day(ts: pd.Timestamp) -> int:
    """Days since 1970-01-01 of a timestamp's calendar day."""
    return int(np.datetime64(ts.tz_localize(None).normalize().to_datetime64(), "D").astype(np.int64))


def rfm_table(
    orders: Any,
    snapshot_date: str | pd.Timestamp | None,
    customer_col: str = "customer_id",
    order_col: str | None = "order_id",
    date_col: str = "order_date",
    amount_col: str = "amount",
    returns: Literal["error", "net", "exclude"] = "error",
) -> Any:
    """:func:`cvmlib.rfm.rfm_table` on a DuckDB relation, a Parquet path or a Spark DataFrame.

    Parameters
    ----------
    orders : duckdb.DuckDBPyRelation, pyspark.sql.DataFrame, str or Path
        The transactions (a path names a Parquet file or a folder of them, read with DuckDB).
    snapshot_date, customer_col, order_col, date_col, amount_col, returns
        As in :func:`cvmlib.rfm.rfm_table`. A ``TIMESTAMPTZ`` date column counts calendar days in
        the session time zone (DuckDB ``TimeZone``, Spark ``spark.sql.session.timeZone``).

    Returns
    -------
    duckdb.DuckDBPyRelation or pyspark.sql.DataFrame
        Lazy; columns ``customer_col``, ``recency`` (BIGINT, days), ``frequency`` (BIGINT),
        ``monetary`` (DOUBLE), ``mean_order_value`` (DOUBLE), sorted by customer id.

    Raises
    ------
    cvmlib.validate.InputError
        The pandas path's message for the same bad rows (checked in SQL first).

    Examples
    --------
    >>> import duckdb
    >>> orders = duckdb.sql("SELECT * FROM (VALUES ('A', 'o1', TIMESTAMP '2025-01-01 09:30', 100.0), "
    ...     "('A', 'o2', TIMESTAMP '2025-01-20 18:00', 50.0), ('B', 'o3', TIMESTAMP '2025-01-05', 30.0)) "
    ...     "AS t(customer_id, order_id, order_date, amount)")
    >>> rfm_table(orders, snapshot_date="2025-02-01").fetchall()
    [('A', 12, 2, 150.0, 75.0), ('B', 27, 1, 30.0, 30.0)]
    """
    backend = backend_for(orders)
    checked = check_transactions(backend, customer_col=customer_col, order_col=order_col, date_col=date_col,
                                 amount_col=amount_col, snapshot_date=snapshot_date, returns=returns)
    d = backend.dialect
    if snapshot_date is None:
        snapshot = resolve_snapshot_date(pd.Series([checked.last], name=date_col), None)  # says which day
    else:
        snapshot = as_timestamp(snapshot_date)
    if snapshot.tzinfo is not None:
        snapshot = snapshot.tz_convert(backend.timezone)  # the day in the data's (session's) zone
    snap_day = _day(snapshot)
    purchase = "__a > 0"
    frequency = (f"count(DISTINCT CASE WHEN {purchase} THEN __o END)" if order_col is not None
                 else f"count_if({purchase})")
    per_customer = (f"SELECT __c, CAST({snap_day} - max(CASE WHEN {purchase} THEN __d END) AS BIGINT) AS __r, "
                    f"CAST({frequency} AS BIGINT) AS __f, sum(__a) AS __m FROM ({checked.rows_sql()}) AS __k "
                    f"GROUP BY __c")
    if returns == "net" and checked.n_non_positive:
        n = int(backend.rows(f"SELECT count(*) FROM ({per_customer}) AS __x WHERE __f = 0")[0][0])
        if n:
            _warn_returns_only(n)
    c = d.quote(customer_col)
    sql = (f"SELECT __c AS {c}, __r AS recency, __f AS frequency, __m AS monetary, __m / __f AS mean_order_value "
           f"FROM ({per_customer}) AS __x WHERE __f > 0 ORDER BY __c")
    return backend.query(sql)


def _warn_returns_only(n: int) -> None:
    """The pandas path's own warning about ``n`` customers with returns but no purchase (its words, its count):
    :func:`cvmlib.rfm.rfm_table` on ``n`` such customers (a few bytes each, and only when there are any)."""
    from cvmlib.rfm import rfm_table as pandas_rfm

    frame = pd.DataFrame({"customer_id": np.arange(n + 1), "order_id": np.arange(n + 1),
                          "order_date": pd.Timestamp("2000-01-01"), "amount": np.r_[np.full(n, -1.0), 1.0]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pandas_rfm(frame, "2000-01-02", returns="net")
    for w in caught:
        warnings.warn(w.message, UserWarning, stacklevel=4)


def _replay_summary(frame: pd.DataFrame, **arguments: Any) -> None:
    """Raise the pandas path's own error for a problem that does not depend on counts, on a few rows."""
    from cvmlib.clv.summary import summarize_purchases as pandas_summary

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pandas_summary(frame, **arguments)


def summarize_purchases(
    transactions: Any,
    customer_col: Hashable,
    date_col: Hashable,
    amount_col: Hashable | None = None,
    calibration_end: Any = None,
    observation_end: Any = None,
    unit: Literal["D", "W", "M"] = "W",
    returns: ReturnsPolicy = "error",
    duplicates: DuplicatesPolicy = "error",
) -> Any:
    """:func:`cvmlib.clv.summarize_purchases` on a DuckDB relation, a Parquet path or a Spark DataFrame.

    Parameters
    ----------
    transactions : duckdb.DuckDBPyRelation, pyspark.sql.DataFrame, str or Path
        One row per transaction.
    customer_col, date_col, amount_col, calibration_end, observation_end, unit, returns, duplicates
        As in :func:`cvmlib.clv.summarize_purchases`; days of a ``TIMESTAMPTZ`` column are those
        of the session time zone.

    Returns
    -------
    duckdb.DuckDBPyRelation or pyspark.sql.DataFrame
        Lazy; ``customer_col``, ``frequency`` (BIGINT), ``recency``, ``T`` (DOUBLE, in ``unit``)
        [, ``monetary_value``] [, ``frequency_holdout``, ``duration_holdout``], sorted by customer.

    Examples
    --------
    >>> import duckdb
    >>> tx = duckdb.sql("SELECT * FROM (VALUES ('A', DATE '2024-01-01', 10.0), ('A', DATE '2024-01-01', 5.0), "
    ...     "('A', DATE '2024-01-15', 20.0), ('B', DATE '2024-01-08', 7.0)) AS t(customer_id, order_date, amount)")
    >>> summarize_purchases(tx, "customer_id", "order_date", "amount", observation_end="2024-01-29").fetchall()
    [('A', 1, 2.0, 4.0, 20.0), ('B', 0, 0.0, 3.0, 0.0)]
    """
    days = unit_days(unit)
    arguments = dict(customer_col=customer_col, date_col=date_col, amount_col=amount_col,
                     calibration_end=calibration_end, observation_end=observation_end, unit=unit, returns=returns,
                     duplicates=duplicates)
    if customer_col is None or date_col is None:
        _replay_summary(pd.DataFrame(), **arguments)
    require_choice(duplicates, "duplicates", ["error", "keep"])
    backend = backend_for(transactions)
    policy: DuplicatesPolicy = "keep" if amount_col is None else duplicates
    checked: Checked = check_transactions(backend, customer_col=customer_col, order_col=None, date_col=date_col,
                                          amount_col=amount_col, returns=returns, duplicates=policy)
    d = backend.dialect
    end = resolve_observation_end(pd.Series([checked.wall_last]), observation_end)
    cal_end = None if calibration_end is None else as_timestamp(calibration_end, "calibration_end").normalize()
    columns = [str(customer_col), str(date_col)] + ([] if amount_col is None else [str(amount_col)])
    if cal_end is not None and cal_end > end:
        one = {str(customer_col): ["x"], str(date_col): [end]} | ({} if amount_col is None else {str(amount_col): [1.0]})
        _replay_summary(pd.DataFrame(one), **arguments)
    end_day = _day(end)
    cal_day = end_day if cal_end is None else _day(cal_end)
    rows = checked.rows_sql()
    # a customer is eligible when their first purchase day is <= the calibration end, so some customer is
    # exactly when some kept row is: counted in the same pass as the late rows (not on the per-customer table)
    late, early = backend.rows(f"SELECT count_if(__d > {end_day}), count_if(__d <= {cal_day}) FROM ({rows}) AS __k")[0]
    n_late, any_eligible = int(late or 0), bool(early)
    n_kept = checked.n_rows - (checked.n_non_positive if returns == "exclude" else 0)
    if n_late and n_late == n_kept:
        # every purchase is late: the pandas message on the first rows, with the earliest one among them
        first = backend.rows(f"SELECT min(__cvm_row) FROM ({d.row_position(backend.src)}) AS __cvm_p WHERE "
                             f"{checked.keep} AND {checked.ts} = (SELECT min(__ts) FROM ({rows}) AS __k)")[0][0]
        head = first_rows(backend, checked.items(backend.columns), f"{checked.keep}", limit=5)
        earliest = first_rows(backend, checked.items(backend.columns), f"__cvm_row = {int(first)}", limit=1)
        sample = pd.concat([head, earliest[~earliest.index.isin(head.index)]])
        _replay_summary(sample, **(arguments | {"observation_end": end}))
    if n_late:
        warnings.warn(_("Dropped {n:,} transaction(s) after observation_end {end}.").format(
            n=n_late, end=f"{end:%Y-%m-%d}"), UserWarning, stacklevel=2)

    cal = str(cal_day)
    money = amount_col is not None
    daily = f"SELECT __c, __d, sum(__a) AS __s FROM ({rows}) AS __k WHERE __d <= {end_day} GROUP BY __c, __d"
    spend = (f", sum(CASE WHEN __d <= {cal} THEN __s END) AS __cal_total, {d.min_by('__s', '__d')} AS __first_total"
             if money else "")
    per_customer = (f"SELECT __c, min(__d) AS __first, count(*) AS __n_all, count_if(__d <= {cal}) AS __n_cal, "
                    f"max(CASE WHEN __d <= {cal} THEN __d END) AS __last{spend} FROM ({daily}) AS __g GROUP BY __c")
    if not any_eligible:
        one = ({str(customer_col): ["x"], str(date_col): [cal_end + pd.Timedelta(days=1)]}
               | ({} if amount_col is None else {str(amount_col): [1.0]}))
        _replay_summary(pd.DataFrame(one), **(arguments | {"observation_end": end}))
    unit_len = double(days)
    items = [f"__c AS {d.quote(customer_col)}", "CAST(__n_cal - 1 AS BIGINT) AS frequency",
             f"CAST(__last - __first AS DOUBLE) / {unit_len} AS recency",
             f"CAST({cal} - __first AS DOUBLE) / {unit_len} AS {d.quote('T')}"]
    if money:
        items.append("CASE WHEN __n_cal > 1 THEN (__cal_total - __first_total) / CAST(__n_cal - 1 AS DOUBLE) "
                     "ELSE CAST(0 AS DOUBLE) END AS monetary_value")
    if cal_end is not None:
        items += ["CAST(__n_all - __n_cal AS BIGINT) AS frequency_holdout",
                  f"{double((end_day - cal_day) / days)} AS duration_holdout"]
    del columns
    sql = f"SELECT {', '.join(items)} FROM ({per_customer}) AS __s WHERE __first <= {cal} ORDER BY __c"
    return backend.query(sql)
