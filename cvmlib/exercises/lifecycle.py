"""The checked exercises of the lifecycle workbook (``notebooks/lifecycle_workbook.ipynb``).

Every expected answer is computed from the shipped retailer data with the library of the chapter
(:mod:`cvmlib.lifecycle`, :mod:`cvmlib.acquisition`, :mod:`cvmlib.loyalty`, :mod:`cvmlib.experiments`,
:mod:`cvmlib.kpi`) and the parameters below, which the workbook prints; every mistake computes the
answer a participant with that misconception would produce, and every exercise lists its near
misses (one customer in another stage, a share one customer off, a yuan off), refused at the
precision the prompt states.
"""

from __future__ import annotations

import dataclasses
from functools import cache, partial
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib.datasets import load_complaints, load_customers, load_orders, load_survey, load_truth
from cvmlib.exercises.wrong_answers import (
    Options,
    compare_named_mapping,
    decimals_tolerance,
    labelled,
    later,
    named_keys,
    other_letters,
    single_deviations,
)
from cvmlib.feedback import Exercise, Mistake, chosen_option, compare_choice, compare_scalar, compare_series
from cvmlib.forms import Choice
from cvmlib.forms import Mapping as MappingForm
from cvmlib.i18n import N_, format_list
from cvmlib.acquisition import break_even_cac, clv_by_channel, customer_clv
from cvmlib.experiments import sample_size
from cvmlib.kpi import kpi_dashboard
from cvmlib.lifecycle import STAGES, StageRules, assign_stages, breadth_churn, stage_facts, stage_transitions
from cvmlib.loyalty import programme_economics, retailer_programme
from cvmlib.offers import category_cooccurrence, evaluate_offers

#: The snapshot of the workbook: midnight after 2025-12-31 (orders strictly before it count).
SNAPSHOT = pd.Timestamp("2026-01-01")
#: The quarter-end snapshot before it, for the transition exercise.
PREVIOUS_SNAPSHOT = pd.Timestamp("2025-10-01")
#: The stage rules of the workbook (the library's defaults, written out so the workbook can print them).
RULES = StageRules(new_days=90, mature_orders=5, at_risk_days=90, lapsed_days=180, won_back_days=90)
#: Cross-selling: breadth in the first 180 days, churn over the 180 days after, "broad" = 2+ categories.
BREADTH_WINDOW_DAYS = 180
CHURN_DAYS = 180
BROAD_FROM = 2
#: Acquisition value: margin, horizon (months of 30.4375 days) and monthly discount rate of the CLV.
MARGIN = 0.3
HORIZON_MONTHS = 12
DISCOUNT_RATE = 0.01

# Precision of each exercise, as its prompt states it.
_exact = partial(compare_series, rtol=0.0, atol=1e-9)
_four_decimals = partial(compare_scalar, rtol=0.0, atol=decimals_tolerance(4))
#: "To the nearest yuan": half a yuan (plus float noise).
_money_series = partial(compare_series, rtol=0.0, atol=0.5 + 1e-6)


@cache
def _orders() -> pd.DataFrame:
    return load_orders()


@cache
def _facts() -> pd.DataFrame:
    return stage_facts(_orders(), SNAPSHOT)


def _counts(stages: Any) -> pd.Series:
    """Customers per stage, every stage listed (0 where empty), index named ``stage``."""
    series = pd.Series(np.asarray(stages, dtype=object), index=_facts().index)
    return series.value_counts().reindex(list(STAGES), fill_value=0).rename_axis("stage").rename("customers")


def _moved(counts: pd.Series, source: str, target: str) -> pd.Series:
    out = counts.copy()
    out[source] -= 1
    out[target] += 1
    return out


# --- 1. stage counts --------------------------------------------------------------------------
@cache
def _stage_counts() -> pd.Series:
    return _counts(assign_stages(_facts(), RULES).astype(str))


def _rules_by_hand(order: tuple[str, ...], *, inclusive: bool = False, new_by_orders: bool = False,
                   keep_empty: bool = False) -> pd.Series:
    """The stages the way a participant writes them with ``np.select``, conditions in ``order``."""
    f, r = _facts(), RULES
    recency = f["recency_days"]
    over = (lambda days: recency >= days) if inclusive else (lambda days: recency > days)
    conditions = {
        "won_back": (f["orders"] >= 2) & (recency <= r.won_back_days) & (f["gap_days"] > r.lapsed_days),
        "lapsed": over(r.lapsed_days),
        "at_risk": over(r.at_risk_days),
        "new": (f["orders"] == 1) if new_by_orders else (f["tenure_days"] <= r.new_days),
        "developing": f["orders"] < r.mature_orders,
    }
    chosen = [name for name in order if name in conditions]
    counts = _counts(np.select([conditions[name] for name in chosen], chosen, default="mature"))
    return counts if keep_empty else counts[counts > 0]  # value_counts lists no empty stage


_RIGHT_ORDER = ("won_back", "lapsed", "at_risk", "new", "developing")
#: Two wrong orders a participant writes: the order the stages are listed in, and won back checked last.
_LISTED_ORDER = ("new", "developing", "at_risk", "lapsed", "won_back")
_WON_BACK_LAST = ("lapsed", "at_risk", "new", "developing", "won_back")

stage_counts = Exercise(
    id="lifecycle.stage_counts",
    prompt=N_("Customers per lifecycle stage on the snapshot, with the workbook's rules checked in the stated "
              "order (won back, lapsed, at risk, new, developing, mature)."),
    expected=_stage_counts,
    compare=_exact,
    mistakes=(
        Mistake(
            "listed_order",
            N_("You checked the rules in the order the stages are listed (new first). The first rule that holds "
               "wins, so customers with few orders who have gone quiet came out as developing: check won back, "
               "lapsed and at risk BEFORE new and developing."),
            answer=lambda: _rules_by_hand(_LISTED_ORDER),
            variants=lambda: [_rules_by_hand(_LISTED_ORDER), _rules_by_hand(_LISTED_ORDER, keep_empty=True)],
            more=N_("Put the conditions in the order of the prompt; the default (no condition holds) is mature."),
        ),
        Mistake(
            "few_orders_before_leaving",
            N_("Your developing customers include some who have gone quiet: the leaving rules (lapsed, at risk) "
               "come before new and developing."),
            answer=lambda: _rules_by_hand(("won_back", "new", "developing", "lapsed", "at_risk")),
            more=N_("A customer with few orders who has not ordered for months is at risk or lapsed, not developing."),
        ),
        Mistake(
            "won_back_last",
            N_("You have no (or too few) won-back customers: a won-back customer's last order is recent, so they "
               "also match later rules. Check won back FIRST."),
            answer=lambda: _rules_by_hand(_WON_BACK_LAST),
            variants=lambda: [_rules_by_hand(_WON_BACK_LAST), _rules_by_hand(_WON_BACK_LAST, keep_empty=True)],
            more=N_("Won back = at least two orders, the last one recent, and a gap before it longer than the "
                    "lapsed threshold."),
        ),
        Mistake(
            "inclusive_thresholds",
            N_("Almost: a customer is at risk (lapsed) when the recency is MORE than the threshold; a recency "
               "equal to it is not yet."),
            answer=lambda: _rules_by_hand(_RIGHT_ORDER, inclusive=True),
            more=N_("Compare the recency with a strict greater-than."),
        ),
        Mistake(
            "new_by_orders",
            N_("New is about time, not orders: a customer is new when their FIRST order lies within the new "
               "window (tenure), whatever the number of orders since."),
            answer=lambda: _rules_by_hand(_RIGHT_ORDER, new_by_orders=True),
            more=N_("Use the tenure column for the new rule."),
        ),
    ),
    hint=N_("Each customer gets exactly one stage: test the rules in the stated order and keep the first that "
            "holds; everyone left over is mature."),
    more_hint=N_("Won back needs three things at once (two orders or more, a recent last order, a long gap before "
                 "it); lapsed and at risk compare the recency with their thresholds; new uses the tenure."),
    near_misses=lambda: [
        _moved(_stage_counts(), "mature", "developing"),
        _moved(_stage_counts(), "at_risk", "lapsed"),
        _moved(_stage_counts(), "new", "at_risk"),
        _stage_counts().drop("won_back"),
    ],
)


# --- 2. transitions: who slipped from mature ----------------------------------------------------
@cache
def _quarter_moves() -> pd.DataFrame:
    return stage_transitions(_orders(), [PREVIOUS_SNAPSHOT, SNAPSHOT], RULES)


def _mature_slipped() -> float:
    moves = _quarter_moves()
    return float(moves.loc["mature", ["at_risk", "lapsed"]].sum() / moves.loc["mature"].sum())


mature_slipped = Exercise(
    id="lifecycle.mature_slipped",
    prompt=N_("Of the customers who were mature at the earlier snapshot, what share (0..1, 4 decimals) is at risk "
              "or lapsed at the later one?"),
    expected=_mature_slipped,
    compare=_four_decimals,
    mistakes=(
        Mistake(
            "column_share",
            N_("You divided by the customers who are at risk or lapsed NOW (a column share: where they came from). "
               "The question starts from the mature customers of the earlier snapshot: divide by that row's total."),
            answer=lambda: float(_quarter_moves().loc["mature", ["at_risk", "lapsed"]].sum()
                                 / _quarter_moves()[["at_risk", "lapsed"]].to_numpy().sum()),
            more=N_("The denominator is the number of customers who were mature at the earlier snapshot."),
        ),
        Mistake(
            "at_risk_only",
            N_("You counted only those now at risk. The question asks for at risk OR lapsed."),
            answer=lambda: float(_quarter_moves().loc["mature", "at_risk"] / _quarter_moves().loc["mature"].sum()),
            more=N_("Add the two destination stages before dividing."),
        ),
        Mistake(
            "count_not_share",
            N_("You gave the NUMBER of customers; the task asks for their share of the earlier mature customers."),
            answer=lambda: float(_quarter_moves().loc["mature", ["at_risk", "lapsed"]].sum()),
            more=N_("Divide by the number of customers who were mature at the earlier snapshot."),
        ),
        Mistake(
            "percent_not_fraction",
            N_("Right idea, but give a fraction between 0 and 1, not a percentage."),
            answer=lambda: 100 * _mature_slipped(),
            more=N_("A percentage is the fraction times 100: leave that step out."),
        ),
    ),
    hint=N_("Start from the customers who were mature at the earlier snapshot and find where they are at the later "
            "one."),
    more_hint=N_("Numerator: those of them now at risk or lapsed; denominator: all of them. Give 4 decimals."),
    near_misses=lambda: [
        float((_quarter_moves().loc["mature", ["at_risk", "lapsed"]].sum() + delta)
              / _quarter_moves().loc["mature"].sum()) for delta in (-1, 1)
    ] + [float(_quarter_moves().loc["mature", ["at_risk", "lapsed"]].sum()
               / (_quarter_moves().loc["mature"].sum() - 1))],
)


# --- 3. a strategy per stage (interpret) -------------------------------------------------------------
#: The menu of actions of the stage-strategy question (the workbook prints it).
STAGE_ACTIONS = Options({
    "A": N_("A welcome series and an incentive for the second order."),
    "B": N_("Reminders timed to the purchase cycle and a first offer in a second category."),
    "C": N_("Service by value, recognition, cross-sell and up-sell offers."),
    "D": N_("A personal contact to find out what is wrong, and fix it, before they leave."),
    "E": N_("A win-back offer, only for those whose value justifies its cost."),
    "F": N_("Treat them like a new customer who already knows us: make the return stick."),
    "G": N_("The same monthly discount for every customer, whatever the stage."),
})
#: The best action letter(s) for each stage.
BEST_STAGE_ACTIONS: dict[str, frozenset[str]] = {
    "new": frozenset("A"),
    "developing": frozenset("B"),
    "mature": frozenset("C"),
    "at_risk": frozenset("D"),
    "lapsed": frozenset("E"),
    "won_back": frozenset("F"),
}


def _choice(answer: Any, stage: str) -> Any:
    return chosen_option(named_keys(answer, BEST_STAGE_ACTIONS), stage)


stage_actions = Exercise(
    id="lifecycle.stage_actions",
    prompt=later(N_("Choose one action letter (A-G) for each lifecycle stage: {stages}."),
                 stages=lambda: format_list(map(labelled, BEST_STAGE_ACTIONS))),
    expected=lambda: BEST_STAGE_ACTIONS,
    compare=compare_named_mapping,
    kind="interpret",
    form=MappingForm({stage: partial(labelled, stage) for stage in BEST_STAGE_ACTIONS}, STAGE_ACTIONS,
                     show_keys=False),
    mistakes=(
        Mistake(
            "blanket_discount",
            N_("A discount for everyone is not a strategy per stage: it pays the customers who would have bought "
               "anyway and trains them to wait. Each stage has its own job."),
            applies=lambda answer: any(_choice(answer, stage) == "G" for stage in BEST_STAGE_ACTIONS),
            more=N_("Ask for each stage: what must happen next for this customer to be worth more?"),
        ),
        Mistake(
            "winback_for_at_risk",
            N_("At-risk customers have not left yet: a win-back offer comes too early and costs margin. First "
               "find out what is wrong, while they still listen."),
            applies=lambda answer: _choice(answer, "at_risk") == "E",
            more=N_("Which action speaks to a customer who is drifting, not one who has gone?"),
        ),
        Mistake(
            "everyone_won_back",
            N_("A win-back offer for every lapsed customer spends the most on those worth the least: keep it for "
               "the lapsed customers whose value justifies it."),
            applies=lambda answer: _choice(answer, "lapsed") in {"A", "C", "D"},
            more=N_("Which action weighs the cost of winning a customer back against their value?"),
        ),
        Mistake(
            "new_as_mature",
            N_("A new customer has not yet made a second order: cross-selling and service by value come later. "
               "The job now is the second order."),
            applies=lambda answer: _choice(answer, "new") in {"B", "C"},
            more=N_("What must a new customer do next to become a customer at all?"),
        ),
    ),
    hint=N_("Each stage has a job: development (get the next order, build the habit), maintenance (keep and "
            "grow), or win-back (only where it pays)."),
    more_hint=N_("For each stage ask what must happen next, and which action makes it happen without paying for "
                 "what the customer would do anyway."),
    near_misses=lambda: single_deviations(BEST_STAGE_ACTIONS, "ABCDEFG"),
)


# --- 4. cross-selling: the raw difference -----------------------------------------------------------
@cache
def breadth_result(definition: Literal["truth", "observed"] = "observed") -> Any:
    """:func:`cvmlib.lifecycle.breadth_churn` with the workbook's windows (observed churn by default)."""
    truth = load_truth() if definition == "truth" else None
    return breadth_churn(_orders(), truth, snapshot_date=SNAPSHOT, window_days=BREADTH_WINDOW_DAYS,
                         churn_days=CHURN_DAYS, definition=definition, broad_from=BROAD_FROM)


def _churn_rates() -> pd.Series:
    table = breadth_result().customers
    return table.groupby("broad")["churned"].mean()


def _raw_gap() -> float:
    return float(breadth_result().raw_difference)


raw_breadth_gap = Exercise(
    id="lifecycle.raw_breadth_gap",
    prompt=N_("Observed churn rate of the broad buyers (2 or more categories in their first 180 days) minus that "
              "of the narrow buyers (0..1 scale, signed, 4 decimals)."),
    expected=_raw_gap,
    compare=_four_decimals,
    mistakes=(
        Mistake(
            "narrow_minus_broad",
            N_("The sign is reversed: the task asks for broad MINUS narrow."),
            answer=lambda: -_raw_gap(),
            more=N_("Subtract the narrow buyers' churn rate from the broad buyers'."),
        ),
        Mistake(
            "counts_not_rates",
            N_("You subtracted the NUMBERS of churned customers. The two groups differ in size: compare churn "
               "RATES (churned / customers of the group)."),
            answer=lambda: float(breadth_result().customers.groupby("broad")["churned"].sum().diff().iloc[-1]),
            more=N_("Each group's churn rate is its churned customers divided by its customers."),
        ),
        Mistake(
            "percent_not_fraction",
            N_("Right idea, but give the difference on the 0..1 scale, not in percentage points."),
            answer=lambda: 100 * _raw_gap(),
            more=N_("A percentage is the fraction times 100: leave that step out."),
        ),
    ),
    hint=N_("Split the customers of the table into broad and narrow buyers, compute each group's churn rate, and "
            "subtract."),
    more_hint=N_("The churn rate of a group is the mean of the churned column within it; broad minus narrow, "
                 "4 decimals, keep the sign."),
    near_misses=lambda: [_raw_gap() + 0.0002, _raw_gap() - 0.0002, round(_raw_gap(), 2),
                         float(_churn_rates().get(True, 0.0))],
)


# --- 5. cross-selling read honestly (interpret) --------------------------------------------------------
#: Options of the cross-selling reading (the workbook prints them).
BREADTH_OPTIONS = Options({
    "A": N_("Broad buyers churn less, so a cross-sell offer to every narrow buyer will cut their churn by about "
            "the raw difference."),
    "B": N_("The raw difference comes mostly from the number of orders: among customers with the same number of "
            "orders it is small and within its noise. The data do not show that cross-selling keeps customers; "
            "a test with a control group would."),
    "C": N_("With the generator's truth, broad buyers churn MORE: buying in more categories drives customers away, "
            "so stop cross-selling."),
    "D": N_("Within order strata the difference is exactly zero, which proves that cross-selling never affects "
            "churn, in any business."),
})


def _within_noise(result: Any) -> bool:
    return abs(result.stratified_difference) < 2 * result.stratified_se


def _raw_clear(result: Any) -> bool:
    return abs(result.raw_difference) > 2 * result.raw_se


def _breadth_reading() -> frozenset[str]:
    """The statements the raw and stratified differences (both churn definitions) support."""
    observed, truth = breadth_result("observed"), breadth_result("truth")
    holds = {
        "A": False,  # an association is never an effect of the size of the raw difference
        "B": all(_raw_clear(r) and _within_noise(r) for r in (observed, truth)),
        "C": False,  # the same selection in the other direction: more orders = more chances to drop out
        "D": observed.stratified_difference == 0.0 and truth.stratified_difference == 0.0,
    }
    return frozenset(letter for letter, ok in holds.items() if ok)


breadth_reading = Exercise(
    id="lifecycle.breadth_reading",
    prompt=N_("Which reading of the raw and the stratified churn differences is right? One letter."),
    expected=_breadth_reading,
    compare=compare_choice,
    kind="interpret",
    form=Choice(BREADTH_OPTIONS),
    mistakes=(
        Mistake(
            "association_as_effect",
            N_("An association between breadth and churn is not an effect of breadth. Look at the difference "
               "within customers with the same number of orders: what is left of it?"),
            answer=lambda: frozenset("A"),
            more=N_("Customers who buy more often buy more categories AND are a different kind of customer."),
        ),
        Mistake(
            "sign_as_cause",
            N_("The truth's raw difference has the other sign for the same reason: frequent buyers differ. Within "
               "order strata it is small too; it shows selection, not that breadth drives customers away."),
            answer=lambda: frozenset("C"),
            more=N_("Compare the raw and the stratified difference for each churn definition."),
        ),
        Mistake(
            "absence_proven",
            N_("Small and within its noise is not exactly zero, and one retailer's data prove nothing about every "
               "business. Say what the data show and what would settle it."),
            answer=lambda: frozenset("D"),
            more=N_("Which statement says what the data show AND how to find out whether cross-selling works?"),
        ),
    ),
    hint=N_("Compare the raw difference with the difference among customers with the same number of orders, for "
            "both definitions of churn, each against its standard error."),
    more_hint=N_("If the difference mostly vanishes when the number of orders is held fixed, what explains the raw "
                 "difference, and what evidence would show an effect of cross-selling?"),
    near_misses=lambda: other_letters("ABCD", _breadth_reading()),
)


# --- 6. acquisition: break-even CAC per channel --------------------------------------------------------
@cache
def channel_clv() -> pd.DataFrame:
    """Expected CLV per customer (column ``clv``) with the customer's acquisition channel (the workbook's table)."""
    values = customer_clv(_orders(), snapshot_date=SNAPSHOT, horizon_months=HORIZON_MONTHS, margin=MARGIN,
                          discount_rate=DISCOUNT_RATE)
    channel = load_customers().set_index("customer_id")["acquisition_channel"]
    return pd.DataFrame({"clv": values["clv"], "acquisition_channel": channel.reindex(values.index)})


@cache
def _break_even() -> pd.Series:
    table = clv_by_channel(_orders(), load_customers(), snapshot_date=SNAPSHOT, horizon_months=HORIZON_MONTHS,
                           margin=MARGIN, discount_rate=DISCOUNT_RATE)
    return break_even_cac(table)["max_cac"].astype(float).rename_axis("acquisition_channel")


def _by_channel(how: str) -> pd.Series:
    table = channel_clv()
    grouped = table.groupby("acquisition_channel", observed=True)["clv"]
    return getattr(grouped, how)().astype(float).rename_axis("acquisition_channel")


break_even = Exercise(
    id="lifecycle.break_even_cac",
    prompt=N_("The break-even acquisition cost of each acquisition channel (CNY, to the nearest yuan), from the "
              "expected 12-month CLV per customer of the table (margin already applied)."),
    expected=_break_even,
    compare=_money_series,
    mistakes=(
        Mistake(
            "median_clv",
            N_("You took the MEDIAN CLV of each channel. The company pays for every customer it acquires, so what "
               "one customer is worth on average is the MEAN."),
            answer=lambda: _by_channel("median"),
            more=N_("The break-even cost per customer is the channel's total CLV divided by its customers."),
        ),
        Mistake(
            "total_clv",
            N_("That is the TOTAL CLV of each channel. The question is what the company can pay for ONE customer."),
            answer=lambda: _by_channel("sum"),
            more=N_("Divide each channel's total by its number of customers."),
        ),
        Mistake(
            "margin_twice",
            N_("The CLV of the table is already a margin (30 % of the spend): multiplying by the margin again "
               "counts it twice."),
            answer=lambda: MARGIN * _break_even(),
            more=N_("Use the clv column as it is."),
        ),
    ),
    hint=N_("The most the company can pay to acquire one customer through a channel, and still break even, is what "
            "such a customer is expected to bring: the channel's average CLV."),
    more_hint=N_("Group the table by the acquisition channel and average the clv column; give CNY to the nearest "
                 "yuan."),
    near_misses=lambda: [_break_even() + 1.0, _break_even().round(-1), _break_even().drop(_break_even().index[-1])],
)


# --- 7. the next best offer: one rule's confidence -------------------------------------------------------
#: The rule of the confidence exercise: "customers who bought ANTECEDENT also buy CONSEQUENT".
ANTECEDENT = "Baby & Kids"
CONSEQUENT = "Food & Grocery"


@cache
def _rules_table() -> pd.DataFrame:
    return category_cooccurrence(_orders())


def _rule(antecedent: str, consequent: str, column: str) -> float:
    return float(_rules_table().loc[(antecedent, consequent), column])


def _order_level_confidence() -> float:
    """Confidence counted over orders: a participant who forgot that a customer is the basket."""
    orders = _orders()
    per_customer = orders.groupby("customer_id")["category"].agg(lambda c: set(c.astype(str)))
    has_b = per_customer.map(lambda bought: CONSEQUENT in bought)
    a_orders = orders[orders["category"] == ANTECEDENT]
    return float(has_b.reindex(a_orders["customer_id"]).mean())


rule_confidence = Exercise(
    id="lifecycle.rule_confidence",
    prompt=N_("The confidence of the rule 'customers who bought Baby & Kids also buy Food & Grocery', at customer "
              "level over the whole history (0..1, 4 decimals)."),
    expected=lambda: _rule(ANTECEDENT, CONSEQUENT, "confidence"),
    compare=_four_decimals,
    mistakes=(
        Mistake(
            "reversed_rule",
            N_("You computed the rule the other way round (Food & Grocery buyers who also buy Baby & Kids). "
               "Confidence divides by the buyers of the FIRST category."),
            answer=lambda: _rule(CONSEQUENT, ANTECEDENT, "confidence"),
            more=N_("Start from the customers who bought Baby & Kids."),
        ),
        Mistake(
            "lift_not_confidence",
            N_("That is the LIFT of the rule (confidence divided by the share of all customers who buy Food & "
               "Grocery). The task asks for the confidence itself."),
            answer=lambda: _rule(ANTECEDENT, CONSEQUENT, "lift"),
            more=N_("Confidence = customers who bought both / customers who bought Baby & Kids."),
        ),
        Mistake(
            "support_not_confidence",
            N_("That is the SUPPORT (share of ALL customers who bought both). Confidence divides by the Baby & "
               "Kids buyers only."),
            answer=lambda: _rule(ANTECEDENT, CONSEQUENT, "support"),
            more=N_("Keep only the customers who bought Baby & Kids, then ask how many of them bought Food & Grocery."),
        ),
        Mistake(
            "order_level",
            N_("You counted ORDERS of Baby & Kids, so frequent buyers count many times. The rule is at customer "
               "level: each customer counts once."),
            answer=_order_level_confidence,
            more=N_("First turn the orders into the set of categories each customer bought."),
        ),
    ),
    hint=N_("Work at customer level: which customers bought Baby & Kids, and which of them also bought Food & "
            "Grocery?"),
    more_hint=N_("Confidence = customers who bought both / customers who bought the first category; each customer "
                 "counts once, 4 decimals."),
    near_misses=lambda: [
        _rule(ANTECEDENT, CONSEQUENT, "confidence") + delta / _rule(ANTECEDENT, CONSEQUENT, "antecedent_customers")
        for delta in (-1, 1)
    ],
)


# --- 8. reading the holdout test of the recommender (interpret) ------------------------------------------
#: The split date of the holdout test (training before it, holdout from it to the end of the data).
SPLIT_DATE = pd.Timestamp("2025-07-01")

OFFER_OPTIONS = Options({
    "A": N_("Co-occurrence has the higher hit rate at the same customer coverage: it beats the popularity "
            "baseline on this holdout. Whether the offers ADD purchases is still for a test with a control group."),
    "B": N_("Popularity has the higher hit rate, so the co-occurrence rules add nothing."),
    "C": N_("Every hit is a purchase caused by the recommendation, so the hits are the campaign's extra sales."),
    "D": N_("Co-occurrence reaches far more customers than popularity; that is why it wins."),
})


@cache
def _offers() -> pd.DataFrame:
    return evaluate_offers(_orders(), SPLIT_DATE, k=1)


def _offer_reading() -> frozenset[str]:
    table = _offers()
    cooc, pop = table.loc["cooccurrence"], table.loc["popularity"]
    same_coverage = abs(float(cooc["customer_coverage"]) - float(pop["customer_coverage"])) < 0.01
    holds = {
        "A": bool(cooc["hit_rate"] > pop["hit_rate"]) and same_coverage,
        "B": bool(pop["hit_rate"] > cooc["hit_rate"]),
        "C": False,  # a hit is a purchase after the recommendation, not because of it
        "D": float(cooc["customer_coverage"]) > float(pop["customer_coverage"]) + 0.05,
    }
    return frozenset(letter for letter, ok in holds.items() if ok)


offer_reading = Exercise(
    id="lifecycle.offer_reading",
    prompt=N_("Which reading of the holdout test of the two recommenders is right? One letter."),
    expected=_offer_reading,
    compare=compare_choice,
    kind="interpret",
    form=Choice(OFFER_OPTIONS),
    mistakes=(
        Mistake(
            "baseline_wins",
            N_("Read the hit rates again: which method's recommended customers bought a recommended category "
               "more often in the holdout?"),
            answer=lambda: frozenset("B"),
            more=N_("Compare the hit_rate row of the two columns."),
        ),
        Mistake(
            "hits_as_effect",
            N_("A hit is a purchase AFTER the recommendation; the customer might have bought that category anyway "
               "(nobody was shown anything in this test). Only a control group measures what the offers add."),
            answer=lambda: frozenset("C"),
            more=N_("What would a customer who never saw the offer have bought?"),
        ),
        Mistake(
            "coverage_as_reason",
            N_("Look at the customer coverage of the two methods: does one reach more customers than the other?"),
            answer=lambda: frozenset("D"),
            more=N_("Compare the customer_coverage row of the two columns."),
        ),
    ),
    hint=N_("Compare the two methods on the hit rate AND the coverage, and ask what a hit does and does not show."),
    more_hint=N_("A better hit rate at the same coverage means better-targeted offers; whether they add sales is "
                 "another question."),
    near_misses=lambda: other_letters("ABCD", _offer_reading()),
)


# --- 9. measuring an action: the sample size ---------------------------------------------------------------
#: The campaign to plan: the control group's repurchase rate and the smallest lift worth seeing (points).
BASELINE_RATE = 0.10
MIN_EFFECT = 0.02
ALPHA = 0.05
POWER = 0.8


def _per_group(baseline: float, effect: float, *, z_alpha: float | None = None, z_beta: float | None = None) -> float:
    """The per-group size of the prompt's formula, before rounding up (two-sided z unless given)."""
    from scipy import stats

    za = stats.norm.ppf(1 - ALPHA / 2) if z_alpha is None else z_alpha
    zb = stats.norm.ppf(POWER) if z_beta is None else z_beta
    p0, p1 = baseline, baseline + effect
    pbar = (p0 + p1) / 2
    return float((za * np.sqrt(2 * pbar * (1 - pbar)) + zb * np.sqrt(p0 * (1 - p0) + p1 * (1 - p1))) ** 2 / effect**2)


def _sample_size() -> int:
    return int(sample_size(BASELINE_RATE, MIN_EFFECT, alpha=ALPHA, power=POWER).control)


def _is_int_like(answer: Any) -> bool:
    return isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool)


sample_size_exercise = Exercise(
    id="lifecycle.sample_size",
    prompt=N_("Customers needed PER GROUP (a whole number, rounded up) to detect a rise of the repurchase rate from "
              "10 % to 12 % with a two-sided test at a 5 % level and 80 % power, equal groups."),
    expected=_sample_size,
    compare=partial(compare_scalar, rtol=0.0, atol=1e-9),
    mistakes=(
        Mistake(
            "both_groups",
            N_("That is the size of BOTH groups together; the task asks for the customers per group."),
            answer=lambda: 2 * _sample_size(),
            more=N_("Treated and control each need that many: give one of them."),
        ),
        Mistake(
            "one_sided",
            N_("You used the one-sided quantile (alpha, not alpha / 2). The test is two-sided: an offer can also "
               "lower the rate."),
            applies=lambda answer: _is_int_like(answer) and abs(float(answer) - np.ceil(_per_group(
                BASELINE_RATE, MIN_EFFECT, z_alpha=1.6448536269514722))) <= 1.0,
            more=N_("For a two-sided test at 5 % the quantile is the 97.5 % point of the normal distribution."),
        ),
        Mistake(
            "relative_effect",
            N_("The effect is in POINTS of the rate (0.12 - 0.10 = 0.02), not relative (20 %): with 0.2 the test "
               "looks for a far larger difference and comes out much too small."),
            applies=lambda answer: _is_int_like(answer) and abs(float(answer) - np.ceil(_per_group(
                BASELINE_RATE, 0.2))) <= 1.0,
            more=N_("Use the difference between the two rates as the effect."),
        ),
        Mistake(
            "not_rounded_up",
            N_("Almost: a group has whole customers, and rounding down leaves the test short of its power. Round "
               "UP."),
            applies=lambda answer: _is_int_like(answer) and float(answer) < _sample_size()
            and float(answer) >= np.floor(_per_group(BASELINE_RATE, MIN_EFFECT)) - 1e-9,
            more=N_("Take the next whole number above the formula's result."),
        ),
    ),
    hint=N_("The size per group grows with the spread of the outcome and the quantiles of the level and the power, "
            "and falls with the square of the effect."),
    more_hint=N_("Use the formula of the prompt with the two rates, the two-sided quantile for the level and the "
                 "quantile for the power; round the result up to a whole customer."),
    near_misses=lambda: [_sample_size() + 1, _sample_size() + 10, _sample_size() - 10],
)

# --- 10. loyalty programme: the net value --------------------------------------------------------------
#: The programme of the workbook (made-up parameters; members and spend are the retailer's 2025 customers).
PROGRAMME = {"incremental_purchase_rate": 0.05, "points_per_yuan": 1.0, "cost_per_point": 0.03,
             "breakage_rate": 0.3, "margin": 0.3, "fixed_cost": 200_000.0}


@cache
def programme_model() -> Any:
    """The workbook's :class:`~cvmlib.loyalty.ProgrammeModel`: the 2025 customers as members."""
    return retailer_programme(_orders(), start="2025-01-01", end="2026-01-01", **PROGRAMME)


def _economics(**changes: float) -> float:
    model = dataclasses.replace(programme_model(), **changes) if changes else programme_model()
    return float(programme_economics(model).loc["net_value", "figure"])


def _net_by_hand(*, breakage: bool = True, incremental_only_points: bool = False, all_spend: bool = False,
                 fixed: bool = True) -> float:
    m = programme_model()
    baseline = m.members * m.spend_per_member
    extra = baseline * (1.0 if all_spend else m.incremental_purchase_rate)
    points = (extra if incremental_only_points else baseline + extra) * m.points_per_yuan
    redeemed = points * ((1 - m.breakage_rate) if breakage else 1.0)
    return float(extra * m.margin - redeemed * m.cost_per_point - (m.fixed_cost if fixed else 0.0))


programme_net_value = Exercise(
    id="lifecycle.programme_net_value",
    prompt=N_("The yearly net value of the workbook's points programme (CNY, to the nearest yuan): incremental "
              "margin minus the cost of the redeemed points minus the fixed cost."),
    expected=_economics,
    compare=partial(compare_scalar, rtol=0.0, atol=0.5 + 1e-6),
    mistakes=(
        Mistake(
            "no_breakage",
            N_("You costed every point issued. Some points are never redeemed (breakage): only the redeemed "
               "ones cost money."),
            answer=lambda: _net_by_hand(breakage=False),
            more=N_("Points redeemed = points issued x (1 - breakage rate)."),
        ),
        Mistake(
            "points_on_incremental_only",
            N_("Members earn points on ALL their spend, including what they would have bought anyway, not only "
               "on the extra purchases."),
            answer=lambda: _net_by_hand(incremental_only_points=True),
            more=N_("Points issued = (baseline spend + incremental revenue) x points per yuan."),
        ),
        Mistake(
            "all_spend_incremental",
            N_("You counted all of the members' spend as the programme's revenue. Only the INCREMENTAL purchases "
               "(the measured uplift against a control group) are the programme's."),
            answer=lambda: _net_by_hand(all_spend=True),
            more=N_("Incremental revenue = baseline spend x incremental purchase rate."),
        ),
        Mistake(
            "fixed_cost_left_out",
            N_("The fixed cost of running the programme is missing."),
            answer=lambda: _net_by_hand(fixed=False),
            more=N_("Subtract the fixed cost as well."),
        ),
    ),
    hint=N_("The programme earns only the margin of the purchases it adds, and pays for the points that are "
            "redeemed (on all member spend) and for running it."),
    more_hint=N_("Baseline spend = members x spend per member; incremental revenue = baseline x uplift; points on "
                 "baseline + incremental; redeemed = issued x (1 - breakage); to the nearest yuan."),
    near_misses=lambda: [_economics() + 1.0, _economics() - 1.0, round(_economics(), -3)],
)


# --- 11. the KPI dashboard: retention rate -------------------------------------------------------------
@cache
def _dashboard() -> pd.DataFrame:
    return kpi_dashboard(_orders(), load_complaints(), load_survey(), periods="Q")


def _active(quarter: str) -> pd.Index:
    orders = _orders()
    return pd.Index(orders.loc[orders["order_date"].dt.to_period("Q") == pd.Period(quarter, "Q"),
                               "customer_id"].unique())


def _retention() -> float:
    return float(_dashboard().loc[pd.Period("2025Q4", "Q"), "retention_rate"])


retention = Exercise(
    id="lifecycle.retention_rate",
    prompt=N_("The retention rate of 2025Q4: the share of the customers active in 2025Q3 who are active again in "
              "2025Q4 (0..1, 4 decimals)."),
    expected=_retention,
    compare=_four_decimals,
    mistakes=(
        Mistake(
            "current_base",
            N_("You divided by the customers active in 2025Q4. Retention starts from the PREVIOUS quarter's "
               "active customers."),
            answer=lambda: float(len(_active("2025Q3").intersection(_active("2025Q4"))) / len(_active("2025Q4"))),
            more=N_("The denominator is the customers active in 2025Q3."),
        ),
        Mistake(
            "active_ratio",
            N_("You divided this quarter's active customers by last quarter's: that counts new customers too. "
               "Retention counts only last quarter's customers who came back."),
            answer=lambda: float(len(_active("2025Q4")) / len(_active("2025Q3"))),
            more=N_("Numerator: customers active in BOTH quarters."),
        ),
        Mistake(
            "count_not_share",
            N_("You gave the NUMBER of retained customers; the task asks for their share."),
            answer=lambda: float(len(_active("2025Q3").intersection(_active("2025Q4")))),
            more=N_("Divide by the customers active in 2025Q3."),
        ),
    ),
    hint=N_("Start from the customers active in 2025Q3 and find the share of them who ordered again in 2025Q4."),
    more_hint=N_("Numerator: customers with orders in both quarters; denominator: all customers active in 2025Q3; "
                 "4 decimals."),
    near_misses=lambda: [
        float((len(_active("2025Q3").intersection(_active("2025Q4"))) + delta) / len(_active("2025Q3")))
        for delta in (-1, 1)
    ],
)


EXERCISES: tuple[Exercise, ...] = (
    stage_counts,
    mature_slipped,
    stage_actions,
    raw_breadth_gap,
    breadth_reading,
    break_even,
    rule_confidence,
    offer_reading,
    sample_size_exercise,
    programme_net_value,
    retention,
)
