"""Complaint-handling exercises: each likely mistake, written the way a participant would, gets its
hint; answers rounded as the prompt allows pass; the interpretation questions follow the data.

The generic contract (the expected answer passes, odd answers and the near misses fail, no
message leaks a value or solution code) is tests/test_exercise_contract.py.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cvmlib.feedback import shown_text
from cvmlib.datasets import load_complaints, load_orders
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.complaints import (
    AS_OF,
    BEST_LEVELS,
    BEST_STEPS,
    ETHICAL,
    FIRST_RESPONSE_TARGETS,
    RECOVERY_STATEMENTS,
    RESOLUTION_TARGETS,
    SLA_FOCUS_OPTIONS,
    WINDOW_DAYS,
    first_tickets,
)


@pytest.fixture(scope="module")
def tickets() -> pd.DataFrame:
    return load_complaints()


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


def test_complaints_workbook_has_at_least_six_exercises():
    assert len(exercise_ids("complaints")) >= 6


# --- resolution time ---------------------------------------------------------------------------
def test_median_resolution_correct_and_mistakes(tickets):
    delta = tickets["resolved_at"] - tickets["opened_at"]
    hours = delta.dt.total_seconds() / 3600
    sev = tickets["severity"]
    assert check("complaints.median_resolution_hours", hours.groupby(sev, observed=True).median()).correct
    per_hour = (delta / pd.Timedelta(hours=1)).groupby(sev.astype(str)).median()
    assert check("complaints.median_resolution_hours", per_hour).correct
    assert check("complaints.median_resolution_hours", (hours / 24).groupby(sev, observed=True).median()) \
        .mistake == "days_not_hours"
    assert check("complaints.median_resolution_hours", hours.groupby(sev, observed=True).mean()) \
        .mistake == "mean_not_median"
    assert check("complaints.median_resolution_hours", (delta.dt.seconds / 3600).groupby(sev, observed=True).median()) \
        .mistake == "dt_seconds_drops_days"
    assert check("complaints.median_resolution_hours", delta.dt.components.hours.groupby(sev, observed=True).median()) \
        .mistake == "dt_hours_component"
    # a Timedelta answer gets a hint, not a traceback
    assert not check("complaints.median_resolution_hours", delta.groupby(sev, observed=True).median()).correct
    assert check("complaints.median_resolution_hours", (delta.dt.days * 24).groupby(sev, observed=True).median()) \
        .mistake == "whole_days_times_24"
    response = (tickets["first_response_at"] - tickets["opened_at"]).dt.total_seconds() / 3600
    assert check("complaints.median_resolution_hours", response.groupby(sev, observed=True).median()) \
        .mistake == "first_response_not_resolution"
    waited = (pd.Timestamp(AS_OF) - tickets["opened_at"]).dt.total_seconds() / 3600
    assert check("complaints.median_resolution_hours", hours.fillna(waited).groupby(sev, observed=True).median()) \
        .mistake == "open_counted_to_as_of"


def test_median_resolution_precision_is_two_decimals(tickets):
    hours = (tickets["resolved_at"] - tickets["opened_at"]).dt.total_seconds() / 3600
    median = hours.groupby(tickets["severity"], observed=True).median()
    assert check("complaints.median_resolution_hours", median.round(2)).correct
    assert check("complaints.median_resolution_hours", median.reset_index()).correct   # severity as a column
    assert not check("complaints.median_resolution_hours", median.round(1)).correct
    assert not check("complaints.median_resolution_hours",
                     np.floor(hours).groupby(tickets["severity"], observed=True).median()).correct


# --- SLA ---------------------------------------------------------------------------------------
def test_sla_met_rate_correct_and_mistakes(tickets):
    hours = (tickets["resolved_at"] - tickets["opened_at"]).dt.total_seconds() / 3600
    waited = (pd.Timestamp(AS_OF) - tickets["opened_at"]).dt.total_seconds() / 3600
    target = tickets["severity"].astype(str).map(RESOLUTION_TARGETS)
    met = (hours <= target).sum()
    breached = (hours > target).sum() + (hours.isna() & (waited > target)).sum()
    assert check("complaints.sla_met_rate", met / (met + breached)).correct
    assert check("complaints.sla_met_rate", met / hours.notna().sum()).mistake == "resolved_only"
    assert check("complaints.sla_met_rate", met / len(tickets)).mistake == "pending_in_denominator"
    days = hours / 24
    assert check("complaints.sla_met_rate", (days <= target).sum() / days.notna().sum()).mistake \
        == "days_against_hour_targets"
    assert check("complaints.sla_met_rate", 100 * met / (met + breached)).mistake == "percent_not_fraction"
    assert check("complaints.sla_met_rate", round(met / (met + breached), 4)).correct
    assert not check("complaints.sla_met_rate", round(met / (met + breached), 3)).correct   # 3 decimals: too coarse
    assert not check("complaints.sla_met_rate", (met - 1) / (met + breached)).correct      # one ticket
    response = (tickets["first_response_at"] - tickets["opened_at"]).dt.total_seconds() / 3600
    response_target = tickets["severity"].astype(str).map(FIRST_RESPONSE_TARGETS)
    r_met = (response <= response_target).sum()
    r_breached = (response > response_target).sum() + (response.isna() & (waited > response_target)).sum()
    assert check("complaints.sla_met_rate", r_met / (r_met + r_breached)).mistake == "first_response_targets"


# --- Pareto ------------------------------------------------------------------------------------
def test_vital_few_correct_and_mistakes(tickets):
    counts = tickets["category"].value_counts().sort_values(ascending=False)
    cum = counts.cumsum() / counts.sum()
    right = list(counts.index[(cum - counts / counts.sum()) < 0.8])
    assert check("complaints.vital_few", right).correct
    assert check("complaints.vital_few", [c.upper() for c in reversed(right)]).correct
    assert check("complaints.vital_few", list(counts.index[cum <= 0.8])).mistake == "boundary_cause_left_out"
    asc = counts.sort_values()
    asc_before = asc.cumsum() / asc.sum() - asc / asc.sum()
    assert check("complaints.vital_few", list(asc.index[asc_before < 0.8])).mistake == "ascending_sort"
    assert not check("complaints.vital_few", "delivery_delay").correct  # a string is not a list
    assert check("complaints.vital_few", list(counts.index[:len(right) + 1])).mistake == "one_too_many"
    assert check("complaints.vital_few", set(right)).correct


# --- repeats -----------------------------------------------------------------------------------
def test_repeat_share_correct_and_mistakes(tickets):
    per_customer = tickets.groupby("customer_id").size()
    right = (per_customer - 1).sum() / len(tickets)
    assert check("complaints.repeat_share", right).correct
    ordered = tickets.sort_values("opened_at")
    assert check("complaints.repeat_share", ordered.duplicated("customer_id").mean()).correct
    assert check("complaints.repeat_share", per_customer[per_customer > 1].sum() / len(tickets)).mistake \
        == "first_ticket_counted"
    assert check("complaints.repeat_share", (per_customer > 1).mean()).mistake == "customer_share"
    assert check("complaints.repeat_share", int((per_customer - 1).sum())).mistake == "count_not_share"
    assert check("complaints.repeat_share", ordered.duplicated(["customer_id", "category"]).mean()).mistake \
        == "same_category_only"
    assert check("complaints.repeat_share", round(right, 4)).correct
    assert not check("complaints.repeat_share", round(right, 3)).correct
    assert not check("complaints.repeat_share", ((per_customer - 1).sum() - 1) / len(tickets)).correct


# --- later buying ------------------------------------------------------------------------------
def _rebuy(first, orders, *, strict=True, complete=True, start="order_date"):
    if complete:
        first = first[first[start] + pd.Timedelta(days=WINDOW_DAYS) <= pd.Timestamp(AS_OF)]
    later = first.merge(orders[["customer_id", "order_date"]], on="customer_id", suffixes=("", "_later"))
    gap = later["order_date_later"] - later[start]
    inside = ((gap > pd.Timedelta(0)) if strict else (gap >= pd.Timedelta(0))) & (gap <= pd.Timedelta(days=WINDOW_DAYS))
    bought = inside.groupby(later["customer_id"]).any()
    return bought.groupby(first.set_index("customer_id")["handling"]).mean()


def test_rebuy_rate_correct_and_mistakes(orders):
    first = first_tickets()
    assert check("complaints.rebuy_rate", _rebuy(first, orders)).correct
    assert check("complaints.rebuy_rate", _rebuy(first, orders, strict=False)).mistake == "order_itself_counted"
    assert check("complaints.rebuy_rate", _rebuy(first, orders, complete=False)).mistake == "incomplete_windows"
    assert check("complaints.rebuy_rate", _rebuy(first, orders, start="opened_at")).mistake == "window_from_opening"
    assert check("complaints.rebuy_rate", _rebuy(first, orders).round(3)).correct
    assert not check("complaints.rebuy_rate", _rebuy(first, orders).round(2)).correct


def test_badly_resolved_buy_again_less_than_well_resolved():
    rates = get_exercise("complaints.rebuy_rate").expected()
    assert rates["badly resolved"] < rates["well resolved"]


# --- classification ----------------------------------------------------------------------------
def _pick(best):
    return {key: sorted(letters)[0] for key, letters in best.items()}


def test_maslow_levels():
    right = _pick(BEST_LEVELS)
    assert check("complaints.maslow_levels", right).correct
    assert check("complaints.maslow_levels", {**right, "member": "c"}).correct  # both levels defensible
    assert check("complaints.maslow_levels", {**right, "double_charge": "D"}).mistake == "money_as_esteem"
    assert check("complaints.maslow_levels", {**right, "rude_agent": "C"}).mistake == "apology_as_belonging"
    assert check("complaints.maslow_levels", {**right, "product_panel": "D"}).mistake == "contribution_as_esteem"
    assert check("complaints.maslow_levels", {**right, "charger": "A"}).mistake == "charger_as_physiological"
    assert check("complaints.maslow_levels", {**right, "formula": ...}).status == "not_answered"


def test_handling_steps():
    right = _pick(BEST_STEPS)
    assert check("complaints.handling_steps", right).correct
    assert check("complaints.handling_steps", {**right, "sorry_for_feelings": "B"}).mistake == "non_apology"
    assert check("complaints.handling_steps", {**right, "not_our_fault": "D"}).mistake == "deflection_as_solving"
    assert check("complaints.handling_steps", {**right, "no_check_back": "E"}).mistake == "follow_up_vs_confirm"


def test_ethical_line():
    right = _pick(ETHICAL)
    assert check("complaints.ethical_line", right).correct
    assert check("complaints.ethical_line", {**right, "fair_first_offer": "B"}).mistake == "all_anchoring_bad"
    assert check("complaints.ethical_line", {**right, "fake_deadline": "A"}).mistake == "lie_accepted"
    assert not check("complaints.ethical_line", {"fair_first_offer": "A"}).correct  # incomplete dict
    assert check("complaints.ethical_line", {**right, "midpoint_explained": "B"}).mistake == "all_anchoring_bad"


# --- interpretation and decisions --------------------------------------------------------------
def test_sla_focus_is_the_severity_with_the_most_breaches(tickets):
    hours = (tickets["resolved_at"] - tickets["opened_at"]).dt.total_seconds() / 3600
    waited = (pd.Timestamp(AS_OF) - tickets["opened_at"]).dt.total_seconds() / 3600
    target = tickets["severity"].astype(str).map(RESOLUTION_TARGETS)
    breached = ((hours > target) | (hours.isna() & (waited > target))).groupby(tickets["severity"].astype(str)).sum()
    met_rate = (hours <= target).groupby(tickets["severity"].astype(str)).sum() / (
        (hours <= target) | (hours > target) | (hours.isna() & (waited > target))).groupby(
        tickets["severity"].astype(str)).sum()
    letter = {severity: letter for letter, severity in SLA_FOCUS_OPTIONS.items()}
    assert check("complaints.sla_focus", letter[breached.idxmax()]).correct
    if met_rate.idxmin() != breached.idxmax():
        assert check("complaints.sla_focus", letter[met_rate.idxmin()]).mistake == "lowest_rate_not_most_breaches"
    most = tickets["severity"].astype(str).value_counts().idxmax()
    if most != breached.idxmax():
        assert check("complaints.sla_focus", letter[most]).mistake == "most_tickets_not_most_breaches"


def test_recovery_reading_follows_the_rates(orders):
    rates = _rebuy(first_tickets(), orders)
    truth = {"D"} | {letter for letter, true in {
        "A": rates["badly resolved"] < rates["well resolved"],
        "B": rates.idxmin() == "unresolved",
        "E": rates["badly resolved"] > 0.5,
    }.items() if true}
    assert set(RECOVERY_STATEMENTS) == set("ABCDE")
    assert check("complaints.recovery_reading", ", ".join(sorted(truth))).correct
    assert check("complaints.recovery_reading", truth | {"C"}).mistake == "paradox_as_policy"
    assert check("complaints.recovery_reading", truth - {"D"}).mistake == "confounding_missed"
    assert check("complaints.recovery_reading", truth ^ {"B"}).mistake == "rates_misread"


# --- hints say what to look at, not what to type -----------------------------------------------
#: What code looks like in a hint: a method call, a power, an indexing, a lambda, a pandas accessor.
CODE = r"\.\w+\(|\*\*|\[\s*['\"]|\bdef\b|\blambda\b|==|\.dt\.|\.sum\b|\.mean\b|idx(min|max)"


def test_the_code_detector_catches_the_old_fallback_hints():
    assert re.search(CODE, "hours = (resolved_at - opened_at).dt.total_seconds() / 3600; then the median")
    assert re.search(CODE, "Use .median() instead of .mean().")


@pytest.mark.parametrize("exercise_id", exercise_ids("complaints"))
def test_no_hint_contains_code(exercise_id):
    ex = get_exercise(exercise_id)
    # as shown (a hint may be a callable composing its text): cvmlib.feedback.shown_text
    texts = [shown_text(t) for t in [ex.hint, ex.more_hint] + [t for m in ex.mistakes for t in (m.hint, m.more)]]
    assert [text for text in texts if re.search(CODE, text)] == []
