"""The Pareto/NBD model of repeat purchasing and dropout (Schmittlein, Morrison & Colombo 1987).

While alive a customer buys as a Poisson process with rate ``lambda ~ Gamma(r, alpha)``; their
unobserved lifetime is exponential with rate ``mu ~ Gamma(s, beta)`` (dropout can happen at any
time, not only after a purchase as in BG/NBD). ``alpha``, ``beta`` and every ``t`` are in the
time unit of ``recency``/``T``. Formulas: Fader & Hardie (2005), "A note on deriving the
Pareto/NBD model and related expressions".

Numerics. The likelihood's awkward term is
``A0 = s/(r+s+x) [G(t_x) - G(T)]`` with ``G(y) = 2F1(r+s+x, .; r+s+x+1; z(y)) / (max(alpha,
beta) + y)^(r+s+x)``. Taken literally the Gauss hypergeometric function blows up as ``z -> 1``
and the powers overflow for ``x`` in the hundreds. We use Euler's transformation
``2F1(a, b; c; z) = (1 - z)^(c-a-b) 2F1(c-a, c-b; c; z)``, which turns it into a series with
first parameter 1 and positive terms (for ``alpha >= beta`` it is bounded by ``(r+s+x)/s``), and
work with ``log G`` throughout; the difference ``G(t_x) - G(T)`` is a log-diff-exp. Where the
two scales are far apart (``z`` near 1, e.g. ``beta / alpha`` in the thousands when the data show
no churn) the 2F1 is evaluated by its expansion around ``z = 1``
(:func:`~cvmlib.clv._common.log_hyp2f1_a1`), not by a slow power series.

Unlimited horizon (``t = inf``). A customer alive at ``T`` buys at the posterior mean rate
``(r + x) / (alpha + T)`` for a remaining lifetime whose mean is ``(beta + T) / (s - 1)``
(``mu ~ Gamma(s, beta + T)`` given alive, ``E[1 / mu]`` finite only for ``s > 1``). Hence, for
``s > 1``, ``E[Y(inf) | x, t_x, T] = P(alive) (r + x) (beta + T) / ((alpha + T) (s - 1))`` and for a
new customer ``E[X(inf)] = r beta / (alpha (s - 1))`` (the limits of eqs. 17 and 20 of the note);
for ``s <= 1`` the expectation grows without bound (like ``t^(1-s)``, ``log t`` at ``s = 1``) and
``t=inf`` is refused with an :class:`~cvmlib.validate.InputError`. The CDNOW fit has ``s = 0.61``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import special

from cvmlib.clv._base import PurchaseModel
from cvmlib.clv._common import LOG_BOUND, ArrayLike, Objective, distinct_rows, grid, log_diff_exp, log_hyp2f1_a1
from cvmlib.i18n import _
from cvmlib.validate import InputError

__all__ = ["ParetoNBD"]

def _log_g(params: Sequence[float], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """log G(y) (module docstring) after Euler's transformation, for both alpha-beta orders."""
    r, alpha, s, beta = params
    c = r + s + x + 1
    if alpha >= beta:  # 1 - z is the ratio of the shifted scales, exact (z near 1 needs it)
        z, one_minus_z = (alpha - beta) / (alpha + y), (beta + y) / (alpha + y)
        return (-(r + x) * np.log(alpha + y) - s * np.log(beta + y)
                + log_hyp2f1_a1(r + x, c, z, one_minus_z))
    z, one_minus_z = (beta - alpha) / (beta + y), (alpha + y) / (beta + y)
    return (-(r + x - 1) * np.log(alpha + y) - (s + 1) * np.log(beta + y)
            + log_hyp2f1_a1(s + 1, c, z, one_minus_z))


def _log_parts(params: Sequence[float], x: np.ndarray, tx: np.ndarray,
               big_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log of the two likelihood terms without the common factor: alive at T, died in (t_x, T]."""
    r, alpha, s, beta = params
    alive = -(r + x) * np.log(alpha + big_t) - s * np.log(beta + big_t)
    died = np.log(s / (r + s + x)) + log_diff_exp(_log_g(params, x, tx), _log_g(params, x, big_t))
    return alive, died


def _pnbd_ll(params: Sequence[float], x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood (Fader & Hardie 2005 note, eq. 19 with A0 from eq. 22/23)."""
    r, alpha, s, beta = params
    alive, died = _log_parts(params, x, tx, big_t)
    return (special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
            + np.logaddexp(alive, died))


def _objective(x: np.ndarray, tx: np.ndarray, big_t: np.ndarray,
               w: np.ndarray) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Mean negative log-likelihood over log-parameters, and its gradient.

    Why it is fast: the hypergeometric terms ``log G`` depend on (x, t_x) and (x, T) only, so
    they are evaluated once per distinct pair (a few thousand, far fewer than the rows), and
    so is their gradient -- by central differences on those pairs alone; everything else is
    differentiated analytically. With a gradient, L-BFGS-B needs a few dozen evaluations
    instead of a few hundred.
    """
    total = w.sum()
    ux, inv_x = np.unique(x, return_inverse=True)
    wx = np.bincount(inv_x.ravel(), weights=w)
    pairs, inv = np.unique(np.column_stack([np.r_[x, x], np.r_[tx, big_t]]), axis=0,
                           return_inverse=True)
    inv = inv.ravel()
    i_tx, i_t = inv[: x.size], inv[x.size:]
    px, py = pairs[:, 0], pairs[:, 1]
    step = 1e-5  # central differences in log-parameter space: error ~ step^2

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, s, beta = params = np.exp(theta)
        with np.errstate(all="ignore"):
            g = _log_g(params, px, py)
            dg = np.empty((4, g.size))
            for j in range(4):
                h = np.zeros(4)
                h[j] = step
                dg[j] = (_log_g(list(np.exp(theta + h)), px, py)
                         - _log_g(list(np.exp(theta - h)), px, py)) / (2 * step)
            rx = r + x
            rsx = r + s + x
            l_at, l_bt = np.log(alpha + big_t), np.log(beta + big_t)
            alive = -rx * l_at - s * l_bt
            g1, g2 = g[i_tx], g[i_t]
            q = np.exp(g2 - g1)  # G(T) / G(t_x), in [0, 1]
            died = np.log(s) - np.log(rsx) + g1 + np.log1p(-q)
            diff = died - alive
            e = np.exp(-np.abs(diff))
            wd = np.where(diff > 0, 1.0, e) / (1 + e)  # share of "died in (t_x, T]"
            ll = (w @ (alive + np.maximum(diff, 0) + np.log1p(e)) + wx @ special.gammaln(r + ux)
                  + total * (r * np.log(alpha) + s * np.log(beta) - special.gammaln(r)))
            d_d = np.where(q < 1, (dg[:, i_tx] - q * dg[:, i_t]) / (1 - q), 0.0)  # d log(G1-G2)
            d_alive = np.array([-r * l_at, -rx * alpha / (alpha + big_t), -s * l_bt,
                                -s * beta / (beta + big_t)])
            d_died = d_d + np.array([-r / rsx, np.zeros_like(x), 1 - s / rsx, np.zeros_like(x)])
            grad = (d_alive * (1 - wd) + d_died * wd) @ w
            grad += np.array([r * (wx @ special.digamma(r + ux)
                                   + total * (np.log(alpha) - special.digamma(r))),
                              total * r, total * s * np.log(beta), total * s])
        return -float(ll) / total, -grad / total

    return fun


def _growth(s: float, u: np.ndarray) -> np.ndarray:
    """(1 - u^(s-1)) / (s - 1) for 0 < u <= 1, with its limit -log(u) at s = 1."""
    log_u = np.log(u)
    if abs(s - 1) < 1e-9:
        return -log_u
    return -np.expm1((s - 1) * log_u) / (s - 1)


class ParetoNBD(PurchaseModel):
    """Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) of repeat purchasing and dropout.

    Attributes (after :meth:`fit`): ``params_`` (dict ``r``, ``alpha``, ``s``, ``beta``;
    ``alpha`` and ``beta`` in the unit of ``recency``/``T``), ``log_likelihood_``.

    Examples
    --------
    >>> m = ParetoNBD().fit([0, 1, 2, 5, 1, 3], [0, 10, 30, 35, 3, 10], [39, 39, 39, 39, 39, 38],
    ...                     weights=[60, 15, 8, 3, 10, 4])
    >>> sorted(m.params_)
    ['alpha', 'beta', 'r', 's']
    >>> m.params_ = {"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.66}  # the CDNOW fit
    >>> m.p_alive([0, 3, 3], [0, 35, 10], [39, 39, 39]).round(3)  # x=3: recent vs long silent
    array([0.293, 0.943, 0.16 ])
    >>> m.expected_purchases(39, [0, 3], [0, 35], [39, 39]).round(3)  # next 39 weeks
    array([0.105, 2.188])
    >>> m.purchase_count_probability([0, 1, 2], 39).round(3)  # a new customer's first 39 weeks
    array([0.596, 0.165, 0.082])
    >>> m.conditional_purchase_count_probability(0, 39, [0, 3], [0, 35], [39, 39]).round(3)  # none in 39 weeks
    array([0.932, 0.265])
    >>> m.p_alive([0, 3], [0, 35], [39, 39], future_t=52).round(3)  # alive a year from now
    array([0.19 , 0.613])
    >>> m.dert([0, 3], [0, 35], [39, 39], discount_rate=np.log(1.15) / 52).round(2)  # 15% a year
    array([0.47, 9.74])
    """

    names = ("r", "alpha", "s", "beta")

    def _start(self, rate: float, scale: float) -> np.ndarray:
        return np.array([0.0, np.log(1.0 / rate), 0.0, np.log(scale)])

    def _objective(self, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray, w: np.ndarray) -> Objective:
        return _objective(x, tx, big_t, w)

    def _log_likelihood(self, params: Sequence[float], x: np.ndarray, tx: np.ndarray,
                        big_t: np.ndarray) -> np.ndarray:
        return _pnbd_ll(params, x, tx, big_t)

    def _p_alive(self, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """P(alive) (Fader & Hardie 2005 note, eq. 18)."""
        with np.errstate(divide="ignore"):
            alive, died = _log_parts(self._params(), x, tx, big_t)
        return special.expit(alive - died)

    def _bound_message(self, at_bound: list[str], params: np.ndarray, big_t: np.ndarray) -> str | None:
        """The no-churn case: the dropout side ran to its bound and loses practically nobody."""
        r, alpha, s, beta = params
        if not {"s", "beta"} & set(at_bound):
            return None
        longest = float(big_t.max())
        leaving = float(-np.expm1(-s * np.log1p(longest / beta)))  # share gone by the longest T
        if leaving >= 0.01:
            return None
        return _("ParetoNBD: the data show no churn: the dropout parameters ran to the search bound "
                 "exp(+/-{bound:g}) (s = {s:.3g}, beta = {beta:.3g}), where the model loses {leaving:.1e} of the "
                 "customers within the longest observation (T = {longest:.4g}) -- practically nobody drops out. "
                 "The fit is the no-dropout limit of the model: P(alive) is about 1 for everyone, and s and beta "
                 "mean nothing on their own. If customers do leave, the observation period is too short to show "
                 "it.").format(bound=LOG_BOUND, s=s, beta=beta, leaving=leaving, longest=longest)

    def _cumulative(self, ts: np.ndarray, x: np.ndarray, tx: np.ndarray,
                    big_t: np.ndarray) -> np.ndarray:
        """Conditional expected purchases in (T, T + t] for every customer (rows) and t (cols);
        ``t = inf`` gives the limit (module docstring), an InputError when it is infinite."""
        r, alpha, s, beta = self._params()
        big_tc = big_t[:, None]
        unlimited = np.isinf(ts)
        if unlimited.any():
            self._require_finite_limit()
        with np.errstate(divide="ignore"):  # log(0) at t = inf: the growth is then 1 / (s - 1)
            growth = _growth(s, (beta + big_tc) / (beta + big_tc + np.where(unlimited, np.inf, ts)[None, :]))
        per_alive = (r + x[:, None]) / (alpha + big_tc) * (beta + big_tc) * growth
        return per_alive * self._p_alive(x, tx, big_t)[:, None]

    def _require_finite_limit(self) -> None:
        s = self._params()[2]
        if s <= 1:
            raise InputError(_(
                "t=inf: under this Pareto/NBD fit (s = {s:.3g} <= 1) the expected number of purchases grows "
                "without bound as t grows: the mean remaining lifetime (beta + T)/(s - 1) is infinite when s <= 1 "
                "(some customers practically never drop out). Choose a finite horizon in the fit's time unit "
                "(e.g. t=52 for a year in weeks).").format(s=s))

    def expected_purchases_population(self, t: float | ArrayLike) -> np.ndarray:
        """E[X(t)]: expected repeat purchases of a new customer in their first ``t`` units
        (Fader & Hardie 2005 note, eq. 17); an array shaped like ``t``. ``t=inf`` gives
        ``r beta / (alpha (s - 1))`` when ``s > 1`` (module docstring)."""
        r, alpha, s, beta = self._params()
        ts = grid(t, "t")
        if np.isinf(ts).any():
            self._require_finite_limit()
        with np.errstate(divide="ignore"):
            return r * beta / alpha * _growth(s, beta / (beta + ts))

    def purchase_count_probability(self, n: int | ArrayLike, t: float | ArrayLike) -> np.ndarray:
        """P(X(t) = n): probability that a new customer makes exactly ``n`` repeat purchases in
        their first ``t`` units. ``n`` and ``t`` broadcast against each other.

        Still alive at ``t`` (probability ``(beta/(beta+t))^s``) the count is negative binomial;
        dropped out at ``tau < t`` it is negative binomial over ``tau``. The second part is the
        integral over ``tau`` of the Pareto (Lomax) density times that pmf, computed by 64-point
        Gauss-Legendre quadrature in ``u = log(1 + tau / c)`` (evenly spread over the orders of
        magnitude where the power-law integrand changes; relative error < 1e-9 in the tests).
        ``t`` must be finite here (the quadrature covers ``(0, t)``): for the distribution of all
        purchases before dropping out use a large ``t``, e.g. ``1e6`` weeks.
        """
        r, alpha, s, beta = self._params()
        ns, ts = np.broadcast_arrays(grid(n, "n", whole=True, allow_inf=False),
                                     grid(t, "t", allow_inf=False))
        return _pmf(ns, ts, r, alpha, s, beta)

    # -- posterior predictions (the class docstring of PurchaseModel: alive at T, a customer is a
    #    new one with r + x, alpha + T, s, beta + T) ---------------------------------------------
    def _conditional_pmf(self, ns: np.ndarray, t: float, x: np.ndarray, tx: np.ndarray,
                         big_t: np.ndarray) -> np.ndarray:
        """:meth:`purchase_count_probability` with the updated parameters, times P(alive), plus
        P(dead) at n = 0. (lifetimes' closed form, Fader & Hardie's note 028 eq. 16, agrees to
        1e-9 in the tests.)"""
        r, alpha, s, beta = self._params()
        step = grid(t, "t", allow_inf=False)
        alive = self._p_alive(x, tx, big_t)[:, None]
        # the new-customer part depends on (x, T) only: once per distinct pair, in blocks that
        # keep the quadrature's (pairs, counts, nodes) array near 4 million numbers
        pairs, codes = distinct_rows([x, big_t])
        fresh = np.empty((len(pairs), ns.size))
        block = max(1, 4_000_000 // (64 * ns.size))
        for start in range(0, len(pairs), block):
            px, pt = pairs[start:start + block, :1], pairs[start:start + block, 1:]
            fresh[start:start + block] = _pmf(ns[None, :], step, r + px, alpha + pt, s, beta + pt)
        return alive * fresh[codes] + (1 - alive) * (ns[None, :] == 0)

    def _survival(self, t: float, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """P(alive at T + t | alive at T): alive at T, ``mu ~ Gamma(s, beta + T)`` and the
        lifetime is memoryless, so the survival is ``E[exp(-mu t)] = ((beta + T)/(beta + T +
        t))^s``."""
        s, beta = self._params()[2:]
        return np.exp(-s * (np.log(beta + big_t + t) - np.log(beta + big_t)))

    def _dert(self, delta: float, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """DERT in closed form (Fader, Hardie & Lee 2005, JMR, eq. 2 of the appendix):

            DERT = alpha^r beta^s delta^(s-1) G(r+x+1) U(s, s; delta (beta+T))
                   / (G(r) (alpha+T)^(r+x+1) L(x, t_x, T))

        with ``U`` the confluent hypergeometric function of the second kind
        (:func:`scipy.special.hyperu`). Written here as ``P(alive) (r + x)/(alpha + T) E[1 /
        (delta + mu)]``, ``mu ~ Gamma(s, beta + T)``, whose expectation is ``z^s U(s, s; z) /
        delta`` with ``z = delta (beta + T)`` -- the same expression, without the likelihood's
        huge powers. Where scipy's U fails (non-finite or 0: large ``s``, e.g. 30) the
        expectation is computed by quadrature over ``log mu`` instead. Evaluated once per
        distinct ``T``.
        """
        r, alpha, s, beta = self._params()
        u_t, inv = np.unique(big_t, return_inverse=True)
        z = delta * (beta + u_t)
        with np.errstate(all="ignore"):
            mean_inv = np.exp(s * np.log(z)) * special.hyperu(s, s, z) / delta
        bad = ~(np.isfinite(mean_inv) & (mean_inv > 0))
        if bad.any():  # scipy's U fails for large s (e.g. s = 30): E[1/(delta + mu)] by quadrature
            # over y = log(mu (beta + T)), whose density exp(s y - e^y) / G(s) is smooth and
            # near-normal; the range holds all but 2e-16 of it (tested: 1e-13 against quad)
            lo, hi = np.log(special.gammaincinv(s, 1e-16)), np.log(special.gammainccinv(s, 1e-16))
            nodes, weights = np.polynomial.legendre.leggauss(128)
            y = lo + (hi - lo) * (nodes + 1) / 2
            density = np.exp(s * y - np.exp(y) - special.gammaln(s))
            mean_inv[bad] = (hi - lo) / 2 * ((weights * density)[None, :]
                                             / (delta + np.exp(y)[None, :] / (beta + u_t[bad, None]))).sum(axis=1)
        return self._p_alive(x, tx, big_t) * (r + x) / (alpha + big_t) * mean_inv[inv.ravel()]


def _pmf(ns: np.ndarray, ts: np.ndarray, r: Any, alpha: Any, s: float, beta: Any) -> np.ndarray:
    """P(X(t) = n) of a new customer (see :meth:`ParetoNBD.purchase_count_probability`), for
    parameters that broadcast against ``ns`` and ``ts`` (a customer's posterior: r + x,
    alpha + T, beta + T)."""
    ns, ts, r, alpha, beta = np.broadcast_arrays(ns, ts, r, alpha, beta)
    log_nb = special.gammaln(r + ns) - special.gammaln(r) - special.gammaln(ns + 1)
    alive = np.exp(log_nb + r * (np.log(alpha) - np.log(alpha + ts))
                   + special.xlogy(ns, ts / (alpha + ts)) + s * (np.log(beta) - np.log(beta + ts)))
    c = np.minimum(alpha, beta)
    nodes, weights = np.polynomial.legendre.leggauss(64)
    top = np.log1p(ts / c)[..., None]
    u = top * (nodes + 1) / 2
    tau = c[..., None] * np.expm1(u)
    log_f = (np.log(s) + s * np.log(beta[..., None]) - (s + 1) * np.log(beta[..., None] + tau)
             + log_nb[..., None] + r[..., None] * np.log(alpha[..., None]) + special.xlogy(ns[..., None], tau)
             - (r + ns)[..., None] * np.log(alpha[..., None] + tau) + np.log(c[..., None]) + u)  # dtau = c e^u du
    dropped = top[..., 0] / 2 * (np.exp(log_f) @ weights)
    return np.asarray(alive + dropped)
