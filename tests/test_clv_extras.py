"""Tests for the BTYD models' posterior predictions and standard errors (issue 13, part M).

Each quantity is checked against a computation that does not share its code path: a seeded
simulation of the model's story (purchases, dropout), numerical integration (scipy.integrate),
finite differences of the public per-customer log-likelihood, and lifetimes 0.11.3 where it has
the same quantity. lifetimes' numbers are written below (``LIFETIMES``) with how they were made.

How the lifetimes reference values were computed (once, in the benchmark's environment
``_build/bench-lifetimes/``: lifetimes 0.11.3, autograd 1.6.2, pandas 1.5.3, numpy 1.26.4):

1. ``.venv/bin/python`` wrote cvmlib's CDNOW-sample summary (weeks, calibration to 1997-09-30,
   ``returns="net"``, as the ``cdnow`` fixture below) and cvmlib's BetaGeo and GammaGamma
   estimates to ``cdnow.npz``;
2. ``_build/bench-lifetimes/bin/python lt_ref.py`` computed, with lifetimes' own code: (a)
   lifetimes' standard-error formula ``sqrt(diag(params**2 * inv(H) / N))`` with ``H`` the
   autograd Hessian of ``BetaGeoFitter._negative_log_likelihood`` /
   ``GammaGammaFitter._negative_log_likelihood`` at cvmlib's optimum (log-parameters); (b)
   ``BetaGeoFitter().fit(f, r, T).summary`` and ``GammaGammaFitter().fit(x, m).summary``
   (``coef``, ``se(coef)``); (c) at the published parameters, ``ParetoNBDFitter.
   conditional_probability_of_n_purchases_up_to_time(n, 39.0, f, r, T)`` for n = 0..3 and
   ``conditional_probability_alive`` of both fitters, for the five customers of ``CASES``.
   lifetimes' Pareto/NBD has no standard errors (it fits with Nelder-Mead, no Hessian) and its
   BG/NBD no conditional PMF: those are checked by the other means.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

from cvmlib.clv import BetaGeo, GammaGamma, ParetoNBD, summarize_purchases
from cvmlib.datasets import load_cdnow
from cvmlib.i18n import language
from cvmlib.validate import InputError

FHL = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader, Hardie & Lee 2005, BG/NBD, weeks
FHL_PNBD = {"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562}  # the same data, Pareto/NBD

#: Five customers (frequency, recency, T in weeks): new, silent, CDNOW's 00004, frequent, very frequent.
CASES = {"frequency": [0, 1, 2, 7, 20], "recency": [0, 1.0, 30.43, 35.0, 38.5], "T": [38.86, 32.0, 38.86, 38.86, 39.0]}

LIFETIMES = {  # see the module docstring for the commands
    "bg_se_at_cvmlib": [0.012557378059970292, 0.3782240595943261, 0.18573382294887192, 0.7054142673395798],
    "gg_se_at_cvmlib": [1.1900553518237296, 0.2901330660058504, 4.159422753941904],
    "bg_fit": {"coef": [0.24259454342106726, 4.413602716077369, 0.7929218333477807, 2.4259057287213732],
               "se": [0.012557379181029442, 0.3782241012650519, 0.18573374969720002, 0.7054138496770295]},
    "gg_fit": {"coef": [6.249572277633455, 3.7442246747586947, 15.443521018370483],
               "se": [1.190055346397267, 0.2901330675935393, 4.15942280221318]},
    "pnbd_cond_pmf_t39": [  # rows n = 0..3, columns the CASES
        [0.9307542802165342, 0.8915922925772097, 0.40809528235916076, 0.13983320954024286, 0.034557117651856865],
        [0.04586796967054995, 0.05016401460867173, 0.2192652133759916, 0.08147465347492376, 0.025947807471905098],
        [0.014670434020830861, 0.027486562938433694, 0.15174605207559394, 0.09413232168800803, 0.024334644235968563],
        [0.005312626901473839, 0.014740538093627754, 0.09565226765582326, 0.10496478388166583, 0.023201129141137117]],
    "pnbd_p_alive": [0.29496148643704223, 0.19913706767920497, 0.8691106439681373, 0.9360546260011341,
                     0.9933395425574345],
    "bg_p_alive": [1.0, 0.22253767340895675, 0.726578570080673, 0.8437678219280121, 0.9552997121086848],
}


def _model(kind: type, params: dict[str, float]) -> BetaGeo | ParetoNBD:
    m = kind()
    m.params_ = dict(params)
    return m


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return summarize_purchases(load_cdnow(sample=True), "customer_id", "order_date", "amount",
                               calibration_end="1997-09-30", observation_end="1998-06-30", unit="W", returns="net")


@pytest.fixture(scope="module")
def cdnow_bg(cdnow: pd.DataFrame) -> BetaGeo:
    return BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def cdnow_pn(cdnow: pd.DataFrame) -> ParetoNBD:
    return ParetoNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def cdnow_gg(cdnow: pd.DataFrame) -> GammaGamma:
    rep = cdnow[cdnow["frequency"] > 0]
    return GammaGamma().fit(rep["frequency"], rep["monetary_value"])


# ---------------------------------------------------------------- lifetimes' numbers


def test_standard_errors_equal_lifetimes(cdnow_bg: BetaGeo, cdnow_gg: GammaGamma) -> None:
    # the same formula on the same optimum: only the Hessian differs (autograd vs our differences)
    np.testing.assert_allclose(list(cdnow_bg.standard_errors_.values()), LIFETIMES["bg_se_at_cvmlib"], rtol=1e-6)
    np.testing.assert_allclose(list(cdnow_gg.standard_errors_.values()), LIFETIMES["gg_se_at_cvmlib"], rtol=1e-6)
    # lifetimes' own fits stop at tol=1e-7: estimates and standard errors agree to ~1e-6
    table = cdnow_bg.summary()
    np.testing.assert_allclose(table["estimate"], LIFETIMES["bg_fit"]["coef"], rtol=1e-5)
    np.testing.assert_allclose(table["standard_error"], LIFETIMES["bg_fit"]["se"], rtol=1e-5)
    np.testing.assert_allclose(cdnow_gg.summary()["standard_error"], LIFETIMES["gg_fit"]["se"], rtol=1e-5)


def test_conditional_pmf_and_p_alive_equal_lifetimes() -> None:
    pn, bg = _model(ParetoNBD, FHL_PNBD), _model(BetaGeo, FHL)
    f, r, T = CASES["frequency"], CASES["recency"], CASES["T"]
    # lifetimes: Fader & Hardie's closed form (note 028, eq. 16); cvmlib: quadrature over the dropout time
    ours = pn.conditional_purchase_count_probability([0, 1, 2, 3], 39.0, f, r, T)
    np.testing.assert_allclose(ours.T, LIFETIMES["pnbd_cond_pmf_t39"], rtol=1e-9)
    np.testing.assert_allclose(pn.p_alive(f, r, T), LIFETIMES["pnbd_p_alive"], rtol=1e-12)
    np.testing.assert_allclose(bg.p_alive(f, r, T, future_t=0), LIFETIMES["bg_p_alive"], rtol=1e-12)


# ---------------------------------------------------------------- conditional PMF


@pytest.mark.parametrize(("kind", "params"), [(BetaGeo, FHL), (ParetoNBD, FHL_PNBD),
                                              (BetaGeo, {"r": 2.0, "alpha": 3.0, "a": 4.0, "b": 30.0}),
                                              (ParetoNBD, {"r": 2.0, "alpha": 1.0, "s": 3.0, "beta": 200.0})])
def test_conditional_pmf_sums_to_one_with_the_expected_mean(kind: type, params: dict[str, float]) -> None:
    m = _model(kind, params)
    f, r, T = [0, 1, 2, 7, 20, 150], [0, 1.0, 30.43, 35.0, 38.5, 38.9], [38.86, 32.0, 38.86, 38.86, 39.0, 39.0]
    n = np.arange(1500)
    for t in (1.0, 39.0, 104.0):
        pmf = m.conditional_purchase_count_probability(n, t, f, r, T)
        assert pmf.shape == (6, n.size) and np.isfinite(pmf).all() and (pmf >= 0).all()
        np.testing.assert_allclose(pmf.sum(axis=1), 1.0, rtol=1e-8)
        np.testing.assert_allclose(pmf @ n, m.expected_purchases(t, f, r, T), rtol=1e-7)
    one = m.conditional_purchase_count_probability(2, 39.0, f, r, T)
    np.testing.assert_allclose(one, m.conditional_purchase_count_probability([2], 39.0, f, r, T)[:, 0])
    np.testing.assert_allclose(m.conditional_purchase_count_probability(0, 0.0, f, r, T), 1.0)


def _simulate_bgnbd(n: int, horizon: float, params: dict[str, float], seed: int) -> dict[str, np.ndarray]:
    """Purchase times of a BG/NBD population up to ``horizon``: counts before/after ``T``, death time."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(params["r"], 1 / params["alpha"], n)
    p = rng.beta(params["a"], params["b"], n)
    clock, death = np.zeros(n), np.full(n, np.inf)
    times: list[np.ndarray] = []
    who: list[np.ndarray] = []
    active = np.arange(n)
    while active.size:
        clock[active] += rng.exponential(1 / lam[active])
        active = active[clock[active] <= horizon]
        times.append(clock[active].copy())
        who.append(active)
        dies = rng.random(active.size) < p[active]  # dropout right after the purchase
        death[active[dies]] = clock[active[dies]]
        active = active[~dies]
    return {"time": np.concatenate(times), "who": np.concatenate(who), "death": death}


def _simulate_pnbd(n: int, big_t: float, t: float, params: dict[str, float], seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    lam = rng.gamma(params["r"], 1 / params["alpha"], n)
    death = rng.exponential(1 / rng.gamma(params["s"], 1 / params["beta"], n))
    before = rng.poisson(lam * np.minimum(death, big_t))
    after = rng.poisson(lam * np.clip(death - big_t, 0, t))
    return {"before": before, "after": after, "death": death}


def _binomial_close(hits: np.ndarray, p: np.ndarray, total: int) -> None:
    """Observed counts of each outcome within 4.5 binomial standard errors of total * p."""
    se = np.sqrt(total * p * (1 - p))
    assert np.all(np.abs(hits - total * p) <= 4.5 * se + 1), (hits, total * p)


def test_conditional_pmf_and_future_p_alive_by_simulation() -> None:
    # Customers who made no repeat purchase by T (an exact history, so it can be selected in a
    # simulated population): their purchases in (T, T + t] and whether they live at T + t.
    big_t, t, n = 30.0, 26.0, 200_000
    sim = _simulate_bgnbd(n, big_t + t, FHL, seed=1)
    quiet = np.ones(n, dtype=bool)
    quiet[sim["who"][sim["time"] <= big_t]] = False  # bought again by T
    after = np.bincount(sim["who"][sim["time"] > big_t], minlength=n)[quiet]
    m = _model(BetaGeo, FHL)
    pmf = m.conditional_purchase_count_probability([0, 1, 2], t, [0], [0], [big_t])[0]
    hits = np.array([(after == k).sum() for k in range(3)])
    _binomial_close(hits, pmf, int(quiet.sum()))
    alive = int((sim["death"][quiet] > big_t + t).sum())
    _binomial_close(np.array([alive]), m.p_alive([0], [0], [big_t], future_t=t), int(quiet.sum()))

    sim = _simulate_pnbd(n, big_t, t, FHL_PNBD, seed=2)
    quiet = sim["before"] == 0
    m = _model(ParetoNBD, FHL_PNBD)
    pmf = m.conditional_purchase_count_probability([0, 1, 2], t, [0], [0], [big_t])[0]
    hits = np.array([(sim["after"][quiet] == k).sum() for k in range(3)])
    _binomial_close(hits, pmf, int(quiet.sum()))
    alive = int((sim["death"][quiet] > big_t + t).sum())
    _binomial_close(np.array([alive]), m.p_alive([0], [0], [big_t], future_t=t), int(quiet.sum()))


def test_conditional_pmf_of_a_repeat_buyer_by_simulation_from_the_story() -> None:
    # A repeat buyer: the exact history (x, t_x, T) has probability 0 in a simulation, so draw
    # the customer's state from Bayes' rule written as importance weights on prior draws
    # (likelihood of the history given lambda, p or mu), then let the model's story run on.
    rng = np.random.default_rng(3)
    n, x, tx, big_t, t = 400_000, 3, 25.0, 38.0, 39.0
    lam = rng.gamma(FHL["r"], 1 / FHL["alpha"], n)
    p = rng.beta(FHL["a"], FHL["b"], n)
    # history likelihood: alive at T: lam^x e^{-lam T} (1-p)^x; died at t_x: lam^x e^{-lam t_x} p (1-p)^(x-1)
    l_alive = lam**x * np.exp(-lam * big_t) * (1 - p) ** x
    l_dead = lam**x * np.exp(-lam * tx) * p * (1 - p) ** (x - 1)
    alive = rng.random(n) < l_alive / (l_alive + l_dead)
    weight = l_alive + l_dead
    count = np.zeros(n)  # purchases in (T, T + t] of the alive, with a dropout chance after each
    clock = np.zeros(n)
    going = alive.copy()
    while going.any():
        idx = np.flatnonzero(going)
        clock[idx] += rng.exponential(1 / lam[idx])
        ok = clock[idx] <= t
        count[idx[ok]] += 1
        going[idx[~ok]] = False
        going[idx[ok]] = rng.random(ok.sum()) >= p[idx[ok]]
    empirical = np.array([weight[count == k].sum() for k in range(4)]) / weight.sum()
    model = _model(BetaGeo, FHL).conditional_purchase_count_probability(range(4), t, [x], [tx], [big_t])[0]
    ess = weight.sum() ** 2 / (weight**2).sum()  # effective sample size of the weighted draws
    assert np.all(np.abs(empirical - model) <= 4.5 * np.sqrt(model * (1 - model) / ess) + 1e-3), (empirical, model)


def test_bgnbd_future_p_alive_equals_quadrature_over_p() -> None:
    m = _model(BetaGeo, FHL)
    r, alpha, a, b = FHL.values()
    f, rec, T = np.array([0, 1, 2, 7, 20, 300.0]), np.array([0, 1.0, 30.43, 35.0, 38.5, 38.9]), np.full(6, 39.0)
    now = m.p_alive(f, rec, T)
    for t in (0.5, 10.0, 52.0, 1000.0):
        # P(alive now) E[exp(-lam p t)], lam ~ Gamma(r+x, alpha+T), p ~ Beta(a, b+x): the lam
        # integral in closed form, the p integral numerically (all customers at once)
        def integrand(p: float, t: float = t) -> np.ndarray:
            log_density = (a - 1) * np.log(p) + (b + f - 1) * np.log1p(-p) - special.betaln(a, b + f)
            return np.exp(log_density - (r + f) * np.log1p(p * t / (alpha + T)))
        survive = integrate.quad_vec(integrand, 0, 1, epsabs=1e-13, epsrel=1e-11, limit=400)[0]
        np.testing.assert_allclose(m.p_alive(f, rec, T, future_t=t), now * survive, rtol=1e-8, atol=1e-13)
    np.testing.assert_array_equal(m.p_alive(f, rec, T, future_t=0), m.p_alive(f, rec, T))
    assert (m.p_alive(f, rec, T, future_t=np.inf) == 0).all()


def test_future_p_alive_decreases_and_pareto_closed_form() -> None:
    pn = _model(ParetoNBD, FHL_PNBD)
    f, r, T = CASES["frequency"], CASES["recency"], CASES["T"]
    steps = [0.0, 1.0, 10.0, 100.0, 1e4, 1e8]
    for m in (pn, _model(BetaGeo, FHL)):
        curve = np.array([m.p_alive(f, r, T, future_t=s) for s in steps])
        assert np.isfinite(curve).all() and (np.diff(curve, axis=0) <= 1e-15).all() and (curve >= 0).all()
    # Pareto/NBD: P(alive at T + t) = P(alive at T) ((beta + T) / (beta + T + t))^s
    shifted = FHL_PNBD["beta"] + np.array(T)
    want = pn.p_alive(f, r, T) * (shifted / (shifted + 52)) ** FHL_PNBD["s"]
    np.testing.assert_allclose(pn.p_alive(f, r, T, future_t=52), want, rtol=1e-13)


# ---------------------------------------------------------------- DERT


@pytest.mark.parametrize(("kind", "params"), [(BetaGeo, FHL), (ParetoNBD, FHL_PNBD),
                                              (BetaGeo, {"r": 2.0, "alpha": 3.0, "a": 4.0, "b": 30.0}),
                                              (ParetoNBD, {"r": 2.0, "alpha": 1.0, "s": 3.0, "beta": 200.0})])
def test_dert_equals_the_integral_of_discounted_expected_purchases(kind: type, params: dict[str, float]) -> None:
    # DERT = int_0^inf e^{-delta t} dE[Y(t)] = int_0^inf delta e^{-delta t} E[Y(t)] dt (by parts):
    # only expected_purchases (eq. 10 / the note's eq. 20) is used, by adaptive quadrature.
    m = _model(kind, params)
    f, r, T = [0, 2, 20, 150], [0, 30.43, 38.5, 38.9], [38.86, 38.86, 39.0, 39.0]
    for delta in (np.log(1.15) / 52, 1.0):
        def curve(u: float, delta: float = delta) -> np.ndarray:  # t = u / (1 - u) maps (0, 1) onto (0, inf)
            t = u / (1 - u)
            return delta * np.exp(-delta * t) * m.expected_purchases(t, f, r, T) / (1 - u) ** 2
        want = integrate.quad_vec(curve, 0, 1, epsabs=1e-12, epsrel=1e-10, limit=400)[0]
        np.testing.assert_allclose(m.dert(f, r, T, delta), want, rtol=1e-7)


def test_pareto_dert_equals_fader_hardie_lee_formula_literally() -> None:
    # FHL (2005, JMR) eq.: alpha^r beta^s delta^(s-1) G(r+x+1) U(s,s;delta(beta+T)) / (G(r) (alpha+T)^(r+x+1) L)
    m = _model(ParetoNBD, FHL_PNBD)
    r, alpha, s, beta = FHL_PNBD.values()
    f, rec, T = np.array(CASES["frequency"], float), np.array(CASES["recency"]), np.array(CASES["T"])
    delta = np.log(1.15) / 52
    lik = np.exp(m.log_likelihood(f, rec, T))
    want = (alpha**r * beta**s * delta ** (s - 1) * special.gamma(r + f + 1) * special.hyperu(s, s, delta * (beta + T))
            / (special.gamma(r) * (alpha + T) ** (r + f + 1) * lik))
    np.testing.assert_allclose(m.dert(f, rec, T, delta), want, rtol=1e-10)


@pytest.mark.parametrize("s", [0.3, 30.0, 500.0])  # scipy's hyperu fails for s = 30 and 500: quadrature there
def test_pareto_dert_expectation_over_the_dropout_rate(s: float) -> None:
    # DERT = P(alive) (r + x)/(alpha + T) E[1/(delta + mu)], mu ~ Gamma(s, beta + T): the
    # expectation by adaptive quadrature against the gamma density, over y = log(mu) (the density
    # itself is infinite at mu = 0 when s < 1)
    m = _model(ParetoNBD, {"r": 0.55, "alpha": 10.6, "s": s, "beta": 11.7 * s})
    f, r, T = np.array([0.0, 2, 20]), np.array([0, 30.43, 38.5]), np.array([38.86, 38.86, 39.0])

    def term(y: float, big: float, delta: float) -> float:
        log_density = s * np.log(big) + (s - 1) * y - big * np.exp(y) - special.gammaln(s)  # Gamma(s, rate big)
        return float(np.exp(log_density + y) / (delta + np.exp(y)))

    for delta in (1e-6, 0.003, 1.0):
        mean_inv = []
        for t in T:
            big = 11.7 * s + t  # mu * big ~ Gamma(s, 1): beyond these ends lies less than e^-40 of it
            lo, mode, hi = (np.log(v / big) for v in (np.exp(-40 / s), s, s + 40 * np.sqrt(s) + 40))
            mean_inv.append(sum(integrate.quad(term, a, b, args=(big, delta), epsabs=0, epsrel=1e-12,
                                               limit=500)[0] for a, b in [(lo, mode), (mode, hi)]))
        want = m.p_alive(f, r, T) * (0.55 + f) / (10.6 + T) * np.array(mean_inv)
        np.testing.assert_allclose(m.dert(f, r, T, delta), want, rtol=1e-8)


def test_dert_tends_to_the_unlimited_expectation_and_stays_finite() -> None:
    pn = _model(ParetoNBD, {"r": 0.55, "alpha": 10.6, "s": 2.5, "beta": 11.7})  # s > 1: E[Y(inf)] finite
    # a > 1; and r + 1 > a, else the rate of a new customer decays like u^-(r+1) and DERT approaches
    # its limit only like delta^(r+1-1) (measured: 8% short at delta = 1e-7 with r = 0.25)
    bg = _model(BetaGeo, {"r": 2.5, "alpha": 4.4, "a": 2.5, "b": 2.4})
    f, r, T = [0, 2, 20], [0, 30.43, 38.5], [38.86, 38.86, 39.0]
    for m in (pn, bg):
        np.testing.assert_allclose(m.dert(f, r, T, 1e-7), m.expected_purchases(np.inf, f, r, T), rtol=1e-4)
        extreme = m.dert([0, 1e5, 3], [0, 5e4, 1e-6], [1e5, 5e4, 1e6], 1e-9)
        assert np.isfinite(extreme).all() and (extreme >= 0).all()
        assert np.isfinite(m.dert(f, r, T, 50.0)).all()
    # where E[Y(inf)] is infinite (CDNOW: s, a < 1) DERT is finite and grows as delta -> 0
    for m in (_model(ParetoNBD, FHL_PNBD), _model(BetaGeo, FHL)):
        values = [m.dert(f, r, T, d) for d in (0.1, 0.01, 0.001)]
        assert np.isfinite(values).all() and (np.diff(values, axis=0) > 0).all()


# ---------------------------------------------------------------- standard errors


def _fd_information(model: object, names: list[str], loglik: object, h: float = 1e-4) -> np.ndarray:
    """Minus the Hessian of sum(loglik(params)) by central second differences in RELATIVE steps."""
    base = np.array([model.params_[k] for k in names])  # type: ignore[attr-defined]

    def total(v: np.ndarray) -> float:
        return float(np.sum(loglik(dict(zip(names, v)))))  # type: ignore[operator]

    k = base.size
    out = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            hi, hj = h * base[i], h * base[j]
            ei, ej = np.eye(k)[i] * hi, np.eye(k)[j] * hj
            out[i, j] = -(total(base + ei + ej) - total(base + ei - ej) - total(base - ei + ej)
                          + total(base - ei - ej)) / (4 * hi * hj)
    return out


def test_standard_errors_equal_finite_differences_of_the_public_likelihood(
        cdnow: pd.DataFrame, cdnow_bg: BetaGeo, cdnow_pn: ParetoNBD, cdnow_gg: GammaGamma) -> None:
    f, r, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    for model in (cdnow_bg, cdnow_pn):
        names = list(model.names)

        def loglik(params: dict[str, float], model: object = model) -> np.ndarray:
            probe = type(model)()
            probe.params_ = params
            return probe.log_likelihood(f, r, T)

        se = np.sqrt(np.diag(np.linalg.inv(_fd_information(model, names, loglik))))
        np.testing.assert_allclose(list(model.standard_errors_.values()), se, rtol=2e-4)
    rep = cdnow[cdnow["frequency"] > 0]

    def gg_loglik(params: dict[str, float]) -> np.ndarray:
        probe = GammaGamma()
        probe.params_ = params
        return probe.log_likelihood(rep["frequency"], rep["monetary_value"])

    se = np.sqrt(np.diag(np.linalg.inv(_fd_information(cdnow_gg, ["p", "q", "gamma"], gg_loglik))))
    np.testing.assert_allclose(list(cdnow_gg.standard_errors_.values()), se, rtol=2e-4)


def test_summary_table_and_weights(cdnow: pd.DataFrame, cdnow_bg: BetaGeo) -> None:
    table = cdnow_bg.summary()
    assert list(table.columns) == ["estimate", "standard_error", "lower_95", "upper_95"]
    assert list(table.index) == ["r", "alpha", "a", "b"] and table.index.name == "parameter"
    assert np.isfinite(table.to_numpy()).all()
    assert ((table["lower_95"] < table["estimate"]) & (table["estimate"] < table["upper_95"])).all()
    assert ((table["lower_95"] > 0)).all()  # log-scale interval: positive, like the parameters
    np.testing.assert_allclose(np.log(table["upper_95"] / table["estimate"]),
                               1.959963984540054 * table["standard_error"] / table["estimate"], rtol=1e-12)
    # the FHL paper's estimates lie inside the intervals
    assert ((table["lower_95"] < pd.Series(FHL)) & (pd.Series(FHL) < table["upper_95"])).all()
    # weights are customer counts: the distinct rows with their counts give the same errors
    rows = cdnow.groupby(["frequency", "recency", "T"]).size().reset_index(name="n")
    weighted = BetaGeo().fit(rows["frequency"], rows["recency"], rows["T"], weights=rows["n"])
    np.testing.assert_allclose(list(weighted.standard_errors_.values()), list(cdnow_bg.standard_errors_.values()),
                               rtol=1e-4)
    # twice the customers: the errors shrink by sqrt(2)
    doubled = BetaGeo().fit(rows["frequency"], rows["recency"], rows["T"], weights=2 * rows["n"])
    np.testing.assert_allclose(np.array(list(doubled.standard_errors_.values())) * np.sqrt(2),
                               list(weighted.standard_errors_.values()), rtol=1e-4)


def test_standard_errors_need_a_fit_and_an_identified_model() -> None:
    for model in (_model(BetaGeo, FHL), _model(ParetoNBD, FHL_PNBD)):
        with pytest.raises(RuntimeError, match="standard errors need the data of a fit"):
            model.summary()
    with pytest.raises(RuntimeError, match="not fitted yet"):
        BetaGeo().summary()
    gg = GammaGamma()
    gg.params_ = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    with pytest.raises(RuntimeError, match="standard errors need the data of a fit"):
        gg.standard_errors_
    fitted = BetaGeo().fit([0, 1, 2, 5, 1, 3], [0, 10, 30, 35, 3, 10], [39, 39, 39, 39, 39, 38],
                           weights=[60, 15, 8, 3, 10, 4])
    fitted.summary()
    fitted.params_ = {**fitted.params_, "r": 1.0}  # changed by hand: the fit's errors no longer apply
    with pytest.raises(RuntimeError, match="changed since"):
        fitted.summary()
    from cvmlib.clv._common import parameter_table  # the guard itself: a singular information matrix

    with pytest.raises(InputError, match="not positive definite"):
        parameter_table("BetaGeo", ["r", "alpha"], [1.0, 2.0], np.array([[1.0, 1.0], [1.0, 1.0]]))


def _fit_quietly(model: object, *args: np.ndarray) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(*args)  # type: ignore[attr-defined]


@pytest.mark.full
def test_standard_errors_match_the_spread_of_estimates_in_a_simulation_study() -> None:
    # 40 data sets of 4,000 customers from the FHL BG/NBD: the standard deviation of the estimates
    # across data sets and the mean reported standard error agree (within 25%: the sd of an sd
    # from 40 draws is ~11%).
    estimates, errors = [], []
    for seed in range(40):
        sim = _simulate_bgnbd(4000, 52.0, FHL, seed=100 + seed)
        T = np.random.default_rng(seed).uniform(20, 52, 4000)
        inside = sim["time"] <= T[sim["who"]]
        x = np.bincount(sim["who"][inside], minlength=4000).astype(float)
        rec = np.zeros(4000)
        np.maximum.at(rec, sim["who"][inside], sim["time"][inside])
        m = _fit_quietly(BetaGeo(), x, rec, T)
        estimates.append(list(m.params_.values()))  # type: ignore[attr-defined]
        errors.append(list(m.standard_errors_.values()))  # type: ignore[attr-defined]
    spread, reported = np.std(estimates, axis=0, ddof=1), np.mean(errors, axis=0)
    np.testing.assert_allclose(reported, spread, rtol=0.25)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("kind", [BetaGeo, ParetoNBD])
def test_new_methods_refuse_bad_input_before_computing(kind: type) -> None:
    m = _model(kind, FHL if kind is BetaGeo else FHL_PNBD)
    f, r, T = [0, 2], [0, 30.0], [39.0, 39.0]
    cases = [
        (lambda: m.conditional_purchase_count_probability(-1, 10, f, r, T), "n"),
        (lambda: m.conditional_purchase_count_probability(1.5, 10, f, r, T), "n"),
        (lambda: m.conditional_purchase_count_probability(True, 10, f, r, T), "n"),
        (lambda: m.conditional_purchase_count_probability([[0, 1]], 10, f, r, T), "n"),
        (lambda: m.conditional_purchase_count_probability(1, -3, f, r, T), "t"),
        (lambda: m.conditional_purchase_count_probability(1, np.nan, f, r, T), "t"),
        (lambda: m.conditional_purchase_count_probability(1, 10, [0, 2], [0, 50.0], T), "recency"),
        (lambda: m.p_alive(f, r, T, future_t=-1), "future_t"),
        (lambda: m.p_alive(f, r, T, future_t=np.nan), "future_t"),
        (lambda: m.p_alive(f, r, T, future_t="2"), "future_t"),
        (lambda: m.dert(f, r, T, 0.0), "discount_rate"),
        (lambda: m.dert(f, r, T, -0.1), "discount_rate"),
        (lambda: m.dert(f, r, T, np.inf), "discount_rate"),
        (lambda: m.dert(f, r, T, True), "discount_rate"),
        (lambda: m.dert([0, 2, 3], r, T, 0.01), "same length"),
        (lambda: m.dert([0, np.nan], r, T, 0.01), "frequency"),
    ]
    for call, name in cases:
        with pytest.raises(InputError, match=name):
            call()
    if kind is ParetoNBD:  # its PMF integrates over (0, t): t must be finite
        with pytest.raises(InputError, match="t"):
            m.conditional_purchase_count_probability(1, np.inf, f, r, T)
    else:  # BG/NBD: t = inf is the distribution of all further purchases: sums to 1 minus the tail
        big_n = 3000  # P(n >= N | alive) = E[(1 - p)^(N - 1)], p ~ Beta(a, b + x)
        pmf = m.conditional_purchase_count_probability(np.arange(big_n), np.inf, f, r, T)
        x = np.array(f, dtype=float)
        tail = m.p_alive(f, r, T) * np.exp(special.betaln(FHL["a"], FHL["b"] + x + big_n - 1)
                                           - special.betaln(FHL["a"], FHL["b"] + x))
        np.testing.assert_allclose(pmf.sum(axis=1), 1 - tail, rtol=1e-10)
    with pytest.raises(RuntimeError, match="not fitted"):
        kind().dert(f, r, T, 0.01)


def test_large_histories_give_finite_numbers() -> None:
    f, r, T = [0, 1e4, 5e5], [0, 3e3, 9e4], [1e4, 3e3, 1e5]
    for m in (_model(BetaGeo, FHL), _model(ParetoNBD, FHL_PNBD)):
        for values in (m.p_alive(f, r, T, future_t=52), m.dert(f, r, T, 0.003),
                       m.conditional_purchase_count_probability([0, 1, 50], 52, f, r, T)):
            assert np.isfinite(values).all() and (values >= 0).all()


def test_messages_are_translated() -> None:
    m = _model(BetaGeo, FHL)
    with language("zh"):
        with pytest.raises(InputError) as err:
            m.dert([0], [0], [39], 0.0)
        assert "折现" in str(err.value)
        with pytest.raises(RuntimeError) as err2:
            m.summary()
        assert "标准误" in str(err2.value)


# ---------------------------------------------------------------- plots


def test_matrix_plots_show_the_model_values() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cvmlib.plotting import frequency_recency_matrix_plot, p_alive_matrix_plot

    for m in (_model(BetaGeo, FHL), _model(ParetoNBD, FHL_PNBD)):
        ax = frequency_recency_matrix_plot(m, T=39.0, t=52.0, max_frequency=8, recency_steps=13)
        cells = ax.images[0].get_array()
        assert cells.shape == (9, 14)
        assert cells.mask[0, 1:].all() and cells.mask[1:, 0].all() and not cells.mask[0, 0]
        assert cells[4, 13] == pytest.approx(m.expected_purchases(52.0, [4], [39.0], [39.0])[0], rel=1e-12)
        assert cells[0, 0] == pytest.approx(m.expected_purchases(52.0, [0], [0], [39.0])[0], rel=1e-12)
        ax = p_alive_matrix_plot(m, T=39.0, future_t=10.0, max_frequency=8, recency_steps=13)
        cells = ax.images[0].get_array()
        want = m.p_alive([5], [39.0 * 6 / 13], [39.0], future_t=10.0)[0]
        assert cells[5, 6] == pytest.approx(want, rel=1e-12)
        assert "10" in ax.get_title()
        plt.close("all")
    bg = _model(BetaGeo, FHL)
    for call, name in [(lambda: frequency_recency_matrix_plot("model", T=39), "model"),
                       (lambda: frequency_recency_matrix_plot(bg, T=0), "T"),
                       (lambda: frequency_recency_matrix_plot(bg, T=39, t=-1), "t"),
                       (lambda: frequency_recency_matrix_plot(bg, T=39, max_frequency=0), "max_frequency"),
                       (lambda: p_alive_matrix_plot(bg, T=39, recency_steps=2.5), "recency_steps"),
                       (lambda: p_alive_matrix_plot(bg, T=39, future_t=-2), "future_t")]:
        with pytest.raises(InputError, match=name):
            call()
    with pytest.raises(RuntimeError, match="not fitted"):
        p_alive_matrix_plot(BetaGeo(), T=39)
    plt.close("all")
