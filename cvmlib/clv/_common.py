"""Shared plumbing of the CLV models: time units, the models' input rules, unique rows, the
optimiser, and the special functions the likelihoods need.

Kept private: the public API lives in the model modules and is re-exported by ``cvmlib.clv``. The
input rules are expressed with the shared guards of :mod:`cvmlib.validate` (which raise the
:class:`~cvmlib.validate.InputError` naming the column and showing the rows); only what is
particular to the BTYD models (``recency <= T``, a repeat buyer's recency is positive, ...) is
stated here.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
from scipy import optimize, special

from cvmlib.i18n import N_, _
from cvmlib.validate import (InputError, join_sentences, reject_rows, require_1d, require_choice, require_finite,
                             require_finite_sum, require_non_negative, require_not_empty, require_numeric,
                             require_whole_number, require_within)

#: Length of one time unit in days: days, weeks of 7 days, months of 365.25 / 12 days.
UNIT_DAYS: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 30.4375}

ArrayLike: TypeAlias = "Sequence[float] | np.ndarray | pd.Series"

# Log-parameters are kept in [-LOG_BOUND, LOG_BOUND]: ~[4.5e-5, 22026]. Reaching it means the
# data do not identify the parameter (e.g. no repeat buyers at all) -- we warn.
LOG_BOUND = 10.0

#: Largest frequency (repeat purchase periods) a customer may have: beyond it the likelihoods'
#: gamma functions overflow, and no real count of purchase days comes near it.
MAX_FREQUENCY = 1e9

#: Objective: log-parameters -> mean negative log-likelihood (and its gradient when jac=True).
Objective: TypeAlias = Callable[[np.ndarray], "float | tuple[float, np.ndarray]"]

_SEQUENCES = (pd.Series, pd.DataFrame, pd.Index, np.ndarray, list, tuple, range)


def unit_days(unit: str, name: str = "unit") -> float:
    """Days in one ``unit`` ("D", "W" or "M"); an :class:`InputError` naming ``name`` otherwise.

    Examples
    --------
    >>> unit_days("W")
    7.0
    >>> unit_days("Y", "period")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: period='Y' is not one of ['D', 'W', 'M']. Time units: ...
    """
    try:
        require_choice(unit, name, list(UNIT_DAYS))
    except InputError as exc:
        raise InputError(join_sentences(str(exc), _("Time units: 'D' days, 'W' weeks of 7 days, 'M' months of "
                                                    "30.4375 days."))) from None
    return UNIT_DAYS[unit]


def as_array(values: Any, name: str) -> np.ndarray:
    """One value per customer as a 1-d float array (NaN kept: the caller's rules decide).

    A single number is one customer. Refused with an :class:`InputError` naming ``name``: a
    table or a 2-d array (never flattened), text, booleans, dates, an empty input.
    """
    if isinstance(values, np.ndarray) and values.ndim == 0:
        values = values.item()
    if not isinstance(values, _SEQUENCES):
        require_numeric(values, name)  # one customer: a number (not a bool, text or None)
        values = [values]
    checked = require_1d(values, name)
    dtype = checked.dtype
    if not (isinstance(dtype, np.dtype) and dtype.kind in "fiu"):  # bools, text, objects, dates
        checked = require_numeric(checked, name)
    require_not_empty(checked, name, "customers")
    return np.asarray(checked, dtype=float)


def same_length(**arrays: np.ndarray) -> None:
    """InputError when the named arrays differ in length."""
    sizes = {k: v.size for k, v in arrays.items()}
    if len(set(sizes.values())) > 1:
        raise InputError(_("{names} must have the same length (one value per customer), got {sizes}.").format(
            names=", ".join(sizes), sizes=sizes))


def btyd_inputs(frequency: ArrayLike, recency: ArrayLike,
                T: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked (frequency, recency, T) float arrays, all errors raised before any computation.

    The BTYD rules: finite numbers; ``frequency`` a whole number in ``[0, MAX_FREQUENCY]``;
    ``0 <= recency <= T``; ``recency > 0`` exactly when ``frequency > 0``.
    """
    cols = {"frequency": as_array(frequency, "frequency"), "recency": as_array(recency, "recency"),
            "T": as_array(T, "T")}
    same_length(**cols)
    x, tx, big_t = cols["frequency"], cols["recency"], cols["T"]
    with np.errstate(invalid="ignore"):
        problems = (~(np.isfinite(x) & np.isfinite(tx) & np.isfinite(big_t)) | (x < 0)
                    | (x != np.round(x)) | (x > MAX_FREQUENCY) | (tx < 0) | (tx > big_t)
                    | ((x > 0) & (tx == 0)) | ((x == 0) & (tx != 0)))
    if not problems.any():  # the fast path for large clean inputs
        return x, tx, big_t
    frame = pd.DataFrame(cols)  # only built on failure: it carries the offending rows
    show = list(cols)
    for col in cols:
        require_finite(frame[col], col, frame=frame, columns=show)
    require_whole_number(frame["frequency"], "frequency", frame=frame, columns=show, minimum=0)
    require_within(frame["frequency"], "frequency", 0, MAX_FREQUENCY, frame=frame, columns=show,
                   fix=N_("frequency counts repeat purchase periods (e.g. days): check the column."))
    require_non_negative(frame["recency"], "recency", frame=frame, columns=show,
                         fix=N_("recency is the time from the first to the last purchase."))
    reject_rows(frame, tx > big_t, lambda n: _(
        "Column 'recency' has {n:,} row(s) where it is larger than T (the last purchase is after the end of "
        "the period): both are measured from the first purchase, in the same unit.").format(n=n), show)
    reject_rows(frame, (x > 0) & (tx == 0), lambda n: _(
        "Column 'recency' has {n:,} row(s) where frequency > 0 but recency is 0 (a repeat purchase day cannot "
        "be the first purchase day).").format(n=n), show)
    reject_rows(frame, (x == 0) & (tx != 0), lambda n: _(
        "Column 'recency' has {n:,} row(s) where frequency is 0 but recency is not 0 (without a repeat "
        "purchase the last purchase is the first).").format(n=n), show)
    raise AssertionError("unreachable")  # pragma: no cover


def horizon(t: Any, name: str = "t") -> float:
    """One horizon ``t >= 0`` (``inf`` allowed: the caller takes the limit or refuses it)."""
    if isinstance(t, np.ndarray) and t.ndim == 0:
        t = t.item()
    if isinstance(t, (float, np.floating)) and t == np.inf:
        return float("inf")
    return float(require_non_negative(t, name, scalar=True, fix=_(
        "{name} is a horizon in the fit's time unit (e.g. 52 weeks).").format(name=name)))


def grid(values: Any, name: str, *, whole: bool = False, allow_inf: bool = True) -> np.ndarray:
    """Non-negative numbers of any shape (a grid of horizons or counts), kept in that shape.

    ``whole``: whole numbers (purchase counts). ``inf`` passes when ``allow_inf`` (the caller
    takes the limit). Text, booleans, NaN, negatives and an empty grid are errors.
    """
    if isinstance(values, np.ndarray) and values.ndim == 0:
        values = values.item()
    if not isinstance(values, _SEQUENCES):
        if not (allow_inf and isinstance(values, (float, np.floating)) and values == np.inf):
            check = require_whole_number if whole else require_non_negative
            kwargs: dict[str, Any] = {"minimum": 0} if whole else {}
            check(values, name, scalar=True, **kwargs)
        return np.array(float(values))
    try:
        arr = np.asarray(values)
    except ValueError as exc:  # ragged nested lists
        raise InputError(_("{name} must be numbers in a regular grid (a list or an array); got rows of "
                           "different lengths.").format(name=name)) from exc
    flat = arr.reshape(-1)  # checked value by value; the result keeps the shape
    require_not_empty(flat, name, "values")
    if not (isinstance(flat.dtype, np.dtype) and flat.dtype.kind in "fiu"):
        flat = require_numeric(flat, name)
    flat = np.asarray(flat, dtype=float)
    finite_part = np.where(flat == np.inf, 0.0, flat) if allow_inf else flat
    if whole:
        require_whole_number(finite_part, name, minimum=0)
    else:
        require_non_negative(finite_part, name)
    return flat.reshape(arr.shape)


def distinct_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the stacked columns (hash-based, first-seen order) and, for every input
    row, the index of its distinct row: a million customers share a few thousand rows.

    Each column is factorised on its own (a hash table of floats) and the codes are combined
    into one integer key, factorised once more: about twice as fast as a multi-column groupby,
    with the same first-seen order (NaN is a value of its own, as ``dropna=False`` made it).
    """
    key: np.ndarray | None = None
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        if key is None:
            key = codes.astype(np.int64)
            continue
        if float(key.max()) * len(uniques) >= 2.0**62:  # compress first: the product stays < 2^63
            key = pd.factorize(key)[0].astype(np.int64)
        key = key * len(uniques) + codes
    assert key is not None
    codes = pd.factorize(key)[0]
    rows = np.empty((int(codes.max()) + 1, len(columns)))
    rows[codes] = np.column_stack(columns)  # duplicates write identical values
    return rows, codes


def unique_rows(columns: list[np.ndarray],
                weights: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the stacked columns and their total weights (checked: finite, >= 0, one
    per customer, a positive and finite total)."""
    n = columns[0].size
    if weights is None:
        w = np.ones(n)
    else:
        w = as_array(weights, "weights")
        if w.size != n:
            raise InputError(_("weights has {weights:,} values for {n:,} customers: pass one weight (the number "
                               "of customers with that row) per customer.").format(weights=w.size, n=n))
        if not (np.isfinite(w).all() and (w >= 0).all()):
            frame = pd.DataFrame({"weights": w})
            require_non_negative(frame["weights"], "weights", frame=frame,
                                 fix=N_("A weight is the number of customers sharing a row."))
        if not require_finite_sum(w, "weights") > 0:
            raise InputError(_("weights sum to 0: no customer would count in the fit. A weight is the number of "
                               "customers sharing a row."))
    rows, codes = distinct_rows(columns)
    return rows, np.bincount(codes, weights=w, minlength=len(rows))


def exact_scale(typical: float) -> float:
    """The power of 2 nearest to ``typical`` (> 0): dividing by it is exact in floating point, so a
    fit on ``values / exact_scale(...)`` is the same fit, only safe from over- and underflow."""
    return float(2.0 ** np.round(np.log2(typical))) if typical > 0 and np.isfinite(typical) else 1.0


def fit_log_params(fun: Objective, start: np.ndarray, names: list[str], model: str,
                   jac: bool = False, coarse: Objective | None = None,
                   bound_message: Callable[[list[str], np.ndarray], str | None] | None = None,
                   ) -> tuple[np.ndarray, float]:
    """Minimise ``fun`` over log-parameters; return ``exp(best)`` and the minimum.

    ``fun`` returns the mean negative log-likelihood, or ``(value, gradient)`` when ``jac``.
    ``coarse`` (same kind, on a subsample of the rows) first moves ``start`` close to the
    optimum, so the full objective needs only a few evaluations. L-BFGS-B, restarted once when
    it stops without converging; Nelder-Mead takes over when that fails too. Warns (never
    silently returns) when the optimiser does not converge or a parameter ends on the bound;
    ``bound_message(names_on_the_bound, parameters)`` may say what the bound means for the model
    (e.g. "the data show no churn") instead of the generic warning.
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

    def settled(res: optimize.OptimizeResult) -> bool:
        """Converged, or stopped by a failed line search at a stationary point (L-BFGS-B's
        "ABNORMAL" at the optimum, where rounding leaves no descent): the projected gradient of
        the mean log-likelihood is below 1e-7 there -- not a failure to report."""
        if res.success:
            return True
        grad = getattr(res, "jac", None)
        if not jac or grad is None or not res.fun < huge or not np.all(np.isfinite(grad)):
            return False
        outward = (((res.x >= LOG_BOUND - 1e-8) & (grad < 0))
                   | ((res.x <= -LOG_BOUND + 1e-8) & (grad > 0)))  # pressing on a bound
        return float(np.max(np.abs(np.where(outward, 0.0, grad)))) <= 1e-7
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
        if best is None or not settled(best):
            best = optimize.minimize(objective, start, method="L-BFGS-B", jac=jac,
                                     bounds=bounds, options=opts)
        if not settled(best):
            polish = optimize.minimize(objective, best.x, method="L-BFGS-B", jac=jac,
                                       bounds=bounds, options=opts)
            if polish.fun <= best.fun:
                best = polish
        if not settled(best) or best.fun >= huge:
            nm = optimize.minimize(lambda t: value(np.clip(t, -LOG_BOUND, LOG_BOUND)),
                                   best.x if best.fun < huge else start, method="Nelder-Mead",
                                   options={"maxiter": 4000 * len(start), "xatol": 1e-8,
                                            "fatol": 1e-13})
            nm.x = np.clip(nm.x, -LOG_BOUND, LOG_BOUND)
            if nm.fun <= best.fun:
                best = nm
    if not settled(best) or best.fun >= huge:
        warnings.warn(_("{model}: the optimiser did not converge ({reason}); the parameters may be wrong. Check "
                        "the inputs (units, enough repeat customers).").format(model=model, reason=best.message),
                      UserWarning, stacklevel=3)
    at_bound = [n for n, t in zip(names, best.x) if abs(t) > LOG_BOUND - 1e-3]
    specific = bound_message(at_bound, np.exp(best.x)) if at_bound and bound_message else None
    if specific:
        warnings.warn(specific, UserWarning, stacklevel=3)
    elif at_bound:
        warnings.warn(_("{model}: parameter(s) {names} hit the search bound exp(+/-{bound:g}); the data do not "
                        "pin them down (too few repeat customers?). Do not trust the fit.").format(
                            model=model, names=at_bound, bound=LOG_BOUND), UserWarning, stacklevel=3)
    return np.exp(best.x), float(best.fun)


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
    a, b, c, z = (np.asarray(v, dtype=float)[..., None] for v in (a, b, c, z))
    term = np.ones(z.shape[:-1])
    total = np.ones(z.shape[:-1])
    block = 256  # terms per step, as a running product: near z = 1 the series needs thousands
    for start in range(0, 100_000, block):
        k = np.arange(start, start + block, dtype=float)
        terms = term[..., None] * np.cumprod((a + k) * (b + k) / ((c + k) * (k + 1)) * z, axis=-1)
        total = total + terms.sum(axis=-1)
        term = terms[..., -1]
        if np.all(np.abs(term) <= 1e-17 * np.abs(total)):  # terms shrink like z^k at the end
            break
    return total


#: Where :func:`log_hyp2f1_a1` switches from scipy to the expansion around z = 1.
NEAR_ONE = 0.9
#: The expansion is used where its terms cancel by at most this factor (measured: relative error
#: below 2e-11 against a 40-digit reference; scipy is off by up to 2.5e-6 in the same region).
MAX_CANCELLATION = 1e3


def log_hyp2f1_a1(b: Any, c: Any, z: Any, one_minus_z: Any) -> np.ndarray:
    """``log 2F1(1, b; c; z)`` for ``0 <= z < 1``, ``b > 0``, ``c > 1``; ``one_minus_z`` is
    ``1 - z`` computed exactly by the caller (as a ratio, not as ``1 - z``).

    Why: for ``z`` near 1 scipy's 2F1 (Cephes) first sums up to 10,000 terms of the power series
    before it switches to the expansion around ``z = 1``; a fit whose parameters drift there
    (a Pareto/NBD fit on data without churn: ``beta / alpha`` in the thousands) then spends
    seconds per evaluation. For ``z > NEAR_ONE`` the expansion (Abramowitz & Stegun 15.3.6,
    with ``a = 1``, ``d = c - b - 1``, ``e = 1 - z``)::

        2F1(1, b; c; z) = (c-1)/d 2F1(1, b; 1-d; e) + e^d (1-e)^(1-c) G(c) G(-d) / G(b)

    is evaluated directly, in logs (no overflow for large ``c``), with its own power series in
    ``e`` (scipy's is inaccurate for ``1 - d < 0`` and large ``b``). Where the two terms cancel
    by more than ``MAX_CANCELLATION`` (``d`` near an integer, or ``b e`` large) scipy's
    :func:`hyp2f1` is used as before.
    """
    z = np.asarray(z, dtype=float)
    if not (z > NEAR_ONE).any():  # the usual case (e.g. the CDNOW fits): scipy alone
        with np.errstate(divide="ignore"):
            return np.log(hyp2f1(1.0, b, c, z))
    b, c, z, eps = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (b, c, z, one_minus_z)))
    out = np.full(z.shape, np.nan)
    near = (z > NEAR_ONE) & (c - b <= 8) & (b * eps <= 8)  # beyond: scipy's series is quick
    if near.any():
        out[near] = _log_hyp2f1_a1_near_one(b[near], c[near], eps[near])
    rest = np.isnan(out)
    if rest.any():
        with np.errstate(divide="ignore"):
            out[rest] = np.log(hyp2f1(1.0, b[rest], c[rest], z[rest]))
    return out


def _log_hyp2f1_a1_near_one(b: np.ndarray, c: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """A&S 15.3.6 for ``log 2F1(1, b; c; 1 - eps)`` (see :func:`log_hyp2f1_a1`); NaN where it
    would lose more than ``MAX_CANCELLATION``."""
    d = c - b - 1.0
    with np.errstate(all="ignore"):
        # 2F1(1, b; 1 - d; eps) by its power series: eps < 0.1 and b eps <= 8, so it converges in
        # a few dozen terms (the largest term is tracked: a sum that cancels is not trusted)
        term, inner, largest = np.ones_like(eps), np.ones_like(eps), np.ones_like(eps)
        for k in range(1000):
            term = term * (b + k) / (1.0 - d + k) * eps
            inner = inner + term
            largest = np.maximum(largest, np.abs(term))
            if np.all(np.abs(term) <= 1e-17 * np.abs(inner)):
                break
        log1 = np.log(c - 1.0) - np.log(np.abs(d)) + np.log(np.abs(inner))
        sign1 = np.sign(d) * np.sign(inner)
        # G(c) / G(b) as a Pochhammer symbol: a difference of two huge log-gammas loses digits
        log2 = (d * np.log(eps) - (c - 1.0) * np.log1p(-eps) + np.log(special.poch(b, c - b))
                + special.gammaln(-d))
        sign2 = special.gammasgn(-d)
        top = np.maximum(log1, log2)
        total = sign1 * np.exp(log1 - top) + sign2 * np.exp(log2 - top)
        out = top + np.log(total)
        lost = (~(total > 0) | ~np.isfinite(out) | (largest / np.abs(inner) > MAX_CANCELLATION)
                | (top - out > np.log(MAX_CANCELLATION)))
    return np.where(lost, np.nan, out)


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


#: Two-sided 95% normal quantile, scipy.stats.norm.ppf(0.975).
Z_95 = 1.959963984540054


def observed_information(fun: Objective, log_params: np.ndarray, total: float,
                         scale: np.ndarray | None = None) -> np.ndarray:
    """Observed information matrix (minus the Hessian of the TOTAL log-likelihood) on the
    natural parameter scale, at ``exp(log_params)``.

    ``fun`` is a fit's objective with gradient (mean negative log-likelihood over
    log-parameters, as :func:`fit_log_params` minimises); ``total`` the total weight (number of
    customers), so the information of the total is ``total`` times that of the mean. The Hessian
    in log-parameters comes from central differences of the analytic gradient, Richardson-
    extrapolated over two steps (error O(h^4), ~1e-10; noise of a numerically differentiated
    gradient ~1e-6 relative); the chain rule for ``phi = exp(theta)`` then gives

        d2f/dphi_i dphi_j = (H_ij - [i == j] g_i) / (phi_i phi_j)

    (``g`` the log-scale gradient, ~0 at the optimum but kept: it is exact). ``scale``: the
    parameters in the data's units are ``exp(log_params) * scale`` (e.g. a Gamma-Gamma fit in a
    rescaled unit of money); the information is returned for those.
    """
    theta = np.asarray(log_params, dtype=float)
    k = theta.size

    def grad(at: np.ndarray) -> np.ndarray:
        return np.asarray(fun(at)[1], dtype=float)  # type: ignore[index]

    def hessian(h: float) -> np.ndarray:
        return np.array([(grad(theta + h * e) - grad(theta - h * e)) / (2 * h) for e in np.eye(k)])

    with np.errstate(all="ignore"):
        h_theta = (4 * hessian(5e-4) - hessian(1e-3)) / 3
        g = grad(theta)
    h_theta = (h_theta + h_theta.T) / 2
    phi = np.exp(theta) * (1.0 if scale is None else np.asarray(scale, dtype=float))
    return float(total) * (h_theta - np.diag(g)) / np.outer(phi, phi)


def parameter_table(model: str, names: Sequence[str], params: Sequence[float],
                    information: np.ndarray) -> pd.DataFrame:
    """Estimate, standard error and 95% interval per parameter from the observed information.

    The interval is Wald's on the log scale, ``exp(log(phi) +- 1.96 se / phi)`` (delta method):
    it stays positive, as the parameters are; lifetimes' ``summary`` shows ``phi +- 1.96 se``,
    which can go below 0. An :class:`InputError` when the information is not positive definite
    (a parameter the data do not pin down): then no standard error exists.
    """
    info = np.asarray(information, dtype=float)
    eig = np.linalg.eigvalsh(info) if np.isfinite(info).all() else np.array([np.nan])
    if not (eig.min() > 0):
        raise InputError(_("{model}: the observed information matrix is not positive definite at the fitted "
                           "parameters (smallest eigenvalue {eig:.3g}), so the parameters have no standard errors: "
                           "the data do not pin every parameter down (a parameter on the search bound, too few "
                           "repeat customers). Do not read the estimates as precise.").format(
                               model=model, eig=float(eig.min())))
    cov = np.linalg.inv(info)
    se = np.sqrt(np.diag((cov + cov.T) / 2))
    phi = np.asarray(params, dtype=float)
    spread = np.exp(Z_95 * se / phi)
    return pd.DataFrame({"estimate": phi, "standard_error": se, "lower_95": phi / spread,
                         "upper_95": phi * spread}, index=pd.Index(list(names), name="parameter"))
