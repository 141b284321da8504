"""The checked exercises of the complaint-handling workbook (``notebooks/complaints_workbook.ipynb``).

Every expected answer is computed from the shipped tickets and orders with the parameters below
(the workbook prints the same ones); every mistake computes the answer a participant with that
misconception would produce, so a hint is given only when the answer really is that mistake.

Each comparison accepts the precision its prompt states and nothing wider: the SLA met rate and
the repeat share to 4 decimals (one ticket of 2,558 is 0.0004, so 3 decimals could not tell a
ticket more or less), shares of customers to 3 decimals, hours to 2 decimals. Each exercise
computes its *near misses* (one ticket or one customer more or less, whole hours instead of
exact ones, one category too many, a result rounded more coarsely than asked) and the exercise
contract test checks that none of them is accepted.

The classification exercises (Maslow levels, handling steps, the ethical line) take a dict of
letters, checked against a set of acceptable letters per item; the interpretation questions
(``kind="interpret"``) take the facts their statements rely on from the same computations as the
data exercises, so their answer key follows the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.complaints import (
    cause_pareto,
    handling_groups,
    recovery_outcomes,
    repeat_complaints,
    sla_report,
)
from cvmlib.datasets import load_complaints, load_orders
from cvmlib.feedback import (
    Exercise,
    Mistake,
    NotComparable,
    chosen_option,
    compare_choice,
    compare_choice_set,
    compare_mapping,
    compare_scalar,
    compare_series,
)
from cvmlib.complaints import CATEGORIES
from cvmlib.display import readable
from cvmlib.exercises.wrong_answers import (
    Options,
    decimals_tolerance,
    misjudged,
    one_off,
    other_letters,
    single_deviations,
    statement_variants,
)
from cvmlib.forms import Choice, MultiChoice
from cvmlib.forms import Mapping as MappingForm
from cvmlib.i18n import N_, _, language

#: The export time of the data: open tickets are measured up to it.
AS_OF = "2025-12-31 23:59:59"
#: Resolution targets of the workbook, in clock hours per severity.
RESOLUTION_TARGETS = {"low": 72.0, "medium": 48.0, "high": 24.0}
#: First-response targets of the workbook, in clock hours per severity.
FIRST_RESPONSE_TARGETS = {"low": 4.0, "medium": 2.0, "high": 1.0}
#: Window (days) for "bought again" after the complained-about order.
WINDOW_DAYS = 180


# Precision of each exercise, as its prompt states it.
#: Hours to 2 decimals (18 seconds): whole hours, or days times 24, are far off.
_hours_2dp = partial(compare_series, rtol=0.0, atol=decimals_tolerance(2))
#: Shares of the 2,558 tickets to 4 decimals: one ticket is 1/2,548 of the decided ones (0.0004).
_ticket_share = partial(compare_scalar, rtol=0.0, atol=decimals_tolerance(4))
#: Shares of customers to 3 decimals: one customer in the largest handling group (422) is 0.0024.
_customer_shares = partial(compare_series, rtol=0.0, atol=decimals_tolerance(3))


@cache
def _tickets() -> pd.DataFrame:
    return load_complaints()


@cache
def _orders() -> pd.DataFrame:
    return load_orders()


def _hours(tickets: pd.DataFrame, end: str = "resolved_at") -> pd.Series:
    return (tickets[end] - tickets["opened_at"]).dt.total_seconds() / 3600


def _by_severity(values: pd.Series, how: str) -> pd.Series:
    grouped = values.groupby(_tickets()["severity"].astype("str").rename("severity"))
    return grouped.agg(how).reindex(list(RESOLUTION_TARGETS)).rename_axis("severity")


# --------------------------------------------------------------------------------------------
# Near misses: the smallest wrong answers
# --------------------------------------------------------------------------------------------
def _bumped(values: pd.Series, by: float, position: int = 0) -> pd.Series:
    """``values`` with the one value at ``position`` changed by ``by``: one group wrong."""
    out = values.astype("float64").copy()
    out.iloc[position] += by
    return out


# --- 1. median resolution time ----------------------------------------------------------------
def _median_hours() -> pd.Series:
    return _by_severity(_hours(_tickets()), "median")


def _open_counted_to_as_of() -> pd.Series:
    waited = (pd.Timestamp(AS_OF) - _tickets()["opened_at"]).dt.total_seconds() / 3600
    return _by_severity(_hours(_tickets()).fillna(waited), "median")


median_resolution = Exercise(
    id="complaints.median_resolution_hours",
    prompt=N_("Median resolution time (clock hours, opened_at -> resolved_at, to 2 decimals) of the resolved tickets, "
       "per severity."),
    expected=_median_hours,
    compare=_hours_2dp,
    mistakes=(
        Mistake(
            "days_not_hours",
            N_("Your numbers are 24 times too small: those are days. The task asks for hours."),
            answer=lambda: _by_severity(_hours(_tickets()) / 24, "median"),
            more=N_("Convert the whole time difference into hours, the fraction of an hour included."),
        ),
        Mistake(
            "mean_not_median",
            N_("That is the mean. Resolution times are skewed (a few tickets take weeks), so the task asks "
               "for the median."),
            answer=lambda: _by_severity(_hours(_tickets()), "mean"),
            more=N_("The median is the middle ticket of each severity, unmoved by the few very long ones."),
        ),
        Mistake(
            "dt_seconds_drops_days",
            N_("Your times never exceed 24 hours: the seconds part of a time difference counts only the time "
               "WITHIN the day and drops whole days. Convert the whole difference."),
            answer=lambda: _by_severity(
                ((_tickets()["resolved_at"] - _tickets()["opened_at"]).dt.seconds / 3600), "median"),
            more=N_("A ticket resolved after 2 days and 3 hours took 51 hours, not 3."),
        ),
        Mistake(
            "dt_hours_component",
            N_("You used the hours component of the time difference (0..23), which drops whole days. Convert the "
               "whole difference into hours."),
            answer=lambda: _by_severity(
                (_tickets()["resolved_at"] - _tickets()["opened_at"]).dt.components["hours"].astype("float64"),
                "median"),
            more=N_("A ticket resolved after 2 days and 3 hours took 51 hours, not 3."),
        ),
        Mistake(
            "whole_days_times_24",
            N_("You counted whole days and multiplied by 24, which drops the hours beyond the last full day. "
               "Convert the whole time difference into hours."),
            answer=lambda: _by_severity((_tickets()["resolved_at"] - _tickets()["opened_at"]).dt.days * 24.0,
                                        "median"),
            more=N_("Use the total length of the difference, not its days part."),
        ),
        Mistake(
            "first_response_not_resolution",
            N_("Those are first-response times (opened_at -> first_response_at). The task asks for the "
               "resolution time: from opening to resolved_at."),
            answer=lambda: _by_severity(_hours(_tickets(), "first_response_at"), "median"),
            more=N_("Check which timestamp your difference ends at."),
        ),
        Mistake(
            "open_counted_to_as_of",
            N_("You gave the open tickets a resolution time up to AS_OF. They are not resolved yet: leave them out "
               "of the median (the SLA exercise is where they count)."),
            answer=_open_counted_to_as_of,
            more=N_("A ticket without resolved_at has no resolution time."),
        ),
    ),
    hint=N_("Resolution time is the clock time from opening to resolution, in hours with the fraction; take its "
       "median within each severity. Open tickets have no resolution time yet."),
    more_hint=N_("Look at the Timedelta of one ticket resolved after more than a day: your conversion must keep both "
       "its days and its hours, minutes and seconds."),
    near_misses=lambda: [
        _by_severity(np.floor(_hours(_tickets())), "median"),   # whole hours before the median
        _median_hours().round(1),
        _by_severity((_tickets()["resolved_at"] - _tickets()["opened_at"]).dt.days * 24.0, "median"),
        _open_counted_to_as_of(),
        _bumped(_median_hours(), 1 / 60),                        # one minute off in one severity
    ],
)


# --- 2. SLA met rate --------------------------------------------------------------------------
def _sla_counts() -> tuple[int, int]:
    """(met, breached) tickets of the resolution SLA at AS_OF."""
    total = sla_report(_tickets(), RESOLUTION_TARGETS, as_of=AS_OF).loc["total"]
    return int(total["met"]), int(total["breached"])


def _sla_rate() -> float:
    return float(sla_report(_tickets(), RESOLUTION_TARGETS, as_of=AS_OF).loc["total", "met_rate"])


def _sla_variant(kind: str) -> float:
    tickets = _tickets()
    hours = _hours(tickets)
    target = tickets["severity"].astype("str").map(RESOLUTION_TARGETS).astype("float64")
    met = int((hours <= target).sum())
    if kind == "resolved_only":
        return met / int(hours.notna().sum())
    if kind == "all_tickets":
        return met / len(tickets)
    if kind == "days":
        return int((hours / 24 <= target).sum()) / int(hours.notna().sum())
    if kind == "first_response":
        return float(sla_report(tickets, FIRST_RESPONSE_TARGETS, as_of=AS_OF, measure="first_response")
                     .loc["total", "met_rate"])
    raise ValueError(kind)


sla_met_rate = Exercise(
    id="complaints.sla_met_rate",
    prompt=N_("Share (0..1, to 4 decimals) of decided tickets that met their resolution target; open tickets past "
       "their target at AS_OF are breaches."),
    expected=_sla_rate,
    compare=_ticket_share,
    mistakes=(
        Mistake(
            "resolved_only",
            N_("You counted the resolved tickets only. A ticket still open long after its target has breached "
               "the SLA too (the worst breach of all): add the open tickets whose waiting time at AS_OF "
               "exceeds their target to the breaches."),
            answer=lambda: _sla_variant("resolved_only"),
            more=N_("An open ticket has no resolution time, but it has a waiting time: from opened_at to AS_OF."),
        ),
        Mistake(
            "pending_in_denominator",
            N_("You divided by all tickets. Open tickets whose target has not passed yet are still undecided: "
               "leave them out of the denominator (met + breached)."),
            answer=lambda: _sla_variant("all_tickets"),
            more=N_("Three groups: met, breached, pending. The rate uses only the first two."),
        ),
        Mistake(
            "days_against_hour_targets",
            N_("Your rate is far too high: you compared times in DAYS with targets in HOURS. Convert the "
               "times to hours first."),
            answer=lambda: _sla_variant("days"),
            more=N_("A target of 24 means 24 hours."),
        ),
        Mistake(
            "percent_not_fraction",
            N_("Right idea, but give a fraction between 0 and 1, not a percentage."),
            answer=lambda: 100 * _sla_rate(),
            more=N_("Divide by 100."),
        ),
        Mistake(
            "first_response_targets",
            N_("That is the FIRST-RESPONSE SLA. This exercise measures the resolution: resolved_at against "
               "RESOLUTION_TARGETS."),
            answer=lambda: _sla_variant("first_response"),
            more=N_("Check which targets and which timestamp your comparison uses."),
        ),
    ),
    hint=N_("Every ticket is met, breached or still pending at AS_OF; the rate compares the met tickets with all "
       "decided ones (met or breached), and an open ticket already past its target is decided: breached."),
    more_hint=N_("For the open tickets, compare the time from opening to AS_OF with the target; the resolved ones "
       "compare their resolution time with it."),
    near_misses=lambda: [
        round(_sla_rate(), 3),
        (_sla_counts()[0] - 1) / sum(_sla_counts()),             # one met ticket fewer
        _sla_counts()[0] / (sum(_sla_counts()) + 1),             # one decided ticket more
        _sla_variant("resolved_only"),
    ],
)


# --- 3. the vital few causes ------------------------------------------------------------------
def _category_names() -> dict[str, str]:
    """The names of the complaint categories in either edition ("delivery delay", its Chinese name) -> code."""
    names: dict[str, str] = {}
    for edition in ("en", "zh"):
        with language(edition):
            names |= {readable(code).casefold(): code for code in CATEGORIES}
    return names


def compare_set(answer: Any, expected: frozenset[str]) -> str | None:
    """Compare a collection of labels with the expected set (order and case do not matter).

    A complaint category may also be given by its name as either edition shows it ("delivery delay",
    its Chinese name): the name means the category.

    >>> compare_set(["B", "a"], frozenset({"a", "b"})) is None
    True
    >>> compare_set(["a"], frozenset({"a", "b"}))
    'Your list has 1 of the 2 expected labels and 0 others.'
    """
    if isinstance(answer, (str, bytes)) or isinstance(answer, Mapping) or not hasattr(answer, "__iter__"):
        raise NotComparable(_("Expected a list of labels, got {type}.").format(type=type(answer).__name__))
    if isinstance(answer, pd.Series) and answer.dtype == bool:  # a vital_few column: its True labels
        answer = answer.index[answer.to_numpy()]
    names = _category_names()
    got = {names.get(label, label).casefold() for label in (str(x).strip().casefold() for x in answer)}
    want = {x.casefold() for x in expected}
    if got == want:
        return None
    return _("Your list has {right} of the {expected} expected labels and {others} others.").format(
        right=len(got & want), expected=len(want), others=len(got - want))


def _pareto_order(ascending: bool = False) -> pd.Series:
    return _tickets()["category"].astype("str").value_counts().sort_values(ascending=ascending)


def _pareto_variant(boundary: bool, ascending: bool = False) -> frozenset[str]:
    counts = _pareto_order(ascending)
    cumulative = counts.cumsum() / counts.sum()
    keep = cumulative.shift(fill_value=0) < 0.8 if boundary else cumulative <= 0.8
    return frozenset(counts.index[keep.to_numpy()])


def _vital_few() -> frozenset[str]:
    return frozenset(cause_pareto(_tickets()).query("vital_few").index)


vital_few = Exercise(
    id="complaints.vital_few",
    prompt=N_("Which complaint categories are the 'vital few' that make the first 80 % of the tickets (largest first)?"),
    expected=_vital_few,
    compare=compare_set,
    mistakes=(
        Mistake(
            "boundary_cause_left_out",
            N_("Almost: the category that takes the cumulative share past 80 % is needed to reach 80 %, so it "
               "belongs to the vital few too."),
            answer=lambda: _pareto_variant(boundary=False),
            more=N_("Look at the cumulative share just BEFORE each category: is it still below 80 %?"),
        ),
        Mistake(
            "ascending_sort",
            N_("You started from the RAREST categories. A Pareto chart sorts causes from the most frequent down."),
            answer=lambda: _pareto_variant(boundary=True, ascending=True),
            more=N_("The first category of the chart is the one with the most tickets."),
        ),
        Mistake(
            "one_too_many",
            N_("You kept a category after the 80 % line was already reached: once the categories before it make "
               "80 %, it is one of the 'useful many'."),
            answer=lambda: frozenset(_pareto_order().index[:len(_vital_few()) + 1]),
            more=N_("Stop at the first category whose cumulative share reaches 80 %."),
        ),
    ),
    hint=N_("Sort the categories from the most frequent down and follow the cumulative share of tickets: which "
       "categories do you need to reach 80 %?"),
    more_hint=N_("The last vital category is the one whose cumulative share first reaches or passes 80 %; the share "
       "before it is still below."),
    near_misses=lambda: [
        sorted(_pareto_variant(boundary=False)),
        list(_pareto_order().index[:len(_vital_few()) + 1]),
        list(_pareto_order().index[:len(_vital_few()) - 1]),
        list(_pareto_order().index[1:len(_vital_few()) + 1]),
    ],
)


# --- 4. repeat complaints ---------------------------------------------------------------------
def _repeat_share() -> float:
    return float(repeat_complaints(_tickets()).mean())


def _repeat_variant(kind: str) -> float:
    counts = _tickets()["customer_id"].value_counts()
    if kind == "customers_with_repeat_tickets":
        return float(counts[counts > 1].sum() / counts.sum())
    if kind == "customer_share":
        return float((counts > 1).mean())
    if kind == "same_category":
        return float(_tickets().sort_values("opened_at").duplicated(["customer_id", "category"]).mean())
    raise ValueError(kind)


repeat_share = Exercise(
    id="complaints.repeat_share",
    prompt=N_("Share (0..1, to 4 decimals) of all tickets that are repeat complaints (the customer had opened an "
       "earlier ticket)."),
    expected=_repeat_share,
    compare=_ticket_share,
    mistakes=(
        Mistake(
            "first_ticket_counted",
            N_("You counted every ticket of a repeat complainer, including their FIRST one, which was not a "
               "repeat when it was opened."),
            answer=lambda: _repeat_variant("customers_with_repeat_tickets"),
            more=N_("A customer with 3 tickets has 2 repeats."),
        ),
        Mistake(
            "customer_share",
            N_("That is the share of complaining CUSTOMERS with more than one ticket. The task asks for the "
               "share of TICKETS that are repeats."),
            answer=lambda: _repeat_variant("customer_share"),
            more=N_("The denominator is the number of tickets."),
        ),
        Mistake(
            "count_not_share",
            N_("You gave the NUMBER of repeat tickets; the task asks for their share of all tickets."),
            answer=lambda: float(repeat_complaints(_tickets()).sum()),
            more=N_("Divide by the number of tickets."),
        ),
        Mistake(
            "same_category_only",
            N_("You counted a ticket as a repeat only when the earlier ticket had the same category. The task "
               "counts any earlier ticket of the same customer."),
            answer=lambda: _repeat_variant("same_category"),
            more=N_("Group by customer only, not by customer and category."),
        ),
    ),
    hint=N_("A ticket is a repeat when the same customer has an earlier ticket: every ticket of a customer except "
       "their first. The share is taken of all tickets."),
    more_hint=N_("Count the tickets per customer: each customer contributes one ticket fewer repeats than tickets."),
    near_misses=lambda: [
        round(_repeat_share(), 3),
        _repeat_share() - 1 / len(_tickets()),
        _repeat_share() + 1 / len(_tickets()),
        _repeat_variant("same_category"),
    ],
)


# --- 5. later buying by handling quality ------------------------------------------------------
@cache
def first_tickets() -> pd.DataFrame:
    """Each complaining customer's first ticket, with the order's date and the handling group."""
    tickets = _tickets().merge(_orders()[["order_id", "order_date"]], on="order_id", how="left")
    first = tickets.sort_values(["opened_at", "ticket_id"]).drop_duplicates("customer_id")
    first = first.assign(handling=handling_groups(first["satisfaction_after"]).astype("str"))
    return first[["customer_id", "order_id", "order_date", "opened_at", "handling"]].reset_index(drop=True)


def _rebuy_variant(strict: bool = True, complete_only: bool = True, start: str = "order_date") -> pd.Series:
    first = first_tickets()
    if complete_only:
        first = first[first[start] + pd.Timedelta(days=WINDOW_DAYS) <= pd.Timestamp(AS_OF)]
    pairs = first.merge(_orders()[["customer_id", "order_date"]].rename(columns={"order_date": "later"}),
                        on="customer_id")
    gap = pairs["later"] - pairs[start]
    after = (gap > pd.Timedelta(0)) if strict else (gap >= pd.Timedelta(0))
    pairs["hit"] = after & (gap <= pd.Timedelta(days=WINDOW_DAYS))
    bought = pairs.groupby("customer_id")["hit"].any()
    return bought.groupby(first.set_index("customer_id")["handling"]).mean().rename_axis("handling")


@cache
def _recovery_summary() -> pd.DataFrame:
    return recovery_outcomes(_tickets(), _orders(), end=AS_OF, window_days=WINDOW_DAYS, n_boot=10).summary


def _expected_rebuy() -> pd.Series:
    return _recovery_summary()["rate"].drop("no complaint").rename_axis("handling")


def _one_customer_less() -> pd.Series:
    """The largest handling group's rate with one buyer fewer."""
    summary = _recovery_summary().drop("no complaint")
    rates = _expected_rebuy()
    position = int(summary["customers"].to_numpy().argmax())
    return _bumped(rates, -1.0 / float(summary["customers"].iloc[position]), position)


rebuy_rate = Exercise(
    id="complaints.rebuy_rate",
    prompt=N_("Per handling group of the first ticket: share of customers (to 3 decimals) who ordered again within "
       "180 days after the complained-about order."),
    expected=_expected_rebuy,
    compare=_customer_shares,
    mistakes=(
        Mistake(
            "order_itself_counted",
            N_("Every rate is 1 (or close): your window includes the complained-about order itself. Count "
               "only orders strictly AFTER the reference date."),
            answer=lambda: _rebuy_variant(strict=False),
            more=N_("The complained-about order is at gap 0; the window starts just after it."),
        ),
        Mistake(
            "incomplete_windows",
            N_("You kept customers whose 180-day window runs past the end of the data (2025-12-31): they "
               "had less time to buy again, which lowers the rates. Keep only the complete windows."),
            answer=lambda: _rebuy_variant(complete_only=False),
            more=N_("A window is complete when order_date + 180 days is no later than AS_OF."),
        ),
        Mistake(
            "window_from_opening",
            N_("You started the window at the ticket's opening. The reference date of this exercise is the "
               "complained-about order's date (order_date), the same anchor as for the customers without "
               "a complaint."),
            answer=lambda: _rebuy_variant(start="opened_at"),
            more=N_("Measure every gap from order_date."),
        ),
    ),
    hint=N_("For each customer's first ticket, look at the orders after the complained-about order: did one fall "
       "within 180 days? Keep only the customers whose 180 days lie within the data, then average per handling "
       "group."),
    more_hint=N_("Check the edges: an order on order_date itself does not count, one on order_date + 180 days does, "
       "and the window must end by AS_OF."),
    near_misses=lambda: [
        _one_customer_less(),
        _expected_rebuy().round(2),
        _rebuy_variant(start="opened_at"),
    ],
)


# --- 6. Maslow levels of complaint demands ----------------------------------------------------
#: Maslow's levels as letters (the workbook prints them).
MASLOW_LEVELS: Options = Options({
    "A": N_("physiological (food, water, rest)"),
    "B": N_("safety (physical safety, security, predictability, money protected)"),
    "C": N_("love and belonging (being cared for, being part of the community)"),
    "D": N_("esteem (respect, recognition, status, being taken seriously)"),
    "E": N_("self-actualisation (growth, contributing, realising one's potential)"),
})
#: The complaint demands to classify, by key.
DEMANDS: Options = Options({
    "formula": N_("The baby formula I ordered is late and my child has nothing to eat tonight."),
    "charger": N_("The charger got hot and smelled of burning. Is it safe? I am afraid it will start a fire."),
    "double_charge": N_("You charged my card twice. I want written confirmation that it will not happen again."),
    "member": N_("I have been a member for six years and nobody even remembers me when I call."),
    "rude_agent": N_("Your agent laughed at me. I want an apology from a manager, in person."),
    "product_panel": N_("The design of this stroller is bad. Let me test your next model so I can help make it right."),
})
BEST_LEVELS: dict[str, frozenset[str]] = {
    "formula": frozenset("A"),
    "charger": frozenset("B"),
    "double_charge": frozenset("B"),
    "member": frozenset("CD"),  # belonging, and being recognised: both are defensible
    "rude_agent": frozenset("D"),
    "product_panel": frozenset("E"),
}



maslow = Exercise(
    id="complaints.maslow_levels",
    prompt=N_("Map each complaint demand to the Maslow level (A-E) of the need behind it."),
    expected=lambda: BEST_LEVELS,
    compare=compare_mapping,
    kind="interpret",
    form=MappingForm(DEMANDS, MASLOW_LEVELS),
    mistakes=(
        Mistake(
            "money_as_esteem",
            N_("The double charge is about money and predictability being protected: a SAFETY need, not a "
               "matter of status."),
            applies=lambda answer: chosen_option(answer, "double_charge") in {"C", "D"},
            more=N_("What does the customer fear: losing face, or losing money again without warning?"),
        ),
        Mistake(
            "apology_as_belonging",
            N_("A demanded apology after being laughed at is about respect: ESTEEM. The customer wants to be "
               "taken seriously, not to belong."),
            applies=lambda answer: chosen_option(answer, "rude_agent") in {"C", "E"},
            more=N_("Being laughed at hurts a person's standing; the demand (a manager, in person) restores it."),
        ),
        Mistake(
            "contribution_as_esteem",
            N_("Wanting to help make the product right is about contributing and growth: SELF-ACTUALISATION. "
               "Such customers are potential co-creators, not status seekers."),
            applies=lambda answer: chosen_option(answer, "product_panel") in {"C", "D"},
            more=N_("The customer offers to help improve the next model: growth and contribution, the top level."),
        ),
        Mistake(
            "charger_as_physiological",
            N_("Fear of a fire is a SAFETY need (protection from harm); physiological needs are food, water "
               "and rest, like the formula."),
            applies=lambda answer: chosen_option(answer, "charger") == "A",
            more=N_("Physiological is the body's needs (food, water, rest); protection from harm is the next level."),
        ),
    ),
    hint=N_("Ask what the customer fears losing or wants to gain: survival (A), protection (B), connection "
       "(C), respect (D), growth (E)."),
    more_hint=N_("Read each demand's second sentence: it usually says what the customer wants to be sure of."),
    near_misses=lambda: single_deviations(BEST_LEVELS, "".join(MASLOW_LEVELS)),
)


# --- 7. where the handling process fails ------------------------------------------------------
#: The steps of the handling process, as letters (the workbook prints them).
STEPS: Options = Options({
    "A": N_("listen"),
    "B": N_("acknowledge"),
    "C": N_("apologise (where due)"),
    "D": N_("solve"),
    "E": N_("confirm"),
    "F": N_("follow up"),
})
#: Failure symptoms observed in tickets and calls, by key.
SYMPTOMS: Options = Options({
    "interrupts": N_("The agent offers a voucher before the customer has finished explaining what happened."),
    "not_our_fault": N_("The agent says 'the courier is not our company, you must call them'."),
    "sorry_for_feelings": N_("The agent says 'I'm sorry you feel that way' after the wrong item was shipped."),
    "closed_unfixed": N_("The ticket is closed as resolved; the replacement never left the warehouse."),
    "no_check_back": N_("Nobody checks, a week later, whether the repaired washing machine works."),
    "no_summary": N_("The agent promises 'we will sort it out' without saying what, by when, and what the customer will receive."),
})
BEST_STEPS: dict[str, frozenset[str]] = {
    "interrupts": frozenset("A"),
    "not_our_fault": frozenset("B"),
    "sorry_for_feelings": frozenset("C"),
    "closed_unfixed": frozenset("DE"),  # not solved, and the solution was never confirmed
    "no_check_back": frozenset("F"),
    "no_summary": frozenset("E"),
}

handling_steps = Exercise(
    id="complaints.handling_steps",
    prompt=N_("For each failure symptom, which step of the handling process (A-F) failed?"),
    expected=lambda: BEST_STEPS,
    compare=compare_mapping,
    kind="interpret",
    form=MappingForm(SYMPTOMS, STEPS),
    mistakes=(
        Mistake(
            "non_apology",
            N_("'I'm sorry you feel that way' blames the customer's feelings: it is a failed APOLOGY. Where the "
               "company made the mistake, apologise for the mistake."),
            applies=lambda answer: chosen_option(answer, "sorry_for_feelings") in {"A", "B"},
            more=N_("Ask what the agent apologised for: the customer's feelings, or the company's mistake?"),
        ),
        Mistake(
            "deflection_as_solving",
            N_("Passing the customer to the courier denies that the problem is ours: the ACKNOWLEDGE step "
               "failed before any solving started. To the customer, the courier is part of our service."),
            applies=lambda answer: chosen_option(answer, "not_our_fault") == "D",
            more=N_("Before anything can be solved, the agent must accept that the problem is the company's to solve."),
        ),
        Mistake(
            "follow_up_vs_confirm",
            N_("Confirming happens at the end of the conversation (what, by when, what you receive); following "
               "up happens later (did it work?). Check which of the two each symptom lacks."),
            applies=lambda answer: chosen_option(answer, "no_check_back") == "E" or chosen_option(answer, "no_summary") == "F",
            more=N_("Is the symptom about the end of the call (agreeing what happens) or about a week later?"),
        ),
    ),
    hint=N_("Walk through the call in order: did the agent hear the story, own the problem, apologise for the "
       "mistake, fix it, agree the outcome, and check later?"),
    more_hint=N_("Place each symptom on the timeline of the case: during the customer's story, at the apology, at the "
       "solution, at the end of the call, or days later."),
    near_misses=lambda: single_deviations(BEST_STEPS, "".join(STEPS)),
)


# --- 8. the ethical line ----------------------------------------------------------------------
#: Conversation tactics to judge: "A" acceptable, "B" over the line.
TACTICS: Options = Options({
    "fair_first_offer": N_("Open with a fair, concrete remedy that you can justify (the order value for a lost parcel)."),
    "invented_cap": N_("Tell the customer '200 CNY is the maximum our system allows' when there is no such cap."),
    "gain_frame_true": N_("Describe the remedy by what the customer gets ('you keep the item and receive 80 CNY back')."),
    "hide_right": N_("Offer a voucher quickly so the customer does not ask about the legal right to a full refund."),
    "midpoint_explained": N_("Propose meeting halfway between two reasonable numbers and explain how you got there."),
    "fake_deadline": N_("Say 'this offer expires in ten minutes' to stop the customer from thinking it over."),
})
ETHICAL: dict[str, frozenset[str]] = {
    "fair_first_offer": frozenset("A"),
    "invented_cap": frozenset("B"),
    "gain_frame_true": frozenset("A"),
    "hide_right": frozenset("B"),
    "midpoint_explained": frozenset("A"),
    "fake_deadline": frozenset("B"),
}

#: The two answers of the ethics exercise, as its answer form offers them (the letters its check compares).
ETHICAL_OPTIONS: Options = Options({
    "A": N_("acceptable influence"),
    "B": N_("over the ethical line (deception or pressure)"),
})

ethics = Exercise(
    id="complaints.ethical_line",
    prompt=N_("For each tactic: A = acceptable influence, B = over the ethical line (deception or pressure)."),
    expected=lambda: ETHICAL,
    compare=compare_mapping,
    kind="interpret",
    form=MappingForm(TACTICS, ETHICAL_OPTIONS),
    mistakes=(
        Mistake(
            "all_anchoring_bad",
            N_("Anchoring and framing are not wrong in themselves: a fair first offer and a true description "
               "of the remedy help the customer. The line is crossed by false information, hidden rights "
               "and artificial pressure."),
            applies=lambda answer: chosen_option(answer, "fair_first_offer") == "B" or chosen_option(answer, "gain_frame_true") == "B"
            or chosen_option(answer, "midpoint_explained") == "B",
            more=N_("Ask of each tactic: is every word of it true, and can the customer still say no?"),
        ),
        Mistake(
            "lie_accepted",
            N_("An invented limit, a hidden right or a fake deadline deceives the customer. It may close this "
               "ticket, but it breaks trust (and, for rights, the law) once found out."),
            applies=lambda answer: any(chosen_option(answer, key) == "A" for key in ("invented_cap", "hide_right", "fake_deadline")),
            more=N_("Imagine the customer finds out afterwards how the tactic worked: would they feel informed or tricked?"),
        ),
    ),
    hint=N_("Ask: is every statement true, does the customer keep all their options, and would you be "
       "comfortable if the customer heard how you planned the conversation?"),
    more_hint=N_("Sort the tactics by one question: would the tactic still work if the customer knew exactly what "
       "you were doing and why?"),
    near_misses=lambda: single_deviations(ETHICAL, "AB"),
)

# --- 9-10. interpretation and decisions -------------------------------------------------------
#: The options of the SLA-focus question: severities as letters (the workbook prints them).
SLA_FOCUS_OPTIONS: dict[str, str] = {"A": "low", "B": "medium", "C": "high"}


@cache  # read-only, from the cached tickets: every check of the SLA-focus question reads it
def _breaches_by_severity() -> pd.Series:
    report = sla_report(_tickets(), RESOLUTION_TARGETS, as_of=AS_OF).drop("total")
    return report["breached"]


def _sla_focus() -> frozenset[str]:
    worst = _breaches_by_severity().idxmax()
    return frozenset(letter for letter, severity in SLA_FOCUS_OPTIONS.items() if severity == worst)


@cache  # read-only, from the cached tickets: each wrong answer is compared with both rules
def _letter_of(severity_rule: str) -> frozenset[str]:
    """The letter of the severity a mistaken rule picks (lowest rate, most tickets)."""
    report = sla_report(_tickets(), RESOLUTION_TARGETS, as_of=AS_OF).drop("total")
    severity = report["met_rate"].idxmin() if severity_rule == "lowest_rate" else report["tickets"].idxmax()
    return frozenset(letter for letter, name in SLA_FOCUS_OPTIONS.items() if name == severity)


sla_focus = Exercise(
    id="complaints.sla_focus",
    prompt=N_("The team can fix the resolution process of one severity first. Which one raises the TOTAL met rate "
       "the most if all its breaches became met? One letter."),
    expected=_sla_focus,
    compare=compare_choice,
    kind="interpret",
    form=Choice({letter: partial(readable, severity) for letter, severity in SLA_FOCUS_OPTIONS.items()}),
    mistakes=(
        Mistake(
            "lowest_rate_not_most_breaches",
            N_("That severity has the lowest met RATE, but the total rate counts TICKETS: a low rate on few "
               "tickets can be fewer breaches than a middling rate on many."),
            answer=lambda: _letter_of("lowest_rate"),
            more=N_("Look at the number of breached tickets per severity in the SLA report, not at the rate."),
        ),
        Mistake(
            "most_tickets_not_most_breaches",
            N_("That severity has the most tickets, but most of them already meet their target: only the "
               "BREACHED tickets can be turned into met ones."),
            answer=lambda: _letter_of("most_tickets"),
            more=N_("Look at the number of breached tickets per severity in the SLA report."),
        ),
    ),
    hint=N_("If every breach of one severity became met, the total met rate would rise by that severity's number "
       "of breaches divided by the decided tickets: compare the severities on that number."),
    more_hint=N_("The SLA report of the resolution measure has a column with the breached tickets per severity."),
    near_misses=lambda: other_letters("".join(SLA_FOCUS_OPTIONS), _sla_focus()),
)


#: The statements of the recovery question (the workbook prints them).
RECOVERY_STATEMENTS: Options = Options({
    "A": N_("Customers whose first complaint was badly resolved bought again less often than those whose complaint "
            "was well resolved."),
    "B": N_("Of the four handling groups, the unresolved complaints have the lowest rate of buying again."),
    "C": N_("Well-resolved complainers bought again at least as often as customers without a complaint, so the "
            "retailer should let some orders fail in order to recover them."),
    "D": N_("The raw rates alone cannot show that good handling CAUSES more buying: customers who buy a lot have "
            "more orders that can go wrong and more chances to buy again."),
    "E": N_("More than half of the badly resolved complainers still bought again within 180 days."),
})


@cache  # from the cached recovery summary: each mistake's variants ask for it again
def _recovery_truth() -> frozenset[str]:
    rates = _expected_rebuy()
    facts = {
        "A": rates["badly resolved"] < rates["well resolved"],
        "B": rates.idxmin() == "unresolved",
        "C": False,  # creating failures to recover from is never the conclusion, whatever the rates
        "D": True,   # observational rates: who complains is not random
        "E": rates["badly resolved"] > 0.5,
    }
    return frozenset(letter for letter, true in facts.items() if true)


recovery_reading = Exercise(
    id="complaints.recovery_reading",
    prompt=N_("Which statements do the rebuy rates per handling group (and the comparison with customers without a "
       "complaint) support? Give all letters that apply."),
    expected=_recovery_truth,
    compare=compare_choice_set,
    kind="interpret",
    form=MultiChoice(RECOVERY_STATEMENTS),
    mistakes=(
        Mistake(
            "paradox_as_policy",
            N_("Even if recovered customers bought more, making orders fail on purpose would cost the customers "
               "who are NOT recovered, and the rates do not show that recovery causes loyalty."),
            variants=statement_variants("C", RECOVERY_STATEMENTS, _recovery_truth),
            more=N_("Who complains is not random: compare the adjusted rate and its interval in the recovery table."),
        ),
        Mistake(
            "confounding_missed",
            N_("The rates are observed, not the result of an experiment: customers who buy a lot both complain "
               "more and buy again more. That is why the recovery table adds an adjusted rate."),
            variants=statement_variants("D", RECOVERY_STATEMENTS, _recovery_truth),
            more=N_("Ask what else differs between the groups besides how their complaint was handled."),
        ),
        Mistake(
            "rates_misread",
            N_("At least one statement about the rates does not match the table: check A, B and E against the "
               "rebuy rates per handling group."),
            variants=lambda: [chosen for letter in "ABE" for chosen in
                              misjudged(letter, "".join(RECOVERY_STATEMENTS), _recovery_truth())
                              if ("C" in chosen) == ("C" in _recovery_truth())
                              and ("D" in chosen) == ("D" in _recovery_truth())],
            more=N_("Print the rebuy rates per handling group sorted from lowest to highest."),
        ),
    ),
    hint=N_("Check the statements about numbers against the rebuy rates per handling group; for the others ask what observed "
       "rates can and cannot prove."),
    more_hint=N_("Three statements are comparisons you can read off the rates; two are about causes and what to do."),
    near_misses=lambda: one_off("".join(RECOVERY_STATEMENTS), _recovery_truth()),
)

EXERCISES: tuple[Exercise, ...] = (
    median_resolution,
    sla_met_rate,
    sla_focus,
    vital_few,
    repeat_share,
    rebuy_rate,
    recovery_reading,
    maslow,
    handling_steps,
    ethics,
)

__all__ = [
    "AS_OF",
    "DEMANDS",
    "ETHICAL_OPTIONS",
    "EXERCISES",
    "FIRST_RESPONSE_TARGETS",
    "MASLOW_LEVELS",
    "RECOVERY_STATEMENTS",
    "RESOLUTION_TARGETS",
    "SLA_FOCUS_OPTIONS",
    "STEPS",
    "SYMPTOMS",
    "TACTICS",
    "WINDOW_DAYS",
    "compare_set",
    "decimals_tolerance",
    "first_tickets",
]
