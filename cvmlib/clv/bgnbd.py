"""The BG/NBD model of repeat purchasing and dropout (Fader, Hardie & Lee 2005).

While alive a customer buys as a Poisson process with rate ``lambda ~ Gamma(r, alpha)``;
after each repeat purchase they drop out ("die") with probability ``p ~ Beta(a, b)``.
``alpha`` (and every ``t``) is in the time unit of the ``recency``/``T`` the model is fitted on.
Equation numbers refer to Fader, Hardie & Lee (2005), "Counting your customers the easy way",
Marketing Science 24(2).

Unlimited horizon (``t = inf``). A customer alive now, with dropout probability ``p``, makes a
geometric number of further purchases (mean ``1 / p``: the purchase after which they drop out
included) -- whatever their purchase rate. Given ``x`` repeat purchases ``p ~ Beta(a, b + x)``,
and ``E[1 / p] = (a + b + x - 1) / (a - 1)``, finite only for ``a > 1``. Hence, for ``a > 1``,
``E[Y(inf) | x, t_x, T] = P(alive) (a + b + x - 1) / (a - 1)`` (the limit of eq. 10) and, for a
new customer, ``E[X(inf)] = (a + b - 1) / (a - 1)`` (the limit of eq. 9; ``b / (a - 1)`` would
count only the purchases after which the customer stays). For ``a <= 1`` the expectation grows
without bound (customers with ``p`` near 0 practically never leave): ``t=inf`` is then refused
with an :class:`~cvmlib.validate.InputError` rather than returned as ``inf``. The CDNOW fit has
``a = 0.79``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import special

from cvmlib.clv._base import PurchaseModel
from cvmlib.clv._common import ArrayLike, Objective, distinct_rows, grid, hyp2f1
from cvmlib.i18n import _
from cvmlib.validate import InputError

__all__ = ["BetaGeo"]

def _bgnbd_ll(params: Sequence[float], x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood (eq. 6), in logs throughout."""
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.betaln(a, b + x) - special.betaln(a, b)
    a3 = -(r + x) * np.log(alpha + big_t)
    # The "died after the last purchase" term exists only for repeat buyers.
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(b + x - 1) - (r + x) * np.log(alpha + tx), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def _objective(x: np.ndarray, tx: np.ndarray, big_t: np.ndarray,
               w: np.ndarray) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Mean negative log-likelihood over log-parameters, with its analytic gradient.

    Why it is fast: terms that depend on ``x`` alone are summed over the distinct ``x`` values
    and one-time buyers (x = 0, likelihood term ``-r log(alpha + T)``) over the distinct ``T``;
    only repeat buyers are evaluated row by row, and ``logaddexp`` is written as a softplus of
    the difference, whose logistic is also the weight the gradient needs.
    """
    total = w.sum()
    ux, inv = np.unique(x, return_inverse=True)
    wx = np.bincount(inv.ravel(), weights=w)
    rep = x > 0
    t0, inv0 = np.unique(big_t[~rep], return_inverse=True)
    w0 = np.bincount(inv0.ravel(), weights=w[~rep], minlength=t0.size)
    x1, tx1, t1, w1 = x[rep], tx[rep], big_t[rep], w[rep]
    xm1 = x1 - 1

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(theta)
        # one-time buyers
        l_t0 = np.log(alpha + t0)
        ll = -r * (w0 @ l_t0)
        d_r = -(w0 @ l_t0)
        d_alpha = -r * (w0 @ (1 / (alpha + t0)))
        # repeat buyers: L = A3 + softplus(A4 - A3)
        rx = r + x1
        l_t, l_tx = np.log(alpha + t1), np.log(alpha + tx1)
        inv_b = 1 / (b + xm1)
        diff = np.log(a) + np.log(inv_b) - rx * (l_tx - l_t)
        e = np.exp(-np.abs(diff))
        w4 = np.where(diff > 0, 1.0, e) / (1 + e)  # share of the "dropped after" term
        ll += w1 @ (np.maximum(diff, 0) + np.log1p(e) - rx * l_t)
        d_r -= w1 @ (l_t + w4 * (l_tx - l_t))
        d_alpha -= w1 @ (rx * ((1 - w4) / (alpha + t1) + w4 / (alpha + tx1)))
        d_a = (w1 @ w4) / a
        d_b = -(w1 @ (w4 * inv_b))
        # terms in x only
        psi_ab_x = special.digamma(a + b + ux)
        ll += (wx @ (special.gammaln(r + ux) + special.betaln(a, b + ux))
               + total * (r * np.log(alpha) - special.gammaln(r) - special.betaln(a, b)))
        d_r += wx @ special.digamma(r + ux) + total * (np.log(alpha) - special.digamma(r))
        d_alpha += total * r / alpha
        d_a += wx @ (special.digamma(a + b) - psi_ab_x)
        d_b += (wx @ (special.digamma(b + ux) - psi_ab_x)
                + total * (special.digamma(a + b) - special.digamma(b)))
        grad = np.array([d_r, d_alpha, d_a, d_b]) * np.array([r, alpha, a, b])
        return -float(ll) / total, -grad / total

    return fun


def _at_limits(a: float, b: float, f: Callable[[float, float], np.ndarray]) -> np.ndarray:
    """``f(a, b)``, or where eq. 10 is 0/0 (a = 1; a + b = 1 for x = 0) the mean of f at the two
    neighbours ``-+ delta`` (error ~1e-10): the limit, which is the value."""
    delta = 1e-5
    if abs(a - 1) < delta:
        return (f(1 - delta, b) + f(1 + delta, b)) / 2
    if abs(a + b - 1) < delta:
        return (f(a, b - delta) + f(a, b + delta)) / 2
    return f(a, b)


class BetaGeo(PurchaseModel):
    """BG/NBD model (Fader, Hardie & Lee 2005) of repeat purchasing and dropout.

    Attributes (after :meth:`fit`): ``params_`` (dict ``r``, ``alpha``, ``a``, ``b``; ``alpha``
    in the unit of ``recency``/``T``), ``log_likelihood_`` (total log-likelihood at the optimum).

    Examples
    --------
    Six distinct (frequency, recency, T) rows in weeks, with how many customers share each:

    >>> m = BetaGeo().fit([0, 1, 2, 5, 1, 3], [0, 10, 30, 35, 3, 10], [39, 39, 39, 39, 39, 38],
    ...                   weights=[60, 15, 8, 3, 10, 4])
    >>> sorted(m.params_)
    ['a', 'alpha', 'b', 'r']
    >>> m.p_alive([0, 3, 3], [0, 35, 10], [39, 39, 39]).round(3)  # x=3: recent vs long silent
    array([1.   , 0.648, 0.086])
    >>> m.expected_purchases(10, [0, 3], [0, 35], [39, 39]).round(3)  # next 10 weeks
    array([0.057, 0.418])
    >>> m.expected_purchases_population([0, 52]).round(3)  # a new customer's first year
    array([0.  , 0.81])

    Posterior predictions for the same two customers, and the fit's standard errors:

    >>> m.conditional_purchase_count_probability([0, 1, 2], 10, [0, 3], [0, 35], [39, 39]).round(3)
    array([[0.946, 0.05 , 0.003],
           [0.691, 0.225, 0.063]])
    >>> m.p_alive([0, 3], [0, 35], [39, 39], future_t=52).round(3)  # still alive a year later
    array([0.887, 0.34 ])
    >>> m.dert([0, 3], [0, 35], [39, 39], discount_rate=np.log(1.15) / 52).round(2)  # 15% a year
    array([0.7 , 3.47])
    >>> m.summary()[["estimate", "standard_error"]].round(2)  # 100 customers: wide
               estimate  standard_error
    parameter
    r              0.28            0.08
    alpha          6.91            3.16
    a              1.33            1.64
    b              1.31            1.87
    """

    names = ("r", "alpha", "a", "b")

    def _start(self, rate: float, scale: float) -> np.ndarray:
        return np.array([0.0, np.log(1.0 / rate), 0.0, 0.0])

    def _objective(self, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray, w: np.ndarray) -> Objective:
        return _objective(x, tx, big_t, w)

    def _log_likelihood(self, params: Sequence[float], x: np.ndarray, tx: np.ndarray,
                        big_t: np.ndarray) -> np.ndarray:
        return _bgnbd_ll(params, x, tx, big_t)

    def _p_alive(self, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """P(alive) (eq. 11); 1 when x = 0."""
        r, alpha, a, b = self._params()
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds_dead = np.where(x > 0, np.log(a) - np.log(b + x - 1)
                                     + (r + x) * (np.log(alpha + big_t) - np.log(alpha + tx)),
                                     -np.inf)
        return special.expit(-log_odds_dead)

    def _cumulative(self, ts: np.ndarray, x: np.ndarray, tx: np.ndarray,
                    big_t: np.ndarray) -> np.ndarray:
        """Conditional expected purchases in (T, T + t] for every customer (rows) and t (cols);
        ``t = inf`` gives the limit (module docstring), an InputError when it is infinite."""
        r, alpha, a, b = self._params()
        unlimited = np.isinf(ts)
        if unlimited.any():
            if a <= 1:
                raise InputError(_(
                    "t=inf: under this BG/NBD fit (a = {a:.3g} <= 1) the expected number of purchases grows "
                    "without bound as t grows: the mean number of purchases before dropping out, E[1/p] = "
                    "(a + b + x - 1)/(a - 1), is infinite when a <= 1 (some customers practically never drop "
                    "out). Choose a finite horizon in the fit's time unit (e.g. t=52 for a year in weeks).").format(a=a))
            out = np.empty((x.size, ts.size))
            out[:, unlimited] = ((a + b + x - 1) / (a - 1) * self._p_alive(x, tx, big_t))[:, None]
            if (~unlimited).any():
                out[:, ~unlimited] = self._cumulative(ts[~unlimited], x, tx, big_t)
            return out
        xc, big_tc, t = x[:, None], big_t[:, None], ts[None, :]
        z = t / (alpha + big_tc + t)
        log_1mz = np.log(alpha + big_tc) - np.log(alpha + big_tc + t)

        # Eq. 10 after Euler's transformation 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z):
        # the literal 2F1(r+x, b+x; a+b+x-1; z) overflows for x in the hundreds (Fader & Hardie's
        # "#NUM!" problem); the transformed one has small upper parameters and converges fast --
        # unless a and b are large (a concentrated dropout probability), where its terms overflow
        # and the literal form, whose parameters are then tame, takes over.
        def numer(a_: float, b_: float) -> np.ndarray:
            c = a_ + b_ + xc - 1
            with np.errstate(over="ignore", invalid="ignore"):
                kept = np.exp((a_ - 1) * log_1mz) * hyp2f1(a_ + b_ - 1 - r, a_ - 1, c, z)
            lost = ~np.isfinite(kept)
            if lost.any():
                literal = np.exp((r + xc) * log_1mz) * hyp2f1(r + xc, b_ + xc, c, z)
                kept = np.where(lost, literal, kept)
            return c / (a_ - 1) * (1 - kept)

        return _at_limits(a, b, numer) * self._p_alive(x, tx, big_t)[:, None]

    def expected_purchases_population(self, t: float | ArrayLike) -> np.ndarray:
        """E[X(t)]: expected repeat purchases of a new customer in their first ``t`` units (eq. 9).

        Unconditional (no customer data): the model's curve for the cumulative tracking plot.
        Returns an array shaped like ``t``; ``t=inf`` gives ``(a + b - 1) / (a - 1)`` when
        ``a > 1`` (module docstring).
        """
        self._params()
        ts = grid(t, "t")
        # a new customer is the x = t_x = T = 0 case of eq. 10 (P(alive) = 1)
        zero = np.zeros(1)
        return self._cumulative(ts.ravel(), zero, zero, zero)[0].reshape(ts.shape)

    def purchase_count_probability(self, n: int | ArrayLike, t: float | ArrayLike) -> np.ndarray:
        """P(X(t) = n): probability that a new customer makes exactly ``n`` repeat purchases in
        their first ``t`` units (eq. 8). ``n`` and ``t`` broadcast against each other.

        The second term uses the identity 1 - sum_{j<n} NB(j) = I_{t/(alpha+t)}(n, r) (the
        regularised incomplete beta), which stays accurate for large ``n``. ``t=inf``: the
        number of repeat purchases before dropping out, ``P(n) = B(a + 1, b + n - 1) / B(a, b)``
        for ``n >= 1`` (0 for ``n = 0``: with unlimited time a customer buys at least once
        more before the first chance to drop out).
        """
        r, alpha, a, b = self._params()
        ns, ts = np.broadcast_arrays(grid(n, "n", whole=True, allow_inf=False), grid(t, "t"))
        return _pmf(ns, ts, r, alpha, a, b)

    # -- posterior predictions (the class docstring of PurchaseModel: alive at T, a customer is a
    #    new one with r + x, alpha + T, a, b + x) ------------------------------------------------
    def _conditional_pmf(self, ns: np.ndarray, t: float, x: np.ndarray, tx: np.ndarray,
                         big_t: np.ndarray) -> np.ndarray:
        """Eq. 8 with the updated parameters, times P(alive), plus P(dead) at n = 0."""
        r, alpha, a, b = self._params()
        alive = self._p_alive(x, tx, big_t)[:, None]
        pairs, codes = distinct_rows([x, big_t])  # the new-customer part depends on (x, T) only
        xc = pairs[:, :1]
        fresh = _pmf(ns[None, :], np.array(t), r + xc, alpha + pairs[:, 1:], a, b + xc)
        return alive * fresh[codes] + (1 - alive) * (ns[None, :] == 0)

    def _survival(self, t: float, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """P(alive at T + t | alive at T, history), in closed form.

        Derivation: alive at ``T`` the customer's rate and dropout probability are independent,
        ``lambda ~ Gamma(r + x, alpha + T)`` and ``p ~ Beta(a, b + x)`` (the likelihood of
        "alive" is ``lambda^x e^(-lambda T) (1 - p)^x``). Dropout chances come with purchases, so
        the dropouts form a Poisson process of rate ``lambda p`` (thinning) and surviving
        ``(T, T + t]`` has probability ``exp(-lambda p t)``. Over lambda that is
        ``(1 + p w)^-(r + x)`` with ``w = t / (alpha + T)``, and over p (Euler's integral)
        ``2F1(r + x, a; a + b + x; -w)``, evaluated after Pfaff's transformation as
        ``(1 + w)^-a 2F1(a, a + b - r; a + b + x; w / (1 + w))`` -- an argument in [0, 1) and
        small upper parameters for any x. (Checked against quadrature over p and simulation.)
        """
        r, alpha, a, b = self._params()
        pairs, codes = distinct_rows([x, big_t])  # once per distinct (x, T)
        ux, u_t = pairs[:, 0], pairs[:, 1]
        log_1pw = np.log(alpha + u_t + t) - np.log(alpha + u_t)
        z = t / (alpha + u_t + t)
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.exp(-a * log_1pw) * hyp2f1(a, a + b - r, a + b + ux, z)
        return np.clip(out, 0.0, 1.0)[codes]

    def _dert(self, delta: float, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """DERT numerically (no closed form is known for BG/NBD).

        Alive at ``T`` with (lambda, p), purchases come at rate ``lambda exp(-lambda p u)`` at
        time ``u`` after ``T`` (the purchase at which the customer drops out counts). Over
        ``lambda ~ Gamma(R, A)`` (``R = r + x``, ``A = alpha + T``) that rate is ``R / A (1 + p
        u / A)^-(R + 1)`` and over ``p ~ Beta(a, b + x)`` ``R / A F(u / A)`` with ``F(w) =
        2F1(R + 1, a; a + b + x; -w) = (1 + w)^-a 2F1(a, a + b - r - 1; a + b + x; w / (1 + w))``.
        So ``DERT = P(alive) R integral_0^inf exp(-delta A w) F(w) dw``, computed by 96-point
        Gauss-Legendre quadrature in ``v = log(1 + w)`` up to where ``exp(-delta A w) < e^-45``
        (the integrand is a power law in w times the discount: even on the log scale; tested
        against adaptive quadrature to 1e-8). Evaluated once per distinct (x, T).
        """
        r, alpha, a, b = self._params()
        pairs, inv = distinct_rows([x, big_t])
        ux, u_t = pairs[:, :1], pairs[:, 1:]
        k = delta * (alpha + u_t)
        nodes, weights = np.polynomial.legendre.leggauss(96)
        top = np.log1p(45.0 / k)
        v = top * (nodes + 1) / 2
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            f = hyp2f1(a, a + b - r - 1, a + b + ux, -np.expm1(-v))
            integrand = np.exp(-k * np.expm1(v) + (1 - a) * v) * f
        integral = top[:, 0] / 2 * (integrand @ weights)
        return self._p_alive(x, tx, big_t) * ((r + ux[:, 0]) * integral)[inv.ravel()]


def _pmf(ns: np.ndarray, ts: np.ndarray, r: Any, alpha: Any, a: float, b: Any) -> np.ndarray:
    """Eq. 8, P(X(t) = n), for parameters that broadcast against ``ns`` and ``ts`` (a new customer
    with scalars; a customer's posterior with r + x, alpha + T, b + x)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(np.isinf(ts), 1.0, ts / (alpha + ts))
        still = np.exp(special.betaln(a, b + ns) - special.betaln(a, b)
                       + special.gammaln(r + ns) - special.gammaln(r) - special.gammaln(ns + 1)
                       + r * np.log1p(-q) + special.xlogy(ns, q))
        dropped = np.where(ns > 0, np.exp(special.betaln(a + 1, b + ns - 1)
                                          - special.betaln(a, b))
                           * special.betainc(np.maximum(ns, 1), r, q), 0.0)
    return np.asarray(still + dropped)
