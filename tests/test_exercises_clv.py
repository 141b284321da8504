"""CLV exercises: each likely mistake, written the way a participant would, gets its hint; answers
rounded as the prompt allows pass; the interpretation questions follow the data.

The generic contract (the expected answer passes, odd answers and the near misses fail, no
message leaks a value or solution code) is tests/test_exercise_contract.py.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cvmlib.feedback import shown_text
from cvmlib.clv import BetaGeo, GammaGamma, customer_lifetime_value, summarize_purchases
from cvmlib.datasets import load_cdnow, load_orders
from cvmlib.clv import simple_clv
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.clv import (
    ACQUISITION_DISCOUNT_PER_YEAR,
    ACQUISITION_HORIZON_MONTHS,
    ACQUISITION_STATEMENTS,
    CDNOW_CALIBRATION_END,
    CDNOW_END,
    DISCOUNT_PER_YEAR,
    HOLDOUT_OPTIONS,
    HORIZON_MONTHS,
    LEVER_OPTIONS,
    LIVESTREAM_COST_PER_CUSTOMER,
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
    cdnow = load_cdnow()
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


def test_simple_clv_precision_is_the_cent():
    d = (1 + DISCOUNT_PER_YEAR) ** (1 / 12) - 1
    value = M * R / (1 + d - R)
    assert check("clv.simple_clv", round(value, 2)).correct
    assert check("clv.simple_clv", np.float32(value)).correct       # a numpy scalar, float32 noise
    assert not check("clv.simple_clv", round(value, 1)).correct     # coarser than asked
    assert not check("clv.simple_clv", M * R / (1 + round(d, 4) - R)).correct  # the monthly rate rounded first


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
    assert check("clv.horizon_clv", round(right, 2)).correct
    assert not check("clv.horizon_clv", sum(M * R**t / (1 + d) ** t for t in range(1, HORIZON_MONTHS))).correct


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
    thirty = f[(orders["order_date"] - orders.groupby("customer_id")["order_date"].transform("min")).dt.days // 30 == 3]
    by_30 = thirty.groupby("cohort")["customer_id"].nunique().reindex(observed, fill_value=0) / size[observed]
    assert check("clv.cohort_retention", by_30).mistake == "thirty_day_months"


def test_cohort_retention_accepts_3_decimals_and_unobserved_as_nan(orders):
    f = _cohort_frame(orders)
    size = f.groupby("cohort")["customer_id"].nunique()
    active = f[f["age"] == 3].groupby("cohort")["customer_id"].nunique()
    with_nan = active.reindex(size.index) / size          # the three youngest cohorts NaN: not observed
    assert with_nan.isna().sum() == 3
    assert check("clv.cohort_retention", with_nan).correct
    assert check("clv.cohort_retention", with_nan.round(3)).correct
    assert not check("clv.cohort_retention", with_nan.round(2)).correct
    one_less = with_nan.copy()
    one_less.iloc[0] -= 1 / size.iloc[0]
    assert not check("clv.cohort_retention", one_less).correct


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
    early = days[days["day"] < pd.Timestamp(RETAILER_END)].groupby("customer_id")["day"].nunique() - 1
    early = early.reindex(g.size().index, fill_value=0)
    assert check("clv.btyd_frequency", early).mistake == "last_day_left_out"


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
    assert check("clv.btyd_recency", (last - first).dt.days // 7).mistake == "whole_weeks"
    assert check("clv.btyd_recency", ((last - first).dt.days / 7).round(2)).correct      # weeks to 2 decimals
    assert not check("clv.btyd_recency", ((last - first).dt.days / 7).round(1)).correct
    assert not check("clv.btyd_recency", ((last - first).dt.days + 1) / 7).correct      # days counted inclusively


def test_btyd_T_by_hand_and_mistakes(days):
    g = days.groupby("customer_id")
    first, last = g["day"].min(), g["day"].max()
    end = pd.Timestamp(RETAILER_END)
    assert check("clv.btyd_T", (end - first).dt.days / 7).correct
    assert check("clv.btyd_T", (end - first).dt.days).mistake == "days_not_weeks"
    assert check("clv.btyd_T", (end - last).dt.days / 7).mistake == "from_last_purchase"
    assert check("clv.btyd_T", (end + pd.Timedelta(days=1) - first).dt.days / 7).mistake == "end_plus_one_day"
    raw = days.groupby("customer_id")["order_date"].min()
    assert check("clv.btyd_T", (end - raw).dt.total_seconds() / (7 * 86400)).mistake == "time_of_day"
    assert check("clv.btyd_T", ((end - first).dt.days / 7).round(2)).correct
    assert not check("clv.btyd_T", (end - pd.Timedelta(days=1) - first).dt.days / 7).correct


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
    cdnow = load_cdnow()
    whole = summarize_purchases(cdnow, "customer_id", "order_date", "amount", observation_end=CDNOW_END,
                                unit="W", returns="net")
    p_whole = pd.Series(model.p_alive(whole["frequency"], whole["recency"], whole["T"]), index=whole.index)
    assert check("clv.p_alive", p_whole).mistake == "whole_period"
    assert check("clv.p_alive", p.round(3)).correct
    assert check("clv.p_alive", p.reset_index().rename(columns={0: "p_alive"})).correct   # ids as a column
    assert not check("clv.p_alive", p.round(2)).correct


def test_expected_purchases_horizons(cal, model):
    def total(t):
        return model.expected_purchases(t, cal["frequency"], cal["recency"], cal["T"]).sum()

    assert check("clv.expected_purchases", total(39)).correct
    assert check("clv.expected_purchases", total(9)).mistake == "horizon_in_months"
    assert check("clv.expected_purchases", total(273)).mistake == "horizon_in_days"
    assert check("clv.expected_purchases", total(52)).mistake == "one_year"
    assert check("clv.expected_purchases", total(39) / len(cal)).mistake == "mean_not_total"
    assert check("clv.expected_purchases", int(cal["frequency_holdout"].sum())).mistake == "actual_holdout"
    repeat_only = model.expected_purchases(39, cal["frequency"], cal["recency"], cal["T"])[cal["frequency"] > 0].sum()
    assert check("clv.expected_purchases", repeat_only).mistake == "repeat_buyers_only"
    assert check("clv.expected_purchases", round(total(39), 1)).correct
    assert check("clv.expected_purchases", total(39 * 7 / 7.0)).correct
    for t in (38, 40, 272 / 7):
        assert not check("clv.expected_purchases", total(t)).correct, t
    assert check("clv.expected_purchases", round(total(39))).mistake is None  # whole purchases: coarser than asked


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
    assert check("clv.max_acquisition_cost", MARGIN_RATE * first_order + new(MARGIN_RATE, 0.10 / 12)).mistake \
        == "discount_divided_by_12"
    right = MARGIN_RATE * first_order + new(MARGIN_RATE, d)
    assert check("clv.max_acquisition_cost", round(right)).correct                     # to the yuan
    assert check("clv.max_acquisition_cost", float(round(right, 2))).correct
    short = MARGIN_RATE * first_order + customer_lifetime_value(
        bgf, ggf, [0], [0], [0], [0], horizon=ACQUISITION_HORIZON_MONTHS - 1, discount_rate=d, unit="W", period="M",
        margin=MARGIN_RATE)[0]
    assert not check("clv.max_acquisition_cost", short).correct                        # a month short


# --- interpretation and decisions --------------------------------------------------------------
def test_best_lever_follows_the_formula():
    d = (1 + DISCOUNT_PER_YEAR) ** (1 / 12) - 1
    values = {"A": simple_clv(M, R + 0.01, d), "B": simple_clv(1.1 * M, R, d),
              "C": simple_clv(M, R, (1 + DISCOUNT_PER_YEAR - 0.02) ** (1 / 12) - 1)}
    best = max(values, key=values.get)
    assert set(LEVER_OPTIONS) == set(values)
    assert check("clv.best_lever", best.lower()).correct
    assert check("clv.best_lever", "B").mistake == "margin_is_linear"
    assert check("clv.best_lever", "C").mistake == "discount_rate_lever"
    assert check("clv.best_lever", "A, B").status == "hint"   # one letter only


def test_holdout_verdict_follows_the_holdout(cal, model):
    forecast = model.expected_purchases(39, cal["frequency"], cal["recency"], cal["T"]).sum()
    actual = cal["frequency_holdout"].sum()
    gap = (forecast - actual) / actual
    right = "A" if abs(gap) <= 0.05 else "B" if gap < 0 else "C"
    assert set(HOLDOUT_OPTIONS) == set("ABCD")
    assert check("clv.holdout_verdict", right).correct
    assert check("clv.holdout_verdict", "D").mistake == "fit_is_proof"
    wrong_direction = {"B": "C", "C": "B"}.get(right)
    if wrong_direction:
        assert check("clv.holdout_verdict", wrong_direction).mistake == "direction_swapped"
        assert check("clv.holdout_verdict", "A").mistake == "gap_not_measured"


def test_acquisition_decision_follows_the_break_even_cost():
    from cvmlib.exercises.clv import max_acquisition_cost

    truth = {"B", "C"} | ({"A"} if LIVESTREAM_COST_PER_CUSTOMER < max_acquisition_cost() else set())
    assert set(ACQUISITION_STATEMENTS) == set("ABCDE")
    assert check("clv.acquisition_decision", ", ".join(sorted(truth))).correct
    assert check("clv.acquisition_decision", sorted(truth | {"D"})).mistake == "average_for_every_channel"
    assert check("clv.acquisition_decision", truth | {"E"}).mistake == "margin_taken_twice"
    assert check("clv.acquisition_decision", truth - {"C"}).mistake == "model_assumption_missed"


# --- hints say what to look at, not what to type -----------------------------------------------
#: What code looks like in a hint: a method call, a power, an indexing, a lambda, a pandas accessor.
CODE = r"\.\w+\(|\*\*|\[\s*['\"]|\bdef\b|\blambda\b|==|\bcal\[|\.dt\.|\.sum\b|\.mean\b|idx(min|max)"


def test_the_code_detector_catches_the_old_fallback_hints():
    assert re.search(CODE, "model.p_alive(cal['frequency'], cal['recency'], cal['T']), as a Series")
    assert re.search(CODE, "model.expected_purchases(39, cal['frequency'], cal['recency'], cal['T']).sum()")
    assert not re.search(CODE, "The sum starts at t = 0; use the monthly rate of exercise 1.")


@pytest.mark.parametrize("exercise_id", exercise_ids("clv"))
def test_no_hint_contains_code(exercise_id):
    ex = get_exercise(exercise_id)
    # as shown (a hint may be a callable composing its text): cvmlib.feedback.shown_text
    texts = [shown_text(t) for t in [ex.hint, ex.more_hint] + [t for m in ex.mistakes for t in (m.hint, m.more)]]
    offending = [text for text in texts if re.search(CODE, text)]
    assert offending == []
