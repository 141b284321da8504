"""Shared plumbing of the CLV models: time units, input checks, unique rows, the optimiser.

Kept private: the public API lives in the model modules and is re-exported by ``cvmlib.clv``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
from scipy import optimize, special

from cvmlib.validate import InputError, _rows_text

#: Length of one time unit in days: days, weeks of 7 days, months of 365.25 / 12 days.
UNIT_DAYS: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 30.4375}

ArrayLike: TypeAlias = "Sequence[float] | np.ndarray | pd.Series"

# Log-parameters are kept in [-LOG_BOUND, LOG_BOUND]: ~[4.5e-5, 22026]. Reaching it means the
# data do not identify the parameter (e.g. no repeat buyers at all) -- we warn.
LOG_BOUND = 10.0

#: Objective: log-parameters -> mean negative log-likelihood (and its gradient when jac=True).
Objective: TypeAlias = Callable[[np.ndarray], "float | tuple[float, np.ndarray]"]


def unit_days(unit: str) -> float:
    """Days in one ``unit`` ("D", "W" or "M"); an :class:`InputError` for anything else."""
    if unit not in UNIT_DAYS:
        raise InputError(f"unit={unit!r} is not a time unit; choose one of {list(UNIT_DAYS)} "
                         f"(days, weeks of 7 days, months of 30.4375 days).")
    return UNIT_DAYS[unit]


def as_array(values: ArrayLike, name: str) -> np.ndarray:
    """``values`` as a 1-d float array; empty or non-numeric input is an InputError."""
    try:
        arr = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be numeric, got {type(values).__name__}.") from exc
    if arr.size == 0:
        raise InputError(f"{name} is empty: the model needs at least one customer.")
    return arr


def check(frame: pd.DataFrame, column: str, bad: np.ndarray, problem: str) -> None:
    """Raise an InputError naming ``column`` and showing the first offending rows."""
    if bad.any():
        raise InputError(f"Column {column!r} has {int(bad.sum()):,} row(s) where {problem}. "
                         f"{_rows_text(frame, bad)}")


def same_length(**arrays: np.ndarray) -> None:
    """InputError when the named arrays differ in length."""
    sizes = {k: v.size for k, v in arrays.items()}
    if len(set(sizes.values())) > 1:
        raise InputError(f"{', '.join(sizes)} must have the same length, got {sizes}.")


def btyd_inputs(frequency: ArrayLike, recency: ArrayLike,
                T: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked (frequency, recency, T) float arrays, all errors raised before any computation."""
    cols = {"frequency": as_array(frequency, "frequency"), "recency": as_array(recency, "recency"),
            "T": as_array(T, "T")}
    same_length(**cols)
    x, tx, big_t = cols["frequency"], cols["recency"], cols["T"]
    finite = np.isfinite(x) & np.isfinite(tx) & np.isfinite(big_t)
    problems = ((x < 0) | (x != np.round(x)) | (tx < 0) | (tx > big_t) | ((x > 0) & (tx == 0))
                | ((x == 0) & (tx != 0)))
    if finite.all() and not problems.any():  # the fast path for large clean inputs
        return x, tx, big_t
    df = pd.DataFrame(cols)  # only built on failure: it carries the offending rows
    for c in cols:
        check(df, c, ~np.isfinite(df[c].to_numpy()), "the value is missing or infinite")
    check(df, "frequency", (x < 0) | (x != np.round(x)),
          "it is not a non-negative whole number (number of repeat purchase days)")
    check(df, "recency", tx < 0, "it is negative (time from first to last purchase)")
    check(df, "recency", tx > big_t, "it is larger than T (the last purchase is after the end "
          "of the period)")
    check(df, "recency", (x > 0) & (tx == 0), "frequency > 0 but recency is 0 (a repeat "
          "purchase day cannot be the first purchase day)")
    check(df, "recency", (x == 0) & (tx != 0), "frequency is 0 but recency is not 0")
    raise AssertionError("unreachable")  # pragma: no cover


def distinct_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the stacked columns (hash-based, first-seen order) and, for every input
    row, the index of its distinct row: a million customers share a few thousand rows."""
    codes = pd.DataFrame(dict(enumerate(columns))).groupby(
        list(range(len(columns))), sort=False, dropna=False).ngroup().to_numpy()
    rows = np.empty((int(codes.max()) + 1, len(columns)))
    rows[codes] = np.column_stack(columns)  # duplicates write identical values
    return rows, codes


def unique_rows(columns: list[np.ndarray],
                weights: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the stacked columns and their total weights."""
    n = columns[0].size
    w = np.ones(n) if weights is None else as_array(weights, "weights")
    if w.size != n or (w < 0).any() or not np.isfinite(w).all():
        raise InputError("weights must be finite, non-negative and one per customer.")
    rows, codes = distinct_rows(columns)
    return rows, np.bincount(codes, weights=w, minlength=len(rows))


def fit_log_params(fun: Objective, start: np.ndarray, names: list[str], model: str,
                   jac: bool = False, coarse: Objective | None = None) -> tuple[np.ndarray, float]:
    """Minimise ``fun`` over log-parameters; return ``exp(best)`` and the minimum.

    ``fun`` returns the mean negative log-likelihood, or ``(value, gradient)`` when ``jac``.
    ``coarse`` (same kind, on a subsample of the rows) first moves ``start`` close to the
    optimum, so the full objective needs only a few evaluations. L-BFGS-B, restarted once when
    it stops without converging; Nelder-Mead takes over when that fails too. Warns (never
    silently returns) when the optimiser does not converge or a parameter ends on the bound.
    """
    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(start)
    huge = 1e300  # stands in for a non-finite objective so the optimisers back off

    def value(theta: np.ndarray) -> float:
        out = fun(theta)
        f = float(out[0] if isinstance(out, tuple) else out)
        return f if np.isfinite(f) else huge

    def value_and_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        f, g = fun(theta)  # type: ignore[misc]
        if not (np.isfinite(f) and np.isfinite(g).all()):
            return huge, np.zeros_like(theta)
        return float(f), g

    objective: Callable[[np.ndarray], Any] = value_and_grad if jac else value
    opts = {"ftol": 1e-15, "gtol": 1e-9, "maxiter": 2000}
    with np.errstate(all="ignore"):
        best = None
        if coarse is not None and jac:
            # Quasi-Newton from the subsample's optimum, with the subsample's curvature as the
            # first inverse Hessian: a handful of full evaluations instead of ~20.
            warm, inv_hess = _warm_start(coarse, start)
            if inv_hess is not None and np.all(np.abs(warm) < LOG_BOUND - 1):
                best = optimize.minimize(objective, warm, method="BFGS", jac=True,
                                         options={"gtol": 1e-9, "hess_inv0": inv_hess})
                start = best.x if best.fun < huge else start
        if best is None or not best.success:
            best = optimize.minimize(objective, start, method="L-BFGS-B", jac=jac,
                                     bounds=bounds, options=opts)
        if not best.success:
            polish = optimize.minimize(objective, best.x, method="L-BFGS-B", jac=jac,
                                       bounds=bounds, options=opts)
            if polish.fun <= best.fun:
                best = polish
        if not best.success or best.fun >= huge:
            nm = optimize.minimize(lambda t: value(np.clip(t, -LOG_BOUND, LOG_BOUND)),
                                   best.x if best.fun < huge else start, method="Nelder-Mead",
                                   options={"maxiter": 4000 * len(start), "xatol": 1e-8,
                                            "fatol": 1e-13})
            nm.x = np.clip(nm.x, -LOG_BOUND, LOG_BOUND)
            if nm.fun <= best.fun:
                best = nm
    if not best.success or best.fun >= huge:
        warnings.warn(f"{model}: the optimiser did not converge ({best.message}); the "
                      f"parameters may be wrong. Check the inputs (units, enough repeat "
                      f"customers).", UserWarning, stacklevel=3)
    at_bound = [n for n, t in zip(names, best.x) if abs(t) > LOG_BOUND - 1e-3]
    if at_bound:
        warnings.warn(f"{model}: parameter(s) {at_bound} hit the search bound "
                      f"exp(+/-{LOG_BOUND:g}); the data do not pin them down (too few repeat "
                      f"customers?). Do not trust the fit.", UserWarning, stacklevel=3)
    return np.exp(best.x), float(best.fun)


def horizon(t: object) -> float:
    """One non-negative horizon ``t`` as a float; InputError for arrays, negatives, NaN."""
    value = np.asarray(t, dtype=float) if isinstance(t, (int, float, np.number)) else None
    if value is None or not value >= 0:
        raise InputError(f"t={t!r} must be one non-negative horizon (in the fit's time unit).")
    return float(value)


def hyp2f1(a: Any, b: Any, c: Any, z: Any) -> np.ndarray:
    """Gauss hypergeometric 2F1 for 0 <= z < 1: scipy's, with the power series where scipy
    returns inf/NaN (it does in some corners, e.g. 2F1(-0.5, -0.5; 99; 0.96) = inf in scipy
    1.17 while the true value is 1.0024)."""
    out = np.array(special.hyp2f1(a, b, c, z), dtype=float)
    bad = ~np.isfinite(out)
    if bad.any():
        out[bad] = hyp2f1_series(*(np.broadcast_to(np.asarray(v, dtype=float), out.shape)[bad]
                                   for v in (a, b, c, z)))
    return out


def hyp2f1_series(a: np.ndarray, b: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """2F1 by its defining power series, summed until the terms stop mattering (|z| < 1)."""
    term = np.ones(np.shape(z))
    total = np.ones(np.shape(z))
    for k in range(100_000):  # terms shrink like z^k: a few hundred steps for z < 0.99
        term = term * (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total += term
        if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
            break
    return total


def _warm_start(fun: Objective, start: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Optimum of ``fun`` (a subsample objective with gradient) and its inverse Hessian there
    (central differences of the gradient), or None when that is not positive definite."""
    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(start)

    def safe(theta: np.ndarray) -> tuple[float, np.ndarray]:
        f, g = fun(theta)  # type: ignore[misc]
        if not (np.isfinite(f) and np.isfinite(g).all()):
            return 1e300, np.zeros_like(theta)
        return float(f), g

    x = optimize.minimize(safe, start, method="L-BFGS-B", jac=True, bounds=bounds,
                          options={"ftol": 1e-12, "gtol": 1e-8, "maxiter": 1000}).x
    h = 1e-5
    cols = [(safe(x + h * e)[1] - safe(x - h * e)[1]) / (2 * h) for e in np.eye(len(x))]
    hess = np.array(cols)
    hess = (hess + hess.T) / 2
    if not np.all(np.isfinite(hess)) or np.linalg.eigvalsh(hess).min() <= 0:
        return x, None
    inv = np.linalg.inv(hess)
    return x, (inv + inv.T) / 2  # exactly symmetric, as BFGS checks


def subsample(n_rows: int, size: int = 20_000) -> np.ndarray | None:
    """Fixed (seeded) row subset for a warm start, or None when the data are small anyway."""
    if n_rows <= 2 * size:
        return None
    return np.sort(np.random.default_rng(0).choice(n_rows, size, replace=False))


def log_diff_exp(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """log(exp(a) - exp(b)) for a >= b, without overflow; -inf where a == b."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return a + np.log(-np.expm1(np.minimum(b - a, 0.0)))
