"""The checked exercises of the complaint-handling workbook (``notebooks/complaints_workbook.ipynb``).

Every expected answer is computed from the shipped tickets and orders with the parameters below
(the workbook prints the same ones); every mistake computes the answer a participant with that
misconception would produce, so a hint is given only when the answer really is that mistake.
The three classification exercises (Maslow levels, handling steps, the ethical line) take a dict
of letters, checked against a set of acceptable letters per item.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import pandas as pd

from cvmlib.complaints import (
    cause_pareto,
    handling_groups,
    recovery_outcomes,
    repeat_complaints,
    sla_report,
)
from cvmlib.datasets import load_complaints, load_orders
from cvmlib.feedback import Exercise, Mistake, NotComparable, chosen_option, compare_mapping, compare_scalar, compare_series

#: The export time of the data: open tickets are measured up to it.
AS_OF = "2025-12-31 23:59:59"
#: Resolution targets of the workbook, in clock hours per severity.
RESOLUTION_TARGETS = {"low": 72.0, "medium": 48.0, "high": 24.0}
#: First-response targets of the workbook, in clock hours per severity.
FIRST_RESPONSE_TARGETS = {"low": 4.0, "medium": 2.0, "high": 1.0}
#: Window (days) for "bought again" after the complained-about order.
WINDOW_DAYS = 180


@cache
def _tickets() -> pd.DataFrame:
    return load_complaints()


@cache
def _orders() -> pd.DataFrame:
    return load_orders()


def _hours(tickets: pd.DataFrame) -> pd.Series:
    return (tickets["resolved_at"] - tickets["opened_at"]).dt.total_seconds() / 3600


def _by_severity(values: pd.Series, how: str) -> pd.Series:
    grouped = values.groupby(_tickets()["severity"].astype("str").rename("severity"))
    return grouped.agg(how).reindex(list(RESOLUTION_TARGETS)).rename_axis("severity")


# --- 1. median resolution time ----------------------------------------------------------------
median_resolution = Exercise(
    id="complaints.median_resolution_hours",
    prompt="Median resolution time (clock hours, opened_at -> resolved_at) of the resolved tickets, per severity.",
    expected=lambda: _by_severity(_hours(_tickets()), "median"),
    compare=lambda answer, expected: compare_series(answer, expected, rtol=1e-4),
    mistakes=(
        Mistake(
            "days_not_hours",
            "Your numbers are 24 times too small: those are days. The task asks for hours: divide the "
            "seconds by 3600 (or the Timedelta by pd.Timedelta(hours=1)).",
            answer=lambda: _by_severity(_hours(_tickets()) / 24, "median"),
        ),
        Mistake(
            "mean_not_median",
            "That is the mean. Resolution times are skewed (a few tickets take weeks), so the task asks "
            "for the median: .median() instead of .mean().",
            answer=lambda: _by_severity(_hours(_tickets()), "mean"),
        ),
        Mistake(
            "dt_seconds_drops_days",
            "Your times never exceed 24 hours: .dt.seconds is only the seconds part WITHIN the day and "
            "drops whole days. Use .dt.total_seconds() / 3600.",
            answer=lambda: _by_severity(
                ((_tickets()["resolved_at"] - _tickets()["opened_at"]).dt.seconds / 3600), "median"),
        ),
        Mistake(
            "dt_hours_component",
            "You used the hours component of the time difference (0..23), which drops whole days. Use "
            ".dt.total_seconds() / 3600.",
            answer=lambda: _by_severity(
                (_tickets()["resolved_at"] - _tickets()["opened_at"]).dt.components["hours"].astype("float64"),
                "median"),
        ),
    ),
    hint="hours = (resolved_at - opened_at).dt.total_seconds() / 3600; then the median per severity "
    "(open tickets have no resolution time yet and drop out).",
)


# --- 2. SLA met rate --------------------------------------------------------------------------
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
    raise ValueError(kind)


sla_met_rate = Exercise(
    id="complaints.sla_met_rate",
    prompt="Share (0..1) of decided tickets that met their resolution target; open tickets past their target at AS_OF are breaches.",
    expected=lambda: float(sla_report(_tickets(), RESOLUTION_TARGETS, as_of=AS_OF).loc["total", "met_rate"]),
    compare=lambda answer, expected: compare_scalar(answer, expected, rtol=1e-6),
    mistakes=(
        Mistake(
            "resolved_only",
            "You counted the resolved tickets only. A ticket still open long after its target has breached "
            "the SLA too (the worst breach of all): add the open tickets whose waiting time at AS_OF "
            "exceeds their target to the breaches.",
            answer=lambda: _sla_variant("resolved_only"),
        ),
        Mistake(
            "pending_in_denominator",
            "You divided by all tickets. Open tickets whose target has not passed yet are still undecided: "
            "leave them out of the denominator (met + breached).",
            answer=lambda: _sla_variant("all_tickets"),
        ),
        Mistake(
            "days_against_hour_targets",
            "Your rate is far too high: you compared times in DAYS with targets in HOURS. Convert the "
            "times to hours first.",
            answer=lambda: _sla_variant("days"),
        ),
        Mistake(
            "percent_not_fraction",
            "Right idea, but give a fraction between 0 and 1, not a percentage.",
            answer=lambda: 100 * float(sla_report(_tickets(), RESOLUTION_TARGETS, as_of=AS_OF).loc["total", "met_rate"]),
        ),
    ),
    hint="met = resolved within target; breached = resolved too late OR still open with (AS_OF - opened_at) "
    "above the target; rate = met / (met + breached).",
)


# --- 3. the vital few causes ------------------------------------------------------------------
def compare_set(answer: Any, expected: frozenset[str]) -> str | None:
    """Compare a collection of labels with the expected set (order and case do not matter).

    >>> compare_set(["B", "a"], frozenset({"a", "b"})) is None
    True
    >>> compare_set(["a"], frozenset({"a", "b"}))
    'Your list has 1 of the 2 expected labels and 0 others.'
    """
    if isinstance(answer, (str, bytes)) or isinstance(answer, Mapping) or not hasattr(answer, "__iter__"):
        raise NotComparable(f"Expected a list of labels, got {type(answer).__name__}.")
    if isinstance(answer, pd.Series) and answer.dtype == bool:  # a vital_few column: its True labels
        answer = answer.index[answer.to_numpy()]
    got = {str(x).strip().casefold() for x in answer}
    want = {x.casefold() for x in expected}
    if got == want:
        return None
    return f"Your list has {len(got & want)} of the {len(want)} expected labels and {len(got - want)} others."


def _pareto_variant(boundary: bool, ascending: bool = False) -> frozenset[str]:
    counts = _tickets()["category"].astype("str").value_counts().sort_values(ascending=ascending)
    cumulative = counts.cumsum() / counts.sum()
    keep = cumulative.shift(fill_value=0) < 0.8 if boundary else cumulative <= 0.8
    return frozenset(counts.index[keep.to_numpy()])


vital_few = Exercise(
    id="complaints.vital_few",
    prompt="Which complaint categories are the 'vital few' that make the first 80 % of the tickets (largest first)?",
    expected=lambda: frozenset(cause_pareto(_tickets()).query("vital_few").index),
    compare=compare_set,
    mistakes=(
        Mistake(
            "boundary_cause_left_out",
            "Almost: the category that takes the cumulative share past 80 % is needed to reach 80 %, so it "
            "belongs to the vital few too.",
            answer=lambda: _pareto_variant(boundary=False),
        ),
        Mistake(
            "ascending_sort",
            "You started from the RAREST categories. A Pareto chart sorts causes from the most frequent down.",
            answer=lambda: _pareto_variant(boundary=True, ascending=True),
        ),
    ),
    hint="Count tickets per category, sort descending, cumulative share; keep the categories whose share "
    "BEFORE them is below 0.8.",
)


# --- 4. repeat complaints ---------------------------------------------------------------------
def _repeat_variant(kind: str) -> float:
    counts = _tickets()["customer_id"].value_counts()
    if kind == "customers_with_repeat_tickets":
        return float(counts[counts > 1].sum() / counts.sum())
    if kind == "customer_share":
        return float((counts > 1).mean())
    raise ValueError(kind)


repeat_share = Exercise(
    id="complaints.repeat_share",
    prompt="Share (0..1) of all tickets that are repeat complaints (the customer had opened an earlier ticket).",
    expected=lambda: float(repeat_complaints(_tickets()).mean()),
    compare=lambda answer, expected: compare_scalar(answer, expected, rtol=1e-6),
    mistakes=(
        Mistake(
            "first_ticket_counted",
            "You counted every ticket of a repeat complainer, including their FIRST one, which was not a "
            "repeat when it was opened. Count tickets minus one per complaining customer.",
            answer=lambda: _repeat_variant("customers_with_repeat_tickets"),
        ),
        Mistake(
            "customer_share",
            "That is the share of complaining CUSTOMERS with more than one ticket. The task asks for the "
            "share of TICKETS that are repeats.",
            answer=lambda: _repeat_variant("customer_share"),
        ),
        Mistake(
            "count_not_share",
            "You gave the NUMBER of repeat tickets; the task asks for their share of all tickets.",
            answer=lambda: float(repeat_complaints(_tickets()).sum()),
        ),
    ),
    hint="A ticket is a repeat when the same customer has an earlier ticket: per customer, all tickets but "
    "the first. Divide by the number of tickets.",
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


def _expected_rebuy() -> pd.Series:
    summary = recovery_outcomes(_tickets(), _orders(), end=AS_OF, window_days=WINDOW_DAYS, n_boot=10).summary
    return summary["rate"].drop("no complaint").rename_axis("handling")


rebuy_rate = Exercise(
    id="complaints.rebuy_rate",
    prompt="Per handling group of the first ticket: share of customers who ordered again within 180 days after the complained-about order.",
    expected=_expected_rebuy,
    compare=lambda answer, expected: compare_series(answer, expected, rtol=1e-6),
    mistakes=(
        Mistake(
            "order_itself_counted",
            "Every rate is 1 (or close): your window includes the complained-about order itself. Count "
            "only orders strictly AFTER the reference date (> not >=).",
            answer=lambda: _rebuy_variant(strict=False),
        ),
        Mistake(
            "incomplete_windows",
            "You kept customers whose 180-day window runs past the end of the data (2025-12-31): they "
            "had less time to buy again, which lowers the rates. Keep only the complete windows.",
            answer=lambda: _rebuy_variant(complete_only=False),
        ),
        Mistake(
            "window_from_opening",
            "You started the window at the ticket's opening. The reference date of this exercise is the "
            "complained-about order's date (order_date), the same anchor as for the customers without "
            "a complaint.",
            answer=lambda: _rebuy_variant(start="opened_at"),
        ),
    ),
    hint="Keep first tickets with order_date + 180 days <= AS_OF; join the customer's orders; a customer "
    "bought again if any order falls in (order_date, order_date + 180 days]; average per handling group.",
)


# --- 6. Maslow levels of complaint demands ----------------------------------------------------
#: Maslow's levels as letters (the workbook prints them).
MASLOW_LEVELS = {
    "A": "physiological (food, water, rest)",
    "B": "safety (physical safety, security, predictability, money protected)",
    "C": "love and belonging (being cared for, being part of the community)",
    "D": "esteem (respect, recognition, status, being taken seriously)",
    "E": "self-actualisation (growth, contributing, realising one's potential)",
}
#: The complaint demands to classify, by key.
DEMANDS = {
    "formula": "The baby formula I ordered is late and my child has nothing to eat tonight.",
    "charger": "The charger got hot and smelled of burning. Is it safe? I am afraid it will start a fire.",
    "double_charge": "You charged my card twice. I want written confirmation that it will not happen again.",
    "member": "I have been a member for six years and nobody even remembers me when I call.",
    "rude_agent": "Your agent laughed at me. I want an apology from a manager, in person.",
    "product_panel": "The design of this stroller is bad. Let me test your next model so I can help make it right.",
}
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
    prompt="Map each complaint demand to the Maslow level (A-E) of the need behind it.",
    expected=lambda: BEST_LEVELS,
    compare=compare_mapping,
    mistakes=(
        Mistake(
            "money_as_esteem",
            "The double charge is about money and predictability being protected: a SAFETY need, not a "
            "matter of status.",
            applies=lambda answer: chosen_option(answer, "double_charge") in {"C", "D"},
        ),
        Mistake(
            "apology_as_belonging",
            "A demanded apology after being laughed at is about respect: ESTEEM. The customer wants to be "
            "taken seriously, not to belong.",
            applies=lambda answer: chosen_option(answer, "rude_agent") in {"C", "E"},
        ),
        Mistake(
            "contribution_as_esteem",
            "Wanting to help make the product right is about contributing and growth: SELF-ACTUALISATION. "
            "Such customers are potential co-creators, not status seekers.",
            applies=lambda answer: chosen_option(answer, "product_panel") in {"C", "D"},
        ),
        Mistake(
            "charger_as_physiological",
            "Fear of a fire is a SAFETY need (protection from harm); physiological needs are food, water "
            "and rest, like the formula.",
            applies=lambda answer: chosen_option(answer, "charger") == "A",
        ),
    ),
    hint="Ask what the customer fears losing or wants to gain: survival (A), protection (B), connection "
    "(C), respect (D), growth (E).",
)


# --- 7. where the handling process fails ------------------------------------------------------
#: The steps of the handling process, as letters (the workbook prints them).
STEPS = {
    "A": "listen",
    "B": "acknowledge",
    "C": "apologise (where due)",
    "D": "solve",
    "E": "confirm",
    "F": "follow up",
}
#: Failure symptoms observed in tickets and calls, by key.
SYMPTOMS = {
    "interrupts": "The agent offers a voucher before the customer has finished explaining what happened.",
    "not_our_fault": "The agent says 'the courier is not our company, you must call them'.",
    "sorry_for_feelings": "The agent says 'I'm sorry you feel that way' after the wrong item was shipped.",
    "closed_unfixed": "The ticket is closed as resolved; the replacement never left the warehouse.",
    "no_check_back": "Nobody checks, a week later, whether the repaired washing machine works.",
    "no_summary": "The agent promises 'we will sort it out' without saying what, by when, and what the customer will receive.",
}
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
    prompt="For each failure symptom, which step of the handling process (A-F) failed?",
    expected=lambda: BEST_STEPS,
    compare=compare_mapping,
    mistakes=(
        Mistake(
            "non_apology",
            "'I'm sorry you feel that way' blames the customer's feelings: it is a failed APOLOGY. Where the "
            "company made the mistake, apologise for the mistake.",
            applies=lambda answer: chosen_option(answer, "sorry_for_feelings") in {"A", "B"},
        ),
        Mistake(
            "deflection_as_solving",
            "Passing the customer to the courier denies that the problem is ours: the ACKNOWLEDGE step "
            "failed before any solving started. To the customer, the courier is part of our service.",
            applies=lambda answer: chosen_option(answer, "not_our_fault") == "D",
        ),
        Mistake(
            "follow_up_vs_confirm",
            "Confirming happens at the end of the conversation (what, by when, what you receive); following "
            "up happens later (did it work?). Check which of the two each symptom lacks.",
            applies=lambda answer: chosen_option(answer, "no_check_back") == "E" or chosen_option(answer, "no_summary") == "F",
        ),
    ),
    hint="Walk through the call in order: did the agent hear the story, own the problem, apologise for the "
    "mistake, fix it, agree the outcome, and check later?",
)


# --- 8. the ethical line ----------------------------------------------------------------------
#: Conversation tactics to judge: "A" acceptable, "B" over the line.
TACTICS = {
    "fair_first_offer": "Open with a fair, concrete remedy that you can justify (the order value for a lost parcel).",
    "invented_cap": "Tell the customer '200 CNY is the maximum our system allows' when there is no such cap.",
    "gain_frame_true": "Describe the remedy by what the customer gets ('you keep the item and receive 80 CNY back').",
    "hide_right": "Offer a voucher quickly so the customer does not ask about the legal right to a full refund.",
    "midpoint_explained": "Propose meeting halfway between two reasonable numbers and explain how you got there.",
    "fake_deadline": "Say 'this offer expires in ten minutes' to stop the customer from thinking it over.",
}
ETHICAL: dict[str, frozenset[str]] = {
    "fair_first_offer": frozenset("A"),
    "invented_cap": frozenset("B"),
    "gain_frame_true": frozenset("A"),
    "hide_right": frozenset("B"),
    "midpoint_explained": frozenset("A"),
    "fake_deadline": frozenset("B"),
}

ethics = Exercise(
    id="complaints.ethical_line",
    prompt="For each tactic: A = acceptable influence, B = over the ethical line (deception or pressure).",
    expected=lambda: ETHICAL,
    compare=compare_mapping,
    mistakes=(
        Mistake(
            "all_anchoring_bad",
            "Anchoring and framing are not wrong in themselves: a fair first offer and a true description "
            "of the remedy help the customer. The line is crossed by false information, hidden rights "
            "and artificial pressure.",
            applies=lambda answer: chosen_option(answer, "fair_first_offer") == "B" or chosen_option(answer, "gain_frame_true") == "B",
        ),
        Mistake(
            "lie_accepted",
            "An invented limit, a hidden right or a fake deadline deceives the customer. It may close this "
            "ticket, but it breaks trust (and, for rights, the law) once found out.",
            applies=lambda answer: any(chosen_option(answer, key) == "A" for key in ("invented_cap", "hide_right", "fake_deadline")),
        ),
    ),
    hint="Ask: is every statement true, does the customer keep all their options, and would you be "
    "comfortable if the customer heard how you planned the conversation?",
)

EXERCISES: tuple[Exercise, ...] = (
    median_resolution,
    sla_met_rate,
    vital_few,
    repeat_share,
    rebuy_rate,
    maslow,
    handling_steps,
    ethics,
)

__all__ = [
    "AS_OF",
    "DEMANDS",
    "EXERCISES",
    "FIRST_RESPONSE_TARGETS",
    "MASLOW_LEVELS",
    "RESOLUTION_TARGETS",
    "STEPS",
    "SYMPTOMS",
    "TACTICS",
    "WINDOW_DAYS",
    "compare_set",
    "first_tickets",
]
