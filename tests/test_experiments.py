"""cvmlib.experiments against plain formulas (no scipy, no statsmodels) and seeded simulations with known effects."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from cvmlib.experiments import Lift, SampleSize, lift, sample_size, uplift_by_segment
from cvmlib.i18n import language
from cvmlib.validate import InputError

Z = NormalDist()


def _t_cdf(x: float, df: float) -> float:
    """Student-t CDF by Simpson's rule on the density (plain, for the tests only)."""
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    n = 4000
    a, b = 0.0, abs(x)
    h = (b - a) / n
    f = [math.exp(log_c - (df + 1) / 2 * math.log1p((a + i * h) ** 2 / df)) for i in range(n + 1)]
    area = h / 3 * (f[0] + f[-1] + 4 * sum(f[1:-1:2]) + 2 * sum(f[2:-1:2]))
    return 0.5 + math.copysign(area, x)


def _t_quantile(p: float, df: float) -> float:
    lo, hi = 0.0, 50.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _t_cdf(mid, df) < p else (lo, mid)
    return (lo + hi) / 2


# --- lift: proportions --------------------------------------------------------------------------
def test_lift_of_proportions_equals_the_plain_formula():
    rng = np.random.default_rng(1)
    treated = rng.random(3000) < 0.5
    outcome = (rng.random(3000) < np.where(treated, 0.14, 0.10)).astype(int)
    result = lift(pd.Series(outcome), pd.Series(treated), confidence=0.9)
    y1, y0 = outcome[treated], outcome[~treated]
    p1, p0 = y1.mean(), y0.mean()
    se = math.sqrt(p1 * (1 - p1) / len(y1) + p0 * (1 - p0) / len(y0))
    q = Z.inv_cdf(0.95)
    assert result.kind == "proportion" and result.df is None
    assert result.difference == pytest.approx(p1 - p0)
    assert result.se == pytest.approx(se)
    assert (result.ci_low, result.ci_high) == pytest.approx((p1 - p0 - q * se, p1 - p0 + q * se))
    assert result.relative_lift == pytest.approx((p1 - p0) / p0)
    assert result.p_value == pytest.approx(2 * (1 - Z.cdf(abs(p1 - p0) / se)))
    assert (result.n_treated, result.n_control) == (int(treated.sum()), int((~treated).sum()))


def test_two_series_are_matched_by_customer_not_by_position():
    outcome = pd.Series({"a": 1, "b": 1, "c": 0, "d": 0})
    treated = pd.Series({"d": False, "c": False, "b": True, "a": True})  # by position it would be -1
    assert lift(outcome, treated).difference == pytest.approx(1.0)
    with pytest.raises(InputError, match="missing from treated"):
        lift(outcome, treated.rename({"d": "e"}))


def test_bool_outcomes_are_proportions():
    result = lift(pd.Series([True, False, True, True]), pd.Series([True, True, False, False]))
    assert result.kind == "proportion" and result.difference == pytest.approx(-0.5)


# --- lift: means (Welch) ------------------------------------------------------------------------
def test_lift_of_means_equals_welch_written_out():
    rng = np.random.default_rng(2)
    y1, y0 = rng.gamma(2.0, 60.0, 40), rng.gamma(2.0, 50.0, 25)
    outcome = np.concatenate([y1, y0])
    treated = np.r_[np.ones(40, bool), np.zeros(25, bool)]
    result = lift(outcome, treated)
    a, b = y1.var(ddof=1) / 40, y0.var(ddof=1) / 25
    df = (a + b) ** 2 / (a**2 / 39 + b**2 / 24)
    se = math.sqrt(a + b)
    q = _t_quantile(0.975, df)
    diff = y1.mean() - y0.mean()
    assert result.kind == "mean"
    assert result.df == pytest.approx(df)
    assert result.se == pytest.approx(se)
    assert result.ci_high - result.difference == pytest.approx(q * se, rel=1e-5)
    assert result.difference == pytest.approx(diff)
    assert result.p_value == pytest.approx(2 * (1 - _t_cdf(abs(diff) / se, df)), abs=1e-6)


def test_interval_covers_a_known_effect_at_its_level():
    """Seeded simulation: 400 campaigns with a true +3 point effect; about 95 % of intervals cover it."""
    rng = np.random.default_rng(3)
    covered = 0
    runs = 400
    for _ in range(runs):
        treated = rng.random(2000) < 0.5
        outcome = (rng.random(2000) < np.where(treated, 0.13, 0.10)).astype(float)
        result = lift(outcome, treated)
        covered += result.ci_low <= 0.03 <= result.ci_high
    share = covered / runs
    assert abs(share - 0.95) < 3 * math.sqrt(0.95 * 0.05 / runs)


def test_control_mean_zero_has_no_relative_lift_and_repr_reads():
    result = lift([1, 0, 0, 0], [True, True, False, False])
    assert result.relative_lift is None
    assert "n/a" in repr(result) and "treated 50.00%" in repr(result)
    means = lift([10.0, 12.0, 8.0, 9.0], [True, True, False, False])
    assert "Lift (mean)" in repr(means)
    with language("zh"):
        assert "Lift" not in repr(means)
    assert isinstance(result, Lift) and result.as_dict()["n_treated"] == 2


@pytest.mark.parametrize("outcome, treated, word", [
    ([1, 0, 1], [True, False], "one value per customer"),
    ([1, 0, 1, 1], [1, 0, 1, 0], "True/False"),
    ([1, 0, 1, 1], ["yes", "no", "yes", "no"], "True/False"),
    ([1, np.nan, 1, 1], [True, False, True, False], "missing"),
    ([1, 0, 1, 1], [True, False, False, False], "at least 2"),
    (["1", "0", "1", "0"], [True, False, True, False], "text"),
    ([], [], "empty"),
])
def test_lift_bad_input(outcome, treated, word):
    with pytest.raises(InputError, match=word):
        lift(outcome, treated)


def test_lift_bad_parameters():
    with pytest.raises(InputError, match="confidence"):
        lift([1, 0, 1, 0], [True, True, False, False], confidence=95)
    with pytest.raises(InputError, match="kind"):
        lift([1, 0, 1, 0], [True, True, False, False], kind="ratio")
    with pytest.raises(InputError, match="0/1"):
        lift([3.0, 0, 1, 0], [True, True, False, False], kind="proportion")


# --- uplift by segment --------------------------------------------------------------------------
def test_uplift_by_segment_recovers_heterogeneous_effects():
    rng = np.random.default_rng(4)
    n = 20_000
    segment = pd.Categorical(rng.choice(["families", "premium_tech", "bargain_hunters"], n),
                             categories=["bargain_hunters", "families", "premium_tech"])
    effect = pd.Series(segment).map({"bargain_hunters": 0.06, "families": 0.02, "premium_tech": 0.0}).to_numpy()
    treated = rng.random(n) < 0.5
    bought = rng.random(n) < 0.10 + treated * effect.astype(float)
    frame = pd.DataFrame({"segment": segment, "treated": treated, "bought": bought})
    table = uplift_by_segment(frame, "segment", "treated", "bought")
    assert table.index.tolist() == ["bargain_hunters", "families", "premium_tech", "all"]
    for name, true in (("bargain_hunters", 0.06), ("families", 0.02), ("premium_tech", 0.0)):
        row = table.loc[name]
        assert row["ci_low"] - 0.01 <= true <= row["ci_high"] + 0.01
        direct = lift(frame.loc[frame["segment"] == name, "bought"], frame.loc[frame["segment"] == name, "treated"])
        assert row["uplift"] == pytest.approx(direct.difference)
    assert table.loc["all", "n_treated"] + table.loc["all", "n_control"] == n


def test_uplift_by_segment_bad_input():
    frame = pd.DataFrame({"seg": ["a", "a", "a", "b", "b", "b"], "t": [True, True, False, True, False, False],
                          "y": [1, 0, 1, 1, 0, 0]})
    with pytest.raises(InputError, match="Did you mean"):
        uplift_by_segment(frame, "segment", "t", "y")
    with pytest.raises(InputError, match="at least 2"):
        uplift_by_segment(frame, "seg", "t", "y")
    with pytest.raises(InputError, match="missing"):
        uplift_by_segment(frame.assign(seg=["a", None, "a", "b", "b", "b"]), "seg", "t", "y")


# --- sample size ------------------------------------------------------------------------------
def _plain_n_proportions(p0, effect, alpha, power, k):
    p1 = p0 + effect
    pbar = (p0 + k * p1) / (1 + k)
    za, zb = Z.inv_cdf(1 - alpha / 2), Z.inv_cdf(power)
    return (za * math.sqrt(pbar * (1 - pbar) * (1 + 1 / k)) + zb * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1) / k)) ** 2 \
        / effect**2


@pytest.mark.parametrize("p0, effect, alpha, power, k", [
    (0.10, 0.02, 0.05, 0.8, 1.0), (0.30, -0.05, 0.01, 0.9, 1.0), (0.05, 0.01, 0.05, 0.8, 3.0),
])
def test_sample_size_for_proportions_equals_the_plain_formula(p0, effect, alpha, power, k):
    n0 = _plain_n_proportions(p0, effect, alpha, power, k)
    size = sample_size(p0, effect, alpha=alpha, power=power, ratio=k)
    assert size.control == math.ceil(n0) and size.treated == math.ceil(k * n0)
    assert size.total == size.control + size.treated


def test_sample_size_for_means_equals_the_plain_formula():
    za, zb = Z.inv_cdf(0.975), Z.inv_cdf(0.8)
    n0 = (za + zb) ** 2 * 180.0**2 * 2 / 20.0**2
    assert sample_size(250.0, 20.0, sd=180.0) == SampleSize(math.ceil(n0), math.ceil(n0))


def test_sample_size_gives_the_promised_power_in_a_simulation():
    """Seeded: 2,000 tests of the computed size with the true effect reject about 80 % of the time."""
    rng = np.random.default_rng(5)
    size = sample_size(0.10, 0.03)
    runs = 2000
    y0 = rng.binomial(size.control, 0.10, runs) / size.control
    y1 = rng.binomial(size.treated, 0.13, runs) / size.treated
    pooled = (y0 * size.control + y1 * size.treated) / size.total
    z = (y1 - y0) / np.sqrt(pooled * (1 - pooled) * (1 / size.control + 1 / size.treated))
    power = float(np.mean(np.abs(z) > Z.inv_cdf(0.975)))
    assert abs(power - 0.8) < 3 * math.sqrt(0.8 * 0.2 / runs)


def test_halving_the_effect_about_quadruples_the_size():
    assert sample_size(250.0, 10.0, sd=100.0).control / sample_size(250.0, 20.0, sd=100.0).control == \
        pytest.approx(4, rel=0.01)


@pytest.mark.parametrize("kwargs, word", [
    ({"baseline": 0.1, "effect": 0.0}, "effect=0"),
    ({"baseline": 1.2, "effect": 0.01}, "baseline"),
    ({"baseline": 0.1, "effect": 0.95}, "baseline \\+ effect"),
    ({"baseline": 0.1, "effect": 0.02, "alpha": 0}, "alpha"),
    ({"baseline": 0.1, "effect": 0.02, "power": 1.0}, "power"),
    ({"baseline": 0.1, "effect": 0.02, "ratio": 0}, "ratio"),
    ({"baseline": 250.0, "effect": 20.0, "sd": -1.0}, "sd"),
    ({"baseline": 0.1, "effect": "2%"}, "text"),
    ({"baseline": 0.1, "effect": 1e-9}, "too small"),
])
def test_sample_size_bad_input(kwargs, word):
    with pytest.raises(InputError, match=word):
        sample_size(**kwargs)


def test_widget_tables_and_timing_free_checks():
    from cvmlib.widgets.lifecycle import sample_size_explorer, sample_size_table

    table = sample_size_table(0.10, [0.01, 0.02], control_share=0.25)
    assert table.loc[0.02, "treated"] == sample_size(0.10, 0.02, ratio=3.0).treated
    box = sample_size_explorer()
    box.children[0].children[1].value = 0.04  # moving a slider redraws the table
    assert f"{sample_size(0.10, 0.04).total:,}" in box.children[-1].value
    box.children[0].children[1].value = 0.1
    box.children[0].children[0].value = 0.9  # 90 % + twice 10 points is not a rate: the message, no traceback
    assert "is not a rate" in box.children[-1].value
    with pytest.raises(InputError, match="control_share"):
        sample_size_table(0.10, [0.01], control_share=1.0)
