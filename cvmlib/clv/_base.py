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

from cvmlib.clv._common import (ArrayLike, Objective, btyd_inputs, exact_scale, fit_log_params, horizon,
                                subsample, unique_rows)
from cvmlib.i18n import _
from cvmlib.validate import InputError, require_finite_sum, require_positive

__all__ = ["PurchaseModel"]


class PurchaseModel:
    """Base class of the "buy 'til you die" purchase models (not used on its own).

    Attributes (after :meth:`fit`): ``params_`` (dict of the four parameters) and
    ``log_likelihood_`` (total log-likelihood at the optimum).
    """

    #: The four parameter names, in the order of the log-parameter vector.
    names: ClassVar[tuple[str, str, str, str]]

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}
        self.log_likelihood_: float = np.nan

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
        return self

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

    def p_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> np.ndarray:
        """P(the customer is still alive at T | x, t_x, T)."""
        self._params()
        return self._p_alive(*btyd_inputs(frequency, recency, T))

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
