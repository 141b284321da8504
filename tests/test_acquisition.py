"""cvmlib.acquisition: CLV by channel against cvmlib.clv, the generator's truth and the channel story; break-even CAC."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cvmlib.acquisition import (
    WEEKS_PER_MONTH,
    break_even_cac,
    cac_sensitivity,
    clv_by_channel,
    customer_clv,
    true_clv,
)
from cvmlib.clv import customer_lifetime_value
from cvmlib.datasets import load_customers, load_orders, load_truth
from cvmlib.validate import InputError

SNAPSHOT = "2026-01-01"


@pytest.fixture(scope="module")
def data():
    return load_orders(), load_customers(), load_truth()


@pytest.fixture(scope="module")
def values(data):
    orders, _customers, _truth = data
    return customer_clv(orders, snapshot_date=SNAPSHOT, horizon_months=24)


@pytest.fixture(scope="module")
def table(data):
    orders, customers, truth = data
    return clv_by_channel(orders, customers, snapshot_date=SNAPSHOT, truth=truth)


def test_customer_clv_is_cvmlib_clv_customer_lifetime_value(values):
    bg, gg = values.attrs["models"]["purchases"], values.attrs["models"]["spend"]
    official = customer_lifetime_value(bg, gg, values["frequency"], values["recency"], values["T"],
                                       values["monetary_value"], horizon=24, discount_rate=0.01, unit="W",
                                       period="M", margin=0.3)
    np.testing.assert_allclose(values["clv"], official, rtol=1e-10, atol=1e-9)


def test_only_orders_before_the_snapshot_count(data):
    orders, _customers, _truth = data
    early = customer_clv(orders, snapshot_date="2025-01-01")
    first = orders.groupby("customer_id")["order_date"].min()
    assert set(early.index) == set(first[first < "2025-01-01"].index)
    assert float(early["T"].max()) == pytest.approx((pd.Timestamp("2024-12-31") - pd.Timestamp("2024-01-01")).days / 7)


def test_clv_by_channel_is_a_plain_groupby_of_customer_clv(data, table):
    orders, customers, _truth = data
    clv = customer_clv(orders, snapshot_date=SNAPSHOT)["clv"]
    channel = customers.set_index("customer_id")["acquisition_channel"].astype(str).reindex(clv.index)
    for name, row in table.iterrows():
        mine = clv[channel == name]
        assert row["customers"] == len(mine)
        assert row["mean_clv"] == pytest.approx(mine.mean())
        assert row["median_clv"] == pytest.approx(mine.median())
        assert row["share_of_total"] == pytest.approx(mine.sum() / clv.sum())
    assert table["customers"].sum() == 5000


def test_true_clv_formula_matches_a_simulation_of_the_generator_story():
    rng = np.random.default_rng(3)
    lam, p, spend, months = 0.5, 0.08, 200.0, 12
    sims = 40_000
    weeks = months * WEEKS_PER_MONTH
    # buy at rate lambda; after each purchase drop out with probability p (the generator's loop)
    t = np.zeros(sims)
    alive = np.ones(sims, dtype=bool)
    value = np.zeros(sims)
    while alive.any():
        t = t + rng.exponential(1 / lam, sims)
        buying = alive & (t <= weeks)
        month = np.ceil(t / WEEKS_PER_MONTH)
        value += np.where(buying, spend * 0.3 / 1.01**month, 0.0)
        alive = buying & (rng.random(sims) >= p)
    truth = pd.DataFrame({"customer_id": ["x"], "purchase_rate_per_week": [lam], "dropout_prob": [p],
                          "dropout_date": [pd.NaT], "mean_spend": [spend]})
    expected = true_clv(truth, snapshot_date=SNAPSHOT, horizon_months=months).iloc[0]
    assert value.mean() == pytest.approx(expected, rel=4 * value.std() / np.sqrt(sims) / expected)


def test_dropped_customers_are_worth_nothing_in_the_truth(data):
    _orders, _customers, truth = data
    v = true_clv(truth, snapshot_date=SNAPSHOT)
    dropped = truth.set_index("customer_id")["dropout_date"].notna()
    assert (v[dropped] == 0).all() and (v[~dropped] > 0).mean() > 0.99


def test_model_recovers_the_truth_by_channel(table):
    # within 15 % per channel, and the same ranking of channels up to one neighbour swap
    rel = (table["mean_clv"] / table["true_mean_clv"] - 1).abs()
    assert (rel < 0.15).all(), rel
    rho = table["mean_clv"].rank().corr(table["true_mean_clv"].rank())
    assert rho >= 0.8


def test_channels_differ_for_the_generator_reason(data, table):
    # livestream brings mostly bargain hunters (datasets/generate.py acquisition weights): the lowest value
    _orders, customers, truth = data
    mix = pd.crosstab(customers["acquisition_channel"], truth.set_index("customer_id").reindex(
        customers["customer_id"])["segment"].to_numpy(), normalize="index")
    cheapest = mix["bargain_hunters"].idxmax()
    assert cheapest == table["mean_clv"].idxmin() == table["true_mean_clv"].idxmin() == "livestream"


def test_break_even_cac_whole_horizon_payback_and_ratio(data, table):
    orders, customers, _truth = data
    full = break_even_cac(table)
    assert (full["max_cac"] == table["mean_clv"]).all() and (full["months"] == 12).all()
    six = break_even_cac(table, payback=6, target_ratio=3)
    six_months = customer_clv(orders, snapshot_date=SNAPSHOT, horizon_months=6)["clv"]  # refitted: same data
    channel = customers.set_index("customer_id")["acquisition_channel"].reindex(six_months.index)
    plain = six_months.groupby(channel, observed=True).mean()
    np.testing.assert_allclose(six["clv"], plain.reindex(six.index))
    np.testing.assert_allclose(six["max_cac"], plain.reindex(six.index) / 3)
    assert (six["clv"] < full["clv"]).all()


def test_sensitivity_grows_with_the_horizon(data):
    orders, customers, _truth = data
    long = clv_by_channel(orders, customers, snapshot_date=SNAPSHOT, horizon_months=36)
    sens = cac_sensitivity(long)
    assert sens.columns.tolist() == [3, 6, 12, 24, 36]
    assert (sens.diff(axis=1).iloc[:, 1:] > 0).all().all()
    np.testing.assert_allclose(sens[36], long["mean_clv"])
    assert cac_sensitivity(long, horizons=[12]).columns.tolist() == [12]


def test_selection_of_rows_keeps_what_break_even_cac_needs(table):
    assert break_even_cac(table.loc[["search", "livestream"]], payback=3).index.tolist() == ["search", "livestream"]


@pytest.mark.parametrize(("call", "needle"), [
    (lambda o, c: clv_by_channel(o, c.drop(columns="acquisition_channel"), snapshot_date=SNAPSHOT),
     "acquisition_channel"),
    (lambda o, c: clv_by_channel(o, c[c["customer_id"] != "C00001"], snapshot_date=SNAPSHOT), "C00001"),
    (lambda o, c: clv_by_channel(o, c, snapshot_date=SNAPSHOT, margin=30), "margin=30"),
    (lambda o, c: clv_by_channel(o, c, snapshot_date="2023-01-01"), "snapshot_date"),
    (lambda o, c: clv_by_channel(o, c, snapshot_date=SNAPSHOT, horizon_months=0), "horizon_months"),
    (lambda o, c: customer_clv(o, snapshot_date=None), "snapshot_date"),
    (lambda o, c: customer_clv(o.drop(columns="amount"), snapshot_date=SNAPSHOT), "amount"),
])
def test_bad_input_is_a_clear_input_error(data, call, needle):
    orders, customers, _truth = data
    with pytest.raises(InputError, match=needle):
        call(orders, customers)


def test_break_even_cac_bad_input(table):
    with pytest.raises(InputError, match="payback"):
        break_even_cac(table, payback=13)
    with pytest.raises(InputError, match="payback"):
        break_even_cac(table, payback=0)
    with pytest.raises(InputError, match="target_ratio"):
        break_even_cac(table, target_ratio=0)
    with pytest.raises(InputError, match="clv_by_channel"):
        break_even_cac(pd.DataFrame({"customers": [1], "mean_clv": [10.0]}))
    with pytest.raises(InputError, match="horizons"):
        cac_sensitivity(table, horizons=[24])
