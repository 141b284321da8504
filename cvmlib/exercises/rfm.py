"""The checked exercises of the RFM workbook (``notebooks/rfm.ipynb``).

Every expected answer is computed from the shipped retailer orders with the snapshot date of the
workbook, :data:`SNAPSHOT`; every mistake computes the answer a participant with that
misconception would produce, so a hint is given only when the answer really is that mistake.
Every exercise also computes its *near misses*: the smallest wrong answers a participant could
plausibly give (one day off, one customer or one order missing, one choice wrong). Each
comparison is set to the precision the workbook asks for, so none of them is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.datasets import load_orders
from cvmlib.feedback import (
    Exercise,
    Mistake,
    chosen_option,
    compare_choice,
    compare_choice_set,
    compare_scalar,
    compare_series,
)
from cvmlib.exercises.wrong_answers import (
    Options,
    compare_named_mapping,
    labelled,
    later,
    named_keys,
    rounded,
    single_deviations,
    statement_variants,
)
from cvmlib.forms import Choice, MultiChoice
from cvmlib.forms import Mapping as MappingForm
from cvmlib.i18n import N_, format_list
from cvmlib.rfm import rfm_scores, rfm_segments, rfm_table, segment_summary

#: The snapshot date of the workbook: the analysis is run on Monday 5 January 2026, a few days
#: after the data end (2025-12-31), so forgetting the snapshot date gives a visibly different answer.
SNAPSHOT = pd.Timestamp("2026-01-05")
#: The window of the frequency exercise: calendar year 2025, end exclusive.
WINDOW = (pd.Timestamp("2025-01-01"), pd.Timestamp("2026-01-01"))
#: Business rule of the recency-score exercise: "bought within 30 days" -> R = 5, ... (edges inclusive).
RECENCY_RULE_DAYS = (30, 90, 180, 365)
#: The two segments of the revenue-at-risk exercise.
AT_RISK = ("At risk", "Cannot lose them")

# Precision of each exercise, as its prompt states it.
#: Days, counts and scores are whole numbers: exact (an int or a float holding it).
_exact = partial(compare_series, rtol=0.0, atol=1e-9)
#: Money "to the nearest yuan": half a yuan, plus float slack for a sum that sits exactly on .5 and is
#: added up in another order. The smallest order in the data (2.59 CNY) is far above it.
_HALF_YUAN = 0.5 + 1e-6
_money_series = partial(compare_series, rtol=0.0, atol=_HALF_YUAN)
_money_total = partial(compare_scalar, rtol=0.0, atol=_HALF_YUAN)
#: A share of revenue "with at least 7 decimals": the smallest customer is 7.6e-7 of all revenue,
#: so a share missing them (even only in the total) is more than 6e-8 away; 7 decimals are 5e-8.
_revenue_share = partial(compare_scalar, rtol=0.0, atol=6e-8)


@cache
def _orders() -> pd.DataFrame:
    return load_orders()


@cache
def _rfm() -> pd.DataFrame:
    return rfm_table(_orders(), SNAPSHOT)


@cache
def _segments() -> pd.Series:
    return rfm_segments(rfm_scores(_rfm()))


@cache
def _summary() -> pd.DataFrame:
    return segment_summary(_rfm(), _segments())


def _per_customer(values: pd.Series) -> pd.Series:
    return values.rename_axis("customer_id")


def _days_between(later: pd.Timestamp | pd.Series, earlier: pd.Series) -> pd.Series:
    """Calendar days between two dates (time of day ignored)."""
    if isinstance(later, pd.Timestamp):
        later = later.normalize()
    else:
        later = later.dt.normalize()
    return (later - earlier.dt.normalize()).dt.days


def _by_customer() -> Any:
    return _orders().groupby("customer_id", observed=True)


def _bumped(values: pd.Series, by: float, position: int = 0) -> pd.Series:
    """``values`` with the one value at ``position`` changed by ``by``: one customer wrong."""
    out = values.astype(float).copy()
    out.iloc[position] += by
    return out


# --- 1. recency -------------------------------------------------------------------------------
def _recency() -> pd.Series:
    return _rfm()["recency"]


recency = Exercise(
    id="rfm.recency",
    prompt=N_("Recency per customer: calendar days from the last purchase to the snapshot date 2026-01-05 (whole days)."),
    expected=_recency,
    compare=_exact,
    mistakes=(
        Mistake(
            "recency_from_first_purchase",
            N_("You measured from the customer's FIRST purchase. Recency looks at the most recent one."),
            answer=lambda: _per_customer(_days_between(SNAPSHOT, _by_customer()["order_date"].min())),
            more=N_("Of all the order dates of one customer, recency uses only the latest."),
        ),
        Mistake(
            "snapshot_forgotten",
            N_("Your days are counted to the last date in the data, not to the snapshot date given in "
               "the task. Always count to the explicit snapshot date (2026-01-05)."),
            answer=lambda: _per_customer(
                _days_between(_orders()["order_date"].max(), _by_customer()["order_date"].max())
            ),
            more=N_("The snapshot date is SNAPSHOT at the top of the workbook; the data end a few days earlier."),
        ),
        Mistake(
            "snapshot_defaulted",
            N_("Your days are counted to the day after the last purchase in the data (the default "
               "when no snapshot date is given), not to the snapshot date of the task (2026-01-05)."),
            answer=lambda: _per_customer(
                _days_between(
                    _orders()["order_date"].max().normalize() + pd.Timedelta(days=1),
                    _by_customer()["order_date"].max(),
                )
            ),
            more=N_("The snapshot date is SNAPSHOT at the top of the workbook; use it, not a date derived from the data."),
        ),
        Mistake(
            "time_of_day_kept",
            N_("Close: you subtracted full timestamps, so whole days drop part-days and a purchase at "
               "18:00 yesterday counts as 0 days. Count calendar days: compare the dates at midnight "
               "(see the tip in the prompt)."),
            answer=lambda: _per_customer((SNAPSHOT - _by_customer()["order_date"].max()).dt.days),
            more=N_("Both the last purchase and the snapshot must be dates without a time of day before you subtract."),
        ),
        Mistake(
            "fractional_days",
            N_("Your days have fractions: the time of day is still in them. Recency is a whole number "
               "of calendar days."),
            answer=lambda: _per_customer(
                (SNAPSHOT - _by_customer()["order_date"].max()).dt.total_seconds() / 86400
            ),
            more=N_("Turn both dates into dates at midnight first; then the difference is a whole number of days."),
        ),
    ),
    hint=N_("Recency counts whole calendar days from each customer's most recent purchase to the snapshot date."),
    more_hint=N_("Per customer: find the date of the latest order, then count the calendar days from that date "
    "to the snapshot date (a purchase on the snapshot day would be 0)."),
    near_misses=lambda: [
        _recency() + 1,  # both end days counted
        _recency() - 1,
        _bumped(_recency(), 1),  # one customer one day off
        _recency().iloc[1:],  # one customer missing
        _per_customer((SNAPSHOT - _by_customer()["order_date"].max()).dt.total_seconds() / 86400),
    ],
)


# --- 2. frequency in a window -----------------------------------------------------------------
def _in_window(end_inclusive_midnight: bool = False) -> pd.DataFrame:
    orders = _orders()
    start, end = WINDOW
    if end_inclusive_midnight:  # "<= 2025-12-31" keeps 31 December only up to 00:00
        return orders[(orders["order_date"] >= start) & (orders["order_date"] <= end - pd.Timedelta(days=1))]
    return orders[(orders["order_date"] >= start) & (orders["order_date"] < end)]


def _frequency(end_inclusive_midnight: bool = False) -> pd.Series:
    window = _in_window(end_inclusive_midnight)
    return _per_customer(window.groupby("customer_id", observed=True)["order_id"].nunique())


frequency = Exercise(
    id="rfm.frequency_2025",
    prompt=N_("Frequency in calendar year 2025: distinct orders per customer who bought in 2025."),
    expected=_frequency,
    compare=_exact,
    mistakes=(
        Mistake(
            "whole_history",
            N_("You counted orders over the whole history. The task asks for the 2025 window only."),
            answer=lambda: _per_customer(_by_customer()["order_id"].nunique()),
            more=N_("Keep only the orders placed in 2025 before you count."),
        ),
        Mistake(
            "counted_categories",
            N_("You counted distinct product categories, not distinct orders (order_id)."),
            answer=lambda: _per_customer(
                _in_window().groupby("customer_id", observed=True)["category"].nunique()
            ),
            more=N_("One order is one order_id; count how many different ones each customer has."),
        ),
        Mistake(
            "window_ends_at_midnight",
            N_("Almost: your window stops at midnight at the START of 31 December, so the orders placed "
               "during the last day of the year are left out (order_date has a time of day)."),
            answer=lambda: _frequency(end_inclusive_midnight=True),
            more=N_("Compare with the first moment AFTER the window (1 January 2026, excluded) instead of the last day."),
        ),
    ),
    hint=N_("Frequency counts the distinct orders of each customer, and only the orders inside the window of the task."),
    more_hint=N_("The window runs from the first moment of 1 January 2025 up to, but not including, 1 January "
    "2026; a customer with no order in it has no row."),
    near_misses=lambda: [
        _bumped(_frequency(), 1),  # one customer one order off
        _frequency(end_inclusive_midnight=True),
        _frequency().iloc[1:],  # one customer missing
        _per_customer(_frequency().reindex(_rfm().index, fill_value=0)),  # non-buyers given 0
    ],
)


# --- 3. monetary ------------------------------------------------------------------------------
def _monetary() -> pd.Series:
    return _rfm()["monetary"]


def _without_smallest_order() -> pd.Series:
    """Monetary with the smallest single order of the data left out (its customer is short)."""
    orders = _orders()
    return _per_customer(orders.drop(index=orders["amount"].idxmin()).groupby("customer_id")["amount"].sum())


monetary = Exercise(
    id="rfm.monetary",
    prompt=N_("Monetary per customer: total spend (CNY) over the whole history, to the nearest yuan."),
    expected=_monetary,
    compare=_money_series,
    mistakes=(
        Mistake(
            "mean_instead_of_total",
            N_("You computed the mean order value. RFM's monetary is the TOTAL spend per customer."),
            answer=lambda: _per_customer(_by_customer()["amount"].mean()),
            more=N_("Add up every order amount of a customer instead of averaging them."),
        ),
        Mistake(
            "max_instead_of_total",
            N_("You took the largest single order. Monetary is the total spend per customer."),
            answer=lambda: _per_customer(_by_customer()["amount"].max()),
            more=N_("Every order counts, not just the biggest: add them all up."),
        ),
        Mistake(
            "counted_orders",
            N_("You counted orders (that is frequency). Monetary adds up the amounts."),
            answer=lambda: _per_customer(_by_customer()["amount"].count()),
            more=N_("Use the amount column, and add its values per customer."),
        ),
        Mistake(
            "one_year_only",
            N_("You added up 2025 only. The task asks for the whole history (2024 and 2025)."),
            answer=lambda: _per_customer(_in_window().groupby("customer_id", observed=True)["amount"].sum()),
            more=N_("Do not filter the orders by date for monetary: every order counts."),
        ),
    ),
    hint=N_("Monetary is what each customer spent in total over the whole history (the amount column)."),
    more_hint=N_("One number per customer: all of their order amounts added together, every year included."),
    near_misses=lambda: [
        _without_smallest_order(),
        _bumped(_monetary(), -_orders()["amount"].min()),  # one customer short by the smallest order
        _monetary().iloc[1:],
        _monetary().round(-1),  # rounded to tens of yuan
    ],
)


# --- 4. recency score from a business rule ----------------------------------------------------
def _recency_rule_score(recency_days: pd.Series, inclusive: bool | Iterable[int] = True) -> pd.Series:
    """The rule's score; ``inclusive`` True/False for all edges, or the edges that are inclusive."""
    edges = np.asarray(RECENCY_RULE_DAYS)
    days = recency_days.to_numpy()
    closed = set(RECENCY_RULE_DAYS) if inclusive is True else set() if inclusive is False else set(inclusive)
    # an inclusive edge counts as passed only by a larger value, an exclusive one also by the edge itself
    passed = sum(np.where(edge in closed, days > edge, days >= edge) for edge in edges)
    return pd.Series(5 - passed, index=recency_days.index, name="R")


def _rule_score() -> pd.Series:
    return _recency_rule_score(_recency())


recency_score = Exercise(
    id="rfm.recency_score_rule",
    prompt=N_("R score from the business rule: within 30 days -> 5, 90 -> 4, 180 -> 3, 365 -> 2, older -> 1."),
    expected=_rule_score,
    compare=_exact,
    mistakes=(
        Mistake(
            "score_not_reversed",
            N_("Your scores run the wrong way: the MOST recent buyers (small recency) must get 5."),
            answer=lambda: 6 - _rule_score(),
            more=N_("A recency of a few days is the best case: it gets the highest score."),
        ),
        Mistake(
            "edges_exclusive",
            N_("Almost: 'within 30 days' includes a recency of exactly 30. Check the customers who sit "
               "exactly on 30, 90, 180 and 365 days."),
            variants=lambda: [
                _recency_rule_score(_recency(), inclusive=False),
                *(_recency_rule_score(_recency(), inclusive=set(RECENCY_RULE_DAYS) - {edge})
                  for edge in RECENCY_RULE_DAYS),
            ],
            more=N_("Each edge belongs to the band below it: 30 days still scores 5, 31 days scores 4."),
        ),
        Mistake(
            "quantile_scores",
            N_("These are the quantile R scores (relative to this customer base). The task asks for the "
               "fixed business rule with its day edges."),
            answer=lambda: rfm_scores(_rfm())["R"],
            more=N_("Ignore rfm_scores here: derive the score from the recency in days and the rule's edges."),
        ),
    ),
    hint=N_("Each recency falls into one band of the rule; the band decides the score, and the most recent buyers get 5."),
    more_hint=N_("Check the customers sitting exactly on 30, 90, 180 and 365 days: 'within' includes the edge."),
    near_misses=lambda: [
        _recency_rule_score(_recency(), inclusive=set(RECENCY_RULE_DAYS) - {365}),  # one edge exclusive
        _recency_rule_score(_recency(), inclusive=set(RECENCY_RULE_DAYS) - {30}),
        _bumped(_rule_score(), -1),  # one customer's score wrong
        _rule_score().iloc[1:],
    ],
)


# --- 5. revenue share of the Champions --------------------------------------------------------
def _share_of_revenue(segment_names: tuple[str, ...]) -> float:
    monetary_by_customer = _monetary()
    chosen = _segments().isin(segment_names)
    return float(monetary_by_customer[chosen].sum() / monetary_by_customer.sum())


def _champions_share() -> float:
    return _share_of_revenue(("Champions",))


def _champions_share_without_one(in_total: bool) -> float:
    """The share with the smallest Champion left out of the numerator (or the smallest customer of the total)."""
    monetary_by_customer = _monetary()
    champions = monetary_by_customer[_segments() == "Champions"]
    if in_total:
        return float(champions.sum() / (monetary_by_customer.sum() - monetary_by_customer.min()))
    return float((champions.sum() - champions.min()) / monetary_by_customer.sum())


champions_share = Exercise(
    id="rfm.champions_revenue_share",
    prompt=N_("What fraction of all revenue comes from the Champions segment (between 0 and 1, at least 7 decimals)?"),
    expected=_champions_share,
    compare=_revenue_share,
    mistakes=(
        Mistake(
            "customer_share",
            N_("That is the Champions' share of CUSTOMERS. The task asks for their share of REVENUE."),
            answer=lambda: float((_segments() == "Champions").mean()),
            more=N_("Add up the monetary of the Champions and compare it with the monetary of all customers."),
        ),
        Mistake(
            "percent_not_fraction",
            N_("Right idea, but give a fraction between 0 and 1, not a percentage."),
            answer=lambda: 100 * _champions_share(),
            more=N_("A percentage is the fraction times 100: leave that step out."),
        ),
        Mistake(
            "rounded",
            N_("Right idea, but rounded too much: one small customer is less than 0.000001 of all "
               "revenue, so the task asks for at least 7 decimals. Check the unrounded value."),
            variants=lambda: rounded(_champions_share(), range(1, 7)),
            more=N_("Pass the variable you computed, not a number typed from a rounded display."),
        ),
    ),
    hint=N_("A share of revenue divides the Champions' monetary by the monetary of all customers."),
    more_hint=N_("Two sums: the monetary of the customers whose segment is Champions, and the monetary of "
    "everyone. Keep the full precision."),
    near_misses=lambda: [
        _champions_share_without_one(in_total=False),
        _champions_share_without_one(in_total=True),
        round(_champions_share(), 4),
        _share_of_revenue(("Champions", "Loyal")),
    ],
)


# --- 6. revenue at risk -----------------------------------------------------------------------
def _at_risk_monetary() -> pd.Series:
    return _monetary()[_segments().isin(AT_RISK)]


at_risk_revenue = Exercise(
    id="rfm.at_risk_revenue",
    prompt=N_("Total historic revenue (CNY) of the customers in 'At risk' and 'Cannot lose them' together, "
    "to the nearest yuan."),
    expected=lambda: float(_at_risk_monetary().sum()),
    compare=_money_total,
    mistakes=(
        Mistake(
            "only_at_risk",
            N_("You included only 'At risk'. 'Cannot lose them' are at risk too (and bought the most): "
               "take both segments."),
            answer=lambda: float(_monetary()[_segments() == "At risk"].sum()),
            more=N_("Your selection of customers must accept either of the two segment names."),
        ),
        Mistake(
            "only_cannot_lose",
            N_("You included only 'Cannot lose them'. The 'At risk' customers belong in the total too."),
            answer=lambda: float(_monetary()[_segments() == "Cannot lose them"].sum()),
            more=N_("Your selection of customers must accept either of the two segment names."),
        ),
        Mistake(
            "counted_customers",
            N_("You counted customers. The task asks for their revenue: add up their monetary values."),
            answer=lambda: float(_segments().isin(AT_RISK).sum()),
            more=N_("The answer is in CNY: the monetary column of the selected customers, added up."),
        ),
        Mistake(
            "mean_not_total",
            N_("You gave the mean revenue per customer. The task asks for the total of all these customers."),
            answer=lambda: float(_at_risk_monetary().mean()),
            more=N_("Add up the monetary values of the selected customers instead of averaging them."),
        ),
    ),
    hint=N_("Select the customers of both segments, then add up their monetary values (CNY)."),
    more_hint=N_("Both segment names must be in your selection; the answer is one total in CNY, to the nearest yuan."),
    near_misses=lambda: [
        float(_at_risk_monetary().sum() - _at_risk_monetary().min()),  # smallest customer missing
        float(_at_risk_monetary().sum() - _at_risk_monetary().nsmallest(2).sum()),  # two smallest missing
        float(_at_risk_monetary().sum() - _orders()["amount"].min()),  # one small order short
        float(_at_risk_monetary().sum() + 1.0),
        float(round(_at_risk_monetary().sum(), -2)),  # rounded to hundreds
    ],
)


# --- 7. reading the segment summary -----------------------------------------------------------
#: Statements of the summary-reading question (the workbook prints them); each is true or false
#: for the shipped data, decided by :func:`_true_statements` from the segment summary.
SUMMARY_STATEMENTS = Options({
    "A": N_("An average Champion has spent about twice as much as the average customer."),
    "B": N_("The Champions bring in more than half of all revenue."),
    "C": N_("The Loyal segment brings in more revenue than the Champions, yet a Loyal customer has spent "
            "less than a Champion on average."),
    "D": N_("An average 'Cannot lose them' customer has spent more than an average Champion."),
    "E": N_("'At risk' holds more revenue than 'Cannot lose them', because it has more customers."),
})
_STATEMENT_LETTERS = "".join(SUMMARY_STATEMENTS)


def _true_statements() -> frozenset[str]:
    """The letters of the statements the segment summary supports."""
    s = _summary()
    champions, loyal, cannot_lose, at_risk = (s.loc[name] for name in ("Champions", "Loyal", "Cannot lose them",
                                                                         "At risk"))
    # "about twice": a Champion's mean spend is between 1.5 and 2.5 times the mean of all customers,
    # which is revenue_share / customer_share of the segment
    ratio = champions["revenue_share"] / champions["customer_share"]
    truth = {
        "A": 1.5 <= ratio <= 2.5,
        "B": champions["revenue_share"] > 0.5,
        "C": loyal["revenue"] > champions["revenue"] and loyal["mean_monetary"] < champions["mean_monetary"],
        "D": cannot_lose["mean_monetary"] > champions["mean_monetary"],
        "E": at_risk["revenue"] > cannot_lose["revenue"] and at_risk["customers"] > cannot_lose["customers"],
    }
    return frozenset(letter for letter, holds in truth.items() if holds)


def _statement_mistake(letter: str, hint: str, more: str) -> Mistake:
    return Mistake(f"statement_{letter.lower()}_misjudged", hint, more=more,
                   variants=statement_variants(letter, _STATEMENT_LETTERS, _true_statements))


summary_reading = Exercise(
    id="rfm.summary_reading",
    prompt=N_("Which statements about the segment summary are true? Select all that apply (a set of letters)."),
    expected=_true_statements,
    compare=compare_choice_set,
    kind="interpret",
    form=MultiChoice(SUMMARY_STATEMENTS),
    mistakes=(
        _statement_mistake(
            "B",
            N_("Statement B: the name 'Champions' suggests they carry the business, but a name is not a "
               "number. Read their revenue_share and compare it with one half."),
            N_("revenue_share is a fraction of all revenue; one half would be 0.5."),
        ),
        _statement_mistake(
            "E",
            N_("Statement E: more customers do not automatically mean more revenue. Compare the revenue "
               "column of the two segments, not only their customers."),
            N_("Revenue = customers x mean_monetary: a small segment of big spenders can outweigh a large one."),
        ),
        _statement_mistake(
            "C",
            N_("Statement C: a segment's revenue mixes its size and its spend per customer. Compare the "
               "revenue column AND the mean_monetary column of Loyal and Champions."),
            N_("The statement has two parts; both must hold for it to be true."),
        ),
        _statement_mistake(
            "D",
            N_("Statement D: look past the segment names. Compare the mean_monetary of 'Cannot lose "
               "them' with that of the Champions: which customers spent more, per head?"),
            N_("'Cannot lose them' are former big spenders who stopped buying: recency, not spend, put them there."),
        ),
        _statement_mistake(
            "A",
            N_("Statement A: compare what one Champion has spent with the average customer. A segment's "
               "revenue_share divided by its customer_share tells you how many times the average it is."),
            N_("A segment with 10 % of the customers and 20 % of the revenue spends twice the average per head."),
        ),
    ),
    hint=N_("Check each statement against the columns of the summary: revenue and revenue_share for totals, "
    "mean_monetary for spend per customer, customers for size."),
    more_hint=N_("Totals depend on a segment's size; per-customer means do not. Decide for each statement which "
    "kind of number it is about."),
    near_misses=lambda: [_true_statements() ^ {letter} for letter in _STATEMENT_LETTERS],
)


# --- 8. who gets the win-back calls? -----------------------------------------------------------
#: Personal win-back calls the call centre can make (one customer per call).
CALLS = 300
#: The segment of each option of the call question (data: the names the segment summary holds).
CALL_SEGMENTS = {"A": "Lost", "B": "At risk", "C": "Hibernating", "D": "Cannot lose them", "E": "Champions"}
#: The options of the call question as the workbook prints them: the segment names, in the edition's language.
CALL_OPTIONS = Options({letter: partial(labelled, name) for letter, name in CALL_SEGMENTS.items()})
#: A segment has lapsed when its customers' mean recency is above this many days (half a year).
LAPSED_DAYS = 180


def _call_choice() -> frozenset[str]:
    """The lapsed segment whose customers spent the most per head: a call reaches one customer."""
    s = _summary()
    lapsed = {letter: name for letter, name in CALL_SEGMENTS.items()
              if s.loc[name, "mean_recency"] > LAPSED_DAYS and s.loc[name, "customers"] >= CALLS}
    best = max(lapsed, key=lambda letter: s.loc[lapsed[letter], "mean_monetary"])
    return frozenset(best)


call_priority = Exercise(
    id="rfm.call_priority",
    prompt=later(N_("The call centre can make {calls} personal win-back calls. Which segment's customers should it "
                    "call? One letter."), calls=CALLS),
    expected=_call_choice,
    compare=compare_choice,
    kind="interpret",
    form=Choice(CALL_OPTIONS),
    mistakes=(
        Mistake(
            "largest_group",
            N_("'At risk' is a large lapsing segment, which is tempting. But the calls reach a fixed "
               "number of customers whatever the segment's size: what matters is what ONE customer of "
               "the segment is worth."),
            answer=lambda: frozenset("B"),
            more=N_("Compare mean_monetary of the lapsing segments (those with a high mean_recency)."),
        ),
        Mistake(
            "calls_for_lost",
            N_("Lost customers bought long ago and spent little (look at mean_recency and mean_monetary): "
               "a personal call costs more than they are likely to bring back. Cheap automated "
               "reactivation suits them."),
            answer=lambda: frozenset("A"),
            more=N_("Calls are the most expensive channel: spend them where the value at stake per customer is highest."),
        ),
        Mistake(
            "calls_for_hibernating",
            N_("Hibernating customers spent little per head: a personal call is expensive for the value "
               "at stake. Look for the lapsing segment with the highest spend per customer."),
            answer=lambda: frozenset("C"),
            more=N_("Compare mean_monetary of the lapsing segments (those with a high mean_recency)."),
        ),
        Mistake(
            "calls_for_champions",
            N_("Champions bought a few days ago (look at mean_recency): there is nothing to win back, and "
               "a sales call may annoy your best customers."),
            answer=lambda: frozenset("E"),
            more=N_("A win-back call is for customers who stopped buying: a high mean_recency."),
        ),
    ),
    hint=N_("A win-back call is for customers who stopped buying, and each call reaches one customer: weigh "
    "how long ago they bought against what one of them is worth."),
    more_hint=N_("Among the segments with a high mean_recency, compare what an average customer has spent "
    "(mean_monetary)."),
    near_misses=lambda: [letter for letter in CALL_SEGMENTS if letter not in _call_choice()],
)


# --- 9. one action per segment ----------------------------------------------------------------
#: The menu of actions of the last exercise (the workbook prints it).
ACTIONS = Options({
    "A": N_("Reward and involve: loyalty perks, early access, ask for reviews and referrals."),
    "B": N_("Personal win-back: a call or personal message, find out what went wrong, a targeted offer."),
    "C": N_("Onboarding: welcome journey, help with the first weeks, an incentive for the second purchase."),
    "D": N_("Low-cost automated reactivation (one or two e-mails), then stop spending on them."),
    "E": N_("Deep discount (30% off everything) to win them over."),
})
BEST_ACTIONS: dict[str, frozenset[str]] = {
    "Champions": frozenset("A"),
    "New customers": frozenset("C"),
    "Cannot lose them": frozenset("B"),
    "At risk": frozenset("B"),
    "Lost": frozenset("D"),
}


segment_actions = Exercise(
    id="rfm.segment_actions",
    prompt=later(N_("Choose one action letter (A-E) for each segment: {segments}."),
                 segments=lambda: format_list(map(labelled, BEST_ACTIONS))),
    expected=lambda: BEST_ACTIONS,
    compare=compare_named_mapping,
    kind="interpret",
    form=MappingForm({name: partial(labelled, name) for name in BEST_ACTIONS}, ACTIONS, show_keys=False),
    mistakes=(
        Mistake(
            "discount_for_champions",
            N_("Champions already buy often and recently: a deep discount gives away margin they would "
               "have paid anyway. Keep them with recognition and involvement."),
            applies=lambda answer: chosen_option(named_keys(answer, BEST_ACTIONS), "Champions") == "E",
            more=N_("Ask what the action changes: would a Champion have bought without it?"),
        ),
        Mistake(
            "expensive_effort_on_lost",
            N_("Lost customers rarely come back; a personal call or deep discount costs more than they "
               "are likely to return. Use cheap automated reactivation and then let go."),
            applies=lambda answer: chosen_option(named_keys(answer, BEST_ACTIONS), "Lost") in {"B", "E"},
            more=N_("Weigh the cost of the action against the value you can expect back from a Lost customer."),
        ),
        Mistake(
            "automation_for_cannot_lose",
            N_("'Cannot lose them' spent the most but stopped buying: they deserve a personal win-back, "
               "not an automated e-mail."),
            applies=lambda answer: chosen_option(named_keys(answer, BEST_ACTIONS), "Cannot lose them") in {"D", "E"},
            more=N_("High past value and lapsing: the effort should be personal and find out what went wrong."),
        ),
        Mistake(
            "onboarding_mismatch",
            N_("New customers have just made their first purchase: what they need is help to make a "
               "second one, not a reward for loyalty or a win-back."),
            applies=lambda answer: chosen_option(named_keys(answer, BEST_ACTIONS), "New customers") in {"A", "B", "D"},
            more=N_("Which action on the menu is about the first weeks of a relationship?"),
        ),
        Mistake(
            "at_risk_left_to_automation",
            N_("'At risk' customers used to buy well and are slipping away: a reward, an onboarding "
               "journey, a cheap e-mail or a blanket discount does not address why they left. Find out "
               "what went wrong, personally."),
            applies=lambda answer: chosen_option(named_keys(answer, BEST_ACTIONS), "At risk") in {"A", "C", "D", "E"},
            more=N_("Treat 'At risk' like 'Cannot lose them' on a smaller scale: personal contact first."),
        ),
    ),
    hint=N_("Match the effort to the value at stake: high past value and recent -> reward; high past "
    "value but lapsing -> personal win-back; new -> onboard; long gone and low value -> cheap or none."),
    more_hint=N_("For each segment ask two questions: is the customer still buying, and how much are they worth? "
    "The more value at stake, the more personal the action."),
    near_misses=lambda: single_deviations(BEST_ACTIONS, "".join(ACTIONS)),
)

EXERCISES: tuple[Exercise, ...] = (
    recency,
    frequency,
    monetary,
    recency_score,
    champions_share,
    at_risk_revenue,
    summary_reading,
    call_priority,
    segment_actions,
)
