"""Each common mistake gets its specific hint; correct variants pass; feedback never reveals the answer.

The wrong answers here are written the way a participant would write them (plain pandas), not taken
from the exercise definitions, so a hint is tested against the mistake it is meant to catch.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cvmlib.datasets import load_orders
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.rfm import SNAPSHOT
from cvmlib.rfm import rfm_scores, rfm_segments, rfm_table


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def rfm(orders) -> pd.DataFrame:
    return rfm_table(orders, SNAPSHOT)


@pytest.fixture(scope="module")
def segments(rfm) -> pd.Series:
    return rfm_segments(rfm_scores(rfm))


def _last(orders):
    return orders.groupby("customer_id")["order_date"].max()


def test_rfm_workbook_has_at_least_six_exercises():
    assert len(exercise_ids("rfm")) >= 6


# --- recency ---------------------------------------------------------------------------------
def test_recency_correct_and_variants(orders, rfm):
    recency = (SNAPSHOT - _last(orders).dt.normalize()).dt.days
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
    ],
)
def test_recency_mistakes_get_their_hint(orders, mistake, wrong):
    feedback = check("rfm.recency", wrong(orders))
    assert not feedback.correct
    assert feedback.mistake == mistake, feedback.message


def test_recency_as_timedelta_gets_a_conversion_hint(orders):
    feedback = check("rfm.recency", SNAPSHOT - _last(orders).dt.normalize())
    assert feedback.status == "hint" and ".dt.days" in feedback.message


# --- frequency -------------------------------------------------------------------------------
def _year_2025(orders):
    return orders[(orders["order_date"] >= "2025-01-01") & (orders["order_date"] < "2026-01-01")]


def test_frequency_correct_and_mistakes(orders):
    assert check("rfm.frequency_2025", _year_2025(orders).groupby("customer_id")["order_id"].nunique()).correct
    whole = check("rfm.frequency_2025", orders.groupby("customer_id")["order_id"].nunique())
    assert whole.mistake == "whole_history"
    categories = check("rfm.frequency_2025", _year_2025(orders).groupby("customer_id")["category"].nunique())
    assert categories.mistake == "counted_categories"


# --- monetary --------------------------------------------------------------------------------
@pytest.mark.parametrize("how, mistake", [("mean", "mean_instead_of_total"), ("max", "max_instead_of_total"),
                                          ("count", "counted_orders")])
def test_monetary_mistakes(orders, how, mistake):
    assert check("rfm.monetary", orders.groupby("customer_id")["amount"].sum()).correct
    assert check("rfm.monetary", orders.groupby("customer_id")["amount"].agg(how)).mistake == mistake


# --- recency score rule ----------------------------------------------------------------------
def test_recency_rule_correct_and_mistakes(rfm):
    r = rfm["recency"]
    correct = pd.Series(1, index=r.index)
    for days, score in [(365, 2), (180, 3), (90, 4), (30, 5)]:
        correct[r <= days] = score
    assert check("rfm.recency_score_rule", correct).correct
    assert check("rfm.recency_score_rule", 6 - correct).mistake == "score_not_reversed"
    exclusive = pd.Series(1, index=r.index)
    for days, score in [(365, 2), (180, 3), (90, 4), (30, 5)]:
        exclusive[r < days] = score
    assert (exclusive != correct).any(), "the data must have customers exactly on an edge"
    assert check("rfm.recency_score_rule", exclusive).mistake == "edges_exclusive"


# --- segment shares and values ---------------------------------------------------------------
def test_champions_share(rfm, segments):
    champions = segments == "Champions"
    share = rfm.loc[champions, "monetary"].sum() / rfm["monetary"].sum()
    assert check("rfm.champions_revenue_share", share).correct
    assert check("rfm.champions_revenue_share", champions.mean()).mistake == "customer_share"
    assert check("rfm.champions_revenue_share", 100 * share).mistake == "percent_not_fraction"
    assert check("rfm.champions_revenue_share", "31%").status == "hint"


def test_at_risk_revenue(rfm, segments):
    both = segments.isin(["At risk", "Cannot lose them"])
    assert check("rfm.at_risk_revenue", rfm.loc[both, "monetary"].sum()).correct
    only = rfm.loc[segments == "At risk", "monetary"].sum()
    assert check("rfm.at_risk_revenue", only).mistake == "only_at_risk"
    assert check("rfm.at_risk_revenue", int(both.sum())).mistake == "counted_customers"


def test_segment_actions():
    best = {"Champions": "A", "New customers": "c", "Cannot lose them": "B", "At risk": "B", "Lost": "D"}
    assert check("rfm.segment_actions", best).correct
    assert check("rfm.segment_actions", {**best, "Champions": "E"}).mistake == "discount_for_champions"
    assert check("rfm.segment_actions", {**best, "Lost": "B"}).mistake == "expensive_effort_on_lost"
    assert check("rfm.segment_actions", {**best, "Cannot lose them": "D"}).mistake == "automation_for_cannot_lose"
    missing = check("rfm.segment_actions", {"Champions": "A"})
    assert missing.status == "hint" and "no entry" in missing.message


# --- never reveal, never crash ---------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", exercise_ids("rfm"))
def test_feedback_never_prints_the_expected_answer(exercise_id):
    expected = get_exercise(exercise_id).expected()
    for answer in [..., 0, pd.Series([1, 2, 3]), "nonsense", {"x": 1}, pd.DataFrame({"a": [1], "b": [2]})]:
        feedback = check(exercise_id, answer)
        assert not feedback.correct
        text = str(feedback)
        if isinstance(expected, float):
            for shown in (f"{expected:.3f}", f"{expected:,.0f}", f"{expected:.0f}", f"{100 * expected:.1f}"):
                assert shown not in text
        assert "Traceback" not in text and "Traceback" not in feedback._repr_html_()


def test_unknown_exercise_names_the_known_ones():
    with pytest.raises(KeyError, match="rfm.recency"):
        check("rfm.recencyy", 1)
