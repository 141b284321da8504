"""CLV exercises: each likely mistake, written the way a participant would, gets its hint."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cvmlib.clv import BetaGeo, GammaGamma, customer_lifetime_value, summarize_purchases
from cvmlib.datasets import load_cdnow, load_orders
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.clv import (
    ACQUISITION_DISCOUNT_PER_YEAR,
    ACQUISITION_HORIZON_MONTHS,
    CDNOW_CALIBRATION_END,
    CDNOW_END,
    DISCOUNT_PER_YEAR,
    HORIZON_MONTHS,
    MARGIN_PER_MONTH,
    MARGIN_RATE,
    RETAILER_END,
    RETENTION_PER_MONTH,
)

M, R = MARGIN_PER_MONTH, RETENTION_PER_MONTH


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def cal() -> pd.DataFrame:
    cdnow = load_cdnow().assign(line=lambda df: np.arange(len(df)))
    return summarize_purchases(cdnow, "customer_id", "order_date", "amount", calibration_end=CDNOW_CALIBRATION_END,
                               observation_end=CDNOW_END, unit="W", returns="net")


@pytest.fixture(scope="module")
def model(cal) -> BetaGeo:
    return BetaGeo().fit(cal["frequency"], cal["recency"], cal["T"])


def test_clv_workbook_has_at_least_eight_exercises():
    assert len(exercise_ids("clv")) >= 8


# --- simple formula ----------------------------------------------------------------------------
def test_simple_clv_by_hand_and_unit_mistakes():
    d = (1 + DISCOUNT_PER_YEAR) ** (1 / 12) - 1
    assert check("clv.simple_clv", M * R / (1 + d - R)).correct
    assert check("clv.simple_clv", M * R / (1 + DISCOUNT_PER_YEAR - R)).mistake == "annual_discount_monthly_retention"
    assert check("clv.simple_clv", M * R / (1 + DISCOUNT_PER_YEAR / 12 - R)).mistake == "discount_divided_by_12"
    assert check("clv.simple_clv", M * R / (1 - R)).mistake == "undiscounted"
    assert check("clv.simple_clv", sum(M * (R / (1 + d)) ** t for t in range(0, 2000))).mistake \
        == "current_period_included"


def test_horizon_clv_loop_and_mistakes():
    d = (1 + DISCOUNT_PER_YEAR) ** (1 / 12) - 1
    right = sum(M * R**t / (1 + d) ** t for t in range(1, HORIZON_MONTHS + 1))
    assert check("clv.horizon_clv", right).correct
    assert check("clv.horizon_clv", sum(M * R**t for t in range(1, HORIZON_MONTHS + 1))).mistake == "undiscounted_sum"
    assert check("clv.horizon_clv", sum(M * R**t / (1 + d) ** t for t in range(HORIZON_MONTHS))).mistake \
        == "starts_at_zero"
    assert check("clv.horizon_clv", M * R / (1 + d - R)).mistake == "infinite_formula"
    yearly = sum(M * R**t / (1 + DISCOUNT_PER_YEAR) ** t for t in range(1, HORIZON_MONTHS + 1))
    assert check("clv.horizon_clv", yearly).mistake == "annual_discount"


# --- cohorts -----------------------------------------------------------------------------------
def _cohort_frame(orders):
    month = orders["order_date"].dt.to_period("M")
    first = month.groupby(orders["customer_id"]).transform("min")
    age = (month - first).apply(lambda offset: offset.n)
    return pd.DataFrame({"customer_id": orders["customer_id"], "cohort": first, "month": month, "age": age})


def test_cohort_retention_by_hand_and_wrong_bases(orders):
    f = _cohort_frame(orders)
    size = f.groupby("cohort")["customer_id"].nunique()
    active = f[f["age"] == 3].groupby("cohort")["customer_id"].nunique()
    observed = size.index[size.index <= pd.Period("2025-09", "M")]
    right = (active.reindex(observed, fill_value=0) / size[observed])
    assert check("clv.cohort_retention", right).correct
    # the same answer indexed by text or by month-start timestamps is accepted
    assert check("clv.cohort_retention", right.set_axis(right.index.astype("str"))).correct
    assert check("clv.cohort_retention", right.set_axis(right.index.to_timestamp())).correct
    before = f[f["age"] == 2].groupby("cohort")["customer_id"].nunique()
    assert check("clv.cohort_retention", active / before.reindex(active.index)).mistake == "previous_period_base"
    buyers = f.groupby("month")["customer_id"].nunique()
    calendar = active / buyers.reindex(active.index + 3).to_numpy()
    assert check("clv.cohort_retention", calendar).mistake == "calendar_active_base"
    n_orders = f[f["age"] == 3].groupby("cohort").size()
    assert check("clv.cohort_retention", n_orders / size[observed]).mistake == "orders_not_customers"
    zero_filled = active.reindex(size.index, fill_value=0) / size
    assert check("clv.cohort_retention", zero_filled).mistake == "unobserved_as_zero"
    assert check("clv.cohort_retention", active).mistake == "count_not_share"


# --- BTYD summary ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def days(orders) -> pd.DataFrame:
    return orders.assign(day=orders["order_date"].dt.normalize())


def test_btyd_frequency_by_hand_and_rfm_mistakes(days):
    g = days.groupby("customer_id")
    assert check("clv.btyd_frequency", g["day"].nunique() - 1).correct
    assert check("clv.btyd_frequency", g["order_id"].nunique()).mistake == "counts_first_purchase"
    assert check("clv.btyd_frequency", g["day"].nunique()).mistake == "days_with_first"
    assert check("clv.btyd_frequency", g.size() - 1).mistake == "orders_not_days"


def test_btyd_recency_by_hand_and_mistakes(days):
    g = days.groupby("customer_id")
    first, last = g["day"].min(), g["day"].max()
    end = pd.Timestamp(RETAILER_END)
    assert check("clv.btyd_recency", (last - first).dt.days / 7).correct
    assert check("clv.btyd_recency", (end - last).dt.days).mistake == "rfm_recency_days"
    assert check("clv.btyd_recency", (pd.Timestamp("2026-01-01") - last).dt.days).mistake == "rfm_recency_days"
    assert check("clv.btyd_recency", (end - last).dt.days / 7).mistake == "rfm_recency_weeks"
    assert check("clv.btyd_recency", (last - first).dt.days).mistake == "days_not_weeks"
    raw = days.groupby("customer_id")["order_date"]
    assert check("clv.btyd_recency", (raw.max() - raw.min()) / pd.Timedelta(weeks=1)).mistake == "time_of_day"


def test_btyd_T_by_hand_and_mistakes(days):
    g = days.groupby("customer_id")
    first, last = g["day"].min(), g["day"].max()
    end = pd.Timestamp(RETAILER_END)
    assert check("clv.btyd_T", (end - first).dt.days / 7).correct
    assert check("clv.btyd_T", (end - first).dt.days).mistake == "days_not_weeks"
    assert check("clv.btyd_T", (end - last).dt.days / 7).mistake == "from_last_purchase"
    assert check("clv.btyd_T", (end + pd.Timedelta(days=1) - first).dt.days / 7).mistake == "end_plus_one_day"


def test_timedelta_answer_gets_a_unit_hint(days):
    g = days.groupby("customer_id")
    feedback = check("clv.btyd_recency", g["day"].max() - g["day"].min())
    assert not feedback.correct and "Timedelta" in feedback.message


# --- models ------------------------------------------------------------------------------------
def test_p_alive_reading(cal, model):
    p = pd.Series(model.p_alive(cal["frequency"], cal["recency"], cal["T"]), index=cal.index)
    assert check("clv.p_alive", p).correct
    assert check("clv.p_alive", 1 - p).mistake == "p_dead"
    in_days = pd.Series(model.p_alive(cal["frequency"], cal["recency"] * 7, cal["T"] * 7), index=cal.index)
    assert check("clv.p_alive", in_days).mistake == "days_not_weeks"
    cdnow = load_cdnow().assign(line=lambda df: np.arange(len(df)))
    whole = summarize_purchases(cdnow, "customer_id", "order_date", "amount", observation_end=CDNOW_END,
                                unit="W", returns="net")
    p_whole = pd.Series(model.p_alive(whole["frequency"], whole["recency"], whole["T"]), index=whole.index)
    assert check("clv.p_alive", p_whole).mistake == "whole_period"


def test_expected_purchases_horizons(cal, model):
    def total(t):
        return model.expected_purchases(t, cal["frequency"], cal["recency"], cal["T"]).sum()

    assert check("clv.expected_purchases", total(39)).correct
    assert check("clv.expected_purchases", total(9)).mistake == "horizon_in_months"
    assert check("clv.expected_purchases", total(273)).mistake == "horizon_in_days"
    assert check("clv.expected_purchases", total(52)).mistake == "one_year"
    assert check("clv.expected_purchases", total(39) / len(cal)).mistake == "mean_not_total"
    assert check("clv.expected_purchases", int(cal["frequency_holdout"].sum())).mistake == "actual_holdout"


def test_max_acquisition_cost_and_mistakes(orders):
    s = summarize_purchases(orders, "customer_id", "order_date", "amount", observation_end=RETAILER_END, unit="W")
    bgf = BetaGeo().fit(s["frequency"], s["recency"], s["T"])
    ggf = GammaGamma().fit(s["frequency"], s["monetary_value"])
    d = (1 + ACQUISITION_DISCOUNT_PER_YEAR) ** (1 / 12) - 1
    first_order = orders.sort_values("order_date").groupby("customer_id")["amount"].first().mean()

    def new(margin, rate):
        return customer_lifetime_value(bgf, ggf, [0], [0], [0], [0], horizon=ACQUISITION_HORIZON_MONTHS,
                                       discount_rate=rate, unit="W", period="M", margin=margin)[0]

    assert check("clv.max_acquisition_cost", MARGIN_RATE * first_order + new(MARGIN_RATE, d)).correct
    assert check("clv.max_acquisition_cost", first_order + new(1.0, d)).mistake == "revenue_not_margin"
    assert check("clv.max_acquisition_cost", new(MARGIN_RATE, d)).mistake == "first_order_left_out"
    assert check("clv.max_acquisition_cost", MARGIN_RATE * first_order + new(MARGIN_RATE, 0.0)).mistake == "undiscounted"
    everyone = customer_lifetime_value(bgf, ggf, s["frequency"], s["recency"], s["T"], s["monetary_value"],
                                       horizon=ACQUISITION_HORIZON_MONTHS, discount_rate=d, unit="W", period="M",
                                       margin=MARGIN_RATE).mean()
    assert check("clv.max_acquisition_cost", everyone).mistake == "existing_customers"


# --- never reveal, never crash -----------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", exercise_ids("clv"))
def test_feedback_never_prints_the_expected_answer(exercise_id):
    expected = get_exercise(exercise_id).expected()
    for answer in [..., 0, 1.5, pd.Series([1, 2, 3]), "nonsense", {"x": 1}, pd.DataFrame({"a": [1], "b": [2]}),
                   pd.Series([0.5], index=["not a month"])]:
        feedback = check(exercise_id, answer)
        assert not feedback.correct
        text = str(feedback)
        if isinstance(expected, float):
            for shown in (f"{expected:.3f}", f"{expected:.2f}", f"{expected:,.0f}", f"{expected:.0f}"):
                assert shown not in text
        if isinstance(expected, pd.Series):
            for value in expected.head(50):
                assert f"{value:.3f}" not in text
        assert "Traceback" not in text and "Traceback" not in feedback._repr_html_()
