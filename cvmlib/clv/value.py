"""Customer lifetime value: the textbook retention formula and the model-based CLV.

Conventions (both functions): the margin of a period is received at the *end* of the period,
so period ``k`` (k = 1, 2, ...) is discounted by ``(1 + d)^k``; margin, retention, discount
rate and horizon are all per the *same* period (a monthly discount rate with monthly margins;
an annual rate ``d_y`` becomes a monthly ``(1 + d_y)^(1/12) - 1``, not ``d_y / 12``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from cvmlib.clv._base import PurchaseModel
from cvmlib.clv._common import ArrayLike, as_array, btyd_inputs, distinct_rows, same_length, unit_days
from cvmlib.clv.gammagamma import GammaGamma
from cvmlib.i18n import N_, _
from cvmlib.validate import InputError, reject_rows, require_int, require_non_negative, require_probability

__all__ = ["simple_clv", "simple_clv_buildup", "customer_lifetime_value"]

#: Customer-periods evaluated at once by :func:`customer_lifetime_value` (each model keeps a few
#: temporaries of this many floats: ~5 MB each).
MAX_CELLS = 600_000

#: Longest build-up table :func:`simple_clv_buildup` makes (one row per period).
MAX_BUILDUP_PERIODS = 1_000_000


def _rates(margin: float, retention: float, discount: float) -> tuple[float, float, float]:
    """The checked margin (>= 0), retention and discount rate (both in [0, 1]) of a simple CLV."""
    m = float(require_non_negative(margin, "margin", scalar=True, fix=N_(
        "The formula is linear in the margin: for a customer who loses money, value the loss (a positive number) "
        "and subtract it.")))
    r = float(require_probability(retention, "retention", scalar=True))
    d = float(require_probability(discount, "discount", scalar=True))
    return m, r, d


def _finite_value(value: float, what: str) -> float:
    if not np.isfinite(value):
        raise InputError(_("{what} overflows (above 1.8e308): the margin is too large. Use a larger unit of money "
                           "(e.g. thousands).").format(what=what))
    return value


def simple_clv(margin: float, retention: float, discount: float,
               horizon: int | None = None) -> float:
    """Lifetime value of one customer with constant margin and retention (the textbook formula).

    ``sum_{t=1..H} m r^t / (1 + d)^t``: the customer pays margin ``m`` at the end of every period
    they are still retained; ``r^t`` is the chance of still being a customer after ``t``
    periods. With ``horizon=None`` the sum is infinite and equals ``m r / (1 + d - r)``.

    Parameters
    ----------
    margin : float
        Margin per period (e.g. CNY per month), ``>= 0``.
    retention : float
        Probability of staying one more period, ``0 <= r < 1`` (``r = 1`` only with a finite
        horizon). A share of 1: 80 % is ``0.8``.
    discount : float
        Discount rate per period, ``0 <= d <= 1`` (e.g. ``0.01`` for 1 % a month).
    horizon : int, optional
        Number of periods (a whole number >= 1); ``None`` means forever.

    Time unit rule: margin, retention and discount are all per the same period. Bad input (a
    bool or text for a number, a rate outside 0..1, a negative margin, a value that overflows)
    is an :class:`~cvmlib.validate.InputError` naming the parameter.

    Examples
    --------
    >>> round(simple_clv(100, 0.8, 0.1), 2)                 # 100 * 0.8 / (1 + 0.1 - 0.8)
    266.67
    >>> round(simple_clv(100, 0.8, 0.1, horizon=1), 2)      # one period: 100 * 0.8 / 1.1
    72.73
    >>> round(simple_clv(100, 0.8, 0.1, horizon=200), 2)    # long horizons approach the limit
    266.67
    >>> simple_clv(100, 80, 0.1)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: retention=80 is outside [0, 1]. Rates are shares of 1: write 80 % as 0.8.
    """
    m, r, d = _rates(margin, retention, discount)
    if horizon is None:
        if r == 1:
            raise InputError(_("retention={r} must be below 1 for an infinite horizon (a probability per period; "
                               "r = 1 would never end): pass a horizon.").format(r=r))
        return _finite_value(m * r / (1 + d - r), "simple_clv")
    h = require_int(horizon, "horizon", minimum=1)
    q = r / (1 + d)
    if q == 1:
        return _finite_value(m * h, "simple_clv")
    return _finite_value(float(m * q * -np.expm1(h * np.log(q)) / (1 - q)) if q > 0 else 0.0, "simple_clv")


def simple_clv_buildup(margin: float, retention: float, discount: float, horizon: int) -> pd.DataFrame:
    """How :func:`simple_clv` builds up period by period: one row per period ``t = 1..horizon``.

    Columns ``discounted_margin`` (``m r^t / (1 + d)^t``, what period ``t`` adds) and
    ``cumulative`` (:func:`simple_clv` with ``horizon=t``). Same time-unit rule as
    :func:`simple_clv`: all three rates per the same period.

    Examples
    --------
    >>> simple_clv_buildup(100, 0.8, 0.1, 3).round(2)
        discounted_margin  cumulative
    t
    1               72.73       72.73
    2               52.89      125.62
    3               38.47      164.09
    """
    m, r, d = _rates(margin, retention, discount)
    h = require_int(horizon, "horizon", minimum=1, maximum=MAX_BUILDUP_PERIODS)
    t = np.arange(1, h + 1)
    q = r / (1 + d)
    added = m * q**t.astype(float)
    cumulative = m * t.astype(float) if q == 1 else (
        m * q * -np.expm1(t * np.log(q)) / (1 - q) if q > 0 else np.zeros(h))
    if not (np.isfinite(cumulative).all() and np.isfinite(added).all()):
        _finite_value(np.inf, "simple_clv_buildup")
    return pd.DataFrame({"discounted_margin": added, "cumulative": cumulative},
                        index=pd.RangeIndex(1, h + 1, name="t"))


def customer_lifetime_value(
    purchase_model: PurchaseModel,
    spend_model: GammaGamma | None,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    monetary_value: ArrayLike,
    horizon: int,
    discount_rate: float,
    unit: Literal["D", "W", "M"] = "W",
    period: Literal["D", "W", "M"] = "M",
    margin: float = 1.0,
    chunk_size: int = 50_000,
) -> np.ndarray:
    """Expected discounted value of each customer's purchases over the next ``horizon`` periods.

    ``CLV = margin * E[spend] * sum_{k=1..H} (E[Y(k p)] - E[Y((k-1) p)]) / (1 + d)^k``, where
    ``E[Y(t)]`` is the purchase model's conditional expected number of purchases in
    ``(T, T + t]``, ``p`` is one ``period`` in the model's ``unit`` (a month is 30.4375 days)
    and purchases of period ``k`` are discounted as if paid at its end.

    Parameters
    ----------
    purchase_model : BetaGeo or ParetoNBD
        Fitted on ``recency``/``T`` measured in ``unit``.
    spend_model : GammaGamma or None
        A fitted Gamma-Gamma model gives the expected spend per purchase; ``None`` takes
        ``monetary_value`` as that expected spend directly (then it must be a number >= 0 for
        every customer).
    frequency, recency, T, monetary_value : array-like
        The BTYD summary of the customers (one value each).
    horizon : int
        Number of periods to value (e.g. 12 months), a whole number >= 1.
    discount_rate : float
        Discount rate per ``period`` (monthly for ``period="M"``), in ``[0, 1]``.
    unit : {"D", "W", "M"}
        Unit of ``recency``/``T`` the model was fitted in.
    period : {"D", "W", "M"}
        Length of one CLV period.
    margin : float
        Share of spend that is profit, in ``[0, 1]`` (1.0 = value in revenue terms; 30 % is 0.3).
    chunk_size : int
        At most this many distinct customer rows are processed at a time, and fewer for long
        horizons (at most ``MAX_CELLS`` customer-periods per chunk): beyond a few arrays the
        size of the input, memory stays the same whatever the number of customers or the
        horizon (about 100 MB for a million customers).

    Returns
    -------
    numpy.ndarray
        One value per customer, in the currency of ``monetary_value``: finite and ``>= 0``.

    Raises
    ------
    cvmlib.validate.InputError
        Before any computation, naming the parameter (and showing the offending customers): an
        unfitted or wrong model, a rate outside 0..1, a bool or text for a number, the BTYD
        rules of ``frequency``/``recency``/``T``, an expected spend that does not exist under
        the Gamma-Gamma fit (``q <= 1``), or values so large that the CLV overflows.

    Examples
    --------
    >>> from cvmlib.clv import BetaGeo
    >>> bg = BetaGeo()
    >>> bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # CDNOW, weeks
    >>> customer_lifetime_value(bg, None, [0, 4], [0, 30], [39, 39], [0, 50.0],
    ...                         horizon=12, discount_rate=0.01).round(2)
    array([  0.  , 132.95])
    """
    if not isinstance(purchase_model, PurchaseModel) or not purchase_model.params_:
        raise InputError((_("purchase_model must be a fitted BetaGeo or ParetoNBD; got an unfitted {type}.")
                          if isinstance(purchase_model, PurchaseModel) else
                          _("purchase_model must be a fitted BetaGeo or ParetoNBD; got {type}.")).format(
                              type=type(purchase_model).__name__))
    purchase_model._params()  # parameters set by hand are checked too
    if spend_model is not None and not isinstance(spend_model, GammaGamma):
        raise InputError(_("spend_model must be a fitted GammaGamma, or None to take monetary_value as the expected "
                           "spend; got {type}.").format(type=type(spend_model).__name__))
    x, tx, big_t = btyd_inputs(frequency, recency, T)
    m = as_array(monetary_value, "monetary_value")
    same_length(frequency=x, monetary_value=m)
    h = require_int(horizon, "horizon", minimum=1)
    d = float(require_probability(discount_rate, "discount_rate", scalar=True))
    mg = float(require_probability(margin, "margin", scalar=True))
    step = unit_days(period, "period") / unit_days(unit, "unit")
    size = require_int(chunk_size, "chunk_size", minimum=1)
    if spend_model is None:
        frame = pd.DataFrame({"monetary_value": m})
        require_non_negative(frame["monetary_value"], "monetary_value", frame=frame,
                             fix=N_("Without a spend model it is the expected spend per purchase."))
        spend = m
    else:
        spend = spend_model.conditional_expected_average_profit(x, m)

    rows, codes = distinct_rows([x, tx, big_t])
    ts = step * np.arange(h + 1)
    discount = (1 + d) ** -np.arange(1, h + 1)
    per_row = np.empty(len(rows))
    step_rows = max(1, min(size, MAX_CELLS // (h + 1)))  # bounded temporaries
    for lo in range(0, len(rows), step_rows):
        part = rows[lo:lo + step_rows]
        cum = purchase_model._cumulative(ts, part[:, 0], part[:, 1], part[:, 2])
        per_row[lo:lo + step_rows] = np.diff(cum, axis=1) @ discount
    with np.errstate(over="ignore"):
        value = mg * spend * per_row[codes]
    if not np.isfinite(value).all():
        frame = pd.DataFrame({"frequency": x, "recency": tx, "T": big_t, "monetary_value": m})
        reject_rows(frame, ~np.isfinite(value), lambda n: _(
            "Column 'monetary_value' is too large: the CLV of {n:,} customer(s) overflows (above 1.8e308). Use a "
            "larger unit of money (e.g. thousands).").format(n=n), list(frame.columns))
    return value
