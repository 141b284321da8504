"""The Gamma-Gamma model of average transaction value (Fader & Hardie 2013; Colombo & Jiang 1999).

A customer's transaction values are Gamma(p, nu) with ``nu ~ Gamma(q, gamma)`` across
customers, independent of the purchase process. Only the mean spend ``m_x`` over the ``x``
repeat transactions is needed. Spend policy: the model needs positive values, so a repeat
customer with a zero or negative mean spend is an :class:`~cvmlib.validate.InputError` (fix or
drop them and say so); customers with ``frequency == 0`` are skipped in the fit and get the
population mean in predictions (their ``monetary_value`` may be 0 or NaN, never negative).

Expected spend needs ``q > 1``. A customer's expected transaction value is the mean of ``p / nu``
given their data, ``p (gamma + x m_x) / (p x + q - 1)``: the mean of ``1 / nu`` under a Gamma with
shape ``p x + q`` exists only when ``p x + q > 1``, so for a customer without repeat purchases
(and the population mean ``p gamma / (q - 1)``) only when ``q > 1``. A fit with ``q <= 1`` says
the spend data are too heavy-tailed for the model; :meth:`GammaGamma.fit` warns and
:meth:`GammaGamma.conditional_expected_average_profit` refuses to predict for the customers
whose expected spend does not exist, instead of returning the negative or infinite numbers the
formula gives there. (lifetimes offers ``q_constraint=True``, a fit bounded at ``q >= 1``, which
at the bound still gives an infinite population mean; pymc-marketing's maintainers chose to
warn or raise in the expectation methods only -- pymc-marketing issue #594 -- as done here.)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Self

import numpy as np
import pandas as pd
from scipy import special

from cvmlib.clv._common import (ArrayLike, MAX_FREQUENCY, as_array, exact_scale, fit_log_params,
                                observed_information, parameter_table, same_length, unique_rows)
from cvmlib.i18n import N_, _
from cvmlib.validate import (InputError, reject_rows, require_finite, require_finite_sum, require_positive,
                             require_whole_number, require_within)

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
    ``gamma``), ``log_likelihood_``, ``standard_errors_`` (see :meth:`summary`).

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
    >>> gg.summary().round(2)  # estimates with standard errors and 95% intervals
               estimate  standard_error  lower_95  upper_95
    parameter
    p              6.39            1.06      4.62      8.85
    q              3.74            0.18      3.40      4.11
    gamma         14.98            3.16      9.91     22.63
    """

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}
        self.log_likelihood_: float = np.nan
        # the fit's distinct rows in its unit of money, kept for the standard errors
        self._fit_data: tuple[np.ndarray, np.ndarray, np.ndarray, float, float] | None = None
        self._fit_params: dict[str, float] = {}
        self._summary: pd.DataFrame | None = None

    @staticmethod
    def _inputs(frequency: ArrayLike, monetary_value: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        x, m = as_array(frequency, "frequency"), as_array(monetary_value, "monetary_value")
        same_length(frequency=x, monetary_value=m)
        with np.errstate(invalid="ignore"):
            bad_x = ~np.isfinite(x) | (x < 0) | (x != np.round(x)) | (x > MAX_FREQUENCY)
            repeat = x > 0
            bad_m = (repeat & ~(np.isfinite(m) & (m > 0))) | (~repeat & (np.isinf(m) | (m < 0)))
        if bad_x.any() or bad_m.any():
            frame = pd.DataFrame({"frequency": x, "monetary_value": m})
            show = list(frame.columns)
            require_finite(frame["frequency"], "frequency", frame=frame, columns=show)
            require_whole_number(frame["frequency"], "frequency", frame=frame, columns=show, minimum=0)
            require_within(frame["frequency"], "frequency", 0, MAX_FREQUENCY, frame=frame, columns=show)
            reject_rows(frame, repeat & ~(np.isfinite(m) & (m > 0)), lambda n: _(
                "Column 'monetary_value' has {n:,} row(s) where a repeat customer's mean spend is not a positive "
                "number (the Gamma-Gamma model needs positive values: drop or fix these customers, and say "
                "so).").format(n=n), show)
            reject_rows(frame, ~repeat & (np.isinf(m) | (m < 0)), lambda n: _(
                "Column 'monetary_value' has {n:,} row(s) without repeat purchases (frequency 0) whose mean spend "
                "is negative or infinite: it should be 0 or NaN (no repeat purchase, no mean). Check the "
                "column.").format(n=n), show)
        return x, m

    def fit(self, frequency: ArrayLike, monetary_value: ArrayLike,
            weights: ArrayLike | None = None) -> Self:
        """Maximum-likelihood fit on the customers with ``frequency > 0``.

        Fitted in a unit of money near the data's own (the mean spend divided by a power of 2,
        which is exact), so spend in cents or in millions gives the same ``p``, ``q`` and a
        ``gamma`` in the data's unit. Warns when ``q <= 1`` (see the module docstring).
        """
        x, m = self._inputs(frequency, monetary_value)
        keep = x > 0
        if not keep.any():
            raise InputError(_("Column 'frequency' has no customer with frequency > 0: the Gamma-Gamma model needs "
                               "repeat customers."))
        w_all = None if weights is None else as_array(weights, "weights")
        if w_all is not None:
            same_length(frequency=x, weights=w_all)
            w_all = w_all[keep]
        rows, w = unique_rows([x[keep], m[keep]], w_all)
        # Total spend must stay finite (1e308 twice is inf): the likelihood needs x * m.
        require_finite_sum(w / exact_scale(float(w.max())) * rows[:, 0] * rows[:, 1], "monetary_value")
        # a typical spend (geometric mean: heavy tails do not move it much) becomes about 1
        money = exact_scale(float(np.exp(np.average(np.log(rows[:, 1]), weights=w))))
        spend = rows[:, 1] / money
        # Start from the method of moments guess p = 1, q = 2, gamma = mean spend.
        start = np.array([0.0, np.log(2.0), np.log(float(np.average(spend, weights=w)))])
        params, value = fit_log_params(_objective(rows[:, 0], spend, w), start, _NAMES,
                                       "GammaGamma", jac=True)
        p, q, gamma = map(float, params)
        self.params_ = {"p": p, "q": q, "gamma": gamma * money}
        # each mean spend's density scales with 1 / money: log-likelihood in the data's unit
        self.log_likelihood_ = float(-value * w.sum() - w.sum() * np.log(money))
        self._fit_data = (rows[:, 0], spend, w, float(w.sum()), money)
        self._fit_params = dict(self.params_)
        self._summary = None
        if q <= 1:
            warnings.warn(_("GammaGamma: q = {q:.3g} <= 1, so the model's population mean spend p*gamma/(q-1) does "
                            "not exist (very heavy-tailed spend?): expected spend exists only for customers with "
                            "p*frequency + q > 1, and conditional_expected_average_profit refuses the others.").format(q=q),
                          UserWarning, stacklevel=2)
        return self

    def log_likelihood(self, frequency: ArrayLike, monetary_value: ArrayLike) -> np.ndarray:
        """Per-customer log-likelihood of the mean spend at the fitted parameters; 0 for
        ``frequency == 0`` (no spend observed: probability 1, no contribution to the fit)."""
        params = self._params()
        x, m = self._inputs(frequency, monetary_value)
        with np.errstate(all="ignore"):
            return np.where(x > 0, _gg_ll(params, x, np.where(x > 0, m, 1.0)), 0.0)

    @property
    def standard_errors_(self) -> dict[str, float]:
        """Standard error of ``p``, ``q`` and ``gamma`` (natural scale; see :meth:`summary`)."""
        table = self.summary()
        return dict(zip(table.index, map(float, table["standard_error"])))

    def summary(self) -> pd.DataFrame:
        """The fitted ``p``, ``q``, ``gamma`` with standard errors and 95% intervals.

        Standard errors from the observed information (minus the Hessian of the weighted total
        log-likelihood of the repeat customers at the optimum, natural parameter scale, inverted);
        ``gamma``'s in the data's unit of money. The interval is Wald's on the log scale,
        ``exp(log(est) +- 1.96 se / est)`` (lifetimes shows ``est +- 1.96 se``). RuntimeError
        before :meth:`fit` or after ``params_`` was changed by hand; InputError when the
        information is not positive definite.

        Returns
        -------
        pandas.DataFrame
            Index ``parameter`` (p, q, gamma); columns ``estimate``, ``standard_error``,
            ``lower_95``, ``upper_95``.
        """
        self._params()
        if self._fit_data is None or self.params_ != self._fit_params:
            raise RuntimeError(_("GammaGamma: standard errors need the data of a fit, and params_ was not set by "
                                 ".fit(...) (or was changed since): call .fit(frequency, monetary_value) first."))
        if self._summary is None:
            x, spend, w, total, money = self._fit_data
            values = [self.params_[name] for name in _NAMES]
            scale = np.array([1.0, 1.0, money])
            info = observed_information(_objective(x, spend, w), np.log(np.array(values) / scale), total, scale)
            self._summary = parameter_table("GammaGamma", _NAMES, values, info)
        return self._summary.copy()

    def _params(self) -> tuple[float, float, float]:
        if not self.params_:
            raise RuntimeError(_("GammaGamma is not fitted yet: call .fit(frequency, monetary_value)."))
        values = [self.params_.get(name, np.nan) for name in _NAMES]
        if not all(np.isfinite(v) and v > 0 for v in values):
            require_positive(pd.Series(values, index=_NAMES, name="value"), "params_",
                             fix=N_("p, q and gamma are positive numbers (from .fit, or set by hand)."))
        return float(values[0]), float(values[1]), float(values[2])

    def conditional_expected_average_profit(self, frequency: ArrayLike,
                                            monetary_value: ArrayLike) -> np.ndarray:
        """E[mean transaction value | x, m_x] (FH 2013, eq. 5): a weighted mean of the
        population mean ``p gamma / (q - 1)`` and the customer's own ``m_x``. Customers with
        ``frequency == 0`` get the population mean.

        Raises :class:`~cvmlib.validate.InputError` for customers whose expected spend does not
        exist under the fit (``p x + q <= 1``: only possible when ``q <= 1``; see the module
        docstring), naming ``q`` and showing them.

        Examples
        --------
        >>> gg = GammaGamma()
        >>> gg.params_ = {"p": 6.25, "q": 0.7, "gamma": 15.44}  # q < 1: heavy-tailed spend
        >>> gg.conditional_expected_average_profit([2, 5], [30.0, 20.0]).round(2)
        array([38.65, 23.31])
        >>> gg.conditional_expected_average_profit([0], [0.0])
        Traceback (most recent call last):
        ...
        cvmlib.validate.InputError: GammaGamma has q = 0.7 <= 1: ...
        """
        p, q, gamma = self._params()
        x, m = self._inputs(frequency, monetary_value)
        shape = p * x + q  # of the customer's posterior Gamma for nu
        if not (shape > 1).all():
            frame = pd.DataFrame({"frequency": x, "monetary_value": m})
            lowest = int(np.floor((1 - q) / p)) + 1  # the smallest frequency with p x + q > 1
            reject_rows(frame, ~(shape > 1), lambda n: _(
                "GammaGamma has q = {q:.3g} <= 1: the expected spend p*(gamma + x*m)/(p*x + q - 1) exists only for "
                "customers with p*x + q > 1 (for x = 0 only when q > 1, the condition for the Gamma-Gamma prior to "
                "have a mean), and {n:,} customer(s) here have p*x + q <= 1: their expected spend is infinite "
                "under this fit. The spend data are too heavy-tailed for the model: look at the largest monetary "
                "values (outliers, wholesale orders, a wrong unit), refit without them, value these customers "
                "another way (e.g. their own mean spend, customer_lifetime_value(..., spend_model=None)), or "
                "predict only for customers with frequency >= {lowest}.").format(q=q, n=n, lowest=lowest),
                list(frame.columns))
        own = np.where(x > 0, m, 0.0)
        # p (gamma + x m) / (shape - 1), written without the product x * m (it can overflow)
        return p * gamma / (shape - 1) + p * x / (shape - 1) * own
