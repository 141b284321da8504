"""Tests for cvmlib.holdout: the period-transaction, calibration-holdout and tracking tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cvmlib.clv import BetaGeo, summarize_purchases
from cvmlib.datasets import load_cdnow
from cvmlib.holdout import calibration_holdout, cumulative_tracking, period_transactions
from cvmlib.validate import InputError


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    # 21 identical rows are genuine separate purchases: a line number tells them apart.
    return load_cdnow()


@pytest.fixture(scope="module")
def cal(cdnow) -> pd.DataFrame:
    return summarize_purchases(cdnow, "customer_id", "order_date", "amount", calibration_end="1997-09-30",
                               observation_end="1998-06-30", unit="W", returns="net")


@pytest.fixture(scope="module")
def model(cal) -> BetaGeo:
    return BetaGeo().fit(cal["frequency"], cal["recency"], cal["T"])


def test_period_transactions_counts_customers(cal, model):
    table = period_transactions(model, cal, max_count=7)
    assert table.index.tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["actual"].sum() == len(cal) and table["model"].sum() == pytest.approx(len(cal))
    assert table.loc["0", "actual"] == (cal["frequency"] == 0).sum()
    assert table.loc["7+", "actual"] == (cal["frequency"] >= 7).sum()
    # The BG/NBD reproduces the CDNOW histogram closely (FHL 2005, figure 2): within 15 % per bin.
    np.testing.assert_allclose(table["model"].iloc[:7], table["actual"].iloc[:7], rtol=0.15)
    assert abs(table.loc["0", "model"] - table.loc["0", "actual"]) < 0.01 * len(cal)


def test_calibration_holdout_means_by_hand(cal, model):
    table = calibration_holdout(model, cal, max_frequency=5)
    assert table["customers"].sum() == len(cal)
    zero = cal[cal["frequency"] == 0]
    assert table.loc["0", "actual"] == pytest.approx(zero["frequency_holdout"].mean())
    assert table.loc["0", "model"] == pytest.approx(
        model.expected_purchases(39, zero["frequency"], zero["recency"], zero["T"]).mean())
    # more calibration purchases, more holdout purchases: actual and model both rise
    assert table["actual"].is_monotonic_increasing and table["model"].is_monotonic_increasing


def test_calibration_holdout_needs_the_holdout_columns(cal, model):
    with pytest.raises(InputError, match="calibration_end"):
        calibration_holdout(model, cal.drop(columns="frequency_holdout"))
    with pytest.raises(InputError, match="summarize_purchases"):
        period_transactions(model, cal["frequency"])  # type: ignore[arg-type]


def test_cumulative_tracking_adds_up_to_the_summary(cdnow, cal, model):
    table = cumulative_tracking(model, cdnow, "customer_id", "order_date", "1997-09-30", "1998-06-30")
    assert len(table) == 78  # 546 days = 78 weeks from 1997-01-01
    at_cal_end = table.loc[~table["holdout"], "actual"].iloc[-1]
    assert table.index[~table["holdout"]][-1] == pd.Timestamp("1997-09-30")
    assert at_cal_end == cal["frequency"].sum()
    assert table["actual"].iloc[-1] == cal["frequency"].sum() + cal["frequency_holdout"].sum()
    assert table["actual"].is_monotonic_increasing and table["model"].is_monotonic_increasing
    # The model is fitted on the calibration period: it matches the total there within 3 %.
    assert table.loc[pd.Timestamp("1997-09-30"), "model"] == pytest.approx(at_cal_end, rel=0.03)


def test_cumulative_tracking_rejects_a_bad_unit(cdnow, model):
    with pytest.raises(InputError, match="unit='Y'"):
        cumulative_tracking(model, cdnow, "customer_id", "order_date", "1997-09-30", "1998-06-30", unit="Y")  # type: ignore[arg-type]
