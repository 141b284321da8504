"""Customer lifetime value: the textbook retention formula and the model-based CLV.

Conventions (both functions): the margin of a period is received at the *end* of the period,
so period ``k`` (k = 1, 2, ...) is discounted by ``(1 + d)^k``; margin, retention, discount
rate and horizon are all per the *same* period (a monthly discount rate with monthly margins;
an annual rate ``d_y`` becomes a monthly ``(1 + d_y)^(1/12) - 1``, not ``d_y / 12``).
"""

from __future__ import annotations

from typing import Literal, Protocol

import numpy as np
import pandas as pd

from cvmlib.clv._base import PurchaseModel
from cvmlib.clv._common import ArrayLike, as_array, btyd_inputs, check, distinct_rows, same_length, unit_days
from cvmlib.validate import InputError

__all__ = ["simple_clv", "simple_clv_buildup", "customer_lifetime_value"]

#: Customer-periods evaluated at once by :func:`customer_lifetime_value` (each model keeps a few
#: temporaries of this many floats: ~5 MB each).
MAX_CELLS = 600_000


class SpendModel(Protocol):
    """What :func:`customer_lifetime_value` needs from GammaGamma."""

    def conditional_expected_average_profit(self, frequency: ArrayLike,
                                            monetary_value: ArrayLike) -> np.ndarray: ...


def _number(value: float, name: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}={value!r} must be a number.") from exc
    if not np.isfinite(out):
        raise InputError(f"{name}={value!r} must be a finite number.")
    return out


def _horizon(horizon: int, name: str = "horizon") -> int:
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise InputError(f"{name}={horizon!r} must be a whole number of periods >= 1.")
    return int(horizon)


def simple_clv(margin: float, retention: float, discount: float,
               horizon: int | None = None) -> float:
    """Lifetime value of one customer with constant margin and retention (the textbook formula).

    ``sum_{t=1..H} m r^t / (1 + d)^t``: the customer pays margin ``m`` at the end of every period
    they are still retained; ``r^t`` is the chance of still being a customer after ``t``
    periods. With ``horizon=None`` the sum is infinite and equals ``m r / (1 + d - r)``.

    Parameters
    ----------
    margin : float
        Margin per period (e.g. CNY per month).
    retention : float
        Probability of staying one more period, ``0 <= r < 1`` (``r = 1`` only with a finite
        horizon).
    discount : float
        Discount rate per period, ``d > -1`` (``d > r - 1`` for the infinite sum to converge).
    horizon : int, optional
        Number of periods; ``None`` means forever.

    Time unit rule: margin, retention and discount are all per the same period.

    Examples
    --------
    >>> round(simple_clv(100, 0.8, 0.1), 2)                 # 100 * 0.8 / (1 + 0.1 - 0.8)
    266.67
    >>> round(simple_clv(100, 0.8, 0.1, horizon=1), 2)      # one period: 100 * 0.8 / 1.1
    72.73
    >>> round(simple_clv(100, 0.8, 0.1, horizon=200), 2)    # long horizons approach the limit
    266.67
    """
    m = _number(margin, "margin")
    r = _number(retention, "retention")
    d = _number(discount, "discount")
    if d <= -1:
        raise InputError(f"discount={d} must be > -1 (a rate per period, e.g. 0.01 for 1%).")
    if horizon is None:
        if not 0 <= r < 1:
            raise InputError(f"retention={r} must be in [0, 1) for an infinite horizon "
                             f"(a probability per period; r = 1 would never end).")
        if 1 + d - r <= 0:
            raise InputError(f"discount={d} <= retention - 1: the infinite sum diverges.")
        return m * r / (1 + d - r)
    h = _horizon(horizon)
    if not 0 <= r <= 1:
        raise InputError(f"retention={r} must be a probability per period in [0, 1].")
    q = r / (1 + d)
    if q == 1:
        return m * h
    return m * q * (1 - q**h) / (1 - q)


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
    h = _horizon(horizon)
    running = np.array([simple_clv(margin, retention, discount, horizon=t) for t in range(1, h + 1)])
    return pd.DataFrame({"discounted_margin": np.diff(running, prepend=0.0), "cumulative": running},
                        index=pd.RangeIndex(1, h + 1, name="t"))


def customer_lifetime_value(
    purchase_model: PurchaseModel,
    spend_model: SpendModel | None,
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
        Gives the expected spend per purchase; ``None`` takes ``monetary_value`` as that
        expected spend directly.
    frequency, recency, T, monetary_value : array-like
        The BTYD summary of the customers (one value each).
    horizon : int
        Number of periods to value (e.g. 12 months).
    discount_rate : float
        Discount rate per ``period`` (monthly for ``period="M"``), > -1.
    unit : {"D", "W", "M"}
        Unit of ``recency``/``T`` the model was fitted in.
    period : {"D", "W", "M"}
        Length of one CLV period.
    margin : float
        Share of spend that is profit (1.0 = value in revenue terms).
    chunk_size : int
        At most this many distinct customer rows are processed at a time, and fewer for long
        horizons (at most ``MAX_CELLS`` customer-periods per chunk): beyond a few arrays the
        size of the input, memory stays the same whatever the number of customers or the
        horizon (about 100 MB for a million customers).

    Returns
    -------
    numpy.ndarray
        One value per customer, in the currency of ``monetary_value``.

    Examples
    --------
    >>> from cvmlib.clv import BetaGeo
    >>> bg = BetaGeo()
    >>> bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # CDNOW, weeks
    >>> customer_lifetime_value(bg, None, [0, 4], [0, 30], [39, 39], [0, 50.0],
    ...                         horizon=12, discount_rate=0.01).round(2)
    array([  0.  , 132.95])
    """
    x, tx, big_t = btyd_inputs(frequency, recency, T)
    m = as_array(monetary_value, "monetary_value")
    same_length(frequency=x, monetary_value=m)
    h = _horizon(horizon)
    d = _number(discount_rate, "discount_rate")
    if d <= -1:
        raise InputError(f"discount_rate={d} must be > -1 (a rate per period).")
    mg = _number(margin, "margin")
    step = unit_days(period) / unit_days(unit)
    if not (isinstance(purchase_model, PurchaseModel) and purchase_model.params_):
        raise InputError("purchase_model must be a fitted BetaGeo or ParetoNBD.")
    if spend_model is None:
        check(pd.DataFrame({"monetary_value": m}), "monetary_value", ~(m >= 0) | ~np.isfinite(m),
              "the expected spend per purchase is negative or missing")
        spend = m
    else:
        spend = spend_model.conditional_expected_average_profit(x, m)

    rows, codes = distinct_rows([x, tx, big_t])
    ts = step * np.arange(h + 1)
    discount = (1 + d) ** -np.arange(1, h + 1)
    per_row = np.empty(len(rows))
    step_rows = max(1, min(int(chunk_size), MAX_CELLS // (h + 1)))  # bounded temporaries
    for lo in range(0, len(rows), step_rows):
        part = rows[lo:lo + step_rows]
        cum = purchase_model._cumulative(ts, part[:, 0], part[:, 1], part[:, 2])
        per_row[lo:lo + step_rows] = np.diff(cum, axis=1) @ discount
    return mg * spend * per_row[codes]
