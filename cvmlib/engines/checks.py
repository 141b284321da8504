"""The checks of :func:`cvmlib.validate.validate_transactions`, run in SQL on an engine table.

Same checks, same order, same messages as the pandas path: one aggregate query counts every
row-level problem in a single pass; group-by queries look for order ids shared by two customers
and for exact duplicate rows only where the pandas path looks for them. For the first problem
found, at most :data:`~cvmlib.validate.MAX_ROWS_SHOWN` offending rows (with their row positions,
which is the index a pandas frame read from the same data has) and the exact count are fetched,
and the error is worded by :func:`cvmlib.validate.transactions_error`. Errors that do not
depend on counts (a missing column, a date column holding numbers, an unknown policy) are raised
by running the pandas validation itself on the table's first rows.

Dates: ``DATE``, ``TIMESTAMP`` and ``TIMESTAMPTZ`` columns (Spark: ``DATE``, ``TIMESTAMP_NTZ``,
``TIMESTAMP``) are taken as they are; text is read as ISO 8601 (``2024-05-01``,
``2024-05-01 10:00:00``, ``2024-05-01T10:00``), and text that does not parse is an error listing
the rows (the pandas path also reads other unambiguous formats). A time-zone-aware column
(``TIMESTAMPTZ``; Spark's ``TIMESTAMP``) is cut into calendar days in the session time zone
(DuckDB ``SET TimeZone``, Spark ``spark.sql.session.timeZone``), as pandas does with a column in
that zone.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cvmlib.engines.backends import Backend
from cvmlib.validate import (MAX_ROWS_SHOWN, as_timestamp, excluded_returns_text, transactions_error,
                             validate_transactions_with_ids)

__all__ = ["Checked", "check_transactions", "first_rows", "parse_timestamp_text"]

#: How many non-numeric amounts the fix of the message looks at (as the pandas path).
HINT_SAMPLE = 200


def parse_timestamp_text(text: Any, aware: bool, timezone: str) -> pd.Timestamp | None:
    """A timestamp fetched as text (see :meth:`Dialect.format_timestamp`) back as a pandas Timestamp."""
    if text is None:
        return None
    ts = pd.Timestamp(str(text))
    return ts.tz_localize(timezone) if aware else ts


@dataclass
class Checked:
    """A validated engine table: the SQL of its parsed columns and what the checks counted."""

    backend: Backend
    customer: str
    order: str | None
    date: str
    amount: str | None
    ts: str  #: SQL of the parsed timestamp
    amt: str  #: SQL of the amount as DOUBLE (``NULL`` without an amount column)
    keep: str  #: SQL condition of the rows kept (``returns="exclude"`` drops the non-positive ones)
    n_rows: int
    n_non_positive: int
    aware: bool  #: timestamps are instants (TIMESTAMPTZ): days in the session time zone
    last: pd.Timestamp | None  #: latest kept timestamp (in the session time zone when aware)

    def items(self, names: list[str]) -> list[tuple[str, str, str]]:
        """(name, SQL, kind) of columns as validated: the date parsed, the amount as DOUBLE."""
        out = []
        for c in names:
            if c == self.date:
                out.append((c, self.ts, "timestamptz" if self.aware else "timestamp"))
            elif c == self.amount:
                out.append((c, self.amt, "float"))
            else:
                out.append((c, self.backend.dialect.quote(c), self.backend.kinds[c]))
        return out

    @property
    def wall_last(self) -> pd.Timestamp | None:
        """:attr:`last` as the wall time of the session (naive)."""
        return self.last if self.last is None or self.last.tzinfo is None else self.last.tz_localize(None)

    @property
    def day(self) -> str:
        return self.backend.dialect.day_number(self.ts)

    def rows_sql(self) -> str:
        """The kept rows with ``__c`` (customer), ``__o`` (order), ``__ts``, ``__d`` (day number), ``__a``."""
        d = self.backend.dialect
        order = d.quote(self.order) if self.order is not None else "NULL"
        return (f"SELECT {d.quote(self.customer)} AS __c, {order} AS __o, {self.ts} AS __ts, {self.day} AS __d, "
                f"{self.amt} AS __a FROM {self.backend.src} WHERE {self.keep}")


def _display_item(backend: Backend, col: str, expr: str, kind: str) -> tuple[str, str]:
    """(SQL select item, how to convert it back) for a column shown in a message."""
    d = backend.dialect
    if kind == "date":
        return d.format_timestamp(d.as_timestamp(expr)), "naive"
    if kind in ("timestamp", "timestamptz"):
        return d.format_timestamp(expr), "aware" if kind == "timestamptz" else "naive"
    if kind == "decimal":
        return f"CAST({expr} AS DOUBLE)", "plain"
    return expr, "plain"


def first_rows(backend: Backend, shown: list[tuple[str, str, str]], where: str = "TRUE",
               order_by: str = "__cvm_row", limit: int = MAX_ROWS_SHOWN,
               positioned: str | None = None) -> pd.DataFrame:
    """The first rows (by ``order_by``) matching ``where``, as a pandas frame indexed by row position.

    ``shown`` lists (column name, SQL expression, kind) in the order the columns are shown;
    ``positioned`` is a query over the input with its row positions as ``__cvm_row`` (default:
    the input itself, :meth:`Dialect.row_position`).
    """
    d = backend.dialect
    items, conversions = [], []
    for i, (name, expr, kind) in enumerate(shown):
        item, how = _display_item(backend, name, expr, kind)
        items.append(f"{item} AS __cvm_s{i}")
        conversions.append(how)
    source = positioned if positioned is not None else d.row_position(backend.src)
    sql = (f"SELECT __cvm_row{''.join(', ' + item for item in items)} FROM ({source}) AS __cvm_p "
           f"WHERE {where} ORDER BY {order_by} LIMIT {int(limit)}")
    records = backend.rows(sql)
    index = pd.Index([int(r[0]) for r in records])
    zone = backend.timezone if "aware" in conversions else None
    data: dict[Hashable, pd.Series] = {}
    for i, ((name, _expr, kind), how) in enumerate(zip(shown, conversions)):
        values = [r[i + 1] for r in records]
        if how == "plain" and kind in ("int", "float", "decimal") and any(v is None for v in values):
            data[name] = pd.Series(values, index=index, dtype="float64")  # as pandas holds a missing number
        elif how == "plain":
            text = any(isinstance(v, str) for v in values) and all(isinstance(v, str) or v is None for v in values)
            data[name] = pd.Series(values, index=index, dtype="str" if text else None)
        else:
            series = pd.to_datetime(pd.Series(values, index=index, dtype="object"), format="ISO8601")
            data[name] = series.dt.tz_localize(zone) if how == "aware" else series
    return pd.DataFrame(data, index=index)


def _raw_items(backend: Backend, names: list[str]) -> list[tuple[str, str, str]]:
    return [(c, backend.dialect.quote(c), backend.kinds[c]) for c in names]


def _replay(backend: Backend, **arguments: Any) -> None:
    """Raise the pandas path's own error on the table's first rows (for errors independent of counts)."""
    head = first_rows(backend, _raw_items(backend, backend.columns))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        validate_transactions_with_ids(head, **arguments)


def check_transactions(
    backend: Backend, *, customer_col: Hashable, order_col: Hashable | None, date_col: Hashable,
    amount_col: Hashable | None, snapshot_date: Any = None, returns: str = "error", duplicates: str = "error",
    stacklevel: int = 3,
) -> Checked:
    """Run :func:`cvmlib.validate.validate_transactions`'s checks on ``backend``'s table.

    Returns
    -------
    Checked
        The SQL of the parsed and kept rows, and the counts the callers need.

    Raises
    ------
    cvmlib.validate.InputError
        The pandas path's error for the same bad rows (the first problem in its order).
    """
    d = backend.dialect
    arguments: dict[str, Any] = dict(customer_col=customer_col, order_col=order_col, date_col=date_col,
                                     amount_col=amount_col,
                     returns=returns, duplicates=duplicates)
    if returns not in ("error", "net", "exclude") or duplicates not in ("error", "keep"):
        validate_transactions_with_ids(pd.DataFrame(), **arguments)  # the policy's own error
    roles = [c for c in (customer_col, order_col, date_col, amount_col) if c is not None]
    if any(c not in backend.columns for c in roles) or len(set(backend.columns)) != len(backend.columns):
        if not backend.rows(f"SELECT count(*) FROM {backend.src}")[0][0]:  # pandas says "empty" first
            validate_transactions_with_ids(pd.DataFrame(columns=backend.columns), **arguments)
        _replay(backend, **arguments)
    customer, date = str(customer_col), str(date_col)
    order = None if order_col is None else str(order_col)
    amount = None if amount_col is None else str(amount_col)
    show = [c for c in backend.columns if c in {str(r) for r in roles}]  # the table's own order
    kinds = backend.kinds
    q = d.quote

    def blank(col: str) -> str:
        if kinds[col] == "string":
            return f"({q(col)} IS NULL OR {d.is_blank(q(col))})"
        if kinds[col] == "float":
            return f"({q(col)} IS NULL OR isnan({q(col)}))"
        return f"({q(col)} IS NULL)"

    date_kind = kinds[date]
    if date_kind in ("int", "float", "decimal", "bool", "other"):
        _replay(backend, **arguments)  # "holds numbers, not dates" (after the id checks, as in pandas)
    if date_kind == "string":
        ts, missing_date = d.parse_timestamp(q(date)), blank(date)
        unreadable = f"(NOT {missing_date} AND {ts} IS NULL)"
    else:
        ts = d.as_timestamp(q(date)) if date_kind == "date" else q(date)
        missing_date, unreadable = f"({q(date)} IS NULL)", "FALSE"
    aware = date_kind == "timestamptz"

    if amount is not None:
        if kinds[amount] == "bool":
            _replay(backend, **arguments)
        if kinds[amount] == "string":
            amt = f"TRY_CAST({q(amount)} AS DOUBLE)"
            missing_amount = blank(amount)
            text_amount = f"(NOT {missing_amount} AND ({amt} IS NULL OR isnan({amt})))"
        elif kinds[amount] in ("int", "float", "decimal"):
            amt = f"CAST({q(amount)} AS DOUBLE)"
            missing_amount, text_amount = f"({q(amount)} IS NULL OR isnan({amt}))", "FALSE"
        else:
            amt = f"TRY_CAST({q(amount)} AS DOUBLE)"
            missing_amount, text_amount = f"({q(amount)} IS NULL)", f"({q(amount)} IS NOT NULL AND {amt} IS NULL)"
        infinite = d.is_inf(amt)
        non_positive = f"({amt} <= 0)"
    else:
        amt, missing_amount, text_amount, infinite, non_positive = "CAST(NULL AS DOUBLE)", "FALSE", "FALSE", "FALSE", \
            "FALSE"
    keep = f"(NOT {non_positive})" if returns == "exclude" else "TRUE"
    purchase = f"(NOT {non_positive})"

    snapshot = None if snapshot_date is None else as_timestamp(snapshot_date)
    after = "FALSE"
    if snapshot is not None and (snapshot.tzinfo is None) == (not aware):
        after = f"({ts} > {d.timestamp(snapshot)})"

    problems = {
        "missing_customer_id": blank(customer),
        "missing_order_id": blank(order) if order is not None else "FALSE",
        "unreadable_dates": unreadable, "missing_dates": missing_date,
        "text_amounts": text_amount, "missing_amounts": missing_amount, "infinite_amounts": infinite,
        "non_positive_amounts": non_positive,
    }
    counted = ", ".join(f"count_if({cond})" for cond in problems.values())
    # every row-level problem in one pass over the table
    result = backend.rows(f"SELECT count(*), {counted}, count_if({keep}), count_if({keep} AND {after}), "
                          f"{d.format_timestamp(f'max(CASE WHEN {keep} THEN {ts} END)')} FROM {backend.src}")[0]
    n_rows = int(result[0])
    if n_rows == 0:
        validate_transactions_with_ids(pd.DataFrame(columns=backend.columns), **arguments)
    counts = dict(zip(problems, (int(v or 0) for v in result[1:])))
    n_kept, n_after, last_text = int(result[-3] or 0), int(result[-2] or 0), result[-1]
    raw = _raw_items(backend, show)
    for problem, cond in problems.items():
        n = counts[problem]
        if not n:
            continue
        if problem == "non_positive_amounts" and returns != "error":
            continue
        column = {"missing_customer_id": customer, "missing_order_id": order, "unreadable_dates": date,
                  "missing_dates": date}.get(problem, amount)
        fields: dict[str, Any] = {}
        if problem == "text_amounts":
            fields["texts"] = [r[0] for r in backend.rows(
                f"SELECT CAST({q(amount)} AS STRING) FROM ({d.row_position(backend.src)}) AS __cvm_p "
                f"WHERE {cond} ORDER BY __cvm_row LIMIT {HINT_SAMPLE}")]
        # the pandas path states problems on unordered dates by the parsed order of the frame
        # (with its original index), the others on the table as given
        raise transactions_error(problem, n, first_rows(backend, raw, cond), show, column=column, **fields)
    n_non_positive = counts["non_positive_amounts"]
    if returns == "exclude" and n_non_positive:
        warnings.warn(excluded_returns_text(n_non_positive, amount, n_rows), UserWarning, stacklevel=stacklevel)
        if n_kept == 0:
            raise transactions_error("all_excluded", column=amount)

    def parsed(names: list[str]) -> list[tuple[str, str, str]]:
        out = []
        for c in names:
            if c == date:
                out.append((c, ts, "timestamptz" if aware else "timestamp"))
            elif c == amount:
                out.append((c, amt, "float"))
            else:
                out.append((c, q(c), kinds[c]))
        return out

    if order is not None:
        # one order id = one customer and one date (among the purchases; a return may carry its
        # order's id and a later date)
        # (min <> max: more than one distinct value, without the cost of a DISTINCT aggregate)
        per_order = (f"SELECT {q(order)} AS __o, count(*) AS __n, min({q(customer)}) <> max({q(customer)}) OR "
                     f"min({ts}) <> max({ts}) AS __bad FROM {backend.src} WHERE {keep} AND {purchase} "
                     f"GROUP BY {q(order)} HAVING count(*) > 1")
        conflicts = f"SELECT __o, __n FROM ({per_order}) AS __cvm_o WHERE __bad"
        n_orders, n_conflict_rows, n_repeated = backend.rows(
            f"SELECT count_if(__bad), sum(CASE WHEN __bad THEN __n ELSE 0 END), count(*) FROM ({per_order}) "
            f"AS __cvm_x")[0]
        if n_orders:
            where = f"{keep} AND {purchase} AND {q(order)} IN (SELECT __o FROM ({conflicts}) AS __cvm_y)"
            rows = first_rows(backend, parsed(show), where, order_by=f"{q(order)}, __cvm_row")
            raise transactions_error("order_conflict", int(n_orders), rows, show, column=order,
                                     rows_count=int(n_conflict_rows))
    # identical rows share their order id: with every order id unique, none can be duplicated (but a
    # repeated id may be a return's, which the purchase-only count above does not see)
    repeated_ids = order is None or n_repeated or (returns != "exclude" and counts["non_positive_amounts"])
    if duplicates == "error" and repeated_ids:
        # identical in every column (dates and amounts as parsed): the pandas path's definition
        every = parsed(backend.columns)
        items = ", ".join(f"{expr} AS {q(c)}" for c, expr, _k in every)
        names = ", ".join(q(c) for c, _e, _k in every)
        groups = (f"SELECT count(*) AS __n FROM (SELECT {items} FROM {backend.src} WHERE {keep}) AS __cvm_v "
                  f"GROUP BY {names} HAVING count(*) > 1")
        # First a group-by on one 64-bit hash of the row (a third cheaper than on every column, strings
        # included); the exact group-by runs only when some hash repeats. Amounts as parsed, -0.0 as 0.0.
        hashed = d.row_hash([f"({expr}) + 0.0" if kind == "float" else expr for _c, expr, kind in every])
        candidates = backend.rows(f"SELECT count(*) FROM (SELECT {hashed} AS __h FROM {backend.src} WHERE {keep} "
                                  f"GROUP BY __h HAVING count(*) > 1) AS __cvm_h")[0][0]
        n_dup = backend.rows(f"SELECT sum(__n) FROM ({groups}) AS __cvm_x")[0][0] if candidates else 0
        if n_dup:
            partition = ", ".join(expr for _c, expr, _k in every)
            windowed = (f"SELECT *, count(*) OVER (PARTITION BY {partition}) AS __cvm_k FROM "
                        f"({d.row_position(backend.src)}) AS __cvm_q WHERE {keep}")
            rows = first_rows(backend, parsed(show), "__cvm_k > 1", positioned=windowed)
            raise transactions_error("exact_duplicates", int(n_dup), rows, show, column=None,
                                     all_columns=backend.columns, order_col=order_col)
    last = parse_timestamp_text(last_text, aware, backend.timezone if aware else "UTC")
    if snapshot is not None:
        if (snapshot.tzinfo is None) != (not aware):
            dtype = f"datetime64[us, {backend.timezone}]" if aware else "datetime64[us]"
            raise transactions_error("snapshot_zone", column=date_col, snapshot=snapshot, dtype=dtype)
        if n_after:
            later = f"{(last.normalize() + pd.Timedelta(days=1)):%Y-%m-%d}" if last is not None else ""
            rows = first_rows(backend, parsed(show), f"{keep} AND {after}")
            raise transactions_error("after_snapshot", n_after, rows, show, column=date_col, snapshot=snapshot,
                                     later=later)
    return Checked(backend, customer, order, date, amount, ts, amt, keep, n_rows, n_non_positive, aware, last)
