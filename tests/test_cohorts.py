"""Tests for cvmlib.cohorts: cohort sizes, retention shares, unobserved cells and input errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvmlib.cohorts import cohort_counts, cohort_retention, retention_curve
from cvmlib.datasets import load_orders
from cvmlib.validate import InputError


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def monthly(orders) -> pd.DataFrame:
    return cohort_counts(orders, observation_end="2025-12-31")


def _by_hand(orders: pd.DataFrame, cohort: str, age: int) -> tuple[int, int]:
    """Cohort size and active customers at ``age`` months, with plain pandas."""
    month = orders["order_date"].dt.to_period("M")
    first = month.groupby(orders["customer_id"]).transform("min")
    in_cohort = first == pd.Period(cohort, "M")
    size = orders.loc[in_cohort, "customer_id"].nunique()
    active = orders.loc[in_cohort & (month == pd.Period(cohort, "M") + age), "customer_id"].nunique()
    return size, active


def test_retailer_counts_match_a_hand_count(orders, monthly):
    for cohort, age in [("2024-01", 0), ("2024-01", 1), ("2024-06", 5), ("2025-03", 9)]:
        size, active = _by_hand(orders, cohort, age)
        assert monthly.loc[pd.Period(cohort, "M"), 0] == size
        assert monthly.loc[pd.Period(cohort, "M"), age] == active


def test_cohort_sizes_add_up_to_all_customers(orders, monthly):
    assert monthly[0].sum() == orders["customer_id"].nunique()
    assert len(monthly) == 24  # 24 calendar months, 2024-01 .. 2025-12


def test_retention_is_one_at_age_zero_and_divides_by_cohort_size(orders, monthly):
    retention = cohort_retention(orders, observation_end="2025-12-31")
    assert (retention[0] == 1.0).all()
    np.testing.assert_allclose(retention[3].dropna(), (monthly[3] / monthly[0]).dropna())
    assert ((retention >= 0) & (retention <= 1) | retention.isna()).all().all()


def test_unobserved_cells_are_missing_not_zero(monthly):
    # The December 2025 cohort has only its first month; the January 2024 cohort all 24.
    last = monthly.loc[pd.Period("2025-12", "M")]
    assert last.notna().sum() == 1
    assert monthly.loc[pd.Period("2024-01", "M")].notna().sum() == 24
    # Upper-left triangle: cohort i is observed for 24 - i ages.
    assert monthly.notna().sum(axis=1).tolist() == list(range(24, 0, -1))


def test_partial_last_period_is_not_counted_as_observed():
    orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
                           "order_date": ["2024-01-10", "2024-02-03", "2024-02-05"]})
    with pytest.warns(UserWarning, match="Left out 1 customer"):
        counts = cohort_counts(orders, observation_end="2024-02-15")
    # February is incomplete on Feb 15: no age-1 column yet, although a bought in February.
    assert counts.shape == (1, 1) and counts.iloc[0, 0] == 1.0
    assert counts.index[0] == pd.Period("2024-01", "M")


def test_weeks_run_monday_to_sunday():
    orders = pd.DataFrame({"customer_id": ["a", "a", "a"],
                           # Sunday 7 Jan is in the first week; Monday 8 Jan starts the second.
                           "order_date": ["2024-01-01", "2024-01-07", "2024-01-08"]})
    counts = cohort_counts(orders, period="W", observation_end="2024-01-14")
    assert counts.iloc[0].tolist() == [1.0, 1.0]
    quarterly = cohort_counts(orders, period="Q", observation_end="2024-03-31")
    assert quarterly.iloc[0].tolist() == [1.0]


def test_default_observation_end_is_reported():
    orders = pd.DataFrame({"customer_id": ["a"], "order_date": ["2024-01-31"]})
    with pytest.warns(UserWarning, match="observation_end not given: using the last purchase day, 2024-01-31"):
        cohort_counts(orders)


def test_retention_curve_weights_by_size_over_observed_cohorts():
    counts = pd.DataFrame({0: [100.0, 10.0, 50.0], 1: [50.0, 10.0, np.nan], 2: [20.0, np.nan, np.nan]})
    curve = retention_curve(counts)
    assert curve.tolist() == pytest.approx([1.0, 60 / 110, 0.2])
    with pytest.raises(InputError, match="cohort_counts"):
        retention_curve(counts.div(counts[0], axis=0).drop(columns=0))


def test_errors_name_the_problem():
    orders = pd.DataFrame({"customer_id": ["a", "b"], "order_date": ["2024-01-01", "2024-03-01"]})
    with pytest.raises(InputError, match="period='D'"):
        cohort_counts(orders, period="D", observation_end="2024-03-31")
    with pytest.raises(InputError, match="after observation_end 2024-02-29"):
        cohort_counts(orders, observation_end="2024-02-29")
    with pytest.raises(InputError, match="'order_date'"):
        cohort_counts(orders.rename(columns={"order_date": "date"}), observation_end="2024-03-31")
    with pytest.raises(InputError, match="not a date"):
        cohort_counts(orders, observation_end="end of March")
    with pytest.raises(InputError, match="No complete"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cohort_counts(orders.iloc[:1], observation_end="2024-01-15")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(0, 180)), min_size=1, max_size=40))
def test_row_order_does_not_matter_and_retention_is_a_share(rows):
    orders = pd.DataFrame({"customer_id": [c for c, _ in rows],
                           "order_date": pd.Timestamp("2024-01-01") + pd.to_timedelta([d for _, d in rows], unit="D")})
    orders = orders.drop_duplicates()
    forward = cohort_retention(orders, observation_end="2024-06-30")
    backward = cohort_retention(orders.iloc[::-1], observation_end="2024-06-30")
    pd.testing.assert_frame_equal(forward, backward)
    values = forward.to_numpy()
    assert np.all((values[~np.isnan(values)] >= 0) & (values[~np.isnan(values)] <= 1))
    assert forward[0].eq(1.0).all()
