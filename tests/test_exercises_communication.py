"""4C and communication exercises: each likely mistake, written the way a participant would, gets its
hint; answers rounded as the prompt allows pass; the text exercises reject soup, placeholders,
vague times, threats and sarcasm by name; the interpretation questions follow the data.

The generic contract (the expected answer passes, odd answers and the near misses fail, no
message leaks a value or solution code) is tests/test_exercise_contract.py.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from cvmlib.feedback import shown_text
from cvmlib.communication import NVC_STATEMENTS, QUESTION_BANK
from cvmlib.datasets import load_customers, load_orders, load_survey
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.communication import (
    AUDIT_STATEMENTS,
    JOHARI_MIN_VOTES,
    JOHARI_OTHERS,
    JOHARI_SELF,
    JOHARI_TRAITS,
    MODEL_PLAN,
    MODEL_QUESTIONS,
    MODEL_REWRITE,
    NPS_REPORT_OPTIONS,
    ORIGINAL_MESSAGE,
    SNAPSHOT_DATE,
    WINDOW_DAYS,
)
from cvmlib.fourc import four_c_audit

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
    assert check("communication.nps", _nps(s, promoter_min=8)).mistake == "eight_as_promoter"


def test_nps_precision_is_two_decimals(survey):
    s = survey["nps"]
    assert check("communication.nps", round(_nps(s), 2)).correct
    assert not check("communication.nps", round(_nps(s), 1)).correct
    assert not check("communication.nps", _nps(s) - 100 / len(s)).correct   # one promoter read as a passive


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
    medians = survey.assign(level=survey["customer_id"].map(levels)).groupby("level", observed=True)[CS].median()
    assert check("communication.weakest_c", medians.idxmin(axis=1)).mistake == "median_not_mean"


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
    assert check("communication.nps_by_channel", grouped.groupby("channel")["nps"].agg(_nps).round(2)).correct
    counts = orders.groupby(["customer_id", "channel"], observed=True).size().unstack(fill_value=0)
    last_tie = survey.assign(channel=survey["customer_id"].map(counts.iloc[:, ::-1].idxmax(axis=1)))
    assert check("communication.nps_by_channel",
                 last_tie.groupby("channel")["nps"].agg(_nps)).mistake == "ties_broken_differently"


# --- later buying ------------------------------------------------------------------------------
def _orders_in_window(survey, orders, first_day=1, last_day=WINDOW_DAYS):
    paired = survey.merge(orders[["customer_id", "order_date"]], on="customer_id")
    offset = (paired["order_date"].dt.normalize() - paired["response_date"]).dt.days
    inside = paired[(offset >= first_day) & (offset <= last_day)]
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
    assert check("communication.repeat_by_nps_group", right.round(3)).correct
    assert not check("communication.repeat_by_nps_group", right.round(2)).correct
    longer = pd.Series(_orders_in_window(survey, orders, last_day=WINDOW_DAYS + 1), index=survey.index)
    assert check("communication.repeat_by_nps_group",
                 (longer[complete] > 0).groupby(groups[complete], observed=True).mean()).mistake == "window_too_long"
    on_snapshot = survey["response_date"] + pd.Timedelta(days=WINDOW_DAYS) <= pd.Timestamp(SNAPSHOT_DATE)
    assert check("communication.repeat_by_nps_group", (counts[on_snapshot] > 0).groupby(
        groups[on_snapshot], observed=True).mean()).mistake == "window_end_on_snapshot"


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
    assert check("communication.complaint_handoffs",
                 {**GOOD, "refund_request": "order desk"}).mistake == "refund_elsewhere"


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
    assert check("communication.mehrabian", {"m1": "B", "m2": "C", "m3": "C"}).mistake == "smile_fixes_all"


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
    assert check("communication.nvc_rewrite", ORIGINAL_MESSAGE).mistake == "original_message"
    feedback = check("communication.nvc_rewrite", "The warehouse is late again. Please hurry.")
    assert feedback.status == "hint" and "No feeling" in feedback.message and "heuristic" in feedback.message
    good = ("In the last two weeks 9 of our 60 next-day orders left the warehouse a day late. I am worried, "
            "because I need to promise customers dates we can keep. Would you meet me on Thursday to agree "
            "how we flag next-day orders?")
    assert check("communication.nvc_rewrite", good).correct
    assert check("communication.nvc_rewrite", MODEL_REWRITE).correct
    assert check("communication.nvc_rewrite", 42).status == "hint"


@pytest.mark.parametrize("message, mistake, named", [
    (MODEL_REWRITE + " Otherwise I escalate to the director.", "threat", None),
    (MODEL_REWRITE.replace("Would you meet", "Fix it by Friday, or else. Would you meet"), "threat", None),
    ("observation feeling need request when I you", "keyword_soup", None),
    ("Observation: 3. Feeling: worried. Need: I need. Request: please.", "keyword_soup", None),
    (MODEL_REWRITE.replace("9 of our 60", "XXX of our"), "placeholder_left", None),
    (MODEL_REWRITE.replace("on Thursday at 10:00", "on ??? at tbc"), "placeholder_left", None),
    ("Thanks SO much for the amazing service, genius. " + MODEL_REWRITE, "sarcasm", None),
    (MODEL_REWRITE.replace("on Thursday at 10:00", "sometime next week"), None, "sometime next week"),
    (MODEL_REWRITE.replace("on Thursday at 10:00", "Monday-ish"), None, "Monday-ish"),
    (MODEL_REWRITE.replace("on Thursday at 10:00", "asap"), None, "asap"),
])
def test_nvc_rewrite_rejects_threats_soup_placeholders_sarcasm_and_vague_times(message, mistake, named):
    feedback = check("communication.nvc_rewrite", message)
    assert feedback.status == "hint"
    assert feedback.mistake == mistake
    if named:
        assert f"Vague time: {named!r}" in feedback.message


def test_five_w_two_h_names_the_missing_field():
    plan = {"what": "120 gift boxes", "why": "staff gifts for the Spring Festival", "who": "Ms Chen (HR); owner Li Wei",
            "when": "by 2026-02-06", "where": "Hangzhou office reception", "how": "courier; invoice first",
            "how much": "120 x 198 CNY"}
    assert check("communication.five_w_two_h", plan).correct
    assert check("communication.five_w_two_h", MODEL_PLAN).correct
    missing_where = {k: v for k, v in plan.items() if k != "where"}
    assert "Missing 'where'" in check("communication.five_w_two_h", missing_where).message
    vague = check("communication.five_w_two_h", {**plan, "when": "soon"})
    assert "'when' is vague" in vague.message
    assert check("communication.five_w_two_h", {**plan, "how": ...}).status == "not_answered"


@pytest.mark.parametrize("field, value, named", [
    ("when", "Monday-ish", "'when' is vague ('Monday-ish')"),
    ("when", "sometime next week", "'when' is vague ('sometime next week')"),
    ("who", "tbc", "Missing 'who'"),
    ("who", "someone from the order desk", "'who' names no person"),
    ("how much", "120 x ??? CNY", "'how much' still has a placeholder ('???')"),
    ("how", "ship it, and if she complains again tell her we will sue", "'how' has a threat or sarcasm"),
    ("why", "why", "'why' only repeats field names"),
])
def test_five_w_two_h_rejects_vague_placeholder_and_hostile_fields(field, value, named):
    feedback = check("communication.five_w_two_h", {**MODEL_PLAN, field: value})
    assert feedback.status == "hint" and named in feedback.message


def test_write_questions_checks_type_and_tone_of_each_question():
    assert check("communication.write_questions", MODEL_QUESTIONS).correct
    other = {"open": "Could you walk me through how you filled the water tank?",
             "probing": "When you say it leaks, is that while it brews or while it stands?",
             "closed": "Shall I book a technician for Thursday morning?"}
    assert check("communication.write_questions", other).correct
    swapped = check("communication.write_questions", {**MODEL_QUESTIONS, "open": MODEL_QUESTIONS["closed"]})
    assert "open: This reads as a closed question" in swapped.message
    assert check("communication.write_questions",
                 {**MODEL_QUESTIONS, "open": "What on earth did you do to it, genius?"}).mistake == "blame_or_sarcasm"
    assert check("communication.write_questions",
                 {**MODEL_QUESTIONS, "closed": "Do you want to pay for it yourself, or else?"}).mistake == "blame_or_sarcasm"
    assert "Placeholder" in check("communication.write_questions", {**MODEL_QUESTIONS, "probing": "tbc"}).message
    assert "Vague time" in check("communication.write_questions",
                                 {**MODEL_QUESTIONS, "closed": "Can we send a technician sometime next week?"}).message
    assert "no question for: closed" in check("communication.write_questions",
                                              {k: v for k, v in MODEL_QUESTIONS.items() if k != "closed"}).message


# --- interpretation and decisions --------------------------------------------------------------
def test_nps_report_follows_the_shares(survey):
    s = survey["nps"]
    right = "B" if (s <= 6).mean() > (s >= 9).mean() else "C"
    assert set(NPS_REPORT_OPTIONS) == set("ABCD")
    assert check("communication.nps_report", right).correct
    assert check("communication.nps_report", "A").mistake == "mean_hides_split"
    assert check("communication.nps_report", "D").mistake == "disagreement_is_information"
    assert check("communication.nps_report", {"B": "C", "C": "B"}[right]).mistake == "wrong_side"


def test_audit_reading_follows_the_tables(survey, orders):
    by_orders = orders.groupby(["customer_id", "channel"], observed=True).size().unstack(fill_value=0).idxmax(axis=1)
    channel_nps = survey.assign(channel=survey["customer_id"].map(by_orders)).groupby("channel")["nps"].agg(_nps)
    levels = load_customers().set_index("customer_id")["membership_level"]
    by_level = survey.assign(level=survey["customer_id"].map(levels)).groupby("level", observed=True)
    level_nps = by_level["nps"].agg(_nps)
    counts = pd.Series(_orders_in_window(survey, orders), index=survey.index)
    complete = survey["response_date"] + pd.Timedelta(days=WINDOW_DAYS) < pd.Timestamp(SNAPSHOT_DATE)
    shares = (counts[complete] > 0).groupby(_groups(survey)[complete], observed=True).mean()
    truth = {letter for letter, true in {
        "A": channel_nps.idxmin() == "store",
        "B": by_level[CS].mean().loc["basic"].idxmin() == "cost",
        "C": shares["promoter"] > shares["detractor"],
        "E": level_nps["gold"] > level_nps["silver"],
    }.items() if true}
    assert set(AUDIT_STATEMENTS) == set("ABCDE")
    assert check("communication.audit_reading", ", ".join(sorted(truth))).correct
    assert check("communication.audit_reading", truth | {"D"}).mistake == "correlation_as_cause"
    wrong = truth ^ {"E"}
    assert check("communication.audit_reading", wrong).mistake == "tables_misread"


# --- hints say what to look at, not what to type -----------------------------------------------
#: What code looks like in a hint: a method call, a power, an indexing, a lambda, a pandas accessor.
CODE = r"\.\w+\(|\*\*|\[\s*['\"]|\bdef\b|\blambda\b|==|\.dt\.|\.sum\b|\.mean\b|idx(min|max)"


def test_the_code_detector_catches_the_old_fallback_hints():
    assert re.search(CODE, "Group by membership_level, take the mean of the four rating columns, then idxmin.")
    assert not re.search(CODE, "Promoters answer 9-10, detractors 0-6.")


@pytest.mark.parametrize("exercise_id", exercise_ids("communication"))
def test_no_hint_contains_code(exercise_id):
    ex = get_exercise(exercise_id)
    # as shown (a hint may be a callable composing its text): cvmlib.feedback.shown_text
    texts = [shown_text(t) for t in [ex.hint, ex.more_hint] + [t for m in ex.mistakes for t in (m.hint, m.more)]]
    assert [text for text in texts if re.search(CODE, text)] == []
