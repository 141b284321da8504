"""Bad-input campaign on the public API of :mod:`cvmlib.clv` (issue 9, "The library under bad input").

Every case is a call of a public function with bad (or legitimate but awkward) input and what
must happen:

* bad input -> an :class:`~cvmlib.validate.InputError` whose message matches ``error`` (it names
  the parameter or column; row-wise problems also show the offending rows), raised before any
  computation;
* legitimate input -> a result that passes ``check`` (a number where a number is promised: never
  NaN, inf or negative spend; no row dropped), with the warning ``warns`` when one is due.

:func:`classify` sorts an outcome into the campaign's classes: ``good``; ``traceback`` (an
exception other than a clear error: pandas/numpy/scipy internals, a TypeError, a missing
keyword); ``silent`` (bad input accepted, or a legitimate one answered wrongly: NaN/inf/negative
where a number is promised, rows dropped); ``unclear`` (an InputError that does not name the
parameter or show the rows); ``refused`` (legitimate input refused); and, when run as a script,
``hang`` (still running after 60 s). The test asserts ``good`` for every case. The module imports nothing but the public API, so the same cases can be run
against an older copy of the package for before/after counts::

    PYTHONPATH=<old copy> python tests/test_clv_bad_input.py   # prints the counts per class
"""

from __future__ import annotations

import re
import sys
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cvmlib.clv import (BetaGeo, GammaGamma, ParetoNBD, customer_lifetime_value, simple_clv,
                        simple_clv_buildup, summarize_purchases)
from cvmlib.datasets import load_cdnow
from cvmlib.validate import InputError

ROWS = r".*First offending rows"


@dataclass(frozen=True)
class Case:
    """One call and what must happen (see the module docstring)."""

    id: str
    call: Callable[[], Any]
    error: str | None = None  # regex the error message must match (re.DOTALL); None: legitimate
    check: Callable[[Any], bool] | None = None  # legitimate input: the result is right
    warns: str | None = None  # legitimate input: a warning matching this must be given
    also: tuple[type[BaseException], ...] = ()  # error types accepted besides InputError


def classify(case: Case) -> tuple[str, str]:
    """(class, detail) of running ``case``: see the module docstring for the classes."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with np.errstate(all="ignore"):
                result = case.call()
        except (InputError, *case.also) as exc:  # type: ignore[misc]  # a tuple built at run time
            text = str(exc)
            if case.error is None:
                return "refused", f"{type(exc).__name__}: {text[:160]}"
            if re.search(case.error, text, re.DOTALL):
                return "good", text[:160]
            return "unclear", f"{type(exc).__name__}: {text[:160]}"
        except Exception as exc:  # noqa: BLE001 - classifying is the point
            return "traceback", f"{type(exc).__name__}: {str(exc)[:160]}"
    messages = [str(w.message) for w in caught]
    if case.error is not None:
        return "silent", f"accepted, returned {_short(result)}"
    if case.warns is not None and not any(re.search(case.warns, m, re.DOTALL) for m in messages):
        return "silent", f"no warning matching {case.warns!r}; got {[m[:80] for m in messages]}"
    try:
        ok = case.check is None or bool(case.check(result))
    except Exception as exc:  # noqa: BLE001 - a result the check cannot read is wrong
        return "silent", f"check failed on {_short(result)}: {type(exc).__name__}: {exc}"
    return ("good", _short(result)) if ok else ("silent", f"wrong result {_short(result)}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 160 else text[:157] + "..."


# -------------------------------------------------------------------- inputs and helpers


def finite(value: Any, low: float = 0.0) -> bool:
    """Every value a finite number >= ``low`` (and there is at least one)."""
    arr = np.asarray(value, dtype=float)
    return arr.size > 0 and bool(np.all(np.isfinite(arr)) and np.all(arr >= low))


def model(cls: type, **params: float) -> Any:
    m = cls()
    m.params_ = dict(params)
    return m


FHL = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # CDNOW BG/NBD: a < 1
FHL_PNBD = {"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562}  # CDNOW: s < 1
BG = model(BetaGeo, **FHL)
BG_A2 = model(BetaGeo, r=0.243, alpha=4.414, a=2.5, b=2.426)  # a > 1: finite E[X(inf)]
PN = model(ParetoNBD, **FHL_PNBD)
PN_S2 = model(ParetoNBD, r=0.5534, alpha=10.5802, s=1.8, beta=11.6562)  # s > 1
GG = model(GammaGamma, p=6.25, q=3.74, gamma=15.44)
GG_Q = model(GammaGamma, p=6.25, q=0.7, gamma=15.44)  # q < 1: the prior mean spend does not exist
BAD_PARAMS = model(BetaGeo, r=0.243, alpha=float("nan"), a=0.793, b=2.426)

X, TX, T, M = [0, 2, 5], [0.0, 10.0, 30.0], [39.0, 39.0, 39.0], [0.0, 20.0, 35.0]
FIT_X = [0, 1, 2, 5, 3, 0, 1, 4]
FIT_TX = [0.0, 10.0, 30.0, 35.0, 20.0, 0.0, 3.0, 25.0]
FIT_T = [39.0, 39.0, 39.0, 39.0, 38.0, 20.0, 30.0, 36.0]
FIT_W = [60, 15, 8, 3, 10, 40, 12, 5]


def with_value(values: list, i: int, value: Any) -> list:
    out = list(values)
    out[i] = value
    return out


@cache
def spend_sample(scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Mean repeat spend simulated from the Gamma-Gamma model (CDNOW's p, q, gamma) times ``scale``."""
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, 1500).astype(float)
    nu = rng.gamma(3.74, 1 / 15.44, x.size)
    return x, rng.gamma(6.25 * x, 1 / (nu * x)) * scale


@cache
def no_churn(n: int = 400) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Poisson purchasers who never drop out, observed 20-52 weeks."""
    rng = np.random.default_rng(0)
    lam, big_t = rng.gamma(0.7, 1 / 8.0, n), rng.uniform(20, 52, n)
    x = rng.poisson(lam * big_t).astype(float)
    tx = np.where(x > 0, big_t * rng.random(n) ** (1 / np.maximum(x, 1)), 0.0)
    return x, tx, big_t


def tx_table(**columns: list) -> pd.DataFrame:
    base = {"c": ["A", "A", "B"], "d": ["2024-01-01", "2024-01-15", "2024-01-08"],
            "amt": [10.0, 20.0, 7.0]}
    return pd.DataFrame(base | columns)


def summary(tx: pd.DataFrame | Any, amount: str | None = "amt", **kw: Any) -> pd.DataFrame:
    kw.setdefault("observation_end", "2024-01-29")
    return summarize_purchases(tx, "c", "d", amount, **kw)


DUPES = pd.DataFrame({"c": ["A", "A", "A", "B"],
                      "d": ["2024-01-01", "2024-01-08", "2024-01-08", "2024-01-08"],
                      "amt": [10.0, 20.0, 20.0, 7.0]})


def same_without_duplicates(out: pd.DataFrame) -> bool:
    want = summary(DUPES.drop_duplicates(), None)
    return out.equals(want)


def cdnow_summary(amount: str | None, **kw: Any) -> pd.DataFrame:
    return summarize_purchases(load_cdnow(), "customer_id", "order_date", amount,
                               calibration_end="1997-09-30", observation_end="1998-06-30",
                               unit="W", **kw)


def cdnow_ok(out: pd.DataFrame) -> bool:
    return len(out) == 2357 and int((out["frequency"] > 0).sum()) == 946


def is_summary(out: pd.DataFrame, n: int) -> bool:
    return (isinstance(out, pd.DataFrame) and len(out) == n
            and bool(np.isfinite(out.to_numpy(dtype=float)).all()))


# -------------------------------------------------------------------- summarize_purchases

SUMMARY_CASES = [
    Case("summary/not-a-table", lambda: summarize_purchases([1, 2], "c", "d"), r"DataFrame"),
    Case("summary/empty", lambda: summary(tx_table().iloc[:0]), r"empty"),
    Case("summary/missing-column", lambda: summarize_purchases(tx_table(), "c", "date"),
         r"'date'.*missing"),
    Case("summary/customer_col-None", lambda: summarize_purchases(tx_table(), None, "d"),
         r"customer_col"),
    Case("summary/missing-customer", lambda: summary(tx_table(c=["A", None, "B"])), r"'c'" + ROWS),
    Case("summary/unreadable-date", lambda: summary(tx_table(d=["2024-01-01", "2024-13-45", "x"])),
         r"'d'" + ROWS),
    Case("summary/ambiguous-text-dates",
         lambda: summary(tx_table(d=["05/01/2024", "06/01/2024", "07/01/2024"]),
                         observation_end="2024-12-31"), r"'d'.*ambiguous"),
    Case("summary/numbers-as-dates", lambda: summary(tx_table(d=[20240101, 20240115, 20240108])),
         r"'d'.*numbers"),
    Case("summary/missing-date", lambda: summary(tx_table(d=[pd.Timestamp("2024-01-01"), pd.NaT,
                                                             pd.Timestamp("2024-01-08")])),
         r"'d'.*missing" + ROWS),
    Case("summary/amount-NaN", lambda: summary(tx_table(amt=[10.0, np.nan, 7.0])), r"'amt'" + ROWS),
    Case("summary/amount-inf", lambda: summary(tx_table(amt=[10.0, np.inf, 7.0])), r"'amt'" + ROWS),
    Case("summary/amount-text-thousands", lambda: summary(tx_table(amt=["1,234.50", "20", "7"])),
         r"'amt'" + ROWS),
    Case("summary/amount-bool", lambda: summary(tx_table(amt=[True, False, True])), r"'amt'"),
    Case("summary/amount-overflow",
         lambda: summary(pd.DataFrame({"c": ["A"] * 3, "d": ["2024-01-01", "2024-01-08", "2024-01-08"],
                                       "amt": [5.0, 1e308, 1e308], "line": [1, 2, 3]})),
         r"'amt'.*(overflow|too large)" + ROWS),
    Case("summary/negative-amount", lambda: summary(tx_table(amt=[10.0, -20.0, 7.0])),
         r"'amt'.*non-positive" + ROWS),
    Case("summary/returns-unknown", lambda: summary(tx_table(), returns="bogus"), r"returns"),
    Case("summary/unit-unknown", lambda: summary(tx_table(), unit="Y"), r"unit"),
    Case("summary/unit-list", lambda: summary(tx_table(), unit=["W"]), r"unit"),
    Case("summary/unit-None", lambda: summary(tx_table(), unit=None), r"unit"),
    Case("summary/calibration-after-observation",
         lambda: summary(tx_table(), calibration_end="2024-02-10"), r"calibration_end"),
    Case("summary/calibration-before-every-customer",
         lambda: summary(tx_table(), calibration_end="2023-12-01"), r"calibration_end"),
    Case("summary/calibration-not-a-date", lambda: summary(tx_table(), calibration_end="soon"),
         r"calibration_end"),
    Case("summary/calibration-number", lambda: summary(tx_table(), calibration_end=5),
         r"calibration_end.*number"),
    Case("summary/observation-number", lambda: summary(tx_table(), observation_end=5),
         r"observation_end.*number"),
    Case("summary/observation-bool", lambda: summary(tx_table(), observation_end=True),
         r"observation_end"),
    Case("summary/observation-ambiguous", lambda: summary(tx_table(), observation_end="02/03/2024"),
         r"observation_end.*ambiguous"),
    Case("summary/observation-ambiguous-with-time", lambda: summary(tx_table(), observation_end="12/11/2024 10:00"),
         r"observation_end.*ambiguous"),
    Case("summary/calibration-ambiguous", lambda: summary(tx_table(), calibration_end="05/01/2024"),
         r"calibration_end.*ambiguous"),
    Case("summary/observation-empty-text", lambda: summary(tx_table(), observation_end=""),
         r"observation_end"),
    Case("summary/observation-before-every-purchase",
         lambda: summary(tx_table(), observation_end="2023-06-30"), r"observation_end"),
    Case("summary/duplicates-param-unknown", lambda: summary(DUPES, duplicates="drop"),
         r"duplicates"),
    Case("summary/duplicates-with-amount", lambda: summary(DUPES), r"duplicate" + ROWS),
    # legitimate
    Case("summary/duplicates-without-amount", lambda: summary(DUPES, None),
         check=same_without_duplicates),
    Case("summary/duplicates-kept-as-purchases", lambda: summary(DUPES, duplicates="keep"),
         check=lambda out: out.loc["A", "monetary_value"] == 40.0),
    Case("summary/cdnow-as-shipped-without-amount", lambda: cdnow_summary(None), check=cdnow_ok),
    Case("summary/cdnow-as-shipped-with-amount",
         lambda: cdnow_summary("amount", returns="net"),
         check=lambda out: cdnow_ok(out) and abs(out.loc["00004", "monetary_value"] - 22.345) < 1e-9),
    Case("summary/cdnow-without-line-numbers-identical-rows-kept",
         lambda: summarize_purchases(load_cdnow()[["customer_id", "order_date", "quantity", "amount"]],
                                     "customer_id", "order_date", "amount", calibration_end="1997-09-30",
                                     observation_end="1998-06-30", returns="net", duplicates="keep"),
         check=lambda out: cdnow_ok(out) and abs(out.loc["00004", "monetary_value"] - 22.345) < 1e-9),
    Case("summary/cdnow-without-line-numbers-identical-rows-refused-with-amount",
         lambda: summarize_purchases(load_cdnow()[["customer_id", "order_date", "quantity", "amount"]],
                                     "customer_id", "order_date", "amount", calibration_end="1997-09-30",
                                     observation_end="1998-06-30", returns="net"),
         r"duplicate" + ROWS),
    Case("summary/events-after-observation-end-dropped-with-warning",
         lambda: summary(tx_table(), observation_end="2024-01-10"),
         check=lambda out: out.loc["A", "frequency"] == 0, warns=r"Dropped 1 transaction"),
    Case("summary/observation-end-defaulted-with-warning",
         lambda: summary(tx_table(), observation_end=None),
         check=lambda out: is_summary(out, 2), warns=r"observation_end not given"),
    Case("summary/tz-aware-dates",
         lambda: summary(tx_table(d=pd.to_datetime(["2024-01-01", "2024-01-15", "2024-01-08"])
                                  .tz_localize("Asia/Shanghai"))), check=lambda out: is_summary(out, 2)),
]


# -------------------------------------------------------------------- BetaGeo / ParetoNBD fit


def fit_cases(cls: type) -> list[Case]:
    name = cls.__name__

    def fit(x: Any = FIT_X, tx: Any = FIT_TX, t: Any = FIT_T, w: Any = None) -> Any:
        return cls().fit(x, tx, t, weights=w)

    def fitted(m: Any) -> bool:
        params = getattr(m, "params_", {}) if type(m) is cls else {}
        return bool(params) and all(np.isfinite(v) and v > 0 for v in params.values())

    xs = np.asarray(FIT_X, dtype=float)
    cases = [
        Case(f"{name}.fit/frequency-NaN", lambda: fit(x=with_value(FIT_X, 1, np.nan)), r"frequency" + ROWS),
        Case(f"{name}.fit/recency-NaN", lambda: fit(tx=with_value(FIT_TX, 1, np.nan)), r"recency" + ROWS),
        Case(f"{name}.fit/T-inf", lambda: fit(t=with_value(FIT_T, 2, np.inf)), r"'T'" + ROWS),
        Case(f"{name}.fit/T-overflowing-sum", lambda: fit(t=[1e308] * 8, tx=with_value(FIT_TX, 0, 0.0)),
             r"T.*(overflow|too large)"),
        Case(f"{name}.fit/frequency-negative", lambda: fit(x=with_value(FIT_X, 0, -1)), r"frequency" + ROWS),
        Case(f"{name}.fit/frequency-fraction", lambda: fit(x=with_value(FIT_X, 1, 1.5)), r"frequency" + ROWS),
        Case(f"{name}.fit/recency-after-T", lambda: fit(tx=with_value(FIT_TX, 3, 45.0)),
             r"recency.*larger than T" + ROWS),
        Case(f"{name}.fit/recency-negative", lambda: fit(tx=with_value(FIT_TX, 1, -2.0)), r"recency" + ROWS),
        Case(f"{name}.fit/repeat-buyer-recency-0", lambda: fit(tx=with_value(FIT_TX, 1, 0.0)),
             r"recency" + ROWS),
        Case(f"{name}.fit/no-repeat-recency-not-0", lambda: fit(tx=with_value(FIT_TX, 0, 3.0)),
             r"recency" + ROWS),
        Case(f"{name}.fit/frequency-bool", lambda: fit(x=[bool(v) for v in FIT_X]), r"frequency.*(True/False|bool)"),
        Case(f"{name}.fit/frequency-text", lambda: fit(x=[str(v) for v in FIT_X]), r"frequency.*text"),
        Case(f"{name}.fit/frequency-2d", lambda: fit(x=xs.reshape(2, 4), tx=np.reshape(FIT_TX, (2, 4)),
                                                     t=np.reshape(FIT_T, (2, 4))),
             r"frequency.*(one-dimensional|shape)"),
        Case(f"{name}.fit/frequency-DataFrame", lambda: fit(x=pd.DataFrame({"f": FIT_X, "g": FIT_X})),
             r"frequency.*DataFrame"),
        Case(f"{name}.fit/frequency-None", lambda: fit(x=None), r"frequency"),
        Case(f"{name}.fit/frequency-one-True-among-numbers",
             lambda: fit(x=pd.Series([0, True, 2, 5, 3, 0, 1, 4], dtype=object)), r"frequency.*True/False"),
        Case(f"{name}.fit/T-dates", lambda: fit(t=pd.Series(pd.date_range("2024-01-01", periods=8))),
             r"\bT\b.*(numeric|date)"),
        Case(f"{name}.fit/empty", lambda: fit([], [], []), r"empty"),
        Case(f"{name}.fit/lengths-differ", lambda: fit(t=FIT_T[:-1]), r"same length"),
        Case(f"{name}.fit/weights-negative", lambda: fit(w=with_value(FIT_W, 2, -3)), r"weights" + ROWS),
        Case(f"{name}.fit/weights-NaN", lambda: fit(w=with_value(FIT_W, 2, np.nan)), r"weights" + ROWS),
        Case(f"{name}.fit/weights-all-zero", lambda: fit(w=[0] * 8), r"weights"),
        Case(f"{name}.fit/weights-bool", lambda: fit(w=[True] * 8), r"weights.*(True/False|bool)"),
        Case(f"{name}.fit/weights-length", lambda: fit(w=FIT_W[:-2]), r"weights"),
        Case(f"{name}.fit/weights-2d", lambda: fit(w=np.reshape(FIT_W, (2, 4))), r"weights.*(one-dimensional|shape)"),
        Case(f"{name}.fit/weights-overflowing-sum", lambda: fit(w=[1e308] * 8), r"weights.*(overflow|too large)"),
        Case(f"{name}.fit/frequency-1e308", lambda: fit(x=with_value(FIT_X, 3, 1e308)), r"frequency" + ROWS),
        Case(f"{name}.fit/no-repeat-buyer", lambda: fit(x=[0] * 8, tx=[0.0] * 8), r"frequency.*0 for every"),
        # legitimate
        # legitimate
        Case(f"{name}.fit/weighted", lambda: fit(w=FIT_W), check=fitted),
        Case(f"{name}.fit/series-with-own-index",
             lambda: fit(*(pd.Series(v, index=list("abcdefgh")) for v in (FIT_X, FIT_TX, FIT_T))),
             check=fitted),
        Case(f"{name}.fit/weights-tiny", lambda: fit(w=[1e-320] * 8), check=fitted),
        Case(f"{name}.fit/weights-huge-but-summable", lambda: fit(w=[1e300] * 8), check=fitted),
        Case(f"{name}.fit/recency-denormal", lambda: fit(tx=with_value(FIT_TX, 1, 1e-320)), check=fitted),
        Case(f"{name}.fit/whole-floats-and-int-arrays",
             lambda: fit(np.asarray(FIT_X, dtype=np.int32), FIT_TX, np.asarray(FIT_T, dtype=np.float32)),
             check=fitted),
    ]
    if cls is ParetoNBD:
        cases.append(Case("ParetoNBD.fit/no-churn-data", lambda: ParetoNBD().fit(*no_churn()),
                          check=fitted, warns=r"no churn|no dropout"))
    return cases


# -------------------------------------------------------------------- predictions


def prediction_cases(m: Any, finite_limit: Any, diverging: Any, pmf_at_inf: bool) -> list[Case]:
    """Cases for the per-customer and population methods of a fitted purchase model ``m``;
    ``finite_limit`` is the same model with a finite E[X(inf)], ``diverging`` one without."""
    name = type(m).__name__
    unfitted = type(m)()

    def alive(out: Any) -> bool:
        return finite(out) and bool(np.all(np.asarray(out) <= 1))

    return [
        # p_alive
        Case(f"{name}.p_alive/frequency-bool", lambda: m.p_alive([True, False], [1.0, 0.0], [5.0, 5.0]),
             r"frequency.*(True/False|bool)"),
        Case(f"{name}.p_alive/frequency-text", lambda: m.p_alive(["2"], [1.0], [5.0]), r"frequency.*text"),
        Case(f"{name}.p_alive/2d", lambda: m.p_alive(np.zeros((2, 2)), np.zeros((2, 2)), np.ones((2, 2))),
             r"frequency.*(one-dimensional|shape)"),
        Case(f"{name}.p_alive/recency-after-T", lambda: m.p_alive([1, 2], [3.0, 9.0], [5.0, 5.0]),
             r"recency" + ROWS),
        Case(f"{name}.p_alive/T-1e308-with-NaN", lambda: m.p_alive([1, 2], [3.0, np.nan], [1e308, 5.0]),
             r"recency" + ROWS),
        Case(f"{name}.p_alive/not-fitted", lambda: unfitted.p_alive(X, TX, T), r"not fitted",
             also=(RuntimeError,)),
        Case(f"{name}.p_alive/params-NaN",
             lambda: model(type(m), **{k: np.nan for k in m.params_}).p_alive(X, TX, T), r"params_"),
        Case(f"{name}.p_alive/params-missing", lambda: model(type(m), r=0.2).p_alive(X, TX, T),
             r"params_"),
        Case(f"{name}.p_alive/frequency-1e308", lambda: m.p_alive([1e308], [30.0], [39.0]), r"frequency" + ROWS),
        Case(f"{name}.p_alive/heavy-buyer", lambda: m.p_alive([1e6], [9e6], [1e7]), check=alive),
        Case(f"{name}.p_alive/one-customer-as-scalars", lambda: m.p_alive(2, 30.0, 39.0), check=alive),
        Case(f"{name}.p_alive/huge-T", lambda: m.p_alive([0, 3], [0.0, 30.0], [1e300, 1e300]), check=alive),
        # expected_purchases
        Case(f"{name}.expected_purchases/t-inf-diverging", lambda: diverging.expected_purchases(np.inf, X, TX, T),
             r"t=inf.*(grows without bound|infinite)"),
        Case(f"{name}.expected_purchases/t-inf-finite-limit",
             lambda: finite_limit.expected_purchases(np.inf, X, TX, T),
             check=lambda out: finite(out) and bool(np.all(
                 out >= finite_limit.expected_purchases(1e4, X, TX, T)))),
        Case(f"{name}.expected_purchases/t-1e308", lambda: finite_limit.expected_purchases(1e308, X, TX, T),
             check=finite),
        Case(f"{name}.expected_purchases/t-negative", lambda: m.expected_purchases(-1, X, TX, T), r"\bt\b"),
        Case(f"{name}.expected_purchases/t-text", lambda: m.expected_purchases("10", X, TX, T), r"\bt\b"),
        Case(f"{name}.expected_purchases/t-bool", lambda: m.expected_purchases(True, X, TX, T), r"\bt\b"),
        Case(f"{name}.expected_purchases/t-NaN", lambda: m.expected_purchases(np.nan, X, TX, T), r"\bt\b"),
        Case(f"{name}.expected_purchases/t-list", lambda: m.expected_purchases([1, 2], X, TX, T), r"\bt\b"),
        Case(f"{name}.expected_purchases/t-None", lambda: m.expected_purchases(None, X, TX, T), r"\bt\b"),
        Case(f"{name}.expected_purchases/not-fitted", lambda: unfitted.expected_purchases(1, X, TX, T),
             r"not fitted", also=(RuntimeError,)),
        Case(f"{name}.expected_purchases/t-0", lambda: m.expected_purchases(0, X, TX, T),
             check=lambda out: finite(out) and bool(np.all(out == 0))),
        # log_likelihood
        Case(f"{name}.log_likelihood/frequency-bool", lambda: m.log_likelihood([True], [1.0], [5.0]),
             r"frequency.*(True/False|bool)"),
        Case(f"{name}.log_likelihood/ok", lambda: m.log_likelihood(X, TX, T),
             check=lambda out: finite(out, low=-np.inf)),
        # expected_purchases_population
        Case(f"{name}.expected_purchases_population/t-inf-diverging",
             lambda: diverging.expected_purchases_population(np.inf), r"t=inf.*(grows without bound|infinite)"),
        Case(f"{name}.expected_purchases_population/t-inf-finite-limit",
             lambda: finite_limit.expected_purchases_population([10.0, np.inf]),
             check=lambda out: finite(out) and out[1] >= finite_limit.expected_purchases_population(1e5)),
        Case(f"{name}.expected_purchases_population/t-text",
             lambda: m.expected_purchases_population("5"), r"\bt\b"),
        Case(f"{name}.expected_purchases_population/t-bool",
             lambda: m.expected_purchases_population(True), r"\bt\b"),
        Case(f"{name}.expected_purchases_population/t-negative",
             lambda: m.expected_purchases_population([1.0, -1.0]), r"\bt\b"),
        Case(f"{name}.expected_purchases_population/t-NaN",
             lambda: m.expected_purchases_population([np.nan]), r"\bt\b"),
        Case(f"{name}.expected_purchases_population/t-empty",
             lambda: m.expected_purchases_population([]), r"\bt\b.*empty"),
        Case(f"{name}.expected_purchases_population/t-None",
             lambda: m.expected_purchases_population(None), r"\bt\b"),
        Case(f"{name}.expected_purchases_population/t-grid-2d",
             lambda: m.expected_purchases_population(np.array([[0.0, 10.0], [20.0, 30.0]])),
             check=lambda out: np.shape(out) == (2, 2) and finite(out)),
        # purchase_count_probability
        Case(f"{name}.purchase_count_probability/n-bool", lambda: m.purchase_count_probability(True, 10.0),
             r"\bn\b"),
        Case(f"{name}.purchase_count_probability/n-inf", lambda: m.purchase_count_probability(np.inf, 10.0),
             r"\bn\b"),
        Case(f"{name}.purchase_count_probability/n-negative", lambda: m.purchase_count_probability(-1, 10.0),
             r"\bn\b"),
        Case(f"{name}.purchase_count_probability/n-fraction", lambda: m.purchase_count_probability(1.5, 10.0),
             r"\bn\b"),
        Case(f"{name}.purchase_count_probability/n-text", lambda: m.purchase_count_probability("2", 10.0),
             r"\bn\b"),
        Case(f"{name}.purchase_count_probability/t-negative", lambda: m.purchase_count_probability(1, -10.0),
             r"\bt\b"),
        Case(f"{name}.purchase_count_probability/t-NaN", lambda: m.purchase_count_probability(1, np.nan),
             r"\bt\b"),
        Case(f"{name}.purchase_count_probability/t-inf",
             lambda: m.purchase_count_probability(np.arange(0, 3000), np.inf),
             check=lambda out: finite(out) and 0.99 < out.sum() <= 1 + 1e-9
             and bool(np.all(np.abs(out[:5] - m.purchase_count_probability(np.arange(5), 1e30)) < 1e-6)))
        if pmf_at_inf else
        Case(f"{name}.purchase_count_probability/t-inf", lambda: m.purchase_count_probability(3, np.inf),
             r"t=inf.*finite"),
        Case(f"{name}.purchase_count_probability/distribution",
             lambda: m.purchase_count_probability(np.arange(0, 2000), 39.0),
             check=lambda out: finite(out) and abs(out.sum() - 1) < 1e-9),
    ]


PREDICTION_CASES = prediction_cases(BG, BG_A2, BG, True) + prediction_cases(PN, PN_S2, PN, False)


# -------------------------------------------------------------------- GammaGamma


def gg_fit(x: Any = None, m: Any = None, w: Any = None) -> GammaGamma:
    x0, m0 = spend_sample()
    return GammaGamma().fit(x0[:200] if x is None else x, m0[:200] if m is None else m, weights=w)


def gg_close_to_scaled(fitted: GammaGamma) -> bool:
    base = GammaGamma().fit(*spend_sample())
    return (abs(fitted.params_["p"] / base.params_["p"] - 1) < 1e-4
            and abs(fitted.params_["q"] / base.params_["q"] - 1) < 1e-4
            and abs(fitted.params_["gamma"] / (1e6 * base.params_["gamma"]) - 1) < 1e-4)


GG_X, GG_M = [1, 2, 0, 4], [20.0, 35.0, 0.0, 12.0]
GAMMA_GAMMA_CASES = [
    Case("GammaGamma.fit/spend-negative", lambda: gg_fit(GG_X, with_value(GG_M, 1, -5.0)),
         r"monetary_value" + ROWS),
    Case("GammaGamma.fit/spend-zero-for-repeat-buyer", lambda: gg_fit(GG_X, with_value(GG_M, 1, 0.0)),
         r"monetary_value" + ROWS),
    Case("GammaGamma.fit/spend-inf", lambda: gg_fit(GG_X, with_value(GG_M, 1, np.inf)), r"monetary_value" + ROWS),
    Case("GammaGamma.fit/spend-NaN-for-repeat-buyer", lambda: gg_fit(GG_X, with_value(GG_M, 1, np.nan)),
         r"monetary_value" + ROWS),
    Case("GammaGamma.fit/spend-negative-without-repeat", lambda: gg_fit(GG_X, with_value(GG_M, 2, -5.0)),
         r"monetary_value" + ROWS),
    Case("GammaGamma.fit/frequency-1e308", lambda: gg_fit(with_value(GG_X, 0, 1e308), GG_M), r"frequency" + ROWS),
    Case("GammaGamma.fit/spend-1e308", lambda: gg_fit(GG_X, with_value(GG_M, 3, 1e308)),
         r"monetary_value.*(overflow|too large)"),
    Case("GammaGamma.fit/spend-bool", lambda: gg_fit(GG_X, [True, True, False, True]),
         r"monetary_value.*(True/False|bool)"),
    Case("GammaGamma.fit/spend-text", lambda: gg_fit(GG_X, ["20", "35", "0", "12"]), r"monetary_value.*text"),
    Case("GammaGamma.fit/spend-2d", lambda: gg_fit(np.ones((2, 2)), np.ones((2, 2))),
         r"frequency.*(one-dimensional|shape)"),
    Case("GammaGamma.fit/lengths-differ", lambda: gg_fit(GG_X, GG_M[:3]), r"same length"),
    Case("GammaGamma.fit/empty", lambda: gg_fit([], []), r"empty"),
    Case("GammaGamma.fit/no-repeat-buyer", lambda: gg_fit([0, 0], [0.0, 0.0]), r"frequency.*repeat"),
    Case("GammaGamma.fit/frequency-fraction", lambda: gg_fit([1.5, 2, 0, 4], GG_M), r"frequency" + ROWS),
    Case("GammaGamma.fit/weights-negative", lambda: gg_fit(GG_X, GG_M, [1, -1, 1, 1]), r"weights"),
    Case("GammaGamma.fit/weights-length", lambda: gg_fit(GG_X, GG_M, [1, 1]), r"weights"),
    # legitimate
    Case("GammaGamma.fit/spend-in-millions", lambda: GammaGamma().fit(*spend_sample(1e6)),
         check=gg_close_to_scaled),
    Case("GammaGamma.fit/spend-NaN-without-repeat-ignored",
         lambda: gg_fit(np.r_[spend_sample()[0][:200], 0], np.r_[spend_sample()[1][:200], np.nan]),
         check=lambda g: all(np.isfinite(v) and v > 0 for v in g.params_.values())),
    # predictions
    Case("GammaGamma.conditional_expected_average_profit/q-below-1",
         lambda: GG_Q.conditional_expected_average_profit(X, M), r"q = 0\.7.*q > 1"),
    Case("GammaGamma.conditional_expected_average_profit/not-fitted",
         lambda: GammaGamma().conditional_expected_average_profit(X, M), r"not fitted", also=(RuntimeError,)),
    Case("GammaGamma.conditional_expected_average_profit/frequency-bool",
         lambda: GG.conditional_expected_average_profit([True, False], [10.0, 0.0]),
         r"frequency.*(True/False|bool)"),
    Case("GammaGamma.conditional_expected_average_profit/params-negative",
         lambda: model(GammaGamma, p=6.25, q=-3.0, gamma=15.44).conditional_expected_average_profit(X, M),
         r"params_"),
    Case("GammaGamma.conditional_expected_average_profit/ok",
         lambda: GG.conditional_expected_average_profit(X, M), check=lambda out: finite(out, low=1e-9)),
    Case("GammaGamma.conditional_expected_average_profit/no-repeat-NaN-spend",
         lambda: GG.conditional_expected_average_profit([0, 2], [np.nan, 20.0]),
         check=lambda out: finite(out, low=1e-9) and abs(out[0] - 6.25 * 15.44 / 2.74) < 1e-9),
    Case("GammaGamma.log_likelihood/no-repeat-customer",
         lambda: GG.log_likelihood([0, 2], [0.0, 20.0]), check=lambda out: finite(out, low=-np.inf)),
]


# -------------------------------------------------------------------- simple_clv and its build-up


def clv(**kw: Any) -> float:
    return simple_clv(**({"margin": 100.0, "retention": 0.8, "discount": 0.01} | kw))


SIMPLE_CASES = [
    Case("simple_clv/margin-NaN", lambda: clv(margin=np.nan), r"margin"),
    Case("simple_clv/margin-inf", lambda: clv(margin=np.inf), r"margin"),
    Case("simple_clv/margin-text", lambda: clv(margin="100"), r"margin.*text"),
    Case("simple_clv/margin-bool", lambda: clv(margin=True), r"margin.*bool"),
    Case("simple_clv/margin-None", lambda: clv(margin=None), r"margin"),
    Case("simple_clv/margin-negative", lambda: clv(margin=-50.0), r"margin.*negative"),
    Case("simple_clv/margin-overflow", lambda: clv(margin=1e308, retention=1.0, discount=0.0, horizon=12),
         r"(margin|overflow|too large)"),
    Case("simple_clv/retention-above-1", lambda: clv(retention=1.5), r"retention"),
    Case("simple_clv/retention-percent", lambda: clv(retention=80, horizon=12), r"retention.*0\.8"),
    Case("simple_clv/retention-negative", lambda: clv(retention=-0.1), r"retention"),
    Case("simple_clv/retention-bool", lambda: clv(retention=True, horizon=12), r"retention.*bool"),
    Case("simple_clv/retention-text", lambda: clv(retention="0.8"), r"retention.*text"),
    Case("simple_clv/retention-NaN", lambda: clv(retention=np.nan), r"retention"),
    Case("simple_clv/retention-1-forever", lambda: clv(retention=1.0), r"retention"),
    Case("simple_clv/discount-minus-1", lambda: clv(discount=-1.0), r"discount"),
    Case("simple_clv/discount-negative", lambda: clv(discount=-0.5, horizon=12), r"discount"),
    Case("simple_clv/discount-above-1", lambda: clv(discount=1.5), r"discount"),
    Case("simple_clv/discount-percent", lambda: clv(discount=10), r"discount"),
    Case("simple_clv/discount-bool", lambda: clv(discount=True), r"discount.*bool"),
    Case("simple_clv/discount-text", lambda: clv(discount="0.1"), r"discount.*text"),
    Case("simple_clv/discount-NaN", lambda: clv(discount=np.nan), r"discount"),
    Case("simple_clv/horizon-0", lambda: clv(horizon=0), r"horizon"),
    Case("simple_clv/horizon-fraction", lambda: clv(horizon=2.5), r"horizon"),
    Case("simple_clv/horizon-bool", lambda: clv(horizon=True), r"horizon"),
    Case("simple_clv/horizon-text", lambda: clv(horizon="12"), r"horizon"),
    Case("simple_clv/horizon-negative", lambda: clv(horizon=-3), r"horizon"),
    Case("simple_clv/horizon-inf", lambda: clv(horizon=np.inf), r"horizon"),
    # legitimate
    Case("simple_clv/forever", lambda: clv(discount=0.1), check=lambda v: abs(v - 100 * 0.8 / 0.3) < 1e-9),
    Case("simple_clv/numpy-integer-horizon", lambda: clv(horizon=np.int64(12)), check=finite),
    Case("simple_clv/retention-1-finite-horizon", lambda: clv(retention=1.0, discount=0.0, horizon=12),
         check=lambda v: v == 1200.0),
    Case("simple_clv/zero-margin", lambda: clv(margin=0.0), check=lambda v: v == 0.0),
    Case("simple_clv_buildup/horizon-None", lambda: simple_clv_buildup(100, 0.8, 0.1, None),  # type: ignore[arg-type]
         r"horizon"),
    Case("simple_clv_buildup/horizon-huge", lambda: simple_clv_buildup(100, 0.8, 0.1, 10**9), r"horizon"),
    Case("simple_clv_buildup/retention-percent", lambda: simple_clv_buildup(100, 80, 0.1, 3), r"retention"),
    Case("simple_clv_buildup/ok", lambda: simple_clv_buildup(100, 0.8, 0.1, 3),
         check=lambda t: len(t) == 3 and abs(t["cumulative"].iloc[-1] - clv(discount=0.1, horizon=3)) < 1e-9),
    Case("simple_clv_buildup/long", lambda: simple_clv_buildup(100, 0.8, 0.1, 20_000),
         check=lambda t: len(t) == 20_000 and abs(t["cumulative"].iloc[-1] - clv(discount=0.1)) < 1e-6),
]


# -------------------------------------------------------------------- customer_lifetime_value


def lifetime(purchase: Any = BG, spend: Any = GG, x: Any = X, tx: Any = TX, t: Any = T, m: Any = M,
             **kw: Any) -> np.ndarray:
    kw = {"horizon": 12, "discount_rate": 0.01} | kw
    return customer_lifetime_value(purchase, spend, x, tx, t, m, **kw)


CLV_CASES = [
    Case("customer_lifetime_value/purchase-model-unfitted", lambda: lifetime(BetaGeo()), r"purchase_model"),
    Case("customer_lifetime_value/purchase-model-text", lambda: lifetime("BG"), r"purchase_model"),
    Case("customer_lifetime_value/spend-model-wrong-type", lambda: lifetime(spend=BG), r"spend_model"),
    Case("customer_lifetime_value/spend-model-unfitted", lambda: lifetime(spend=GammaGamma()),
         r"not fitted", also=(RuntimeError,)),
    Case("customer_lifetime_value/spend-model-q-below-1", lambda: lifetime(spend=GG_Q), r"q = 0\.7.*q > 1"),
    Case("customer_lifetime_value/spend-negative", lambda: lifetime(spend=None, m=[10.0, -5.0, 3.0]),
         r"monetary_value" + ROWS),
    Case("customer_lifetime_value/spend-1e308", lambda: lifetime(spend=None, m=[1e308, 1e308, 1e308]),
         r"monetary_value.*(overflow|too large)"),
    Case("customer_lifetime_value/discount-above-1", lambda: lifetime(discount_rate=1.5), r"discount_rate"),
    Case("customer_lifetime_value/discount-negative", lambda: lifetime(discount_rate=-0.5), r"discount_rate"),
    Case("customer_lifetime_value/discount-bool", lambda: lifetime(discount_rate=True), r"discount_rate.*bool"),
    Case("customer_lifetime_value/discount-text", lambda: lifetime(discount_rate="0.01"), r"discount_rate.*text"),
    Case("customer_lifetime_value/margin-negative", lambda: lifetime(margin=-0.3), r"margin"),
    Case("customer_lifetime_value/margin-percent", lambda: lifetime(margin=30), r"margin.*0\.8|margin.*share"),
    Case("customer_lifetime_value/margin-bool", lambda: lifetime(margin=True), r"margin.*bool"),
    Case("customer_lifetime_value/horizon-0", lambda: lifetime(horizon=0), r"horizon"),
    Case("customer_lifetime_value/horizon-bool", lambda: lifetime(horizon=True), r"horizon"),
    Case("customer_lifetime_value/horizon-fraction", lambda: lifetime(horizon=2.5), r"horizon"),
    Case("customer_lifetime_value/horizon-text", lambda: lifetime(horizon="12"), r"horizon"),
    Case("customer_lifetime_value/period-unknown", lambda: lifetime(period="Y"), r"period"),
    Case("customer_lifetime_value/period-list", lambda: lifetime(period=["M"]), r"period"),
    Case("customer_lifetime_value/unit-None", lambda: lifetime(unit=None), r"unit"),
    Case("customer_lifetime_value/chunk-size-0", lambda: lifetime(chunk_size=0), r"chunk_size"),
    Case("customer_lifetime_value/chunk-size-text", lambda: lifetime(chunk_size="big"), r"chunk_size"),
    Case("customer_lifetime_value/chunk-size-bool", lambda: lifetime(chunk_size=True), r"chunk_size"),
    Case("customer_lifetime_value/frequency-bool", lambda: lifetime(x=[False, True, True]),
         r"frequency.*(True/False|bool)"),
    Case("customer_lifetime_value/spend-2d", lambda: lifetime(m=np.reshape([0.0, 20.0, 35.0], (3, 1))),
         r"monetary_value.*(one-dimensional|shape)"),
    Case("customer_lifetime_value/lengths-differ", lambda: lifetime(m=M[:2]), r"same length"),
    Case("customer_lifetime_value/empty", lambda: lifetime(x=[], tx=[], t=[], m=[]), r"empty"),
    Case("customer_lifetime_value/recency-after-T", lambda: lifetime(tx=[0.0, 45.0, 30.0]), r"recency" + ROWS),
    # legitimate
    Case("customer_lifetime_value/bgnbd-gamma-gamma", lambda: lifetime(), check=finite),
    Case("customer_lifetime_value/pareto-nbd-own-spend", lambda: lifetime(PN, None), check=finite),
    Case("customer_lifetime_value/no-repeat-NaN-spend", lambda: lifetime(m=[np.nan, 20.0, 35.0]),
         check=lambda out: finite(out) and out[0] > 0),
    Case("customer_lifetime_value/long-horizon", lambda: lifetime(horizon=1200), check=finite),
    Case("customer_lifetime_value/zero-margin", lambda: lifetime(margin=0.0),
         check=lambda out: finite(out) and bool(np.all(out == 0))),
]

CASES = SUMMARY_CASES + fit_cases(BetaGeo) + fit_cases(ParetoNBD) + PREDICTION_CASES + GAMMA_GAMMA_CASES \
    + SIMPLE_CASES + CLV_CASES


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) > 250


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_case(case: Case) -> None:
    outcome, detail = classify(case)
    assert outcome == "good", f"{case.id}: {outcome}: {detail}"


def test_classify_can_fail() -> None:
    """The classifier itself: every class is reachable, so a defect cannot pass as good."""
    assert classify(Case("x", lambda: 1 / 0, r"x"))[0] == "traceback"
    assert classify(Case("x", lambda: 1.0, r"x"))[0] == "silent"
    assert classify(Case("x", lambda: float("nan"), check=finite))[0] == "silent"
    assert classify(Case("x", lambda: simple_clv(1, 2, 0), r"nothing like this"))[0] == "unclear"
    assert classify(Case("x", lambda: simple_clv(1, 2, 0)))[0] == "refused"
    assert classify(Case("x", lambda: 1.0, check=finite, warns="never given"))[0] == "silent"


class _Timeout(BaseException):  # not an Exception: classify must not catch it
    pass


def _classify_with_timeout(case: Case, seconds: int = 60) -> tuple[str, str]:
    """:func:`classify`, with a call still running after ``seconds`` counted as ``hang``."""
    import signal

    def stop(*_: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        return classify(case)
    except _Timeout:
        return "hang", f"still running after {seconds} s"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


if __name__ == "__main__":  # the campaign's counts (run with PYTHONPATH pointing at any copy of cvmlib)
    outcomes = {c.id: _classify_with_timeout(c) for c in CASES}
    counts = Counter(kind for kind, _ in outcomes.values())
    bad = counts.get("good", 0) != len(CASES)
    for cid, (kind, detail) in outcomes.items():
        if kind != "good" or "-v" in sys.argv:
            print(f"{kind:9} {cid}: {detail}")
    print(f"\n{len(CASES)} cases:", dict(sorted(counts.items())))
    sys.exit(1 if bad else 0)
