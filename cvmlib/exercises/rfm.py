"""The checked exercises of the RFM workbook (``notebooks/rfm.ipynb``).

Every expected answer is computed from the shipped retailer orders with the snapshot date of the
workbook, :data:`SNAPSHOT`; every mistake computes the answer a participant with that
misconception would produce, so a hint is given only when the answer really is that mistake.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.datasets import load_orders
from cvmlib.feedback import Exercise, Mistake, chosen_option, compare_mapping
from cvmlib.rfm import rfm_scores, rfm_segments, rfm_table

#: The snapshot date of the workbook: the analysis is run on Monday 5 January 2026, a few days
#: after the data end (2025-12-31), so forgetting the snapshot date gives a visibly different answer.
SNAPSHOT = pd.Timestamp("2026-01-05")
#: The window of the frequency exercise: calendar year 2025, end exclusive.
WINDOW = (pd.Timestamp("2025-01-01"), pd.Timestamp("2026-01-01"))
#: Business rule of the recency-score exercise: "bought within 30 days" -> R = 5, ... (edges inclusive).
RECENCY_RULE_DAYS = (30, 90, 180, 365)


@cache
def _orders() -> pd.DataFrame:
    return load_orders()


@cache
def _rfm() -> pd.DataFrame:
    return rfm_table(_orders(), SNAPSHOT)


@cache
def _segments() -> pd.Series:
    return rfm_segments(rfm_scores(_rfm()))


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


# --- 1. recency -------------------------------------------------------------------------------
recency = Exercise(
    id="rfm.recency",
    prompt="Recency per customer: calendar days from the last purchase to the snapshot date 2026-01-05.",
    expected=lambda: _rfm()["recency"],
    mistakes=(
        Mistake(
            "recency_from_first_purchase",
            "You measured from the customer's FIRST purchase. Recency looks at the most recent one: "
            "use the last (max) order date per customer.",
            answer=lambda: _per_customer(_days_between(SNAPSHOT, _by_customer()["order_date"].min())),
        ),
        Mistake(
            "snapshot_forgotten",
            "Your days are counted to the last date in the data, not to the snapshot date given in "
            "the task. Always pass the explicit snapshot date (2026-01-05).",
            answer=lambda: _per_customer(
                _days_between(_orders()["order_date"].max(), _by_customer()["order_date"].max())
            ),
        ),
        Mistake(
            "snapshot_defaulted",
            "Your days are counted to the day after the last purchase in the data (the default "
            "when no snapshot date is given), not to the snapshot date of the task (2026-01-05).",
            answer=lambda: _per_customer(
                _days_between(
                    _orders()["order_date"].max().normalize() + pd.Timedelta(days=1),
                    _by_customer()["order_date"].max(),
                )
            ),
        ),
        Mistake(
            "time_of_day_kept",
            "Close: you subtracted full timestamps, so .dt.days drops part-days and a purchase at "
            "18:00 yesterday counts as 0 days. Count calendar days: normalise both dates first "
            "(.dt.normalize()).",
            answer=lambda: _per_customer((SNAPSHOT - _by_customer()["order_date"].max()).dt.days),
        ),
    ),
    hint="Recency = snapshot date minus each customer's last order date, in whole calendar days.",
)


# --- 2. frequency in a window -----------------------------------------------------------------
def _in_window() -> pd.DataFrame:
    orders = _orders()
    start, end = WINDOW
    return orders[(orders["order_date"] >= start) & (orders["order_date"] < end)]


frequency = Exercise(
    id="rfm.frequency_2025",
    prompt="Frequency in calendar year 2025: distinct orders per customer who bought in 2025.",
    expected=lambda: _per_customer(_in_window().groupby("customer_id", observed=True)["order_id"].nunique()),
    mistakes=(
        Mistake(
            "whole_history",
            "You counted orders over the whole history. The task asks for the 2025 window only: "
            "filter order_date to 2025 first.",
            answer=lambda: _per_customer(_by_customer()["order_id"].nunique()),
        ),
        Mistake(
            "counted_categories",
            "You counted distinct product categories, not distinct orders (order_id).",
            answer=lambda: _per_customer(
                _in_window().groupby("customer_id", observed=True)["category"].nunique()
            ),
        ),
    ),
    hint="Frequency (RFM) = number of distinct order_id values per customer inside the window.",
)


# --- 3. monetary ------------------------------------------------------------------------------
monetary = Exercise(
    id="rfm.monetary",
    prompt="Monetary per customer: total spend (CNY) over the whole history.",
    expected=lambda: _rfm()["monetary"],
    mistakes=(
        Mistake(
            "mean_instead_of_total",
            "You computed the mean order value. RFM's monetary is the TOTAL spend per customer (sum).",
            answer=lambda: _per_customer(_by_customer()["amount"].mean()),
        ),
        Mistake(
            "max_instead_of_total",
            "You took the largest single order. Monetary is the total spend per customer (sum).",
            answer=lambda: _per_customer(_by_customer()["amount"].max()),
        ),
        Mistake(
            "counted_orders",
            "You counted orders (that is frequency). Monetary adds up the amounts.",
            answer=lambda: _per_customer(_by_customer()["amount"].count()),
        ),
    ),
    hint="Monetary = sum of amount per customer.",
)


# --- 4. recency score from a business rule ----------------------------------------------------
def _recency_rule_score(recency_days: pd.Series, inclusive: bool = True) -> pd.Series:
    edges = np.asarray(RECENCY_RULE_DAYS)
    # searchsorted counts the edges a value exceeds; side="left" makes each edge inclusive
    passed = np.searchsorted(edges, recency_days.to_numpy(), side="left" if inclusive else "right")
    return pd.Series(5 - passed, index=recency_days.index, name="R")


recency_score = Exercise(
    id="rfm.recency_score_rule",
    prompt="R score from the business rule: within 30 days -> 5, 90 -> 4, 180 -> 3, 365 -> 2, older -> 1.",
    expected=lambda: _recency_rule_score(_rfm()["recency"]),
    mistakes=(
        Mistake(
            "score_not_reversed",
            "Your scores run the wrong way: the MOST recent buyers (small recency) must get 5.",
            answer=lambda: 6 - _recency_rule_score(_rfm()["recency"]),
        ),
        Mistake(
            "edges_exclusive",
            "Almost: 'within 30 days' includes a recency of exactly 30 (use <=, not <). Check the "
            "customers who sit exactly on 30, 90, 180 and 365 days.",
            answer=lambda: _recency_rule_score(_rfm()["recency"], inclusive=False),
        ),
    ),
    hint="Map each recency to a score with the rule's edges (30, 90, 180, 365 days, inclusive).",
)


# --- 5. revenue share of the Champions --------------------------------------------------------
def _share_of_revenue(segment_names: tuple[str, ...]) -> float:
    monetary_by_customer = _rfm()["monetary"]
    chosen = _segments().isin(segment_names)
    return float(monetary_by_customer[chosen].sum() / monetary_by_customer.sum())


champions_share = Exercise(
    id="rfm.champions_revenue_share",
    prompt="What fraction of all revenue comes from the Champions segment (a number between 0 and 1)?",
    expected=lambda: _share_of_revenue(("Champions",)),
    mistakes=(
        Mistake(
            "customer_share",
            "That is the Champions' share of CUSTOMERS. The task asks for their share of REVENUE: "
            "sum monetary over Champions and divide by total monetary.",
            answer=lambda: float((_segments() == "Champions").mean()),
        ),
        Mistake(
            "percent_not_fraction",
            "Right idea, but give a fraction between 0 and 1, not a percentage.",
            answer=lambda: 100 * _share_of_revenue(("Champions",)),
        ),
    ),
    hint="Share of revenue = monetary of the segment's customers / monetary of all customers.",
)


# --- 6. revenue at risk -----------------------------------------------------------------------
at_risk_revenue = Exercise(
    id="rfm.at_risk_revenue",
    prompt="Total historic revenue (CNY) of the customers in 'At risk' and 'Cannot lose them' together.",
    expected=lambda: float(_rfm()["monetary"][_segments().isin(["At risk", "Cannot lose them"])].sum()),
    mistakes=(
        Mistake(
            "only_at_risk",
            "You included only 'At risk'. 'Cannot lose them' are at risk too (and bought the most): "
            "add both segments.",
            answer=lambda: float(_rfm()["monetary"][_segments() == "At risk"].sum()),
        ),
        Mistake(
            "counted_customers",
            "You counted customers. The task asks for their revenue: sum their monetary values.",
            answer=lambda: float(_segments().isin(["At risk", "Cannot lose them"]).sum()),
        ),
    ),
    hint="Select the customers of both segments, then sum their monetary values.",
)


# --- 7. one action per segment ----------------------------------------------------------------
#: The menu of actions of the last exercise (the workbook prints it).
ACTIONS = {
    "A": "Reward and involve: loyalty perks, early access, ask for reviews and referrals.",
    "B": "Personal win-back: a call or personal message, find out what went wrong, a targeted offer.",
    "C": "Onboarding: welcome journey, help with the first weeks, an incentive for the second purchase.",
    "D": "Low-cost automated reactivation (one or two e-mails), then stop spending on them.",
    "E": "Deep discount (30% off everything) to win them over.",
}
BEST_ACTIONS: dict[str, frozenset[str]] = {
    "Champions": frozenset("A"),
    "New customers": frozenset("C"),
    "Cannot lose them": frozenset("B"),
    "At risk": frozenset("B"),
    "Lost": frozenset("D"),
}



segment_actions = Exercise(
    id="rfm.segment_actions",
    prompt="Choose one action letter (A-E) for each segment: " + ", ".join(BEST_ACTIONS) + ".",
    expected=lambda: BEST_ACTIONS,
    compare=compare_mapping,
    mistakes=(
        Mistake(
            "discount_for_champions",
            "Champions already buy often and recently: a deep discount gives away margin they would "
            "have paid anyway. Keep them with recognition and involvement.",
            applies=lambda answer: chosen_option(answer, "Champions") == "E",
        ),
        Mistake(
            "expensive_effort_on_lost",
            "Lost customers rarely come back; a personal call or deep discount costs more than they "
            "are likely to return. Use cheap automated reactivation and then let go.",
            applies=lambda answer: chosen_option(answer, "Lost") in {"B", "E"},
        ),
        Mistake(
            "automation_for_cannot_lose",
            "'Cannot lose them' spent the most but stopped buying: they deserve a personal win-back, "
            "not an automated e-mail.",
            applies=lambda answer: chosen_option(answer, "Cannot lose them") in {"D", "E"},
        ),
    ),
    hint="Match the effort to the value at stake: high past value and recent -> reward; high past "
    "value but lapsing -> personal win-back; new -> onboard; long gone and low value -> cheap or none.",
)

EXERCISES: tuple[Exercise, ...] = (
    recency,
    frequency,
    monetary,
    recency_score,
    champions_share,
    at_risk_revenue,
    segment_actions,
)
