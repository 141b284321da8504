"""The checked exercises of the CLV workbook (``notebooks/clv_workbook.ipynb``).

Every expected answer is computed from the shipped data (the retailer's orders, the CDNOW sample)
or, for the formula exercises, from the stated parameters with :func:`cvmlib.clv.simple_clv`.
Every mistake computes the answer a participant with that misconception would produce, so a hint
is given only when the answer really is that mistake. The workbook imports the parameters below,
so the prompt and the check can never disagree.

Each comparison accepts exactly the precision its prompt states (money to the cent or to the
yuan, shares to 3 decimals, weeks to 2 decimals, ...) and nothing wider, and each exercise
computes its *near misses*: the smallest wrong answers a participant could plausibly give (one
month too few in a sum, one customer missing from a cohort, the holdout one day or one week off,
a result rounded more coarsely than asked). The exercise contract test checks that none of them
is accepted. The interpretation questions (``kind="interpret"``) take the facts they rely on from
the same computations, so their answer key follows the data.

Every text is an English message translated when it is shown (:mod:`cvmlib.i18n`): hints are marked
with ``N_()``, texts with values are composed when shown (:func:`~cvmlib.exercises.wrong_answers.later`),
and the options the workbook prints are :class:`~cvmlib.exercises.wrong_answers.Options`. Answers are
compared as plain data (numbers, Series, option letters), the same in both editions.
"""

from __future__ import annotations

from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.clv import BetaGeo, GammaGamma, customer_lifetime_value, simple_clv, summarize_purchases
from cvmlib.cohorts import cohort_counts
from cvmlib.datasets import load_cdnow, load_orders
from cvmlib.feedback import (
    Exercise,
    Mistake,
    NotComparable,
    as_series,
    compare_choice,
    compare_choice_set,
    compare_scalar,
    compare_series,
)
from cvmlib.exercises.wrong_answers import (
    Options,
    decimals_tolerance,
    later,
    one_off,
    other_letters,
    rounded,
    statement_variants,
)
from cvmlib.forms import Choice, MultiChoice
from cvmlib.i18n import N_, _

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
#: What marketing proposes to pay per new customer acquired through livestream ads (CNY).
LIVESTREAM_COST_PER_CUSTOMER = 200.0


# Precision of each exercise, as its prompt states it.
#: Money to the cent (the formula exercises).
_cents = partial(compare_scalar, rtol=0.0, atol=decimals_tolerance(2))
#: Whole repeat purchase days: exact.
_exact_series = partial(compare_series, rtol=0.0, atol=1e-9)
#: Weeks to 2 decimals: one day is 0.14 weeks, far above the 0.005 accepted.
_two_decimal_weeks = partial(compare_series, rtol=0.0, atol=decimals_tolerance(2))
#: Probabilities to 3 decimals: the customers whose P(alive) moves least under a one-day shift still
#: move by more than that, see the near misses.
_probabilities = partial(compare_series, rtol=0.0, atol=decimals_tolerance(3))
#: The holdout forecast to 1 decimal: a day more or less of holdout moves it by about 5 purchases.
_one_decimal = partial(compare_scalar, rtol=0.0, atol=decimals_tolerance(1))
#: The acquisition cost to the yuan: the smallest plausible slip (a month of horizon) moves it by 9 CNY.
_yuan = partial(compare_scalar, rtol=0.0, atol=decimals_tolerance(0))


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

    CDNOW has identical rows that are genuine separate purchases (the loader's ``line`` column tells
    them apart) and a few zero-dollar purchases (``returns="net"`` keeps them).
    """
    cdnow = load_cdnow(sample=True)
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


def _bumped(values: pd.Series, by: float, position: int = 0) -> pd.Series:
    """``values`` with the one value at ``position`` changed by ``by``: one customer (or cohort) wrong."""
    out = values.astype("float64").copy()
    out.iloc[position] += by
    return out


# --- 1. the simple formula, units -----------------------------------------------------------------
def _monthly_discount() -> float:
    return monthly_rate(DISCOUNT_PER_YEAR)


def _simple(margin: float = MARGIN_PER_MONTH, retention: float = RETENTION_PER_MONTH,
            discount: float | None = None, horizon: int | None = None) -> float:
    return simple_clv(margin, retention, _monthly_discount() if discount is None else discount, horizon=horizon)


simple = Exercise(
    id="clv.simple_clv",
    prompt=N_("CLV = m r / (1 + d - r) per customer, with a monthly margin and retention and the annual discount "
    "rate converted to a monthly one; in CNY to the cent."),
    expected=_simple,
    compare=_cents,
    mistakes=(
        Mistake(
            "annual_discount_monthly_retention",
            N_("Your time units are mixed: the retention and the margin are per MONTH but the discount rate "
            "is per YEAR. Convert the discount rate to a monthly one first."),
            answer=lambda: _simple(discount=DISCOUNT_PER_YEAR),
            more=N_("All three inputs of the formula must be per month; the definitions at the top of the "
            "workbook show how a yearly rate becomes a monthly one."),
        ),
        Mistake(
            "discount_divided_by_12",
            N_("Close: dividing the annual rate by 12 ignores compounding. Twelve months at that rate give "
            "more than the annual rate, so your monthly rate is a little too high."),
            answer=lambda: _simple(discount=DISCOUNT_PER_YEAR / 12),
            more=N_("The monthly rate is the one that, compounded over twelve months, gives exactly the annual "
            "rate: see the definitions at the top of the workbook."),
        ),
        Mistake(
            "undiscounted",
            N_("You left out the discount rate: a margin earned in two years is worth less than one earned "
            "today. The denominator of the formula has three terms."),
            answer=lambda: _simple(discount=0.0),
            more=N_("Check the denominator of your expression against the prompt term by term."),
        ),
        Mistake(
            "current_period_included",
            N_("You also counted this month's margin (the sum starts at t = 0). The formula values the "
            "FUTURE margins, from the next month on, each earned only if the customer is retained."),
            answer=lambda: MARGIN_PER_MONTH + _simple(),
            more=N_("The first term of the sum is t = 1: next month's margin times the chance of still being "
            "a customer then."),
        ),
    ),
    hint=N_("Check the time units first: the margin and the retention are per month, the discount rate is "
    "given per year. Convert it to a monthly rate, then apply the formula of the prompt."),
    more_hint=N_("Compute the monthly discount rate on its own line and look at it: it must be a little smaller "
    "than the annual rate divided by 12. Do not round it before you use it."),
    near_misses=lambda: [
        *rounded(_simple(), (1, 0)),                         # rounded more coarsely than to the cent
        _simple(discount=round(_monthly_discount(), 4)),      # the monthly rate rounded before use
        _simple(discount=float(np.log1p(DISCOUNT_PER_YEAR) / 12)),  # continuous compounding
        MARGIN_PER_MONTH * (1 + _monthly_discount()) / (1 + _monthly_discount() - RETENTION_PER_MONTH),
    ],
)


# --- 2. finite horizon ----------------------------------------------------------------------------
horizon = Exercise(
    id="clv.horizon_clv",
    prompt=N_("CLV over the next 24 months: the sum of m r^t / (1 + d)^t for t = 1 .. 24, monthly rates; in CNY "
    "to the cent."),
    expected=lambda: _simple(horizon=HORIZON_MONTHS),
    compare=_cents,
    mistakes=(
        Mistake(
            "undiscounted_sum",
            N_("You added up the expected margins without discounting them: the margin of month t is worth "
            "less today the later it comes."),
            answer=lambda: _simple(discount=0.0, horizon=HORIZON_MONTHS),
            more=N_("Each term of the sum has a denominator that grows with t; check that yours does."),
        ),
        Mistake(
            "starts_at_zero",
            N_("Your sum runs over t = 0 .. 23: it counts this month's margin and stops a month early. The "
            "future margins are those of t = 1 .. 24."),
            answer=lambda: MARGIN_PER_MONTH + _simple(horizon=HORIZON_MONTHS - 1),
            more=N_("Print the values of t you sum over: the first must be 1, the last 24."),
        ),
        Mistake(
            "infinite_formula",
            N_("That is the value over an unlimited lifetime. The task stops after 24 months: add up only "
            "t = 1 .. 24."),
            answer=_simple,
            more=N_("The closed formula of exercise 1 is the sum to infinity; here you need the 24 terms themselves."),
        ),
        Mistake(
            "annual_discount",
            N_("Your time units are mixed: you discounted each MONTH with the YEARLY rate. Use the monthly "
            "rate of exercise 1."),
            answer=lambda: _simple(discount=DISCOUNT_PER_YEAR, horizon=HORIZON_MONTHS),
            more=N_("t counts months, so the discount rate in (1 + d)^t must be a monthly rate."),
        ),
    ),
    hint=N_("Build the 24 monthly terms of the prompt's sum, each discounted with the monthly rate of "
    "exercise 1, and add them up."),
    more_hint=N_("Check both ends of the sum: the first term is next month's margin (t = 1), the last the "
    "24th month's."),
    near_misses=lambda: [
        _simple(horizon=HORIZON_MONTHS - 1),                   # a month too few
        _simple(horizon=HORIZON_MONTHS + 1),                   # a month too many
        MARGIN_PER_MONTH + _simple(horizon=HORIZON_MONTHS),    # t = 0 .. 24
        *rounded(_simple(horizon=HORIZON_MONTHS), (1, 0)),
        _simple(discount=round(_monthly_discount(), 4), horizon=HORIZON_MONTHS),
    ],
)


# --- 3. cohort retention --------------------------------------------------------------------------
def _month_labels(index: pd.Index) -> pd.Index:
    """Cohort labels as 'YYYY-MM' whether they are Periods, Timestamps or strings."""
    if isinstance(index, pd.PeriodIndex):
        return index.asfreq("M").astype("str")
    try:
        return pd.DatetimeIndex(pd.to_datetime(index.astype("str"), format="mixed")).to_period("M").astype("str")
    except (TypeError, ValueError) as error:
        raise NotComparable(_("Index your answer by cohort month (e.g. a Period '2024-01' or the text "
                              "'2024-01').")) from error


def compare_cohorts(answer: Any, expected: pd.Series) -> str | None:
    """Cohort shares to 3 decimals, after turning both indexes into 'YYYY-MM' cohort labels.

    Cohorts that cannot have the asked month yet may be left out or given as NaN (not observed);
    a 0 for them is a different answer (see the ``unobserved_as_zero`` mistake).
    """
    got = as_series(answer)
    got.index = _month_labels(got.index)
    want = expected.copy()
    want.index = _month_labels(want.index).rename("cohort")
    unobserved = got.isna() & ~got.index.isin(want.index)
    return _shares(got[~unobserved].rename_axis("cohort"), want)


#: Cohort shares to 3 decimals: one customer more or less in the largest observed cohort moves its
#: share by more than 1/300, far above the 0.0005 accepted.
_shares = partial(compare_series, rtol=0.0, atol=decimals_tolerance(3))


def _age_share(base: str, age: int = COHORT_AGE) -> pd.Series:
    counts = _retailer_counts()
    active = counts[age]
    if base == "previous":
        return (active / counts[age - 1]).dropna()
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


def _cohort_frame() -> pd.DataFrame:
    orders = _orders()
    month = orders["order_date"].dt.to_period("M")
    first = month.groupby(orders["customer_id"]).transform("min")
    age = (month.dt.year - first.dt.year) * 12 + (month.dt.month - first.dt.month)
    return pd.DataFrame({"customer_id": orders["customer_id"], "cohort": first, "age": age,
                         "days": (orders["order_date"] - orders.groupby("customer_id")["order_date"]
                                  .transform("min")).dt.days})


def _orders_not_customers() -> pd.Series:
    f = _cohort_frame()
    n_orders = f[f["age"] == COHORT_AGE].groupby("cohort").size()
    counts = _retailer_counts()
    observed = counts[COHORT_AGE].dropna().index
    return (n_orders.reindex(observed, fill_value=0) / counts.loc[observed, 0]).rename_axis("cohort")


def _thirty_day_months() -> pd.Series:
    """Age counted in 30-day steps from the first purchase instead of calendar months."""
    f = _cohort_frame()
    active = f[f["days"] // 30 == COHORT_AGE].groupby("cohort")["customer_id"].nunique()
    counts = _retailer_counts()
    observed = counts[COHORT_AGE].dropna().index
    return (active.reindex(observed, fill_value=0) / counts.loc[observed, 0]).rename_axis("cohort")


def _one_customer_less() -> pd.Series:
    """The share of the largest observed cohort computed with one active customer less."""
    counts = _retailer_counts()
    share = _age_share("size")
    largest = counts.loc[share.index, 0].to_numpy().argmax()
    return _bumped(share, -1.0 / float(counts.loc[share.index[largest], 0]), largest)


cohort = Exercise(
    id="clv.cohort_retention",
    prompt=N_("For each monthly cohort, the share of its customers who bought in month 3 after the first purchase "
    "(to 3 decimals)."),
    expected=lambda: _age_share("size"),
    compare=compare_cohorts,
    mistakes=(
        Mistake(
            "previous_period_base",
            N_("You divided by the customers active in the month BEFORE. Cohort retention divides by the "
            "cohort SIZE (its customers in month 0), so the curve shows what is left of the whole cohort."),
            answer=lambda: _age_share("previous"),
            more=N_("The denominator is the same for every age of one cohort: how many customers it started with."),
        ),
        Mistake(
            "calendar_active_base",
            N_("You divided by all customers who bought in that calendar month (old and new cohorts alike). "
            "Divide by the size of the cohort itself."),
            answer=_calendar_active_base,
            more=N_("Only the cohort's own customers belong in the denominator: those whose FIRST purchase was "
            "in the cohort month."),
        ),
        Mistake(
            "orders_not_customers",
            N_("You counted ORDERS in month 3; a customer with two orders counts once. Count distinct "
            "customers."),
            answer=_orders_not_customers,
            more=N_("A share of customers can never exceed 1; count each customer of the cohort at most once."),
        ),
        Mistake(
            "unobserved_as_zero",
            N_("Your answer has 0 for the youngest cohorts, which cannot have a month 3 yet (the data end in "
            "December 2025). Leave those cohorts out (or NaN): not observed is not zero."),
            answer=lambda: _age_share("zero_filled"),
            more=N_("A cohort needs three full calendar months after its first month before month 3 can be seen."),
        ),
        Mistake(
            "count_not_share",
            N_("You gave the NUMBER of active customers; divide by the cohort size to get a share."),
            answer=lambda: _age_share("count"),
            more=N_("Every value of a share lies between 0 and 1."),
        ),
        Mistake(
            "thirty_day_months",
            N_("You counted the age in 30-day steps from the first purchase. Cohort ages here are CALENDAR "
            "months: month 0 is the month of the first purchase, month 3 the third calendar month after it."),
            answer=_thirty_day_months,
            more=N_("Compare the months (year and month) of the order and of the first purchase, not the days between them."),
        ),
    ),
    hint=N_("Three things decide the answer: the cohort (month of the first purchase), the age (calendar months "
    "between an order's month and the cohort month) and the base (the cohort's size)."),
    more_hint=N_("Count the customers of each cohort who have at least one order at age 3, and divide by the "
    "number of customers the cohort started with. Cohorts too young to have a month 3 stay out."),
    near_misses=lambda: [
        _one_customer_less(),
        _age_share("size", COHORT_AGE - 1),       # month 2: off by one month
        _age_share("size", COHORT_AGE + 1).reindex(_age_share("size").index),  # month 4
        _thirty_day_months(),
        _age_share("size").round(2),              # coarser than asked
    ],
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


def _frequency() -> pd.Series:
    return retailer_summary()["frequency"].astype("float64")


def _frequency_before_last_day() -> pd.Series:
    """Repeat days counted with the last day of the data (2025-12-31) left out: an exclusive end."""
    days = _days()
    kept = days[days["day"] < pd.Timestamp(RETAILER_END)]
    counted = (kept.groupby("customer_id")["day"].nunique() - 1).astype("float64")
    return counted.reindex(_frequency().index, fill_value=0.0).clip(lower=0.0).rename_axis("customer_id")


frequency = Exercise(
    id="clv.btyd_frequency",
    prompt=N_("BTYD frequency per retailer customer: the number of repeat purchase days up to 2025-12-31 "
    "(whole numbers, exact)."),
    expected=_frequency,
    compare=_exact_series,
    mistakes=(
        Mistake(
            "counts_first_purchase",
            N_("You counted every order, the first one included: that is RFM frequency. BTYD frequency counts "
            "REPEAT purchases only (and a one-time buyer has 0)."),
            answer=lambda: _orders().groupby("customer_id")["order_id"].nunique().astype("float64"),
            more=N_("A customer who bought once has frequency 0 in the BTYD summary."),
        ),
        Mistake(
            "days_with_first",
            N_("You counted purchase days, the first one included. BTYD frequency counts REPEAT purchase "
            "days: the first day is not a repeat."),
            answer=lambda: _days().groupby("customer_id")["day"].nunique().astype("float64"),
            more=N_("A customer who bought on one day only has frequency 0."),
        ),
        Mistake(
            "orders_not_days",
            N_("Almost: you counted repeat ORDERS. The BTYD summary first collapses a customer's orders on the "
            "same calendar day into one purchase, then leaves out the first day."),
            answer=lambda: (_orders().groupby("customer_id")["order_id"].nunique() - 1).astype("float64"),
            more=N_("Two orders at 09:00 and 18:00 on the same day are one purchase: count distinct calendar days."),
        ),
        Mistake(
            "last_day_left_out",
            N_("Your period ends a day early: purchases on 2025-12-31 belong to the data (the end is inclusive)."),
            answer=_frequency_before_last_day,
            more=N_("Keep every order up to and including the last day of the data."),
        ),
    ),
    hint=N_("BTYD frequency counts purchase DAYS after the first one: collapse each customer's orders to "
    "calendar days, then count the repeat days."),
    more_hint=N_("Orders on the same calendar day are one purchase, whatever their time of day; the first purchase "
    "day is not a repeat."),
    near_misses=lambda: [
        _frequency_before_last_day(),
        _bumped(_frequency(), -1.0, int(_frequency().to_numpy().argmax())),  # one customer one day short
        _bumped(_frequency(), 1.0),
    ],
)


def _recency() -> pd.Series:
    return retailer_summary()["recency"]


def _rfm_recency(weeks: bool) -> list[pd.Series]:
    """RFM recency (last purchase to the end of the data) with the snapshot on the last day or the
    day after: the answers of a participant who mixed up the two recencies."""
    fl = _first_last()
    end = pd.Timestamp(RETAILER_END)
    gaps = [end - fl["last"], end + pd.Timedelta(days=1) - fl["last"]]
    return [_weeks(gap) if weeks else gap.dt.days.astype("float64") for gap in gaps]


recency = Exercise(
    id="clv.btyd_recency",
    prompt=N_("BTYD recency per retailer customer, in weeks (to 2 decimals): the time from the first to the last "
    "purchase day."),
    expected=_recency,
    compare=_two_decimal_weeks,
    mistakes=(
        Mistake(
            "rfm_recency_days",
            N_("That is RFM recency (days from the last purchase to the end). BTYD recency is the customer's "
            "AGE at the last purchase: from the FIRST purchase day to the last, in weeks."),
            variants=lambda: _rfm_recency(weeks=False),
            more=N_("A customer who bought once has BTYD recency 0, whatever how long ago that was."),
        ),
        Mistake(
            "rfm_recency_weeks",
            N_("Right unit, wrong quantity: you measured from the last purchase to the end of the data (RFM "
            "recency). BTYD recency runs from the FIRST to the LAST purchase."),
            variants=lambda: _rfm_recency(weeks=True),
            more=N_("The end of the data plays no part in recency; it does in T."),
        ),
        Mistake(
            "days_not_weeks",
            N_("Right quantity, wrong unit: these are days. The model works in weeks (7 days)."),
            answer=lambda: (_first_last()["last"] - _first_last()["first"]).dt.days.astype("float64"),
            more=N_("Recency and T must be in the unit the model is fitted in; here that is weeks."),
        ),
        Mistake(
            "time_of_day",
            N_("Almost: you kept the time of day, so a purchase at 23:00 and one at 09:00 differ by a fraction. "
            "The summary uses calendar days."),
            answer=lambda: (_first_last()["last_time"] - _first_last()["first_time"]).dt.total_seconds() / (7 * 86400),
            more=N_("Turn each order time into its calendar day (midnight) before you subtract."),
        ),
        Mistake(
            "whole_weeks",
            N_("You counted whole weeks only (rounded down): 10 days are 1.43 weeks, not 1. Keep the fraction."),
            answer=lambda: ((_first_last()["last"] - _first_last()["first"]).dt.days // 7).astype("float64"),
            more=N_("Divide the number of days by 7 without rounding."),
        ),
    ),
    hint=N_("BTYD recency is the customer's age at the last purchase: the time between the first and the last "
    "purchase DAY, in the model's unit (weeks)."),
    more_hint=N_("Work with calendar days (no time of day), take each customer's first and last purchase day, and "
    "turn the days between them into weeks."),
    near_misses=lambda: [
        _recency() + 1 / 7,                     # the days between counted inclusively (+1 day)
        _weeks(_first_last()["last"] - _first_last()["first"]).round(1),
        ((_first_last()["last"] - _first_last()["first"]).dt.days // 7).astype("float64"),
        _bumped(_recency(), 1 / 7, int(_recency().to_numpy().argmax())),
    ],
)


def _t_from(end: pd.Timestamp, column: str = "first", unit_days: float = 7.0) -> pd.Series:
    return (end - _first_last()[column]).dt.days / unit_days


def _T() -> pd.Series:
    return retailer_summary()["T"]


t_exercise = Exercise(
    id="clv.btyd_T",
    prompt=N_("BTYD T per retailer customer, in weeks (to 2 decimals): the time from the first purchase day to the "
    "end of the data (2025-12-31)."),
    expected=_T,
    compare=_two_decimal_weeks,
    mistakes=(
        Mistake(
            "days_not_weeks",
            N_("Right quantity, wrong unit: these are days. recency and T must be in the model's unit, weeks. "
            "(T in days and recency in weeks would silently give a wrong fit.)"),
            answer=lambda: _t_from(pd.Timestamp(RETAILER_END), unit_days=1.0),
            more=N_("One week is 7 days."),
        ),
        Mistake(
            "from_last_purchase",
            N_("You measured from the LAST purchase (that is RFM recency). T is the customer's age: from the "
            "FIRST purchase day to the end of the period."),
            answer=lambda: _t_from(pd.Timestamp(RETAILER_END), column="last"),
            more=N_("Two customers who first bought on the same day have the same T, whatever they did since."),
        ),
        Mistake(
            "end_plus_one_day",
            N_("Off by one day: the period ends ON 2025-12-31 (inclusive), so T runs to that day, not to the "
            "snapshot 2026-01-01."),
            answer=lambda: _t_from(pd.Timestamp(RETAILER_END) + pd.Timedelta(days=1)),
            more=N_("Use the last day of the data itself as the end, as in the prompt."),
        ),
        Mistake(
            "time_of_day",
            N_("Almost: you kept the time of day of the first order, so T has a fraction of a day in it. The "
            "summary counts calendar days."),
            answer=lambda: (pd.Timestamp(RETAILER_END) - _first_last()["first_time"]).dt.total_seconds() / (7 * 86400),
            more=N_("Turn the first order time into its calendar day (midnight) before you subtract."),
        ),
    ),
    hint=N_("T is the customer's age at the end of the data: the time from the first purchase DAY to the last day "
    "of the data, in weeks."),
    more_hint=N_("The end is the last day of the data itself (inclusive), and both dates are calendar days."),
    near_misses=lambda: [
        _t_from(pd.Timestamp(RETAILER_END) - pd.Timedelta(days=1)),   # one day short
        _t_from(pd.Timestamp(RETAILER_END)).round(1),
        ((pd.Timestamp(RETAILER_END) - _first_last()["first"]).dt.days // 7).astype("float64"),
        (pd.Timestamp(RETAILER_END) - _first_last()["first_time"]).dt.total_seconds() / (7 * 86400),
    ],
)


# --- 7. P(alive) ----------------------------------------------------------------------------------
def _p_alive(scale: float = 1.0, T_shift: float = 0.0) -> pd.Series:
    s = cdnow_summary()
    return _per_customer(cdnow_model().p_alive(s["frequency"], s["recency"] * scale, (s["T"] + T_shift) * scale),
                         s.index)


@cache
def _cdnow_full_summary() -> pd.DataFrame:
    cdnow = load_cdnow(sample=True)
    return summarize_purchases(cdnow, "customer_id", "order_date", "amount", observation_end=CDNOW_END,
                               unit="W", returns="net")


p_alive = Exercise(
    id="clv.p_alive",
    prompt=N_("P(alive) of every CDNOW customer at the end of the calibration period (1997-09-30), from the fitted "
    "model (to 3 decimals)."),
    expected=lambda: _p_alive(),
    compare=_probabilities,
    mistakes=(
        Mistake(
            "p_dead",
            N_("You gave the probability that the customer has DROPPED OUT. P(alive) is the complement."),
            answer=lambda: 1.0 - _p_alive(),
            more=N_("A customer who bought often and recently should have a P(alive) close to 1."),
        ),
        Mistake(
            "days_not_weeks",
            N_("Your recency and T are in days but the model was fitted in weeks (its alpha is in weeks). Use "
            "the summary in weeks."),
            answer=lambda: _p_alive(scale=7.0),
            more=N_("The inputs of p_alive must be in the unit the model was fitted in: the columns of `cal`."),
        ),
        Mistake(
            "whole_period",
            N_("You used the summary of the WHOLE period (to 1998-06-30). The model and the question are about "
            "the end of the calibration period: use the calibration columns of `cal`."),
            answer=lambda: _per_customer(cdnow_model().p_alive(
                _cdnow_full_summary()["frequency"], _cdnow_full_summary()["recency"], _cdnow_full_summary()["T"]),
                _cdnow_full_summary().index),
            more=N_("`cal` already holds frequency, recency and T at the end of calibration; the holdout columns "
            "are for checking the forecast later."),
        ),
    ),
    hint=N_("The fitted model computes P(alive) from each customer's calibration summary: frequency, recency and "
    "T, in weeks. Give one value per customer_id."),
    more_hint=N_("Pass the three calibration columns of `cal` to the model's P(alive) method and keep the customer "
    "ids of `cal` as the index."),
    near_misses=lambda: [
        _p_alive(T_shift=1 / 7),          # calibration end one day late (1997-10-01)
        _p_alive().round(2),
        _bumped(_p_alive(), -0.01, int(_p_alive().to_numpy().argmax())),
    ],
)


# --- 8. expected purchases in the holdout ----------------------------------------------------------
def _expected_total(t: float, rows: pd.Series | None = None) -> float:
    s = cdnow_summary()
    each = pd.Series(cdnow_model().expected_purchases(t, s["frequency"], s["recency"], s["T"]), index=s.index)
    return float(each.sum() if rows is None else each[rows].sum())


def _holdout_total() -> float:
    return _expected_total(HOLDOUT_WEEKS)


expected_purchases = Exercise(
    id="clv.expected_purchases",
    prompt=N_("The total number of repeat purchases the model expects from the CDNOW customers in the 39-week "
    "holdout (to 1 decimal)."),
    expected=_holdout_total,
    compare=_one_decimal,
    mistakes=(
        Mistake(
            "horizon_in_months",
            N_("Your horizon is in months (9), but the model's unit is weeks: the holdout is 39 weeks long."),
            answer=lambda: _expected_total(9.0),
            more=N_("t is measured in the unit of recency and T: weeks."),
        ),
        Mistake(
            "horizon_in_days",
            N_("Your horizon is in days (273), but the model's unit is weeks."),
            answer=lambda: _expected_total(273.0),
            more=N_("t is measured in the unit of recency and T: weeks."),
        ),
        Mistake(
            "one_year",
            N_("That is a 52-week horizon. The holdout runs from 1997-10-01 to 1998-06-30: 39 weeks."),
            answer=lambda: _expected_total(52.0),
            more=N_("Count the days from 1997-10-01 to 1998-06-30 and divide by 7."),
        ),
        Mistake(
            "mean_not_total",
            N_("That is the expected number per customer; the task asks for the total over all customers."),
            answer=lambda: _holdout_total() / len(cdnow_summary()),
            more=N_("The model gives one expected number per customer: add them up."),
        ),
        Mistake(
            "actual_holdout",
            N_("That is the number actually observed in the holdout. The task asks for the model's forecast "
            "(compare the two afterwards)."),
            answer=lambda: float(cdnow_summary()["frequency_holdout"].sum()),
            more=N_("The forecast comes from the model and the calibration columns; the holdout column is what "
            "really happened."),
        ),
        Mistake(
            "repeat_buyers_only",
            N_("You left out the customers without a repeat purchase in calibration. They may still buy in the "
            "holdout, and the model expects some purchases from them too."),
            answer=lambda: _expected_total(HOLDOUT_WEEKS, cdnow_summary()["frequency"] > 0),
            more=N_("Sum over every customer of `cal`, one-time buyers included."),
        ),
    ),
    hint=N_("The fitted model forecasts each customer's purchases over a horizon given in its own unit (weeks), "
    "from the calibration summary; the task asks for the total over all customers."),
    more_hint=N_("Check the horizon first: how many weeks lie between 1997-10-01 and 1998-06-30? Then add up the "
    "per-customer forecasts of every customer of `cal`."),
    near_misses=lambda: [
        _expected_total(HOLDOUT_WEEKS - 1),        # 38 weeks
        _expected_total(HOLDOUT_WEEKS + 1),        # 40 weeks
        _expected_total(272 / 7),                  # one day short
        _expected_total(274 / 7),                  # both end days counted
        _expected_total(HOLDOUT_WEEKS, cdnow_summary()["frequency"] > 0),
        *rounded(_holdout_total(), (0,)),
    ],
)


# --- 9. the most one may pay to acquire a customer -------------------------------------------------
@cache  # each mistake of the acquisition exercise asks for a variant; the CLV call is the slow part
def _new_customer_clv(margin: float = MARGIN_RATE, annual_discount: float = ACQUISITION_DISCOUNT_PER_YEAR,
                      months: int = ACQUISITION_HORIZON_MONTHS, monthly_discount: float | None = None) -> float:
    """Discounted expected margin of a brand-new customer's REPEAT purchases (x = t_x = T = 0)."""
    bgf, ggf = retailer_models()
    rate = monthly_rate(annual_discount) if monthly_discount is None else monthly_discount
    value = customer_lifetime_value(bgf, ggf, [0], [0.0], [0.0], [0.0], horizon=months,
                                    discount_rate=rate, unit="W", period="M", margin=margin)
    return float(np.asarray(value, dtype=float).ravel()[0])


@cache
def _first_orders() -> pd.Series:
    orders = _orders()
    return orders.sort_values(["customer_id", "order_date"]).groupby("customer_id")["amount"].first()


def _first_order_margin(margin: float = MARGIN_RATE) -> float:
    return margin * float(_first_orders().mean())


def max_acquisition_cost() -> float:
    """Break-even acquisition cost: margin of the first order + discounted CLV of the repeat purchases."""
    return _first_order_margin() + _new_customer_clv()


@cache
def _existing_customers_mean_clv() -> float:
    bgf, ggf = retailer_models()
    s = retailer_summary()
    value = customer_lifetime_value(bgf, ggf, s["frequency"], s["recency"], s["T"], s["monetary_value"],
                                    horizon=ACQUISITION_HORIZON_MONTHS,
                                    discount_rate=monthly_rate(ACQUISITION_DISCOUNT_PER_YEAR),
                                    unit="W", period="M", margin=MARGIN_RATE)
    return float(np.mean(np.asarray(value, dtype=float)))


def _first_day_margin() -> float:
    """30 % of the mean first purchase DAY (all orders of the first day summed)."""
    days = _days().assign(amount=_orders()["amount"].to_numpy())
    per_day = days.groupby(["customer_id", "day"])["amount"].sum()
    return MARGIN_RATE * float(per_day.groupby(level="customer_id").first().mean())


acquisition = Exercise(
    id="clv.max_acquisition_cost",
    prompt=N_("The most the retailer may pay to acquire a new customer (CNY, to the yuan): margin of the first order "
    "plus the discounted CLV of the repeat purchases of a brand-new customer over 36 months."),
    expected=max_acquisition_cost,
    compare=_yuan,
    mistakes=(
        Mistake(
            "revenue_not_margin",
            N_("You valued REVENUE. Acquisition is paid out of profit: value spend at the 30 % margin, for the "
            "first order too."),
            answer=lambda: _first_order_margin(1.0) + _new_customer_clv(margin=1.0),
            more=N_("Both parts of the answer are margins: the first order's and the repeat purchases'."),
        ),
        Mistake(
            "first_order_left_out",
            N_("You left out the first order: it is part of what the new customer brings (and it is certain). "
            "Add its expected margin."),
            answer=_new_customer_clv,
            more=N_("The first order's expected margin is 30 % of what an average new customer spends on their "
            "first order."),
        ),
        Mistake(
            "undiscounted",
            N_("You did not discount: money in three years is worth less than the acquisition cost paid "
            "today. Use the monthly rate from 10 % a year."),
            answer=lambda: _first_order_margin() + _new_customer_clv(annual_discount=0.0),
            more=N_("The CLV function takes a discount rate per period; the period here is a month."),
        ),
        Mistake(
            "existing_customers",
            N_("You averaged the CLV of the EXISTING customers; many of them are proven repeat buyers. A new "
            "customer has no history yet: frequency = recency = T = 0."),
            variants=lambda: [_first_order_margin() + _existing_customers_mean_clv(), _existing_customers_mean_clv()],
            more=N_("Value one customer who has just arrived: no repeat purchase, no age, no repeat spend yet."),
        ),
        Mistake(
            "discount_divided_by_12",
            N_("Close: dividing the annual rate by 12 ignores compounding, so your monthly rate is a little "
            "too high and the value a little too low."),
            answer=lambda: _first_order_margin() + _new_customer_clv(monthly_discount=ACQUISITION_DISCOUNT_PER_YEAR / 12),
            more=N_("Use the monthly rate that compounds to 10 % a year (as `d_month` in the workbook)."),
        ),
    ),
    hint=N_("Add two parts: the expected margin of the first order (from the mean first-order amount) and the "
    "discounted CLV of the repeat purchases of a customer with no history yet, over 36 months."),
    more_hint=N_("A brand-new customer has frequency, recency, T and repeat spend all 0; the CLV function needs the "
    "monthly discount rate and the margin rate."),
    near_misses=lambda: [
        _first_order_margin() + _new_customer_clv(months=ACQUISITION_HORIZON_MONTHS - 1),
        _first_order_margin() + _new_customer_clv(months=ACQUISITION_HORIZON_MONTHS + 1),
        _first_order_margin() + _new_customer_clv(monthly_discount=ACQUISITION_DISCOUNT_PER_YEAR / 12),
        _first_day_margin() + _new_customer_clv(),
        MARGIN_RATE * float(_first_orders().median()) + _new_customer_clv(),
        MARGIN_RATE * float(_orders()["amount"].mean()) + _new_customer_clv(),
        round(max_acquisition_cost(), -1),
    ],
)


# --- 10-12. interpretation and decisions ------------------------------------------------------------
def _levers() -> dict[str, float]:
    """CLV of exercise 1 after each lever of the best-lever question."""
    return {
        "A": _simple(retention=RETENTION_PER_MONTH + 0.01),
        "B": _simple(margin=MARGIN_PER_MONTH * 1.10),
        "C": _simple(discount=monthly_rate(DISCOUNT_PER_YEAR - 0.02)),
    }


#: The options of the best-lever question (the workbook prints them).
LEVER_OPTIONS = Options({
    "A": later(N_("Raise the monthly retention by one point ({before:.2f} -> {after:.2f})."),
               before=RETENTION_PER_MONTH, after=RETENTION_PER_MONTH + 0.01),
    "B": later(N_("Raise the monthly margin by 10 % ({before:.0f} -> {after:.0f} CNY)."),
               before=MARGIN_PER_MONTH, after=MARGIN_PER_MONTH * 1.1),
    "C": later(N_("Lower finance's discount rate by two points ({before:.0%} -> {after:.0%} a year)."),
               before=DISCOUNT_PER_YEAR, after=DISCOUNT_PER_YEAR - 0.02),
})


def _best_lever() -> frozenset[str]:
    values = _levers()
    return frozenset({max(values, key=values.__getitem__)})


best_lever = Exercise(
    id="clv.best_lever",
    prompt=N_("Which of the three levers raises the simple CLV of exercise 1 the most? One letter."),
    expected=_best_lever,
    compare=compare_choice,
    kind="interpret",
    form=Choice(LEVER_OPTIONS),
    mistakes=(
        Mistake(
            "margin_is_linear",
            N_("A 10 % higher margin gives exactly 10 % more CLV: the margin only scales the formula. Retention "
            "sits in the denominator too, where 1 + d - r is small."),
            answer=lambda: frozenset("B"),
            more=N_("Work out the denominator 1 + d - r before and after one more point of retention: by what share "
            "does it shrink?"),
        ),
        Mistake(
            "discount_rate_lever",
            N_("The discount rate is finance's, not marketing's lever, and two points a year are less than 0.2 "
            "points a month: it barely moves the denominator."),
            answer=lambda: frozenset("C"),
            more=N_("Compare the monthly discount rates at 12 % and 10 % a year with the one point of retention."),
        ),
    ),
    hint=N_("Recompute the CLV of exercise 1 for each option and compare, or reason with the formula: which input "
    "changes its small denominator the most?"),
    more_hint=N_("Compute the CLV of exercise 1 three times, each time changing only the one input an option "
    "changes, and compare the three results."),
    near_misses=lambda: other_letters("".join(LEVER_OPTIONS), _best_lever()),
)


#: The options of the holdout question (the workbook prints them).
HOLDOUT_OPTIONS = Options({
    "A": N_("The forecast is within 5 % of the purchases that really happened: the model can be used for planning "
            "totals as it is."),
    "B": N_("The model forecasts more than 5 % FEWER purchases than happened: plans based on it would be too "
            "cautious (stock, staff, budgets); find out what changed in the holdout before relying on it."),
    "C": N_("The model forecasts more than 5 % MORE purchases than happened: plans based on it would be too "
            "optimistic."),
    "D": N_("The comparison says nothing: the model was fitted by maximum likelihood, so it is right by "
            "construction."),
})


def _holdout_gap() -> float:
    """(forecast - actual) / actual for the CDNOW holdout."""
    actual = float(cdnow_summary()["frequency_holdout"].sum())
    return (_holdout_total() - actual) / actual


def _holdout_verdict() -> frozenset[str]:
    gap = _holdout_gap()
    return frozenset("A" if abs(gap) <= 0.05 else "B" if gap < 0 else "C")


holdout_verdict = Exercise(
    id="clv.holdout_verdict",
    prompt=N_("Compare the model's holdout forecast (the expected-purchases exercise) with the repeat purchases that really happened. "
    "What does the comparison say? One letter."),
    expected=_holdout_verdict,
    compare=compare_choice,
    kind="interpret",
    form=Choice(HOLDOUT_OPTIONS),
    mistakes=(
        Mistake(
            "fit_is_proof",
            N_("A good fit on the calibration data is no proof of a good forecast: that is why a holdout period "
            "is kept aside. The model never saw those purchases."),
            answer=lambda: frozenset("D"),
            more=N_("The holdout is the only part of the data the model could not adjust itself to."),
        ),
        Mistake(
            "direction_swapped",
            N_("Look at the direction: is the forecast above or below the number that really happened?"),
            variants=lambda: [frozenset(letter) for letter in "BC" if letter not in _holdout_verdict()],
            more=N_("Print both numbers side by side: the model's holdout forecast and the sum of the holdout column."),
        ),
        Mistake(
            "gap_not_measured",
            N_("Measure the gap before you call it small: how far is the forecast from the actual number, as a "
            "share of the actual number?"),
            variants=lambda: [frozenset("A")] if "A" not in _holdout_verdict() else [],
            more=N_("A gap of 5 % of the actual purchases is the line the options draw."),
        ),
    ),
    hint=N_("The cell after the expected-purchases exercise prints both numbers: the model's forecast and the holdout purchases that "
    "really happened. Compare them as a share of the actual number."),
    more_hint=N_("Divide the difference (forecast minus actual) by the actual number: is it within 5 %, and if not, "
    "in which direction?"),
    near_misses=lambda: other_letters("".join(HOLDOUT_OPTIONS), _holdout_verdict()),
)


#: The statements of the acquisition decision (the workbook prints them).
ACQUISITION_STATEMENTS = Options({
    "A": later(N_("Paying {cost:.0f} CNY per new customer is below the break-even acquisition cost you computed (the "
                  "acquisition-cost exercise)."), cost=LIVESTREAM_COST_PER_CUSTOMER),
    "B": N_("At exactly the break-even cost, acquiring a customer neither creates nor destroys value (in expectation, "
            "discounted)."),
    "C": N_("The break-even cost assumes the new customers behave like the retailer's past new customers; livestream "
            "buyers may buy less often, so track their first months before scaling up."),
    "D": N_("Because the offer is below the break-even cost, every marketing channel may spend up to that cost per "
            "customer without further checks."),
    "E": N_("The break-even cost you computed is a revenue figure: the 30 % margin still has to be taken off."),
})


def _acquisition_truth() -> frozenset[str]:
    truth = {"B", "C"}
    if LIVESTREAM_COST_PER_CUSTOMER < max_acquisition_cost():
        truth.add("A")
    return frozenset(truth)


acquisition_decision = Exercise(
    id="clv.acquisition_decision",
    prompt=later(N_("Marketing wants to pay {cost:.0f} CNY per new customer for livestream ads. Which statements are "
                    "right? Give all letters that apply."), cost=LIVESTREAM_COST_PER_CUSTOMER),
    expected=_acquisition_truth,
    compare=compare_choice_set,
    kind="interpret",
    form=MultiChoice(ACQUISITION_STATEMENTS),
    mistakes=(
        Mistake(
            "average_for_every_channel",
            N_("The break-even cost is for an AVERAGE new customer of the past. A channel that brings customers "
            "who buy less (bargain hunters, one-off gift buyers) has a lower break-even cost: check per channel."),
            variants=statement_variants("D", ACQUISITION_STATEMENTS, _acquisition_truth),
            more=N_("Ask whose behaviour the model learned from, and whether livestream buyers are like them."),
        ),
        Mistake(
            "margin_taken_twice",
            N_("The break-even cost already values MARGIN (30 % of spend, for the first order and the repeat purchases): "
            "taking the margin off again would count it twice."),
            variants=statement_variants("E", ACQUISITION_STATEMENTS, _acquisition_truth),
            more=N_("Look at the margin argument of the CLV call in the acquisition-cost exercise."),
        ),
        Mistake(
            "offer_vs_break_even",
            N_("Compare the two numbers directly: the proposed cost per customer and the break-even cost you computed."),
            variants=statement_variants("A", ACQUISITION_STATEMENTS, _acquisition_truth),
            more=N_("Statement A is a plain comparison of two numbers you already have."),
        ),
        Mistake(
            "break_even_meaning",
            N_("Break-even means the discounted expected margin equals the cost: at that price each customer pays "
            "back exactly what it cost, no more."),
            variants=statement_variants("B", ACQUISITION_STATEMENTS, _acquisition_truth),
            more=N_("What is the net value of a customer acquired at exactly the break-even cost?"),
        ),
        Mistake(
            "model_assumption_missed",
            N_("The model learned from the retailer's past customers; a new channel can bring different ones. "
            "Tracking the first months of the new customers is how you find out."),
            variants=statement_variants("C", ACQUISITION_STATEMENTS, _acquisition_truth),
            more=N_("Which data was the BG/NBD and Gamma-Gamma fit on, and does it contain livestream customers?"),
        ),
    ),
    hint=N_("Judge each statement on its own: compare the offer with the break-even cost you computed, and ask what the "
    "break-even cost assumes about the customers it values."),
    more_hint=N_("Two statements are about the numbers (the offer against the break-even cost; margin or revenue), "
    "three about what the break-even cost means and assumes."),
    near_misses=lambda: one_off("".join(ACQUISITION_STATEMENTS), _acquisition_truth()),
)

EXERCISES: tuple[Exercise, ...] = (
    simple,
    horizon,
    best_lever,
    cohort,
    frequency,
    recency,
    t_exercise,
    p_alive,
    expected_purchases,
    holdout_verdict,
    acquisition,
    acquisition_decision,
)
