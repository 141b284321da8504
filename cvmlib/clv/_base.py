"""What the BG/NBD and Pareto/NBD models share: the fit on distinct rows, the fitted parameters,
and the public per-customer methods that check their inputs before the model's formulas run.

A model subclass supplies only its mathematics: the parameter names, a starting point, the
objective for the optimiser, and the per-customer log-likelihood, P(alive) and conditional
expected purchases on checked arrays (including their limits as ``t -> inf``, or a clear error
where the expectation grows without bound).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Self

import numpy as np
import pandas as pd

from cvmlib.clv._common import (ArrayLike, Objective, btyd_inputs, exact_scale, fit_log_params, grid, horizon,
                                observed_information, parameter_table, subsample, unique_rows)
from cvmlib.i18n import _
from cvmlib.validate import InputError, require_finite_sum, require_positive

__all__ = ["PurchaseModel"]


class PurchaseModel:
    """Base class of the "buy 'til you die" purchase models (not used on its own).

    Attributes (after :meth:`fit`): ``params_`` (dict of the four parameters),
    ``log_likelihood_`` (total log-likelihood at the optimum) and ``standard_errors_`` (computed
    on first use; see :meth:`summary`).

    Posterior predictions (:meth:`conditional_purchase_count_probability`, :meth:`p_alive` with
    ``future_t``, :meth:`dert`) rest on one fact shared by both models: a customer alive at ``T``
    with history ``(x, t_x, T)`` behaves from ``T`` on like a NEW customer of the same model with
    updated parameters (BG/NBD: ``r + x, alpha + T, a, b + x``; Pareto/NBD: ``r + x, alpha + T,
    s, beta + T``), by the memorylessness of the Poisson purchases and of the dropout; a customer
    dead at ``T`` buys nothing more. So every such prediction is ``P(alive)`` times the new
    customer's quantity (plus ``1 - P(alive)`` for "no purchase").
    """

    #: The four parameter names, in the order of the log-parameter vector.
    names: ClassVar[tuple[str, str, str, str]]

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}
        self.log_likelihood_: float = np.nan
        # the fit's distinct rows (x, t_x, T, scaled weights) and customer total, kept for the
        # standard errors (arrays, not the objective's closure: a fitted model still pickles)
        self._fit_data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float] | None = None
        self._fit_params: dict[str, float] = {}
        self._summary: pd.DataFrame | None = None

    # -- the model's own mathematics (subclasses) --------------------------------------------
    def _start(self, rate: float, scale: float) -> np.ndarray:
        """Starting log-parameters from the mean purchase rate and the mean ``T`` of the data."""
        raise NotImplementedError

    def _objective(self, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray, w: np.ndarray) -> Objective:
        """Mean negative log-likelihood over log-parameters, with its gradient."""
        raise NotImplementedError

    def _log_likelihood(self, params: Sequence[float], x: np.ndarray, tx: np.ndarray,
                        big_t: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _p_alive(self, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _cumulative(self, ts: np.ndarray, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """Conditional expected purchases in (T, T + t] for every customer (rows) and t (cols);
        ``t = inf`` gives the limit (or an InputError naming ``t`` when it is infinite)."""
        raise NotImplementedError

    def _survival(self, t: float, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """P(still alive at T + t | alive at T, history) per customer (``t = inf`` gives 0)."""
        raise NotImplementedError

    def _conditional_pmf(self, ns: np.ndarray, t: float, x: np.ndarray, tx: np.ndarray,
                         big_t: np.ndarray) -> np.ndarray:
        """P(n purchases in (T, T + t] | history): customers (rows) by the counts ``ns`` (cols)."""
        raise NotImplementedError

    def _dert(self, delta: float, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """Discounted expected residual transactions at continuous rate ``delta`` per unit."""
        raise NotImplementedError

    def _bound_message(self, at_bound: list[str], params: np.ndarray, big_t: np.ndarray) -> str | None:
        """A warning that says what a parameter on the search bound means for this model, or
        None for the generic one."""
        return None

    def expected_purchases_population(self, t: float | ArrayLike) -> np.ndarray:
        """E[X(t)]: expected repeat purchases of a new customer in their first ``t`` units."""
        raise NotImplementedError

    def purchase_count_probability(self, n: int | ArrayLike, t: float | ArrayLike) -> np.ndarray:
        """P(X(t) = n) for a new customer; ``n`` and ``t`` broadcast against each other."""
        raise NotImplementedError

    # -- shared ------------------------------------------------------------------------------
    def fit(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
            weights: ArrayLike | None = None) -> Self:
        """Maximum-likelihood fit; ``weights`` are per-customer counts (default 1 each).

        Fitted on the distinct (frequency, recency, T) rows with their counts as weights, so a
        million customers cost little more than their few thousand distinct rows. Warns (never
        silently returns absurd values) when the optimiser fails or a parameter hits its bound;
        data without a single repeat purchase are an :class:`~cvmlib.validate.InputError`.
        """
        columns = list(btyd_inputs(frequency, recency, T))
        rows, counts = unique_rows(columns, weights)
        x, tx, big_t = rows.T
        if not (x[counts > 0] > 0).any():
            raise InputError(_("Column 'frequency' is 0 for every customer: without repeat purchases {model} cannot "
                               "estimate a purchase rate or a dropout (the likelihood only grows as r -> 0). Check "
                               "the column (frequency counts repeat purchases, not all purchases) or fit on more "
                               "data.").format(model=type(self).__name__))
        # The objective is a weighted mean: dividing the weights by a power of 2 changes no bit of
        # it, and keeps huge or tiny weights from overflowing or underflowing.
        w = counts / exact_scale(float(counts.max()))
        require_finite_sum(w * big_t, "T")  # the time scale below adds them up
        # Start at the data's own purchase rate and time scale: scale-free in the time unit.
        rate = max(float(w @ x) / max(float(w @ big_t), 1e-9), 1e-6)
        scale = max(float(w @ big_t) / float(w.sum()), 1e-6)
        sub = subsample(x.size)  # a warm start from a subsample saves most full evaluations
        coarse = None if sub is None else self._objective(x[sub], tx[sub], big_t[sub], w[sub])
        params, value = fit_log_params(self._objective(x, tx, big_t, w), self._start(rate, scale),
                                       list(self.names), type(self).__name__, jac=True, coarse=coarse,
                                       bound_message=lambda names, p: self._bound_message(names, p, big_t))
        self.params_ = dict(zip(self.names, map(float, params)))
        self.log_likelihood_ = -value * float(counts.sum())
        self._fit_data = (x, tx, big_t, w, float(counts.sum()))
        self._fit_params = dict(self.params_)
        self._summary = None
        return self

    @property
    def standard_errors_(self) -> dict[str, float]:
        """Standard error of each fitted parameter (natural scale), from the observed information.

        See :meth:`summary` (computed there, on first use, and kept).
        """
        table = self.summary()
        return dict(zip(table.index, map(float, table["standard_error"])))

    def summary(self) -> pd.DataFrame:
        """The fitted parameters with standard errors and 95% intervals.

        Standard errors come from the observed information: minus the Hessian of the (weighted)
        total log-likelihood at the optimum, on the natural parameter scale, inverted (the
        asymptotic covariance of the maximum-likelihood estimates). Weights count customers, so a
        weight of 10 is worth 10 customers of information. The 95% interval is Wald's on the log
        scale, ``exp(log(est) +- 1.96 se / est)``: positive, like the parameters (lifetimes'
        ``summary`` shows ``est +- 1.96 se``; the standard errors are the same quantity).

        Returns
        -------
        pandas.DataFrame
            One row per parameter (index ``parameter``); columns ``estimate``,
            ``standard_error``, ``lower_95``, ``upper_95``.

        Raises
        ------
        RuntimeError
            Before :meth:`fit`, or when ``params_`` no longer holds the fitted values (standard
            errors need the data of the fit).
        cvmlib.validate.InputError
            When the information matrix is not positive definite (a parameter the data do not
            identify), so that no standard error exists.
        """
        self._params()
        if self._fit_data is None or self.params_ != self._fit_params:
            raise RuntimeError(_("{model}: standard errors need the data of a fit, and params_ was not set by "
                                 ".fit(...) (or was changed since): call .fit(frequency, recency, T) first.").format(
                                     model=type(self).__name__))
        if self._summary is None:
            x, tx, big_t, w, total = self._fit_data
            values = [self.params_[name] for name in self.names]
            info = observed_information(self._objective(x, tx, big_t, w), np.log(values), total)
            self._summary = parameter_table(type(self).__name__, self.names, values, info)
        return self._summary.copy()

    def _params(self) -> tuple[float, float, float, float]:
        """The four fitted parameters; checked, since ``params_`` may also be set by hand."""
        if not self.params_:
            raise RuntimeError(_("{model} is not fitted yet: call .fit(frequency, recency, T).").format(
                model=type(self).__name__))
        values = [self.params_.get(name, np.nan) for name in self.names]
        if not all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                   and np.isfinite(v) and v > 0 for v in values):
            missing = [name for name in self.names if name not in self.params_]
            if missing:
                raise InputError(_("{model}.params_ lacks {missing}: it needs {names} (from .fit, or set by "
                                   "hand).").format(model=type(self).__name__, missing=missing, names=list(self.names)))
            require_positive(pd.Series(values, index=list(self.names), name="value", dtype=object),
                             "params_", fix=_("{model} needs positive numbers {names} (from .fit, or set by "
                                              "hand).").format(model=type(self).__name__, names=list(self.names)))
        first, second, third, fourth = map(float, values)
        return first, second, third, fourth

    def log_likelihood(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> np.ndarray:
        """Per-customer log-likelihood at the fitted parameters."""
        params = self._params()
        return self._log_likelihood(params, *btyd_inputs(frequency, recency, T))

    def p_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, *,
                future_t: float = 0.0) -> np.ndarray:
        """P(the customer is still alive at T + future_t | x, t_x, T).

        ``future_t = 0`` (default): alive now, at the end of the observation. ``future_t > 0``
        (in the fit's time unit): alive ``future_t`` later, seen from today -- that is, not
        knowing the purchases in between: ``P(alive at T) * P(survive (T, T + future_t] | alive
        at T, history)``; the survival factor is each model's own (see its ``_survival``).
        ``future_t = inf`` gives 0 (everyone leaves eventually under both models).
        """
        self._params()
        step = horizon(future_t, "future_t")
        x, tx, big_t = btyd_inputs(frequency, recency, T)
        alive = self._p_alive(x, tx, big_t)
        if step == 0:
            return alive
        if np.isinf(step):
            return np.zeros_like(alive)
        return alive * self._survival(step, x, tx, big_t)

    def conditional_purchase_count_probability(self, n: int | ArrayLike, t: float, frequency: ArrayLike,
                                               recency: ArrayLike, T: ArrayLike) -> np.ndarray:
        """P(exactly ``n`` purchases in (T, T + t] | x, t_x, T), ``t`` in the fit's time unit.

        A customer dead at ``T`` makes none; one alive makes as many as a new customer of the
        model with updated parameters would in ``t`` (class docstring). Hence

            P(n | history) = P(alive) * P_new(n, t; updated parameters) + (1 - P(alive)) [n == 0].

        Summed over ``n`` it is 1 and its mean is :meth:`expected_purchases` (both tested).

        Parameters
        ----------
        n : int or sequence of int
            Purchase count(s) (whole numbers >= 0).
        t : float
            Horizon after ``T`` (> 0 makes sense; 0 gives P(0) = 1).

        Returns
        -------
        numpy.ndarray
            One value per customer for a single ``n``; customers (rows) by counts (columns)
            for a sequence of ``n``.
        """
        self._params()
        step = horizon(t)
        ns = grid(n, "n", whole=True, allow_inf=False)
        if ns.ndim > 1:
            raise InputError(_("n must be one count or a flat list of counts, got an array of shape {shape}.").format(
                shape=ns.shape))
        x, tx, big_t = btyd_inputs(frequency, recency, T)
        out = self._conditional_pmf(np.atleast_1d(ns), step, x, tx, big_t)
        return out[:, 0] if ns.ndim == 0 else out

    def dert(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, discount_rate: float) -> np.ndarray:
        """Discounted expected residual transactions (Fader, Hardie & Lee 2005, JMR "RFM and CLV").

        ``DERT = E[ integral_T^inf exp(-delta (u - T)) dY(u) | x, t_x, T ]``: the customer's
        future purchases, each discounted continuously to ``T`` at rate ``delta =
        discount_rate`` per time unit of the fit. Multiplied by the expected margin per
        purchase it is the customer's residual lifetime value. Finite for every ``delta > 0``
        (also where :meth:`expected_purchases` with ``t=inf`` is infinite).

        Converting an annual rate ``d`` (e.g. 0.15): ``delta = log(1 + d) / 52`` per week,
        ``log(1 + d) / 365.25`` per day, ``log(1 + d) / 12`` per month.
        """
        self._params()
        delta = float(require_positive(discount_rate, "discount_rate", scalar=True, fix=_(
            "discount_rate is a continuous discount rate per time unit of the fit, e.g. log(1.15)/52 for 15% a year "
            "with weekly data.")))
        x, tx, big_t = btyd_inputs(frequency, recency, T)
        return self._dert(delta, x, tx, big_t)

    def expected_purchases(self, t: float, frequency: ArrayLike, recency: ArrayLike,
                           T: ArrayLike) -> np.ndarray:
        """E[purchases in (T, T + t] | x, t_x, T]; ``t`` in the fit's time unit.

        ``t=inf`` gives each customer's expected number of purchases before dropping out, where
        that is finite (see the model's docstring); where it is not, an
        :class:`~cvmlib.validate.InputError` says why and asks for a finite horizon.
        """
        self._params()
        step = horizon(t)
        x, tx, big_t = btyd_inputs(frequency, recency, T)
        return self._cumulative(np.array([step]), x, tx, big_t)[:, 0]
