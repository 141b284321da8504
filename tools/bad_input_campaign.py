"""Bad-input campaign: about 1,800 bad and legitimate inputs against cvmlib's public functions.

Every case calls one public function with one input and classifies what happened:

* ``clear``  -- bad input refused with an :class:`~cvmlib.validate.InputError` that names the
  parameter or column (and, where the class asks for it, says the right fix);
* ``vague``  -- an InputError that does not name what is wrong, or suggests the wrong fix (defect);
* ``raw``    -- any other exception: a traceback from pandas/numpy/scipy internals (defect);
* ``wrong``  -- a result came back for bad input, or a legitimate input gave a result that fails
  its check (NaN/inf where a number is promised, rows dropped, values outside their domain,
  an empty table, a 2-D input flattened, a date read month-first silently, ...) (defect);
* ``refused`` -- a legitimate input refused (a false positive, defect);
* ``slow``   -- over the time budget of the case (defect);
* ``ok``     -- a legitimate input gave a correct result.

Only public names are used, so the same campaign runs against the code before and after a
change::

    .venv/bin/python tools/bad_input_campaign.py                 # full run, table per class
    PYTHONPATH=/tmp/orig-issue9 .venv/bin/python tools/bad_input_campaign.py   # the original code
    .venv/bin/python tools/bad_input_campaign.py --quick --part owned --defects

``--part owned`` runs the modules outside ``cvmlib.clv``; ``--part clv`` the CLV package as a
black box; ``--json FILE`` writes every case with its outcome.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import signal
import sys
import time
import traceback
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import cvmlib  # noqa: E402
from cvmlib.validate import InputError  # noqa: E402

CLASSES: dict[str, str] = {
    "nan_inf": "NaN / inf / 1e308 values",
    "domain": "values outside their domain",
    "bool_text": "booleans as numbers, text as bool",
    "join_ids": "ids missing in the other table",
    "unmapped": "categories that map to nothing",
    "ambiguous_date": "ambiguous text dates (05/01/2025)",
    "two_d": "2-D arrays / tables for one value per row",
    "empty": "empty selections",
    "after_as_of": "events after as_of",
    "none_period": "None as a period / date",
    "thousands": "'1,234.50' amount text",
    "duplicates": "exact duplicate rows",
    "legit": "legitimate inputs",
}
OUTCOMES = ("clear", "vague", "raw", "wrong", "refused", "slow", "ok")
DEFECTS = ("vague", "raw", "wrong", "refused", "slow")


@dataclass
class Case:
    """One call and what it should give."""

    module: str
    function: str
    klass: str
    label: str
    call: Callable[[], Any]
    expect: str = "error"  # "error" | "ok" | "either" (a clear error or a correct result)
    names: tuple[str, ...] = ()  # an InputError must mention one of these (case-insensitive)
    says: tuple[str, ...] = ()  # ... and all of these (the right fix)
    check: Callable[[Any], str | None] | None = None  # None when the result is right
    budget: float = 20.0  # seconds


@dataclass
class Result:
    case: Case
    outcome: str
    detail: str = ""
    seconds: float = 0.0


# ------------------------------------------------------------------------------------------
# fixtures: small, valid tables (fresh copies every call)


SNAPSHOT = "2026-01-01"


def orders() -> pd.DataFrame:
    """Twelve orders of five customers in 2025, with category and channel."""
    return pd.DataFrame({
        "order_id": [f"O{i:03d}" for i in range(1, 13)],
        "customer_id": ["C1", "C1", "C1", "C2", "C2", "C3", "C3", "C3", "C3", "C4", "C4", "C5"],
        "order_date": pd.to_datetime([
            "2025-01-05 10:00", "2025-03-14 12:30", "2025-11-20 09:15", "2025-02-01 18:00",
            "2025-06-30 20:00", "2025-01-10 08:00", "2025-04-22 11:00", "2025-08-08 16:45",
            "2025-12-24 19:00", "2025-05-05 10:10", "2025-05-19 14:00", "2025-09-09 09:09"]),
        "amount": [120.0, 35.5, 60.0, 900.0, 15.0, 42.0, 58.0, 77.0, 300.0, 18.0, 22.0, 640.0],
        "category": ["Apparel", "Beauty", "Apparel", "Electronics", "Home", "Home", "Beauty", "Home",
                     "Electronics", "Beauty", "Beauty", "Sports"],
        "channel": ["app", "web", "app", "store", "web", "app", "app", "mini_program", "store",
                    "web", "web", "store"],
    })


def customers() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4", "C5"], "age": [22, 37, 45, 61, 30],
                         "city_tier": [1, 2, 3, 1, 4]})


def values() -> pd.Series:
    return pd.Series({"C1": 215.5, "C2": 915.0, "C3": 477.0, "C4": 40.0, "C5": 640.0, "C6": 0.0})


def survey() -> pd.DataFrame:
    return pd.DataFrame({
        "response_id": ["R1", "R2", "R3", "R4", "R5", "R6"],
        "customer_id": ["C1", "C2", "C3", "C4", "C5", "C1"],
        "response_date": pd.to_datetime(["2025-02-01", "2025-03-01", "2025-04-01", "2025-05-15",
                                         "2025-06-01", "2025-12-20"]),
        "nps": [10, 9, 7, 6, 3, 8],
        "consumer_needs_fit": [5, 4, 3, 2, 1, 4],
        "cost": [4, 4, 3, 2, 2, 5],
        "convenience": [5, 3, 4, 1, 2, 3],
        "communication": [3, 4, 4, 2, 1, 4],
        "level": ["gold", "gold", "basic", "basic", "silver", "gold"],
    })


def tickets() -> pd.DataFrame:
    return pd.DataFrame({
        "ticket_id": ["T1", "T2", "T3", "T4", "T5"],
        "customer_id": ["C1", "C1", "C2", "C3", "C4"],
        "order_id": ["O001", "O003", "O004", "O006", "O010"],
        "opened_at": pd.to_datetime(["2025-01-06 09:00", "2025-11-21 10:00", "2025-02-02 12:00",
                                     "2025-01-11 15:00", "2025-05-06 08:00"]),
        "first_response_at": pd.to_datetime(["2025-01-06 11:00", "2025-11-21 18:00", None,
                                             "2025-01-12 09:00", "2025-05-06 09:00"]),
        "resolved_at": pd.to_datetime(["2025-01-07 09:00", None, None, "2025-01-15 10:00",
                                       "2025-05-07 08:00"]),
        "category": ["delivery_delay", "billing", "wrong_item", "product_quality", "billing"],
        "severity": ["low", "high", "medium", "low", "high"],
        "satisfaction_after": pd.array([5, pd.NA, pd.NA, 1, 4], dtype="Int64"),
    })


TARGETS = {"low": 72.0, "medium": 48.0, "high": 24.0}
AS_OF = "2025-12-31 23:00"


def scores_table() -> pd.DataFrame:
    return pd.DataFrame({"R": [5, 1, 3, 4, 2], "F": [5, 1, 3, 2, 4], "M": [4, 1, 3, 2, 5]},
                        index=pd.Index(["C1", "C2", "C3", "C4", "C5"], name="customer_id"))


def rfm_frame() -> pd.DataFrame:
    return pd.DataFrame({"recency": [5, 40, 40, 300, 12], "frequency": [6, 1, 1, 2, 3],
                         "monetary": [600.0, 20.0, 35.0, 80.0, 150.0]},
                        index=pd.Index(["A", "B", "C", "D", "E"], name="customer_id"))


def features() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(0, 0.3, 10), rng.normal(4, 0.3, 10)]
    return pd.DataFrame({"recency": np.abs(x * 30) + 1, "frequency": np.round(np.abs(x)) + 1,
                         "monetary": np.abs(x) * 100 + 10, "cat_Home": rng.uniform(0, 1, 20),
                         "chan_app": rng.uniform(0, 1, 20)},
                        index=pd.Index([f"K{i:02d}" for i in range(20)], name="customer_id"))


def btyd_summary() -> pd.DataFrame:
    """A deterministic BTYD summary of 60 customers (weeks), with churn and repeat buyers."""
    rng = np.random.default_rng(7)
    n = 60
    T = rng.uniform(20, 52, n).round(1)
    x = rng.poisson(2.0, n).astype(float)
    rec = np.where(x > 0, (T * rng.uniform(0.2, 1.0, n)).round(1), 0.0)
    money = np.where(x > 0, rng.gamma(4.0, 10.0, n).round(2) + 1, 0.0)
    return pd.DataFrame({"frequency": x, "recency": rec, "T": T, "monetary_value": money},
                        index=pd.Index([f"B{i:02d}" for i in range(n)], name="customer_id"))


def btyd_transactions() -> pd.DataFrame:
    """Purchases of 40 customers over 2024-2025 (for summaries and tracking)."""
    rng = np.random.default_rng(3)
    rows = []
    for c in range(40):
        start = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 200)))
        days = np.sort(rng.choice(np.arange(0, 500), size=int(rng.integers(1, 8)), replace=False))
        for k, d in enumerate(days):
            rows.append((f"P{c:02d}", f"P{c:02d}-{k}", start + pd.Timedelta(days=int(d)),
                         float(rng.gamma(3.0, 20.0) + 1)))
    return pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"])


# ------------------------------------------------------------------------------------------
# result checks (None = right)


def _finite(x: Any) -> bool:
    arr = np.asarray(x, dtype=float)
    return bool(np.isfinite(arr).all())


def finite_numbers(result: Any) -> str | None:
    """Every number of the result is finite (a promised number is never NaN/inf)."""
    if isinstance(result, pd.DataFrame):
        num = result.select_dtypes("number")
        return None if _finite(num.to_numpy(dtype=float)) else f"non-finite numbers:\n{num.head()}"
    if isinstance(result, pd.Series):
        if pd.api.types.is_numeric_dtype(result) and not pd.api.types.is_bool_dtype(result):
            return None if _finite(result.to_numpy(dtype=float, na_value=np.nan)) else f"non-finite: {result.tolist()[:6]}"
        return None
    if isinstance(result, (float, int, np.number, np.ndarray, list)):
        return None if _finite(result) else f"non-finite: {np.asarray(result).ravel()[:6]}"
    return None


def all_of(*checks: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
    def run(result: Any) -> str | None:
        for c in checks:
            problem = c(result)
            if problem:
                return problem
        return None
    return run


def same_index(expected: pd.Index) -> Callable[[Any], str | None]:
    def run(result: Any) -> str | None:
        idx = result.index
        if len(idx) != len(expected) or not idx.sort_values().equals(expected.sort_values()):
            return f"rows changed: expected {len(expected)} ids, got {len(idx)}"
        return None
    return run


def close_to(expected: Any, rtol: float = 1e-9) -> Callable[[Any], str | None]:
    def run(result: Any) -> str | None:
        try:
            ok = np.allclose(np.asarray(result, dtype=float), np.asarray(expected, dtype=float),
                             rtol=rtol, atol=1e-12, equal_nan=False)
        except (TypeError, ValueError):
            ok = False
        return None if ok else f"expected {expected!r}, got {result!r}"
    return run


def equals(expected: Any) -> Callable[[Any], str | None]:
    def run(result: Any) -> str | None:
        if isinstance(expected, (pd.Series, pd.DataFrame)):
            try:
                if isinstance(expected, pd.Series):
                    pd.testing.assert_series_equal(result, expected, check_dtype=False, check_names=False,
                                                   check_categorical=False, check_index_type=False)
                else:
                    pd.testing.assert_frame_equal(result, expected, check_dtype=False, check_names=False,
                                                  check_categorical=False, check_index_type=False,
                                                  check_column_type=False)
                return None
            except (AssertionError, TypeError, AttributeError) as exc:
                return str(exc)[:300]
        return None if result == expected else f"expected {expected!r}, got {result!r}"
    return run


def within(lo: float, hi: float) -> Callable[[Any], str | None]:
    def run(result: Any) -> str | None:
        arr = np.asarray(result.to_numpy() if hasattr(result, "to_numpy") else result, dtype=float)
        arr = arr[~np.isnan(arr)]
        return None if ((arr >= lo - 1e-12) & (arr <= hi + 1e-12)).all() else f"outside {lo}..{hi}: {arr[:6]}"
    return run


def not_empty(result: Any) -> str | None:
    return "empty result" if hasattr(result, "__len__") and len(result) == 0 else None


def is_axes(result: Any) -> str | None:
    return None if isinstance(result, matplotlib.axes.Axes) else f"not an Axes: {type(result).__name__}"


# ------------------------------------------------------------------------------------------
# generic variants


def series_variants(base: pd.Series, name: str, *, negative_ok: bool = False,
                    zero_total_ok: bool = True) -> Iterator[tuple[str, str, Any, str]]:
    """(class, label, bad values, expect) for an argument holding one number per customer."""
    def put(value: Any, pos: int = 1) -> pd.Series:
        s = base.astype(object).copy() if isinstance(value, str) or value is None else base.astype(float).copy()
        s.iloc[pos] = value
        return s

    yield "nan_inf", f"{name} with NaN", put(np.nan), "error"
    yield "nan_inf", f"{name} with inf", put(np.inf), "error"
    yield "nan_inf", f"{name} with -inf", put(-np.inf), "error"
    yield "nan_inf", f"{name} with NaN at the first row", put(np.nan, 0), "error"
    yield "nan_inf", f"{name} all 1e308", pd.Series(1e308, index=base.index), "either"
    yield "nan_inf", f"{name} with one 1e308", put(1e308), "either"
    yield "nan_inf", f"{name} with 1e-320 (subnormal)", put(1e-320), "either"
    yield "nan_inf", f"{name} with None", put(None), "error"
    yield "nan_inf", f"{name} nullable Int with <NA>", pd.Series(pd.array([1] + [pd.NA] + [2] * (len(base) - 2), dtype="Int64"), index=base.index), "error"
    if not negative_ok:
        yield "domain", f"{name} with a negative value", put(-5.0), "error"
        yield "nan_inf", f"{name} with -1e308", put(-1e308), "error"
    else:
        yield "nan_inf", f"{name} with -1e308", put(-1e308), "either"
    yield "bool_text", f"{name} as booleans", pd.Series([True, False] * (len(base) // 2) + [True] * (len(base) % 2), index=base.index), "error"
    yield "bool_text", f"{name} with one True", base.astype(object).where(np.arange(len(base)) != 1, True), "error"
    yield "thousands", f"{name} as '1,234.50' text", pd.Series(["1,234.50"] * len(base), index=base.index), "error"
    yield "thousands", f"{name} with one '1,234.50'", put("1,234.50"), "error"
    yield "thousands", f"{name} as plain number text", base.astype(str), "either"
    yield "two_d", f"{name} as a 2-D array (n, 2)", np.column_stack([base.to_numpy(float), base.to_numpy(float)]), "error"
    yield "two_d", f"{name} as a 2-D array (n, 1)", base.to_numpy(float).reshape(-1, 1), "error"
    yield "two_d", f"{name} as a DataFrame", pd.DataFrame({"a": base, "b": base}), "error"
    yield "empty", f"{name} empty", base.iloc[:0], "error"
    yield "empty", f"{name} an empty list", [], "error"
    yield "domain", f"{name} as dates", pd.Series(pd.date_range("2025-01-01", periods=len(base)), index=base.index), "error"


def scalar_variants(name: str, *, good: float, domain_bad: list[Any]) -> Iterator[tuple[str, str, Any, str]]:
    """(class, label, bad value, expect) for a numeric scalar parameter."""
    yield "nan_inf", f"{name}=nan", float("nan"), "error"
    yield "nan_inf", f"{name}=inf", float("inf"), "error"
    yield "nan_inf", f"{name}=-inf", float("-inf"), "error"
    yield "nan_inf", f"{name}=1e308", 1e308, "either"
    yield "bool_text", f"{name}=True", True, "error"
    yield "bool_text", f"{name}=False", False, "error"
    yield "bool_text", f"{name}='{good}' (text)", str(good), "error"
    yield "none_period", f"{name}=None", None, "error"
    yield "two_d", f"{name}=[{good}] (a list)", [good], "error"
    for v in domain_bad:
        yield "domain", f"{name}={v!r}", v, "error"


def column_variants(frame: pd.DataFrame, col: str, *, numeric: bool = True, negative_ok: bool = False,
                    low: float | None = None, high: float | None = None,
                    whole: bool = False) -> Iterator[tuple[str, str, pd.DataFrame, str]]:
    """(class, label, bad table, expect) for one column of a table."""
    def with_value(value: Any, pos: int = 1) -> pd.DataFrame:
        df = frame.copy()
        if isinstance(value, str) or value is None or isinstance(value, bool):
            df[col] = df[col].astype(object)
        elif numeric:
            df[col] = df[col].astype(float)
        df.iloc[pos, df.columns.get_loc(col)] = value
        return df

    yield "nan_inf", f"column {col} with NaN", with_value(np.nan), "error"
    if numeric:
        yield "nan_inf", f"column {col} with inf", with_value(np.inf), "error"
        yield "nan_inf", f"column {col} with -inf", with_value(-np.inf), "error"
        yield "nan_inf", f"column {col} with 1e308", with_value(1e308), "either" if high is None else "error"
        yield "bool_text", f"column {col} as booleans", frame.assign(**{col: [bool(i % 2) for i in range(len(frame))]}), "error"
        yield "thousands", f"column {col} with '1,234.50' text", with_value("1,234.50"), "error"
        if not negative_ok:
            yield "domain", f"column {col} with a negative value", with_value(-3.0), "error"
        if low is not None:
            yield "domain", f"column {col} below {low}", with_value(low - 1), "error"
        if high is not None:
            yield "domain", f"column {col} above {high}", with_value(high + 1), "error"
        if whole:
            yield "domain", f"column {col} with a fraction", with_value((low or 0) + 1.5), "error"
    yield "empty", f"table with no rows (column {col})", frame.iloc[:0], "error"
    yield "domain", f"table without column {col}", frame.drop(columns=col), "error"


def date_param_variants(name: str) -> Iterator[tuple[str, str, Any, str]]:
    yield "none_period", f"{name}=None", None, "error"
    yield "ambiguous_date", f"{name}='05/01/2025'", "05/01/2025", "error"
    yield "ambiguous_date", f"{name}='12/11/2025 10:00'", "12/11/2025 10:00", "error"
    yield "domain", f"{name}=20250105 (a number)", 20250105, "error"
    yield "domain", f"{name}='not a date'", "not a date", "error"
    yield "none_period", f"{name}=NaT", pd.NaT, "error"
    yield "none_period", f"{name}='' (empty)", "", "error"
    yield "bool_text", f"{name}=True", True, "error"


def with_column(df: pd.DataFrame, col: Any, value: Any) -> pd.DataFrame:
    """A copy of ``df`` with column ``col`` (any label, e.g. the int 0) replaced."""
    out = df.copy()
    out[col] = value
    return out


def ambiguous_dates(n: int, rng_seed: int = 0) -> list[str]:
    """Day-month-year text where every day and month are <= 12 (nothing decides the order)."""
    rng = np.random.default_rng(rng_seed)
    out = []
    for _ in range(n):
        a, b = rng.integers(1, 13, 2)
        while a == b:
            b = rng.integers(1, 13)
        out.append(f"{a:02d}/{b:02d}/2025")
    return out


# ------------------------------------------------------------------------------------------
# the cases, module by module


def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], Any]:
    return lambda: fn(*args, **kwargs)


def cases_validate() -> Iterator[Case]:
    from cvmlib import validate as v

    m = "validate"
    base = orders()
    for klass, label, df, expect in column_variants(base, "amount", negative_ok=True):
        if "negative" in label:
            continue
        yield Case(m, "validate_transactions", klass, label, _call(v.validate_transactions, df), expect,
                   names=("amount",), says=("thousands",) if klass == "thousands" else (),
                   check=all_of(finite_numbers, lambda r: None if len(r) == len(df) else "rows dropped"))
    for klass, label, df, expect in column_variants(base, "customer_id", numeric=False):
        yield Case(m, "validate_transactions", klass, label, _call(v.validate_transactions, df), expect,
                   names=("customer_id",))
    # dates
    for k, text in enumerate([ambiguous_dates(12, 1), ["05/01/2025"] * 12,
                              [f"{d:02d}.{mo:02d}.2025" for d, mo in zip(range(1, 13), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1])],
                              [f"{a}-{b}-2025" for a, b in zip([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8])]]):
        df = base.assign(order_date=text)
        yield Case(m, "validate_transactions", "ambiguous_date", f"ambiguous text dates #{k}",
                   _call(v.validate_transactions, df), "error", names=("order_date",),
                   says=("dayfirst",))
    # a column that decides: a day above 12 -> day first, read that way or refused
    decided = ["13/01/2025", "05/01/2025"] + [f"{d}/02/2025" for d in range(14, 24)]
    yield Case(m, "validate_transactions", "ambiguous_date", "day-first text with a day > 12",
               _call(v.validate_transactions, base.assign(order_date=decided)), "either",
               names=("order_date",),
               check=lambda r: None if r["order_date"].iloc[1] == pd.Timestamp("2025-01-05") else
               f"05/01/2025 read as {r['order_date'].iloc[1]}")
    for klass, label, value, expect in date_param_variants("snapshot_date"):
        if value is None:
            continue  # None is documented: no snapshot check
        yield Case(m, "validate_transactions", klass, label,
                   _call(v.validate_transactions, base, snapshot_date=value), expect, names=("snapshot_date",))
    yield Case(m, "validate_transactions", "after_as_of", "orders after snapshot_date",
               _call(v.validate_transactions, base, snapshot_date="2025-06-30"), "error",
               names=("snapshot_date",))
    yield Case(m, "validate_transactions", "duplicates", "exact duplicate rows",
               _call(v.validate_transactions, pd.concat([base, base.iloc[[2]]], ignore_index=True)), "error",
               names=("duplicate",))
    yield Case(m, "validate_transactions", "duplicates", "exact duplicates without order ids",
               _call(v.validate_transactions, pd.concat([base, base.iloc[[2]]], ignore_index=True).drop(columns="order_id"),
                     order_col=None), "error", names=("duplicate",))
    yield Case(m, "validate_transactions", "two_d", "a 2-D array instead of a table",
               _call(v.validate_transactions, base.to_numpy()), "error", names=("DataFrame",))
    yield Case(m, "validate_transactions", "bool_text", "returns=True", _call(v.validate_transactions, base, returns=True),
               "error", names=("returns",))
    yield Case(m, "validate_transactions", "legit", "valid orders",
               _call(v.validate_transactions, base), "ok",
               check=all_of(lambda r: None if len(r) == len(base) else "rows dropped", finite_numbers))
    yield Case(m, "validate_transactions", "legit", "ISO text dates",
               _call(v.validate_transactions, base.assign(order_date=base["order_date"].astype(str))), "ok",
               check=lambda r: None if (r["order_date"] == base["order_date"]).all() else "dates changed")
    yield Case(m, "validate_transactions", "legit", "text amounts '59.90'",
               _call(v.validate_transactions, base.assign(amount=base["amount"].map("{:.2f}".format))), "ok",
               check=lambda r: None if np.allclose(r["amount"], base["amount"]) else "amounts changed")
    yield Case(m, "validate_transactions", "legit", "dates '2025/01/05' (year first)",
               _call(v.validate_transactions, base.assign(order_date=base["order_date"].dt.strftime("%Y/%m/%d %H:%M"))), "ok",
               check=lambda r: None if (r["order_date"] == base["order_date"]).all() else "dates changed")
    yield Case(m, "validate_transactions", "legit", "month names '5 Jan 2025'",
               _call(v.validate_transactions, base.assign(order_date=base["order_date"].dt.strftime("%d %b %Y %H:%M"))), "ok",
               check=lambda r: None if (r["order_date"] == base["order_date"]).all() else "dates changed")
    dates = base["order_date"]
    for klass, label, value, expect in date_param_variants("snapshot_date"):
        if value is None:
            continue  # None: the documented default (with a warning)
        yield Case(m, "resolve_snapshot_date", klass, label, _call(v.resolve_snapshot_date, dates, value),
                   expect, names=("snapshot_date",))
    for klass, label, value, expect in date_param_variants("observation_end"):
        if value is None:
            continue
        yield Case(m, "resolve_observation_end", klass, label, _call(v.resolve_observation_end, dates, value),
                   expect, names=("observation_end",))
    yield Case(m, "resolve_snapshot_date", "legit", "explicit snapshot", _call(v.resolve_snapshot_date, dates, SNAPSHOT),
               "ok", check=equals(pd.Timestamp(SNAPSHOT)))
    yield Case(m, "resolve_snapshot_date", "empty", "no dates", _call(v.resolve_snapshot_date, dates.iloc[:0]),
               "error", names=("empty",))
    yield Case(m, "require_table", "two_d", "an array instead of a table",
               _call(v.require_table, np.ones((2, 2)), "the survey", ["cost"]), "error", names=("survey",))
    yield Case(m, "require_table", "empty", "an empty table",
               _call(v.require_table, pd.DataFrame({"cost": []}), "the survey", ["cost"]), "error", names=("survey",))


def cases_clean() -> Iterator[Case]:
    from cvmlib.clean import clean_orders

    m = "clean"
    raw = pd.DataFrame({
        "order_id": ["O1", "O2", "O3", "R1"], "customer_id": ["C1", "C2", "C1", "C1"],
        "order_date": ["2024-05-01 10:00:00", "2024/05/02 11:30", "02.05.2024 11:30", "2024-05-09 12:00:00"],
        "channel": ["app", "Mini_Program", "web", "app"], "category": ["Home", "Beauty", "home", "Home"],
        "amount": ["59.90", "120.00", "15.00", "-59.90"]})
    yield Case(m, "clean_orders", "legit", "a small raw export", _call(clean_orders, raw), "ok",
               check=lambda r: None if len(r.orders) == 3 and len(r.returns) == 1 else "rows lost")
    yield Case(m, "clean_orders", "thousands", "amount '1,234.50'",
               _call(clean_orders, raw.assign(amount=["1,234.50", "120.00", "15.00", "-59.90"])), "error",
               names=("amount",), says=("thousands",))
    yield Case(m, "clean_orders", "unmapped", "unknown category", _call(clean_orders, raw.assign(category=["Garden", "Beauty", "Home", "Home"])),
               "error", names=("category",))
    yield Case(m, "clean_orders", "unmapped", "unknown channel", _call(clean_orders, raw.assign(channel=["fax", "app", "web", "app"])),
               "error", names=("channel",))
    yield Case(m, "clean_orders", "empty", "empty export", _call(clean_orders, raw.iloc[:0]), "error", names=("empty",))
    yield Case(m, "clean_orders", "nan_inf", "amount 'inf'", _call(clean_orders, raw.assign(amount=["inf", "120.00", "15.00", "-59.90"])),
               "error", names=("amount",))
    yield Case(m, "clean_orders", "nan_inf", "amount '1e308'", _call(clean_orders, raw.assign(amount=["1e308", "120.00", "15.00", "-59.90"])),
               "either", names=("amount",), check=lambda r: finite_numbers(r.orders))
    yield Case(m, "clean_orders", "two_d", "an array", _call(clean_orders, raw.to_numpy()), "error", names=("DataFrame",))
    yield Case(m, "clean_orders", "ambiguous_date", "date '05/01/2024'",
               _call(clean_orders, raw.assign(order_date=["05/01/2024 10:00", "2024/05/02 11:30", "02.05.2024 11:30", "2024-05-09 12:00:00"])),
               "error", names=("order_date",))


def cases_rfm() -> Iterator[Case]:
    from cvmlib import rfm

    m = "rfm"
    base = orders()
    snap = pd.Timestamp(SNAPSHOT)
    g = base.groupby("customer_id")
    ref = pd.DataFrame({"recency": (snap - g["order_date"].max().dt.normalize()).dt.days,
                        "frequency": g["order_id"].nunique(), "monetary": g["amount"].sum()})
    yield Case(m, "rfm_table", "legit", "valid orders", _call(rfm.rfm_table, base, SNAPSHOT), "ok",
               check=lambda r: equals(ref)(r[["recency", "frequency", "monetary"]]))
    yield Case(m, "rfm_table", "legit", "text ISO dates", _call(rfm.rfm_table, base.assign(order_date=base["order_date"].astype(str)), SNAPSHOT),
               "ok", check=lambda r: equals(ref)(r[["recency", "frequency", "monetary"]]))
    shuffled = base.sample(frac=1.0, random_state=1)
    yield Case(m, "rfm_table", "legit", "shuffled rows", _call(rfm.rfm_table, shuffled, SNAPSHOT), "ok",
               check=lambda r: equals(ref)(r[["recency", "frequency", "monetary"]]))
    for klass, label, df, expect in column_variants(base, "amount"):
        yield Case(m, "rfm_table", klass, label, _call(rfm.rfm_table, df, SNAPSHOT), expect, names=("amount",),
                   says=("thousands",) if klass == "thousands" else (), check=finite_numbers)
    for klass, label, df, expect in column_variants(base, "order_date", numeric=False):
        yield Case(m, "rfm_table", klass, label, _call(rfm.rfm_table, df, SNAPSHOT), expect, names=("order_date",))
    for klass, label, df, expect in column_variants(base, "customer_id", numeric=False):
        yield Case(m, "rfm_table", klass, label, _call(rfm.rfm_table, df, SNAPSHOT), expect, names=("customer_id",))
    for klass, label, value, expect in date_param_variants("snapshot_date"):
        if value is None:
            continue
        yield Case(m, "rfm_table", klass, label, _call(rfm.rfm_table, base, value), expect, names=("snapshot_date",))
    yield Case(m, "rfm_table", "ambiguous_date", "ambiguous text order dates",
               _call(rfm.rfm_table, base.assign(order_date=ambiguous_dates(12)), "2026-01-01"), "error",
               names=("order_date",), says=("dayfirst",))
    yield Case(m, "rfm_table", "after_as_of", "orders after the snapshot", _call(rfm.rfm_table, base, "2025-07-01"),
               "error", names=("snapshot_date",))
    yield Case(m, "rfm_table", "duplicates", "an order exported twice (no order ids)",
               _call(rfm.rfm_table, pd.concat([base, base.iloc[[0]]], ignore_index=True).drop(columns="order_id"), SNAPSHOT,
                     order_col=None), "error", names=("duplicate",))
    yield Case(m, "rfm_table", "bool_text", "returns=False", _call(rfm.rfm_table, base, SNAPSHOT, returns=False), "error",
               names=("returns",))
    yield Case(m, "rfm_table", "empty", "an empty selection", _call(rfm.rfm_table, base[base["amount"] > 1e6], SNAPSHOT),
               "error", names=("empty",))

    table = rfm_frame()
    yield Case(m, "rfm_scores", "legit", "an rfm table", _call(rfm.rfm_scores, table), "ok",
               check=lambda r: within(1, 5)(r[["R", "F", "M"]].to_numpy()))
    for col in ("recency", "frequency", "monetary"):
        for klass, label, df, expect in column_variants(table, col, negative_ok=col == "monetary",
                                                        whole=col == "frequency"):
            if "fraction" in label and col == "frequency":
                expect = "error"
            yield Case(m, "rfm_scores", klass, label, _call(rfm.rfm_scores, df), expect, names=(col,),
                       check=lambda r: within(1, 5)(r[["R", "F", "M"]].to_numpy()))
    for klass, label, value, expect in scalar_variants("bins", good=5, domain_bad=[1, 0, -3, 2.5, 5.0]):
        yield Case(m, "rfm_scores", klass, label, _call(rfm.rfm_scores, table, bins=value), expect, names=("bins",))
    for bad, label in [({"recency": [30, 90, np.nan, 365]}, "cut point NaN"),
                       ({"recency": [30, 90, np.inf, 365]}, "cut point inf"),
                       ({"recency": [[30, 90], [180, 365]]}, "cut points 2-D"),
                       ({"recency": "30,90,180,365"}, "cut points as text"),
                       ({"recency": [True, False, True, True]}, "cut points as booleans"),
                       ({"recency": [365, 180, 90, 30]}, "cut points decreasing"),
                       ({"recncy": [30, 90, 180, 365]}, "misspelt metric")]:
        klass = "two_d" if "2-D" in label else "nan_inf" if ("NaN" in label or "inf" in label) else \
            "bool_text" if "bool" in label else "domain"
        yield Case(m, "rfm_scores", klass, label, _call(rfm.rfm_scores, table, cut_points=bad), "error", names=("cut_points",))
    sc = scores_table()
    yield Case(m, "rfm_segments", "legit", "scores 1..5", _call(rfm.rfm_segments, sc), "ok",
               check=all_of(same_index(sc.index), lambda r: None if r.notna().all() else "missing segments"))
    for col in ("R", "F"):
        for klass, label, df, expect in column_variants(sc, col, low=1, high=5, whole=True):
            yield Case(m, "rfm_segments", klass, label, _call(rfm.rfm_segments, df), expect, names=(col,))
    yield Case(m, "rfm_segments", "domain", "rules with a gap",
               _call(rfm.rfm_segments, sc, [("Good", (3, 5), (1, 5)), ("Bad", (1, 1), (1, 5))]), "error", names=("R=2",))
    yield Case(m, "rfm_segments", "domain", "rules with NaN bounds",
               _call(rfm.rfm_segments, sc, [("All", (1, float("nan")), (1, 5))]), "error", names=("rule",))
    seg = rfm.rfm_segments(sc) if hasattr(rfm, "rfm_segments") else None
    tab = pd.DataFrame({"recency": [1, 30, 200, 40, 90], "frequency": [9, 2, 1, 3, 4],
                        "monetary": [900.0, 100.0, 20.0, 150.0, 300.0]}, index=sc.index)
    yield Case(m, "segment_summary", "legit", "rfm and segments", _call(rfm.segment_summary, tab, seg), "ok",
               check=lambda r: None if abs(r["revenue_share"].sum() - 1) < 1e-9 and r["customers"].sum() == 5 else "shares off")
    yield Case(m, "segment_summary", "join_ids", "segments missing a customer",
               _call(rfm.segment_summary, tab, seg.iloc[:-1]), "error", names=("segments",))
    yield Case(m, "segment_summary", "join_ids", "segments of other customers",
               _call(rfm.segment_summary, tab, seg.set_axis(["C1", "C2", "C3", "C4", "X9"])), "error", names=("segments",))
    yield Case(m, "segment_summary", "join_ids", "segments with a repeated customer",
               _call(rfm.segment_summary, tab, pd.concat([seg, seg.iloc[:1]]).iloc[1:].set_axis(["C1", "C2", "C3", "C4", "C1"])),
               "error", names=("segments",))
    for klass, label, df, expect in column_variants(tab, "monetary", negative_ok=True):
        yield Case(m, "segment_summary", klass, label, _call(rfm.segment_summary, df, seg), expect, names=("monetary",),
                   check=lambda r: finite_numbers(r[r["customers"] > 0]))  # means of empty segments: NaN
    yield Case(m, "segment_summary", "two_d", "segments as a DataFrame",
               _call(rfm.segment_summary, tab, seg.to_frame()), "error", names=("segments",))
    yield Case(m, "segment_summary", "nan_inf", "a customer without segment",
               _call(rfm.segment_summary, tab, seg.astype(object).where(seg.index != "C2")), "error", names=("segment",))
    yield Case(m, "check_segment_rules", "legit", "the default rules",
               _call(rfm.check_segment_rules, rfm.DEFAULT_SEGMENT_RULES), "ok")
    yield Case(m, "check_segment_rules", "empty", "no rules", _call(rfm.check_segment_rules, []), "error", names=("rule",))


def cases_segment() -> Iterator[Case]:
    from cvmlib import segment as sg

    m = "segment"
    age = customers().set_index("customer_id")["age"]
    yield Case(m, "age_bands", "legit", "ages", _call(sg.age_bands, age), "ok",
               check=lambda r: None if r.astype(str).tolist() == ["18-24", "35-44", "45-54", "55+", "25-34"] else str(r.tolist()))
    for klass, label, value, expect in series_variants(age.astype(float), "age"):
        yield Case(m, "age_bands", klass, label, _call(sg.age_bands, value), expect, names=("age",))
    yield Case(m, "age_bands", "domain", "age 17", _call(sg.age_bands, age.replace(22, 17)), "error", names=("age",))
    yield Case(m, "age_bands", "domain", "decreasing edges", _call(sg.age_bands, age, (120, 55, 18)), "error", names=("edges",))
    yield Case(m, "age_bands", "nan_inf", "edges with NaN", _call(sg.age_bands, age, (18, float("nan"), 120)), "error", names=("edges",))
    o = orders()
    yield Case(m, "main_category", "legit", "orders", _call(sg.main_category, o), "ok",
               check=equals(pd.Series({"C1": "Apparel", "C2": "Electronics", "C3": "Electronics", "C4": "Beauty", "C5": "Sports"})))
    for klass, label, df, expect in column_variants(o, "amount"):
        yield Case(m, "main_category", klass, label, _call(sg.main_category, df), expect, names=("amount",))
    for klass, label, df, expect in column_variants(o, "category", numeric=False):
        yield Case(m, "main_category", klass, label, _call(sg.main_category, df), expect, names=("category",))
    cust = customers()
    yield Case(m, "demographic_table", "legit", "customers and orders", _call(sg.demographic_table, cust, o), "ok",
               check=lambda r: None if r["customers"].sum() == 5 else "customers lost")
    yield Case(m, "demographic_table", "join_ids", "orders of a customer missing from customers",
               _call(sg.demographic_table, cust[cust["customer_id"] != "C5"], o), "error", names=("customer",))
    yield Case(m, "demographic_table", "join_ids", "customers repeated", _call(sg.demographic_table, pd.concat([cust, cust.iloc[[0]]]), o),
               "error", names=("customer_id",))
    for klass, label, df, expect in column_variants(cust, "age", low=18, high=None):
        yield Case(m, "demographic_table", klass, label, _call(sg.demographic_table, df, o), expect, names=("age",))
    for klass, label, df, expect in column_variants(o, "amount"):
        yield Case(m, "demographic_table", klass, label, _call(sg.demographic_table, cust, df), expect, names=("amount",))
    yield Case(m, "customer_features", "legit", "orders", _call(sg.customer_features, o, SNAPSHOT), "ok",
               check=all_of(finite_numbers, lambda r: None if len(r) == 5 else "customers lost"))
    for klass, label, value, expect in date_param_variants("snapshot_date"):
        yield Case(m, "customer_features", klass, label, _call(sg.customer_features, o, value),
                   "ok" if value is None else expect, names=("snapshot_date",),
                   check=all_of(finite_numbers, lambda r: None if len(r) == 5 else "customers lost"))
    yield Case(m, "customer_features", "after_as_of", "orders after the snapshot", _call(sg.customer_features, o, "2025-06-01"),
               "error", names=("snapshot_date",))
    for col in ("category", "channel"):
        for klass, label, df, expect in column_variants(o, col, numeric=False):
            yield Case(m, "customer_features", klass, label, _call(sg.customer_features, df, SNAPSHOT), expect, names=(col,))
    f = features()
    fn_list: list[tuple[str, Callable[[pd.DataFrame], Any], Callable[[Any], str | None]]] = [
        ("scale_features", lambda x: sg.scale_features(x), finite_numbers),
        ("kmeans_segments", lambda x: sg.kmeans_segments(x, 2), lambda r: None if len(r) == 20 else "rows lost"),
        ("pca_projection", lambda x: sg.pca_projection(x), finite_numbers),
        ("choose_k", lambda x: sg.choose_k(x, ks=[2, 3]), lambda r: None),
        ("stability", lambda x: sg.stability(x, 2, seeds=(1,), n_bootstrap=1), lambda r: within(-1, 1)(r["ari"])),
    ]
    for fname, fn, chk in fn_list:
        yield Case(m, fname, "legit", "features", (lambda fn=fn: fn(features())), "ok", check=chk)
        for col in ("monetary", "cat_Home"):
            for klass, label, df, expect in column_variants(f, col, negative_ok=fname != "scale_features" or col != "monetary"):
                if "without column" in label:
                    continue
                yield Case(m, fname, klass, label, (lambda fn=fn, df=df: fn(df)), expect, names=(col,), check=chk)
        yield Case(m, fname, "two_d", "a numpy array of features", (lambda fn=fn: fn(features().to_numpy())), "error",
                   names=("features", "DataFrame"))
    for klass, label, value, expect in scalar_variants("k", good=2, domain_bad=[0, -1, 2.5, 21, 2.0]):
        yield Case(m, "kmeans_segments", klass, label, _call(sg.kmeans_segments, f, value), expect, names=("k",))
    for klass, label, value, expect in scalar_variants("n_init", good=10, domain_bad=[0, -1]):
        yield Case(m, "kmeans_segments", klass, label, _call(sg.kmeans_segments, f, 2, n_init=value), expect, names=("n_init",))
    for ks, label in [([2, float("inf")], "ks with inf"), ([0, 2], "ks with 0"), ([], "no ks"), ([2, True], "ks with True")]:
        yield Case(m, "choose_k", "empty" if not ks else "domain", label, _call(sg.choose_k, f, ks=ks), "error", names=("k",))
    yield Case(m, "choose_k", "bool_text", "sample_size=True", _call(sg.choose_k, f, ks=[2], sample_size=True), "error",
               names=("sample_size",))
    yield Case(m, "stability", "domain", "n_bootstrap=-1", _call(sg.stability, f, 2, n_bootstrap=-1), "error", names=("n_bootstrap",))
    yield Case(m, "stability", "empty", "no seeds and no bootstrap", _call(sg.stability, f, 2, seeds=(), n_bootstrap=0),
               "error", names=("seeds", "n_bootstrap"))
    labels = sg.kmeans_segments(sg.scale_features(f), 2)
    yield Case(m, "segment_profile", "legit", "labels and features", _call(sg.segment_profile, labels, f), "ok",
               check=lambda r: None if r["customers"].sum() == 20 else "customers lost")
    yield Case(m, "segment_profile", "join_ids", "labels missing customers", _call(sg.segment_profile, labels.iloc[:-2], f),
               "error", names=("labels",))
    yield Case(m, "segment_profile", "join_ids", "labels with NaN", _call(sg.segment_profile, labels.astype(float).where(labels.index != "K03"), f),
               "error", names=("labels",))
    yield Case(m, "segment_profile", "two_d", "labels as a DataFrame", _call(sg.segment_profile, labels.to_frame(), f),
               "error", names=("labels",))
    yield Case(m, "segment_profile", "join_ids", "customers table missing some",
               _call(sg.segment_profile, labels, f, pd.DataFrame({"customer_id": ["K00"], "age": [30], "city_tier": [1]})),
               "error", names=("customers",))
    prof = sg.segment_profile(labels, f)
    yield Case(m, "suggest_segment_names", "legit", "a profile", _call(sg.suggest_segment_names, prof), "ok",
               check=lambda r: None if len(r) == len(prof) and r.notna().all() else "names missing")
    for col in ("revenue", "customers", "median_recency"):
        for klass, label, df, expect in column_variants(prof, col, negative_ok=False):
            if "bool" in label or "1e308" in label:
                continue
            yield Case(m, "suggest_segment_names", klass, label, _call(sg.suggest_segment_names, df), expect, names=(col,))


def cases_value() -> Iterator[Case]:
    from cvmlib import value as vm

    m = "value"
    v = values()
    n = len(v)
    share_fns: list[tuple[str, Callable[[Any], Any], Callable[[Any], str | None]]] = [
        ("abc_classes", lambda x: vm.abc_classes(x), lambda r: None if len(r) == n and r.notna().all() else "rows lost/NaN"),
        ("lorenz_curve", lambda x: vm.lorenz_curve(x), all_of(finite_numbers, lambda r: within(0, 1)(r["value_share"]))),
        ("gini", lambda x: vm.gini(x), all_of(finite_numbers, within(0, 1))),
        ("pareto_share", lambda x: vm.pareto_share(x), all_of(finite_numbers, within(0, 1))),
        ("top_share", lambda x: vm.top_share(x), all_of(finite_numbers, within(0, 1))),
    ]
    vals = v.to_numpy()
    ref_gini = float(np.abs(vals[:, None] - vals[None, :]).mean() / (2 * vals.mean()))
    for fname, fn, chk in share_fns:
        for klass, label, value, expect in series_variants(v, "values"):
            yield Case(m, fname, klass, label, (lambda fn=fn, value=value: fn(value)), expect, names=("values",),
                       says=("thousands",) if klass == "thousands" and "1,234" in label else (), check=chk)
        yield Case(m, fname, "legit", "values", (lambda fn=fn: fn(values())), "ok", check=chk)
        yield Case(m, fname, "legit", "values as a list", (lambda fn=fn: fn(values().tolist())), "ok", check=finite_numbers)
        yield Case(m, fname, "legit", "values as a 1-D array", (lambda fn=fn: fn(values().to_numpy())), "ok", check=finite_numbers)
        yield Case(m, fname, "domain", "all zero", (lambda fn=fn: fn(values() * 0)), "error", names=("values", "zero"))
    yield Case(m, "gini", "legit", "gini against the mean absolute difference", _call(vm.gini, v), "ok", check=close_to(ref_gini))
    for klass, label, value, expect in scalar_variants("value_share", good=0.8, domain_bad=[0, 1.5, 80, -0.2]):
        yield Case(m, "pareto_share", klass, label, _call(vm.pareto_share, v, value), expect, names=("value_share",))
    for klass, label, value, expect in scalar_variants("customer_share", good=0.2, domain_bad=[1.5, 20, -0.2]):
        yield Case(m, "top_share", klass, label, _call(vm.top_share, v, value), expect, names=("customer_share",))
    for cuts, label in [((0.8, float("nan")), "cuts NaN"), ((0.8, 1.5), "cut above 1"), ((80, 95), "cuts in percent"),
                        (((0.8, 0.9),), "cuts 2-D"), ((), "no cuts"), ((True,), "cut True")]:
        klass = "nan_inf" if "NaN" in label else "two_d" if "2-D" in label else "empty" if "no cuts" in label else \
            "bool_text" if "True" in label else "domain"
        yield Case(m, "abc_classes", klass, label, _call(vm.abc_classes, v, cuts), "error", names=("cuts",))
    peers = pd.Series({"C1": "x", "C2": "x", "C3": "y", "C4": "y", "C5": "x", "C6": "y"})
    yield Case(m, "wallet_headroom", "legit", "peers", _call(vm.wallet_headroom, v, peers), "ok",
               check=all_of(finite_numbers, same_index(v.index), lambda r: None if (r >= 0).all() else "negative"))
    for klass, label, value, expect in series_variants(v, "current"):
        yield Case(m, "wallet_headroom", klass, label, _call(vm.wallet_headroom, value, peers), expect, names=("current",),
                   check=finite_numbers)
    yield Case(m, "wallet_headroom", "join_ids", "peer groups missing a customer", _call(vm.wallet_headroom, v, peers.iloc[:-1]),
               "error", names=("peer_groups",))
    yield Case(m, "wallet_headroom", "join_ids", "peer groups of other customers", _call(vm.wallet_headroom, v, peers.set_axis(list("abcdef"))),
               "error", names=("peer_groups",))
    yield Case(m, "wallet_headroom", "two_d", "peer groups as a DataFrame", _call(vm.wallet_headroom, v, peers.to_frame()),
               "error", names=("peer_groups",))
    for klass, label, value, expect in scalar_variants("quantile", good=0.9, domain_bad=[0, 1.5, 90, -0.1]):
        yield Case(m, "wallet_headroom", klass, label, _call(vm.wallet_headroom, v, peers, value), expect, names=("quantile",))
    o = orders()
    rates = {"Apparel": 0.5, "Beauty": 0.6, "Electronics": 0.15, "Home": 0.4, "Sports": 0.35}
    ref_profit = (o["amount"] * o["category"].map(rates) - 5).groupby(o["customer_id"]).sum()
    yield Case(m, "gross_profit", "legit", "orders and margins", _call(vm.gross_profit, o, rates, 5), "ok",
               check=close_to(ref_profit.to_numpy()))
    yield Case(m, "gross_profit", "unmapped", "a category without a margin rate",
               _call(vm.gross_profit, o, {k: r for k, r in rates.items() if k != "Sports"}), "error", names=("Sports", "margin_rates"))
    yield Case(m, "gross_profit", "unmapped", "margin_rates with misspelt keys",
               _call(vm.gross_profit, o, {k.lower(): r for k, r in rates.items()}), "error", names=("margin_rates",))
    for k in ("Beauty",):
        for bad, klass, label in [(1.5, "domain", "margin rate 1.5"), (60, "domain", "margin rate 60 (percent)"), (-0.1, "domain", "negative margin rate"),
                                  (float("nan"), "nan_inf", "margin rate NaN"), (float("inf"), "nan_inf", "margin rate inf"),
                                  (True, "bool_text", "margin rate True"), ("0.6", "bool_text", "margin rate '0.6'"),
                                  (None, "none_period", "margin rate None")]:
            yield Case(m, "gross_profit", klass, label, _call(vm.gross_profit, o, {**rates, k: bad}), "error",
                       names=("margin_rates", "Beauty"))
    for klass, label, value, expect in scalar_variants("cost_per_order", good=5.0, domain_bad=[-5.0]):
        yield Case(m, "gross_profit", klass, label, _call(vm.gross_profit, o, rates, value), expect, names=("cost_per_order",),
                   check=finite_numbers)
    for klass, label, df, expect in column_variants(o, "amount"):
        yield Case(m, "gross_profit", klass, label, _call(vm.gross_profit, df, rates), expect, names=("amount",),
                   says=("thousands",) if klass == "thousands" else (), check=finite_numbers)
    yield Case(m, "gross_profit", "two_d", "margin_rates as a list", _call(vm.gross_profit, o, [0.5, 0.6]), "error",
               names=("margin_rates",))
    yield Case(m, "active_periods", "legit", "orders", _call(vm.active_periods, o, "Q"), "ok",
               check=equals(pd.Series({"C1": 2, "C2": 2, "C3": 4, "C4": 1, "C5": 1})))
    for bad in ("q", "W", None, True, 4):
        yield Case(m, "active_periods", "bool_text" if bad is True else "none_period" if bad is None else "domain",
                   f"freq={bad!r}", _call(vm.active_periods, o, bad), "error", names=("freq",))
    yield Case(m, "active_periods", "ambiguous_date", "ambiguous text dates",
               _call(vm.active_periods, o.assign(order_date=ambiguous_dates(12, 4))), "error", names=("order_date",))
    yield Case(m, "active_periods", "duplicates", "an order row twice",
               _call(vm.active_periods, pd.concat([o, o.iloc[[0]]], ignore_index=True)), "either", names=("duplicate",),
               check=equals(pd.Series({"C1": 2, "C2": 2, "C3": 4, "C4": 1, "C5": 1})))
    cur = pd.Series({"a": 900.0, "b": 800.0, "c": 100.0, "d": 50.0})
    pot = pd.Series({"a": 500.0, "b": 20.0, "c": 700.0, "d": 0.0})
    yield Case(m, "value_matrix", "legit", "current and potential", _call(vm.value_matrix, cur, pot, 500, 300), "ok",
               check=lambda r: None if r.astype(str).tolist() == ["Key", "Maintain", "Develop", "Basic"] else str(r.tolist()))
    yield Case(m, "value_matrix", "legit", "potential in another order", _call(vm.value_matrix, cur, pot.iloc[::-1], 500, 300), "ok",
               check=lambda r: None if r.astype(str).tolist() == ["Key", "Maintain", "Develop", "Basic"] else str(r.tolist()))
    for klass, label, value, expect in series_variants(cur, "current", negative_ok=True):
        yield Case(m, "value_matrix", klass, label, _call(vm.value_matrix, value, pot, 500, 300), expect, names=("current",),
                   check=lambda r: None if r.notna().all() else "cells missing")
    for klass, label, value, expect in series_variants(pot, "potential", negative_ok=True):
        if klass == "empty":
            continue
        yield Case(m, "value_matrix", klass, label, _call(vm.value_matrix, cur, value, 500, 300), expect, names=("potential",),
                   check=lambda r: None if r.notna().all() else "cells missing")
    for klass, label, value, expect in scalar_variants("current_threshold", good=500, domain_bad=[]):
        yield Case(m, "value_matrix", klass, label, _call(vm.value_matrix, cur, pot, value, 300), expect, names=("current_threshold",))
    yield Case(m, "value_matrix", "join_ids", "potential missing a customer", _call(vm.value_matrix, cur, pot.iloc[:-1], 500, 300),
               "error", names=("potential",))
    yield Case(m, "value_matrix", "join_ids", "potential of other customers", _call(vm.value_matrix, cur, pot.set_axis(list("abcx")), 500, 300),
               "error", names=("potential",))
    loy = pd.Series({"a": 6, "b": 1, "c": 7, "d": 1})
    prof = pd.Series({"a": 400.0, "b": 380.0, "c": 20.0, "d": -5.0})
    yield Case(m, "loyalty_profitability", "legit", "loyalty and profit", _call(vm.loyalty_profitability, loy, prof, 4, 100), "ok",
               check=lambda r: None if r.astype(str).tolist() == ["True friends", "Butterflies", "Barnacles", "Strangers"] else str(r.tolist()))
    for klass, label, value, expect in series_variants(loy.astype(float), "loyalty", negative_ok=True):
        yield Case(m, "loyalty_profitability", klass, label, _call(vm.loyalty_profitability, value, prof, 4, 100), expect,
                   names=("loyalty",), check=lambda r: None if r.notna().all() else "cells missing")
    yield Case(m, "loyalty_profitability", "join_ids", "profit of other customers",
               _call(vm.loyalty_profitability, loy, prof.set_axis(list("abcz")), 4, 100), "error", names=("profit",))
    cells = pd.Series(pd.Categorical(["A", "A", "B", "C"], categories=["A", "B", "C"]), index=list("wxyz"))
    amounts = pd.Series([6.0, 2.0, 2.0, 0.0], index=list("wxyz"))
    yield Case(m, "cell_summary", "legit", "cells and values", _call(vm.cell_summary, cells, amounts), "ok",
               check=lambda r: None if abs(r["value_share"].sum() - 1) < 1e-12 and r["customers"].sum() == 4 else "shares off")
    for klass, label, value, expect in series_variants(amounts, "values", negative_ok=True):
        if klass == "empty":
            continue
        yield Case(m, "cell_summary", klass, label, _call(vm.cell_summary, cells, value), expect, names=("values",),
                   check=finite_numbers)
    yield Case(m, "cell_summary", "join_ids", "values missing a customer", _call(vm.cell_summary, cells, amounts.iloc[:-1]),
               "error", names=("values",))
    yield Case(m, "cell_summary", "nan_inf", "a customer without a cell", _call(vm.cell_summary, cells.astype(object).where(cells.index != "x"), amounts),
               "error", names=("cells",))
    yield Case(m, "cell_summary", "domain", "values summing to zero", _call(vm.cell_summary, cells, pd.Series([1.0, -1.0, 0.0, 0.0], index=list("wxyz"))),
               "either", names=("values",), check=finite_numbers)
    yield Case(m, "cell_summary", "two_d", "cells as a DataFrame", _call(vm.cell_summary, cells.to_frame(), amounts), "error",
               names=("cells",))
    ab = pd.Series(["Key", "Basic", "Basic", "Basic"])
    yield Case(m, "allocate_budget", "legit", "cells and weights", _call(vm.allocate_budget, ab, 1000, {"Key": 3, "Basic": 1}), "ok",
               check=lambda r: None if abs(r.sum() - 1000) < 1e-9 and (r >= 0).all() else f"sum {r.sum()}")
    for klass, label, value, expect in scalar_variants("budget", good=1000, domain_bad=[0, -100]):
        yield Case(m, "allocate_budget", klass, label, _call(vm.allocate_budget, ab, value), expect, names=("budget",),
                   check=all_of(finite_numbers, lambda r: None if abs(r.sum() - 1e308) / 1e308 < 1e-9 else f"sum {r.sum()}"))
    for wbad, klass, label in [({"Key": np.nan, "Basic": 1}, "nan_inf", "weight NaN"), ({"Key": np.inf, "Basic": 1}, "nan_inf", "weight inf"),
                               ({"Key": -1, "Basic": 1}, "domain", "negative weight"), ({"Key": True, "Basic": 1}, "bool_text", "weight True"),
                               ({"Key": "3", "Basic": 1}, "bool_text", "weight '3'"), ({"Key": 3}, "unmapped", "no weight for Basic"),
                               ({"key": 3, "basic": 1}, "unmapped", "weights for misspelt cells"), ({"Key": 1e308, "Basic": 1e308}, "nan_inf", "weights 1e308")]:
        yield Case(m, "allocate_budget", klass, label, _call(vm.allocate_budget, ab, 1000, wbad),
                   "either" if "1e308" in label else "error", names=("weights", "weight"),
                   check=lambda r: None if abs(r.sum() - 1000) < 1e-9 and _finite(r) else f"sum {r.sum()}")
    for bad, klass in [("Value", "domain"), (None, "none_period"), (True, "bool_text")]:
        yield Case(m, "allocate_budget", klass, f"basis={bad!r}", _call(vm.allocate_budget, ab, 1000, basis=bad), "error", names=("basis",))
    yield Case(m, "allocate_budget", "join_ids", "values of other customers",
               _call(vm.allocate_budget, ab, 100, basis="value", values=pd.Series([1.0, 1.0, 1.0, 1.0], index=list("abcd"))),
               "error", names=("values",))
    yield Case(m, "allocate_budget", "empty", "no customers", _call(vm.allocate_budget, ab.iloc[:0], 100), "error", names=("cells",))
    before = pd.Series({"a": "A", "b": "A", "c": "B", "d": "C"})
    after = pd.Series({"a": "A", "b": "C", "c": "A", "e": "B"})
    yield Case(m, "tier_transitions", "legit", "two periods", _call(vm.tier_transitions, before, after), "ok",
               check=lambda r: None if int(r.counts.to_numpy().sum()) == 5 else "customers lost")
    yield Case(m, "tier_transitions", "unmapped", "a tier not in tiers", _call(vm.tier_transitions, before, after, ["A", "B"]),
               "error", names=("tiers", "C"))
    yield Case(m, "tier_transitions", "nan_inf", "a customer without tier", _call(vm.tier_transitions, before.where(before.index != "b"), after),
               "error", names=("tiers_before",))
    yield Case(m, "tier_transitions", "two_d", "tiers as a DataFrame", _call(vm.tier_transitions, before.to_frame(), after),
               "error", names=("tiers_before",))
    yield Case(m, "tier_transitions", "join_ids", "repeated ids", _call(vm.tier_transitions, pd.concat([before, before.iloc[:1]]), after),
               "error", names=("tiers_before",))
    yield Case(m, "tier_transitions", "empty", "both empty", _call(vm.tier_transitions, before.iloc[:0], after.iloc[:0]),
               "error", names=("empty",))


def cases_fourc() -> Iterator[Case]:
    from cvmlib import fourc

    m = "fourc"
    s = survey()
    ratings = ["consumer_needs_fit", "cost", "convenience", "communication"]
    yield Case(m, "check_ratings", "legit", "ratings", _call(fourc.check_ratings, s, ratings, 1, 5), "ok",
               check=lambda r: None if r.shape == (6, 4) else "shape")
    for col in ("cost", "convenience"):
        for klass, label, df, expect in column_variants(s, col, low=1, high=5, whole=True):
            yield Case(m, "check_ratings", klass, label, _call(fourc.check_ratings, df, ratings, 1, 5), expect, names=(col,))
            yield Case(m, "four_c_audit", klass, label, _call(fourc.four_c_audit, df, "level"), expect, names=(col,),
                       check=finite_numbers)
    for klass, label, df, expect in column_variants(s, "nps", low=0, high=10, whole=True):
        yield Case(m, "four_c_audit", klass, label, _call(fourc.four_c_audit, df, "level"), expect, names=("nps",))
        yield Case(m, "nps_by_rating", klass, label, _call(fourc.nps_by_rating, df), expect, names=("nps",))
    for bad, klass, label in [(0.5, "domain", "low=0.5"), (float("nan"), "nan_inf", "low=nan"), (True, "bool_text", "low=True"), ("1", "bool_text", "low='1'")]:
        yield Case(m, "check_ratings", klass, label, _call(fourc.check_ratings, s, ratings, bad, 5), "error", names=("low",))
    yield Case(m, "check_ratings", "domain", "low above high", _call(fourc.check_ratings, s, ratings, 5, 1), "error", names=("low", "high"))
    yield Case(m, "check_ratings", "empty", "no columns", _call(fourc.check_ratings, s, [], 1, 5), "error", names=("columns",))
    yield Case(m, "check_ratings", "two_d", "columns as a string", _call(fourc.check_ratings, s, "cost", 1, 5), "either",
               names=("columns",), check=lambda r: None if list(r.columns) == ["cost"] else f"read as {list(r.columns)}")
    nps_s = s["nps"]
    ref = 100 * ((nps_s >= 9).mean() - (nps_s <= 6).mean())
    yield Case(m, "nps", "legit", "answers", _call(fourc.nps, nps_s), "ok", check=close_to(ref))
    yield Case(m, "nps", "legit", "answers as a list", _call(fourc.nps, nps_s.tolist()), "ok", check=close_to(ref))
    for fname, fn in (("nps", fourc.nps), ("nps_groups", fourc.nps_groups)):
        for klass, label, value, expect in series_variants(nps_s.astype(float), "nps"):
            if "1e-320" in label:
                expect = "error"
            yield Case(m, fname, klass, label, (lambda fn=fn, value=value: fn(value)), expect,
                       names=("nps", "scores"), check=lambda r: "accepted a value outside 0..10")
        yield Case(m, fname, "domain", "answer 11", (lambda fn=fn: fn(pd.Series([10, 11]))), "error", names=("nps", "scores"))
        yield Case(m, fname, "domain", "answer 9.5", (lambda fn=fn: fn(pd.Series([10, 9.5]))), "error", names=("nps", "scores"))
    yield Case(m, "four_c_audit", "legit", "by level", _call(fourc.four_c_audit, s, "level"), "ok",
               check=lambda r: None if r["respondents"].sum() == 6 else "respondents lost")
    yield Case(m, "four_c_audit", "nan_inf", "a missing group label", _call(fourc.four_c_audit, s.assign(level=s["level"].where(s.index != 2)), "level"),
               "error", names=("level",))
    yield Case(m, "four_c_audit", "empty", "an empty selection", _call(fourc.four_c_audit, s[s["nps"] > 10], "level"), "error", names=("empty",))
    yield Case(m, "four_c_audit", "domain", "by a missing column", _call(fourc.four_c_audit, s, "segment"), "error", names=("segment",))
    audit = fourc.four_c_audit(s, "level")
    yield Case(m, "weakest_c", "legit", "an audit", _call(fourc.weakest_c, audit), "ok",
               check=lambda r: None if len(r) == 3 and r.isin(ratings).all() else str(r.tolist()))
    for col in ("cost",):
        for klass, label, df, expect in column_variants(audit, col, low=1, high=5):
            yield Case(m, "weakest_c", klass, label, _call(fourc.weakest_c, df), expect, names=(col,))
    o = orders()
    yield Case(m, "main_channel", "legit", "orders", _call(fourc.main_channel, o), "ok",
               check=equals(pd.Series({"C1": "app", "C2": "store", "C3": "app", "C4": "web", "C5": "store"})))
    for col in ("channel", "customer_id"):
        for klass, label, df, expect in column_variants(o, col, numeric=False):
            yield Case(m, "main_channel", klass, label, _call(fourc.main_channel, df), expect, names=(col,))
    ref_after = [1, 0, 1, 1, 0, pd.NA]  # R1..R5: orders in the 90 days after; R6: window not over
    yield Case(m, "purchases_after", "legit", "survey and orders", _call(fourc.purchases_after, s, o, 90, SNAPSHOT), "ok",
               check=lambda r: None if r.astype(object).where(r.notna(), None).tolist() == [None if x is pd.NA else x for x in ref_after]
               else str(r.tolist()))
    for klass, label, value, expect in scalar_variants("window_days", good=90, domain_bad=[0, -5, 2.5]):
        yield Case(m, "purchases_after", klass, label, _call(fourc.purchases_after, s, o, value, SNAPSHOT), expect, names=("window_days",))
    for klass, label, value, expect in date_param_variants("snapshot_date"):
        if value is None:
            continue
        yield Case(m, "purchases_after", klass, label, _call(fourc.purchases_after, s, o, 90, value), expect, names=("snapshot_date",))
    yield Case(m, "purchases_after", "after_as_of", "orders after snapshot_date", _call(fourc.purchases_after, s, o, 30, "2025-06-01"),
               "error", names=("snapshot_date",))
    yield Case(m, "purchases_after", "after_as_of", "responses after snapshot_date (windows not observed: <NA>, never 0)",
               _call(fourc.purchases_after, s.assign(response_date=pd.to_datetime(["2026-02-01"] * 6)), o, 30, SNAPSHOT),
               "either", names=("response_date",), check=lambda r: None if r.isna().all() else f"counted: {r.tolist()}")
    yield Case(m, "purchases_after", "ambiguous_date", "ambiguous response dates",
               _call(fourc.purchases_after, s.assign(response_date=ambiguous_dates(6, 2)), o, 90, SNAPSHOT), "error",
               names=("response_date",))
    yield Case(m, "purchases_after", "join_ids", "respondents without any orders table entry",
               _call(fourc.purchases_after, s.assign(customer_id=["C1", "C2", "C3", "C4", "C5", "C9"]), o, 90, SNAPSHOT),
               "either", names=("customer_id",),
               check=lambda r: None if len(r) == 6 else "rows dropped")
    tk = pd.DataFrame({"category": ["delivery_delay", "billing", "wrong_item"]})
    yield Case(m, "complaints_by_handoff", "legit", "tickets", _call(fourc.complaints_by_handoff, tk), "ok",
               check=lambda r: None if r["tickets"].sum() == 3 else "tickets lost")
    yield Case(m, "complaints_by_handoff", "unmapped", "an unmapped category",
               _call(fourc.complaints_by_handoff, tk.assign(category=["late", "billing", "wrong_item"])), "error", names=("category",))
    yield Case(m, "complaints_by_handoff", "unmapped", "a mapping to a team outside the chain (listed after it, documented)",
               _call(fourc.complaints_by_handoff, tk, {"delivery_delay": "warehous", "billing": "order desk", "wrong_item": "warehouse"}),
               "either", names=("mapping", "warehous"),
               check=lambda r: None if r["tickets"].sum() == 3 and r.loc["warehous", "tickets"] == 1 else str(r))
    yield Case(m, "complaints_by_handoff", "nan_inf", "a missing category",
               _call(fourc.complaints_by_handoff, tk.assign(category=["billing", None, "billing"])), "error", names=("category",))
    yield Case(m, "complaints_by_handoff", "empty", "no tickets", _call(fourc.complaints_by_handoff, tk.iloc[:0]), "error", names=("empty",))


def cases_complaints() -> Iterator[Case]:
    from cvmlib import complaints as cp

    m = "complaints"
    t = tickets()
    ref_fr = [2.0, 8.0, np.nan, 18.0, 1.0]
    yield Case(m, "handling_times", "legit", "tickets", _call(cp.handling_times, t), "ok",
               check=lambda r: None if np.allclose(r["first_response_hours"], ref_fr, equal_nan=True) else str(r))
    yield Case(m, "handling_times", "legit", "text timestamps", _call(cp.handling_times, t.assign(opened_at=t["opened_at"].astype(str))), "ok",
               check=lambda r: None if np.allclose(r["first_response_hours"], ref_fr, equal_nan=True) else str(r))
    for klass, label, value, expect in date_param_variants("as_of"):
        if value is None:
            continue
        yield Case(m, "handling_times", klass, label, _call(cp.handling_times, t, as_of=value), expect, names=("as_of",))
    for klass, label, value, expect in date_param_variants("as_of"):
        yield Case(m, "sla_report", klass, label, _call(cp.sla_report, t, TARGETS, as_of=value), expect, names=("as_of",))
    yield Case(m, "sla_report", "legit", "tickets", _call(cp.sla_report, t, TARGETS, as_of=AS_OF), "ok",
               check=lambda r: None if r.loc["total", "tickets"] == 5 and r.loc["total", ["met", "breached", "pending"]].sum() == 5 else str(r))
    yield Case(m, "sla_report", "after_as_of", "resolved after as_of", _call(cp.sla_report, t, TARGETS, as_of="2025-05-06 20:00"),
               "error", names=("resolved_at", "first_response_at", "opened_at"))
    yield Case(m, "handling_times", "after_as_of", "answered after as_of", _call(cp.handling_times, t, as_of="2025-11-21 12:00"),
               "error", names=("first_response_at", "resolved_at"))
    yield Case(m, "handling_times", "after_as_of", "opened after as_of", _call(cp.handling_times, t, as_of="2025-03-01"),
               "error", names=("opened_at",))
    for tbad, klass, label in [({**TARGETS, "low": np.nan}, "nan_inf", "target NaN"), ({**TARGETS, "low": np.inf}, "nan_inf", "target inf"),
                               ({**TARGETS, "low": -1}, "domain", "negative target"), ({**TARGETS, "low": True}, "bool_text", "target True"),
                               ({**TARGETS, "low": "72"}, "bool_text", "target '72'"), ({"low": 72, "medium": 48}, "unmapped", "no target for high"),
                               ({**TARGETS, "urgent": 4}, "unmapped", "target for an unknown severity"), ([72, 48, 24], "two_d", "targets as a list")]:
        yield Case(m, "sla_report", klass, label, _call(cp.sla_report, t, tbad, as_of=AS_OF), "error", names=("targets",))
    for bad in ("Resolution", None, True):
        yield Case(m, "sla_report", "bool_text" if bad is True else "none_period" if bad is None else "domain", f"measure={bad!r}",
                   _call(cp.sla_report, t, TARGETS, as_of=AS_OF, measure=bad), "error", names=("measure",))
    for col in ("opened_at", "resolved_at"):
        yield Case(m, "validate_tickets", "ambiguous_date", f"ambiguous {col} text",
                   _call(cp.validate_tickets, t.assign(**{col: ["05/01/2025 10:00", "06/02/2025 10:00", "03/04/2025 10:00",
                                                                "07/08/2025 10:00", "09/10/2025 10:00"]})), "error", names=(col,))
        yield Case(m, "validate_tickets", "domain", f"{col} as numbers", _call(cp.validate_tickets, t.assign(**{col: [1, 2, 3, 4, 5]})),
                   "error", names=(col,))
    for klass, label, df, expect in column_variants(t, "satisfaction_after", low=1, high=5, whole=True):
        if "NaN" in label:
            continue  # missing satisfaction = not resolved (documented)
        if "without column" in label:
            continue
        yield Case(m, "validate_tickets", klass, label, _call(cp.validate_tickets, df), expect, names=("satisfaction_after",))
    yield Case(m, "validate_tickets", "unmapped", "an unknown severity", _call(cp.validate_tickets, t.assign(severity=["low", "urgent", "medium", "low", "high"])),
               "error", names=("severity",))
    yield Case(m, "validate_tickets", "unmapped", "an unknown category", _call(cp.validate_tickets, t.assign(category=["late"] * 5)),
               "error", names=("category",))
    yield Case(m, "validate_tickets", "duplicates", "a ticket exported twice", _call(cp.validate_tickets, pd.concat([t, t.iloc[[0]]], ignore_index=True)),
               "error", names=("ticket_id",))
    yield Case(m, "validate_tickets", "empty", "no tickets", _call(cp.validate_tickets, t.iloc[:0]), "error", names=("empty",))
    yield Case(m, "validate_tickets", "two_d", "an array", _call(cp.validate_tickets, t.to_numpy()), "error", names=("DataFrame",))
    yield Case(m, "cause_pareto", "legit", "tickets", _call(cp.cause_pareto, t), "ok",
               check=lambda r: None if r["tickets"].sum() == 5 and abs(r["share"].sum() - 1) < 1e-12 else str(r))
    for klass, label, value, expect in scalar_variants("cut", good=0.8, domain_bad=[0, 1.5, 80]):
        yield Case(m, "cause_pareto", klass, label, _call(cp.cause_pareto, t, cut=value), expect, names=("cut",))
    yield Case(m, "cause_pareto", "domain", "by a missing column", _call(cp.cause_pareto, t, by="reason"), "error", names=("reason",))
    yield Case(m, "repeat_complaints", "legit", "tickets", _call(cp.repeat_complaints, t), "ok",
               check=equals(pd.Series([False, True, False, False, False])))
    for klass, label, value, expect in scalar_variants("within_days", good=30, domain_bad=[0, -3]):
        if value is None:
            continue  # None = no limit (documented)
        yield Case(m, "repeat_complaints", klass, label, _call(cp.repeat_complaints, t, value), expect, names=("within_days",))
    sat = pd.Series([5, 3, 1, None], dtype="Int64")
    yield Case(m, "handling_groups", "legit", "satisfaction", _call(cp.handling_groups, sat), "ok",
               check=lambda r: None if r.astype(str).tolist() == ["well resolved", "middling", "badly resolved", "unresolved"] else str(r.tolist()))
    for bad, klass, label in [(pd.Series([5, 7]), "domain", "satisfaction 7"), (pd.Series([5, 0]), "domain", "satisfaction 0"),
                              (pd.Series([5, 3.5]), "domain", "satisfaction 3.5"), (pd.Series(["5", "good"]), "thousands", "satisfaction as text"),
                              (pd.Series([True, False]), "bool_text", "satisfaction as booleans"), (pd.Series([5, np.inf]), "nan_inf", "satisfaction inf"),
                              (np.array([[5, 3], [1, 2]]), "two_d", "satisfaction 2-D"), (pd.Series([], dtype=float), "empty", "no satisfaction")]:
        yield Case(m, "handling_groups", klass, label, _call(cp.handling_groups, bad), "error", names=("satisfaction",))
    for kw, klass, label in [({"good_from": 4.5}, "domain", "good_from=4.5"), ({"bad_to": True}, "bool_text", "bad_to=True"),
                             ({"good_from": float("nan")}, "nan_inf", "good_from=nan"), ({"good_from": "4"}, "bool_text", "good_from='4'")]:
        yield Case(m, "handling_groups", klass, label, _call(cp.handling_groups, sat, **kw), "error", names=tuple(kw))
    o = orders()
    yield Case(m, "recovery_outcomes", "legit", "tickets and orders", _call(cp.recovery_outcomes, t, o, end="2025-12-31", window_days=60, n_boot=20),
               "ok", check=lambda r: None if len(r.units) > 0 and within(0, 1)(r.summary["rate"]) is None else "bad summary")
    yield Case(m, "recovery_outcomes", "join_ids", "a ticket about an unknown order",
               _call(cp.recovery_outcomes, t.assign(order_id=["O001", "O003", "O004", "O006", "O999"]), o, end="2025-12-31", n_boot=20),
               "error", names=("order_id",))
    for klass, label, value, expect in date_param_variants("end"):
        yield Case(m, "recovery_outcomes", klass, label, _call(cp.recovery_outcomes, t, o, end=value, n_boot=20), expect, names=("end",))
    for klass, label, value, expect in scalar_variants("window_days", good=60, domain_bad=[0, -5, 2.5]):
        yield Case(m, "recovery_outcomes", klass, label, _call(cp.recovery_outcomes, t, o, end="2025-12-31", window_days=value, n_boot=20),
                   expect, names=("window_days",))
    for klass, label, value, expect in scalar_variants("n_boot", good=20, domain_bad=[0, -1, 2.5]):
        yield Case(m, "recovery_outcomes", klass, label, _call(cp.recovery_outcomes, t, o, end="2025-12-31", n_boot=value),
                   expect, names=("n_boot",))
    yield Case(m, "recovery_outcomes", "ambiguous_date", "ambiguous order dates",
               _call(cp.recovery_outcomes, t, o.assign(order_date=ambiguous_dates(12, 9)), end="2025-12-31", n_boot=20), "error",
               names=("order_date",))
    yield Case(m, "recovery_outcomes", "after_as_of", "orders after end",
               _call(cp.recovery_outcomes, t, o, end="2025-06-30", window_days=30, n_boot=20), "error", names=("end", "order_date"))
    yield Case(m, "split_the_difference", "legit", "offer and ask", _call(cp.split_the_difference, 100, 300, 3), "ok",
               check=close_to([200.0, 250.0, 275.0]))
    for klass, label, value, expect in scalar_variants("offer", good=100, domain_bad=[]):
        yield Case(m, "split_the_difference", klass, label, _call(cp.split_the_difference, value, 300), expect, names=("offer",),
                   check=finite_numbers)
    for klass, label, value, expect in scalar_variants("rounds", good=1, domain_bad=[0, 1.5, -2]):
        yield Case(m, "split_the_difference", klass, label, _call(cp.split_the_difference, 100, 300, value), expect, names=("rounds",))


def cases_cohorts() -> Iterator[Case]:
    from cvmlib import cohorts as ch

    m = "cohorts"
    o = orders()
    yield Case(m, "cohort_retention", "legit", "orders", _call(ch.cohort_retention, o, observation_end="2025-12-31"), "ok",
               check=lambda r: within(0, 1)(r) or (None if (r[0] == 1).all() else "age 0 is not 1"))
    yield Case(m, "cohort_counts", "duplicates", "an order row twice (customers are counted once)",
               _call(ch.cohort_counts, pd.concat([o, o.iloc[[0]]], ignore_index=True), observation_end="2025-12-31"), "ok",
               check=lambda r: equals(ch.cohort_counts(o, observation_end="2025-12-31"))(r))
    for fname, fn in (("cohort_counts", ch.cohort_counts), ("cohort_retention", ch.cohort_retention)):
        for klass, label, value, expect in date_param_variants("observation_end"):
            if value is None:
                continue
            yield Case(m, fname, klass, label, (lambda fn=fn, value=value: fn(o, observation_end=value)), expect,
                       names=("observation_end",))
        yield Case(m, fname, "after_as_of", "purchases after observation_end", (lambda fn=fn: fn(o, observation_end="2025-06-30")),
                   "error", names=("observation_end",))
        yield Case(m, fname, "ambiguous_date", "ambiguous order dates", (lambda fn=fn: fn(o.assign(order_date=ambiguous_dates(12, 5)))),
                   "error", names=("order_date",))
        for bad, klass in [("D", "domain"), (None, "none_period"), (True, "bool_text"), ("m", "domain")]:
            yield Case(m, fname, klass, f"period={bad!r}", (lambda fn=fn, bad=bad: fn(o, period=bad, observation_end="2025-12-31")),
                       "error", names=("period",))
        for klass, label, df, expect in column_variants(o, "customer_id", numeric=False):
            yield Case(m, fname, klass, label, (lambda fn=fn, df=df: fn(df, observation_end="2025-12-31")), expect, names=("customer_id",))
        yield Case(m, fname, "empty", "an empty selection", (lambda fn=fn: fn(o[o["amount"] > 1e9], observation_end="2025-12-31")),
                   "error", names=("empty",))
    counts = ch.cohort_counts(o, observation_end="2025-12-31")
    yield Case(m, "retention_curve", "legit", "counts", _call(ch.retention_curve, counts), "ok", check=within(0, 1))
    for bad, klass, label in [(with_column(counts, 0, counts[0].where(counts.index != counts.index[0])), "nan_inf", "a cohort size NaN"),
                              (counts * -1, "domain", "negative counts"), (counts.iloc[:0], "empty", "no cohorts"),
                              (with_column(counts, 1, counts[1] + 100), "domain", "more active than the cohort"),
                              (counts.astype(bool), "bool_text", "counts as booleans"), (counts.to_numpy(), "two_d", "an array")]:
        yield Case(m, "retention_curve", klass, label, _call(ch.retention_curve, bad), "error", names=("counts",))


def cases_holdout() -> Iterator[Case]:
    from cvmlib import holdout as ho
    from cvmlib.clv import BetaGeo, summarize_purchases

    m = "holdout"
    tx = btyd_transactions()
    cal = summarize_purchases(tx, "customer_id", "order_date", calibration_end="2024-12-31", observation_end="2025-06-30", unit="W")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = BetaGeo().fit(cal["frequency"], cal["recency"], cal["T"])
    yield Case(m, "period_transactions", "legit", "summary", _call(ho.period_transactions, model, cal), "ok",
               check=lambda r: None if abs(r["actual"].sum() - len(cal)) < 1e-9 and abs(r["model"].sum() - len(cal)) < 1e-6 and _finite(r.to_numpy()) else str(r))
    yield Case(m, "calibration_holdout", "legit", "summary", _call(ho.calibration_holdout, model, cal), "ok",
               check=lambda r: None if r["customers"].sum() == len(cal) else str(r))
    for fname, fn in (("period_transactions", ho.period_transactions), ("calibration_holdout", ho.calibration_holdout)):
        for col in ("frequency", "T"):
            for klass, label, df, expect in column_variants(cal, col, whole=col == "frequency"):
                yield Case(m, fname, klass, label, (lambda fn=fn, df=df: fn(model, df)), expect, names=(col,),
                           check=finite_numbers)
        yield Case(m, fname, "two_d", "summary as an array", (lambda fn=fn: fn(model, cal.to_numpy())), "error", names=("summary",))
        yield Case(m, fname, "domain", "not a model", (lambda fn=fn: fn("BetaGeo", cal)), "error", names=("model",))
    for klass, label, value, expect in scalar_variants("max_count", good=7, domain_bad=[0, -1, 2.5]):
        yield Case(m, "period_transactions", klass, label, _call(ho.period_transactions, model, cal, value), expect, names=("max_count",))
    for klass, label, value, expect in scalar_variants("max_frequency", good=7, domain_bad=[0, -1, 2.5]):
        yield Case(m, "calibration_holdout", klass, label, _call(ho.calibration_holdout, model, cal, value), expect, names=("max_frequency",))
    for klass, label, df, expect in column_variants(cal, "frequency_holdout", whole=True):
        yield Case(m, "calibration_holdout", klass, label, _call(ho.calibration_holdout, model, df), expect, names=("frequency_holdout",),
                   check=finite_numbers)
    yield Case(m, "cumulative_tracking", "legit", "transactions",
               _call(ho.cumulative_tracking, model, tx, "customer_id", "order_date", "2024-12-31", "2025-06-30"), "ok",
               check=lambda r: None if r["actual"].is_monotonic_increasing and _finite(r[["actual", "model"]].to_numpy()) else str(r))
    for klass, label, value, expect in date_param_variants("calibration_end"):
        yield Case(m, "cumulative_tracking", klass, label,
                   _call(ho.cumulative_tracking, model, tx, "customer_id", "order_date", value, "2025-06-30"), expect,
                   names=("calibration_end",))
    for klass, label, value, expect in date_param_variants("observation_end"):
        yield Case(m, "cumulative_tracking", klass, label,
                   _call(ho.cumulative_tracking, model, tx, "customer_id", "order_date", "2024-12-31", value), expect,
                   names=("observation_end",))
    yield Case(m, "cumulative_tracking", "after_as_of", "calibration_end after observation_end",
               _call(ho.cumulative_tracking, model, tx, "customer_id", "order_date", "2025-08-01", "2025-06-30"), "error",
               names=("calibration_end",))
    yield Case(m, "cumulative_tracking", "duplicates", "a purchase row twice (days are counted once)",
               _call(ho.cumulative_tracking, model, pd.concat([tx, tx.iloc[[0]]], ignore_index=True).drop(columns="order_id"),
                     "customer_id", "order_date", "2024-12-31", "2025-06-30"), "ok",
               check=lambda r: equals(ho.cumulative_tracking(model, tx.drop(columns="order_id"), "customer_id", "order_date",
                                                             "2024-12-31", "2025-06-30"))(r))
    for bad, klass in [("Y", "domain"), (None, "none_period"), (True, "bool_text")]:
        yield Case(m, "cumulative_tracking", klass, f"unit={bad!r}",
                   _call(ho.cumulative_tracking, model, tx, "customer_id", "order_date", "2024-12-31", "2025-06-30", bad), "error",
                   names=("unit",))


def cases_datasets() -> Iterator[Case]:
    from cvmlib import datasets as ds

    m = "datasets"
    for bad, klass in [("False", "bool_text"), (0, "bool_text"), (None, "bool_text"), ("no", "bool_text"), (1, "bool_text")]:
        yield Case(m, "load_cdnow", klass, f"sample={bad!r}", _call(ds.load_cdnow, bad), "error", names=("sample",), budget=30)
    yield Case(m, "load_cdnow", "legit", "the sample", _call(ds.load_cdnow), "ok",
               check=lambda r: None if len(r) == 6919 and r["customer_id"].nunique() == 2357 else str(r.shape), budget=30)
    yield Case(m, "data_path", "domain", "an unknown group", _call(ds.data_path, "retail", "orders.csv"), "error", names=("retail", "group"))
    yield Case(m, "data_path", "domain", "a path outside the data", _call(ds.data_path, "retailer", "../../pyproject.toml"), "error",
               names=("name", "pyproject"))
    yield Case(m, "data_path", "bool_text", "group=None", _call(ds.data_path, None, "orders.csv"), "error", names=("group",))
    for fname in ("load_orders", "load_customers", "load_complaints", "load_survey", "load_truth", "load_orders_raw"):
        yield Case(m, fname, "legit", "the shipped file", _call(getattr(ds, fname)), "ok", check=not_empty, budget=30)


def cases_plotting() -> Iterator[Case]:
    from cvmlib import plotting as pl

    m = "plotting"
    sc = scores_table()
    yield Case(m, "rfm_heatmap", "legit", "scores", _call(pl.rfm_heatmap, sc), "ok", check=is_axes)
    for col in ("R", "F"):
        for klass, label, df, expect in column_variants(sc, col, low=1, high=5, whole=True):
            yield Case(m, "rfm_heatmap", klass, label, _call(pl.rfm_heatmap, df), expect, names=(col,))
    mon = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0], index=sc.index, name="monetary")
    for klass, label, value, expect in series_variants(mon, "value", negative_ok=True):
        if klass == "empty":
            continue
        yield Case(m, "rfm_heatmap", klass, label, _call(pl.rfm_heatmap, sc, value), expect, names=("value",), check=is_axes)
    yield Case(m, "rfm_heatmap", "join_ids", "value of other customers", _call(pl.rfm_heatmap, sc, mon.set_axis(list("abcde"))),
               "error", names=("value",))
    for klass, label, value, expect in scalar_variants("bins", good=5, domain_bad=[0, 1, 2.5]):
        yield Case(m, "rfm_heatmap", klass, label, _call(pl.rfm_heatmap, sc, bins=value), expect, names=("bins",))
    summ = pd.DataFrame({"customer_share": [0.2, 0.8], "revenue_share": [0.6, 0.4]}, index=pd.Index(["Champions", "Lost"], name="segment"))
    yield Case(m, "segment_bars", "legit", "summary", _call(pl.segment_bars, summ), "ok", check=is_axes)
    for col in ("customer_share", "revenue_share"):
        for klass, label, df, expect in column_variants(summ, col, low=0, high=1):
            yield Case(m, "segment_bars", klass, label, _call(pl.segment_bars, df), expect, names=(col,))
    f = features()
    lab = pd.Series([0] * 10 + [1] * 10, index=f.index)
    yield Case(m, "cluster_profile_heatmap", "legit", "features", _call(pl.cluster_profile_heatmap, f, lab), "ok", check=is_axes)
    for klass, label, df, expect in column_variants(f, "monetary", negative_ok=True):
        if "without" in label:
            continue
        yield Case(m, "cluster_profile_heatmap", klass, label, _call(pl.cluster_profile_heatmap, df, lab), expect, names=("monetary",))
    yield Case(m, "cluster_profile_heatmap", "join_ids", "labels of other customers",
               _call(pl.cluster_profile_heatmap, f, lab.set_axis(range(20))), "error", names=("labels",))
    proj = pd.DataFrame({"pc1": np.arange(20.0), "pc2": np.arange(20.0)[::-1]}, index=f.index)
    yield Case(m, "cluster_projection", "legit", "projection", _call(pl.cluster_projection, proj, lab), "ok", check=is_axes)
    yield Case(m, "cluster_projection", "join_ids", "labels missing customers", _call(pl.cluster_projection, proj, lab.iloc[:-3]),
               "error", names=("labels",))
    for klass, label, df, expect in column_variants(proj, "pc1", negative_ok=True):
        yield Case(m, "cluster_projection", klass, label, _call(pl.cluster_projection, df, lab), expect, names=("pc1",))
    v = values()
    yield Case(m, "lorenz_plot", "legit", "values", _call(pl.lorenz_plot, v), "ok", check=is_axes)
    for klass, label, value, expect in series_variants(v, "values"):
        yield Case(m, "lorenz_plot", klass, label, _call(pl.lorenz_plot, value), expect, names=("values",), check=is_axes)
    for klass, label, value, expect in scalar_variants("top", good=0.2, domain_bad=[1.5, 20]):
        yield Case(m, "lorenz_plot", klass, label, _call(pl.lorenz_plot, v, top=value), expect, names=("top",))
    cur = pd.Series({"a": 900.0, "b": 800.0, "c": 100.0, "d": 50.0})
    pot = pd.Series({"a": 500.0, "b": 20.0, "c": 700.0, "d": 0.0})
    yield Case(m, "value_matrix_plot", "legit", "current and potential", _call(pl.value_matrix_plot, cur, pot, 500, 300), "ok", check=is_axes)
    for klass, label, value, expect in series_variants(cur, "current"):
        yield Case(m, "value_matrix_plot", klass, label, _call(pl.value_matrix_plot, value, pot, 500, 300), expect, names=("current",))
    yield Case(m, "value_matrix_plot", "domain", "current value 0 on a log axis", _call(pl.value_matrix_plot, cur.replace(50.0, 0.0), pot, 500, 300),
               "error", names=("current",))
    audit = pd.DataFrame({"cost": [2.9, 3.6], "convenience": [3.4, 3.1]}, index=["basic", "gold"])
    yield Case(m, "four_c_heatmap", "legit", "audit", _call(pl.four_c_heatmap, audit, ["cost", "convenience"]), "ok", check=is_axes)
    for klass, label, df, expect in column_variants(audit, "cost", low=1, high=5):
        yield Case(m, "four_c_heatmap", klass, label, _call(pl.four_c_heatmap, df, ["cost", "convenience"]), expect, names=("cost",))
    nps_s = pd.Series([10, 9, 7, 3, 0, 6])
    yield Case(m, "nps_distribution_plot", "legit", "answers", _call(pl.nps_distribution_plot, nps_s), "ok", check=is_axes)
    for klass, label, value, expect in series_variants(nps_s.astype(float), "nps"):
        yield Case(m, "nps_distribution_plot", klass, label, _call(pl.nps_distribution_plot, value), expect, names=("nps", "scores"))
    ret = pd.DataFrame({0: [1.0, 1.0], 1: [0.5, np.nan]}, index=["2024-01", "2024-02"])
    yield Case(m, "cohort_heatmap", "legit", "retention", _call(pl.cohort_heatmap, ret), "ok", check=is_axes)
    yield Case(m, "retention_curves_plot", "legit", "retention", _call(pl.retention_curves_plot, ret), "ok", check=is_axes)
    for bad, klass, label in [(ret * 100, "domain", "retention in percent"), (with_column(ret, 1, [np.inf, np.nan]), "nan_inf", "retention inf"),
                              (ret.astype(str), "thousands", "retention as text"), (ret.iloc[:0], "empty", "no cohorts"),
                              (ret.to_numpy(), "two_d", "an array")]:
        yield Case(m, "cohort_heatmap", klass, label, _call(pl.cohort_heatmap, bad), "error", names=("retention",))
        yield Case(m, "retention_curves_plot", klass, label, _call(pl.retention_curves_plot, bad), "error", names=("retention",))
    yield Case(m, "cohort_heatmap", "join_ids", "sizes of other cohorts", _call(pl.cohort_heatmap, ret, sizes=pd.Series([5, 8], index=["x", "y"])),
               "error", names=("sizes",))
    for klass, label, value, expect in scalar_variants("every", good=3, domain_bad=[0, -1, 1.5]):
        yield Case(m, "retention_curves_plot", klass, label, _call(pl.retention_curves_plot, ret, every=value), expect, names=("every",))
    yield Case(m, "clv_cumulative_plot", "legit", "inputs", _call(pl.clv_cumulative_plot, 100.0, 0.8, 0.1, 5), "ok", check=is_axes)
    for klass, label, value, expect in scalar_variants("retention", good=0.8, domain_bad=[1.5, 80, -0.1]):
        yield Case(m, "clv_cumulative_plot", klass, label, _call(pl.clv_cumulative_plot, 100.0, value, 0.1, 5), expect, names=("retention",))
    for klass, label, value, expect in scalar_variants("horizon", good=5, domain_bad=[0, 2.5]):
        yield Case(m, "clv_cumulative_plot", klass, label, _call(pl.clv_cumulative_plot, 100.0, 0.8, 0.1, value), expect, names=("horizon",))
    pt = pd.DataFrame({"actual": [5.0, 3.0], "model": [4.5, 3.5]}, index=["0", "1+"])
    yield Case(m, "period_transactions_plot", "legit", "table", _call(pl.period_transactions_plot, pt), "ok", check=is_axes)
    ch_t = pd.DataFrame({"customers": [9, 3], "actual": [0.2, 1.5], "model": [0.25, 1.4]}, index=["0", "1+"])
    yield Case(m, "calibration_holdout_plot", "legit", "table", _call(pl.calibration_holdout_plot, ch_t), "ok", check=is_axes)
    days = pd.date_range("2024-01-07", periods=3, freq="7D")
    tr = pd.DataFrame({"actual": [1.0, 3.0, 4.0], "model": [1.2, 2.5, 4.1], "holdout": [False, False, True]}, index=days)
    yield Case(m, "tracking_plot", "legit", "table", _call(pl.tracking_plot, tr), "ok", check=is_axes)
    for fname, fn, table, col in (("period_transactions_plot", pl.period_transactions_plot, pt, "model"),
                                  ("calibration_holdout_plot", pl.calibration_holdout_plot, ch_t, "model"),
                                  ("tracking_plot", pl.tracking_plot, tr, "model")):
        for klass, label, df, expect in column_variants(table, col):
            if fname == "calibration_holdout_plot" and "NaN" in label:
                expect = "either"  # a group without customers is NaN in calibration_holdout (a gap)
            yield Case(m, fname, klass, label, (lambda fn=fn, df=df: fn(df)), expect, names=(col,), check=is_axes)
        yield Case(m, fname, "two_d", "an array", (lambda fn=fn, table=table: fn(table.to_numpy())), "error", names=("table",))
    yield Case(m, "tracking_plot", "bool_text", "holdout as text", _call(pl.tracking_plot, tr.assign(holdout=["False", "False", "True"])),
               "error", names=("holdout",))
    cpt = pd.DataFrame({"tickets": [6, 3, 1], "cumulative_share": [0.6, 0.9, 1.0], "vital_few": [True, True, False]}, index=["a", "b", "c"])
    yield Case(m, "cause_pareto_plot", "legit", "table", _call(pl.cause_pareto_plot, cpt), "ok", check=is_axes)
    for klass, label, df, expect in column_variants(cpt, "cumulative_share", low=0, high=1):
        yield Case(m, "cause_pareto_plot", klass, label, _call(pl.cause_pareto_plot, df), expect, names=("cumulative_share",))
    yield Case(m, "cause_pareto_plot", "bool_text", "vital_few as text", _call(pl.cause_pareto_plot, cpt.assign(vital_few=["True", "False", "False"])),
               "error", names=("vital_few",))
    ticket = pd.Series({"ticket_id": "T1", "severity": "high", "opened_at": pd.Timestamp("2025-03-01 09:00"),
                        "first_response_at": pd.Timestamp("2025-03-01 12:00"), "resolved_at": pd.Timestamp("2025-03-03 09:00")})
    yield Case(m, "ticket_timeline_plot", "legit", "a ticket", _call(pl.ticket_timeline_plot, ticket, {"first_response": 1, "resolution": 24}),
               "ok", check=is_axes)
    for tg, klass, label in [({"first_response": np.nan, "resolution": 24}, "nan_inf", "target NaN"),
                             ({"first_response": -1, "resolution": 24}, "domain", "negative target"),
                             ({"resolution": 24}, "unmapped", "no first_response target"),
                             ({"first_response": "1", "resolution": 24}, "bool_text", "target '1'")]:
        yield Case(m, "ticket_timeline_plot", klass, label, _call(pl.ticket_timeline_plot, ticket, tg), "error", names=("targets", "first_response"))
    for klass, label, value, expect in date_param_variants("as_of"):
        if value is None:
            continue
        yield Case(m, "ticket_timeline_plot", klass, label,
                   _call(pl.ticket_timeline_plot, ticket.drop("resolved_at"), {"first_response": 1, "resolution": 24}, as_of=value),
                   expect, names=("as_of",))
    yield Case(m, "ticket_timeline_plot", "after_as_of", "resolved after as_of",
               _call(pl.ticket_timeline_plot, ticket, {"first_response": 1, "resolution": 24}, as_of="2025-03-02"),
               "error", names=("as_of", "resolved_at"))
    rs = pd.DataFrame({"rate": [0.8, 0.5], "ci_low": [0.7, 0.4], "ci_high": [0.9, 0.6], "adjusted_rate": [0.78, 0.5]},
                      index=["well resolved", "no complaint"])
    yield Case(m, "recovery_plot", "legit", "summary", _call(pl.recovery_plot, rs), "ok", check=is_axes)
    for klass, label, df, expect in column_variants(rs, "rate", low=0, high=1):
        yield Case(m, "recovery_plot", klass, label, _call(pl.recovery_plot, df), expect, names=("rate",))


def cases_clv() -> Iterator[Case]:
    from cvmlib import clv

    m = "clv"
    tx = btyd_transactions()
    yield Case(m, "summarize_purchases", "legit", "transactions",
               _call(clv.summarize_purchases, tx, "customer_id", "order_date", "amount", observation_end="2025-12-31"), "ok",
               check=all_of(finite_numbers, lambda r: None if len(r) == tx["customer_id"].nunique() else "customers lost"))
    days = tx.assign(day=tx["order_date"].dt.normalize()).groupby("customer_id")["day"]
    ref_freq = days.nunique() - 1
    yield Case(m, "summarize_purchases", "legit", "frequency = distinct days - 1",
               _call(clv.summarize_purchases, tx, "customer_id", "order_date", observation_end="2025-12-31"), "ok",
               check=lambda r: equals(ref_freq.rename("frequency"))(r["frequency"]))
    for klass, label, df, expect in column_variants(tx, "amount"):
        yield Case(m, "summarize_purchases", klass, label,
                   _call(clv.summarize_purchases, df, "customer_id", "order_date", "amount", observation_end="2025-12-31"), expect,
                   names=("amount",), says=("thousands",) if klass == "thousands" else (), check=finite_numbers)
    for klass, label, df, expect in column_variants(tx, "order_date", numeric=False):
        yield Case(m, "summarize_purchases", klass, label,
                   _call(clv.summarize_purchases, df, "customer_id", "order_date", observation_end="2025-12-31"), expect,
                   names=("order_date",))
    for pname in ("calibration_end", "observation_end"):
        for klass, label, value, expect in date_param_variants(pname):
            if value is None:
                continue
            kw = {"calibration_end": "2024-12-31", "observation_end": "2025-12-31", pname: value}
            yield Case(m, "summarize_purchases", klass, label,
                       _call(clv.summarize_purchases, tx, "customer_id", "order_date", **kw), expect, names=(pname,))
    yield Case(m, "summarize_purchases", "ambiguous_date", "ambiguous text dates",
               _call(clv.summarize_purchases, tx.assign(order_date=ambiguous_dates(len(tx), 11)), "customer_id", "order_date"),
               "error", names=("order_date",))
    yield Case(m, "summarize_purchases", "after_as_of", "purchases after observation_end",
               _call(clv.summarize_purchases, tx, "customer_id", "order_date", observation_end="2025-01-31"), "either",
               names=("observation_end",), check=lambda r: None)
    dup = pd.concat([tx, tx.iloc[[0, 5]]], ignore_index=True).drop(columns="order_id")
    yield Case(m, "summarize_purchases", "duplicates", "exact duplicates without an amount column",
               _call(clv.summarize_purchases, dup.drop(columns="amount"), "customer_id", "order_date", observation_end="2025-12-31"), "ok",
               check=lambda r: equals(ref_freq.rename("frequency"))(r["frequency"]))
    yield Case(m, "summarize_purchases", "duplicates", "exact duplicates with amounts",
               _call(clv.summarize_purchases, dup, "customer_id", "order_date", "amount", observation_end="2025-12-31"), "error",
               names=("duplicate",))
    from cvmlib.datasets import load_cdnow
    yield Case(m, "summarize_purchases", "duplicates", "the shipped CDNOW sample, as loaded",
               lambda: clv.summarize_purchases(load_cdnow(), "customer_id", "order_date", "amount", observation_end="1998-06-30",
                                               returns="net"), "ok",
               check=lambda r: None if len(r) == 2357 and _finite(r.to_numpy()) else str(r.shape), budget=30)
    for bad, klass in [("Y", "domain"), (None, "none_period"), (True, "bool_text")]:
        yield Case(m, "summarize_purchases", klass, f"unit={bad!r}",
                   _call(clv.summarize_purchases, tx, "customer_id", "order_date", unit=bad, observation_end="2025-12-31"), "error",
                   names=("unit",))

    s = btyd_summary()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bg = clv.BetaGeo().fit(s["frequency"], s["recency"], s["T"])
        pn = clv.ParetoNBD().fit(s["frequency"], s["recency"], s["T"])
        gg = clv.GammaGamma().fit(s["frequency"], s["monetary_value"])
    for mname, model in (("BetaGeo", bg), ("ParetoNBD", pn)):
        cls = type(model)
        yield Case(m, f"{mname}.fit", "legit", "summary", lambda cls=cls: cls().fit(s["frequency"], s["recency"], s["T"]), "ok",
                   check=lambda r: None if all(np.isfinite(v) and v > 0 for v in r.params_.values()) else str(r.params_))
        for col in ("frequency", "recency", "T"):
            base = s[col]
            for klass, label, value, expect in series_variants(base, col):
                def fit(value: Any = value, col: str = col, cls: Any = cls) -> Any:
                    args = {"frequency": s["frequency"], "recency": s["recency"], "T": s["T"], col: value}
                    return cls().fit(args["frequency"], args["recency"], args["T"])
                yield Case(m, f"{mname}.fit", klass, label, fit, expect, names=(col,),
                           check=lambda r: None if all(np.isfinite(v) for v in r.params_.values()) else str(r.params_))

                def predict(value: Any = value, col: str = col, model: Any = model) -> Any:
                    args = {"frequency": s["frequency"], "recency": s["recency"], "T": s["T"], col: value}
                    return model.expected_purchases(4.0, args["frequency"], args["recency"], args["T"])
                yield Case(m, f"{mname}.expected_purchases", klass, label, predict, expect, names=(col,),
                           check=all_of(finite_numbers, lambda r: None if np.shape(r) == (len(s),) else f"shape {np.shape(r)}"))

                def alive(value: Any = value, col: str = col, model: Any = model) -> Any:
                    args = {"frequency": s["frequency"], "recency": s["recency"], "T": s["T"], col: value}
                    return model.p_alive(args["frequency"], args["recency"], args["T"])
                yield Case(m, f"{mname}.p_alive", klass, label, alive, expect, names=(col,),
                           check=all_of(within(0, 1), lambda r: None if np.shape(r) == (len(s),) else f"shape {np.shape(r)}"))
        for klass, label, value, expect in scalar_variants("t", good=4.0, domain_bad=[-1.0]):
            if value == np.inf:
                expect = "either"  # an infinite horizon has a limit: a number, never NaN
            yield Case(m, f"{mname}.expected_purchases", klass, label,
                       lambda value=value, model=model: model.expected_purchases(value, s["frequency"], s["recency"], s["T"]),
                       expect, names=("t",), check=finite_numbers)
            # the population curve takes a grid of horizons (an array shaped like t): a list is legitimate
            yield Case(m, f"{mname}.expected_purchases_population", klass, label,
                       lambda value=value, model=model: model.expected_purchases_population(value),
                       "either" if klass == "two_d" else expect, names=("t",), check=finite_numbers)
        yield Case(m, f"{mname}.expected_purchases", "nan_inf", "t=inf: the limit, not NaN",
                   lambda model=model: model.expected_purchases(np.inf, s["frequency"], s["recency"], s["T"]), "either",
                   names=("t",), check=finite_numbers)
        yield Case(m, f"{mname}.purchase_count_probability", "legit", "n=0..3, t=10",
                   lambda model=model: model.purchase_count_probability(np.arange(4), 10.0), "ok", check=within(0, 1))
        for bad, klass in [(-1, "domain"), (1.5, "domain"), (True, "bool_text"), (np.nan, "nan_inf"), ("2", "bool_text")]:
            yield Case(m, f"{mname}.purchase_count_probability", klass, f"n={bad!r}",
                       lambda bad=bad, model=model: model.purchase_count_probability(bad, 10.0), "error", names=("n",))
        for klass, label, value, expect in series_variants(s["frequency"], "weights"):
            if klass in ("domain",):
                pass
            yield Case(m, f"{mname}.fit", klass, f"{label} (weights)",
                       lambda value=value, cls=cls: cls().fit(s["frequency"], s["recency"], s["T"], weights=value), expect,
                       names=("weights",), check=lambda r: None if all(np.isfinite(v) for v in r.params_.values()) else str(r.params_))
    no_churn = s.assign(recency=s["T"].where(s["frequency"] > 0, 0.0))
    yield Case(m, "ParetoNBD.fit", "legit", "data without churn (every repeat buyer active at T): bounded time",
               lambda: clv.ParetoNBD().fit(no_churn["frequency"].to_numpy().repeat(200), no_churn["recency"].to_numpy().repeat(200),
                                           no_churn["T"].to_numpy().repeat(200) + np.tile(np.arange(200) * 0.01, len(no_churn))),
               "ok", check=lambda r: None, budget=30)
    yield Case(m, "GammaGamma.fit", "legit", "summary", lambda: clv.GammaGamma().fit(s["frequency"], s["monetary_value"]), "ok",
               check=lambda r: None if all(np.isfinite(v) and v > 0 for v in r.params_.values()) else str(r.params_))
    for col in ("frequency", "monetary_value"):
        for klass, label, value, expect in series_variants(s[col], col):
            def gfit(value: Any = value, col: str = col) -> Any:
                args = {"frequency": s["frequency"], "monetary_value": s["monetary_value"], col: value}
                return clv.GammaGamma().fit(args["frequency"], args["monetary_value"])
            yield Case(m, "GammaGamma.fit", klass, label, gfit, expect, names=(col,),
                       check=lambda r: None if all(np.isfinite(v) for v in r.params_.values()) else str(r.params_))

            def spend(value: Any = value, col: str = col) -> Any:
                args = {"frequency": s["frequency"], "monetary_value": s["monetary_value"], col: value}
                return gg.conditional_expected_average_profit(args["frequency"], args["monetary_value"])
            yield Case(m, "GammaGamma.conditional_expected_average_profit", klass, label, spend, expect, names=(col,),
                       check=all_of(finite_numbers, lambda r: None if (np.asarray(r) > 0).all() else "non-positive spend"))
    heavy = s.assign(monetary_value=np.where(s["frequency"] > 0, np.exp(np.random.default_rng(1).normal(3, 2.5, len(s))), 0.0))

    def heavy_spend() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = clv.GammaGamma().fit(heavy["frequency"], heavy["monetary_value"])
        return model.conditional_expected_average_profit(heavy["frequency"], heavy["monetary_value"])
    yield Case(m, "GammaGamma.conditional_expected_average_profit", "domain", "heavy-tailed spend (q <= 1): spend stays positive",
               heavy_spend, "either", names=("q",), check=all_of(finite_numbers, lambda r: None if (np.asarray(r) > 0).all() else "negative spend"))
    yield Case(m, "simple_clv", "legit", "m r / (1 + d - r)", _call(clv.simple_clv, 100, 0.8, 0.1), "ok", check=close_to(100 * 0.8 / 0.3))
    yield Case(m, "simple_clv", "legit", "finite horizon", _call(clv.simple_clv, 100, 0.8, 0.1, 3), "ok",
               check=close_to(sum(100 * 0.8 ** t / 1.1 ** t for t in range(1, 4))))
    for pname, good, dom in (("margin", 100.0, [-100.0]), ("retention", 0.8, [1.5, 80, -0.2]), ("discount", 0.1, [-1.0, -2.0])):
        for klass, label, value, expect in scalar_variants(pname, good=good, domain_bad=dom):
            kw = {"margin": 100.0, "retention": 0.8, "discount": 0.1, pname: value}
            yield Case(m, "simple_clv", klass, label, _call(clv.simple_clv, **kw), expect, names=(pname,), check=finite_numbers)
            yield Case(m, "simple_clv_buildup", klass, label, _call(clv.simple_clv_buildup, horizon=5, **kw), expect, names=(pname,),
                       check=finite_numbers)
    for klass, label, value, expect in scalar_variants("horizon", good=5, domain_bad=[0, -1, 2.5]):
        if value is None:
            continue  # None = forever (documented for simple_clv)
        yield Case(m, "simple_clv", klass, label, _call(clv.simple_clv, 100, 0.8, 0.1, value), expect, names=("horizon",))
        yield Case(m, "simple_clv_buildup", klass, label, _call(clv.simple_clv_buildup, 100, 0.8, 0.1, value), expect, names=("horizon",))
    yield Case(m, "customer_lifetime_value", "legit", "BG/NBD + Gamma-Gamma",
               _call(clv.customer_lifetime_value, bg, gg, s["frequency"], s["recency"], s["T"], s["monetary_value"], 12, 0.01), "ok",
               check=all_of(finite_numbers, lambda r: None if (np.asarray(r) >= 0).all() and np.shape(r) == (len(s),) else "negative or reshaped"))
    for col in ("frequency", "recency", "T", "monetary_value"):
        for klass, label, value, expect in series_variants(s[col], col):
            def clv_call(value: Any = value, col: str = col) -> Any:
                args = {c: s[c] for c in ("frequency", "recency", "T", "monetary_value")}
                args[col] = value
                return clv.customer_lifetime_value(bg, gg, args["frequency"], args["recency"], args["T"], args["monetary_value"], 12, 0.01)
            yield Case(m, "customer_lifetime_value", klass, label, clv_call, expect, names=(col,),
                       check=all_of(finite_numbers, lambda r: None if np.shape(r) == (len(s),) and (np.asarray(r) >= 0).all() else "bad shape/sign"))
    for pname, good, dom in (("horizon", 12, [0, -1, 2.5]), ("discount_rate", 0.01, [-1.0, -1.5]), ("margin", 1.0, [-0.5, 1.5, 30])):
        for klass, label, value, expect in scalar_variants(pname, good=good, domain_bad=dom):
            kw = {"horizon": 12, "discount_rate": 0.01, pname: value}
            yield Case(m, "customer_lifetime_value", klass, label,
                       _call(clv.customer_lifetime_value, bg, gg, s["frequency"], s["recency"], s["T"], s["monetary_value"], **kw),
                       expect, names=(pname,), check=finite_numbers)
    for pname in ("unit", "period"):
        for bad, klass in [("Y", "domain"), (None, "none_period"), (True, "bool_text")]:
            yield Case(m, "customer_lifetime_value", klass, f"{pname}={bad!r}",
                       _call(clv.customer_lifetime_value, bg, gg, s["frequency"], s["recency"], s["T"], s["monetary_value"], 12, 0.01,
                             **{pname: bad}), "error", names=(pname,))
    yield Case(m, "customer_lifetime_value", "domain", "not a purchase model",
               _call(clv.customer_lifetime_value, "bg", gg, s["frequency"], s["recency"], s["T"], s["monetary_value"], 12, 0.01),
               "error", names=("purchase_model",))
    yield Case(m, "customer_lifetime_value", "join_ids", "inputs of different lengths",
               _call(clv.customer_lifetime_value, bg, gg, s["frequency"], s["recency"], s["T"], s["monetary_value"].iloc[:-2], 12, 0.01),
               "error", names=("monetary_value",))


OWNED = (cases_validate, cases_clean, cases_rfm, cases_segment, cases_value, cases_fourc, cases_complaints,
         cases_cohorts, cases_holdout, cases_datasets, cases_plotting)
CLV = (cases_clv,)


def all_cases(part: str = "all") -> list[Case]:
    builders = {"owned": OWNED, "clv": CLV, "all": OWNED + CLV}[part]
    out: list[Case] = []
    for build in builders:
        try:
            out.extend(build())
        except Exception:  # a fixture the code under test cannot build: report, do not hide
            out.append(Case(build.__name__.removeprefix("cases_"), "<fixtures>", "legit", "building the cases",
                            lambda tb=traceback.format_exc(): (_ for _ in ()).throw(RuntimeError(tb)), "ok"))
    return out


def quick_subset(cases: list[Case], every: int = 6) -> list[Case]:
    """Every ``every``-th case of each (module, class), plus every legitimate input and all of small classes."""
    seen: Counter[tuple[str, str]] = Counter()
    size = Counter((c.module, c.klass) for c in cases)
    chosen = []
    for c in cases:
        key = (c.module, c.klass)
        if c.klass == "legit" or size[key] <= 3 or seen[key] % every == 0:
            if c.budget <= 20:
                chosen.append(c)
        seen[key] += 1
    return chosen


# ------------------------------------------------------------------------------------------
# running and classifying


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def handler(signum: int, frame: Any) -> None:
        raise _Timeout()
    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inner = frames[-1] if frames else None
    place = f"{inner.filename.split('site-packages/')[-1]}:{inner.lineno}" if inner else "?"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''} [{place}]"


def run_case(case: Case) -> Result:
    start = time.perf_counter()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), _time_limit(case.budget):
            warnings.simplefilter("ignore")
            result = case.call()
    except _Timeout:
        return Result(case, "slow", f"over {case.budget:g} s", time.perf_counter() - start)
    except InputError as exc:
        seconds = time.perf_counter() - start
        message = str(exc)
        if case.expect == "ok":
            return Result(case, "refused", message.splitlines()[0][:200], seconds)
        low = message.lower()
        # an empty table or selection is named as such; the column does not matter then
        named = any(n.lower() in low for n in case.names) or (case.klass == "empty" and "empty" in low)
        if case.names and not named:
            return Result(case, "vague", f"does not name {case.names}: {message.splitlines()[0][:200]}", seconds)
        if case.says and not all(s.lower() in low for s in case.says):
            return Result(case, "vague", f"does not say {case.says}: {message.splitlines()[0][:200]}", seconds)
        return Result(case, "clear", message.splitlines()[0][:200], seconds)
    except RecursionError as exc:
        return Result(case, "raw", _where(exc), time.perf_counter() - start)
    except Exception as exc:
        return Result(case, "raw", _where(exc), time.perf_counter() - start)
    finally:
        plt.close("all")
    seconds = time.perf_counter() - start
    if case.expect == "error":
        return Result(case, "wrong", f"accepted, returned {_brief(result)}", seconds)
    try:
        problem = case.check(result) if case.check is not None else None
    except Exception as exc:  # the result is not even what was promised
        problem = f"result check failed: {_where(exc)}"
    if problem:
        return Result(case, "wrong", problem[:300], seconds)
    return Result(case, "ok", "", seconds)


def _brief(result: Any) -> str:
    if isinstance(result, (pd.DataFrame, pd.Series, np.ndarray)):
        return f"{type(result).__name__} of shape {np.shape(result)}"
    text = repr(result)
    return text[:120]


def table(results: list[Result], key: Callable[[Result], str], order: list[str]) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        counts[key(r)][r.outcome] += 1
    head = f"{'class':<44} {'inputs':>6} {'clear':>6} {'raw':>5} {'wrong':>6} {'vague':>6} {'refused':>8} {'slow':>5} {'ok':>5}"
    lines = [head, "-" * len(head)]
    total: Counter[str] = Counter()
    for k in order + sorted(set(counts) - set(order)):
        if k not in counts:
            continue
        c = counts[k]
        total.update(c)
        label = CLASSES.get(k, k)
        lines.append(f"{label:<44} {sum(c.values()):>6} {c['clear']:>6} {c['raw']:>5} {c['wrong']:>6} {c['vague']:>6} "
                     f"{c['refused']:>8} {c['slow']:>5} {c['ok']:>5}")
    lines.append("-" * len(head))
    lines.append(f"{'total':<44} {sum(total.values()):>6} {total['clear']:>6} {total['raw']:>5} {total['wrong']:>6} "
                 f"{total['vague']:>6} {total['refused']:>8} {total['slow']:>5} {total['ok']:>5}")
    return "\n".join(lines)


def run(part: str = "all", quick: bool = False, modules: tuple[str, ...] = ()) -> list[Result]:
    cases = all_cases(part)
    if modules:
        cases = [c for c in cases if c.module in modules]
    if quick:
        cases = quick_subset(cases)
    return [run_case(c) for c in cases]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("all", "owned", "clv"), default="all")
    parser.add_argument("--quick", action="store_true", help="a representative subset")
    parser.add_argument("--module", action="append", default=[], help="only this module (repeatable)")
    parser.add_argument("--defects", action="store_true", help="list every defect")
    parser.add_argument("--json", help="write every case and its outcome to this file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = run(args.part, args.quick, tuple(args.module))
    print(f"cvmlib from {cvmlib.__file__}; {len(results)} cases in {time.perf_counter() - started:.0f} s\n")
    print(table(results, lambda r: r.case.klass, list(CLASSES)))
    print()
    print(table(results, lambda r: r.case.module, sorted({r.case.module for r in results})).replace("class", "module", 1))
    if args.defects:
        print("\nDefects:")
        for r in results:
            if r.outcome in DEFECTS:
                print(f"  [{r.outcome}] {r.case.module}.{r.case.function} / {r.case.klass} / {r.case.label}: {r.detail}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump([{"module": r.case.module, "function": r.case.function, "class": r.case.klass, "label": r.case.label,
                        "expect": r.case.expect, "outcome": r.outcome, "detail": r.detail, "seconds": round(r.seconds, 3)}
                       for r in results], handle, indent=1)
    return 0 if not any(r.outcome in DEFECTS for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
