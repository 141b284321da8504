"""The checked exercises of the micro-sandbox workbook (``notebooks/sandbox_workbook.ipynb``).

They work on a **practice round**: round 1 of a seeded game (team ``practice``, seed
:data:`PRACTICE_SEED`) played with the plan :data:`PRACTICE_BUDGET` on the lifecycle-style segments of
:func:`practice_segments`, before the teams play their own rounds. Every expected answer is computed
from that round's per-customer outcomes (:func:`practice_outcomes`), which the sandbox's own round
table (:func:`practice_result`) reproduces exactly (tests/test_exercises_sandbox.py checks it). Every
mistake computes the answer a participant with that misconception gives: totals instead of means,
revenue instead of profit, the cost left out, a standard deviation instead of a standard error, a
point estimate read without its interval, a before-after comparison instead of the holdout.

Definitions (as :mod:`cvmlib.sandbox.results` states them): profit of a customer = margin x revenue -
coupon discounts - campaign cost; incremental profit of a segment = (mean profit of its treated
customers - mean profit of its holdout) x treated customers; its 95 % interval is Welch's normal
interval of the difference of means (sample standard deviations, z = 1.96), times the treated
customers; ROI = incremental profit / cost.
"""

from __future__ import annotations

import tempfile
from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.exercises.wrong_answers import Options, all_selections, decimals_tolerance, later, one_off, other_letters
from cvmlib.feedback import Exercise, Mistake, compare_choice, compare_choice_set, compare_scalar
from cvmlib.forms import Choice, MultiChoice
from cvmlib.display import register_labels
from cvmlib.i18n import N_, _
from cvmlib.lifecycle import STAGE_LABELS
from cvmlib.sandbox import Game, Plan, RoundResult, World

__all__ = ["EXERCISES", "PRACTICE_BUDGET", "PRACTICE_SEED", "PRACTICE_SEGMENT", "PRACTICE_TEAM", "Z95",
           "practice_outcomes", "practice_result", "practice_segments"]

#: The practice round: team, seed, the segment of the computing exercises.
PRACTICE_TEAM = "practice"
PRACTICE_SEED = 7
PRACTICE_SEGMENT = "new"
#: z of a two-sided 95 % normal interval (as the sandbox's results use).
Z95 = 1.959963984540054
#: The practice plan: yuan per segment and action (100,000 yuan in all).
PRACTICE_BUDGET: dict[str, dict[str, float]] = {
    "vip": {"account_manager": 20_000.0},
    "mature": {"loyalty_points": 25_000.0},
    "developing": {"coupon": 15_000.0},
    "new": {"cross_sell": 10_000.0},
    "at_risk": {"coupon": 10_000.0},
    "lapsed": {"winback_call": 20_000.0},
}
# the practice segments shown by name (the lifecycle stages, and the big spenders)
register_labels({**STAGE_LABELS, "vip": N_("VIP")})

# Precision of each exercise, as its prompt states it.
#: Yuan "to the nearest yuan"; one customer more or less moves an amount by far more.
_yuan = partial(compare_scalar, rtol=0.0, atol=decimals_tolerance(0))
#: ROI "to 3 decimals" (2 would accept an ROI 0.1 % off).
_three_decimals = partial(compare_scalar, rtol=0.0, atol=decimals_tolerance(3))
#: Yuan per customer "to 2 decimals".
_two_decimals = partial(compare_scalar, rtol=0.0, atol=decimals_tolerance(2))


def practice_segments(facts: pd.DataFrame) -> pd.Series:
    """Lifecycle-style segments on the observed facts at the start of a round (the workbook's rules).

    Rules, the later ones overriding the earlier: ``mature`` by default; ``developing`` with fewer than
    3 orders; ``new`` with a first order at most 90 days before the round; ``vip`` with 3 orders or more
    and a mean order of at least 600 yuan; ``at_risk`` with no order for more than 180 days; ``lapsed``
    with none for more than 365 days.

    Examples
    --------
    >>> facts = pd.DataFrame({"orders": [1, 5, 4, 2], "tenure_days": [30, 400, 500, 700],
    ...                       "mean_order_value": [80.0, 900.0, 120.0, 60.0], "recency_days": [30, 20, 200, 400]})
    >>> practice_segments(facts).tolist()
    ['new', 'vip', 'at_risk', 'lapsed']
    """
    segment = pd.Series("mature", index=facts.index, dtype=object, name="segment")
    segment[facts["orders"] < 3] = "developing"
    segment[facts["tenure_days"] <= 90] = "new"
    segment[(facts["orders"] >= 3) & (facts["mean_order_value"] >= 600)] = "vip"
    segment[facts["recency_days"] > 180] = "at_risk"
    segment[facts["recency_days"] > 365] = "lapsed"
    return segment


@cache
def _plan() -> Plan:
    return Plan(practice_segments(World.at(PRACTICE_SEED, 1).customers), PRACTICE_BUDGET)


@cache
def _practice_game() -> Game:
    """The practice round, played once by the sandbox itself (in a temporary folder: nothing is kept)."""
    with tempfile.TemporaryDirectory(prefix="cvm-practice-") as folder:
        game = Game.new(PRACTICE_TEAM, seed=PRACTICE_SEED, folder=folder)
        game.submit(_plan())
    return game


def practice_result() -> RoundResult:
    """The sandbox's own result of the practice round."""
    return _practice_game().results[0]


@cache
def _outcomes() -> pd.DataFrame:
    # the round's own per-customer figures (Game.outcomes), without the customers who signed up during it
    frame = _practice_game().outcomes(1)
    frame = frame[frame["group"] != "new"]
    return frame[["segment", "group", "orders", "revenue", "discount", "cost", "profit"]].astype({"segment": str})


def practice_outcomes() -> pd.DataFrame:
    """One row per customer of the practice round: segment, group, orders, revenue, discount, cost, profit.

    ``group`` is ``"treated"`` or ``"holdout"`` (the randomised share of each segment that got nothing);
    ``profit`` = margin x revenue - discount - cost, in yuan. A copy: change it freely.

    Examples
    --------
    >>> frame = practice_outcomes()
    >>> sorted(frame["group"].unique())
    ['holdout', 'treated']
    """
    return _outcomes().copy()


def _groups(segment: str = PRACTICE_SEGMENT) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _outcomes()
    member = frame[frame["segment"] == segment]
    return member[member["group"] == "treated"], member[member["group"] == "holdout"]


def _difference(column: str = "profit", segment: str = PRACTICE_SEGMENT) -> float:
    treated, holdout = _groups(segment)
    return float(treated[column].mean() - holdout[column].mean())


def _n_treated(segment: str = PRACTICE_SEGMENT) -> int:
    return len(_groups(segment)[0])


def _cost(segment: str = PRACTICE_SEGMENT) -> float:
    return float(_groups(segment)[0]["cost"].sum())


def _incremental(segment: str = PRACTICE_SEGMENT) -> float:
    return _difference("profit", segment) * _n_treated(segment)


# --- 1. incremental profit --------------------------------------------------------------------------
def _before_cost() -> float:
    """The difference of margin less discounts (profit + cost): the plan's cost left out."""
    treated, holdout = _groups()
    return float((treated["profit"] + treated["cost"]).mean() - (holdout["profit"] + holdout["cost"]).mean()) \
        * _n_treated()


incremental_profit = Exercise(
    id="sandbox.incremental_profit",
    prompt=later(N_("The incremental profit of segment {segment} in the practice round, against its holdout, "
                    "in yuan (to the nearest yuan)."), segment=PRACTICE_SEGMENT),
    expected=_incremental,
    compare=_yuan,
    mistakes=(
        Mistake(
            "totals_difference",
            N_("You subtracted the holdout's TOTAL profit from the treated customers' total. The holdout is much "
               "smaller than the treated group, so the totals cannot be compared: compare profit PER CUSTOMER, "
               "then scale up."),
            answer=lambda: float(_groups()[0]["profit"].sum() - _groups()[1]["profit"].sum()),
            more=N_("Take the mean profit of each group; their difference is what the plan did for one customer."),
        ),
        Mistake(
            "per_customer_only",
            N_("That is the difference for ONE customer. The incremental profit is what the plan did for all the "
               "treated customers of the segment."),
            answer=_difference,
            more=N_("Multiply the per-customer difference by the number of treated customers."),
        ),
        Mistake(
            "whole_segment",
            N_("You scaled the difference up to every customer of the segment, holdout included. The holdout got "
               "nothing: scale up to the treated customers only."),
            answer=lambda: _difference() * (_n_treated() + len(_groups()[1])),
            more=N_("Count the rows of the segment whose group is treated."),
        ),
        Mistake(
            "revenue_not_profit",
            N_("You compared REVENUE. The plan is judged on profit: the margin on the revenue, less discounts, "
               "less what the plan spent."),
            answer=lambda: _difference("revenue") * _n_treated(),
            more=N_("Use the profit column of the outcomes table."),
        ),
        Mistake(
            "cost_left_out",
            N_("You added the plan's cost back to the treated customers' profit (or compared margins before "
               "cost). The profit column is already net of the cost: that is what makes the result a net gain."),
            answer=_before_cost,
            more=N_("Use the profit column as it is, for both groups."),
        ),
        Mistake(
            "treated_only",
            N_("You added up the treated customers' profit: most of it would have come without the plan. Only "
               "the difference to the holdout is the plan's doing."),
            answer=lambda: float(_groups()[0]["profit"].sum()),
            more=N_("Compare the treated customers with the holdout of the same segment, customer for customer."),
        ),
    ),
    hint=N_("Compare the two groups of the segment per customer (mean profit of the treated minus mean profit of the "
            "holdout), then scale up to the customers the plan treated."),
    more_hint=N_("Filter the outcomes to the segment, take the mean profit per group, subtract, and multiply by the "
                 "number of treated customers; round to the yuan."),
    near_misses=lambda: [_incremental() + 1, _incremental() - 1, _difference() * (_n_treated() - 1),
                         _difference() * (_n_treated() + 1), round(_incremental(), -2)],
)


# --- 2. ROI -----------------------------------------------------------------------------------------
def _roi() -> float:
    return _incremental() / _cost()


roi = Exercise(
    id="sandbox.roi",
    prompt=later(N_("The ROI of segment {segment} in the practice round: its incremental profit divided by what "
                    "the plan spent on it (a ratio, 3 decimals)."), segment=PRACTICE_SEGMENT),
    expected=_roi,
    compare=_three_decimals,
    mistakes=(
        Mistake(
            "gross_return",
            N_("You divided the gain BEFORE the cost by the cost (a 'return per yuan' of 1 means break-even). "
               "Here the incremental profit is already net of the cost, so an ROI of 0 is break-even."),
            answer=lambda: (_incremental() + _cost()) / _cost(),
            more=N_("Divide the net incremental profit by the cost, nothing added."),
        ),
        Mistake(
            "inverted",
            N_("You divided the cost by the gain. ROI is the gain per yuan spent: gain / cost."),
            answer=lambda: _cost() / _incremental(),
            more=N_("The cost goes below the line."),
        ),
        Mistake(
            "percent_not_ratio",
            N_("Right idea, but give a ratio (0.5 for 50 %), not a percentage."),
            answer=lambda: 100 * _roi(),
            more=N_("Leave out the factor 100."),
        ),
        Mistake(
            "revenue_roi",
            N_("You divided the incremental REVENUE by the cost. ROI is measured on profit."),
            answer=lambda: _difference("revenue") * _n_treated() / _cost(),
            more=N_("Use the incremental profit of the previous exercise."),
        ),
        Mistake(
            "all_the_budget",
            N_("You divided by the whole round's budget. The ROI of a segment divides by what was spent on THAT "
               "segment."),
            answer=lambda: _incremental() / sum(sum(row.values()) for row in PRACTICE_BUDGET.values()),
            more=N_("Add up the cost column of the segment's treated customers."),
        ),
    ),
    hint=N_("ROI is the net gain per yuan spent: the segment's incremental profit over its cost."),
    more_hint=N_("The cost of the segment is what the plan spent on its treated customers; the incremental profit "
                 "already has it taken off. Give 3 decimals."),
    near_misses=lambda: [_roi() + 0.001, _roi() - 0.001, round(_roi(), 2) if abs(round(_roi(), 2) - _roi()) > 6e-4
                         else _roi() + 0.002, _roi() * 1.001],
)


# --- 3. the interval --------------------------------------------------------------------------------
def _ci_low(z: float = Z95, ddof: int = 1, holdout_variance: bool = True, standard_error: bool = True,
            scaled: bool = True) -> float:
    treated, holdout = _groups()
    t, h = treated["profit"].to_numpy(), holdout["profit"].to_numpy()
    if standard_error:
        variance = t.var(ddof=ddof) / len(t) + (h.var(ddof=ddof) / len(h) if holdout_variance else 0.0)
    else:
        variance = t.var(ddof=ddof) + h.var(ddof=ddof)
    low = float(t.mean() - h.mean() - z * np.sqrt(variance))
    return low * len(t) if scaled else low


#: The z of the prompt (a participant types 1.96; the exact 1.959964... moves the answer by 0.0005 only).
Z_TYPED = 1.96


def _either_z(function: Any) -> Any:
    """A mistake's answers with z = 1.96 (as typed) and with the exact 1.959964..."""
    return lambda: [function(Z_TYPED), function(Z95)]


ci_low = Exercise(
    id="sandbox.ci_low",
    prompt=later(N_("The lower end of the 95 % interval of the per-customer difference of mean profits (treated "
                    "minus holdout) in segment {segment}: Welch's normal interval with z = 1.96, in yuan per customer "
                    "(2 decimals)."), segment=PRACTICE_SEGMENT),
    expected=lambda: _ci_low(Z_TYPED, scaled=False),
    compare=_two_decimals,
    mistakes=(
        Mistake(
            "sd_not_se",
            N_("You used the standard deviations of the customers' profits themselves. The interval is about the "
               "difference of two MEANS: each group's variance is divided by its number of customers (the "
               "standard error)."),
            variants=_either_z(lambda z: _ci_low(z, standard_error=False, scaled=False)),
            more=N_("Standard error of the difference = square root of (variance of the treated / their count + "
                    "variance of the holdout / its count)."),
        ),
        Mistake(
            "holdout_variance_left_out",
            N_("Your interval is too narrow: it only has the treated group's uncertainty. The holdout's mean is "
               "uncertain too (and, being small, it is the larger part)."),
            variants=_either_z(lambda z: _ci_low(z, holdout_variance=False, scaled=False)),
            more=N_("Add the holdout's variance over its count under the square root."),
        ),
        Mistake(
            "population_sd",
            N_("Almost: you used the population variance (dividing by n). The interval uses the sample variance "
               "(dividing by n - 1), as pandas' .var() and .std() do by default; numpy's do not."),
            variants=_either_z(lambda z: _ci_low(z, ddof=0, scaled=False)),
            more=N_("Use the pandas methods, or pass ddof=1 to numpy's."),
        ),
        Mistake(
            "one_sided_z",
            N_("You used z = 1.645, the value of a ONE-sided 95 % bound (or of a 90 % interval). A two-sided 95 % "
               "interval uses 1.96."),
            variants=lambda: [_ci_low(1.645, scaled=False), _ci_low(1.6448536269514722, scaled=False)],
            more=N_("1.96 standard errors on each side of the difference."),
        ),
        Mistake(
            "scaled_up",
            N_("That is the lower end for the whole segment (times the treated customers). The task asks for the "
               "lower end of the difference per customer."),
            variants=_either_z(lambda z: _ci_low(z)),
            more=N_("Leave out the multiplication by the number of treated customers."),
        ),
    ),
    hint=N_("The interval is the per-customer difference of mean profits plus or minus 1.96 standard errors of that "
            "difference."),
    more_hint=N_("The standard error of a difference of two independent means adds each group's variance divided by "
                 "its count, under one square root; use sample variances and give 2 decimals."),
    near_misses=lambda: [_ci_low(Z_TYPED, scaled=False) + 0.01, _ci_low(Z_TYPED, scaled=False) - 0.01,
                         round(_ci_low(Z_TYPED, scaled=False), 1), _ci_low(2.0, scaled=False),
                         _ci_low(1.95, scaled=False)],
)


# --- 4. and 5. reading the round table: which results are clear ---------------------------------------
def _segments() -> list[str]:
    return sorted(PRACTICE_BUDGET)


#: Letters of the segment options (the segments in alphabetical order), then "none of them".
_SEGMENT_LETTERS = "ABCDEF"
NONE_LETTER = "G"


def _segment_options() -> Options:
    texts: dict[str, Any] = {letter: (lambda s=segment: _("segment {segment}").format(segment=s))
                             for letter, segment in zip(_SEGMENT_LETTERS, _segments())}
    texts[NONE_LETTER] = N_("none of them")
    return Options(texts)


#: The options of the two reading questions (the workbook prints them).
SEGMENT_OPTIONS = _segment_options()


def _letter_of(segment: str) -> str:
    return _SEGMENT_LETTERS[_segments().index(segment)]


def _clear(side: str) -> frozenset[str]:
    """The letters of the segments whose whole interval lies above 0 (``"gain"``) or below 0 (``"loss"``)."""
    table = practice_result().table
    clear = table.index[table["ci_low"] > 0] if side == "gain" else table.index[table["ci_high"] < 0]
    letters = {_letter_of(segment) for segment in clear if segment in PRACTICE_BUDGET}
    return frozenset(letters or {NONE_LETTER})


def _with(side: str, segments: list[str]) -> list[frozenset[str]]:
    """The right selection with each of ``segments`` added (and "none" dropped): one segment misread."""
    right = _clear(side) - {NONE_LETTER}
    return [frozenset(right | {_letter_of(segment)}) for segment in segments]


def _point_estimate(side: str) -> list[frozenset[str]]:
    """Segments whose estimate has the sign but whose interval includes 0 added: read without the interval."""
    table = practice_result().table
    if side == "gain":
        rows = table[(table["incremental_profit"] > 0) & (table["ci_low"] <= 0)]
    else:
        rows = table[(table["incremental_profit"] < 0) & (table["ci_high"] >= 0)]
    return _with(side, [segment for segment in rows.index if segment in PRACTICE_BUDGET])


def _best_roi() -> list[frozenset[str]]:
    table = practice_result().table
    top = str(table["roi"].idxmax())
    return _with("gain", [top]) if table.loc[top, "ci_low"] <= 0 else []


def _one_left_out(side: str) -> list[frozenset[str]]:
    """The right selection with one segment missing ("none" when it was the only one)."""
    right = _clear(side) - {NONE_LETTER}
    return [frozenset(right - {letter}) or frozenset({NONE_LETTER}) for letter in right]


_ALL_LETTERS = _SEGMENT_LETTERS + NONE_LETTER

earned = Exercise(
    id="sandbox.clear_gain",
    prompt=N_("Read the practice round's table: which segments' actions have been shown, at 95 %, to EARN money (the "
              "whole interval above 0)? Give all letters that apply; G if none."),
    expected=lambda: _clear("gain"),
    compare=compare_choice_set,
    kind="interpret",
    form=MultiChoice(SEGMENT_OPTIONS),
    mistakes=(
        Mistake(
            "best_roi",
            N_("The highest ROI is still a point estimate: check whether its interval is clear of 0."),
            variants=_best_roi,
            more=N_("Look at the ci_low column, not at the roi column."),
        ),
        Mistake(
            "estimate_without_interval",
            N_("A segment you chose has a positive estimate, but look at its interval: it includes 0. The round "
               "cannot tell its effect from luck, so it has not been shown to earn money."),
            variants=lambda: _point_estimate("gain"),
            more=N_("A result is clear only when the lower end of its interval is above 0."),
        ),
        # no "one left out" mistake: in the practice round no segment's gain is clear, so it cannot be made
    ),
    hint=N_("For each segment, look at both ends of the 95 % interval of the incremental profit, not at the estimate."),
    more_hint=N_("A gain is shown when the LOWER end of the interval is above 0; if no segment has that, the answer is "
                 "G."),
    near_misses=lambda: one_off(_ALL_LETTERS, _clear("gain")),
)

lost = Exercise(
    id="sandbox.clear_loss",
    prompt=N_("And which segments' actions have been shown, at 95 %, to LOSE money (the whole interval below 0)? Give "
              "all letters that apply; G if none."),
    expected=lambda: _clear("loss"),
    compare=compare_choice_set,
    kind="interpret",
    form=MultiChoice(SEGMENT_OPTIONS),
    mistakes=(
        Mistake(
            "estimate_without_interval",
            N_("A segment you chose has a negative estimate, but its interval includes 0: the round has not shown that "
               "its action loses money. Choose only the segments whose whole interval is below 0."),
            variants=lambda: _point_estimate("loss"),
            more=N_("A loss is shown when the UPPER end of the interval is below 0."),
        ),
        Mistake(
            "loss_left_out",
            N_("Another segment's whole interval is below 0 too: read every row."),
            variants=lambda: _one_left_out("loss"),
            more=N_("Compare the ci_high column of every segment with 0."),
        ),
    ),
    hint=N_("For each segment, look at both ends of the 95 % interval of the incremental profit."),
    more_hint=N_("A loss is shown when the UPPER end of the interval is below 0."),
    near_misses=lambda: one_off(_ALL_LETTERS, _clear("loss")),
)


# --- 6. before-after against the holdout ------------------------------------------------------------
#: The options of the win-back reading question (the workbook prints them).
WINBACK_OPTIONS = Options({
    "A": N_("All the orders of the treated lapsed customers are thanks to the calls: none of them had bought for a "
            "year."),
    "B": N_("Only the difference to the holdout is thanks to the calls: some lapsed customers come back on their own, "
            "as the holdout shows."),
    "C": N_("The holdout of the lapsed customers did not order at all, so every order of the treated ones is an "
            "effect of the calls."),
    "D": N_("Nothing can be said: the lapsed customers bought nothing in the previous quarter, so there is no "
            "baseline."),
})


def _orders_per_customer(group: str) -> float:
    frame = _outcomes()
    lapsed = frame[(frame["segment"] == "lapsed") & (frame["group"] == group)]
    return float(lapsed["orders"].mean())


def _winback_reading() -> frozenset[str]:
    holdout_ordered = _orders_per_customer("holdout") > 0
    truth = {"A": False, "B": holdout_ordered, "C": not holdout_ordered, "D": False}
    return frozenset(letter for letter, holds in truth.items() if holds)


winback_reading = Exercise(
    id="sandbox.winback_reading",
    prompt=N_("The lapsed customers (no order for more than a year) got win-back calls in the practice round, and the "
              "treated ones ordered again. Compare the orders per customer of the treated and the holdout: which "
              "statement is right? One letter."),
    expected=_winback_reading,
    compare=compare_choice,
    kind="interpret",
    form=Choice(WINBACK_OPTIONS),
    mistakes=(
        Mistake(
            "before_after",
            N_("That compares the quarter with the year before it (before-after). Lapsed customers who had not "
               "left for good come back on their own too: look at the holdout's orders."),
            variants=lambda: [frozenset(letter) for letter in "AC" if letter not in _winback_reading()],
            more=N_("Count the orders per customer of the holdout of the lapsed segment."),
        ),
        Mistake(
            "no_baseline",
            N_("There is a baseline: the holdout, drawn at random from the same lapsed customers, shows what they do "
               "without a call."),
            answer=lambda: frozenset("D"),
            more=N_("Compare the treated with the holdout, not with the previous quarter."),
        ),
    ),
    hint=N_("What would the lapsed customers have done without a call? The segment's holdout answers that."),
    more_hint=N_("Compare the mean orders per customer of the treated and of the holdout of the lapsed segment."),
    near_misses=lambda: other_letters("".join(WINBACK_OPTIONS), _winback_reading()),
)


# --- 7. what can make a winner disappoint -----------------------------------------------------------
#: The statements of the next-round question (the workbook prints them).
NEXT_ROUND_STATEMENTS = Options({
    "A": N_("Customers who got coupons may learn to wait for the next one, so they buy less without one."),
    "B": N_("Customers contacted again respond less to the same action and get less satisfied."),
    "C": N_("Next round the holdout is larger, so the measured gain is smaller."),
    "D": N_("The round-1 result was partly luck: its interval was wide, so the next draw can be lower."),
    "E": N_("The budget is smaller in round 2."),
})
#: What the sandbox's rules say (page "The rules" and "The actions"): the holdout share and the budget
#: are the same every round; coupons, repeated contacts and noise are its documented side effects.
NEXT_ROUND_TRUE = frozenset("ABD")


def _next_round_variants(letter: str) -> Any:
    return lambda: [chosen for chosen in all_selections("".join(NEXT_ROUND_STATEMENTS))
                    if (letter in chosen) != (letter in NEXT_ROUND_TRUE)]


next_round = Exercise(
    id="sandbox.next_round",
    prompt=N_("A team repeats in round 2 exactly the plan that earned the most in round 1, on the same customers. What "
              "can make it earn less this time? Give all letters that apply."),
    expected=lambda: NEXT_ROUND_TRUE,
    compare=compare_choice_set,
    kind="interpret",
    form=MultiChoice(NEXT_ROUND_STATEMENTS),
    mistakes=(
        Mistake(
            "luck_forgotten",
            N_("One round is one draw: a wide interval means the next round can come out lower with the same plan "
               "and the same customers."),
            variants=_next_round_variants("D"),
            more=N_("Look at the width of the intervals in the practice round's table."),
        ),
        Mistake(
            "side_effects_forgotten",
            N_("Actions change what customers do next: read the side effects on the chapter page again (coupons, "
               "and contacting the same customers round after round)."),
            variants=lambda: [chosen for letter in "AB" for chosen in _next_round_variants(letter)()],
            more=N_("Which actions leave a mark on the customers for the following rounds?"),
        ),
        Mistake(
            "rules_change",
            N_("The rules are the same every round: the holdout is the same share of each segment and the budget "
               "the same amount."),
            variants=lambda: [chosen for letter in "CE" for chosen in _next_round_variants(letter)()],
            more=N_("Re-read the rules on the chapter page: the holdout and the budget."),
        ),
    ),
    hint=N_("Think of three things: what the first round's actions did to the customers, what repeating a contact does, "
            "and how sure the first result was."),
    more_hint=N_("Check each statement against the rules of the game (holdout, budget) and its documented side effects."),
    near_misses=lambda: [selection for selection in all_selections("".join(NEXT_ROUND_STATEMENTS))
                         if selection != NEXT_ROUND_TRUE and len(selection ^ NEXT_ROUND_TRUE) == 1],
)


EXERCISES: tuple[Exercise, ...] = (
    incremental_profit,
    roi,
    ci_low,
    earned,
    lost,
    winback_reading,
    next_round,
)
