"""4C and communication exercises: each likely mistake, written the way a participant would, gets its hint."""

from __future__ import annotations

import pandas as pd
import pytest

from cvmlib.communication import NVC_STATEMENTS, QUESTION_BANK
from cvmlib.datasets import load_customers, load_orders, load_survey
from cvmlib.exercises import check, exercise_ids
from cvmlib.fourc import four_c_audit
from cvmlib.exercises.communication import (
    JOHARI_MIN_VOTES,
    JOHARI_OTHERS,
    JOHARI_SELF,
    JOHARI_TRAITS,
    ORIGINAL_MESSAGE,
    SNAPSHOT_DATE,
    WINDOW_DAYS,
)

CS = ["consumer_needs_fit", "cost", "convenience", "communication"]


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return load_survey()


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


def _nps(scores, promoter_min=9, detractor_max=6):
    return 100 * ((scores >= promoter_min).mean() - (scores <= detractor_max).mean())


def test_communication_workbook_has_at_least_six_exercises():
    assert len(exercise_ids("communication")) >= 6


# --- NPS ---------------------------------------------------------------------------------------
def test_nps_correct_and_mistakes(survey):
    s = survey["nps"]
    assert check("communication.nps", _nps(s)).correct
    assert check("communication.nps", s.mean()).mistake == "mean_score"
    assert check("communication.nps", 10 * s.mean()).mistake == "mean_score"
    assert check("communication.nps", _nps(s, promoter_min=7)).mistake == "passives_as_promoters"
    assert check("communication.nps", _nps(s, detractor_max=5)).mistake == "detractors_0_to_5"
    assert check("communication.nps", _nps(s) / 100).mistake == "fraction_not_points"
    sided = 100 * ((s >= 9).sum() - (s <= 6).sum()) / ((s >= 9) | (s <= 6)).sum()
    assert check("communication.nps", sided).mistake == "passives_left_out"


# --- weakest C ---------------------------------------------------------------------------------
def _level_means(survey):
    levels = load_customers().set_index("customer_id")["membership_level"]
    return survey.assign(level=survey["customer_id"].map(levels)).groupby("level", observed=True)[CS].mean()


def test_weakest_c_correct_and_mistakes(survey):
    means = _level_means(survey)
    assert check("communication.weakest_c", means.idxmin(axis=1)).correct
    display_names = means.idxmin(axis=1).map({"consumer_needs_fit": "Consumer", "cost": "Cost",
                                              "convenience": "Convenience", "communication": "Communication"})
    assert check("communication.weakest_c", display_names).correct
    assert check("communication.weakest_c", means.idxmax(axis=1)).mistake == "strongest_c"
    assert check("communication.weakest_c", means.idxmin(axis=0)).mistake == "weakest_level_per_c"
    # idxmin over the whole audit table: the (negative) NPS column wins for some levels
    levels = load_customers().set_index("customer_id")["membership_level"]
    audit = four_c_audit(survey.assign(level=survey["customer_id"].map(levels)), by="level")
    assert check("communication.weakest_c", audit.idxmin(axis=1)).mistake == "nps_column_included"


# --- NPS by channel ----------------------------------------------------------------------------
def test_nps_by_channel_correct_and_mistakes(survey, orders):
    by_orders = orders.groupby(["customer_id", "channel"], observed=True).size().unstack(fill_value=0).idxmax(axis=1)
    grouped = survey.assign(channel=survey["customer_id"].map(by_orders))
    assert check("communication.nps_by_channel", grouped.groupby("channel")["nps"].agg(_nps)).correct
    assert check("communication.nps_by_channel", grouped.groupby("channel")["nps"].mean()).mistake == "mean_score"
    by_spend = orders.groupby(["customer_id", "channel"], observed=True)["amount"].sum().unstack(fill_value=0).idxmax(axis=1)
    spend_grouped = survey.assign(channel=survey["customer_id"].map(by_spend))
    assert check("communication.nps_by_channel",
                 spend_grouped.groupby("channel")["nps"].agg(_nps)).mistake == "main_channel_by_spend"
    passives = grouped.groupby("channel")["nps"].agg(lambda s: _nps(s, promoter_min=7))
    assert check("communication.nps_by_channel", passives).mistake == "passives_as_promoters"


# --- later buying ------------------------------------------------------------------------------
def _orders_in_window(survey, orders, first_day=1):
    paired = survey.merge(orders[["customer_id", "order_date"]], on="customer_id")
    offset = (paired["order_date"].dt.normalize() - paired["response_date"]).dt.days
    inside = paired[(offset >= first_day) & (offset <= WINDOW_DAYS)]
    return inside.groupby("response_id").size().reindex(survey["response_id"], fill_value=0).to_numpy()


def _groups(survey):
    return pd.cut(survey["nps"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])


def test_repeat_by_nps_group_correct_and_mistakes(survey, orders):
    counts = pd.Series(_orders_in_window(survey, orders), index=survey.index)
    complete = survey["response_date"] + pd.Timedelta(days=WINDOW_DAYS) < pd.Timestamp(SNAPSHOT_DATE)
    groups = _groups(survey)
    right = (counts[complete] > 0).groupby(groups[complete], observed=True).mean()
    assert check("communication.repeat_by_nps_group", right).correct
    censored = (counts > 0).groupby(groups, observed=True).mean()
    assert check("communication.repeat_by_nps_group", censored).mistake == "incomplete_windows_as_zero"
    same_day = pd.Series(_orders_in_window(survey, orders, first_day=0), index=survey.index)
    with_day0 = (same_day[complete] > 0).groupby(groups[complete], observed=True).mean()
    assert check("communication.repeat_by_nps_group", with_day0).mistake == "response_day_included"
    mean_orders = counts[complete].groupby(groups[complete], observed=True).mean()
    assert check("communication.repeat_by_nps_group", mean_orders).mistake == "mean_orders_not_share"


# --- hand-offs ---------------------------------------------------------------------------------
GOOD = {"delivery_delay": "warehouse", "wrong_item": "warehouse", "product_quality": "warehouse",
        "billing": "order desk", "refund_request": "after-sales", "service_attitude": "after-sales"}


def test_handoffs_accept_defensible_alternatives_and_flag_the_receiver():
    assert check("communication.complaint_handoffs", GOOD).correct
    assert check("communication.complaint_handoffs", {**GOOD, "wrong_item": "Order_Desk",
                                                      "service_attitude": "after sales"}).correct
    assert check("communication.complaint_handoffs",
                 {**GOOD, "delivery_delay": "after-sales"}).mistake == "receiver_not_source"
    assert check("communication.complaint_handoffs",
                 {**GOOD, "service_attitude": "warehouse"}).mistake == "attitude_upstream"
    assert check("communication.complaint_handoffs", {**GOOD, "billing": ...}).status == "not_answered"


# --- Johari ------------------------------------------------------------------------------------
def _by_hand(min_votes):
    votes = {t: sum(t in chosen for chosen in JOHARI_OTHERS) for t in JOHARI_TRAITS}
    panes = {"open": [], "blind": [], "hidden": [], "unknown": []}
    for trait in JOHARI_TRAITS:
        others, mine = votes[trait] >= min_votes, trait in JOHARI_SELF
        panes["open" if others and mine else "blind" if others else "hidden" if mine else "unknown"].append(trait)
    return panes


def test_johari_correct_and_mistakes():
    right = _by_hand(JOHARI_MIN_VOTES)
    assert check("communication.johari", right).correct
    assert check("communication.johari", {k: set(v) for k, v in right.items()}).correct
    swapped = {**right, "blind": right["hidden"], "hidden": right["blind"]}
    assert check("communication.johari", swapped).mistake == "blind_hidden_swapped"
    assert check("communication.johari", _by_hand(1)).mistake == "one_vote_enough"
    assert check("communication.johari", {k: v for k, v in right.items() if k != "unknown"}).mistake == "unknown_left_out"
    assert "pane" in check("communication.johari", {"front": ["calm"]}).message


# --- Mehrabian, questions, observations ----------------------------------------------------------
def test_mehrabian_correct_and_overgeneralisation():
    assert check("communication.mehrabian", {"m1": "b", "m2": "C", "m3": "A"}).correct
    assert check("communication.mehrabian", {"m1": "B", "m2": "A", "m3": "A"}).mistake == "all_communication"


def test_question_types_correct_and_mistakes():
    right = {key: label for key, (_, label) in QUESTION_BANK.items()}
    assert check("communication.question_types", right).correct
    assert check("communication.question_types", {**right, "q7": "closed"}).mistake == "polite_open_as_closed"
    assert check("communication.question_types", {**right, "q3": "open"}).mistake == "probing_as_open"
    assert check("communication.question_types", {**right, "q8": "open"}).mistake == "choice_as_open"


def test_nvc_observations_correct_and_mistakes():
    right = {key: label for key, (_, label) in NVC_STATEMENTS.items()}
    assert check("communication.nvc_observations", right).correct
    assert check("communication.nvc_observations", {**right, "s7": "observation"}).mistake == "absolute_as_observation"
    assert check("communication.nvc_observations", {**right, "s4": "observation"}).mistake == "label_as_observation"
    assert check("communication.nvc_observations", {**right, "s10": "evaluation"}).mistake == "number_as_evaluation"


# --- heuristic exercises -----------------------------------------------------------------------
def test_nvc_rewrite_hints_name_the_missing_parts():
    assert "original message" in check("communication.nvc_rewrite", ORIGINAL_MESSAGE).message
    feedback = check("communication.nvc_rewrite", "The warehouse is late again. Please hurry.")
    assert feedback.status == "hint" and "No feeling" in feedback.message and "heuristic" in feedback.message
    good = ("In the last two weeks 9 of our 60 next-day orders left the warehouse a day late. I am worried, "
            "because I need to promise customers dates we can keep. Would you meet me on Thursday to agree "
            "how we flag next-day orders?")
    assert check("communication.nvc_rewrite", good).correct
    assert check("communication.nvc_rewrite", 42).status == "hint"


def test_five_w_two_h_names_the_missing_field():
    plan = {"what": "120 gift boxes", "why": "staff gifts for the Spring Festival", "who": "Ms Chen (HR); owner Li Wei",
            "when": "by 2026-02-06", "where": "Hangzhou office reception", "how": "courier; invoice first",
            "how much": "120 x 198 CNY"}
    assert check("communication.five_w_two_h", plan).correct
    missing_where = {k: v for k, v in plan.items() if k != "where"}
    assert "Missing 'where'" in check("communication.five_w_two_h", missing_where).message
    vague = check("communication.five_w_two_h", {**plan, "when": "soon"})
    assert "'when' is vague" in vague.message
    assert check("communication.five_w_two_h", {**plan, "how": ...}).status == "not_answered"
