"""Lifecycle exercises: each likely mistake, written the way a participant would, gets its hint.

Correct variants (rounded to the precision the prompt asks for) pass; the smallest plausible wrong
answers fail. The generic guarantees (the expected answer passes, odd answers and the exercises' own
near misses fail, nothing leaks) are in tests/test_exercise_contract.py, for every chapter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from cvmlib.datasets import load_orders
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.lifecycle import (
    BREADTH_OPTIONS,
    OFFER_OPTIONS,
    RULES,
    SNAPSHOT,
    breadth_result,
    channel_clv,
    programme_model,
)
from cvmlib.lifecycle import stage_facts, stage_transitions


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def facts(orders) -> pd.DataFrame:
    return stage_facts(orders, SNAPSHOT)


def _letter(options, start: str) -> str:
    return next(key for key, text in options.items() if text.startswith(start))


def _stages(facts, order, *, strict=True):
    over = (lambda days: facts["recency_days"] > days) if strict else (lambda days: facts["recency_days"] >= days)
    rules = {
        "won_back": (facts["orders"] >= 2) & (facts["recency_days"] <= RULES.won_back_days)
        & (facts["gap_days"] > RULES.lapsed_days),
        "lapsed": over(RULES.lapsed_days),
        "at_risk": over(RULES.at_risk_days),
        "new": facts["tenure_days"] <= RULES.new_days,
        "developing": facts["orders"] < RULES.mature_orders,
    }
    return pd.Series(np.select([rules[k] for k in order], list(order), default="mature"), index=facts.index)


def test_lifecycle_workbook_has_enough_exercises_and_interpretation_questions():
    ids = exercise_ids("lifecycle")
    assert len(ids) >= 8
    interpret = [i for i in ids if get_exercise(i).kind == "interpret"]
    assert len(interpret) >= 3 and all(get_exercise(i).form is not None for i in interpret)


def test_stage_counts_correct_and_mistakes(facts):
    right = _stages(facts, ("won_back", "lapsed", "at_risk", "new", "developing"))
    assert check("lifecycle.stage_counts", right.value_counts()).correct
    assert check("lifecycle.stage_counts", right.value_counts().rename("n").rename_axis("stage").reset_index()).correct
    listed = _stages(facts, ("new", "developing", "at_risk", "lapsed", "won_back"))
    assert check("lifecycle.stage_counts", listed.value_counts()).mistake == "listed_order"
    late = _stages(facts, ("lapsed", "at_risk", "new", "developing", "won_back"))
    assert check("lifecycle.stage_counts", late.value_counts()).mistake == "won_back_last"
    ge = _stages(facts, ("won_back", "lapsed", "at_risk", "new", "developing"), strict=False)
    assert check("lifecycle.stage_counts", ge.value_counts()).mistake == "inclusive_thresholds"


def test_mature_slipped_correct_and_mistakes(orders):
    moves = stage_transitions(orders, ["2025-10-01", "2026-01-01"], RULES)
    row = moves.loc["mature"]
    right = row[["at_risk", "lapsed"]].sum() / row.sum()
    assert check("lifecycle.mature_slipped", round(right, 4)).correct
    column = row[["at_risk", "lapsed"]].sum() / moves[["at_risk", "lapsed"]].to_numpy().sum()
    assert check("lifecycle.mature_slipped", column).mistake == "column_share"
    assert check("lifecycle.mature_slipped", row["at_risk"] / row.sum()).mistake == "at_risk_only"
    assert not check("lifecycle.mature_slipped", (row[["at_risk", "lapsed"]].sum() + 1) / row.sum()).correct


def test_stage_actions():
    best = {"new": "A", "developing": "b", "mature": "C", "at_risk": "D", "lapsed": "E", "won_back": "F"}
    assert check("lifecycle.stage_actions", best).correct
    assert check("lifecycle.stage_actions", {**best, "mature": "G"}).mistake == "blanket_discount"
    assert check("lifecycle.stage_actions", {**best, "at_risk": "E"}).mistake == "winback_for_at_risk"
    assert check("lifecycle.stage_actions", {**best, "new": "C"}).mistake == "new_as_mature"


def test_raw_breadth_gap_correct_and_mistakes():
    table = breadth_result("observed").customers
    rates = table.groupby("broad")["churned"].mean()
    gap = rates[True] - rates[False]
    assert check("lifecycle.raw_breadth_gap", round(gap, 4)).correct
    assert check("lifecycle.raw_breadth_gap", -gap).mistake == "narrow_minus_broad"
    assert check("lifecycle.raw_breadth_gap", 100 * gap).mistake == "percent_not_fraction"


def test_breadth_reading_follows_from_the_strata():
    for definition in ("observed", "truth"):
        result = breadth_result(definition)
        assert abs(result.raw_difference) > 2 * result.raw_se
        assert abs(result.stratified_difference) < 2 * result.stratified_se
    # the raw association has opposite signs under the two definitions: selection, not an effect
    assert breadth_result("observed").raw_difference < 0 < breadth_result("truth").raw_difference
    assert check("lifecycle.breadth_reading", _letter(BREADTH_OPTIONS, "The raw difference comes mostly")).correct
    assert check("lifecycle.breadth_reading", _letter(BREADTH_OPTIONS, "Broad buyers churn less")).mistake \
        == "association_as_effect"
    assert check("lifecycle.breadth_reading", _letter(BREADTH_OPTIONS, "With the generator")).mistake == "sign_as_cause"


def test_break_even_cac_correct_and_mistakes():
    table = channel_clv()
    by_channel = table.groupby("acquisition_channel", observed=True)["clv"]
    assert check("lifecycle.break_even_cac", by_channel.mean().round(0)).correct
    assert check("lifecycle.break_even_cac", by_channel.median()).mistake == "median_clv"
    assert check("lifecycle.break_even_cac", by_channel.sum()).mistake == "total_clv"
    assert check("lifecycle.break_even_cac", 0.3 * by_channel.mean()).mistake == "margin_twice"
    assert not check("lifecycle.break_even_cac", by_channel.mean().round(-1)).correct


def test_rule_confidence_correct_and_mistakes(orders):
    bought = orders.groupby("customer_id")["category"].agg(lambda c: set(c.astype(str)))
    baby = bought.map(lambda c: "Baby & Kids" in c)
    food = bought.map(lambda c: "Food & Grocery" in c)
    assert check("lifecycle.rule_confidence", round((baby & food).sum() / baby.sum(), 4)).correct
    assert check("lifecycle.rule_confidence", (baby & food).sum() / food.sum()).mistake == "reversed_rule"
    assert check("lifecycle.rule_confidence", (baby & food).mean()).mistake == "support_not_confidence"
    lift = ((baby & food).sum() / baby.sum()) / food.mean()
    assert check("lifecycle.rule_confidence", lift).mistake == "lift_not_confidence"


@pytest.mark.parametrize("start, mistake", [("Popularity has the higher", "baseline_wins"),
                                            ("Every hit is a purchase", "hits_as_effect"),
                                            ("Co-occurrence reaches far more", "coverage_as_reason")])
def test_offer_reading_mistakes(start, mistake):
    assert check("lifecycle.offer_reading", _letter(OFFER_OPTIONS, start)).mistake == mistake
    assert check("lifecycle.offer_reading", _letter(OFFER_OPTIONS, "Co-occurrence has the higher")).correct


def _n(z_alpha, effect=0.02, p0=0.10):
    p1 = p0 + effect
    pbar = (p0 + p1) / 2
    return (z_alpha * np.sqrt(2 * pbar * (1 - pbar)) + norm.ppf(0.8) * np.sqrt(p0 * (1 - p0) + p1 * (1 - p1))) ** 2 \
        / effect**2


def test_sample_size_correct_and_mistakes():
    n = _n(norm.ppf(0.975))
    assert check("lifecycle.sample_size", int(np.ceil(n))).correct
    assert check("lifecycle.sample_size", int(np.floor(n))).mistake == "not_rounded_up"
    assert check("lifecycle.sample_size", 2 * int(np.ceil(n))).mistake == "both_groups"
    assert check("lifecycle.sample_size", int(np.ceil(_n(norm.ppf(0.95))))).mistake == "one_sided"
    assert check("lifecycle.sample_size", int(np.ceil(_n(norm.ppf(0.975), effect=0.2)))).mistake == "relative_effect"


def test_programme_net_value_correct_and_mistakes():
    m = programme_model()
    baseline = m.members * m.spend_per_member
    extra = baseline * m.incremental_purchase_rate
    issued = (baseline + extra) * m.points_per_yuan
    net = extra * m.margin - issued * (1 - m.breakage_rate) * m.cost_per_point - m.fixed_cost
    assert check("lifecycle.programme_net_value", round(net)).correct
    assert check("lifecycle.programme_net_value", extra * m.margin - issued * m.cost_per_point - m.fixed_cost) \
        .mistake == "no_breakage"
    assert check("lifecycle.programme_net_value", net + m.fixed_cost).mistake == "fixed_cost_left_out"
    assert not check("lifecycle.programme_net_value", round(net, -2)).correct


def test_retention_rate_correct_and_mistakes(orders):
    quarter = orders["order_date"].dt.to_period("Q")
    q3 = set(orders.loc[quarter == pd.Period("2025Q3"), "customer_id"])
    q4 = set(orders.loc[quarter == pd.Period("2025Q4"), "customer_id"])
    assert check("lifecycle.retention_rate", round(len(q3 & q4) / len(q3), 4)).correct
    assert check("lifecycle.retention_rate", len(q3 & q4) / len(q4)).mistake == "current_base"
    assert check("lifecycle.retention_rate", len(q4) / len(q3)).mistake == "active_ratio"
