"""cvmlib.loyalty: the programme's accounting identities, break-even, the retailer's members, the seeded pilot."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from cvmlib.datasets import load_orders
from cvmlib.loyalty import (
    ECONOMICS_ITEMS,
    ProgrammeModel,
    break_even_uplift,
    pilot_uplift,
    programme_economics,
    retailer_programme,
)
from cvmlib.validate import InputError

BASE = dict(members=2000, spend_per_member=1800.0, points_per_yuan=1.0, cost_per_point=0.03, breakage_rate=0.3,
            incremental_purchase_rate=0.06, margin=0.3, fixed_cost=150_000.0)


@pytest.fixture(scope="module")
def orders():
    return load_orders()


def test_economics_identities():
    econ = programme_economics(ProgrammeModel(**BASE))["figure"]
    assert list(econ.index) == list(ECONOMICS_ITEMS)
    baseline = 2000 * 1800.0
    assert econ["baseline_spend"] == baseline
    assert econ["incremental_revenue"] == pytest.approx(baseline * 0.06)
    assert econ["points_issued"] == pytest.approx(baseline * 1.06)
    assert econ["points_redeemed"] == pytest.approx(baseline * 1.06 * 0.7)
    assert econ["redemption_cost"] == pytest.approx(econ["points_redeemed"] * 0.03)
    assert econ["redemption_cost"] == pytest.approx(econ["rewards_on_baseline"] + econ["rewards_on_incremental"])
    assert econ["net_value"] == pytest.approx(econ["incremental_margin"] - econ["redemption_cost"] - 150_000)


def test_break_even_uplift_gives_zero_net_value():
    uplift = break_even_uplift(ProgrammeModel(**BASE))
    at = ProgrammeModel(**{**BASE, "incremental_purchase_rate": uplift})
    assert programme_economics(at).loc["net_value", "figure"] == pytest.approx(0, abs=1e-6)
    above = ProgrammeModel(**{**BASE, "incremental_purchase_rate": uplift + 0.01})
    assert programme_economics(above).loc["net_value", "figure"] > 0


def test_no_break_even_when_rewards_cost_more_than_the_margin():
    generous = ProgrammeModel(**{**BASE, "cost_per_point": 0.5, "breakage_rate": 0.0})  # 50 fen per yuan > 30 %
    assert break_even_uplift(generous) is None
    econ = programme_economics(generous)
    assert "break_even_uplift" not in econ.index and np.isfinite(econ["figure"]).all()


def test_model_is_frozen_and_checked():
    model = ProgrammeModel(**BASE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.members = 5  # type: ignore[misc]
    for name, bad, needle in [("members", 0, "members"), ("members", True, "members"), ("breakage_rate", 30, "0.8"),
                              ("cost_per_point", -0.01, "cost_per_point"), ("margin", float("nan"), "margin"),
                              ("incremental_purchase_rate", -1.0, "incremental_purchase_rate"),
                              ("fixed_cost", "100", "fixed_cost")]:
        with pytest.raises(InputError, match=needle):
            ProgrammeModel(**{**BASE, name: bad})
    with pytest.raises(InputError, match="ProgrammeModel"):
        programme_economics(BASE)  # type: ignore[arg-type]


def test_retailer_programme_members_and_spend(orders):
    model = retailer_programme(orders, start="2025-01-01", end="2026-01-01", incremental_purchase_rate=0.05)
    year = orders[(orders["order_date"] >= "2025-01-01") & (orders["order_date"] < "2026-01-01")]
    assert model.members == year["customer_id"].nunique()
    assert model.spend_per_member == pytest.approx(year["amount"].sum() / model.members * 365.25 / 365)
    with pytest.raises(InputError, match="end"):
        retailer_programme(orders, start="2025-01-01", end="2024-01-01", incremental_purchase_rate=0.05)
    with pytest.raises(InputError, match="No order"):
        retailer_programme(orders, start="2030-01-01", end="2031-01-01", incremental_purchase_rate=0.05)


def test_pilot_is_seeded_and_randomised(orders):
    a = pilot_uplift(orders, snapshot_date="2026-01-01", seed=5)
    b = pilot_uplift(orders, snapshot_date="2026-01-01", seed=5)
    pd.testing.assert_frame_equal(a.customers, b.customers)
    assert a.customers["member"].mean() == pytest.approx(0.5, abs=0.001)
    active = orders[(orders["order_date"] < "2026-01-01") & (orders["order_date"] >= pd.Timestamp("2026-01-01")
                                                              - pd.Timedelta(weeks=52))]
    assert len(a.customers) == active["customer_id"].nunique()
    # randomisation: members and controls have the same baseline rates (within 4 standard errors)
    rate = a.customers.groupby("member")["weekly_rate"]
    se = np.sqrt((rate.var() / rate.size()).sum())
    assert abs(rate.mean()[True] - rate.mean()[False]) < 4 * se


def test_pilot_measurement_is_the_plain_difference(orders):
    pilot = pilot_uplift(orders, snapshot_date="2026-01-01", seed=11, outcome="orders")
    c = pilot.customers
    members, control = c.loc[c["member"], "orders"], c.loc[~c["member"], "orders"]
    diff = members.mean() - control.mean()
    se = np.sqrt(members.var() / len(members) + control.var() / len(control))  # Welch, unpooled
    assert pilot.measured.difference == pytest.approx(diff)
    assert pilot.measured.se == pytest.approx(se)
    assert pilot.relative_uplift == pytest.approx(diff / control.mean())


def test_pilot_interval_covers_the_true_uplift(orders):
    covered = [pilot_uplift(orders, snapshot_date="2026-01-01", seed=s, outcome="orders", true_uplift=0.1)
               for s in range(60)]
    share = np.mean([p.relative_ci[0] < 0.1 < p.relative_ci[1] for p in covered])
    assert share >= 0.85  # nominal 95 %; 60 seeded runs
    estimates = [p.relative_uplift for p in covered]
    assert np.mean(estimates) == pytest.approx(0.1, abs=0.03)


def test_pilot_bad_input(orders):
    for kwargs, needle in [({"member_share": 1.0}, "member_share"), ({"weeks": 0}, "weeks"),
                           ({"outcome": "revenue"}, "outcome"), ({"true_uplift": -2}, "true_uplift"),
                           ({"snapshot_date": "2020-01-01"}, "snapshot_date")]:
        with pytest.raises(InputError, match=needle):
            pilot_uplift(orders, **{"snapshot_date": "2026-01-01", **kwargs})
