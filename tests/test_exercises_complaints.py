"""Complaint-handling exercises: each likely mistake, written the way a participant would, gets its hint."""

from __future__ import annotations

import pandas as pd
import pytest

from cvmlib.datasets import load_complaints, load_orders
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.complaints import (
    AS_OF,
    BEST_LEVELS,
    BEST_STEPS,
    ETHICAL,
    RESOLUTION_TARGETS,
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


# --- never reveal, never crash -----------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", exercise_ids("complaints"))
def test_feedback_never_crashes_on_odd_answers(exercise_id):
    for answer in [..., 0, pd.Series([1, 2, 3]), "nonsense", {"x": 1}, pd.DataFrame({"a": [1], "b": [2]}), [1, 2]]:
        feedback = check(exercise_id, answer)
        assert not feedback.correct
        assert "Traceback" not in feedback.message
