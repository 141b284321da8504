"""The Gamma-Gamma model of average transaction value (Fader & Hardie 2013; Colombo & Jiang 1999).

A customer's transaction values are Gamma(p, nu) with ``nu ~ Gamma(q, gamma)`` across
customers, independent of the purchase process. Only the mean spend ``m_x`` over the ``x``
repeat transactions is needed. Spend policy: the model needs positive values, so a repeat
customer with a zero or negative mean spend is an :class:`~cvmlib.validate.InputError` (fix or
drop them and say so); customers with ``frequency == 0`` are skipped in the fit and get the
population mean in predictions.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import special

from cvmlib.clv._common import ArrayLike, as_array, check, fit_log_params, same_length, unique_rows
from cvmlib.validate import InputError

__all__ = ["GammaGamma"]

_NAMES = ["p", "q", "gamma"]


def _gg_ll(params: Sequence[float], x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood of the mean spend m over x transactions (FH 2013, eq. 4)."""
    p, q, gamma = params
    px = p * x
    return (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q)
            + q * np.log(gamma) + (px - 1) * np.log(m) + px * np.log(x)
            - (px + q) * np.log(gamma + m * x))


def _objective(x: np.ndarray, m: np.ndarray,
               w: np.ndarray) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Mean negative log-likelihood over log-parameters and its analytic gradient."""
    total = w.sum()
    log_m, log_x, mx = np.log(m), np.log(x), m * x

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, gamma = np.exp(theta)
        px = p * x
        log_gmx = np.log(gamma + mx)
        ll = w @ (special.gammaln(px + q) - special.gammaln(px) + (px - 1) * log_m
                  + px * log_x - (px + q) * log_gmx) + total * (q * np.log(gamma)
                                                               - special.gammaln(q))
        psi = special.digamma(px + q)
        d_p = w @ (x * (psi - special.digamma(px) + log_m + log_x - log_gmx))
        d_q = w @ (psi - log_gmx) + total * (np.log(gamma) - special.digamma(q))
        d_gamma = total * q / gamma - w @ ((px + q) / (gamma + mx))
        grad = np.array([d_p, d_q, d_gamma]) * np.array([p, q, gamma])
        return -float(ll) / total, -grad / total

    return fun


class GammaGamma:
    """Gamma-Gamma model of average transaction value (Fader & Hardie 2013; Colombo & Jiang 1999).

    Fit on repeat customers (``frequency > 0``) with their mean repeat spend; customers with
    ``frequency == 0`` are skipped. Attributes after :meth:`fit`: ``params_`` (``p``, ``q``,
    ``gamma``), ``log_likelihood_``.

    Examples
    --------
    Simulated from the model with p = 6.25, q = 3.74, gamma = 15.44 (the CDNOW fit):

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(1, 6, 2000)
    >>> nu = rng.gamma(3.74, 1 / 15.44, 2000)        # each customer's Gamma rate
    >>> m = rng.gamma(6.25 * x, 1 / (nu * x))         # mean of x Gamma(p, nu) values
    >>> gg = GammaGamma().fit(x, m)
    >>> sorted(gg.params_)
    ['gamma', 'p', 'q']
    >>> gg.conditional_expected_average_profit([1, 5], [30.0, 30.0]).round(1)  # shrunk to the mean
    array([31.5, 30.4])
    """

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}
        self.log_likelihood_: float = np.nan

    @staticmethod
    def _inputs(frequency: ArrayLike, monetary_value: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        x, m = as_array(frequency, "frequency"), as_array(monetary_value, "monetary_value")
        same_length(frequency=x, monetary_value=m)
        bad_x = ~np.isfinite(x) | (x < 0) | (x != np.round(x))
        bad_m = (x > 0) & ~(m > 0) | (x > 0) & ~np.isfinite(m)
        if bad_x.any() or bad_m.any():
            df = pd.DataFrame({"frequency": x, "monetary_value": m})
            check(df, "frequency", bad_x, "it is not a non-negative whole number")
            check(df, "monetary_value", bad_m,
                  "a repeat customer's mean spend is not a positive number (the Gamma-Gamma "
                  "model needs positive values: drop or fix these customers, and say so)")
        return x, m

    def fit(self, frequency: ArrayLike, monetary_value: ArrayLike,
            weights: ArrayLike | None = None) -> GammaGamma:
        """Maximum-likelihood fit on the customers with ``frequency > 0``."""
        x, m = self._inputs(frequency, monetary_value)
        keep = x > 0
        if not keep.any():
            raise InputError("Column 'frequency' has no customer with frequency > 0: the "
                             "Gamma-Gamma model needs repeat customers.")
        w_all = None if weights is None else as_array(weights, "weights")
        if w_all is not None:
            same_length(frequency=x, weights=w_all)
            w_all = w_all[keep]
        rows, w = unique_rows([x[keep], m[keep]], w_all)
        # Start from the method of moments guess p = 1, q = 2, gamma = mean spend.
        start = np.array([0.0, np.log(2.0), np.log(float(np.average(rows[:, 1], weights=w)))])
        params, value = fit_log_params(_objective(rows[:, 0], rows[:, 1], w), start, _NAMES,
                                       "GammaGamma", jac=True)
        self.params_ = dict(zip(_NAMES, map(float, params)))
        self.log_likelihood_ = -value * float(w.sum())
        if self.params_["q"] <= 1:
            warnings.warn(f"GammaGamma: q = {self.params_['q']:.3g} <= 1, so the population mean "
                          f"spend p*gamma/(q-1) is infinite and predictions for customers with "
                          f"few purchases are unreliable (very heavy-tailed spend?).",
                          UserWarning, stacklevel=2)
        return self

    def log_likelihood(self, frequency: ArrayLike, monetary_value: ArrayLike) -> np.ndarray:
        """Per-customer log-likelihood at the fitted parameters (NaN for ``frequency == 0``)."""
        x, m = self._inputs(frequency, monetary_value)
        with np.errstate(all="ignore"):
            return np.where(x > 0, _gg_ll(self._params(), x, m), np.nan)

    def _params(self) -> tuple[float, float, float]:
        if not self.params_:
            raise RuntimeError("GammaGamma is not fitted yet: call .fit(frequency, monetary_value).")
        return self.params_["p"], self.params_["q"], self.params_["gamma"]

    def conditional_expected_average_profit(self, frequency: ArrayLike,
                                            monetary_value: ArrayLike) -> np.ndarray:
        """E[mean transaction value | x, m_x] (FH 2013, eq. 5): a weighted mean of the
        population mean ``p gamma / (q - 1)`` and the customer's own ``m_x``. Customers with
        ``frequency == 0`` get the population mean."""
        p, q, gamma = self._params()
        x, m = self._inputs(frequency, monetary_value)
        m = np.where(x > 0, m, 0.0)
        return (gamma + m * x) * p / (p * x + q - 1)
