"""The checked exercises of the CLV workbook (``notebooks/clv_workbook.ipynb``).

Every expected answer is computed from the shipped data (the retailer's orders, the CDNOW sample)
or, for the formula exercises, from the stated parameters with :func:`cvmlib.clv.simple_clv`.
Every mistake computes the answer a participant with that misconception would produce, so a hint
is given only when the answer really is that mistake. The workbook imports the parameters below,
so the prompt and the check can never disagree.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.clv import BetaGeo, GammaGamma, customer_lifetime_value, simple_clv, summarize_purchases
from cvmlib.cohorts import cohort_counts
from cvmlib.datasets import load_cdnow, load_orders
from cvmlib.feedback import Exercise, Mistake, NotComparable, as_series, compare_scalar, compare_series

# --- parameters the workbook prints -------------------------------------------------------------
#: Simple-formula exercises: margin per customer and MONTH (CNY), retention per MONTH, discount
#: rate per YEAR (as finance gives it), horizon of the finite sum in months.
MARGIN_PER_MONTH = 30.0
RETENTION_PER_MONTH = 0.92
DISCOUNT_PER_YEAR = 0.12
HORIZON_MONTHS = 24
#: Last day of the retailer's data (inclusive): the end of every retailer summary.
RETAILER_END = "2025-12-31"
#: Age (months since the first purchase) of the cohort exercise.
COHORT_AGE = 3
#: CDNOW: calibration ends 1997-09-30 (as in Fader, Hardie & Lee 2005), data end 1998-06-30.
CDNOW_CALIBRATION_END = "1997-09-30"
CDNOW_END = "1998-06-30"
#: Length of the CDNOW holdout period in weeks (1997-10-01 .. 1998-06-30 = 273 days).
HOLDOUT_WEEKS = 39.0
#: Acquisition-cost exercise: gross margin on revenue, horizon and annual discount rate.
MARGIN_RATE = 0.30
ACQUISITION_HORIZON_MONTHS = 36
ACQUISITION_DISCOUNT_PER_YEAR = 0.10


def monthly_rate(annual: float) -> float:
    """The monthly rate that compounds to ``annual`` over 12 months: ``(1 + annual) ** (1/12) - 1``.

    >>> round(monthly_rate(0.12), 5)
    0.00949
    """
    return float((1.0 + annual) ** (1.0 / 12.0) - 1.0)


# --- data ---------------------------------------------------------------------------------------
@cache
def _orders() -> pd.DataFrame:
    return load_orders()


@cache
def retailer_summary() -> pd.DataFrame:
    """BTYD summary of the retailer in weeks, 2024-01-01 .. 2025-12-31 (no holdout)."""
    return summarize_purchases(_orders(), "customer_id", "order_date", "amount",
                               observation_end=RETAILER_END, unit="W")


@cache
def cdnow_summary() -> pd.DataFrame:
    """BTYD summary of the CDNOW sample in weeks: calibration to 1997-09-30, holdout to 1998-06-30.

    CDNOW has identical rows that are genuine separate purchases (a line number tells them apart)
    and a few zero-dollar purchases (``returns="net"`` keeps them).
    """
    cdnow = load_cdnow(sample=True)
    cdnow = cdnow.assign(line=np.arange(len(cdnow)))
    return summarize_purchases(cdnow, "customer_id", "order_date", "amount",
                               calibration_end=CDNOW_CALIBRATION_END, observation_end=CDNOW_END,
                               unit="W", returns="net")


@cache
def cdnow_model() -> BetaGeo:
    """BG/NBD fitted on the CDNOW calibration summary (weeks)."""
    s = cdnow_summary()
    return BetaGeo().fit(s["frequency"], s["recency"], s["T"])


@cache
def _retailer_counts() -> pd.DataFrame:
    return cohort_counts(_orders(), observation_end=RETAILER_END)


@cache
def retailer_models() -> tuple[BetaGeo, GammaGamma]:
    """BG/NBD and Gamma-Gamma fitted on the retailer's whole history (weeks)."""
    s = retailer_summary()
    return (BetaGeo().fit(s["frequency"], s["recency"], s["T"]),
            GammaGamma().fit(s["frequency"], s["monetary_value"]))


def _per_customer(values: Any, index: pd.Index) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=index).rename_axis("customer_id")


def _is_number(answer: Any) -> bool:
    return isinstance(answer, (int, float, np.number)) and not isinstance(answer, (bool, np.bool_))


def _close(answer: Any, value: float, rtol: float = 1e-4) -> bool:
    return _is_number(answer) and compare_scalar(answer, value, rtol=rtol) is None


# --- 1. the simple formula, units -----------------------------------------------------------------
def _monthly_discount() -> float:
    return monthly_rate(DISCOUNT_PER_YEAR)


simple = Exercise(
    id="clv.simple_clv",
    prompt="CLV = m r / (1 + d - r) per customer, with a monthly margin and retention and the annual discount rate.",
    expected=lambda: simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH, _monthly_discount()),
    mistakes=(
        Mistake(
            "annual_discount_monthly_retention",
            "Your time units are mixed: the retention and the margin are per MONTH but the discount rate "
            "is per YEAR. Convert the discount rate to a monthly one first.",
            answer=lambda: simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH, DISCOUNT_PER_YEAR),
        ),
        Mistake(
            "discount_divided_by_12",
            "Close: dividing the annual rate by 12 ignores compounding. The monthly rate that gives 12 % "
            "a year is (1 + 0.12) ** (1 / 12) - 1.",
            answer=lambda: simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH, DISCOUNT_PER_YEAR / 12),
        ),
        Mistake(
            "undiscounted",
            "You left out the discount rate: a margin earned in two years is worth less than one earned "
            "today. Put d in the denominator: 1 + d - r.",
            answer=lambda: simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH, 0.0),
        ),
        Mistake(
            "current_period_included",
            "You also counted this month's margin (the sum starts at t = 0). The formula m r / (1 + d - r) "
            "values the FUTURE margins, from the next month on, each earned only if the customer is retained.",
            answer=lambda: MARGIN_PER_MONTH + simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH, _monthly_discount()),
        ),
    ),
    hint="Monthly discount rate d = (1 + annual) ** (1/12) - 1, then CLV = m r / (1 + d - r) with m, r, d all per month.",
)


# --- 2. finite horizon ----------------------------------------------------------------------------
horizon = Exercise(
    id="clv.horizon_clv",
    prompt="CLV over the next 24 months: the sum of m r^t / (1 + d)^t for t = 1 .. 24, monthly rates.",
    expected=lambda: simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH, _monthly_discount(), horizon=HORIZON_MONTHS),
    mistakes=(
        Mistake(
            "undiscounted_sum",
            "You added up the expected margins without discounting them. Divide the margin of month t by "
            "(1 + d) ** t, with the monthly discount rate d.",
            answer=lambda: simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH, 0.0, horizon=HORIZON_MONTHS),
        ),
        Mistake(
            "starts_at_zero",
            "Your sum runs over t = 0 .. 23: it counts this month's margin and stops a month early. The "
            "future margins are those of t = 1 .. 24.",
            answer=lambda: MARGIN_PER_MONTH + simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH,
                                                         _monthly_discount(), horizon=HORIZON_MONTHS - 1),
        ),
        Mistake(
            "infinite_formula",
            "That is the value over an unlimited lifetime (m r / (1 + d - r)). The task stops after 24 "
            "months: add up only t = 1 .. 24.",
            answer=lambda: simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH, _monthly_discount()),
        ),
        Mistake(
            "annual_discount",
            "Your time units are mixed: you discounted each MONTH with the YEARLY rate. Use "
            "(1 + 0.12) ** (1 / 12) - 1 per month.",
            answer=lambda: simple_clv(MARGIN_PER_MONTH, RETENTION_PER_MONTH, DISCOUNT_PER_YEAR, horizon=HORIZON_MONTHS),
        ),
    ),
    hint="Sum over t = 1..24 of m * r**t / (1 + d)**t, with the monthly discount rate d.",
)


# --- 3. cohort retention --------------------------------------------------------------------------
def _month_labels(index: pd.Index) -> pd.Index:
    """Cohort labels as 'YYYY-MM' whether they are Periods, Timestamps or strings."""
    if isinstance(index, pd.PeriodIndex):
        return index.asfreq("M").astype("str")
    try:
        return pd.DatetimeIndex(pd.to_datetime(index.astype("str"), format="mixed")).to_period("M").astype("str")
    except (TypeError, ValueError) as error:
        raise NotComparable("Index your answer by cohort month (e.g. a Period '2024-01' or the text "
                            "'2024-01').") from error


def compare_cohorts(answer: Any, expected: pd.Series) -> str | None:
    """:func:`compare_series` after turning both indexes into 'YYYY-MM' cohort labels."""
    got = as_series(answer)
    got.index = _month_labels(got.index)
    want = expected.copy()
    want.index = _month_labels(want.index).rename("cohort")
    return compare_series(got.rename_axis("cohort"), want)


def _age_share(base: str) -> pd.Series:
    counts = _retailer_counts()
    active = counts[COHORT_AGE]
    if base == "previous":
        return (active / counts[COHORT_AGE - 1]).dropna()
    if base == "zero_filled":
        return active.fillna(0.0) / counts[0]
    if base == "count":
        return active.dropna()
    return (active / counts[0]).dropna()


def _calendar_active_base() -> pd.Series:
    """Active cohort customers over ALL customers who bought in that calendar month."""
    orders = _orders()
    month = orders["order_date"].dt.to_period("M")
    buyers = orders.groupby(month)["customer_id"].nunique()
    active = _retailer_counts()[COHORT_AGE].dropna()
    calendar = buyers.reindex(active.index + COHORT_AGE).to_numpy()
    return active / calendar


def _orders_not_customers() -> pd.Series:
    orders = _orders()
    month = orders["order_date"].dt.to_period("M")
    first = month.groupby(orders["customer_id"]).transform("min")
    age = (month.dt.year - first.dt.year) * 12 + (month.dt.month - first.dt.month)
    n_orders = orders[age == COHORT_AGE].groupby(first[age == COHORT_AGE]).size()
    counts = _retailer_counts()
    observed = counts[COHORT_AGE].dropna().index
    return (n_orders.reindex(observed, fill_value=0) / counts.loc[observed, 0]).rename_axis("cohort")


cohort = Exercise(
    id="clv.cohort_retention",
    prompt="For each monthly cohort, the share of its customers who bought in month 3 after the first purchase.",
    expected=lambda: _age_share("size"),
    compare=compare_cohorts,
    mistakes=(
        Mistake(
            "previous_period_base",
            "You divided by the customers active in the month BEFORE. Cohort retention divides by the "
            "cohort SIZE (its customers in month 0), so the curve shows what is left of the whole cohort.",
            answer=lambda: _age_share("previous"),
        ),
        Mistake(
            "calendar_active_base",
            "You divided by all customers who bought in that calendar month (old and new cohorts alike). "
            "Divide by the size of the cohort itself.",
            answer=_calendar_active_base,
        ),
        Mistake(
            "orders_not_customers",
            "You counted ORDERS in month 3; a customer with two orders counts once. Count distinct "
            "customers (nunique).",
            answer=_orders_not_customers,
        ),
        Mistake(
            "unobserved_as_zero",
            "Your answer has 0 for the youngest cohorts, which cannot have a month 3 yet (the data end in "
            "December 2025). Leave those cohorts out (or NaN): not observed is not zero.",
            answer=lambda: _age_share("zero_filled"),
        ),
        Mistake(
            "count_not_share",
            "You gave the NUMBER of active customers; divide by the cohort size to get a share.",
            answer=lambda: _age_share("count"),
        ),
    ),
    hint="Cohort = month of the first purchase; age = months between an order's month and the cohort month; "
    "share = distinct customers with an order at age 3 / distinct customers in the cohort.",
)


# --- 4-6. the BTYD summary by hand ----------------------------------------------------------------
@cache
def _days() -> pd.DataFrame:
    orders = _orders()
    return pd.DataFrame({"customer_id": orders["customer_id"], "day": orders["order_date"].dt.normalize(),
                         "time": orders["order_date"]})


@cache  # read-only: every hint of exercises 4-6 derives its answer from it
def _first_last() -> pd.DataFrame:
    g = _days().groupby("customer_id")
    return pd.DataFrame({"first": g["day"].min(), "last": g["day"].max(),
                         "first_time": g["time"].min(), "last_time": g["time"].max()})


def _weeks(delta: pd.Series) -> pd.Series:
    return delta.dt.days / 7.0


frequency = Exercise(
    id="clv.btyd_frequency",
    prompt="BTYD frequency per retailer customer: the number of repeat purchase days up to 2025-12-31.",
    expected=lambda: retailer_summary()["frequency"].astype("float64"),
    compare=compare_series,
    mistakes=(
        Mistake(
            "counts_first_purchase",
            "You counted every order, the first one included: that is RFM frequency. BTYD frequency counts "
            "REPEAT purchases only (and a one-time buyer has 0).",
            answer=lambda: _orders().groupby("customer_id")["order_id"].nunique().astype("float64"),
        ),
        Mistake(
            "days_with_first",
            "You counted purchase days, the first one included. BTYD frequency counts REPEAT purchase "
            "days: subtract the first.",
            answer=lambda: _days().groupby("customer_id")["day"].nunique().astype("float64"),
        ),
        Mistake(
            "orders_not_days",
            "Almost: you counted repeat ORDERS. The BTYD summary first collapses a customer's orders on the "
            "same calendar day into one purchase (.dt.normalize(), then distinct days), then subtracts the first.",
            answer=lambda: (_orders().groupby("customer_id")["order_id"].nunique() - 1).astype("float64"),
        ),
    ),
    hint="Distinct calendar purchase days per customer (order_date.dt.normalize()), minus 1 for the first purchase.",
)


def _rfm_recency(weeks: bool) -> list[pd.Series]:
    """RFM recency (last purchase to the end of the data) with the snapshot on the last day or the
    day after: the answers of a participant who mixed up the two recencies."""
    fl = _first_last()
    end = pd.Timestamp(RETAILER_END)
    gaps = [end - fl["last"], end + pd.Timedelta(days=1) - fl["last"]]
    return [_weeks(gap) if weeks else gap.dt.days.astype("float64") for gap in gaps]


recency = Exercise(
    id="clv.btyd_recency",
    prompt="BTYD recency per retailer customer, in weeks: the time from the first to the last purchase day.",
    expected=lambda: retailer_summary()["recency"],
    compare=compare_series,
    mistakes=(
        Mistake(
            "rfm_recency_days",
            "That is RFM recency (days from the last purchase to the end). BTYD recency is the customer's "
            "AGE at the last purchase: last purchase day minus FIRST purchase day, in weeks.",
            variants=lambda: _rfm_recency(weeks=False),
        ),
        Mistake(
            "rfm_recency_weeks",
            "Right unit, wrong quantity: you measured from the last purchase to the end of the data (RFM "
            "recency). BTYD recency runs from the FIRST to the LAST purchase.",
            variants=lambda: _rfm_recency(weeks=True),
        ),
        Mistake(
            "days_not_weeks",
            "Right quantity, wrong unit: these are days. The model works in weeks: divide by 7.",
            answer=lambda: (_first_last()["last"] - _first_last()["first"]).dt.days.astype("float64"),
        ),
        Mistake(
            "time_of_day",
            "Almost: you kept the time of day, so a purchase at 23:00 and one at 09:00 differ by a fraction. "
            "The summary uses calendar days: .dt.normalize() the dates first.",
            answer=lambda: (_first_last()["last_time"] - _first_last()["first_time"]).dt.total_seconds() / (7 * 86400),
        ),
    ),
    hint="recency = (last purchase day - first purchase day).days / 7.",
)


def _t_from(end: pd.Timestamp, column: str = "first", unit_days: float = 7.0) -> pd.Series:
    return (end - _first_last()[column]).dt.days / unit_days


t_exercise = Exercise(
    id="clv.btyd_T",
    prompt="BTYD T per retailer customer, in weeks: the time from the first purchase day to the end of the data (2025-12-31).",
    expected=lambda: retailer_summary()["T"],
    compare=compare_series,
    mistakes=(
        Mistake(
            "days_not_weeks",
            "Right quantity, wrong unit: these are days. recency and T must be in the model's unit, weeks: "
            "divide by 7. (T in days and recency in weeks would silently give a wrong fit.)",
            answer=lambda: _t_from(pd.Timestamp(RETAILER_END), unit_days=1.0),
        ),
        Mistake(
            "from_last_purchase",
            "You measured from the LAST purchase (that is RFM recency). T is the customer's age: from the "
            "FIRST purchase day to the end of the period.",
            answer=lambda: _t_from(pd.Timestamp(RETAILER_END), column="last"),
        ),
        Mistake(
            "end_plus_one_day",
            "Off by one day: the period ends ON 2025-12-31 (inclusive), so T runs to that day, not to the "
            "snapshot 2026-01-01.",
            answer=lambda: _t_from(pd.Timestamp(RETAILER_END) + pd.Timedelta(days=1)),
        ),
    ),
    hint="T = (2025-12-31 - first purchase day).days / 7.",
)


# --- 7. P(alive) ----------------------------------------------------------------------------------
def _p_alive(scale: float = 1.0) -> pd.Series:
    s = cdnow_summary()
    return _per_customer(cdnow_model().p_alive(s["frequency"], s["recency"] * scale, s["T"] * scale), s.index)


@cache
def _cdnow_full_summary() -> pd.DataFrame:
    cdnow = load_cdnow(sample=True)
    cdnow = cdnow.assign(line=np.arange(len(cdnow)))
    return summarize_purchases(cdnow, "customer_id", "order_date", "amount", observation_end=CDNOW_END,
                               unit="W", returns="net")


p_alive = Exercise(
    id="clv.p_alive",
    prompt="P(alive) of every CDNOW customer at the end of the calibration period (1997-09-30), from the fitted model.",
    expected=lambda: _p_alive(),
    compare=lambda answer, expected: compare_series(answer, expected, rtol=1e-5),
    mistakes=(
        Mistake(
            "p_dead",
            "You gave the probability that the customer has DROPPED OUT. P(alive) is one minus your number.",
            answer=lambda: 1.0 - _p_alive(),
        ),
        Mistake(
            "days_not_weeks",
            "Your recency and T are in days but the model was fitted in weeks (its alpha is in weeks). Use "
            "the summary in weeks.",
            answer=lambda: _p_alive(scale=7.0),
        ),
        Mistake(
            "whole_period",
            "You used the summary of the WHOLE period (to 1998-06-30). The model and the question are about "
            "the end of the calibration period: use the calibration columns of `cal`.",
            answer=lambda: _per_customer(cdnow_model().p_alive(
                _cdnow_full_summary()["frequency"], _cdnow_full_summary()["recency"], _cdnow_full_summary()["T"]),
                _cdnow_full_summary().index),
        ),
    ),
    hint="model.p_alive(cal['frequency'], cal['recency'], cal['T']), as a Series indexed by customer_id.",
)


# --- 8. expected purchases in the holdout ----------------------------------------------------------
def _expected_total(t: float) -> float:
    s = cdnow_summary()
    return float(cdnow_model().expected_purchases(t, s["frequency"], s["recency"], s["T"]).sum())


expected_purchases = Exercise(
    id="clv.expected_purchases",
    prompt="The total number of repeat purchases the model expects from the CDNOW customers in the 39-week holdout.",
    expected=lambda: _expected_total(HOLDOUT_WEEKS),
    compare=lambda answer, expected: compare_scalar(answer, expected, rtol=1e-5),
    mistakes=(
        Mistake(
            "horizon_in_months",
            "Your horizon is in months (9), but the model's unit is weeks: the holdout is 39 weeks long.",
            applies=lambda answer: _close(answer, _expected_total(9.0)),
        ),
        Mistake(
            "horizon_in_days",
            "Your horizon is in days (273), but the model's unit is weeks: t = 39.",
            applies=lambda answer: _close(answer, _expected_total(273.0)),
        ),
        Mistake(
            "one_year",
            "That is a 52-week horizon. The holdout runs from 1997-10-01 to 1998-06-30: 39 weeks.",
            applies=lambda answer: _close(answer, _expected_total(52.0)),
        ),
        Mistake(
            "mean_not_total",
            "That is the expected number per customer; the task asks for the total over all customers (sum).",
            applies=lambda answer: _close(answer, _expected_total(HOLDOUT_WEEKS) / len(cdnow_summary())),
        ),
        Mistake(
            "actual_holdout",
            "That is the number actually observed in the holdout. The task asks for the model's forecast "
            "(compare the two afterwards).",
            applies=lambda answer: _close(answer, float(cdnow_summary()["frequency_holdout"].sum()), rtol=1e-9),
        ),
    ),
    hint="model.expected_purchases(39, cal['frequency'], cal['recency'], cal['T']).sum()",
)


# --- 9. the most one may pay to acquire a customer -------------------------------------------------
def _new_customer_clv(margin: float = MARGIN_RATE, annual_discount: float = ACQUISITION_DISCOUNT_PER_YEAR,
                      months: int = ACQUISITION_HORIZON_MONTHS) -> float:
    """Discounted expected margin of a brand-new customer's REPEAT purchases (x = t_x = T = 0)."""
    bgf, ggf = retailer_models()
    value = customer_lifetime_value(bgf, ggf, [0], [0.0], [0.0], [0.0], horizon=months,
                                    discount_rate=monthly_rate(annual_discount), unit="W", period="M",
                                    margin=margin)
    return float(np.asarray(value, dtype=float).ravel()[0])


def _first_order_margin(margin: float = MARGIN_RATE) -> float:
    orders = _orders()
    first = orders.sort_values(["customer_id", "order_date"]).groupby("customer_id")["amount"].first()
    return margin * float(first.mean())


def max_acquisition_cost() -> float:
    """Break-even acquisition cost: margin of the first order + discounted CLV of the repeat purchases."""
    return _first_order_margin() + _new_customer_clv()


def _existing_customers_mean_clv() -> float:
    bgf, ggf = retailer_models()
    s = retailer_summary()
    value = customer_lifetime_value(bgf, ggf, s["frequency"], s["recency"], s["T"], s["monetary_value"],
                                    horizon=ACQUISITION_HORIZON_MONTHS,
                                    discount_rate=monthly_rate(ACQUISITION_DISCOUNT_PER_YEAR),
                                    unit="W", period="M", margin=MARGIN_RATE)
    return float(np.mean(np.asarray(value, dtype=float)))


acquisition = Exercise(
    id="clv.max_acquisition_cost",
    prompt="The most the retailer may pay to acquire a new customer (CNY): margin of the first order plus the "
    "discounted CLV of the repeat purchases of a brand-new customer over 36 months.",
    expected=max_acquisition_cost,
    compare=lambda answer, expected: compare_scalar(answer, expected, rtol=1e-3),
    mistakes=(
        Mistake(
            "revenue_not_margin",
            "You valued REVENUE. Acquisition is paid out of profit: multiply spend by the 30 % margin "
            "(margin=0.3), for the first order too.",
            applies=lambda answer: _close(answer, _first_order_margin(1.0) + _new_customer_clv(margin=1.0), 1e-3),
        ),
        Mistake(
            "first_order_left_out",
            "You left out the first order: it is part of what the new customer brings (and it is certain). "
            "Add its expected margin: 30 % of the mean first order.",
            applies=lambda answer: _close(answer, _new_customer_clv(), 1e-3),
        ),
        Mistake(
            "undiscounted",
            "You did not discount: money in three years is worth less than the acquisition cost paid "
            "today. Use the monthly rate from 10 % a year.",
            applies=lambda answer: _close(answer, _first_order_margin() + _new_customer_clv(annual_discount=0.0), 1e-3),
        ),
        Mistake(
            "existing_customers",
            "You averaged the CLV of the EXISTING customers; many of them are proven repeat buyers. A new "
            "customer has no history yet: frequency = recency = T = 0.",
            applies=lambda answer: _close(answer, _first_order_margin() + _existing_customers_mean_clv(), 1e-3)
            or _close(answer, _existing_customers_mean_clv(), 1e-3),
        ),
    ),
    hint="Add two parts: 30 % of the mean first-order amount, and customer_lifetime_value of a customer with no "
    "history (all four summary values 0) over 36 months, at the monthly discount rate, with margin=0.3.",
)

EXERCISES: tuple[Exercise, ...] = (
    simple,
    horizon,
    cohort,
    frequency,
    recency,
    t_exercise,
    p_alive,
    expected_purchases,
    acquisition,
)
