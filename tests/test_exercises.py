"""RFM workbook: each common mistake gets its specific hint; correct variants pass; near misses fail.

The wrong answers here are written the way a participant would write them (plain pandas), not taken
from the exercise definitions, so a hint is tested against the mistake it is meant to catch. The
generic guarantees (the expected answer passes, odd answers and the exercises' own near misses
fail, nothing leaks) are in tests/test_exercise_contract.py, for every chapter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cvmlib.datasets import load_orders
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.rfm import CALL_OPTIONS, SNAPSHOT, SUMMARY_STATEMENTS
from cvmlib.rfm import rfm_scores, rfm_segments, rfm_table, segment_summary


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def rfm(orders) -> pd.DataFrame:
    return rfm_table(orders, SNAPSHOT)


@pytest.fixture(scope="module")
def segments(rfm) -> pd.Series:
    return rfm_segments(rfm_scores(rfm))


@pytest.fixture(scope="module")
def summary(rfm, segments) -> pd.DataFrame:
    return segment_summary(rfm, segments)


def _last(orders):
    return orders.groupby("customer_id")["order_date"].max()


def test_rfm_workbook_has_at_least_six_exercises_and_interpretation_questions():
    assert len(exercise_ids("rfm")) >= 6
    interpret = [i for i in exercise_ids("rfm") if get_exercise(i).kind == "interpret"]
    assert len(interpret) >= 2, interpret


# --- recency ---------------------------------------------------------------------------------
def _recency(orders):
    return (SNAPSHOT - _last(orders).dt.normalize()).dt.days


def test_recency_correct_and_variants(orders, rfm):
    recency = _recency(orders)
    assert check("rfm.recency", recency).correct
    # variants: a DataFrame with the id as a column, float dtype, shuffled rows
    variant = recency.astype(float).sample(frac=1, random_state=1).rename("days").reset_index()
    assert check("rfm.recency", variant).correct
    assert check("rfm.recency", rfm[["recency"]]).correct


@pytest.mark.parametrize(
    "mistake, wrong",
    [
        ("recency_from_first_purchase",
         lambda o: (SNAPSHOT - o.groupby("customer_id")["order_date"].min().dt.normalize()).dt.days),
        ("snapshot_forgotten",
         lambda o: (o["order_date"].max().normalize() - _last(o).dt.normalize()).dt.days),
        ("snapshot_defaulted",
         lambda o: (o["order_date"].max().normalize() + pd.Timedelta(days=1) - _last(o).dt.normalize()).dt.days),
        ("time_of_day_kept", lambda o: (SNAPSHOT - _last(o)).dt.days),
        ("fractional_days", lambda o: (SNAPSHOT - _last(o)).dt.total_seconds() / 86400),
    ],
)
def test_recency_mistakes_get_their_hint(orders, mistake, wrong):
    feedback = check("rfm.recency", wrong(orders))
    assert not feedback.correct
    assert feedback.mistake == mistake, feedback.message


def test_recency_one_day_off_fails(orders):
    recency = _recency(orders)
    assert not check("rfm.recency", recency + 1).correct  # both end days counted
    one_off = recency.copy()
    one_off.iloc[100] += 1
    assert not check("rfm.recency", one_off).correct


def test_recency_as_timedelta_gets_a_conversion_hint(orders):
    feedback = check("rfm.recency", SNAPSHOT - _last(orders).dt.normalize())
    assert feedback.status == "hint" and ".dt.days" in feedback.message


# --- frequency -------------------------------------------------------------------------------
def _year_2025(orders):
    return orders[(orders["order_date"] >= "2025-01-01") & (orders["order_date"] < "2026-01-01")]


def test_frequency_correct_and_mistakes(orders):
    right = _year_2025(orders).groupby("customer_id")["order_id"].nunique()
    assert check("rfm.frequency_2025", right).correct
    assert check("rfm.frequency_2025", right.astype(float).reset_index()).correct
    by_year = orders[orders["order_date"].dt.year == 2025].groupby("customer_id")["order_id"].count()
    assert check("rfm.frequency_2025", by_year).correct  # one row per order: count is fine too
    whole = check("rfm.frequency_2025", orders.groupby("customer_id")["order_id"].nunique())
    assert whole.mistake == "whole_history"
    categories = check("rfm.frequency_2025", _year_2025(orders).groupby("customer_id")["category"].nunique())
    assert categories.mistake == "counted_categories"


def test_frequency_window_ending_at_midnight_of_the_last_day(orders):
    # "<= '2025-12-31'" compares with 2025-12-31 00:00 and drops the orders of that day
    cut = orders[(orders["order_date"] >= "2025-01-01") & (orders["order_date"] <= "2025-12-31")]
    answer = cut.groupby("customer_id")["order_id"].nunique()
    feedback = check("rfm.frequency_2025", answer)
    assert feedback.mistake == "window_ends_at_midnight", feedback.message


# --- monetary --------------------------------------------------------------------------------
@pytest.mark.parametrize("how, mistake", [("mean", "mean_instead_of_total"), ("max", "max_instead_of_total"),
                                          ("count", "counted_orders")])
def test_monetary_mistakes(orders, how, mistake):
    assert check("rfm.monetary", orders.groupby("customer_id")["amount"].agg(how)).mistake == mistake


def test_monetary_to_the_nearest_yuan(orders):
    monetary = orders.groupby("customer_id")["amount"].sum()
    assert check("rfm.monetary", monetary).correct
    assert check("rfm.monetary", monetary.round(0)).correct  # the precision the prompt asks for
    assert check("rfm.monetary", monetary.round(2).rename("spend").reset_index()).correct
    # one order missing: the smallest order of the data (2.59 CNY)
    assert not check("rfm.monetary", orders.drop(orders["amount"].idxmin()).groupby("customer_id")["amount"].sum()
                     ).correct
    only_2025 = check("rfm.monetary", _year_2025(orders).groupby("customer_id")["amount"].sum())
    assert only_2025.mistake == "one_year_only"


# --- recency score rule ----------------------------------------------------------------------
def _rule(r: pd.Series, closed_edges=(30, 90, 180, 365)) -> pd.Series:
    score = pd.Series(1, index=r.index)
    for days, value in [(365, 2), (180, 3), (90, 4), (30, 5)]:
        score[(r <= days) if days in closed_edges else (r < days)] = value
    return score


def test_recency_rule_correct_and_mistakes(rfm):
    r = rfm["recency"]
    correct = _rule(r)
    assert check("rfm.recency_score_rule", correct).correct
    by_cut = pd.cut(r, bins=[-1, 30, 90, 180, 365, np.inf], labels=[5, 4, 3, 2, 1]).astype(int)
    assert check("rfm.recency_score_rule", by_cut).correct
    assert check("rfm.recency_score_rule", 6 - correct).mistake == "score_not_reversed"
    exclusive = _rule(r, closed_edges=())
    assert (exclusive != correct).any(), "the data must have customers exactly on an edge"
    assert check("rfm.recency_score_rule", exclusive).mistake == "edges_exclusive"
    only_30 = _rule(r, closed_edges=(90, 180, 365))  # "< 30" but "<=" for the others
    assert check("rfm.recency_score_rule", only_30).mistake == "edges_exclusive"
    assert check("rfm.recency_score_rule", rfm_scores(rfm)["R"]).mistake == "quantile_scores"


def test_recency_rule_one_edge_wrong_fails(rfm):
    r = rfm["recency"]
    assert (r == 365).sum() >= 1
    assert not check("rfm.recency_score_rule", _rule(r, closed_edges=(30, 90, 180))).correct


# --- segment shares and values ---------------------------------------------------------------
def test_champions_share(rfm, segments):
    champions = segments == "Champions"
    share = rfm.loc[champions, "monetary"].sum() / rfm["monetary"].sum()
    assert check("rfm.champions_revenue_share", share).correct
    assert check("rfm.champions_revenue_share", round(share, 7)).correct  # the precision the prompt asks for
    assert check("rfm.champions_revenue_share", pd.Series([share])).correct
    assert check("rfm.champions_revenue_share", champions.mean()).mistake == "customer_share"
    assert check("rfm.champions_revenue_share", 100 * share).mistake == "percent_not_fraction"
    assert check("rfm.champions_revenue_share", round(share, 3)).mistake == "rounded"
    assert check("rfm.champions_revenue_share", "31%").status == "hint"


def test_champions_share_missing_one_customer_fails(rfm, segments):
    """The false positive of issue 9: with rtol=1e-4 a share missing its smallest Champion passed."""
    champions = rfm.loc[segments == "Champions", "monetary"]
    without_smallest = (champions.sum() - champions.min()) / rfm["monetary"].sum()
    assert abs(without_smallest / (champions.sum() / rfm["monetary"].sum()) - 1) < 1e-4  # the old tolerance
    assert not check("rfm.champions_revenue_share", without_smallest).correct
    total_short = champions.sum() / (rfm["monetary"].sum() - rfm["monetary"].min())
    assert not check("rfm.champions_revenue_share", total_short).correct


def test_at_risk_revenue(rfm, segments):
    both = segments.isin(["At risk", "Cannot lose them"])
    total = rfm.loc[both, "monetary"].sum()
    assert check("rfm.at_risk_revenue", total).correct
    assert check("rfm.at_risk_revenue", round(total)).correct  # to the nearest yuan, as an int
    assert check("rfm.at_risk_revenue", np.float32(total)).correct
    only = rfm.loc[segments == "At risk", "monetary"].sum()
    assert check("rfm.at_risk_revenue", only).mistake == "only_at_risk"
    assert check("rfm.at_risk_revenue", rfm.loc[segments == "Cannot lose them", "monetary"].sum()) \
        .mistake == "only_cannot_lose"
    assert check("rfm.at_risk_revenue", int(both.sum())).mistake == "counted_customers"
    assert check("rfm.at_risk_revenue", rfm.loc[both, "monetary"].mean()).mistake == "mean_not_total"


def test_at_risk_revenue_missing_the_two_smallest_customers_fails(rfm, segments):
    """The false positive of issue 9: with rtol=1e-4 (306 CNY here) this total passed."""
    at_risk = rfm.loc[segments.isin(["At risk", "Cannot lose them"]), "monetary"]
    short = at_risk.sum() - at_risk.nsmallest(2).sum()
    assert at_risk.sum() - short < 1e-4 * at_risk.sum()  # within the old tolerance
    assert not check("rfm.at_risk_revenue", short).correct
    assert not check("rfm.at_risk_revenue", at_risk.sum() - at_risk.min()).correct


# --- interpretation: the segment summary -----------------------------------------------------
def _summary_truth(summary: pd.DataFrame, rfm: pd.DataFrame) -> set[str]:
    """The true statements, decided here with plain pandas from the table the workbook shows."""
    s = summary
    truth = set()
    if 1.5 <= s.loc["Champions", "mean_monetary"] / rfm["monetary"].mean() <= 2.5:
        truth.add("A")
    if s.loc["Champions", "revenue_share"] > 0.5:
        truth.add("B")
    if s.loc["Loyal", "revenue"] > s.loc["Champions", "revenue"] \
            and s.loc["Loyal", "mean_monetary"] < s.loc["Champions", "mean_monetary"]:
        truth.add("C")
    if s.loc["Cannot lose them", "mean_monetary"] > s.loc["Champions", "mean_monetary"]:
        truth.add("D")
    if s.loc["At risk", "revenue"] > s.loc["Cannot lose them", "revenue"]:
        truth.add("E")
    return truth


def test_summary_reading_follows_from_the_summary(summary, rfm):
    truth = _summary_truth(summary, rfm)
    assert truth == {"A", "C", "D"}  # the shipped data; options are worded for it
    assert set(SUMMARY_STATEMENTS) == set("ABCDE")
    for answer in (truth, sorted(truth), "A, C, D", "d c a", "(A), (C) and (D)"):
        assert check("rfm.summary_reading", answer).correct, answer


@pytest.mark.parametrize(
    "answer, mistake",
    [
        ({"A", "B", "C", "D"}, "statement_b_misjudged"),  # "Champions" sounds like most of the revenue
        ({"A", "C", "D", "E"}, "statement_e_misjudged"),  # more customers taken for more revenue
        ({"A", "D"}, "statement_c_misjudged"),  # totals not told apart from means
        ({"A", "C"}, "statement_d_misjudged"),  # names trusted over mean_monetary
        ({"C", "D"}, "statement_a_misjudged"),
    ],
)
def test_summary_reading_mistakes(answer, mistake):
    feedback = check("rfm.summary_reading", answer)
    assert feedback.mistake == mistake, feedback.message


def test_call_priority_follows_from_the_summary(summary):
    lapsed = summary[summary["mean_recency"] > 180]
    best_segment = lapsed["mean_monetary"].idxmax()
    letter = next(key for key, name in CALL_OPTIONS.items() if name == best_segment)
    assert check("rfm.call_priority", letter.lower()).correct
    assert check("rfm.call_priority", f"({letter})").correct
    assert summary.loc[best_segment, "customers"] >= 300  # enough customers for the calls


@pytest.mark.parametrize(
    "segment, mistake",
    [("At risk", "largest_group"), ("Lost", "calls_for_lost"), ("Hibernating", "calls_for_hibernating"),
     ("Champions", "calls_for_champions")],
)
def test_call_priority_mistakes(segment, mistake):
    letter = next(key for key, name in CALL_OPTIONS.items() if name == segment)
    assert check("rfm.call_priority", letter).mistake == mistake


def test_call_priority_wants_one_letter():
    assert "one option letter" in check("rfm.call_priority", {"D"}).message.lower()
    assert "exactly one" in check("rfm.call_priority", "B, D").message


def test_segment_actions():
    best = {"Champions": "A", "New customers": "c", "Cannot lose them": "B", "At risk": "B", "Lost": "D"}
    assert check("rfm.segment_actions", best).correct
    assert check("rfm.segment_actions", {**best, "Champions": "E"}).mistake == "discount_for_champions"
    assert check("rfm.segment_actions", {**best, "Lost": "B"}).mistake == "expensive_effort_on_lost"
    assert check("rfm.segment_actions", {**best, "Cannot lose them": "D"}).mistake == "automation_for_cannot_lose"
    assert check("rfm.segment_actions", {**best, "New customers": "A"}).mistake == "onboarding_mismatch"
    assert check("rfm.segment_actions", {**best, "At risk": "D"}).mistake == "at_risk_left_to_automation"
    missing = check("rfm.segment_actions", {"Champions": "A"})
    assert missing.status == "hint" and "no entry" in missing.message


# --- tiers -------------------------------------------------------------------------------------
def test_second_failure_adds_the_mistakes_more_specific_hint(orders):
    wrong = orders.groupby("customer_id")["amount"].mean()
    first, second = check("rfm.monetary", wrong), check("rfm.monetary", wrong)
    assert first.mistake == second.mistake == "mean_instead_of_total"
    assert "More help" not in first.message and "More help" in second.message


def test_unknown_exercise_names_the_known_ones():
    with pytest.raises(KeyError, match="rfm.recency"):
        check("rfm.recencyy", 1)
